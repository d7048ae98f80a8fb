"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real `pre-commit`
on a temporary git repository. pre-commit installs the hook from a copy of
this checkout and its dependencies from the package index: marked `network`,
which the default run leaves out (run it with -m network; CI runs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

pytestmark = pytest.mark.network

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _hook_repository(tmp_path: Path) -> str:
    """This checkout's working tree as a git repository pre-commit can clone."""
    copy = tmp_path / "adjuvant"
    copy.mkdir()
    for name in ("src", "data", "schemas", "man"):  # all that the wheel includes
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "hatch_build.py", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", ".")
    _git(copy, "commit", "-q", "-m", "hook")
    return str(copy)


def _run(formulary: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files", "--color", "never"],
        cwd=formulary,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")
def test_the_hook_validates_formularies_and_leaves_pyproject_alone(
    tmp_path: Path, clean_env: dict[str, str]
) -> None:
    hook = _hook_repository(tmp_path)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook, check=True, capture_output=True, text=True
    ).stdout.strip()
    formulary = tmp_path / "formulary"
    formulary.mkdir()
    _git(formulary, "init", "-q")
    (formulary / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook}\n    rev: {rev}\n    hooks:\n      - id: adjuvant-validate\n",
        encoding="utf-8",
    )
    (formulary / "pyproject.toml").write_text('[project]\nname = "not-a-dataset"\n', encoding="utf-8")
    good = (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")
    (formulary / "formulary.toml").write_text(good, encoding="utf-8")
    shutil.copy2(REPO / "data" / "adjuvant-dataset-2.schema.json", formulary)
    _git(formulary, "add", ".")
    env = {**clean_env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    passed = _run(formulary, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "adjuvant validate" in passed.stdout and "Passed" in passed.stdout

    line = good.splitlines().index('atc = "M03BX02"') + 1
    (formulary / "formulary.toml").write_text(good.replace('atc = "M03BX02"', 'atc = "x"'), encoding="utf-8")
    failed = _run(formulary, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f'formulary.toml:{line}:7: drug "tizanidine" atc: "x" is not an ATC code' in failed.stdout
    assert "pyproject.toml" not in failed.stdout
