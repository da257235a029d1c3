"""The budget model's answers as records and as people read numbers: `endringer` and `series`.

Records are what JSON holds (the issue's contract: `{period, stages, lines, decisions}` for
`endringer`, today's point fields plus family, stage and conflict for `series`); rows flatten
them for CSV and spreadsheets. Budget figures for people ("4 497,9", "+3,9 %", "-1,5" mill. kr)
are said here in the reader's language, through present/numbers.py like every other number.
"""

from __future__ import annotations

from typing import Any

from present.numbers import number, percent

STAGES = ("forslag", "innstilling", "vedtak")
ENDRINGER_COLUMNS = (
    "family", "table", "label", "year", "unit", "forslag", "innstilling", "vedtak", "changed", "delta", "delta_kr",
    "delta_pct", "conflict", "forslag_kr", "innstilling_kr", "vedtak_kr", "source_forslag", "source_innstilling",
    "source_vedtak", "votes",
)


def _decimals(value: float) -> int:
    """The decimals a value has (at most three): 4497.9 -> 1, 4000.0 -> 0."""
    return next((d for d in range(4) if abs(round(value, d) - value) < 1e-9), 3)


def figure(value: float | None, lang: str = "nb", decimals: int | None = None) -> str:
    """A budget figure in the reader's language (present.numbers): "1 234 567,5"; decimals only
    where the value has them unless `decimals` says how many; "–" for none."""
    if value is None:
        return "–"
    return number(float(value), lang, _decimals(value) if decimals is None else decimals)


def signed(value: float | None, lang: str = "nb", decimals: int | None = None) -> str:
    """A change: "+4 000", "-1 500", "0"."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + figure(value, lang, decimals)


def change(value: float | None, lang: str = "nb") -> str:
    """+3.9 -> "+3,9 %"; a change too small for one decimal keeps two ("+0,03 %"), never a "0,0 %"."""
    return percent(value, lang, 2 if value is not None and 0 < abs(value) < 0.05 else 1, sign=True)


def mill(value_kr: float | None, lang: str = "nb") -> str:
    """Kroner as millions: 4420300000 -> "4 420,3" (more decimals only where needed)."""
    if value_kr is None:
        return "–"
    m = value_kr / 1e6
    return figure(m, lang, next((d for d in (1, 2, 3) if abs(round(m, d) - m) < 1e-9), 3))


def mill_signed(value_kr: float | None, lang: str = "nb") -> str:
    if value_kr is None:
        return "–"
    return ("+" if value_kr > 0 else "") + mill(value_kr, lang)


# ---------------------------------------------------------------- endringer


def _stage_record(s: Any) -> dict[str, Any]:
    return {"stage": s.stage, "doc_id": s.doc_id, "title": s.title, "date": s.date, "url": s.url,
            "status": s.status}


def endringer_line_record(ln: Any) -> dict[str, Any]:
    """One line of `endringer`: its value per stage (in `unit`) and in kroner, the change and its sources."""
    return {"label": ln.label, "family": ln.family, "table": ln.table, "year": ln.year, "unit": ln.unit,
            "values": ln.values, "values_kr": ln.values_kr, "changed": ln.changed, "delta": ln.delta,
            "delta_kr": ln.delta_kr, "delta_pct": ln.delta_pct, "sources": ln.sources, "conflict": ln.conflict,
            "conflicts": ln.conflicts, "printed": ln.printed, "votes": ln.votes}


def endringer_head(e: Any) -> dict[str, Any]:
    return {"period": e.period, "budget_year": e.budget_year, "kommune": e.kommune,
            "stages": [_stage_record(s) for s in e.stages], "missing_stages": e.missing}


def endringer_tail(e: Any) -> dict[str, Any]:
    return {"decisions": e.decisions, "quoted": e.quoted, "renamings": e.renamings}


def endringer_record(e: Any) -> dict[str, Any]:
    """The whole answer as one object: what `--format json` prints."""
    return {**endringer_head(e), "lines": [endringer_line_record(ln) for ln in e.lines], **endringer_tail(e)}


def _where(source: dict[str, Any] | None) -> str | None:
    return f"{source['doc_id']} s. {source['page']}" if source else None


def endringer_row(record: dict[str, Any]) -> dict[str, Any]:
    """A line flattened for CSV and spreadsheets: one column per stage, numbers as numbers."""
    row = {k: record.get(k) for k in ("family", "table", "label", "year", "unit", "changed", "delta", "delta_kr",
                                      "delta_pct", "conflict")}
    for stage in STAGES:
        row[stage] = record["values"].get(stage)
        row[f"{stage}_kr"] = record["values_kr"].get(stage)
        row[f"source_{stage}"] = _where(record["sources"].get(stage)) or (
            " | ".join(f"{c['doc_id']} s. {c['page']}: {c['text']}" for c in record["conflicts"].get(stage, [])) or None)
    row["votes"] = " | ".join(f"{v['committee']} {v['case']}: {v['vote']['text']}" for v in record["votes"]) or None
    return row


# ---------------------------------------------------------------- series

POINT_COLUMNS = ("year", "column", "kind", "stage", "value", "text", "unit", "unit_known", "row", "doc_id", "title",
                 "doctype", "period", "page", "table", "family", "line", "conflict", "role", "value_kr", "part",
                 "rank", "kommune", "kommunenummer")
