"""One's own dataset, end to end through the CLI: `validate` checks what
--data names, several files, standard input; every problem in one run, each at
its file:line:column; warnings apart from errors, and --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

Variant = Callable[[str, str], str]

# Thirty problems across every section from 26 edits (a misspelt required key
# is two: the unknown key, and the one now missing). None may hide another.
THIRTY = [
    ("schema_version = 2", 'schema_version = "2"'),
    ('title = "Use of adjuvants', 'titel = "Use of adjuvants'),
    ("last_reviewed = 2025-07-08", 'last_reviewed = "2025-07-08"'),
    ('compact = "Information only,', 'compact = "Please note. Information only,'),
    ('label = "Anxiolytic"', "label = 7"),
    ('label = "Sedative"', 'label = "Seda\\u001b[31mtive"'),
    ('id = "hypnotic"\nlabel = "Hypnotic"', 'id = "hypnotic"\nlabel = "Hypnotic"\nnote = "x"'),
    ('icd10 = ["G35"]', 'icd10 = ["G 35"]'),
    ('broader = ["stroke"]', 'broader = ["strokes"]'),
    ('icd10 = ["T36-T50"]\ncovers = false', 'icd10 = ["T36-T50"]\ncovers = "yes"'),
    (
        'no_code_reason = "Damage of many causes (injury, stroke, cerebral palsy and others), '
        'coded by its cause."\n',
        "",
    ),
    ('id = "back-pain"\nlabel = "Back pain"', 'id = "back-pain"\nlabal = "Back pain"'),
    ('reaches = ["neck-pain", "disc-herniation"]', 'reaches = ["neck-pain", "disk-herniation"]'),
    ('code = "A17"', 'code = "A 17"'),
    ('name = "Baclofen"', 'name = "   "'),
    (
        'drug_class = "Centrally acting muscle relaxant; alpha',
        'drug_clas = "Centrally acting muscle relaxant; alpha',
    ),
    ('atc = "M03BX02"', 'atc = "M3BX2"'),
    (
        'effects = ["muscle-relaxant"]\n\n[[drugs.brands]]\nname = "Zanaflex"',
        'effects = ["relaxant"]\n\n[[drugs.brands]]\nname = "Zanaflex"',
    ),
    (
        '  { condition = "multiple-sclerosis", role = "example" },',
        '  { condition = "ms", role = "example" },',
    ),
    (
        '  { condition = "chronic-myelopathy", role = "example" },',
        '  { condition = "chronic-myelopathy", role = "indicated" },',
    ),
    ('source = "tizanidine/indications/1.1"', 'source = "tizanidine/indication/1.1"'),
    ('readings = ["tizanidine-after-surgery"]', 'readings = ["tizanidine-after-surgeries"]'),
    (
        'mentions = ["alcohol-withdrawal", "alcoholic-delirium"]',
        'mentions = ["alcohol-withdrawal", "delirium-tremens"]',
    ),
    ('corrections = ["diazepam-raresthesia"]', 'corrections = ["diazepam-paresthesia"]'),
    (
        '[[drugs.brands]]\nname = "Grandaxin"\nforms = ["tablets"]',
        '[[drugs.brands]]\nname = "Valium"\nform = ["tablets"]',
    ),
    (
        'effects = ["muscle-relaxant", "anxiolytic", "sedative", "anticonvulsant"]',
        'effects = ["muscle-relaxant", "anxiolytic", "anticonvulsant"]',
    ),
]


def _thirty(bundled_text: str) -> str:
    text = bundled_text
    for old, new in THIRTY:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_thirty_problems_are_reported_in_one_run_each_at_its_position(
    runner: CliRunner, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    path = write_toml(_thirty(bundled_text))
    done = runner.invoke(app, ["validate", "--json", path])
    assert done.exit_code == 3
    problems = json.loads(done.stdout)["result"]["problems"]
    assert len(problems) == 30, "\n".join(p["message"] for p in problems)
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for problem in problems:
        assert problem["file"] == path and problem["severity"] == "error"
        assert problem["line"] >= 1 and problem["column"] >= 1, problem
        assert problem["message"].startswith(problem["field"]), problem
    at = {p["field"]: lines[p["line"] - 1][p["column"] - 1 :] for p in problems}
    # The value itself where it is there, its table where it is missing.
    assert at['drug "tizanidine" atc'] == '"M3BX2"'
    assert at['condition "multiple-sclerosis" icd10 item 1'] == '"G 35"]'
    assert at["source.title"] == "[source]"
    assert at['drug "tizanidine" indication "tizanidine-spasticity" link 3 condition'].startswith('"ms"')
    assert at['drug "tizanidine" indication "tizanidine-spasticity" link 4 role'].startswith('"indicated"')
    assert at['drug "diazepam" onset 2 corrections item 1'] == '"diazepam-paresthesia"]'
    assert at['umbrella "neck" reaches item 2'] == '"disk-herniation"]'
    assert at["who_icd10 2 code"] == '"A 17"'
    assert at['drug "tofisopam" brand 1 form'] == '["tablets"]'


def test_the_terminal_says_path_line_column_message(
    runner: CliRunner, variant: Variant, bundled_text: str
) -> None:
    path = variant('atc = "M03BX02"', 'atc = "x"')
    line = bundled_text.splitlines().index('atc = "M03BX02"') + 1
    done = runner.invoke(app, ["validate", path])
    assert done.exit_code == 3
    assert done.stdout.splitlines() == [
        f"{path}: 1 problem",
        f'{path}:{line}:7: drug "tizanidine" atc: "x" is not an ATC code (e.g. M03BX01)',
    ]


def test_unknown_ids_get_a_did_you_mean_that_knows_abbreviations(runner: CliRunner, variant: Variant) -> None:
    path = variant(
        '  { condition = "multiple-sclerosis", role = "example" },',
        '  { condition = "ms", role = "example" },',
    )
    done = runner.invoke(app, ["validate", path])
    assert 'unknown condition "ms" (did you mean "multiple-sclerosis"?)' in done.stdout


def test_validate_takes_several_paths_and_fails_if_any_fails(runner: CliRunner, variant: Variant) -> None:
    good = variant('name = "Tofisopam"', 'name = "Tofizopam"')
    bad = variant('atc = "M03BX02"', 'atc = "x"')
    done = runner.invoke(app, ["validate", good, bad])
    assert done.exit_code == 3
    assert f"{good}: valid (4 drugs, 123 conditions)" in done.stdout
    assert f"{bad}: 1 problem" in done.stdout
    assert runner.invoke(app, ["validate", good, good]).exit_code == 0


def test_validate_dash_reads_standard_input(runner: CliRunner, bundled_text: str) -> None:
    done = runner.invoke(app, ["validate", "-"], input=bundled_text.replace('atc = "M03BX02"', 'atc = "x"'))
    assert done.exit_code == 3
    assert done.stdout.startswith("<stdin>: 1 problem\n<stdin>:")
    assert "--data" not in done.stdout + done.stderr  # the path was not given to --data
    assert runner.invoke(app, ["validate", "-"], input=bundled_text).exit_code == 0


def test_validate_dash_refuses_a_terminal(clean_env: dict[str, str]) -> None:
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "adjuvant_cli", "validate", "-"],
            stdin=follower,
            capture_output=True,
            text=True,
            env=clean_env,
            check=False,
            timeout=60,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert "standard input is a terminal" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_missing_file_is_not_blamed_on_data(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["validate", str(tmp_path / "nope.toml")])
    assert done.exit_code == 3
    assert f"{tmp_path / 'nope.toml'}: no such file; check the path" in done.stdout
    assert "--data" not in done.stdout


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_bad_dataset_named_by_data_fails_validate(runner: CliRunner, variant: Variant, how: str) -> None:
    # The false pass: validate once checked the bundled file here and said "valid".
    path = variant('atc = "M03BX02"', 'atc = "x"')
    args, env = (
        (["--data", path, "validate"], {}) if how == "option" else (["validate"], {"ADJUVANT_DATA": path})
    )
    done = runner.invoke(app, args, env=env)
    assert done.exit_code == 3
    assert "monographs.toml (bundled)" not in done.stdout


def test_dropping_a_drug_leaves_warnings_not_errors(
    runner: CliRunner, bundled_text: str, tmp_path: Path
) -> None:
    start = bundled_text.index('[[drugs]]\nid = "tofisopam"')
    own = tmp_path / "three.toml"
    own.write_text(bundled_text[:start], encoding="utf-8")
    done = runner.invoke(app, ["validate", str(own)])
    assert done.exit_code == 0, done.stdout
    assert done.stdout.startswith(f"{own}: valid (3 drugs, 123 conditions), ")
    assert f"{own}:" in done.stdout and 'warning: condition "' in done.stdout
    # Loading it works and says nothing of the warnings.
    shown = runner.invoke(app, ["--data", str(own), "list"])
    assert shown.exit_code == 0 and "warning" not in shown.stdout + shown.stderr
    # --strict makes them errors.
    strict = runner.invoke(app, ["validate", "--strict", "--json", str(own)])
    assert strict.exit_code == 3
    result = json.loads(strict.stdout)["result"]
    assert result["valid"] is False and result["strict"] is True
    assert {p["severity"] for p in result["problems"]} == {"error"}
    assert {p["code"] for p in result["problems"]} == {"unused"}


def test_the_bundled_dataset_passes_strict(runner: CliRunner) -> None:
    done = runner.invoke(app, ["validate", "--strict"])
    assert done.exit_code == 0, done.stdout
    assert done.stdout == "monographs.toml (bundled): valid (4 drugs, 123 conditions)\n"


def test_one_drug_is_one_drug(runner: CliRunner, bundled_text: str, tmp_path: Path) -> None:
    start = bundled_text.index('[[drugs]]\nid = "diazepam"')
    own = tmp_path / "one.toml"
    own.write_text(bundled_text[:start], encoding="utf-8")
    done = runner.invoke(app, ["validate", str(own)])
    assert done.stdout.startswith(f"{own}: valid (1 drug, 123 conditions)")


def test_a_syntax_error_says_parsing_stopped(runner: CliRunner, write_toml: Callable[[str], str]) -> None:
    path = write_toml('schema_version = 2\n[source]\ntitle = "x\n')
    done = runner.invoke(app, ["validate", "--json", path])
    (problem,) = json.loads(done.stdout)["result"]["problems"]
    assert (problem["line"], problem["code"]) == (3, "syntax")
    assert "parsing stops at the first syntax error" in problem["message"]


def test_adjuvant_debug_shows_the_warnings_a_load_finds(
    runner: CliRunner, bundled_text: str, tmp_path: Path
) -> None:
    start = bundled_text.index('[[drugs]]\nid = "tofisopam"')
    own = tmp_path / "three.toml"
    own.write_text(bundled_text[:start].replace('icd10 = ["M54.5"]', 'icd10 = ["M54.50"]'), encoding="utf-8")
    quiet = runner.invoke(app, ["--data", str(own), "list"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = runner.invoke(app, ["--data", str(own), "list"], env={"ADJUVANT_DEBUG": "1"})
    assert loud.exit_code == 0
    assert f"adjuvant: {own}:" in loud.stderr and ': warning: condition "' in loud.stderr
    assert "WHO" not in loud.stderr  # the WHO check (M54.50 is ICD-10-CM) is validate's only


def test_no_lookup_imports_the_locator_or_the_writers(
    bundled_text: str, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    own = tmp_path / "own.toml"
    own.write_text(bundled_text, encoding="utf-8")
    for args in (["show", "baclofen", "--json"], ["--data", str(own), "search", "ms", "--json"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "adjuvant_cli", *args],
            env={**clean_env, "ADJUVANT_NO_CACHE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-500:]
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "adjuvant_cli.dataset" in imported  # the check can see imports at all
        for module in ("positions", "starting", "migrating", "who"):
            assert f"adjuvant_cli.dataset.{module}" not in imported, (args, module)
