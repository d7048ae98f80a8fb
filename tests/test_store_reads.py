"""What a lookup reads from the store (issue 21), counted: a name by its
prefix reads the names sharing it, never all of them; a search reads its
drugs in one statement and decodes each once; and the index the first load
writes holds every key a drug is found by, the review state included."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cache, store
from adjuvant_cli.cli import app
from adjuvant_cli.model import Caveat, Dataset, Statement
from adjuvant_cli.names import complete_names, resolve_drug
from adjuvant_cli.records import index_keys, postings

from .conftest import load_as_a_run_does


@pytest.fixture
def own(
    write_toml: Callable[[str], str], bundled_text: str, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The bundled dataset as a file of one's own, its store built."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    path = Path(write_toml(bundled_text))
    load_as_a_run_does(str(path))
    return path


@pytest.fixture
def stored(own: Path) -> Dataset:
    dataset = load_as_a_run_does(str(own))
    assert dataset.drug_index is not None
    return dataset


def forbid_reading_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every name or every drug of the store fails the test."""

    def everything(self: store.Store) -> Any:
        raise AssertionError("read every row")

    monkeypatch.setattr(store.Store, "names", everything)
    monkeypatch.setattr(store.Store, "all_drugs", everything)


def test_a_unique_prefix_reads_only_the_names_sharing_it(
    stored: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_reading_everything(monkeypatch)
    resolution = resolve_drug(stored, "Bacl")
    assert (resolution.drug.id, resolution.match) == ("baclofen", "prefix")


def test_completion_reads_only_the_names_sharing_the_prefix(
    stored: Dataset, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefixes = {name[:length] for name in dataset.name_index for length in (1, 2, 4)}
    expected = {prefix: complete_names(dataset, prefix) for prefix in prefixes}
    forbid_reading_everything(monkeypatch)
    assert complete_names(stored, "ba") == ["baclofen", "baklosan"]
    assert {prefix: complete_names(stored, prefix) for prefix in prefixes} == expected


def test_show_by_prefix_through_the_cli_reads_no_other_names(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_reading_everything(monkeypatch)
    result = CliRunner().invoke(app, ["--data", str(own), "show", "tiza", "--json"])
    assert result.exit_code == 0, result.stderr
    resolved = json.loads(result.stdout)["result"]["resolved"]
    assert (resolved["drug_id"], resolved["match"]) == ("tizanidine", "prefix")


def test_a_search_reads_its_drugs_in_one_statement_and_decodes_each_once(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    decoded: list[bytes] = []
    real_connect, real_drug = sqlite3.connect, store.Store._drug

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = real_connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    def drug(self: store.Store, body: bytes, digest: bytes) -> Any:
        decoded.append(digest)
        return real_drug(self, body, digest)

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(store.Store, "_drug", drug)
    result = CliRunner().invoke(app, ["--data", str(own), "search", "muscle", "--all", "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('"drug_id"') > 3  # several drugs, several hits each
    by_position = [s for s in statements if "FROM drugs WHERE position" in s]
    assert len(by_position) == 1
    assert len(decoded) == len(set(decoded)) > 1


def test_drugs_asked_for_again_are_not_read_again(
    stored: Dataset, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = stored.drug_index
    assert isinstance(index, store.Store)
    ids = [d.id for d in dataset.drugs]
    first = index.drugs_at([2, 0])
    assert [d.id for d in first] == [ids[0], ids[2]]
    monkeypatch.setattr(store.Store, "_rows", lambda *args: pytest.fail("read again"))
    assert index.drugs_at([0, 2]) == first


def test_the_index_holds_every_key_of_every_drug(dataset: Dataset) -> None:
    """postings (what the first load writes) is index_keys (one drug's keys)
    inverted: each text and word stemmed once must find what a pass over
    every drug finds; a link left to review included."""
    unreviewed = dataset.drugs[1]._replace(
        indications=tuple(
            i._replace(links=tuple(k._replace(reviewed=False) for k in i.links))
            for i in dataset.drugs[1].indications
        )
    )
    # Statements and caveats that end and begin with a letter: gathered per
    # drug, their words must stay apart ("muscle", "spasm", never "musclespasm").
    run_on = dataset.drugs[0]._replace(
        mechanism=(Statement("relaxes muscle", "x/1"),),
        actions=(Statement("eases tone", "x/2", context="within days"),),
        onset=(),
        caveats=(Caveat("c1", "Spasm returns"),),
    )
    drugs = (*dataset.drugs, unreviewed, run_on)
    labels = {e.id: e.label for e in dataset.effects}
    inverted: dict[str, list[int]] = {}
    for position, drug in enumerate(drugs):
        for key in index_keys(drug, labels):
            inverted.setdefault(key, []).append(position)
    assert postings(drugs, labels) == {key: tuple(found) for key, found in inverted.items()}
    assert postings(drugs, labels)["r:unreviewed"] == (len(drugs) - 2,)
    assert len(drugs) - 1 in postings(drugs, labels)["a:spasm"]


def test_a_stored_dataset_says_what_is_left_to_review(
    write_toml: Callable[[str], str], bundled_text: str, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link left to review is said on every lookup, from the store as from
    the file: an unreviewed dataset must not pass for a reviewed one."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    target = '{ condition = "spasticity", role = "target" }'
    assert target in bundled_text
    path = write_toml(bundled_text.replace(target, target[:-2] + ", reviewed = false }", 1))
    runs = [CliRunner().invoke(app, ["--data", path, "show", "baclofen"]) for _ in range(2)]
    assert load_as_a_run_does(path).drug_index is not None  # the second run read the store
    for result in runs:
        assert result.exit_code == 0, result.stderr
        assert "1 link whose role is not reviewed" in result.stderr


def test_the_store_is_written_in_large_pages(own: Path, private_cache: Path) -> None:
    """A formulary's drug row (3.5 KB in benchmarks/make_dataset.py's) fits a
    page: no overflow chain to write or to read."""
    (path,) = private_cache.glob("*.sqlite")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA page_size").fetchone() == (store.PAGE_BYTES,)
    connection.close()


def _chain_under_spasticity(bundled_text: str, count: int) -> str:
    """The bundled dataset with a chain of `count` conditions under spasticity,
    each inside the one before (benchmarks/make_conditions.py's chain)."""
    chain = "".join(
        f'[[conditions]]\nid = "zc-{n}"\nlabel = "Synthetic condition {n:05d}"\n'
        f'no_code_reason = "Synthetic."\nbroader = ["{"spasticity" if n == 0 else f"zc-{n - 1}"}"]\n\n'
        for n in range(count)
    )
    return bundled_text.replace("[[umbrellas]]", chain + "[[umbrellas]]", 1)


@pytest.mark.parametrize("count", [300, 1_200])
def test_a_search_reaching_a_chain_of_conditions_reads_their_keys_together(
    write_toml: Callable[[str], str],
    bundled_text: str,
    private_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    count: int,
) -> None:
    # Spasticity reaches every condition of the chain: one statement per
    # condition would read the index `count` times.
    monkeypatch.setattr(cache, "RACY_NS", 0)
    path = write_toml(_chain_under_spasticity(bundled_text, count))
    load_as_a_run_does(path)
    statements: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = real_connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    result = CliRunner().invoke(app, ["--data", path, "search", "spasticity", "--json"])
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)["result"]["hits"]
    assert {h["drug_id"] for h in hits} == {"baclofen", "tizanidine", "diazepam"}
    assert len(statements) <= 10 + count // 256  # the keys in batches of 256, not one per condition
