"""The archive behind ObjectStoragePath: ``NEWSMON_ARCHIVE_URL`` (default ``file://<data_dir>/archive``), plain
paths for local files (as older queue items hold them), URLs for an object store, read back either way.

The object store here is fsspec's in-memory filesystem, attached to Airflow's ObjectStoragePath as ``memory://``:
an object store without a real append, where every record rewrites the object."""

from __future__ import annotations

import errno
import random
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from airflow.sdk import ObjectStoragePath
from airflow.sdk.io.store import attach
from fsspec.implementations.memory import MemoryFileSystem

from newsmon import pipeline
from newsmon.crawl.archive import ArchiveWriteError, RunArchive, archive_folder, iter_pages, read_page
from newsmon.crawl.crawler import process_queue
from newsmon.models import FetchedPage
from newsmon.settings import load_settings


class _FullMemoryFileSystem(MemoryFileSystem):
    """An in-memory store whose writes fail like a full disk behind it."""

    def _open(self, path, mode="rb", **kwargs):
        if "r" not in mode:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._open(path, mode, **kwargs)


attach("memory", fs=MemoryFileSystem())
attach("memory", conn_id="full_disk", fs=_FullMemoryFileSystem())  # memory://full_disk@…


def _page(n: int, source: str = "afintl") -> FetchedPage:
    return FetchedPage(source=source, url=f"https://www.afintl.com/{n}", canonical_url=f"https://www.afintl.com/{n}",
                       status=200, content_type="text/html; charset=utf-8", body=random.Random(n).randbytes(1000),
                       fetched_at=datetime(2026, 1, 2, tzinfo=UTC), headers={"content-type": "text/html"})


def _bucket() -> str:
    return f"memory://bucket-{uuid.uuid4().hex[:8]}/archive"


def test_the_archive_defaults_to_the_data_dir_and_follows_newsmon_archive_url(tmp_path):
    assert load_settings({}, state_store="files", data_dir=tmp_path).archive_location == f"file://{tmp_path}/archive"
    relative = load_settings({}, data_dir=Path("data")).archive_location
    assert relative == f"file://{Path('data').absolute()}/archive"
    settings = load_settings({"NEWSMON_DATA_DIR": str(tmp_path), "NEWSMON_ARCHIVE_URL": "s3://aws_default@b/x"})
    assert settings.archive_location == "s3://aws_default@b/x"


def test_a_file_url_writes_plain_paths_that_read_back_as_strings(tmp_path):
    with RunArchive(f"file://{tmp_path}/archive", "afintl") as archive:
        path, offset = archive.write_page(_page(1))
    assert isinstance(path, Path) and path.is_relative_to(tmp_path / "archive" / "afintl")
    assert read_page(str(path), offset).id == _page(1).id  # as a queue item holds it
    assert archive_folder(f"file://{tmp_path}/archive") == tmp_path / "archive"


def test_an_object_store_gets_the_same_layout_and_urls_that_read_back():
    url = _bucket()
    with RunArchive(url, "afintl", max_file_bytes=4000) as archive:  # two records of ~1.8 KB fit
        refs = [archive.write_page(_page(n)) for n in range(3)]
        archive.write_discovery("https://www.afintl.com/feed", 304, {}, b"")
    assert all(isinstance(path, ObjectStoragePath) for path, _ in refs)
    assert str(refs[0][0]).startswith(f"{url}/afintl/") and str(refs[0][0]).endswith("-000.warc.gz")
    assert [offset for _, offset in refs][:2] == [0, refs[1][1]] and refs[1][1] > 0  # appended to one object
    assert len(archive.paths) == 2  # the third page went past max_file_bytes: a new object
    for n, (path, offset) in enumerate(refs):
        assert read_page(str(path), offset).id == _page(n).id
    folder = archive_folder(url)
    files = sorted((folder / "afintl").glob("*/*.warc.gz"))
    assert [str(f) for f in files] == [str(p) for p in archive.paths]
    assert [page.id for f in files for _, page in iter_pages(f)] == [_page(n).id for n in range(3)]


def test_reprocessing_reads_an_object_store_archive(monkeypatch, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path, archive_url=_bucket())
    for n in range(3):
        with RunArchive(settings.archive_location, "afintl") as archive:
            archive.write_page(_page(n))
    seen = []

    def fake_process_batch(ids, settings):
        items = dict(process_queue(settings).items())
        seen.extend(read_page(items[i]["archive"], items[i]["offset"]).id for i in ids)
        return {"processed": len(ids), "created": 0, "updated": len(ids), "dropped": {}, "languages": {},
                "seconds": 0.0}

    monkeypatch.setattr(pipeline, "process_batch", fake_process_batch)
    summary = pipeline.reprocess_archive(settings)
    assert summary["sources"] == ["afintl"] and summary["archived"] == 3
    assert sorted(seen) == sorted(_page(n).id for n in range(3))


def test_a_failed_object_write_says_what_to_do_and_keeps_the_page_unfetched():
    with RunArchive("memory://full_disk@bucket/archive", "afintl") as archive:
        with pytest.raises(ArchiveWriteError, match="No space left on device.*NEWSMON_ARCHIVE_URL.*next run") as failure:
            archive.write_page(_page(1))
    assert failure.value.errno == errno.ENOSPC


def test_a_store_without_its_provider_says_which_to_install():
    with pytest.raises(ValueError, match=r"no filesystem for s3://.*apache-airflow-providers-amazon"):
        RunArchive("s3://bucket/archive", "afintl")
