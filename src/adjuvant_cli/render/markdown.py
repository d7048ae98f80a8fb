"""Markdown: the same content as the terminal view, for notes and wikis.

Text from the data or the user is escaped so that it reads as written and
cannot open links, tables or HTML in whatever renders the Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from adjuvant_cli.render import (
    condition_groups,
    expansions_line,
    problem_count,
    reason_note,
    resolution_note,
    source_line,
)
from adjuvant_cli.render.sections import (
    Block,
    Caveats,
    Corrections,
    EffectProfile,
    IndicationGroup,
    Indications,
    Mechanism,
    Onset,
    Overview,
    monograph_blocks,
)
from adjuvant_cli.text import printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Condition, Source
    from adjuvant_cli.search import SearchResult

# Only what would change meaning mid-line; "(" or "#" are literal there.
_SPECIAL = r"([\\`*_\[\]<>|~])"


def _md(text: str) -> str:
    return re.sub(_SPECIAL, r"\\\1", printable(text)).replace("\n", " ")


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {_md(item)}" for item in items]


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _footer(source: Source, disclaimer: str) -> list[str]:
    return ["", "---", "", _md(source_line(source)), "", f"> **Disclaimer.** {_md(disclaimer)}", ""]


def _codes(condition: Condition) -> str:
    return ", ".join(condition.icd10) or "—"


class MarkdownRenderer:
    def drug_list(self, result: DrugList) -> str:
        rows = ([_md(d.name), _md(d.drug_class), d.atc, _md(", ".join(d.forms))] for d in result.drugs)
        lines = ["# Drugs", "", *_table(["Drug", "Class", "ATC", "Forms"], rows)]
        return "\n".join(lines + _footer(result.source, result.disclaimer))

    def monograph(self, result: Monograph) -> str:
        lines = [f"# {_md(result.drug.name)}", ""]
        note = resolution_note(result.resolution)
        if note:
            lines += [f"*{_md(note)}*", ""]
        for block in monograph_blocks(result):
            lines += _block(block)
        return "\n".join(lines + _footer(result.source, result.disclaimer)[1:])

    def search(self, result: SearchResult) -> str:
        lines = [f"# Search: {_md(result.query)}", ""]
        if result.expansions:
            lines += [f"*{_md(expansions_line(result.expansions))}*", ""]
        if not result.hits:
            lines.append("No drug is indicated for that.")
            if result.suggestions:
                lines.append(f"Did you mean: {_md(', '.join(result.suggestions))}?")
            lines.append("")
        for hit in result.hits:
            lines += [f"## {_md(hit.drug.name)}", ""]
            for match in hit.indications:
                why = "; ".join(reason_note(r) for r in match.reasons)
                lines.append(f"- {_emphasise(match.indication.text, match.highlights)} — matched: {_md(why)}")
            for found in hit.fields:
                lines.append(f"- ({found.field}) {_emphasise(found.text, found.highlights)}")
            lines.append("")
        return "\n".join(lines + _footer(result.source, result.disclaimer)[1:])

    def comparison(self, result: Comparison) -> str:
        names = [_md(d.name) for d in result.drugs]
        lines = ["# Comparison", "", "## Attributes", ""]
        lines += _table(["", *names], ([a.label, *(_md(v) for v in a.values)] for a in result.attributes))
        lines += ["", "## Effect profile", ""]
        rows = ([_md(r.effect.label), *("✓" if p else "—" for p in r.present)] for r in result.effects)
        lines += _table(["Effect", *names], rows)
        for title, group in condition_groups(result):
            lines += ["", f"## {title}", ""]
            lines += _condition_table(group, names) if group else ["None."]
        caveats = [(d, c) for d in result.drugs for c in d.caveats]
        if caveats:
            lines += ["", "## Caveats", "", *(f"- **{_md(d.name)}:** {_md(c)}" for d, c in caveats)]
        return "\n".join(lines + _footer(result.source, result.disclaimer))

    def conditions(self, result: ConditionIndex) -> str:
        rows = (
            [
                _md(e.condition.label),
                _codes(e.condition),
                _md(", ".join((*e.condition.synonyms, *e.condition.abbreviations)) or "—"),
                _md(", ".join(d.name for d in e.drugs)),
            ]
            for e in result.entries
        )
        lines = ["# Conditions", ""]
        lines += (
            _table(["Condition", "ICD-10", "Also called", "Drugs"], rows)
            if result.entries
            else ["None match."]
        )
        return "\n".join(lines + _footer(result.source, result.disclaimer))

    def validation(self, result: ValidationReport) -> str:
        if result.valid:
            summary = f"{result.drug_count} drugs, {result.condition_count} conditions"
            return f"# Validation\n\n{_md(result.dataset)}: valid ({summary}).\n"
        lines = ["# Validation", "", f"{_md(result.dataset)}: {problem_count(len(result.problems))}", ""]
        return "\n".join([*lines, *_bullets(result.problems), ""])


def _condition_table(rows: tuple[ConditionRow, ...], names: list[str]) -> list[str]:
    return _table(
        ["Condition", "ICD-10", *names],
        (
            [_md(r.condition.label), _codes(r.condition), *("✓" if p else "—" for p in r.present)]
            for r in rows
        ),
    )


def _emphasise(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out += [_md(text[last:start]), f"**{_md(text[start:end])}**"]
        last = end
    out.append(_md(text[last:]))
    return "".join(out)


def _block(block: Block) -> list[str]:
    match block:
        case Overview():
            return [f"- **{label}:** {_md(value)}" for label, value in block.facts()] + [""]
        case Caveats(statements) if statements:
            return ["## Caveats", "", *_bullets(statements), ""]
        case Mechanism(statements, actions):
            drawn = ["## Mechanism", "", *_bullets(statements), ""]
            return drawn + (["### Clinical effects", "", *_bullets(actions), ""] if actions else [])
        case EffectProfile(effects):
            return ["## Effect profile", "", *_bullets(e.label for e in effects), ""]
        case Onset(statements) if statements:
            return ["## Onset", "", *_bullets(statements), ""]
        case Indications(groups):
            return ["## Indications", "", *_indications(groups), ""]
        case Corrections(corrections):
            rows = ([_md(c.original), _md(c.corrected)] for c in corrections)
            return ["## Corrections to the source", "", *_table(["The article says", "Read as"], rows), ""]
    return []  # an empty block: nothing to draw


def _indications(groups: tuple[IndicationGroup, ...]) -> list[str]:
    lines: list[str] = []
    for group in groups:
        lines += [f"### {_md(group.title)}", ""]
        for item in group.items:
            labels = ", ".join(c.label for c in item.conditions)
            suffix = f" ({_md('; '.join(item.extras))})" if item.extras else ""
            lines.append(f"- {_md(item.indication.text)}{suffix} — *{_md(labels)}*")
    return lines
