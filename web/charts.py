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


DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")  # a line's pattern: colour is not its only cue
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")


def line_chart(series: Sequence[tuple[str, list[tuple[int, float, str]]]], title: str, description: str,
               value_label: Callable[[float], str]) -> Markup:
    """One line per series (name, [(year, value, what its point says)]), each with its own colour
    class, dash pattern and marker shape, and a legend; every point has a <title> ("2021: 4 497,9
    mill. kr (vedtak, +3,9 %) · its series"). Years on the x axis; `value_label` says the axis' ends."""
    years = sorted({y for _n, pts in series for y, _v, _t in pts})
    values = [v for _n, pts in series for _y, v, _t in pts]
    if not years or not values:
        return Markup("")
    # A line chart's axis starts near the values (the labels say where), not at zero.
    pad = (max(values) - min(values)) * 0.1 or abs(max(values)) * 0.05 or 1.0
    lo, hi = min(values) - pad, max(values) + pad
    left = 118
    plot_w, plot_h = WIDTH - left - 16, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / max(1, len(years) - 1)

    def x(year: int) -> float:
        return left + (years.index(year) * step if len(years) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return MARGIN_TOP + plot_h * (1 - (value - lo) / ((hi - lo) or 1))

    parts = [
        f'<svg class="chart lines" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>', f'<desc id="chart-desc">{escape(description)}</desc>',
        f'<line class="axis" x1="{left}" y1="{y(lo):.1f}" x2="{WIDTH - 8}" y2="{y(lo):.1f}"/>',
        f'<text class="tick" x="{left - 6}" y="{MARGIN_TOP + 4}" text-anchor="end">{escape(value_label(hi))}</text>',
        f'<text class="tick" x="{left - 6}" y="{y(lo):.1f}" text-anchor="end">{escape(value_label(lo))}</text>',
    ]
    for year in years:
        parts.append(f'<text class="tick" x="{x(year):.1f}" y="{HEIGHT - 10}" text-anchor="middle">{year}</text>')
    for i, (name, pts) in enumerate(series):
        k = i % len(DASHES)
        dash = f' stroke-dasharray="{DASHES[k]}"' if DASHES[k] else ""
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v, _t in sorted(pts))
        parts.append(f'<g class="s{k}"><polyline class="line" points="{path}"{dash}/>')
        for yr, v, said in sorted(pts):
            label = escape(f"{said} · {name}")
            parts.append(_marker(MARKERS[k], x(yr), y(v), label))
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(shape: str, cx: float, cy: float, label: Markup) -> str:
    title = f"<title>{label}</title>"
    if shape == "square":
        return f'<rect class="dot" x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7">{title}</rect>'
    if shape == "diamond":
        return (f'<polygon class="dot" points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy:.1f} {cx:.1f},{cy + 5:.1f} '
                f'{cx - 5:.1f},{cy:.1f}">{title}</polygon>')
    if shape == "triangle":
        return (f'<polygon class="dot" points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy + 4:.1f} '
                f'{cx - 5:.1f},{cy + 4:.1f}">{title}</polygon>')
    return f'<circle class="dot" cx="{cx:.1f}" cy="{cy:.1f}" r="4">{title}</circle>'


def change_bar(value: float, peak: float, width: int = 160) -> Markup:
    """A bar for one change, from a middle line: right and green for up, left and red for down
    (the page says "opp"/"ned" beside it: colour is not the only cue)."""
    half = width / 2
    w = 0.0 if not peak else max(1.0, half * min(1.0, abs(value) / peak))
    cls = "up" if value > 0 else "down" if value < 0 else "flat"
    x0 = half if value >= 0 else half - w
    return Markup(f'<svg class="changebar" viewBox="0 0 {width} 14" width="{width}" height="14" aria-hidden="true"'
                  f' xmlns="http://www.w3.org/2000/svg"><line class="mid" x1="{half}" y1="0" x2="{half}" y2="14"/>'
                  f'<rect class="{cls}" x="{x0:.1f}" y="2" width="{w:.1f}" height="10"/></svg>')
