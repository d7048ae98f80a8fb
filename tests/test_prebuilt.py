"""The bundled dataset's pre-validated form (dataset/prebuilt.py): fresh,
used only while it matches the TOML byte for byte, and the reason a first run
or a run without a cache parses nothing."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adjuvant_cli.dataset import load_dataset, prebuilt
from adjuvant_cli.dataset.building import parse_dataset
from adjuvant_cli.model import Dataset

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_committed_prebuilt_dataset_is_fresh() -> None:
    toml = (DATA / "monographs.toml").read_bytes()
    parsed = parse_dataset(toml.decode("utf-8"), "bundled")
    assert prebuilt.load(DATA / prebuilt.NAME, toml) == parsed, "run scripts/prebuild_dataset.py"


def test_a_stale_prebuilt_dataset_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset: Dataset
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    toml = data / "monographs.toml"
    edited = toml.read_text(encoding="utf-8").replace('name = "Baclofen"', 'name = "Baclofen (edited)"', 1)
    toml.write_text(edited, encoding="utf-8")
    monkeypatch.setattr("adjuvant_cli.dataset.loading.bundled_path", lambda: toml)
    monkeypatch.setenv("ADJUVANT_NO_CACHE", "1")
    loaded = load_dataset()
    assert loaded.drugs_by_id["baclofen"].name == "Baclofen (edited)"
    assert dataset.drugs_by_id["baclofen"].name == "Baclofen"


def test_a_missing_or_corrupt_prebuilt_dataset_means_parsing(tmp_path: Path) -> None:
    toml = (DATA / "monographs.toml").read_bytes()
    assert prebuilt.load(tmp_path / "absent.marshal", toml) is None
    corrupt = tmp_path / "corrupt.marshal"
    corrupt.write_bytes(prebuilt.header(toml) + b"\x00not marshal")
    assert prebuilt.load(corrupt, toml) is None


def test_a_run_without_a_cache_parses_nothing(clean_env: dict[str, str]) -> None:
    env = {**clean_env, "ADJUVANT_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "adjuvant_cli", "show", "baclofen", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "tomli" not in imported
    assert "adjuvant_cli.dataset.building" not in imported
