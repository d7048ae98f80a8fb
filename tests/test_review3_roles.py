"""A third independent pharmacist review: roles, headings and compare, each
finding as a user sees it through the real CLI, written from the article and
FACTS.md (§1–§4d), never from output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def _cli(*args: str) -> str:
    done = runner.invoke(app, list(args), env=ENV)
    return done.stdout


def _search(query: str) -> dict[str, Any]:
    done = runner.invoke(app, ["search", "--json", "--", query], env=ENV)
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    return result


def _counted(result: dict[str, Any]) -> dict[str, set[str]]:
    """Drug id -> the tiers it is counted in."""
    tiers: dict[str, set[str]] = {}
    for hit in result["hits"]:
        tiers.setdefault(hit["drug_id"], set()).add(hit["tier"])
    return tiers


# Row 2: FACTS §4 gives meningitis's own codes as G00–G03, A39.0, A87, A17.0;
# each category of that run is meningitis (WHO: bacterial meningitis, meningitis
# in bacterial/other infectious diseases, due to other causes), so a query for
# one is meningitis, a setting of baclofen's spasticity (§4a), counted.
# Tetanus (A33–A35) and rheumatoid arthritis (M05–M06) are listed the same way.
@pytest.mark.parametrize(
    ("query", "drugs"),
    [
        ("bacterial meningitis", {"baclofen"}),
        ("G00", {"baclofen"}),
        ("G03", {"baclofen"}),
        ("A87", {"baclofen"}),
        ("A17.0", {"baclofen"}),
        ("A35", {"diazepam"}),
        ("M05", {"diazepam"}),
    ],
)
def test_a_condition_s_own_code_is_the_condition(query: str, drugs: set[str]) -> None:
    result = _search(query)
    assert set(_counted(result)) == drugs, query
    assert "itself" not in _cli("search", "--", query)


def _compare(*drugs: str) -> dict[str, Any]:
    done = runner.invoke(app, ["compare", "--json", *drugs], env=ENV)
    groups: dict[str, Any] = json.loads(done.stdout)["result"]["condition_groups"]
    return groups


def _row(groups: dict[str, Any], condition_id: str) -> tuple[str, dict[str, Any]]:
    return next(
        (name, row) for name, rows in groups.items() for row in rows if row["condition_id"] == condition_id
    )


# Row 4: diazepam's article names anxiety disorders, not neurosis; anxiety
# disorders lie inside neurosis (FACTS §4, §4c). A use for the narrower
# condition is never a use for the broader one: neurosis is named for
# tofisopam only, and diazepam's cell says it is for the narrower condition.
# Likewise tizanidine names sequelae of stroke (inside stroke), not stroke.
@pytest.mark.parametrize(
    ("drugs", "condition_id", "narrower_drug", "via"),
    [
        (("diazepam", "tofisopam"), "neurosis", "diazepam", "anxiety-disorders"),
        (("baclofen", "tizanidine"), "stroke", "tizanidine", "sequelae-of-stroke"),
    ],
)
def test_a_narrower_use_is_not_named_for_the_broader_row(
    drugs: tuple[str, str], condition_id: str, narrower_drug: str, via: str
) -> None:
    group, row = _row(_compare(*drugs), condition_id)
    assert group == "unique", group
    cell = row["by_drug"][narrower_drug]
    assert cell["via_condition_id"] == via and cell["counted"] is False
    assert "narrower" in cell["text"]


def test_compare_text_never_lists_neurosis_as_named_for_diazepam() -> None:
    out = _cli("compare", "diazepam", "tofisopam")
    assert "Named for all compared drugs\tNeurosis\t" not in out
    line = next(line for line in out.splitlines() if "\tNeurosis\t" in line)
    assert "narrower" in line.split("\t")[3]  # diazepam's cell


def test_conditions_neurosis_says_diazepam_is_for_the_narrower_condition() -> None:
    line = next(line for line in _cli("conditions", "neurosis").splitlines() if line.startswith("Neurosis\t"))
    diazepam = line.split("Diazepam (", 1)[1]
    assert diazepam.startswith("only for a narrower condition") and "Anxiety disorders" in diazepam
    done = runner.invoke(app, ["conditions", "--json", "neurosis"], env=ENV)
    entry = next(
        e for e in json.loads(done.stdout)["result"]["conditions"] if e["condition_id"] == "neurosis"
    )
    use = next(u for u in entry["uses"] if u["drug_id"] == "diazepam")
    assert use["counted"] is False


# Row 3: tizanidine treats painful muscle spasm after surgery; disc herniation
# and hip osteoarthritis are examples of the operation (FACTS §2 reading, §4a).
# Wherever they are shown, the postoperative state stays with them.
def test_tizanidine_s_surgical_examples_keep_the_postoperative_state() -> None:
    out = _cli("compare", "baclofen", "tizanidine")
    for label in ("Hip osteoarthritis", "Intervertebral disc herniation"):
        line = next(line for line in out.splitlines() if f"\t{label}\t" in line)
        assert "Postoperative state" in line.split("\t")[-1], line
    spasm = next(line for line in out.splitlines() if "\tMuscle spasm\t" in line).split("\t")[-1]
    assert "Postoperative state (e.g. Intervertebral disc herniation, Hip osteoarthritis)" in spasm
    assert "Postoperative state, Intervertebral disc herniation" not in spasm
    index = _cli("conditions", "hip osteoarthritis")
    line = next(line for line in index.splitlines() if line.startswith("Hip osteoarthritis\t"))
    assert (
        "Tizanidine (example setting for Painful muscle spasms (an example of Postoperative state))" in line
    )


# Row 5: headings are by target, never by setting (FACTS §4a). In "neck spasm"
# spasm is what tizanidine treats; neck pain and disc herniation are settings by
# example: no heading may say it treats a condition under "Neck".
@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_a_setting_reached_by_an_umbrella_never_heads_what_is_treated(fmt: str) -> None:
    out = _cli("search", "-f", fmt, "neck spasm")
    assert "Tizanidine" in out
    assert "Treats a condition under" not in out
    assert "Treats it" in out
    # Where the umbrella does reach what is treated, the heading still says so.
    assert "Treats a condition under “Pregnancy”" in _cli("search", "-f", fmt, "pregnancy")


# Row 9: `conditions NAME` reads a name as search does: a query whose words are
# a whole WHO title means that code (FACTS §4c: "epilepsy" is G40, epileptic seizures).
@pytest.mark.parametrize(
    ("typed", "label"), [("epilepsy", "Epileptic seizures"), ("Epilepsy", "Epileptic seizures")]
)
def test_conditions_finds_a_condition_by_its_who_title(typed: str, label: str) -> None:
    done = runner.invoke(app, ["conditions", typed], env=ENV)
    assert done.exit_code == 0, done.stderr
    assert any(line.startswith(f"{label}\t") for line in done.stdout.splitlines())
    document = json.loads(runner.invoke(app, ["conditions", "--json", typed], env=ENV).stdout)
    assert "epileptic-seizures" in [c["condition_id"] for c in document["result"]["conditions"]]


# Row 25: FACTS §3: wherever a brand resolves, say when its form is not the
# monograph's (intrathecal baclofen is dosed in micrograms). `list` keeps it as `show` does.
@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_list_keeps_a_brand_s_form_warning(fmt: str) -> None:
    line = next(line for line in _cli("list", "-f", fmt).splitlines() if "Baclofen" in line)
    assert "Gablofen (intrathecal injection)" in line
    assert "not described here" in line
    tofisopam = next(line for line in _cli("list", "-f", fmt).splitlines() if "Tofisopam" in line)
    assert "not described" not in tofisopam  # Grandaxin: tablets, as the monograph


# Row 11: FACTS §1: the source says nothing on use in pregnancy, and the
# absence of a statement is not the absence of a risk: a pregnancy or labour
# query says so beside its hits, in one short line.
@pytest.mark.parametrize("fmt", ["plain", "markdown"])
@pytest.mark.parametrize("query", ["pregnancy", "labour", "obstetric"])
def test_a_pregnancy_query_says_not_stated_is_no_risk_beside_its_hits(fmt: str, query: str) -> None:
    out = _cli("search", "-f", fmt, query)
    answer = out.split("Scope:")[0]
    assert "Diazepam" in answer
    assert "Use in pregnancy: not stated in the source; not stated ≠ no risk." in answer
    assert "Use in pregnancy" not in _cli("search", "-f", fmt, "spasticity")


# Row 12: "after a stroke" means sequelae of stroke, inside stroke (FACTS §4d,
# §4c): tizanidine names it itself and baclofen's strokes cover it, so both
# treat spasticity after stroke.
@pytest.mark.parametrize("query", ["spasticity after stroke", "spasticity after a stroke"])
def test_spasticity_after_stroke_is_treated_by_both(query: str) -> None:
    tiers = _counted(_search(query))
    assert tiers == {"baclofen": {"target"}, "tizanidine": {"target"}}, tiers
