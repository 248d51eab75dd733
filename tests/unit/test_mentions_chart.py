"""The spike rule of the daily mentions chart, and the chart as SVG: well-formed XML, every label escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from newsmon.monitor.mentions_chart import (
    HISTORY_DAYS,
    MIN_COUNT,
    SD_FACTOR,
    Spike,
    mentions_chart,
    spike_days,
)
from newsmon.monitor.svg_chart import ChartSeries, render_line_chart

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script> & <b>Kabulov</b>'


def days(n: int, start: date = date(2025, 9, 1)) -> list[str]:
    return [(start + timedelta(days=i)).isoformat() for i in range(n)]


def test_a_day_far_above_its_own_last_14_days_is_a_spike():
    counts = [2, 3, 2, 4, 3, 2, 3, 2, 3, 4, 2, 3, 2, 3] + [12, 3]
    [spike] = spike_days(counts)
    assert spike == Spike(day=14, count=12, mean=2.71, sd=0.7)
    assert spike.count > spike.mean + SD_FACTOR * spike.sd


def test_the_day_after_a_spike_is_judged_on_a_baseline_that_holds_the_spike():
    counts = [1] * 14 + [9, 6]
    # the 6 would be a spike after fourteen 1s, but its baseline holds the 9: mean 1.57, sd 2.06, 6 < 7.75
    assert [s.day for s in spike_days(counts)] == [14]
    assert [s.day for s in spike_days([1] * 14 + [6])] == [14]


def test_a_silent_series_spikes_from_the_minimum_count():
    assert spike_days([0] * 14 + [MIN_COUNT - 1]) == []
    assert spike_days([0] * 14 + [MIN_COUNT]) == [Spike(14, MIN_COUNT, 0.0, 0.0)]


def test_a_busy_series_needs_more_than_a_busy_day():
    busy = [10, 20, 10, 20, 10, 20, 10, 20, 10, 20, 10, 20, 10, 20]  # mean 15, sd 5: a spike needs more than 30
    assert spike_days(busy + [30]) == [] and [s.day for s in spike_days(busy + [31])] == [14]


def test_days_without_a_full_baseline_are_never_spikes():
    assert spike_days([0, 0, 50]) == [] and spike_days([5] * (HISTORY_DAYS - 1) + [500]) == []


@pytest.mark.parametrize("factor, minimum, expected", [(3.0, 3, [14]), (20.0, 3, []), (3.0, 20, [])])
def test_the_rule_takes_its_factor_and_minimum(factor, minimum, expected):
    counts = [1, 2] * 7 + [9]
    assert [s.day for s in spike_days(counts, sd_factor=factor, min_count=minimum)] == expected


def test_the_svg_is_well_formed_xml_and_escapes_every_label():
    shown = days(28)
    series = [ChartSeries(EVIL, [1] * 27 + [9], {27: f"{EVIL}: 9 articles"}), ChartSeries("Taliban", [3] * 28)]
    svg = render_line_chart(f"title {EVIL}", shown, series, element_id='x"><script>')
    assert "<script" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("id") == 'x"><script>'
    assert root.find(SVG + "title").text == f"title {EVIL}"
    groups = root.findall(SVG + "g")
    assert [g.get("data-label") for g in groups] == [EVIL, "Taliban"]
    [spike] = root.iter(SVG + "circle")
    assert spike.get("data-day") == shown[27] and spike.find(SVG + "title").text == f"{EVIL}: 9 articles"
    legend = [t.text for t in root.iter(SVG + "text") if "·" in (t.text or "")]
    assert legend == ['<script>alert("x")</s… · 36 (1 spike)', "Taliban · 84"]
    polyline = groups[0].find(SVG + "polyline")
    assert len(polyline.get("points").split()) == 28


def test_the_svg_scales_to_a_round_top_and_labels_weeks_back_from_the_last_day():
    shown = days(28)
    root = ET.fromstring(render_line_chart("t", shown, [ChartSeries("a", [0] * 27 + [7])]))
    labels = [t.text for t in root.iter(SVG + "text")]
    assert labels[:3] == ["0", "5", "10"]  # 7 rounds up to 10
    assert [label for label in labels if "-" in label] == [d[5:] for d in shown[6::7]]


def test_chart_data_keeps_the_window_and_names_the_spikes():
    shown = days(HISTORY_DAYS + 28)
    daily = {"days": shown, "actors": {"zamir_kabulov": [0] * (HISTORY_DAYS + 27) + [4]},
             "themes": {"moscow_format": [1] * (HISTORY_DAYS + 28)}}
    chart = mentions_chart(daily, {"zamir_kabulov": "Zamir <Kabulov>"})
    assert chart["days"] == shown[HISTORY_DAYS:] and "mean plus 3 standard deviations" in chart["rule"]
    [kabulov] = chart["actors"]
    assert kabulov["label"] == "Zamir <Kabulov>" and kabulov["total"] == 4 and len(kabulov["counts"]) == 28
    assert kabulov["spikes"] == [{"day": shown[-1], "count": 4, "baseline_mean": 0.0, "baseline_sd": 0.0}]
    assert chart["themes"][0]["label"] == "moscow_format" and chart["themes"][0]["spikes"] == []
    actors = ET.fromstring(chart["svg"]["actors"])
    assert actors.get("id") == "mentions-actors" and "Zamir &lt;Kabulov&gt;" in chart["svg"]["actors"]
    assert mentions_chart({"days": [], "actors": {}, "themes": {}}, {})["svg"] == {"actors": "", "themes": ""}
