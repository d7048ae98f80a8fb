"""Search through WHO ICD-10 titles (FACTS §4c, last paragraphs): a query that
is a whole WHO title means that code exactly as the code typed would; some
words of a title show it and count nothing; it works for one's own dataset,
whose file says nothing of WHO's titles."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from adjuvant_cli import codes
from adjuvant_cli.cli import app
from adjuvant_cli.dataset.who_titles import who_code_for
from adjuvant_cli.search import SearchResult, search

from .conftest import REPO, load_dataset_uncached

runner = CliRunner()
DATASET = load_dataset_uncached()
SMALL = REPO / "tests" / "fixtures" / "small.toml"


def search_json(*args: str) -> tuple[int, dict[str, Any]]:
    done = runner.invoke(app, ["search", "--json", *args])
    return done.exit_code, json.loads(done.stdout)["result"]


def answer(result: dict[str, Any]) -> tuple[object, ...]:
    """What a search answers, without how the query was typed."""

    def found(hits: list[dict[str, Any]]) -> list[tuple[object, ...]]:
        return [(h["tier"], h["drug_id"], h["field"], h["indication_id"], h["score"]) for h in hits]

    return found(result["hits"]), found(result["related"]), [s["text"] for s in result["suggestions"]]


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("epilepsy", "G40"),
        # Titles that FACTS §4c made the dataset's own words (cerebral infarction,
        # sciatica, panic disorder, eclampsia) are read as the dataset's: these are not.
        ("kyphosis and lordosis", "M40"),
        ("dorsalgia", "M54"),
        ("agoraphobia", "F40.0"),
        ("essential (primary) hypertension", "I10"),
    ],
)
def test_a_whole_who_title_answers_as_its_code_typed(title: str, code: str) -> None:
    by_title = search_json(title)
    by_code = search_json(code)
    assert by_title[0] == by_code[0]
    assert answer(by_title[1]) == answer(by_code[1])
    (meaning,) = by_title[1]["meanings"]
    assert (meaning["match"], meaning["code"], meaning["read_as_code"]) == ("who_title", None, code)
    assert all(r["who_title"].startswith(f"{code} ") for h in by_title[1]["hits"] for r in h["reasons"])


def test_epilepsy_counts_diazepams_epileptic_seizures_with_its_route_and_purpose() -> None:
    """FACTS §4c: parenteral; to stop seizures."""
    done = runner.invoke(app, ["search", "epilepsy"])
    assert done.exit_code == 0
    assert "Read as: epilepsy → WHO G40 Epilepsy → Epileptic seizures" in done.stdout
    assert "parenteral" in done.stdout and "to stop seizures" in done.stdout
    assert "No indication" not in done.stdout


@pytest.mark.parametrize("fmt", ["terminal", "plain", "markdown"])
def test_every_human_format_says_which_who_title_a_query_was_read_as(fmt: str) -> None:
    why = ["--why"] if fmt == "terminal" else []  # on a terminal, how a hit matched is behind --why
    done = runner.invoke(app, ["search", "epilepsy", "-f", fmt, *why], env={"COLUMNS": "200"})
    assert done.exit_code == 0
    assert "epilepsy → WHO G40 Epilepsy → Epileptic seizures" in done.stdout  # the "Read as" line
    assert "epilepsy → Epileptic seizures (WHO G40 Epilepsy)" in done.stdout  # the hit's reason


def test_sciatica_counts_the_vertebral_syndrome() -> None:
    """M54.3 lies in the vertebral syndrome's M40-M54 (FACTS §4c: it covers sciatica)."""
    code, result = search_json("dorsalgia")
    assert code == 0
    counted = {(h["drug_id"], link["condition_id"]) for h in result["hits"] for link in h["links"]}
    assert ("diazepam", "vertebral-syndrome") in counted


def test_some_words_of_a_title_show_it_and_count_nothing() -> None:
    """'encephalitis' meets G04, myelitis's code: shown with the title, not counted."""
    code, result = search_json("encephalitis")
    assert code == 1
    assert result["hits"] == []
    titles = {r["who_title"] for h in result["related"] for r in h["reasons"]}
    assert titles == {"G04 Encephalitis, myelitis and encephalomyelitis"}
    assert {h["tier"] for h in result["related"]} == {"who_title"}


def test_eclampsia_is_o15_never_pre_eclampsia() -> None:
    """FACTS §4c made eclampsia (O15) a condition inside gestosis: its own label,
    never "Pre-eclampsia" nor O11."""
    _, result = search_json("eclampsia")
    assert [(m["match"], m["condition_id"]) for m in result["meanings"]] == [("label", "eclampsia")]
    shown = json.dumps(result)
    assert "O11" not in shown and "pre-eclampsia" not in shown


def test_words_the_dataset_explains_never_read_the_titles() -> None:
    """'low back pain' is the dataset's own label (and WHO's M54.5 title): the label wins."""
    _, result = search_json("low back pain")
    assert [m["match"] for m in result["meanings"]] == ["label"]


@pytest.mark.parametrize(("query", "condition"), [("headache", "tension-headache"), ("pain", None)])
def test_a_word_of_a_conditions_name_is_the_datasets_not_a_who_title(
    query: str, condition: str | None
) -> None:
    """ "headache" (R51's title) is a word of tension headache's name: the
    dataset explains it, so it still reaches tension headache by name."""
    _, result = search_json(query)
    assert result["meanings"] == []
    if condition is not None:
        assert condition in {link["condition_id"] for h in result["hits"] for link in h["links"]}


def test_a_drug_class_is_never_read_as_a_who_cause() -> None:
    """Y47.1 "Benzodiazepines" is an external cause: the class finds its drugs."""
    _, result = search_json("benzodiazepine")
    assert result["meanings"] == []
    assert {h["drug_id"] for h in result["hits"] if h["tier"] == "drug"} == {"diazepam", "tofisopam"}


def test_a_title_beside_a_condition_reads_as_its_code() -> None:
    """Unexplained words between conditions: a run that is a whole title."""
    _, by_title = search_json("spasticity after intracerebral haemorrhage")
    _, by_code = search_json("spasticity I61")
    assert answer(by_title) == answer(by_code)
    assert [m["read_as_code"] for m in by_title["meanings"]] == [None, "I61"]


def own_dataset(tmp_path: Path) -> Path:
    """The small fixture without its WHO excerpt: nothing of WHO in the file."""
    parts = re.split(r"(?m)^(?=\[\[)", SMALL.read_text(encoding="utf-8"))
    path = tmp_path / "own.toml"
    path.write_text("".join(p for p in parts if not p.startswith("[[who_icd10]]")), encoding="utf-8")
    return path


def test_an_own_dataset_reads_who_titles_with_no_change_to_its_file(tmp_path: Path) -> None:
    data = str(own_dataset(tmp_path))
    assert "who_icd10" not in Path(data).read_text(encoding="utf-8")
    for title, code in (("sciatica", "M54.3"), ("generalized anxiety disorder", "F41.1")):
        by_title = search_json(title, "--data", data)
        by_code = search_json(code, "--data", data)
        assert by_title[0] == by_code[0] == 0, title
        assert answer(by_title[1]) == answer(by_code[1])
        assert by_title[1]["meanings"][0]["read_as_code"] == code
    # some words of M46.3 "Infection of intervertebral disc (pyogenic)": shown, not counted
    _, shown = search_json("intervertebral disc", "--data", data)
    assert shown["hits"] == []
    assert shown["related"] and all(h["tier"] == "who_title" for h in shown["related"])


@cache
def reachable_titles() -> list[tuple[str, str]]:
    """(title, code) for every WHO code inside a condition's codes whose title
    names that code alone and is not the dataset's own vocabulary."""
    coded = [own for c in DATASET.conditions for own in c.icd10]
    found = []
    for row in (REPO / "data" / "who-icd10.tsv").read_text(encoding="utf-8").splitlines():
        code, title, _ = row.split("\t")
        if any(codes.contains(own, code) for own in coded):
            match = who_code_for(title)
            if match is not None and match.code == code:
                found.append((title, code))
    return found


def test_many_titles_are_reachable() -> None:
    assert len(reachable_titles()) > 300  # the property below ranges over these


def _answer(result: SearchResult) -> list[tuple[object, ...]]:
    return [
        (h.tier, h.drug.id, h.field, h.indication.id if h.indication else None)
        for h in (*result.hits, *result.related)
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_who_title_and_its_code_give_the_same_tiers(data: st.DataObject) -> None:
    title, code = data.draw(st.sampled_from(reachable_titles()))
    by_title = search(DATASET, title)
    if not any(m.via == "who title" for m in by_title.meanings):
        return  # the dataset's own words explain it: its vocabulary answers first
    assert _answer(by_title) == _answer(search(DATASET, code)), (title, code)
