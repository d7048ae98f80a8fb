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

    return check


def check_list(item: Check[T]) -> Check[tuple[T, ...]]:
    """A check for a list whose items each pass `item`; bad items are left out."""

    def check(value: object, where: Path, problems: list[Finding]) -> tuple[T, ...] | None:
        if not isinstance(value, list):
            problems.append(Finding(where, "wrong-type", f"expected a list, got {type_name(value)}"))
            return None
        if len(value) > MAX_LIST_ITEMS:
            problems.append(
                Finding(where, "too-long", f"has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
            )
            return None
        if item is check_string and all(map(is_plain_string, value)):
            return tuple(value)  # the common case; paths below are built only for problems
        checked = [item(v, (*where, i), problems) for i, v in enumerate(value, 1)]
        return tuple(v for v in checked if v is not None)

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
