"""The command surface: Typer commands and options, and the one boundary
that turns every failure into one line on stderr and an exit code.

No logic, no formatting and no terminal decisions live here: a command reads
the global options (options.py), calls the logic, and hands the result to the
run's Output (output.py), which picks the renderer and writes. Heavy modules
(the dataset loader, the renderers, Rich) are imported inside the commands
that need them, so that `--help`, `--version` and shell completion start fast.
"""

# No `from __future__ import annotations` here: Typer reads every command's
# annotations on each run, and string annotations would be eval()ed (~3 ms).
import functools
import gc
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

# Typer 0.27 vendors Click and does not re-export its base exception: a private
# path, so Typer is bounded below 0.28 in pyproject.toml and the behaviour that
# depends on it is pinned by tests/test_cli_lookup.py (the error boundary).
from typer._click.exceptions import ClickException, NoArgsIsHelpError, NoSuchOption
from typer.core import TyperCommand, TyperGroup

from adjuvant_cli import BUNDLED_REVIEWED, BUNDLED_TITLE, __version__
from adjuvant_cli.errors import (
    AdjuvantError,
    DatasetError,
    DrugNotFound,
    ExitCode,
    OutputClosed,
    OutputFailed,
    UsageError,
)
from adjuvant_cli.options import ColorChoice, read_environment, settings
from adjuvant_cli.output import (
    ClosedStream,
    Output,
    is_output_failure,
    silence,
    stream_failure,
    with_color_choice,
)
from adjuvant_cli.render import OutputFormat, Renderer
from adjuvant_cli.text import one_line, printable, without_invisible

if TYPE_CHECKING:  # importing these at start-up would cost time on every run
    from adjuvant_cli.model import Dataset, Section

PROG = "adjuvant"


def _examples(*lines: tuple[str, str]) -> str:
    """A command's --help ends with real examples (the man page repeats them).
    `\\b` keeps Click from re-wrapping the block."""
    width = max(len(command) for command, _ in lines)
    said = "\n".join(f"  {cmd.ljust(width)}  # {why}" if why else f"  {cmd}" for cmd, why in lines)
    return f"Examples:\n\n\b\n{said}"


class AdjuvantGroup(TyperGroup):
    """The one boundary where failures become messages and exit codes, for real
    runs and for tests (CliRunner goes through `main` too)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = self._run(args, prog_name or PROG, complete_var, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(self, args: Sequence[str] | None, prog_name: str, complete_var: str | None, **extra: Any) -> int:
        for param in self.params:  # Typer adds --install-completion, which writes under HOME
            if param.name == "install_completion" and param.callback is not None:
                param.callback = _reporting_install_failures(param.callback)
        debug = False
        try:
            environment = read_environment(os.environ)  # once: every command reads it as settings(ctx)
            debug = environment.debug
            result = super().main(
                args, prog_name, complete_var, standalone_mode=False, obj=environment, **extra
            )
        except AdjuvantError as error:
            if not isinstance(error, OutputClosed):  # the reader went away (`| head`): leave quietly
                _fail(_message(error))
            return int(error.exit_code)
        except NoArgsIsHelpError:
            sys.stderr.write(_short_usage())
            return ExitCode.USAGE
        except ClickException as error:
            said = _misplaced_option(error, list(args) if args is not None else sys.argv[1:])
            _fail(f"{said or printable(error.format_message(), 300)} (see '{_help_of(error)}')")
            return ExitCode.USAGE if error.exit_code == 2 else error.exit_code
        except (KeyboardInterrupt, typer.Abort):
            return ExitCode.INTERRUPTED
        except Exception as error:
            return _unexpected(error, debug)
        return result if isinstance(result, int) else ExitCode.OK

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        # Candidates come from the dataset: only shell-inert ones may reach the shell.
        from adjuvant_cli.completion import use_inert_completion

        use_inert_completion()
        if not os.environ.get("COMP_CWORD", "0").strip().isdigit():  # bash's word index: TAB gets nothing
            sys.exit(ExitCode.USAGE)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    # Click builds a subcommand when it is asked for it (Click's lazy
    # subcommands): a run builds the one it names, not all ten. Building all
    # of them cost every run ~20 M instructions, ~8% of a bare Typer app's
    # start-up (benchmarks/README.md). Help and completion list them all.
    def list_commands(self, ctx: Any) -> list[str]:
        return _command_names()

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            named = [info for info in commands.registered_commands if info.name == cmd_name]
            # An unknown name builds them all: Typer's did-you-mean reads the built ones' names.
            for info in named or commands.registered_commands:
                if info.name and info.name not in self.commands:
                    self.commands[info.name] = typer.main.get_command_from_info(
                        info,
                        pretty_exceptions_short=app.pretty_exceptions_short,
                        rich_markup_mode=app.rich_markup_mode,
                    )
        return self.commands.get(cmd_name)


class AdjuvantCommand(TyperCommand):
    """A command whose usage line shows its arguments as its help names them
    (`NAME...`, `QUERY...`, `[FILTER]`): Typer would brace required ones."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def _message(error: AdjuvantError) -> str:
    if isinstance(error, DrugNotFound):
        text = f"no drug named '{printable(error.query.strip(), 60)}'"
        if error.suggestions:
            return f"{text}. Did you mean: {', '.join(error.suggestions)}? (see '{PROG} list')"
        return f"{text}; '{PROG} list' shows every drug"
    if isinstance(error, DatasetError) and len(error.problems) > 1:
        from adjuvant_cli.dataset import BUNDLED_LABEL

        target = "" if error.source == BUNDLED_LABEL else f" {error.source}"
        return f"{error.message}; '{PROG} validate{target}' lists them all"
    return error.message


def _unexpected(error: Exception, debug: bool) -> int:
    """An exception no command raised on purpose: stdout failing under Typer's
    own writes (--help, --version), or a bug."""
    if isinstance(error, OSError) and is_output_failure(sys.stdout, error):
        failure = stream_failure(sys.stdout, error)
        if not isinstance(failure, OutputClosed):
            _fail(failure.message)
        return int(failure.exit_code)
    if debug:
        raise error
    _fail(
        f"internal error ({type(error).__name__}): {printable(str(error), 200)}. This is a bug: "
        f"please report it with the command you ran; ADJUVANT_DEBUG=1 shows the traceback."
    )
    return ExitCode.INTERNAL


# Options that belong to the commands, not to the program: typed before the
# command (`adjuvant --json list`), they are told where they go.
_COMMAND_OPTIONS = frozenset(
    {"--json", "--format", "-f", "--no-pager", "--section", "-s", "--sources", "--corrections", "--all", "-a"}
)
_VALUED = frozenset({"--format", "-f", "--section", "-s"})


def _misplaced_option(error: ClickException, args: Sequence[str]) -> str | None:
    """What to do about an unknown option, where Click's own hint would mislead:
    a command's option before the command goes after it; search's unknown
    option may be a query (`-x`)."""
    if not isinstance(error, NoSuchOption):
        return None
    ctx = getattr(error, "ctx", None)
    option = printable(error.option_name, 30)
    if ctx is not None and ctx.parent is None and error.option_name in _COMMAND_OPTIONS:
        names = _command_names()
        command = next((a for a in args if a in names), "COMMAND")
        at = next((i for i, a in enumerate(args) if a.split("=")[0] == error.option_name), None)
        typed = args[at] if at is not None else error.option_name
        if at is not None and typed in _VALUED and at + 1 < len(args) and args[at + 1] != command:
            typed += f" {args[at + 1]}"  # `--format json`: the value goes with it
        typed = printable(typed, 40)
        return f"{option} is an option of the commands: put it after the command ({PROG} {command} {typed})"
    if ctx is not None and ctx.info_name == "search":
        dashed = f"{PROG} search -- {option}"
        return f"No such option: {option}; to search for words starting with -, put -- first ({dashed})"
    return None


def _help_of(error: ClickException) -> str:
    """Where to read more about a usage error: the help of the command it is
    about (as git does), not the whole program's."""
    ctx = getattr(error, "ctx", None)
    path = ctx.command_path if ctx is not None and ctx.command_path else PROG
    return f"{path} --help"


def _fail(message: str) -> None:
    """One line on stderr, if stderr can take it: the exit code tells either way,
    and must not change because stderr is closed or full."""
    try:
        sys.stderr.write(f"{PROG}: {one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        silence(sys.stderr)  # so that the interpreter's final flush cannot fail either


def _reporting_install_failures(install: Callable[..., Any]) -> Callable[..., Any]:
    """Typer's --install-completion, with a failure to write the script or the
    shell's start-up file (an unwritable HOME) as one line and exit 74."""

    def install_or_report(*args: Any) -> Any:
        _refuse_unsupported_shell(args[-1] if args else None)
        try:
            return install(*args)
        except OSError as error:
            where = printable(error.filename, 100) if isinstance(error.filename, str) else "HOME"
            raise OutputFailed(
                f"cannot install shell completion: {error.strerror or error} ({where}); "
                "check that HOME is a writable directory"
            ) from None

    return install_or_report


# The shells Typer installs completion for (typer._completion_shared.install).
COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _refuse_unsupported_shell(value: object) -> None:
    """Typer would print "Shell sh is not supported." on stdout and exit 1
    ("nothing found"): a usage error on stderr instead, naming the way out."""
    if not value:
        return
    if isinstance(value, str):
        shell: str | None = value
    else:
        from typer._completion_shared import _get_shell_name  # as Typer's install finds it

        shell = _get_shell_name()
    if shell not in COMPLETION_SHELLS:
        raise UsageError(
            f"cannot install completion for the shell “{printable(shell or 'unknown', 40)}”: adjuvant "
            "completes in bash, zsh, fish and PowerShell; run --install-completion from one of them"
        )


def _short_usage() -> str:
    """Bare `adjuvant`: a short usage, not the whole help."""
    return (
        f"Usage: {PROG} [OPTIONS] COMMAND [ARGS]...\n"
        f"Commands: {', '.join(_command_names())}\n"
        f"Try '{PROG} search back pain' or '{PROG} show baclofen'; '{PROG} --help' says more.\n"
    )


def _command_names() -> list[str]:
    return [info.name for info in commands.registered_commands if info.name]


ROOT_EXAMPLES = (
    ("adjuvant search low back pain", "what the source says of a condition"),
    ("adjuvant show baclofen", "one drug's monograph"),
    ("adjuvant compare diazepam tofisopam", "side by side"),
    ("adjuvant conditions", "what you can search for"),
    ("adjuvant list --json | jq .", "any command: --json after it"),
)

app = typer.Typer(
    cls=AdjuvantGroup,
    name=PROG,
    help="Offline reference for the adjuvant drugs used in treating back pain.",
    epilog=(
        _examples(*ROOT_EXAMPLES)
        + "\n\nExit codes: 0 found, 1 nothing found (diff: the datasets differ), 2 usage error, "
        "3 unusable dataset, 70 internal error, 74 output could not be written, 130 interrupted, "
        "141 output closed early."
    ),
    rich_markup_mode=None,  # help as plain text: no Rich import, no markup in help
    pretty_exceptions_enable=False,  # they can print local variables
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
# The commands, in the order help lists them; AdjuvantGroup builds each when a run asks for it.
commands = typer.Typer()


# --------------------------------------------------------------------------
# Options shared by commands
# --------------------------------------------------------------------------

JsonFlag = Annotated[bool, typer.Option("--json", help="Write one JSON document (same as --format json).")]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format; auto (the default): terminal on a terminal, plain records when piped.",
        case_sensitive=False,
    ),
]
NoPager = Annotated[bool, typer.Option("--no-pager", help="Never send long output through a pager.")]

# The global options, before the command (the root's, which also reads
# ADJUVANT_DATA) or after it (each command's, added by `global_options`).
DATA_HELP = "Use this dataset instead of the bundled one (also ADJUVANT_DATA)."
COLOR_HELP = "Colour: auto (NO_COLOR, FORCE_COLOR, a terminal), always or never."


def _refuse_empty_data(value: str | None) -> str | None:
    # Only the command line can give "": Click reads ADJUVANT_DATA="" as unset.
    if value == "":
        raise UsageError("--data needs a path; leave it out to use the bundled dataset")
    return value


DataAfter = Annotated[
    str | None, typer.Option("--data", metavar="PATH", help=DATA_HELP, callback=_refuse_empty_data)
]
ColorAfter = Annotated[
    ColorChoice | None, typer.Option("--color", metavar="WHEN", help=COLOR_HELP, case_sensitive=False)
]


def global_options(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with `--data` and `--color` among its own options, so that
    they may follow it (`adjuvant show x --data f.toml`), as sqlite-utils
    shares `output_options`. Click parses them where they stand; the command
    reads them through `settings(ctx)`, where the one after the command wins."""

    @functools.wraps(command)
    def with_global_options(
        *args: Any, data: str | None = None, color: str | None = None, **kwargs: Any
    ) -> None:
        command(*args, **kwargs)

    signature = inspect.signature(command)
    shared = [
        inspect.Parameter("data", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DataAfter),
        inspect.Parameter("color", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ColorAfter),
    ]
    with_global_options.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *shared]
    )
    with_global_options.__annotations__ = {**command.__annotations__, "data": DataAfter, "color": ColorAfter}
    return with_global_options


def _complete_drug(ctx: typer.Context, incomplete: str) -> list[str]:
    # Runs inside the shell's TAB: any failure must give no candidates, never a traceback.
    try:
        from adjuvant_cli.dataset import load_dataset
        from adjuvant_cli.names import complete_names

        run = settings(ctx)
        typed = ctx.params.get("names") or ()  # compare: a drug already typed is not offered again
        return complete_names(load_dataset(run.data, cache_dir=run.cache_dir), incomplete, typed)
    except Exception:
        return []


def _complete_condition(ctx: typer.Context, incomplete: str) -> list[str]:
    # As _complete_drug: inside the shell's TAB, a failure gives no candidates.
    try:
        from adjuvant_cli.dataset import load_dataset
        from adjuvant_cli.names import complete_conditions

        run = settings(ctx)
        return complete_conditions(load_dataset(run.data, cache_dir=run.cache_dir), incomplete)
    except Exception:
        return []


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG} {__version__}")
        typer.echo(f"bundled dataset: “{BUNDLED_TITLE}”, last reviewed {BUNDLED_REVIEWED}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def root(  # the options are read through settings(ctx), which merges them with the command's
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="ADJUVANT_DATA",
            metavar="PATH",
            help=DATA_HELP,
            callback=_refuse_empty_data,
            show_envvar=False,
        ),
    ] = None,
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            metavar="WHEN",
            help=COLOR_HELP,
            case_sensitive=False,
        ),
    ] = ColorChoice.AUTO,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", is_eager=True, callback=_show_version, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Offline reference for the adjuvant drugs used in treating back pain:
    baclofen, diazepam, tizanidine and tofisopam."""


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


@commands.command(
    "list",
    cls=AdjuvantCommand,
    epilog=_examples(
        ("adjuvant list", ""),
        ("adjuvant list | cut -f1", "piped: tab-separated, one drug per line"),
        ("adjuvant --data my-formulary.toml list", "your own dataset"),
    ),
)
@global_options
def list_command(
    ctx: typer.Context, json: JsonFlag = False, fmt: FormatOption = None, no_pager: NoPager = False
) -> None:
    """List the drugs: name, class, ATC code and dosage forms."""
    from adjuvant_cli.catalog import list_drugs

    result = list_drugs(_dataset(ctx))
    _emit(ctx, _format(json, fmt), lambda r: r.drug_list(result), no_pager)


# The values of model.Section, spelled out so that --help need not import the
# model (tests/test_cli_lookup.py keeps the two equal).
_SECTIONS = ("overview", "mechanism", "effects", "onset", "indications", "corrections", "disclaimer")


@commands.command(
    "show",
    cls=AdjuvantCommand,
    short_help="One drug's monograph (--full for all of it).",
    epilog=_examples(
        ("adjuvant show sirdalud mr", "a brand name, words joined; on a terminal, a brief view"),
        ("adjuvant show baclofen --full", "every section: codes, mechanism, effects, onset"),
        ("adjuvant show tiza -s indications -s onset", "a prefix; only these sections"),
        ("adjuvant show valium -s corrections", "how the source's wording was read"),
    ),
)
@global_options
def show_command(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="Drug name, brand name or a unique prefix of 4+ letters.",
            autocompletion=_complete_drug,
        ),
    ],
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Show only this part (repeatable): " + ", ".join(_SECTIONS) + " (effects: the effect "
            "profile and clinical effects; corrections: the corrections and readings of the source).",
            autocompletion=lambda incomplete: [s for s in _SECTIONS if s.startswith(incomplete)],
        ),
    ] = None,
    corrections: Annotated[
        bool,
        # One way to ask is `-s corrections`; this hidden flag stays for old scripts.
        typer.Option("--corrections", hidden=True, help="The same as adding -s corrections."),
    ] = False,
    sources: Annotated[
        bool,
        typer.Option("--sources", help="Show where in the article each statement comes from (locators)."),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="On a terminal, every section (codes, mechanism, effects, onset), not the brief view.",
        ),
    ] = False,
    json: JsonFlag = False,
    fmt: FormatOption = None,
    no_pager: NoPager = False,
) -> None:
    """Show one drug's monograph: a brief view on a terminal, --full for all of it."""
    from adjuvant_cli.catalog import DEFAULT_SECTIONS, show_drug
    from adjuvant_cli.model import Section

    sections = _sections(section or [])
    if corrections:
        sections = [*(sections or DEFAULT_SECTIONS), Section.CORRECTIONS]
    result = show_drug(_dataset(ctx), " ".join(name), sections, with_sources=sources, full=full)
    _emit(ctx, _format(json, fmt), lambda r: r.monograph(result), no_pager)


def _sections(names: list[str]) -> "list[Section]":
    from adjuvant_cli.model import Section

    chosen: list[Section] = []
    for name in names:
        try:
            chosen.append(Section(name.strip().lower()))
        except ValueError:
            raise UsageError(
                f"no section '{printable(name, 40)}'; choose from {', '.join(_SECTIONS)}"
            ) from None
    return chosen


@commands.command(
    "search",
    cls=AdjuvantCommand,
    short_help="What the source says of a condition, in tiers.",
    epilog=_examples(
        ("adjuvant search low back pain", ""),
        ("adjuvant search M54.5", "an ICD-10 code (M54.50 reads as M54.5)"),
        ("adjuvant search -v M40-M54", "a range; how each hit matched"),
        ("adjuvant search -- -x", "a query starting with -"),
    ),
)
@global_options
def search_command(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help="A condition, synonym, abbreviation or ICD-10 code.",
            autocompletion=_complete_condition,
        ),
    ],
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            "-a",
            help="Search the whole monograph (class, mechanism, effects), not only indications.",
        ),
    ] = False,
    why: Annotated[
        bool,
        typer.Option("--why", "-v", help="Say how each hit matched: stems, synonyms, code mappings."),
    ] = False,
    json: JsonFlag = False,
    fmt: FormatOption = None,
    no_pager: NoPager = False,
) -> None:
    """Find what the source says of a condition, in tiers: indicated for it, as
    a setting, for a narrower condition, by words, by class or effect; then
    mentions and broader groups, which do not count as hits."""
    from adjuvant_cli.search import search

    text = " ".join(query)
    if not without_invisible(text).strip():  # nothing that shows is nothing typed
        raise UsageError("the query is empty; try e.g. 'adjuvant search spasticity'")
    result = search(_dataset(ctx), text, "all" if everything else "indications")._replace(why=why)
    _emit(ctx, _format(json, fmt), lambda r: r.search(result), no_pager)
    if not result.hits:
        raise typer.Exit(ExitCode.NOT_FOUND)


@commands.command(
    "compare",
    cls=AdjuvantCommand,
    short_help="Compare drugs side by side.",
    epilog=_examples(
        ("adjuvant compare", "all drugs"),
        ("adjuvant compare diazepam tofisopam", ""),
        ("adjuvant compare valium sirdalud --json", "brand names; JSON"),
    ),
)
@global_options
def compare_command(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME...]", help="Two or more drugs; none compares all.", autocompletion=_complete_drug
        ),
    ] = None,
    json: JsonFlag = False,
    fmt: FormatOption = None,
    no_pager: NoPager = False,
) -> None:
    """Compare drugs side by side: attributes, effects, and shared indications."""
    from adjuvant_cli.compare import compare_drugs

    result = compare_drugs(_dataset(ctx), names or [])
    _emit(ctx, _format(json, fmt), lambda r: r.comparison(result), no_pager)


@commands.command(
    "conditions",
    cls=AdjuvantCommand,
    short_help="The conditions you can search for, with ICD-10 codes.",
    epilog=_examples(
        ("adjuvant conditions", "one line per condition"),
        ("adjuvant conditions back pain", "the conditions back pain takes in"),
        ("adjuvant conditions neurasthenia", "one condition's whole card, its note included"),
        ("adjuvant conditions --drug tofisopam", "what one drug's monograph reaches"),
    ),
)
@global_options
def conditions_command(
    ctx: typer.Context,
    text_filter: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILTER...]",
            help="Show only conditions matching this (words joined); one it names is shown whole.",
            autocompletion=_complete_condition,
        ),
    ] = None,
    drug: Annotated[
        str | None,
        typer.Option(
            "--drug",
            "-d",
            metavar="NAME",
            help="Only the conditions this drug's monograph names, or reaches through a broader one.",
            autocompletion=_complete_drug,
        ),
    ] = None,
    json: JsonFlag = False,
    fmt: FormatOption = None,
    no_pager: NoPager = False,
) -> None:
    """List the conditions you can search for, with ICD-10 codes and drugs."""
    from adjuvant_cli.catalog import index_conditions

    joined = " ".join(text_filter) if text_filter else None
    result = index_conditions(_dataset(ctx), joined, drug)
    _emit(ctx, _format(json, fmt), lambda r: r.conditions(result), no_pager)
    if not result.entries:
        raise typer.Exit(ExitCode.NOT_FOUND)


@commands.command(
    "validate",
    cls=AdjuvantCommand,
    short_help="Check datasets: every problem, at its file:line:column.",
    epilog=_examples(
        ("adjuvant validate my-formulary.toml", ""),
        ("adjuvant --data my-formulary.toml validate", "the same"),
        ("adjuvant validate --json my-formulary.toml", "problems as JSON"),
    ),
)
@global_options
def validate_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Datasets to check; - reads standard input (default: the one --data or ADJUVANT_DATA "
            "names, else the bundled one).",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (exit 3), as on errors.")
    ] = False,
    json: JsonFlag = False,
    fmt: FormatOption = None,
) -> None:
    """Check datasets and list every problem, each at its file:line:column."""
    from adjuvant_cli.dataset.validating import ValidationRun, validate_dataset

    if paths and "" in paths:  # an empty path would be labelled "" and read as the directory
        raise UsageError("validate: an empty path; give the path of a .toml file, or - for standard input")
    chosen: list[str | None] = list(paths) if paths else [settings(ctx).data]
    reports = tuple(
        validate_dataset(path, text=_stdin_dataset()) if path == "-" else validate_dataset(path)
        for path in chosen
    )
    run = ValidationRun(reports, strict=strict)
    _emit(ctx, _format(json, fmt), lambda r: r.validation(run), no_pager=True)
    if not run.valid:
        raise typer.Exit(ExitCode.BAD_DATA)


def _stdin_dataset() -> str:
    """Standard input as dataset text: the one special file `validate` reads."""
    from adjuvant_cli.dataset.reading import read_stream
    from adjuvant_cli.dataset.validating import STDIN_LABEL

    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise UsageError("validate -: standard input is closed; pipe a dataset in (validate - < my.toml)")
    if sys.stdin.isatty():
        raise UsageError("validate -: standard input is a terminal; pipe a dataset in (validate - < my.toml)")
    return read_stream(sys.stdin.buffer, STDIN_LABEL)


@commands.command(
    "init",
    cls=AdjuvantCommand,
    short_help="Start a dataset of your own that passes validate --strict.",
    epilog=_examples(
        ("adjuvant init my-formulary.toml", "a one-drug skeleton"),
        ("adjuvant init --from-bundled my-formulary.toml", "a copy of the bundled dataset"),
    ),
)
def init_command(
    path: Annotated[str, typer.Argument(metavar="PATH", help="The new dataset file (never overwritten).")],
    from_bundled: Annotated[
        bool, typer.Option("--from-bundled", help="Copy the bundled dataset instead of a one-drug skeleton.")
    ] = False,
) -> None:
    """Start a dataset of your own: a commented skeleton that passes validate
    --strict, with the JSON Schema beside it for your editor."""
    from adjuvant_cli.dataset.starting import init_dataset

    written = init_dataset(path, from_bundled=from_bundled)
    said = [f"wrote {one_line(str(p), 200)}" for p in reversed(written)]  # the dataset first
    _say([*said, f"next: {_command_line('validate', '--strict', path)}"])


@commands.command(
    "migrate",
    cls=AdjuvantCommand,
    short_help="Convert a version 1 dataset to version 2.",
    epilog=_examples(("adjuvant migrate old.toml new.toml", "then review every REVIEW comment")),
)
def migrate_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A version 1 dataset.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Where to write version 2 (never overwritten).")],
) -> None:
    """Convert a version 1 dataset to version 2, with comments on what to review."""
    from adjuvant_cli.dataset.migrating import migrate_file

    written = one_line(str(migrate_file(old, new)), 200)
    then = _command_line("validate", "--strict", new)
    _say([f"wrote {written}; review every line marked REVIEW, then: {then}"])


def _say(lines: list[str]) -> None:
    """What a file command did, through the run's one output (a full or closed stdout is 74 or 141)."""
    Output.of_this_process().write("".join(f"{line}\n" for line in lines))


def _command_line(*args: str) -> str:
    """A command to paste, on one line: the last argument (a path) quoted for
    the shell, led by "./" when it starts with "-" (else it reads as an
    option), and in $'...' when it holds a control character such as a newline."""
    import shlex

    path = f"./{args[-1]}" if args[-1].startswith("-") else args[-1]
    if one_line(path) == path:
        quoted = shlex.quote(path)
    else:  # bash, zsh and ksh read the escapes back; the line stays one line
        quoted = "$'" + one_line(path.replace("\\", "\\\\").replace("'", "\\'")) + "'"
    return " ".join([PROG, *args[:-1], quoted])


@commands.command(
    "diff",
    cls=AdjuvantCommand,
    short_help="What changed between two datasets, clinically.",
    epilog=_examples(
        ("adjuvant diff old.toml new.toml", "before a commit: what a change says"),
        ("adjuvant diff -f markdown old.toml new.toml", "a change note"),
        ("adjuvant diff --json old.toml new.toml | jq '.result.changes[]'", ""),
    ),
)
@global_options
def diff_command(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="The dataset before.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The dataset after.")],
    json: JsonFlag = False,
    fmt: FormatOption = None,
    no_pager: NoPager = False,
) -> None:
    """Show what changed from OLD to NEW, clinically: drugs and every field of
    each (indications, links and their roles and review state, brands, ...),
    conditions, umbrella terms, the source and the disclaimer. Items are
    matched by id; their order and comments are not changes. Exit 0 when the
    two say the same thing, 1 when they differ (as diff), 3 when either
    dataset is invalid."""
    from adjuvant_cli.dataset import load_dataset
    from adjuvant_cli.diff import diff_datasets

    # Read afresh, as validate reads: diff compares whole files, which a store would serve row by row.
    before, after = (load_dataset(path, use_cache=False) for path in (old, new))
    result = diff_datasets(before, after, printable(old, 200), printable(new, 200))
    _emit(ctx, _format(json, fmt), lambda r: r.dataset_diff(result), no_pager)
    if not result.same:
        raise typer.Exit(ExitCode.NOT_FOUND)  # 1: they differ, as diff(1) says it


@commands.command(
    "help",
    cls=AdjuvantCommand,
    epilog=_examples(("adjuvant help", ""), ("adjuvant help search", "as 'adjuvant search --help'")),
)
def help_command(
    ctx: typer.Context,
    command: Annotated[
        str | None, typer.Argument(metavar="[COMMAND]", help="The command to explain.")
    ] = None,
) -> None:
    """Show the help of the program or of one command."""
    root = ctx.find_root()
    if command is None:
        typer.echo(root.get_help())
        return
    group = root.command
    assert isinstance(group, TyperGroup)
    found = group.get_command(root, command)
    if found is None:
        raise UsageError(f"no command '{printable(command, 40)}'; '{PROG} --help' lists them")
    with found.make_context(command, ["--help"], parent=root, resilient_parsing=True) as sub:
        typer.echo(found.get_help(sub))


# --------------------------------------------------------------------------
# Plumbing
# --------------------------------------------------------------------------


def _dataset(ctx: typer.Context) -> "Dataset":
    from adjuvant_cli.dataset.loading import for_lookup, load_dataset

    run = settings(ctx)
    data = run.data
    try:
        loaded = load_dataset(data, cache_dir=run.cache_dir, debug=run.debug)
    except DatasetError as error:
        if data and _data_from_environment(ctx):  # say where a path the user did not type came from
            raise DatasetError(f"{error.source} (from ADJUVANT_DATA)", error.problems) from None
        raise
    dataset, pending = for_lookup(loaded, data)
    if pending.unreviewed_links or pending.placeholders:
        _review_notice(data, pending.unreviewed_links, pending.placeholders)
    if data and run.debug:
        # A load says nothing of warnings; debugging, the ones it finds are shown
        # (parsing once more: debug only). The WHO check stays validate's.
        from adjuvant_cli.dataset.validating import load_warnings

        for line in load_warnings(data):
            sys.stderr.write(f"{PROG}: {printable(line, 500)}\n")
    return dataset


def _review_notice(data: str | None, links: int, placeholders: int) -> None:
    """One line on stderr, on every run, until a person has reviewed the file
    (as a framework warns of unapplied migrations): what is unreviewed, and
    the command that lists it. stdout stays the answer."""
    said = [
        f"{links} link{'s' if links != 1 else ''} whose role is not reviewed (shown as not reviewed)"
        if links
        else "",
        f"{placeholders} placeholder{'s' if placeholders != 1 else ''} left by adjuvant migrate"
        if placeholders
        else "",
    ]
    command = _command_line("validate", data) if data else f"{PROG} validate"
    _fail(f"this dataset has {' and '.join(w for w in said if w)}; '{command}' lists them")


def _data_from_environment(ctx: typer.Context) -> bool:
    """Whether the dataset's path is ADJUVANT_DATA's: no --data after the
    command, and the program's --data read from the environment."""
    from typer._click.core import ParameterSource

    if ctx.params.get("data"):
        return False
    root = ctx.find_root()
    return root.get_parameter_source("data") is ParameterSource.ENVIRONMENT


def _format(json_flag: bool, fmt: OutputFormat | None) -> OutputFormat:
    if json_flag and fmt not in (None, OutputFormat.JSON):
        raise UsageError(f"--json and --format {fmt.value if fmt else ''} contradict each other; give one")
    return OutputFormat.JSON if json_flag else fmt or OutputFormat.AUTO


def _emit(
    ctx: typer.Context, output_format: OutputFormat, draw: Callable[[Renderer], str], no_pager: bool
) -> None:
    """Hand the result to this run's output: one Output per run, built here,
    since each run runs one command."""
    choice = settings(ctx).color
    output = Output.of_this_process()
    if choice is not ColorChoice.AUTO:
        output = Output(output.stream, with_color_choice(output.environ, choice.value))
    output.show(output_format, draw, pager=not no_pager)


def run() -> None:
    """Run the CLI on sys.argv and exit (see __main__.main, the entry point)."""
    # A run is short and builds large acyclic structures; the cyclic garbage
    # collector's passes grow with them (a 10,000-drug dataset loaded ~2x
    # slower with it on). Nothing here needs it: let the process exit free it.
    gc.disable()
    if sys.stdout is None:  # started with stdout closed (`>&-`): writing must fail, not vanish
        sys.stdout = ClosedStream()
    app(prog_name=PROG)
