"""End to end: show, search, compare and conditions through the real CLI, in
every format; completion and the pager."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cli
from adjuvant_cli.cli import app
from adjuvant_cli.output import Output
from adjuvant_cli.render import OutputFormat

from .conftest import REPO, as_terminal, installed_adjuvant, under_shell

COMMANDS = [
    ["list"],
    ["show", "baclofen"],
    ["show", "tofisopam", "--section", "indications"],
    ["search", "spasticity"],
    ["search", "MS", "--all"],
    ["compare"],
    ["compare", "baclofen", "tizanidine"],
    ["conditions"],
    ["conditions", "pain"],
]
DISCLAIMER_START = "For information only"


def run(runner: CliRunner, *args: str, columns: int = 100) -> tuple[int, str, str]:
    result = runner.invoke(app, as_terminal(list(args)), env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


COMPACT_START = "Information only, not a guide to self-treatment"
SCOPE_START = "Covers forms, actions and indications only"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_terminal_output_ends_with_a_compact_footer(runner: CliRunner, command: list[str]) -> None:
    """The compact scope (show, search, compare), the compact disclaimer and
    the source end the output, after the answer: at most 5 lines at 80
    columns, no box (FACTS §1 compact wording, from the dataset)."""
    code, out, _ = run(runner, *command, columns=80)
    assert code == 0
    lines = out.rstrip().splitlines()
    first = SCOPE_START if command[0] in ("show", "search", "compare") else COMPACT_START
    start = max(i for i, line in enumerate(lines) if line.startswith(first))
    footer = lines[start:]
    assert len(footer) <= 5, footer
    assert COMPACT_START in " ".join(footer)
    assert sum(SCOPE_START in line for line in lines) == (first == SCOPE_START)  # said once
    assert footer[-1].startswith("Source: “Use of adjuvants") and footer[-1].endswith("2025-07-08.")
    assert not any(ch in "".join(footer) for ch in "╭╮╰╯│─")
    assert "Self-medication is dangerous" in " ".join(footer) and "leaflet" in " ".join(footer)


def test_an_empty_result_keeps_the_compact_footer(runner: CliRunner) -> None:
    code, out, _ = run(runner, "conditions", "zzzz", columns=80)
    assert code == 1
    assert out.rstrip().splitlines()[-1].startswith("Source: ")
    assert any(line.startswith(COMPACT_START) for line in out.splitlines()[-5:])


def test_show_section_disclaimer_gives_the_full_text(runner: CliRunner) -> None:
    code, out, _ = run(runner, "show", "baclofen", "--section", "disclaimer")
    assert code == 0
    flat = " ".join(out.split())
    assert "Disclaimer For information only; not a guide to self-treatment." in flat
    assert "iLive (medical reference site; article reviewed by its medical experts)" in flat


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_markdown_output_ends_with_the_disclaimer(runner: CliRunner, command: list[str]) -> None:
    code, out, _ = run(runner, *command, "--format", "markdown")
    assert code == 0
    assert out.rstrip().splitlines()[-1].startswith(f"> **Disclaimer.** {DISCLAIMER_START}")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", [["--json"], ["--format", "json"], ["-f", "JSON"]])
def test_json_output_is_one_document_carrying_the_disclaimer(
    runner: CliRunner, command: list[str], flag: list[str]
) -> None:
    code, out, _ = run(runner, *command, *flag)
    assert code == 0
    document = json.loads(out)
    assert out.endswith("}\n")
    assert document["disclaimer"]["text"].startswith(DISCLAIMER_START)
    assert document["disclaimer"]["compact"].startswith("Information only")
    assert document["source"]["title"] == "Use of adjuvants in the treatment of back pain"
    assert document["source"]["scope"].endswith("The absence of a statement is not the absence of a risk.")
    assert document["schema_version"] == 2
    assert document["command"] == command[0]


def test_show_lays_out_the_whole_monograph(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "diazepam", "--corrections", columns=120)
    order = [
        "Diazepam",
        "N05BA01",
        "Valium",
        "Caveats",
        # What a clinician needs first: indications, onset, then effects and mechanism.
        "Indications",
        "Parenteral use",
        "Conditions and WHO ICD-10 codes",
        "Onset",
        "Effect profile",
        "Clinical effects",
        "Mechanism",
        "Corrections and readings of the source",
        "raresthesia",
        "Information only",
        "Source:",
    ]
    positions = [out.index(word) for word in order]
    assert positions == sorted(positions)
    flat = " ".join(out.split())
    # What the source does not cover is said once, after the answer, beside the disclaimer.
    assert flat.index("Mechanism") < flat.index(SCOPE_START) < flat.index("Information only")
    assert "Scope:" not in flat
    # Routes and qualifiers stand under their indication; what every item of a
    # group shares is said once, at the group (issue 10).
    assert "Parenteral use All: route: parenteral •" in flat
    premature = "Premature labour only at the end of the third trimester of pregnancy Treated: Preterm labour"
    assert premature in flat
    assert "Myocardial infarction as part of complex therapy" in flat
    assert flat.count("route: parenteral") == 1
    # A mention outside the indications is never presented as one.
    assert "Mentions: Alcohol withdrawal, Alcoholic delirium (mentioned, not an indication)" in flat
    # A setting is shown as a setting, with what is treated in it.
    assert "Treated: Muscle spasm · Settings: Local trauma" in flat
    assert "Myocardial infarction: I21 Acute myocardial infarction" in flat  # WHO titles
    assert "Corrected: “raresthesia” → paresthesia" in flat
    assert out.rstrip().endswith("iLive, 2025-07-08.")  # the date of its last review


def test_show_says_what_a_brand_name_resolved_to(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "Grandaxin")
    assert "Grandaxin → Tofisopam (brand name)\n" in out
    # The caveat comes with it: in one short line, and whole under --full.
    assert "Caveat Its muscle-relaxant, sedative and anticonvulsant effects are disputed." in " ".join(
        out.split()
    )
    assert "2,3-benzodiazepine" in " ".join(run(runner, "show", "Grandaxin", "--full")[1].split())
    document = json.loads(run(runner, "show", "tiza", "--json")[1])
    assert document["result"]["resolved"] == {
        "query": "tiza",
        "drug_id": "tizanidine",
        "matched_name": "Tizanidine",
        "match": "prefix",
        "brand": None,
        "forms_not_described": [],
        "note": "tiza → Tizanidine (prefix)",
    }


def test_a_brand_of_another_form_says_so_where_it_resolves(runner: CliRunner) -> None:
    # Intrathecal baclofen is dosed in micrograms, oral in milligrams (FACTS §3).
    _, out, _ = run(runner, "show", "Gablofen", columns=200)
    assert (
        "Gablofen → Baclofen (brand name; Gablofen is an intrathecal injection — this monograph "
        "describes tablets. Intrathecal only: dosed in micrograms, not in the milligrams of oral baclofen)"
    ) in " ".join(out.split())  # prose wraps at 100 columns, however wide the terminal
    resolved = json.loads(run(runner, "show", "Gablofen", "--json")[1])["result"]["resolved"]
    assert resolved["brand"]["forms"] == ["intrathecal injection"]
    assert resolved["forms_not_described"] == ["intrathecal injection"]


def test_show_sections_select_parts(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "baclofen", "--section", "mechanism", "-s", "INDICATIONS")
    assert "Mechanism" in out and "Indications" in out
    assert "Effect profile" not in out and "Brand names" not in out
    document = json.loads(run(runner, "show", "baclofen", "-s", "effects", "--json")[1])
    assert document["result"]["sections"] == ["effects"]
    assert "indications" not in document["result"]["drug"]
    assert document["result"]["drug"]["effects"] == [
        {"effect_id": "muscle-relaxant", "label": "Central muscle relaxant", "disputed_by_caveat_id": None}
    ]
    # Caveats are shown whatever was chosen; tofisopam's disputes its effect tags.
    document = json.loads(run(runner, "show", "tofisopam", "-s", "effects", "--json")[1])
    effects = {e["effect_id"]: e["disputed_by_caveat_id"] for e in document["result"]["drug"]["effects"]}
    assert effects == {
        "muscle-relaxant": "tofisopam-effects-and-receptors",
        "anxiolytic": None,
        "sedative": "tofisopam-effects-and-receptors",
        "anticonvulsant": "tofisopam-effects-and-receptors",
    }
    caveats = [c["caveat_id"] for c in document["result"]["drug"]["caveats"]]
    assert caveats == ["tofisopam-effects-and-receptors", "tofisopam-regulatory-status"]


def test_section_names_in_the_cli_are_the_models() -> None:
    from adjuvant_cli.model import Section

    assert tuple(s.value for s in Section) == cli._SECTIONS


def test_show_unknown_section_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = run(runner, "show", "baclofen", "--section", "dosage")
    assert code == 2
    assert out == ""
    assert (
        err == "adjuvant: no section 'dosage'; choose from overview, mechanism, effects, onset, "
        "indications, corrections, disclaimer\n"
    )


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_a_misspelt_drug_asks_did_you_mean_and_exits_1(runner: CliRunner, flag: list[str]) -> None:
    code, out, err = run(runner, "show", "baclofem", *flag)
    assert code == 1
    assert out == ""
    assert (
        err == "adjuvant: no drug named 'baclofem'. Did you mean: Baclofen, Gablofen (Baclofen)? "
        "(see 'adjuvant list')\n"
    )


def test_search_explains_and_ranks(runner: CliRunner) -> None:
    code, out, _ = run(runner, "search", "ms", columns=120)
    assert code == 0
    assert "Read as: ms → Multiple sclerosis (abbreviation)" in out
    # MS is where spasticity is treated, never what is treated: no "Treats it".
    assert "Treats it" not in out
    tier = out.index("As the setting (something else is treated)")
    assert tier < out.index("Baclofen") < out.index("Tizanidine")
    # Each hit's role and what is treated, always; how the words matched, behind --why.
    roles = [line.strip() for line in out.splitlines() if "setting: Multiple sclerosis" in line]
    assert roles == [
        "setting: Multiple sclerosis; treats: Spasticity",  # baclofen: "in multiple sclerosis, …"
        # tizanidine: in its parenthesis
        "example setting: Multiple sclerosis; treats: Spasticity of skeletal muscles",
    ]
    assert "(abbreviation) — setting" not in out
    why = run(runner, "search", "ms", "--why", columns=120)[1]
    reasons = [line.strip() for line in why.splitlines() if line.strip().startswith("why:")]
    assert reasons[:2] == [
        "why: ms → Multiple sclerosis (abbreviation) — setting",
        "why: ms → Multiple sclerosis (abbreviation) — setting, by example",
    ]
    # Diazepam's motor agitation "in neurology": a whole field, shown in general (FACTS §4c).
    assert reasons[2:] == [
        "why: ms (Multiple sclerosis) is one of the neurological diseases; the source names "
        "neurological diseases in general"
    ]
    assert run(runner, "search", "ms", "-v", columns=120)[1] == why
    document = json.loads(run(runner, "search", "spastic", "--json")[1])
    result = document["result"]
    # All three treat spasticity (target): equal rank, then by name.
    assert [(h["tier"], h["drug_id"]) for h in result["hits"]] == [
        ("target", "baclofen"),
        ("target", "diazepam"),
        ("target", "tizanidine"),
    ]
    assert result["hit_count"] == 3
    assert result["meanings"] == [
        {
            "term": "spastic",
            "match": "stem",
            "condition_id": "spasticity",
            "umbrella_id": None,
            "code": None,
            "read_as_code": None,
            "note": None,
        }
    ]
    assert all(isinstance(h["score"], float) for h in result["hits"])
    reason = result["hits"][0]["reasons"][0]
    assert (reason["match"], reason["condition_id"], reason["role"]) == ("stem", "spasticity", "target")


def test_search_with_nothing_found_prints_the_result_and_exits_1(runner: CliRunner) -> None:
    code, out, _ = run(runner, "search", "spasticty", "--json")
    assert code == 1
    result = json.loads(out)["result"]
    assert (result["hits"], result["hit_count"]) == ([], 0)
    assert result["suggestions"][0] == {"type": "condition", "text": "Spasticity", "drug_id": None}
    code, out, _ = run(runner, "search", "spasticty")
    assert code == 1
    assert "No indication in this dataset matches “spasticty”." in out
    assert "Did you mean: Spasticity?" in out


def test_search_for_a_drug_name_points_to_show(runner: CliRunner) -> None:
    code, out, _ = run(runner, "search", "Valium", "--json")
    assert code == 1
    assert json.loads(out)["result"]["suggestions"][0] == {
        "type": "drug",
        "text": "Diazepam",
        "drug_id": "diazepam",
    }
    _, out, _ = run(runner, "search", "Valium", columns=200)
    assert "Valium is a drug: adjuvant show diazepam" in out


@pytest.mark.parametrize("query", ["[bold]", "[/]", "((", ".*", ":pill:"])
def test_search_echoes_the_query_literally(runner: CliRunner, query: str) -> None:
    code, out, err = run(runner, "search", query)
    assert code == 1
    assert f"Search: {query}" in out
    assert err == ""
    assert json.loads(run(runner, "search", query, "--json")[1])["result"]["query"] == query


@pytest.mark.parametrize(
    "pasted",
    [
        "spas\u00adticity",  # a soft hyphen, as a PDF or web page hyphenates
        "spas\u200bticity",  # a zero-width space
        "\ufeffspasticity",  # a byte-order mark at the start
        "multiple\u00ad sclerosis",
        "Me\u0301nie\u0300re's disease",  # accents as combining marks, as macOS pastes them
    ],
)
def test_a_query_means_what_it_shows(runner: CliRunner, pasted: str) -> None:
    """Characters that show nothing neither split a word nor make a miss: a
    pasted "spas\u00adticity" that answered "No indication matches" would be
    a false negative a clinician acts on."""
    visible = pasted.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    shown = unicodedata.normalize("NFC", visible)
    mine = json.loads(run(runner, "search", pasted, "--json")[1])["result"]
    clean = json.loads(run(runner, "search", shown, "--json")[1])["result"]
    assert mine["hits"] and mine["hits"] == clean["hits"]
    assert mine["terms"] == clean["terms"]
    assert mine["query"] == pasted  # echoed as typed


@pytest.mark.parametrize(
    ("query", "counted"),
    [
        ("acute seizure", {"diazepam"}),
        ("post-stroke", {"baclofen", "tizanidine"}),  # stroke covers its sequelae (FACTS §4c)
        ("pre-term labour", {"diazepam"}),
        ("post-operative", {"tizanidine"}),
    ],
)
def test_a_modifier_or_prefix_beside_a_condition_is_read(
    runner: CliRunner, query: str, counted: set[str]
) -> None:
    """Reviewer's finding: "acute seizure" read the Seizures umbrella, then said
    no indication matches. A modifier is set aside and a prefix is part of its
    word (FACTS §4d), so the source's statement is found."""
    code, out, _ = run(runner, "search", query, "--json")
    assert code == 0
    assert {h["drug_id"] for h in json.loads(out)["result"]["hits"]} == counted


@pytest.mark.parametrize(
    "query",
    ["non-epileptic seizures", "nonepileptic seizure", "no seizures", "not spasticity", "without anxiety"],
)
def test_a_negated_query_is_never_offered_its_opposite(runner: CliRunner, query: str) -> None:
    code, out, _ = run(runner, "search", query, "--json")
    assert code == 1
    assert json.loads(out)["result"]["suggestions"] == []


@pytest.mark.parametrize(
    ("us", "british"),
    [
        ("herniated disk", "herniated disc"),
        ("intervertebral disk herniation", "intervertebral disc herniation"),
    ],
)
def test_us_and_british_spellings_find_the_same(runner: CliRunner, us: str, british: str) -> None:
    def found(query: str) -> list[tuple[str, str, str, object]]:
        hits = json.loads(run(runner, "search", query, "--json")[1])["result"]["hits"]
        return [(h["tier"], h["drug_id"], h["indication_id"], h["highlights"]) for h in hits]

    assert found(us) and found(us) == found(british)  # the same hits, the same words marked


def test_a_query_of_invisible_characters_is_empty(runner: CliRunner) -> None:
    code, out, err = run(runner, "search", "\u200b\u00ad")
    assert (code, out) == (2, "")
    assert "the query is empty" in err


def test_search_joins_several_words(runner: CliRunner) -> None:
    document = json.loads(run(runner, "search", "cerebral", "palsy", "--json")[1])
    assert document["result"]["query"] == "cerebral palsy"
    assert document["result"]["terms"] == ["cerebral palsy"]  # one condition, not two words
    # Cerebral palsy is a setting (or an example of one) for all three: spasticity is treated.
    assert [(h["tier"], h["drug_id"], h["treats"]) for h in document["result"]["hits"]] == [
        ("setting", "baclofen", "Spasticity"),
        ("setting", "diazepam", "Spastic conditions"),
        ("setting", "tizanidine", "Spasticity of skeletal muscles"),
    ]


def test_compare_matrix_and_groups(runner: CliRunner) -> None:
    _, out, _ = run(runner, "compare", "baclofen", "Sirdalud", columns=120)
    assert "Sirdalud → Tizanidine (brand name)" in out
    assert "Named for some" not in out  # a pair has no "some"
    shared = out.index("Named for all compared drugs")
    assert (
        shared
        < out.index("Multiple sclerosis")
        < out.index("Named for one only")
        < out.index("Meningitis (G00-G03, A39.0, A87, A17.0): setting for Spasticity")
    )
    # Each cell says the role and what is treated; only a target is "treated" itself.
    row = next(line for line in out.splitlines() if "│ Multiple sclerosis" in line)
    assert "setting for Spasticity" in row and "example setting for Spasticity of" in row
    assert "✓" not in row
    row = next(line for line in out.splitlines() if "│ Spasticity " in line)
    assert row.count("✓ treated") == 2
    document = json.loads(run(runner, "compare", "--json")[1])
    result = document["result"]
    assert result["drug_ids"] == ["baclofen", "diazepam", "tizanidine", "tofisopam"]
    groups = result["condition_groups"]
    # None is common to all four: a disease inside neurology is not neurology (FACTS §4c).
    assert [row["condition_id"] for row in groups["shared"]] == []
    keys = ("role", "indication_id", "treats", "route", "qualifiers")
    palsy = groups["partly_shared"][0]
    palsy["by_drug"] = {d: c and {k: c[k] for k in keys} for d, c in palsy["by_drug"].items()}
    assert palsy == {
        "condition_id": "cerebral-palsy",
        "label": "Cerebral palsy",
        "icd10": [{"code": "G80", "title": "Cerebral palsy"}],
        "by_drug": {
            "baclofen": {
                "role": "setting",
                "indication_id": "baclofen-spasticity",
                "treats": "Spasticity",
                "route": None,
                "qualifiers": [],
            },
            "diazepam": {
                "role": "example",
                "indication_id": "diazepam-spastic-conditions",
                "treats": "Spastic conditions",
                "route": None,
                "qualifiers": [],
            },
            "tizanidine": {
                "role": "example",
                "indication_id": "tizanidine-spasticity",
                "treats": "Spasticity of skeletal muscles",
                "route": None,
                "qualifiers": [],
            },
            "tofisopam": None,
        },
    }
    relaxant = result["effects"][0]
    assert (relaxant["effect_id"], relaxant["label"]) == ("muscle-relaxant", "Central muscle relaxant")
    assert [d["stated"] for d in relaxant["by_drug"].values()] == [True, True, True, True]
    disputed = relaxant["by_drug"]["tofisopam"]
    assert disputed["caveat_id"] == "tofisopam-effects-and-receptors"
    assert disputed["note"].startswith("* The article gives tofisopam anticonvulsant")
    assert relaxant["by_drug"]["diazepam"] == {"stated": True, "note": None, "caveat_id": None}
    assert {c["drug_id"] for c in result["caveats"]} == {"diazepam", "tofisopam"}


def test_compare_marks_tofisopams_disputed_effects_and_says_not_stated(runner: CliRunner) -> None:
    _, out, _ = run(runner, "compare", columns=120)
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.startswith("│ ")}
    # Baclofen, diazepam, tizanidine, tofisopam; "*": tofisopam's caveat disputes it.

    def cells(label: str) -> list[str]:
        return [c.strip() for c in rows[label].split("│")[2:6]]

    assert cells("Central muscle relaxant") == ["✓", "✓", "✓", "✓*"]
    assert cells("Sedative") == ["not stated", "✓", "not stated", "✓*"]
    assert cells("Anticonvulsant") == ["not stated", "✓", "not stated", "✓*"]
    assert cells("Anxiolytic") == ["not stated", "✓", "not stated", "✓"]
    table_end = out.index("╰", out.index("Effect profile"))
    note = out.index("* Tofisopam: The article gives tofisopam anticonvulsant")
    assert table_end < note < out.index("Named for all compared drugs")  # the mark's text follows the table


def test_compare_one_name_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = run(runner, "compare", "baclofen")
    assert (code, out) == (2, "")
    assert err == "adjuvant: compare needs two or more drug names, or none to compare all drugs\n"


def test_conditions_index(runner: CliRunner) -> None:
    _, out, _ = run(runner, "conditions", "lumb", "--format", "plain", columns=200)
    row = next(line for line in out.splitlines() if "Low back pain" in line)
    assert "M54.5\tLow back pain" in row  # the code, then its WHO title
    assert "lumbar syndrome, lumbago, lumbalgia, LBP" in row
    # Low back pain is an example of where tizanidine treats painful muscle spasm.
    assert (
        "Tizanidine (example setting for Painful muscle spasms (an example of Disorders of the spine))" in row
    )
    document = json.loads(run(runner, "conditions", "lumb", "--json")[1])
    entry = next(e for e in document["result"]["conditions"] if e["condition_id"] == "low-back-pain")
    assert [(u["drug_id"], u["role"], u["via_condition_id"]) for u in entry["uses"]] == [
        ("tizanidine", "example", None),
        ("diazepam", "setting", "vertebral-syndrome"),  # vertebral syndrome covers it (FACTS §4c)
    ]
    code, out, _ = run(runner, "conditions", "zzz", "--json")
    assert code == 1
    assert json.loads(out)["result"]["conditions"] == []


def test_json_and_another_format_contradict(runner: CliRunner) -> None:
    code, out, err = run(runner, "list", "--json", "--format", "markdown")
    assert (code, out) == (2, "")
    assert "contradict" in err


def test_narrow_terminal_keeps_all_the_content(runner: CliRunner) -> None:
    wide = " ".join(run(runner, "show", "tizanidine", "--full", columns=200)[1].split())
    for columns in (0, 5, 20, 40, 60):
        narrow = run(runner, "show", "tizanidine", "--full", columns=columns)[1]
        flat = " ".join(narrow.split())
        for phrase in (
            "Painful muscle spasms after surgery (including for intervertebral disc herniation or "
            "osteoarthritis of the hip joint)",
            "Examples: Multiple sclerosis, Chronic myelopathy, Degenerative spinal cord disease",
            "Sirdalud MR (modified-release capsules)",
        ):
            assert phrase in wide
            assert phrase in flat, (columns, phrase)


@pytest.mark.parametrize("columns", [40, 60, 79, 100])
@pytest.mark.parametrize(
    "command", [*COMMANDS, ["show", "diazepam", "--corrections"], ["search", "GABA", "--all"]], ids=" ".join
)
def test_no_line_is_wider_than_the_terminal(runner: CliRunner, command: list[str], columns: int) -> None:
    # Wider lines would be cut or wrapped mid-table by the terminal: text lost.
    _, out, _ = run(runner, *command, columns=columns)
    assert max(len(line) for line in out.splitlines()) <= columns


# --- completion (a real process: the shell runs the installed script) ---


def complete(words: str, cword: int, clean_env: dict[str, str]) -> list[str]:
    env = {**clean_env, "_ADJUVANT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    done = subprocess.run([installed_adjuvant()], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr == ""
    return done.stdout.split()


def test_completion_of_drug_and_section_names(clean_env: dict[str, str]) -> None:
    assert complete("adjuvant show ba", 2, clean_env) == ["baclofen", "baklosan"]
    assert complete("adjuvant compare baclofen Val", 3, clean_env) == ["Valium", "Valtoco"]
    assert complete("adjuvant show baclofen --section ind", 4, clean_env) == ["indications"]


def test_completion_reads_the_dataset_as_the_commands_do(clean_env: dict[str, str], tmp_path: Path) -> None:
    small = REPO / "tests" / "fixtures" / "small.toml"
    bad = tmp_path / "bad.toml"
    bad.write_text("not = [toml")
    names = complete(f"adjuvant --data {small} show al", 4, clean_env)
    assert "alphalofen" in names
    assert complete(f"adjuvant show --data {small} al", 4, clean_env) == names
    assert complete(f"adjuvant --data {bad} show --data {small} al", 6, clean_env) == names
    assert complete(f"adjuvant --data {small} show --data {bad} al", 6, clean_env) == []  # the later wins
    assert complete(f"adjuvant show --data {small} al", 4, {**clean_env, "ADJUVANT_DATA": str(bad)}) == names


def test_completion_with_a_broken_dataset_offers_nothing_and_no_traceback(
    clean_env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("not = [toml")
    assert complete(f"adjuvant --data {bad} show ba", 4, clean_env) == []
    assert complete("adjuvant show ba", 2, {**clean_env, "ADJUVANT_DATA": str(bad)}) == []


def test_install_completion_writes_a_bash_script(clean_env: dict[str, str], tmp_path: Path) -> None:
    env = {**clean_env, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        under_shell("bash", [installed_adjuvant(), "--install-completion", "bash"]),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    script = (tmp_path / ".bash_completions" / "adjuvant.sh").read_text()
    assert "_ADJUVANT_COMPLETE=complete_bash" in script
    assert "adjuvant.sh" in (tmp_path / ".bashrc").read_text()


# --- pager ----------------------------------------------------------------


class FakeTerminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c \"import sys; open({str(paged)!r}, 'w').write(sys.stdin.read())\""
    terminal = FakeTerminal()
    output = Output(terminal, {"PAGER": pager, "LINES": "10"})
    text = "line\n" * 50
    output.show(OutputFormat.TERMINAL, lambda renderer: text, pager=True)
    assert paged.read_text() == text
    assert terminal.getvalue() == ""
    output.show(OutputFormat.TERMINAL, lambda renderer: text, pager=False)
    assert terminal.getvalue() == text


def test_short_output_and_pipes_are_never_paged() -> None:
    environ = {"PAGER": "false", "LINES": "10"}  # the pager would lose the text if it ran
    terminal = FakeTerminal()
    Output(terminal, environ).show(OutputFormat.TERMINAL, lambda renderer: "short\n", pager=True)
    assert terminal.getvalue() == "short\n"
    piped = io.StringIO()
    Output(piped, environ).show(OutputFormat.TERMINAL, lambda renderer: "line\n" * 50, pager=True)
    assert piped.getvalue() == "line\n" * 50


def test_a_missing_pager_falls_back_to_plain_output() -> None:
    terminal = FakeTerminal()
    output = Output(terminal, {"PAGER": "/nonexistent/pager", "LINES": "10"})
    output.show(OutputFormat.TERMINAL, lambda renderer: "line\n" * 50, pager=True)
    assert terminal.getvalue() == "line\n" * 50


def test_real_process_output_is_plain_when_piped(clean_env: dict[str, str]) -> None:
    done = subprocess.run(
        [installed_adjuvant(), "show", "baclofen"],
        env={**clean_env, "PAGER": "false"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "Spasticity in multiple sclerosis" in done.stdout


# --- the error boundary's use of Typer's vendored Click ----------------------
# cli.py catches typer._click's ClickException and NoArgsIsHelpError (Typer
# 0.27 exports neither); typer is bounded <0.28, and these pin the behaviour.


def test_a_click_usage_error_is_one_line_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["show", "baclofen", "--no-such-option"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("adjuvant: No such option: --no-such-option")
    assert result.stderr.endswith(" (see 'adjuvant show --help')\n")
    assert len(result.stderr.splitlines()) == 1


def test_no_arguments_shows_the_help_on_stderr_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: adjuvant [OPTIONS] COMMAND [ARGS]...")
