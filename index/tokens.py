"""A query's tokens: the text split into words, phrases, parentheses and operators, a number
typed with spaces joined into one token, and the words of a token as the `exact` field holds them.
"""

from __future__ import annotations

import re

from whoosh.analysis import LowercaseFilter, RegexTokenizer

from index import numbers
from index.analysis import WORD_PATTERN
from index.errors import QueryError

_exact_tokens = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
_TOKEN_RE = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s()"]+')


def exact_words(text: str) -> list[str]:
    """The words of `text` as the `exact` field indexes them (lowercased, unstemmed)."""
    return [t.text for t in _exact_tokens(text)]


def lex(text: str) -> list[str]:
    """The tokens of a query: words, quoted phrases, parentheses, operators (control characters are spaces)."""
    text = "".join(c if c.isprintable() else " " for c in text)
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        tok = m.group(0)
        if tok.isspace():
            continue
        if tok.startswith('"') and (len(tok) == 1 or not tok.endswith('"')):
            raise QueryError('unbalanced quote: close the phrase with "')
        tokens.append(tok)
    return tokens


def join_amounts(tokens: list[str]) -> list[str]:
    """Tokens that spell one number typed with spaces ("2 446,3", "2,4 mrd", "kr 1 500,-") joined
    into one (with no-break spaces), so the parser sees the amount."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i + (1 if tokens[i].lower() in ("kr", "kr.", "nok") and i + 1 < len(tokens) else 0)
        if not numbers.NUMBER_START.match(tokens[j]):
            out.append(tokens[i])
            i += 1
            continue
        end = j + 1
        if numbers.LEAD_RE.match(tokens[j]):
            while end < len(tokens) and numbers.GROUP_RE.match(tokens[end]):
                end += 1
        if end < len(tokens) and numbers.UNIT_WORDS.match(tokens[end]):
            end += 1
            if end < len(tokens) and tokens[end - 1].lower().startswith(("mill", "mrd", "milliard", "million")) \
                    and tokens[end].lower().rstrip(".") in ("kroner", "kr"):
                end += 1
        if end - i > 1 and numbers.typed_amount(" ".join(tokens[i:end])) is not None:
            out.append("\u00a0".join(tokens[i:end]))
            i = end
        else:
            out.append(tokens[i])
            i += 1
    return out
