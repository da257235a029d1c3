"""Writing rows for people (text) and for scripts (json, jsonl, csv), safely.

Text from documents and web pages is untrusted: it never reaches the terminal with
control characters or escape sequences in it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from catalog.text import strip_controls

FORMATS = ("text", "json", "jsonl", "csv")



def safe(text: Any) -> str:
    """Text fit for a terminal: control characters and escape sequences removed."""
    if text is None:
        return ""
    return strip_controls(str(text))


def format_option(default: str = "text", choices: Sequence[str] = FORMATS):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output for people (text) or scripts (json, jsonl, csv).",
    )


def write_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """Stream rows as a JSON array, JSON lines or CSV (no cap on how many)."""
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
    elif fmt == "json":
        out.write("[")
        for i, row in enumerate(rows):
            out.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        out.write("\n]\n")
    else:
        raise ValueError(fmt)
    out.flush()


def write_csv(rows: Iterable[Sequence[Any]]) -> None:
    """Stream rows of differing widths as CSV, each cell made safe like every export's."""
    writer = csv.writer(sys.stdout)
    for row in rows:
        writer.writerow([_csv_cell(c) for c in row])
    sys.stdout.flush()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        value = safe(value)
        # Spreadsheets run cells that start like formulas; quote them.
        if value[:1] in ("=", "+", "@") or (value[:1] == "-" and not _looks_numeric(value)):
            return "'" + value
    return value


def _looks_numeric(value: str) -> bool:
    """An amount ("-1 234,5", "-4,2 %") or a lone dash: a spreadsheet runs none of these."""
    return bool(re.fullmatch(r"-?[\d\s.,]*\d[\d\s.,]*%?|-", value))


def highlight(snippet: str) -> str:
    """Turn the index's [[term]] markers into bold for the terminal."""
    text = safe(snippet)
    return text.replace("[[", "\x1b[1m").replace("]]", "\x1b[0m") if sys.stdout.isatty() else text


def plain(snippet: str) -> str:
    return safe(snippet).replace("[[", "").replace("]]", "")
