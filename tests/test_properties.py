"""Properties over any input (Hypothesis): whatever a user types, resolution
and search answer with a result or the documented error, JSON always parses,
and nothing but the program's own styling reaches the terminal.

Examples per test: 100 by default, 400 in CI (the "ci" profile, see conftest)."""

from __future__ import annotations

import json
import re

from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli import records
from adjuvant_cli.cli import app
from adjuvant_cli.errors import DrugNotFound, UsageError
from adjuvant_cli.model import Dataset
from adjuvant_cli.names import MIN_PREFIX, resolve_drug
from adjuvant_cli.search import COUNTED, FUNCTION_WORDS, MAX_QUERY_CHARS, search
from adjuvant_cli.text import (
    UNSAFE_CHARS,
    fold,
    folded_words,
    one_line,
    printable,
    tokens,
    without_invisible,
    word_stems,
)

from .conftest import load_dataset_uncached

DATASET = load_dataset_uncached()
RUNNER = CliRunner()
SGR = re.compile(r"\x1b\[[0-9;]*m")
RAW_UNSAFE = re.compile(UNSAFE_CHARS)

# Any Unicode, plus text built from the dataset's own names so that the
# interesting paths (exact, prefix, near miss) are reached, not only misses.
NAMES = [name for drug in DATASET.drugs for name in drug.names]
names_and_noise = st.one_of(
    st.text(),
    st.sampled_from(NAMES),
    st.builds(lambda n, k: n[:k], st.sampled_from(NAMES), st.integers(0, 12)),
    st.builds(lambda n, s: n + s, st.sampled_from(NAMES), st.text(max_size=3)),
)
queries = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "spasticity",
            "MS",
            "G80",
            "Ménière's",
            "[bold]",
            "\x1b[2J",
            "alcohol withdrawal",
            "back pain",
            "T42.4",
        ]
    ),
    st.lists(
        st.sampled_from(["spasm", "pain", "multiple", "sclerosis", "tbi", "(", "*", "M54", "after", "in"]),
        max_size=4,
    ).map(" ".join),
)


def _a_usage_error(query: str) -> bool:
    """Too long, or nothing but function words ("in the"): nothing to search for."""
    words = [t.folded for t in tokens(query)]
    return len(query) > MAX_QUERY_CHARS or (bool(words) and all(w in FUNCTION_WORDS for w in words))


def _owns_prefix(dataset: Dataset, drug_id: str, typed: str) -> bool:
    key = fold(typed)
    return any(fold(name).startswith(key) for name in dataset.drugs_by_id[drug_id].names)


@given(names_and_noise)
def test_resolution_answers_a_drug_it_names_or_says_not_found(typed: str) -> None:
    try:
        resolution = resolve_drug(DATASET, typed)
    except DrugNotFound:
        # Never a miss either: no drug has that name, nor owns it alone as a prefix.
        key = fold(typed)
        assert all(key not in {fold(n) for n in drug.names} for drug in DATASET.drugs)
        owners = [drug.id for drug in DATASET.drugs if _owns_prefix(DATASET, drug.id, typed)]
        assert len(key) < MIN_PREFIX or len(owners) != 1, owners
        return
    # Never a guess: the typed text is a name of the drug, or a prefix of one of
    # its names at least MIN_PREFIX long.
    key = fold(typed)
    assert key in {fold(n) for n in resolution.drug.names} or (
        len(key) >= MIN_PREFIX and _owns_prefix(DATASET, resolution.drug.id, typed)
    )


@given(queries)
def test_search_answers_a_result_or_the_documented_usage_error(query: str) -> None:
    try:
        result = search(DATASET, query)
    except UsageError:
        assert _a_usage_error(query)
        return
    assert result.query == query
    # Counted hits and the related ones shown apart never mix.
    assert all(hit.tier in COUNTED for hit in result.hits)
    assert not any(hit.tier in COUNTED for hit in result.related)
    for hit in (*result.hits, *result.related):
        for start, end in hit.highlights:
            assert 0 <= start < end <= len(hit.text)
        if hit.indication is not None:
            for qualifier, spans in zip(hit.indication.qualifiers, hit.qualifier_highlights, strict=False):
                assert all(0 <= start < end <= len(qualifier) for start, end in spans)


@given(names_and_noise)
def test_show_json_parses_or_stdout_stays_empty(typed: str) -> None:
    result = RUNNER.invoke(app, ["show", "--json", "--", typed])  # "--": a name may start with "-"
    if result.exit_code == 0:
        assert json.loads(result.stdout)["result"]["drug"]["drug_id"] in DATASET.drugs_by_id
    else:
        assert result.exit_code == 1
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert not RAW_UNSAFE.search(result.stderr)


@given(queries)
@example("\xad")  # invisible only: the empty-query usage error
def test_search_json_always_parses(query: str) -> None:
    result = RUNNER.invoke(app, ["search", "--json", "--", query])
    if result.exit_code == 2:  # an empty, overlong or empty-worded query: a usage error
        assert result.stdout == ""
        # Nothing visible is an empty query ('\xad' alone: a soft hyphen shows nothing).
        assert not without_invisible(query).strip() or _a_usage_error(query)
        return
    document = json.loads(result.stdout)
    assert document["result"]["query"] == query
    # Exit 1 exactly when nothing counted was found, as grep.
    assert result.exit_code == (0 if document["result"]["hits"] else 1)
    assert not RAW_UNSAFE.search(result.stdout)


@given(queries)
def test_terminal_output_has_no_escape_but_our_styling(query: str) -> None:
    result = RUNNER.invoke(app, ["search", "--", query], env={"FORCE_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code in (0, 1, 2)
    assert not RAW_UNSAFE.search(SGR.sub("", result.stdout))
    assert not RAW_UNSAFE.search(result.stderr)


@given(st.text())
def test_printable_leaves_nothing_unsafe_and_one_line_stays_on_one_line(text: str) -> None:
    assert not RAW_UNSAFE.search(printable(text))
    assert len(one_line(text).splitlines()) <= 1
    assert not RAW_UNSAFE.search(one_line(text))


ascii_text = st.text(alphabet=st.characters(max_codepoint=127))
condition_names = st.sampled_from(
    [n for c in DATASET.conditions for n in (c.label, *c.synonyms, *c.abbreviations)]
    + [i.text for d in DATASET.drugs for i in d.indications]
)


possessives = st.lists(
    st.sampled_from(
        ["Meniere's", "Ménière's", "Parkinson's", "s's", "'s", "G80.3", "back", "pain", "Ä", "’s"]
    ),
    max_size=4,
).map(" ".join)


@given(st.one_of(st.text(), ascii_text, condition_names, queries, possessives))
def test_folded_words_are_the_tokens_words(text: str) -> None:
    """folded_words' ASCII fast path (text.py) gives what tokens() gives."""
    assert folded_words(text) == [token.folded for token in tokens(text)]


# "painful" also stands for "pain" (text.word_stems): -ful words are the case to cover.
useful_words = st.lists(st.sampled_from(["painful", "Painful's", "useful", "spasms", "muscle"]), max_size=4)


# Words next to the other separators str.split() splits on (no word spans any).
spaced = st.lists(
    st.sampled_from(
        ["spasm", "Painful's", "G80.3", "Ménière’s", "\u00a0", "\u2003", "\u3000", "\x1f", "\t", "'", "-"]
    ),
    max_size=6,
).map("".join)


@given(
    st.lists(
        st.one_of(st.text(), ascii_text, condition_names, possessives, useful_words.map(" ".join), spaced)
    )
)
def test_the_first_loads_index_finds_each_text_by_its_words_stems(texts: list[str]) -> None:
    """The store's first load tokenises each distinct space-separated part of
    a text once (records._by_stem): each text is found by exactly the stems of
    its words, as search reads them (folded_words)."""
    distinct = list(dict.fromkeys(texts))
    found = records._by_stem("w:", {text: [position] for position, text in enumerate(distinct)})
    expected: dict[str, list[int]] = {}
    for position, text in enumerate(distinct):
        for stemmed in word_stems(set(folded_words(text))):
            expected.setdefault("w:" + stemmed, []).append(position)
    assert found == {key: tuple(positions) for key, positions in expected.items()}
