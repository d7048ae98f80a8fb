"""The output of one run, decided once and passed down, as httpie's
Environment: what the terminal is (a person or a pipe, colour, width,
encoding), which renderer draws for it, whether a pager shows the text, and
writing it, including a reader that goes away early (`| head`).

Everything is decided from the stream and the environment given to `Output`,
so tests build one from a StringIO and a dict instead of patching sys.stdout.
Renderers and Rich are imported only when something is drawn.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO, cast

from adjuvant_cli.errors import AdjuvantError, OutputClosed, OutputFailed
from adjuvant_cli.render import OutputFormat, Renderer, TerminalSettings
from adjuvant_cli.text import printable

MIN_WIDTH = 40  # narrower than this, even stacked text is unreadable: let the terminal wrap
DEFAULT_WIDTH = 100  # for pipes and terminals that do not say
MAX_WIDTH = 1000  # wider than any screen: COLUMNS=10000000 must not write 70 MB of padding
_DEFAULT_LINES = 24


class Output:
    """Stdout for one run, as the environment describes it."""

    def __init__(self, stream: TextIO, environ: Mapping[str, str]) -> None:
        self.stream = stream
        self.environ = environ
        self.terminal = terminal_settings(stream, environ)

    @classmethod
    def of_this_process(cls) -> Output:
        return cls(sys.stdout or cast(TextIO, ClosedStream()), os.environ)

    def renderer(self, output_format: OutputFormat) -> Renderer:
        return get_renderer(output_format, self.terminal)

    def show(self, output_format: OutputFormat, draw: Callable[[Renderer], str], *, pager: bool) -> None:
        """Draw with the renderer for `output_format` and write the text, through
        a pager when `pager` allows it and a person reads a page too long for
        the screen."""
        text = draw(self.renderer(output_format))
        command = self.pager_command(text) if pager else None
        if command is not None and self._page(text, command):
            return
        self.write(text)

    def pager_command(self, text: str) -> list[str] | None:
        """The pager to show `text` in, or None: not a terminal, short enough
        for the screen, or no pager wanted (ADJUVANT_PAGER, else PAGER, else less)."""
        if not self.terminal.interactive or text.count("\n") < self.screen_lines():
            return None
        import shlex

        setting = self.environ.get("ADJUVANT_PAGER", self.environ.get("PAGER", "less"))
        try:
            command = shlex.split(setting)
        except ValueError:
            return None
        return None if command in ([], ["cat"]) else command

    def screen_lines(self) -> int:
        """The terminal's height: LINES, else what the terminal says."""
        lines = _number(self.environ.get("LINES"))
        if lines is None or lines < 1:
            try:
                lines = os.get_terminal_size(self.stream.fileno()).lines
            except (OSError, ValueError, AttributeError):
                lines = _DEFAULT_LINES
        return lines

    def write(self, text: str) -> None:
        """Write all of `text` to stdout; raises OutputClosed when the reader has
        gone, OutputFailed when it cannot be written (a full disk, EIO, ...)."""
        try:
            descriptor = self.stream.fileno()
        except (OSError, ValueError, AttributeError):
            descriptor = None  # a stream in memory (tests): write through it
        try:
            if descriptor is None:
                self.stream.write(text)
                self.stream.flush()
            else:
                # The bytes go to the descriptor directly, so that a
                # non-blocking stdout (left so by a parent) gets all of them:
                # the text layer would drop what EAGAIN refused.
                encoding = getattr(self.stream, "encoding", None) or "utf-8"
                self.stream.flush()  # whatever went through the stream first stays first
                write_all(descriptor, text.encode(encoding, "replace"))  # an ASCII terminal gets "?"
        except OSError as error:
            raise stream_failure(self.stream, error) from None

    def _page(self, text: str, command: list[str]) -> bool:
        """Show `text` in the pager; False if the pager could not be started."""
        import subprocess

        env = {**self.environ}
        env.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the text on screen
        try:
            pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
        except (OSError, ValueError):
            return False
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(getattr(self.stream, "encoding", None) or "utf-8", "replace"))
            pager.stdin.close()
        except BrokenPipeError:
            pass  # the user quit the pager early
        while True:
            try:
                status = pager.wait()
                break
            except KeyboardInterrupt:
                continue  # Ctrl-C belongs to the pager (less uses it); wait for it to end
        if status != 0:  # it may have shown nothing at all: say so rather than end as if it had
            import shlex

            how = f"was killed by signal {-status}" if status < 0 else f"failed (exit status {status})"
            raise OutputFailed(
                f"the pager “{printable(shlex.join(command), 60)}” {how}; "
                "--no-pager shows the text directly, or set ADJUVANT_PAGER or PAGER"
            )
        return True


class ClosedStream(io.TextIOBase):
    """Stands for a stdout the process was started without (`>&-`): writing
    to it fails as writing to a closed descriptor does."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def write_all(descriptor: int, data: bytes) -> None:
    """Write every byte of `data`, waiting whenever a non-blocking descriptor
    is full (EAGAIN) instead of losing the rest."""
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(descriptor, view) :]
        except BlockingIOError:
            import select

            select.select([], [descriptor], [])


def stream_failure(stream: TextIO | None, error: OSError) -> AdjuvantError:
    """What a failed write to stdout means for the run: the reader went away
    (141, quietly) or the output could not be written (74). Points stdout at
    /dev/null first, so that the interpreter's final flush cannot fail again
    and print "Exception ignored" or change the exit code."""
    silence(stream)
    if isinstance(error, BrokenPipeError):
        return OutputClosed()
    reason = error.strerror or str(error)
    return OutputFailed(f"cannot write the output ({reason}); nothing more was written")


def silence(stream: TextIO | None) -> None:
    """Point `stream`'s descriptor at /dev/null, if it has one."""
    try:
        descriptor = stream.fileno() if stream is not None else -1
    except (OSError, ValueError, AttributeError):
        return
    if descriptor >= 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


# What a write to a stream that cannot take it raises; any other OSError
# escaping a command is not about the output (the dataset's are wrapped).
_OUTPUT_ERRNOS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF, errno.EAGAIN, errno.ENXIO}
)


def is_output_failure(stream: TextIO | None, error: OSError) -> bool:
    """Whether `error` is stdout failing (closed, full, gone), as Typer's own
    writes (--help, --version) raise it."""
    return stream is None or isinstance(stream, ClosedStream) or error.errno in _OUTPUT_ERRNOS


def terminal_settings(stream: TextIO, environ: Mapping[str, str]) -> TerminalSettings:
    """The terminal as the environment describes it (NO_COLOR, FORCE_COLOR, TERM, COLUMNS)."""
    is_tty = _isatty(stream)
    if environ.get("NO_COLOR"):
        color = False
    elif environ.get("FORCE_COLOR"):
        color = True
    else:
        color = is_tty and environ.get("TERM") != "dumb"
    width = _number(environ.get("COLUMNS"))
    if width is None:
        width = _terminal_width(stream) if is_tty else DEFAULT_WIDTH
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return TerminalSettings(
        width=min(max(width, MIN_WIDTH), MAX_WIDTH),
        color=color,
        unicode=encoding.startswith("utf"),
        interactive=is_tty,
        columns_given=_number(environ.get("COLUMNS")) is not None,
    )


def _number(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _terminal_width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return DEFAULT_WIDTH


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):
        return False


def get_renderer(output_format: OutputFormat, terminal: TerminalSettings) -> Renderer:
    """The renderer for a format, drawing for `terminal`. Imported on demand,
    so that a JSON run never imports Rich."""
    if output_format is OutputFormat.JSON:
        from adjuvant_cli.render.json import JsonRenderer

        return JsonRenderer(ascii_only=not terminal.unicode, indent=terminal.interactive)
    if output_format is OutputFormat.MARKDOWN:
        from adjuvant_cli.render.markdown import MarkdownRenderer

        return MarkdownRenderer()
    # A pipe reads plain records, without Rich (render/plain.py); unless colour
    # is forced (FORCE_COLOR, --color always): then a person reads it (less -R).
    piped = output_format is OutputFormat.AUTO and not terminal.interactive and not terminal.color
    if output_format is OutputFormat.PLAIN or piped:
        from adjuvant_cli.render.plain import PlainRenderer

        return PlainRenderer(terminal.width if terminal.columns_given else None)
    from adjuvant_cli.render.terminal import TerminalRenderer

    return TerminalRenderer(terminal)


def with_color_choice(environ: Mapping[str, str], choice: str) -> Mapping[str, str]:
    """The environment as `--color` amends it: "always" and "never" win over
    NO_COLOR and FORCE_COLOR (and TERM=dumb); "auto" leaves their published
    conventions alone."""
    if choice == "auto":
        return environ
    amended = {k: v for k, v in environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    amended["FORCE_COLOR" if choice == "always" else "NO_COLOR"] = "1"
    return amended
