"""The budget model's answers as records and as people read numbers: `endringer` and `series`.

Records are what JSON holds (the issue's contract: `{period, stages, lines, decisions}` for
`endringer`, today's point fields plus family, stage and conflict for `series`); rows flatten
them for CSV and spreadsheets. Numbers for people are Norwegian ("4 497,9", "+3,9 %", "−1,5
mill. kr") in every front end, from here.
"""

from __future__ import annotations

from typing import Any

STAGES = ("forslag", "innstilling", "vedtak")
MINUS = "\u2212"
ENDRINGER_COLUMNS = (
    "family", "table", "label", "year", "unit", "forslag", "innstilling", "vedtak", "changed", "delta", "delta_kr",
    "delta_pct", "conflict", "forslag_kr", "innstilling_kr", "vedtak_kr", "source_forslag", "source_innstilling",
    "source_vedtak", "votes",
)


def nb_number(value: float | None, decimals: int | None = None) -> str:
    """1234567.5 -> "1 234 567,5": space thousands, a decimal comma, a minus sign; decimals only
    where the value has them (at most three) unless `decimals` says how many."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = next((d for d in range(4) if abs(round(value, d) - value) < 1e-9), 3)
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return (MINUS if value < 0 and float(text.replace(" ", "").replace(",", ".")) else "") + text


def nb_signed(value: float | None, decimals: int | None = None) -> str:
    """A change: "+4 000", "−1 500", "0"."""
    if value is None:
        return "–"
    text = nb_number(value, decimals)
    return ("+" + text) if value > 0 else text


def nb_percent(value: float | None) -> str:
    """+3.9 -> "+3,9 %"; a change too small for one decimal keeps two ("+0,03 %"), never a "0,0 %"."""
    if value is None:
        return ""
    return nb_signed(value, 2 if 0 < abs(value) < 0.05 else 1) + " %"


def mill(value_kr: float | None) -> str:
    """Kroner as millions, Norwegian: 4420300000 -> "4 420,3" (more decimals only where needed)."""
    if value_kr is None:
        return "–"
    m = value_kr / 1e6
    decimals = next((d for d in (1, 2, 3) if abs(round(m, d) - m) < 1e-9), 3)
    return nb_number(m, decimals)


def mill_signed(value_kr: float | None) -> str:
    if value_kr is None:
        return "–"
    return ("+" if value_kr > 0 else "") + mill(value_kr)


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
