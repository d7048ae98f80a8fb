"""Renderers: one module per output format behind one interface.

Each renderer turns a result object into the complete text to write, and
decides nothing: what to show was settled by the query logic, and where the
text goes (stdout, a pager) is up to `output.py`. A monograph's sections are
walked once, in `sections.py`; each renderer only draws the blocks. Format
modules are imported on demand so that a JSON run never imports Rich.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple, Protocol

from adjuvant_cli.text import printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Source
    from adjuvant_cli.names import Resolution
    from adjuvant_cli.search import Expansion, Reason, SearchResult


class OutputFormat(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"


# The JSON documents' own version: bump it when a key changes meaning or goes.
JSON_SCHEMA_VERSION = 1


class TerminalSettings(NamedTuple):
    """The terminal as `output.py` found it, decided once (and easy to fake in tests)."""

    width: int = 100
    color: bool = False
    unicode: bool = True  # False when stdout cannot encode box drawing or ✓
    interactive: bool = False  # a person reads stdout (a terminal), not a program


class Renderer(Protocol):
    def drug_list(self, result: DrugList) -> str: ...
    def monograph(self, result: Monograph) -> str: ...
    def search(self, result: SearchResult) -> str: ...
    def comparison(self, result: Comparison) -> str: ...
    def conditions(self, result: ConditionIndex) -> str: ...
    def validation(self, result: ValidationReport) -> str: ...


# Wording shared by the human formats, so terminal and Markdown say the same.


def resolution_note(resolution: Resolution) -> str | None:
    """ "Sirdalud → Tizanidine (brand name)" when the name typed was not the drug's own."""
    if resolution.match in ("id", "name"):
        return None
    return f"{printable(resolution.query.strip(), 60)} → {resolution.drug.name} ({resolution.match})"


def reason_note(reason: Reason) -> str:
    """ "ms → Multiple sclerosis (abbreviation)", "Stroke (exact)" or "spastic (stem)"."""
    if reason.condition is None:
        return f"{reason.term} ({reason.kind})"
    if reason.kind == "exact":
        return f"{reason.condition.label} (exact)"
    return f"{reason.term} → {reason.condition.label} ({reason.kind})"


def expansions_line(expansions: tuple[Expansion, ...]) -> str:
    """ "Expanded: ms → Multiple sclerosis (abbreviation); …"."""
    return "Expanded: " + "; ".join(f"{e.term} → {e.condition.label} ({e.kind})" for e in expansions)


def condition_groups(result: Comparison) -> tuple[tuple[str, tuple[ConditionRow, ...]], ...]:
    """The comparison's indication groups, titled, in reading order."""
    return (
        ("Indicated for all compared drugs", result.shared),
        ("Indicated for some", result.partly_shared),
        ("Indicated for one only", result.unique),
    )


def source_line(source: Source) -> str:
    return f"Source: “{source.title}”, {source.publisher}; last reviewed {source.last_reviewed.isoformat()}."


def problem_count(count: int) -> str:
    """ "1 problem", "3 problems"."""
    return f"{count} problem" if count == 1 else f"{count} problems"
