"""Names for what the catalog stores as keys and English phrases, in the front end's language.

The catalog keeps data: a run's counters under keys (`pages_visited`), a document's status
(`no_text`), a committee's slug (`barn-og-unge`), why a download or an extraction failed and
how each field of a document was decided, as the stage wrote them ("corrupt PDF: …",
`link text "…"`). A person reads names: this module turns each into a message of the catalog
(i18n/), so `hparkiv status` and the web's /status say "sider besøkt", "uten tekst",
"Hovedutvalg for barn og unge" and "ødelagt PDF" alike. What it does not know is shown as
stored, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from present.cells import safe


def N_(message: str) -> str:
    """Marks a message for the catalog; the front end translates it where it is shown."""
    return message


Gettext = Callable[[str], str]

# A document version's fields (`hparkiv show`, the web's document page).
FIELDS = {
    "doc_id": N_("doc_id"), "sha256": N_("sha256"), "title": N_("title"), "year": N_("year"),
    "period": N_("period"), "committee": N_("committee"), "doctype": N_("type"), "date": N_("date"),
    "pages": N_("pages"), "status": N_("status"), "error": N_("error"), "superseded_by": N_("superseded by"),
    "first_seen": N_("first seen"), "last_seen": N_("last seen"), "url": N_("web address"),
}

# A document's status (catalog.models.STATUSES).
STATUSES = {"pending": N_("not extracted yet"), "ok": N_("ok"), "no_text": N_("without text"),
            "failed": N_("failed")}

# The stages whose runs the catalog keeps, and the counters each records.
STAGES = {"crawl": N_("crawl"), "extract": N_("extraction"), "index": N_("indexing")}
RUN_COUNTS = {
    "pages_visited": N_("pages visited"), "documents_seen": N_("documents seen"), "new": N_("new"),
    "changed": N_("changed"), "unchanged": N_("unchanged"), "failed": N_("failed"), "links_found": N_("links found"),
    "done": N_("done"), "ok": N_("ok"), "no_text": N_("without text"), "pages": N_("pages"),
    "seconds": N_("seconds"), "workers": N_("workers"), "documents": N_("documents"), "deleted": N_("deleted"),
    "rebuilt": N_("rebuilt"), "decisions": N_("decisions"), "problems": N_("problems"),
    "refused": N_("refused by the search engine"),
    "peak_worker_rss_mb": N_("largest worker memory (MB)"),
}


def field_name(key: str, gettext: Gettext) -> str:
    return gettext(FIELDS[key]) if key in FIELDS else _humane(key)


def status_name(status: str | None, gettext: Gettext) -> str:
    return gettext(STATUSES[status]) if status in STATUSES else safe(status)


def stage_name(stage: str, gettext: Gettext) -> str:
    return gettext(STAGES[stage]) if stage in STAGES else _humane(stage)


def run_counts(stats: dict, gettext: Gettext, number: Callable[[object], str]) -> list[tuple[str, str]]:
    """A run's counters as (name, value) pairs: numbers by `number`, yes/no words for flags;
    lists and maps (the failures, kept beside the counters) are left out."""
    out = []
    for key, value in stats.items():
        if isinstance(value, bool):
            shown = gettext("yes") if value else gettext("no")
        elif isinstance(value, int | float):
            shown = number(value)
        else:
            continue
        out.append((gettext(RUN_COUNTS[key]) if key in RUN_COUNTS else _humane(key), shown))
    return out


def _humane(key: str) -> str:
    """A key nobody named yet, readable at least: `links_found` -> "links found"."""
    return safe(key).replace("_", " ")


@cache
def _vocabulary():
    from sources import shipped_vocabulary

    return shipped_vocabulary()


def committee_name(slug: str | None) -> str:
    """A committee's name ("Hovedutvalg for barn og unge") for its slug (or any spelling a filter
    takes: "HBU"; several, comma-separated, each named); an unknown one as it is."""
    if not slug:
        return ""
    names = []
    for one in str(slug).split(","):
        c = _vocabulary().committee(one) if one.strip() else None
        names.append(c.name if c else safe(one).strip())
    return ", ".join(n for n in names if n)


def table_caption(caption: str | None, unit: str | None) -> str:
    """A table's caption with its unit, the unit said once: "Hovedtall (i 1000 kr)" stays as it
    is, "C.1 Hovedoversikt" gets " · Beløp i 1000 kr"."""
    from sources import name_key

    caption, unit = safe(caption).strip(), safe(unit).strip()
    if not unit or name_key(unit) in name_key(caption):
        return caption
    return f"{caption} · {unit}" if caption else unit


def table_label(number: int, caption: str | None, gettext: Gettext) -> str:
    """A table as a page shows it, numbered as CSV and JSON number it: "Tabell 2: C.1
    Hovedoversikt"; a caption that already says that number ("Tabell 1 Hovedtall" for our
    first) is not numbered twice."""
    shown = safe(caption).strip()
    own = re.match(r"(?i)(?:tabell|table|tab\.)\s*(\d+)(?![\d.,])", shown)
    if own and int(own.group(1)) == number:
        return shown
    ours = gettext("Table %(n)s") % {"n": number}
    return f"{ours}: {shown}" if shown else ours


def doctype_name(slug: str | None) -> str:
    """A document type's name as the vocabulary spells it ("Spørsmål og svar" for "sporsmal"),
    which `--type` takes too; an unknown one as it is."""
    if not slug:
        return ""
    d = _vocabulary().doctype(str(slug))
    return d.name if d else safe(slug)


# Why a download or an extraction failed, as the crawler and the extractor write it; {fields}
# stand for the part that varies. More specific messages first.
REASONS = [
    N_("HTTP {status} (also missing from the web archive)"),
    "HTTP {status}",  # the same in every language
    N_("disallowed by robots.txt"),
    N_("too many redirects (a redirect loop?)"),
    N_("no answer (request dropped)"),
    N_("connection refused"),
    N_("host not found"),
    N_("connection lost (closed or reset by the server)"),
    N_("incomplete download: the connection closed before the whole body arrived"),
    N_("timeout after {seconds} s"),
    N_("larger than {size} MB"),
    N_("encrypted (password-protected PDF)"),
    N_("corrupt PDF: no pages"),
    N_("corrupt PDF: nesting too deep"),
    N_("corrupt PDF: {detail}"),
    N_("corrupt .docx: {detail}"),
    N_("empty file (0 bytes)"),
    N_("empty file (only whitespace)"),
    N_("file missing from the data dir"),
    N_("not a PDF (looks like HTML)"),
    N_("not a PDF (Word 97-2003 .doc, not supported; .docx and PDF are)"),
    N_("not a PDF (a zip file without word/document.xml)"),
    N_("not a PDF (starts with {start})"),
    N_("not a PDF"),
    N_("unknown format"),
    N_("no text on any page"),
    N_("no text in the .docx"),
    N_("gave up: used more than {size} memory"),
    N_("worker killed (signal SIGKILL; out of memory? limit {size})"),
    N_("crashed the PDF parser (signal {signal})"),
    N_("worker exited unexpectedly (exit code {code})"),
    N_("extraction error: {detail}"),
    # A crawl's warnings (crawler/child.py): the site seems to have changed.
    N_("no documents were found: the site has probably changed (or the start URL is wrong)"),
    N_("only {found} links found, {before} last time: the site has probably changed"),
]


def _pattern(message: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", message)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)))


_REASON_PATTERNS = [(_pattern(m), m) for m in REASONS]


def _translated(text: str, patterns: list[tuple[re.Pattern[str], str]], gettext: Gettext) -> str:
    """`text` as the first message whose pattern it fills, in the front end's language; as it is otherwise."""
    for pattern, message in patterns:
        m = pattern.fullmatch(text)
        if m:
            return gettext(message).format(**m.groupdict())
    return text


def reason(text: str | None, gettext: Gettext) -> str:
    """A stored failure reason in the front end's language; one nobody named yet as stored."""
    return _translated(safe(text).strip(), _REASON_PATTERNS, gettext)


# What `hparkiv check` finds: each kind in words (the JSON keeps the kind), and its detail as the
# checks write it ({fields} vary). A kind or detail nobody named yet is shown as written.
PROBLEM_KINDS = {
    "no-catalog": N_("no archive"), "temp-file": N_("unfinished file"), "orphan-file": N_("file without a row"),
    "render-orphan": N_("stray page image"), "corrupt-file": N_("damaged file"), "missing-file": N_("missing file"),
    "row-mismatch": N_("catalog row wrong"), "not-extracted": N_("not extracted"), "pages-lost": N_("pages lost"),
    "decisions-stale": N_("vedtak out of date"), "index-unreadable": N_("index unreadable"),
    "index-missing": N_("pages missing from the index"), "index-extra": N_("pages in the index only"),
    "index-duplicates": N_("pages indexed twice"), "index-stale": N_("index out of date"),
    "stale-leftover": N_("left by a killed run"), "engine-unreachable": N_("search engine unreachable"),
    "index-versions": N_("index versions differ"), "budget-stale": N_("budget model out of date"),
}
PROBLEM_DETAILS = [
    N_("no archive in {path}; run `hparkiv update`"),
    N_("unfinished download {path}"),
    N_("{path} is in no catalog row"),
    N_("{path} hashes to {hash}"),
    N_("version {sha} has no stored file"),
    N_("{path} is a half-written page image"),
    N_("{path} is no page image of a known version"),
    N_("{doc_id} is not the prefix of {sha}"),
    N_("{doc_id}: catalog says {size} bytes, file has {actual}"),
    N_("{doc_id} has no extraction and no recorded failure"),
    N_("{doc_id} is extracted but its pages are gone"),
    N_("{n} versions have no vedtak derived by the current parser"),
    N_("{n} catalog pages are not in the index"),
    N_("{n} index pages are not in the catalog"),
    N_("{n} pages are indexed more than once"),
    N_("{n} versions changed since they were indexed"),
    N_("{path} left by a killed writer"),
    N_("{n} versions have no current budget facts (the budget model is rebuilt by `hparkiv update` or "
       "`hparkiv check --repair`)"),
    # The OpenSearch backend's (index/opensearch/backend.py).
    N_("index {name} left by a killed rebuild"),
    N_("no index {name} in the cluster at {urls}"),
    N_("index {name} has schema {found}, this hparkiv writes {wanted}: a rebuild upgrades it"),
    N_("{n} versions have catalog pages the index lacks"),
    N_("{n} versions in the index are not in the catalog, {more} have pages the catalog lacks"),
    N_("{n} versions are indexed under two version numbers"),
    N_("{n} versions in the index differ from the catalog (version number, superseded, or pages)"),
]
_DETAIL_PATTERNS = [(_pattern(m), m) for m in PROBLEM_DETAILS]


def problem(kind: str, detail: str, gettext: Gettext) -> str:
    """One finding of `hparkiv check` as a line: "vedtak out of date: 43 versions have …"."""
    name = gettext(PROBLEM_KINDS[kind]) if kind in PROBLEM_KINDS else _humane(kind)
    return f"{name}: {_translated(safe(detail).strip(), _DETAIL_PATTERNS, gettext)}"


# How a field was decided (the crawler's provenance): the words around the quoted evidence.
# The evidence itself ("…", as the page printed it) is never translated.
PROVENANCE = [
    N_("rule: a committee's own budget proposal covers one budget year"),
    N_("rule: a calendar-year report is annet"),
    N_("rule: forslag has no committee"),
    N_("none: a calendar-year report names no plan period"),
    N_("default: nothing in the context or first page"),
    N_("named by the report itself"),
    N_("a calendar-year report"),
    N_("from budget year:"),
    N_("year of date"),
    N_("the link said"),
    N_("no such date"),
    N_("won over"),
    N_("names it"),
    N_("rule:"),
    N_("from first page"),
    N_("first page"),
    N_("no such date"),  # the first page prints a date that is no day ("Dato: 31.11.2020"): left empty
    N_("file name"),
    N_("link text"),
    N_("link title"),
    N_("agenda item"),
    N_("paragraph"),
    N_("label"),
    N_("heading"),
    N_("section text"),
    N_("meeting link"),
    N_("meeting summons"),
    N_("meeting section"),
    N_("meeting Utvalg"),
    N_("meeting Dato"),
    N_("meeting"),
    N_("page title"),
    N_("page period"),
    N_("url"),
]
_PHRASES = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(PROVENANCE, key=len, reverse=True))
                      + r")(?![\w-])")
_QUOTED = re.compile(r"(\"[^\"]*\"|'[^']*')")


def provenance(text: str | None, gettext: Gettext) -> str:
    """How a field was decided, its known words translated and its quoted evidence as found."""
    pieces = _QUOTED.split(safe(text))
    return "".join(p if i % 2 else _PHRASES.sub(lambda m: gettext(m.group(1)), p) for i, p in enumerate(pieces))
