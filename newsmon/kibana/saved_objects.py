"""Check and import Kibana saved objects (built by :mod:`newsmon.kibana.objects`).

:func:`validate_saved_objects` checks a saved-objects file against the article mapping;
:func:`import_saved_objects` sends it to Kibana's import API (``newsmon kibana import``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import httpx

from newsmon.kibana.objects import RECORDS_FIELD, REQUIRED_KEYS

_AGGREGATABLE = {"keyword", "date", "date_nanos", "boolean", "ip", "long", "integer", "short", "byte", "double",
                 "float", "half_float", "scaled_float", "unsigned_long"}

__all__ = ["KibanaImportError", "import_saved_objects", "kql_fields", "validate_saved_objects"]

class _Field(NamedTuple):
    type: str
    nested: str | None  # the nested field it lives in, e.g. "mentions"
    indexed: bool


def _mapped_fields(mapping: dict, prefix: str = "", nested: str | None = None) -> dict[str, _Field]:
    fields: dict[str, _Field] = {}
    for name, spec in mapping.get("properties", {}).items():
        path, kind = prefix + name, spec.get("type", "object")
        fields[path] = _Field(kind, nested, spec.get("index", True) and spec.get("enabled", True))
        if "properties" in spec:
            fields.update(_mapped_fields(spec, path + ".", path if kind == "nested" else nested))
        for sub, sub_spec in spec.get("fields", {}).items():
            fields[f"{path}.{sub}"] = _Field(sub_spec.get("type", "keyword"), nested, True)
    return fields


_KQL_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|([A-Za-z_@][\w.@-]*)\s*:\s*(\{)?|(\})')


def kql_fields(query: str) -> list[tuple[str, bool]]:
    """The fields a KQL query names, each with whether it sits inside a nested group (``mentions:{ id : x }``)."""
    found, groups = [], []
    for match in _KQL_TOKEN.finditer(query):
        name, opens, closes = match.groups()
        if closes:
            groups = groups[:-1]
        elif name:
            path = ".".join([*groups, name])
            if opens:
                groups.append(path)
            found.append((path, bool(groups) and not opens))
    return found


def _dsl_fields(query) -> list[str]:
    """Field names in an Elasticsearch query (custom filters)."""
    found = []
    if isinstance(query, list):
        for item in query:
            found += _dsl_fields(item)
    elif isinstance(query, dict):
        for key, value in query.items():
            if key in ("term", "terms", "match", "match_phrase", "prefix", "wildcard", "range", "regexp") \
                    and isinstance(value, dict):
                found += [f for f in value if f not in ("boost", "_name")]
            elif key in ("simple_query_string", "query_string", "multi_match") and isinstance(value, dict):
                found += [f.split("^")[0] for f in value.get("fields", [])]
            elif key == "exists" and isinstance(value, dict):
                found.append(value.get("field", ""))
            else:
                found += _dsl_fields(value)
    return found


class _Checker:
    """The problems of one saved object, phrased as ``line N (type id): what is wrong``."""

    def __init__(self, where: str, fields: dict[str, _Field], ref_names: set[str], problems: list[str]):
        self.where, self.fields, self.ref_names, self.problems = where, fields, ref_names, problems

    def problem(self, text: str) -> None:
        self.problems.append(f"{self.where}: {text}")

    def field(self, name: str, role: str, *, aggregatable: bool = False, kind: str | None = None) -> None:
        field = self.fields.get(name)
        if field is None:
            self.problem(f"{role} names field {name!r}, which the article mapping does not have")
        elif kind and field.type != kind:
            self.problem(f"{role} needs a {kind} field, but {name!r} is {field.type}")
        elif aggregatable and (field.type not in _AGGREGATABLE or field.nested or not field.indexed):
            self.problem(f"{role} needs an aggregatable field; {name!r} is {field.type}"
                         + (f" inside nested {field.nested}" if field.nested else ""))

    def kql(self, query: dict | None, role: str) -> None:
        if not query or query.get("language", "kuery") != "kuery":
            return
        for name, in_group in kql_fields(str(query.get("query", ""))):
            self.field(name, role)
            nested = self.fields.get(name)
            if nested and nested.nested and not in_group:
                sub = name.removeprefix(nested.nested + ".")
                self.problem(f"{role}: {name!r} is inside nested field {nested.nested!r}; "
                             f"write {nested.nested}:{{ {sub} : ... }}")

    def ref(self, name: str, role: str) -> None:
        if name not in self.ref_names:
            self.problem(f"{role} refers to reference {name!r}, which is not in the object's references")

    def search_source(self, attributes: dict, role: str) -> None:
        try:
            source = json.loads(attributes.get("kibanaSavedObjectMeta", {}).get("searchSourceJSON", "{}"))
        except json.JSONDecodeError as exc:
            self.problem(f"searchSourceJSON is not JSON ({exc.msg})")
            return
        if "indexRefName" in source:
            self.ref(source["indexRefName"], role)
        self.kql(source.get("query"), f"{role} query")
        for position, item in enumerate(source.get("filter", [])):
            meta = item.get("meta", {})
            if "indexRefName" in meta:
                self.ref(meta["indexRefName"], f"{role} filter {position}")
            if meta.get("key") not in (None, "query"):
                self.field(meta["key"], f"{role} filter {position}")
            for name in _dsl_fields(item.get("query", {})):
                self.field(name, f"{role} filter {position}")

    def index_pattern(self, attributes: dict) -> None:
        if not attributes.get("title"):
            self.problem("the data view has no title (its index pattern)")
        if attributes.get("timeFieldName"):
            self.field(attributes["timeFieldName"], "timeFieldName", kind="date")

    def search(self, attributes: dict) -> None:
        self.search_source(attributes, "search")
        for name in attributes.get("columns", []):
            if name != "_source":
                self.field(name, "column")
        for sort in attributes.get("sort", []):
            self.field(sort[0], "sort", aggregatable=True)

    def lens(self, attributes: dict) -> None:
        state = attributes.get("state", {})
        self.kql(state.get("query"), "lens query")
        layers = state.get("datasourceStates", {}).get("formBased", {}).get("layers", {})
        for layer_id, layer in layers.items():
            self.ref(f"indexpattern-datasource-layer-{layer_id}", f"lens layer {layer_id}")
            columns = layer.get("columns", {})
            for column_id in set(layer.get("columnOrder", [])) ^ set(columns):
                self.problem(f"lens layer {layer_id}: column {column_id!r} is not in both columnOrder and columns")
            for column_id, column in columns.items():
                role = f"lens column {column_id}"
                if column.get("sourceField", RECORDS_FIELD) != RECORDS_FIELD:
                    kind = "date" if column.get("operationType") == "date_histogram" else None
                    self.field(column["sourceField"], role, aggregatable=True, kind=kind)
                if column.get("params", {}).get("sortField"):
                    self.field(column["params"]["sortField"], f"{role} sort", aggregatable=True)
                self.kql(column.get("filter"), f"{role} filter")
        visualization = state.get("visualization", {})
        for layer in visualization.get("layers", []):
            columns = layers.get(layer.get("layerId"), {}).get("columns", {})
            for accessor in [*layer.get("accessors", []), layer.get("xAccessor"), layer.get("splitAccessor")]:
                if accessor and accessor not in columns:
                    self.problem(f"lens chart shows column {accessor!r}, which its layer does not define")
        if "layerId" in visualization:  # a table: one layer, its columns
            columns = layers.get(visualization["layerId"], {}).get("columns", {})
            if visualization["layerId"] not in layers:
                self.problem(f"lens table shows layer {visualization['layerId']!r}, which the state does not define")
            for shown in visualization.get("columns", []):
                if shown.get("columnId") not in columns:
                    self.problem(f"lens table shows column {shown.get('columnId')!r}, which its layer does not define")

    def dashboard(self, attributes: dict) -> None:
        self.search_source(attributes, "dashboard")
        try:
            panels = json.loads(attributes.get("panelsJSON", "[]"))
        except json.JSONDecodeError as exc:
            self.problem(f"panelsJSON is not JSON ({exc.msg})")
            return
        for panel in panels:
            if "panelRefName" in panel:
                self.ref(f"{panel.get('panelIndex')}:{panel['panelRefName']}", f"panel {panel.get('panelIndex')}")


def validate_saved_objects(ndjson_path: Path, mapping: dict) -> list[str]:
    """Problems of a saved-objects file: bad lines, missing keys, duplicate ids, dangling references, and
    fields in queries, columns and charts that ``mapping`` (e.g. ``article_mapping()``) does not have."""
    problems: list[str] = []
    objects: list[tuple[int, dict]] = []
    for number, line in enumerate(Path(ndjson_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not JSON ({exc.msg}, column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {number}: not a JSON object")
        elif "exportedCount" not in obj:  # the summary line at the end of a Kibana export
            missing = [key for key in REQUIRED_KEYS if key not in obj]
            if missing:
                problems.append(f"line {number}: missing key(s) {missing}")
            objects.append((number, obj))
    if not objects:
        problems.append("no saved objects in the file")
    keys = Counter((obj.get("type"), obj.get("id")) for _, obj in objects)
    problems += [f"duplicate id {kind} {object_id!r} ({count} objects)"
                 for (kind, object_id), count in keys.items() if count > 1]
    fields = _mapped_fields(mapping)
    for number, obj in objects:
        references = obj.get("references") or []
        checker = _Checker(f"line {number} ({obj.get('type')} {obj.get('id')})", fields,
                           {r.get("name") for r in references}, problems)
        for ref in references:
            if (ref.get("type"), ref.get("id")) not in keys:
                checker.problem(f"reference {ref.get('name')!r} points to {ref.get('type')} {ref.get('id')!r}, "
                                f"which is not in the file")
        check = {"index-pattern": checker.index_pattern, "search": checker.search, "lens": checker.lens,
                 "dashboard": checker.dashboard}.get(obj.get("type"))
        if check and isinstance(obj.get("attributes"), dict):
            check(obj["attributes"])
    return problems


# --- importing ---------------------------------------------------------------------------------------------


class KibanaImportError(RuntimeError):
    """Kibana refused or could not take the saved objects; the message says why and what to do."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.errors = errors or []


def _describe(error: dict) -> str:
    detail = error.get("error", {})
    kind = detail.get("type", "unknown")
    what = f"{error.get('type')} {error.get('id')!r}"
    title = error.get("meta", {}).get("title") or error.get("title")
    what += f" ({title})" if title else ""
    if kind == "missing_references":
        missing = ", ".join(f"{r.get('type')} {r.get('id')!r}" for r in detail.get("references", []))
        return f"{what}: missing references {missing}"
    if kind == "conflict":
        return f"{what}: already exists (import with overwrite)"
    return f"{what}: {kind}" + (f": {detail['message']}" if detail.get("message") else "")


def import_saved_objects(kibana_url: str, ndjson_path: Path, *, api_key: str | None = None,
                         username: str | None = None, password: str | None = None, space: str | None = None,
                         overwrite: bool = True, timeout: float = 30) -> dict:
    """POST ``ndjson_path`` to Kibana's saved-objects import API and return its answer
    (``{"success": true, "successCount": N, ...}``); raise :class:`KibanaImportError` otherwise.

    ``api_key`` (the base64 ``id:key`` Elasticsearch returns as ``encoded``) wins over ``username``/``password``;
    ``space`` is a Kibana space id (none or ``default``: the default space).
    """
    path = Path(ndjson_path)
    if not path.is_file():
        raise KibanaImportError(f"{path} does not exist; generate it with scripts/make_kibana_objects.py")
    base = kibana_url.rstrip("/") + (f"/s/{space}" if space and space != "default" else "")
    url = f"{base}/api/saved_objects/_import"
    headers = {"kbn-xsrf": "true"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    auth = httpx.BasicAuth(username, password or "") if username and not api_key else None
    # Kibana only accepts a file whose name ends in .ndjson.
    files = {"file": (path.stem + ".ndjson", path.read_bytes(), "application/ndjson")}
    try:
        response = httpx.post(url, params={"overwrite": "true"} if overwrite else None, headers=headers,
                              files=files, auth=auth, timeout=timeout)
    except httpx.HTTPError as exc:
        raise KibanaImportError(f"could not reach Kibana at {kibana_url} ({exc.__class__.__name__}: {exc}); "
                                f"start it (docker compose up -d kibana) and wait until {kibana_url}/api/status "
                                f"reports level available, or pass the right --url") from exc
    try:
        body = response.json()
    except ValueError:
        body = {"message": response.text[:500]}
    message = body.get("message", "") if isinstance(body, dict) else str(body)
    if response.status_code in (401, 403):
        raise KibanaImportError(f"Kibana refused the import (HTTP {response.status_code}: {message}); give an API "
                                f"key or a user allowed to manage saved objects (--api-key or --username/--password)")
    if response.status_code == 404 and space:
        raise KibanaImportError(f"Kibana has no space {space!r} (HTTP 404: {message}); create it or drop --space")
    if response.status_code != 200 or not isinstance(body, dict):
        raise KibanaImportError(f"Kibana answered HTTP {response.status_code} to {url}: {message or body}; check "
                                f"that {kibana_url} is Kibana 8.x and that the file is a saved-objects export")
    if not body.get("success"):
        errors = body.get("errors", [])
        lines = "\n".join(f"  - {_describe(e)}" for e in errors) or "  (Kibana listed no errors)"
        raise KibanaImportError(
            f"Kibana imported {body.get('successCount', 0)} object(s) but not these {len(errors)}:\n{lines}\n"
            f"Run scripts/make_kibana_objects.py --check and validate_saved_objects() on {path}, fix the file "
            f"(or import the objects it refers to first), then import again.", errors)
    return body
