"""Kibana saved objects for analysts, built from the watchlist and alert rules.

``scripts/make_kibana_objects.py`` writes ``kibana/newsmon.ndjson`` with :func:`build_saved_objects`: one data view
over the article alias, a saved search per alert rule, actor and theme, the articles by event, four Lens charts,
a Lens table of the week's events and a dashboard, in the shape Kibana 8.12's saved-objects export produces.
:mod:`newsmon.kibana.saved_objects` checks and imports the file.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from newsmon.settings import Settings

if TYPE_CHECKING:  # only the types: importing the watchlist package would load spaCy
    from newsmon.alerts.rules import AlertRule
    from newsmon.matching.watchlist import Watchlist

__all__ = ["ARTICLES_BY_EVENT_ID", "DASHBOARD_ID", "DATA_VIEW_ID", "DEFAULT_INDEX_ALIAS", "EVENTS_OF_THE_WEEK_ID",
           "EVENT_SEARCH_COLUMNS", "RECORDS_FIELD", "REQUIRED_KEYS", "SEARCH_COLUMNS", "build_saved_objects", "kql_any",
           "render_ndjson", "rule_kql"]

DEFAULT_INDEX_ALIAS: str = Settings.model_fields["index_alias"].default
DATA_VIEW_ID = "newsmon-data-view"
DASHBOARD_ID = "newsmon-dashboard-overview"
LATEST_ALERTS_ID = "newsmon-search-alerts-latest"
ARTICLES_BY_EVENT_ID = "newsmon-search-articles-by-event"
EVENTS_OF_THE_WEEK_ID = "newsmon-lens-events-of-the-week"
#: What a Kibana 8.12 export writes: core 8.8.0 for every type, and each type's latest migration (``search``
#: 10.1.0 is model version 1, sampleSize, new in 8.12). Kibana migrates older versions on import and refuses
#: newer ones, so if an import ever says a version is too recent, lower it here and regenerate.
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSIONS = {"index-pattern": "8.0.0", "search": "10.1.0", "lens": "8.9.0", "dashboard": "8.9.0"}
SEARCH_COLUMNS = ("title", "source", "lang", "actors", "themes")
#: The columns of the articles-by-event search (and the monitor's Discover link to one event's articles).
EVENT_SEARCH_COLUMNS = ("event_id", "title", "lang", "source")
REQUIRED_KEYS = ("type", "id", "attributes", "references", "coreMigrationVersion", "typeMigrationVersion")

_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
_LAYER = "articles"
RECORDS_FIELD = "___records___"


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
                  filters: list[tuple[str, dict]] = (), columns: tuple[str, ...] = SEARCH_COLUMNS,
                  sort: tuple[tuple[str, str], ...] = (("published", "desc"),)) -> dict:
    built = [_custom_filter(i, label, query) for i, (label, query) in enumerate(filters)]
    source = {"query": {"query": kql, "language": "kuery"}, "highlightAll": True, "filter": built,
              "indexRefName": _INDEX_REF}
    references = [{"id": DATA_VIEW_ID, "name": name, "type": "index-pattern"}
                  for name in [_INDEX_REF, *(f["meta"]["indexRefName"] for f in built)]]
    return _saved_object("search", object_id, {
        "columns": list(columns), "description": description, "grid": {}, "hideChart": False,
        "isTextBasedQuery": False, "kibanaSavedObjectMeta": {"searchSourceJSON": _json(source)},
        "sort": [list(pair) for pair in sort], "timeRestore": False, "title": title}, references)


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


def _articles_by_event_search() -> dict:
    return _saved_search(ARTICLES_BY_EVENT_ID, "[newsmon] Articles by event",
                         "Every article placed in an event, the articles of one event together (sorted by event_id), "
                         "oldest first within it. Add event_id : \"ev-...\" to the query for one event (the monitor "
                         "page links each event to its articles).", "event_id : *", columns=EVENT_SEARCH_COLUMNS,
                         sort=(("event_id", "asc"), ("published", "asc")))


def _count_column() -> dict:
    return {"customLabel": True, "dataType": "number", "isBucketed": False, "label": "Articles",
            "operationType": "count", "params": {"emptyAsNull": True}, "scale": "ratio", "sourceField": RECORDS_FIELD}


def _per_day_column() -> dict:
    return {"customLabel": True, "dataType": "date", "isBucketed": True, "label": "Published (per day)",
            "operationType": "date_histogram", "params": {"dropPartials": False, "includeEmptyRows": True,
                                                          "interval": "d"},
            "scale": "interval", "sourceField": "published"}


def _top_column(field: str, label: str, size: int, other_bucket: bool = True) -> dict:
    return {"customLabel": True, "dataType": "string", "isBucketed": True, "label": label,
            "operationType": "terms", "params": {
                "exclude": [], "excludeIsRegex": False, "include": [], "includeIsRegex": False,
                "missingBucket": False, "orderBy": {"columnId": "count", "type": "column"},
                "orderDirection": "desc", "otherBucket": other_bucket, "parentFormat": {"id": "terms"}, "size": size},
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


def _metric_column(operation: str, field: str, label: str, data_type: str = "number", **params) -> dict:
    """A Lens metric: ``unique_count``, ``min``, ``max`` or ``last_value`` of ``field``."""
    return {"customLabel": True, "dataType": data_type, "isBucketed": False, "label": label,
            "operationType": operation, "params": {"emptyAsNull": True, **params} if operation != "last_value"
            else params, "scale": "ordinal" if data_type == "string" else "ratio", "sourceField": field}


def _events_of_the_week_table() -> dict:
    """A Lens table of the events with the most articles (in the panel's time range: the dashboard gives it the
    last 7 days), each with a title, its article count, sources, languages and first and last publication."""
    layer = "events"
    columns = {
        "event": _top_column("event_id", "Event", 50, other_bucket=False),
        "title": _metric_column("last_value", "title.raw", "A title", "string", sortField="published",
                                showArrayValues=False),
        "count": _count_column(),
        "sources": _metric_column("unique_count", "source", "Sources"),
        "languages": _metric_column("unique_count", "lang", "Languages"),
        "first": _metric_column("min", "published", "First published", "date"),
        "last": _metric_column("max", "published", "Last published", "date"),
    }
    visualization = {"columns": [{"columnId": column, "isTransposed": False} for column in columns],
                     "headerRowHeight": "single", "layerId": layer, "layerType": "data",
                     "paging": {"enabled": True, "size": 20}, "rowHeight": "single",
                     "sorting": {"columnId": "count", "direction": "desc"}}
    state = {"adHocDataViews": {}, "datasourceStates": {
        "formBased": {"layers": {layer: {"columnOrder": list(columns), "columns": columns, "incompleteColumns": {},
                                         "sampling": 1}}},
        "textBased": {"layers": {}}},
        "filters": [], "internalReferences": [], "query": {"language": "kuery", "query": "event_id : *"},
        "visualization": visualization}
    return _saved_object("lens", EVENTS_OF_THE_WEEK_ID, {
        "description": "The events with the most articles: one row per event_id, with a title, its articles, "
                       "sources and languages, and when it was first and last published.",
        "state": state, "title": "[newsmon] Events of the week", "visualizationType": "lnsDatatable"},
        [{"id": DATA_VIEW_ID, "name": f"indexpattern-datasource-layer-{layer}", "type": "index-pattern"}])


def _dashboard(panels: list[tuple[dict, tuple[int, int, int, int]]],
               time_ranges: dict[str, dict] | None = None) -> dict:
    """The overview dashboard; ``panels`` are (saved object, (x, y, w, h)) on Kibana's 48-column grid;
    ``time_ranges`` gives a panel (by object id) a time range of its own."""
    panel_json, references = [], []
    for obj, (x, y, w, h) in panels:
        index = obj["id"].removeprefix("newsmon-")
        config = {"enhancements": {}, **({"timeRange": time_ranges[obj["id"]]} if obj["id"] in (time_ranges or {})
                                         else {})}
        panel_json.append({"embeddableConfig": config,
                           "gridData": {"h": h, "i": index, "w": w, "x": x, "y": y},
                           "panelIndex": index, "panelRefName": f"panel_{index}", "type": obj["type"]})
        references.append({"id": obj["id"], "name": f"{index}:panel_{index}", "type": obj["type"]})
    options = {"useMargins": True, "syncColors": False, "syncCursor": True, "syncTooltips": False,
               "hidePanelTitles": False}
    return _saved_object("dashboard", DASHBOARD_ID, {
        "description": "Articles per day by source and language, themes over time, top actors, the latest "
                       "articles of the alert rules, the events of the last 7 days and the articles by event.",
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
    by_event, week = _articles_by_event_search(), _events_of_the_week_table()
    dashboard = _dashboard([*zip(charts, layout), (latest, (0, 30, 48, 20)), (week, (0, 50, 48, 16)),
                            (by_event, (0, 66, 48, 20))],
                           time_ranges={EVENTS_OF_THE_WEEK_ID: {"from": "now-7d", "to": "now"}})
    return [data_view, *searches, by_event, *charts, week, dashboard]


def render_ndjson(objects: list[dict]) -> str:
    """One object per line, keys sorted like Kibana's export, so that regenerating gives the same bytes."""
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" for o in objects)


# --- validating --------------------------------------------------------------------------------------------


