"""The languages newsmon reads: one profile per language, and the scripts they are written in.

Everything that differs by language lives here and every stage reads it: the language detector (script,
alphabet, lingua candidates and confusers, declared-language aliases, keyboard folds), the matcher (spaCy
language, how an inflected word meets its watchlist form, Turkish-style place suffixes), the index (the
Elasticsearch analyzer of ``title_<code>``/``text_<code>``) and everything that lists languages for people
(the order of language versions in a mail or on the monitor page). Adding a language is one
:class:`LanguageProfile` in :data:`PROFILES`, its aliases in the watchlist, and a mapping version bump
(README, "Add a language").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["CONFUSER_ABSENT_LETTERS", "LANGUAGES", "OTHER", "PROFILES", "SCRIPTS", "LanguageProfile", "Morphology",
           "Script", "language_order", "profile"]

#: The label of a text in none of the languages below.
OTHER = "other"


@dataclass(frozen=True)
class Script:
    """A writing system: which characters are its letters, and what never tells two spellings apart in it."""

    name: str
    #: A regular-expression character class of the script's letters.
    letters: str
    #: Share of a text's letters in this script (at least one letter) that must be foreign to every language
    #: of the script for the detector to call the text ``other``.
    foreign_rate: float
    #: The characters (a class) that make a word get this script's folds, marks and decomposition below.
    block: str = ""
    #: Characters mapped to one spelling before matching (letter variants, digits), applied to words of the script.
    folds: dict[str, str | None] = field(default_factory=dict)
    #: Case pairs ``str.lower`` gets wrong for a language of the script, folded before lower-casing (Turkish İ, ı).
    case_folds: dict[str, str] = field(default_factory=dict)
    #: Diacritics that never tell two names apart (a character class), dropped before matching.
    marks: str = ""
    #: Letters with diacritics are decomposed and their combining marks dropped (Latin: é → e, ş → s).
    decompose: bool = False


@dataclass(frozen=True)
class Morphology:
    """How an inflected or affixed word is brought back to the form the watchlist lists.

    ``kind`` names the mechanism: ``endings`` (one ending replaced, e.g. English plural and verb endings),
    ``suffix-chain`` (agglutinative: a chain of up to ``depth`` suffixes, e.g. Turkish case + plural +
    possessive, after an apostrophe or not), ``suffixes`` (one suffix, e.g. Persian plural and ezafe), or
    ``lemmas`` (a morphological analyser's lemma, e.g. pymorphy3 for Russian, with ``suffixes`` as a fallback).
    A word is only cut back when what remains is a watchlist word (so ``Kabulov`` never becomes ``Kabul``).
    """

    kind: Literal["endings", "suffix-chain", "suffixes", "lemmas"]
    #: ``endings``: (ending, replacement) pairs; others: the suffixes (replacement empty).
    suffixes: tuple[tuple[str, str], ...] = ()
    #: ``suffix-chain``: how many suffixes may follow each other.
    depth: int = 1
    #: Shortest stem left after cutting an ending.
    min_stem: int = 3
    #: ``lemmas``: the analyser (``pymorphy3``).
    analyser: str | None = None
    #: Clitics that are never part of a name and are dropped first (the English possessive ``'s``).
    clitics: tuple[str, ...] = ()
    #: Prepositions and prefixes written fused to the next word (Persian به in بهرسمیت, ضد "anti-" in ضدتروریسم,
    #: Russian анти- in антиталибский): such a word is read as two tokens when what follows the prefix is a
    #: watchlist word (in any case: Антиталибские), and a listed word is never split.
    prefixes: tuple[str, ...] = ()
    #: Verb prefixes (Persian negation ن, present می and نمی in نشناخته, می‌پذیرد): split off like ``prefixes``,
    #: but only when at least ``verb_min_rest`` letters remain, since a verb form is longer than the short names
    #: such a split would otherwise produce (نهند "they place" is not ن + هند, India).
    verb_prefixes: tuple[str, ...] = ()
    verb_min_rest: int = 4
    #: Spelling families written differently in different countries (Dari تروریزم, Iranian تروریسم): regular
    #: expressions on a folded word and their common spelling.
    spellings: tuple[tuple[str, str], ...] = ()
    #: Stem-final consonants that alternate before a suffix (Turkish büyükelçilik → büyükelçiliği: k ~ ğ),
    #: as (written before a suffix, in the base form), folded.
    alternations: tuple[tuple[str, str], ...] = ()
    #: ``suffixes``: the suffixes that may follow another one (Persian plural after the adjective's ی), tried when
    #: one suffix alone leaves no watchlist word.
    stackable: tuple[str, ...] = ()
    #: Suffixes that narrow a stem's last vowel into their own (Turkish -(I)yor: sağla- → sağlıyor, bekle- →
    #: bekliyor), and the vowels a stem of at least ``min_stem`` letters before them may have lost, folded.
    narrowing: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    #: Compounds written with a zero-width non-joiner (عقب‌نشینی, راه‌آهن) arrive glued when a site or a copy drops
    #: it (عقبنشینی): a listed phrase of several words is also looked for with one of its spaces closed, and one
    #: listed with its ZWNJs without them (:func:`newsmon.matching.build.with_glued`).
    glued_compounds: bool = False
    #: ``glued_compounds``: words that stand apart with a space, never a ZWNJ, and so are never glued to a neighbour
    #: (Persian با, از, در, و, را: «مرز با افغانستان» is never written مرزبا; not به, which is written fused).
    unglued_words: tuple[str, ...] = ()
    #: ``suffixes``: suffixes of one letter that are cut only from a longer stem, (suffix, shortest stem): a short
    #: word ending in that letter is more often a word of its own (Persian ش "its" after a consonant: سفارتش is
    #: سفارت, but چینش "arrangement" is no چین, China).
    suffix_min_stems: tuple[tuple[str, int], ...] = ()
    #: ``suffix-chain``: verb roots shorter than ``min_stem`` that a word may still be cut back to when the watchlist
    #: lists them (Turkish al "take" in geri al, aç "open" in ateş aç: alınması, açıyor), as written, not folded;
    #: any other short stem stays uncut, since two letters and a suffix chain are too often another word.
    short_roots: tuple[str, ...] = ()
    #: An indefinite article that stands inside a phrase, between an adjective and its noun (Turkish bir: "kapsayıcı
    #: bir hükümet", "ulusal bir uzlaşı"): a listed phrase of several words is also looked for with it before its
    #: last word (:func:`newsmon.matching.build.with_inner_words`).
    inner_article: str | None = None


def _suffixes(words: str) -> tuple[tuple[str, str], ...]:
    return tuple((suffix, "") for suffix in words.split())


@dataclass(frozen=True)
class LanguageProfile:
    """One language newsmon reads."""

    code: str
    name: str
    script: str
    #: The letters the language writes (a character class); more than a few others → not this language.
    alphabet: str
    #: Languages lingua must also consider for texts of this script (close relatives and neighbours), so that
    #: they are not reported as this language.
    confusers: tuple[str, ...]
    #: Names and ISO 639-2/3 codes a page may declare it by (besides the ISO 639-1 code).
    declared_aliases: tuple[str, ...]
    #: Elasticsearch's built-in analyzer for its title and text.
    analyzer: str
    #: The ``spacy.blank`` language of its matching pipeline.
    spacy_lang: str
    morphology: Morphology
    #: Where language versions of one story are listed (mail, monitor page): lower first.
    order: int
    #: Characters that mark a text as typed in this language when its script is shared (e.g. Persian پ چ ژ گ).
    typing_marks: str = ""
    #: Frequent words that mark the language when typed with another language's keyboard.
    marker_words: frozenset[str] = frozenset()
    #: Letters another keyboard types instead of this language's (applied before detection).
    keyboard_folds: dict[str, str] = field(default_factory=dict)
    #: Case suffixes that make a city name a place rather than a government (Moskova'da, Moskova'dan).
    place_suffixes: tuple[str, ...] = ()
    #: The case suffixes of location alone ("where": Duşanbe'de, Duşanbe'deki), for words that must say where.
    locative_suffixes: tuple[str, ...] = ()
    #: Whether the language's spelling sets a proper noun's suffixes off by an apostrophe (Turkish Afyon'da, the
    #: city; afyonda, in opium): a capitalised word so written is a name, never the common noun it spells.
    apostrophe_names: bool = False
    #: Labels of the "read also" boxes news sites put inside an article's body (a paragraph that is only the
    #: label, or the label and a linked headline, is not article text).
    related_labels: tuple[str, ...] = ()
    #: Labels of photo credits ("Photo: AFP"): a short line starting with one is a caption, not article text.
    credit_labels: tuple[str, ...] = ()
    #: Labels of a briefing's questions ("Question (TASS): ..."): each question opens a topic of its own.
    question_labels: tuple[str, ...] = ()
    #: Conjunctions that open a new clause after a comma (", but", «, но»): a construction's words stand in one clause.
    clause_openers: frozenset[str] = frozenset()
    #: Conjunctions joining two names ("to Tashkent or Dushanbe"): the second shares the first's place word.
    conjunctions: frozenset[str] = frozenset()
    #: Words that give another name for the name before them ("also known as"), lower case: the names are one.
    glosses: tuple[str, ...] = ()
    #: Names of months and weekdays, as written (capitalised where the language does): a date before a comma is no
    #: name of a list of places ("In April, Moscow lifted the ban": Moscow the government).
    calendar_words: frozenset[str] = frozenset()
    #: Titles and forms of address that stand capitalised before a surname ("Ambassador Zhirnov", "Bakan Lavrov"),
    #: lower case: no given name (:mod:`newsmon.matching.names`). A language whose dictionary tags given names
    #: (Russian, pymorphy3) or whose script has no capitals needs none.
    name_titles: frozenset[str] = frozenset()
    #: Whether the language sets a sentence's opening adverb off with a comma ("Later, Lavrov said"): a capitalised
    #: word right before a name at a sentence's start is then a given name ("Igor Zhirnov, whose company ..."). Turkish
    #: opens with böylece, nitekim or görüşmede and no comma, so there such a word is no evidence.
    openers_take_comma: bool = False


SCRIPTS: dict[str, Script] = {
    "latin": Script("latin", r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0259\u1E00-\u1EFF]", 0.02,
                    block="[\u00c0-\u024f]", case_folds={"İ": "i", "I": "i", "ı": "i"}, decompose=True),
    "cyrillic": Script("cyrillic", r"[\u0400-\u0482\u048A-\u052F]", 0.01, block="[\u0400-\u04ff]",
                       folds={"ё": "е", "Ё": "Е"}),
    "arabic": Script(
        "arabic", r"[\u0620-\u063F\u0641-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F]", 0.01,
        # (and the heh of other keyboards: Urdu's ھ and Kurdish's ە, which some Persian sites type for ه: «روسیە»)
        block="[\u0600-\u06ff]", folds={"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ھ": "ه", "ە": "ه",
                                         "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
         "ؤ": "و", "\u0640": None, "\u200c": None, "\u200d": None, "\u200f": None, "\u200e": None,
         **{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)}},
        marks="[\u064b-\u065f\u0670\u06d6-\u06ed]"),
}

PROFILES: tuple[LanguageProfile, ...] = (
    LanguageProfile(
        code="en", name="English", script="latin",
        alphabet=r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]",
        confusers=("de", "fr", "es", "pt", "it", "nl", "id"),
        declared_aliases=("eng", "english"), analyzer="english", spacy_lang="en",
        # (and a final consonant doubled before -ed and -ing: transferring, committed, planned, cancelled)
        morphology=Morphology("endings", (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                                          ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"))
                              + tuple((c + c + ending, c) for c in "bdglmnprt" for ending in ("ed", "ing")),
                              clitics=("'s", "'")),
        order=0,
        related_labels=("Read more", "Read also", "Also read", "See also", "Related", "Related articles",
                        "Related stories", "Related news", "You may also like", "Recommended"),
        credit_labels=("Photo", "Photos", "Image", "Images", "Picture", "Credit", "Photograph", "Video"),
        question_labels=("Question", "Q"),
        clause_openers=frozenset({"but", "while", "whereas", "although", "though", "yet"}),
        conjunctions=frozenset({"and", "or"}),
        glosses=("known as", "aka", "a.k.a.", "also called", "otherwise called", "i.e."),
        calendar_words=frozenset("January February March April May June July August September October November December "
                                 "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()),
        name_titles=frozenset("mr mrs ms dr sir president premier minister ambassador envoy emissary secretary spokesman "
                              "spokeswoman spokesperson representative deputy director chairman chairwoman general gen "
                              "colonel col commander chief head leader counsellor counselor consul affaires governor "
                              "mayor senator commissioner adviser advisor official diplomat judge justice professor prof "
                              "comrade chancellor mullah mawlawi maulvi mawlavi sheikh emir amir".split()),
        openers_take_comma=True),
    LanguageProfile(
        code="tr", name="Turkish", script="latin",
        alphabet=r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u011E\u011F\u0130\u0131\u015E\u015F]",
        confusers=("az",), declared_aliases=("tur", "turkish"), analyzer="turkish", spacy_lang="tr",
        # Case, plural, possessive and derivational suffixes, folded (ı→i, ü→u, ö→o, ş→s, ç→c, ğ→g).
        morphology=Morphology("suffix-chain", _suffixes(
            "lar ler in un nin nun i u yi yu a e ya ye na ne da de ta te nda nde dan den tan ten ndan nden la le yla "
            "yle ki si su ni nu ile daki deki taki teki ndaki ndeki li lu dir tir dur tur sin sun yken "
            # the past copula after a vowel (listesindeydi, it was on the list)
            "ydi ydu ymis ymus "
            # verbs: past, reported past, future, progressive, negation, verbal noun, participles, passive
            "di du ti tu mis mus acak ecek yacak yecek iyor uyor yor miyor muyor ma me mak mek an en yan yen il ul n "
            # the written progressive (tanınmamaktadır, is not recognised; sürdürmektedir)
            "makta mekte "
            "dik duk tik tuk digi dugu tigi tugu mali meli "
            # future participle (devredileceği), converbs (boşaltıp, çekilerek)
            "acagi ecegi yacagi yecegi ip up yip yup arak erek yarak yerek "
            # "while" after the aorist (çekilirken, while withdrawing) and the negative aorist (tanınmazken, while
            # not recognised)
            "irken urken arken erken mazken mezken "
            # conditional (tanımasa, tanırsa) and negative aorist (tanımaz)
            "sa se ysa yse maz mez "
            # possessive of the plural persons (fonlarımız, our funds; topraklarınız, your territory; not the singular
            # -(ı)m, which would cut çözüm, solution, back to çöz-, release, and Rüstem to Rus)
            "imiz umuz miz muz iniz unuz niz nuz "
            # the verb's first person plural (çekiyoruz, we withdraw; tanıyacağız, we will recognise)
            "iz uz acagiz ecegiz yacagiz yecegiz "
            # "by the ...": milyarlarca (billions of), yüzlerce (hundreds of)
            "larca lerce"), depth=5,
            # (and the monosyllables that double their last consonant before a vowel: üs → üssün, üsse; hak → hakkı)
            alternations=(("g", "k"), ("d", "t"), ("b", "p"), ("ss", ""), ("kk", ""), ("ll", ""), ("tt", "")),
            narrowing=(("iyor", "uyor"), ("a", "e")), short_roots=("al", "aç"), inner_article="bir"),
        order=2,
        typing_marks="ğĞşŞıİ",
        related_labels=("Ayrıca okuyun", "Ayrıca bakınız", "İlgili haber", "İlgili haberler", "İlginizi çekebilir",
                        "Bunlar da ilginizi çekebilir", "Benzer haberler", "Devamını oku"),
        credit_labels=("Fotoğraf", "Foto", "Görsel", "Video"),
        question_labels=("Soru",),
        clause_openers=frozenset({"ancak", "fakat", "ama", "oysa", "halbuki", "lakin"}),
        conjunctions=frozenset({"ve", "veya", "ile"}),
        calendar_words=frozenset("Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık "
                                 "Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi Pazar".split()),
        name_titles=frozenset("bay bayan sayın dr prof bakan bakanı büyükelçi büyükelçisi elçi elçisi temsilci temsilcisi "
                              "sözcü sözcüsü başkan başkanı yardımcısı müsteşar müsteşarı maslahatgüzar maslahatgüzarı "
                              "müdür müdürü direktörü danışman danışmanı komutan komutanı general diplomat başkonsolos "
                              "konsolos konsolosu lider lideri molla mevlevi şeyh emir".split()),
        place_suffixes=("'da", "'de", "'ta", "'te", "'daki", "'deki", "'taki", "'teki", "'dan", "'den", "'tan", "'ten",
                        "'ya", "'ye",
                        "'a", "'e"),
        locative_suffixes=("'da", "'de", "'ta", "'te", "'daki", "'deki", "'taki", "'teki"),
        apostrophe_names=True),
    LanguageProfile(
        code="ru", name="Russian", script="cyrillic", alphabet=r"[\u0410-\u044F\u0401\u0451]",
        confusers=("uk", "be", "bg", "kk", "mk", "sr", "mn"),
        declared_aliases=("rus", "russian"), analyzer="russian", spacy_lang="ru",
        morphology=Morphology("lemmas", _suffixes("а у ом ым е ы ов ам ами ах ой ою ей ем ю я и ого ему ая ую ие их "
                                                  "ыми ими"), analyser="pymorphy3",
                              # (anti- fused to the word it qualifies, as Persian ضد: антиталибские силы,
                              # "anti-Taliban forces"; not про-, pro-, which begins продвижение and происходящий)
                              prefixes=("анти",)),
        order=1,
        related_labels=("Читайте также", "Читать также", "Смотрите также", "По теме", "Материалы по теме",
                        "Подробнее", "Ещё по теме", "Еще по теме"),
        credit_labels=("Фото", "Видео", "Иллюстрация"),
        question_labels=("Вопрос",),
        clause_openers=frozenset({"но", "однако", "хотя", "зато"}),
        conjunctions=frozenset({"и", "или", "либо"}),
        glosses=("известный как", "известная как", "известное как", "известные как", "известного как", "известной как",
                 "известных как", "известным как", "известными как", "именуемый", "именуемая", "именуемые", "именуемых",
                 "то есть", "т. е.", "или же")),
    LanguageProfile(
        code="fa", name="Persian", script="arabic",
        alphabet=r"[\u0621-\u063A\u0641-\u064A\u0671\u067E\u0686\u0698\u06A9\u06AF\u06BE\u06C0\u06CC]",
        confusers=("ar", "ur"),
        declared_aliases=("fas", "per", "pes", "prs", "farsi", "persian", "dari"), analyzer="persian",
        spacy_lang="fa",
        # (هاند, هاست: the perfect's ending glued to the participle when the ZWNJ is lost, فرستادهاند "they have sent";
        # شده: the participle's auxiliary written fused to it, مسدودشده "frozen", امضاشده "signed", also with its ezafe,
        # «پول مسدودشده‌ی بانک مرکزی», and so the light
        # verb کردن, مسدودکردن "to block" (not شدن: a listed خارج شدن, "to leave", glued would read as خارج, "abroad");
        # a past verb or participle is its past stem and an ending, and the watchlist lists the infinitive, stem + ن:
        # رفتند, شناخته → رفتن, شناختن)
        morphology=Morphology("suffixes", _suffixes("هایی های ها ای یی ی یان ان اش ش شان تان مان ست ه هاند هاست شده شدهی کردن")
                              + (("ند", "ن"), ("ید", "ن"), ("یم", "ن"), ("ه", "ن"), ("", "ن"),
                                 # (the passive verbal noun, participle + شدن, is its verb: پذیرفته‌شدن → پذیرفتن)
                                 ("هشدن", "ن")),
                              prefixes=("به", "ضد"), verb_prefixes=("نمی", "می", "ن"),
                              # (some Dari outlets write Moscow ماسکو, as Urdu and Pashto do; not ماسکوت, a mascot;
                              # Dari writes افکندن, to throw, with گ, also inside a glued compound: هراس‌افگنی, terrorism, is هراس‌افکنی;
                              # and list لست: «از لست سیاه بیرون کنند»; and terrorism ترورزم and terrorist ترورست,
                              # without their ی; and diplomat, diplomatic, diplomacy with the و of their vowel:
                              # دیپلومات, دیپلوماتیک, دیپلوماسی)
                              spellings=(("یزم$", "یسم"), ("یزمی$", "یسمی"), ("^ماسکو(ی?)$", r"مسکو\1"),
                                         ("افگن", "افکن"), ("^لست", "لیست"), ("^ترورزم", "تروریسم"),
                                         ("^ترورست", "تروریست"), ("^دیپلوما", "دیپلما")),
                              glued_compounds=True,
                              unglued_words=("با", "از", "در", "و", "را"),
                              # (the plural and the possessives also follow another suffix: آمریکایی‌ها)
                              stackable=("هایی", "های", "ها", "اش", "ش", "شان", "تان", "مان"),
                              suffix_min_stems=(("ش", 4),)),
        order=3,
        typing_marks="\u067e\u0686\u0698\u06af\u06a9\u06cc\u200c",
        marker_words=frozenset({"را", "است", "اين", "هاي", "مي"}),
        related_labels=("بیشتر بخوانید", "بیشتر بخوانيد", "بخوانید", "همچنین بخوانید", "مطالب مرتبط", "مطلب مرتبط",
                        "اخبار مرتبط", "پیشنهاد ما"),
        credit_labels=("عکس", "تصویر", "ویدیو", "عکس‌ها"),
        question_labels=("سوال", "سؤال", "پرسش"),
        clause_openers=frozenset({"اما", "ولی", "ولیکن", "لیکن"}),
        conjunctions=frozenset({"و", "یا"}),
        glosses=("معروف به", "موسوم به", "مشهور به", "یعنی"),
        # (the Gregorian months as Iran and Afghanistan write them, the solar months of both, and the weekdays)
        calendar_words=frozenset(
            "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر جنوری فبروری مارچ اپریل می جون "
            "جولای اگست سپتمبر اکتوبر نومبر دسمبر فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن "
            "اسفند حمل ثور جوزا سرطان اسد سنبله میزان عقرب قوس جدی دلو حوت شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه "
            "پنجشنبه جمعه".split()),
        keyboard_folds={"ي": "ی", "ى": "ی", "ك": "ک", "ھ": "ه", "ە": "ه"}),
)

#: The language codes newsmon reads, in table order; anything else is labelled :data:`OTHER`.
LANGUAGES: tuple[str, ...] = tuple(p.code for p in PROFILES)

#: Letters a confuser's alphabet lacks (lower case): seeing them rules the confuser out.
CONFUSER_ABSENT_LETTERS: dict[str, str] = {
    "uk": "ёъыэ", "bg": "ёыэ", "be": "иъщ", "mk": "ёйщъыьэюя", "sr": "ёйщъыьэюя", "ar": "پچژگ",
}

_BY_CODE = {p.code: p for p in PROFILES}


def profile(code: str) -> LanguageProfile:
    """The profile of ``code``; ``KeyError`` naming the known codes if there is none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no language {code!r}; newsmon reads {', '.join(LANGUAGES)}") from None


def language_order(code: str | None) -> int:
    """Sort key for listing language versions to people: the table's order, unknown languages last."""
    found = _BY_CODE.get(code or "")
    return found.order if found else len(PROFILES)
