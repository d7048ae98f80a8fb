"""Shell completion against a dataset built to attack the shell: real bash and
real zsh run the scripts Typer installs, and nothing the dataset holds may run
as code or turn into other candidates."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from hypothesis import example, given
from hypothesis import strategies as st

from adjuvant_cli.completion import (
    InertBash,
    InertFish,
    InertPowerShell,
    InertZsh,
    inert_help,
    is_inert,
)

from .conftest import installed_adjuvant

# Every one of these validates today. In zsh, the quote left open by a name
# ending in a backslash lets the next name close the array that _arguments
# evals, and run `touch pwned`; the tab survives validation where a space
# would not. In bash, "Gr*" is globbed against the working directory.
HOSTILE_BRANDS = ["Gra\\", "Gr);touch\tpwned;(true", "Grb\\", "Gr*"]
PLANTED = "Gr-planted-file"  # what "Gr*" expands to in bash


@pytest.fixture
def evil_dir(tmp_path: Path, bundled_text: str) -> Path:
    """A working directory holding evil.toml (tofisopam's brands extended with
    the hostile names) and a file for a glob to find."""
    old = '[[drugs.brands]]\nname = "Grandaxin"\n'
    assert old in bundled_text
    hostile = "".join(f"[[drugs.brands]]\nname = {json.dumps(name)}\n\n" for name in HOSTILE_BRANDS)
    evil = bundled_text.replace(old, hostile + old)
    (tmp_path / "evil.toml").write_text(evil, encoding="utf-8")
    (tmp_path / PLANTED).write_text("")
    return tmp_path


@pytest.fixture
def shell_env(clean_env: dict[str, str], evil_dir: Path) -> dict[str, str]:
    bin_dir = str(Path(installed_adjuvant()).parent)
    return {
        **clean_env,
        "PATH": f"{bin_dir}{os.pathsep}{clean_env.get('PATH', '')}",
        "HOME": str(evil_dir),
        "ZDOTDIR": str(evil_dir),
        "ADJUVANT_PAGER": "cat",
        "NO_COLOR": "1",
        "TERM": "xterm",
    }


def completion_script(shell: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [installed_adjuvant(), "--show-completion", shell],
        env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def require(shell: str) -> str:
    found = shutil.which(shell)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{shell} is not installed; .ci/run installs it")
        pytest.skip(f"{shell} is not installed (apt-get install {shell})")
    return found


# --- bash: the script's function, called as readline calls it ---------------


def bash_candidates(words: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    (cwd / "adjuvant.bash").write_text(completion_script("bash", env))
    script = (
        "source ./adjuvant.bash\n"
        f"COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}\n"
        "_adjuvant_completion adjuvant\n"
        "printf '%s\\0' \"${COMPREPLY[@]}\"\n"
    )
    done = subprocess.run(
        [require("bash"), "--norc", "--noprofile", "-c", script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return [c for c in done.stdout.split("\0") if c]


def test_bash_completes_plain_names(shell_env: dict[str, str], evil_dir: Path) -> None:
    assert bash_candidates(["adjuvant", "show", "ba"], shell_env, evil_dir) == ["baclofen", "baklosan"]
    assert bash_candidates(["adjuvant", "--data", "evil.toml", "show", "Grand"], shell_env, evil_dir) == [
        "Grandaxin"
    ]


def test_bash_gets_only_inert_candidates_from_a_hostile_dataset(
    shell_env: dict[str, str], evil_dir: Path
) -> None:
    words = ["adjuvant", "--data", "evil.toml", "show", "Gr"]
    assert bash_candidates(words, shell_env, evil_dir) == ["Grandaxin"]


# --- fish: the lines its `complete --arguments` reads ------------------------


def test_fish_gets_only_inert_candidates_from_a_hostile_dataset(
    shell_env: dict[str, str], evil_dir: Path
) -> None:
    env = {
        **shell_env,
        "_ADJUVANT_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "_TYPER_COMPLETE_ARGS": "adjuvant --data evil.toml show Gr",
    }
    command = [installed_adjuvant()]
    done = subprocess.run(command, env=env, cwd=evil_dir, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["Grandaxin"]


# --- zsh: an interactive shell on a terminal, TAB pressed -------------------


class Zsh:
    """`zsh -f -i` on a pseudo-terminal, with compinit and the script Typer
    installs. Each `type` waits for the next prompt, whose text ("POK> ")
    never appears in what is typed; the select timeout only guards a hang."""

    PROMPT = b"OK> "

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        (cwd / "adjuvant.zsh").write_text(completion_script("zsh", env))
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [require("zsh"), "-f", "-i"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env={**env, "PS1": "P%(?.O.X)K> "},
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""
        self.type("")
        self.type("autoload -Uz compinit; compinit -u -D; source ./adjuvant.zsh\n")

    def type(self, keys: str) -> str:
        start = len(self.output)
        os.write(self.master, keys.encode())
        while self.PROMPT not in self.output[start:]:
            ready, _, _ = select.select([self.master], [], [], 60)
            if not ready:
                raise AssertionError(f"zsh gave no prompt; output so far: {self.output[-2000:]!r}")
            self.output += os.read(self.master, 65536)
        return self.output[start:].decode(errors="replace")

    def close(self) -> None:
        os.write(self.master, b"exit\n")
        self.process.wait(timeout=60)
        os.close(self.master)


@pytest.fixture
def zsh(shell_env: dict[str, str], evil_dir: Path) -> Iterator[Zsh]:
    shell = Zsh(shell_env, evil_dir)
    yield shell
    shell.close()


def test_zsh_completes_a_plain_name_from_the_hostile_dataset(zsh: Zsh) -> None:
    # TAB completes "Grand" to "Grandaxin"; Enter then runs the command.
    shown = zsh.type("adjuvant --data evil.toml show Grand\t\n")
    assert "Grandaxin → Tofisopam (brand name)" in shown


def test_zsh_tab_runs_no_code_from_the_dataset(zsh: Zsh, evil_dir: Path) -> None:
    zsh.type("adjuvant --data evil.toml show Gr\t\x15\n")  # TAB, then Ctrl-U: nothing is run
    zsh.type("adjuvant --data evil.toml show Gr\t\t\x15\n")  # and the listing of candidates
    assert not (evil_dir / "pwned").exists()


# --- the rule itself, over any names ----------------------------------------

SHELL_SPECIAL = set(" \t\n\r\"'`\\$;&|<>()[]{}*?!#~=%^,:@+/")


@given(st.text())
@example("Gr);touch\tpwned;(true")
@example("Gra\\")
@example("a\nb")
def test_an_inert_name_holds_nothing_a_shell_reads_specially(name: str) -> None:
    if is_inert(name):
        assert not SHELL_SPECIAL & set(name)
        assert name.isprintable()


@given(st.text())
def test_an_inert_help_text_holds_nothing_a_shell_reads_specially(help_text: str) -> None:
    assert not (SHELL_SPECIAL - {" ", ","}) & set(inert_help(help_text))
    assert inert_help(help_text).isprintable()


@given(st.lists(st.text(min_size=1, max_size=12), max_size=8))
@example(["ok", "a\nb", "Gr);touch\tpwned;(true", "x.y-z_1"])
def test_every_shell_is_offered_exactly_the_inert_names(names: list[str]) -> None:
    toy = typer.Typer()

    @toy.command()
    def pick(name: str = typer.Argument(autocompletion=lambda: names)) -> None:
        """Pick a name."""

    command = typer.main.get_command(toy)
    expected = [n for n in names if is_inert(n)]
    for shell in (InertBash, InertZsh, InertFish, InertPowerShell):
        offered = shell(command, {}, "toy", "_TOY_COMPLETE").get_completions([], "")
        assert [item.value for item in offered] == expected
