"""The global options of one run (those given before the command), typed, and
the one accessor every command reads them through.

The root callback in cli.py stores them; a command that needs the dataset
asks `global_options(ctx)`, never `ctx.obj` or `ctx.params` directly, so a new
global option cannot be honoured by some commands and silently ignored by
others.
"""

from enum import StrEnum
from typing import NamedTuple

import typer


class ColorChoice(StrEnum):
    AUTO = "auto"  # as NO_COLOR, FORCE_COLOR and the terminal say
    ALWAYS = "always"
    NEVER = "never"


class GlobalOptions(NamedTuple):
    # The dataset to use instead of the bundled one: --data PATH or ADJUVANT_DATA.
    data: str | None = None
    # --color: always and never win over NO_COLOR and FORCE_COLOR.
    color: ColorChoice = ColorChoice.AUTO


def remember(ctx: typer.Context, options: GlobalOptions) -> None:
    """Store the run's global options where every command's context finds them."""
    ctx.find_root().obj = options


def global_options(ctx: typer.Context) -> GlobalOptions:
    """The run's global options (the defaults if the root callback did not run)."""
    found = ctx.find_root().obj
    return found if isinstance(found, GlobalOptions) else GlobalOptions()
