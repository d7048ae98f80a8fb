"""A fourth independent pharmacist review: codes inside a condition's own range,
and names the vocabulary lacked, each row as a user sees it through the real
CLI, written from the article and FACTS.md (§4, §4a, §4c), never from output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.dataset.who_titles import who_titles_holding
from adjuvant_cli.model import Dataset
from adjuvant_cli.search.suggestions import close_word
from adjuvant_cli.vocabulary import code_meaning

runner = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
B, D, Z, T = "baclofen", "diazepam", "tizanidine", "tofisopam"


def _cli(*args: str) -> str:
    return runner.invoke(app, list(args), env=ENV).stdout


def _tiers(query: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Counted drug id -> tiers, and shown-not-counted drug id -> tiers."""
    done = runner.invoke(app, ["search", "--json", "--", query], env=ENV)
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    counted: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for hit in result["hits"]:
        counted.setdefault(hit["drug_id"], set()).add(hit["tier"])
    for hit in result["related"]:
        related.setdefault(hit["drug_id"], set()).add(hit["tier"])
    return counted, related


# Row 4. FACTS §4 codes arterial hypertension I10-I15, bursitis M70-M71 and
# disc herniation M50-M51: ranges of their own kinds (essential, hypertensive
# heart/renal, secondary hypertension; the bursitis of each site; displaced
# discs), so a statement about the condition counts for a code inside it, in its
# role (§4a: diazepam's hypertension is a target "as part of complex therapy";
# bursitis is a setting; disc herniation is tizanidine's post-surgical example).
# Meningitis G00-G03 is the same (review 3 row 2), down to G00.1.
@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("I10", {D: {"target"}}),
        ("I11", {D: {"target"}}),
        ("I15", {D: {"target"}}),
        ("essential hypertension", {D: {"target"}}),
        ("M70.6", {D: {"setting"}}),
        ("trochanteric bursitis", {D: {"setting"}}),
        ("olecranon bursitis", {D: {"setting"}}),
        ("prepatellar bursitis", {D: {"setting"}}),
        ("M71", {D: {"setting"}}),
        ("M50", {D: {"setting"}, Z: {"setting"}}),
        ("M51.1", {D: {"setting"}, Z: {"setting"}}),
        ("G00", {B: {"setting"}}),
        ("G00.1", {B: {"setting"}}),
        ("pneumococcal meningitis", {B: {"setting"}}),
    ],
)
def test_a_code_inside_a_range_of_its_own_kinds_counts(query: str, counted: dict[str, set[str]]) -> None:
    found, _ = _tiers(query)
    assert found == counted, query
    shown = _cli("search", "--", query)
    assert "does not cover" not in shown, query
    assert "Not stated" not in shown and "No indication" not in shown, query


def test_the_reading_says_included_not_not_itself() -> None:
    shown = _cli("search", "--", "I10")
    assert "I10 → included in Arterial hypertension" in shown
    assert "not Arterial hypertension itself" not in shown
    # search and conditions agree (conditions I10 shows diazepam treating it)
    assert "Diazepam (treated" in _cli("conditions", "I10")


# WHO codes in those ranges that name no kind of the condition: chronic crepitant
# synovitis of hand and wrist (M70.0) is no bursitis; disc degeneration (M51.3) is
# no herniation (it still counts through vertebral syndrome, §4c).
def test_a_code_that_names_no_kind_of_it_is_not_counted() -> None:
    found, related = _tiers("M70.0")
    assert D not in found and D in related
    found, related = _tiers("M51.3")
    assert found == {D: {"setting"}, Z: {"setting"}}  # vertebral syndrome, disorders of the spine
    assert Z in related  # the post-surgical disc-herniation example, shown apart


# The §4c groups stay exact: PTSD and OCD are not neurosis; one poisoning is
# never drug poisoning (§4 "must never show diazepam as indicated for it").
@pytest.mark.parametrize(
    ("query", "never"),
    [("F43.1", T), ("F42", T), ("F44.4", T), ("F45.2", T), ("T42.4", D), ("T40", D), ("T50", D)],
)
def test_groups_still_do_not_cover(query: str, never: str) -> None:
    found, related = _tiers(query)
    assert never not in found and never in related, query


def test_code_meaning_says_whether_the_code_is_covered(dataset: Dataset) -> None:
    assert code_meaning(dataset, "I10").covered
    assert code_meaning(dataset, "M70.6").covered
    assert not code_meaning(dataset, "M70.0").covered  # excepted: no bursitis
    assert not code_meaning(dataset, "T42.4").covered  # drug poisoning: a group only
    assert not code_meaning(dataset, "F44.4").covered  # neurosis excepts F42-F45
    assert code_meaning(dataset, "F43.1").condition is not None  # PTSD, its own condition


# Row 6: every phobia is coded in F40, phobic anxiety disorders, which anxiety
# disorders cover (§4c): diazepam's anxiety disorders and tofisopam's neurosis count.
# Row 12: gestosis covers excessive vomiting in pregnancy (O21), whose WHO titles
# are hyperemesis gravidarum (O21.0, O21.1): a setting of diazepam (§4a).
# Row 13: antisocial personality disorder is dissocial personality disorder
# (F60.2), which personality disorder covers: a setting of tofisopam (§4c).
@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("phobia", {D: {"target"}, T: {"target"}}),
        ("phobias", {D: {"target"}, T: {"target"}}),
        ("hyperemesis gravidarum", {D: {"setting"}}),
        ("antisocial personality disorder", {T: {"setting"}}),
    ],
)
def test_names_the_vocabulary_lacked(query: str, counted: dict[str, set[str]]) -> None:
    found, _ = _tiers(query)
    assert found == counted, query


# Row 5: diazepam's "spastic conditions associated with damage to the brain or
# spinal cord" (§4a setting: brain damage). Brain damage is damage of many causes,
# injury and stroke among them; §4c does not list it as covering, so TBI, head
# injury and stroke show that statement as brain damage in general, never a flat
# "no indication", and never count it.
@pytest.mark.parametrize("query", ["diazepam TBI", "TBI", "head injury", "stroke", "traumatic brain injury"])
def test_brain_damage_is_shown_for_its_causes(query: str) -> None:
    found, related = _tiers(query)
    assert D not in found and D in related, query
    shown = _cli("search", "--", query)
    assert "Brain damage in general" in shown, query
    assert "No indication" not in shown, query


# Row 23: after "does not cover", the role is said as the role there, beside
# "not counted", never as a bare "— treated" that reads as if it were treated
# (FACTS §4: one poisoning must never show diazepam as indicated for it).
@pytest.mark.parametrize("query", ["T42.4", "T40", "F43.1"])
def test_a_statement_not_covering_says_plainly_it_is_not_counted(query: str) -> None:
    shown = " ".join(_cli("search", "--", query).split())
    assert "— not counted (role there: treated)" in shown, query
    assert "(not counted) — treated" not in shown and "— treated" not in shown, query


# Row 18: N95 is no condition of the dataset, but climacteric disorders (N95.1,
# FACTS §4) lie inside it, counted as narrower: the reading line says so rather
# than "no condition of this dataset" above counted hits.
def test_a_code_holding_a_condition_says_so(dataset: Dataset) -> None:
    shown = _cli("search", "--", "N95")
    assert "N95 → no condition of this dataset itself; it holds Climacteric disorders" in shown
    found, _ = _tiers("N95")
    assert found == {D: {"narrower"}, T: {"narrower"}}
    assert [c.id for c in code_meaning(dataset, "N95").holds] == ["climacteric-disorders"]
    assert code_meaning(dataset, "Z99").holds == ()


# Row 17: a typo suggestion is a close spelling of the word's own part, not of an
# ending many terms share: tendinitis is no meningitis, paresthesia (FACTS §2's
# correction of "raresthesia", in diazepam's onset statement) no anaesthesia.
@pytest.mark.parametrize(
    ("typed", "word", "close"),
    [
        ("tendinitis", "meningitis", False),
        ("paresthesia", "anaesthesia", False),
        ("raresthesia", "anaesthesia", False),
        ("menengitis", "meningitis", True),
        ("spastisity", "spasticity", True),
        ("insomina", "insomnia", True),
    ],
)
def test_a_close_spelling_is_judged_without_a_shared_ending(typed: str, word: str, close: bool) -> None:
    assert close_word(typed, word) is close


@pytest.mark.parametrize(("query", "never"), [("tendinitis", "Meningitis"), ("paresthesia", "anaesthesia")])
def test_no_misleading_did_you_mean(query: str, never: str) -> None:
    shown = _cli("search", "--", query)
    assert never not in shown and "Did you mean" not in shown
    assert "paresthesia" in _cli("search", "-a", "--", "paresthesia")  # the onset statement
    assert "Meningitis" in _cli("search", "--", "menengitis")  # a typo of the term still is offered


def _conditions_counted(label: str) -> set[str]:
    done = runner.invoke(app, ["conditions", "--json", "--", label], env=ENV)
    rows = json.loads(done.stdout)["result"]["conditions"]
    row = next(r for r in rows if r["label"] == label)
    return {use["drug_id"] for use in row["uses"] if use["counted"]}


# Row 10: `conditions` and `search` count the same drugs for a condition (FACTS
# §4c: tizanidine's "disorders of the spine" covers vertebral syndrome, and
# neck pain inside it is no reason to count it less). A statement only on a
# narrower condition is search's "for a narrower condition" and conditions' "not counted".
@pytest.mark.parametrize(
    "label",
    ["Vertebral syndrome", "Arterial hypertension", "Bursitis", "Low back pain", "Neurosis", "Stroke"],
)
def test_conditions_and_search_count_the_same_drugs(label: str) -> None:
    found, _ = _tiers(label)
    # a statement on a narrower condition only: search's own tier, conditions' "(not counted)"
    for_it = {drug for drug, tiers in found.items() if tiers - {"narrower"}}
    assert _conditions_counted(label) == for_it, label


def test_vertebral_syndrome_counts_tizanidine_in_conditions() -> None:
    assert _conditions_counted("Vertebral syndrome") == {D, Z}


# Row 9: a WHO title's word that the title negates ("manic without psychotic
# symptoms") does not meet a query for that word: the title says the opposite.
def test_a_negated_title_word_does_not_match() -> None:
    held = {m.code for m in who_titles_holding("psychotic")}
    assert "F31.1" not in held and "F31.4" not in held  # "... without psychotic symptoms"
    assert "F31.2" in held  # "... manic with psychotic symptoms"
    assert "F31.1" in {m.code for m in who_titles_holding("manic without psychotic")}
    shown = _cli("search", "--", "psychotic depression")
    assert "without psychotic" not in shown


# Row 21: SCI is spinal cord injury, a condition FACTS §4 gives (inside spinal
# cord diseases, which cover it: baclofen and diazepam, settings). HTN is not
# added: a §4 row's names are exactly FACTS's (test_dataset_content).
@pytest.mark.parametrize(("query", "counted"), [("SCI", {B: {"setting"}, D: {"setting"}})])
def test_common_abbreviations(query: str, counted: dict[str, set[str]]) -> None:
    found, _ = _tiers(query)
    assert found == counted, query
