"""A lookup reads only what it shows (issue 21): on synthetic formularies of
100 and 1,000 drugs (benchmarks/make_dataset.py), a `show` and a search whose
answer holds at most 10 drugs read the same number of store rows. Growth is
counted, never timed: the SQL statements (sqlite3's trace callback), the
virtual machine's steps (its progress handler, one call per step: a scan is
as many steps as rows) and the rows decoded (drugs and index keys)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cache, store
from adjuvant_cli.cli import app

from .conftest import REPO

# Deselected by default (it writes and loads formularies of 100 and 1,000
# drugs, ~20 s); CI runs it.
pytestmark = pytest.mark.slow

SIZES = (100, 1000)


def drug_name(index: int) -> str:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from make_dataset import drug_name as name
    finally:
        sys.path.pop(0)
    return str(name(index))


@pytest.fixture(scope="module")
def formularies(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    directory = tmp_path_factory.mktemp("formularies")
    files = {}
    for size in SIZES:
        files[size] = directory / f"formulary-{size}.toml"
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "make_dataset.py"), str(size), str(files[size])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return files


class Reads(NamedTuple):
    statements: int
    steps: int
    decoded_rows: int  # drugs and index keys, each checked against its digest


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every store connection traced: the statements, its steps, the drug rows decoded."""
    log: list[str] = []
    real_connect = sqlite3.connect
    real_decoded = store._decoded

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = real_connect(*args, **kwargs)
        connection.set_trace_callback(lambda sql: log.append(f"sql {sql}"))

        def step() -> int:
            log.append("step")
            return 0

        connection.set_progress_handler(step, 1)
        return connection

    def decoded(body: bytes, digest: bytes, salt: bytes = b"") -> Any:
        log.append("row")
        return real_decoded(body, digest, salt)

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(store, "_decoded", decoded)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    yield log


def reads(log: list[str], path: Path, args: list[str]) -> tuple[Reads, dict[str, Any]]:
    runner = CliRunner()
    assert runner.invoke(app, ["--data", str(path), "list", "--json"]).exit_code == 0  # builds the store
    log.clear()
    result = runner.invoke(app, ["--data", str(path), *args, "--json"])
    assert result.exit_code in (0, 1), result.stderr
    counts = Reads(sum(line.startswith("sql ") for line in log), log.count("step"), log.count("row"))
    assert counts.statements, "the store was not read"
    return counts, json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["show", drug_name(0)],
        ["show", drug_name(42)],
        ["show", drug_name(42)[:-1]],  # a unique prefix: only the names sharing it are read
        ["search", "coccygodynia"],  # the five drugs that link it, at any size
        ["search", "coccygodynia", "--all"],
        ["search", "M53.3"],
        ["search", "Sacrococcygeal disorders, not elsewhere classified"],  # its WHO title
        ["search", "zqxjv"],  # nothing found: suggestions
    ],
    ids=" ".join,
)
def test_a_lookup_reads_as_many_rows_at_1000_drugs_as_at_100(
    args: list[str], formularies: dict[int, Path], counted: list[str]
) -> None:
    small, small_output = reads(counted, formularies[100], args)
    large, large_output = reads(counted, formularies[1000], args)
    assert large == small
    if args[0] == "search":
        hits = small_output["result"]["hits"]
        assert len({h["drug_id"] for h in hits}) <= 10
        assert large_output["result"]["hits"] == hits
    else:
        assert large_output["result"]["drug"] == small_output["result"]["drug"]


def test_a_search_with_many_hits_reads_more_at_1000_drugs(
    formularies: dict[int, Path], counted: list[str]
) -> None:
    """The counting sees growth when there is some: "spasm" stands in
    hundreds of indications."""
    small, _ = reads(counted, formularies[100], ["search", "spasm"])
    large, _ = reads(counted, formularies[1000], ["search", "spasm"])
    assert large.decoded_rows > 5 * small.decoded_rows
    # The drugs are read in batches (store.Store.drugs_at), not a statement each.
    assert large.statements < small.statements + 5
