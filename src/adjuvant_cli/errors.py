"""Exit codes and the exceptions the logic raises; `cli.py` maps one to the other.

The codes are part of the public interface (documented in the README): scripts
branch on them, so never renumber one.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1  # no drug by that name, or a search with no hits (as grep)
    USAGE = 2  # bad arguments or options
    BAD_DATA = 3  # the dataset is missing, unreadable or invalid
    INTERNAL = 70  # a bug: please report it (EX_SOFTWARE from sysexits.h)
    OUTPUT_FAILED = 74  # the output could not be written: disk full, stdout closed, pager failed (EX_IOERR)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader went away, e.g. `| head` (128 + SIGPIPE)


class AdjuvantError(Exception):
    """An expected failure with a one-line message for the user."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(AdjuvantError):
    exit_code = ExitCode.USAGE


class DrugNotFound(AdjuvantError):
    """A name that resolves to no drug; carries the closest names, if any."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(self, query: str, suggestions: Sequence[str]) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        super().__init__(f"no drug named {query!r}")


class DatasetError(AdjuvantError):
    """A dataset that cannot be used; `problems` lists every problem found."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        first = problems[0] if problems else "unusable dataset"
        extra = len(problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        super().__init__(f"{source}: {first}{more}")


class OutputClosed(AdjuvantError):
    """The reader of stdout went away before all was written (`| head`): not a
    failure to report, so the boundary leaves quietly with 141."""

    exit_code = ExitCode.BROKEN_PIPE

    def __init__(self) -> None:
        super().__init__("the output was closed early")


class OutputFailed(AdjuvantError):
    """The output could not be written where it was going (a full disk, a
    closed stdout, a terminal that hung up, a pager that failed, a completion
    script that cannot be installed): the environment's failure, not a bug."""

    exit_code = ExitCode.OUTPUT_FAILED
