"""Regression tests for the pharmacist's audit of 2026-11-25
(../shared/reference/AUDIT-2026-11-25.md): every serious or moderate finding
of its categories 1-5 fails here if it comes back. The search findings (U1-U6,
U11-U14) are covered query by query in test_search_battery.py; this file holds
what `show`, `compare` and `conditions` say, in every format.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset, Role

from .conftest import as_terminal

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def run(*args: str) -> Any:
    return runner.invoke(app, as_terminal(list(args)), env=ENV)


def document(*args: str) -> dict[str, Any]:
    done = run(*args, "--json")
    assert done.exit_code == 0, done.output
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _setting_only_pairs(dataset: Dataset) -> list[tuple[str, str]]:
    """(drug id, condition id) where the drug's indications name the condition
    only as a setting or an example, never as what is treated."""
    pairs = []
    for drug in dataset.drugs:
        roles: dict[str, set[Role]] = {}
        for indication in drug.indications:
            for link in indication.links:
                roles.setdefault(link.condition, set()).add(link.role)
        pairs += [(drug.id, c) for c, r in roles.items() if Role.TARGET not in r]
    return pairs


def test_no_view_presents_a_setting_as_indicated_for(dataset: Dataset) -> None:
    """E1, E20, U7: a setting is never "indicated for" in compare, conditions or search."""
    pairs = _setting_only_pairs(dataset)
    assert ("tofisopam", "schizophrenia") in pairs
    compared = document("compare")["result"]["condition_groups"]
    cells = {
        (drug_id, row["condition_id"]): cell
        for group in compared.values()
        for row in group
        for drug_id, cell in row["by_drug"].items()
        if cell
    }
    index = {c["condition_id"]: c for c in document("conditions")["result"]["conditions"]}
    for drug_id, condition_id in pairs:
        assert cells[(drug_id, condition_id)]["role"] in ("setting", "example")
        # Its own uses: one through another condition carries that one's role and
        # says so ("via Tension headache: treated" under neurological diseases).
        own = index[condition_id]["uses"]
        roles = {u["role"] for u in own if u["drug_id"] == drug_id and u["via_condition_id"] is None}
        assert "target" not in roles
        label = dataset.conditions_by_id[condition_id].label
        found = runner.invoke(app, ["search", "--json", "--", label], env=ENV)
        tiers = {h["tier"] for h in json.loads(found.stdout)["result"]["hits"] if h["drug_id"] == drug_id}
        assert "target" not in tiers, (drug_id, label)


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_compare_says_what_is_treated_in_a_setting(fmt: str) -> None:
    """E1, E20: tofisopam treats neurotic symptoms in schizophrenia; tizanidine
    treats spasm after disc surgery: the cell says so, never a bare ✓. (Compared
    as a pair: among all four, diazepam names disc herniation too, through the
    vertebral syndrome that covers it.)"""
    shown = run("compare", "tofisopam", "tizanidine", "-f", fmt).stdout
    schizophrenia = next(
        line for line in shown.splitlines() if re.search(r"Schizophrenia \(F20\)|\| Schizophrenia \|", line)
    )
    assert "setting for Neurotic symptoms" in schizophrenia
    herniation = next(
        line
        for line in shown.splitlines()
        if re.search(r"Intervertebral disc herniation \(M50-M51\)|\| Intervertebral disc herniation \|", line)
    )
    assert "example" in herniation


def test_compare_shows_routes_and_qualified_cells() -> None:
    """U7: preterm labour is parenteral and limited to the third trimester."""
    shown = " ".join(run("compare", "diazepam", "tofisopam").stdout.split())
    assert (
        "Preterm labour (O60): treated; parenteral; only at the end of the third trimester of pregnancy"
        in shown
    )


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_tofisopam_disputed_effects_are_marked_at_the_cell_and_explained_below(fmt: str) -> None:
    """U8, C4: the mark is at the cell; the caveat's text follows the table directly."""
    shown = run("compare", "diazepam", "tofisopam", "-f", fmt).stdout
    lines = shown.splitlines()
    relaxant = next(line for line in lines if "Central muscle relaxant" in line)
    assert "✓*" in relaxant.replace("\\*", "*")
    anxiolytic = next(line for line in lines if line.strip("│| ").startswith("Anxiolytic"))
    assert "*" not in anxiolytic.replace("\\*", "*").split("Anxiolytic", 1)[1]
    after = shown.split("Raises the pain threshold", 1)[1]
    note = next(line for line in after.splitlines() if "Tofisopam:" in line)
    assert note.replace("\\*", "*").lstrip().startswith("* Tofisopam")
    assert after.index("Tofisopam:") < after.index("Named for")


def test_disputed_effects_carry_a_note_field_in_json() -> None:
    effects = document("compare", "diazepam", "tofisopam")["result"]["effects"]
    relaxant = next(e for e in effects if e["effect_id"] == "muscle-relaxant")
    assert relaxant["by_drug"]["tofisopam"]["note"].startswith("* ")
    assert "2,3-benzodiazepine" in relaxant["by_drug"]["tofisopam"]["note"]
    assert relaxant["by_drug"]["diazepam"]["note"] is None


def test_a_two_drug_comparison_has_no_impossible_group_and_no_empty_effect_rows() -> None:
    shown = run("compare", "baclofen", "tizanidine").stdout
    assert "Named for some" not in shown
    assert "Anxiolytic" not in shown  # neither has it: the row says nothing
    everything = run("compare").stdout
    assert "Named for some" in everything
    effects = everything.split("Effect profile")[1].split("Named for")[0]
    assert "not stated" in effects and "—" not in effects


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Gablofen", "intrathecal injection"),
        ("Lioresal Intrathecal", "intrathecal injection"),  # the product name FACTS §3 gives
        ("Valtoco", "nasal spray"),
    ],
)
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_a_brand_of_another_form_says_so_where_it_resolves(name: str, form: str, fmt: str) -> None:
    """U10, E16: intrathecal baclofen is dosed in micrograms, oral in milligrams."""
    shown = " ".join(run("show", name, "-f", fmt, "--no-pager").stdout.split())
    assert f"{name} is a {form}" in shown or f"{name} is an {form}" in shown
    assert "this monograph describes tablets" in shown
    if "intrathecal" in form:
        assert "dosed in micrograms" in shown


def test_a_brand_of_the_described_form_says_nothing_more() -> None:
    note = document("show", "Grandaxin")["result"]["resolved"]
    assert note["forms_not_described"] == []
    assert note["note"] == "Grandaxin → Tofisopam (brand name)"


def test_diazepam_onset_is_shown_with_its_context() -> None:
    """U9: 2-7 days concerns a course of treatment."""
    shown = " ".join(run("show", "diazepam", "-s", "onset").stdout.split())
    assert "2–7 days" in shown
    after = shown.split("2–7 days", 1)[1][:300]
    assert "course of treatment" in after and "minutes" in after


def test_indications_resting_on_a_reading_say_so_where_they_stand() -> None:
    """C1, C2: the re-punctuated tofisopam list is marked next to the indications."""
    shown = run("show", "tofisopam", "-s", "indications").stdout
    assert shown.count("Read as:") >= 2
    listed = run("show", "tofisopam", "--corrections").stdout
    assert "pre-I synaptic" in listed and "apathy, decreased activity: schizophrenia" in " ".join(
        listed.split()
    )


def test_no_false_claim_that_the_wording_was_used_as_written() -> None:
    """E18: the text is paraphrased."""
    for drug in ("baclofen", "tizanidine"):
        shown = run("show", drug, "--corrections").stdout
        assert "used as written" not in shown


def test_tofisopam_caveat_covers_the_receptor_claim() -> None:
    """E19, C4."""
    caveats = document("show", "tofisopam")["result"]["drug"]["caveats"]
    text = " ".join(c["text"] for c in caveats)
    assert "benzodiazepine site" in text or "benzodiazepine receptor" in text


def test_search_hits_carry_the_drugs_caveats() -> None:
    """C4, C6: search shows there are caveats; JSON names them."""
    hits = document("search", "myasthenia")["result"]["hits"]
    assert hits and all(h["caveat_ids"] for h in hits if h["drug_id"] == "tofisopam")
    assert "caveats" in run("search", "epileptic seizures").stdout


@pytest.mark.parametrize("command", [("show", "baclofen"), ("compare",)])
def test_the_scope_statement_says_what_the_source_does_not_cover(command: tuple[str, ...]) -> None:
    shown = " ".join(run(*command, "--no-pager").stdout.split())
    # On a terminal, said once after the answer in its compact form (issue 20).
    assert "Covers forms, actions and indications only: no doses, side effects, interactions" in shown
    scope = document(*command)["source"]["scope"]
    assert "adverse effects" in scope and "interactions" in scope


def test_show_sources_prints_locators_and_json_carries_them() -> None:
    shown = run("show", "tizanidine", "--sources", "--no-pager").stdout
    assert "source: tizanidine/indications/1." in shown
    drug = document("show", "tizanidine")["result"]["drug"]
    assert all(i["source_locator"].startswith("tizanidine/indications/") for i in drug["indications"])
    assert all(s["source_locator"] for s in drug["mechanism"])


def test_codes_are_shown_with_their_who_titles() -> None:
    shown = " ".join(run("show", "tizanidine", "-s", "indications").stdout.split())
    assert "Low back pain: M54.5 Low back pain" in shown
    assert "Intervertebral disc herniation: M50-M51" in shown  # a range that is no block: codes alone
    entry = next(
        c
        for c in document("conditions", "vertebral")["result"]["conditions"]
        if c["condition_id"] == "vertebral-syndrome"
    )
    assert entry["icd10"] == [{"code": "M40-M54", "title": "Dorsopathies"}]


def test_a_schema_1_file_is_refused_naming_what_changed(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text('schema_version = 1\n[source]\ntitle = "x"\n', encoding="utf-8")
    done = run("--data", str(old), "list")
    assert done.exit_code == 3
    assert "schema 2 gives every indication" in done.stderr and "role" in done.stderr
