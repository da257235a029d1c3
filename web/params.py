"""Reading and validating what a request asks for: every id, number and filter is checked
here, and a bad one becomes a `BadRequest` with a message for the user (status 400), never
a traceback or a file path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import QueryParams

from catalog.models import Filters

MAX_QUERY_CHARS = 500
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_RESULT_PAGE = 500
SORTS = ("relevance", "newest", "oldest")
FILTER_KEYS = ("year", "committee", "type", "from", "to", "kommune")
FLAG_KEYS = ("all_versions", "undated")
_DOC_ID = re.compile(r"[0-9a-f]{6,64}")


class BadRequest(Exception):
    """The request's parameters are wrong; the message is shown to the user (status 400)."""


class NotFound(Exception):
    """No such document or page (status 404)."""


@dataclass
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    raw: dict[str, str] = field(default_factory=dict)  # the filters as given, for links
    sort: str = "relevance"
    page: int = 1
    size: int = PAGE_SIZE
    exact: bool = False  # exact=1: the words as typed, no expansions (the CLI's --exact)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def query_string(self, **changes: str | int | None) -> str:
        """This search's URL parameters with some changed (None drops one)."""
        params: dict[str, str | int | None] = {"q": self.q, **self.raw}
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.exact:
            params["exact"] = 1
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def doc_id(value: str) -> str:
    """A document id (hex, 6 to 64 digits); anything else is a 404, as an unknown id is."""
    value = value.strip().lower()
    if not _DOC_ID.fullmatch(value):
        raise NotFound(value)
    return value


def int_param(params: QueryParams, name: str, default: int, lo: int, hi: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise BadRequest(f"{name} must be a whole number from {lo} to {hi}")
    return int(raw)


def query_text(params: QueryParams, required: bool = True) -> str:
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(f"query too long ({len(q)} characters, at most {MAX_QUERY_CHARS})")
    if required and not q:
        raise BadRequest("empty query")
    return q


def filters(params: QueryParams | dict[str, str]) -> tuple[Filters, dict[str, str]]:
    """Filters from year=2021|2019-2022, committee=, type=, kommune= (one or comma-separated), from=,
    to=, undated=1 (with from/to: keep documents without a date), resolved as the CLI resolves its
    flags (index.filters); and the raw values, for links.
    Raises index.errors.FilterError (a QueryError: status 400, message translated)."""
    from index.filters import make_filters

    raw = {k: params[k].strip() for k in FILTER_KEYS if (params.get(k) or "").strip()}
    flags = {name: params.get(name) in ("1", "true", "yes") for name in FLAG_KEYS}
    f = make_filters(year=raw.get("year"), committee=raw.get("committee"), doctype=raw.get("type"),
                     date_from=raw.get("from"), date_to=raw.get("to"), kommune=raw.get("kommune"), **flags)
    raw.update({name: "1" for name, given in flags.items() if given})
    return f, raw


def search_params(params: QueryParams, required: bool = True) -> SearchParams:
    sort = params.get("sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
    f, raw = filters(params)
    return SearchParams(
        q=query_text(params, required), filters=f, raw=raw, sort=sort,
        page=int_param(params, "page", 1, 1, MAX_RESULT_PAGE),
        size=int_param(params, "size", PAGE_SIZE, 1, MAX_PAGE_SIZE),
        exact=params.get("exact") in ("1", "true", "yes"),
    )


COUNTS = ("pages", "documents")


def trend_options(params: QueryParams) -> tuple[str, bool]:
    """(count, normalise) of a trend, as the CLI's --count pages|documents and --normalise."""
    count = params.get("count") or "pages"
    if count not in COUNTS:
        raise BadRequest(f"count must be one of {', '.join(COUNTS)}")
    return count, params.get("normalise") in ("1", "true", "yes")


BACK_KEYS = ("q", *FILTER_KEYS, *FLAG_KEYS, "sort", "page", "size")
MAX_BACK_CHARS = 1500


def back(params: QueryParams) -> str:
    """The search a page was opened from (`?back=`, its query string), rebuilt from the keys
    a search takes and nothing else, so "back to the search" returns to the same words,
    filters, sort and result page, and can lead nowhere but /search. "" when none was given."""
    raw = params.get("back") or ""
    if not raw or len(raw) > MAX_BACK_CHARS:
        return ""
    pairs = [(k, v) for k, v in parse_qsl(raw) if k in BACK_KEYS and v and len(v) <= MAX_QUERY_CHARS]
    return urlencode(pairs) if any(k == "q" for k, _v in pairs) else ""


def export_format(params: QueryParams, default: str = "json") -> tuple[str, str]:
    """(format, CSV dialect): ?format= one of present.formats' (json by default), ?dialect=
    rfc4180 (default) or excel-nb, as the CLI's --format and --csv-dialect."""
    from present.formats import DIALECTS, FORMATS

    fmt = params.get("format") or default
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}")
    dialect = params.get("dialect") or DIALECTS[0]
    if dialect not in DIALECTS:
        raise BadRequest(f"dialect must be one of {', '.join(DIALECTS)}")
    return fmt, dialect
