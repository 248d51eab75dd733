"""Benchmark language identification on lingua's test sets: newsmon's ``detect_language`` against baselines.

For each kind of sample (lingua-testdata's sentences, word-pairs, single-words; and ``articles``, the 181 real
pages of fundus-pages in 25 languages, labelled by their ``lang``) and each method, it reports the accuracy per
target language (en tr ru fa), the share of confuser samples (every other ``<code>.txt`` in the data, e.g. az kk
uk bg ar ur; for articles every non-target page) labelled as *any* target, and the mean time per sample (after
a short untimed warm-up, so lazy model loading is not counted).

Methods: ``newsmon`` (:func:`newsmon.language.detect_language`), ``langdetect`` (1.0.9, seed 0),
``lingua-all`` (lingua, all 75 languages) and ``lingua-subset`` (lingua over newsmon's candidate languages,
plain argmax: what the rules and priors add).

Data: lingua-testdata/ and fundus-pages/ in ``$NEWSMON_BENCHMARK_DATA`` (default ``../shared/benchmarks``, see
its README.md). No goal is set for these figures. ``--append PATH`` writes (replaces) the section ``language``
of PATH.

    uv run python benchmarks/language.py                       # sentences, all methods
    uv run python benchmarks/language.py --kinds all --limit 300 --append BENCHMARKS.md
    uv run python benchmarks/language.py --methods newsmon --declared lie   # the page declares a close confuser
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, figures_table, memory_gib, require_data, write_section

from newsmon.language import OTHER, SAMPLE_CHARS, detect_language
from newsmon.languages import LANGUAGES

KINDS = ("sentences", "word-pairs", "single-words", "articles")
METHODS = ("newsmon", "langdetect", "lingua-all", "lingua-subset")
#: The public data sets (folders in $NEWSMON_BENCHMARK_DATA).
TESTDATA, ARTICLES = "lingua-testdata", "fundus-pages"
#: ``--declared lie``: each sample claims the closest *other* language, as a mislabelled page would.
LIES = {"en": "tr", "tr": "az", "ru": "uk", "fa": "ar", "az": "tr", "kk": "ru", "uk": "ru", "bg": "ru",
        "ar": "fa", "ur": "fa", "ps": "fa", "tg": "ru", "ky": "ru"}  # fmt: skip
WARMUP = 5

Classifier = Callable[[str, str | None], str]


def _newsmon() -> Classifier:
    return lambda text, declared: detect_language(text, declared).lang


def _langdetect() -> Classifier:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def classify(text: str, declared: str | None) -> str:
        try:
            code = detect(text)
        except LangDetectException:
            return OTHER
        return code if code in LANGUAGES else OTHER

    return classify


def _lingua(languages: list[str] | None) -> Classifier:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if languages is None:
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        isos = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in languages]
        builder = LanguageDetectorBuilder.from_languages(*isos)
    detector = builder.build()

    def classify(text: str, declared: str | None) -> str:
        found = detector.detect_language_of(text)
        code = found.iso_code_639_1.name.lower() if found else OTHER
        return code if code in LANGUAGES else OTHER

    return classify


def build_method(name: str) -> Classifier:
    """Return the classifier called ``name`` (see module doc)."""
    if name == "newsmon":
        return _newsmon()
    if name == "langdetect":
        return _langdetect()
    if name == "lingua-all":
        return _lingua(None)
    if name == "lingua-subset":
        from newsmon.language import _CANDIDATES

        return _lingua(sorted({c for codes in _CANDIDATES.values() for c in codes}))
    raise SystemExit(f"unknown method {name!r}: choose from {', '.join(METHODS)}")


def load_articles(path: Path, limit: int | None) -> dict[str, list[str]]:
    """Read the fundus-pages ground truth: declared ``lang`` → expected article bodies (real news pages)."""
    samples: dict[str, list[str]] = {}
    for page in json.loads(path.read_text(encoding="utf-8")).values():
        samples.setdefault(page["lang"], []).append(page["articleBody"])
    return {code: bodies[:limit] if limit else bodies for code, bodies in sorted(samples.items())}


def load_kind(data: Path, kind: str, limit: int | None) -> dict[str, list[str]]:
    """Read ``data/kind/<code>.txt`` files: code → samples (the first ``limit`` of each, blank lines dropped)."""
    folder = data / kind
    samples = {}
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        samples[path.stem] = lines[:limit] if limit else lines
    return samples


def evaluate(
    classify: Classifier, samples: dict[str, list[str]], declared_mode: str, show_errors: int
) -> dict:
    """Run one method over one kind; return per-code rates (accuracy or confuser→target) and µs/sample."""
    for code, lines in samples.items():  # warm-up: lazy model loading is not what we time
        for line in lines[:WARMUP]:
            classify(line, None)
    rates: dict[str, float] = {}
    elapsed, total = 0.0, 0
    for code, lines in samples.items():
        declared = {"none": None, "truth": code, "lie": LIES.get(code)}[declared_mode]
        start = time.perf_counter()
        labels = [classify(line, declared) for line in lines]
        elapsed += time.perf_counter() - start
        total += len(lines)
        if code in LANGUAGES:
            hits = [label == code for label in labels]
        else:
            hits = [label != OTHER for label in labels]
        rates[code] = 100.0 * sum(hits) / max(1, len(hits))
        wrong = [(line, label) for line, label, hit in zip(lines, labels, hits) if hit != (code in LANGUAGES)]
        for line, label in wrong[:show_errors]:
            print(f"  [{code}→{label}] {line[:110]}", file=sys.stderr)
    confusers = [code for code in rates if code not in LANGUAGES]
    rates["confusers"] = sum(rates[c] for c in confusers) / max(1, len(confusers))
    rates["us"] = 1e6 * elapsed / max(1, total)
    return rates


def render(kind: str, results: dict[str, dict], codes: list[str]) -> str:
    """A markdown table: accuracy % per target, % of confusers labelled as a target, µs per sample."""
    confusers = [c for c in codes if c not in LANGUAGES]
    shown = confusers if len(confusers) <= 10 else []  # real pages: too many languages for one column each
    head = ["method", *[f"{c} acc %" for c in LANGUAGES], "confusers→target %", *[f"{c}→t" for c in shown]]
    lines = [
        f"**{kind}**",
        "",
        "| " + " | ".join([*head, "µs/sample"]) + " |",
        "|" + "---|" * (len(head) + 1),
    ]
    for method, rates in results.items():
        cells = [f"{rates[c]:.1f}" if c in rates else "–" for c in [*LANGUAGES, "confusers", *shown]]
        lines.append(f"| {method} | " + " | ".join(cells) + f" | {rates['us']:.0f} |")
    return "\n".join(lines)


def environment() -> str:
    """Date, machine and package versions for the section."""
    gib = memory_gib()
    memory = f"{gib:.1f} GiB" if gib else "unknown"
    packages = ", ".join(f"{p} {version(p)}" for p in ("lingua-language-detector", "langdetect"))
    return (
        f"- date: {date.today().isoformat()}; cores: {os.cpu_count()}; memory: {memory}; "
        f"Python {platform.python_version()}\n- packages: {packages}\n"
        f"- command: `uv run python benchmarks/language.py {' '.join(sys.argv[1:])}`"
    )


def figures(kind: str, rates: dict) -> Figure:
    """newsmon's headline figure for one kind of sample (no goal is set)."""
    accuracies = "/".join(f"{rates[c]:.1f}" if c in rates else "–" for c in LANGUAGES)
    return Figure(f"language, {kind}: newsmon accuracy {'/'.join(LANGUAGES)} %; confusers labelled a target %",
                  f"{accuracies}; {rates['confusers']:.1f}")


def data_folders(args: argparse.Namespace, kinds: tuple[str, ...]) -> tuple[Path | None, Path | None]:
    """The lingua-testdata folder and the fundus-pages ground truth the kinds need (None: not needed), all
    checked before anything runs: a missing one exits with status 2 and one line on stderr."""
    needs, given = {}, {}
    if needed := tuple(kind for kind in kinds if kind != "articles"):
        needs[TESTDATA] = needed
        if args.data:
            given[TESTDATA] = (args.data, "--data")
    if "articles" in kinds:
        needs[ARTICLES] = (args.articles.name if args.articles else "ground-truth.json",)
        if args.articles:
            given[ARTICLES] = (args.articles.parent, "--articles")
    folders = require_data(needs, given)
    data = folders.get(TESTDATA)
    articles = folders[ARTICLES] / needs[ARTICLES][0] if ARTICLES in folders else None
    return data, articles


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the methods over the kinds, print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help=f"{TESTDATA} folder (default: the one in $NEWSMON_BENCHMARK_DATA)")
    parser.add_argument("--articles", type=Path, default=None,
                        help=f"{ARTICLES} ground truth (default: the one in $NEWSMON_BENCHMARK_DATA)")
    parser.add_argument(
        "--kinds", default="sentences", help=f"comma-separated from {', '.join(KINDS)}, or 'all'"
    )
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument("--limit", type=int, default=None, help="samples per language file")
    parser.add_argument(
        "--declared",
        choices=("none", "truth", "lie"),
        default="none",
        help="what newsmon is told the page declares",
    )
    parser.add_argument("--show-errors", type=int, default=0, help="print N errors per file to stderr")
    parser.add_argument("--append", type=Path, help="write (replace) the section 'language' of this markdown file")
    args = parser.parse_args(argv)
    kinds = KINDS if args.kinds == "all" else tuple(args.kinds.split(","))
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        parser.error(f"unknown kind(s) {', '.join(unknown)}: choose from {', '.join(KINDS)}")
    data, articles = data_folders(args, kinds)
    methods = {name: build_method(name) for name in args.methods.split(",")}
    tables, found = [], []
    for kind in kinds:
        if kind == "articles":
            samples = load_articles(articles, args.limit)
        else:
            samples = load_kind(data, kind, args.limit)
        results = {}
        for name, classify in methods.items():
            print(f"{kind}: {name} ...", file=sys.stderr)
            results[name] = evaluate(classify, samples, args.declared, args.show_errors)
        tables.append(render(kind, results, list(samples)))
        if "newsmon" in results:
            found.append(figures(kind, results["newsmon"]))
        print(tables[-1] + "\n")
    if args.append:
        limit = f"first {args.limit} per language" if args.limit else "all samples"
        sets = " / ".join(name for name, folder in ((TESTDATA, data), (ARTICLES, articles)) if folder)
        body = (
            f"{environment()}\n"
            f"- data: {sets}, {limit}; declared language given to newsmon: "
            f"{args.declared}; baselines read the whole text, newsmon its first {SAMPLE_CHARS} characters\n\n"
            + figures_table(found) + "\n\n"
            + "\n\n".join(tables)
        )
        write_section(args.append, "language", "Language identification", body)


if __name__ == "__main__":
    main()
