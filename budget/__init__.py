"""The budget model: what the budget documents say in numbers, read from the catalog's tables.

    series(conn, "Netto driftsresultat", Filters())   # one budget line through every table
    compare(conn, "Grunnskole", ["3203", "5031"])      # side by side, per inhabitant where stated

Its own stage after extraction (beside the page index, not inside it): table families,
facts, `series` and `endringer` (what changed between the stages of one budget) live here.
Reads the catalog only; never Scrapy or pdfplumber.
"""

from budget.compare import Comparison, Figure, Inhabitants, KommuneLine, compare, inhabitants
from budget.series import (
    KINDS,
    Line,
    NoSuchLine,
    Point,
    Series,
    lines,
    matches,
    parse_column,
    series,
    table_points,
)

__all__ = [
    "KINDS",
    "Comparison",
    "Figure",
    "Inhabitants",
    "KommuneLine",
    "compare",
    "inhabitants",
    "Line",
    "NoSuchLine",
    "Point",
    "Series",
    "lines",
    "matches",
    "parse_column",
    "series",
    "table_points",
]
