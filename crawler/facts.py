"""What a platform states as data decides over what the classifier read from text.

An API says a document's type ("saksframlegg"), a meeting's committee and its day; a link's
context carries them as `facts` ({field: [value, where it was read]}), and `platform_facts`
applies them after the classifier has read the text (crawler/classify.py `decide`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sources import Vocabulary

META_FACTS = ("doctype", "committee", "date", "year", "period", "title")


class HasContext(Protocol):
    context: dict[str, Any]


def platform_facts(meta: dict[str, Any], prov: dict[str, str], links: Sequence[HasContext],
                    vocab: Vocabulary) -> None:
    """What a platform states as data (an API's document type, a meeting's date and committee)
    decides over what was read from text: the first link that carries such facts gives them,
    each as [value, where it was read]; a value of None says the platform has none (a meeting
    whose date does not exist is undated, not dated by a guess)."""
    facts = next((f for link in links if isinstance(f := link.context.get("facts"), dict) and f), None)
    for key, fact in (facts or {}).items():
        if key not in META_FACTS or not isinstance(fact, list | tuple) or len(fact) != 2:
            continue
        value, why = fact
        if key == "committee" and value is not None and vocab.committee(str(value)) is None:
            continue
        if key == "doctype" and value is not None and vocab.doctype(str(value)) is None:
            continue
        if meta.get(key) != value:
            shown = f"; won over {prov[key]} = {meta.get(key)}" if prov.get(key) and meta.get(key) is not None else ""
            prov[key] = f"{why}{shown}"
        else:
            prov[key] = why
        meta[key] = value
        if key == "date" and value and meta.get("year") is None:
            meta["year"], prov["year"] = int(value[:4]), f"year of date {value}"
