"""The OpenSearch index: settings and mappings as one versioned structure, analysed as Whoosh's.

One OpenSearch document per page, as in Whoosh (index/schema.py). The page text is sent
once, as `body`, and analysed into sub-fields that hold the same terms as Whoosh's fields;
the compound parts and their folded forms are computed by index/fields.py, the very
functions Whoosh's fields use, and sent as terms. The query tree that index/query.py builds
is translated term for term (index/opensearch/translate.py) and never re-analysed:

    Whoosh field  OpenSearch field  analysis
    text          body              words, lowercase, stop words, Snowball stem, double consonant folded
    exact         body.exact        words, lowercase (positions, for phrases)
    refs          body.refs         case numbers, normalised ("087/2020" -> "87/20")
    pairs         body.pairs        two adjacent words, both among the corpus's commonest, as one term
    parts         parts             sent: index.fields.part_terms (the stemmed parts of compound words)
    folded        folded            sent: index.fields.folded_terms (words and parts folded, then stemmed)
    titles        title             as `text`
    amounts       amounts           sent: index.numbers.amount_terms (numbers and amounts by their value)

The same pieces as index/analysis.py: its word pattern (so "2Ap" is "2" and "ap", a party),
its stop words, its stemmer, its case-number pattern and normalisation.

Why the parts are computed here and not by Lucene's `dictionary_decompounder` over the same
word list (schema 1-3 did that): Lucene emits every lexicon word found inside a word, where
our splitter needs the parts to cover the word and lets the last part be inflected. On the
sample archive that made 3 of the 90 judged queries find other pages than Whoosh ("Fornebu"
found 45 pages more, inside "Fornebubanen"; "bemanning" missed "grunnbemanning", whose last
part is not itself a lexicon word). Sent as terms, the two engines hold the same parts, and
the engine skips the decompounder, which cost most of its indexing CPU (3.8-4.1 CPU-ms a
page for one copy with it, 1.3 without, and every replica analyses again), for about 0.2-0.8
CPU-ms a page of Python on the client (measured on the bench corpus, under load).

Differences that remain: Java's \\w with UNICODE_CHARACTER_CLASS and Python's \\w differ on
a few combining marks; and scoring (Lucene's BM25 against Whoosh's BM25F: another idf
formula, lengths encoded differently, and a field weight applied to the score where Whoosh
applies it to the term frequency), so pages of near-equal scores may come in another order
(docs/cluster.md, tests/test_backend_contract.py).

Changing anything here changes what an index holds: bump SCHEMA_VERSION, so a new index
is built and the alias moved to it.
"""

from __future__ import annotations

from typing import Any

from catalog.models import Table, Version
from index.analysis import CASE_PATTERN, STOPWORDS, WORD_PATTERN, DecompoundFilter
from index.fields import folded_terms, part_terms, words_of
from index.numbers import amount_terms
from index.schema import FIELD_BOOSTS, page_text

# 2: word pairs of common words instead of `index_phrases`;
# 3: the compound lexicon in `_meta` (for snippets), the municipality (kommune);
# 4: compound parts and folded forms computed as Whoosh's and sent as terms (no decompounder in the engine);
# 5: numbers and amounts by value, `amounts` (issue 18, index/numbers.py)
SCHEMA_VERSION = 5

# Whoosh field -> OpenSearch field (what index/opensearch/translate.py maps query terms to).
FIELDS = {
    "text": "body",
    "exact": "body.exact",
    "parts": "parts",
    "folded": "folded",
    "refs": "body.refs",
    "pairs": "body.pairs",
    "titles": "title",
    "key": "key",
    "sha256": "sha256",
    "year": "year",
    "committee": "committee",
    "doctype": "doctype",
    "kommune": "kommune",
    "date": "date",
    "superseded": "superseded",
    "tables": "tables",
    "amounts": "amounts",
}

# The index-time field weights of index/schema.py, by OpenSearch field (applied to each term's boost).
WEIGHTS = {FIELDS[f]: w for f, w in FIELD_BOOSTS.items()}

# Java regex flags: \w and \d as Python 3 reads them in a str pattern (Unicode letters and digits).
_UNICODE = "UNICODE_CHARACTER_CLASS"
_GAP = "#"  # the filler of a word left out of the pairs (no word holds it)


def analysis(common: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The analysis settings: `common` the words whose adjacent pairs are indexed as one term
    (index.analysis.corpus_stats computes them, as for Whoosh)."""
    return {
        "tokenizer": {
            "hp_words": {"type": "pattern", "pattern": WORD_PATTERN, "group": 0, "flags": _UNICODE},
            "hp_case_numbers": {"type": "pattern", "pattern": CASE_PATTERN, "group": 0, "flags": _UNICODE},
        },
        "filter": {
            "hp_stop": {"type": "stop", "stopwords": sorted(STOPWORDS)},
            "hp_stem": {"type": "stemmer", "language": "norwegian"},
            # index.analysis.stem: a final double consonant made single ("programm" -> "program").
            "hp_double_consonant": {"type": "pattern_replace", "pattern": r"(?U)^(.{2,})([^\W\d_aeiouyæøå])\2$",
                                    "replacement": "$1$2"},
            "hp_drop_empty": {"type": "length", "min": 1},
            # index.analysis.PairFilter: only the common words stay (the others leave a gap),
            # adjacent pairs become "a b", and a pair across a gap (the filler "#") is dropped.
            "hp_common_words": {"type": "keep", "keep_words": sorted(common) or [_GAP]},
            "hp_word_pairs": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2,
                              "output_unigrams": False, "filler_token": _GAP},
            "hp_empty_gapped": {"type": "pattern_replace", "pattern": "^.*" + _GAP + ".*$", "replacement": ""},
            # index.analysis.case_number: no spaces, four-digit years 1990-2049 as two digits,
            # no leading zeros ("087 / 2020" -> "87/20").
            "hp_case_spaces": {"type": "pattern_replace", "pattern": r"\s+", "replacement": ""},
            "hp_case_years": {"type": "pattern_replace", "pattern": r"(?<![0-9])(?:19(9[0-9])|20([0-4][0-9]))(?![0-9])",
                              "replacement": "$1$2"},
            "hp_case_zeros": {"type": "pattern_replace", "pattern": r"(?<![0-9])0+(?=[0-9])", "replacement": ""},
        },
        "analyzer": {
            "hp_text": {"type": "custom", "tokenizer": "hp_words",
                        "filter": ["lowercase", "hp_stop", "hp_stem", "hp_double_consonant"]},
            "hp_exact": {"type": "custom", "tokenizer": "hp_words", "filter": ["lowercase"]},
            "hp_pairs": {"type": "custom", "tokenizer": "hp_words",
                         "filter": ["lowercase", "hp_common_words", "hp_word_pairs", "hp_empty_gapped", "hp_drop_empty"]},
            "hp_refs": {"type": "custom", "tokenizer": "hp_case_numbers",
                        "filter": ["hp_case_spaces", "hp_case_years", "hp_case_zeros"]},
            # Terms computed by index/fields.py and sent space-separated: taken as they are.
            "hp_terms": {"type": "custom", "tokenizer": "whitespace", "filter": []},
        },
    }


def mappings(common: frozenset[str] = frozenset(), lexicon: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One document per page; `body` is the page's searchable text (text and tables). The
    common words and the compound lexicon travel in `_meta`: the query side needs the common
    words for the pairs field, the snippets the lexicon for compound parts.

    hparkiv's snippets are cut from the catalog's page text, so the engine never returns the
    body; `_source` keeps it all the same: leaving it out saved only 5 % of the disk
    (2,000 pages, one copy, merged: 7,382 against 7,739 bytes a page; best_compression packs
    it well), and with it the cluster can `_reindex` and highlight on its own."""
    keyword = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "_meta": {"hparkiv_schema": SCHEMA_VERSION, "hparkiv_common": sorted(common),
                  "hparkiv_lexicon": sorted(lexicon)},
        "_source": {"excludes": ["parts", "folded"]},  # derived from the body
        "properties": {
            "key": keyword,  # "sha256:page", as Whoosh's unique key
            "sha256": keyword,
            "doc_id": keyword,
            "version": {"type": "integer"},
            "page": {"type": "integer"},
            "year": {"type": "short"},
            "period": {"type": "keyword", "index": False},
            "committee": keyword,
            "doctype": keyword,
            "date": keyword,  # ISO dates as Whoosh's ID field: ranges compare the strings
            "when": keyword,  # the date, else the budget year ("2021"): what `--sort newest` orders by
            "kommune": keyword,  # the kommunenummer ("3207"): names are not unique
            "kommune_name": {"type": "keyword", "index": False, "doc_values": False},
            "superseded": {"type": "boolean"},
            "tables": {"type": "boolean"},
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "title": {"type": "text", "analyzer": "hp_text", "index_options": "freqs"},
            # Sent as terms (index.fields.part_terms, folded_terms): Whoosh's analysis, exactly.
            "parts": {"type": "text", "analyzer": "hp_terms", "index_options": "freqs"},
            "folded": {"type": "text", "analyzer": "hp_terms", "index_options": "freqs"},
            # Every number and amount of the page by its value, as Whoosh's `amounts` (index/numbers.py):
            # sent as terms and scored as Whoosh's scorable KEYWORD field is (by the page's count of
            # them too, which a `keyword` field has no norms for).
            "amounts": {"type": "text", "analyzer": "hp_terms", "index_options": "freqs"},
            "body": {
                "type": "text", "analyzer": "hp_text", "index_options": "freqs",
                "fields": {
                    # Word pairs of every word (`index_phrases`) doubled the index; the pairs of
                    # common words answer the phrases that are slow by positions alone.
                    "exact": {"type": "text", "analyzer": "hp_exact"},
                    "pairs": {"type": "text", "analyzer": "hp_pairs", "index_options": "freqs", "norms": False},
                    "refs": {"type": "text", "analyzer": "hp_refs", "index_options": "freqs"},
                },
            },
        },
    }


# Hits a search may page through by from/size (deeper: search_after, index/opensearch/backend.py).
MAX_RESULT_WINDOW = 100_000


def index_body(lexicon: frozenset[str], common: frozenset[str] = frozenset(), *, shards: int = 1,
               replicas: int = 1, refresh_interval: str | None = None) -> dict[str, Any]:
    """What `PUT /INDEX` takes: settings (with the analysis) and mappings."""
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "codec": "best_compression",
        "max_result_window": MAX_RESULT_WINDOW,
        "analysis": analysis(common),
    }
    if refresh_interval is not None:
        settings["refresh_interval"] = refresh_interval
    return {"settings": {"index": settings}, "mappings": mappings(common, lexicon)}


def common_words(mapping: dict[str, Any]) -> frozenset[str]:
    """The common words an index was built with, from its mapping (GET /INDEX/_mapping)."""
    return frozenset(mapping.get("_meta", {}).get("hparkiv_common", ()))


def lexicon_of(mapping: dict[str, Any]) -> frozenset[str]:
    """The compound lexicon an index was built with, from its mapping."""
    return frozenset(mapping.get("_meta", {}).get("hparkiv_lexicon", ()))


def spelled(counts) -> str:
    """Terms as the `hp_terms` analyzer reads them: each as often as it occurs, by spaces."""
    return " ".join(" ".join([t] * n) for t, n in counts.items())


def page_id(doc_id: str, version: int, page: int) -> str:
    """A page's document id: indexing the same page twice overwrites it (idempotent)."""
    return f"{doc_id}-v{version}-p{page}"


def page_source(version: Version, page: int, text: str, tables: list[Table], *, content_version: int = 1,
                decompound: DecompoundFilter | None = None) -> dict[str, Any]:
    """The OpenSearch document for one page of one version (as index.schema.page_document);
    `content_version` is the version's number in its document's history (catalog.version_numbers),
    `decompound` the index's compound splitter (its lexicon: `DecompoundFilter(lexicon)`)."""
    body = page_text(text, tables)
    doc: dict[str, Any] = {
        "key": f"{version.sha256}:{page}",
        "sha256": version.sha256,
        "doc_id": version.doc_id,
        "version": content_version,
        "page": page,
        "period": version.period,
        "superseded": version.superseded_by is not None,
        "tables": bool(tables),
        "title": version.title or "",
        "url": version.url,
        "body": body,
    }
    if decompound is not None:
        words = words_of(body)
        doc["parts"] = spelled(part_terms(words, decompound))
        doc["folded"] = spelled(folded_terms(words, decompound))
    doc["amounts"] = " ".join(amount_terms(body, tables))
    for f in ("year", "committee", "doctype", "date"):
        value = getattr(version, f)
        if value is not None and value != "":
            doc[f] = value
    if version.kommunenummer:
        doc["kommune"] = version.kommunenummer
        doc["kommune_name"] = version.kommune or version.kommunenummer
    if version.date or version.year:
        doc["when"] = version.date or f"{version.year:04d}"
    return doc
