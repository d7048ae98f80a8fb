"""Renderers: one module per output format behind one interface.

Each renderer turns a result object into the complete text to write, and
decides nothing: what to show was settled by the query logic, and where the
text goes (stdout, a pager) is up to `output.py`. A monograph's sections are
walked once, in `sections.py`; each renderer only draws the blocks, in the
words of `wording.py`. Format
modules are imported on demand so that a JSON run never imports Rich.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison
    from adjuvant_cli.dataset.validating import ValidationRun
    from adjuvant_cli.search import SearchResult


class OutputFormat(StrEnum):
    AUTO = "auto"  # the default: terminal for a person, plain for a pipe
    TERMINAL = "terminal"
    PLAIN = "plain"
    JSON = "json"
    MARKDOWN = "markdown"


# The JSON documents' own version: bump it when a key changes meaning or goes.
JSON_SCHEMA_VERSION = 2


class TerminalSettings(NamedTuple):
    """The terminal as `output.py` found it, decided once (and easy to fake in tests)."""

    width: int = 100
    color: bool = False
    unicode: bool = True  # False when stdout cannot encode box drawing or ✓
    interactive: bool = False  # a person reads stdout (a terminal), not a program
    columns_given: bool = False  # COLUMNS is set: plain prose wraps to it


class Renderer(Protocol):
    def drug_list(self, result: DrugList) -> str: ...
    def monograph(self, result: Monograph) -> str: ...
    def search(self, result: SearchResult) -> str: ...
    def comparison(self, result: Comparison) -> str: ...
    def conditions(self, result: ConditionIndex) -> str: ...
    def validation(self, result: ValidationRun) -> str: ...
