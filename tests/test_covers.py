"""A named condition and the conditions inside it (FACTS §4c), through the
real CLI in every format, and as properties of search.

The tables are written from FACTS §4c row by row (the article names a
condition; a query names one inside it, by code or by name), never from what
the tool prints. "counts" means the drug's statement is among the hits in the
role FACTS §4a gives the named condition (target: "target"; setting or example:
"setting"); "shown" means it is shown apart and not counted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset, Role
from adjuvant_cli.search import COUNTED, Tier, search

from .conftest import as_terminal

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

# (query, drug, the role in which it counts): a condition inside one that covers it.
COVERS = [
    # anxiety disorders (F40-F41) covers GAD, panic disorder, phobic, mixed
    ("F41.1", "diazepam", "target"),
    ("generalised anxiety disorder", "diazepam", "target"),
    ("generalized anxiety disorder", "diazepam", "target"),
    ("GAD", "diazepam", "target"),
    ("F41.0", "diazepam", "target"),
    ("panic disorder", "diazepam", "target"),
    ("F40", "diazepam", "target"),
    ("F41.2", "diazepam", "target"),
    # neurosis (F40-F48) covers anxiety disorders, neurasthenia, F48
    ("F41.1", "tofisopam", "target"),
    ("F48.0", "tofisopam", "target"),
    ("neurasthenia", "tofisopam", "target"),
    ("F48.8", "tofisopam", "target"),
    # vertebral syndrome (M40-M54), and tizanidine's disorders of the spine, as it
    ("M54.3", "diazepam", "setting"),
    ("sciatica", "diazepam", "setting"),
    ("M54.3", "tizanidine", "setting"),
    ("M54.4", "diazepam", "setting"),
    ("M48.0", "diazepam", "setting"),
    ("spinal stenosis", "diazepam", "setting"),
    ("spinal stenosis", "tizanidine", "setting"),
    ("M54.5", "diazepam", "setting"),
    ("low back pain", "diazepam", "setting"),
    ("M51.1", "diazepam", "setting"),
    ("M45", "tizanidine", "setting"),
    # stroke (I60-I64) covers haemorrhagic and ischaemic stroke and its sequelae
    ("I63", "baclofen", "setting"),
    ("ischaemic stroke", "baclofen", "setting"),
    ("cerebral infarction", "baclofen", "setting"),
    ("I61", "baclofen", "setting"),
    ("I69.3", "baclofen", "setting"),
    ("sequelae of stroke", "baclofen", "setting"),
    ("I69.3", "tizanidine", "setting"),
    # traumatic brain injury (S06) covers sequelae of intracranial injury
    ("T90.5", "baclofen", "setting"),
    # spinal cord diseases (G95) covers its kinds
    ("syringomyelia", "baclofen", "setting"),
    ("G95.0", "baclofen", "setting"),
    # cerebral palsy (G80) covers its forms
    ("G80.3", "baclofen", "setting"),
    ("G80.1", "diazepam", "setting"),
    # arthrosis covers hip and knee osteoarthritis
    ("M17", "diazepam", "setting"),
    ("M16", "diazepam", "setting"),
    # gestosis covers pre-eclampsia, eclampsia, excessive vomiting in pregnancy
    ("O15", "diazepam", "setting"),
    ("eclampsia", "diazepam", "setting"),
    ("O14", "diazepam", "setting"),
    # personality disorder (F60) covers dissocial personality disorder; "psychopathy" is it
    ("F60.2", "tofisopam", "setting"),
    ("dissocial personality disorder", "tofisopam", "setting"),
    ("psychopathy", "tofisopam", "setting"),
    # neurogenic muscular atrophy and myopathy cover theirs
    ("Charcot-Marie-Tooth disease", "tofisopam", "setting"),
    ("G71.0", "tofisopam", "setting"),
]

# (query, drug): a condition inside one that does not cover it: shown, never counted.
DOES_NOT_COVER = [
    # neurosis does not cover OCD, stress reactions and PTSD, dissociative, somatoform
    ("F43.1", "tofisopam"),
    ("PTSD", "tofisopam"),
    ("post-traumatic stress disorder", "tofisopam"),
    ("F42", "tofisopam"),
    ("obsessive-compulsive disorder", "tofisopam"),
    ("F44.4", "tofisopam"),
    ("F45.2", "tofisopam"),
    # vertebral syndrome and disorders of the spine: not infections, fractures, panniculitis
    ("M46.2", "diazepam"),
    ("M46.2", "tizanidine"),
    ("M49.0", "diazepam"),
    ("tuberculosis of spine", "diazepam"),
    ("M48.5", "diazepam"),
    ("M49.5", "tizanidine"),
    ("M54.0", "diazepam"),
    # sequelae of stroke covers I69.0-I69.4 only
    ("I69.8", "baclofen"),
    ("I69.8", "tizanidine"),
    # tofisopam's bare delirium is never delirium tremens
    ("delirium tremens", "tofisopam"),
    ("F10.4", "tofisopam"),
    # drug poisoning is a group only
    ("T42.4", "diazepam"),
    ("T40", "diazepam"),
]

# Never counted for these, nor shown as the drug's indication (the drug's statement
# names nothing that includes the query's condition). Diazepam's "psychiatry"
# names mental disorders, which include PTSD: shown in general (tests/test_in_part.py).
ABSENT = [("M46.2", "baclofen"), ("T42.4", "tofisopam"), ("F43.1", "baclofen"), ("M46.2", "tofisopam")]


def search_json(query: str) -> dict[str, Any]:
    done = runner.invoke(app, ["search", "--json", "--", query], env=ENV)
    assert done.exit_code in (0, 1), done.output
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    return result


def counted(result: dict[str, Any], drug: str) -> set[str]:
    return {h["tier"] for h in result["hits"] if h["drug_id"] == drug and h["hit_type"] == "indication"}


@pytest.mark.parametrize(("query", "drug", "role"), COVERS)
def test_a_condition_inside_a_covering_one_counts_in_the_same_role(query: str, drug: str, role: str) -> None:
    result = search_json(query)
    assert role in counted(result, drug), (query, drug, [h["tier"] for h in result["hits"]])


@pytest.mark.parametrize(("query", "drug"), DOES_NOT_COVER)
def test_a_condition_inside_one_that_does_not_cover_it_is_shown_not_counted(query: str, drug: str) -> None:
    result = search_json(query)
    assert not counted(result, drug), (query, drug)
    shown = [h for h in result["related"] if h["drug_id"] == drug and h["tier"] == "broader"]
    assert shown, (query, drug, [(h["drug_id"], h["tier"]) for h in result["related"]])
    reasons = [r for h in shown for r in h["reasons"]]
    assert all(r["relation"] == "broader" for r in reasons)


@pytest.mark.parametrize(("query", "drug"), ABSENT)
def test_nothing_includes_it(query: str, drug: str) -> None:
    result = search_json(query)
    assert not counted(result, drug)
    assert all(h["drug_id"] != drug for h in result["related"] if h["tier"] == "broader")


def test_ptsd_reads_as_itself_never_as_neurosis_and_counts_nothing() -> None:
    """The false positive of the review: F43.1 answered "Indicated for it: Tofisopam"."""
    for query in ("F43.1", "F42", "F44.4", "F45.2", "M46.2", "M49.0"):
        done = runner.invoke(app, ["search", "-f", "plain", "--", query], env=ENV)
        assert done.exit_code == 1, (query, done.output)
        assert "Indicated for it" not in done.stdout
        assert "in general, which does not cover" in " ".join(done.stdout.split())


def test_the_covering_reason_is_a_structure_in_json() -> None:
    result = search_json("F41.1")
    reason = next(r for h in result["hits"] if h["drug_id"] == "diazepam" for r in h["reasons"])
    assert reason["relation"] == "inside"
    assert reason["condition_id"] == "anxiety-disorders"  # what the source names
    assert reason["queried_condition_id"] == "generalised-anxiety-disorder"  # inside it
    assert reason["inner_code"] is None
    code_only = search_json("I69.3")
    reason = next(r for h in code_only["hits"] if h["drug_id"] == "baclofen" for r in h["reasons"])
    assert (reason["relation"], reason["condition_id"], reason["inner_code"]) == ("inside", "stroke", "I69.3")
    assert reason["queried_condition_id"] is None


@pytest.mark.parametrize("fmt", ["plain", "markdown", "terminal"])
def test_every_format_says_how(fmt: str) -> None:
    done = runner.invoke(app, as_terminal(["search", "GAD", "-f", fmt]), env=ENV)
    assert done.exit_code == 0, done.output
    flat = " ".join(done.stdout.split())
    assert "the source names Anxiety disorders, which includes Generalised anxiety disorder" in flat
    done = runner.invoke(app, as_terminal(["search", "PTSD", "-f", fmt]), env=ENV)
    flat = " ".join(done.stdout.split())
    assert "the source names Neurosis in general, which does not cover Post-traumatic stress disorder" in flat
    assert "(not counted)" in flat


def test_delirium_reaches_the_mention_of_alcoholic_delirium() -> None:
    """FACTS §4a: a query reaches a mention of a narrower condition as it reaches an indication's."""
    result = search_json("delirium")
    assert counted(result, "tofisopam") == {"setting"}
    mentions = [h for h in result["related"] if h["drug_id"] == "diazepam" and h["tier"] == "mention"]
    assert mentions and "alcoholic delirium" in mentions[0]["text"]


@pytest.mark.parametrize("fmt", ["plain", "markdown", "terminal", "json"])
def test_compare_says_through_which_condition(fmt: str) -> None:
    """Baclofen names strokes, tizanidine the residual effects of stroke: neither is "not named"."""
    args = ["compare", "baclofen", "tizanidine"]
    if fmt == "json":
        done = runner.invoke(app, [*args, "--json"], env=ENV)
        rows = json.loads(done.stdout)["result"]
        every = [r for group in rows["condition_groups"].values() for r in group]
        stroke = next(r for r in every if r["condition_id"] == "stroke")
        assert stroke["by_drug"]["tizanidine"]["via_condition_id"] == "sequelae-of-stroke"
        # Named for the narrower condition only, never for stroke itself (FACTS §4c).
        assert stroke["by_drug"]["tizanidine"]["counted"] is False
        sequelae = next(r for r in every if r["condition_id"] == "sequelae-of-stroke")
        assert sequelae["by_drug"]["baclofen"]["via_condition_id"] == "stroke"
        return
    done = runner.invoke(app, as_terminal([*args, "-f", fmt]), env={**ENV, "COLUMNS": "200"})
    flat = " ".join(done.stdout.split())
    assert "only for a narrower condition (not counted): Sequelae of stroke" in flat
    assert "via Stroke" in flat


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


def _named_by(dataset: Dataset, label: str) -> list[tuple[str, str, Tier]]:
    """(drug, indication, the tier of its role) for every indication that links the condition."""
    condition = next(c for c in dataset.conditions if c.label.lower() == label)
    return [
        (drug.id, indication.id, Tier.TARGET if link.role is Role.TARGET else Tier.SETTING)
        for drug in dataset.drugs
        for indication in drug.indications
        for link in indication.links
        if link.condition == condition.id
    ]


# Conditions inside a covering one (FACTS §4c "covers"), by the name FACTS gives.
_INSIDE = {
    "anxiety disorders": ["generalised anxiety disorder", "panic disorder", "F40", "F41.2"],
    "stroke": ["ischaemic stroke", "haemorrhagic stroke", "sequelae of stroke", "I69.0", "I69.4"],
    "vertebral syndrome": ["low back pain", "neck pain", "sciatica", "spinal stenosis", "M54.4", "M47"],
    "spinal cord diseases": ["syringomyelia", "myelitis", "spinal cord tumour", "G95.1"],
    "arthrosis": ["hip osteoarthritis", "knee osteoarthritis", "M19.0"],
    "gestosis": ["pre-eclampsia", "eclampsia", "O21"],
}


@given(st.sampled_from(sorted((outer, inner) for outer, inners in _INSIDE.items() for inner in inners)))
def test_inside_a_covering_condition_counts_what_the_condition_counts(
    dataset: Dataset, pair: tuple[str, str]
) -> None:
    outer, inner = pair
    found = {
        (h.drug.id, h.indication.id): h.tier for h in search(dataset, inner).hits if h.indication is not None
    }
    for drug, indication, tier in _named_by(dataset, outer):
        # The same statement, in the same role (or a stronger one, by a link of its own).
        assert found.get((drug, indication), Tier.WHO_TITLE) <= tier, (outer, inner, drug, indication)


# Queries a "does not cover" row excludes, in the forms users type them.
_EXCLUDED = {
    "tofisopam": [
        "F43.1",
        "F42",
        "F44.4",
        "F45.2",
        "PTSD",
        "obsessive-compulsive disorder",
        "delirium tremens",
    ],
    "diazepam": ["M46.2", "M49.0", "M48.4", "M48.5", "M54.0", "T42.4", "T40", "T42", "tuberculosis of spine"],
    "baclofen": ["I69.8", "T42.4"],
}


@given(
    st.sampled_from(sorted((drug, q) for drug, queries in _EXCLUDED.items() for q in queries)),
    st.sampled_from([str, str.upper, str.lower, lambda text: f"  {text} "]),
    st.sampled_from(["", "0", "9"]),
)
def test_no_query_counts_what_a_does_not_cover_row_excludes(
    dataset: Dataset, case: tuple[str, str], form: Callable[[str], str], extension: str
) -> None:
    drug, query = case
    if "." in query:  # an ICD-10-CM extension reads as its WHO prefix
        query += extension
    typed = form(query)
    counted_drugs = {h.drug.id for h in search(dataset, typed).hits if h.tier in COUNTED}
    assert drug not in counted_drugs, (typed, drug)


@pytest.mark.parametrize("fmt", ["plain", "markdown", "terminal", "json"])
def test_the_condition_index_uses_the_same_hierarchy(fmt: str) -> None:
    """`conditions` names the drugs through what covers, or does not cover, a condition."""
    if fmt == "json":
        done = runner.invoke(app, ["conditions", "--json", "--", "generalised anxiety disorder"], env=ENV)
        (entry,) = json.loads(done.stdout)["result"]["conditions"]
        via = {(u["drug_id"], u["via_condition_id"], u["counted"]) for u in entry["uses"]}
        assert via == {("diazepam", "anxiety-disorders", True), ("tofisopam", "neurosis", True)}
        done = runner.invoke(app, ["conditions", "--json", "--", "PTSD"], env=ENV)
        (entry,) = json.loads(done.stdout)["result"]["conditions"]
        # Neurosis in general, and diazepam's "psychiatry": mental disorders in general (§4c).
        uses = {(u["drug_id"], u["counted"]) for u in entry["uses"]}
        assert uses == {("tofisopam", False), ("diazepam", False)}
        return
    done = runner.invoke(
        app, as_terminal(["conditions", "-f", fmt, "--", "stroke"]), env={**ENV, "COLUMNS": "200"}
    )
    flat = " ".join(done.stdout.split())
    assert "only for a narrower condition (not counted): Sequelae of stroke" in flat
    done = runner.invoke(
        app, as_terminal(["conditions", "-f", fmt, "--", "PTSD"]), env={**ENV, "COLUMNS": "200"}
    )
    assert "named in general (not counted): via Neurosis" in " ".join(done.stdout.split())
