"""The smaller findings of issue 19 (redteam N9, F9, F14, F23, F28), each
through the real CLI; N10, N11 and N12 are in test_whole_files.py and
test_stdin.py."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import installed_adjuvant, under_shell

Variant = Callable[[str, str], str]

# Ctrl-C as Typer builds the Click command: after the CLI module is imported,
# before its own boundary (AdjuvantGroup.main) is reached. A real SIGINT.
INTERRUPTED_WHILE_BUILDING = """
import os, signal, sys
import typer.main
built = typer.main.get_command
def interrupted(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return built(*args, **kwargs)
typer.main.get_command = interrupted
sys.argv = ["adjuvant", "list"]
from adjuvant_cli.__main__ import main
main()
"""


def test_ctrl_c_while_the_command_is_built_is_quiet_130(clean_env: dict[str, str]) -> None:
    """N9: a KeyboardInterrupt traceback of ~15 lines, one run in ten."""
    python = str(Path(installed_adjuvant()).parent / "python")
    done = subprocess.run(
        [python, "-c", INTERRUPTED_WHILE_BUILDING],
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "", "")


def test_a_line_break_in_a_name_is_refused(runner: CliRunner, variant: Variant) -> None:
    """F23: the schema says names are one line; a newline still validated."""
    path = variant('name = "Grandaxin"', 'name = "Grandaxin\\n--data=/etc/shadow"')
    done = runner.invoke(app, ["validate", path])
    assert done.exit_code == 3
    assert "holds a line break; a name is one line" in done.stdout
    assert "Grandaxin\\n--data" in done.stdout  # shown escaped, on its line
    problem = json.loads(runner.invoke(app, ["validate", "--json", path]).stdout)["result"]["problems"][0]
    assert (problem["code"], problem["field"]) == ("control-character", 'drug "tofisopam" brand 1 name')


def test_validate_of_an_empty_path_is_a_usage_error(runner: CliRunner) -> None:
    """F9: `validate ""` printed ": 1 problem" / ": is a directory"."""
    done = runner.invoke(app, ["validate", ""])
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr == (
        "adjuvant: validate: an empty path; give the path of a .toml file, or - for standard input\n"
    )


def test_install_completion_under_sh_is_a_usage_error_on_stderr(
    clean_env: dict[str, str], tmp_path: Path
) -> None:
    """F14: "Shell sh is not supported." on stdout, exit 1 ("nothing found")."""
    done = subprocess.run(
        under_shell("sh", [installed_adjuvant(), "--install-completion"]),
        env={**clean_env, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("adjuvant: cannot install completion for the shell “sh”")
    assert len(done.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_validate_json_names_the_file_as_given(runner: CliRunner, tmp_path: Path) -> None:
    """F28: the JSON carried the terminal's escaped label ("d\\\\x1b[2J")."""
    name = str(tmp_path / "d\x1b[2J.toml")
    done = runner.invoke(app, ["validate", "--json", name])
    result = json.loads(done.stdout)["result"]
    assert result["datasets"][0]["dataset"] == name
    assert result["problems"][0]["file"] == name
    assert "\x1b" not in done.stdout  # JSON escapes it (\u001b)
    human = runner.invoke(app, ["validate", name])
    assert "\\x1b[2J" in human.stdout and "\x1b" not in human.stdout


def test_a_completion_word_index_that_is_not_a_number_is_no_internal_error(
    clean_env: dict[str, str],
) -> None:
    """F28: COMP_CWORD=abc gave "internal error (ValueError)", exit 70."""
    env = {**clean_env, "_ADJUVANT_COMPLETE": "complete_bash", "COMP_WORDS": "adjuvant show ba"}
    done = subprocess.run(
        [installed_adjuvant()], env={**env, "COMP_CWORD": "abc"}, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", "")
    fine = subprocess.run(
        [installed_adjuvant()], env={**env, "COMP_CWORD": "2"}, capture_output=True, text=True, check=False
    )
    assert fine.returncode == 0 and "baclofen" in fine.stdout.split()


@pytest.mark.skipif(sys.platform != "linux", reason="signals as Linux delivers them")
def test_the_entry_point_still_guards_the_import(clean_env: dict[str, str]) -> None:
    """Ctrl-C while the CLI module itself is imported stays quiet too."""
    code = (
        "import os, signal, builtins, sys\n"
        "real = builtins.__import__\n"
        "def imp(name, *a, **k):\n"
        "    if name == 'adjuvant_cli.cli':\n"
        "        os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = imp\n"
        "sys.argv = ['adjuvant', 'list']\n"
        "from adjuvant_cli.__main__ import main\n"
        "main()\n"
    )
    python = str(Path(installed_adjuvant()).parent / "python")
    done = subprocess.run(
        [python, "-c", code], env=clean_env, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "", "")
