"""Write the man page, man/adjuvant.1, from the CLI's own help text.

Each command's section is its `--help`, word for word (laid out for 78
columns), so the man page cannot say something the help does not; a test
(tests/test_help.py) fails when the committed page differs from what this
script writes. The wheel installs it as share/man/man1/adjuvant.1, so that
`man adjuvant` works when the environment's bin is on PATH.

    python scripts/man_page.py          # rewrite man/adjuvant.1
    python scripts/man_page.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from adjuvant_cli import __version__
from adjuvant_cli.cli import PROG, ROOT_EXAMPLES, app

PAGE = Path(__file__).resolve().parents[1] / "man" / "adjuvant.1"
WIDTH = 78

ENVIRONMENT = (
    ("ADJUVANT_DATA", "a dataset to use instead of the bundled one (as --data PATH)"),
    ("ADJUVANT_CACHE_DIR", "where validated datasets are cached (an absolute path)"),
    ("ADJUVANT_NO_CACHE", "1: never use the cache"),
    ("ADJUVANT_PAGER, PAGER", "the pager for long output on a terminal (default: less -FRX)"),
    ("ADJUVANT_DEBUG", "1: show the traceback of an internal error"),
    ("NO_COLOR, FORCE_COLOR", "colour, as their published conventions say; --color always or never wins"),
    ("COLUMNS", "the width; when piped, prose is wrapped only if it is set"),
)
EXIT_STATUS = (
    ("0", "found / done; diff: the two datasets say the same thing"),
    ("1", "nothing found: no drug by that name, a search or filter with no hits; diff: the datasets differ"),
    ("2", "usage error"),
    ("3", "unusable dataset (diff: either dataset)"),
    ("70", "internal error (a bug)"),
    (
        "74",
        "the output, or a file init or migrate writes, could not be written (a full disk)",
    ),
    ("130", "interrupted"),
    ("141", "the reader of the output went away"),
)


def roff(text: str) -> str:
    """Plain text as roff: backslashes, hyphens and a leading dot or quote
    would otherwise be read as requests."""
    lines = []
    for line in text.replace("\\", "\\e").replace("-", "\\-").splitlines():
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def help_text(args: list[str]) -> str:
    """What `adjuvant ARGS --help` prints, at WIDTH columns."""
    group = typer.main.get_command(app)
    root = group.make_context(PROG, list(args), resilient_parsing=True, terminal_width=WIDTH)
    if not args:
        return str(root.get_help())
    command = group.get_command(root, args[0])  # type: ignore[attr-defined]
    assert command is not None, args
    sub = command.make_context(args[0], [], parent=root, resilient_parsing=True, terminal_width=WIDTH)
    return str(command.get_help(sub))


def commands() -> list[str]:
    group = typer.main.get_command(app)
    ctx = group.make_context(PROG, [], resilient_parsing=True)
    return list(group.list_commands(ctx))  # type: ignore[attr-defined]


FILES = (
    ("$XDG_CACHE_HOME/adjuvant, ~/.cache/adjuvant", "validated datasets, cached (or ADJUVANT_CACHE_DIR)"),
    ("share/man/man1/adjuvant.1", "this page, installed with the package"),
    ("adjuvant_cli/data/monographs.toml", "the bundled dataset, inside the installed package"),
    ("adjuvant_cli/schemas/output/", "the JSON Schemas of every --json output"),
)
DOCUMENTATION = (
    "README.md of the adjuvant source distribution: set-up, the main uses, JSON and pipes, exit codes.",
    "docs/your-own-dataset.md and docs/dataset-schema-2.md: a dataset of one's own.",
    "CONTRIBUTING.md: how adjuvant is built and tested; benchmarks/README.md: its speed.",
    f"{PROG} COMMAND --help: each command's options and examples.",
)


def description(root_help: str) -> str:
    """The program's help without Click's `Usage:` line (SYNOPSIS says it)."""
    lines = root_help.splitlines()
    while lines and (lines[0].startswith("Usage:") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


def page() -> str:
    root = description(help_text([]))
    out = [
        f'.TH ADJUVANT 1 "" "{PROG} {__version__}" "User Commands"',
        ".SH NAME",
        f"{PROG} \\- offline reference for the adjuvant drugs used in treating back pain",
        ".SH SYNOPSIS",
        f".B {PROG}",
        "[\\fB\\-\\-data\\fR \\fIPATH\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        "Baclofen, diazepam, tizanidine and tofisopam, from a bundled, validated dataset:",
        "what the source article says of them, for a terminal (plain records when piped),",
        "JSON or Markdown. Every output with medical content ends with the disclaimer",
        "and the source: it is informational, not a guide to self\\-treatment.",
        ".PP",
        ".nf",
        roff(root),
        ".fi",
        ".SH COMMANDS",
    ]
    for name in commands():
        out += [f".SS {PROG} {name}", ".nf", roff(help_text([name])), ".fi"]
    out.append(".SH EXAMPLES")
    for command, why in ROOT_EXAMPLES:
        out += [".TP", f".B {roff(command)}", roff(why)]
    out.append(".SH EXIT STATUS")
    for code, meaning in EXIT_STATUS:
        out += [".TP", f".B {code}", roff(meaning)]
    out.append(".SH ENVIRONMENT")
    for name, effect in ENVIRONMENT:
        out += [".TP", f".B {roff(name)}", roff(effect)]
    out.append(".SH FILES")
    for name, what in FILES:
        out += [".TP", f".I {roff(name)}", roff(what)]
    out.append(".SH DOCUMENTATION")
    for i, line in enumerate(DOCUMENTATION):
        out += [*([".br"] if i else []), roff(line)]
    out += [".SH SEE ALSO", "\\fBjq\\fR(1), \\fBless\\fR(1)"]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = page()
    if "--check" in argv:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is stale: run python scripts/man_page.py", file=sys.stderr)
            return 1
        return 0
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
