"""The contract's oracle (tests/test_backend_contract.py): the query tree evaluated page by
page in Python over the catalog's text, with Whoosh's own field analysis (index/schema.py), and
queries parsed with the oracle's own words for corrections, compounds and forms
(index/spelling.py over the pages' terms). It knows no engine, so each backend can fail on its
own. A new kind of query node needs `holds` taught what it matches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import catalog
from catalog import DataDir, Filters
from index import tree as T
from index.analysis import WORD_RE, corpus_stats
from index.numbers import amount_terms
from index.parsed import ParsedQuery
from index.query import parse
from index.schema import FACET_FIELDS, make_schema, page_text
from index.snippets import SnippetParts
from index.spelling import IndexSpelling


@dataclass
class Page:
    key: tuple[str, int]
    version: catalog.Version
    text: str  # as indexed (index.schema.page_text)
    snippet_text: str  # as snippets are cut from (page_text(joined=False))
    tables: bool
    terms: dict[str, set] = field(default_factory=dict)  # field -> its terms (metadata: its one value)
    values: dict[str, object] = field(default_factory=dict)  # metadata field -> its value (ranges)
    words: list[str] = field(default_factory=list)


class PageTerms:
    """index.spelling.Terms over the oracle's pages: what an index of them would hold."""

    def __init__(self, pages: list[Page]) -> None:
        self.counts: Counter = Counter((name, t) for p in pages for name, ts in p.terms.items() for t in ts)

    def pages(self, terms: list[tuple[str, str]]) -> list[int]:
        return [self.counts[t] for t in terms]

    def words(self):
        return [(t, n) for (name, t), n in self.counts.items() if name == "exact"]


@dataclass
class Oracle:
    pages: list[Page]
    vedtak: list[Page]
    parts: SnippetParts
    lexicon: frozenset[str] = frozenset()
    terms: PageTerms | None = None
    spelling_cache: dict = field(default_factory=dict)

    def parse(self, query: str, exact: bool = False) -> ParsedQuery:
        """The query as a backend parses it, with the words of an index of these pages."""
        if self.terms is None:
            self.terms = PageTerms(self.pages)
        return parse(query, exact=exact, spelling=IndexSpelling(self.terms, self.spelling_cache, self.lexicon))

    def matches(self, query: str, filters: Filters | None = None, within: str | None = None,
                exact: bool = False, tree: str = "query") -> list[Page]:
        """The pages a query matches within the filters (None when its fields and the flags exclude each other);
        `tree` "exact": the pages of its words as typed only (those a search ranks first)."""
        parsed = self.parse(query, exact)
        merged = parsed.with_filters(filters or Filters())
        if merged is None:
            return []
        wanted = T.filter_node(merged)
        return [p for p in self.pages
                if (merged.all_versions or p.version.superseded_by is None)
                and (within is None or p.version.sha256 == within)
                and holds(parsed.query, p) and (wanted is None or holds(wanted, p))
                and (tree == "query" or holds(parsed.exact or parsed.query, p))]

    def vedtak_keys(self, query: str) -> set[str]:
        tree = parse(query).query
        return {p.key[0] for p in self.vedtak if holds(tree, p)}


def holds(q: T.Node, p: Page) -> bool:
    """Whether page `p` matches tree `q`, by the index's own analysis of its text."""
    if isinstance(q, T.Term):
        return q.text in p.terms.get(q.field, ())
    if isinstance(q, T.Phrase):
        n, words = len(q.words), list(q.words)
        return any(p.words[i:i + n] == words for i in range(len(p.words) - n + 1))
    if isinstance(q, T.Prefix):
        return any(w.startswith(q.text) for w in p.terms["exact"])
    if isinstance(q, T.Range):
        value = p.values.get(q.field)
        return value is not None and (q.lo is None or value >= q.lo) and (q.hi is None or value <= q.hi)
    if isinstance(q, T.Exists):
        return p.values.get(q.field) not in (None, "")
    if isinstance(q, T.And):
        return all(holds(c, p) for c in q.children)
    if isinstance(q, T.Or):
        return any(holds(c, p) for c in q.children)
    if isinstance(q, T.Not):
        return not holds(q.child, p)
    if isinstance(q, T.Constant):
        return holds(q.child, p)
    if isinstance(q, T.Expansion):
        return holds(q.typed, p) or any(holds(a, p) for a in q.alternatives)
    raise TypeError(f"the oracle does not know {type(q).__name__}: teach it the new node")


def build_oracle(data_dir: DataDir) -> Oracle:
    """The oracle over a data dir's catalog: its pages and vedtak, analysed as the index analyses them."""
    from catalog.vedtak import list_vedtak
    from index.vedtak import vedtak_text

    conn = catalog.connect_readonly(data_dir)
    try:
        lexicon, common = corpus_stats(p.text for _v, p in catalog.current_pages(conn))
        schema = make_schema(lexicon, common)
        versions = {v.sha256: v for v in catalog.list_versions(conn, Filters(all_versions=True))}
        keys = [(sha, p.page) for sha in versions for p in catalog.pages_of(conn, sha)]
        texts = catalog.pages_with_tables(conn, keys)
        found_vedtak = list_vedtak(conn, Filters(all_versions=True))
    finally:
        conn.close()

    def analysed(key, version, body, tables, snippet_text="") -> Page:
        page = Page(key, version, body, snippet_text, bool(tables))
        for name in ("text", "exact", "parts", "folded", "refs"):
            page.terms[name] = {t.decode() for t, *_rest in schema[name].index(body)}
        page.terms["amounts"] = set(amount_terms(body, tables or []))
        page.words = [w.lower() for w in WORD_RE.findall(body)]
        return page

    pages = []
    for key in keys:
        text, tables = texts[key]
        v = versions[key[0]]
        page = analysed(key, v, page_text(text, tables), tables, page_text(text, tables, joined=False))
        page.values = {"year": v.year, "committee": v.committee, "doctype": v.doctype, "date": v.date,
                       "kommune": v.kommunenummer}
        page.terms.update({name: {value} for name, value in page.values.items() if value not in (None, "")})
        page.terms["tables"] = {True} if tables else set()
        pages.append(page)
    vedtak = [analysed((f"{v.sha256}:{d.seq}", 0), v, vedtak_text(d), None) for v, d in found_vedtak]
    return Oracle(pages, vedtak, SnippetParts(lexicon), lexicon)


def facets_of(pages: list[Page]) -> dict[str, dict[str, int]]:
    """Pages per facet value, most first, years in order: what a search's facets must say."""
    out = {}
    for name, fieldname in FACET_FIELDS.items():
        counts = Counter(str(p.values[fieldname]) for p in pages if p.values.get(fieldname))
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    out["year"] = dict(sorted(out["year"].items()))
    return out
