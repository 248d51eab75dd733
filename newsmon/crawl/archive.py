"""The raw-page archive: one gzipped WARC file per fetched page, keyed by document id.

Tasks pass archive paths, never page bodies. A WARC ``response`` record keeps the HTTP answer as fetched and
a ``metadata`` record keeps what the crawler knew (source, canonical URL, redirects, feed hints).
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsmon.crawl.state import atomic_write_bytes
from newsmon.models import FetchedPage

__all__ = ["archive_path", "read_page", "write_page"]


def archive_path(archive_dir: Path, source: str, doc_id: str) -> Path:
    return archive_dir / source / doc_id[:2] / f"{doc_id}.warc.gz"


def write_page(archive_dir: Path, page: FetchedPage) -> Path:
    """Store ``page`` atomically (rewriting an older copy of the same article) and return its path."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http_headers = StatusAndHeaders(f"{page.status} OK", list(page.headers.items()), protocol="HTTP/1.1")
    date = page.fetched_at.isoformat()
    writer.write_record(writer.create_warc_record(
        page.url, "response", payload=io.BytesIO(page.body), http_headers=http_headers,
        warc_headers_dict={"WARC-Date": date}))
    metadata = {
        "source": page.source, "canonical_url": page.canonical_url, "content_type": page.content_type,
        "redirects": page.redirects, "hints": page.hints, "fetched_at": date,
    }
    writer.write_record(writer.create_warc_record(
        page.url, "metadata", payload=io.BytesIO(json.dumps(metadata).encode("utf-8")),
        warc_content_type="application/json", warc_headers_dict={"WARC-Date": date}))
    path = archive_path(archive_dir, page.source, page.id)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def read_page(path: Path) -> FetchedPage:
    """Read back a page stored by :func:`write_page`."""
    body, headers, status, url, metadata = b"", {}, 0, "", {}
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                status = int(record.http_headers.get_statuscode())
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                body = record.content_stream().read()
            elif record.rec_type == "metadata":
                metadata = json.loads(record.content_stream().read())
    if not url or not metadata:
        raise ValueError(f"{path}: not a complete newsmon archive record")
    return FetchedPage(
        source=metadata["source"], url=url, canonical_url=metadata["canonical_url"], status=status,
        content_type=metadata.get("content_type", ""), body=body,
        fetched_at=datetime.fromisoformat(metadata["fetched_at"]), headers=headers,
        redirects=metadata.get("redirects", []), hints=metadata.get("hints", {}))
