"""The raw archive: every answer a crawl run receives, in WARC files, one set per run and source.

``<data_dir>/archive/<source>/<YYYY-MM-DD>/<run id>-<nnn>.warc.gz`` holds, in the order they arrived, every
HTTP answer of the run, each a ``response`` record followed by a ``metadata`` record saying what it was:

- ``newsmon/discovery``: the feeds, sitemaps and listing pages read, 304 answers included;
- ``newsmon/page``: the article pages fetched, with what the crawler knew (source, canonical URL, redirects,
  feed hints) — the records the queue points at and ``reprocess --from-archive`` reads;
- ``newsmon/answer``: everything else, with its ``role``: redirect hops, answers that were retried (5xx, 429),
  robots.txt, article URLs that answered an error or something that is not an article, and answers over the
  size limit (headers only). A request that got no answer (timeout, refused address) is in the crawl state.

Every record is its own gzip member, appended and synced before the crawler counts the page as fetched, so a
crash or a full disk leaves a readable file and loses no page. Tasks pass ``(path, offset)`` references,
never bodies; any stage can be re-run from the files without the network.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsmon.models import FetchedPage

__all__ = ["ArchiveWriteError", "RunArchive", "iter_pages", "read_page"]

log = logging.getLogger(__name__)

#: A run's WARC file is closed and the next one of its set started past this size.
MAX_FILE_BYTES = 1_000_000_000
_PAGE = "newsmon/page"
_DISCOVERY = "newsmon/discovery"
_ANSWER = "newsmon/answer"
_KNOWN_STATUSES = {status.value for status in HTTPStatus}


class ArchiveWriteError(OSError):
    """The archive could not be written (disk full, permissions): the page is not counted as fetched."""


class RunArchive:
    """The WARC file set of one crawl run of one source; ``with RunArchive(dir, source) as archive:``."""

    def __init__(self, archive_dir: Path, source: str, run_id: str | None = None,
                 max_file_bytes: int = MAX_FILE_BYTES):
        now = datetime.now(UTC)
        self.run_id = run_id or f"{now:%Y%m%dT%H%M%SZ}-{os.getpid()}-{secrets.token_hex(3)}"
        self.directory = archive_dir / source / f"{now:%Y-%m-%d}"
        self.source, self.max_file_bytes = source, max_file_bytes
        self.paths: list[Path] = []
        self._fd: int | None = None

    def __enter__(self) -> RunArchive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # -- writing ----------------------------------------------------------------------------------------
    def write_page(self, page: FetchedPage) -> tuple[Path, int]:
        """Append an article page (response + metadata records); returns where it starts."""
        metadata = {"kind": _PAGE, "source": page.source, "canonical_url": page.canonical_url,
                    "content_type": page.content_type, "redirects": page.redirects, "hints": page.hints,
                    "fetched_at": page.fetched_at.isoformat()}
        return self._append(page.url, page.status, page.headers, page.body, page.fetched_at, metadata)

    def write_discovery(self, url: str, status: int, headers: dict[str, str], body: bytes) -> tuple[Path, int]:
        """Append a feed, sitemap or listing answer as it came (a 304 has no body)."""
        fetched_at = datetime.now(UTC)
        metadata = {"kind": _DISCOVERY, "source": self.source, "fetched_at": fetched_at.isoformat()}
        return self._append(url, status, headers, body, fetched_at, metadata)

    def write_answer(self, url: str, status: int, headers: dict[str, str], body: bytes, role: str
                     ) -> tuple[Path, int]:
        """Append any other answer (a redirect hop, a retried or failed answer, robots.txt) with its role."""
        fetched_at = datetime.now(UTC)
        metadata = {"kind": _ANSWER, "role": role, "source": self.source, "fetched_at": fetched_at.isoformat()}
        return self._append(url, status, headers, body, fetched_at, metadata)

    def _append(self, url: str, status: int, headers: dict[str, str], body: bytes, fetched_at: datetime,
                metadata: dict) -> tuple[Path, int]:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        date = fetched_at.isoformat()
        reason = HTTPStatus(status).phrase if status in _KNOWN_STATUSES else "Answer"
        http_headers = StatusAndHeaders(f"{status} {reason}", list(headers.items()), protocol="HTTP/1.1")
        response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http_headers,
                                             warc_headers_dict={"WARC-Date": date})
        writer.write_record(response)
        writer.write_record(writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(json.dumps(metadata).encode("utf-8")),
            warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")}))
        data = buffer.getvalue()
        fd = self._file_for(len(data))
        offset = os.lseek(fd, 0, os.SEEK_END)
        try:
            view = memoryview(data)
            while view:  # unbuffered: nothing half-written lingers in a buffer after a failure
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError as exc:
            self._undo(fd, offset)
            raise ArchiveWriteError(
                exc.errno, f"cannot write the raw archive {self.paths[-1]}: {exc.strerror or exc}; free space "
                f"there or move NEWSMON_DATA_DIR — the page is not counted as fetched and the next run fetches it"
            ) from exc
        return self.paths[-1], offset

    def _file_for(self, size: int) -> int:
        if self._fd is not None and os.lseek(self._fd, 0, os.SEEK_END) + size > self.max_file_bytes:
            self.close()
        if self._fd is None:
            path = self.directory / f"{self.run_id}-{len(self.paths):03d}.warc.gz"
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            except OSError as exc:
                raise ArchiveWriteError(exc.errno, f"cannot create the raw archive {path}: {exc.strerror or exc}; "
                                        "check the space and permissions of NEWSMON_DATA_DIR") from exc
            self.paths.append(path)
        return self._fd

    def _undo(self, fd: int, offset: int) -> None:
        """Cut a half-written record off, so the file stays readable to its end."""
        try:
            os.ftruncate(fd, offset)
        except OSError:
            log.error("could not cut the half-written record off %s at %d; readers stop there",
                      self.paths[-1], offset)


# -- reading ------------------------------------------------------------------------------------------
def read_page(path: Path, offset: int = 0) -> FetchedPage:
    """The article page whose records start at ``offset`` in the WARC file ``path``."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        for _, page in _pages(handle, path, offset, first_only=True):
            return page
    raise ValueError(f"{path}@{offset}: no complete newsmon page record there")


def iter_pages(path: Path) -> Iterator[tuple[int, FetchedPage]]:
    """Every article page of one WARC file with its offset (feeds skipped); stops at a truncated tail."""
    with open(path, "rb") as handle:
        yield from _pages(handle, path, 0, first_only=False)


def _pages(handle, path: Path, start: int, first_only: bool) -> Iterator[tuple[int, FetchedPage]]:
    pending: dict | None = None
    try:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type == "response":
                body = record.content_stream().read()  # before asking the offset, which skips the record
                pending = {"offset": start + records.get_record_offset(), "body": body,
                           "url": record.rec_headers.get_header("WARC-Target-URI"),
                           "status": int(record.http_headers.get_statuscode()),
                           "headers": {k.lower(): v for k, v in record.http_headers.headers}}
            elif record.rec_type == "metadata" and pending is not None:
                metadata = json.loads(record.content_stream().read())
                if metadata.get("kind", _PAGE) == _PAGE:
                    yield pending["offset"], _page(pending, metadata)
                    if first_only:
                        return
                elif first_only:
                    raise ValueError(f"{path}@{pending['offset']}: a {metadata.get('kind')} record, not a page")
                pending = None
    except (ArchiveLoadFailed, EOFError, OSError) as exc:
        if first_only:
            raise ValueError(f"{path}@{start}: unreadable archive record ({exc})") from exc
        log.warning("%s: stopped at an unreadable record (%s); the pages before it are read", path, exc)


def _page(response: dict, metadata: dict) -> FetchedPage:
    return FetchedPage(
        source=metadata["source"], url=response["url"], canonical_url=metadata["canonical_url"],
        status=response["status"], content_type=metadata.get("content_type", ""), body=response["body"],
        fetched_at=datetime.fromisoformat(metadata["fetched_at"]), headers=response["headers"],
        redirects=metadata.get("redirects", []), hints=metadata.get("hints", {}))
