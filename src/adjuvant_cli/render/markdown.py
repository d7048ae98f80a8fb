"""Markdown: the same content as the terminal view, for notes and wikis.

Text from the data or the user is escaped so that it reads as written and
cannot open links, tables or HTML in whatever renders the Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from adjuvant_cli.model import Section
from adjuvant_cli.render import (
    condition_groups,
    expansions_line,
    reason_note,
    resolution_note,
    source_line,
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
        drug = result.drug
        lines = [f"# {_md(drug.name)}", ""]
        note = resolution_note(result.resolution)
        if note:
            lines += [f"*{_md(note)}*", ""]
        wanted = set(result.sections)
        if Section.OVERVIEW in wanted:
            lines += [
                f"- **Class:** {_md(drug.drug_class)}",
                f"- **ATC:** {drug.atc}",
                f"- **Forms:** {_md(', '.join(drug.forms))}",
                f"- **Brand names:** {_md(', '.join(drug.brand_names) or '—')}",
                f"- **Other names:** {_md(', '.join(drug.other_names) or '—')}",
                "",
            ]
        if drug.caveats:
            lines += ["## Caveats", "", *_bullets(drug.caveats), ""]
        if Section.MECHANISM in wanted:
            lines += ["## Mechanism", "", *_bullets(drug.mechanism), ""]
            if drug.actions:
                lines += ["### Clinical effects", "", *_bullets(drug.actions), ""]
        if Section.EFFECTS in wanted:
            lines += ["## Effect profile", "", *_bullets(e.label for e in result.effects), ""]
        if Section.ONSET in wanted and drug.onset:
            lines += ["## Onset", "", *_bullets(drug.onset), ""]
        if Section.INDICATIONS in wanted:
            lines += ["## Indications", ""]
            group = None
            for indication in drug.indications:
                if indication.group != group:
                    group = indication.group
                    lines += [f"### {_md(group)}", ""]
                extras = [f"route: {indication.route}"] if indication.route else []
                extras += list(indication.qualifiers)
                labels = ", ".join(result.condition(c).label for c in indication.conditions)
                suffix = f" ({_md('; '.join(extras))})" if extras else ""
                lines.append(f"- {_md(indication.text)}{suffix} — *{_md(labels)}*")
            lines.append("")
        if Section.CORRECTIONS in wanted:
            lines += ["## Corrections to the source", ""]
            rows = ([_md(c.original), _md(c.corrected)] for c in drug.corrections)
            lines += [*_table(["The article says", "Read as"], rows), ""]
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
        lines = ["# Validation", "", f"{_md(result.dataset)}: {_problems(len(result.problems))}", ""]
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


def _problems(count: int) -> str:
    return f"{count} problem" if count == 1 else f"{count} problems"
