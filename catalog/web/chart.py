"""The images-per-month chart: a bar a month on a time axis, drawn as one SVG picture.

datasette-vega drew it 200 pixels wide with its default size, which the URL cannot change, and
its page needs the rows of the query as JSON, cut at Datasette's row limit. The chart is drawn
here instead, on the server, from every row of the "Images per month" query: a picture as wide as
the page (``viewBox``, scaled by the browser), with a month without images left empty (the axis
is time, not a list of labels), years marked beneath, and the counts at the side. Pure: months
and counts in, SVG text out; nothing is loaded and nothing runs in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

WIDTH, HEIGHT = 960, 320
#: Room for the counts (left), the years (bottom) and the top count's label.
LEFT, BOTTOM, TOP, RIGHT = 56, 32, 16, 16
#: At least this many pixels between two year labels.
_YEAR_SPACING = 44
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def month_chart(rows: Iterable[tuple[str, int]]) -> str:
    """The SVG of ``(month, images)`` rows (a month as ``YYYY-MM...``; other rows are left
    out), each bar titled "2022-02: 14 images"."""
    counts = _by_month(rows)
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
            'height="{h}" font-family="sans-serif" font-size="12" role="img">'
        ).format(w=WIDTH, h=HEIGHT),
        Markup("<title>Images per month</title>"),
    ]
    if not counts:
        parts.append(
            Markup('<text x="{}" y="{}" text-anchor="middle">No image has a date</text>').format(
                WIDTH / 2, HEIGHT / 2
            )
        )
        return str(Markup("").join([*parts, Markup("</svg>")]))
    first, last = min(counts), max(counts)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / (last - first + 1)
    top = 4 * _nice_ceiling(-(-max(counts.values()) // 4))  # four round steps
    parts += _count_axis(top, plot_h)
    parts += _year_axis(first, last, slot, plot_h)
    for month, count in sorted(counts.items()):
        height = plot_h * count / top
        parts.append(
            Markup(
                '<rect class="bar" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" '
                'fill="#4a6fa5"><title>{}: {:,} image{}</title></rect>'
            ).format(
                LEFT + (month - first) * slot + slot * 0.1,
                TOP + plot_h - height,
                max(slot * 0.8, 1.0),
                height,
                _month_text(month),
                count,
                "" if count == 1 else "s",
            )
        )
    return str(Markup("").join([*parts, Markup("</svg>")]))


def _by_month(rows: Iterable[tuple[str, int]]) -> dict[int, int]:
    """Months as a count of months since year 0 (so the axis is time), with their counts."""
    counts: dict[int, int] = {}
    for month, count in rows:
        found = _MONTH.match(month) if isinstance(month, str) else None
        if found and 1 <= int(found[2]) <= 12 and isinstance(count, int) and count > 0:
            index = int(found[1]) * 12 + int(found[2]) - 1
            counts[index] = counts.get(index, 0) + count
    return counts


def _month_text(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value`` (at least 1)."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def _count_axis(top: int, plot_h: float) -> list[Markup]:
    """Four grid lines from 0 to ``top`` with their counts."""
    lines = []
    for step in range(5):
        value = top // 4 * step
        y = TOP + plot_h - plot_h * step / 4
        lines.append(
            Markup(
                '<line x1="{l}" x2="{r}" y1="{y:.2f}" y2="{y:.2f}" stroke="#ddd"/>'
                '<text x="{t}" y="{y:.2f}" dy="4" text-anchor="end">{v:,}</text>'
            ).format(l=LEFT, r=WIDTH - RIGHT, y=y, t=LEFT - 6, v=value)
        )
    return lines


def _year_axis(first: int, last: int, slot: float, plot_h: float) -> list[Markup]:
    """A tick at each January, labelled with its year where there is room for the label."""
    year_width = max(int(slot * 12), 1)
    every = -(-_YEAR_SPACING // year_width)  # years per label, rounded up
    ticks = []
    for year in range(first // 12, last // 12 + 1):
        x = LEFT + max(year * 12 - first, 0) * slot
        ticks.append(
            Markup('<line x1="{x:.2f}" x2="{x:.2f}" y1="{a}" y2="{b}" stroke="#999"/>').format(
                x=x, a=TOP + plot_h, b=TOP + plot_h + 5
            )
        )
        if year % every == 0:
            ticks.append(
                Markup('<text class="year" x="{:.2f}" y="{}">{}</text>').format(
                    x + 2, HEIGHT - BOTTOM + 20, year
                )
            )
    return ticks
