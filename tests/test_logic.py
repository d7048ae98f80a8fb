"""Pure query logic, no CLI: name resolution, search, compare, the catalog."""

from __future__ import annotations

import pytest

from adjuvant_cli.catalog import index_conditions, show_drug
from adjuvant_cli.compare import compare_drugs
from adjuvant_cli.errors import DrugNotFound, UsageError
from adjuvant_cli.model import Dataset, Section
from adjuvant_cli.names import complete_names, resolve_drug
from adjuvant_cli.search import search

# --- names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "drug", "match"),
    [
        ("baclofen", "baclofen", "id"),
        ("BACLOFEN", "baclofen", "id"),
        ("  Tizanidine\t", "tizanidine", "id"),
        ("Baclofén", "baclofen", "id"),  # accents folded
        ("ＢＡＣＬＯＦＥＮ", "baclofen", "id"),  # fullwidth, NFKC
        ("valium", "diazepam", "brand name"),
        ("Sirdalud MR", "tizanidine", "brand name"),
        ("sirdalud  mr", "tizanidine", "brand name"),
        ("тофизопам", "tofisopam", "other name"),
        ("ТОФИЗОПАМ", "tofisopam", "other name"),
        ("tiza", "tizanidine", "prefix"),
        ("grand", "tofisopam", "prefix"),
        ("Sird", "tizanidine", "prefix"),  # two brand names, one drug
    ],
)
def test_names_resolve_however_typed(dataset: Dataset, typed: str, drug: str, match: str) -> None:
    resolution = resolve_drug(dataset, typed)
    assert (resolution.drug.id, resolution.match) == (drug, match)


@pytest.mark.parametrize("typed", ["tiz", "ba", "", "   ", "baclofenx", "diazepan", "valum"])
def test_short_prefixes_and_misspellings_never_open_a_drug(dataset: Dataset, typed: str) -> None:
    with pytest.raises(DrugNotFound):
        resolve_drug(dataset, typed)


def test_a_misspelling_suggests_the_closest_names(dataset: Dataset) -> None:
    with pytest.raises(DrugNotFound) as caught:
        resolve_drug(dataset, "diazepan")
    assert caught.value.suggestions[0] == "Diazepam"
    with pytest.raises(DrugNotFound) as caught:
        resolve_drug(dataset, "valum")
    assert "Valium (Diazepam)" in caught.value.suggestions


def test_absurdly_long_names_take_the_bounded_path(dataset: Dataset) -> None:
    # No folding, prefix scan or difflib over 100,000 characters: nothing is suggested.
    with pytest.raises(DrugNotFound) as caught:
        resolve_drug(dataset, "baclofen" * 12_500)
    assert caught.value.suggestions == ()


def test_completion_candidates(dataset: Dataset) -> None:
    assert complete_names(dataset, "ba") == ["baclofen", "baklosan"]
    assert complete_names(dataset, "Sir") == ["Sirdalud"]  # "Sirdalud MR" would split in the shell
    assert complete_names(dataset, "zz") == []


# --- show ------------------------------------------------------------------


def test_show_defaults_and_sections(dataset: Dataset) -> None:
    everything_but_corrections = (
        Section.OVERVIEW,
        Section.MECHANISM,
        Section.EFFECTS,
        Section.ONSET,
        Section.INDICATIONS,
    )
    assert show_drug(dataset, "baclofen").sections == everything_but_corrections
    chosen = show_drug(dataset, "diazepam", [Section.CORRECTIONS, Section.INDICATIONS]).sections
    assert chosen == (Section.INDICATIONS, Section.CORRECTIONS)  # display order, not typed order


def test_show_resolves_linked_conditions(dataset: Dataset) -> None:
    monograph = show_drug(dataset, "tizanidine")
    assert monograph.condition("low-back-pain").icd10 == ("M54.5",)
    assert [e.id for e in monograph.effects] == ["muscle-relaxant"]


# --- search ----------------------------------------------------------------


def hit_ids(dataset: Dataset, query: str, scope: str = "indications") -> list[str]:
    return [h.drug.id for h in search(dataset, query, scope).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("spasticity", {"baclofen", "diazepam", "tizanidine"}),
        ("Spastic", {"baclofen", "diazepam", "tizanidine"}),  # synonym and stem
        ("MS", {"baclofen", "tizanidine"}),
        ("multiple sclerosis", {"baclofen", "tizanidine"}),
        ("tbi", {"baclofen", "tizanidine"}),
        ("head injury", {"baclofen", "tizanidine"}),
        ("Ménière's", {"diazepam"}),
        ("meniere", {"diazepam"}),
        ("menieres disease", {"diazepam"}),
        ("G35", {"baclofen", "tizanidine"}),
        ("g80", {"baclofen", "diazepam", "tizanidine"}),  # G80 and G80.3
        ("M54.5", {"diazepam", "tizanidine"}),  # low back pain, and the M40-M54 range
        ("lumbago", {"tizanidine"}),
        ("alcoholism", {"baclofen", "tofisopam"}),
        ("alcohol withdrawal", {"diazepam", "tofisopam"}),
        ("premature labor", {"diazepam"}),  # US spelling of a synonym
        ("anesthesia", {"diazepam"}),
        ("menstrual", {"diazepam"}),  # a word of the indication only
        ("spasticity cerebral palsy", {"baclofen", "diazepam", "tizanidine"}),
        ("spasticity meningitis", {"baclofen"}),  # all terms must match one indication
    ],
)
def test_search_finds_what_a_user_means(dataset: Dataset, query: str, expected: set[str]) -> None:
    assert set(hit_ids(dataset, query)) == expected


def test_search_says_how_each_hit_matched(dataset: Dataset) -> None:
    result = search(dataset, "MS")
    assert [(e.term, e.condition.label, e.kind) for e in result.expansions] == [
        ("ms", "Multiple sclerosis", "abbreviation")
    ]
    match = result.hits[0].indications[0]
    assert match.reasons[0].kind == "abbreviation"
    start, end = match.highlights[0]
    assert match.indication.text[start:end] == "multiple sclerosis"
    assert search(dataset, "G35").hits[0].indications[0].reasons[0].kind == "code"
    assert search(dataset, "spastic").expansions[0].kind == "synonym"
    assert search(dataset, "menstrual").hits[0].indications[0].reasons[0].kind == "exact"


def test_the_condition_itself_ranks_above_a_passing_mention(dataset: Dataset) -> None:
    # Diazepam is indicated for anxiety disorders; its withdrawal indication
    # only mentions anxiety: that one must rank second within the drug.
    match = search(dataset, "anxiety").hits[0]
    assert [m.indication.text for m in match.indications] == [
        "Anxiety disorders",
        "Alcohol withdrawal syndrome: anxiety, tension, agitation, tremor, transient reactive states",
    ]
    # Muscle spasm is the main condition of eight tizanidine indications and one of diazepam's.
    assert hit_ids(dataset, "muscle spasm") == ["tizanidine", "diazepam"]


def test_ties_are_broken_by_name(dataset: Dataset) -> None:
    assert hit_ids(dataset, "G80") == ["baclofen", "diazepam", "tizanidine"]
    assert hit_ids(dataset, "multiple sclerosis") == ["baclofen", "tizanidine"]


def test_the_exact_phrase_ranks_higher(dataset: Dataset) -> None:
    matches = search(dataset, "spinal cord").hits[0].indications
    texts = [m.indication.text for m in matches]
    assert texts[0] == "Skeletal-muscle spasticity in degenerative diseases of the spinal cord"


def test_nothing_found_is_a_result_with_suggestions(dataset: Dataset) -> None:
    result = search(dataset, "spasticty")
    assert result.hits == ()
    assert "Spasticity" in result.suggestions


@pytest.mark.parametrize("query", ["[bold]", "[/]", "((", ".*", "\\", "*"])
def test_query_syntax_is_data_not_a_pattern(dataset: Dataset, query: str) -> None:
    result = search(dataset, query)
    assert result.hits == ()
    assert result.query == query


def test_scope_all_reaches_mechanism_and_effects(dataset: Dataset) -> None:
    assert hit_ids(dataset, "GABA") == []
    assert set(hit_ids(dataset, "GABA", "all")) == {"baclofen", "diazepam", "tofisopam"}
    hit = search(dataset, "sedative", "all").hits[0]
    assert {f.field for f in hit.fields} >= {"effects", "mechanism"}


def test_overlong_queries_are_a_usage_error(dataset: Dataset) -> None:
    with pytest.raises(UsageError):
        search(dataset, "x" * 100_000)


# --- compare ---------------------------------------------------------------


def test_compare_groups_conditions_as_a_clinician_reads_them(dataset: Dataset) -> None:
    result = compare_drugs(dataset, ["baclofen", "Sirdalud"])
    assert [d.id for d in result.drugs] == ["baclofen", "tizanidine"]
    assert [r.condition.id for r in result.shared] == [
        "cerebral-palsy",
        "multiple-sclerosis",
        "spasticity",
        "spinal-cord-diseases",
        "stroke",
        "traumatic-brain-injury",
    ]
    assert result.partly_shared == ()
    unique = {r.condition.id: r.present for r in result.unique}
    assert unique["alcohol-dependence"] == (True, False)
    assert unique["low-back-pain"] == (False, True)


def test_compare_all_drugs(dataset: Dataset) -> None:
    result = compare_drugs(dataset)
    assert len(result.drugs) == 4
    assert result.shared == ()  # no condition is common to all four
    first = result.partly_shared[0]
    assert (first.condition.id, first.drug_count) == ("cerebral-palsy", 3)
    effects = {r.effect.id: r.present for r in result.effects}
    assert effects["muscle-relaxant"] == (True, True, True, True)
    assert effects["hypnotic"] == (False, True, False, False)


def test_compare_needs_two_different_drugs(dataset: Dataset) -> None:
    with pytest.raises(UsageError):
        compare_drugs(dataset, ["baclofen"])
    with pytest.raises(UsageError):
        compare_drugs(dataset, ["valium", "diazepam"])
    with pytest.raises(DrugNotFound):
        compare_drugs(dataset, ["baclofen", "nope"])


# --- conditions ------------------------------------------------------------


def test_condition_index_lists_drugs_per_condition(dataset: Dataset) -> None:
    index = index_conditions(dataset)
    assert len(index.entries) == 58
    entries = {e.condition.id: [d.id for d in e.drugs] for e in index.entries}
    assert entries["cerebral-palsy"] == ["baclofen", "diazepam", "tizanidine"]
    assert [e.condition.id for e in index_conditions(dataset, "G8").entries] == [
        "athetosis",
        "cerebral-palsy",
        "hemiplegia",
    ]
    assert index_conditions(dataset, "nothing like this").entries == ()
