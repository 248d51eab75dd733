"""Rewrite the ``expected`` part of golden files from the current extractors.

Usage: uv run python scripts/regenerate_golden.py [SOURCE ...]
Review the diff (git diff tests/fixtures/golden) before committing: a golden file is a claim about the page.
"""

from __future__ import annotations

import json
import sys

from newsmon.devstack.golden import golden_files, run_golden
from newsmon.settings import PROJECT_ROOT
from newsmon.sources import load_sources


def main(names: list[str]) -> int:
    registry = load_sources(PROJECT_ROOT / "config" / "sources.yaml")
    for source in registry:
        if names and source.name not in names:
            continue
        for golden in golden_files(source.name):
            expected, actual = run_golden(golden, source.extractor)
            if expected != actual:
                spec = json.loads(golden.read_text(encoding="utf-8"))
                spec["expected"] = actual
                golden.write_text(json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
                print(f"updated {golden.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
