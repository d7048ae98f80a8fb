"""ICD-10 codes as the dataset writes them: a category (``G35``), a
subcategory (``F10.2``) or a range between two of them (``M40-M54``).

Every code is read as an interval of code strings, so that containment is two
string comparisons: ``G35`` spans ``G35`` to ``G35~``, which holds ``G35.0``
and ``G35.99`` (``~`` sorts after ``.`` and every digit); ``M40-M54`` spans
``M40`` to ``M54~``. Pure functions, no WHO data: the dataset's own excerpt
(model.WhoCode) gives titles.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A WHO category or subcategory (two digits after the dot at most), or an
# ICD-10-CM/-GM code with more, which reads as its WHO prefix.
CODE = r"[A-Z][0-9]{2}(?:\.[0-9]{1,4})?"
CODE_OR_RANGE = rf"{CODE}(?:-{CODE})?"
_END = "~"


class Span(NamedTuple):
    low: str
    high: str  # inclusive upper bound, ending in "~"


def span(code: str) -> Span:
    """The interval of code strings that `code` (a code or a range) covers."""
    low, _, high = code.partition("-")
    return Span(low, (high or low) + _END)


def who_form(code: str) -> str:
    """A code cut to the WHO form, a category and at most one digit after the
    dot: ICD-10-CM's M54.50 and M54.16 read as M54.5 and M54.1."""
    category, dot, sub = code.partition(".")
    return f"{category}.{sub[:1]}" if dot and len(sub) > 1 else code


def contains(outer: str, inner: str) -> bool:
    """True when every code of `inner` is inside `outer` (a code contains itself)."""
    a, b = span(outer), span(inner)
    return a.low <= b.low and b.high <= a.high


def is_code(text: str) -> bool:
    """Whether `text` (any case) is written like an ICD-10 code or range."""
    return re.fullmatch(CODE_OR_RANGE, text.upper()) is not None


def categories(code: str) -> tuple[str, ...]:
    """The 3-character categories a range covers (``T36-T38`` -> T36, T37, T38);
    a single code gives its own category."""
    low, _, high = code.partition("-")
    first, last = low[:3], (high or low)[:3]
    if first[0] != last[0]:
        return (first, last)  # ranges never cross a letter in WHO ICD-10; stay safe
    return tuple(f"{first[0]}{n:02d}" for n in range(int(first[1:]), int(last[1:]) + 1))


def hierarchy(
    codes_of: dict[str, tuple[str, ...]], broader_of: dict[str, tuple[str, ...]], group_only: set[str]
) -> dict[str, frozenset[str]]:
    """Id -> every id narrower than it, transitively: the union of the explicit
    `broader` links and code containment (an id whose every code lies inside
    another's codes is narrower than it; the same codes both ways make neither
    narrower). A group-only id gets no narrower ones by code: its members never
    reach it. Built once per dataset, when it is loaded, and cached with it."""
    direct: dict[str, set[str]] = {key: set() for key in codes_of}
    for child, parents in broader_of.items():
        for parent in parents:
            if parent in direct:
                direct[parent].add(child)
    spans = {key: [span(code) for code in own] for key, own in codes_of.items() if own}
    # Each id's codes within one bounding interval: most pairs fail on it with
    # two comparisons (the bundled ~100 conditions: 12 ms -> 2 ms of a cold load).
    bounds = {key: (min(s.low for s in own), max(s.high for s in own)) for key, own in spans.items()}
    for outer, outer_spans in spans.items():
        if outer in group_only:
            continue
        low, high = bounds[outer]
        for inner, inner_spans in spans.items():
            inner_low, inner_high = bounds[inner]
            if inner == outer or inner_low < low or inner_high > high:
                continue
            if _inside(inner_spans, outer_spans) and not _inside(outer_spans, inner_spans):
                direct[outer].add(inner)
    closed: dict[str, frozenset[str]] = {}
    for key, children in direct.items():
        seen: set[str] = set()
        stack = list(children)
        while stack:
            child = stack.pop()
            if child not in seen and child != key:
                seen.add(child)
                stack.extend(direct.get(child, ()))
        closed[key] = frozenset(seen)
    return closed


def _inside(inner: list[Span], outer: list[Span]) -> bool:
    """Every code of `inner` lies inside some code of `outer`."""
    for i_low, i_high in inner:
        for o_low, o_high in outer:
            if o_low <= i_low and i_high <= o_high:
                break
        else:
            return False
    return True
