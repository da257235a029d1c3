"""index/snippets.py: a snippet never cuts inside a date, an amount or a case number, and a full
stop inside one (or after an abbreviation) ends no sentence (issue 18)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from index.query import parse
from index.snippets import kept_spans, snippet

KEPT = ["2. desember 2020", "18. november 2020", "2 446,3 mill. kroner", "kr 1 500,-", "1,5 mrd. kroner",
        "14 350 000 kroner", "sak 123/20", "20/13890"]
FILLER = "budsjettet rammen tiltak skolen bydelen planen driften kommunen økningen perioden".split()


def window(out: str) -> str:
    return " ".join(out.replace("[[", "").replace("]]", "").removeprefix("… ").removesuffix(" …").split())


def assert_whole(out: str, text: str) -> None:
    shown = window(out)
    flat = " ".join(text.split())
    start = flat.find(shown)
    assert start >= 0, (shown, flat)
    end = start + len(shown)
    for m in re.finditer("|".join(re.escape(k) for k in KEPT), flat):
        inside = start <= m.start() and m.end() <= end
        outside = m.end() <= start or m.start() >= end
        assert inside or outside, f"cut {m.group(0)!r} in {out!r}"


def test_kept_spans():
    text = "Vedtatt 2. desember 2020 i sak 123/20: 2 446,3 mill. kroner, kr 1 500,- og 1,5 mrd. kroner (bl.a. drift)."
    assert [text[a:b] for a, b in kept_spans(text)] == ["2. desember 2020", "sak 123/20", "2 446,3 mill. kroner",
                                                        "kr 1 500,-", "1,5 mrd. kroner", "bl.a."]


def test_a_full_stop_in_a_date_or_an_amount_ends_no_sentence():
    text = "Innledning. Handlingsprogrammet ble vedtatt av kommunestyret 2. desember 2020 i sak 123/20. Neste."
    out = snippet(text, parse("vedtatt").highlight)
    assert out == "… Handlingsprogrammet ble [[vedtatt]] av kommunestyret 2. desember 2020 i sak 123/20. …"
    text = "Start. Andelen er 2 446,3 mill. kroner for Fornebubanen i perioden. Slutt."
    assert "2 446,3 mill. kroner for [[Fornebubanen]]" in snippet(text, parse("Fornebubanen").highlight)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FILLER + KEPT), min_size=30, max_size=160), st.integers(min_value=0, max_value=159))
def test_a_long_sentence_is_never_cut_inside_a_kept_span(words, at):
    words = list(words)
    words.insert(min(at, len(words)), "Fornebubanen")
    text = " ".join(words) + "."
    out = snippet(text, parse("Fornebubanen").highlight)
    assert "[[Fornebubanen]]" in out
    assert_whole(out, text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(FILLER + KEPT), min_size=40, max_size=120))
def test_a_page_without_a_match_is_cut_between_words_too(words):
    text = " ".join(words)
    assert_whole(snippet(text, parse("zzzz").highlight), text)
