"""Doc-set algebra: the exact set of pages a query matches, without scoring any of them.

Terms are read a posting block at a time (`index.postings`); And / Or / AndNot become
set intersection / union / difference. Facet counts and trends are then C-speed set
operations over page numbers instead of Whoosh's grouping collector.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from whoosh import query as Q
from whoosh.searching import Searcher

from catalog.models import Filters
from index.analysis import STOPWORDS, stem
from index.postings import term_postings
from index.schema import FACET_FIELDS

if TYPE_CHECKING:
    from index.searcher import OpenIndex

VERIFY_RATIO = 8  # check candidates by skipping when they are under 1/8 of the next list


def matching_docs(ix: OpenIndex, q: Q.Query, filters: Filters) -> set[int]:
    """The pages `q` matches, superseded versions left out unless `filters.all_versions`."""
    docs = docset(ix.searcher, q)
    if not filters.all_versions:
        docs -= ix.superseded_docs()
    return docs


def term_docs(searcher: Searcher, fieldname: str, text: Any) -> set[int]:
    """Every live page that has the term."""
    out: set[int] = set()
    for seg in term_postings(searcher, fieldname, text):
        base = seg.base
        got = set(seg.ids if not base else [d + base for d in seg.ids])
        if seg.deleted:
            got -= {d + base for d in seg.deleted}
        out |= got
    return out


def docset(searcher: Searcher, q: Q.Query) -> set[int]:
    """Every page number matching `q`, exactly, by set algebra over posting lists.

    Phrases and anything else unusual fall back to Whoosh's own matcher, only over the
    candidates of the rest.
    """
    if isinstance(q, Q.Term):
        return term_docs(searcher, q.fieldname, q.text)
    if isinstance(q, Q.ConstantScoreQuery):
        return docset(searcher, q.child)
    if isinstance(q, Q.Or):
        # A word's exact form is on a subset of the pages of its stem (same page text, the
        # stemmed field only drops stop words): skip it, its posting list also carries
        # positions, which cost 4x a stem's list to read.
        stems = {c.text for c in q.subqueries if isinstance(c, Q.Term) and c.fieldname == "text"}
        out: set[int] = set()
        for c in q.subqueries:
            if (isinstance(c, Q.Term) and c.fieldname == "exact" and isinstance(c.text, str)
                    and c.text not in STOPWORDS and stem(c.text) in stems):
                continue
            out |= docset(searcher, c)
        return out
    if isinstance(q, Q.And):
        # Smallest first; once the candidates are few against a child's posting list,
        # check them with that child's matcher (skip_to jumps over whole blocks by their
        # max id without decoding them) instead of reading the whole list.
        reader = searcher.reader()
        sized = sorted(((_needs_matcher(c), c.estimate_size(reader), i, c) for i, c in enumerate(q.subqueries)),
                       key=lambda t: t[:3])
        out: set[int] | None = None
        for costly, size, _i, c in sized:
            if out is None:
                out = set(searcher.docs_for_query(c)) if costly else docset(searcher, c)
            elif costly or len(out) * VERIFY_RATIO < size:
                out = _verify(searcher, c, out)
            else:
                out &= docset(searcher, c)
            if not out:
                break
        return out or set()
    if isinstance(q, Q.AndNot):
        pos = docset(searcher, q.a)
        return pos - docset(searcher, q.b) if pos else pos
    if isinstance(q, (Q.Prefix, Q.TermRange, Q.NumericRange)):
        simple = q.simplify(searcher.reader())
        if simple is not q:
            return docset(searcher, simple)
    return set(searcher.docs_for_query(q))


def _needs_matcher(q: Q.Query) -> bool:
    """Queries whose matches are not a set expression of terms (phrases: positions)."""
    if isinstance(q, (Q.Term, Q.Prefix, Q.TermRange, Q.NumericRange)):
        return False
    if isinstance(q, Q.ConstantScoreQuery):
        return _needs_matcher(q.child)
    if isinstance(q, (Q.And, Q.Or)):
        return any(_needs_matcher(c) for c in q.subqueries)
    if isinstance(q, Q.AndNot):
        return _needs_matcher(q.a) or _needs_matcher(q.b)
    return True


def _verify(searcher: Searcher, q: Q.Query, candidates: set[int]) -> set[int]:
    """The candidates that `q` matches, by skipping its matcher to each candidate in turn."""
    out: set[int] = set()
    m = q.matcher(searcher)
    for d in sorted(candidates):
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out.add(d)
    return out


def facet_counts(ix: OpenIndex, docs: set[int]) -> dict[str, dict[str, int]]:
    """Pages per facet value among `docs`: one C-speed set intersection per value."""
    out: dict[str, dict[str, int]] = {}
    for name, fieldname in FACET_FIELDS.items():
        counts = [(k, len(docs.intersection(vdocs))) for k, vdocs in ix.facet_values(fieldname) if k]
        out[name] = {str(k): v for k, v in sorted(counts, key=lambda kv: (-kv[1], str(kv[0]))) if v}
    return out
