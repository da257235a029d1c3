"""Documents a platform publishes as data, not as a file: pages, tables and vedtak from the
snapshots the crawler archives (crawler/adapters/framsikt.py, einnsyn.py).

- `framsikt-publication`: a web-published plan, its blocks in order. A heading of a level in
  `page_levels` (1 and 2) starts a page, as the public reader splits sections; a page holds its
  headings, the visible text of its text blocks, and its tables as data: a dynamic table's rows
  and numbers as served, an HTML table typed into a text block read cell by cell. A block that
  was gone or malformed when archived is left out (the crawl recorded why).
- `einnsyn-moetesak`: one agenda item's decision as the eInnsyn API serves it: one page (the
  item, the recommendation, the decision, the treatment, every member's vote tallied), one
  vedtak whose votes are the protocol's statements (read as any protocol's are) and the
  roll-call vote per member: counted per party, a value outside Ja/Nei/Blankt kept as printed.

Standard library only (html.parser): no pdfplumber for these.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from catalog.amounts import find_unit, parse_amount
from catalog.models import PageText, Table, Vedtak, Vote
from extract.pdf import FAILED, NO_TEXT, OK, ExtractResult, failed
from extract.votes import VOTE_LIKE, parse_vote
from sources import Vocabulary

MARK = b'{"record":'
KINDS = ("framsikt-publication", "einnsyn-moetesak")
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "br", "section",
              "article", "blockquote", "header", "footer", "caption", "dd", "dt"}
ROLL_CALL = "Votering per representant"


def is_record(head: bytes) -> bool:
    return head.lstrip().startswith(MARK)


# ---------------------------------------------------------------- HTML as text and tables


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    header: bool = False


class _Reader(HTMLParser):
    """Visible text (a line per block) and the tables of a piece of HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.tables: list[dict[str, Any]] = []
        self._table: dict[str, Any] | None = None
        self._row: list[_Cell] | None = None
        self._cell: _Cell | None = None
        self._caption: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in BLOCK_TAGS:
            self.lines.append("")
        if tag == "table":
            self._table = {"rows": [], "caption": "", "before": self._last_text()}
        elif tag == "caption" and self._table is not None:
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = _Cell(header=tag == "th")
            self._row.append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag in BLOCK_TAGS or tag in ("td", "th"):
            self.lines.append("")
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "caption" and self._table is not None and self._caption is not None:
            self._table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        text = data.replace("\xa0", " ")
        self.lines[-1] += text
        if self._cell is not None:
            self._cell.text.append(text)
        if self._caption is not None:
            self._caption.append(text)

    def _last_text(self) -> str:
        return next((" ".join(line.split()) for line in reversed(self.lines) if line.strip()), "")

    def text(self) -> str:
        return "\n".join(" ".join(line.split()) for line in self.lines if line.strip())


def read_html(markup: str) -> tuple[str, list[dict[str, Any]]]:
    """(visible text, tables as {caption, before, rows: [[(text, is_header)]]})."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    tables = [{"caption": t["caption"], "before": t["before"],
               "rows": [[(" ".join("".join(c.text).split()), c.header) for c in row] for row in t["rows"]]}
              for t in reader.tables]
    return reader.text(), tables


def html_table(table: dict[str, Any], page: int, index: int) -> Table | None:
    """An HTML table typed into a text block, as a catalog table: its first all-header row is the
    header, amounts are read from the cells as printed (a count is a number too)."""
    rows = [r for r in table["rows"] if r]
    if not rows:
        return None
    if all(is_header for _, is_header in rows[0]):
        header, body = [t for t, _ in rows[0]], rows[1:]
    else:
        header, body = [""] * len(rows[0]), rows
    cells = [[t for t, _ in r] for r in body]
    values = [[None] + [parse_amount(c) for c in r[1:]] for r in cells]
    caption = table["caption"] or None
    return Table(page=page, index=index, header=header, rows=cells, caption=caption,
                 unit=find_unit(caption or "") if caption else None, values=values)


def _number(v: Any) -> str:
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def data_table(data: dict[str, Any], page: int, index: int) -> Table | None:
    """A dynamic table as served (`title`, `unit`, `columns`, `rows` of `label`, `values`): the
    numbers as data, not read from print. A row with its own unit ("antall" among kroner) carries
    it in its label, "(antall)", the way tables print a row's unit."""
    columns = data.get("columns")
    rows = data.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        return None
    unit = data.get("unit") if isinstance(data.get("unit"), str) else None
    out_rows, values = [], []
    for row in rows:
        if not isinstance(row, dict):
            continue
        label = str(row.get("label") or "")
        if isinstance(row.get("unit"), str) and row["unit"] and row["unit"] != unit:
            label = f"{label} ({row['unit']})"
        vals = row.get("values") if isinstance(row.get("values"), list) else []
        nums = [v if isinstance(v, int | float) and not isinstance(v, bool) else None for v in vals]
        out_rows.append([label, *(_number(v) for v in vals)])
        values.append([None, *nums])
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return Table(page=page, index=index, header=["", *(str(c) for c in columns)], rows=out_rows, caption=title,
                 unit=unit, values=values)


def table_text(t: Table) -> str:
    """The page text's rendering of a data table (the index adds its cells again from the table)."""
    lines = [t.caption or ""] + [" ".join(c for c in t.header if c)] + [" ".join(c for c in row if c) for row in t.rows]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- Framsikt


def framsikt_pages(record: dict[str, Any]) -> ExtractResult:
    levels = set(record.get("page_levels") or [1, 2])
    pages: list[dict[str, Any]] = []
    left_out = {"missing": 0, "malformed": 0}
    for block in record.get("blocks", []):
        kind = block.get("kind")
        if kind == "heading" and (int(block.get("level") or 9) in levels or not pages):
            pages.append({"lines": [block.get("text") or ""], "tables": []})
            continue
        if not pages:
            pages.append({"lines": [], "tables": []})
        page = pages[-1]
        n = len(pages)
        if kind == "heading":
            page["lines"].append(block.get("text") or "")
        elif "missing" in block or "malformed" in block:
            left_out["missing" if "missing" in block else "malformed"] += 1
        elif kind == "text" and isinstance(block.get("html"), str):
            text, tables = read_html(block["html"])
            page["lines"].append(text)
            for t in tables:
                table = html_table(t, n, len(page["tables"]))
                if table is not None:
                    page["tables"].append(table)
        elif kind == "table" and isinstance(block.get("data"), dict):
            table = data_table(block["data"], n, len(page["tables"]))
            if table is not None:
                page["tables"].append(table)
                page["lines"].append(table_text(table))
    texts = [PageText(i + 1, "\n".join(line for line in p["lines"] if line)) for i, p in enumerate(pages)]
    tables = [t for p in pages for t in p["tables"]]
    note = None
    if left_out["missing"] or left_out["malformed"]:
        note = (f"kept without {left_out['missing'] + left_out['malformed']} block(s) of the publication: "
                f"{left_out['missing']} gone, {left_out['malformed']} malformed when archived (see the crawl's failures)")
    if not any(p.text.strip() for p in texts):
        return ExtractResult(status=NO_TEXT, error="the publication holds no text", pages=texts, page_count=len(texts))
    return ExtractResult(status=OK, error=note, pages=texts, tables=tables, page_count=len(texts))


# ---------------------------------------------------------------- eInnsyn


def visible(markup: str | None) -> str:
    return read_html(markup)[0] if markup else ""


def roll_call(votes: list[dict[str, Any]]) -> Vote | None:
    """Every member's vote, tallied: Ja for, Nei against, per party; a blank and anything outside
    Ja/Nei/Blankt counted apart and named in the text (never as Ja or Nei)."""
    if not votes:
        return None
    by: dict[str, dict[str, int]] = {}
    for v in votes:
        stemme = str(v.get("stemme") or "?")
        party = str(v.get("party") or "?")
        by.setdefault(stemme, {}).setdefault(party, 0)
        by[stemme][party] += 1

    def side(stemme: str) -> str:
        counts = by.get(stemme, {})
        total = sum(counts.values())
        return f"{stemme} {total} (" + ", ".join(f"{p} {n}" for p, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"

    order = ["Ja", "Nei", "Blankt"] + sorted(k for k in by if k not in ("Ja", "Nei", "Blankt"))
    parts = [side(s) for s in order if s in by]
    odd = [s for s in by if s not in ("Ja", "Nei", "Blankt")]
    text = f"{ROLL_CALL}: " + "; ".join(parts) + "."
    if odd:
        text += " " + ", ".join(repr(s) for s in odd) + " er ingen av Ja, Nei, Blankt: ikke talt med."
    yes, no = by.get("Ja", {}), by.get("Nei", {})
    n_yes, n_no = sum(yes.values()), sum(no.values())
    return Vote(text=text, parsed=True, motion="vedtaket", result="vedtatt" if n_yes > n_no else "falt",
                votes_for=n_yes, votes_against=n_no, parties_for=sorted(yes), parties_against=sorted(no),
                counts_for=dict(yes), counts_against=dict(no), unanimous=n_no == 0 and not by.get("Blankt"),
                page=1)


def einnsyn_record(record: dict[str, Any], vocab: Vocabulary) -> ExtractResult:
    title = record.get("title") or ""
    case = record.get("case")
    committee = record.get("committee") or ""
    day = record.get("date") or ""
    recommendation = visible(record.get("recommendation_html"))
    decision = visible(record.get("decision_html"))
    protocol = " ".join((record.get("protocol") or "").split())
    statements = [s for s in re.split(r"(?<=[.!?])\s+", protocol) if s and VOTE_LIKE.search(s)]
    votes = [parse_vote(s, vocab) for s in statements]
    for v in votes:
        v.page = 1
    per_member = roll_call(record.get("votes") or [])
    if per_member is not None:
        votes.append(per_member)
    lines = [f"Sak {case} {title}" if case else title, f"{committee} {day}".strip()]
    if recommendation:
        lines += ["Innstilling:", recommendation]
    if decision:
        lines += ["Vedtak:", decision]
    if protocol:
        lines += ["Behandling:", protocol]
    if per_member is not None:
        lines.append(per_member.text)
    documents = [d for d in record.get("documents") or [] if d]
    if documents:
        lines += ["Dokumenter:", *documents]
    vedtak = Vedtak(kind="sak", seq=1, page_from=1, page_to=1, case=case, title=title or None,
                    recommendation=recommendation or None, recommendation_label="Innstilling" if recommendation else None,
                    decision=decision or None, decision_label="Vedtak" if decision else None, votes=votes)
    text = "\n".join(line for line in lines if line)
    return ExtractResult(status=OK, pages=[PageText(1, text)], page_count=1, vedtak=[vedtak])


# ---------------------------------------------------------------- entry points


def load_record(data: bytes) -> dict[str, Any]:
    """The record's JSON; ValueError with the reason when it is not one we read."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"a damaged record ({type(e).__name__})") from None
    if not isinstance(record, dict) or record.get("record") not in KINDS:
        raise ValueError(f"an unknown record kind {record.get('record') if isinstance(record, dict) else None!r}")
    return record


def extract_record(path: Path, vocab: Vocabulary) -> ExtractResult:
    """Pages, tables and (for a decision record) vedtak of an archived platform record."""
    try:
        record = load_record(path.read_bytes())
    except (OSError, ValueError) as e:
        return failed(f"not readable as a platform record: {e}")
    if record["record"] == "framsikt-publication":
        return framsikt_pages(record)
    return einnsyn_record(record, vocab)


def record_vedtak(path: Path, vocab: Vocabulary) -> list[Vedtak] | None:
    """The vedtak of an archived decision record (None for any other file)."""
    try:
        head = path.open("rb").read(64)
    except OSError:
        return None
    if not is_record(head):
        return None
    result = extract_record(path, vocab)
    return result.vedtak if result.status != FAILED else None

