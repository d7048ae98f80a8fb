"""The condition hierarchy: which condition lies inside which, and whether a
statement about a condition covers the conditions inside it (FACTS §4c).

The loader stores direct links only (`direct_links`: the dataset's `broader`
links and code containment found by a sweep over sorted spans); what lies
above or below a condition is walked per query (`Hierarchy`), never stored as
a closure. A step from a condition to one inside it is covered when the outer
condition says `covers` and does not except the inner one (by id, or by a code
that holds all of the inner one's codes); a statement counts for a condition
inside the one it names only when every step between them is covered. A
query whose codes hold some of an outer condition's excepted codes and more
(M46 holds M46.2-M46.5, which vertebral syndrome excepts) is covered in part:
the statement counts, and the excepted codes inside the query travel with it
(`Cover.excepted`) so that the answer can say what it is not for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.model import Condition

MAX_CONDITIONS = 50_000  # four times WHO ICD-10's categories and subcategories


class Flaw(NamedTuple):
    """What makes a hierarchy lie or run away, where: a condition (or None for
    the vocabulary as a whole) and its field; `code` is validate's kind."""

    condition: str | None
    field: tuple[str | int, ...]
    code: str  # "cycle", "reversed-link", "too-large"
    what: str


def direct_links(conditions: Iterable[Condition]) -> dict[str, tuple[str, ...]]:
    """Condition id -> the ids directly inside it, by `broader` link or by code."""
    return links_and_nesting(conditions)[0]


def links_and_nesting(conditions: Iterable[Condition]) -> tuple[dict[str, tuple[str, ...]], int]:
    """The direct links, and how deep the codes' spans nest (one sweep for both)."""
    listed = list(conditions)
    inside, nesting = codes.containment({c.id: c.icd10 for c in listed})
    known = {c.id for c in listed}
    for condition in [c for c in listed if c.broader]:  # most have none
        for parent in condition.broader:
            if parent not in known or parent == condition.id:
                continue  # reported as an unknown condition
            children = inside.setdefault(parent, [])
            if condition.id not in children:
                children.append(condition.id)
    return {key: tuple(dict.fromkeys(ids)) for key, ids in inside.items()}, nesting


def covers(outer: Condition, inner: Condition) -> bool:
    """Whether a statement about `outer` counts for `inner`, one step inside it."""
    if not outer.covers or inner.id in outer.not_covered:
        return False
    excepted = [code for code in outer.not_covered if codes.is_code(code)]
    return not (
        excepted and inner.icd10 and all(any(codes.contains(e, own) for e in excepted) for own in inner.icd10)
    )


def covers_code(outer: Condition, code: str) -> bool:
    """Whether a statement about `outer` counts for `code`, a code inside its codes."""
    if not outer.covers:
        return False
    return not any(codes.is_code(e) and codes.contains(e, code) for e in outer.not_covered)


def excepted_within(outer: Condition, asked: Iterable[str]) -> tuple[str, ...]:
    """The codes `outer` excepts that lie within the codes asked for, cut to
    them: what a statement about `outer` does not say of the query."""
    if not outer.covers:
        return ()
    found: dict[str, None] = {}
    for excepted in outer.not_covered:
        if codes.is_code(excepted):
            for code in asked:
                part = codes.overlap(code, excepted)
                if part is not None:
                    found[part] = None
    return tuple(found)


class Excepted(NamedTuple):
    """Codes asked for that a covering condition excepts (FACTS §4c), with WHO's
    titles of the codes in them: what is said counts for the rest only."""

    code: str  # "M46.2-M46.5", cut to the codes asked for
    titles: tuple[tuple[str, str], ...]  # (WHO code, WHO title) of each code in it, WHO's order


class Cover(NamedTuple):
    """How a statement about a condition stands to one inside it: whether it
    covers it, and the codes of the query it leaves out (covered in part)."""

    covered: bool
    excepted: tuple[str, ...] = ()


class Hierarchy(NamedTuple):
    """One dataset's direct links both ways, walked on demand."""

    children: Mapping[str, tuple[str, ...]]
    parents: dict[str, list[str]]
    conditions_by_id: Mapping[str, Condition]

    @classmethod
    def of(
        cls, narrower: Mapping[str, tuple[str, ...]], conditions_by_id: Mapping[str, Condition]
    ) -> Hierarchy:
        parents: dict[str, list[str]] = {}
        for parent, children in narrower.items():
            for child in children:
                parents.setdefault(child, []).append(parent)
        return cls(narrower, parents, conditions_by_id)

    def below(self, start: str) -> list[str]:
        """Every id inside `start`, nearest first."""
        return inside(self.children, start)

    def above(self, start: str) -> dict[str, Cover]:
        """Every id `start` lies inside, nearest first -> whether a statement
        about it covers `start` (some path of covered steps leads down to it),
        and the codes of `start` it leaves out on the way."""
        found = _walk(start, self.parents)
        asked = self.conditions_by_id[start].icd10
        return self._covered(found, {start: ()}, asked)

    def above_code(self, code: str, containers: Iterable[str]) -> dict[str, Cover]:
        """As `above`, for a code that is no condition's own: `containers`
        are the conditions whose codes hold it."""
        first = list(dict.fromkeys(containers))
        found = list(dict.fromkeys([*first, *(a for c in first for a in _walk(c, self.parents))]))
        by_id = self.conditions_by_id
        seeds = {c: excepted_within(by_id[c], (code,)) for c in first if covers_code(by_id[c], code)}
        return self._covered(found, seeds, (code,), seeded=True)

    def _covered(
        self,
        found: list[str],
        start: dict[str, tuple[str, ...]],
        asked: tuple[str, ...],
        *,
        seeded: bool = False,
    ) -> dict[str, Cover]:
        excepted: dict[str, tuple[str, ...]] = dict(start) if seeded else {}
        stack = list(start)
        by_id = self.conditions_by_id
        while stack:
            node = stack.pop()
            for parent in self.parents.get(node, ()):
                if parent not in excepted and covers(by_id[parent], by_id[node]):
                    left_out = (*start.get(node, ()), *excepted.get(node, ()))
                    left_out += excepted_within(by_id[parent], asked)
                    excepted[parent] = tuple(dict.fromkeys(left_out))
                    stack.append(parent)
        return {key: Cover(key in excepted, excepted.get(key, ())) for key in found}


def inside(narrower: Mapping[str, Iterable[str]], start: str) -> list[str]:
    """Every id inside `start`, nearest first, from the direct links alone."""
    return _walk(start, narrower)


def linked_around(
    narrower: Mapping[str, tuple[str, ...]], by_id: Mapping[str, Condition], linked: set[str]
) -> tuple[dict[str, dict[str, Cover]], dict[str, list[str]]]:
    """For every condition, the linked conditions that include it (-> whether
    they cover it, and the codes of it they leave out) and those inside it, in
    one pass each way over the links in
    order (never a walk per condition: a chain of 6,000 costs 6,000 steps per
    linked condition at most). `linked`: the conditions some statement names."""
    parents: dict[str, list[str]] = {}
    for parent, children in narrower.items():
        for child in children:
            parents.setdefault(child, []).append(parent)
    order = _top_down(by_id, narrower, parents)
    above: dict[str, dict[str, Cover]] = {}
    for node in order:
        found: dict[str, Cover] = {}
        own = by_id[node].icd10
        for parent in parents.get(node, ()):
            step = covers(by_id[parent], by_id[node])
            left_out = excepted_within(by_id[parent], own)
            for key, cover in ((parent, Cover(True)), *above.get(parent, {}).items()):
                if key in linked:
                    here = Cover(False)
                    if cover.covered and step:
                        here = Cover(True, tuple(dict.fromkeys((*_clipped(cover.excepted, own), *left_out))))
                    found[key] = max(found.get(key, here), here, key=_wholeness)
        if found:
            above[node] = found
    below: dict[str, list[str]] = {}
    for node in reversed(order):
        inside = [
            c for child in narrower.get(node, ()) for c in (child, *below.get(child, ())) if c in linked
        ]
        if inside:
            below[node] = list(dict.fromkeys(inside))
    return above, below


def _clipped(excepted: tuple[str, ...], own: tuple[str, ...]) -> list[str]:
    """The excepted codes that lie within `own`, cut to them."""
    return [part for e in excepted for code in own if (part := codes.overlap(code, e)) is not None]


def _wholeness(cover: Cover) -> tuple[bool, bool]:
    """Covered beats not covered; covering the whole beats covering in part."""
    return (cover.covered, not cover.excepted)


def _top_down(
    by_id: Mapping[str, Condition], narrower: Mapping[str, tuple[str, ...]], parents: Mapping[str, list[str]]
) -> list[str]:
    """The conditions, each after every condition it lies inside (the links make no cycle)."""
    waiting = {key: len(parents.get(key, ())) for key in by_id}
    ready = [key for key, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in narrower.get(node, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return order


def _walk(start: str, edges: Mapping[str, Iterable[str]]) -> list[str]:
    seen: dict[str, None] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for other in edges.get(node, ()):
                if other not in seen and other != start:
                    seen[other] = None
                    following.append(other)
        frontier = following
    return list(seen)


def problems(
    conditions: tuple[Condition, ...], narrower: Mapping[str, tuple[str, ...]], nesting: int | None = None
) -> list[Flaw]:
    """What makes a hierarchy lie or run away: a cycle of broader links, a link
    the codes reverse, code ranges nested too deep, a chain too long, too many
    conditions."""
    found: list[Flaw] = []
    if len(conditions) > MAX_CONDITIONS:
        what = (
            f"{len(conditions):,} conditions; the limit is {MAX_CONDITIONS:,} "
            "(split the vocabulary, or keep only the conditions the drugs name)"
        )
        return [Flaw(None, (), "too-large", what)]
    by_id = {c.id: c for c in conditions}
    found += _reversed_links(conditions, by_id)
    if nesting is None:
        nesting = codes.containment({c.id: c.icd10 for c in conditions})[1]
    if nesting > codes.MAX_CODE_NESTING:
        what = (
            f"code ranges nest {nesting} deep; the limit is {codes.MAX_CODE_NESTING} "
            "(WHO's own chapters, blocks and codes nest four deep)"
        )
        found.append(Flaw(None, ("icd10",), "too-large", what))
    depth, cycle = _depth(by_id, narrower)
    if cycle:
        members = ", ".join(f'"{key}"' for key in cycle)
        what = (
            f'the broader links make a cycle ({members}, back to "{cycle[0]}"); '
            "each would be narrower than itself: remove one link"
        )
        found.append(Flaw(cycle[0], ("broader",), "cycle", what))
    elif depth > codes.MAX_DEPTH:
        what = f"a chain of {depth:,} conditions, each inside the next; the limit is {codes.MAX_DEPTH:,}"
        found.append(Flaw(None, ("broader",), "too-large", what))
    return found


def _reversed_links(conditions: tuple[Condition, ...], by_id: Mapping[str, Condition]) -> list[Flaw]:
    """A `broader` link whose direction the codes reverse: the broader one's codes
    all lie inside the narrower one's. (A narrower condition coded outside its
    broader one, as sequelae and injuries are, is fine.)"""
    said = []
    for condition in [c for c in conditions if c.broader]:  # most have none
        for n, parent_id in enumerate(condition.broader, 1):
            parent = by_id.get(parent_id)
            if parent is None or not parent.icd10 or not condition.icd10:
                continue
            if set(parent.icd10) != set(condition.icd10) and all(
                any(codes.contains(own, p) for own in condition.icd10) for p in parent.icd10
            ):
                what = (
                    f'"{parent_id}" ({", ".join(parent.icd10)}) lies inside its codes '
                    f"({', '.join(condition.icd10)}); the link contradicts the codes: reverse it"
                )
                said.append(Flaw(condition.id, ("broader", n), "reversed-link", what))
    return said


def _depth(by_id: Mapping[str, Condition], narrower: Mapping[str, tuple[str, ...]]) -> tuple[int, list[str]]:
    """(the longest chain of conditions, each inside the next; a cycle's members
    in order, or none), by peeling conditions with nothing left above them."""
    above: dict[str, int] = dict.fromkeys(by_id, 0)
    for children in narrower.values():
        for child in children:
            if child in above:
                above[child] += 1
    level = dict.fromkeys((key for key, count in above.items() if count == 0), 1)
    ready = list(level)
    while ready:
        node = ready.pop()
        for child in narrower.get(node, ()):
            if child not in above:
                continue
            deeper = level[node] + 1
            if deeper > level.get(child, 0):
                level[child] = deeper
            above[child] -= 1
            if above[child] == 0:
                ready.append(child)
    left = [key for key, count in above.items() if count > 0]
    if not left:
        return max(level.values(), default=0), []
    return 0, _a_cycle(left, narrower)


def _a_cycle(left: list[str], narrower: Mapping[str, tuple[str, ...]]) -> list[str]:
    """One cycle among the conditions that could not be peeled: each has a
    broader one that could not be peeled either, so walking up finds a cycle."""
    remaining = set(left)
    parents: dict[str, list[str]] = {}
    for parent, children in narrower.items():
        if parent in remaining:
            for child in children:
                if child in remaining:
                    parents.setdefault(child, []).append(parent)
    path: list[str] = []
    at: dict[str, int] = {}
    node = left[0]
    while node not in at:
        at[node] = len(path)
        path.append(node)
        node = parents[node][0]
    return path[at[node] :]
