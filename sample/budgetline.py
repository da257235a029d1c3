"""A budget line planted in every Handlingsprogram / BØP of the sample, for `hparkiv series`.

"Netto driftsresultat" stands in a key-figures table ("Hovedtall") on page 3 of each
plan document (page 4 of an adopted plan, after its text decisions), with the columns a plan prints: last year's accounts, this year's
budget, the budget year and the economic-plan years. The true figures are fixed here
in whole 100 000 kr, so they print exactly both in mill. kroner (one decimal) and in
1000 kr; plans up to 2019 print "Tall i mill. kroner", later ones "i 1000 kr", and the
column headers change style between periods, as real plans do.

Written from the real documents' conventions, not from the reader: the truth is
`points(...)`, one dict per printed cell of the planted line.
"""

from __future__ import annotations

from sample.content import Block

LABEL = "Netto driftsresultat"
# Other rows of the table; the percentage row must not match the label.
OTHER_ROWS = ("Brutto driftsresultat", "Netto driftsresultat i %", "Disposisjonsfond")
STAGE_DELTA = {"forslag": -12, "innstilling": -5, "vedtak": 0}  # in 100 000 kr


def regnskap(year: int) -> int:
    """The accounts for a year, in 100 000 kr (Netto driftsresultat 847 mill in 2016, 966 in 2017...)."""
    return 8470 + (year - 2016) * 413 + (year % 3) * 57


def budsjett(year: int, stage: str = "vedtak") -> int:
    """The budget for a year as proposed, recommended and adopted."""
    return 6100 + (year - 2016) * 229 + STAGE_DELTA[stage]


def plan(start: int, year: int, stage: str) -> int:
    """What the plan for `start` expects for a later year."""
    return budsjett(start, stage) + (year - start) * 151 + (start % 4) * 9


def unit_of(start: int) -> tuple[str, int]:
    """(printed unit, 100 000 kr per printed unit as 10**k divisor): mill. kr until 2019, then 1000 kr."""
    return ("Tall i mill. kroner", 10) if start <= 2019 else ("i 1000 kr", 0)


def printed(value: int, start: int) -> str:
    """A value in 100 000 kr as the plan prints it."""
    if start <= 2019:  # mill. kroner with one decimal
        whole, dec = divmod(value, 10)
        return f"{_groups(whole)},{dec}"
    return _groups(value * 100)  # 1000 kr


def _groups(n: int) -> str:
    text = str(abs(n))
    groups = []
    while text:
        groups.insert(0, text[-3:])
        text = text[:-3]
    return ("-" if n < 0 else "") + " ".join(groups)


def columns(start: int) -> list[tuple[str, int, str]]:
    """(header as printed, year, kind) for each amount column of the plan for `start`."""
    style = start % 3
    if style == 0:
        names = [f"Regnskap {start - 2}", f"Budsjett {start - 1}", str(start)] + [str(start + i) for i in (1, 2, 3)]
    elif style == 1:
        names = [f"R {start - 2}", f"B {start - 1}", f"B {start}"] + [f"ØP {start + i}" for i in (1, 2, 3)]
    else:
        names = [f"Regnskap {start - 2}", f"Vedtatt {start - 1}", f"Budsjett {start}"] + [
            f"Plan {start + i}" for i in (1, 2, 3)]
    kinds = ["regnskap", "budsjett", "budsjett", "plan", "plan", "plan"]
    years = [start - 2, start - 1, start, start + 1, start + 2, start + 3]
    return list(zip(names, years, kinds, strict=True))


def values(start: int, stage: str) -> list[int]:
    """The planted line's true values (100 000 kr), column by column."""
    return [regnskap(start - 2), budsjett(start - 1), budsjett(start, stage)] + [
        plan(start, start + i, stage) for i in (1, 2, 3)]


def table_blocks(start: int, stage: str, heading: str, paragraph: str) -> list[Block]:
    """Page 3 of a plan: a heading, a paragraph and the key-figures table."""
    unit, _ = unit_of(start)
    header = [unit if start % 2 else "Hovedtall"] + [name for name, _, _ in columns(start)]
    line = [LABEL] + [printed(v, start) for v in values(start, stage)]
    other = []
    for k, label in enumerate(OTHER_ROWS):
        if "%" in label:
            other.append([label] + [f"{2 + (start + j) % 3},{(start + j) % 10}" for j in range(6)])
        else:
            other.append([label] + [printed(v + 3000 * (k + 1), start) for v in values(start, stage)])
    caption = f"Tabell 1 Hovedtall ({unit})" if start % 2 == 0 else "Tabell 1 Hovedtall"
    return [("h2", heading), ("p", paragraph), ("table", caption, header, [other[0], line, other[1], other[2]])]


def points(start: int, stage: str, page: int = 3) -> list[dict]:
    """The truth: one point per printed cell of the planted line, value in kroner, with its page."""
    return [
        {"label": LABEL, "column": name, "year": year, "kind": kind, "value_kr": v * 100_000,
         "text": printed(v, start), "unit": unit_of(start)[0], "page": page}
        for (name, year, kind), v in zip(columns(start), values(start, stage), strict=True)
    ]
