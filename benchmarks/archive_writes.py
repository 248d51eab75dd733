"""What going through Airflow's ObjectStoragePath costs the local archive: 500 page records written and read back.

- **write, RunArchive (local)**: what the crawler does on a local filesystem: ObjectStoragePath names the file
  and makes its folder, each record then goes to the file descriptor with one ``write`` and an ``fsync``.
- **write, ObjectStoragePath handle**: the same records through ``ObjectStoragePath.open("ab")`` kept open for
  the run, each ``write`` + ``flush`` + ``fsync`` (the alternative, for the ratio).
- **write, plain os.open**: the archive before ObjectStoragePath (the baseline).
Every write builds the WARC records (gzip) inside the timing, as a crawl does.
- **read_page**: each record read back by (file, offset), through ObjectStoragePath (what ``read_page`` does)
  and with a plain ``open`` + the same WARC parsing.

Prints one table; nothing is written to BENCHMARKS.md.
Usage: uv run python benchmarks/archive_writes.py [--records 500] [--rounds 3] [--dir /var/tmp]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from newsmon.crawl import archive as archive_module
from newsmon.crawl.archive import RunArchive, _pages, _warc_records, archive_root, read_page
from newsmon.models import FetchedPage

_WORDS = "Moscow Format recognition Kabulov Taliban Kabul delegation talks envoy ministry statement".split()


def _page(n: int) -> FetchedPage:
    """An article page of ~35 KB (the replay site's average), words in a random order: ~10 KB gzipped."""
    rng = random.Random(n)
    body = (f"<html><body><h1>Article {n}</h1>" + "".join(
        f"<p>{' '.join(rng.choice(_WORDS) for _ in range(60))}</p>" for _ in range(55)) + "</body></html>").encode()
    return FetchedPage(source="bench", url=f"https://example.org/{n}", canonical_url=f"https://example.org/{n}",
                       status=200, content_type="text/html; charset=utf-8", body=body,
                       fetched_at=datetime.now(UTC), headers={"content-type": "text/html; charset=utf-8"})


def _records(pages: list[FetchedPage]):
    """Each page's WARC records, built as RunArchive builds them (inside the timings, as in a crawl)."""
    return (_warc_records(p.url, p.status, p.headers, p.body, p.fetched_at,
                          {"kind": "newsmon/page", "source": p.source, "canonical_url": p.canonical_url,
                           "content_type": p.content_type, "redirects": [], "hints": {},
                           "fetched_at": p.fetched_at.isoformat()}) for p in pages)


def write_run_archive(folder: Path, pages: list[FetchedPage]) -> list[tuple[Path, int]]:
    with RunArchive(folder, "bench") as archive:
        return [archive.write_page(page) for page in pages]


def write_storage_handle(folder: Path, pages: list[FetchedPage]) -> None:
    path = archive_root(folder) / "bench" / "run-000.warc.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        for data in _records(pages):
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def write_plain(folder: Path, pages: list[FetchedPage]) -> None:
    (folder / "bench").mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "bench" / "run-000.warc.gz", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for data in _records(pages):
            os.write(fd, data)
            os.fsync(fd)
    finally:
        os.close(fd)


def read_plain(path: Path, offset: int) -> FetchedPage:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return next(_pages(handle, path, offset, first_only=True))[1]


def _time(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", default="/var/tmp", help="a folder on the disk to measure")
    args = parser.parse_args()
    pages = [_page(n) for n in range(args.records)]
    size = sum(map(len, _records(pages)))
    archive_root(args.dir)  # import Airflow once, outside the timings
    times: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
            root = Path(scratch)
            refs: list[tuple[Path, int]] = []
            times.setdefault("write, plain os.open (before)", []).append(_time(lambda: write_plain(root / "a", pages)))
            times.setdefault("write, RunArchive (local)", []).append(
                _time(lambda: refs.extend(write_run_archive(root / "b", pages))))
            times.setdefault("write, ObjectStoragePath handle", []).append(
                _time(lambda: write_storage_handle(root / "c", pages)))
            times.setdefault("read_page, plain open", []).append(
                _time(lambda: [read_plain(path, offset) for path, offset in refs]))
            times.setdefault("read_page, through ObjectStoragePath", []).append(
                _time(lambda: [read_page(path, offset) for path, offset in refs]))
    print(f"{args.records} records, {size / args.records / 1024:.1f} KB each (gzip), {args.rounds} rounds, "
          f"in {args.dir} ({archive_module.__name__})")
    baseline = {"write": statistics.median(times["write, plain os.open (before)"]),
                "read_page": statistics.median(times["read_page, plain open"])}
    print(f"| {'what':40} | median s | ms/record | × baseline |\n|{'-' * 42}|----------|-----------|------------|")
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / baseline[name.split(",")[0]]
        print(f"| {name:40} | {median:8.3f} | {1000 * median / args.records:9.3f} | {ratio:10.2f} |")


if __name__ == "__main__":
    main()
