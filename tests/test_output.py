"""The run's Output: its decisions (colour, width, encoding, pager) come from
the stream and the environment it is given, so they are tested on a StringIO
and a dict, without touching sys.stdout."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

from adjuvant_cli.dataset.validating import ValidationReport, ValidationRun
from adjuvant_cli.errors import ExitCode, OutputClosed, OutputFailed
from adjuvant_cli.output import DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH, Output
from adjuvant_cli.render import OutputFormat


class Terminal(io.StringIO):
    def __init__(self, encoding: str = "utf-8") -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no descriptor")  # so the size comes from the environment


@pytest.mark.parametrize(
    ("environ", "color"),
    [
        ({}, True),
        ({"TERM": "dumb"}, False),
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins
    ],
)
def test_colour_on_a_terminal_follows_the_environment(environ: dict[str, str], color: bool) -> None:
    assert Output(Terminal(), environ).terminal.color is color


def test_a_pipe_gets_no_colour_unless_forced_and_the_default_width() -> None:
    piped = Output(io.StringIO(), {})
    assert (piped.terminal.color, piped.terminal.interactive, piped.terminal.width) == (
        False,
        False,
        DEFAULT_WIDTH,
    )
    assert Output(io.StringIO(), {"FORCE_COLOR": "1"}).terminal.color is True


@pytest.mark.parametrize(
    ("columns", "width"),
    [("120", 120), ("10", MIN_WIDTH), ("wide", DEFAULT_WIDTH), ("10000000", MAX_WIDTH)],
)
def test_width_comes_from_columns_within_bounds(columns: str, width: int) -> None:
    assert Output(Terminal(), {"COLUMNS": columns}).terminal.width == width


def test_a_stream_that_cannot_encode_unicode_is_drawn_in_ascii() -> None:
    assert Output(Terminal("ascii"), {}).terminal.unicode is False
    assert Output(Terminal("UTF_8"), {}).terminal.unicode is True


def test_json_for_a_person_is_indented_and_for_a_program_compact() -> None:
    report = ValidationRun((ValidationReport("x", ()),))
    assert "\n  " in Output(Terminal(), {}).renderer(OutputFormat.JSON).validation(report)
    assert "\n  " not in Output(io.StringIO(), {}).renderer(OutputFormat.JSON).validation(report)


@pytest.mark.parametrize(
    ("environ", "command"),
    [
        ({"LINES": "10"}, ["less"]),
        ({"LINES": "10", "PAGER": "more -s"}, ["more", "-s"]),
        ({"LINES": "10", "PAGER": "more", "ADJUVANT_PAGER": "most"}, ["most"]),
        ({"LINES": "10", "PAGER": "cat"}, None),
        ({"LINES": "10", "PAGER": ""}, None),
        ({"LINES": "10", "PAGER": "'unbalanced"}, None),
        ({"LINES": "100"}, None),  # the text fits the screen
    ],
)
def test_which_pager_shows_a_long_text(environ: dict[str, str], command: list[str] | None) -> None:
    assert Output(Terminal(), environ).pager_command("line\n" * 50) == command


def test_a_pipe_is_never_paged() -> None:
    assert Output(io.StringIO(), {"LINES": "10"}).pager_command("line\n" * 50) is None


def test_a_reader_gone_early_ends_quietly_with_141() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone: writing fails with EPIPE
    with os.fdopen(write_end, "w") as stream:
        with pytest.raises(OutputClosed) as raised:
            Output(stream, {}).write("text\n")
        assert raised.value.exit_code == ExitCode.BROKEN_PIPE
        os.write(write_end, b"x")  # now /dev/null: writing no longer fails


def test_output_that_cannot_be_written_is_exit_74_not_a_bug() -> None:
    with Path("/dev/full").open("w") as stream:
        with pytest.raises(OutputFailed) as raised:
            Output(stream, {}).write("text\n")
        assert raised.value.exit_code == ExitCode.OUTPUT_FAILED
        assert "No space left on device" in raised.value.message
        stream.write("more")  # now /dev/null: the final flush cannot fail again


def test_all_of_a_long_text_reaches_a_non_blocking_descriptor() -> None:
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    text = "line of text\n" * 20_000  # 260 KB: four times a pipe's buffer
    received: list[bytes] = []

    def read_all() -> None:
        with os.fdopen(read_end, "rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read_all)
    reader.start()
    with os.fdopen(write_end, "w") as stream:
        Output(stream, {}).write(text)
    reader.join(timeout=60)
    assert received == [text.encode()]
