"""The raw archive: every answer a crawl run receives, in WARC files, one set per run and source.

``<archive>/<source>/<YYYY-MM-DD>/<run id>-<nnn>.warc.gz`` holds, in the order they arrived, every
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

``<archive>`` is the setting ``archive_url`` (``NEWSMON_ARCHIVE_URL``), reached through Airflow's
``ObjectStoragePath``: by default the local folder ``<data_dir>/archive``; ``s3://bucket/prefix``,
``gs://…`` (optionally ``s3://<conn id>@bucket/…``) with the matching Airflow provider installed. Files are
referred to by plain paths when the archive is on this machine's filesystem (as older versions wrote them in
queue items) and by URL otherwise; :func:`read_page` and :func:`iter_pages` take either.

On a local filesystem each record goes to the file with one ``write`` and an ``fsync``, and a half-written
record is cut off again (``ftruncate``): that needs the file descriptor, so the append itself goes to the OS
once ``ObjectStoragePath`` has named the file and made its folder. An object store has no append: each record
is appended through ``ObjectStoragePath.open("ab")`` (the object is written anew, which the store does
atomically, so a failed write leaves the previous object whole), and a file is closed at
``OBJECT_STORE_MAX_FILE_BYTES`` to bound what each record rewrites.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsmon.models import FetchedPage

if TYPE_CHECKING:
    from airflow.sdk import ObjectStoragePath

__all__ = ["ArchiveFile", "ArchiveWriteError", "RunArchive", "archive_folder", "archive_root", "iter_pages",
           "read_page"]

log = logging.getLogger(__name__)

#: A run's WARC file is closed and the next one of its set started past this size.
MAX_FILE_BYTES = 1_000_000_000
#: The same on an object store, where each appended record rewrites the object.
OBJECT_STORE_MAX_FILE_BYTES = 16_000_000
#: Providers that bring the filesystem of a URL scheme to ``ObjectStoragePath``.
_PROVIDERS = {"s3": "apache-airflow-providers-amazon[s3fs]", "gs": "apache-airflow-providers-google",
              "gcs": "apache-airflow-providers-google", "abfs": "apache-airflow-providers-microsoft-azure",
              "wasb": "apache-airflow-providers-microsoft-azure"}
_LOCAL_PROTOCOLS = ("", "file", "local")
_PAGE = "newsmon/page"
_DISCOVERY = "newsmon/discovery"
_ANSWER = "newsmon/answer"
_KNOWN_STATUSES = {status.value for status in HTTPStatus}


#: Where a WARC file is: a plain path on this machine's filesystem, else the ``ObjectStoragePath`` (whose ``str``
#: is its URL, connection id included).
ArchiveFile: TypeAlias = "Path | ObjectStoragePath"


class ArchiveWriteError(OSError):
    """The archive could not be written (disk full, permissions): the page is not counted as fetched."""


def _object_storage_path_type() -> type[ObjectStoragePath]:
    """Airflow's ``ObjectStoragePath``. Airflow sets up its own logging (to stdout) when first imported; a
    program that set up logging before (the ``newsmon`` CLI: messages on stderr, results on stdout) keeps its own."""
    if "airflow" in sys.modules:
        from airflow.sdk import ObjectStoragePath

        return ObjectStoragePath
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from airflow.sdk import ObjectStoragePath

    if handlers:
        root.handlers[:] = handlers
        root.setLevel(level)
    return ObjectStoragePath


def archive_root(location: str | os.PathLike | ObjectStoragePath) -> ObjectStoragePath:
    """The archive's root folder as an ``ObjectStoragePath``: a plain path or ``file://`` URL on this machine,
    or an object store's URL (``s3://bucket/prefix``) whose filesystem an installed provider registers."""
    root = _storage_path(location)
    try:
        root.fs
    except (ValueError, ImportError) as exc:
        provider = _PROVIDERS.get(root.protocol, "the Airflow provider of that storage")
        raise ValueError(f"archive location {location}: no filesystem for {root.protocol}:// ({exc}); install "
                         f"{provider}, or set NEWSMON_ARCHIVE_URL to a local folder") from exc
    return root


def archive_folder(location: str | os.PathLike | ObjectStoragePath) -> Path | ObjectStoragePath:
    """The archive's root as callers list and glob it: a plain ``Path`` on this machine's filesystem (so the
    references taken from it stay plain paths), else the ``ObjectStoragePath``."""
    return _as_archive_file(archive_root(location))


def _is_local(path: ObjectStoragePath) -> bool:
    return path.protocol in _LOCAL_PROTOCOLS


def _as_archive_file(path: ObjectStoragePath) -> ArchiveFile:
    return Path(path.path) if _is_local(path) else path


def _storage_path(file: str | os.PathLike | ObjectStoragePath) -> ObjectStoragePath:
    """The ``ObjectStoragePath`` of a file reference (a plain path, a URL, or one already)."""
    ObjectStoragePath = _object_storage_path_type()
    if isinstance(file, ObjectStoragePath):
        return file
    if isinstance(file, os.PathLike) or "://" not in str(file):
        return ObjectStoragePath(str(Path(file).absolute()), protocol="file")
    return ObjectStoragePath(str(file))


class RunArchive:
    """The WARC file set of one crawl run of one source; ``with RunArchive(archive, source) as archive:``, where
    ``archive`` is the archive's root (a folder or an object store URL, see :func:`archive_root`)."""

    def __init__(self, archive: str | os.PathLike | ObjectStoragePath, source: str, run_id: str | None = None,
                 max_file_bytes: int | None = None):
        now = datetime.now(UTC)
        self.run_id = run_id or f"{now:%Y%m%dT%H%M%SZ}-{os.getpid()}-{secrets.token_hex(3)}"
        root = archive_root(archive)
        self.local = _is_local(root)
        self.directory = root / source / f"{now:%Y-%m-%d}"
        self.source = source
        self.max_file_bytes = max_file_bytes or (MAX_FILE_BYTES if self.local else OBJECT_STORE_MAX_FILE_BYTES)
        #: The run's files, in order: plain paths on a local filesystem, else ``ObjectStoragePath``s.
        self.paths: list[ArchiveFile] = []
        self._fd: int | None = None  # local filesystem: the open file of paths[-1]
        self._object_size = 0  # object store: the bytes in paths[-1]

    def __enter__(self) -> RunArchive:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    # -- writing ----------------------------------------------------------------------------------------
    def write_page(self, page: FetchedPage) -> tuple[ArchiveFile, int]:
        """Append an article page (response + metadata records); returns where it starts."""
        metadata = {"kind": _PAGE, "source": page.source, "canonical_url": page.canonical_url,
                    "content_type": page.content_type, "redirects": page.redirects, "hints": page.hints,
                    "fetched_at": page.fetched_at.isoformat()}
        return self._append(page.url, page.status, page.headers, page.body, page.fetched_at, metadata)

    def write_discovery(self, url: str, status: int, headers: dict[str, str], body: bytes) -> tuple[ArchiveFile, int]:
        """Append a feed, sitemap or listing answer as it came (a 304 has no body)."""
        fetched_at = datetime.now(UTC)
        metadata = {"kind": _DISCOVERY, "source": self.source, "fetched_at": fetched_at.isoformat()}
        return self._append(url, status, headers, body, fetched_at, metadata)

    def write_answer(self, url: str, status: int, headers: dict[str, str], body: bytes, role: str
                     ) -> tuple[ArchiveFile, int]:
        """Append any other answer (a redirect hop, a retried or failed answer, robots.txt) with its role."""
        fetched_at = datetime.now(UTC)
        metadata = {"kind": _ANSWER, "role": role, "source": self.source, "fetched_at": fetched_at.isoformat()}
        return self._append(url, status, headers, body, fetched_at, metadata)

    def _append(self, url: str, status: int, headers: dict[str, str], body: bytes, fetched_at: datetime,
                metadata: dict) -> tuple[ArchiveFile, int]:
        data = _warc_records(url, status, headers, body, fetched_at, metadata)
        return self._append_to_file(data) if self.local else self._append_to_object(data)

    # -- a local filesystem: write, fsync, cut a half-written record off -----------------------------------------
    def _append_to_file(self, data: bytes) -> tuple[Path, int]:
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
                f"there or point NEWSMON_ARCHIVE_URL (default: under NEWSMON_DATA_DIR) elsewhere — the page is "
                f"not counted as fetched and the next run fetches it") from exc
        return self.paths[-1], offset

    def _file_for(self, size: int) -> int:
        if self._fd is not None and os.lseek(self._fd, 0, os.SEEK_END) + size > self.max_file_bytes:
            self.close()
        if self._fd is None:
            path = self._next_path()
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(_as_archive_file(path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            except OSError as exc:
                raise ArchiveWriteError(exc.errno, f"cannot create the raw archive {_as_archive_file(path)}: "
                                        f"{exc.strerror or exc}; check the space and permissions there "
                                        "(NEWSMON_ARCHIVE_URL, default: under NEWSMON_DATA_DIR)") from exc
            self.paths.append(_as_archive_file(path))
        return self._fd

    def _undo(self, fd: int, offset: int) -> None:
        """Cut a half-written record off, so the file stays readable to its end."""
        try:
            os.ftruncate(fd, offset)
        except OSError:
            log.error("could not cut the half-written record off %s at %d; readers stop there",
                      self.paths[-1], offset)

    # -- an object store: append through ObjectStoragePath ----------------------------------------------------
    def _append_to_object(self, data: bytes) -> tuple[ObjectStoragePath, int]:
        if not self.paths or self._object_size and self._object_size + len(data) > self.max_file_bytes:
            self.paths.append(self._next_path())
            self._object_size = 0
        path, offset = self.paths[-1], self._object_size
        try:
            try:
                with path.open("ab") as handle:
                    handle.write(data)
            except (NotImplementedError, ValueError):  # a store without "ab": write the object anew
                path.write_bytes((path.read_bytes() if offset else b"") + data)
        except OSError as exc:
            raise ArchiveWriteError(
                exc.errno, f"cannot write the raw archive {path}: {exc.strerror or exc}; check the store and "
                f"the credentials of NEWSMON_ARCHIVE_URL — the page is not counted as fetched and the next run "
                f"fetches it") from exc
        self._object_size += len(data)
        return path, offset

    def _next_path(self) -> ObjectStoragePath:
        return self.directory / f"{self.run_id}-{len(self.paths):03d}.warc.gz"


def _warc_records(url: str, status: int, headers: dict[str, str], body: bytes, fetched_at: datetime,
                  metadata: dict) -> bytes:
    """A ``response`` record and its ``metadata`` record, each its own gzip member."""
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
    return buffer.getvalue()


# -- reading ------------------------------------------------------------------------------------------
def read_page(path: str | os.PathLike | ObjectStoragePath, offset: int = 0) -> FetchedPage:
    """The article page whose records start at ``offset`` in the WARC file ``path`` (a path or a URL)."""
    with _storage_path(path).open("rb") as handle:
        handle.seek(offset)
        for _, page in _pages(handle, path, offset, first_only=True):
            return page
    raise ValueError(f"{path}@{offset}: no complete newsmon page record there")


def iter_pages(path: str | os.PathLike | ObjectStoragePath) -> Iterator[tuple[int, FetchedPage]]:
    """Every article page of one WARC file with its offset (feeds skipped); stops at a truncated tail."""
    with _storage_path(path).open("rb") as handle:
        yield from _pages(handle, path, 0, first_only=False)


def _pages(handle, path, start: int, first_only: bool) -> Iterator[tuple[int, FetchedPage]]:
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
