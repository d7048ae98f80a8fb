"""The fourth pharmacist review's rows on lists and connectives (1, 2, 20) and on
a generic head word (3): written from the article and FACTS.md (§4, §4a, §4b,
§4c, §4d), never from the tool's output, through the real CLI, with the
pure logic under it.

A list ("X or Y", "X, Y", "X/Y", "X & Y", "X and Y") asks about each of its
conditions: the drugs the source names for each are counted, in the best role
any part finds (§4a), and a statement naming them all comes first. Nothing
indicated for one part may vanish because another part is not named in the
same statement: a false "no indication" is as wrong as a false indication.
FACTS is silent on "with"; its own tables use it for a setting ("spasm of
skeletal muscles with local trauma", §4a), so "X with Y" is first read as one
statement naming both, and, where none does, as each of its parts, said so.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from adjuvant_cli.dataset.loading import load_dataset
from adjuvant_cli.model import Dataset
from adjuvant_cli.search import search
from tests.test_asking_battery import NOTHING, B, D, Row, T, Z, _search, assert_answers

SPASTICITY = {B: "target", D: "target", Z: "target"}  # §4a: each names spasticity as its target
ANXIETY = {D: "target", T: "target"}  # §4a anxiety disorders; §4c neurosis covers them
INSOMNIA = {D: "target"}  # §4a


def _union(*answers: dict[str, str]) -> dict[str, str]:
    order = ["target", "setting", "narrower", "wording", "drug", "statement"]
    best: dict[str, str] = {}
    for answer in answers:
        for drug, role in answer.items():
            if drug not in best or order.index(role) < order.index(best[drug]):
                best[drug] = role
    return best


BACK_PAIN = {D: "setting", Z: "setting"}  # §4b: vertebral syndrome, disorders of the spine
MS = {B: "setting", Z: "setting"}  # §4a: baclofen's setting, tizanidine's example
STROKE = {B: "setting", Z: "narrower"}  # §4a: baclofen's strokes; tizanidine's sequelae of stroke

ROWS: list[Row] = [
    # Row 1: a list of conditions each indicated on its own
    *[
        Row(q, _union(ANXIETY, INSOMNIA))
        for q in (
            "anxiety or insomnia",
            "anxiety, insomnia",
            "anxiety/insomnia",
            "anxiety & insomnia",
            "anxiety and/or insomnia",
            "insomnia or anxiety",
        )
    ],
    *[Row(q, _union(SPASTICITY, BACK_PAIN)) for q in ("spasticity or back pain", "spasticity, back pain")],
    # "with": no statement names anxiety with insomnia; each is answered, and said (FACTS silent)
    Row("anxiety with insomnia", _union(ANXIETY, INSOMNIA)),
    # Row 2: "X and Y" asks for the drugs for each, not only for those named for both
    Row("anxiety and insomnia", _union(ANXIETY, INSOMNIA)),
    Row("anxiety and depression", ANXIETY),  # diazepam's own anxiety disorders stays
    *[
        Row(q, _union(SPASTICITY, BACK_PAIN))
        for q in ("spasticity and back pain", "spasticity and low back pain", "back pain and spasticity")
    ],
    Row("spasticity and epilepsy", SPASTICITY),
    Row("spasticity and anxiety", _union(SPASTICITY, ANXIETY)),
    Row("insomnia and spasticity", SPASTICITY),
    Row("muscle spasm and spasticity", SPASTICITY),
    Row("multiple sclerosis and back pain", _union(MS, BACK_PAIN)),
    Row("back pain and anxiety", _union(BACK_PAIN, ANXIETY)),
    Row("spasticity and multiple sclerosis", SPASTICITY, first=B),
    # A drug named with a list restricts every part (§4d): tofisopam for anxiety
    Row("tofisopam anxiety and insomnia", {T: "target"}),
    Row("tofisopam insomnia or spasticity", NOTHING),
    # Row 20: tizanidine names multiple sclerosis itself (§4a example)
    *[Row(q, _union(MS, STROKE), first=B) for q in ("MS and stroke", "MS or stroke")],
    # Lumbago and sciatica are each inside vertebral syndrome (§4, §4c), never M54.4's title
    Row("lumbago or sciatica", BACK_PAIN),
    Row("epilepsy or seizures", {D: "target"}),
    # A connective inside a condition's own name is no list (§4d CMT, §4c)
    Row("hereditary motor and sensory neuropathy", {T: "setting"}),
    # A part that explains nothing keeps the whole from matching (§4d)
    Row("febrile seizures or night cramps", NOTHING),
    # Row 3: a head noun adds nothing to the name before it and reaches nothing alone
    *[Row(q, {D: "target"}) for q in ("seizure disorder", "seizure disorders")],
    # §4a: tizanidine's and diazepam's setting; baclofen's MS and stroke, tofisopam's
    # myasthenia and myopathy are neurological diseases, narrower
    Row("neurological disorders", {B: "narrower", D: "setting", T: "narrower", Z: "setting"}),
    Row("anxiety states", ANXIETY),
    *[Row(q, NOTHING) for q in ("disorders", "diseases", "conditions", "states")],
]


@pytest.mark.parametrize("row", [pytest.param(r, id=r.query) for r in ROWS])
def test_review4_lists_and_head_words(row: Row) -> None:
    assert_answers(row)


def _json(query: str) -> dict[str, Any]:
    return json.loads(_search("--json", "--", query).stdout)["result"]  # type: ignore[no-any-return]


def _hits_in_tiers(query: str) -> set[tuple[str, str, str]]:
    """Each hit of `query` as (drug, statement, tier): two queries that ask the same answer the same."""
    return {(h["drug_id"], h["text"], h["tier"]) for h in _json(query)["hits"]}


def _items(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(h["drug_id"], h["text"]) for h in result["hits"]}


@pytest.mark.parametrize(
    ("query", "drug", "item"),
    [
        ("spasticity and back pain", B, "Spasticity in multiple sclerosis"),
        ("anxiety and depression", D, "Anxiety disorders"),
        ("muscle spasm and spasticity", Z, "Painful muscle spasms caused by"),
        ("muscle spasm and spasticity", B, "Spasticity in multiple sclerosis"),
        ("epilepsy or seizures", D, "Epileptic status"),
        ("epilepsy or seizures", D, "Epileptic seizures"),
        ("seizure disorders", D, "Epileptic status"),
        ("neurological disorders", Z, "Spasticity of skeletal muscles in various neurological diseases"),
        ("anxiety states", D, "Anxiety disorders"),
        ("anxiety states", T, "Neurosis, psychopathy"),
    ],
)
def test_no_statement_for_a_part_vanishes(query: str, drug: str, item: str) -> None:
    assert any(d == drug and text.startswith(item) for d, text in _items(_json(query))), (query, item)


def test_a_head_word_never_makes_other_conditions_hits() -> None:
    """§4d: "disorders" explains nothing; it never reaches affective, anxiety,
    bipolar or spine "disorders" as narrower hits of seizures."""
    for query in ("seizure disorder", "seizure disorders"):
        result = _json(query)
        assert all(r["relation"] != "words" for h in result["hits"] for r in h["reasons"]), query
        assert {h["drug_id"] for h in result["hits"]} == {D}


@pytest.mark.parametrize(
    ("with_head", "name"),
    [
        ("seizure disorders", "seizures"),
        ("seizure disorder", "seizures"),
        ("neurological disorders", "neurological diseases"),
        ("anxiety states", "anxiety"),
        ("insomnia disorder", "insomnia"),
        ("spasticity conditions", "spasticity"),
    ],
)
def test_a_head_word_adds_nothing_to_the_name_before_it(with_head: str, name: str) -> None:
    """The same statements, in the same tiers, as the name alone (§4d)."""
    assert _hits_in_tiers(with_head) == _hits_in_tiers(name) != set()


@pytest.mark.parametrize(
    ("query", "parts"),
    [
        ("anxiety or insomnia", ["anxiety", "insomnia"]),
        ("anxiety, insomnia", ["anxiety", "insomnia"]),
        ("anxiety/insomnia", ["anxiety", "insomnia"]),
        ("anxiety & insomnia", ["anxiety", "insomnia"]),
        ("spasticity and back pain", ["spasticity", "back pain"]),
        ("lumbago or sciatica", ["lumbago", "sciatica"]),
        ("anxiety with insomnia", ["anxiety", "insomnia"]),
    ],
)
def test_the_reading_of_a_list_is_said(query: str, parts: list[str]) -> None:
    """The JSON names the parts and what each counted; the screen says it."""
    result = _json(query)
    assert [p["query"] for p in result["parts"]] == parts
    assert all(p["hit_count"] > 0 for p in result["parts"])
    screen = " ".join(_search("--", query).stdout.split())
    assert "Read as each of: " + "; ".join(parts) in screen, screen


def test_a_part_that_finds_nothing_is_said() -> None:
    """tofisopam's statements name anxiety (through neurosis) and not insomnia:
    the answer says that the insomnia part counted nothing."""
    result = _json("tofisopam anxiety and insomnia")
    assert [(p["query"], p["hit_count"] > 0) for p in result["parts"]] == [
        ("tofisopam anxiety", True),
        ("insomnia", False),
    ]
    screen = " ".join(_search("--", "tofisopam anxiety and insomnia").stdout.split())
    assert "nothing counted for: insomnia" in screen


def test_lumbago_or_sciatica_is_never_one_who_title() -> None:
    result = _json("lumbago or sciatica")
    assert all(m["read_as_code"] != "M54.4" for m in result["meanings"])


@pytest.mark.parametrize(
    "query",
    ["anxiety", "hereditary motor and sensory neuropathy", "lumbago with sciatica", "diazepam or baclofen"],
)
def test_one_question_has_no_parts(query: str) -> None:
    assert _json(query)["parts"] == []


# Pure logic: the search itself, without the CLI.
def test_a_list_counts_what_each_part_counts(dataset: Dataset) -> None:
    lists = (("anxiety", "insomnia"), ("spasticity", "back pain"), ("MS", "stroke"), ("epilepsy", "seizures"))
    for parts in lists:
        each = [search(dataset, p) for p in parts]
        wanted = {(h.drug.id, h.indication.id if h.indication else h.text) for r in each for h in r.hits}
        for joined in (" or ".join(parts), " and ".join(parts), ", ".join(parts)):
            together = search(dataset, joined)
            got = {(h.drug.id, h.indication.id if h.indication else h.text) for h in together.hits}
            assert got == wanted, joined
            assert [p.query for p in together.parts] == list(parts)


def test_a_statement_naming_every_part_comes_first(dataset: Dataset) -> None:
    result = search(dataset, "spasticity and multiple sclerosis")
    first = result.hits[0]
    assert first.indication is not None
    linked = {link.condition for link in first.indication.links}
    assert {"spasticity", "multiple-sclerosis"} <= linked


# Row 7: the class of diazepam and tofisopam is "Anxiolytic (tranquilliser)" (§3,
# §4d CLASS + condition): the US spelling asks the same question.
@pytest.mark.parametrize(
    ("us", "british"),
    [
        ("tranquilizer", "tranquilliser"),
        ("tranquilizers anxiety", "tranquillisers anxiety"),
        ("tranquilizer for alcohol withdrawal", "tranquilliser for alcohol withdrawal"),
        ("tranquillizer insomnia", "tranquilliser insomnia"),
    ],
)
def test_a_us_spelling_of_a_class_asks_the_same(us: str, british: str) -> None:
    assert _hits_in_tiers(us) == _hits_in_tiers(british) != set()


def test_tranquilizers_for_anxiety_are_diazepam_and_tofisopam() -> None:
    assert_answers(Row("tranquilizers anxiety", ANXIETY))


def test_us_and_british_agent_nouns_share_a_stem_that_stands_in_both() -> None:
    from adjuvant_cli.text import needle, spelling, stem

    for us, british in (("tranquilizer", "tranquilliser"), ("tranquilizers", "tranquillisers")):
        assert stem(us) == stem(british)
        assert needle(stem(us)) in spelling(us) and needle(stem(us)) in spelling(british)


# Row 11: §4d CLASS + condition reads the class or an effect tag; §5 gives
# tofisopam's anticonvulsant, muscle-relaxant and sedative tags with a caveat
# that disputes them. Leaving tofisopam out is said, and agrees with -a.
@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("muscle relaxant myasthenia", NOTHING),  # §5: diazepam's contraindication, shown, not counted
        ("anticonvulsant neurosis", {D: "narrower"}),
        ("sedative anxiety", {D: "target"}),
    ],
)
def test_a_drug_left_out_by_a_disputed_effect_is_said(query: str, counted: dict[str, str]) -> None:
    assert_answers(Row(query, counted))
    assert _json(query)["restriction"]["disputed_drug_ids"] == [T]
    screen = " ".join(_search("--", query).stdout.split())
    assert "not tofisopam, whose" in screen and "its caveat disputes" in screen


def test_a_class_that_holds_the_drug_leaves_nothing_out() -> None:
    restriction = _json("benzodiazepine anxiety")["restriction"]
    assert restriction["disputed_drug_ids"] == [] and T in restriction["drug_ids"]


@pytest.mark.parametrize("word", ["anticonvulsant", "sedative", "muscle relaxant"])
def test_a_class_filter_agrees_with_all(word: str) -> None:
    """The drugs `-a WORD` shows by class or effect tag are those the filter keeps
    and those it says it leaves out: none vanishes unsaid."""
    shown = json.loads(_search("--json", "-a", "--", word).stdout)["result"]
    by_profile = {h["drug_id"] for h in shown["hits"] if h["tier"] == "drug"}
    restriction = _json(f"{word} anxiety")["restriction"]
    assert by_profile == set(restriction["drug_ids"]) | set(restriction["disputed_drug_ids"])


# Property: a list of two of the dataset's condition labels, however joined,
# counts exactly the statements each label counts alone (none vanishes, none
# is added), and names its two parts.
_JOINERS = (" or ", " and ", ", ", "/", " & ", " and/or ")


@functools.cache
def _bundled() -> Dataset:
    return load_dataset()  # not the fixture: a failing example would print the whole dataset


def _labels(dataset: Dataset) -> list[str]:
    return sorted(
        c.label
        for c in dataset.conditions
        if not any(j.strip() and j.strip() in c.label.lower().split() for j in _JOINERS)
        and not any(ch in c.label for ch in ",/&;+")
    )


def _statements(result: Any) -> set[tuple[str, str]]:
    return {(h.drug.id, h.indication.id if h.indication else h.text) for h in result.hits}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@example(data=None)  # pinned: a list whose parts share a word is no name in another order
def test_a_list_of_two_labels_counts_what_each_counts(data: st.DataObject | None) -> None:
    dataset = _bundled()
    labels = _labels(dataset)
    if data is None:
        together = search(dataset, "Motor agitation or Agitation")
        alone = _statements(search(dataset, "Motor agitation")) | _statements(search(dataset, "Agitation"))
        assert _statements(together) == alone
        return
    one = data.draw(st.sampled_from(labels))
    two = data.draw(st.sampled_from([label for label in labels if label != one]))
    joiner = data.draw(st.sampled_from(_JOINERS))
    together = search(dataset, f"{one}{joiner}{two}")
    assert _statements(together) == _statements(search(dataset, one)) | _statements(search(dataset, two))
    assert [p.query for p in together.parts] == [one, two]
