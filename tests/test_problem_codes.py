"""Every documented `code` of `validate --json`, produced through the real CLI
from a dataset that has that problem, at the field the problem is in: a code
that goes missing, or that a change maps to another kind, fails here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.dataset.problems import CODES

from .conftest import REPO

Edits = tuple[tuple[str, str], ...]

BACLOFEN_STROKE = '{ condition = "stroke", role = "setting" }'
SPASTICITY_LINKS = 'drug "baclofen" indication "baclofen-spasticity"'

# code: (edits of the bundled dataset, the field the problem is in, its severity)
CASES: dict[str, tuple[Edits, str, str]] = {
    "syntax": ((("schema_version = 2\n", "schema_version = = 2\n"),), "", "error"),
    "unknown-key": (
        (
            (
                'drug_class = "Centrally acting muscle relaxant; GABA',
                'drug_clas = "Centrally acting muscle relaxant; GABA',
            ),
        ),
        'drug "baclofen" drug_clas',
        "error",
    ),
    "missing": ((('atc = "M03BX01"\n', ""),), 'drug "baclofen" atc', "error"),
    "wrong-type": ((('atc = "M03BX01"', "atc = 3"),), 'drug "baclofen" atc', "error"),
    "bad-value": ((('atc = "M03BX01"', 'atc = "bad-atc"'),), 'drug "baclofen" atc', "error"),
    "empty": ((('name = "Baclofen"', 'name = ""'),), 'drug "baclofen" name', "error"),
    "control-character": (
        (('name = "Baclofen"', 'name = "Bac\\u001blofen"'),),
        'drug "baclofen" name',
        "error",
    ),
    "too-long": (
        (('compact = "Information only', f'compact = "{"x" * 200} Information only'),),
        "disclaimer.compact",
        "error",
    ),
    "unknown-id": (
        ((BACLOFEN_STROKE, '{ condition = "strokes", role = "setting" }'),),
        f"{SPASTICITY_LINKS} link 3 condition",
        "error",
    ),
    "duplicate": (
        ((BACLOFEN_STROKE, '{ condition = "spasticity", role = "setting" }'),),
        f"{SPASTICITY_LINKS} links",
        "error",
    ),
    "schema-version": ((("schema_version = 2\n", "schema_version = 3\n"),), "schema_version", "error"),
    "unused": (
        (
            (
                '[[effects]]\nid = "muscle-relaxant"',
                '[[effects]]\nid = "unused"\nlabel = "Unused"\n\n[[effects]]\nid = "muscle-relaxant"',
            ),
        ),
        'effect "unused"',
        "warning",
    ),
    "unreviewed-link": (
        ((BACLOFEN_STROKE, '{ condition = "stroke", role = "setting", reviewed = false }'),),
        f"{SPASTICITY_LINKS} link 3 role",
        "warning",
    ),
    "placeholder": (
        (('scope = "The source gives', 'scope = "REVIEW (adjuvant migrate): say what. The source gives'),),
        "source.scope",
        "warning",
    ),
    "not-who": (
        (('icd10 = ["G35"]', 'icd10 = ["G35.9"]'),),
        'condition "multiple-sclerosis" icd10 item 1',
        "warning",
    ),
    "who-excerpt": (
        (('title = "Tuberculosis of nervous system"', 'title = "Tuberculosis of the nervous system"'),),
        'who_icd10 "A17" title',
        "error",
    ),
    "reversed-link": (
        (
            ('icd10 = ["M54.2"]\nbroader = ["vertebral-syndrome"]\n', 'icd10 = ["M54.2"]\n'),
            ('broader = ["disorders-of-the-spine"]\n', 'broader = ["neck-pain"]\n'),
        ),
        'condition "vertebral-syndrome" broader item 1',
        "error",  # a link the codes contradict is refused (redteam N2)
    ),
    "cycle": (
        (
            ('label = "Spasticity"\n', 'label = "Spasticity"\nbroader = ["disorders-of-the-spine"]\n'),
            (
                'label = "Disorders of the spine"\n',
                'label = "Disorders of the spine"\nbroader = ["spasticity"]\n',
            ),
        ),
        'condition "spasticity" broader',
        "error",
    ),
    "covers-unsaid": (
        (("covers = true  # each is an anxiety disorder: the class (FACTS §4c)\n", ""),),
        'condition "anxiety-disorders" covers',
        "warning",
    ),
    "too-large": (
        (
            (
                "[[umbrellas]]",
                "".join(
                    f'[[conditions]]\nid = "n{n}"\nlabel = "Nested {n}"\n'
                    f'icd10 = ["A{n:02d}-B{99 - n:02d}"]\n\n'
                    for n in range(70)
                )
                + "[[umbrellas]]",
            ),
        ),
        "conditions.icd10",
        "error",
    ),
}
UNREADABLE = "unreadable"  # the file itself: made below, not by an edit


def documented_codes() -> list[str]:
    """The codes the user documentation lists ("`code` is one of …")."""
    for page in (REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))):
        text = " ".join(page.read_text(encoding="utf-8").split())
        found = re.search(r"`code` is one of (.*?)\.", text)
        if found:
            return re.findall(r"`([a-z-]+)`", found.group(1))
    raise AssertionError("no page documents the codes of `validate --json`")


def test_the_documented_codes_are_the_codes_there_are() -> None:
    assert documented_codes() == list(CODES)
    assert sorted([*CASES, UNREADABLE]) == sorted(CODES), "every code has a case below"


def validate_json(runner: CliRunner, path: str) -> list[dict[str, object]]:
    done = runner.invoke(app, ["validate", "--json", path])
    assert done.exit_code in {0, 3}, done.output
    problems: list[dict[str, object]] = json.loads(done.stdout)["result"]["problems"]
    return problems


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_dataset_with_the_problem_gets_its_code_at_its_field(
    code: str, runner: CliRunner, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    edits, field, severity = CASES[code]
    text = bundled_text
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    problems = validate_json(runner, write_toml(text))
    at_field = {(p["code"], p["severity"]) for p in problems if p["field"] == field}
    assert at_field == {(code, severity)}, problems
    if code == "syntax":
        (only,) = problems
        assert (only["line"], only["column"]) == (18, 18)
    else:  # placed at its line in the file: the edited one or the entry's own
        (placed,) = [p for p in problems if p["field"] == field]
        assert isinstance(placed["line"], int) and placed["line"] > 1


def test_a_file_that_cannot_be_read_is_unreadable(runner: CliRunner, tmp_path: Path) -> None:
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x00\x01\x02 not text")
    latin = tmp_path / "latin.toml"  # was `bad-value`, from the words "is not UTF-8"
    latin.write_bytes(b'a = "\xff"\n')
    missing = tmp_path / "missing.toml"
    for path in (binary, latin, missing, tmp_path):
        problems = validate_json(runner, str(path))
        assert [(p["code"], p["field"], p["line"]) for p in problems] == [(UNREADABLE, "", None)], problems
