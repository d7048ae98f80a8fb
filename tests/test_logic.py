"""Pure query logic, no CLI: name resolution, search, compare, the catalog."""

from __future__ import annotations

import pytest

from adjuvant_cli.catalog import index_conditions, show_drug
from adjuvant_cli.compare import compare_drugs
from adjuvant_cli.errors import DrugNotFound, UsageError
from adjuvant_cli.model import Dataset, Role, Section
from adjuvant_cli.names import complete_names, resolve_drug
from adjuvant_cli.search import Tier, search

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
    assert monograph.code_titles["M54.5"] == "Low back pain"
    assert [e.id for e in monograph.effects] == ["muscle-relaxant"]
    # Conditions a statement only mentions come too, so they can be shown as mentions.
    diazepam = show_drug(dataset, "diazepam")
    assert "alcoholic-delirium" in diazepam.conditions_by_id
    assert "alcoholic-delirium" not in diazepam.drug.condition_ids


# --- search ----------------------------------------------------------------


def hit_ids(dataset: Dataset, query: str, scope: str = "indications") -> list[str]:
    """The drugs of the counted hits, in order, each once."""
    hits = search(dataset, query, scope).hits  # type: ignore[arg-type]
    return list(dict.fromkeys(h.drug.id for h in hits))


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
        # Low back pain; diazepam's vertebral syndrome (M40-M54) contains and
        # covers it (FACTS §4c): counted, through it.
        ("M54.5", {"diazepam", "tizanidine"}),
        ("lumbago", {"diazepam", "tizanidine"}),
        ("alcoholism", {"baclofen", "tofisopam"}),
        ("alcohol withdrawal", {"diazepam", "tofisopam"}),
        ("premature labor", {"diazepam"}),  # US spelling of a synonym
        ("anesthesia", {"diazepam"}),  # anaesthesia is not surgery: never the postoperative state (§4d)
        ("surgery", {"diazepam", "tizanidine"}),  # tizanidine: spasm after surgery ("surgery" umbrella)
        ("menstrual", {"diazepam"}),  # a word of the indication only
        ("spasticity cerebral palsy", {"baclofen", "diazepam", "tizanidine"}),
        ("spasticity meningitis", {"baclofen"}),  # all terms must match one indication
    ],
)
def test_search_finds_what_a_user_means(dataset: Dataset, query: str, expected: set[str]) -> None:
    assert set(hit_ids(dataset, query)) == expected


def test_search_says_how_each_hit_matched(dataset: Dataset) -> None:
    result = search(dataset, "MS")
    assert [(m.term, m.condition.label, m.via) for m in result.meanings if m.condition] == [
        ("MS", "Multiple sclerosis", "abbreviation")
    ]
    hit = result.hits[0]
    (reason,) = hit.reasons
    assert (reason.via, reason.condition.id, reason.role) == (  # type: ignore[union-attr]
        "abbreviation",
        "multiple-sclerosis",
        Role.SETTING,
    )
    start, end = hit.highlights[0]
    assert hit.text[start:end] == "multiple sclerosis"
    assert search(dataset, "G35").hits[0].reasons[0].via == "code"
    assert search(dataset, "spastic").meanings[0].via == "stem"
    # A name without its head noun is a way people ask: "menstrual" is menstrual disorders.
    menstrual = search(dataset, "menstrual").hits[0].reasons[0]
    assert (menstrual.via, menstrual.role) == ("phrasing", Role.SETTING)
    assert menstrual.condition is not None and menstrual.condition.id == "menstrual-disorders"
    headache = search(dataset, "headache").hits[0].reasons[0]
    assert (headache.via, headache.role) == ("condition word", Role.TARGET)


def test_a_setting_is_never_a_target(dataset: Dataset) -> None:
    # MS, TBI, cerebral palsy: where spasticity is treated, not what is (FACTS §4a).
    for query in ("MS", "tbi", "G80", "schizophrenia", "alcoholism"):
        result = search(dataset, query)
        assert result.hits, query
        assert {h.tier for h in result.hits} == {Tier.SETTING}, query
        assert all(r.role in (Role.SETTING, Role.EXAMPLE) for h in result.hits for r in h.reasons), query


def test_a_member_of_a_group_never_finds_the_group(dataset: Dataset) -> None:
    # Benzodiazepine poisoning (T42.4) is inside "drug poisoning" (T36-T50), which
    # diazepam treats: it must never read as diazepam treating its own poisoning.
    # FACTS §4c: drug poisoning does not cover it: shown in general, not counted.
    result = search(dataset, "T42.4")
    assert result.hits == ()
    assert {(h.drug.id, h.tier) for h in result.related} == {("diazepam", Tier.BROADER)}
    assert all(r.relation == "broader" for h in result.related for r in h.reasons)
    assert "Drug poisoning" not in result.suggestions


def test_the_condition_itself_ranks_above_a_setting_and_a_mention(dataset: Dataset) -> None:
    # Anaesthesia is what diazepam's premedication indications treat; for tizanidine
    # surgery is only where the muscle spasm it treats arises.
    result = search(dataset, "surgery")
    assert [(h.tier, h.drug.id) for h in result.hits] == [
        (Tier.TARGET, "diazepam"),
        (Tier.TARGET, "diazepam"),
        (Tier.SETTING, "tizanidine"),
    ]
    # Diazepam's action statement names alcohol withdrawal: a mention, apart and not counted.
    result = search(dataset, "alcohol withdrawal")
    assert [(h.tier, h.drug.id) for h in result.hits] == [
        (Tier.SETTING, "diazepam"),
        (Tier.SETTING, "tofisopam"),
    ]
    assert [(h.tier, h.drug.id, h.field) for h in result.related] == [(Tier.MENTION, "diazepam", "actions")]


def test_anxiety_finds_diazepams_anxiety_disorders(dataset: Dataset) -> None:
    ids = [h.indication.id for h in search(dataset, "anxiety").hits if h.indication]
    assert "diazepam-anxiety-disorders" in ids


def test_ties_are_broken_by_name(dataset: Dataset) -> None:
    assert hit_ids(dataset, "G80") == ["baclofen", "diazepam", "tizanidine"]
    assert hit_ids(dataset, "multiple sclerosis") == ["baclofen", "tizanidine"]


def test_the_exact_phrase_ranks_higher(dataset: Dataset) -> None:
    def score(query: str) -> float:
        hits = search(dataset, query).hits
        return next(h.score for h in hits if h.text == "Spasm of skeletal muscles with local trauma")

    assert score("skeletal muscles") > score("muscles skeletal")


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
    # The class says GABA for baclofen only; the mechanisms say it for three drugs.
    assert hit_ids(dataset, "GABA") == ["baclofen"]
    assert hit_ids(dataset, "GABA", "all") == ["baclofen", "diazepam", "tofisopam"]
    assert {h.field for h in search(dataset, "GABA", "all").hits} == {"class", "mechanism", "caveats"}
    hits = search(dataset, "sedative", "all").hits
    assert {(h.drug.id, h.field) for h in hits} >= {("diazepam", "effect"), ("diazepam", "mechanism")}
    # Tofisopam's sedative tag is disputed by its caveat, and the hit carries it.
    tofisopam = next(h for h in hits if h.drug.id == "tofisopam" and h.field == "effect")
    assert tofisopam.caveat is not None and tofisopam.caveat.id == "tofisopam-effects-and-receptors"


def test_overlong_queries_are_a_usage_error(dataset: Dataset) -> None:
    with pytest.raises(UsageError):
        search(dataset, "x" * 100_000)


# --- compare ---------------------------------------------------------------


def test_compare_groups_conditions_as_a_clinician_reads_them(dataset: Dataset) -> None:
    result = compare_drugs(dataset, ["baclofen", "Sirdalud"])
    assert [d.id for d in result.drugs] == ["baclofen", "tizanidine"]
    assert [r.condition.id for r in result.shared] == [
        "cerebral-palsy",
        "chronic-myelopathy",  # baclofen via spinal cord diseases, which covers it
        "degenerative-spinal-cord-disease",
        "multiple-sclerosis",
        "sequelae-of-stroke",  # baclofen via stroke
        "spasticity",
        "syringomyelia",
        "traumatic-brain-injury",
    ]  # stroke, spinal cord and neurological diseases: one drug names only narrower ones (FACTS §4c)
    assert result.partly_shared == ()
    roles = {r.condition.id: tuple(c.role if c else None for c in r.cells) for r in result.shared}
    assert roles["spasticity"] == (Role.TARGET, Role.TARGET)
    assert roles["multiple-sclerosis"] == (Role.SETTING, Role.EXAMPLE)
    unique = {r.condition.id: r.cells for r in result.unique}
    baclofen_alcohol, none = unique["alcohol-dependence"]
    assert none is None and baclofen_alcohol is not None
    assert (baclofen_alcohol.role, baclofen_alcohol.treats) == (Role.SETTING, "Affective disorders")
    # Stroke for baclofen, its sequelae for tizanidine: each named through the other (FACTS §4c).
    shared = {r.condition.id: r.cells for r in result.shared}
    tizanidine_stroke = unique["stroke"][1]
    assert tizanidine_stroke is not None and tizanidine_stroke.via is not None
    assert (tizanidine_stroke.via.id, tizanidine_stroke.counted, tizanidine_stroke.narrower) == (
        "sequelae-of-stroke",
        False,
        True,
    )
    baclofen_sequelae = shared["sequelae-of-stroke"][0]
    assert baclofen_sequelae is not None and baclofen_sequelae.via is not None
    assert baclofen_sequelae.via.id == "stroke"
    assert unique["low-back-pain"][0] is None


def test_compare_all_drugs(dataset: Dataset) -> None:
    result = compare_drugs(dataset)
    assert len(result.drugs) == 4
    # No condition is named for all four: a use for a disease inside the field of
    # neurology is no use for the field itself (FACTS §4c).
    assert [r.condition.id for r in result.shared] == []
    first = result.partly_shared[0]
    assert (first.condition.id, first.drug_count) == ("cerebral-palsy", 3)
    effects = {r.effect.id: r for r in result.effects}
    assert effects["muscle-relaxant"].present == (True, True, True, True)
    assert effects["hypnotic"].present == (False, True, False, False)
    # Tofisopam's caveat disputes its muscle-relaxant, sedative and anticonvulsant tags.
    disputed = {e for e, row in effects.items() if row.caveats[3] is not None}
    assert disputed == {"muscle-relaxant", "sedative", "anticonvulsant"}
    assert all(c is None for row in effects.values() for c in row.caveats[:3])


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
    assert len(index.entries) == 123
    uses = {e.condition.id: [(u.drug.id, u.role) for u in e.uses if u.via is None] for e in index.entries}
    assert uses["cerebral-palsy"] == [
        ("baclofen", Role.SETTING),
        ("diazepam", Role.EXAMPLE),
        ("tizanidine", Role.EXAMPLE),
    ]
    assert uses["alcoholic-delirium"] == [("diazepam", Role.MENTION)]  # an action statement names it
    # Tofisopam's bare delirium includes alcoholic delirium without covering it (FACTS §4c).
    alcoholic = next(e for e in index.entries if e.condition.id == "alcoholic-delirium")
    assert [(u.drug.id, u.via and u.via.id, u.counted) for u in alcoholic.uses if u.via] == [
        ("diazepam", "mental-disorders", False),  # "psychiatry": mental disorders in general (§4c)
        ("tofisopam", "delirium", False),
    ]
    assert [e.condition.id for e in index_conditions(dataset, "G8").entries] == [
        "athetoid-cerebral-palsy",
        "cerebral-palsy",
        "hemiplegia",
    ]
    assert index_conditions(dataset, "nothing like this").entries == ()


def test_the_parts_of_an_and_query_share_one_vocabulary(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built per query from every condition's names: once, not once per part.
    from adjuvant_cli.vocabulary import Vocabulary

    built: list[Vocabulary] = []
    real = Vocabulary.of

    def counted(data: Dataset) -> Vocabulary:
        built.append(real(data))
        return built[-1]

    monkeypatch.setattr(Vocabulary, "of", counted)
    for query in ("anxiety and insomnia", "anxiety, insomnia or spasticity", "anxiety with insomnia"):
        built.clear()
        result = search(dataset, query)
        assert [p.query for p in result.parts][:2] == ["anxiety", "insomnia"]  # answered part by part
        assert len(built) == 1, query
