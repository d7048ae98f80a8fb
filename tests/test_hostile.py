"""Hostile input, hostile data, hostile terminals: every odd case gets the
right output, or one clear line on stderr and a documented exit code. Never a
traceback, a spoofed terminal, a pipe error or silently missing output."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, installed_adjuvant

Variant = Callable[[str, str], str]
SGR = re.compile(r"\x1b\[[0-9;]*m")
ESC = "\x1b"


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def assert_one_clean_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert len(stderr.splitlines()) == 1, stderr
    assert ESC not in stderr


# --- markup and control sequences ------------------------------------------


MARKUP = ["[bold]", "[/]", "[link=http://evil.example]x[/link]", ":pill:", "[red]x[/red"]


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_a_name_is_echoed_literally_in_the_error(runner: CliRunner, markup: str) -> None:
    result = runner.invoke(app, ["show", markup])
    assert result.exit_code == 1
    assert f"no drug named '{markup}'" in result.stderr


@pytest.mark.parametrize("markup", MARKUP)
@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_markup_in_a_query_is_shown_as_typed(runner: CliRunner, markup: str, fmt: str) -> None:
    result = runner.invoke(app, ["search", markup, "--format", fmt], env={"FORCE_COLOR": "1"})
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["result"]["query"] == markup
    elif fmt == "terminal":
        assert markup in SGR.sub("", result.stdout)


def test_markup_in_the_data_is_shown_literally_everywhere(runner: CliRunner, variant: Variant) -> None:
    path = variant('name = "Diazepam"', 'name = "[bold red]Diazepam[/] :pill:"')
    for fmt in ("terminal", "markdown"):
        result = runner.invoke(
            app, ["--data", path, "show", "diazepam", "--format", fmt], env={"COLUMNS": "120"}
        )
        assert result.exit_code == 0
        shown = result.stdout.replace("\\", "")  # markdown escapes brackets
        assert "[bold red]Diazepam[/] :pill:" in shown
    result = runner.invoke(app, ["--data", path, "compare", "--json"])
    assert json.loads(result.stdout)["result"]["attributes"][0]["label"] == "Class"


CONTROL = {
    "CSI clear screen": "\x1b[2J",
    "OSC 8 link": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "OSC 52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "DCS": "\x1bPq#0;2;0;0;0\x1b\\",
    "C1 CSI": "\x9b31m",
    "bell": "\x07",
    "backspace": "x\x08y",
    "carriage return": "safe\rEVIL",
    "DEL": "a\x7fb",
    "bidi override": "\u202egnp.exe",
}


@pytest.mark.parametrize("sequence", CONTROL.values(), ids=CONTROL.keys())
def test_control_sequences_in_user_input_never_reach_the_terminal(runner: CliRunner, sequence: str) -> None:
    for args in (["show", sequence], ["search", sequence], ["compare", "baclofen", sequence]):
        result = runner.invoke(app, args, env={"FORCE_COLOR": "1"})
        # A search may find the printable words around the controls ("a\x7fb" has
        # the word "b", which stands in "GABA-B"): exit 0 is an answer, not a leak.
        assert result.exit_code in ((0, 1, 2) if args[0] == "search" else (1, 2))
        assert "Traceback" not in result.stderr
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stderr)
        leftover = SGR.sub("", result.stdout)  # the program's own styling is the only escape allowed
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", leftover)
    document = runner.invoke(app, ["search", sequence, "--json"]).stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", document)  # escaped, not raw
    assert json.loads(document)["result"]["query"] == sequence  # and still exactly what was typed


@pytest.mark.parametrize("sequence", CONTROL.values(), ids=CONTROL.keys())
def test_control_sequences_in_data_are_refused_with_a_visible_message(
    runner: CliRunner, variant: Variant, sequence: str
) -> None:
    escaped = sequence.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    path = variant('name = "Tofisopam"', f'name = "{escaped}"')
    result = runner.invoke(app, ["--data", path, "show", "tofisopam"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert_one_clean_line(result.stderr)
    assert "contains the control character \\x" in result.stderr or "\\u202e" in result.stderr


# --- pipes, signals --------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["show", "diazepam"], ["compare", "--json"], ["search", "spasm", "-f", "markdown"]]
)
def test_a_reader_that_went_away_ends_quietly(args: list[str], clean_env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [installed_adjuvant(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -c1` that has already exited
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert error == ""


def test_head_in_a_real_shell_pipeline(clean_env: dict[str, str]) -> None:
    script = f"{installed_adjuvant()} compare --json | head -c1; {installed_adjuvant()} show diazepam | true"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout == "{"
    assert done.stderr == ""


def test_ctrl_c_exits_130_quietly(clean_env: dict[str, str]) -> None:
    # Stdout is a pipe nobody reads: the program blocks writing once it is
    # full, so it is known to be busy (not a guess made with a sleep) when
    # interrupted. (A FIFO as the dataset no longer blocks: it is refused.)
    read_end, write_end = os.pipe()
    capacity = fcntl.fcntl(read_end, fcntl.F_GETPIPE_SZ)
    # A shell's background job starts with SIGINT ignored, and a child inherits
    # an ignored signal: run from one, the program would never see this Ctrl-C.
    # A handled one is reset to the default across exec.
    ignored = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [installed_adjuvant(), "compare", "--json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=clean_env,
        )
    finally:
        signal.signal(signal.SIGINT, ignored)
    os.close(write_end)
    try:
        while _unread(read_end) < capacity:
            select.select([], [], [], 0.01)  # wait for the pipe to fill: polled, never assumed
        process.send_signal(signal.SIGINT)
        _, error = process.communicate(timeout=60)
    finally:
        os.close(read_end)
    assert process.returncode == 130
    assert error == b""


def _unread(descriptor: int) -> int:
    """How many bytes wait in a pipe (FIONREAD)."""
    return struct.unpack("i", fcntl.ioctl(descriptor, termios.FIONREAD, b"\0\0\0\0"))[0]  # type: ignore[no-any-return]


# --- terminals -------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "tofisopam"],
        ["compare"],
        ["search", "spasticity"],
        ["list"],
        ["show", "baclofen", "-f", "markdown"],
        ["conditions"],
    ],
)
def test_ascii_only_terminals_get_replacements_not_errors(args: list[str], clean_env: dict[str, str]) -> None:
    done = run(args, {**clean_env, "PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.isascii()
    assert "For information only" in done.stdout or "Information only" in done.stdout


def test_json_on_an_ascii_terminal_keeps_every_character(clean_env: dict[str, str]) -> None:
    done = run(["show", "tofisopam", "--json"], {**clean_env, "PYTHONIOENCODING": "ascii"})
    assert done.stdout.isascii()
    assert json.loads(done.stdout)["result"]["drug"]["other_names"] == ["тофизопам"]


@pytest.mark.parametrize(
    ("env", "coloured"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False)],
)
def test_colour_settings_when_piped(clean_env: dict[str, str], env: dict[str, str], coloured: bool) -> None:
    done = run(["show", "baclofen"], {**clean_env, **env})
    assert (ESC in done.stdout) is coloured


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal, as a person would, and return what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([installed_adjuvant(), *args], stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize(("term", "coloured"), [("xterm-256color", True), ("dumb", False)])
def test_colour_on_a_real_terminal_honours_term(clean_env: dict[str, str], term: str, coloured: bool) -> None:
    shown = on_a_terminal(["show", "baclofen", "--no-pager"], {**clean_env, "TERM": term, "COLUMNS": "100"})
    assert "Spasticity in multiple sclerosis" in shown
    assert (ESC in shown) is coloured


def test_no_color_on_a_real_terminal(clean_env: dict[str, str]) -> None:
    shown = on_a_terminal(["list", "--no-pager"], {**clean_env, "TERM": "xterm", "NO_COLOR": "1"})
    assert "Tizanidine" in shown
    assert ESC not in shown


def test_json_is_plain_on_a_terminal_even_when_colour_is_forced(clean_env: dict[str, str]) -> None:
    shown = on_a_terminal(
        ["show", "baclofen", "--json", "--no-pager"],
        {**clean_env, "TERM": "xterm", "FORCE_COLOR": "1", "COLUMNS": "20"},
    )
    assert ESC not in shown
    assert json.loads(shown)["result"]["drug"]["drug_id"] == "baclofen"


@pytest.mark.parametrize("columns", ["0", "5", "20", "-3", "abc", "100000"])
def test_json_is_the_same_whatever_the_colour_or_width(clean_env: dict[str, str], columns: str) -> None:
    plain = run(["compare", "--json"], clean_env).stdout
    odd = run(["compare", "--json"], {**clean_env, "FORCE_COLOR": "1", "COLUMNS": columns}).stdout
    assert odd == plain
    assert json.loads(odd)["command"] == "compare"


# --- sizes -----------------------------------------------------------------


def test_a_100000_character_name_or_query_answers(clean_env: dict[str, str]) -> None:
    name = "x" * 100_000
    done = run(["show", name], clean_env)
    assert done.returncode == 1
    assert_one_clean_line(done.stderr)
    assert len(done.stderr) < 300  # the message shows a cut-down name
    done = run(["search", name], clean_env)
    assert done.returncode == 2
    assert done.stderr == "adjuvant: the query is 100,000 characters long; the limit is 500\n"
    done = run(["compare", "baclofen", name], clean_env)
    assert done.returncode == 1


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path, runner: CliRunner) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    result = runner.invoke(app, ["--data", str(huge), "list"])
    assert result.exit_code == 3
    assert result.stderr.strip().endswith("is larger than the 64 MiB a dataset may be")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a = " + "[" * 10_000 + "]" * 10_000, "is nested too deeply"),
        ("x = {" * 2_000 + "}" * 2_000, "is nested too deeply"),
    ],
)
def test_deeply_nested_toml_is_an_error(
    tmp_path: Path, runner: CliRunner, content: str, message: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(content)
    result = runner.invoke(app, ["--data", str(path), "list"])
    assert result.exit_code == 3
    assert_one_clean_line(result.stderr)
    assert message in result.stderr


# --- data files at the CLI ---------------------------------------------------


def test_absurd_values_are_one_line_and_exit_3(
    runner: CliRunner, variant: Variant, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    aliases = ", ".join(f'"Alias{i}"' for i in range(10_000))
    cases = [
        variant('other_names = ["тофизопам"]', f"other_names = [{aliases}]"),
        variant('name = "Tofisopam"', 'name = "' + "x" * 1_000_000 + '"'),
        write_toml(bundled_text + "\n" + bundled_text),
        variant('id = "tofisopam"', 'id = "diazepam"'),
        variant('[[drugs.brands]]\nname = "Grandaxin"', '[[drugs.brands]]\nname = "Valium"'),
        variant("schema_version = 2", "schema_version = 1"),
        variant(
            '  { condition = "multiple-sclerosis", role = "example" },', '  { condition = "ms", role = "x" },'
        ),
    ]
    for path in cases:
        result = runner.invoke(app, ["--data", path, "search", "spasm"])
        assert result.exit_code == 3
        assert result.stdout == ""
        assert_one_clean_line(result.stderr)


# --- environment -------------------------------------------------------------


def test_no_home_and_an_unwritable_cache_still_work(clean_env: dict[str, str], tmp_path: Path) -> None:
    homeless = {
        k: v for k, v in clean_env.items() if k not in ("HOME", "XDG_CACHE_HOME", "ADJUVANT_CACHE_DIR")
    }
    assert run(["show", "baclofen", "--json"], homeless).returncode == 0
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = run(["show", "baclofen", "--json"], {**clean_env, "ADJUVANT_CACHE_DIR": str(blocker / "cache")})
    assert done.returncode == 0
    assert done.stderr == ""


def test_the_program_never_writes_into_its_install(clean_env: dict[str, str], tmp_path: Path) -> None:
    import adjuvant_cli

    package = Path(adjuvant_cli.__file__).parent
    before = sorted(
        (str(p), p.stat().st_mtime_ns) for p in package.rglob("*") if "__pycache__" not in p.parts
    )
    env = {**clean_env, "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ADJUVANT_CACHE_DIR")
    for args in (["list"], ["show", "baclofen"], ["search", "ms"], ["validate"]):
        assert run(args, env).returncode == 0
    # One's own dataset is cached (the bundled one comes pre-validated).
    own = {**env, "ADJUVANT_DATA": str(REPO / "data" / "monographs.toml")}
    assert run(["show", "baclofen"], own).returncode == 0
    after = sorted((str(p), p.stat().st_mtime_ns) for p in package.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
    assert list((tmp_path / ".cache" / "adjuvant").glob("*.sqlite"))  # the cache went to HOME


# --- unexpected errors --------------------------------------------------------


def test_an_unexpected_error_is_one_line_asking_for_a_report(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something [bold]odd[/]")

    monkeypatch.setattr("adjuvant_cli.catalog.show_drug", broken)
    monkeypatch.delenv("ADJUVANT_DEBUG", raising=False)
    result = runner.invoke(app, ["show", "baclofen"])
    assert result.exit_code == 70
    assert result.stderr == (
        "adjuvant: internal error (RuntimeError): something [bold]odd[/]. This is a bug: please report it "
        "with the command you ran; ADJUVANT_DEBUG=1 shows the traceback.\n"
    )
    monkeypatch.setenv("ADJUVANT_DEBUG", "1")
    result = runner.invoke(app, ["show", "baclofen"])
    assert isinstance(result.exception, RuntimeError)  # raised through, for its traceback


def test_debug_shows_a_real_traceback(clean_env: dict[str, str], tmp_path: Path) -> None:
    # A real process: make the renderer crash by handing it a broken module.
    (tmp_path / "adjuvant_cli_crash.py").write_text(
        "import adjuvant_cli.catalog as c\n"
        "def boom(*a, **k):\n    raise RuntimeError('boom')\n"
        "c.show_drug = boom\n"
    )
    env = {**clean_env, "PYTHONPATH": str(tmp_path)}
    code = (
        "import adjuvant_cli_crash, sys; sys.argv = ['adjuvant', 'show', 'baclofen']; "
        "from adjuvant_cli.__main__ import main; main()"
    )
    python = str(Path(installed_adjuvant()).parent / "python")
    quiet = subprocess.run(
        [python, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert quiet.returncode == 70
    assert "Traceback" not in quiet.stderr
    loud = subprocess.run(
        [python, "-c", code],
        env={**env, "ADJUVANT_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback (most recent call last)" in loud.stderr
    assert "RuntimeError: boom" in loud.stderr


def test_typer_pretty_exceptions_are_off() -> None:
    assert app.pretty_exceptions_enable is False
