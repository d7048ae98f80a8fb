"""Colour: one colour per meaning, the 8 basic ANSI colours plus bold and
underline, no background, no yellow or white foreground; `--color` wins over
NO_COLOR and FORCE_COLOR, which keep their conventions otherwise."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.output import terminal_settings, with_color_choice

from .conftest import as_terminal

SGR = re.compile(r"\x1b\[([0-9;]*)m")
# reset, bold, dim, underline, their resets; red green blue magenta cyan; default fg
ALLOWED = {"", "0", "1", "2", "4", "22", "24", "31", "32", "34", "35", "36", "39"}


def run(args: list[str], env: dict[str, str]) -> str:
    env = {"COLUMNS": "100", "NO_COLOR": "", "FORCE_COLOR": "", **env}
    result = CliRunner().invoke(app, as_terminal(args), env=env)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


RUNS = [
    ["show", "diazepam", "--corrections"],
    ["show", "tofisopam"],
    ["search", "myocardial", "infarction"],
    ["search", "--all", "relaxant"],
    ["compare"],
    ["conditions", "pain"],
    ["list"],
]


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_only_basic_colours_bold_and_underline(args: list[str]) -> None:
    out = run(["--color", "always", *args], {})
    codes = {code for params in SGR.findall(out) for code in params.split(";")}
    assert codes, "no colour at all"
    assert codes <= ALLOWED, codes - ALLOWED


def test_each_meaning_has_its_colour() -> None:
    search = run(["--color", "always", "search", "myocardial", "infarction"], {})
    assert "\x1b[1;4;32mmyocardial infarction" in search.lower()  # a match: green, underlined
    assert "\x1b[34mas part of complex therapy" in search  # a qualifier: blue
    assert "\x1b[1;36m" in search  # a heading: cyan
    show = run(["--color", "always", "show", "tofisopam"], {})
    assert "\x1b[35mIts muscle-relaxant" in show  # a caveat: magenta, in the brief view
    full = run(["--color", "always", "show", "tofisopam", "--full"], {})
    assert "\x1b[35m╭─" in full  # and in its panel in full


@pytest.mark.parametrize(
    ("option", "env", "coloured"),
    [
        ([], {"NO_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {}, False),  # not a terminal
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "auto"], {"FORCE_COLOR": "1"}, True),
        (["--color=ALWAYS"], {"TERM": "dumb"}, True),
    ],
)
def test_color_option_wins_over_the_environment(
    option: list[str], env: dict[str, str], coloured: bool
) -> None:
    out = run([*option, "list"], env)
    assert bool(SGR.search(out)) is coloured


def test_color_after_the_command_too() -> None:
    assert SGR.search(run(["list", "--color", "always"], {"NO_COLOR": "1"}))


def test_auto_leaves_the_environment_alone() -> None:
    env = {"NO_COLOR": "1", "TERM": "xterm"}
    assert with_color_choice(env, "auto") is env
    assert with_color_choice(env, "always") == {"FORCE_COLOR": "1", "TERM": "xterm"}


def test_an_unknown_color_value_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["--color", "sometimes", "list"])
    assert result.exit_code == 2
    assert "(see 'adjuvant --help')" in result.stderr


def test_terminal_settings_follow_the_conventions_when_auto() -> None:
    import io

    assert terminal_settings(io.StringIO(), {"FORCE_COLOR": "1"}).color is True
    assert terminal_settings(io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}).color is False
