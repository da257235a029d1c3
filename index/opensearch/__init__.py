"""The OpenSearch backend (the optional extra `hparkiv[opensearch]`): for archives one machine outgrows.

    backend.py    the backend (index/backend.py's interface): aliases, rebuild and swap, vedtak
    writer.py     one update's pages streamed to the cluster in bulk, with back-pressure
    search.py     reading one index: pages, deep pages, pages per document, trend, buckets
    check.py      the check by version against the catalog, and its repair
    schema.py     settings and mappings, one versioned structure, analysed as Whoosh's
    translate.py  index/query.py's query tree in OpenSearch's query DSL, and the answers back
    terms.py      the index's words for the parser (pages of terms, the words from the catalog)
    client.py     one client over all the nodes (retries on another node)
    bulk.py       bulk indexing with back-pressure and idempotent page ids

Nothing here is imported by `index` itself: Whoosh stays the embedded default, and
opensearch-py is imported only when a cluster is used.
"""
