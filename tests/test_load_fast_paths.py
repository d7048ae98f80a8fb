"""The first load's fast paths give what the plain code gives (issue 17 item 6).

Loading a dataset of one's own checks every field and builds the condition
hierarchy; at 10,000 conditions that must cost at most 3x a bare tomli parse
(benchmarks/scale.py). Each shortcut taken for it is held here to the plain
code it replaces, on inputs Hypothesis draws: same result, same problems.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from adjuvant_cli import codes
from adjuvant_cli.dataset import building
from adjuvant_cli.dataset.checking import _PASSES, Field, check_list, check_pattern, check_string, check_table
from adjuvant_cli.dataset.problems import Finding, Path
from adjuvant_cli.model import PLACEHOLDER

from .conftest import icd10_codes, icd10_ranges

# --------------------------------------------------------------------------
# Code containment: plain (low, high) pairs and no check for one-span classes
# --------------------------------------------------------------------------

Span = tuple[str, str]


def reference_containment(codes_of: dict[str, tuple[str, ...]]) -> tuple[dict[str, list[str]], int]:
    """codes.containment without its shortcuts: each span's enclosers found by
    comparing pairs, one check per class met on the way up."""
    classes: dict[tuple[Span, ...], list[str]] = {}
    for key, own in codes_of.items():
        if own:
            spans = tuple(sorted({(codes.span(code).low, codes.span(code).high) for code in own}))
            classes.setdefault(spans, []).append(key)
    owners: dict[Span, list[tuple[Span, ...]]] = {}
    for spans in classes:
        for one in spans:
            owners.setdefault(one, []).append(spans)
    parents = _reference_enclosing(list(owners))
    inside: dict[str, list[str]] = {}
    for spans, members in classes.items():
        for container in _reference_containers(spans, parents, owners):
            for outer in classes[container]:
                inside.setdefault(outer, []).extend(members)
    # The most spans open at one code: at some span's start.
    most = max((sum(o[0] <= s[0] <= o[1] for o in owners) for s in owners), default=0)
    return inside, most


def _reference_enclosing(listed: list[Span]) -> dict[Span, tuple[Span, ...]]:
    """Each span -> the spans enclosing it that enclose no other encloser of it."""
    parents: dict[Span, tuple[Span, ...]] = {}
    for one in listed:
        around = [o for o in listed if o != one and o[0] <= one[0] and one[1] <= o[1]]
        innermost = [o for o in around if not any(i != o and o[0] <= i[0] and i[1] <= o[1] for i in around)]
        parents[one] = tuple(innermost)
    return parents


def _holds(inner: tuple[Span, ...], outer: tuple[Span, ...]) -> bool:
    return all(any(o[0] <= i[0] and i[1] <= o[1] for o in outer) for i in inner)


def _reference_containers(
    spans: tuple[Span, ...], parents: dict[Span, tuple[Span, ...]], owners: dict[Span, list[tuple[Span, ...]]]
) -> list[tuple[Span, ...]]:
    found: list[tuple[Span, ...]] = []
    seen, waiting = {spans[0]}, [spans[0]]
    while waiting:
        node = waiting.pop()
        found += [c for c in owners[node] if c != spans and c not in found and _holds(spans, c)]
        for up in parents[node]:
            if up not in seen:
                seen.add(up)
                waiting.append(up)
    if len(found) > 1:
        found = [c for c in found if not any(o != c and _holds(o, c) for o in found)]
    return found


# Codes from a few categories, so that nesting, ranges and shared codes are common.
CODE = icd10_codes("GM", 40, 46)
RANGE = icd10_ranges(CODE)
CODE_SETS = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=3),
    st.lists(st.one_of(CODE, RANGE), max_size=3).map(tuple),
    max_size=25,
)


@given(CODE_SETS)
def test_containment_is_the_plain_sweep(codes_of: dict[str, tuple[str, ...]]) -> None:
    assert codes.containment(codes_of) == reference_containment(codes_of)


# --------------------------------------------------------------------------
# Field checks: a value a check's test passes is one the check passes as it is
# --------------------------------------------------------------------------

PATTERN = check_pattern(r"[A-Z][0-9]{2}", "a code")
CHECKS = {
    "string": check_string,
    "pattern": PATTERN,
    "strings": check_list(check_string),
    "patterns": check_list(PATTERN),
}
STRINGS = st.one_of(
    st.sampled_from(["G35", "g35", "G35x", "", "  ", "ok", "a\x1bb", "a\u2028b", "x" * 4_001]),
    st.text(max_size=6),
)
FIELD_VALUES = st.one_of(STRINGS, st.integers(), st.lists(st.one_of(STRINGS, st.integers()), max_size=4))


@given(name=st.sampled_from(sorted(CHECKS)), value=FIELD_VALUES)
@example(name="strings", value=["a"] * 1_001)  # one item more than a list may hold
@example(name="patterns", value=["G35"] * 1_001)
def test_a_value_a_test_passes_is_one_its_check_passes_unchanged(name: str, value: object) -> None:
    check = CHECKS[name]
    passes, as_tuple = _PASSES[check]
    problems: list[Finding] = []
    result = check(value, ("x",), problems)
    if passes(value):  # (a value it refuses goes to the check, which decides)
        assert problems == []
        assert result == (tuple(value) if as_tuple else value)  # type: ignore[arg-type]


def test_every_check_of_the_dataset_s_strings_has_a_test() -> None:
    """The shortcut reaches the dataset's own string fields: ids, codes, lists of either."""
    from adjuvant_cli.dataset import building

    for key in ("id", "icd10", "label"):
        assert building._CONDITION[key].check in _PASSES, key
    assert building._DRUG["forms"].check in _PASSES


SPEC = {
    "id": Field(PATTERN),
    "label": Field(check_string),
    "codes": Field(check_list(PATTERN), required=False),
    "names": Field(check_list(check_string), required=False),
}
TABLE_VALUES = st.one_of(
    STRINGS, st.integers(), st.lists(st.sampled_from(["G35", "M54", "x", "", 3]), max_size=3)
)
TABLES = st.dictionaries(st.sampled_from(["id", "label", "codes", "names", "nme"]), TABLE_VALUES)


@given(table=TABLES, partial=st.booleans())
def test_check_table_is_the_plain_loop(table: dict[str, object], partial: bool) -> None:
    """check_table against the loop it shortcuts, on a spec whose every field has a test."""
    where: Path = ("conditions", (1, "x"))
    fast: list[Finding] = []
    slow: list[Finding] = []
    checked: dict[str, object] = {}
    for key in table:
        if key not in SPEC:
            slow.append(Finding((*where, key), "unknown-key", "unknown key"))
    for key, field in SPEC.items():
        if key in table:
            result = field.check(table[key], (*where, key), slow)
            if result is not None:
                checked[key] = result
        elif field.required:
            slow.append(Finding((*where, key), "missing", "missing"))
    complete = all(key in checked for key, field in SPEC.items() if field.required)
    expected = checked if complete or partial else None
    assert check_table(table, where, SPEC, fast, partial=partial) == expected
    assert [p[:2] for p in fast] == [p[:2] for p in slow]


# --------------------------------------------------------------------------
# A lookup looks for no warnings; validate finds them all
# --------------------------------------------------------------------------

WARNED = (
    '[[conditions]]\nid = "zc-outer"\nlabel = "Synthetic outer"\nicd10 = ["G80"]\n\n'
    '[[conditions]]\nid = "zc-inner"\nlabel = "Synthetic inner"\nicd10 = ["G80.1"]\n\n'
    '[[conditions]]\nid = "zc-unsaid"\nlabel = "Synthetic unsaid"\n'
    f'no_code_reason = "{PLACEHOLDER} say why"\n\n'
)
WARNING_CODES = {"unused", "covers-unsaid", "placeholder"}


def _with_warnings(bundled_text: str) -> str:
    return bundled_text.replace("[[umbrellas]]", WARNED + "[[umbrellas]]", 1)


def _counting_warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []

    def counted(path: Path, code: str, what: str, at: tuple[int, int] | None = None) -> Finding:
        if code in WARNING_CODES:
            made.append(code)
        return Finding(path, code, what, at)  # type: ignore[arg-type]

    monkeypatch.setattr(building, "Finding", counted)
    return made


def test_validate_finds_every_warning_a_lookup_does_not_look_for(
    bundled_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _with_warnings(bundled_text)
    made = _counting_warnings(monkeypatch)
    dataset, problems, warnings = building.check_dataset(text, "x")
    assert problems == []
    assert {w.code for w in warnings} == WARNING_CODES
    assert sorted(made) == sorted(w.code for w in warnings if w.code in WARNING_CODES)
    made.clear()
    assert building.parse_dataset(text, "x") == dataset  # the same dataset, built without them
    assert made == []
