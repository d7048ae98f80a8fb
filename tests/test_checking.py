"""The generic checker's fast paths give what the obvious code gives.

check_table and check_pattern keep a large formulary's first load fast with
C-level shortcuts (see the comment in check_table). These tests hold them to
a plain reference: same result, same problems, in the same order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from adjuvant_cli.dataset.checking import (
    Field,
    check_list,
    check_pattern,
    check_string,
    check_table,
    key_prefix,
)
from adjuvant_cli.text import did_you_mean, printable

CODE = check_pattern(r"[A-Z][0-9]{2}", "a code")
SPEC = {
    "id": Field(check_string),
    "code": Field(CODE),
    "names": Field(check_list(check_string), required=False),
    "note": Field(check_string, required=False),
}


def reference_check_table(
    value: dict[str, Any], where: str, spec: dict[str, Field], problems: list[str], partial: bool
) -> dict[str, Any] | None:
    """check_table written the obvious way, one step per key."""
    prefix = key_prefix(where)
    for key in value:
        if key not in spec:
            close = did_you_mean(key, spec, limit=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(f"{prefix}{printable(key, 40)}: unknown key{hint}")
    checked = {}
    for key, field in spec.items():
        if key in value:
            result = field.check(value[key], f"{prefix}{key}", problems)
            if result is not None:
                checked[key] = result
        elif field.required:
            problems.append(f"{prefix}{key}: missing")
    complete = all(key in checked for key, field in spec.items() if field.required)
    return checked if complete or partial else None


VALUES = st.one_of(
    st.sampled_from(["G35", "g35", "G35x", "xG35", "", "  ", "ok", "a\x1bb"]),
    st.integers(),
    st.lists(st.sampled_from(["a", "", 3]), max_size=3),
)
TABLES = st.dictionaries(st.sampled_from(["id", "code", "names", "note", "nme", "colour", "cod"]), VALUES)


@given(table=TABLES, where=st.sampled_from(["", 'drug "x"', "drug 3", "source"]), partial=st.booleans())
def test_check_table_is_the_obvious_code(table: dict[str, Any], where: str, partial: bool) -> None:
    fast: list[str] = []
    slow: list[str] = []
    assert check_table(table, where, SPEC, fast, partial=partial) == reference_check_table(
        table, where, SPEC, slow, partial
    )
    assert fast == slow


def test_a_bad_required_field_makes_the_table_incomplete_and_a_bad_optional_one_does_not() -> None:
    problems: list[str] = []
    assert check_table({"id": "a", "code": "nope"}, 'drug "a"', SPEC, problems) is None
    assert problems == ['drug "a" code: "nope" is not a code']
    assert check_table({"id": "a", "code": "nope"}, 'drug "a"', SPEC, [], partial=True) == {"id": "a"}
    assert check_table({"id": "a", "code": "G35", "note": 7}, "", SPEC, []) == {"id": "a", "code": "G35"}


def test_unknown_keys_are_reported_beside_known_ones() -> None:
    problems: list[str] = []
    assert check_table({"id": "a", "code": "G35", "cod": "x"}, "source", SPEC, problems) == {
        "id": "a",
        "code": "G35",
    }
    assert problems == ['source.cod: unknown key (did you mean "code"?)']


def test_a_pattern_must_match_the_whole_value() -> None:
    for value in ("G35", "M54"):
        assert CODE(value, "code", []) == value
    for value in ("G35x", "xG35", "G3", "G35\n"):
        problems: list[str] = []
        assert CODE(value, "code", problems) is None, value
        assert len(problems) == 1
