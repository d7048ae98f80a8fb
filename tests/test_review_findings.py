"""An independent pharmacist's review of search: each finding as what a user
sees through the real CLI (JSON for what is counted, text for what a
clinician reads), written from the article and FACTS.md, not from output."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from adjuvant_cli.cli import app

runner = CliRunner()


def _run(*args: str) -> Any:
    return runner.invoke(app, ["search", *args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def _json(query: str) -> dict[str, Any]:
    done = _run("--json", "--", query)
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    return result


def _counted(result: dict[str, Any]) -> set[str]:
    return {hit["drug_id"] for hit in result["hits"]}


# S1: "pain" is a condition's word, never a class or an effect (FACTS §4d: a
# CLASS is a class or an effect tag); "after surgery" is the postoperative
# state, where tizanidine treats painful muscle spasm (§4a).
def test_pain_after_surgery_is_tizanidines_postoperative_spasm() -> None:
    for query in ("pain after surgery", "postoperative pain"):
        result = _json(query)
        assert result["restriction"] is None, query
        assert _counted(result) == {"tizanidine"}, query


def test_pain_alone_never_counts_an_action_line() -> None:
    result = _json("pain")
    assert all(hit["tier"] != "drug" for hit in result["hits"])
    assert "diazepam" not in _counted(result)
    assert "pain threshold" not in _run("pain").stdout.lower().split("not counted")[0]


# S4: "injury" inside "traumatic brain injury" is not a muscle injury.
def test_muscle_injury_is_not_traumatic_brain_injury() -> None:
    result = _json("muscle injury")
    assert not any(
        reason.get("condition_id") == "traumatic-brain-injury"
        for hit in result["hits"]
        for reason in hit["reasons"]
    )
    assert "Traumatic brain injury" not in _run("muscle injury").stdout


# S2: wherever myasthenia, myopathy or neurogenic muscular atrophy appear
# beside diazepam, the contraindication the source gives must be said (FACTS §5).
def test_a_drug_or_class_named_with_myasthenia_says_the_contraindication() -> None:
    for query in (
        "diazepam myasthenia",
        "muscle relaxant for myasthenia",
        "diazepam for myopathy",
        "myasthenia",
    ):
        result = _json(query)
        said = [hit for hit in result["related"] if hit["drug_id"] == "diazepam"]
        assert any("contraindicated" in hit["text"] for hit in said), query
        assert "diazepam" not in _counted(result), query
        text = _run("--", query).stdout
        assert "such as diazepam, are contraindicated" in " ".join(text.split()), query


# S3: a brand typed in a search carries the note `show BRAND` gives on forms
# the monograph does not describe (FACTS §3), in every format and in JSON.
BRAND_FORMS = {
    "Gablofen spasticity": ("Gablofen", "intrathecal"),
    "Valtoco seizures": ("Valtoco", "nasal spray"),
    "Lioresal multiple sclerosis": ("Lioresal", "intrathecal"),
    "Zanaflex back pain": ("Zanaflex", "capsules"),
}


def test_a_brand_in_a_search_says_its_other_forms() -> None:
    for query, (brand, form) in BRAND_FORMS.items():
        restriction = _json(query)["restriction"]
        (resolved,) = restriction["resolved"]
        assert resolved["brand"]["name"] == brand, query
        assert any(form in f for f in resolved["forms_not_described"]), query
        for fmt in ("terminal", "plain", "markdown"):
            shown = " ".join(_run("--format", fmt, "--", query).stdout.split())
            assert f"{brand} is" in shown and form in shown, (query, fmt)
            assert "this monograph describes" in shown, (query, fmt)


def test_a_drug_name_in_a_search_has_no_form_note() -> None:
    (resolved,) = _json("baclofen spasticity")["restriction"]["resolved"]
    assert resolved["forms_not_described"] == []
    assert "this monograph describes" not in _run("baclofen spasticity").stdout


# S5: knee osteoarthritis (WHO M17 "Gonarthrosis [arthrosis of knee]") is
# inside arthrosis, which covers it (FACTS §4, §4c): diazepam's arthrosis
# setting counts, however it is typed; never "Read as arthrosis" above "nothing".
def test_knee_osteoarthritis_reaches_arthrosis() -> None:
    for query in ("knee osteoarthritis", "knee arthrosis", "gonarthrosis"):
        result = _json(query)
        assert _counted(result) == {"diazepam"}, query
        assert "No indication" not in _run("--", query).stdout, query


# M4: a word the source does not explain keeps the query from matching, and
# the answer says which word (FACTS §4d: febrile seizures count nothing).
def test_the_word_not_understood_is_named() -> None:
    for query, word in (("febrile seizures", "febrile"), ("clonic seizures", "clonic")):
        shown = " ".join(_run("--", query).stdout.split())
        assert f"nothing in the source says “{word}”" in shown, query
        assert _json(query)["hits"] == [], query


# M3: a misspelled drug name is offered the drug, never a bare "no indication".
def test_a_misspelled_drug_is_offered() -> None:
    for query, drug in (
        ("diazepan seizures", "diazepam"),
        ("tizanidin back pain", "tizanidine"),
        ("baclophen", "baclofen"),
    ):
        offered = [s["drug_id"] for s in _json(query)["suggestions"] if s["type"] == "drug"]
        assert offered == [drug], query
        assert f"adjuvant show {drug}" in _run("--", query).stdout, query


# M5: one statement is never both counted and listed "not counted" in one answer.
def test_a_counted_statement_is_not_listed_again_as_not_counted() -> None:
    for query in ("osteochondrosis", "headache"):
        result = _json(query)
        counted = {(hit["drug_id"], hit["indication_id"]) for hit in result["hits"]}
        assert counted, query
        again = [h for h in result["related"] if (h["drug_id"], h["indication_id"]) in counted]
        assert again == [], query


# Minor: "back pain" reaches tizanidine through its setting, "disorders of the
# spine" (FACTS §4b), not through one of that setting's examples (neck pain).
def test_back_pain_cites_the_spine_setting() -> None:
    for query in ("back pain", "Zanaflex back pain"):
        (hit,) = [
            h
            for h in _json(query)["hits"]
            if h["indication_id"] == "tizanidine-muscle-spasm-in-disorders-of-the-spine"
        ]
        assert hit["reasons"][0]["condition_id"] == "disorders-of-the-spine", query


# M1: "Epilepsy reaches diazepam's epileptic seizures (G40) and counts, with its
# route and purpose on the hit: parenteral; to stop seizures; the source states
# no long-term treatment of epilepsy" (FACTS §4c). The last clause is the
# indication's note, in the data: shown on the hit in every format and in show.
EPILEPSY_NOTE = "the source states no long-term treatment of epilepsy"


def test_epilepsy_says_the_source_states_no_long_term_treatment() -> None:
    result = _json("epilepsy")
    (hit,) = result["hits"]
    assert (hit["drug_id"], hit["tier"], hit["route"]) == ("diazepam", "target", "parenteral")
    assert hit["qualifiers"] == ["to stop seizures"]
    assert hit["indication_note"] == EPILEPSY_NOTE
    for fmt in ("terminal", "plain", "markdown"):
        shown = " ".join(_run("--format", fmt, "--", "epilepsy").stdout.replace("**", "").split())
        assert f"parenteral; to stop seizures; {EPILEPSY_NOTE}" in shown, fmt


def test_show_carries_the_note_on_its_indication() -> None:
    for fmt in ("terminal", "plain", "markdown"):
        env = {"COLUMNS": "200", "NO_COLOR": "1"}
        done = runner.invoke(app, ["show", "diazepam", "--format", fmt], env=env)
        assert EPILEPSY_NOTE in " ".join(done.stdout.split()), fmt
    done = runner.invoke(app, ["show", "diazepam", "--json"])
    notes = {i["indication_id"]: i["note"] for i in json.loads(done.stdout)["result"]["drug"]["indications"]}
    assert notes["diazepam-epileptic-seizures"] == EPILEPSY_NOTE
    assert [n for n in notes.values() if n is not None] == [EPILEPSY_NOTE]


def test_a_note_is_never_matched_by_search() -> None:
    # What the source does not state is no statement: its words find nothing.
    assert _json("long-term treatment")["hits"] == []


# M6: a WHO title is shown in part (not counted, FACTS §4c) only for words
# the dataset's own names leave unexplained. "pain" and "depression" stand in
# its conditions' names (neck pain, reactive depression), which answer them;
# WHO titles that merely hold the word (F20.4 Post-schizophrenic depression,
# F45.4 Persistent somatoform pain disorder, N94) are not listed.
def test_partial_who_titles_only_for_words_the_dataset_does_not_explain() -> None:
    for query in ("pain", "depression", "back pain", "headache"):
        result = _json(query)
        assert [h for h in result["related"] if h["tier"] == "who_title"] == [], query
        shown = _run("--", query).stdout
        assert "WHO F20.4" not in shown and "WHO F45.4" not in shown and "WHO N94" not in shown, query
    for query, code in (("encephalitis", "G04"), ("thoracic", "M54.6"), ("fracture", "M48.4")):
        titles = [r["who_title"] for h in _json(query)["related"] for r in h["reasons"] if r["who_title"]]
        assert any(t.startswith(code) for t in titles), query


# M2: "anxiety" is the symptom and the anxiety disorders, as "panic" is panic
# disorder: diazepam's anxiety disorders is a target, first; tofisopam's
# neurosis counts through anxiety disorders, which it includes and covers
# (FACTS §4c), never through its fear or nervous tension, which are not anxiety.
def test_anxiety_reaches_the_anxiety_disorders_and_tofisopams_neurosis() -> None:
    for query in ("anxiety", "benzodiazepine for anxiety"):
        result = _json(query)
        first = result["hits"][0]
        assert (first["drug_id"], first["indication_id"], first["tier"]) == (
            "diazepam",
            "diazepam-anxiety-disorders",
            "target",
        ), query
        (tofisopam,) = [h for h in result["hits"] if h["drug_id"] == "tofisopam"]
        assert tofisopam["tier"] == "target", query
        (reason,) = tofisopam["reasons"]
        assert (reason["condition_id"], reason["queried_condition_id"]) == ("neurosis", "anxiety-disorders")


# M2: an indication is headed by its target, never by its setting (FACTS §4a):
# diazepam's symptoms of alcohol withdrawal are not under "Alcohol withdrawal".
def test_no_indication_is_headed_by_its_setting() -> None:
    done = runner.invoke(app, ["show", "diazepam", "--json"])
    indications = json.loads(done.stdout)["result"]["drug"]["indications"]
    groups = {i["indication_id"]: i["group"] for i in indications}
    assert groups["diazepam-alcohol-withdrawal"] == "Anxiety, tension, agitation and tremor"
    for drug in ("baclofen", "diazepam", "tizanidine", "tofisopam"):
        document = json.loads(runner.invoke(app, ["show", drug, "--json"]).stdout)
        for indication in document["result"]["drug"]["indications"]:
            settings = {k["label"] for k in indication["links"] if k["role"] != "target"}
            assert indication["group"] not in settings, (drug, indication["indication_id"])
