"""Flags and messages (issue 13, finding 6): boolean variables that mean what
they say, colour variables that keep their published conventions, a UTF-16
file named as such, JSON that stays valid UTF-8 for any argv bytes, and
echoed input that stays on its line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from adjuvant_cli.errors import ExitCode

from .conftest import REPO, installed_adjuvant


def run(args: list[str | bytes], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [installed_adjuvant(), *args], env=env, capture_output=True, timeout=60, check=False
    )


# --- boolean variables -----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0", "false", "no", "NO", ""],
)
def test_no_cache_false_keeps_the_cache(
    value: str, clean_env: dict[str, str], private_cache: Path, variant_path: str
) -> None:
    env = {**clean_env, "ADJUVANT_NO_CACHE": value}
    done = run(["--data", variant_path, "list", "--json"], env)
    assert done.returncode == 0, done.stderr
    assert list(private_cache.glob("*.sqlite")), "the dataset was not cached"


@pytest.mark.parametrize("value", ["1", "true", "yes", "TRUE"])
def test_no_cache_true_skips_the_cache(
    value: str, clean_env: dict[str, str], private_cache: Path, variant_path: str
) -> None:
    env = {**clean_env, "ADJUVANT_NO_CACHE": value}
    assert run(["--data", variant_path, "list", "--json"], env).returncode == 0
    assert not list(private_cache.glob("*.sqlite"))


@pytest.fixture
def variant_path() -> str:
    """The bundled file named as one's own dataset: its ctime is old enough
    for the cache to take it at once (a file written now is not cached yet)."""
    return str(REPO / "data" / "monographs.toml")


@pytest.mark.parametrize("value", ["0", "false", "no"])
def test_debug_false_is_off(value: str, clean_env: dict[str, str], variant_path: str) -> None:
    env = {**clean_env, "ADJUVANT_DEBUG": value, "ADJUVANT_CACHE_DIR": "relative/dir"}
    done = run(["--data", variant_path, "show", "baclofen", "--json"], env)
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.parametrize("name", ["ADJUVANT_NO_CACHE", "ADJUVANT_DEBUG"])
@pytest.mark.parametrize("value", ["2", "maybe", "off", "on\n"])
def test_any_other_boolean_value_is_a_usage_error(name: str, value: str, clean_env: dict[str, str]) -> None:
    done = run(["show", "baclofen"], {**clean_env, name: value})
    assert done.returncode == ExitCode.USAGE
    assert done.stdout == b""
    message = done.stderr.decode()
    assert len(message.splitlines()) == 1
    assert f"{name} must be 1 or 0, true or false, yes or no" in message


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
