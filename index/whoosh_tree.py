"""The query tree (index/tree.py) as Whoosh queries: the Whoosh backend's translation.

Node for node, with one rewrite Whoosh needs for speed: an And with negated children
becomes AndNot(positives, Or(negatives)), since Whoosh's Not alone walks every document.
Like the rewrite it replaces, it applies from the top of the query through And and Or only.
(An And of negations only, "(-a -b) c", once matched nothing here; it now means every page
but those, as it does on OpenSearch.)
"""

from __future__ import annotations

from whoosh import query as Q

from index import tree as T


def to_whoosh(q: T.Node, *, fix_negations: bool = True) -> Q.Query:
    """The Whoosh query for a tree (raises TypeError for a node it does not know)."""
    if isinstance(q, T.Term):
        return Q.Term(q.field, q.text, boost=q.boost)
    if isinstance(q, T.And):
        subs = [to_whoosh(c, fix_negations=fix_negations) for c in q.children]
        if not fix_negations:
            return Q.And(subs, boost=q.boost)
        pos = [c for c in subs if not isinstance(c, Q.Not)]
        neg = [c.query for c in subs if isinstance(c, Q.Not)]
        # Only negations ("(-a -b) c": the parser allows them beside a positive word): every
        # page but those, as OpenSearch reads a bool of must_not clauses alone.
        base = pos[0] if len(pos) == 1 else Q.And(pos) if pos else Q.Every()
        if not neg:
            return base
        return Q.AndNot(base, neg[0] if len(neg) == 1 else Q.Or(neg))
    if isinstance(q, T.Or):
        subs = [to_whoosh(c, fix_negations=fix_negations) for c in q.children]
        return Q.Or(subs, boost=q.boost) if q.boost != 1.0 else Q.Or(subs)
    if isinstance(q, T.Phrase):
        return Q.Phrase(q.field, list(q.words), boost=q.boost)
    if isinstance(q, T.Prefix):
        return Q.Prefix(q.field, q.text)
    if isinstance(q, T.Not):
        return Q.Not(to_whoosh(q.child, fix_negations=False))
    if isinstance(q, T.Constant):
        return Q.ConstantScoreQuery(to_whoosh(q.child, fix_negations=False), score=0.0)
    if isinstance(q, T.Range):
        if q.field in T.NUMERIC_FIELDS:
            return Q.NumericRange(q.field, q.lo, q.hi)
        return Q.TermRange(q.field, q.lo, q.hi)
    if isinstance(q, T.Exists):
        return Q.Every(q.field)
    if isinstance(q, T.Expansion):
        typed = to_whoosh(q.typed, fix_negations=fix_negations)
        alts = [to_whoosh(a, fix_negations=fix_negations) for a in q.alternatives]
        if not alts:
            return typed
        if q.boost != 1.0:
            alts = [Q.Or(alts, boost=q.boost)]
        return Q.Or([typed, *alts])
    raise TypeError(f"no Whoosh form for {type(q).__name__}: {q!r}")
