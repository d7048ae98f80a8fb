"""The dataset store's own failure modes (store.py): a truncated file, a store
from another version or for another file, a row whose digest fails, two
processes building it at once. Each is ignored and rebuilt, never a reason
to fail and never a reason to show anything but the file's own data."""

from __future__ import annotations

import json
import marshal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cache, store
from adjuvant_cli.cli import app
from adjuvant_cli.dataset import SCHEMA_VERSION, load_dataset
from adjuvant_cli.model import Dataset

from .conftest import REPO, installed_adjuvant, load_as_a_run_does, whole


@pytest.fixture
def own(
    write_toml: Callable[[str], str], bundled_text: str, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The bundled dataset as a file of one's own (the bundled one never goes
    through the store), stored at once."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    return Path(write_toml(bundled_text))


def the_store(private_cache: Path) -> Path:
    (found,) = private_cache.glob("*.sqlite")
    return found


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the files parsed from now on."""
    from adjuvant_cli.dataset import building

    parsed: list[str] = []
    real = building.parse_dataset

    def counting(text: str, label: str) -> Dataset:
        parsed.append(label)
        return real(text, label)

    monkeypatch.setattr(building, "parse_dataset", counting)
    return parsed


def show_json(path: Path, name: str = "baclofen") -> str:
    result = CliRunner().invoke(app, ["--data", str(path), "show", name, "--json"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_stored_dataset_equals_the_file_and_parses_nothing(
    own: Path, private_cache: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert whole(load_as_a_run_does(str(own))) == dataset  # the first load builds the store
    assert the_store(private_cache).stat().st_mode & 0o777 == 0o600
    parsed = parses(monkeypatch)
    stored = load_as_a_run_does(str(own))
    assert stored.drug_index is not None  # read from the store, not parsed
    assert whole(stored) == dataset
    assert parsed == []


def test_a_truncated_store_is_ignored_and_rebuilt(
    own: Path, private_cache: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = show_json(own)
    path = the_store(private_cache)
    size = path.stat().st_size
    for keep in (0, 100, size // 2, size - store.PAGE_BYTES, size - 4096):  # on a page boundary and not
        with path.open("r+b") as handle:
            handle.truncate(keep)
        assert show_json(own) == expected, keep
        assert whole(load_as_a_run_does(str(own))) == dataset, keep
        assert the_store(private_cache).stat().st_size == size  # rebuilt whole


@pytest.mark.parametrize("what", ["format", "source"])
def test_a_store_of_another_version_or_file_is_not_read(
    what: str, own: Path, private_cache: Path, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = show_json(own)
    with sqlite3.connect(the_store(private_cache)) as connection:
        if what == "format":
            connection.execute("UPDATE header SET format = 'adjuvant-dataset-store 0'")
        else:
            connection.execute("UPDATE header SET source = source || ' '")
        connection.execute("UPDATE drugs SET body = ?, digest = ? WHERE id = 'baclofen'", forged())
    connection.close()
    parsed = parses(monkeypatch)
    assert show_json(own) == expected  # the forged row is never read
    assert len(parsed) == 1
    parsed.clear()
    assert show_json(own) == expected  # and the store was rebuilt
    assert parsed == []


def forged() -> tuple[bytes, bytes]:
    """A baclofen row that decodes and carries a digest of its own body."""
    from adjuvant_cli.records import drug_to_plain

    baclofen = load_dataset(use_cache=False).drugs_by_id["baclofen"]._replace(name="Forged")
    body = marshal.dumps(drug_to_plain(baclofen))
    return body, store._digest(body)


def test_a_row_whose_digest_fails_is_never_shown(
    own: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = show_json(own)
    body, _ = forged()
    with sqlite3.connect(the_store(private_cache)) as connection:
        (digest,) = connection.execute("SELECT digest FROM drugs WHERE id = 'baclofen'").fetchone()
        connection.execute("UPDATE drugs SET body = ? WHERE id = 'baclofen'", (body,))
    connection.close()
    parsed = parses(monkeypatch)
    assert "Forged" not in show_json(own)
    assert show_json(own) == expected
    assert len(parsed) == 1  # read again from the file once, and the store rebuilt
    with sqlite3.connect(the_store(private_cache)) as connection:
        assert connection.execute("SELECT digest FROM drugs WHERE id = 'baclofen'").fetchone() == (digest,)
    connection.close()


def test_a_row_broken_while_a_search_reads_it_falls_back_to_the_file(
    own: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def search(env: dict[str, str]) -> str:
        result = CliRunner().invoke(app, ["--data", str(own), "search", "spasticity", "--json"], env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    expected = search({"ADJUVANT_NO_CACHE": "1"})
    assert search({}) == expected  # builds the store
    body, _ = forged()
    with sqlite3.connect(the_store(private_cache)) as connection:
        connection.execute("UPDATE drugs SET body = ? WHERE id = 'baclofen'", (body,))
    connection.close()
    assert search({}) == expected


def test_two_processes_building_at_once_both_answer_and_leave_one_sound_store(
    clean_env: dict[str, str], own: Path, private_cache: Path, dataset: Dataset
) -> None:
    time.sleep(2.1)  # past the racy window (cache.RACY_NS), which the processes keep

    def one_run(_: int) -> tuple[int, str]:
        done = subprocess.run(
            [installed_adjuvant(), "--data", str(own), "search", "spasticity", "--json"],
            env=clean_env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one_run, range(4)))
    assert {code for code, _ in results} == {0}
    assert len({out for _, out in results}) == 1
    assert [p.name for p in private_cache.iterdir() if p.suffix != ".sqlite"] == []
    key = cache.file_key(own.stat(), SCHEMA_VERSION)
    stored = store.load(key, private_cache, False, lambda: pytest.fail("the store put in place is broken"))
    assert stored is not None
    assert whole(stored) == dataset


# A run of the entry point with the bundled dataset at argv[1]; the modules it
# imported, as the last line of stderr.
BUNDLED_PROBE = """
import json, pathlib, sys
import adjuvant_cli.dataset.loading as loading
bundled = pathlib.Path(sys.argv[1])
loading.bundled_path = lambda: bundled
sys.argv = ["adjuvant", *json.loads(sys.argv[2])]
from adjuvant_cli.__main__ import main
try:
    main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""


@pytest.mark.parametrize("args", [["show", "baclofen", "--json"], ["search", "spasticity", "--json"]])
def test_a_bundled_lookup_opens_no_store_and_imports_no_sqlite(
    args: list[str], clean_env: dict[str, str], private_cache: Path, tmp_path: Path
) -> None:
    """Four drugs load whole from their pre-validated form faster than sqlite3
    imports (benchmarks/README.md): the bundled dataset, as the wheel installs
    it, never goes through the store."""
    from adjuvant_cli.dataset import prebuilt
    from adjuvant_cli.dataset.building import parse_dataset

    bundled = tmp_path / "bundled" / "monographs.toml"
    bundled.parent.mkdir()
    toml = (REPO / "data" / "monographs.toml").read_bytes()
    bundled.write_bytes(toml)
    bundled.with_name(prebuilt.NAME).write_bytes(prebuilt.dump(parse_dataset(toml.decode(), "bundled"), toml))
    env = {k: v for k, v in clean_env.items() if k != "ADJUVANT_DATA"}
    python = str(Path(installed_adjuvant()).parent / "python")
    done = subprocess.run(
        [python, "-c", BUNDLED_PROBE, str(bundled), json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stderr.splitlines()[-1]))
    assert "adjuvant_cli.dataset" in modules
    assert not {m for m in modules if m == "sqlite3" or m.startswith(("sqlite3.", "_sqlite3"))}
    assert "adjuvant_cli.store" not in modules
    assert list(private_cache.iterdir()) == []


def test_a_name_row_whose_digest_fails_never_opens_another_drug(own: Path, private_cache: Path) -> None:
    expected = show_json(own, "lioresal")
    with sqlite3.connect(the_store(private_cache)) as connection:
        connection.execute("UPDATE names SET drug = 'diazepam' WHERE name = 'lioresal'")
    connection.close()
    assert show_json(own, "lioresal") == expected


def test_a_key_row_whose_digest_fails_never_hides_a_drug(own: Path, private_cache: Path) -> None:
    def search() -> str:
        # "MS" reaches its drugs through the condition's key alone (no indication says "MS").
        result = CliRunner().invoke(app, ["--data", str(own), "search", "MS", "--json"])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    expected = search()
    assert "tizanidine" in expected
    with sqlite3.connect(the_store(private_cache)) as connection:
        connection.execute(
            "UPDATE keys SET positions = ? WHERE key = 'c:multiple-sclerosis'", (marshal.dumps(()),)
        )
    connection.close()
    assert search() == expected
