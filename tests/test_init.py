"""`adjuvant init`: a starting file that passes --strict, with the schema
beside it; never overwriting, never following a symlink."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, installed_adjuvant

SCHEMA = "adjuvant-dataset-2.schema.json"


def test_init_writes_a_skeleton_that_passes_strict(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "formulary.toml"
    done = runner.invoke(app, ["init", str(path)])
    assert done.exit_code == 0, done.output
    assert f"wrote {path}\n" in done.stdout and f"wrote {tmp_path / SCHEMA}\n" in done.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"#:schema ./{SCHEMA}\n")
    assert "\n# " in text  # commented
    shipped = (REPO / "data" / SCHEMA).read_text(encoding="utf-8")
    assert (tmp_path / SCHEMA).read_text(encoding="utf-8") == shipped
    checked = runner.invoke(app, ["validate", "--strict", str(path)])
    assert checked.exit_code == 0, checked.stdout
    assert checked.stdout == f"{path}: valid (1 drug, 2 conditions)\n"
    shown = runner.invoke(app, ["--data", str(path), "show", "baclofen", "--json"])
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["result"]["drug"]["name"] == "Baclofen"


def test_init_shows_what_covers_means(runner: CliRunner, tmp_path: Path) -> None:
    """FACTS §4c: in one's own dataset a condition does not cover what lies inside it unless it says so."""
    path = tmp_path / "own.toml"
    assert runner.invoke(app, ["init", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "`covers` says whether a statement about a condition counts" in text
    assert "unsaid, it does not" in text


def test_init_from_bundled_copies_the_bundled_dataset(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "copy.toml"
    assert runner.invoke(app, ["init", "--from-bundled", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8") == (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")
    checked = runner.invoke(app, ["validate", "--strict", str(path)])
    assert checked.exit_code == 0, checked.stdout


def test_init_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("precious", encoding="utf-8")
    done = runner.invoke(app, ["init", str(path)])
    assert done.exit_code == 2
    assert done.stderr == f"adjuvant: {path} exists; choose a new path (nothing is ever overwritten)\n"
    assert path.read_text(encoding="utf-8") == "precious"
    assert not (tmp_path / SCHEMA).exists()


@pytest.mark.parametrize("dangling", [True, False])
def test_init_follows_no_symlink(runner: CliRunner, tmp_path: Path, dangling: bool) -> None:
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(victim)
    done = runner.invoke(app, ["init", str(link)])
    assert done.exit_code == 2
    assert "exists" in done.stderr
    assert victim.exists() is not dangling
    if not dangling:
        assert victim.read_text(encoding="utf-8") == "keep"


def test_a_second_dataset_shares_the_schema_but_not_a_foreign_one(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "a.toml")]).exit_code == 0
    assert runner.invoke(app, ["init", str(tmp_path / "b.toml")]).exit_code == 0
    (tmp_path / SCHEMA).write_text("{}", encoding="utf-8")
    done = runner.invoke(app, ["init", str(tmp_path / "c.toml")])
    assert done.exit_code == 2
    assert "is not this adjuvant's schema" in done.stderr
    assert not (tmp_path / "c.toml").exists()


def test_init_through_the_installed_script(tmp_path: Path, clean_env: dict[str, str]) -> None:
    done = subprocess.run(
        [installed_adjuvant(), "init", "new.toml"],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new.toml").is_file() and (tmp_path / SCHEMA).is_file()
    assert (tmp_path / "new.toml").stat().st_mode & 0o002 == 0  # never world-writable
