"""The run's Output: its decisions (colour, width, encoding, pager) come from
the stream and the environment it is given, so they are tested on a StringIO
and a dict, without touching sys.stdout."""

from __future__ import annotations

import io
import os

import pytest

from adjuvant_cli.dataset import ValidationReport, ValidationRun
from adjuvant_cli.errors import ExitCode, OutputClosed
from adjuvant_cli.output import DEFAULT_WIDTH, MIN_WIDTH, Output
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


@pytest.mark.parametrize(("columns", "width"), [("120", 120), ("10", MIN_WIDTH), ("wide", DEFAULT_WIDTH)])
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


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError

    def fileno(self) -> int:
        return self._descriptor

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self._descriptor = descriptor


def test_a_reader_gone_early_ends_quietly_with_141() -> None:
    read_end, write_end = os.pipe()
    try:
        with pytest.raises(OutputClosed) as raised:
            Output(ClosedPipe(write_end), {}).write("text\n")
        assert raised.value.exit_code == ExitCode.BROKEN_PIPE
        os.write(write_end, b"x")  # now /dev/null: writing no longer fails
    finally:
        os.close(read_end)
        os.close(write_end)
