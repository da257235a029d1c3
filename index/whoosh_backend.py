"""Whoosh, the embedded default backend: the index lives in the data dir (index/whoosh_*.py).

Only glue: each operation of index/backend.py's `Backend` is one call into the modules that
did it before there were two engines (searching: whoosh_search, searcher; writing:
whoosh_writer; vedtak: vedtak; checks: check), so Whoosh answers as before, as fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalog.models import Filters
from catalog.paths import DataDir
from index import whoosh_writer
from index.backend import Matches, TrendRow
from index.check import check_whoosh, repair_whoosh
from index.searcher import open_index
from index.vedtak import build_vedtak_index, whoosh_vedtak_scores
from index.whoosh_search import search_pages, trend_counts
from index.whoosh_writer import WhooshWriter

if TYPE_CHECKING:
    from catalog import Connection
    from catalog.problem import Problem
    from index.parsed import ParsedQuery
    from index.snippets import SnippetParts
    from index.spelling import IndexSpelling


class WhooshBackend:
    name = "whoosh"

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir

    def describe(self) -> dict[str, Any]:
        return {"engine": "whoosh", "where": str(self.data_dir.index),
                "exists": whoosh_writer.index_exists(self.data_dir)}

    # --- writing

    def prepare(self) -> bool:
        return whoosh_writer.prepare(self.data_dir)

    def writer(self, *, rebuild: bool, lexicon: frozenset[str] = frozenset(),
               common: frozenset[str] = frozenset()) -> WhooshWriter:
        return WhooshWriter(self.data_dir, rebuild=rebuild, lexicon=lexicon, common=common)

    def replace_vedtak(self, docs: list[tuple[str, str]]) -> int:
        return build_vedtak_index(self.data_dir, docs)

    # --- reading

    def spelling(self) -> IndexSpelling:
        return open_index(self.data_dir).spelling()

    def search(self, parsed: ParsedQuery, filters: Filters, *, limit: int | None, offset: int, facets: bool,
               sort: str, within: str | None) -> Matches:
        return search_pages(open_index(self.data_dir), parsed, filters, limit=limit, offset=offset, facets=facets,
                            sort=sort, within=within)

    def trend(self, parsed: ParsedQuery, filters: Filters) -> list[TrendRow]:
        return trend_counts(open_index(self.data_dir), parsed, filters)

    def vedtak_scores(self, parsed: ParsedQuery) -> dict[str, float]:
        return whoosh_vedtak_scores(self.data_dir, parsed)

    def snippet_parts(self) -> SnippetParts | None:
        return open_index(self.data_dir).snippet_parts

    # --- checking

    def check(self, conn: Connection) -> list[Problem]:
        return check_whoosh(self.data_dir, conn)

    def repair(self, problems: list[Problem], *, catalog_changed: bool) -> None:
        repair_whoosh(self.data_dir, problems, catalog_changed=catalog_changed)
