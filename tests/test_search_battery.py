"""A battery of searches a clinician, pharmacist or student would type, each
with what the source says of it, written from the article and FACTS.md
(§4 conditions and codes, §4a roles, §4b umbrella terms), not from output.

For every query: the drugs expected in each tier, drugs that must not be a
counted hit, words that must be visible on the terminal (routes, qualifiers,
roles), and the exit code. Tiers are the search's (search/results.py): target,
setting (setting or example), narrower, wording, drug; then, not counted,
mention, broader, who_title.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset
from adjuvant_cli.vocabulary import code_meaning

runner = CliRunner()

B, D, Z, T = "baclofen", "diazepam", "tizanidine", "tofisopam"
ALL = {B, D, Z, T}


class Case(NamedTuple):
    queries: tuple[str, ...]  # ways of typing the same thing: each gives the same answer
    tiers: dict[str, set[str]]  # tier -> drugs expected there (exactly)
    visible: tuple[str, ...] = ()  # must stand in the terminal output
    exit_code: int = 0
    not_counted: frozenset[str] = frozenset()  # drugs that must not be a counted hit


def case(
    queries: str | tuple[str, ...], exit_code: int = 0, visible: tuple[str, ...] = (), **tiers: set[str]
) -> Case:
    typed = (queries,) if isinstance(queries, str) else queries
    counted = set().union(*(v for k, v in tiers.items() if k in COUNTED)) if tiers else set()
    return Case(typed, tiers, visible, exit_code, frozenset(ALL - counted))


COUNTED = {"target", "setting", "narrower", "wording", "drug"}

CASES = [
    # Spasticity and spasm are different signs (FACTS §4, §4b)
    case(("spasticity", "muscle spasticity", "Spasticity", "SPASTICITY"), target={B, D, Z}),
    case(("spasm", "muscle spasm", "painful muscle spasm", "R25.2"), target={D, Z}),
    # Settings are never "indicated for" (FACTS §4a)
    case(
        ("multiple sclerosis", "MS", "ms", "disseminated sclerosis", "G35"),
        setting={B, Z},
        broader={D},  # motor agitation "in neurology": a whole field, shown in general (§4c)
        visible=("setting",),
    ),
    case(("stroke", "CVA", "cerebrovascular accident", "I60-I64"), setting={B}, narrower={Z}),
    # A code inside stroke's range is a stroke inside it, which stroke covers
    # (FACTS §4c); the sequelae of stroke (I69) lie outside the code typed.
    case(("I63", "I61", "I64"), setting={B}),
    # Stroke covers its sequelae: "spasticity in strokes" is post-stroke spasticity (§4c).
    case(("sequelae of stroke", "I69"), setting={B, Z}),
    # What is treated and where: the indication itself (a target), and tizanidine's
    # sequelae of stroke, narrower
    case("spasticity in stroke", target={B}, narrower={Z}),
    # "after (a) stroke" is the sequelae of stroke (FACTS §4d), which stroke covers.
    case(("spasticity after stroke", "spasticity after a stroke"), target={B, Z}),
    case(("traumatic brain injury", "TBI", "S06"), setting={B, Z}),
    case("head injury", setting={B, Z}, visible=("Head injury",)),
    # Each of G00-G03 is one of meningitis's own codes (FACTS §4): meningitis itself.
    case(("meningitis", "A87", "A39.0", "G00", "G03"), setting={B}),
    # Spinal cord diseases cover spinal cord injury and the rest of their kinds (§4c).
    case(("spinal cord injury", "S14.1", "T91.3"), setting={B, D}, broader={Z}),
    case(("spinal cord diseases", "myelopathy", "G95"), setting={B, D}, narrower={Z}),
    case(("syringomyelia", "G95.0"), setting={B, D, Z}),
    case(("cerebral palsy", "CP", "G80"), setting={B, D, Z}),
    case("athetosis", setting={D}),
    case(("tetanus", "lockjaw"), setting={D}),
    case(("A33", "A35"), setting={D}),  # each of A33-A35 is tetanus's own code (FACTS §4)
    # Alcohol (FACTS §2 readings, §4a)
    case(
        ("alcoholism", "alcohol dependence", "chronic alcoholism", "F10.2"),
        setting={B, T},
        broader={D},  # motor agitation "in psychiatry": mental disorders in general (§4c)
        visible=("Affective",),
    ),
    case(("alcohol withdrawal", "alcohol withdrawal syndrome", "F10.3"), setting={D, T}, mention={D}),
    case(("delirium tremens", "alcoholic delirium", "F10.4"), exit_code=1, mention={D}, broader={D, T}),
    # A query reaches a mention of a narrower condition (FACTS §4a).
    case("delirium", setting={T}, mention={D}),
    # The umbrella reaches alcoholic delirium, which diazepam's action mentions (§4b, §4a).
    case("alcohol", setting={B, D, T}, mention={D}, visible=("Alcohol",)),
    # Anxiety and neurosis, one meaning however typed (issue 9 §4)
    # Neurosis covers anxiety disorders, which cover GAD, panic and phobic disorders (§4c).
    case(("anxiety disorders", "F41", "F40-F41", "F40"), target={D, T}),
    case(("generalised anxiety disorder", "GAD", "F41.1"), target={D, T}),
    case(("panic disorder", "F41.0"), target={D, T}),
    # Neurosis does not cover PTSD, OCD, dissociative or somatoform disorders (§4c).
    case(
        ("post-traumatic stress disorder", "PTSD", "F43.1", "F42", "F44.4", "F45.2"),
        exit_code=1,
        broader={D, T},  # D: mental disorders in general (§4c, last row)
    ),
    case(("neurosis", "neurotic disorders", "F40-F48"), target={T}, narrower={D}),
    # Other neurotic disorders: anxiety disorders (F40-F41) lie outside it; D: mental disorders in general
    case("F48", target={T}, broader={D}),
    case(("insomnia", "sleeplessness", "G47.0", "F51.0"), target={D}, visible=("falling asleep",)),
    case("dysphoria", target={D}, visible=("combination therapy",)),
    # Joints and muscles: the spasm or tension in them is treated (FACTS §2)
    case(("myositis", "M60"), setting={D}),
    case(("bursitis", "M75.5"), setting={D}),
    # M70 lies strictly inside bursitis's range, which §4c does not list as
    # covering: shown, not counted. M05 is one of rheumatoid arthritis's own codes (§4).
    case("M70", exit_code=1, broader={D}),
    case("M05", setting={D}),
    # Ankylosing spondylitis lies inside vertebral syndrome, and so inside tizanidine's
    # disorders of the spine, which cover it (§4c).
    case(
        ("AS", "ankylosing spondylitis", "Bechterew disease", "rheumatic pelvispondylitis", "M45"),
        setting={D, Z},
    ),
    case(("rheumatoid arthritis", "RA", "progressive chronic polyarthritis"), setting={D}),
    case(("arthrosis", "osteoarthritis", "OA"), setting={D}, narrower={Z}),
    case(("hip osteoarthritis", "coxarthrosis", "M16"), setting={D, Z}),  # arthrosis covers it
    # The spine (FACTS §4b: spine is not spinal cord)
    case(("back pain", "backache", "spine", "dorsopathy"), setting={D, Z}, visible=("Back pain",)),
    # Vertebral syndrome covers the spine's painful conditions (§4c)
    case(("low back pain", "lumbago", "LBP", "M54.5", "M54.50"), setting={D, Z}),
    case(("neck pain", "cervicalgia", "M54.2"), setting={D, Z}),
    case(("sciatica", "M54.3", "spinal stenosis", "M48.0"), setting={D, Z}),
    # but not its infections and fractures (§4c): shown, not counted
    case(("tuberculosis of spine", "M49.0", "M46.2", "M48.5", "M54.0"), exit_code=1, broader={D, Z}),
    case(("vertebral syndrome", "M40-M54"), setting={D, Z}, narrower={Z}),
    case(("herniated disc", "intervertebral disc herniation"), setting={D, Z}),
    # M51 lies inside disc herniation's M50-M51, which does not cover it: tizanidine's
    # post-surgical example is shown apart; its spine statement counts through vertebral syndrome.
    case("M51", setting={D, Z}, broader={Z}),
    case(("postoperative", "after surgery"), setting={Z}),
    case("surgery", target={D}, setting={Z}),
    # Somatic conditions: "as part of complex therapy" must be visible
    case(("angina", "angina pectoris", "I20"), target={D}),
    case(("tension headache", "TTH", "G44.2"), target={D}, broader={Z}),
    case(
        ("hypertension", "arterial hypertension", "high blood pressure"),
        target={D},
        visible=("complex therapy",),
    ),
    case(("peptic ulcer", "ulcer"), target={D}, visible=("complex therapy",)),
    case(("gastric ulcer", "stomach ulcer", "K25"), target={D}, visible=("complex therapy",)),
    case(("status epilepticus", "G41"), target={D}, broader={Z}, visible=("complex therapy",)),
    # "epilepsy" is WHO's title of G40 (FACTS §4c): read as the code typed
    case(
        ("epileptic seizures", "G40", "R56.8", "epilepsy"),
        target={D},
        visible=("parenteral", "to stop seizures"),
    ),
    # Z: status epilepticus (G41) is a neurological disease: the field in general (§4c, last row)
    case(("seizures", "convulsions", "fits"), target={D}, broader={Z}, visible=("parenteral",)),
    # Some words of a WHO title (G04 "Encephalitis, myelitis and encephalomyelitis",
    # myelitis's code, inside baclofen's spinal cord diseases): shown, not counted
    case("encephalitis", exit_code=1, who_title={B}),
    case(("eczema", "L30.9"), setting={D}),
    case(("pruritus", "itching", "L29"), target={D}),
    case(("Ménière's disease", "Meniere", "H81.0"), target={D}),
    case(
        ("myocardial infarction", "MI", "heart attack", "I21"),
        target={D},
        visible=("parenteral", "complex therapy"),
    ),
    case("premedication", target={D}, visible=("parenteral",)),
    # motor agitation is a kind of agitation (R45.1): the alcohol-withdrawal agitation is shown apart
    case("motor agitation", target={D}, broader={D}, visible=("parenteral",)),
    # Obstetrics: routes and the third-trimester limit (audit U1)
    case(("preterm labour", "premature labor", "O60"), target={D}, visible=("parenteral", "third trimester")),
    case(("placental abruption", "abruptio placentae", "O45"), target={D}, visible=("parenteral",)),
    case("pregnancy", target={D}, setting={D}, visible=("parenteral", "third trimester")),
    case(("climacteric syndrome", "menopause", "N95.1"), setting={D, T}),
    case(("gestosis", "toxaemia of pregnancy"), setting={D}),
    case("I10", exit_code=1, broader={D}),  # inside I10-I15, not listed as covering (§4c)
    # Gestosis covers pre-eclampsia, eclampsia and excessive vomiting in pregnancy (§4c)
    case(("pre-eclampsia", "O14", "eclampsia", "O15", "O21"), setting={D}),
    # Drug poisoning does not cover one poisoning (§4c): shown in general, never counted
    case(("drug poisoning", "drug overdose", "T36-T50"), target={D}),
    case(("T42.4", "T40.2", "T40"), exit_code=1, broader={D}),
    case(("opioid", "antibiotic"), exit_code=1),
    # Tofisopam: neurotic symptoms in these settings, never the disease itself
    case(("schizophrenia", "F20"), setting={T}, broader={D}, visible=("Neurotic symptoms",)),
    case(("bipolar disorder", "manic-depressive syndrome", "F31"), setting={T}, broader={D}),
    case(("reactive depression", "reactive depressive state"), setting={T}, broader={D}),
    # WHO lists it under F32 Depressive episode, which is broader (FACTS §4): narrower
    case(("F32", "depressive episode"), narrower={T}, broader={D}),
    case(("cardialgia", "R07.2"), setting={T}),
    # Beside diazepam, its contraindication there is said (FACTS §5): a mention
    case(
        ("myasthenia", "myasthenia gravis", "G70.0"),
        setting={T},
        mention={D},
        broader={D, Z},  # neurological diseases in general (§4c, last row)
        visible=("contraindicated",),
    ),
    case(("myopathy", "G71"), setting={T}, mention={D}, broader={D, Z}, visible=("contraindicated",)),
    case(("personality disorder", "F60"), setting={T}, broader={D}),
    # Class and effect words reach drugs by their tags, never a contraindication (audit U2)
    case("muscle relaxant", drug={B, D, Z, T}, visible=("disputed",)),
    case("anxiolytic", drug={D, T}),
    case("sedative", drug={D, T}, visible=("disputed",)),
    case("benzodiazepine", drug={D, T}),
    # Nothing found makes no clinical claim; look-alikes are never opposites
    case(
        ("m54zzz", "not spasticity"),
        exit_code=1,
        visible=("No indication in this dataset matches",),
    ),
    # A neurological disease the source does not name: the setting "neurological
    # diseases" is shown in general, never counted (§4c, last row)
    case("migraine", exit_code=1, broader={D, Z}, visible=("one of the neurological diseases",)),
    case("hallucinations", exit_code=1),
    case("tizanidine", exit_code=1, visible=("adjuvant show tizanidine",)),
]

QUERIES = [(q, c) for c in CASES for q in c.queries]


def _search(*args: str) -> Any:
    return runner.invoke(app, ["search", *args], env={"COLUMNS": "100", "NO_COLOR": "1"})


def _tiers(document: dict[str, Any]) -> dict[str, set[str]]:
    tiers: dict[str, set[str]] = {}
    for hit in document["result"]["hits"] + document["result"]["related"]:
        tiers.setdefault(hit["tier"], set()).add(hit["drug_id"])
    return tiers


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_search_battery(query: str, expected: Case) -> None:
    done = _search("--json", "--", query)
    assert done.exit_code == expected.exit_code, done.output
    document = json.loads(done.stdout)
    assert _tiers(document) == expected.tiers
    counted = {hit["drug_id"] for hit in document["result"]["hits"]}
    assert not counted & expected.not_counted
    shown = _search("--", query).stdout
    for words in expected.visible:
        assert words in shown, f"{query!r}: “{words}” is not shown"


def test_the_battery_is_large_enough() -> None:
    assert len(QUERIES) >= 60


@pytest.mark.parametrize("query", ["as", "the of", "in", "after the"])
def test_function_words_alone_are_a_usage_error(query: str) -> None:
    done = _search("--", query)
    assert done.exit_code == 2
    assert "function words" in done.stderr


def test_no_suggestion_is_an_opposite() -> None:
    for query, opposite in (("hypotension", "hypertension"), ("hypertension", "hypotension")):
        document = json.loads(_search("--json", query).stdout)
        assert opposite not in json.dumps(document["result"]["suggestions"]).lower()


def test_a_typo_is_answered_with_a_condition_that_finds_something() -> None:
    done = _search("--json", "spastisity")
    assert done.exit_code == 1
    suggestions = [s["text"] for s in json.loads(done.stdout)["result"]["suggestions"]]
    assert "Spasticity" in suggestions
    for suggestion in suggestions:
        assert _search("--json", "--", suggestion).exit_code == 0, suggestion


def test_a_drug_name_is_pointed_to_show_in_json_too() -> None:
    document = json.loads(_search("--json", "Sirdalud").stdout)
    assert {"type": "drug", "text": "Tizanidine", "drug_id": "tizanidine"} in document["result"][
        "suggestions"
    ]


# -- properties -------------------------------------------------------------


def _names(dataset: Dataset) -> list[tuple[str, list[str]]]:
    """Each condition with every way to type it: label, synonyms, abbreviations
    (in capitals) and the codes that mean it. Names that are also an umbrella
    term ("neck pain") mean more than the condition, so they are left out."""
    umbrella_names = {n.lower() for u in dataset.umbrellas for n in (u.label, *u.synonyms)}
    found = []
    for condition in dataset.conditions:
        typed = [condition.label, *condition.synonyms, *(a.upper() for a in condition.abbreviations)]
        typed += list(condition.case_sensitive_abbreviations)
        typed += [c for c in condition.icd10 if code_meaning(dataset, c).condition == condition]
        typed = [t for t in typed if t.lower() not in umbrella_names]
        if len(typed) > 1 and condition.label.lower() not in umbrella_names:
            found.append((condition.label, typed))
    return found


def test_every_way_to_type_a_condition_gives_the_same_tiers(dataset: Dataset) -> None:
    from adjuvant_cli.search import search

    for label, typed in _names(dataset):
        answers = {}
        for text in typed:
            result = search(dataset, text)
            answers[text] = sorted((h.tier.name, h.drug.id) for h in (*result.hits, *result.related))
        assert len({tuple(a) for a in answers.values()}) == 1, f"{label}: {answers}"


@st.composite
def _queries(draw: st.DrawFn) -> str:
    from adjuvant_cli.dataset import load_dataset

    dataset = load_dataset()
    words = sorted(
        {n for c in dataset.conditions for n in (c.label, *c.synonyms)}
        | {w for d in dataset.drugs for i in d.indications for w in i.text.split()[:3]}
    )
    return " ".join(draw(st.lists(st.sampled_from(words), min_size=1, max_size=2)))


@given(_queries())
def test_no_hit_rests_on_words_the_reader_cannot_see(query: str) -> None:
    done = _search("--json", "--", query)
    if done.exit_code == 2:
        return  # function words alone
    document = json.loads(done.stdout)
    shown = _search("--", query).stdout.lower()
    for hit in document["result"]["hits"]:
        assert hit["text"][:40].lower() in " ".join(shown.split()) or hit["text"].split()[0].lower() in shown
        for reason in hit["reasons"]:
            if reason["condition_id"] is not None:
                continue  # shown as the linked condition's label in the reason line
            assert reason["term"].lower() in shown


@pytest.mark.parametrize(
    ("text_filter", "expected"),
    [
        ("back pain", {"vertebral-syndrome", "low-back-pain", "neck-pain", "ankylosing-spondylitis"}),
        ("M54", {"vertebral-syndrome", "low-back-pain", "neck-pain"}),
        ("F10", {"alcohol-dependence", "alcohol-withdrawal", "alcoholic-delirium"}),
        ("AS", {"ankylosing-spondylitis"}),
        ("lumb", {"low-back-pain"}),
    ],
)
def test_conditions_filter_follows_the_search_rules(text_filter: str, expected: set[str]) -> None:
    done = runner.invoke(app, ["conditions", "--json", "--", text_filter])
    assert done.exit_code == 0
    found = {c["condition_id"] for c in json.loads(done.stdout)["result"]["conditions"]}
    assert expected <= found
    assert "spinal-cord-diseases" not in found and "syringomyelia" not in found


def test_conditions_filter_never_spreads_a_group_to_its_members() -> None:
    done = runner.invoke(app, ["conditions", "--json", "T42.4"])
    assert done.exit_code == 1
    assert json.loads(done.stdout)["result"]["conditions"] == []


def test_a_whole_who_title_shows_its_code_and_title_and_every_qualifier() -> None:
    shown = _search("epilepsy").stdout
    assert "Read as: epilepsy → WHO G40 Epilepsy → Epileptic seizures" in shown
    assert "WHO G40 Epilepsy" in shown
    assert "to stop seizures" in shown and "parenteral" in shown
