"""The dataset store, as a cache: used when the file is unchanged, never
trusted otherwise, and never a reason to fail."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cache, store
from adjuvant_cli.cli import app
from adjuvant_cli.dataset import SCHEMA_VERSION
from adjuvant_cli.model import Dataset, Role
from adjuvant_cli.options import read_environment
from adjuvant_cli.records import from_plain, to_plain

from .conftest import REPO, installed_adjuvant, load_as_a_run_does, whole

# The cache is exercised on the bundled file, given as one's own dataset.
DATASET = REPO / "data" / "monographs.toml"


@pytest.fixture
def clean_env(clean_env: dict[str, str]) -> dict[str, str]:
    return {**clean_env, "ADJUVANT_DATA": str(DATASET)}


def refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, label: str) -> Dataset:
        raise AssertionError("parsed although the cache should have answered")

    monkeypatch.setattr("adjuvant_cli.dataset.building.parse_dataset", fail)


def shape(value: object) -> object:
    """`value` with the type of every part spelled out: a NamedTuple equals a
    plain tuple of the same items, so == alone cannot see a lost record type."""
    if isinstance(value, tuple):
        return (type(value), tuple(shape(item) for item in value))
    if isinstance(value, Mapping):
        return (type(value), tuple((key, shape(item)) for key, item in value.items()))
    return (type(value), value)


def test_round_trip_gives_an_equal_dataset_of_the_same_types(dataset: Dataset) -> None:
    decoded = from_plain(marshal.loads(marshal.dumps(to_plain(dataset))))
    assert decoded == dataset
    assert shape(decoded) == shape(dataset)
    # Equal is not enough: a StrEnum equals its string, a role must come back a Role.
    links = [link for drug in decoded.drugs for i in drug.indications for link in i.links]
    assert links and all(type(link.role) is Role for link in links)


COMMANDS = [
    ["list"],
    ["show", "baclofen"],
    ["show", "diazepam", "--corrections"],
    ["show", "Sirdalud", "-s", "indications", "-s", "onset"],
    ["search", "ms"],
    ["search", "--all", "anxiety"],
    ["search", "spastisity"],  # no hit: suggestions, exit 1
    ["compare"],
    ["compare", "baclofen", "tizanidine"],
    ["conditions"],
    ["conditions", "scler"],
    ["show", "valum"],  # not found: suggestions on stderr, exit 1
]
FORMATS = [["--format", "terminal"], ["--format", "json"], ["--format", "markdown"]]


def test_every_command_says_the_same_from_the_cache(
    runner: CliRunner, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `validate` is left out: it never reads the cache (see below).
    def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        result = runner.invoke(app, args, env={"COLUMNS": "100", **env})
        return result.exit_code, result.stdout, result.stderr

    cases = [command + fmt for command in COMMANDS for fmt in FORMATS]
    uncached = {tuple(args): run(args, {"ADJUVANT_NO_CACHE": "1"}) for args in cases}
    assert list(private_cache.glob("*.sqlite")) == []
    run(["list"], {})  # fills the cache
    refuse_parsing(monkeypatch)
    for args in cases:
        assert run(args, {}) == uncached[tuple(args)], args


def test_a_second_load_comes_from_the_cache(
    private_cache: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert whole(load_as_a_run_does(str(DATASET))) == dataset
    assert len(list(private_cache.glob("*.sqlite"))) == 1
    refuse_parsing(monkeypatch)
    assert whole(load_as_a_run_does(str(DATASET))) == dataset


def test_a_changed_file_is_parsed_again(
    write_toml: Callable[[str], str], bundled_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_toml(bundled_text)
    assert load_as_a_run_does(path).drugs[0].name == "Baclofen"
    Path(path).write_text(bundled_text.replace('name = "Baclofen"', 'name = "Baclofene"'), encoding="utf-8")
    assert load_as_a_run_does(path).drugs[0].name == "Baclofene"


def test_a_corrupt_cache_is_ignored_and_rewritten(private_cache: Path, dataset: Dataset) -> None:
    load_as_a_run_does(str(DATASET))
    (cache_file,) = private_cache.glob("*.sqlite")
    for garbage in (b"", b"\x00garbage", cache_file.read_bytes()[:100]):
        cache_file.write_bytes(garbage)
        assert whole(load_as_a_run_does(str(DATASET))) == dataset
    key = cache.file_key(cache_file.stat(), SCHEMA_VERSION)
    assert store.load(key, private_cache, False, lambda: dataset) is None  # another file's key never matches
    assert cache_file.stat().st_size > 1000  # rewritten in full


@pytest.mark.parametrize(
    "setting",
    [
        {"ADJUVANT_NO_CACHE": "1"},
        {"ADJUVANT_CACHE_DIR": "", "XDG_CACHE_HOME": "", "HOME": ""},  # no home at all
    ],
)
def test_no_cache_when_off_or_homeless(
    setting: dict[str, str], monkeypatch: pytest.MonkeyPatch, dataset: Dataset
) -> None:
    for name, value in setting.items():
        if value:
            monkeypatch.setenv(name, value)
        else:
            monkeypatch.delenv(name, raising=False)
    assert read_environment(os.environ).cache_dir is None
    assert whole(load_as_a_run_does(str(DATASET))) == dataset


def test_an_unwritable_cache_directory_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dataset: Dataset
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ADJUVANT_CACHE_DIR", str(blocker / "cache"))  # mkdir fails even for root
    assert whole(load_as_a_run_does(str(DATASET))) == dataset
    assert whole(load_as_a_run_does(str(DATASET))) == dataset


def test_validate_never_answers_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from adjuvant_cli.dataset.validating import validate_dataset

    load_as_a_run_does(str(DATASET))
    monkeypatch.setattr(store, "load", lambda *key: pytest.fail("validate consulted the store"))
    assert validate_dataset().valid


def test_parallel_first_runs_all_work_and_agree(clean_env: dict[str, str], tmp_path: Path) -> None:
    env = {**clean_env, "ADJUVANT_CACHE_DIR": str(tmp_path / "fresh-cache")}

    def one_run(_: int) -> tuple[int, str]:
        done = subprocess.run(
            [installed_adjuvant(), "search", "spasticity", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one_run, range(8)))
    assert {code for code, _ in results} == {0}
    assert len({out for _, out in results}) == 1
    # All three treat spasticity itself (target): equal rank, so by name.
    assert [h["drug_id"] for h in json.loads(results[0][1])["result"]["hits"]] == [
        "baclofen",
        "diazepam",
        "tizanidine",
    ]
    leftovers = [p.name for p in (tmp_path / "fresh-cache").iterdir() if p.suffix != ".sqlite"]
    assert leftovers == []  # no temporary file left behind
    assert list((tmp_path / "fresh-cache").glob("*.sqlite"))
