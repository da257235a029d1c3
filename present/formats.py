"""The export formats: an `Export` as JSON, JSON lines, CSV (two dialects) or an xlsx workbook.

The one module that knows the formats. Each encoder yields the output in pieces (text, or
bytes for xlsx), so the CLI writes them to stdout as they come and the web streams them; a
new format is a new encoder in FORMATS, and both front ends offer it.

Records hold typed values (numbers are numbers, dates ISO strings), so nothing here guesses
a number from text, with one exception: the cells of an extracted table are printed text,
and a spreadsheet gets their amounts as numbers (read by `catalog.amounts`, `present.cells.amount`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from present.cells import amount, csv_cell, iso_date, safe
from present.exports import Export

DIALECTS = ("rfc4180", "excel-nb")


@dataclass(frozen=True)
class Format:
    """An export format: its media type, whether it is bytes, whether a browser should save it
    as a file (`attachment`) rather than show it, and its encoder."""

    name: str
    media_type: str
    binary: bool
    attachment: bool
    encode: Callable[[Export, str], Iterator[Any]]

    def filename(self, export: Export) -> str:
        return f"{export.name}.{self.name}"


def document(obj: Any) -> str:
    """One JSON object (a document, the archive's status, a check's problems), indented."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def encode_json(export: Export, dialect: str = "rfc4180") -> Iterator[str]:
    """`{**head, key: [...], **tail}` (or a bare array), one record a line, written as they come."""
    if export.head is None:
        yield "["
    else:
        head = _dumps(export.head)
        yield (head[:-1] + ", " if export.head else "{") + f"{_dumps(export.key)}: ["
    for i, record in enumerate(export.records):
        yield ("," if i else "") + "\n  " + _dumps(record)
    if export.head is None:
        yield "\n]\n"
    elif export.tail:
        yield "\n], " + _dumps(export.tail)[1:] + "\n"
    else:
        yield "\n]}\n"


def encode_jsonl(export: Export, dialect: str = "rfc4180") -> Iterator[str]:
    """One JSON object a line, the records as JSON has them."""
    for record in export.records:
        yield _dumps(record) + "\n"


def encode_csv(export: Export, dialect: str = "rfc4180") -> Iterator[str]:
    """CSV: RFC 4180 (commas, as scripts expect), or `excel-nb` for Norwegian Excel
    (semicolons, CRLF, a BOM so it reads UTF-8, numbers with a decimal comma)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    nb = dialect == "excel-nb"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if nb else ",", lineterminator="\r\n" if nb else "\n")

    def cell(value: Any, printed: bool = False) -> Any:
        if nb:
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else (
                amount(value) if printed else None)
            if number is not None:
                return str(number).replace(".", ",")
        return csv_cell(value)

    def flush() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    if nb:
        yield "\ufeff"
    if export.grid is not None:
        for record in export.records:
            g = export.grid(record)
            writer.writerow([*g.lead, *[cell(h) for h in g.header]])
            for r in g.rows:
                writer.writerow([*(cell(v) for v in g.lead.values()), *(cell(c, printed=True) for c in r)])
            yield flush()
        return
    writer.writerow(list(export.columns))
    for row in export.rows():
        writer.writerow([cell(row.get(k)) for k in export.columns])
        yield flush()
    yield flush()


def encode_xlsx(export: Export, dialect: str = "rfc4180") -> Iterator[bytes]:
    """A workbook: numbers as numbers, ISO dates as dates, URLs as links, the header row
    frozen and filtered; a table's amounts as numbers. openpyxl is imported only here."""
    if export.grid is not None:
        grids = [export.grid(r) for r in export.records]
        sheets = [(g.title, g.header, g.rows, True) for g in grids] or [(export.sheet, list(export.columns), [], True)]
    else:
        columns = list(export.columns)
        sheets = [(export.sheet, columns, ([row.get(k) for k in columns] for row in export.rows()), False)]
    yield _workbook(sheets)


def _workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]], bool]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows, printed in sheets:
        name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "hparkiv"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([safe(h) for h in header])
        widths = [len(str(h)) for h in header]
        for row in rows:
            cells = [_xlsx_cell(v, printed) for v in row]
            ws.append(cells)
            for i, v in enumerate(cells):
                if i < len(widths):
                    widths[i] = max(widths[i], min(60, len(str(v)) if v is not None else 0))
            for i, v in enumerate(cells, 1):
                if isinstance(v, str) and v.startswith(("http://", "https://")):
                    c = ws.cell(row=ws.max_row, column=i)
                    c.hyperlink = v
                    c.style = "Hyperlink"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, w + 2)
        ws.freeze_panes = "A2"
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, ws.max_row)}"
        for col in ws.iter_cols(min_row=2):
            for c in col:
                if isinstance(c.value, date):
                    c.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_cell(value: Any, printed: bool) -> Any:
    """A typed value as it is; a table's printed cell as its amount when it is one."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list):
        return _dumps(value)
    text = safe(value)
    if iso_date(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    number = amount(text) if printed else None
    if number is not None:
        return number
    # A string that starts like a formula stays a string (openpyxl would store a formula).
    return "'" + text if text[:1] == "=" else text


FORMATS: dict[str, Format] = {
    "json": Format("json", "application/json; charset=utf-8", False, False, encode_json),
    "jsonl": Format("jsonl", "application/x-ndjson; charset=utf-8", False, False, encode_jsonl),
    "csv": Format("csv", "text/csv; charset=utf-8", False, True, encode_csv),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True, True,
                   encode_xlsx),
}


def encode(export: Export, fmt: str, dialect: str = "rfc4180") -> Iterator[Any]:
    """The export in format `fmt` (a key of FORMATS), in pieces: str, or bytes when binary."""
    return FORMATS[fmt].encode(export, dialect)
