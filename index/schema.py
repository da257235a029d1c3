"""The index schema, declared once, and how a catalog page becomes an index document.

One Whoosh document per page. Text is analysed four main ways: `text` (stemmed, the main
field), `exact` (unstemmed, for quoted phrases and prefixes), `parts` (the parts of
compound words) and `pairs` (adjacent pairs of common words: such a two-word phrase is one term). The
four fields (and `folded`) share one tokenisation of the page (index/fields.py); `refs`
holds case numbers, `titles` the document's title, `amounts` its numbers by value. Nothing large is stored: snippets come from the catalog's page text
for the hits on screen, which keeps the index small and stored-field reads cheap.
Filter fields are sortable columns so facets and filters read compact per-document arrays.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from catalog.models import Table, Version
from index.analysis import (
    DecompoundFilter,
    exact_analyzer,
    folded_analyzer,
    joined_amounts,
    parts_analyzer,
    refs_analyzer,
    text_analyzer,
)
from index.fields import ExactText, FoldedText, PairsText, PartsText, StemmedText
from index.numbers import FIELD as AMOUNTS_FIELD
from index.numbers import amount_terms

# The fields a query may name (`year:2021`, `committee:formannskapet`, `type:forslag`).
QUERY_FIELDS = {"year": "year", "committee": "committee", "utvalg": "committee", "type": "doctype",
                "doctype": "doctype", "kommune": "kommune"}

# Facet fields, as the search result names them -> index field (kommune: the kommunenummer).
FACET_FIELDS = {"year": "year", "committee": "committee", "doctype": "doctype", "kommune": "kommune"}

# Index-time weights of fields (Whoosh's field_boost; 1.0 where absent): a compound's parts
# count half. The OpenSearch schema (index/opensearch/schema.py) applies the same weights.
FIELD_BOOSTS = {"parts": 0.5}


def make_schema(lexicon: frozenset[str], common: frozenset[str] = frozenset()) -> Schema:
    """The schema for one index; the lexicon (compound parts) and the common words (for
    word pairs) travel with it in the TOC."""
    decompound = DecompoundFilter(lexicon)  # one split cache for the parts and folded fields
    return Schema(
        key=ID(unique=True),
        sha256=ID(stored=True, sortable=True),
        doc_id=STORED(),
        page=NUMERIC(int, stored=True),
        year=NUMERIC(int, bits=16, signed=False, stored=True, sortable=True),
        period=STORED(),
        committee=ID(stored=True, sortable=True),
        doctype=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        kommune=ID(stored=True, sortable=True),  # the kommunenummer: names are not unique (Våler, Herøy)
        kommune_name=STORED(),
        superseded=BOOLEAN(stored=True),
        tables=BOOLEAN(),  # the page has a table (`search --tables`)
        title=STORED(),
        url=STORED(),
        text=StemmedText(analyzer=text_analyzer(), phrase=False),
        exact=ExactText(analyzer=exact_analyzer(), phrase=True),
        parts=PartsText(analyzer=parts_analyzer(lexicon, decompound), phrase=False,
                        field_boost=FIELD_BOOSTS["parts"]),
        pairs=PairsText(common),
        # Scandinavian folding ("baerum" finds "Bærum"), case numbers ("152/20"), and the
        # document's title on each of its pages (it counts in ranking).
        folded=FoldedText(analyzer=folded_analyzer(decompound), phrase=False),
        refs=TEXT(analyzer=refs_analyzer(), phrase=False),
        titles=TEXT(analyzer=text_analyzer(), phrase=False),
        # Every number and amount of the page by its value ("2 446,3 mill. kroner" is n24463e-1,
        # k24e8, …; index/numbers.py), so a number typed any way finds it.
        **{AMOUNTS_FIELD: KEYWORD(scorable=True)},
    )


# Fields a current index has; an index without one of them is rebuilt by the next update.
CURRENT_FIELDS = ("folded", "refs", "titles", "tables", "kommune", AMOUNTS_FIELD)


def page_text(text: str, tables: list[Table], joined: bool = True) -> str:
    """What a page makes searchable: its text, its tables (caption, unit, header, cells), and
    amounts with spaces joined (not with `joined=False`: the text snippets are cut from)."""
    chunks = [text]
    for t in tables:
        chunks.extend(c for c in (t.caption, t.unit) if c)
        chunks.append(" | ".join(c for c in t.header if c))
        chunks.extend(" | ".join(c for c in row if c) for row in t.rows)
    body = "\n".join(c for c in chunks if c)
    amounts = joined_amounts(body) if joined else []
    if amounts:
        body += "\n" + " ".join(amounts)
    return body


def page_document(version: Version, page: int, text: str, tables: list[Table]) -> dict[str, Any]:
    """The index document for one page of one version."""
    body = page_text(text, tables)
    doc: dict[str, Any] = {
        "key": f"{version.sha256}:{page}",
        "sha256": version.sha256,
        "doc_id": version.doc_id,
        "page": page,
        "period": version.period,
        "superseded": version.superseded_by is not None,
        "tables": bool(tables),
        "title": version.title,
        "url": version.url,
        "text": body,
        "exact": body,
        "parts": body,
        "pairs": body,
        "folded": body,
        "refs": body,
        "titles": version.title or "",
        AMOUNTS_FIELD: " ".join(amount_terms(body, tables)),
    }
    if version.year is not None:
        doc["year"] = version.year
    if version.kommunenummer:
        doc["kommune"] = version.kommunenummer
        doc["kommune_name"] = version.kommune or version.kommunenummer
    for f in ("committee", "doctype", "date"):
        value = getattr(version, f)
        if value:
            doc[f] = value
    return doc
