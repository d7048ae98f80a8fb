"""The bundled dataset (schema 2) against the source article and the reference facts.

The dataset is read with tomli directly, not through adjuvant's loader. The
per-drug condition lists below were written by reading the article's
"Indications for use" paragraphs; they guard against an indication going
missing (or one being invented) when the dataset is edited. Identifiers,
brands, codes and synonyms are compared with FACTS.md's tables, parsed at
test time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import tomli

from adjuvant_cli.text import fold

from .conftest import SHARED
from .test_trace import DATASET, need_shared

FACTS = SHARED / "reference" / "FACTS.md"
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ROLES = {"target", "setting", "example"}

# What the article's indications name, per drug, as condition ids (every role).
ARTICLE_CONDITIONS = {
    "baclofen": {
        "spasticity",
        "multiple-sclerosis",
        "stroke",
        "traumatic-brain-injury",
        "meningitis",
        "spinal-cord-diseases",
        "myelitis",
        "degenerative-spinal-cord-disease",
        "spinal-cord-tumour",
        "spinal-cord-injury",
        "cerebral-palsy",
        "affective-disorders",
        "alcohol-dependence",
    },
    "diazepam": {
        "anxiety-disorders",
        "dysphoria",
        "insomnia",
        "muscle-spasm",
        "local-trauma",
        "spasticity",
        "brain-damage",
        "spinal-cord-diseases",
        "cerebral-palsy",
        "athetosis",
        "tetanus",
        "muscle-tension",
        "myositis",
        "bursitis",
        "arthritis",
        "ankylosing-spondylitis",
        "rheumatoid-arthritis",
        "arthrosis",
        "vertebral-syndrome",
        "angina-pectoris",
        "tension-headache",
        "anxiety",
        "nervous-tension",
        "agitation",
        "tremor",
        "transient-reactive-states",
        "alcohol-withdrawal",
        "arterial-hypertension",
        "gastric-ulcer",
        "duodenal-ulcer",
        "psychosomatic-disorders",
        "climacteric-disorders",
        "menstrual-disorders",
        "gestosis",
        "status-epilepticus",
        "pruritus",
        "irritability",
        "eczema",
        "pruritic-diseases",
        "menieres-disease",
        "drug-poisoning",
        "premedication",
        "general-anaesthesia",
        "myocardial-infarction",
        "motor-agitation",
        "neurological-diseases",
        "mental-disorders",
        "paranoid-hallucinatory-states",
        "epileptic-seizures",
        "labour-facilitation",
        "preterm-labour",
        "placental-abruption",
    },
    "tizanidine": {
        "muscle-spasm",
        "disorders-of-the-spine",
        "neck-pain",
        "low-back-pain",
        "spinal-osteochondrosis",
        "spondylosis",
        "syringomyelia",
        "hemiplegia",
        "postoperative-state",
        "disc-herniation",
        "hip-osteoarthritis",
        "spasticity",
        "neurological-diseases",
        "multiple-sclerosis",
        "chronic-myelopathy",
        "degenerative-spinal-cord-disease",
        "sequelae-of-stroke",
        "traumatic-brain-injury",
        "cerebral-palsy",
    },
    "tofisopam": {
        "neurosis",
        "nervous-tension",
        "vegetative-lability",
        "fear",
        "personality-disorder",
        "neurotic-symptoms",
        "apathy",
        "decreased-activity",
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

# Diazepam's indications after the article's "For parenteral administration".
PARENTERAL = {
    "diazepam-parenteral-premedication-and-anaesthesia",
    "diazepam-myocardial-infarction",
    "diazepam-motor-agitation",
    "diazepam-epileptic-seizures",
    "diazepam-facilitation-of-labour",
    "diazepam-preterm-labour",
    "diazepam-placental-abruption",
}

# FACTS §4b, read by hand: what each umbrella reaches.
UMBRELLAS = {
    "back-pain": {
        "vertebral-syndrome",
        "neck-pain",
        "low-back-pain",
        "spinal-osteochondrosis",
        "spondylosis",
        "disc-herniation",
        "ankylosing-spondylitis",
        "disorders-of-the-spine",
        # FACTS §4c: the spine conditions vertebral syndrome covers
        "sciatica",
        "lumbago-with-sciatica",
        "spinal-stenosis",
    },
    "neck": {"neck-pain", "disc-herniation"},
    "head-injury": {"traumatic-brain-injury", "sequelae-of-intracranial-injury"},
    "seizures": {"epileptic-seizures", "status-epilepticus"},
    "peptic-ulcer": {"gastric-ulcer", "duodenal-ulcer"},
    "alcohol": {"alcohol-dependence", "alcohol-withdrawal", "alcoholic-delirium"},
    "pregnancy": {"preterm-labour", "labour-facilitation", "placental-abruption", "gestosis"},
    "surgery": {"premedication", "general-anaesthesia", "postoperative-state"},
}

# FACTS §4's narrower/broader cells name these without a condition of their own.
NOT_CONDITIONS = {"the spine conditions below", "peptic ulcer"}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with DATASET.open("rb") as file:
        return tomli.load(file)


@pytest.fixture(scope="module")
def drugs(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in data["drugs"]}


@pytest.fixture(scope="module")
def conditions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["conditions"]}


def linked(drug: dict[str, Any], role: str | None = None) -> set[str]:
    return {
        link["condition"]
        for indication in drug["indications"]
        for link in indication["links"]
        if role is None or link["role"] == role
    }


def statements(data: dict[str, Any], *, with_indications: bool = False) -> Iterator[dict[str, Any]]:
    """Every mechanism, action and onset statement (and indication, if asked) of every drug."""
    parts = ("mechanism", "actions", "onset", *(("indications",) if with_indications else ()))
    for drug in data["drugs"]:
        for part in parts:
            yield from drug.get(part, [])


def indication(drugs: dict[str, dict[str, Any]], indication_id: str) -> dict[str, Any]:
    drug = drugs[indication_id.split("-", maxsplit=1)[0]]
    return next(i for i in drug["indications"] if i["id"] == indication_id)


def roles(item: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for link in item["links"]:
        found.setdefault(link["role"], set()).add(link["condition"])
    return found


def facts_rows(section: str) -> list[list[str]]:
    """The rows of the first table after the heading starting `## <section>`."""
    facts = need_shared(FACTS).read_text(encoding="utf-8")
    body = re.split(rf"\n##+ {re.escape(section)}", facts, maxsplit=1)[1]
    table: list[str] = []
    for line in body.splitlines()[1:]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    rows = [line.strip().strip("|").split("|") for line in table]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def without_parentheses(text: str) -> str:
    return " ".join(re.sub(r"\([^()]*\)", " ", text).split())


def facts_codes(cell: str) -> set[str]:
    code = r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?"
    return {c.replace("–", "-") for c in re.findall(rf"{code}(?:–{code})?", without_parentheses(cell))}


def facts_names(cell: str) -> Iterator[str]:
    """The names in a comma-separated FACTS cell, parentheses dropped; "—" is none."""
    for raw in without_parentheses(cell).split(","):
        name = raw.strip(" .")
        if name and name != "—":
            yield name


def test_every_drug_of_the_article_is_there(data: dict[str, Any]) -> None:
    assert data["schema_version"] == 2
    assert [d["id"] for d in data["drugs"]] == ["baclofen", "diazepam", "tizanidine", "tofisopam"]


@pytest.mark.parametrize("drug_id", sorted(ARTICLE_CONDITIONS))
def test_indications_name_exactly_the_articles_conditions(
    drugs: dict[str, dict[str, Any]], drug_id: str
) -> None:
    assert linked(drugs[drug_id]) == ARTICLE_CONDITIONS[drug_id]


def test_ids_are_kebab_case_and_indication_ids_unique_and_prefixed(data: dict[str, Any]) -> None:
    ids = [i["id"] for d in data["drugs"] for i in d["indications"]]
    assert len(ids) == len(set(ids))
    for drug in data["drugs"]:
        for item in drug["indications"]:
            assert ID.match(item["id"]) and item["id"].startswith(drug["id"] + "-"), item["id"]
    for entry in (*data["conditions"], *data["umbrellas"], *data["effects"]):
        assert ID.match(entry["id"]), entry["id"]


def test_links_carry_a_known_role_and_name_a_condition_once(
    data: dict[str, Any], conditions: dict[str, dict[str, Any]]
) -> None:
    for drug in data["drugs"]:
        for item in drug["indications"]:
            named = [link["condition"] for link in item["links"]]
            assert len(named) == len(set(named)), item["id"]
            assert set(named) <= set(conditions), item["id"]
            assert {link["role"] for link in item["links"]} <= ROLES, item["id"]
            assert "target" in roles(item), f"{item['id']} says what it treats but links no target"


def test_no_condition_is_an_orphan(data: dict[str, Any], conditions: dict[str, dict[str, Any]]) -> None:
    """Each condition is linked by an indication, a statement's mentions, an
    umbrella, or a broader/narrower relation with another condition."""
    used = {link["condition"] for d in data["drugs"] for i in d["indications"] for link in i["links"]}
    used |= {m for s in statements(data) for m in s.get("mentions", [])}
    used |= {r for u in data["umbrellas"] for r in u["reaches"]}
    for condition in data["conditions"]:
        if condition.get("broader"):
            used |= {condition["id"], *condition["broader"]}
    assert set(conditions) - used == set()
    assert used <= set(conditions)


def test_every_condition_has_codes_or_says_why_not(data: dict[str, Any]) -> None:
    for condition in data["conditions"]:
        assert bool(condition.get("icd10")) != bool(condition.get("no_code_reason")), condition["id"]


def test_diazepam_parenteral_indications_carry_their_route(drugs: dict[str, dict[str, Any]]) -> None:
    diazepam = drugs["diazepam"]
    assert {i["id"] for i in diazepam["indications"] if i.get("route") == "parenteral"} == PARENTERAL
    sources = {i["source"] for i in diazepam["indications"] if i["id"] in PARENTERAL}
    assert all(s.startswith("diazepam/indications/10.") for s in sources)
    assert any("parenteral" in c["text"] for c in diazepam["caveats"])


@pytest.mark.parametrize(
    ("indication_id", "qualifier"),
    [
        ("diazepam-dysphoria", "as part of combination therapy, as an additional drug"),
        ("diazepam-insomnia", "difficulty falling asleep"),
        ("diazepam-arterial-hypertension", "as part of complex therapy"),
        ("diazepam-gastric-ulcer", "as part of complex therapy"),
        ("diazepam-duodenal-ulcer", "as part of complex therapy"),
        ("diazepam-psychosomatic-disorders", "as part of complex therapy"),
        ("diazepam-status-epilepticus", "as part of complex therapy"),
        ("diazepam-itching-and-irritability", "as part of complex therapy"),
        ("diazepam-myocardial-infarction", "as part of complex therapy"),
        ("diazepam-epileptic-seizures", "to stop seizures"),
        ("diazepam-preterm-labour", "only at the end of the third trimester of pregnancy"),
    ],
)
def test_qualifiers_stay_on_their_indications(
    drugs: dict[str, dict[str, Any]], indication_id: str, qualifier: str
) -> None:
    assert qualifier in indication(drugs, indication_id).get("qualifiers", [])


def test_tofisopam_names_psychiatric_conditions_only_as_settings(drugs: dict[str, dict[str, Any]]) -> None:
    targets = linked(drugs["tofisopam"], "target")
    for setting in ("schizophrenia", "bipolar-disorder", "delirium", "myasthenia", "alcohol-dependence"):
        assert setting not in targets
    neuromuscular = indication(drugs, "tofisopam-neurotic-symptoms-in-neuromuscular-disease")
    assert roles(neuromuscular)["setting"] == {"myasthenia", "myopathy", "neurogenic-muscular-atrophy"}
    assert "diazepam" in neuromuscular["contraindication"]
    assert "contraindicated" in neuromuscular["contraindication"]


def test_key_readings_shape_the_links(drugs: dict[str, dict[str, Any]], data: dict[str, Any]) -> None:
    after_surgery = roles(indication(drugs, "tizanidine-muscle-spasm-after-surgery"))
    assert after_surgery == {
        "target": {"muscle-spasm"},
        "setting": {"postoperative-state"},
        "example": {"disc-herniation", "hip-osteoarthritis"},
    }
    agitation = roles(indication(drugs, "diazepam-motor-agitation"))
    assert agitation["target"] == {"motor-agitation"}
    assert "paranoid-hallucinatory-states" in agitation["setting"]
    alcoholism = roles(indication(drugs, "baclofen-affective-disorders-in-alcoholism"))
    assert alcoholism == {"target": {"affective-disorders"}, "setting": {"alcohol-dependence"}}
    spasticity = roles(indication(drugs, "baclofen-spasticity"))
    assert spasticity["example"] == {
        "myelitis",
        "degenerative-spinal-cord-disease",
        "spinal-cord-tumour",
        "spinal-cord-injury",
    }
    delirium = [s for s in drugs["diazepam"]["actions"] if "alcoholic delirium" in s["text"]]
    assert [s["mentions"] for s in delirium] == [["alcohol-withdrawal", "alcoholic-delirium"]]
    angina = indication(drugs, "diazepam-angina-pectoris")
    assert "spasm" not in fold(angina["group"]), "audit E17: angina is not muscle spasm"
    synonyms = {fold(s) for c in data["conditions"] for s in c.get("synonyms", [])}
    assert "hallucinations" not in synonyms


def test_dosage_forms_follow_the_article(drugs: dict[str, dict[str, Any]]) -> None:
    assert {d: drug["forms"] for d, drug in drugs.items()} == {
        "baclofen": ["tablets"],
        "diazepam": ["tablets"],
        "tizanidine": ["tablets", "modified-release capsules"],
        "tofisopam": ["tablets"],
    }


def test_effect_profiles_follow_the_article(drugs: dict[str, dict[str, Any]]) -> None:
    effects = {d: set(drug["effects"]) for d, drug in drugs.items()}
    assert effects["baclofen"] == {"muscle-relaxant"}
    assert effects["tizanidine"] == {"muscle-relaxant"}
    assert effects["diazepam"] >= {"anxiolytic", "sedative", "hypnotic", "anticonvulsant", "muscle-relaxant"}
    # The article's tofisopam text claims these; the caveat says what to make of it.
    assert effects["tofisopam"] == {"anxiolytic", "sedative", "anticonvulsant", "muscle-relaxant"}


def test_tofisopam_caveats_cover_effects_receptors_and_status(drugs: dict[str, dict[str, Any]]) -> None:
    caveats = {c["id"]: c for c in drugs["tofisopam"]["caveats"]}
    effects = caveats["tofisopam-effects-and-receptors"]
    assert effects["effects"] == ["muscle-relaxant", "sedative", "anticonvulsant"]
    for needed in ("2,3-benzodiazepine", "contraindicated", "benzodiazepine receptors", "non-sedating"):
        assert needed in effects["text"]
    assert "not approved in the United States" in caveats["tofisopam-regulatory-status"]["text"]


def test_onset_statements_come_from_the_diazepam_section(drugs: dict[str, dict[str, Any]]) -> None:
    onset = {s["text"]: s for s in drugs["diazepam"]["onset"]}
    course = next(s for text, s in onset.items() if "2–7 days" in text)
    assert "course of treatment" in course["context"] and "minutes" in course["context"]
    assert any("end of the first week" in text for text in onset)
    assert all(not drug.get("onset") for d, drug in drugs.items() if d != "diazepam")


def test_source_scope_and_disclaimer(data: dict[str, Any]) -> None:
    assert data["source"]["title"] == "Use of adjuvants in the treatment of back pain"
    assert data["source"]["last_reviewed"].isoformat() == "2025-07-08"
    scope = fold(data["source"]["scope"])
    for needed in ("doses", "contraindications", "adverse effects", "interactions", "pregnancy", "renal"):
        assert needed in scope
    assert "absence of a statement is not the absence of a risk" in scope
    assert "\n" not in data["source"]["scope"]
    compact = data["disclaimer"]["compact"]
    assert len(compact) <= 160
    for text in (data["disclaimer"]["text"], compact):
        lowered = fold(text)
        for needed in ("not a guide to self-treatment", "decides" if text is compact else "decided"):
            assert needed in lowered
        for needed in ("route", "dose", "self-medication is dangerous", "leaflet"):
            assert needed in lowered


def test_corrections_are_used_and_the_wrong_words_are_not(data: dict[str, Any]) -> None:
    corrections = [c for d in data["drugs"] for c in d.get("corrections", [])]
    assert len(corrections) == 4
    said = " ".join(s["text"] for s in statements(data, with_indications=True))
    # Baclofen's "spinal diseases" is the article's word, not an error: its
    # reading (spinal cord diseases) is recorded and shown with it.
    for wrong in ("raresthesia", "retebral", "pre-I synaptic"):
        assert wrong not in said
    cited = {c for s in statements(data, with_indications=True) for c in s.get("corrections", [])}
    assert cited == {c["id"] for c in corrections}


def test_identifiers_match_the_reference_facts(drugs: dict[str, dict[str, Any]]) -> None:
    rows = {row[0]: row for row in facts_rows("3. Identifiers")}
    assert set(rows) == set(drugs)
    for drug_id, drug in drugs.items():
        _, atc, russian = rows[drug_id]
        assert drug["atc"] == atc
        assert drug["other_names"] == [russian]


def test_brands_and_their_forms_match_the_reference_facts(drugs: dict[str, dict[str, Any]]) -> None:
    facts = {row[0]: row for row in _brand_rows()}
    ours = {b["name"]: (d, b) for d, drug in drugs.items() for b in drug["brands"]}
    assert set(ours) == set(facts)
    for name, (drug_id, brand) in ours.items():
        _, facts_drug, facts_forms = facts[name]
        assert drug_id == facts_drug, name
        assert brand["forms"], f"{name}: FACTS gives its forms"
        words = set(re.findall(r"[a-z]+", fold(facts_forms)))
        for form in brand["forms"]:
            assert set(re.findall(r"[a-z]+", form)) <= words, (name, form)


def _brand_rows() -> list[list[str]]:
    """[brand, drug, forms] per row of FACTS §3, plus a row for each product
    its forms cell names in quotes ('"Lioresal Intrathecal" is an intrathecal
    injection'): a name a clinician may type, with the forms said of it."""
    facts = need_shared(FACTS).read_text(encoding="utf-8")
    table = facts.split("| brand | drug | forms", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in table.splitlines()[2:] if line.startswith("|")]
    brands = [[cell.strip() for cell in row] for row in rows]
    products = [
        [product, drug, forms]
        for _, drug, cell in brands
        for product, forms in re.findall(r'"([^"]+)" is an? ([^;]+)', cell)
    ]
    assert products, "FACTS §3 names a product in quotes (Lioresal Intrathecal)"
    return brands + products


def _condition_rows() -> list[list[str]]:
    rows = facts_rows("4. Conditions")
    assert len(rows) >= 60, "FACTS §4's table was not found"
    return rows


def test_every_facts_condition_is_a_condition(conditions: dict[str, dict[str, Any]]) -> None:
    labels = {fold(c["label"]) for c in conditions.values()}
    for row in _condition_rows():
        assert fold(row[0]) in labels, row[0]


# FACTS §4: "WHO lists reactive depression under F32", whose title (Depressive
# episode) is broader: F32 is the broader condition's code, reactive depression inside it.
LISTED_UNDER = {"reactive depression": "F32"}


def test_condition_codes_match_the_reference_facts(conditions: dict[str, dict[str, Any]]) -> None:
    by_label = {fold(c["label"]): c for c in conditions.values()}
    for label, _, _, icd in _condition_rows():
        if fold(label) in LISTED_UNDER:
            # No code of its own: the code FACTS gives is its broader condition's.
            condition = by_label[fold(label)]
            assert "icd10" not in condition and condition["no_code_reason"], label
            (broader,) = condition["broader"]
            assert conditions[broader]["icd10"] == [LISTED_UNDER[fold(label)]] == sorted(facts_codes(icd))
            continue
        own = set(by_label[fold(label)].get("icd10", []))
        # A run of categories each the condition itself may be listed one by one (G00-G03).
        assert own == facts_codes(icd) or _by_category(own) == _by_category(facts_codes(icd)), label


def _by_category(listed: set[str]) -> set[str]:
    """Codes with every range between two categories written as its categories."""
    from adjuvant_cli import codes

    return {
        c for code in listed for c in (codes.categories(code) if "-" in code and "." not in code else (code,))
    }


# Where FACTS §4c differs from §4's table, §4c wins: "psychopathy" is the
# article's word for personality disorder itself.
# "osteochondrosis" (the article's word in tizanidine's list) is what §4c says
# vertebral syndrome covers: spinal osteochondrosis, as §2 and §4a read it.
SYNONYMS_FROM_4C = {"personality disorder": ["psychopathy"], "spinal osteochondrosis": ["osteochondrosis"]}


def test_condition_synonyms_match_the_reference_facts(conditions: dict[str, dict[str, Any]]) -> None:
    by_label = {fold(c["label"]): c for c in conditions.values()}
    for label, cell, _, _ in _condition_rows():
        names = list(facts_names(cell))
        capitals = {n for n in names if n.isupper()}
        condition = by_label[fold(label)]
        names += SYNONYMS_FROM_4C.get(fold(label), [])
        assert set(condition.get("synonyms", [])) == set(names) - capitals, label
        assert (
            set(condition.get("abbreviations", [])) | set(condition.get("case_sensitive_abbreviations", []))
            == capitals
        ), label
    assert by_label["ankylosing spondylitis"]["case_sensitive_abbreviations"] == ["AS"]


def test_narrower_and_broader_links_match_the_reference_facts(
    conditions: dict[str, dict[str, Any]], data: dict[str, Any]
) -> None:
    by_label = {fold(c["label"]): c for c in conditions.values()}
    umbrellas = {fold(u["label"]) for u in data["umbrellas"]}
    checked = 0
    for label, _, cell, _ in _condition_rows():
        this = by_label[fold(label)]
        for clause in cell.split(";"):
            kind, _, names = clause.strip().partition(":")
            if kind not in {"narrower", "broader"}:
                continue
            for raw in re.split(r",\s*(?![^()]*\))", names):
                name = without_parentheses(raw).strip()
                if fold(name) in NOT_CONDITIONS or fold(name) in umbrellas:
                    continue
                other = by_label[fold(name)]
                narrow, broad = (other, this) if kind == "narrower" else (this, other)
                assert broad["id"] in narrow.get("broader", []), (narrow["id"], broad["id"])
                in_parentheses = facts_codes(" ".join(re.findall(r"\(([^()]*)\)", raw)))
                if kind == "narrower" and in_parentheses:
                    assert in_parentheses <= set(other["icd10"]), (other["id"], in_parentheses)
                checked += 1
    assert checked >= 20
    # FACTS §4c: drug poisoning's "group only" is "does not cover".
    assert by_label["drug poisoning"].get("covers") is False


def test_umbrellas_follow_the_reference_facts(
    data: dict[str, Any], conditions: dict[str, dict[str, Any]]
) -> None:
    umbrellas = {u["id"]: u for u in data["umbrellas"]}
    assert {u: set(v["reaches"]) for u, v in umbrellas.items()} == UMBRELLAS
    rows = {fold(row[0]): row for row in facts_rows("4b. Umbrella terms")}
    for umbrella in umbrellas.values():
        assert set(umbrella.get("synonyms", [])) == set(facts_names(rows[fold(umbrella["label"])][1]))
    in_dorsopathies = {
        c["id"]
        for c in conditions.values()
        for code in c.get("icd10", [])
        if code[0] == "M" and 40 <= int(code[1:3]) <= 54
    }
    # FACTS §4c: not the spine's infections and fractures, which vertebral syndrome does not cover.
    not_covered = {"vertebral-osteomyelitis", "tuberculosis-of-spine"}
    assert in_dorsopathies - not_covered <= UMBRELLAS["back-pain"]
    assert not not_covered & UMBRELLAS["back-pain"]
    assert not {"spinal-cord-diseases", "syringomyelia", "hemiplegia"} & UMBRELLAS["back-pain"]
