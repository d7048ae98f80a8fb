"""The reading-of-queries findings of the third pharmacist review: each row a
query and what the answer must be, written from the article and FACTS.md
(§2, §4, §4a-§4d), through the real CLI."""

from __future__ import annotations

import json

import pytest

from tests.test_asking_battery import NOTHING, B, D, Row, T, Z, _counted, _search, assert_answers

ROWS: list[Row] = [
    # A class with a condition read through a WHO title: the condition among that
    # class's drugs, read as the condition alone is read (§4d, §4c)
    Row("anticonvulsant epilepsy", {D: "target"}),
    Row("benzodiazepine epilepsy", {D: "target"}),
    Row("anticonvulsant for epilepsy", {D: "target"}),
    Row("sedative epilepsy", {D: "target"}),
    Row("epilepsy benzodiazepine", {D: "target"}),
    Row("muscle relaxant radiculopathy", {D: "setting", Z: "setting"}),
    Row("muscle relaxant sciatica", {D: "setting", Z: "setting"}),
    Row("muscle relaxant lumbar radiculopathy", {D: "setting", Z: "setting"}, set_aside=("lumbar",)),
    # Alcohol use disorder is alcohol dependence as named today (§4 F10.2): the setting
    # of baclofen's affective disorders and of tofisopam's neurotic symptoms (§4a)
    Row("alcohol use disorder", {B: "setting", T: "setting"}),
    # Injury is trauma: diazepam's spasm with local trauma; TBI and spinal cord injury,
    # baclofen's and tizanidine's; each narrower than injury in general (§4a)
    Row("muscle spasm after injury", {D: "narrower"}),
    *[Row(q, {B: "narrower", D: "narrower", Z: "narrower"}) for q in ("injury", "trauma")],
    Row("muscle injury", NOTHING),
    # Two conditions joined by "and": the drugs the source names for each (§4a: diazepam
    # treats anxiety and insomnia, in two statements; tofisopam's neurosis covers
    # anxiety disorders, §4c); the fourth review: none for either may vanish
    # (tests/test_review4_lists.py)
    *[Row(q, {D: "target", T: "target"}) for q in ("anxiety and insomnia", "insomnia and anxiety")],
    Row("insomnia and spasticity", {B: "target", D: "target", Z: "target"}),
    Row("tofisopam anxiety and insomnia", {T: "target"}),
    Row("spasticity and multiple sclerosis", {B: "target", D: "target", Z: "target"}),
    # A name without its generic head word is that condition: Bechterew disease is
    # ankylosing spondylitis (§4), diazepam's setting, inside tizanidine's
    # disorders of the spine (§4c); bipolar disorder is tofisopam's setting (§4a)
    *[Row(q, {D: "setting", Z: "setting"}) for q in ("Bechterew", "Bechterew disease")],
    *[Row(q, {T: "setting"}) for q in ("bipolar", "bipolar disorder")],
    # The article's example operation typed alone: its postoperative state (§4d)
    *[Row(q, {Z: "setting"}) for q in ("hip replacement", "disc surgery")],
    Row("spasm after hip replacement", {Z: "target"}),
    # Row 13: WHO lists the article's "reactive depressive state" under F32 Depressive
    # episode (FACTS §4), which is broader: its code and its title reach a narrower
    # condition, never the condition itself; "major" is no word of the source (§4d)
    *[Row(q, {T: "narrower"}) for q in ("depressive episode", "F32")],
    *[Row(q, {T: "setting"}) for q in ("reactive depression", "reactive depressive state")],
    Row("major depression", NOTHING),
    # Row 15: eczema is L30.9 (FACTS §4); atopic dermatitis (L20) lies in WHO's block
    # L20-L30, not inside L30.9, and "atopic" is no word of the source (§4d)
    *[Row(q, NOTHING) for q in ("atopic dermatitis", "atopic eczema", "L20")],
    # Row 22: drug poisoning is a group (FACTS §4, §4c): poisoning in general is
    # broader (toxic effects of non-drugs too), never counted by the word alone
    *[Row(q, NOTHING) for q in ("poisoning", "poisonings")],
    Row("drug poisoning", {D: "target"}),
    # Row 16: transverse myelitis (WHO G37.3, acute transverse myelitis NOS) is a
    # myelitis, one of the spinal cord diseases that baclofen's and diazepam's
    # statements name and cover (FACTS §2, §4a, §4c); G04's own subcategories
    # hold encephalitis too, which a statement on myelitis does not cover
    *[Row(q, {B: "setting", D: "setting"}) for q in ("transverse myelitis", "G37.3")],
    Row("acute transverse myelitis", {B: "setting", D: "setting"}, set_aside=("acute",)),
    *[Row(q, NOTHING) for q in ("G04.0", "acute disseminated encephalitis")],
]


@pytest.mark.parametrize("row", [pytest.param(r, id=r.query) for r in ROWS])
def test_review3_reading(row: Row) -> None:
    assert_answers(row)


# A class and a condition: exactly the condition's answer, kept to the class's
# drugs (§4d), whatever way the condition is read (a WHO title included).
CLASS_WITH_CONDITION = [
    ("benzodiazepine", ("epilepsy", "scoliosis", "radiculopathy", "insomnia"), {D, T}),
    ("muscle relaxant", ("scoliosis", "radiculopathy", "sciatica", "spasticity"), {B, D, Z}),
]


@pytest.mark.parametrize(
    ("klass", "condition", "members"),
    [(k, c, m) for k, conditions, m in CLASS_WITH_CONDITION for c in conditions],
)
def test_a_class_reads_the_condition_as_alone(klass: str, condition: str, members: set[str]) -> None:
    alone = _counted(json.loads(_search("--json", "--", condition).stdout))
    together = _counted(json.loads(_search("--json", "--", f"{klass} {condition}").stdout))
    assert alone, condition  # the condition alone finds something
    assert together == {d: tier for d, tier in alone.items() if d in members}


def test_pms_is_premenstrual_syndrome_never_multiple_sclerosis() -> None:
    """PMS is premenstrual syndrome (N94.3), inside diazepam's setting of menstrual
    disorders (N91-N94), which §4c does not say covers: shown, not counted, and
    never a look-alike of "MS"."""
    done = _search("--json", "--", "PMS")
    result = json.loads(done.stdout)["result"]
    assert done.exit_code == 1
    assert result["hits"] == [] and result["suggestions"] == []
    assert [(h["drug_id"], h["tier"]) for h in result["related"]] == [(D, "who_title")]


@pytest.mark.parametrize("query", ["muscle cramps", "muscle cramp", "cramps"])
def test_cramps_meet_cramp_and_spasm_in_part(query: str) -> None:
    """Cramp is some words of R25.2 "Cramp and spasm", muscle spasm's code: a
    query of some words of a title is shown with it, never counted (§4c); the
    word "muscle" stands in muscle spasm's own name."""
    done = _search("--json", "--", query)
    result = json.loads(done.stdout)["result"]
    assert done.exit_code == 1 and result["hits"] == []
    assert {(h["drug_id"], h["tier"]) for h in result["related"]} == {(D, "who_title"), (Z, "who_title")}
    assert all(reason["who_title"].startswith("R25.2 ") for h in result["related"] for reason in h["reasons"])


def test_alcohol_reaches_diazepams_mention_of_alcoholic_delirium() -> None:
    """The umbrella alcohol reaches alcoholic delirium (§4b), which diazepam's
    action statement mentions: shown apart, never counted (§4a)."""
    result = json.loads(_search("--json", "--", "alcohol").stdout)["result"]
    assert _counted({"result": result}) == {B: "setting", D: "setting", T: "setting"}
    mentions = [h for h in result["related"] if h["tier"] == "mention"]
    assert [(h["drug_id"], h["field"]) for h in mentions] == [(D, "actions")]
    assert "alcoholic delirium" in mentions[0]["text"]


@pytest.mark.parametrize("query", ["sprain", "muscle strain", "sports injury"])
def test_a_local_injury_is_shown_under_local_trauma_not_counted(query: str) -> None:
    """A sprain, a strain, a sports injury is a local injury: the source names
    spasm with local trauma in general (§4a), and local trauma is not said to
    cover what is inside it (§4c default): shown, never counted."""
    done = _search("--json", "--", query)
    result = json.loads(done.stdout)["result"]
    assert done.exit_code == 1 and result["hits"] == [] and result["suggestions"] == []
    assert [(h["drug_id"], h["tier"]) for h in result["related"]] == [(D, "broader")]
    assert result["related"][0]["reasons"][0]["condition_id"] == "local-trauma"


def test_tizanidine_disc_herniation_reaches_the_spine_statement() -> None:
    """Disc disorders are covered by tizanidine's disorders of the spine (§4c):
    that statement answers, beside the post-surgery one."""
    result = json.loads(_search("--json", "--", "tizanidine disc herniation").stdout)["result"]
    answered = {h["indication_id"] for h in result["hits"]}
    assert "tizanidine-muscle-spasm-in-disorders-of-the-spine" in answered
    assert {h["drug_id"] for h in result["hits"]} == {Z}


@pytest.mark.parametrize("query", ["lumbar spasm", "lumbar spasms"])
def test_lumbar_spasm_is_back_spasm(query: str) -> None:
    """Lumbar phrasings mean low back pain, with muscle spasm where spasm is typed
    (§4d): diazepam's vertebral syndrome statement and tizanidine's spine one."""
    assert _counted(json.loads(_search("--json", "--", query).stdout)) == {D: "target", Z: "target"}


def _diazepam_shown_apart(query: str, condition_id: str, relation: str) -> str:
    """Assert that `query` counts nothing and offers nothing, and shows diazepam's
    one statement apart through `condition_id` by `relation`; the screen's answer."""
    done = _search("--json", "--", query)
    result = json.loads(done.stdout)["result"]
    assert done.exit_code == 1 and result["hits"] == [] and result["suggestions"] == []
    assert [(h["drug_id"], h["tier"]) for h in result["related"]] == [(D, "broader")]
    (reason,) = result["related"][0]["reasons"]
    assert (reason["condition_id"], reason["relation"]) == (condition_id, relation)
    shown: str = _search("--", query).stdout
    return shown


@pytest.mark.parametrize("query", ["poisoning", "poisonings"])
def test_poisoning_shows_the_group_apart(query: str) -> None:
    """Drug poisoning is a group the source names as such (FACTS §4, §4c); poisoning
    in general is broader: diazepam's statement is shown apart, never counted."""
    shown = _diazepam_shown_apart(query, "drug-poisoning", "group")
    assert "No indication" not in shown
    assert "the source names Drug poisoning as a group only, not" in shown


@pytest.mark.parametrize("query", ["atopic dermatitis", "atopic eczema", "L20"])
def test_atopic_dermatitis_is_shown_under_eczema_not_counted(query: str) -> None:
    """Atopic dermatitis is a kind of eczema (WHO's block L20-L30 uses dermatitis and
    eczema as one word), coded L20, outside eczema's own L30.9 (FACTS §4). Diazepam's
    setting names eczema in general, which §4c does not say covers its kinds: shown
    with that reason, never counted, nothing offered."""
    shown = _diazepam_shown_apart(query, "eczema", "broader")
    assert "the source names Eczema in general, which does not cover" in shown
