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
from operator import itemgetter
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


def overlap(a: str, b: str) -> str | None:
    """The codes `a` and `b` (codes or ranges) share, as a code or range, or None
    (M46.0-M46.3 and M46.2-M46.5 share M46.2-M46.3)."""
    x, y = span(a), span(b)
    low, high = max(x.low, y.low), min(x.high, y.high)
    if low > high:
        return None
    end = high.removesuffix(_END)
    return low if end == low else f"{low}-{end}"


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


# What `validate` allows, so that a hostile or mistaken file cannot make a
# lookup walk without end: more code ranges open at one code (nested, or
# overlapping) than WHO's own chapters, blocks, categories and subcategories
# need, or a chain of broader links longer than any vocabulary needs.
MAX_CODE_NESTING = 64
MAX_DEPTH = 10_000


# A span as a plain (low, high) pair: containment makes one per code, and a
# NamedTuple costs a Python-level __new__ each (with the shortcuts below,
# containment of 10,000 WHO codes: 221 -> 180 M instructions).
Bounds = tuple[str, str]


def _bounds(code: str) -> Bounds:
    low, _, high = code.partition("-")
    return (low, (high or low) + _END)


def inside_by_code(codes_of: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    return containment(codes_of)[0]


def containment(codes_of: dict[str, tuple[str, ...]]) -> tuple[dict[str, list[str]], int]:
    """Id -> the ids directly inside it by code: an id whose every code lies
    inside another's codes is inside it (the same codes both ways make neither
    inside). Spans are sorted once and swept, so each id's containers are found
    by walking up the spans that enclose its own, never by comparing pairs;
    ids with the same codes are one class, placed once (3,000 conditions coded
    M40-M54 cost what one does). Also returns how many spans are open at one
    code (nested, or overlapping: a code alone is 1), which `validate` limits."""
    classes: dict[tuple[Bounds, ...], list[str]] = {}
    for key, own in codes_of.items():
        if len(own) == 1:  # the common case: no set, no sort
            spans: tuple[Bounds, ...] = (_bounds(own[0]),)
        elif own:
            spans = tuple(sorted({_bounds(code) for code in own}))
        else:
            continue
        members = classes.get(spans)
        if members is None:
            classes[spans] = [key]
        else:
            members.append(key)
    owners: dict[Bounds, list[tuple[Bounds, ...]]] = {}
    for spans in classes:
        for one in spans:
            owners.setdefault(one, []).append(spans)
    parent_spans, nesting = _enclosing(list(owners))
    inside: dict[str, list[str]] = {}
    for spans, members in classes.items():
        for container in _containers(spans, parent_spans, owners):
            for outer in classes[container]:
                inside.setdefault(outer, []).extend(members)
    return inside, nesting


def _enclosing(spans: list[Bounds]) -> tuple[dict[Bounds, tuple[Bounds, ...]], int]:
    """Each distinct span -> the innermost spans that enclose it (one sweep), and
    the most spans open at one code. Nested spans give each one a single way
    up; two that overlap without either holding the other (M46.0-M46.3 and
    M46.2-M46.5) are each a way up from a span both hold (M46.2)."""
    spans.sort(key=itemgetter(1), reverse=True)
    spans.sort(key=itemgetter(0))  # stable: by low, then the wider first
    parents: dict[Bounds, tuple[Bounds, ...]] = {}
    stack: list[Bounds] = []  # spans begun, in order; an ended one is dropped when met
    chained: list[bool] = []  # stack[i] and every span below it each enclose the one above
    most, over = 0, False
    for one in spans:
        low, high = one
        while stack and stack[-1][1] < low:
            stack.pop()  # ended before this one starts: encloses nothing after it
            chained.pop()
        if not stack:
            up: tuple[Bounds, ...] = ()
        elif chained[-1] and stack[-1][1] >= high:
            up = (stack[-1],)  # nearly always: every span below encloses the top, reached through it
        elif len(stack) > MAX_CODE_NESTING:
            up, over = (), True  # more open at one code than validate allows: refused, not walked
        else:
            up = _overlapped(one, stack, chained)
        parents[one] = up
        chained.append(not stack or (up == (stack[-1],) and chained[-1]))
        stack.append(one)
        if not over:
            most = max(most, len(stack))
    return parents, most


def _overlapped(one: Bounds, stack: list[Bounds], chained: list[bool]) -> tuple[Bounds, ...]:
    """The innermost enclosers of `one` where open spans overlap: the stack is
    walked down once, its ended spans dropped, and an encloser kept only when
    it holds none of those kept above it (a way up through them reaches it)."""
    low, high = one
    kept: list[Bounds] = []
    found: list[Bounds] = []
    narrowest = _END * 2  # the lowest end among those found; a span ending there or later holds one
    for other in reversed(stack):
        if other[1] < low:
            continue
        kept.append(other)
        if high <= other[1] < narrowest:
            found.append(other)
            narrowest = other[1]
    kept.reverse()
    stack[:] = kept
    chained[:] = [True] * len(kept)
    for k in range(1, len(kept)):
        below = kept[k - 1]
        chained[k] = chained[k - 1] and below[0] <= kept[k][0] and kept[k][1] <= below[1]
    return tuple(found)


def _containers(
    spans: tuple[Bounds, ...],
    parent_spans: dict[Bounds, tuple[Bounds, ...]],
    owners: dict[Bounds, list[tuple[Bounds, ...]]],
) -> list[tuple[Bounds, ...]]:
    """The classes (code sets) directly containing `spans`: every class met on
    the way up from its first span that holds all of it, less those holding
    another one found (they are reached through it)."""
    first = spans[0]
    alone = len(spans) == 1  # a class met on the way up holds a span enclosing it, so all of it
    if alone and len(owners[first]) == 1:
        # The common case in a few lookups, no walk: the class alone on the nearest enclosing
        # span holds it, and holds nothing every class further up does not hold too
        # (10,000 WHO codes: 67 -> 29 M instructions).
        up = parent_spans[first]
        if not up:
            return []
        if len(up) == 1:
            held = owners[up[0]]
            if len(held) == 1 and len(held[0]) == 1:
                return [held[0]]
    found: list[tuple[Bounds, ...]] = []
    seen = {first}
    waiting = [first]
    while waiting:  # every span that encloses `first`, each once
        node = waiting.pop()
        for other in owners[node]:
            if other != spans and other not in found and (alone or _inside(spans, other)):
                found.append(other)
        for up_span in parent_spans[node]:
            if up_span not in seen:
                seen.add(up_span)
                waiting.append(up_span)
    if len(found) > 1:
        found = [c for c in found if not any(o != c and _inside(o, c) for o in found)]
    return found


def _inside(inner: tuple[Bounds, ...], outer: tuple[Bounds, ...]) -> bool:
    """Every code of `inner` lies inside some code of `outer`."""
    for i_low, i_high in inner:
        for o_low, o_high in outer:
            if o_low <= i_low and i_high <= o_high:
                break
        else:
            return False
    return True
