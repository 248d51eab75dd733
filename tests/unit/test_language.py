"""Unit tests for newsmon.language: targets, close confusers, declared language, determinism, edge cases."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from newsmon.language import LanguageGuess, detect_language, normalise_declared

TARGETS = {
    "en": "Russia's foreign minister met a Taliban delegation in Moscow on Tuesday to discuss trade, "
    "security and the situation in northern Afghanistan.",
    "tr": "İçişleri Bakanlığı, İstanbul'daki toplantının ardından Afganistan ile ticaretin artırılması "
    "konusunda yeni bir açıklama yaptı.",
    "ru": "Министр иностранных дел России во вторник встретился в Москве с делегацией талибов, чтобы "
    "обсудить торговлю и безопасность.",
    "fa": "وزیر امور خارجه روسیه روز سه‌شنبه در مسکو با هیئتی از طالبان دیدار و درباره تجارت و امنیت گفتگو کرد.",
}
PERSIAN_VARIANTS = {
    # Typed with an Arabic keyboard: ي and ك instead of ی and ک.
    "arabic-ye-kaf": "وزير امور خارجه روسيه روز سه‌شنبه در مسكو با هيئتي از طالبان ديدار و درباره تجارت و امنيت "
    "گفتگو كرد.",
    # Arabic ي/ك and not one Persian-only letter: the function words را and مي give it away.
    "arabic-no-persian-letters": "امام محمد عبده ، امام ابوحنيفه و تجديد مدرسه معتزله دكتر صبحي منصور در مصاحبه "
    "با نشريه (الوطن الكويتية) به تاريخ2007-07-02 تفكر خود را ادامه جريان امام ابوحنيفه و در عصر حاضر امام "
    "محمد عبده مي داند.",
    "dari": "سخنگوی امارت اسلامی گفت که هیئتی از وزارت خارجه برای گفتگو درباره تجارت و ترانزیت به مسکو سفر کرده "
    "و با مقام‌های روسی دیدار می‌کند. والی ولایت بلخ نیز در این نشست حضور داشت.",
    # Arabic presentation forms (folded by NFKC).
    "presentation-forms": "مکانیسم اثر لوامیزول ﺳﯿﺘﻮﺗﻮﮐﺴﯿﺴﯿﺘﻪ ﻃﺒﯿﻌﯽ ﺳﻠﻮل ﻫﺎی ﻃﺤﺎل را در ﮐﺸﺘﻦ ﺳﻠﻮل ﻫﺎی ﺗﻮﻣﻮری "
    "تقویت می‌کند.",
}
CONFUSERS = {
    "az": "Rusiyanın xarici işlər naziri çərşənbə axşamı Moskvada Taliban nümayəndə heyəti ilə görüşüb.",
    "kk": "Ресей сыртқы істер министрі сейсенбі күні Мәскеуде «Талибан» делегациясымен кездесті.",
    "uk": "Міністр закордонних справ Росії у вівторок зустрівся в Москві з делегацією талібів, щоб обговорити "
    "торгівлю.",
    "bg": "Министърът на външните работи на Русия се срещна във вторник в Москва с делегация на талибаните, за да "
    "обсъдят търговията.",
    "ky": "Россиянын тышкы иштер министри шейшемби күнү Москвада «Талибан» өкүлдөрү менен жолукту.",
    "tg": "Вазири корҳои хориҷии Русия рӯзи сешанбе дар Маскав бо ҳайати Толибон мулоқот кард.",
    "be": "Міністр замежных спраў Расіі ў аўторак сустрэўся ў Маскве з дэлегацыяй талібаў.",
    "sr": "Министар спољних послова Русије састао се у уторак у Москви са делегацијом талибана.",
    "ar": "قال وزير الخارجية الروسي إن بلاده ستواصل الحوار مع حركة طالبان بشأن التجارة والأمن في أفغانستان.",
    "ur": "روس کے وزیر خارجہ نے منگل کو ماسکو میں طالبان کے وفد سے ملاقات کی اور تجارت پر بات چیت کی۔",
    "ps": "د روسیې د بهرنیو چارو وزیر د سه شنبې په ورځ په مسکو کې د طالبانو له پلاوي سره وکتل او د سوداګرۍ په "
    "اړه یې خبرې وکړې.",
    "de": "Der russische Außenminister hat sich am Dienstag in Moskau mit einer Delegation der Taliban getroffen.",
    "pl": "Minister spraw zagranicznych Rosji spotkał się we wtorek w Moskwie z delegacją talibów.",
    "zh": "俄罗斯外交部长周二在莫斯科会见了塔利班代表团。",
}


@pytest.mark.parametrize("lang", sorted(TARGETS))
def test_targets_are_recognised(lang: str) -> None:
    guess = detect_language(TARGETS[lang])
    assert guess == LanguageGuess(lang, guess.confidence, "text")
    assert guess.confidence > 0.9


@pytest.mark.parametrize("variant", sorted(PERSIAN_VARIANTS))
def test_persian_variants_are_persian(variant: str) -> None:
    assert detect_language(PERSIAN_VARIANTS[variant]).lang == "fa"


@pytest.mark.parametrize("lang", sorted(CONFUSERS))
def test_confusers_are_other(lang: str) -> None:
    guess = detect_language(CONFUSERS[lang])
    assert guess.lang == "other"
    assert guess.confidence > 0.5


@pytest.mark.parametrize("declared", ["ru", "tr", "fa"])
@pytest.mark.parametrize("lang", sorted(CONFUSERS))
def test_declared_target_does_not_rescue_a_confuser(lang: str, declared: str) -> None:
    assert detect_language(CONFUSERS[lang], declared).lang == "other"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("fa-IR", "fa"), ("fa_AF", "fa"), ("prs", "fa"),
        ("per", "fa"), ("Farsi", "fa"), ("ru_RU", "ru"), ("rus", "ru"), ("tr", "tr"), ("tr-TR", "tr"),
        ("uk-UA", "uk"), ("zh-Hans-CN", "zh"), ("", None), (None, None), ("  ", None), ("x", None),
        ("garbage!!", None), ("12", None),
    ],
)  # fmt: skip
def test_normalise_declared(declared: str | None, expected: str | None) -> None:
    assert normalise_declared(declared) == expected


def test_declared_agreeing_with_the_text_is_reported() -> None:
    guess = detect_language(TARGETS["ru"], "ru-RU")
    assert (guess.lang, guess.method) == ("ru", "declared+text")
    assert detect_language(PERSIAN_VARIANTS["dari"], "prs").method == "declared+text"


@pytest.mark.parametrize("declared", ["ru", "fa-IR", "tr", "zz", "uk"])
def test_text_wins_over_a_lying_declaration(declared: str) -> None:
    guess = detect_language(TARGETS["en"], declared)
    assert (guess.lang, guess.method) == ("en", "text")
    assert detect_language(TARGETS["ru"], "uk").lang == "ru"
    assert detect_language(TARGETS["fa"], "ar").lang == "fa"


@pytest.mark.parametrize(
    ("text", "declared"),
    [("продавец чутко", "ru"), ("canını bütün", "tr"), ("اعلام پاکستان", "fa")],
)
def test_declared_language_decides_close_calls_on_short_text(text: str, declared: str) -> None:
    assert detect_language(text).lang == "other"
    guess = detect_language(text, declared)
    assert (guess.lang, guess.method) == (declared, "declared+text")


@pytest.mark.parametrize(
    "text", ["", "   \n\t", "12345 67,89", "2024-05-03 15:47", "!!! ??? ...", "۱۴۰۳/۰۲/۱۴", "я"]
)
def test_no_text_evidence_is_other_with_zero_confidence(text: str) -> None:
    assert detect_language(text) == LanguageGuess("other", 0.0, "empty")
    assert detect_language(text, "garbage") == LanguageGuess("other", 0.0, "empty")


@pytest.mark.parametrize("declared", ["fa-IR", "ru", "en-US", "tr"])
def test_no_text_evidence_falls_back_to_a_declared_target(declared: str) -> None:
    guess = detect_language("12345", declared)
    assert guess.lang == normalise_declared(declared)
    assert guess.method == "declared"
    assert 0 < guess.confidence <= 0.5


@pytest.mark.parametrize("declared", ["de", "ar", "garbage"])
def test_no_text_evidence_with_a_non_target_declaration_is_other(declared: str) -> None:
    assert detect_language("", declared).lang == "other"


def test_mixed_page_gets_its_majority_language() -> None:
    english = " ".join([TARGETS["en"]] * 3)
    assert detect_language(f"{english} He quoted the minister: «{TARGETS['ru']}»").lang == "en"
    russian = " ".join([TARGETS["ru"]] * 3)
    assert detect_language(f"{russian} Он процитировал: “{TARGETS['en']}”").lang == "ru"


def test_a_quotation_longer_than_its_frame_is_the_speakers_not_the_texts() -> None:
    # a Russian report quoting a post in English: the quote has more words than the Russian around it
    text = ("Представитель талибов прокомментировал в соцсети решение суда: «We welcome the removal of the movement "
            "from the list of banned organizations, a step towards trust between our two countries». "
            "Накануне суд удовлетворил иск о приостановке запрета.")
    assert detect_language(text).lang == "ru"
    text = ('Sözcü, kararı sosyal medyadan şöyle değerlendirdi: "Мы приветствуем решение суда, это шаг к '
            'взаимному доверию между нашими странами и народами". Mahkeme kararı dün açıklanmıştı.')
    assert detect_language(text).lang == "tr"


def test_a_stray_foreign_name_does_not_reject_a_long_text() -> None:
    text = " ".join([TARGETS["ru"], "Делегация также посетит Київ."] + [TARGETS["ru"]] * 4)
    assert detect_language(text).lang == "ru"
    text = " ".join([TARGETS["en"], "He later met İlham Əliyev in Baku."] + [TARGETS["en"]] * 4)
    assert detect_language(text).lang == "en"


def test_only_the_start_of_a_long_text_is_read() -> None:
    text = " ".join([TARGETS["tr"]] * 10) + " 中文" * 100_000
    assert detect_language(text).lang == "tr"


def test_deterministic_within_a_process() -> None:
    for text in [*TARGETS.values(), *CONFUSERS.values(), "продавец чутко"]:
        assert detect_language(text) == detect_language(text)


def test_deterministic_across_processes() -> None:
    # Texts of 120+ characters, so that the child process only loads lingua's small trigram models.
    texts = [f"{text} {text}" for text in [*TARGETS.values(), *CONFUSERS.values()]]
    here = [dataclasses.astuple(detect_language(text)) for text in texts]
    code = (
        "import json, sys; from newsmon.language import detect_language as d; import dataclasses as dc; "
        "print(json.dumps([dc.astuple(d(t)) for t in json.load(sys.stdin)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert [tuple(row) for row in json.loads(done.stdout)] == here


def test_guess_is_frozen() -> None:
    guess = detect_language(TARGETS["en"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        guess.lang = "ru"  # type: ignore[misc]
