"""The OpenSearch backend (the optional extra `hparkiv[opensearch]`): for archives one machine outgrows.

    schema.py     settings and mappings, one versioned structure, analysed as Whoosh's
    translate.py  index/query.py's query tree in OpenSearch's query DSL
    client.py     one client over all the nodes (retries on another node)
    bulk.py       bulk indexing with back-pressure and idempotent page ids

Nothing here is imported by `index` itself: Whoosh stays the embedded default, and
opensearch-py is imported only when a cluster is used.
"""
