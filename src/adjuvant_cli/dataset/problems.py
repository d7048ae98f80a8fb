"""A problem in a dataset, recorded as a structure where a check finds it:
its place (a path into the TOML), its kind (the `code` of `validate --json`)
and what is wrong, as jsonschema's ValidationError carries `path` and
`validator`. Nothing here reads a message back: the text is made for people.

A path is a tuple of steps: a key (`"atc"`), an item of a list counted from 1
(`3`), or an entry of an array of tables as (count from 1, id), either of
which may be None (`(3, "tizanidine")`; `(None, "ms")` when only its id is
known). `("drugs", (3, "tizanidine"), "atc")` reads `drug "tizanidine" atc`.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

Entry = tuple[int | None, str | None]
Step = str | int | Entry
Path = tuple[Step, ...]

# The documented kinds of problem (README, "Validating"); `validate --json`'s `code`.
Code = Literal[
    "syntax",
    "unknown-key",
    "missing",
    "wrong-type",
    "unknown-id",
    "duplicate",
    "unused",
    "unreviewed-link",
    "placeholder",
    "not-who",
    "who-excerpt",
    "reversed-link",
    "cycle",
    "covers-unsaid",
    "too-large",
    "schema-version",
    "too-long",
    "control-character",
    "empty",
    "bad-value",
    "unreadable",
]
CODES: tuple[str, ...] = get_args(Code)

# How an entry of each array of tables is named in messages.
SINGULAR = {
    "drugs": "drug",
    "conditions": "condition",
    "effects": "effect",
    "umbrellas": "umbrella",
    "who_icd10": "who_icd10",
    "indications": "indication",
    "links": "link",
    "brands": "brand",
    "caveats": "caveat",
    "corrections": "correction",
    "readings": "reading",
    "mechanism": "mechanism",
    "actions": "action",
    "onset": "onset",
}


class Finding(NamedTuple):
    """One problem as a check records it; `at` is a (line, column) the parser gave."""

    path: Path
    code: Code
    what: str
    at: tuple[int, int] | None = None

    @property
    def field(self) -> str:
        return describe(self.path)

    def __str__(self) -> str:
        """The problem line people read: `drug "tizanidine" atc: … is not an ATC code`."""
        if self.at is not None:
            return f"line {self.at[0]}, column {self.at[1]}: {self.what}"
        return f"{describe(self.path)}: {self.what}" if self.path else self.what


def describe(path: Path) -> str:
    """The place a path names, as messages write it: `drug "x" link 3 condition`, `source.title`."""
    text = ""
    separator = ""  # a key follows a key after a dot, an entry or an item after a space
    for index, step in enumerate(path):
        if isinstance(step, tuple):
            continue  # written with its array's key
        if isinstance(step, int):
            text, separator = f"{text} item {step}", " "
            continue
        following = path[index + 1] if index + 1 < len(path) else None
        if isinstance(following, tuple):
            count, ident = following
            name = SINGULAR.get(step, step)
            text += f'{separator}{name} "{ident}"' if ident is not None else f"{separator}{name} {count}"
            separator = " "
        else:
            text, separator = f"{text}{separator}{step}", "."
    return text


class Problem(NamedTuple):
    """One problem `validate` found, placed in its file (line and column from 1;
    None when the problem is the file itself, e.g. unreadable)."""

    file: str
    line: int | None
    column: int | None
    field: str  # the place as the message names it: `drug "tizanidine" atc`
    code: str  # what kind of problem: one of CODES
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        """`path:line:col: message`, the form editors and CI annotate."""
        place = self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"
        kind = "warning: " if self.severity == "warning" else ""
        return f"{place}: {kind}{self.message}"
