"""Where in the file a problem is: `line:column` for the path a check
recorded it at (problems.py says how a path is made).

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

from adjuvant_cli.dataset.problems import Finding, Path, Problem

_HEADER = re.compile(r"[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_.\- \t\"]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_KEY = re.compile(r"[ \t]*(\"?)([A-Za-z0-9_-]+)\1[ \t]*=[ \t]*")


class Position(NamedTuple):
    line: int  # from 1
    column: int  # from 1


class _Table(NamedTuple):
    path: tuple[str, ...]
    parent: int | None  # index of the enclosing table in the list, None for the root
    position: Position
    keys: dict[str, Position]  # where each key's value starts


class Locator:
    """The tables and keys of one TOML text, read once; `find(path)` per problem."""

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

    def find(self, path: Path) -> Position:
        """The position of the value `path` names, or of its table when it is missing."""
        table = 0
        position = Position(1, 1)
        value: Position | None = None  # inside a key's value: items, inline tables
        for index, step in enumerate(path):
            if isinstance(step, tuple):
                continue  # an entry: found with its array's key
            if isinstance(step, int):
                if value is None:
                    return position
                value = position = self._item(value, step) or value
                continue
            following = path[index + 1] if index + 1 < len(path) else None
            if isinstance(following, tuple):
                entered = self._enter(table, value, step, following)
                if entered is None:
                    return position
                table, value, position = entered
            elif value is not None:  # a key of an inline table
                found = self._inline_key(value, step)
                if found is None:
                    return position
                value = position = found
            elif step in self.tables[table].keys:
                value = position = self.tables[table].keys[step]
            else:
                sub = self._child(table, step)
                if sub is None:
                    return position
                table, position = sub, self.tables[sub].position
        return position

    def _enter(
        self, table: int, value: Position | None, array: str, entry: tuple[int | None, str | None]
    ) -> tuple[int, Position | None, Position] | None:
        """(table, value, position) once inside an entry of `array`, or None when it is not found."""
        count, ident = entry
        found = self._entry(table, array, count, ident)
        if found is not None:
            return found, None, self.tables[found].position
        if array in self.tables[table].keys and count is not None:  # an inline array of tables
            start = value or self.tables[table].keys[array]
            item = self._item(start, count) or start
            return table, item, item
        return None

    def _children(self, table: int, key: str) -> list[int]:
        path = (*self.tables[table].path, key)
        return [i for i, t in enumerate(self.tables) if t.path == path and t.parent == table]

    def _child(self, table: int, key: str) -> int | None:
        found = self._children(table, key)
        return found[0] if found else None

    def _entry(self, table: int, array: str, count: int | None, wanted: str | None) -> int | None:
        """The table of an entry of `array`: by its count when known, else by its id or code."""
        entries = self._children(table, array)
        if count is not None:
            return entries[count - 1] if 0 < count <= len(entries) else None
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


@lru_cache(maxsize=2)
def _locator(text: str) -> Locator:
    return Locator(text)


def place(label: str, finding: Finding, severity: str, text: str | None) -> Problem:
    """The problem as `validate` reports it, at its position in `text` (None: the file could not be read)."""
    if finding.at is not None:  # the parser's own position: a syntax error
        what = f"{finding.what}; parsing stops at the first syntax error: fix it and validate again"
        return Problem(label, *finding.at, "", finding.code, severity, what)
    field, message = finding.field, str(finding)
    if text is None or not finding.path:
        return Problem(label, None, None, field, finding.code, severity, message)
    found = _locator(text).find(finding.path)
    return Problem(label, found.line, found.column, field, finding.code, severity, message)
