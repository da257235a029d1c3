"""The budget model: what the budget documents say in numbers, derived from the catalog's tables.

    series(conn, "Netto driftsresultat", Filters())   # one line through the years, per table family
    endringer(conn, "2021")                           # what changed between forslag, innstilling, vedtak

Its own stage after extraction (beside the page index, not inside it): table families
(families.py), facts with their stage and source (facts.py, stored in the catalog and derived
again when tables change: model.py), precedence and conflicts (model.settle), `series`,
`endringer` and the text decisions and votes (decisions.py), and the timeline of a budget
process (process.py). Reads the catalog only; never Scrapy or pdfplumber. The rules are
written down in docs/budget.md.
"""

from budget.columns import KINDS, parse_column
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
    "Endringer",
    "Fact",
    "Figure",
    "NoSuchLine",
    "NoSuchPeriod",
    "Point",
    "Series",
    "SeriesLine",
    "derive_missing",
    "endringer",
    "family_name",
    "load",
    "matches",
    "parse_column",
    "parse_period",
    "pick_family",
    "series",
]
