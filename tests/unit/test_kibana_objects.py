"""kibana/newsmon.ndjson: its structure, that it matches the generator, and what the validator catches."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from newsmon.alerts.rules import AlertRule, load_rules
from newsmon.index.mapping import article_mapping
from newsmon.kibana.objects import (
    ARTICLES_BY_EVENT_ID,
    DASHBOARD_ID,
    DATA_VIEW_ID,
    EVENT_SEARCH_COLUMNS,
    EVENTS_OF_THE_WEEK_ID,
    build_saved_objects,
    render_ndjson,
)
from newsmon.kibana.saved_objects import kql_fields, validate_saved_objects
from newsmon.matching.watchlist import load_watchlist
from newsmon.settings import PROJECT_ROOT, Settings

NDJSON = PROJECT_ROOT / "kibana" / "newsmon.ndjson"
WATCHLIST = load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml")
RULES = load_rules(PROJECT_ROOT / "config" / "alerts.yaml")


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return [json.loads(line) for line in NDJSON.read_text(encoding="utf-8").splitlines()]


def by_id(objects: list[dict]) -> dict[str, dict]:
    return {o["id"]: o for o in objects}


def search_source(obj: dict) -> dict:
    return json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])


def write(tmp_path: Path, objects: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "objects.ndjson"
    path.write_text(render_ndjson(objects) + "".join(line + "\n" for line in extra_lines), encoding="utf-8")
    return path


# --- the shipped file ----------------------------------------------------------------------------------------


def test_shipped_file_has_no_problems() -> None:
    assert validate_saved_objects(NDJSON, article_mapping()) == []


def test_shipped_file_is_what_the_generator_writes() -> None:
    alias = Settings.model_fields["index_alias"].default
    assert NDJSON.read_text(encoding="utf-8") == render_ndjson(build_saved_objects(WATCHLIST, RULES,
                                                                                   index_alias=alias)), \
        "kibana/newsmon.ndjson is stale: run uv run python scripts/make_kibana_objects.py"
    assert render_ndjson(build_saved_objects(WATCHLIST, RULES)) == render_ndjson(build_saved_objects(WATCHLIST,
                                                                                                     RULES))


def load_script():
    spec = importlib.util.spec_from_file_location("make_kibana_objects",
                                                  PROJECT_ROOT / "scripts" / "make_kibana_objects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_checks_and_writes(tmp_path, capsys) -> None:
    script = load_script()
    assert script.main(["--check"]) == 0, capsys.readouterr().err
    output = tmp_path / "out.ndjson"
    assert script.main(["--check", "--output", str(output)]) == 1
    assert "is out of date" in capsys.readouterr().err
    assert script.main(["--output", str(output), "--index-alias", "other-alias"]) == 0
    assert '"title":"other-alias"' in output.read_text(encoding="utf-8")
    assert script.main(["--check", "--output", str(output)]) == 1


def test_every_line_is_an_export_shaped_saved_object(objects) -> None:
    counts = Counter(o["type"] for o in objects)
    assert counts == {"index-pattern": 1,
                      "search": len(RULES) + 1 + len(WATCHLIST.actors) + len(WATCHLIST.themes) + 1,
                      "lens": 5, "dashboard": 1}
    versions = {"index-pattern": "8.0.0", "search": "10.1.0", "lens": "8.9.0", "dashboard": "8.9.0"}
    for obj in objects:
        assert set(obj) == {"attributes", "coreMigrationVersion", "id", "managed", "references", "type",
                            "typeMigrationVersion"}
        assert (obj["coreMigrationVersion"], obj["typeMigrationVersion"]) == ("8.8.0", versions[obj["type"]])
        assert obj["id"].startswith("newsmon-") and obj["managed"] is False
        assert list(obj) == sorted(obj) and list(obj["attributes"]) == sorted(obj["attributes"])


def test_data_view_is_the_article_alias_by_published(objects) -> None:
    data_view = by_id(objects)[DATA_VIEW_ID]
    assert data_view["type"] == "index-pattern"
    assert (data_view["attributes"]["title"], data_view["attributes"]["timeFieldName"]) == ("newsmon-articles",
                                                                                            "published")
    for name in ("fieldAttrs", "fieldFormatMap", "runtimeFieldMap", "typeMeta"):
        assert json.loads(data_view["attributes"][name]) == {}


def test_index_alias_is_a_parameter() -> None:
    objects = build_saved_objects(WATCHLIST, RULES, index_alias="test-alias")
    assert by_id(objects)[DATA_VIEW_ID]["attributes"]["title"] == "test-alias"


@pytest.mark.parametrize("kind, ids, field", [("actor", [a.id for a in WATCHLIST.actors], "actors"),
                                              ("theme", [t.id for t in WATCHLIST.themes], "themes")])
def test_a_saved_search_per_watchlist_entry(objects, kind, ids, field) -> None:
    searches = by_id(objects)
    assert "newsmon-search-actor-zamir_kabulov" in searches
    for entry_id in ids:
        search = searches[f"newsmon-search-{kind}-{entry_id}"]
        attributes = search["attributes"]
        assert search_source(search)["query"] == {"query": f'{field} : "{entry_id}"', "language": "kuery"}
        assert attributes["columns"] == ["title", "source", "lang", "actors", "themes"]
        assert attributes["sort"] == [["published", "desc"]]
        assert search["references"] == [{"id": DATA_VIEW_ID, "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
                                         "type": "index-pattern"}]


def test_alert_rule_searches_say_what_the_rules_say(objects) -> None:
    searches = by_id(objects)
    assert search_source(searches["newsmon-search-alert-moscow_format"])["query"]["query"] == \
        'themes : "moscow_format"'
    assert search_source(searches["newsmon-search-alert-taliban_recognition"])["query"]["query"] == \
        'themes : "recognition" and actors : "taliban"'
    assert search_source(searches["newsmon-search-alerts-latest"])["query"]["query"] == \
        '(themes : "moscow_format") or (themes : "recognition" and actors : "taliban")'


def test_rule_with_free_text_gets_its_query_as_a_filter(tmp_path) -> None:
    rule = AlertRule.model_validate({"id": "embassy", "name": "Embassy", "recipients": ["a@example.org"],
                                     "match": {"actors": ["taliban"], "languages": ["en", "ru"],
                                               "text": '"embassy handover"'}})
    objects = build_saved_objects(WATCHLIST, [*RULES, rule])
    search = by_id(objects)["newsmon-search-alert-embassy"]
    source = search_source(search)
    assert source["query"]["query"] == 'actors : "taliban" and lang : ("en" or "ru")'
    assert source["filter"][0]["query"] == {"simple_query_string": {
        "query": '"embassy handover"', "fields": ["title", "text"], "default_operator": "and"}}
    assert {r["name"] for r in search["references"]} == {
        "kibanaSavedObjectMeta.searchSourceJSON.index", "kibanaSavedObjectMeta.searchSourceJSON.filter[0].meta.index"}
    latest = search_source(by_id(objects)["newsmon-search-alerts-latest"])
    assert latest["query"]["query"] == "" and len(latest["filter"][0]["query"]["bool"]["should"]) == 3
    assert validate_saved_objects(write(tmp_path, objects), article_mapping()) == []


def test_lens_charts_count_articles_by_the_right_fields(objects) -> None:
    expected = {"newsmon-lens-articles-per-day-by-source": ("published", "source", "bar_stacked"),
                "newsmon-lens-articles-per-day-by-language": ("published", "lang", "bar_stacked"),
                "newsmon-lens-theme-timeline": ("published", "themes", "line"),
                "newsmon-lens-top-actors": ("actors", None, "bar_horizontal")}
    lenses = by_id(objects)
    for object_id, (x_field, split_field, series) in expected.items():
        attributes = lenses[object_id]["attributes"]
        assert attributes["visualizationType"] == "lnsXY"
        (layer_id, layer), = attributes["state"]["datasourceStates"]["formBased"]["layers"].items()
        chart, = attributes["state"]["visualization"]["layers"]
        assert chart["seriesType"] == series and chart["layerId"] == layer_id
        assert layer["columns"][chart["xAccessor"]]["sourceField"] == x_field
        assert layer["columns"][chart["accessors"][0]]["operationType"] == "count"
        split = chart.get("splitAccessor")
        assert (layer["columns"][split]["sourceField"] if split else None) == split_field
        assert lenses[object_id]["references"] == [
            {"id": DATA_VIEW_ID, "name": f"indexpattern-datasource-layer-{layer_id}", "type": "index-pattern"}]


def test_dashboard_panels_reference_the_charts_and_the_alert_table(objects) -> None:
    dashboard = by_id(objects)[DASHBOARD_ID]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    references = {r["name"]: (r["type"], r["id"]) for r in dashboard["references"]}
    shown = [references[f"{p['panelIndex']}:{p['panelRefName']}"] for p in panels]
    assert shown == [("lens", "newsmon-lens-articles-per-day-by-source"),
                     ("lens", "newsmon-lens-articles-per-day-by-language"),
                     ("lens", "newsmon-lens-theme-timeline"), ("lens", "newsmon-lens-top-actors"),
                     ("search", "newsmon-search-alerts-latest"), ("lens", EVENTS_OF_THE_WEEK_ID),
                     ("search", ARTICLES_BY_EVENT_ID)]
    assert all(p["type"] == kind for p, (kind, _) in zip(panels, shown))
    cells = {(x, y) for p in panels for x in range(p["gridData"]["x"], p["gridData"]["x"] + p["gridData"]["w"])
             for y in range(p["gridData"]["y"], p["gridData"]["y"] + p["gridData"]["h"])}
    assert len(cells) == sum(p["gridData"]["w"] * p["gridData"]["h"] for p in panels), "panels overlap"
    assert max(p["gridData"]["x"] + p["gridData"]["w"] for p in panels) <= 48
    assert dashboard["attributes"]["timeRestore"] is True
    week = next(p for p in panels if p["panelIndex"] == "lens-events-of-the-week")
    assert week["embeddableConfig"]["timeRange"] == {"from": "now-7d", "to": "now"}
    assert all("timeRange" not in p["embeddableConfig"] for p in panels if p is not week)


def test_articles_by_event_search_groups_the_articles_of_an_event(objects) -> None:
    search = by_id(objects)[ARTICLES_BY_EVENT_ID]
    assert search["attributes"]["title"] == "[newsmon] Articles by event"
    assert search["attributes"]["columns"] == ["event_id", "title", "lang", "source"] == list(EVENT_SEARCH_COLUMNS)
    assert search["attributes"]["sort"] == [["event_id", "asc"], ["published", "asc"]]
    assert search_source(search)["query"] == {"query": "event_id : *", "language": "kuery"}


def test_events_of_the_week_is_a_table_of_event_ids_with_counts(objects) -> None:
    lens = by_id(objects)[EVENTS_OF_THE_WEEK_ID]
    attributes = lens["attributes"]
    assert attributes["visualizationType"] == "lnsDatatable" and attributes["title"] == "[newsmon] Events of the week"
    (layer_id, layer), = attributes["state"]["datasourceStates"]["formBased"]["layers"].items()
    table = attributes["state"]["visualization"]
    assert table["layerId"] == layer_id and [c["columnId"] for c in table["columns"]] == layer["columnOrder"]
    columns = layer["columns"]
    rows = columns[layer["columnOrder"][0]]
    assert (rows["operationType"], rows["sourceField"], rows["isBucketed"]) == ("terms", "event_id", True)
    assert rows["params"]["orderBy"] == {"columnId": "count", "type": "column"} and rows["params"]["size"] == 50
    assert columns["count"]["operationType"] == "count" and table["sorting"] == {"columnId": "count",
                                                                                   "direction": "desc"}
    assert {(c["operationType"], c["sourceField"]) for c in columns.values() if not c["isBucketed"]} == {
        ("last_value", "title.raw"), ("count", "___records___"), ("unique_count", "source"), ("unique_count", "lang"),
        ("min", "published"), ("max", "published")}
    assert lens["references"] == [
        {"id": DATA_VIEW_ID, "name": f"indexpattern-datasource-layer-{layer_id}", "type": "index-pattern"}]


def test_new_watchlist_entry_gets_its_saved_search() -> None:
    actor = WATCHLIST.actors[0].model_copy(update={"id": "new_envoy", "label": "New Envoy"})
    watchlist = WATCHLIST.model_copy(update={"actors": [*WATCHLIST.actors, actor]})
    ids = [o["id"] for o in build_saved_objects(watchlist, RULES)]
    assert "newsmon-search-actor-new_envoy" in ids and len(ids) == len(set(ids))


# --- what the validator catches ------------------------------------------------------------------------------


def test_kql_fields_sees_nested_groups() -> None:
    assert kql_fields('actors : "a" and mentions:{ id : "x" and kind : actor } or title : "a:b"') == [
        ("actors", False), ("mentions", False), ("mentions.id", True), ("mentions.kind", True), ("title", False)]


def test_broken_file_gives_the_expected_problems(tmp_path) -> None:
    objects = build_saved_objects(WATCHLIST, RULES)
    items = by_id(objects)
    search = items["newsmon-search-actor-taliban"]
    source = search_source(search)
    source["query"]["query"] = 'actor : "taliban" and mentions.id : "taliban" and mentions:{ kind : "actor" }'
    search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"] = json.dumps(source)
    search["attributes"]["columns"].append("headline")
    search["attributes"]["sort"] = [["text", "desc"]]
    lens = items["newsmon-lens-top-actors"]["attributes"]["state"]
    lens["datasourceStates"]["formBased"]["layers"]["articles"]["columns"]["x"]["sourceField"] = "mentions.id"
    lens["visualization"]["layers"][0]["splitAccessor"] = "ghost"
    table = items[EVENTS_OF_THE_WEEK_ID]["attributes"]["state"]
    table["visualization"]["columns"].append({"columnId": "phantom"})
    table["datasourceStates"]["formBased"]["layers"]["events"]["columns"]["title"]["params"]["sortField"] = "text"
    items["newsmon-lens-theme-timeline"]["references"][0]["id"] = "no-such-data-view"
    items[DATA_VIEW_ID]["attributes"]["timeFieldName"] = "source"
    del items["newsmon-search-theme-recognition"]["references"]
    duplicate = json.dumps(items["newsmon-search-theme-ukraine_war"])
    path = write(tmp_path, objects, (duplicate, '{"type": "search", "id": "half', "[1, 2]"))

    problems = validate_saved_objects(path, article_mapping())
    text = "\n".join(problems)
    expected = [
        "timeFieldName needs a date field, but 'source' is keyword",
        "search query names field 'actor', which the article mapping does not have",
        "'mentions.id' is inside nested field 'mentions'; write mentions:{ id : ... }",
        "column names field 'headline'",
        "sort needs an aggregatable field; 'text' is text",
        "needs an aggregatable field; 'mentions.id' is keyword inside nested mentions",
        "lens chart shows column 'ghost'",
        "lens table shows column 'phantom', which its layer does not define",
        "lens column title sort needs an aggregatable field; 'text' is text",
        "points to index-pattern 'no-such-data-view', which is not in the file",
        "missing key(s) ['references']",
        "line 31 (search newsmon-search-theme-recognition): search refers to reference 'kibanaSavedObjectMeta",
        "duplicate id search 'newsmon-search-theme-ukraine_war' (2 objects)",
        "line 49: not JSON",
        "line 50: not a JSON object",
    ]
    for snippet in expected:
        assert snippet in text, f"expected a problem containing {snippet!r} in:\n{text}"
    assert "mentions.kind" not in text  # written the nested way, so fine
    assert len(problems) == len(expected), text


def test_dangling_reference_names_and_panels_are_problems(tmp_path) -> None:
    objects = build_saved_objects(WATCHLIST, RULES)
    items = by_id(objects)
    items["newsmon-search-theme-ukraine_war"]["references"][0]["name"] = "renamed"
    items[DASHBOARD_ID]["references"] = items[DASHBOARD_ID]["references"][1:]
    objects.remove(items["newsmon-lens-top-actors"])
    problems = validate_saved_objects(write(tmp_path, objects), article_mapping())
    text = "\n".join(problems)
    assert "search refers to reference 'kibanaSavedObjectMeta.searchSourceJSON.index', which is not" in text
    assert "panel lens-articles-per-day-by-source refers to reference" in text
    assert "points to lens 'newsmon-lens-top-actors', which is not in the file" in text
    assert len(problems) == 3, text


def test_empty_file_and_export_summary_line(tmp_path) -> None:
    empty = tmp_path / "empty.ndjson"
    empty.write_text("\n", encoding="utf-8")
    assert validate_saved_objects(empty, article_mapping()) == ["no saved objects in the file"]
    summary = '{"excludedObjects":[],"excludedObjectsCount":0,"exportedCount":45,"missingRefCount":0,' \
              '"missingReferences":[]}'
    path = write(tmp_path, build_saved_objects(WATCHLIST, RULES), (summary,))
    assert validate_saved_objects(path, article_mapping()) == []
