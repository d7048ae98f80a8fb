"""Flags and messages (issue 13, finding 6): boolean variables that mean what
they say, colour variables that keep their published conventions, a UTF-16
file named as such, JSON that stays valid UTF-8 for any argv bytes, and
echoed input that stays on its line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.errors import ExitCode
from adjuvant_cli.options import FLAG_VARIABLES, read_environment

from .conftest import REPO, TEST_FLAGS, flag, installed_adjuvant


def run(args: list[str | bytes], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [installed_adjuvant(), *args], env=env, capture_output=True, timeout=60, check=False
    )


# --- boolean variables -----------------------------------------------------


@pytest.fixture
def variant_path() -> str:
    """The bundled file named as one's own dataset: its ctime is old enough
    for the cache to take it at once (a file written now is not cached yet)."""
    return str(REPO / "data" / "monographs.toml")


# Every ADJUVANT_* flag, the program's and the test suite's, reads these the same.
OFF = ["0", "false", "no", "off", "", "FALSE", "Off"]
ON = ["1", "true", "yes", "on", "TRUE", "Yes"]


def test_the_program_reads_every_flag_the_readme_names() -> None:
    assert set(FLAG_VARIABLES) == {"ADJUVANT_NO_CACHE", "ADJUVANT_DEBUG"}


@pytest.mark.parametrize(("value", "on"), [*((v, False) for v in OFF), *((v, True) for v in ON)])
def test_no_cache_is_on_or_off_as_it_says(
    value: str, on: bool, runner: CliRunner, private_cache: Path, variant_path: str
) -> None:
    done = runner.invoke(app, ["--data", variant_path, "list", "--json"], env={"ADJUVANT_NO_CACHE": value})
    assert done.exit_code == 0, done.stderr
    assert bool(list(private_cache.glob("*.sqlite"))) is not on


@pytest.mark.parametrize(("value", "on"), [*((v, False) for v in OFF), *((v, True) for v in ON)])
def test_debug_is_on_or_off_as_it_says(
    value: str, on: bool, runner: CliRunner, bundled_text: str, tmp_path: Path
) -> None:
    """ADJUVANT_DEBUG=0 once turned debugging on: a load printed the dataset's
    warnings (and parsed the file twice) for it."""
    start = bundled_text.index('[[drugs]]\nid = "tofisopam"')
    warned = tmp_path / "warned.toml"  # a condition nothing links to: a warning
    warned.write_text(bundled_text[:start], encoding="utf-8")
    done = runner.invoke(app, ["--data", str(warned), "list"], env={"ADJUVANT_DEBUG": value})
    assert done.exit_code == 0
    assert (": warning: " in done.stderr) is on, done.stderr


@pytest.mark.parametrize(("value", "on"), [*((v, False) for v in OFF), *((v, True) for v in ON)])
def test_the_environment_is_read_by_one_flag_parser(value: str, on: bool) -> None:
    read = read_environment({"ADJUVANT_DEBUG": value, "ADJUVANT_NO_CACHE": value, "HOME": "/home/x"})
    assert (read.debug, read.cache_dir is None) == (on, on)


@pytest.mark.parametrize("name", TEST_FLAGS)
@pytest.mark.parametrize(("value", "on"), [*((v, False) for v in OFF), *((v, True) for v in ON)])
def test_the_test_suites_switches_read_as_the_programs_flags(
    name: str, value: str, on: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    assert flag(name) is on


@pytest.mark.parametrize("name", ["ADJUVANT_NO_CACHE", "ADJUVANT_DEBUG"])
@pytest.mark.parametrize("value", ["2", "maybe", "of", "on\n"])
def test_any_other_boolean_value_is_a_usage_error(name: str, value: str, clean_env: dict[str, str]) -> None:
    done = run(["show", "baclofen"], {**clean_env, name: value})
    assert done.returncode == ExitCode.USAGE
    assert done.stdout == b""
    message = done.stderr.decode()
    assert len(message.splitlines()) == 1
    assert f"{name} must be 1 or 0, true or false, yes or no, on or off" in message


# --- colour conventions ----------------------------------------------------


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"NO_COLOR": ""}, True),  # no-color.org: present and not empty
        ({"NO_COLOR": "0"}, False),  # any non-empty value, even 0
        ({"FORCE_COLOR": "0"}, True),  # force-color.org: any non-empty value
        ({"FORCE_COLOR": ""}, False),
    ],
)
def test_no_color_and_force_color_keep_their_published_conventions(
    env: dict[str, str], coloured: bool, clean_env: dict[str, str]
) -> None:
    done = run(["show", "baclofen"], {**clean_env, "FORCE_COLOR": "1", **env})
    assert (b"\x1b[" in done.stdout) is coloured


# --- UTF-16 ----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_file_is_named_as_such(
    encoding: str, tmp_path: Path, bundled_text: str, clean_env: dict[str, str]
) -> None:
    path = tmp_path / "windows.toml"
    path.write_bytes(bundled_text.encode(encoding))
    done = run(["--data", str(path), "list"], clean_env)
    assert done.returncode == ExitCode.BAD_DATA
    family = "UTF-32" if "32" in encoding else "UTF-16"
    assert f"is {family} text, not UTF-8; save it as UTF-8" in done.stderr.decode()


# --- argv bytes in JSON ----------------------------------------------------

NOT_UTF8 = [b"\xed\xa0\x80", b"\xff\xfe", b"caf\xe9", b"\xc3", b"sp\x80asm"]


@pytest.mark.parametrize("raw", NOT_UTF8)
@pytest.mark.parametrize("io_encoding", ["utf-8", "ascii"])
def test_json_is_valid_utf8_for_any_argv_bytes(
    raw: bytes, io_encoding: str, clean_env: dict[str, str]
) -> None:
    env = {**clean_env, "PYTHONIOENCODING": io_encoding}
    for args in ([b"search", raw, b"--json"], [b"conditions", raw, b"--json"]):
        done = run(list(args), env)
        assert done.returncode in (0, 1), done.stderr
        text = done.stdout.decode("utf-8")  # strict: valid UTF-8
        document = json.loads(text)
        query = json.dumps(document, ensure_ascii=False)
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in query), "no lone surrogate"
        assert "\\ud" not in text.lower(), "no escaped lone surrogate"


# --- echoed input ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_newlines_in_echoed_input_are_escaped(fmt: str, clean_env: dict[str, str]) -> None:
    done = run(["search", "spasm\nINJECTED LINE", "-f", fmt], clean_env)
    shown = done.stdout.decode()
    assert "spasm\\nINJECTED LINE" in shown.replace("\\\\", "\\")
    assert not any(line.startswith("INJECTED") for line in shown.splitlines())
    done = run(["search", "\nxyzzy\tq", "-f", fmt], clean_env)
    assert not any(line.startswith("xyzzy") for line in done.stdout.decode().splitlines())


def test_a_json_query_keeps_its_newline(clean_env: dict[str, str]) -> None:
    done = run(["search", "spasm\nx", "--json"], clean_env)
    assert json.loads(done.stdout)["result"]["query"] == "spasm\nx"
