"""Writing rows for people (text), scripts (json, jsonl, csv) and spreadsheets (xlsx), safely.

Text from documents and web pages is untrusted: it never reaches the terminal with
control characters or escape sequences in it. Every command that exports rows (search,
list, tables, trend, and later series and vedtak) writes them with `write_rows`, so CSV
dialects and the xlsx layout are the same everywhere.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import click

from catalog.export import csv_cell as _csv_cell
from catalog.text import strip_controls
from i18n import pick_language, translations

FORMATS = ("text", "json", "jsonl", "csv", "xlsx")
CSV_DIALECTS = ("rfc4180", "excel-nb")

# --- the message catalog --------------------------------------------------------------------

_language = ["en"]


def set_language(explicit: str | None = None) -> str:
    """Choose the CLI's language once (--lang, else the locale); every message follows it.

    Click's own words (Usage:, Options, its usage errors) come from the standard gettext
    domain: it is pointed at the same catalog (compiled by `make install`) and the language.
    """
    import gettext as stdlib_gettext
    import os

    from i18n import DOMAIN, LOCALE_DIR

    _language[0] = pick_language(explicit)
    os.environ["LANGUAGE"] = _language[0]
    stdlib_gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    stdlib_gettext.textdomain(DOMAIN)
    return _language[0]


def language() -> str:
    return _language[0]


def _(message: str, **params: Any) -> str:
    """A message in the CLI's language; `params` fill its {fields}."""
    text = translations(_language[0]).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """A message with a count, right in the singular too ("1 page")."""
    text = translations(_language[0]).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def gettext(message: str) -> str:
    return translations(_language[0]).gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_` translates it where it is shown."""
    return message



def safe(text: Any) -> str:
    """Text fit for a terminal: control characters and escape sequences removed."""
    if text is None:
        return ""
    return strip_controls(str(text))


def format_option(default: str = "text", choices: Sequence[str] = FORMATS):
    """--format with this command's own choices, named in its help."""
    others = [c for c in choices if c != "text"]
    for_whom = "text for people, " + ", ".join(others) + " for scripts" if "text" in choices else ", ".join(others)
    if "xlsx" in choices:
        for_whom = for_whom.replace(", xlsx for scripts", " for scripts, xlsx for spreadsheets")
    opt = click.option("--format", "fmt", type=click.Choice(list(choices)), default=default,
                       show_default=True, help=f"Output: {for_whom}.")
    if "csv" not in choices:
        return opt

    def both(fn):
        fn = click.option("--csv-dialect", type=click.Choice(CSV_DIALECTS), default="rfc4180", show_default=True,
                          help="rfc4180: commas, as scripts expect; excel-nb: semicolons, a BOM and "
                               "decimal commas, as Norwegian Excel opens.")(fn)
        return opt(fn)

    return both


def write_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], *,
               dialect: str = "rfc4180", sheet: str = "hparkiv") -> None:
    """Stream rows as a JSON array, JSON lines, CSV (either dialect) or one xlsx sheet."""
    if fmt == "xlsx":
        write_xlsx([(sheet, list(columns), [[row.get(k) for k in columns] for row in rows])])
        return
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv_writer(dialect)
        writer.writerow(list(columns))
        for row in rows:
            writer.writerow([row.get(k) for k in columns])
    elif fmt == "json":
        out.write("[")
        for i, row in enumerate(rows):
            out.write(("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        out.write("\n]\n")
    else:
        raise ValueError(fmt)
    out.flush()


class csv_writer:
    """CSV rows on stdout: RFC 4180 as it always was, or `excel-nb` for Norwegian Excel
    (semicolons, a BOM so it reads UTF-8, numbers with a decimal comma and no spaces)."""

    def __init__(self, dialect: str = "rfc4180", out: Any = None) -> None:
        self.out = out or sys.stdout
        self.nb = dialect == "excel-nb"
        if self.nb:
            self.out.write("\ufeff")
        self.writer = csv.writer(self.out, delimiter=";" if self.nb else ",", lineterminator="\r\n" if self.nb else "\n")

    def writerow(self, cells: Sequence[Any]) -> None:
        self.writer.writerow([self._cell(c) for c in cells])

    def _cell(self, value: Any) -> Any:
        if self.nb:
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else (
                number_of(value) if isinstance(value, str) else None)
            if number is not None:
                return str(number).replace(".", ",")
        return _csv_cell(value)


_NUMBER_RE = re.compile(r"[-−–]?\s?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?")


def number_of(text: Any) -> int | float | None:
    """A number as Norwegian documents print it ("1 234,5", "-3 000", "−12"), else None.

    Only whole cells that are one number: "2021-2024" or "22 Grunnskole" stay text.
    """
    if not isinstance(text, str):
        return None
    t = text.strip()
    if not t or not _NUMBER_RE.fullmatch(t):
        return None
    t = re.sub(r"[\s\u00a0\u202f]", "", t).replace("−", "-").replace("–", "-").replace(",", ".")
    try:
        return float(t) if "." in t else int(t)
    except ValueError:
        return None


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """Sheets of rows as an .xlsx file on stdout: numbers as numbers, ISO dates as dates,
    URLs as links, the header row frozen and filtered. openpyxl is imported only here."""
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is None or sys.stdout.isatty():
        error = click.ClickException(_("xlsx is a file: redirect it, as in `> treff.xlsx`"))
        error.exit_code = 2  # the user's input, as a bad flag
        raise error
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows in sheets:
        name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "hparkiv"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([safe(h) for h in header])
        widths = [len(str(h)) for h in header]
        for row in rows:
            cells = [_xlsx_cell(v) for v in row]
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
    wb.save(out)
    out.flush()


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    text = safe(value)
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    number = number_of(text)
    if number is not None:
        return number
    # A string that starts like a formula stays a string (openpyxl would store a formula).
    return "'" + text if text[:1] == "=" else text


def highlight(snippet: str) -> str:
    """Turn the index's [[term]] markers into bold for the terminal."""
    text = safe(snippet)
    return text.replace("[[", "\x1b[1m").replace("]]", "\x1b[0m") if sys.stdout.isatty() else text


def plain(snippet: str) -> str:
    return safe(snippet).replace("[[", "").replace("]]", "")
