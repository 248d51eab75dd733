"""A small line chart as SVG text, drawn on the server: no script, no fonts or files from elsewhere.

:func:`render_line_chart` draws one line per series over a run of days, marks the days given as spikes with a
ring, and names everything in ``<title>`` elements (a browser shows them on hover) and in a legend. Every text
it writes (labels, the title, day names) is XML-escaped; the result is well-formed XML that an HTML page can
embed as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

__all__ = ["PALETTE", "ChartSeries", "render_line_chart"]

#: Okabe and Ito's colour-blind-safe palette (without its yellow, too pale on white), then greys.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#999999")
_WIDTH, _HEIGHT = 760, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 200, 16, 34
_SPIKE_COLOUR = "#C00000"
#: Longer labels are cut in the legend (the line's own title keeps them whole).
_LEGEND_CHARS = 22


@dataclass
class ChartSeries:
    """One line: its label, a count per day, and the spikes (day index → what to say about it)."""

    label: str
    counts: list[int]
    spikes: dict[int, str] = field(default_factory=dict)


def _nice_ceiling(value: int) -> int:
    """The axis top: ``value`` rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def render_line_chart(title: str, days: list[str], series: list[ChartSeries], *, element_id: str = "") -> str:
    """The SVG of ``series`` over ``days`` (ISO dates, one count per day in each series)."""
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    top = _nice_ceiling(max((max(s.counts, default=0) for s in series), default=0))
    step = plot_w / max(len(days) - 1, 1)

    def x(index: int) -> float:
        return _LEFT + index * step

    def y(count: float) -> float:
        return _TOP + plot_h - plot_h * count / top

    identity = f" id={quoteattr(element_id)}" if element_id else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg"{identity} class="chart" role="img" '
             f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" '
             f'font-family="sans-serif" font-size="11">', f"<title>{escape(title)}</title>"]
    for tick in (0, top / 2, top):  # the y axis: 0, the middle and the top, with grid lines
        parts.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                     f'stroke="#d8dde6" stroke-width="1"/>')
        parts.append(_text(_LEFT - 6, y(tick) + 4, f"{tick:g}", text_anchor="end", fill="#556"))
    for index, day in enumerate(days):  # the x axis: a label each week, counted back from the last day
        if (len(days) - 1 - index) % 7 == 0:
            parts.append(_text(x(index), _TOP + plot_h + 16, day[5:], text_anchor="middle", fill="#556"))
            parts.append(f'<line x1="{x(index):.1f}" x2="{x(index):.1f}" y1="{_TOP + plot_h}" '
                         f'y2="{_TOP + plot_h + 4}" stroke="#556"/>')
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(c):.1f}" for i, c in enumerate(line.counts))
        parts.append(f'<g class="series" data-label={quoteattr(line.label)}>')
        parts.append(f"<title>{escape(line.label)}</title>")
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" points="{points}"/>')
        for index, note in sorted(line.spikes.items()):
            parts.append(f'<circle class="spike" data-day={quoteattr(days[index])} cx="{x(index):.1f}" '
                         f'cy="{y(line.counts[index]):.1f}" r="5" fill="{colour}" stroke="{_SPIKE_COLOUR}" '
                         f'stroke-width="2.5"><title>{escape(note)}</title></circle>')
        parts.append("</g>")
        legend_y = _TOP + 8 + number * 18
        parts.append(f'<rect x="{_LEFT + plot_w + 14}" y="{legend_y - 8}" width="12" height="4" fill="{colour}"/>')
        marked = f" ({len(line.spikes)} spike{'s' if len(line.spikes) != 1 else ''})" if line.spikes else ""
        name = line.label if len(line.label) <= _LEGEND_CHARS else line.label[:_LEGEND_CHARS - 1] + "…"
        parts.append(_text(_LEFT + plot_w + 32, legend_y - 2, f"{name} · {sum(line.counts)}{marked}"))
    parts.append("</svg>")
    return "".join(parts)
