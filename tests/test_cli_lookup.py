"""End to end: show, search, compare and conditions through the real CLI, in
every format; completion and the pager."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cli
from adjuvant_cli.cli import app
from adjuvant_cli.output import Output
from adjuvant_cli.render import OutputFormat

from .conftest import installed_adjuvant

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
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_terminal_output_ends_with_the_disclaimer(runner: CliRunner, command: list[str]) -> None:
    code, out, _ = run(runner, *command)
    assert code == 0
    tail = " ".join(out.strip().splitlines()[-6:])
    assert DISCLAIMER_START in tail
    assert out.rstrip().endswith("╯")  # the disclaimer panel is the very last thing


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
    assert document["disclaimer"].startswith(DISCLAIMER_START)
    assert document["source"]["title"] == "Use of adjuvants in the treatment of back pain"
    assert document["schema_version"] == 1


def test_show_lays_out_the_whole_monograph(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "diazepam", "--corrections", columns=120)
    order = [
        "Diazepam",
        "N05BA01",
        "Valium",
        "Caveats",
        "Mechanism",
        "Clinical effects",
        "Effect profile",
        "Onset",
        "Indications",
        "Parenteral use",
        "Corrections to the source",
        "raresthesia",
        "Source:",
        "Disclaimer",
    ]
    positions = [out.index(word) for word in order]
    assert positions == sorted(positions)
    assert "route: parenteral" in out
    assert "last reviewed 2025-07-08" in out


def test_show_says_what_a_brand_name_resolved_to(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "Grandaxin")
    assert "Grandaxin → Tofisopam (brand name)" in out
    assert "2,3-benzodiazepine" in " ".join(out.split())  # the caveat comes with it
    document = json.loads(run(runner, "show", "tiza", "--json")[1])
    assert document["result"]["resolved"] == {
        "query": "tiza",
        "drug": "tizanidine",
        "matched_name": "Tizanidine",
        "match": "prefix",
    }


def test_show_sections_select_parts(runner: CliRunner) -> None:
    _, out, _ = run(runner, "show", "baclofen", "--section", "mechanism", "-s", "INDICATIONS")
    assert "Mechanism" in out and "Indications" in out
    assert "Effect profile" not in out and "Brand names" not in out
    document = json.loads(run(runner, "show", "baclofen", "-s", "effects", "--json")[1])
    assert document["result"]["sections"] == ["effects"]
    assert "indications" not in document["result"]["drug"]
    assert document["result"]["drug"]["effects"] == [
        {"id": "muscle-relaxant", "label": "Central muscle relaxant"}
    ]


def test_section_names_in_the_cli_are_the_models() -> None:
    from adjuvant_cli.model import Section

    assert tuple(s.value for s in Section) == cli._SECTIONS


def test_show_unknown_section_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = run(runner, "show", "baclofen", "--section", "dosage")
    assert code == 2
    assert out == ""
    assert (
        err == "adjuvant: no section “dosage”; choose from overview, mechanism, effects, onset, "
        "indications, corrections\n"
    )


@pytest.mark.parametrize("flag", [[], ["--json"]])
def test_a_misspelt_drug_asks_did_you_mean_and_exits_1(runner: CliRunner, flag: list[str]) -> None:
    code, out, err = run(runner, "show", "baclofem", *flag)
    assert code == 1
    assert out == ""
    assert (
        err == "adjuvant: no drug named “baclofem”. Did you mean: Baclofen, Gablofen (Baclofen)? "
        "(see 'adjuvant list')\n"
    )


def test_search_explains_and_ranks(runner: CliRunner) -> None:
    _, out, _ = run(runner, "search", "ms", columns=120)
    assert "Expanded: ms → Multiple sclerosis (abbreviation)" in out
    assert out.index("1. Baclofen") < out.index("2. Tizanidine")
    document = json.loads(run(runner, "search", "spastic", "--json")[1])
    result = document["result"]
    assert [h["drug"] for h in result["hits"]] == ["baclofen", "tizanidine", "diazepam"]
    assert result["expansions"][0] == {
        "term": "spastic",
        "condition": "spasticity",
        "label": "Spasticity",
        "match": "synonym",
    }
    assert all(isinstance(h["score"], float) for h in result["hits"])
    assert result["hits"][0]["indications"][0]["reasons"][0]["match"] == "synonym"


def test_search_with_nothing_found_prints_the_result_and_exits_1(runner: CliRunner) -> None:
    code, out, _ = run(runner, "search", "spasticty", "--json")
    assert code == 1
    result = json.loads(out)["result"]
    assert result["hits"] == []
    assert result["suggestions"][0] == "Spasticity"
    code, out, _ = run(runner, "search", "spasticty")
    assert code == 1
    assert "Did you mean: Spasticity" in out


@pytest.mark.parametrize("query", ["[bold]", "[/]", "((", ".*", ":pill:"])
def test_search_echoes_the_query_literally(runner: CliRunner, query: str) -> None:
    code, out, err = run(runner, "search", query)
    assert code == 1
    assert f"Search: {query}" in out
    assert err == ""
    assert json.loads(run(runner, "search", query, "--json")[1])["result"]["query"] == query


def test_search_joins_several_words(runner: CliRunner) -> None:
    document = json.loads(run(runner, "search", "cerebral", "palsy", "--json")[1])
    assert document["result"]["query"] == "cerebral palsy"
    assert len(document["result"]["hits"]) == 3


def test_compare_matrix_and_groups(runner: CliRunner) -> None:
    _, out, _ = run(runner, "compare", "baclofen", "Sirdalud", columns=120)
    assert "Sirdalud → Tizanidine (brand name)" in out
    shared = out.index("Indicated for all compared drugs")
    assert (
        shared
        < out.index("Multiple sclerosis")
        < out.index("Indicated for one only")
        < out.index("Meningitis")
    )
    document = json.loads(run(runner, "compare", "--json")[1])
    groups = document["result"]["conditions"]
    assert groups["shared"] == []
    assert groups["partly_shared"][0] == {
        "condition": "cerebral-palsy",
        "label": "Cerebral palsy",
        "icd10": ["G80"],
        "drugs": ["baclofen", "diazepam", "tizanidine"],
    }
    assert document["result"]["effects"][0] == {
        "effect": "muscle-relaxant",
        "label": "Central muscle relaxant",
        "drugs": ["baclofen", "diazepam", "tizanidine", "tofisopam"],
    }
    assert "tofisopam" in document["result"]["caveats"]


def test_compare_one_name_is_a_usage_error(runner: CliRunner) -> None:
    code, out, err = run(runner, "compare", "baclofen")
    assert (code, out) == (2, "")
    assert err == "adjuvant: compare needs two or more drug names, or none to compare all drugs\n"


def test_conditions_index(runner: CliRunner) -> None:
    _, out, _ = run(runner, "conditions", "lumb", columns=120)
    assert "Low back pain" in out and "M54.5" in out and "Tizanidine" in out
    code, out, _ = run(runner, "conditions", "zzz", "--json")
    assert code == 1
    assert json.loads(out)["result"]["conditions"] == []


def test_json_and_another_format_contradict(runner: CliRunner) -> None:
    code, out, err = run(runner, "list", "--json", "--format", "markdown")
    assert (code, out) == (2, "")
    assert "contradict" in err


def test_narrow_terminal_keeps_all_the_content(runner: CliRunner) -> None:
    wide = " ".join(run(runner, "show", "tizanidine", columns=200)[1].split())
    for columns in (0, 5, 20, 40, 60):
        narrow = run(runner, "show", "tizanidine", columns=columns)[1]
        flat = " ".join(narrow.split())
        for phrase in (
            "Painful muscle spasm after surgery for osteoarthritis of the hip joint",
            "Skeletal-muscle spasticity after traumatic brain injury (TBI)",
            "Sirdalud MR",
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
        [installed_adjuvant(), "--install-completion", "bash"],
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
    assert result.stderr.endswith(" (see 'adjuvant --help')\n")
    assert len(result.stderr.splitlines()) == 1


def test_no_arguments_shows_the_help_on_stderr_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: adjuvant [OPTIONS] COMMAND [ARGS]...")
