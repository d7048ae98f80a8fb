"""The wheel: it carries the dataset, and installs and runs in a fresh venv
from a directory that is not the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, stale_files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: build with the hatchling already installed for the tests,
    # so this needs no network and takes seconds.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("adjuvant-*.whl")
    return found


@pytest.mark.slow  # builds the wheel
def test_wheel_contains_the_dataset_and_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "adjuvant_cli/data/monographs.toml" in names
    assert "adjuvant_cli/data/monographs.marshal" in names  # pre-validated by hatch_build.py
    assert "adjuvant_cli/data/adjuvant-dataset-2.schema.json" in names  # the #:schema directive's
    assert "adjuvant_cli/cli.py" in names
    assert "adjuvant_cli/render/terminal.py" in names
    for command in ("list", "show", "search", "compare", "conditions", "validate"):
        assert f"adjuvant_cli/schemas/output/{command}.schema.json" in names  # the JSON contract
    # The man page, as a data file: installed under <prefix>/share/man/man1.
    (man,) = [n for n in names if n.endswith(".data/data/share/man/man1/adjuvant.1")]
    assert zipfile.ZipFile(wheel).read(man) == (REPO / "man" / "adjuvant.1").read_bytes()
    packaged = zipfile.ZipFile(wheel).read("adjuvant_cli/data/monographs.toml")
    assert packaged == (REPO / "data" / "monographs.toml").read_bytes()
    # WHO's titles, the vocabulary search reads beyond the dataset's own
    who = zipfile.ZipFile(wheel).read("adjuvant_cli/data/who-icd10.tsv")
    assert who == (REPO / "data" / "who-icd10.tsv").read_bytes()


@pytest.mark.slow  # builds the wheel
def test_wheel_installs_and_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)], check=True, capture_output=True
    )
    # Only now let the new venv see this environment's typer, rich and tomli
    # (no network needed). Before the install, pip would have seen the copy of
    # adjuvant installed here and skipped the wheel. A .pth line lands after
    # the venv's own site-packages, so the wheel's copy wins (asserted below).
    site_dir = next((env_dir / "lib").glob("python*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site_dir / "test-deps.pth").write_text("\n".join(deps) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    who = subprocess.run(
        [env_dir / "bin" / "adjuvant", "search", "dorsalgia", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert json.loads(who.stdout)["result"]["meanings"][0]["read_as_code"] == "M54", who.stderr
    done = subprocess.run(
        [env_dir / "bin" / "adjuvant", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [d["drug_id"] for d in json.loads(done.stdout)["result"]["drugs"]] == [
        "baclofen",
        "diazepam",
        "tizanidine",
        "tofisopam",
    ]
    located = subprocess.run(
        [python, "-c", "import adjuvant_cli; print(adjuvant_cli.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    )
    assert str(env_dir) in located.stdout  # the wheel's copy ran, not the checkout's
    # The wheel's pre-validated dataset is fresh: a run without a cache parses nothing.
    cold = subprocess.run(
        [python, "-X", "importtime", "-m", "adjuvant_cli", "show", "baclofen", "--json"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**os.environ, "ADJUVANT_NO_CACHE": "1"},
        check=False,
    )
    assert cold.returncode == 0, cold.stderr
    imported = {line.split("|")[-1].strip() for line in cold.stderr.splitlines() if "|" in line}
    assert "adjuvant_cli.dataset.prebuilt" in imported
    assert "tomli" not in imported and "adjuvant_cli.dataset.building" not in imported


def test_the_freshness_check_sees_a_stale_copy_of_the_same_version(tmp_path: Path) -> None:
    source = REPO / "src" / "adjuvant_cli"
    data = REPO / "data" / "monographs.toml"
    copy = tmp_path / "adjuvant_cli"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    bundled = copy / "data" / "monographs.toml"
    bundled.parent.mkdir(exist_ok=True)
    shutil.copyfile(data, bundled)
    assert stale_files(source, copy, data, bundled) == []
    # One changed line, with __version__ untouched.
    (copy / "render" / "__init__.py").write_text((source / "render" / "__init__.py").read_text() + "\n# x\n")
    (copy / "leftover.py").write_text("")
    bundled.write_bytes(data.read_bytes() + b"\n")
    assert stale_files(source, copy, data, bundled) == [
        "leftover.py",
        "render/__init__.py",
        "the dataset (monographs.toml)",
    ]
    assert stale_files(source, copy, data, None) == [
        "leftover.py",
        "render/__init__.py",
        "the dataset (monographs.toml)",
    ]
