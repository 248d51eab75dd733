"""The array-based pipeline components give exactly the annotations of the per-token ones they replace, but for
two rules of their own (an ellipsis after a list word ends no sentence; a lower-case word starts none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import Sentencizer

from newsmon.matching import components  # noqa: F401 - registers the factories
from newsmon.matching.normalize import Normalizer
from newsmon.matching.tokenizer import WordTokenizer

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
TEXTS = [
    "",
    "   ",
    "Kabulov spoke. The Taliban... answered!  Then: «nothing»? Yes.\n\nNew paragraph",
    "Талибан ответил?! Нет… Москва — да. «Формат» (московский).",
    "Taliban'ın heyeti Moskova'da. Görüşme sürdü!.. Sonra?",
    "طالبان‌ها گفتند؟ بله. نشست مسکو ، دیروز؛ برگزار شد.",
    "U.S. officials met on 2.5.2024; the U.N. said 1,000 people...",
]


def _texts() -> list[str]:
    articles = [json.loads(path.read_text(encoding="utf-8"))["expected"]["text"] for path in sorted(GOLDEN.glob("*/*.json"))]
    assert len(articles) == 19  # every golden page's article text: long texts in all four languages
    return TEXTS + articles


@pytest.mark.parametrize("lang", ["en", "tr", "ru", "fa"])
def test_sentence_starts_agree_with_spacys_sentencizer_where_a_line_break_also_ends_one(lang: str) -> None:
    ours, theirs = spacy.blank(lang), spacy.blank(lang)
    for nlp in (ours, theirs):
        nlp.tokenizer = WordTokenizer(nlp.vocab)
    ours.add_pipe("sentence_starts")
    # spaCy's rule, with every whitespace token that holds a line break among its sentence-final characters
    breaks = {t.text for text in _texts() for t in theirs.make_doc(text) if t.is_space and "\n" in t.text}
    assert breaks  # the texts have headlines and paragraphs
    theirs.add_pipe("sentencizer", config={"punct_chars": [*Sentencizer.default_punct_chars, *breaks]})
    lower_case_starts = 0
    for text in _texts():
        expected, got = theirs(text), ours(text)
        # ... but for a lower-case word after a full stop or a question mark, which starts no sentence ("872 тыс.
        # тонн"), unless a line break stands before it
        starts = [bool(t.is_sent_start) and not (t.text[:1].islower() and t.i and not _after_line_break(expected, t.i))
                  for t in expected]
        assert [t.is_sent_start for t in got] == starts
        lower_case_starts += sum(a != bool(t.is_sent_start) for a, t in zip(starts, expected))
    assert lower_case_starts >= 1  # "The Taliban... answered!"


def _after_line_break(doc, index: int) -> bool:
    while index > 0 and (doc[index - 1].is_punct or doc[index - 1].is_space):
        if "\n" in doc[index - 1].text:
            return True
        index -= 1
    return False


def test_a_lower_case_word_starts_no_sentence() -> None:
    nlp = spacy.blank("ru")
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    nlp.add_pipe("sentence_starts")
    text = "Экспорт вырос до 872 тыс. тонн, в Афганистан. «Кто виноват?» — спросил он.\nсписок"
    # (spaCy's rule: an opening quote stays with the sentence before)
    assert [s.text for s in nlp(text).sents] == ["Экспорт вырос до 872 тыс. тонн, в Афганистан. «",
                                                 "Кто виноват?» — спросил он.\n", "список"]


def test_a_stop_with_a_number_glued_to_it_ends_no_sentence() -> None:
    # the UN list's references of listed Taliban leaders ("(TAi.026)") are codes, no sentence ends; a stop and a
    # space before a number still end one
    nlp = spacy.blank("en")
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    nlp.add_pipe("sentence_starts")
    text = "The exempted leaders include Amir Khan Motaqi (TAi.026) and Abdul Kabir (TAi.003). 2021 was the year."
    assert [s.text for s in nlp(text).sents] == [
        "The exempted leaders include Amir Khan Motaqi (TAi.026) and Abdul Kabir (TAi.003).", "2021 was the year."]


@pytest.mark.parametrize(("lang", "text", "sentences"), [
    ("fa", "در طالبان مساله پشتون، تاجیک، ازبک و ... اصلاً مطرح نیست. حنفی اینجاست.", 2),
    ("en", "Russia, China, Iran and … others signed. The Taliban did not.", 2),
    ("ru", "Он помолчал... Потом сказал.", 2),
])
def test_an_ellipsis_after_a_list_word_ends_no_sentence(lang: str, text: str, sentences: int) -> None:
    # (where spaCy's sentencizer would end one: "and so on" inside a list, not an end; a pause after a verb is one)
    nlp = spacy.blank(lang)
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    nlp.add_pipe("sentence_starts")
    assert len(list(nlp(text).sents)) == sentences


@pytest.mark.parametrize("lang", ["en", "tr", "ru", "fa"])
def test_normalizer_sets_each_tokens_key_and_leaves_whitespace_alone(lang: str) -> None:
    nlp = spacy.blank(lang)
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    component = nlp.add_pipe("watchlist_normalizer")
    plain = spacy.blank(lang)
    plain.tokenizer = WordTokenizer(plain.vocab)
    for text in _texts():
        doc = nlp(text)
        for token, default in zip(doc, plain(text), strict=True):
            key = "" if token.is_space else component.normalizer.key(token.text)
            assert token.norm_ == (key or default.norm_)  # an empty key (a lone "'") keeps the default, as in spaCy


def test_a_new_normalizer_forgets_the_keys_of_the_old_one() -> None:
    nlp = spacy.blank("ru")
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    component = nlp.add_pipe("watchlist_normalizer")
    assert nlp("Талибана")[0].norm_ == component.normalizer.key("Талибана")

    class Marked(Normalizer):
        def _key(self, token: str) -> str:
            return "marked-" + token

    component.normalizer = Marked("ru")
    assert nlp("Талибана")[0].norm_ == "marked-Талибана"


@pytest.mark.parametrize(("text", "words"), [
    ("made #TalibanOurGuardians trend", ["made", "#", "Taliban", "Our", "Guardians", "trend"]),
    ("#РоссияТалибан и #USA", ["#", "Россия", "Талибан", "и", "#", "USA"]),
    ("#AfganistanİslamEmirliği", ["#", "Afganistan", "İslam", "Emirliği"]),
    # (a capitalised word outside a hashtag stays whole, as do capitals in a row and a hashtag after a space)
    ("McDonald # KabulNow", ["McDonald", "#", "KabulNow"]),
])
def test_a_hashtags_run_together_words_are_read_apart(text: str, words: list[str]) -> None:
    doc = WordTokenizer(spacy.blank("en").vocab)(text)
    assert [t.text for t in doc] == words
    assert doc.text == text
