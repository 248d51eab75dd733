"""What an article says that other reports of the same event say too, in any language.

- :func:`minhash` — a MinHash signature of the article's word 3-shingles (64 permutations), and
  :func:`lsh_bands` — its 16 bands of 4 rows as keys, so that an index lookup finds the articles likely to share
  most shingles (near-duplicates: a syndicated copy, a re-post); :func:`estimated_jaccard` compares two
  signatures. Same-language only: shingles are words.
- :func:`event_features` — the language-independent signals of an event: the watchlist's theme and actor ids
  (the same in all four languages), weighted by how often and how early the article names them, and the
  numbers it quotes (digits are digits in every script once Persian and Arabic-Indic digits are folded).

Everything here is a pure function of an indexed article document (``text``, ``mentions``): the assignment of
events (:mod:`newsmon.events.assign`) and its tests use them without Elasticsearch.
"""

from __future__ import annotations

import math
import re
import zlib

import numpy as np

__all__ = ["BANDS", "PERMUTATIONS", "estimated_jaccard", "event_features", "lsh_bands", "minhash", "numbers", "shingles",
           "signature_from_hex", "signature_to_hex"]

#: MinHash permutations, and the LSH layout: 16 bands of 4 rows finds pairs above a Jaccard of about 0.5 with
#: high probability ((1/16) ** (1/4)), the near-duplicate threshold (0.8) far above it.
PERMUTATIONS = 64
BANDS = 16
_ROWS = PERMUTATIONS // BANDS
_SHINGLE = 3
_rng = np.random.default_rng(20261205)  # fixed: signatures must be comparable across processes and releases
#: One seed per permutation; a shingle's hash under permutation i is splitmix64(hash ^ seed_i), a strong 64-bit
#: mixer (a linear a*h+b with small multipliers would keep the hashes' order and make the rows correlated).
_SEEDS = _rng.integers(0, np.iinfo(np.uint64).max, PERMUTATIONS, dtype=np.uint64, endpoint=True)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _splitmix(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * _MIX1
        values = (values ^ (values >> np.uint64(27))) * _MIX2
    return values ^ (values >> np.uint64(31))


_WORD = re.compile(r"[^\W_]+")
_DIGITS = str.maketrans({**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)},
                         "\u066b": ".", "\u066c": ","})
#: A number, with thousands separators or a decimal part, possibly glued to a unit ("3.5bn", "500MW").
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.\u00a0]\d{3})+(?:[.,]\d+)?(?!\d)|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)")
#: Numbers below this are ordinals, days and counts too common to tell events apart; years are dates, not facts.
_MIN_NUMBER = 10
_YEARS = range(1900, 2101)
#: How much earlier mentions weigh: a name in the first ``_LEAD_CHARS`` characters counts this many times more.
_LEAD_CHARS = 500
_LEAD_BONUS = 2.0
_NUMBER_WEIGHT = 0.5


def shingles(text: str, size: int = _SHINGLE) -> list[str]:
    """The word ``size``-grams of ``text`` (case-folded), or the text's words if it has fewer."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i: i + size]) for i in range(len(words) - size + 1)]


def minhash(text: str) -> np.ndarray | None:
    """The MinHash signature (``PERMUTATIONS`` unsigned ints) of ``text``'s shingles; ``None`` for an empty text."""
    grams = set(shingles(text))
    if not grams:
        return None
    hashes = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    mixed = _splitmix(hashes[None, :] ^ _SEEDS[:, None])
    return mixed.min(axis=1)


def lsh_bands(signature: np.ndarray) -> list[str]:
    """The band keys of a signature: ``"<band>:<hash of its rows>"``; two signatures sharing one are candidates."""
    keys = []
    for band in range(BANDS):
        rows = signature[band * _ROWS:(band + 1) * _ROWS].tobytes()
        keys.append(f"{band}:{zlib.crc32(rows):08x}")
    return keys


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal rows: an unbiased estimate of the two shingle sets' Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / len(a)


def signature_to_hex(signature: np.ndarray) -> str:
    return signature.astype(">u8").tobytes().hex()


def signature_from_hex(value: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(value), dtype=">u8").astype(np.uint64)


def numbers(text: str) -> set[str]:
    """The numbers ``text`` quotes (10 and above, not years), normalised: Persian digits folded, thousands
    separators dropped, a decimal comma read as a point (``7,5`` = ``7.5``)."""
    found = set()
    for raw in _NUMBER.findall(text.translate(_DIGITS)):
        value = re.sub(r"[ \u00a0]", "", raw)
        if re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", value):
            value = re.sub(r"[,.]", "", value)
        value = value.replace(",", ".")
        try:
            number = float(value)
        except ValueError:
            continue
        if number < _MIN_NUMBER or (number.is_integer() and int(number) in _YEARS):
            continue
        found.add(f"{number:g}")
    return found


def event_features(article: dict) -> dict[str, float]:
    """Feature → weight for an indexed article: ``t:<theme>``, ``a:<actor>`` (1 + log of its mentions, the
    mentions in the opening ``_LEAD_CHARS`` characters counted ``_LEAD_BONUS`` times) and ``n:<number>``."""
    counts: dict[str, float] = {}
    for mention in article.get("mentions") or []:
        prefix = "t:" if mention.get("kind") == "theme" else "a:"
        weight = _LEAD_BONUS if (mention.get("start") or 0) < _LEAD_CHARS else 1.0
        key = prefix + mention["id"]
        counts[key] = counts.get(key, 0.0) + weight
    features = {key: 1.0 + math.log(count) for key, count in counts.items()}
    for number in numbers(article.get("text") or ""):
        features[f"n:{number}"] = _NUMBER_WEIGHT
    return features
