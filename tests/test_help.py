"""Help that teaches, through the real CLI: examples that run, usage lines
that name the arguments as the help does, usage errors of one line pointing
to the command's help, `adjuvant help [COMMAND]`, and a man page made from
the same text and kept fresh."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from adjuvant_cli.cli import app, commands
from scripts import man_page

from .conftest import REPO

COMMANDS = ("list", "show", "search", "compare", "conditions", "validate", "help")
USAGE = {
    "list": "Usage: adjuvant list [OPTIONS]",
    "show": "Usage: adjuvant show [OPTIONS] NAME...",
    "search": "Usage: adjuvant search [OPTIONS] QUERY...",
    "compare": "Usage: adjuvant compare [OPTIONS] [NAME...]",
    "conditions": "Usage: adjuvant conditions [OPTIONS] [FILTER...]",
    "validate": "Usage: adjuvant validate [OPTIONS] [PATH]...",
    "help": "Usage: adjuvant help [OPTIONS] [COMMAND]",
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def examples(command: str) -> list[str]:
    _, out, _ = invoke(command, "--help")
    assert "Examples:" in out, out
    block = out.split("Examples:", 1)[1]
    return [re.sub(r"\s+#.*$", "", line.strip()) for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_ends_with_two_to_four_examples(command: str) -> None:
    found = examples(command)
    assert 2 <= len(found) <= 4, found
    assert all(line.startswith("adjuvant ") for line in found)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_usage_line_names_the_arguments_as_the_help_does(command: str) -> None:
    _, out, _ = invoke(command, "--help")
    assert out.splitlines()[0] == USAGE[command]
    assert "{" not in out.splitlines()[0]


def runnable_examples() -> list[str]:
    every = [line for command in COMMANDS for line in examples(command)]
    return [line for line in every if "|" not in line and "my-formulary" not in line]


@pytest.mark.parametrize("line", runnable_examples())
def test_the_examples_run(line: str) -> None:
    code, out, err = invoke(*shlex.split(line)[1:])
    assert code in (0, 1), (line, err)  # 1: a search that finds nothing is no usage error
    assert out.strip() and not err


def test_the_examples_cover_brands_sections_codes_ranges_data_and_a_dash_query() -> None:
    every = " ".join(line for command in COMMANDS for line in examples(command))
    for needed in ("sirdalud", "-s ", "M54.5", "M40-M54", "--data", "-- -x"):
        assert needed in every, needed


def test_command_summaries_are_not_cut_off() -> None:
    _, out, _ = invoke("--help")
    listed = out.split("Commands:", 1)[1].split("\n\n", 1)[0]
    assert "..." not in listed and "…" not in listed
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s+\S", listed, flags=re.M), command


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["show", "--bogus", "x"], "adjuvant show --help"),
        (["search"], "adjuvant search --help"),
        (["compare", "--format", "xml"], "adjuvant compare --help"),
        (["conditions", "--bogus"], "adjuvant conditions --help"),
        (["bogus"], "adjuvant --help"),
    ],
)
def test_a_usage_error_is_one_line_pointing_to_the_commands_help(args: list[str], where: str) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("adjuvant: ") and f"(see '{where}')" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_command_shows_the_commands_help(command: str) -> None:
    assert invoke("help", command)[1] == invoke(command, "--help")[1]


def test_help_alone_shows_the_programs_help_and_an_unknown_command_is_a_usage_error() -> None:
    assert invoke("help")[1] == invoke("--help")[1]
    code, out, err = invoke("help", "nope")
    assert (code, out) == (2, "")
    assert "no command 'nope'" in err


def test_the_committed_man_page_is_what_the_script_writes() -> None:
    page = REPO / "man" / "adjuvant.1"
    assert page.read_text(encoding="utf-8") == man_page.page(), "run python scripts/man_page.py"


def test_the_man_page_holds_every_commands_help_and_examples() -> None:
    text = man_page.page().replace("\\-", "-").replace("\\e", "\\")
    for command in COMMANDS:
        assert f".SS adjuvant {command}" in text
        for line in examples(command):
            assert line in text, line


def test_a_run_builds_only_the_command_it_names(capsys: pytest.CaptureFixture[str]) -> None:
    # Click's lazy subcommands: building all ten cost every run ~8% of a bare Typer app.
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    assert group.main(["list", "--json"], standalone_mode=False) == 0
    assert '"command":"list"' in capsys.readouterr().out
    assert set(group.commands) == {"list"}


def test_an_unknown_command_is_offered_the_closest_one_and_help_lists_every_command() -> None:
    code, out, err = invoke("sho", "baclofen")
    assert (code, out) == (2, "")
    assert "No such command 'sho'. Did you mean 'show'?" in err
    help_text = invoke("--help")[1]
    listed = help_text.split("Commands:", 1)[1].split("Examples:", 1)[0]
    names = [line.split()[0] for line in listed.splitlines() if line.strip()]
    assert names == [info.name for info in commands.registered_commands]
    assert names == [
        "list",
        "show",
        "search",
        "compare",
        "conditions",
        "validate",
        "init",
        "migrate",
        "diff",
        "help",
    ]


def test_bare_adjuvant_names_every_command() -> None:
    code, out, err = invoke()
    assert (code, out) == (2, "")
    assert "Commands: list, show, search, compare, conditions, validate, init, migrate, diff, help\n" in err
