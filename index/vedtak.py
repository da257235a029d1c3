"""Searching vedtak: a small index of them beside the page index, and the filters
`hparkiv vedtak` offers (party, outcome).

The vedtak index is rebuilt whole at the end of every index update (index/writer.py):
vedtak are few (one per agenda item or text decision), so a rebuild takes a fraction of a
second. Each backend keeps it its own way (`Backend.replace_vedtak`, `vedtak_scores`), with
the page index's analysis and the same query parser (index/query.py). Whoosh's lives inside
the current index generation (`index/vedtak/`, below), with the page index's own field types.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from typing import Any

from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema

import catalog
from catalog.models import Filters, Vedtak, Version, Vote
from catalog.paths import DataDir
from catalog.vedtak import load_vedtak, vedtak_keys
from index.backend import open_backend
from index.errors import FilterError, IndexMissing
from index.parsed import ParsedQuery
from index.query import parse
from index.tree import pair_phrases
from index.whoosh_tree import to_whoosh

OUTCOMES = ("vedtatt", "falt")
SUBDIR = "vedtak"
# The page index's text fields a query may use; the vedtak index takes their types from it.
TEXT_FIELDS = ("text", "exact", "parts", "folded", "refs", "pairs")


@dataclass
class VedtakResult:
    query: str | None
    total: int
    vedtak: list[tuple[Version, Vedtak]] = field(default_factory=list)


def vedtak_text(d: Vedtak) -> str:
    """What makes a vedtak findable: title, recommendation, decision, proposals, votes."""
    parts = [d.case, d.title, d.section, d.recommendation, d.decision]
    parts += [f"{p.by}: {p.text}" for p in d.proposals]
    parts += [v.text for v in d.votes]
    return "\n".join(p for p in parts if p)


def build_vedtak_index(data_dir: DataDir, docs: list[tuple[str, str]]) -> int:
    """(Re)build Whoosh's vedtak index inside the current index generation from (key, text)
    documents; returns its size."""
    if not whoosh_index.exists_in(str(data_dir.index)):
        raise IndexMissing()
    pages = whoosh_index.open_dir(str(data_dir.index))
    try:
        page_schema = pages.schema
        fields = {name: page_schema[name] for name in TEXT_FIELDS if name in page_schema}
        schema = Schema(key=ID(stored=True, unique=True), **fields)
    finally:
        pages.close()
    target = data_dir.index / SUBDIR
    fresh = data_dir.index / (SUBDIR + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    ix = whoosh_index.create_in(str(fresh), schema)
    writer = ix.writer()
    for key, body in docs:
        writer.add_document(key=key, **{name: body for name in schema.names() if name != "key"})
    writer.commit()
    ix.close()
    old = data_dir.index / (SUBDIR + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)  # a reader between the two renames finds no index and says so
    shutil.rmtree(old, ignore_errors=True)
    return len(docs)


_OPEN: dict[str, tuple[str, Any]] = {}  # resolved path -> (TOC file name, open index): one per process
_OPEN_LOCK = threading.Lock()


def _open(data_dir: DataDir) -> Any:
    """The vedtak index, opened once per process and again only when a new one is committed.

    Safe from many threads at once: the index object is shared, but every search opens its
    own searcher from it (`whoosh_vedtak_scores`), so no two threads read through one file object."""
    path = (data_dir.index / SUBDIR).resolve()
    try:
        toc = max((p.name for p in path.glob("_MAIN_*.toc")), default="")
    except OSError:
        toc = ""
    if not toc:
        raise IndexMissing()
    with _OPEN_LOCK:
        cached = _OPEN.get(str(path))
        if cached and cached[0] == toc:
            return cached[1]
        ix = whoosh_index.open_dir(str(path))
        _OPEN[str(path)] = (toc, ix)
        return ix


def whoosh_vedtak_scores(data_dir: DataDir, parsed: ParsedQuery) -> dict[str, float]:
    """Every vedtak Whoosh's vedtak index matches, by key, with its score."""
    ix = _open(data_dir)
    q = parsed.query
    if "pairs" in ix.schema:
        q = pair_phrases(q, ix.schema["pairs"].common)
    with ix.searcher() as s:  # this search's own searcher: readers never share file objects
        return {hit["key"]: hit.score for hit in s.search(to_whoosh(q), limit=None)}


def party_lost(vote: Vote, abbr: str) -> bool | None:
    """Whether the party's side lost this vote: True/False where the protocol says which side
    it was on (named in a side, or the motion is its proposal), None where it does not."""
    if not vote.parsed or vote.result not in OUTCOMES:
        return None
    backs = abbr in vote.parties_for or abbr in vote.motion_parties
    opposes = abbr in vote.parties_against or abbr in vote.alternative_parties
    if not backs and not opposes:
        return None
    lost_backing = backs and vote.result == "falt"
    lost_opposing = opposes and vote.result == "vedtatt"
    return lost_backing or lost_opposing


def _outcome_matches(d: Vedtak, party: str | None, outcome: str | None) -> bool:
    if party is None and outcome is None:
        return True
    if party is None:
        return any(v.parsed and v.result == outcome for v in d.votes)
    sides = [party_lost(v, party) for v in d.votes]
    sides_known = [s for s in sides if s is not None]
    if outcome is None:
        return bool(sides_known) or any(party in p.parties for p in d.proposals)
    return any(s == (outcome == "falt") for s in sides_known)


def resolve_party(text: str) -> str:
    """A party's abbreviation as the sources print it, from any spelling; FilterError if unknown."""
    from sources import shipped_vocabulary

    vocab = shipped_vocabulary()
    party = vocab.party(text)
    if party is None:
        raise FilterError("unknown party {party!r}; known: {known}", party=text, known=", ".join(vocab.party_abbrs()))
    return party.abbr


def search_vedtak(
    data_dir: DataDir, query: str | None = None, filters: Filters | None = None, *,
    party: str | None = None, outcome: str | None = None, limit: int | None = None, offset: int = 0,
) -> VedtakResult:
    """Vedtak matching a query (best first) or all (newest first), narrowed by the
    document filters, a party (its side named in a vote or proposal) and an outcome
    (`--party Ap --outcome falt`: vedtak where Ap's side lost a vote)."""
    if outcome is not None and outcome not in OUTCOMES:
        raise FilterError("outcome must be one of {valid}, not {outcome!r}", valid=", ".join(OUTCOMES), outcome=outcome)
    abbr = resolve_party(party) if party else None
    filters = filters or Filters()
    scores = None
    if query is not None and query.strip():
        parsed = parse(query)
        narrowed = parsed.with_filters(filters)  # the query's own fields (year:2021) narrow the flags
        if narrowed is None:
            return VedtakResult(query=query, total=0)
        filters = narrowed
        scores = open_backend(data_dir).vedtak_scores(parsed)
    conn = catalog.connect(data_dir)
    try:
        keys = vedtak_keys(conn, filters)
        if scores is not None:
            keys = sorted((k for k in keys if f"{k[0]}:{k[1]}" in scores), key=lambda k: -scores[f"{k[0]}:{k[1]}"])
        end = None if limit is None else offset + limit
        if abbr is None and outcome is None:
            return VedtakResult(query=query, total=len(keys), vedtak=load_vedtak(conn, keys[offset:end]))
        found = [(v, d) for v, d in load_vedtak(conn, keys) if _outcome_matches(d, abbr, outcome)]
    finally:
        conn.close()
    return VedtakResult(query=query, total=len(found), vedtak=found[offset:end])

