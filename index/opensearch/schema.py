"""The OpenSearch index: settings and mappings as one versioned structure, analysed as Whoosh's.

One OpenSearch document per page, as in Whoosh (index/schema.py). The page text is sent
once, as `body`, and analysed into sub-fields that hold the same terms as Whoosh's fields,
so the query tree that index/query.py builds is translated term for term
(index/opensearch/translate.py) and never re-analysed:

    Whoosh field  OpenSearch field  analysis
    text          body              words, lowercase, stop words, Snowball stem, double consonant folded
    exact         body.exact        words, lowercase (positions, for phrases)
    parts         body.parts        the parts of compound words (dictionary over our lexicon), stemmed
    folded        body.folded       words and parts Scandinavian-folded, then stemmed
    refs          body.refs         case numbers, normalised ("087/2020" -> "87/20")
    pairs         body.pairs        two adjacent words, both among the corpus's commonest, as one term
    titles        title             as `text`
    amounts       amounts           numbers and amounts by value, index.numbers.amount_terms (keyword)

The same pieces as index/analysis.py: its word pattern (so "2Ap" is "2" and "ap", a party),
its stop words, its case-number pattern and normalisation, its compound lexicon and its
bounds. Differences that remain, measured by tests/test_opensearch_schema.py:

- Compounds: Lucene's `dictionary_decompounder` emits every lexicon word found inside a
  word (within the sub-word bounds), where Whoosh's splitter needs the parts to cover the
  word. So OpenSearch finds some parts Whoosh does not; the bounds (parts of at least
  MIN_PART letters, words of at least MIN_COMPOUND) keep "vei" out of "Veiledning".
- `body.folded` holds every folded term, where Whoosh keeps only those that differ from the
  stem (Whoosh finds the others through `text` under the same term): the same pages match.
- Java's \\w with UNICODE_CHARACTER_CLASS and Python's \\w differ on a few combining marks.

Changing anything here changes what an index holds: bump SCHEMA_VERSION, so a new index
is built and the alias moved to it.
"""

from __future__ import annotations

from typing import Any

from catalog.models import Table, Version
from index.analysis import CASE_PATTERN, MIN_COMPOUND, MIN_PART, STOPWORDS, WORD_PATTERN
from index.numbers import amount_terms
from index.schema import FIELD_BOOSTS, page_text

SCHEMA_VERSION = 4  # 2: word pairs of common words instead of `index_phrases`; 3: kommune; 4: amounts (issue 18)

# A compound's parts are MIN_PART..MAX_PART letters long; longer lexicon words are not parts.
MAX_PART = 20

# Whoosh field -> OpenSearch field (what index/opensearch/translate.py maps query terms to).
FIELDS = {
    "text": "body",
    "exact": "body.exact",
    "parts": "body.parts",
    "folded": "body.folded",
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
# The decompounder keeps each whole word beside its parts; the parts field keeps only the
# parts, as Whoosh's does: whole words are marked with a character no word holds, then emptied
# and dropped (the parts are lexicon words, so they never carry the mark). One decompounder
# (its word list is the largest part of the settings) serves both fields.
_WHOLE = "#"


def word_list(lexicon: frozenset[str]) -> list[str]:
    """The compound parts the decompounder may emit: lexicon words within the bounds."""
    return sorted(w for w in lexicon if MIN_PART <= len(w) <= MAX_PART and w not in STOPWORDS)


def analysis(lexicon: frozenset[str], common: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The analysis settings: `lexicon` the compound parts, `common` the words whose adjacent
    pairs are indexed as one term (index.analysis.corpus_stats computes both, as for Whoosh)."""
    words = word_list(lexicon)
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
            # Each word is marked before it is split (one character longer: the word bound moves
            # with it); the parts field then drops the marked whole words, the folded field unmarks them.
            "hp_mark_whole": {"type": "pattern_replace", "pattern": "^(.+)$", "replacement": "$1" + _WHOLE},
            "hp_compound_parts": {"type": "dictionary_decompounder", "word_list": words,
                                  "min_word_size": MIN_COMPOUND + len(_WHOLE), "min_subword_size": MIN_PART,
                                  "max_subword_size": MAX_PART, "only_longest_match": False},
            "hp_empty_whole": {"type": "pattern_replace", "pattern": "^.*" + _WHOLE + "$", "replacement": ""},
            "hp_drop_empty": {"type": "length", "min": 1},
            "hp_unmark_whole": {"type": "pattern_replace", "pattern": _WHOLE + "$", "replacement": ""},
            "hp_fold": {"type": "scandinavian_folding"},
            # index.analysis.PairFilter: only the common words stay (the others leave a gap),
            # adjacent pairs become "a b", and a pair across a gap (the filler "#") is dropped.
            "hp_common_words": {"type": "keep", "keep_words": sorted(common) or [_WHOLE]},
            "hp_word_pairs": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2,
                              "output_unigrams": False, "filler_token": _WHOLE},
            "hp_empty_gapped": {"type": "pattern_replace", "pattern": "^.*" + _WHOLE + ".*$", "replacement": ""},
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
            "hp_parts": {"type": "custom", "tokenizer": "hp_words",
                         "filter": ["lowercase", "hp_mark_whole", "hp_compound_parts", "hp_empty_whole",
                                    "hp_drop_empty", "hp_stem", "hp_double_consonant"]},
            # At query time a word is looked up as it is (Whoosh's DecompoundFilter passes it through).
            "hp_parts_query": {"type": "custom", "tokenizer": "hp_words",
                               "filter": ["lowercase", "hp_stem", "hp_double_consonant"]},
            # index.analysis.folded_term: folded before stemming, so "Aasen" and "Åsen" meet.
            "hp_folded": {"type": "custom", "tokenizer": "hp_words",
                          "filter": ["lowercase", "hp_stop", "hp_mark_whole", "hp_compound_parts", "hp_unmark_whole",
                                     "hp_fold", "hp_stem", "hp_double_consonant"]},
            "hp_folded_query": {"type": "custom", "tokenizer": "hp_words",
                                "filter": ["lowercase", "hp_stop", "hp_fold", "hp_stem", "hp_double_consonant"]},
            "hp_pairs": {"type": "custom", "tokenizer": "hp_words",
                         "filter": ["lowercase", "hp_common_words", "hp_word_pairs", "hp_empty_gapped", "hp_drop_empty"]},
            "hp_refs": {"type": "custom", "tokenizer": "hp_case_numbers",
                        "filter": ["hp_case_spaces", "hp_case_years", "hp_case_zeros"]},
        },
    }


def mappings(common: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One document per page; `body` is the page's searchable text (text and tables). The
    common words travel in `_meta`: the query side needs them to use the pairs field."""
    keyword = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "_meta": {"hparkiv_schema": SCHEMA_VERSION, "hparkiv_common": sorted(common)},
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
            "kommune": keyword,  # the kommunenummer, as Whoosh's field
            "kommune_name": {"type": "keyword", "index": False},
            "date": keyword,  # ISO dates as Whoosh's ID field: ranges compare the strings
            "when": keyword,  # the date, else the budget year ("2021"): what `--sort newest` orders by
            "superseded": {"type": "boolean"},
            "tables": {"type": "boolean"},
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "title": {"type": "text", "analyzer": "hp_text", "index_options": "freqs"},
            # Every number and amount of the page by its value, as Whoosh's `amounts` (index/numbers.py).
            "amounts": keyword,
            "body": {
                "type": "text", "analyzer": "hp_text", "index_options": "freqs",
                "fields": {
                    # Word pairs of every word (`index_phrases`) doubled the index; the pairs of
                    # common words answer the phrases that are slow by positions alone.
                    "exact": {"type": "text", "analyzer": "hp_exact"},
                    "pairs": {"type": "text", "analyzer": "hp_pairs", "index_options": "freqs", "norms": False},
                    "parts": {"type": "text", "analyzer": "hp_parts", "search_analyzer": "hp_parts_query",
                              "index_options": "freqs"},
                    "folded": {"type": "text", "analyzer": "hp_folded", "search_analyzer": "hp_folded_query",
                               "index_options": "freqs"},
                    "refs": {"type": "text", "analyzer": "hp_refs", "index_options": "freqs"},
                },
            },
        },
    }


def index_body(lexicon: frozenset[str], common: frozenset[str] = frozenset(), *, shards: int = 1,
               replicas: int = 1) -> dict[str, Any]:
    """What `PUT /INDEX` takes: settings (with the analysis) and mappings."""
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "codec": "best_compression",
                "analysis": analysis(lexicon, common),
            }
        },
        "mappings": mappings(common),
    }


def common_words(mapping: dict[str, Any]) -> frozenset[str]:
    """The common words an index was built with, from its mapping (GET /INDEX/_mapping)."""
    return frozenset(mapping.get("_meta", {}).get("hparkiv_common", ()))


def page_id(doc_id: str, version: int, page: int) -> str:
    """A page's document id: indexing the same page twice overwrites it (idempotent)."""
    return f"{doc_id}-v{version}-p{page}"


def page_source(version: Version, page: int, text: str, tables: list[Table], *, content_version: int = 1) -> dict[str, Any]:
    """The OpenSearch document for one page of one version (as index.schema.page_document)."""
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
        "body": page_text(text, tables),
    }
    doc["amounts"] = amount_terms(doc["body"], tables)
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
