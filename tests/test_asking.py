"""How people ask (FACTS §4d), an answer that never contradicts itself, and the
audit's findings of 2026-12-03 that are not rows of the battery
(tests/test_asking_battery.py): properties over open-ended phrasings, and the
wording a user sees through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli import search as search_package
from adjuvant_cli import text as text_module
from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset
from adjuvant_cli.search import MODIFIERS, search
from adjuvant_cli.search import terms as terms_module
from adjuvant_cli.text import fold
from adjuvant_cli.vocabulary import Vocabulary

runner = CliRunner()
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "use-of-adjuvants-in-back-pain.txt"

# Conditions as users type them (FACTS §4, §4b, §4d), each finding something.
CONDITIONS = [
    "spasticity",
    "muscle spasm",
    "spasm",
    "multiple sclerosis",
    "stroke",
    "post-stroke",
    "back pain",
    "low back pain",
    "lower back pain",
    "neck pain",
    "insomnia",
    "anxiety disorders",
    "alcoholism",
    "alcohol withdrawal",
    "seizures",
    "epileptic seizures",
    "hypertension",
    "myocardial infarction",
    "itching",
    "itchy skin",
    "neurosis",
    "schizophrenia",
    "myasthenia",
    "cerebral palsy",
    "tension headache",
    "preterm labour",
    "before surgery",
    "after surgery",
    "ischaemic stroke",
    "menopausal",
    "psychopathy",
    "nervous tension",
    "tremor",
]
DRUG_NAMES = ["baclofen", "Lioresal", "diazepam", "Valium", "Relanium", "tizanidine", "Sirdalud", "tofisopam"]
DRUG_OF = {
    "baclofen": "baclofen",
    "lioresal": "baclofen",
    "diazepam": "diazepam",
    "valium": "diazepam",
    "relanium": "diazepam",
    "tizanidine": "tizanidine",
    "sirdalud": "tizanidine",
    "tofisopam": "tofisopam",
}
# FACTS §4d's negative rows: nothing in the source; nothing counted, nothing offered.
NEGATIVE = [
    "diazepam overdose",
    "Valium poisoning",
    "baclofen withdrawal",
    "benzodiazepine withdrawal",
    "opioid withdrawal",
    "night cramps",
    "restless legs",
    "febrile seizures",
    "fibromyalgia",
    "essential tremor",
    "encephalitis",
]


def _counted(dataset: Dataset, query: str) -> set[tuple[str, str | None]]:
    result = search(dataset, query)
    return {(h.drug.id, h.indication.id if h.indication else h.field) for h in result.hits}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(condition=st.sampled_from(CONDITIONS), modifier=st.sampled_from(sorted(MODIFIERS)))
def test_a_modifier_never_removes_a_counted_drug(dataset: Dataset, condition: str, modifier: str) -> None:
    modified = f"{modifier} {condition}"
    if fold(modified) in Vocabulary.of(dataset).phrases or fold(modified) in terms_module._PHRASINGS:
        return  # a name of its own ("chronic alcoholism", §4d's "lower back pain"), not a modifier beside one
    before = {drug for drug, _ in _counted(dataset, condition)}
    after = search(dataset, modified)
    assert before <= {h.drug.id for h in after.hits}
    if any(fold(m.term) == fold(modified) for m in after.meanings):
        return  # a phrasing read whole ("lower back pain": low back pain), no modifier set aside
    assert modifier in after.set_aside


# Conditions of the spine and spinal cord as users type them (FACTS §4, §4c).
SPINE_CONDITIONS = [
    "spinal stenosis",
    "disc herniation",
    "herniated disc",
    "spondylosis",
    "spinal osteochondrosis",
    "sciatica",
    "spinal cord injury",
    "myelopathy",
    "ankylosing spondylitis",
    "vertebral osteomyelitis",
    "M51.1",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    condition=st.sampled_from(SPINE_CONDITIONS),
    level=st.sampled_from([*sorted(terms_module.SPINE_LEVELS), "L4", "C5", "S1"]),
)
def test_a_level_of_the_spine_counts_what_the_condition_counts(
    dataset: Dataset, condition: str, level: str
) -> None:
    # Where in the spine is inside what the source says of the condition: the
    # same statements counted, never more, and the level said as set aside.
    leveled = search(dataset, f"{level} {condition}")
    assert _counted(dataset, f"{level} {condition}") == _counted(dataset, condition)
    assert leveled.set_aside == (level,)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    condition=st.sampled_from(CONDITIONS),
    name=st.sampled_from(DRUG_NAMES),
    before=st.booleans(),
)
def test_a_drug_name_counts_a_subset_all_of_that_drug(
    dataset: Dataset, condition: str, name: str, before: bool
) -> None:
    query = f"{name} {condition}" if before else f"{condition} {name}"
    restricted = _counted(dataset, query)
    drug = DRUG_OF[fold(name)]
    assert restricted <= _counted(dataset, condition)
    assert {d for d, _ in restricted} <= {drug}
    # ... and all of what the condition counts for that drug
    assert {c for c in _counted(dataset, condition) if c[0] == drug} <= restricted


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    negative=st.sampled_from(NEGATIVE),
    modifier=st.none() | st.sampled_from(sorted(MODIFIERS)),
    name=st.none() | st.sampled_from(DRUG_NAMES),
    at=st.integers(min_value=0, max_value=3),
)
def test_a_negative_row_counts_and_offers_nothing_however_varied(
    dataset: Dataset, negative: str, modifier: str | None, name: str | None, at: int
) -> None:
    words = negative.split()
    for extra in (modifier, name):
        if extra is not None:
            words.insert(min(at, len(words)), extra)
    result = search(dataset, " ".join(words))
    assert result.hits == ()
    assert result.suggestions == ()


def test_the_query_is_tokenised_once(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the query happens once, in search/terms.py (issue 17 item 4)."""
    seen: list[str] = []
    real = text_module.tokens

    def counting(text: str) -> Any:
        seen.append(text)
        return real(text)

    monkeypatch.setattr(terms_module, "tokens", counting)
    query = "chronic spasticity after a stroke"
    search_package.search(dataset, query)
    assert seen.count(query) == 1


def _run(*args: str) -> tuple[int, str]:
    done = runner.invoke(app, list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})
    return done.exit_code, done.stdout


def _json(*args: str) -> dict[str, Any]:
    return json.loads(_run(*args, "--json")[1])["result"]  # type: ignore[no-any-return]


def test_set_aside_modifiers_are_said_as_such() -> None:
    code, out = _run("search", "chronic", "low", "back", "pain")
    assert code == 0
    assert "Read as: low back pain; not stated in the source: chronic" in out
    assert _json("search", "chronic low back pain")["set_aside"] == ["chronic"]


def test_a_drug_or_class_restriction_is_said_and_carried_in_json() -> None:
    code, out = _run("search", "diazepam", "seizures")
    assert code == 0
    assert "among the statements on diazepam only" in out
    restriction = _json("search", "muscle relaxant for back pain")["restriction"]
    assert restriction["kind"] == "class"
    assert restriction["typed"] == "muscle relaxant"
    assert not restriction["substance"]


def test_a_drug_that_is_the_substance_says_so_and_counts_nothing() -> None:
    code, out = _run("search", "diazepam", "overdose")
    assert code == 1
    assert "diazepam is the substance of what is asked" in " ".join(out.split())
    result = _json("search", "Valium poisoning")
    assert result["restriction"]["substance"] is True
    assert result["hits"] == result["related"] == result["suggestions"] == []


def test_psychopathy_is_read_as_the_article_word_with_its_reading() -> None:
    code, out = _run("search", "psychopathy")
    assert code == 0
    assert "psychopathy → Personality disorder" in out
    assert "not dissocial personality disorder" in out
    assert "No indication" not in out


@pytest.mark.parametrize("query", ["delirium tremens", "DTs"])
def test_the_headline_never_contradicts_the_statements_below(query: str) -> None:
    code, out = _run("search", query)
    assert code == 1
    assert "Not stated for alcoholic delirium; related statements follow." in out
    assert "No indication in this dataset matches" not in out


def test_no_indication_is_said_only_above_nothing() -> None:
    code, out = _run("search", "fibromyalgia")
    assert code == 1
    assert "No indication in this dataset matches “fibromyalgia”." in out
    assert "not counted" not in out


@pytest.mark.parametrize(
    ("query", "never"),
    [
        ("panic attacks", "Myocardial infarction"),
        ("opioid withdrawal", "Alcohol withdrawal"),
        ("spinal stenosis", "Spinal cord"),
        ("benzodiazepine withdrawal", "Alcohol withdrawal"),
        ("febrile seizures", "Seizures"),
    ],
)
def test_suggestions_are_never_by_one_shared_word(query: str, never: str) -> None:
    offered = [s["text"] for s in _json("search", query)["suggestions"]]
    assert not [s for s in offered if s.startswith(never)]


# The audit's findings (fidelity.md), each through what a user sees.


def test_m6_baclofen_alcoholism_is_headed_by_its_target() -> None:
    groups = [i["group"] for i in _json("show", "baclofen")["drug"]["indications"]]
    assert groups == ["Spasticity", "Affective disorders"]
    _, out = _run("show", "baclofen", "-s", "indications")
    assert "\nAlcohol dependence\n" not in out


def test_m4_piped_search_keeps_the_caveat_pointer() -> None:
    _, out = _run("search", "delirium")
    line = next(line for line in out.splitlines() if line.startswith("Tofisopam"))
    assert "(caveats: see show)" in line


def test_m6_a_mentioned_condition_is_marked_in_the_code_list() -> None:
    _, out = _run("show", "diazepam", "-s", "indications")
    assert "Alcoholic delirium (mentioned, not an indication): F10.4" in out
    assert "Insomnia (mentioned" not in out


def test_m1_m2_tofisopam_keeps_the_article_words() -> None:
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    indications = {i["indication_id"]: i for i in _json("show", "tofisopam")["drug"]["indications"]}
    first = indications["tofisopam-neurosis"]["text"]
    assert first == "Neurosis, psychopathy (nervous tension, vegetative lability, fear)"
    assert first in article
    # "such as diazepam" is not the article's: it is a recorded reading, shown with the item
    neuromuscular = indications["tofisopam-neurotic-symptoms-in-neuromuscular-disease"]
    assert "such as diazepam" in neuromuscular["contraindication"]
    assert "such as diazepam" not in article
    assert neuromuscular["reading_ids"] == ["tofisopam-such-as-diazepam"]


def test_m3_the_colon_reading_sits_on_the_item_it_reads(dataset: Dataset) -> None:
    tofisopam = dataset.drugs_by_id["tofisopam"]
    by_id = {i.id: i for i in tofisopam.indications}
    assert "tofisopam-neurotic-symptom-settings" in by_id["tofisopam-neurotic-symptoms"].readings
    neuromuscular = by_id["tofisopam-neurotic-symptoms-in-neuromuscular-disease"]
    assert "tofisopam-neurotic-symptom-settings" not in neuromuscular.readings


def test_m7_spinal_diseases_is_the_article_word_and_spinal_cord_its_reading(dataset: Dataset) -> None:
    baclofen = next(i for i in dataset.drugs_by_id["baclofen"].indications if i.id == "baclofen-spasticity")
    assert "spinal diseases (infectious, degenerative" in baclofen.text
    assert "spinal cord" not in baclofen.text
    assert "baclofen-spinal-cord-diseases" in baclofen.readings


@pytest.mark.parametrize(
    ("condition", "code"),
    [("tremor", "R25.1"), ("agitation", "R45.1"), ("irritability", "R45.4"), ("apathy", "R45.3")],
)
def test_m5_symptoms_carry_their_who_r_codes(dataset: Dataset, condition: str, code: str) -> None:
    assert dataset.conditions_by_id[condition].icd10 == (code,)


def test_m8_tetanus_and_athetosis_are_not_filed_under_spasticity() -> None:
    """FACTS §4: diazepam's spastic conditions take in tetanus and athetosis,
    which are not spasticity: the Spasticity cell does not list them, and
    their own rows still name the item."""
    _, out = _run("compare", "baclofen", "diazepam", "tizanidine", "tofisopam")
    rows = {line.split("\t")[1]: line.split("\t") for line in out.splitlines() if line.count("\t") >= 5}
    diazepam = rows["Spasticity"][4]
    assert diazepam.startswith("treated (Spastic conditions")
    assert "Tetanus" not in diazepam and "Athetosis" not in diazepam
    assert rows["Tetanus"][4] == "example setting for Spastic conditions"
    _, index = _run("conditions", "spasticity")
    assert "Tetanus" not in index and "Athetosis" not in index
