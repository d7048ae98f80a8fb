"""The settings of one run, typed, and the one accessor every command (and
shell completion) reads them through.

A run's settings come from two places, each read once:

- the environment (`ADJUVANT_*`, `XDG_CACHE_HOME`, `HOME`), read by
  `read_environment` before Click parses anything, with one flag parser;
- the global options (`--data`, `--color`), which Click parses wherever they
  stand: before the command (the root's) or after it (the command's own copy,
  declared once in cli.py). The one after the command wins; `--data` wins
  over `ADJUVANT_DATA`, which Click reads as the root option's default.

`settings(ctx)` merges them; nothing else reads `ctx.obj`, `ctx.params` or
`os.environ`, so a new setting cannot be honoured by some commands and
silently ignored by others.
"""

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import typer

from adjuvant_cli.errors import UsageError
from adjuvant_cli.text import one_line, parse_flag


class ColorChoice(StrEnum):
    AUTO = "auto"  # as NO_COLOR, FORCE_COLOR and the terminal say
    ALWAYS = "always"
    NEVER = "never"


# The boolean variables of the environment: each read by parse_flag, and a
# value that is neither on nor off is a usage error, never a guess.
FLAG_VARIABLES = ("ADJUVANT_NO_CACHE", "ADJUVANT_DEBUG")


class Settings(NamedTuple):
    # The dataset to use instead of the bundled one: --data PATH or ADJUVANT_DATA.
    data: str | None = None
    # --color: always and never win over NO_COLOR and FORCE_COLOR.
    color: ColorChoice = ColorChoice.AUTO
    # ADJUVANT_DEBUG: tracebacks of internal errors, and why the cache was skipped.
    debug: bool = False
    # Where validated datasets are cached; None when ADJUVANT_NO_CACHE or homeless.
    cache_dir: Path | None = None


def read_environment(environ: Mapping[str, str]) -> Settings:
    """The settings the environment gives (the options are Click's); raises
    UsageError for a flag that is neither on nor off."""
    flags = {name: _flag(environ, name) for name in FLAG_VARIABLES}
    return Settings(
        debug=flags["ADJUVANT_DEBUG"],
        cache_dir=None if flags["ADJUVANT_NO_CACHE"] else _cache_dir(environ),
    )


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = parse_flag(environ.get(name))
    if value is None:
        raise UsageError(
            f"{name} must be 1 or 0, true or false, yes or no, on or off, "
            f"not “{one_line(environ.get(name, ''), 40)}”"
        )
    return value


def _cache_dir(environ: Mapping[str, str]) -> Path | None:
    configured = environ.get("ADJUVANT_CACHE_DIR")
    if configured:  # a relative one is refused by cache.py, which says why when debugging
        return Path(configured)
    xdg = Path(environ.get("XDG_CACHE_HOME", ""))
    if xdg.is_absolute():  # a relative one is invalid and ignored (XDG base directory spec)
        return xdg / "adjuvant"
    home = Path(environ.get("HOME", ""))
    return home / ".cache" / "adjuvant" if home.is_absolute() else None


def settings(ctx: typer.Context) -> Settings:
    """The run's settings: the environment's (in the root context's `obj`),
    then the options given before the command, then those given after it."""
    root = ctx.find_root()
    found = root.obj if isinstance(root.obj, Settings) else Settings()
    chain: list[typer.Context] = []
    level: typer.Context | None = ctx
    while level is not None:
        chain.append(level)
        level = level.parent  # type: ignore[assignment]  # Typer's contexts all
    for level in reversed(chain):  # the root first: the later option wins
        data = level.params.get("data")
        if data:  # cli.py refuses `--data ""`; Click reads ADJUVANT_DATA="" as unset
            found = found._replace(data=data)
        color = level.params.get("color")
        if color is not None:
            found = found._replace(color=ColorChoice(color))
    return found
