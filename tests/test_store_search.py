"""Search through the store's index means what a scan of every drug means
(issue 21: the store changes how search reads, not what it finds). The same
query, on the same dataset, from memory (every drug scanned) and from the
store (only the drugs the index names), must give equal results: every way
the battery, the vocabulary and random words of the dataset ask."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adjuvant_cli import cache
from adjuvant_cli.dataset import load_dataset
from adjuvant_cli.errors import UsageError
from adjuvant_cli.model import Dataset
from adjuvant_cli.search import search
from adjuvant_cli.text import folded_words

from .conftest import REPO

# The files whose constants are queries people type (search, how people ask, WHO titles).
BATTERY_FILES = sorted(
    path
    for pattern in ("test_search_battery.py", "test_asking*.py", "test_who_search.py")
    for path in (REPO / "tests").glob(pattern)
)


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dataset]:
    """The bundled dataset as one's own file, read back from its store."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("store-search")
        patch.setattr(cache, "RACY_NS", 0)
        path = directory / "own.toml"
        path.write_bytes((REPO / "data" / "monographs.toml").read_bytes())
        load_dataset(str(path), cache_dir=directory / "cache")
        dataset = load_dataset(str(path), cache_dir=directory / "cache")
        assert dataset.drug_index is not None
        yield dataset


def vocabulary_queries(dataset: Dataset) -> list[str]:
    """Every name the dataset gives a condition or an umbrella, every code,
    every drug name, and the words of every indication, statement and caveat."""
    found: list[str] = []
    for condition in dataset.conditions:
        found += [
            condition.label,
            *condition.synonyms,
            *condition.abbreviations,
            *condition.case_sensitive_abbreviations,
            *condition.icd10,
        ]
    for umbrella in dataset.umbrellas:
        found += [umbrella.label, *umbrella.synonyms]
    for drug in dataset.drugs:
        found += [drug.name, drug.drug_class]
        for indication in drug.indications:
            found += [indication.treats, *indication.qualifiers, indication.contraindication or ""]
            found += folded_words(indication.text)
        found += [w for s in drug.statements for w in folded_words(s.text)]
        found += [w for c in drug.caveats for w in folded_words(c.text)]
    found += [entry.title for entry in dataset.who_codes]
    return [q for q in dict.fromkeys(found) if q.strip() and len(q) <= 80]


def battery_queries() -> list[str]:
    """The string constants of the search test files: the queries people type."""
    import ast

    found: list[str] = []
    for path in BATTERY_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 80:
                found.append(node.value)
    return [q for q in dict.fromkeys(found) if q.strip()]


def same_answer(memory: Dataset, stored: Dataset, query: str) -> None:
    for scope in ("indications", "all"):
        try:
            expected = search(memory, query, scope)
        except UsageError as error:
            with pytest.raises(UsageError, match=str(error)[:20]):
                search(stored, query, scope)
            continue
        assert search(stored, query, scope) == expected, (query, scope)


@pytest.mark.slow  # ~20 s: CI runs it; the quick run keeps the random and paired queries
def test_every_vocabulary_and_text_query_finds_the_same(dataset: Dataset, stored: Dataset) -> None:
    queries = vocabulary_queries(dataset)
    names = {n for c in dataset.conditions for n in (c.label, *c.synonyms, *c.abbreviations, *c.icd10)}
    # Every name and code; one in three of the words and titles (time: ~25 ms a query).
    chosen = [q for i, q in enumerate(queries) if q in names or i % 3 == 0]
    assert len(chosen) > 300
    for query in chosen:
        same_answer(dataset, stored, query)


@pytest.mark.slow  # ~30 s: CI runs it
def test_every_battery_query_finds_the_same(dataset: Dataset, stored: Dataset) -> None:
    queries = battery_queries()
    assert len(queries) > 100
    for query in queries:
        same_answer(dataset, stored, query)


def words_of(dataset: Dataset) -> list[str]:
    texts = vocabulary_queries(dataset)
    return sorted({w for text in texts for w in folded_words(text)})


_WORDS = words_of(load_dataset(use_cache=False))


@settings(max_examples=40)
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
def test_any_words_of_the_dataset_find_the_same(stored: Dataset, words: list[str]) -> None:
    # `stored` is module-scoped: the same store for every example.
    same_answer(load_dataset(use_cache=False), stored, " ".join(words))


def test_pairs_of_conditions_find_the_same(dataset: Dataset, stored: Dataset) -> None:
    labels = [c.label for c in dataset.conditions] + [u.label for u in dataset.umbrellas]
    for first, second in itertools.islice(itertools.combinations(labels, 2), 0, None, 41):
        same_answer(dataset, stored, f"{first} {second}")


@given(
    st.text(max_size=80)
    | st.lists(st.sampled_from([*_WORDS, "Ménière's", "X's", " "]), max_size=8).map(" ".join)
)
def test_the_indexed_word_set_is_the_words_search_reads(text: str) -> None:
    """The store indexes text.folded_word_set; search matches text.folded_words."""
    from adjuvant_cli.text import folded_word_set

    assert folded_word_set(text) == set(folded_words(text))
