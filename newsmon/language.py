"""Language identification: is an article English, Turkish, Russian, Persian (Farsi/Dari) or something else?

:func:`detect_language` decides with the cheapest evidence first (numbers: ``benchmarks/language.py``):

1. **Sample.** Only the first :data:`SAMPLE_CHARS` characters are read, NFKC-normalised (which also folds Arabic
   presentation forms), so the cost stays flat for long articles.
2. **Script.** Words are counted per script (Latin, Cyrillic, Arabic); the script with most words fixes the
   candidates, so a mixed page gets its majority language. Quotations («...», “...”, "...") are the quoted
   speaker's, not the text's: when the text outside them holds :data:`FRAME_LETTERS` letters or more, only that
   is read (a Russian report quoting a post in English is Russian). Mostly another script (CJK, Greek, ...) → ``other``
   (method ``script``). Fewer than :data:`MIN_LETTERS` letters (empty, numeric) → the declared language if it is
   a target, else ``other``, with low confidence (method ``declared`` / ``empty``).
3. **Foreign letters.** Letters the targets' alphabets never use, at a sizeable rate (the script's ``foreign_rate``) →
   ``other`` (method ``letters``): Azerbaijani ə and other Latin Extended letters (Polish, Czech, Vietnamese);
   any Cyrillic letter outside Russian's 33 (Ukrainian і ї є ґ, Kazakh/Kyrgyz/Tajik ә ғ қ ң ө ұ ү һ ҳ ҷ, Serbian
   ј љ њ); any Arabic-script letter outside Persian's (Urdu ے ں ہ ٹ, Pashto ټ ډ ړ ښ ږ ځ څ ې ۍ, Kurdish ڕ ڵ ۆ).
   This also rejects languages lingua does not know (Pashto, Tajik, Kyrgyz, Kurdish, Uzbek).
4. **Excluded alphabets.** Letters a close confuser lacks rule it out (Russian ы э ё: not Ukrainian/Bulgarian;
   я ю й щ ь: not Serbian/Macedonian; Persian پ چ ژ گ: not Arabic).
5. **lingua**, restricted to the script's targets, close confusers and (Latin) common neighbours, built lazily
   once per process, gives probabilities on the script's words. Text typed as Persian (پ چ ژ گ ی ک, ZWNJ, or
   the words را است مي) is first folded from Arabic-keyboard letters (ي ى ك ھ → ی ک ه). Priors multiply the
   probabilities: targets × :data:`TARGET_PRIOR` (news streams are mostly targets), the declared language ×
   :data:`DECLARED_PRIOR`, so the page's ``lang`` settles close calls on short texts while clear text evidence
   wins (pages lie). A non-target winner → ``other``.

Cost: lingua reads only trigrams for texts of 120+ characters, so an article takes ~2 ms and the whole process
~60 MB; short snippets (titles, single words) load the full models of their script's languages (~28 MB each,
~500 MB for all three scripts). Deterministic: lingua has no randomness and nothing here depends on time.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsmon.languages import CONFUSER_ABSENT_LETTERS, LANGUAGES, OTHER, PROFILES, SCRIPTS

if TYPE_CHECKING:
    from lingua import LanguageDetector

__all__ = ["OTHER", "LanguageGuess", "detect_language", "normalise_declared"]

#: Characters of the text that are looked at.
SAMPLE_CHARS = 1000
#: Fewer letters than this is no text evidence at all.
MIN_LETTERS = 3
#: Confidence given to the declared language when the text says nothing.
DECLARED_ONLY_CONFIDENCE = 0.3
#: Prior weight of the monitored languages against their confusers.
TARGET_PRIOR = 2.0
#: Extra prior weight of the language the page declares.
DECLARED_PRIOR = 2.0
#: Share of a script's letters (at least one letter) missing from a confuser's alphabet that rules it out.
EXCLUDE_RATE = 0.005
#: A second script with at least this share of the letters, in a language none of ours writes, makes the text
#: that language's (a page in Urdu with an English frame), whatever the majority script says.
MIXED_SHARE = 1 / 3

#: Letters outside quotations that make the text's own language readable without them.
FRAME_LETTERS = 40

_LETTERS = re.compile(r"[^\W\d_]")
_QUOTATION = re.compile(r"«[^»]{1,400}»|“[^”]{1,400}”|„[^“”]{1,400}[“”]|\"[^\"\n]{1,400}\"")
_SCRIPT_WORD = {name: re.compile(script.letters + "+") for name, script in SCRIPTS.items()}
#: Per script: the letters its languages write (the union of their alphabets).
_NATIVE_LETTER = {name: re.compile("|".join(p.alphabet for p in PROFILES if p.script == name) or "(?!)")
                  for name in SCRIPTS}
#: The lingua candidates per script: its languages first, then their confusers.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    name: tuple(dict.fromkeys([*(p.code for p in PROFILES if p.script == name),
                               *(c for p in PROFILES if p.script == name for c in p.confusers)]))
    for name in SCRIPTS}
#: Languages whose typing marks (letters, ZWNJ, marker words) say a text of a shared script is theirs, with the
#: keyboard folds applied before lingua reads it.
_TYPED = [(p.script, re.compile(f"[{p.typing_marks}]") if p.typing_marks else None, p.marker_words,
           str.maketrans(p.keyboard_folds)) for p in PROFILES if p.typing_marks or p.marker_words]
_DECLARED_ALIASES = {alias: p.code for p in PROFILES for alias in p.declared_aliases} | {
    "aze": "az", "ukr": "uk", "bul": "bg", "kaz": "kk", "bel": "be", "ara": "ar", "urd": "ur",
    "pus": "ps", "pbt": "ps", "tgk": "tg", "kir": "ky",
}  # the confusers' codes too, so a page declaring them is not read as one of ours

_detector: LanguageDetector | None = None
_detector_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language of a text: ``lang`` is a target code or ``other``.

    ``method`` says what decided it: ``text`` (lingua), ``declared+text`` (lingua, agreeing with the declared
    language), ``letters`` (foreign letters), ``script`` (another script), ``declared`` (no text evidence, the
    declared target) or ``empty`` (no text evidence, nothing usable declared).
    """

    lang: str
    confidence: float
    method: str


def normalise_declared(declared: str | None) -> str | None:
    """Map a page's declared language ("en-US", "ru_RU", "prs", "Farsi") to an ISO 639-1 code, or None."""
    if not declared:
        return None
    primary = re.split(r"[-_\s.,;]", declared.strip().lower(), maxsplit=1)[0]
    primary = _DECLARED_ALIASES.get(primary, primary)
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def detect_language(text: str, declared: str | None = None) -> LanguageGuess:
    """Guess the language of ``text``, using the page's ``declared`` language as a prior (see module doc)."""
    prior = normalise_declared(declared)
    sample = unicodedata.normalize("NFKC", text[:SAMPLE_CHARS])
    frame = _QUOTATION.sub(" ", sample)
    if frame != sample and len(_LETTERS.findall(frame)) >= FRAME_LETTERS:
        sample = frame
    words = {script: pattern.findall(sample) for script, pattern in _SCRIPT_WORD.items()}
    script = max(words, key=lambda name: len(words[name]))
    letters = sum(map(len, words[script]))
    known = sum(sum(map(len, found)) for found in words.values())
    if len(_LETTERS.findall(sample)) - known > known:
        return LanguageGuess(OTHER, 0.9, "script")
    if letters < MIN_LETTERS:
        if prior in LANGUAGES:
            return LanguageGuess(prior, DECLARED_ONLY_CONFIDENCE, "declared")
        return LanguageGuess(OTHER, 0.0, "empty")
    script_text = " ".join(words[script])
    foreign = _foreign_letters(words[script], script)
    if foreign >= max(1.0, SCRIPTS[script].foreign_rate * letters):
        return LanguageGuess(OTHER, round(min(1.0, 0.5 + 10 * foreign / letters), 3), "letters")
    for other, found in words.items():  # a page in another language under a frame in ours ("Read more ... in Urdu")
        other_letters = sum(map(len, found))
        if other != script and other_letters >= MIXED_SHARE * known and \
                _foreign_letters(found, other) >= max(1.0, SCRIPTS[other].foreign_rate * other_letters):
            return LanguageGuess(OTHER, 0.6, "letters")
    lowered = script_text.lower()
    floor = max(1.0, EXCLUDE_RATE * letters)
    candidates = [
        code
        for code in _CANDIDATES[script]
        if sum(lowered.count(ch) for ch in CONFUSER_ABSENT_LETTERS.get(code, "")) < floor
    ]
    for typed_script, marks, marker_words, folds in _TYPED:
        if typed_script == script and ((marks and marks.search(sample)) or marker_words.intersection(words[script])):
            script_text = script_text.translate(folds)
    scores = _score(script_text, candidates, prior)
    if not scores:
        return LanguageGuess(OTHER, 0.0, "text")
    best = max(scores, key=scores.__getitem__)
    if best in LANGUAGES:
        return LanguageGuess(best, round(scores[best], 3), "declared+text" if best == prior else "text")
    return LanguageGuess(OTHER, round(1.0 - max(scores.get(code, 0.0) for code in LANGUAGES), 3), "text")


def _foreign_letters(words: list[str], script: str) -> int:
    """Letters of ``words`` (of ``script``) that none of that script's languages writes."""
    text = " ".join(words)
    return sum(map(len, words)) - len(_NATIVE_LETTER[script].findall(text))


def _score(words: str, candidates: list[str], prior: str | None) -> dict[str, float]:
    """lingua's probabilities over ``candidates`` times the priors, renormalised; empty if lingua abstains."""
    weighted: dict[str, float] = {}
    for value in _get_detector().compute_language_confidence_values(words):
        code = value.language.iso_code_639_1.name.lower()
        if code in candidates:
            weight = (TARGET_PRIOR if code in LANGUAGES else 1.0) * (DECLARED_PRIOR if code == prior else 1.0)
            weighted[code] = value.value * weight
    total = sum(weighted.values())
    return {code: value / total for code, value in weighted.items()} if total > 0 else {}


def _get_detector() -> LanguageDetector:
    """Build lingua's detector once per process, for the candidate languages only (models load lazily)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            codes = sorted({code for codes in _CANDIDATES.values() for code in codes})
            languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
            _detector = LanguageDetectorBuilder.from_languages(*languages).build()
        return _detector
