"""Output streams that fail (issue 13, finding 4): a full disk, a closed
stdout, a terminal that hung up, a non-blocking pipe, a closed or full stderr,
a pager that fails, an unwritable HOME for --install-completion. Each gives
one line on stderr and a documented exit code, through real processes and
real descriptors, never "a bug" or "Exception ignored"."""

from __future__ import annotations

import fcntl
import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest

from adjuvant_cli.errors import ExitCode

from .conftest import installed_adjuvant, under_shell

IO_ERROR = 74  # EX_IOERR, the documented code for output that cannot be written


def shell(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `script` in a real shell, where `adjuvant` is the installed script."""
    return subprocess.run(
        ["bash", "-c", script],
        env={**env, "ADJUVANT": installed_adjuvant()},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_clean_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert "This is a bug" not in stderr
    assert len(stderr.splitlines()) == 1, stderr


OUTPUTS = [
    ["show", "baclofen"],
    ["show", "baclofen", "--json"],
    ["compare", "-f", "markdown"],
    ["--help"],
    ["--version"],
]


@pytest.mark.parametrize("args", OUTPUTS)
def test_a_full_disk_is_one_line_and_exit_74(args: list[str], clean_env: dict[str, str]) -> None:
    done = shell(f'"$ADJUVANT" {" ".join(args)} > /dev/full', clean_env)
    assert done.returncode == IO_ERROR, done.stderr
    assert_one_clean_line(done.stderr)
    assert "cannot write the output" in done.stderr


@pytest.mark.parametrize("args", OUTPUTS)
def test_a_closed_stdout_is_one_line_and_exit_74(args: list[str], clean_env: dict[str, str]) -> None:
    done = shell(f'"$ADJUVANT" {" ".join(args)} >&-', clean_env)
    assert done.returncode == IO_ERROR, done.stderr
    assert_one_clean_line(done.stderr)
    assert "cannot write the output" in done.stderr


def test_a_terminal_that_hung_up_is_one_line_and_exit_74(clean_env: dict[str, str]) -> None:
    leader, follower = pty.openpty()
    os.close(leader)  # the terminal hangs up: writes to its other side fail with EIO
    try:
        done = subprocess.run(
            [installed_adjuvant(), "show", "baclofen", "--no-pager"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=clean_env,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(follower)
    assert done.returncode == IO_ERROR, done.stderr
    assert_one_clean_line(done.stderr)


def read_through_a_non_blocking_pipe(args: list[str], env: dict[str, str]) -> tuple[bytes, int, str]:
    """Run with stdout on a pipe whose writing end is non-blocking (as some
    parents leave it), reading it as it comes: (stdout, exit code, stderr)."""
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    process = subprocess.Popen(
        [installed_adjuvant(), *args], stdout=write_end, stderr=subprocess.PIPE, env=env
    )
    os.close(write_end)
    errors: list[bytes] = []
    assert process.stderr is not None
    drain = threading.Thread(target=lambda: errors.append(process.stderr.read()))  # type: ignore[union-attr]
    drain.start()
    chunks = []
    with os.fdopen(read_end, "rb") as reader:
        while chunk := reader.read(4096):
            chunks.append(chunk)
    code = process.wait(timeout=60)
    drain.join(timeout=60)
    return b"".join(chunks), code, b"".join(errors).decode()


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_non_blocking_pipe_gets_all_the_output(clean_env: dict[str, str], unbuffered: str) -> None:
    args = ["compare", "--json"]
    expected = subprocess.run(
        [installed_adjuvant(), *args], env=clean_env, capture_output=True, timeout=60, check=True
    ).stdout
    assert len(expected) > 65536, "must overflow a pipe's 64 KiB buffer"
    env = {**clean_env, "PYTHONUNBUFFERED": unbuffered} if unbuffered else clean_env
    received, code, errors = read_through_a_non_blocking_pipe(args, env)
    assert (code, errors) == (0, "")
    assert received == expected


EXPECTED_CODES = [
    (["show", "nosuch"], ExitCode.NOT_FOUND),
    (["show"], ExitCode.USAGE),
    (["--data", "/nonexistent/x.toml", "list"], ExitCode.BAD_DATA),
    (["search", "xyzzy"], ExitCode.NOT_FOUND),
    (["show", "baclofen"], ExitCode.OK),
]


@pytest.mark.parametrize(("args", "code"), EXPECTED_CODES)
@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_exit_codes_do_not_depend_on_stderr(
    args: list[str], code: ExitCode, redirect: str, clean_env: dict[str, str]
) -> None:
    done = shell(f'"$ADJUVANT" {" ".join(args)} >/dev/null {redirect}', clean_env)
    assert done.returncode == code
    assert done.stderr == ""


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, int, str]:
    """Run with stdout on a pseudo-terminal: (what it showed, exit code, stderr)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [installed_adjuvant(), *args], stdout=follower, stderr=subprocess.PIPE, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break  # EIO: every holder of the terminal's other side has closed it
        if not chunk:
            break
        chunks.append(chunk)
    assert process.stderr is not None
    errors = process.stderr.read().decode()
    code = process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace"), code, errors


@pytest.mark.parametrize("pager", ["false", "sh -c 'exit 3'"])
def test_a_pager_that_fails_is_reported(pager: str, clean_env: dict[str, str]) -> None:
    env = {**clean_env, "PAGER": pager, "LINES": "5", "TERM": "dumb"}
    _, code, errors = run_on_a_terminal(["show", "baclofen"], env)
    assert code == IO_ERROR
    assert_one_clean_line(errors)
    assert "pager" in errors


def test_a_pager_that_works_shows_the_text(clean_env: dict[str, str]) -> None:
    env = {**clean_env, "PAGER": "cat -n", "LINES": "5", "TERM": "dumb"}
    shown, code, errors = run_on_a_terminal(["show", "baclofen"], env)
    assert (code, errors) == (0, "")
    assert "     1\tBaclofen" in shown.replace("\r\n", "\n")


@pytest.mark.parametrize("shell_name", ["bash", "zsh"])
def test_install_completion_with_an_unwritable_home_is_one_line(
    shell_name: str, clean_env: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.write_text("a file, not a directory: even root cannot write under it\n")
    done = subprocess.run(
        under_shell(shell_name, [installed_adjuvant(), "--install-completion", shell_name]),
        env={**clean_env, "HOME": str(home), "SHELL": f"/bin/{shell_name}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == IO_ERROR, done.stderr
    assert_one_clean_line(done.stderr)
    assert "completion" in done.stderr and "HOME" in done.stderr
