"""Datasets that validate but break, and how a dataset is named (issue 13,
finding 5): special files, absurd widths, limits on every list, names that
cannot be found or that look like another drug's, `--data ""`, and compare
over many drugs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, installed_adjuvant

Variant = Callable[[str, str], str]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


# --- special files ---------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["validate"]])
def test_a_fifo_as_the_dataset_is_refused_without_blocking(
    command: list[str], clean_env: dict[str, str], tmp_path: Path
) -> None:
    fifo = tmp_path / "data.toml"
    os.mkfifo(fifo)
    # Nothing ever opens the FIFO's other end: a program that opens it to read
    # blocks for good, and the timeout (a guard, not a measurement) ends it.
    done = subprocess.run(
        [installed_adjuvant(), "--data", str(fifo), *command],
        env={**clean_env, "ADJUVANT_NO_CACHE": "1"},
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 3
    assert "is not a regular file (a FIFO); give the path of a .toml file" in done.stderr + done.stdout


def test_a_device_as_the_dataset_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--data", "/dev/zero", "list"])
    assert result.exit_code == 3
    assert "is not a regular file (a device)" in result.stderr


def test_a_directory_as_the_dataset_is_still_named_so(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--data", str(tmp_path), "list"])
    assert result.exit_code == 3
    assert "is a directory" in result.stderr


# --- widths ----------------------------------------------------------------


@pytest.mark.parametrize("columns", ["10000000", "1e9", "99999999999999999999"])
def test_huge_columns_are_clamped(columns: str, clean_env: dict[str, str]) -> None:
    done = run(["compare"], {**clean_env, "COLUMNS": columns})
    assert (done.returncode, done.stderr) == (0, "")
    assert max(len(line) for line in done.stdout.splitlines()) <= 1000


# --- limits ----------------------------------------------------------------


def test_the_list_limit_applies_to_lists_of_tables(runner: CliRunner, variant: Variant) -> None:
    # Within a record: a drug's brands (as its indications or an indication's links).
    extra = "".join(f'[[drugs.brands]]\nname = "Extra {i}"\n\n' for i in range(1_001))
    old = '[[drugs.brands]]\nname = "Grandaxin"\n'
    path = variant(old, extra + old)
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 3
    assert "brands: has 1,002 items; the limit is 1,000" in result.stdout


def test_a_name_that_validates_is_found_by_its_full_text(runner: CliRunner, variant: Variant) -> None:
    long_name = "Lioresal " + "x" * 200
    path = variant('name = "Lioresal"', f'name = "{long_name}"')
    validated = runner.invoke(app, ["validate", path])
    if validated.exit_code == 0:
        assert runner.invoke(app, ["--data", path, "show", long_name]).exit_code == 0
    else:
        assert "is 209 characters long; a name may be at most 200" in validated.stdout


# --- look-alike names ------------------------------------------------------


@pytest.mark.parametrize(
    ("hidden", "what"),
    [
        ("\u00ad", "soft hyphen"),
        ("\u200b", "zero width space"),
        ("\u2060", "word joiner"),
        ("\ufeff", "zero width no-break space"),
        ("\U000e0041", "tag latin capital letter a"),
        ("\u200d", "zero width joiner"),
    ],
)
def test_format_characters_in_a_name_are_refused(
    runner: CliRunner, variant: Variant, hidden: str, what: str
) -> None:
    path = variant('name = "Lioresal"', f'name = "Val{hidden}ium"')
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 3
    assert f"the format character U+{ord(hidden):04X} ({what.upper()})" in " ".join(result.stdout.split())


def test_a_zero_width_non_joiner_a_script_needs_is_accepted(runner: CliRunner, variant: Variant) -> None:
    persian = "می\u200cخواهم"  # Persian spells this word with a ZWNJ
    path = variant('name = "Lioresal"', f'name = "{persian}"')
    assert runner.invoke(app, ["validate", path]).exit_code == 0
    assert runner.invoke(app, ["--data", path, "show", persian, "--json"]).exit_code == 0


@pytest.mark.parametrize("hidden", ["\u034f", "\ufe0f", "\u3164"])
def test_default_ignorable_characters_are_folded_for_the_duplicate_check(
    runner: CliRunner, variant: Variant, hidden: str
) -> None:
    path = variant('name = "Lioresal"', f'name = "Val{hidden}ium"')
    result = runner.invoke(app, ["validate", path])
    assert result.exit_code == 3
    assert "is already a name of drug" in result.stdout


@pytest.mark.parametrize("hidden", ["\u00ad", "\u200b", "\u034f", "\u2060"])
def test_default_ignorable_characters_are_folded_in_lookups(runner: CliRunner, hidden: str) -> None:
    result = runner.invoke(app, ["show", f"Val{hidden}ium", "--json"])
    assert result.exit_code == 0
    assert '"drug_id":"diazepam"' in result.stdout.replace(" ", "")


# --- --data "" -------------------------------------------------------------


def test_an_empty_data_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--data", "", "list"])
    assert result.exit_code == 2
    assert "--data needs a path" in result.stderr


def test_an_empty_adjuvant_data_counts_as_unset(runner: CliRunner) -> None:
    result = runner.invoke(app, ["list", "--json"], env={"ADJUVANT_DATA": ""})
    assert result.exit_code == 0
    assert '"drug_count":4' in result.stdout


# --- compare at any number of drugs ----------------------------------------


@pytest.fixture(scope="session")
def forty_drugs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("d40") / "d40.toml"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "make_dataset.py"), "40", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


@pytest.mark.parametrize("columns", ["80", "200"])
def test_compare_on_a_terminal_loses_no_mark_at_forty_drugs(
    forty_drugs: Path, clean_env: dict[str, str], columns: str
) -> None:
    env = {**clean_env, "COLUMNS": columns}
    as_json = run(["--data", str(forty_drugs), "compare", "--json"], env)
    import json

    effects = json.loads(as_json.stdout)["result"]["effects"]
    stated = sum(1 for effect in effects for cell in effect["by_drug"].values() if cell["stated"])
    assert stated > 40
    shown = run(["--data", str(forty_drugs), "compare", "--format", "terminal"], env)  # the table layout
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout.count("✓") >= stated
    assert max(len(line) for line in shown.stdout.splitlines()) <= int(columns)
    assert not re.search(r"│\s*│\s*│", shown.stdout), "no column may shrink to nothing"


# --- lists a renderer indexes ----------------------------------------------

REQUIRED_LISTS = [
    (("drugs", 0, "mechanism"), "a drug needs at least one mechanism statement"),
    (("drugs", 0, "indications"), "a drug needs at least one indication"),
    (("drugs", 0, "forms"), "name at least one dosage form"),
    (("drugs", 0, "indications", 0, "links"), "link at least one condition"),
    (("umbrellas", 0, "reaches"), "name at least one condition"),
    (("drugs",), "the dataset has no drugs"),
]


@pytest.mark.parametrize(("path", "message"), REQUIRED_LISTS)
def test_an_empty_list_that_a_renderer_indexes_is_refused(
    path: tuple[str | int, ...], message: str, bundled_text: str, tmp_path: Path, runner: CliRunner
) -> None:
    import tomli

    from .test_fuzz import to_toml

    document = tomli.loads(bundled_text)
    parent: Any = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = []
    written = tmp_path / "empty.toml"
    written.write_text(to_toml(document), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(written)])
    assert result.exit_code == 3
    assert message in " ".join(result.stdout.split())
    for command in (["compare"], ["show", "baclofen"], ["list", "--json"]):
        refused = runner.invoke(app, ["--data", str(written), *command])
        assert refused.exit_code == 3, refused.stderr
        assert len(refused.stderr.splitlines()) == 1


def test_a_formulary_may_hold_more_than_a_thousand_drugs(tmp_path: Path) -> None:
    """The 1,000-item limit is for lists within a record; the dataset's own
    arrays are bounded by the file size cap (benchmarks/scale.py uses 10,000)."""
    path = tmp_path / "large.toml"
    made = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "make_dataset.py"), "1001", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    done = CliRunner().invoke(app, ["validate", str(path)])
    assert done.exit_code == 0, done.output
