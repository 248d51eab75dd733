"""Write kibana/newsmon.ndjson (Kibana 8.12 saved objects) from the watchlist and the alert rules.

Usage: uv run python scripts/make_kibana_objects.py [--index-alias NAME] [--output PATH] [--check]
Rerun it after adding an actor, theme or alert rule: each gets its saved search, with a stable id
(newsmon-search-actor-<id>, newsmon-search-theme-<id>, newsmon-search-alert-<rule id>). With --check it writes
nothing and fails if the file is out of date or has problems.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from newsmon.alerts.rules import load_rules
from newsmon.index.mapping import article_mapping
from newsmon.kibana.objects import DEFAULT_INDEX_ALIAS, build_saved_objects, render_ndjson
from newsmon.kibana.saved_objects import validate_saved_objects
from newsmon.matching.watchlist import load_watchlist
from newsmon.settings import PROJECT_ROOT


def generate(watchlist_file: Path, rules_file: Path, index_alias: str) -> str:
    """The ndjson text for these data files and this index alias."""
    watchlist = load_watchlist(watchlist_file)
    rules = load_rules(rules_file, {a.id for a in watchlist.actors}, {t.id for t in watchlist.themes})
    return render_ndjson(build_saved_objects(watchlist, rules, index_alias=index_alias))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--watchlist", type=Path, default=PROJECT_ROOT / "config" / "watchlist.yaml")
    parser.add_argument("--rules", type=Path, default=PROJECT_ROOT / "config" / "alerts.yaml")
    parser.add_argument("--index-alias", default=DEFAULT_INDEX_ALIAS,
                        help="the alias the data view searches (setting index_alias; default %(default)s)")
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "kibana" / "newsmon.ndjson")
    parser.add_argument("--check", action="store_true", help="fail if --output differs from a fresh generation")
    args = parser.parse_args(argv)

    text = generate(args.watchlist, args.rules, args.index_alias)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "newsmon.ndjson"
        fresh.write_text(text, encoding="utf-8")
        problems = validate_saved_objects(fresh, article_mapping())
    if problems:
        print("the generated objects have problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run uv run python scripts/make_kibana_objects.py",
                  file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines())} saved objects to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
