"""The bundled dataset against the source article and the reference facts.

The per-drug condition lists below were written by reading the article's
"Indications for use" paragraphs; they are the guard against an indication
going missing (or one being invented) when the dataset is edited.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adjuvant_cli.model import Dataset
from adjuvant_cli.text import fold, tokens

from .conftest import SHARED

ARTICLE = SHARED / "seed" / "use-of-adjuvants-in-back-pain.txt"
FACTS = SHARED / "reference" / "FACTS.md"

# What the article's indications name, per drug, as vocabulary ids.
ARTICLE_CONDITIONS = {
    "baclofen": {
        "spasticity",
        "multiple-sclerosis",
        "stroke",
        "traumatic-brain-injury",
        "meningitis",
        "spinal-cord-diseases",
        "cerebral-palsy",
        "alcohol-dependence",
    },
    "diazepam": {
        "anxiety-disorders",
        "dysphoria",
        "insomnia",
        "muscle-spasm",
        "spasticity",
        "cerebral-palsy",
        "athetosis",
        "tetanus",
        "myositis",
        "bursitis",
        "arthritis-arthrosis",
        "ankylosing-spondylitis",
        "rheumatoid-arthritis",
        "vertebral-syndrome",
        "angina-pectoris",
        "tension-headache",
        "alcohol-withdrawal",
        "arterial-hypertension",
        "peptic-ulcer",
        "climacteric-disorders",
        "gestosis",
        "status-epilepticus",
        "eczema",
        "menieres-disease",
        "drug-poisoning",
        "premedication-anaesthesia",
        "myocardial-infarction",
        "motor-agitation",
        "paranoid-hallucinatory-states",
        "epileptic-seizures",
        "labour-facilitation",
        "preterm-labour",
        "placental-abruption",
    },
    "tizanidine": {
        "muscle-spasm",
        "neck-pain",
        "low-back-pain",
        "spinal-osteochondrosis",
        "spondylosis",
        "syringomyelia",
        "hemiplegia",
        "disc-herniation",
        "hip-osteoarthritis",
        "spasticity",
        "multiple-sclerosis",
        "spinal-cord-diseases",
        "stroke",
        "traumatic-brain-injury",
        "cerebral-palsy",
    },
    "tofisopam": {
        "neurosis",
        "personality-disorder",
        "apathy",
        "schizophrenia",
        "bipolar-disorder",
        "reactive-depression",
        "climacteric-disorders",
        "cardialgia",
        "alcohol-dependence",
        "alcohol-withdrawal",
        "delirium",
        "myasthenia",
        "myopathy",
        "neurogenic-muscular-atrophy",
    },
}

# Diazepam's parenteral indications, as the article lists them after "For parenteral administration".
PARENTERAL = {
    "Premedication before general anaesthesia",
    "Component of combined general anaesthesia",
    "Myocardial infarction",
    "Motor agitation of various origins in neurology and psychiatry; paranoid-hallucinatory states",
    "Epileptic seizures",
    "Facilitation of labour",
    "Premature labour",
    "Premature detachment of the placenta",
}


def _need(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"{path} is not beside the checkout (it is in CI and in a developer's workspace)")
    return path.read_text(encoding="utf-8")


def test_every_drug_of_the_article_is_there(dataset: Dataset) -> None:
    assert [d.id for d in dataset.drugs] == ["baclofen", "diazepam", "tizanidine", "tofisopam"]


@pytest.mark.parametrize("drug_id", sorted(ARTICLE_CONDITIONS))
def test_indications_name_exactly_the_articles_conditions(dataset: Dataset, drug_id: str) -> None:
    assert set(dataset.drugs_by_id[drug_id].condition_ids) == ARTICLE_CONDITIONS[drug_id]


def test_diazepam_parenteral_indications_carry_their_route(dataset: Dataset) -> None:
    diazepam = dataset.drugs_by_id["diazepam"]
    parenteral = {i.text for i in diazepam.indications if i.route == "parenteral"}
    assert parenteral == PARENTERAL
    assert any("parenteral" in c for c in diazepam.caveats)


def test_dosage_forms_follow_the_article(dataset: Dataset) -> None:
    forms = {d.id: d.forms for d in dataset.drugs}
    assert forms == {
        "baclofen": ("tablets",),
        "diazepam": ("tablets",),
        "tizanidine": ("tablets", "modified-release capsules"),
        "tofisopam": ("tablets",),
    }


def test_effect_profiles_follow_the_article(dataset: Dataset) -> None:
    effects = {d.id: set(d.effects) for d in dataset.drugs}
    assert effects["baclofen"] == {"muscle-relaxant"}
    assert effects["tizanidine"] == {"muscle-relaxant"}
    assert effects["diazepam"] >= {"anxiolytic", "sedative", "hypnotic", "anticonvulsant", "muscle-relaxant"}
    # The article's tofisopam text claims these; the caveat says what to make of it.
    assert effects["tofisopam"] == {"anxiolytic", "sedative", "anticonvulsant", "muscle-relaxant"}


def test_tofisopam_carries_the_reference_caveat(dataset: Dataset) -> None:
    caveats = " ".join(dataset.drugs_by_id["tofisopam"].caveats)
    assert "2,3-benzodiazepine" in caveats
    assert "contraindicated" in caveats


def test_onset_statements_come_from_the_diazepam_section(dataset: Dataset) -> None:
    onset = dataset.drugs_by_id["diazepam"].onset
    assert any("2–7 days" in s for s in onset)
    assert any("end of the first week" in s for s in onset)
    assert all(not d.onset for d in dataset.drugs if d.id != "diazepam")


def test_source_and_disclaimer(dataset: Dataset) -> None:
    assert dataset.source.title == "Use of adjuvants in the treatment of back pain"
    assert dataset.source.last_reviewed.isoformat() == "2025-07-08"
    disclaimer = dataset.disclaimer.lower()
    for needed in (
        "not a guide to self-treatment",
        "attending physician",
        "dose",
        "route",
        "self-medication is dangerous",
        "leaflet",
    ):
        assert needed in disclaimer


def test_every_correction_quotes_the_article_and_the_dataset_uses_the_correction(dataset: Dataset) -> None:
    article = _need(ARTICLE)
    corrections = [(d, c) for d in dataset.drugs for c in d.corrections]
    assert len(corrections) == 4
    for drug, correction in corrections:
        original = correction.original.rstrip(" …")
        assert original in article, f"{drug.id}: {original!r} is not in the article"
    everything = " ".join(
        s
        for d in dataset.drugs
        for s in (*d.mechanism, *d.actions, *d.onset, *(i.text for i in d.indications))
    )
    for wrong in ("raresthesia", "retebral", "pre-I synaptic"):
        assert wrong not in everything


def test_every_indication_word_appears_in_the_article(dataset: Dataset) -> None:
    """Nothing clinical invented: each word of an indication is a word of the
    article (after folding and stemming), the corrections' wording aside."""
    from adjuvant_cli.text import stem

    article = _need(ARTICLE)
    article_stems = {stem(t.folded) for t in tokens(article)}
    allowed = {stem(t.folded) for d in dataset.drugs for c in d.corrections for t in tokens(c.corrected)}
    for drug in dataset.drugs:
        for indication in drug.indications:
            for token in tokens(" ".join((indication.text, *indication.qualifiers))):
                word = stem(token.folded)
                assert word in article_stems or word in allowed, (
                    f"{drug.id}: {token.folded!r} in {indication.text!r}"
                )


def _facts_rows(section: str) -> list[list[str]]:
    facts = _need(FACTS)
    body = facts.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in body.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def test_identifiers_match_the_reference_facts(dataset: Dataset) -> None:
    rows = {row[0]: row for row in _facts_rows("3. Identifiers")}
    assert set(rows) == {d.id for d in dataset.drugs}
    for drug in dataset.drugs:
        _, atc, brands, russian = rows[drug.id]
        assert drug.atc == atc
        assert drug.other_names == (russian,)
        for brand in drug.brand_names:
            assert fold(brand.split()[0]) in fold(brands), f"{drug.id}: brand {brand!r} not in FACTS"


def test_condition_codes_match_the_reference_facts(dataset: Dataset) -> None:
    codes_in_facts: dict[str, set[str]] = {}
    for row in _facts_rows("4. Conditions named by the indications"):
        label, _, icd, _ = row
        codes_in_facts[fold(label)] = set(re.findall(r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?", icd))
    for condition in dataset.conditions:
        if not condition.icd10:
            continue
        key = fold(condition.label)
        assert key in codes_in_facts, f"{condition.label!r} is not a FACTS condition"
        ours = {c for code in condition.icd10 for c in code.split("-")}
        assert ours == codes_in_facts[key], condition.id


def test_every_facts_condition_is_in_the_vocabulary(dataset: Dataset) -> None:
    labels = {fold(c.label) for c in dataset.conditions}
    for row in _facts_rows("4. Conditions named by the indications"):
        assert fold(row[0]) in labels, row[0]
