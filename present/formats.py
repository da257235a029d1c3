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
        # One header for the whole file: each table's rows say which table they belong to (its
        # lead: page, number, caption, unit, document, link), and its own header is a row too.
        grids = [export.grid(r) for r in export.records]
        width = max((max(len(g.header), *(len(r) for r in g.rows), 0) for g in grids), default=0)
        writer.writerow([*export.columns, "row", *(f"col{i}" for i in range(1, width + 1))])
        for g in grids:
            lead = [cell(g.lead.get(k)) for k in export.columns]
            writer.writerow([*lead, "header", *(cell(h) for h in g.header)])
            for n, r in enumerate(g.rows, 1):
                writer.writerow([*lead, n, *(cell(c, printed=True) for c in r)])
            yield flush()
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
        sheets = [Sheet(g.title, g.header, g.rows, True, g.about) for g in grids] or [
            Sheet(export.sheet, [*export.columns, "row"], [], True)]
    else:
        columns = list(export.columns)
        sheets = [Sheet(export.sheet, columns, ([row.get(k) for k in columns] for row in export.rows()), False)]
    yield _workbook(sheets)


@dataclass
class Sheet:
    """One sheet: its title (made a valid, unique sheet name), the facts above the cells
    (`about`, one "key | value" row each), the header row and the rows; `printed`: the cells are
    a table's printed text, so amounts become numbers."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    printed: bool
    about: Sequence[tuple[str, Any]] = ()


SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts, from a table's caption: none of : \\ / ? * [ ], not starting or
    ending with an apostrophe, at most 31 characters (cut at a word where it can), never
    "History", and unique in the workbook without regard to case ("Drift (2)")."""
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", safe(title)).split()).strip("'").strip()
    if len(name) > SHEET_NAME_MAX:
        cut = name[:SHEET_NAME_MAX - 1]
        name = (cut.rsplit(" ", 1)[0] if " " in cut[10:] else cut).rstrip(" ,.;-–'") + "…"
    name = name or "hparkiv"
    base, n = name, 1
    while name.casefold() in used or name.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        name = base[:SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    used.add(name.casefold())
    return name


def _workbook(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet_name(sheet.title, used))
        header, rows, printed = sheet.header, sheet.rows, sheet.printed
        for key, value in sheet.about:
            ws.append([key, _xlsx_cell(value, False)])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
            _link(ws.cell(row=ws.max_row, column=2))
        if sheet.about:
            ws.cell(row=1, column=2).font = Font(bold=True, size=13)  # the caption
            ws.append([])
        top = len(sheet.about) + 2 if sheet.about else 1  # the header row, under the facts and an empty row
        ws.append([safe(h) for h in header])
        for c in ws[top]:
            c.font = Font(bold=True)
        widths = [len(str(h)) for h in header] or [0]
        widths[0] = max([widths[0], *(len(key) for key, _value in sheet.about)])
        for row in rows:
            cells = [_xlsx_cell(v, printed) for v in row]
            ws.append(cells)
            for i, v in enumerate(cells):
                if i < len(widths):
                    widths[i] = max(widths[i], min(60, len(str(v)) if v is not None else 0))
            for i in range(1, len(cells) + 1):
                _link(ws.cell(row=ws.max_row, column=i))
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, w + 2)
        ws.freeze_panes = f"A{top + 1}"
        if header:
            ws.auto_filter.ref = f"A{top}:{get_column_letter(max(len(header), ws.max_column))}{max(top, ws.max_row)}"
        for col in ws.iter_cols(min_row=top + 1):
            for c in col:
                if isinstance(c.value, date):
                    c.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _link(c: Any) -> None:
    """A cell holding a web address becomes a link that opens it."""
    if isinstance(c.value, str) and c.value.startswith(("http://", "https://")):
        c.hyperlink = c.value
        c.style = "Hyperlink"


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
