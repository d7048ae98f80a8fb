"""Arguments as people type them: a brand name in two words, a three-letter
prefix, global options after the command, and what --version says."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli import BUNDLED_REVIEWED, BUNDLED_TITLE
from adjuvant_cli.cli import app, hoist_global_options
from adjuvant_cli.model import Dataset

from .conftest import REPO

SMALL = str(REPO / "tests" / "fixtures" / "small.toml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_joins_its_words_as_search_does() -> None:
    code, out, _ = invoke("show", "sirdalud", "mr", "--json")
    assert code == 0
    resolved = json.loads(out)["result"]["resolved"]
    assert (resolved["drug_id"], resolved["matched_name"]) == ("tizanidine", "Sirdalud MR")


@pytest.mark.parametrize(
    ("typed", "drug"), [("bac", "Baclofen"), ("tiz", "Tizanidine"), ("TOF", "Tofisopam")]
)
def test_a_unique_three_letter_prefix_is_offered_never_opened(typed: str, drug: str) -> None:
    code, out, err = invoke("show", typed)
    assert (code, out) == (1, "")
    assert f"no drug named “{typed}”. Did you mean: {drug}" in err
    assert err.count(drug) == 1


def test_a_two_letter_or_shared_prefix_gets_no_prefix_offer() -> None:
    assert "Did you mean" not in invoke("show", "di")[2]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--data", SMALL, "--json"],
        ["list", f"--data={SMALL}", "--json"],
        ["list", "--json", "--data", SMALL],
        ["--data", SMALL, "list", "--json"],
    ],
)
def test_global_options_work_after_the_command_too(args: list[str]) -> None:
    code, out, err = invoke(*args)
    assert code == 0, err
    assert [d["drug_id"] for d in json.loads(out)["result"]["drugs"]] == ["alphalofen", "betazepam"]


def test_nothing_after_double_dash_is_an_option() -> None:
    # "--data" after "--" is the query, not the option.
    code, out, _ = invoke("search", "--json", "--", "--data", SMALL)
    assert json.loads(out)["result"]["query"] == f"--data {SMALL}"
    assert code == 1


@given(st.lists(st.sampled_from(["show", "x", "--data", "f", "--data=g", "--", "-s", "y"]), max_size=8))
def test_hoisting_keeps_every_argument_and_the_order_of_the_rest(args: list[str]) -> None:
    moved = hoist_global_options(args)
    assert sorted(moved) == sorted(args)
    if "--" in args:
        assert moved[moved.index("--") :] == args[args.index("--") :]


def test_version_names_the_bundled_dataset(dataset: Dataset) -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.splitlines()[1] == f"bundled dataset: “{BUNDLED_TITLE}”, last reviewed {BUNDLED_REVIEWED}"
    # The constants are true of the bundled dataset (read here, never by --version).
    source = dataset.source
    assert (source.title, source.last_reviewed.isoformat()) == (BUNDLED_TITLE, BUNDLED_REVIEWED)
