"""The table of meanings: what each indication treats, in what, by which route.

Written from the article and FACTS.md (§2 readings, §3 brands, §4 conditions,
§4a roles, §4b umbrellas, §5 caveats), never from the dataset or from what a
command prints today. Conditions are named here by FACTS's own words and
found in the dataset by label, synonym or abbreviation, so the test does not
depend on the ids the dataset chose.

It reads the bundled TOML directly: these are facts about the data, whatever
the loader makes of them (what the commands show is tested elsewhere).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
import tomli

from adjuvant_cli.text import fold

DATA = Path(__file__).resolve().parents[1] / "data" / "monographs.toml"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    parsed: dict[str, Any] = tomli.loads(DATA.read_text(encoding="utf-8"))
    return parsed


def _names_to_ids(raw: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for condition in raw["conditions"]:
        names = [
            condition["label"],
            *condition.get("synonyms", ()),
            *condition.get("abbreviations", ()),
            *condition.get("case_sensitive_abbreviations", ()),
        ]
        for name in names:
            found.setdefault(fold(name), condition["id"])
    return found


def _ids(raw: dict[str, Any], names: frozenset[str] | set[str]) -> set[str]:
    index = _names_to_ids(raw)
    missing = [n for n in names if fold(n) not in index]
    assert not missing, f"FACTS names no condition of the dataset answers to: {missing}"
    return {index[fold(n)] for n in names}


def _drug(raw: dict[str, Any], drug_id: str) -> dict[str, Any]:
    return next(d for d in raw["drugs"] if d["id"] == drug_id)


def _roles(indication: dict[str, Any], role: str) -> set[str]:
    return {link["condition"] for link in indication["links"] if link["role"] == role}


class Row(NamedTuple):
    """One row of FACTS §4a: an article item and what it means."""

    drug: str
    item: str  # the article's words, for the failure message
    targets: frozenset[str]  # vocabulary conditions FACTS names as the target
    settings: frozenset[str] = frozenset()
    examples: frozenset[str] = frozenset()
    route: str | None = None
    qualifiers: tuple[str, ...] = ()  # words that must stand in its qualifiers
    contraindication: tuple[str, ...] = ()  # words that must stand in its contraindication


def _row(drug: str, item: str, targets: set[str], **extra: Any) -> Row:
    frozen: dict[str, Any] = {k: frozenset(v) if isinstance(v, set) else v for k, v in extra.items()}
    return Row(drug, item, frozenset(targets), **frozen)


ROWS = [
    _row(
        "baclofen",
        "spasticity in MS, strokes, TBI, meningitis, spinal (cord) diseases, cerebral palsy",
        {"spasticity"},
        settings={
            "multiple sclerosis",
            "stroke",
            "traumatic brain injury",
            "meningitis",
            "spinal cord diseases",
            "cerebral palsy",
        },
        examples={"myelitis", "degenerative spinal cord disease", "spinal cord tumour", "spinal cord injury"},
    ),
    _row("baclofen", "alcoholism (affective disorders)", set(), settings={"alcohol dependence"}),
    _row("diazepam", "anxiety disorders", {"anxiety disorders"}),
    _row("diazepam", "dysphoria", {"dysphoria"}, qualifiers=("combination therapy", "additional")),
    _row("diazepam", "insomnia", {"insomnia"}, qualifiers=("falling asleep",)),
    _row("diazepam", "spasm with local trauma", {"muscle spasm"}, settings={"local trauma"}),
    _row(
        "diazepam",
        "spastic conditions with brain or spinal cord damage",
        {"spasticity"},
        settings={"brain damage", "spinal cord diseases"},
        examples={"cerebral palsy", "athetosis", "tetanus"},
    ),
    _row(
        "diazepam",
        "myositis, bursitis, arthritis, … vertebral syndrome (read: the muscle spasm or tension in them)",
        set(),
        settings={
            "myositis",
            "bursitis",
            "arthritis",
            "ankylosing spondylitis",
            "rheumatoid arthritis",
            "arthrosis",
            "vertebral syndrome",
        },
    ),
    _row("diazepam", "angina pectoris", {"angina pectoris"}),
    _row("diazepam", "tension headache", {"tension headache"}),
    _row("diazepam", "alcohol withdrawal syndrome: symptoms", set(), settings={"alcohol withdrawal"}),
    _row(
        "diazepam",
        "complex therapy: arterial hypertension",
        {"arterial hypertension"},
        qualifiers=("complex",),
    ),
    _row(
        "diazepam",
        "complex therapy: psychosomatic disorders in obstetrics and gynaecology",
        set(),
        settings={"climacteric disorders", "menstrual disorders", "gestosis"},
        qualifiers=("complex",),
    ),
    _row("diazepam", "complex therapy: status epilepticus", {"status epilepticus"}, qualifiers=("complex",)),
    _row("diazepam", "Ménière's disease", {"Ménière's disease"}),
    _row("diazepam", "drug poisoning", {"drug poisoning"}),
    _row(
        "diazepam",
        "myocardial infarction",
        {"myocardial infarction"},
        route="parenteral",
        qualifiers=("complex",),
    ),
    _row(
        "diazepam",
        "motor agitation …: paranoid-hallucinatory states",
        {"motor agitation"},
        # "of various etiologies in neurology and psychiatry": FACTS §4a's "(and
        # neurological and psychiatric disease)"
        settings={"paranoid-hallucinatory states", "neurological diseases", "psychiatric disorders"},
        route="parenteral",
    ),
    _row(
        "diazepam",
        "epileptic seizures (stopping)",
        {"epileptic seizures"},
        route="parenteral",
        qualifiers=("stop",),
    ),
    _row("diazepam", "facilitation of labour", {"facilitation of labour"}, route="parenteral"),
    _row(
        "diazepam",
        "premature labour",
        {"preterm labour"},
        route="parenteral",
        qualifiers=("end of the third trimester",),
    ),
    _row("diazepam", "premature detachment of the placenta", {"placental abruption"}, route="parenteral"),
    _row(
        "tizanidine",
        "painful muscle spasm from disorders of the spine",
        {"muscle spasm"},
        settings={"disorders of the spine"},
        examples={
            "neck pain",
            "low back pain",
            "spinal osteochondrosis",
            "spondylosis",
            "syringomyelia",
            "hemiplegia",
        },
    ),
    _row(
        "tizanidine",
        "painful muscle spasm after surgery (including …)",
        {"muscle spasm"},
        settings={"postoperative state"},
        examples={"intervertebral disc herniation", "hip osteoarthritis"},
    ),
    _row(
        "tizanidine",
        "spasticity in neurological diseases",
        {"spasticity"},
        settings={"neurological diseases"},
        examples={
            "multiple sclerosis",
            "chronic myelopathy",
            "degenerative spinal cord disease",
            "sequelae of stroke",
            "traumatic brain injury",
            "cerebral palsy",
        },
    ),
    _row("tofisopam", "neurosis, psychopathy (…)", {"neurosis"}, settings={"personality disorder"}),
]

# Tofisopam's long list (FACTS §2 reading 1): neurotic symptoms in these
# settings, whatever way the dataset splits it into indications.
TOFISOPAM_SETTINGS = {
    "schizophrenia",
    "bipolar disorder",
    "personality disorder",
    "reactive depression",
    "climacteric disorders",
    "cardialgia",
    "alcohol dependence",
    "alcohol withdrawal",
    "delirium",
    "myasthenia",
    "myopathy",
    "neurogenic muscular atrophy",
}
TOFISOPAM_NEUROMUSCULAR = {"myasthenia", "myopathy", "neurogenic muscular atrophy"}


def _find(raw: dict[str, Any], row: Row) -> dict[str, Any]:
    """The one indication of the row's drug with exactly the row's settings and
    examples, and at least its targets."""
    settings, examples, targets = _ids(raw, row.settings), _ids(raw, row.examples), _ids(raw, row.targets)
    found = [
        i
        for i in _drug(raw, row.drug)["indications"]
        if _roles(i, "setting") == settings
        and _roles(i, "example") == examples
        and targets <= _roles(i, "target")
    ]
    assert len(found) == 1, f"{row.drug}: {len(found)} indications mean “{row.item}”"
    indication: dict[str, Any] = found[0]
    return indication


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.drug}: {r.item[:40]}")
def test_each_indication_means_what_the_article_says(raw: dict[str, Any], row: Row) -> None:
    indication = _find(raw, row)
    assert indication.get("route") == row.route, row.item
    qualifiers = fold(" ".join(indication.get("qualifiers", ())))
    for words in row.qualifiers:
        assert fold(words) in qualifiers, f"{row.item}: qualifier “{words}” missing"
    assert {link["role"] for link in indication["links"]} <= {"target", "setting", "example"}


def test_every_parenteral_indication_is_one_the_article_lists_after_for_parenteral(
    raw: dict[str, Any],
) -> None:
    expected = {r.item for r in ROWS if r.route == "parenteral"}
    parenteral = [i for d in raw["drugs"] for i in d["indications"] if i.get("route")]
    # premedication and combined anaesthesia are parenteral too (the procedure is the target)
    assert len(parenteral) >= len(expected)
    assert all(i["route"] == "parenteral" for i in parenteral)
    assert {d["id"] for d in raw["drugs"] if any(i.get("route") for i in d["indications"])} == {"diazepam"}


def test_tofisopam_treats_neurotic_symptoms_in_its_settings_never_the_diseases(raw: dict[str, Any]) -> None:
    tofisopam = _drug(raw, "tofisopam")
    settings = set().union(*(_roles(i, "setting") | _roles(i, "example") for i in tofisopam["indications"]))
    targets = set().union(*(_roles(i, "target") for i in tofisopam["indications"]))
    assert _ids(raw, TOFISOPAM_SETTINGS) <= settings
    assert not (_ids(raw, TOFISOPAM_SETTINGS - {"personality disorder"}) & targets)


def test_tofisopam_neuromuscular_settings_say_muscle_relaxant_anxiolytics_are_contraindicated(
    raw: dict[str, Any],
) -> None:
    neuromuscular = _ids(raw, TOFISOPAM_NEUROMUSCULAR)
    carrying = [i for i in _drug(raw, "tofisopam")["indications"] if neuromuscular & _roles(i, "setting")]
    assert carrying
    for indication in carrying:
        assert neuromuscular <= _roles(indication, "setting")
        text = fold(indication.get("contraindication", ""))
        assert "contraindicated" in text and "muscle-relaxant" in text.replace(" relaxant", "-relaxant")
        assert "diazepam" in text
        # the contraindication is not a qualifier: search must be able to tell them apart
        assert "contraindicated" not in fold(" ".join(indication.get("qualifiers", ())))


def test_no_setting_is_also_a_target_of_the_same_drug_unless_facts_says_so(raw: dict[str, Any]) -> None:
    for row in ROWS:
        drug = _drug(raw, row.drug)
        targets = set().union(*(_roles(i, "target") for i in drug["indications"]))
        facts_targets = _ids(raw, set().union(*(r.targets for r in ROWS if r.drug == row.drug)))
        stray = (_ids(raw, row.settings | row.examples) & targets) - facts_targets
        assert not stray, f"{row.drug}: settings shown as targets: {stray}"


def test_alcoholic_delirium_is_diazepams_mention_and_never_tofisopams(raw: dict[str, Any]) -> None:
    (alcoholic_delirium,) = _ids(raw, {"alcoholic delirium"})
    (delirium,) = _ids(raw, {"delirium"})
    diazepam_mentions = {c for s in _drug(raw, "diazepam").get("actions", ()) for c in s.get("mentions", ())}
    assert {alcoholic_delirium, *_ids(raw, {"alcohol withdrawal"})} <= diazepam_mentions
    for drug in raw["drugs"]:
        linked = {link["condition"] for i in drug["indications"] for link in i["links"]}
        assert alcoholic_delirium not in linked, drug["id"]
    tofisopam_links = [link for i in _drug(raw, "tofisopam")["indications"] for link in i["links"]]
    assert {link["role"] for link in tofisopam_links if link["condition"] == delirium} == {"setting"}


def test_synonyms_mean_the_same_thing(raw: dict[str, Any]) -> None:
    """The audit's overbroad synonyms (A7) and FACTS §4's own: each phrase either
    names the condition FACTS gives, or is no synonym at all."""
    index = _names_to_ids(raw)
    label_of = {c["id"]: fold(c["label"]) for c in raw["conditions"]}
    means = {
        "delirium tremens": "alcoholic delirium",
        "alcoholism": "alcohol dependence",
        "chronic alcoholism": "alcohol dependence",
        "manic-depressive syndrome": "bipolar disorder",
        "reactive depressive state": "reactive depression",
        "rheumatic pelvispondylitis": "ankylosing spondylitis",
        "progressive chronic polyarthritis": "rheumatoid arthritis",
        "itching": "pruritus",
        "epileptic fits": "epileptic seizures",
        "cervical syndrome": "neck pain",
        "lumbar syndrome": "low back pain",
        "coxarthrosis": "hip osteoarthritis",
        "myelopathy": "spinal cord diseases",
        "sequelae of stroke": "sequelae of stroke",
    }
    for phrase, label in means.items():
        assert label_of[index[fold(phrase)]] == fold(label), phrase
    for not_a_synonym in (
        "hallucinations",
        "back pain",
        "nervous tension",
        "spinal muscular atrophy",
        "abstinence syndrome",
        "intoxication",
        "cramp",
        "spinal diseases",
        "epilepsy",
        "head injury",
        "seizures",
        "peptic ulcer",
    ):
        owner = index.get(fold(not_a_synonym))
        assert owner is None or label_of[owner] == fold(not_a_synonym), f"{not_a_synonym!r} → {owner}"


def test_ankylosing_spondylitis_abbreviation_is_capitals_only(raw: dict[str, Any]) -> None:
    (spondylitis,) = [c for c in raw["conditions"] if fold(c["label"]) == "ankylosing spondylitis"]
    assert "AS" in spondylitis.get("case_sensitive_abbreviations", ())
    assert "AS" not in spondylitis.get("abbreviations", ())


def test_narrower_terms_are_conditions_linked_to_their_broader_one(raw: dict[str, Any]) -> None:
    broader_of = {c["id"]: set(c.get("broader", ())) for c in raw["conditions"]}
    pairs = {
        "sequelae of stroke": "stroke",
        "alcoholic delirium": "delirium",
        "generalised anxiety disorder": "anxiety disorders",
        "anxiety disorders": "neurosis",
        "neurasthenia": "neurosis",
        "myelitis": "spinal cord diseases",
        "spinal cord injury": "spinal cord diseases",
        "spinal cord tumour": "spinal cord diseases",
        "syringomyelia": "spinal cord diseases",
        "neck pain": "vertebral syndrome",
        "low back pain": "vertebral syndrome",
        "spinal osteochondrosis": "vertebral syndrome",
        "spondylosis": "vertebral syndrome",
        "intervertebral disc herniation": "vertebral syndrome",
        "hip osteoarthritis": "arthrosis",
        "pre-eclampsia": "gestosis",
        "dissocial personality disorder": "personality disorder",
        "spinal muscular atrophy": "neurogenic muscular atrophy",
    }
    for narrower, broader in pairs.items():
        ((narrower_id,), (broader_id,)) = (_ids(raw, {narrower}), _ids(raw, {broader}))
        assert broader_id in broader_of[narrower_id], f"{narrower} is not linked as narrower than {broader}"


def test_codes_named_by_the_audit_are_wide_enough(raw: dict[str, Any]) -> None:
    codes = {fold(c["label"]): set(c.get("icd10", ())) for c in raw["conditions"]}
    assert codes["stroke"] == {"I60-I64"}
    assert codes["sequelae of stroke"] == {"I69"}
    assert codes["reactive depression"] == set()  # listed under F32 Depressive episode, broader
    assert codes["depressive episode"] == {"F32"}
    assert codes["pruritus"] == {"L29"}
    assert codes["eczema"] == {"L30.9"}
    assert codes["bursitis"] == {"M70-M71", "M75.5"}
    assert codes["myopathy"] == {"G71-G72"}
    assert codes["meningitis"] == {"G00", "G01", "G02", "G03", "A39.0", "A87", "A17.0"}  # FACTS G00–G03
    assert codes["epileptic seizures"] == {"G40", "R56.8"}
    assert codes["alcoholic delirium"] == {"F10.4"}
    assert codes["delirium"] == set()
    assert codes["drug poisoning"] == {"T36-T50"}


def test_drug_poisoning_does_not_cover_one_poisoning(raw: dict[str, Any]) -> None:
    """FACTS §4c: drug poisoning's former "group only" is "does not cover"; the
    whole fields of medicine (WHO chapters) do not cover either (its last row)."""
    coded_groups = {
        fold(c["label"])
        for c in raw["conditions"]
        if c.get("covers") is False and any("-" in code for code in c.get("icd10", []))
    }
    assert coded_groups == {"drug poisoning", "neurological diseases", "mental disorders"}
    chapters = {fold(c["label"]): c["icd10"] for c in raw["conditions"] if fold(c["label"]) in coded_groups}
    assert chapters["neurological diseases"] == ["G00-G99"]  # chapter VI, Diseases of the nervous system
    assert chapters["mental disorders"] == ["F00-F99"]  # chapter V, Mental and behavioural disorders


UMBRELLAS = {
    "back pain": (
        {
            "vertebral syndrome",
            "neck pain",
            "low back pain",
            "spinal osteochondrosis",
            "spondylosis",
            "intervertebral disc herniation",
            "ankylosing spondylitis",
            "disorders of the spine",
        },
        {"spinal cord diseases", "syringomyelia", "hemiplegia", "myelitis", "spasticity"},
    ),
    "neck": ({"neck pain", "intervertebral disc herniation"}, {"low back pain"}),
    "head injury": ({"traumatic brain injury"}, set()),
    "seizures": ({"epileptic seizures", "status epilepticus"}, {"muscle spasm", "spasticity"}),
    "peptic ulcer": ({"gastric ulcer", "duodenal ulcer"}, set()),
    "alcohol": ({"alcohol dependence", "alcohol withdrawal", "alcoholic delirium"}, set()),
    "pregnancy": ({"preterm labour", "facilitation of labour", "placental abruption", "gestosis"}, set()),
    "surgery": ({"premedication", "general anaesthesia", "postoperative state"}, set()),
}


@pytest.mark.parametrize("umbrella", sorted(UMBRELLAS))
def test_umbrella_terms_reach_what_facts_says_and_no_more(raw: dict[str, Any], umbrella: str) -> None:
    reaches, never = UMBRELLAS[umbrella]
    (entry,) = [u for u in raw["umbrellas"] if fold(u["label"]) == umbrella]
    reached = set(entry["reaches"])
    assert _ids(raw, reaches) <= reached
    assert not (_ids(raw, never) & reached)


def test_spasm_and_spasticity_are_distinct_conditions(raw: dict[str, Any]) -> None:
    assert len(_ids(raw, {"muscle spasm", "spasticity"})) == 2
    for entry in raw["umbrellas"]:
        assert fold(entry["label"]) not in {"spasm", "spasticity", "muscle spasm"}


BRAND_FORMS = {
    "Lioresal": {"tablets", "intrathecal injection"},
    "Lioresal Intrathecal": {"intrathecal injection"},  # FACTS §3 names it in Lioresal's row
    "Gablofen": {"intrathecal injection"},
    "Ozobax": {"oral solution"},
    "Fleqsuvy": {"oral suspension"},
    "Lyvispah": {"oral granules"},
    "Baklosan": {"tablets"},
    "Valium": {"tablets", "injection"},  # "injection in some markets": a reader must still be told
    "Diastat": {"rectal gel"},
    "Valtoco": {"nasal spray"},
    "Relanium": {"tablets", "injection"},
    "Seduxen": {"tablets", "injection"},
    "Sibazon": {"tablets", "injection"},
    "Stesolid": {"rectal solution", "injection", "tablets"},
    "Apaurin": {"tablets", "injection"},
    "Zanaflex": {"tablets", "immediate-release capsules"},
    "Sirdalud": {"tablets"},
    "Sirdalud MR": {"modified-release capsules"},
    "Grandaxin": {"tablets"},
}


def test_each_brand_keeps_its_forms(raw: dict[str, Any]) -> None:
    brands = {
        b["name"]: {fold(f) for f in b.get("forms", ())} for d in raw["drugs"] for b in d.get("brands", ())
    }
    assert set(brands) == set(BRAND_FORMS)
    for name, forms in BRAND_FORMS.items():
        assert brands[name] == forms, name


def test_monographs_describe_the_articles_forms(raw: dict[str, Any]) -> None:
    forms = {d["id"]: d["forms"] for d in raw["drugs"]}
    assert forms == {
        "baclofen": ["tablets"],
        "diazepam": ["tablets"],
        "tizanidine": ["tablets", "modified-release capsules"],
        "tofisopam": ["tablets"],
    }


def test_the_nine_readings_and_four_corrections_are_recorded(raw: dict[str, Any]) -> None:
    readings = [(d["id"], r) for d in raw["drugs"] for r in d.get("readings", ())]
    corrections = [(d["id"], c) for d in raw["drugs"] for c in d.get("corrections", ())]
    assert len(corrections) == 4
    assert len(readings) >= 9
    quoted = {(drug, fold(r["original"])) for drug, r in readings}
    for drug, words in (
        ("tofisopam", "apathy, decreased activity: schizophrenia"),
        ("tofisopam", "psychopathy"),
        ("tofisopam", "alcohol withdrawal syndrome. delirium:"),
        ("baclofen", "clonic seizures"),
        ("diazepam", "paranoid-hallucinatory states"),
        ("diazepam", "retebral syndrome"),
        ("baclofen", "spinal diseases"),
        ("baclofen", "alcoholism (affective disorders)"),
        ("tizanidine", "including for intervertebral disc herniation"),
    ):
        assert any(d == drug and words in q for d, q in quoted), f"{drug}: no reading quotes “{words}”"
    for _, reading in readings:
        assert reading["reading"].strip() and reading["why"].strip()


def test_caveats_cover_facts_section_5(raw: dict[str, Any]) -> None:
    tofisopam = _drug(raw, "tofisopam")
    disputed = [c for c in tofisopam["caveats"] if c.get("effects")]
    assert len(disputed) == 1
    assert set(disputed[0]["effects"]) == {"muscle-relaxant", "sedative", "anticonvulsant"}
    text = fold(disputed[0]["text"])
    assert "2,3-benzodiazepine" in text and "receptor" in text
    regulatory = fold(" ".join(c["text"] for c in tofisopam["caveats"]))
    assert "united states" in regulatory or "eu" in regulatory
    diazepam = fold(" ".join(c["text"] for c in _drug(raw, "diazepam")["caveats"]))
    assert "parenteral" in diazepam


def test_diazepams_two_to_seven_days_carries_its_context(raw: dict[str, Any]) -> None:
    (onset,) = [s for s in _drug(raw, "diazepam")["onset"] if "2–7" in s["text"] or "2-7" in s["text"]]
    context = fold(onset.get("context", ""))
    assert "course" in context and "minutes" in context


def test_scope_and_compact_disclaimer(raw: dict[str, Any]) -> None:
    scope = fold(raw["source"]["scope"])
    for absent in ("dose", "contraindication", "adverse effect", "interaction"):
        assert absent in scope, absent
    assert "\n" not in raw["source"]["scope"]
    compact = raw["disclaimer"]["compact"]
    assert len(compact) <= 160
    folded = fold(compact)
    assert "information" in folded
    assert "self-treatment" in folded or "self-medication" in folded
    assert "physician" in folded or "doctor" in folded
    assert "dangerous" in folded
    assert "leaflet" in folded
