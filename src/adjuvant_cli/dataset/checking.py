"""A generic toolkit for checking parsed TOML against a spec, collecting every
problem rather than stopping at the first.

Each check takes (value, where, problems) and returns the checked value, or
records a Finding at `where` (a path, problems.py) in `problems` and returns
None. Knows nothing of drugs: the dataset's own specs are in building.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from adjuvant_cli.dataset.problems import Finding, Path, describe
from adjuvant_cli.text import did_you_mean, find_unsafe, printable

MAX_STRING_CHARS = 4_000
MAX_LIST_ITEMS = 1_000

T = TypeVar("T")
Check = Callable[[object, Path, list[Finding]], T | None]


class Field(NamedTuple):
    """One key of a table: the check its value must pass, and whether it must be there."""

    check: Callable[[object, Path, list[Finding]], Any]
    required: bool = True


# A check -> (a test of values it passes as they are, whether its result is
# the value as a tuple): lets check_table and check_list accept the common
# case without building a path or calling the check (test_load_fast_paths.py
# holds every test to its check).
Test = tuple[Callable[[object], bool], bool]
_PASSES: dict[Callable[..., Any], Test] = {}


def is_plain_string(value: object) -> bool:
    """The common case, decided in one pass of C-level checks: a non-blank
    string of sane length with only printable characters (so nothing unsafe)."""
    return (
        type(value) is str
        and len(value) <= MAX_STRING_CHARS
        and value.isprintable()
        and bool(value)
        and not value.isspace()
    )


def check_string(value: object, where: Path, problems: list[Finding]) -> str | None:
    if is_plain_string(value):  # a large formulary has ~500,000 strings: keep them cheap
        return value  # type: ignore[return-value]
    if not isinstance(value, str):
        problems.append(Finding(where, "wrong-type", f"expected a string, got {type_name(value)}"))
        return None
    if not value.strip():
        problems.append(Finding(where, "empty", "is empty"))
        return None
    if len(value) > MAX_STRING_CHARS:
        problems.append(
            Finding(
                where, "too-long", f"is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}"
            )
        )
        return None
    unsafe = find_unsafe(value)
    if unsafe is not None:
        what = f"contains the control character {printable(unsafe)}, which could rewrite a terminal"
        problems.append(Finding(where, "control-character", what))
        return None
    return value


_PASSES[check_string] = (is_plain_string, False)


def check_pattern(regex: str, what: str) -> Check[str]:
    """A check for a string that must match `regex` in full; `what` names it in messages."""

    # Compiled once, not looked up in re's cache per value (a formulary has ~450,000).
    fullmatch = re.compile(regex).fullmatch

    def check(value: object, where: Path, problems: list[Finding]) -> str | None:
        text = check_string(value, where, problems)
        if text is not None and not fullmatch(text):
            problems.append(Finding(where, "bad-value", f'"{printable(text, 40)}" is not {what}'))
            return None
        return text

    def passes(value: object) -> bool:
        return type(value) is str and fullmatch(value) is not None and is_plain_string(value)

    _PASSES[check] = (passes, False)
    return check


def check_list(item: Check[T]) -> Check[tuple[T, ...]]:
    """A check for a list whose items each pass `item`; bad items are left out."""
    test, changes = _PASSES.get(item, (None, True))
    plain = None if changes else test  # a test of the items `item` passes as they are

    def check(value: object, where: Path, problems: list[Finding]) -> tuple[T, ...] | None:
        if not isinstance(value, list):
            problems.append(Finding(where, "wrong-type", f"expected a list, got {type_name(value)}"))
            return None
        if len(value) > MAX_LIST_ITEMS:
            problems.append(
                Finding(where, "too-long", f"has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
            )
            return None
        if plain is not None and all(map(plain, value)):
            return tuple(value)  # the common case; paths below are built only for problems
        checked = [item(v, (*where, i), problems) for i, v in enumerate(value, 1)]
        return tuple(v for v in checked if v is not None)

    if plain is not None:
        each = plain

        def passes(value: object) -> bool:
            return type(value) is list and len(value) <= MAX_LIST_ITEMS and all(map(each, value))

        _PASSES[check] = (passes, True)
    return check


def _too_many(where: Path, count: int) -> Finding:
    return Finding(where, "too-long", f"has {count:,} items; the limit is {MAX_LIST_ITEMS:,}")


def check_date(value: object, where: Path, problems: list[Finding]) -> date | None:
    if type(value) is not date:  # a datetime is a date too, but not what is meant
        what = f"expected a TOML date (e.g. 2025-07-08), got {type_name(value)}"
        problems.append(Finding(where, "wrong-type", what))
        return None
    return value


def type_name(value: object) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def check_table(
    value: object, where: Path, spec: Mapping[str, Field], problems: list[Finding], *, partial: bool = False
) -> dict[str, Any] | None:
    """The table's checked fields by name (absent optional ones left out), or
    None when a required one is missing or bad (`partial`: what could be checked)."""
    if not isinstance(value, dict):
        problems.append(Finding(where, "wrong-type", f"expected a table, got {type_name(value)}"))
        return None
    # Every key known and every value passing its check's test: one loop, no path, no check
    # called (a condition's table: 37,600 -> 23,600 instructions; test_load_fast_paths.py).
    plan = _plan(spec)
    if plan.required <= value.keys():
        quick = _passed(value, plan.passes)
        if quick is not None:
            return quick
    # Unknown keys are looked for only when the key sets differ: a formulary has ~300,000 tables.
    if not value.keys() <= spec.keys():
        for key in value:
            if key not in spec:
                what = f"unknown key{_did_you_mean(key, spec)}"
                problems.append(Finding((*where, printable(key, 40)), "unknown-key", what))
    checked: dict[str, Any] = {}
    complete = True
    for key, field in spec.items():
        if key in value:
            result = field.check(value[key], (*where, key), problems)
            if result is not None:
                checked[key] = result
            elif field.required:
                complete = False
        elif field.required:
            problems.append(Finding((*where, key), "missing", "missing"))
            complete = False
    return checked if complete or partial else None


class _Plan(NamedTuple):
    """What check_table needs of a spec, worked out once per spec."""

    required: frozenset[str]
    passes: dict[str, Test]  # the keys whose check has a test


_PLANS: dict[int, tuple[Mapping[str, Field], _Plan]] = {}  # by id; the spec kept, so its id stays its own


def _plan(spec: Mapping[str, Field]) -> _Plan:
    known = _PLANS.get(id(spec))
    if known is None or known[0] is not spec:
        required = frozenset(key for key, field in spec.items() if field.required)
        passes = {key: _PASSES[field.check] for key, field in spec.items() if field.check in _PASSES}
        known = _PLANS[id(spec)] = (spec, _Plan(required, passes))
    return known[1]


def _passed(value: dict[str, Any], passes: Mapping[str, Test]) -> dict[str, Any] | None:
    """The table checked, when every key is known and every value passes its
    check's test (so the checks would find nothing); else None."""
    checked: dict[str, Any] = {}
    for key, item in value.items():
        test = passes.get(key)
        if test is None or not test[0](item):
            return None
        checked[key] = tuple(item) if test[1] else item
    return checked


def _did_you_mean(key: str, spec: Mapping[str, Field]) -> str:
    close = did_you_mean(key, spec, limit=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def check_tables(value: object, where: Path, problems: list[Finding], build: Check[T]) -> list[T]:
    """An array of tables, each built by `build`; the ones that fail are left out."""
    if not isinstance(value, list):
        what = f"expected an array of tables ([[{describe(where)}]]), got {type_name(value)}"
        problems.append(Finding(where, "wrong-type", what))
        return []
    # Only a record's own arrays are capped: the file's size bounds drugs, conditions, ….
    if len(where) > 1 and len(value) > MAX_LIST_ITEMS:
        problems.append(
            Finding(where, "too-long", f"has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
        )
        return []
    built: list[T] = []
    # Named by an id that reads safely in quotes, else by its count (C-level checks: ~300,000 entries).
    for i, item in enumerate(value, 1):
        ident = item.get("id") if type(item) is dict else None
        if type(ident) is str and 0 < len(ident) <= 60 and ident.isprintable() and '"' not in ident:
            entry = build(item, (*where, (i, ident)), problems)
        else:
            entry = build(item, (*where, (i, None)), problems)
        if entry is not None:
            built.append(entry)
    return built
