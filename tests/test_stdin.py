"""`validate -` reads standard input whole, whatever the descriptor's mode
(issue 19, redteam N1 and N11), through real processes and real pipes.

A parent (a CI runner, Node.js) may leave a shared pipe non-blocking: one
read() then returns only what has arrived, or nothing at all. The child here
gets such a pipe holding the first part of an invalid dataset; the rest (with
the problem in it) is written a moment later.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import time

import pytest

from .conftest import installed_adjuvant

BAD_ATC = ('atc = "N05BA23"', 'atc = "bad-atc"')  # tofisopam's, the last drug of the file


def _non_blocking_pipe() -> tuple[int, int]:
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(read_end, fcntl.F_GETFL)
    fcntl.fcntl(read_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    return read_end, write_end


@pytest.mark.parametrize("first_part", ["32 KiB", "nothing"])
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_non_blocking_stdin_is_read_to_the_end(
    bundled_text: str, clean_env: dict[str, str], first_part: str, unbuffered: str
) -> None:
    assert BAD_ATC[0] in bundled_text
    data = bundled_text.replace(*BAD_ATC).encode()
    split = 32 * 1024 if first_part != "nothing" else 0  # what a pipe holds, before the problem
    assert data.index(b"bad-atc") > split
    read_end, write_end = _non_blocking_pipe()
    env = {k: v for k, v in clean_env.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = unbuffered
    os.write(write_end, data[:split])  # fits in the pipe's 64 KiB
    process = subprocess.Popen(
        [installed_adjuvant(), "validate", "-"],
        stdin=read_end,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    os.close(read_end)
    time.sleep(0.5)  # the child has started and read what was there
    view = memoryview(data)[split:]
    while view:  # blocking writes: the child reads as it goes
        view = view[os.write(write_end, view[:4096]) :]
    os.close(write_end)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (3, ""), out
    assert out.startswith("<stdin>: 1 problem\n")
    assert "bad-atc" in out


def test_a_closed_stdin_is_said_to_be_closed(clean_env: dict[str, str]) -> None:
    done = subprocess.run(
        ["bash", "-c", '"$0" validate - <&-', installed_adjuvant()],
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "adjuvant: validate -: standard input is closed; pipe a dataset in (validate - < my.toml)\n"
    )
