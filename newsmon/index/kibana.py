"""Kibana saved objects for analysts: build them from the watchlist and alert rules, check them, import them.

``scripts/make_kibana_objects.py`` writes ``kibana/newsmon.ndjson`` with :func:`build_saved_objects`: one data view
over the article alias, a saved search per alert rule, actor and theme, four Lens charts and a dashboard, in the
shape Kibana 8.12's saved-objects export produces. :func:`validate_saved_objects` checks such a file against the
article mapping; :func:`import_saved_objects` sends it to Kibana's import API (``newsmon kibana import``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import httpx

if TYPE_CHECKING:  # only the types: importing the watchlist package would load spaCy
    from newsmon.alerts.rules import AlertRule
    from newsmon.matching.watchlist import Watchlist

__all__ = ["DATA_VIEW_ID", "DASHBOARD_ID", "DEFAULT_INDEX_ALIAS", "KibanaImportError", "build_saved_objects",
           "import_saved_objects", "render_ndjson", "validate_saved_objects"]

DEFAULT_INDEX_ALIAS = "newsmon-articles"
DATA_VIEW_ID = "newsmon-data-view"
DASHBOARD_ID = "newsmon-dashboard-overview"
LATEST_ALERTS_ID = "newsmon-search-alerts-latest"
#: What a Kibana 8.12 export writes: core 8.8.0 for every type, and each type's latest migration.
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSIONS = {"index-pattern": "8.0.0", "search": "10.1.0", "lens": "8.9.0", "dashboard": "8.9.0"}
SEARCH_COLUMNS = ("title", "source", "lang", "actors", "themes")
REQUIRED_KEYS = ("type", "id", "attributes", "references", "coreMigrationVersion", "typeMigrationVersion")

_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
_LAYER = "articles"
_RECORDS = "___records___"
_AGGREGATABLE = {"keyword", "date", "date_nanos", "boolean", "ip", "long", "integer", "short", "byte", "double",
                 "float", "half_float", "scaled_float", "unsigned_long"}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _saved_object(kind: str, object_id: str, attributes: dict, references: list[dict]) -> dict:
    return {"attributes": attributes, "coreMigrationVersion": CORE_MIGRATION_VERSION, "id": object_id,
            "managed": False, "references": references, "type": kind,
            "typeMigrationVersion": TYPE_MIGRATION_VERSIONS[kind]}


# --- building ----------------------------------------------------------------------------------------------


def kql_any(field: str, values: list[str]) -> str:
    """``field : "a"`` or ``field : ("a" or "b")``: KQL for "one of these values"."""
    quoted = ['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values]
    return f"{field} : {quoted[0]}" if len(quoted) == 1 else f"{field} : ({' or '.join(quoted)})"


def rule_kql(rule: AlertRule) -> str:
    """The KQL of a rule's themes, actors, languages and sources (its free text needs a filter, see below)."""
    match = rule.match
    pairs = (("themes", match.themes), ("actors", match.actors), ("lang", match.languages), ("source", match.sources))
    return " and ".join(kql_any(field, values) for field, values in pairs if values)


def _custom_filter(position: int, label: str, query: dict) -> dict:
    return {"$state": {"store": "appState"}, "query": query,
            "meta": {"alias": label, "disabled": False, "negate": False, "type": "custom", "key": "query",
                     "value": _json(query),
                     "indexRefName": f"kibanaSavedObjectMeta.searchSourceJSON.filter[{position}].meta.index"}}


def _saved_search(object_id: str, title: str, description: str, kql: str,
                  filters: list[tuple[str, dict]] = ()) -> dict:
    built = [_custom_filter(i, label, query) for i, (label, query) in enumerate(filters)]
    source = {"query": {"query": kql, "language": "kuery"}, "highlightAll": True, "filter": built,
              "indexRefName": _INDEX_REF}
    references = [{"id": DATA_VIEW_ID, "name": name, "type": "index-pattern"}
                  for name in [_INDEX_REF, *(f["meta"]["indexRefName"] for f in built)]]
    return _saved_object("search", object_id, {
        "columns": list(SEARCH_COLUMNS), "description": description, "grid": {}, "hideChart": False,
        "isTextBasedQuery": False, "kibanaSavedObjectMeta": {"searchSourceJSON": _json(source)},
        "sort": [["published", "desc"]], "timeRestore": False, "title": title}, references)


def _rule_search(rule: AlertRule) -> dict:
    text = [(f"text: {rule.match.text}", rule.to_query()["bool"]["filter"][-1])] if rule.match.text else []
    return _saved_search(f"newsmon-search-alert-{rule.id}", f"[newsmon] Alert: {rule.name}",
                         rule.description or f"Articles alert rule {rule.id} selects.", rule_kql(rule), text)


def _latest_alerts_search(rules: list[AlertRule]) -> dict:
    title, description = "[newsmon] Latest alert articles", "Newest articles any alert rule selects: " + ", ".join(
        r.name for r in rules) + "."
    if any(r.match.text for r in rules):  # free text is not KQL: one filter with the rules' own queries
        query = {"bool": {"should": [r.to_query() for r in rules], "minimum_should_match": 1}}
        return _saved_search(LATEST_ALERTS_ID, title, description, "", [("alert rules", query)])
    return _saved_search(LATEST_ALERTS_ID, title, description, " or ".join(f"({rule_kql(r)})" for r in rules))


def _count_column() -> dict:
    return {"customLabel": True, "dataType": "number", "isBucketed": False, "label": "Articles",
            "operationType": "count", "params": {"emptyAsNull": True}, "scale": "ratio", "sourceField": _RECORDS}


def _per_day_column() -> dict:
    return {"customLabel": True, "dataType": "date", "isBucketed": True, "label": "Published (per day)",
            "operationType": "date_histogram", "params": {"dropPartials": False, "includeEmptyRows": True,
                                                          "interval": "d"},
            "scale": "interval", "sourceField": "published"}


def _top_column(field: str, label: str, size: int) -> dict:
    return {"customLabel": True, "dataType": "string", "isBucketed": True, "label": label,
            "operationType": "terms", "params": {
                "exclude": [], "excludeIsRegex": False, "include": [], "includeIsRegex": False,
                "missingBucket": False, "orderBy": {"columnId": "count", "type": "column"},
                "orderDirection": "desc", "otherBucket": True, "parentFormat": {"id": "terms"}, "size": size},
            "scale": "ordinal", "sourceField": field}


def _lens_xy(object_id: str, title: str, description: str, series: str, x: dict,
             split: dict | None = None) -> dict:
    """A Lens XY chart of article counts over ``x`` (per day, or top values), optionally broken down by ``split``."""
    columns = {"x": x, "count": _count_column(), **({"split": split} if split else {})}
    order = ["split", "x", "count"] if split else ["x", "count"]
    layer = {"accessors": ["count"], "layerId": _LAYER, "layerType": "data", "position": "top",
             "seriesType": series, "showGridlines": False, "xAccessor": "x",
             **({"splitAccessor": "split"} if split else {})}
    axes = {"x": True, "yLeft": True, "yRight": True}
    visualization = {
        "axisTitlesVisibilitySettings": axes, "fittingFunction": "None", "gridlinesVisibilitySettings": axes,
        "labelsOrientation": {"x": 0, "yLeft": 0, "yRight": 0}, "layers": [layer],
        "legend": {"isVisible": True, "position": "right"}, "preferredSeriesType": series,
        "tickLabelsVisibilitySettings": axes, "valueLabels": "hide"}
    state = {"adHocDataViews": {}, "datasourceStates": {
        "formBased": {"layers": {_LAYER: {"columnOrder": order, "columns": columns, "incompleteColumns": {},
                                          "sampling": 1}}},
        "textBased": {"layers": {}}},
        "filters": [], "internalReferences": [], "query": {"language": "kuery", "query": ""},
        "visualization": visualization}
    return _saved_object("lens", object_id, {"description": description, "state": state, "title": title,
                                             "visualizationType": "lnsXY"},
                         [{"id": DATA_VIEW_ID, "name": f"indexpattern-datasource-layer-{_LAYER}",
                           "type": "index-pattern"}])


def _dashboard(panels: list[tuple[dict, tuple[int, int, int, int]]]) -> dict:
    """The overview dashboard; ``panels`` are (saved object, (x, y, w, h)) on Kibana's 48-column grid."""
    panel_json, references = [], []
    for obj, (x, y, w, h) in panels:
        index = obj["id"].removeprefix("newsmon-")
        panel_json.append({"embeddableConfig": {"enhancements": {}},
                           "gridData": {"h": h, "i": index, "w": w, "x": x, "y": y},
                           "panelIndex": index, "panelRefName": f"panel_{index}", "type": obj["type"]})
        references.append({"id": obj["id"], "name": f"{index}:panel_{index}", "type": obj["type"]})
    options = {"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": False,
               "hidePanelTitles": False}
    return _saved_object("dashboard", DASHBOARD_ID, {
        "description": "Articles per day by source and language, themes over time, top actors and the latest "
                       "articles of the alert rules.",
        "kibanaSavedObjectMeta": {"searchSourceJSON": _json({"query": {"query": "", "language": "kuery"},
                                                              "filter": []})},
        "optionsJSON": _json(options), "panelsJSON": _json(panel_json),
        "refreshInterval": {"pause": True, "value": 60000}, "timeFrom": "now-30d", "timeRestore": True,
        "timeTo": "now", "title": "[newsmon] Overview", "version": 1}, references)


def build_saved_objects(watchlist: Watchlist, rules: list[AlertRule], *,
                        index_alias: str = DEFAULT_INDEX_ALIAS) -> list[dict]:
    """Every saved object, in a stable order with stable ids (rerun after editing the watchlist or rules)."""
    data_view = _saved_object("index-pattern", DATA_VIEW_ID, {
        "fieldAttrs": "{}", "fieldFormatMap": "{}", "fields": "[]", "name": "newsmon articles",
        "runtimeFieldMap": "{}", "sourceFilters": "[]", "timeFieldName": "published", "title": index_alias,
        "typeMeta": "{}"}, [])
    searches = [_rule_search(rule) for rule in rules] + [_latest_alerts_search(rules)]
    searches += [_saved_search(f"newsmon-search-actor-{a.id}", f"[newsmon] Actor: {a.label}",
                               f"Articles that mention {a.label} (actor id {a.id}).", kql_any("actors", [a.id]))
                 for a in watchlist.actors]
    searches += [_saved_search(f"newsmon-search-theme-{t.id}", f"[newsmon] Theme: {t.label}",
                               f"Articles on {t.label} (theme id {t.id}).", kql_any("themes", [t.id]))
                 for t in watchlist.themes]
    charts = [
        _lens_xy("newsmon-lens-articles-per-day-by-source", "[newsmon] Articles per day by source",
                 "Articles per publication day, stacked by source.", "bar_stacked", _per_day_column(),
                 _top_column("source", "Source", 20)),
        _lens_xy("newsmon-lens-articles-per-day-by-language", "[newsmon] Articles per day by language",
                 "Articles per publication day, stacked by detected language.", "bar_stacked", _per_day_column(),
                 _top_column("lang", "Language", 10)),
        _lens_xy("newsmon-lens-theme-timeline", "[newsmon] Themes over time",
                 "Articles per publication day for each watchlist theme.", "line", _per_day_column(),
                 _top_column("themes", "Theme", len(watchlist.themes))),
        _lens_xy("newsmon-lens-top-actors", "[newsmon] Top actors", "The actors most articles mention.",
                 "bar_horizontal", _top_column("actors", "Actor", 15)),
    ]
    layout = [(0, 0, 24, 15), (24, 0, 24, 15), (0, 15, 24, 15), (24, 15, 24, 15)]
    latest = next(s for s in searches if s["id"] == LATEST_ALERTS_ID)
    dashboard = _dashboard([*zip(charts, layout), (latest, (0, 30, 48, 20))])
    return [data_view, *searches, *charts, dashboard]


def render_ndjson(objects: list[dict]) -> str:
    """One object per line, keys sorted like Kibana's export, so that regenerating gives the same bytes."""
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for o in objects)


# --- validating --------------------------------------------------------------------------------------------


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
                if column.get("sourceField", _RECORDS) != _RECORDS:
                    kind = "date" if column.get("operationType") == "date_histogram" else None
                    self.field(column["sourceField"], role, aggregatable=True, kind=kind)
                self.kql(column.get("filter"), f"{role} filter")
        for layer in state.get("visualization", {}).get("layers", []):
            columns = layers.get(layer.get("layerId"), {}).get("columns", {})
            for accessor in [*layer.get("accessors", []), layer.get("xAccessor"), layer.get("splitAccessor")]:
                if accessor and accessor not in columns:
                    self.problem(f"lens chart shows column {accessor!r}, which its layer does not define")

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
    (``{"success": true, "successCount": N, ...}``); raise :class:`KibanaImportError` otherwise."""
    path = Path(ndjson_path)
    base = kibana_url.rstrip("/") + (f"/s/{space}" if space and space != "default" else "")
    url = f"{base}/api/saved_objects/_import"
    headers = {"kbn-xsrf": "true"}
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    auth = httpx.BasicAuth(username, password or "") if username else None
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
