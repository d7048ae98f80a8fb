"""Arguments as people type them: a brand name in two words, a three-letter
prefix, global options after the command (the later one winning), and what
--version says."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from adjuvant_cli import BUNDLED_REVIEWED, BUNDLED_TITLE
from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset

from .conftest import REPO

SMALL = str(REPO / "tests" / "fixtures" / "small.toml")
BUNDLED = str(REPO / "data" / "monographs.toml")
SMALL_DRUGS = ["alphalofen", "betazepam"]
BUNDLED_DRUGS = ["baclofen", "diazepam", "tizanidine", "tofisopam"]


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def listed(*args: str, env: dict[str, str] | None = None) -> list[str]:
    code, out, err = invoke("list", "--json", *args, env=env)
    assert code == 0, err
    return [d["drug_id"] for d in json.loads(out)["result"]["drugs"]]


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
    assert f"no drug named '{typed}'. Did you mean: {drug}" in err
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


@pytest.mark.parametrize(("before", "after"), [(SMALL, BUNDLED), (BUNDLED, SMALL)])
def test_a_global_option_after_the_command_wins_over_one_before_it(before: str, after: str) -> None:
    expected = SMALL_DRUGS if after == SMALL else BUNDLED_DRUGS
    code, out, err = invoke("--data", before, "list", "--json", "--data", after)
    assert code == 0, err
    assert [d["drug_id"] for d in json.loads(out)["result"]["drugs"]] == expected


@pytest.mark.parametrize("args", [["--data", SMALL], ["--data", "missing.toml", "--data", SMALL]])
def test_data_wins_over_adjuvant_data_before_or_after_the_command(args: list[str]) -> None:
    env = {"ADJUVANT_DATA": BUNDLED}
    assert listed(*args, env=env) == SMALL_DRUGS  # after the command
    code, out, err = invoke(*args, "list", "--json", env=env)  # before it
    assert code == 0, err
    assert [d["drug_id"] for d in json.loads(out)["result"]["drugs"]] == SMALL_DRUGS
    assert listed(env=env) == BUNDLED_DRUGS  # alone, the variable counts


@pytest.mark.parametrize(
    ("before", "after", "coloured"), [("never", "always", True), ("always", "never", False)]
)
def test_color_after_the_command_wins_over_color_before_it(before: str, after: str, coloured: bool) -> None:
    code, out, err = invoke("--color", before, "show", "baclofen", "-s", "onset", "--color", after)
    assert code == 0, err
    assert ("\x1b[" in out) is coloured


@pytest.mark.parametrize("args", [["--data="], ["--data", ""]])
def test_an_empty_data_option_is_a_usage_error_after_the_command_too(args: list[str]) -> None:
    code, out, err = invoke("list", *args)
    assert (code, out) == (2, "")
    assert "--data needs a path" in err


def test_version_names_the_bundled_dataset(dataset: Dataset) -> None:
    code, out, _ = invoke("--version")
    assert code == 0
    assert out.splitlines()[1] == f"bundled dataset: “{BUNDLED_TITLE}”, last reviewed {BUNDLED_REVIEWED}"
    # The constants are true of the bundled dataset (read here, never by --version).
    source = dataset.source
    assert (source.title, source.last_reviewed.isoformat()) == (BUNDLED_TITLE, BUNDLED_REVIEWED)
