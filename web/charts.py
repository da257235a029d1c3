"""Server-side SVG charts: no script, readable without colour, with a <title> and <desc> for
screen readers; the numbers are always shown beside them as a table as well."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 72, 28, 16


def bar_chart(rows: Sequence[Any], title: str, description: str, link: Callable[[int], str],
              label: Callable[[Any], str], value: Callable[[Any], float] = lambda r: r.pages,
              number: Callable[[float], str] = str) -> Markup:
    """A value per year as bars (pages by default); each bar links to `link(year)` and is named
    by `label(row)`; the scale's top is written by `number` (the page's language: "587 100").
    Values below zero are drawn as zero (the table beside says the number)."""
    top = max((value(r) for r in rows), default=0) or 1
    top_label = escape(number(round(top) if isinstance(top, float) else top))
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / max(1, len(rows))
    bar_w = max(4.0, step * 0.7)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<line class="axis" x1="{MARGIN_LEFT}" y1="{HEIGHT - MARGIN_BOTTOM}" x2="{WIDTH - 8}"'
        f' y2="{HEIGHT - MARGIN_BOTTOM}"/>',
        f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" text-anchor="end">{top_label}</text>',
        f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{HEIGHT - MARGIN_BOTTOM}" text-anchor="end">0</text>',
    ]
    for i, r in enumerate(rows):
        h = plot_h * max(0, value(r)) / top
        x = MARGIN_LEFT + i * step + (step - bar_w) / 2
        y = HEIGHT - MARGIN_BOTTOM - h
        name = escape(label(r))
        parts.append(
            f'<a href="{escape(link(r.year))}" aria-label="{name}"><title>{name}</title>'
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(h, 1):.1f}"/>'
            f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{r.year}</text>'
            '</a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
