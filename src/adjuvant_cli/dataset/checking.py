"""A generic toolkit for checking parsed TOML against a spec, collecting every
problem rather than stopping at the first.

Each check takes (value, where, problems) and returns the checked value, or
records a ``<where>: <what>`` line in `problems` and returns None. Knows
nothing of drugs: the dataset's own specs are in building.py.

`where` is written for a person and stays machine-readable (positions.py
reads it back on the error path): an entry of an array of tables is named by
its id (`drug "tizanidine"`) or counted from 1 (`drug "x" link 3`), an item
of a list is `item N` (`condition "ms" icd10 item 1`), and a key follows its
table after a space, or after a dot at the top (`source.title`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, NamedTuple, TypeVar

from adjuvant_cli.text import did_you_mean, find_unsafe, printable

MAX_STRING_CHARS = 4_000
MAX_LIST_ITEMS = 1_000

T = TypeVar("T")
Check = Callable[[object, str, list[str]], T | None]


class Field(NamedTuple):
    """One key of a table: the check its value must pass, and whether it must be there."""

    check: Callable[[object, str, list[str]], Any]
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


def check_string(value: object, where: str, problems: list[str]) -> str | None:
    if is_plain_string(value):  # a large formulary has ~500,000 strings: keep them cheap
        return value  # type: ignore[return-value]
    if not isinstance(value, str):
        problems.append(f"{where}: expected a string, got {type_name(value)}")
        return None
    if not value.strip():
        problems.append(f"{where}: is empty")
        return None
    if len(value) > MAX_STRING_CHARS:
        problems.append(f"{where}: is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}")
        return None
    unsafe = find_unsafe(value)
    if unsafe is not None:
        problems.append(
            f"{where}: contains the control character {printable(unsafe)}, which could rewrite a terminal"
        )
        return None
    return value


def check_pattern(regex: str, what: str) -> Check[str]:
    """A check for a string that must match `regex` in full; `what` names it in messages."""

    # Compiled once, not looked up in re's cache per value: a large formulary
    # has ~450,000 ids, codes and locators (see check_table on measuring).
    fullmatch = re.compile(regex).fullmatch

    def check(value: object, where: str, problems: list[str]) -> str | None:
        text = check_string(value, where, problems)
        if text is not None and not fullmatch(text):
            problems.append(f'{where}: "{printable(text, 40)}" is not {what}')
            return None
        return text

    return check


def check_list(item: Check[T]) -> Check[tuple[T, ...]]:
    """A check for a list whose items each pass `item`; bad items are left out."""

    def check(value: object, where: str, problems: list[str]) -> tuple[T, ...] | None:
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list, got {type_name(value)}")
            return None
        if len(value) > MAX_LIST_ITEMS:
            problems.append(f"{where}: has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
            return None
        if item is check_string and all(map(is_plain_string, value)):
            return tuple(value)  # the common case; paths below are built only for problems
        checked = [item(v, f"{where} item {i}", problems) for i, v in enumerate(value, 1)]
        return tuple(v for v in checked if v is not None)

    return check


def check_date(value: object, where: str, problems: list[str]) -> date | None:
    if type(value) is not date:  # a datetime is a date too, but not what is meant
        problems.append(f"{where}: expected a TOML date (e.g. 2025-07-08), got {type_name(value)}")
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
    value: object, where: str, spec: Mapping[str, Field], problems: list[str], *, partial: bool = False
) -> dict[str, Any] | None:
    """The table's checked fields by name (absent optional ones left out), or
    None when a required one is missing or bad (`partial`: what could be checked)."""
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a table, got {type_name(value)}")
        return None
    # The first load of a 10,000-drug formulary checks ~300,000 tables here,
    # so the common case is kept to C-level steps: the prefix inline (not
    # key_prefix()), unknown keys looked for only when the key sets differ, and
    # completeness noted as the fields are checked. Measured with
    # `python benchmarks/scale.py --before` (README "Speed"); the messages
    # these paths give are pinned by tests/test_dataset_validation.py and
    # tests/test_own_dataset.py.
    prefix = (f"{where} " if where[-1] == '"' or where[-1].isdigit() else f"{where}.") if where else ""
    if not value.keys() <= spec.keys():
        for key in value:
            if key not in spec:
                problems.append(f"{prefix}{printable(key, 40)}: unknown key{_did_you_mean(key, spec)}")
    checked: dict[str, Any] = {}
    complete = True
    for key, field in spec.items():
        if key in value:
            result = field.check(value[key], f"{prefix}{key}", problems)
            if result is not None:
                checked[key] = result
            elif field.required:
                complete = False
        elif field.required:
            problems.append(f"{prefix}{key}: missing")
            complete = False
    return checked if complete or partial else None


def key_prefix(where: str) -> str:
    """What a key follows: `drug "x" atc` after a named or counted entry, `source.title` after a key."""
    if not where:
        return ""
    return f"{where} " if where[-1] == '"' or where[-1].isdigit() else f"{where}."


def _did_you_mean(key: str, spec: Mapping[str, Field]) -> str:
    close = did_you_mean(key, spec, limit=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


# How an entry of each array of tables is named in messages.
SINGULAR = {
    "drugs": "drug",
    "conditions": "condition",
    "effects": "effect",
    "umbrellas": "umbrella",
    "who_icd10": "who_icd10",
    "indications": "indication",
    "links": "link",
    "brands": "brand",
    "caveats": "caveat",
    "corrections": "correction",
    "readings": "reading",
    "mechanism": "mechanism",
    "actions": "action",
    "onset": "onset",
}


def check_tables(value: object, where: str, problems: list[str], build: Check[T]) -> list[T]:
    """An array of tables, each built by `build`; the ones that fail are left out."""
    if not isinstance(value, list):
        problems.append(f"{where}: expected an array of tables ([[{where}]]), got {type_name(value)}")
        return []
    # Within a record (a drug's indications, an indication's links) the same
    # limit as any other list; the dataset's own arrays (drugs, conditions, …)
    # are bounded by the file's size cap instead: a formulary may hold 10,000 drugs.
    nested = " " in where or "." in where
    if nested and len(value) > MAX_LIST_ITEMS:
        problems.append(f"{where}: has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
        return []
    cut = max(where.rfind(" "), where.rfind(".")) + 1
    head, key = where[:cut], where[cut:]
    name = SINGULAR.get(key, key)
    built: list[T] = []
    # An entry is named by an id that reads safely inside quotes (its own check
    # says whether it is well-formed), else counted from 1. Inlined, C-level
    # checks only: a large formulary has ~300,000 entries.
    for i, item in enumerate(value, 1):
        ident = item.get("id") if type(item) is dict else None
        if type(ident) is str and 0 < len(ident) <= 60 and ident.isprintable() and '"' not in ident:
            entry = build(item, f'{head}{name} "{ident}"', problems)
        else:
            entry = build(item, f"{head}{name} {i}", problems)
        if entry is not None:
            built.append(entry)
    return built
