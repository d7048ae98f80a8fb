"""Every message names the next command where there is one (issue 19, item 3;
ux F13): the version 1 refusal names `adjuvant migrate`, and validate's
warning on a national code names the WHO code search reads it as."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .test_migrate import VERSION_1

Variant = Callable[[str, str], str]


@pytest.mark.parametrize("command", [["list"], ["show", "baclofen"], ["search", "ms"]])
def test_a_version_1_file_is_refused_with_the_migrate_command(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    old = tmp_path / "old.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    done = runner.invoke(app, ["--data", str(old), *command])
    assert done.exit_code == 3
    assert done.stderr.startswith(f"adjuvant: {old}: schema_version: 1 is the old format")
    assert "convert it with `adjuvant migrate OLD NEW`" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_validate_of_a_version_1_file_names_the_migrate_command(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    done = runner.invoke(app, ["validate", str(old)])
    assert done.exit_code == 3
    assert "`adjuvant migrate OLD NEW`" in done.stdout


@pytest.mark.parametrize(("national", "who"), [("M54.50", "M54.5"), ("M54.59", "M54.5")])
def test_a_national_code_warning_names_the_who_code_search_reads(
    runner: CliRunner, variant: Variant, national: str, who: str
) -> None:
    path = variant('icd10 = ["M54.5"]', f'icd10 = ["{national}"]')
    done = runner.invoke(app, ["validate", path])
    assert done.exit_code == 0, done.stdout  # a warning in one's own dataset
    line = next(line for line in done.stdout.splitlines() if f'"{national}"' in line)
    assert "warning" in line and "is not a WHO ICD-10 (2019) code" in line
    assert line.endswith(f'search reads it as the WHO code {who}: write "{who}" to say what search reads')
    # and search does read it so
    found = runner.invoke(app, ["--data", path, "search", national, "--json"])
    assert found.exit_code == 0


def test_no_who_code_is_named_when_its_who_form_is_not_one(runner: CliRunner, variant: Variant) -> None:
    path = variant('icd10 = ["G35"]', 'icd10 = ["G35.10"]')  # WHO's G35 has no subcategories
    done = runner.invoke(app, ["validate", path])
    line = next(line for line in done.stdout.splitlines() if '"G35.10"' in line)
    assert line.endswith("code or range (a national extension?)")
