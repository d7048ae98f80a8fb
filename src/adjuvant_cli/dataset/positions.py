"""Where in the file a problem is: `line:column` for the `<where>` of a
problem line (checking.py says how `where` is written).

tomli gives no positions for values, so this is a small locator over the
text: table headers, array-of-tables counts, `key =` lines, and the items of
a value. It runs on the error path only (`validate`, and nothing a lookup
imports), and it is best effort: a place it cannot find falls back to the
nearest table it found, and the file's start at worst. Only the layout the
TOML spec allows for keys is read: bare or quoted keys at the start of a line,
headers on a line of their own, and inline tables on one line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from adjuvant_cli.dataset.checking import SINGULAR
from adjuvant_cli.dataset.validating import Problem

_PLURAL = {singular: plural for plural, singular in SINGULAR.items()}
_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_.\- \t\"]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_KEY = re.compile(r"[ \t]*(\"?)([A-Za-z0-9_-]+)\1[ \t]*=[ \t]*")
_TOKEN = re.compile(r'"[^"]*"|\(".*?"\)|[^ .]+')


class Position(NamedTuple):
    line: int  # from 1
    column: int  # from 1


class _Table(NamedTuple):
    path: tuple[str, ...]
    parent: int | None  # index of the enclosing table in the list, None for the root
    position: Position
    keys: dict[str, Position]  # where each key's value starts


class Locator:
    """The tables and keys of one TOML text, read once; `find(where)` per problem."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables: list[_Table] = [_Table((), None, Position(1, 1), {})]
        self._read()

    def _read(self) -> None:
        current = 0
        in_multiline = False
        for number, line in enumerate(self.lines, 1):
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = not in_multiline
                if not in_multiline:
                    continue
            if in_multiline:
                continue
            header = _HEADER.match(line)
            if header:
                path = tuple(part.strip().strip('"') for part in header.group(2).split("."))
                parent = self._latest(path[:-1])
                self.tables.append(_Table(path, parent, Position(number, line.index("[") + 1), {}))
                current = len(self.tables) - 1
                continue
            key = _KEY.match(line)
            if key:
                self.tables[current].keys.setdefault(key.group(2), Position(number, key.end() + 1))

    def _latest(self, path: tuple[str, ...]) -> int:
        for index in range(len(self.tables) - 1, -1, -1):
            if self.tables[index].path == path:
                return index
        return 0

    def find(self, where: str) -> Position:
        """The position of the value `where` names, or of its table when it is missing."""
        table = 0
        position = Position(1, 1)
        tokens = _TOKEN.findall(where)
        value: Position | None = None  # inside a key's value: items, inline tables
        i = 0
        while i < len(tokens):
            token = tokens[i]
            chosen = tokens[i + 1] if i + 1 < len(tokens) else ""
            selects = chosen.startswith('"') or chosen.isdigit()
            if token == "item" and chosen.isdigit() and value is not None:
                value = self._item(value, int(chosen)) or value
                position, i = value, i + 2
                continue
            if token in _PLURAL and selects and not token.startswith('"'):
                plural = _PLURAL[token]
                entry = self._entry(table, plural, chosen)
                if entry is not None:
                    table, value = entry, None
                    position = self.tables[entry].position
                elif plural in self.tables[table].keys and chosen.isdigit():
                    start = value or self.tables[table].keys[plural]
                    value = self._item(start, int(chosen)) or start
                    position = value
                else:
                    return position
                i += 2
                continue
            if token.startswith(("(", '"')):
                i += 1
                continue
            if value is not None:  # a key of an inline table
                found = self._inline_key(value, token)
                if found is None:
                    return position
                value = position = found
            elif token in self.tables[table].keys:
                value = position = self.tables[table].keys[token]
            else:
                sub = self._child(table, token)
                if sub is None:
                    return position
                table, position = sub, self.tables[sub].position
            i += 1
        return position

    def _children(self, table: int, key: str) -> list[int]:
        path = (*self.tables[table].path, key)
        return [i for i, t in enumerate(self.tables) if t.path == path and t.parent == table]

    def _child(self, table: int, key: str) -> int | None:
        found = self._children(table, key)
        return found[0] if found else None

    def _entry(self, table: int, plural: str, chosen: str) -> int | None:
        entries = self._children(table, plural)
        if chosen.isdigit():
            n = int(chosen)
            return entries[n - 1] if 0 < n <= len(entries) else None
        wanted = chosen.strip('"')
        for index in entries:
            for key in ("id", "code"):
                at = self.tables[index].keys.get(key)
                if at is not None and self._string_at(at) == wanted:
                    return index
        return None

    def _string_at(self, at: Position) -> str | None:
        found = re.match(r'"([^"]*)"', self.lines[at.line - 1][at.column - 1 :])
        return found.group(1) if found else None

    def _item(self, start: Position, n: int) -> Position | None:  # noqa: PLR0912 (one scanner)
        """Where the n-th item (from 1) of the array starting at `start` begins."""
        depth = 0
        quote = ""
        escaped = False
        count = 0
        for number in range(start.line, len(self.lines) + 1):
            line = self.lines[number - 1]
            first = start.column - 1 if number == start.line else 0
            for col in range(first, len(line)):
                char = line[col]
                if quote:
                    if escaped:
                        escaped = False
                    elif char == "\\" and quote == '"':
                        escaped = True
                    elif char == quote:
                        quote = ""
                    continue
                if char == "#":
                    break
                if depth == 1 and not char.isspace() and char not in ",]" and _starts_item(line, col):
                    count += 1
                    if count == n:
                        return Position(number, col + 1)
                if char in "\"'":
                    quote = char
                elif char in "[{":
                    depth += 1
                elif char in "]}":
                    depth -= 1
                    if depth == 0:
                        return None
        return None

    def _inline_key(self, at: Position, key: str) -> Position | None:
        line = self.lines[at.line - 1]
        found = re.compile(rf"[{{,][ \t]*\"?{re.escape(key)}\"?[ \t]*=[ \t]*").search(line, at.column - 1)
        return Position(at.line, found.end() + 1) if found else None


def _starts_item(line: str, col: int) -> bool:
    """Whether an array item begins at `col`: after `[` or `,` and blanks (or a line start)."""
    before = line[:col].rstrip()
    return not before or before[-1] in "[,"


# What kind of problem a message reports, for `validate --json` (`code`):
# the first pattern that the part after `<where>: ` matches.
PROBLEM_CODES = (
    ("syntax", "TOML syntax error"),
    ("unknown-key", "unknown key"),
    ("missing", "missing"),
    ("wrong-type", "expected "),
    ("unknown-id", "unknown "),
    ("duplicate", "used twice|already a name|linked twice"),
    ("unused", "nothing links it|no drug has it"),
    ("unreviewed-link", "is not reviewed"),
    ("placeholder", "a placeholder left by"),
    ("not-who", "not a WHO ICD-10"),
    ("who-excerpt", "WHO says"),
    ("reversed-link", "is the link reversed"),
    ("schema-version", "old format|not supported|schema_version"),
    ("too-long", "characters long|items; the limit"),
    ("control-character", "control character|holds a line break"),
    ("empty", "^is empty|at least one|name at least|must say why|has no drugs"),
    ("bad-value", "is not "),
    ("unreadable", ""),
)
_SYNTAX = re.compile(r"line (\d+), column (\d+): (.*)", re.DOTALL)
_WHERE = re.compile(r'((?:[^":]|"[^"]*")*?): (.*)', re.DOTALL)


def split(message: str) -> tuple[str, str]:
    """(`where`, `what`) of a ``<where>: <what>`` problem line; `where` is empty for the file itself."""
    found = _WHERE.fullmatch(message)
    return (found.group(1), found.group(2)) if found else ("", message)


def code_of(what: str) -> str:
    for code, pattern in PROBLEM_CODES:
        if re.search(pattern, what):
            return code
    return "invalid"


@lru_cache(maxsize=2)
def _locator(text: str) -> Locator:
    return Locator(text)


def place(label: str, message: str, severity: str, text: str | None) -> Problem:
    """The problem line as a Problem at its position in `text` (None: the file could not be read)."""
    syntax = _SYNTAX.fullmatch(message)
    if syntax:
        line, column = int(syntax.group(1)), int(syntax.group(2))
        what = f"{syntax.group(3)}; parsing stops at the first syntax error: fix it and validate again"
        return Problem(label, line, column, "", "syntax", severity, what)
    where, what = split(message)
    if text is None or not where:
        return Problem(label, None, None, where, code_of(what), severity, message)
    found = _locator(text).find(where)
    return Problem(label, found.line, found.column, where, code_of(what), severity, message)
