"""The budget model: what the budget documents say in numbers, derived from the catalog's tables.

    series(conn, "Netto driftsresultat", Filters())   # one line through the years, per table family
    endringer(conn, "2021")                           # what changed between forslag, innstilling, vedtak
    compare(conn, "Grunnskole", ["3203", "5031"])      # side by side, per inhabitant where stated

Its own stage after extraction (beside the page index, not inside it): table families
(families.py), facts with their stage and source (facts.py, stored in the catalog and derived
again when tables change: model.py), precedence and conflicts (model.settle), `series`,
`endringer` and the text decisions and votes (decisions.py), the timeline of a budget
process (process.py) and municipalities side by side (compare.py). Reads the catalog only;
never Scrapy or pdfplumber. The rules are written down in docs/budget.md.
"""

from budget.columns import KINDS, parse_column
from budget.compare import Comparison, Inhabitants, KommuneFigure, KommuneLine, compare, inhabitants
from budget.endringer import Endringer, NoSuchPeriod, endringer, parse_period
from budget.facts import MODEL_VERSION, STAGES, Fact
from budget.families import FAMILIES, family_name, pick_family
from budget.labels import matches
from budget.model import derive_missing, load
from budget.series import Figure, NoSuchLine, Point, Series, SeriesLine, series

__all__ = [
    "FAMILIES",
    "KINDS",
    "MODEL_VERSION",
    "STAGES",
    "Comparison",
    "Endringer",
    "Fact",
    "Figure",
    "Inhabitants",
    "KommuneFigure",
    "KommuneLine",
    "NoSuchLine",
    "NoSuchPeriod",
    "Point",
    "Series",
    "SeriesLine",
    "compare",
    "derive_missing",
    "endringer",
    "family_name",
    "inhabitants",
    "load",
    "matches",
    "parse_column",
    "parse_period",
    "pick_family",
    "series",
]
