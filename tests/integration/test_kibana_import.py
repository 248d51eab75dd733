"""import_saved_objects against a real HTTP server on loopback that answers like Kibana 8.12's import API,
and the fields the saved objects use against a real Elasticsearch index with the article mapping.

No Kibana runs here: the server below does what Kibana's ``POST /api/saved_objects/_import`` does with a
request (xsrf header, auth, spaces, multipart ``file`` part with an .ndjson name, missing references, conflicts)
and answers with Kibana's bodies and status codes.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml

from newsmon.index.mapping import article_mapping, index_settings
from newsmon.kibana.saved_objects import KibanaImportError, import_saved_objects, kql_fields
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

NDJSON = PROJECT_ROOT / "kibana" / "newsmon.ndjson"
SUPPORTED_TYPES = {"index-pattern", "search", "visualization", "lens", "dashboard", "config", "tag", "map"}


class FakeKibana(ThreadingHTTPServer):
    """Kibana's saved-objects import endpoint, with a store per space."""

    daemon_threads = True

    def __init__(self, *, credentials: tuple[str, str] | None = None, api_key: str | None = None,
                 broken: bool = False):
        super().__init__(("127.0.0.1", 0), _ImportHandler)
        self.credentials, self.api_key, self.broken = credentials, api_key, broken
        self.spaces: dict[str, dict[tuple[str, str], dict]] = {"default": {}, "analysts": {}}
        self.requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> Self:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _ImportHandler(BaseHTTPRequestHandler):
    server: FakeKibana

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def _answer(self, status: int, body: dict | str) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if isinstance(body, str) else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, error: str, message: str) -> None:
        self._answer(status, {"statusCode": status, "error": error, "message": message})

    def _authorized(self) -> bool:
        server, given = self.server, self.headers.get("Authorization", "")
        if not (server.credentials or server.api_key):
            return True
        basic = "Basic " + base64.b64encode(":".join(server.credentials).encode()).decode() \
            if server.credentials else None
        return given in (basic, f"ApiKey {server.api_key}" if server.api_key else None)

    def do_GET(self) -> None:
        if urlsplit(self.path).path != "/api/status":
            return self._error(404, "Not Found", "Not Found")
        self._answer(200, {"name": "kibana", "version": {"number": "8.12.2"},
                           "status": {"overall": {"level": "available", "summary": "All services are available"}}})

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append({"path": parts.path, "query": parse_qs(parts.query),
                                     "headers": dict(self.headers), "body": body})
        if self.server.broken:
            return self._answer(500, "<html>upstream proxy error</html>")
        space, _, rest = parts.path.removeprefix("/s/").partition("/") if parts.path.startswith("/s/") \
            else ("default", "", parts.path.lstrip("/"))
        if rest != "api/saved_objects/_import" or space not in self.server.spaces:
            return self._error(404, "Not Found", "Not Found")
        if not self._authorized():
            return self._error(401, "Unauthorized",
                               "[security_exception]: missing authentication credentials for REST request")
        if "kbn-xsrf" not in {k.lower() for k in self.headers}:
            return self._error(400, "Bad Request", "Request must contain a kbn-xsrf header.")
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return self._error(415, "Unsupported Media Type", "Unsupported Media Type")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        files = [p for p in message.iter_parts() if p.get_param("name", header="content-disposition") == "file"]
        if not files:
            return self._error(400, "Bad Request", "[request body.file]: expected value of type [Stream] but got "
                                                   "[undefined]")
        filename = files[0].get_filename() or ""
        if not filename.endswith(".ndjson"):
            return self._error(400, "Bad Request", f"Invalid file extension {Path(filename).suffix or filename}")
        try:
            objects = [json.loads(line) for line in files[0].get_payload(decode=True).decode().splitlines()
                       if line.strip()]
        except json.JSONDecodeError as exc:
            return self._error(400, "Bad Request", f"Unexpected token in JSON at position {exc.pos}")
        objects = [o for o in objects if "exportedCount" not in o]
        overwrite = parse_qs(parts.query).get("overwrite") == ["true"]
        self._answer(200, self._import(self.server.spaces[space], objects, overwrite))

    @staticmethod
    def _import(store: dict, objects: list[dict], overwrite: bool) -> dict:
        in_file = {(o.get("type"), o.get("id")) for o in objects}
        results, errors = [], []
        for obj in objects:
            key, title = (obj["type"], obj["id"]), obj.get("attributes", {}).get("title")
            error = None
            missing = [{"type": r["type"], "id": r["id"]} for r in obj.get("references", [])
                       if (r["type"], r["id"]) not in in_file and (r["type"], r["id"]) not in store]
            if obj["type"] not in SUPPORTED_TYPES:
                error = {"type": "unsupported_type"}
            elif missing:
                error = {"type": "missing_references", "references": missing}
            elif key in store and not overwrite:
                error = {"type": "conflict"}
            if error:
                errors.append({"id": obj["id"], "type": obj["type"], "title": title,
                               "meta": {"title": title, "icon": "app"}, "error": error})
                continue
            result = {"type": obj["type"], "id": obj["id"], "meta": {"title": title, "icon": "app"}}
            if key in store:
                result["overwrite"] = True
            store[key] = obj
            results.append(result)
        answer = {"success": not errors, "successCount": len(results), "warnings": []}
        if results:
            answer["successResults"] = results
        if errors:
            answer["errors"] = errors
        return answer


@pytest.fixture
def kibana():
    with FakeKibana() as server:
        yield server


def shipped_objects() -> list[dict]:
    return [json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines()]


# --- import_saved_objects ------------------------------------------------------------------------------------


def test_import_sends_the_file_as_kibana_wants_it(kibana) -> None:
    result = import_saved_objects(kibana.url, NDJSON)
    count = len(shipped_objects())
    assert result["success"] is True and result["successCount"] == count
    request, = kibana.requests
    assert request["path"] == "/api/saved_objects/_import" and request["query"] == {"overwrite": ["true"]}
    assert request["headers"]["kbn-xsrf"] == "true"
    assert NDJSON.read_bytes() in request["body"]
    assert b'filename="newsmon.ndjson"' in request["body"]
    assert {key for key in kibana.spaces["default"]} == {(o["type"], o["id"]) for o in shipped_objects()}


def test_reimport_overwrites_and_without_overwrite_lists_the_conflicts(kibana) -> None:
    import_saved_objects(kibana.url, NDJSON)
    again = import_saved_objects(kibana.url, NDJSON)
    assert again["success"] and all(r.get("overwrite") for r in again["successResults"])
    with pytest.raises(KibanaImportError) as caught:
        import_saved_objects(kibana.url, NDJSON, overwrite=False)
    assert kibana.requests[-1]["query"] == {}
    message = str(caught.value)
    assert "dashboard 'newsmon-dashboard-overview' ([newsmon] Overview): already exists" in message
    assert len(caught.value.errors) == len(shipped_objects())


def test_missing_references_are_listed_with_what_to_do(kibana, tmp_path) -> None:
    objects = shipped_objects()
    lens = next(o for o in objects if o["id"] == "newsmon-lens-top-actors")
    broken = tmp_path / "broken.ndjson"
    broken.write_text(json.dumps(lens) + "\n", encoding="utf-8")
    with pytest.raises(KibanaImportError) as caught:
        import_saved_objects(kibana.url, broken)
    message = str(caught.value)
    assert "lens 'newsmon-lens-top-actors' ([newsmon] Top actors): missing references index-pattern " \
           "'newsmon-data-view'" in message
    assert "validate_saved_objects" in message and "import again" in message
    assert caught.value.errors[0]["error"]["type"] == "missing_references"
    # Once the data view is there, the same file imports.
    data_view = tmp_path / "data_view.ndjson"
    data_view.write_text(json.dumps(objects[0]) + "\n", encoding="utf-8")
    assert import_saved_objects(kibana.url, data_view)["successCount"] == 1
    assert import_saved_objects(kibana.url, broken)["successCount"] == 1


def test_missing_file(kibana, tmp_path) -> None:
    with pytest.raises(KibanaImportError, match="does not exist; generate it with scripts/make_kibana_objects.py"):
        import_saved_objects(kibana.url, tmp_path / "nothing.ndjson")
    assert not kibana.requests


def test_any_file_name_is_sent_as_ndjson(kibana, tmp_path) -> None:
    copy = tmp_path / "objects.txt"
    copy.write_bytes(NDJSON.read_bytes())
    assert import_saved_objects(kibana.url, copy)["success"]
    assert b'filename="objects.ndjson"' in kibana.requests[0]["body"]


def test_basic_auth_and_api_key(tmp_path) -> None:
    with FakeKibana(credentials=("elastic", "s3cret"), api_key="a2V5") as server:
        with pytest.raises(KibanaImportError, match=r"HTTP 401.*--api-key or --username/--password"):
            import_saved_objects(server.url, NDJSON)
        with pytest.raises(KibanaImportError, match="HTTP 401"):
            import_saved_objects(server.url, NDJSON, username="elastic", password="wrong")
        assert import_saved_objects(server.url, NDJSON, username="elastic", password="s3cret")["success"]
        assert import_saved_objects(server.url, NDJSON, api_key="a2V5")["success"]
        assert server.requests[-1]["headers"]["Authorization"] == "ApiKey a2V5"


def test_spaces(kibana) -> None:
    assert import_saved_objects(kibana.url + "/", NDJSON, space="analysts")["success"]
    assert kibana.requests[-1]["path"] == "/s/analysts/api/saved_objects/_import"
    assert kibana.spaces["analysts"] and not kibana.spaces["default"]
    import_saved_objects(kibana.url, NDJSON, space="default")
    assert kibana.requests[-1]["path"] == "/api/saved_objects/_import"
    with pytest.raises(KibanaImportError, match="Kibana has no space 'nope'.*create it or drop --space"):
        import_saved_objects(kibana.url, NDJSON, space="nope")


def test_unreachable_kibana_says_what_to_do() -> None:
    with FakeKibana() as server:
        url = server.url
    with pytest.raises(KibanaImportError, match=r"could not reach Kibana .*docker compose up -d kibana"):
        import_saved_objects(url, NDJSON, timeout=5)


def test_not_kibana_gives_the_status_and_body() -> None:
    with FakeKibana(broken=True) as server, pytest.raises(KibanaImportError, match=r"HTTP 500 .*proxy error"):
        import_saved_objects(server.url, NDJSON)


def test_the_fake_is_as_strict_as_kibana(kibana) -> None:
    url = kibana.url + "/api/saved_objects/_import"
    files = {"file": ("newsmon.ndjson", NDJSON.read_bytes(), "application/ndjson")}
    no_xsrf = httpx.post(url, files=files)
    assert (no_xsrf.status_code, no_xsrf.json()["message"]) == (400, "Request must contain a kbn-xsrf header.")
    not_multipart = httpx.post(url, content=NDJSON.read_bytes(), headers={"kbn-xsrf": "true"})
    assert not_multipart.status_code == 415
    wrong_name = httpx.post(url, files={"file": ("x.json", b"{}", "application/json")}, headers={"kbn-xsrf": "x"})
    assert wrong_name.json()["message"] == "Invalid file extension .json"
    assert not kibana.spaces["default"]


def test_compose_one_shot_import_service(kibana, tmp_path) -> None:
    """The kibana-setup service of docker-compose.yml waits for Kibana and imports the file."""
    services = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())["services"]
    assert "kibana-setup" in services, "docker-compose.yml lost its kibana-setup service"
    service = services["kibana-setup"]
    mount, = [v.split(":")[1] for v in service["volumes"] if v.startswith("./kibana:")]
    script = service["command"][-1].replace("$$", "$").replace("http://kibana:5601", kibana.url)
    script = script.replace("/tmp/", f"{tmp_path}/").replace(f"{mount}/", f"{PROJECT_ROOT / 'kibana'}/")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(kibana.spaces["default"]) == len(shipped_objects())
    lens = next(o for o in shipped_objects() if o["type"] == "lens")
    (tmp_path / "lens.ndjson").write_text(json.dumps(lens) + "\n", encoding="utf-8")
    with FakeKibana() as empty:
        failing = script.replace(kibana.url, empty.url).replace(f"{PROJECT_ROOT / 'kibana'}/newsmon.ndjson",
                                                                f"{tmp_path}/lens.ndjson")
        done = subprocess.run(["bash", "-c", failing], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0 and "missing_references" in done.stdout


# --- the fields, against a real Elasticsearch ----------------------------------------------------------------


def _used_fields(objects: list[dict]) -> tuple[set[str], set[str], set[str]]:
    """(every field named, fields Lens aggregates or searches sort on, date fields)."""
    named, aggregated, dates = set(), set(), set()
    for obj in objects:
        attributes = obj["attributes"]
        if obj["type"] == "index-pattern":
            dates.add(attributes["timeFieldName"])
        elif obj["type"] == "search":
            source = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
            named |= {name for name, _ in kql_fields(source["query"]["query"])} | set(attributes["columns"])
            aggregated |= {field for field, _ in attributes["sort"]}
        elif obj["type"] == "lens":
            for layer in attributes["state"]["datasourceStates"]["formBased"]["layers"].values():
                for column in layer["columns"].values():
                    if column["sourceField"] != "___records___":
                        aggregated.add(column["sourceField"])
                        if column["operationType"] == "date_histogram":
                            dates.add(column["sourceField"])
    return named | aggregated | dates, aggregated, dates


def test_fields_exist_and_aggregate_in_a_real_index_behind_the_alias(elasticsearch_url) -> None:
    from elasticsearch import Elasticsearch

    client = Elasticsearch(elasticsearch_url, request_timeout=60)
    alias = f"test-kibana-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=f"{alias}-v1", mappings=article_mapping(), settings=index_settings(),
                          aliases={alias: {}})
    try:
        named, aggregated, dates = _used_fields(shipped_objects())
        caps = client.field_caps(index=alias, fields=sorted(named))["fields"]
        assert set(caps) == named, f"not in the index: {sorted(named - set(caps))}"
        for name in aggregated:
            (kind, cap), = caps[name].items()
            assert cap["aggregatable"], f"{name} ({kind}) is not aggregatable"
        assert all(set(caps[name]) == {"date"} for name in dates)
    finally:
        client.indices.delete(index=f"{alias}-v1")
