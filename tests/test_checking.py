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
)
from adjuvant_cli.dataset.problems import Finding, Path
from adjuvant_cli.text import did_you_mean, printable

CODE = check_pattern(r"[A-Z][0-9]{2}", "a code")
SPEC = {
    "id": Field(check_string),
    "code": Field(CODE),
    "names": Field(check_list(check_string), required=False),
    "note": Field(check_string, required=False),
}


def reference_check_table(
    value: dict[str, Any], where: Path, spec: dict[str, Field], problems: list[Finding], partial: bool
) -> dict[str, Any] | None:
    """check_table written the obvious way, one step per key."""
    for key in value:
        if key not in spec:
            close = did_you_mean(key, spec, limit=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(Finding((*where, printable(key, 40)), "unknown-key", f"unknown key{hint}"))
    checked = {}
    for key, field in spec.items():
        if key in value:
            result = field.check(value[key], (*where, key), problems)
            if result is not None:
                checked[key] = result
        elif field.required:
            problems.append(Finding((*where, key), "missing", "missing"))
    complete = all(key in checked for key, field in spec.items() if field.required)
    return checked if complete or partial else None


VALUES = st.one_of(
    st.sampled_from(["G35", "g35", "G35x", "xG35", "", "  ", "ok", "a\x1bb"]),
    st.integers(),
    st.lists(st.sampled_from(["a", "", 3]), max_size=3),
)
TABLES = st.dictionaries(st.sampled_from(["id", "code", "names", "note", "nme", "colour", "cod"]), VALUES)


WHERE: list[Path] = [(), ("drugs", (1, "x")), ("drugs", (3, None)), ("source",)]


@given(table=TABLES, where=st.sampled_from(WHERE), partial=st.booleans())
def test_check_table_is_the_obvious_code(table: dict[str, Any], where: Path, partial: bool) -> None:
    fast: list[Finding] = []
    slow: list[Finding] = []
    assert check_table(table, where, SPEC, fast, partial=partial) == reference_check_table(
        table, where, SPEC, slow, partial
    )
    assert fast == slow


def test_a_bad_required_field_makes_the_table_incomplete_and_a_bad_optional_one_does_not() -> None:
    problems: list[Finding] = []
    drug: Path = ("drugs", (1, "a"))
    assert check_table({"id": "a", "code": "nope"}, drug, SPEC, problems) is None
    assert [str(p) for p in problems] == ['drug "a" code: "nope" is not a code']
    assert problems[0][:2] == (("drugs", (1, "a"), "code"), "bad-value")
    assert check_table({"id": "a", "code": "nope"}, drug, SPEC, [], partial=True) == {"id": "a"}
    assert check_table({"id": "a", "code": "G35", "note": 7}, (), SPEC, []) == {"id": "a", "code": "G35"}


def test_unknown_keys_are_reported_beside_known_ones() -> None:
    problems: list[Finding] = []
    assert check_table({"id": "a", "code": "G35", "cod": "x"}, ("source",), SPEC, problems) == {
        "id": "a",
        "code": "G35",
    }
    assert [str(p) for p in problems] == ['source.cod: unknown key (did you mean "code"?)']
    assert problems[0].code == "unknown-key"


def test_a_pattern_must_match_the_whole_value() -> None:
    for value in ("G35", "M54"):
        assert CODE(value, ("code",), []) == value
    for value in ("G35x", "xG35", "G3", "G35\n"):
        problems: list[Finding] = []
        assert CODE(value, ("code",), problems) is None, value
        assert len(problems) == 1
