"""End to end: `list`, `validate`, and choosing a dataset with --data or
ADJUVANT_DATA, through the real CLI (CliRunner) and the installed script."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import installed_adjuvant

Variant = Callable[[str, str], str]


def test_list_shows_every_drug_with_class_atc_and_forms(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--format", "terminal"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for expected in (
        "Baclofen",
        "M03BX01",
        "Diazepam",
        "N05BA01",
        "Tizanidine",
        "modified-release",
        "Tofisopam",
        "N05BA23",
    ):
        assert expected in result.stdout
    assert any(line.startswith("Information only") for line in result.stdout.splitlines()[-4:])


def test_list_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["command"] == "list"
    assert document["schema_version"] == 2
    assert [d["drug_id"] for d in document["result"]["drugs"]] == [
        "baclofen",
        "diazepam",
        "tizanidine",
        "tofisopam",
    ]
    assert document["result"]["drugs"][2] == {
        "drug_id": "tizanidine",
        "name": "Tizanidine",
        "drug_class": "Centrally acting muscle relaxant; alpha-2 adrenoreceptor agonist",
        "atc": "M03BX02",
        "forms": ["tablets", "modified-release capsules"],
        "brands": [
            {
                "name": "Zanaflex",
                "forms": ["tablets", "immediate-release capsules"],
                "note": (
                    "Its capsules are immediate-release, not the modified-release capsules "
                    "the monograph describes."
                ),
            },
            {"name": "Sirdalud", "forms": ["tablets"], "note": None},
            {"name": "Sirdalud MR", "forms": ["modified-release capsules"], "note": None},
        ],
    }
    assert document["result"]["drug_count"] == 4
    assert document["disclaimer"]["text"].startswith("For information only")
    assert len(document["disclaimer"]["compact"]) <= 160
    assert document["source"]["last_reviewed"] == "2025-07-08"
    assert "absence of a statement is not the absence of a risk" in document["source"]["scope"]


def test_validate_the_bundled_dataset(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert "monographs.toml (bundled): valid (4 drugs, 123 conditions)" in result.stdout


def test_validate_lists_every_problem_and_exits_3(
    runner: CliRunner, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    bad = bundled_text.replace('atc = "M03BX02"', 'atc = "x"').replace('"baclofen"', '"Baclofen"', 1)
    result = runner.invoke(app, ["validate", write_toml(bad), "--json"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)["result"]
    assert report["valid"] is False
    messages = [p["message"] for p in report["problems"]]
    assert 'drug "tizanidine" atc: "x" is not an ATC code (e.g. M03BX01)' in messages
    assert any('"Baclofen" is not an id' in m for m in messages)


def test_validate_reports_syntax_errors_with_line_and_column(
    runner: CliRunner, write_toml: Callable[[str], str]
) -> None:
    path = write_toml("schema_version = 2\n[source\n")
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 3
    assert f"{path}: 1 problem\n" in result.stdout
    assert f"{path}:2:8: " in result.stdout
    assert "parsing stops at the first syntax error" in result.stdout


@pytest.mark.parametrize("how", ["option", "environment"])
def test_validate_checks_the_dataset_data_names(runner: CliRunner, variant: Variant, how: str) -> None:
    # Every command reads the global options: validate, too, checks the dataset
    # the other commands would use, not the bundled one.
    path = variant('atc = "M03BX02"', 'atc = "x"')
    args, env = (
        (["--data", path, "validate"], {}) if how == "option" else (["validate"], {"ADJUVANT_DATA": path})
    )
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 3
    assert result.stdout.startswith(f"{path}: 1 problem\n")
    line = Path(path).read_text(encoding="utf-8").splitlines().index('atc = "x"') + 1
    assert f'{path}:{line}:7: drug "tizanidine" atc: "x" is not an ATC code' in result.stdout


def test_data_option_uses_another_dataset(runner: CliRunner, variant: Variant) -> None:
    path = variant('name = "Tofisopam"', 'name = "Tofizopam"')
    result = runner.invoke(app, ["--data", path, "list", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["result"]["drugs"][3]["name"] == "Tofizopam"


def test_adjuvant_data_environment_variable(runner: CliRunner, variant: Variant) -> None:
    path = variant('name = "Tofisopam"', 'name = "Tofizopam"')
    result = runner.invoke(app, ["list", "--json"], env={"ADJUVANT_DATA": path})
    assert json.loads(result.stdout)["result"]["drugs"][3]["name"] == "Tofizopam"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.toml", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "b.toml", (p / "b.toml").write_bytes(b"\x00\x01"))[0], "is a binary file"),
        (lambda p: (p / "l.toml", (p / "l.toml").write_bytes(b"a = \xff"))[0], "is not UTF-8 text"),
        (lambda p: (p / "s.toml", (p / "s.toml").write_text("a = [1,"))[0], "TOML syntax error"),
        (lambda p: (p / "e.toml", (p / "e.toml").write_text(""))[0], "is empty"),
    ],
)
def test_an_unusable_dataset_is_one_line_on_stderr_and_exit_3(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = str(make(tmp_path))
    result = runner.invoke(app, ["--data", path, "show", "baclofen", "--json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"adjuvant: {path}")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_several_problems_point_to_validate(
    runner: CliRunner, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    path = write_toml(
        bundled_text.replace('atc = "M03BX02"', 'atc = "x"').replace('atc = "N05BA23"', 'atc = "y"')
    )
    result = runner.invoke(app, ["--data", path, "list"])
    assert result.exit_code == 3
    assert result.stderr.strip().endswith(f"(and 1 more problem); 'adjuvant validate {path}' lists them all")


def test_installed_script_and_module_run(tmp_path: Path, clean_env: dict[str, str]) -> None:
    script = installed_adjuvant()
    done = subprocess.run(
        [script, "list", "--json"], capture_output=True, text=True, cwd=tmp_path, env=clean_env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["result"]["drugs"]) == 4
    python = str(Path(script).parent / "python")
    done = subprocess.run(
        [python, "-m", "adjuvant_cli", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("adjuvant ")


def test_an_unreadable_dataset_is_one_line_and_exit_3(runner: CliRunner, unreadable_file: Path) -> None:
    locked = unreadable_file
    result = runner.invoke(app, ["--data", str(locked), "show", "baclofen"])
    assert result.exit_code == 3
    assert result.stderr == f"adjuvant: {locked}: permission denied; check the file's permissions\n"
