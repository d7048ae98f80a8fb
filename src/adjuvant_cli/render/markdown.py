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
    TIER_TITLES,
    also_called,
    caveat_marks,
    cell_words,
    codes_titled,
    condition_groups,
    corrections_empty_note,
    meanings_line,
    no_hits_line,
    reason_note,
    resolution_note,
    roles_line,
    scope_line,
    source_line,
    uses_line,
)
from adjuvant_cli.text import printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Condition, Disclaimer, Source, Statement
    from adjuvant_cli.search import Hit, SearchResult

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


def _footer(source: Source, disclaimer: Disclaimer) -> list[str]:
    return ["", "---", "", _md(source_line(source)), "", f"> **Disclaimer.** {_md(disclaimer.text)}", ""]


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
            brands = "; ".join(f"{b.name} ({', '.join(b.forms)})" if b.forms else b.name for b in drug.brands)
            lines += [
                f"- **Class:** {_md(drug.drug_class)}",
                f"- **ATC:** {drug.atc}",
                f"- **Forms:** {_md(', '.join(drug.forms))} (what this monograph describes)",
                f"- **Brand names:** {_md(brands or '—')}",
                f"- **Other names:** {_md(', '.join(drug.other_names) or '—')}",
                "",
            ]
        if drug.caveats:
            lines += ["## Caveats", "", *_bullets(c.text for c in drug.caveats), ""]
        lines += [f"*{_md(scope_line(result.source))}*", ""]
        if Section.MECHANISM in wanted:
            lines += ["## Mechanism", "", *_statements(drug.mechanism, result), ""]
            if drug.actions:
                lines += ["### Clinical effects", "", *_statements(drug.actions, result), ""]
        if Section.EFFECTS in wanted:
            labels = [
                e.label + (" (disputed: see Caveats)" if result.disputing(e.id) else "")
                for e in result.effects
            ]
            lines += ["## Effect profile", "", *_bullets(labels), ""]
        if Section.ONSET in wanted and drug.onset:
            lines += ["## Onset", "", *_statements(drug.onset, result), ""]
        if Section.INDICATIONS in wanted:
            lines += ["## Indications", "", *_indications(result), "## Conditions and WHO ICD-10 codes", ""]
            lines += [*_bullets(f"{c.label}: {_codes_or_reason(c, result)}" for c in result.conditions), ""]
        if Section.CORRECTIONS in wanted:
            lines += ["## Corrections and readings of the source", ""]
            if drug.corrections:
                rows = ([_md(c.original), _md(c.corrected)] for c in drug.corrections)
                lines += [*_table(["The article says", "Corrected to"], rows), ""]
            else:
                lines += [_md(corrections_empty_note()), ""]
            if drug.readings:
                rows = ([_md(r.original), _md(r.reading), _md(r.why)] for r in drug.readings)
                lines += [*_table(["The article says", "Read as", "Why"], rows), ""]
        return "\n".join(lines + _footer(result.source, result.disclaimer)[1:])

    def search(self, result: SearchResult) -> str:
        lines = [f"# Search: {_md(result.query)}", ""]
        meanings = meanings_line(result.meanings)
        if meanings:
            lines += [f"*{_md(meanings)}*", ""]
        if not result.hits:
            lines.append(_md(no_hits_line(result)))
            if result.suggestions:
                lines.append(f"Did you mean: {_md(', '.join(result.suggestions))}?")
            lines.append("")
        lines += _tiers(result.hits) + _tiers(result.related)
        return "\n".join(lines + _footer(result.source, result.disclaimer)[1:])

    def comparison(self, result: Comparison) -> str:
        names = [_md(d.name) for d in result.drugs]
        lines = [
            "# Comparison: " + ", ".join(names),
            "",
            f"*{_md(scope_line(result.source))}*",
            "",
            "## Attributes",
            "",
        ]
        lines += _table(["", *names], ([a.label, *(_md(v) for v in a.values)] for a in result.attributes))
        lines += ["", "## Effect profile (as the source states it)", ""]
        marks = caveat_marks(result)
        rows = (
            [
                _md(r.effect.label),
                *(
                    ("✓" + _md(marks[c.id]) if c else "✓") if p else "not stated"
                    for p, c in zip(r.present, r.caveats, strict=True)
                ),
            ]
            for r in result.effects
        )
        lines += _table(["Effect", *names], rows)
        notes = [
            f"{marks[c.id]} {d.name}: {c.text}" for d in result.drugs for c in d.caveats if c.id in marks
        ]
        if notes:
            lines += ["", *(_md(n) + "  " for n in notes)]
        for title, group in condition_groups(result):
            lines += ["", f"## {title}", ""]
            lines += _condition_table(group, names, result) if group else ["None."]
        caveats = [(d, c) for d in result.drugs for c in d.caveats if c.id not in marks]
        if caveats:
            lines += ["", "## Caveats", "", *(f"- **{_md(d.name)}:** {_md(c.text)}" for d, c in caveats)]
        return "\n".join(lines + _footer(result.source, result.disclaimer))

    def conditions(self, result: ConditionIndex) -> str:
        rows = (
            [
                _md(e.condition.label),
                _md(codes_titled(e.condition, result.code_titles)),
                _md(also_called(e.condition) or "—"),
                _md(uses_line(e) or "—"),
            ]
            for e in result.entries
        )
        lines = ["# Conditions", ""]
        lines += (
            _table(["Condition", "ICD-10", "Also called", "Named by"], rows)
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


def _condition_table(rows: tuple[ConditionRow, ...], names: list[str], result: Comparison) -> list[str]:
    return _table(
        ["Condition", "ICD-10", *names],
        (
            [
                _md(r.condition.label),
                _codes(r.condition),
                *(_md(cell_words(c)) if c else "not named" for c in r.cells),
            ]
            for r in rows
        ),
    )


def _codes_or_reason(condition: Condition, result: Monograph) -> str:
    if condition.icd10:
        return codes_titled(condition, result.code_titles)
    return f"no code: {condition.no_code_reason or '—'}"


def _statements(statements: tuple[Statement, ...], result: Monograph) -> list[str]:
    lines = []
    for statement in statements:
        said = statement.text
        if statement.context:
            said += f" (read with: {statement.context})"
        if statement.mentions:
            named = ", ".join(result.condition(c).label for c in statement.mentions)
            said += f" — mentions: {named} (not an indication)"
        if result.with_sources:
            said += f" [source: {statement.source}]"
        lines.append(f"- {_md(said)}")
    return lines


def _indications(result: Monograph) -> list[str]:
    readings = {r.id: r for r in result.drug.readings}
    lines: list[str] = []
    group = None
    for indication in result.drug.indications:
        if indication.group != group:
            if group is not None:
                lines.append("")
            group = indication.group
            lines += [f"### {_md(group)}", ""]
        extras = [f"route: {indication.route}"] if indication.route else []
        extras += list(indication.qualifiers)
        if indication.contraindication:
            extras.append(indication.contraindication)
        suffix = f" ({_md('; '.join(extras))})" if extras else ""
        lines.append(
            f"- {_md(indication.text)}{suffix} — *{_md(roles_line(indication, result.conditions_by_id))}*"
        )
        for reading_id in indication.readings:
            lines.append(f"  - Read as: {_md(readings[reading_id].reading)}")
        if result.with_sources:
            lines.append(f"  - Source: {_md(indication.source)}")
    return [*lines, ""]


def _tiers(hits: tuple[Hit, ...]) -> list[str]:
    lines: list[str] = []
    tier = drug = None
    for hit in hits:
        if hit.tier != tier:
            tier, drug = hit.tier, None
            lines += [f"## {TIER_TITLES[hit.tier.name.lower()]}", ""]
        if hit.drug.id != drug:
            drug = hit.drug.id
            lines += [f"### {_md(hit.drug.name)}", ""]
        lines.append(f"- {_hit(hit)}")
        if (
            hit is hits[-1]
            or hits[hits.index(hit) + 1].drug.id != drug
            or hits[hits.index(hit) + 1].tier != tier
        ):
            lines.append("")
    return lines


def _hit(hit: Hit) -> str:
    why = "; ".join(reason_note(r) for r in hit.reasons)
    if hit.indication is None:
        said = f"({hit.field}) {_emphasise(hit.text, hit.highlights)}"
        if hit.caveat is not None:
            said += f" — disputed: {_md(hit.caveat.text)}"
        return said + (f" — {_md(why)}" if hit.reasons and hit.reasons[0].via == "mention" else "")
    indication = hit.indication
    extras = [_md(f"route: {indication.route}")] if indication.route else []
    extras += [
        _emphasise(q, spans)
        for q, spans in zip(indication.qualifiers, hit.qualifier_highlights, strict=False)
    ]
    suffix = f" ({'; '.join(extras)})" if extras else ""
    return f"{_emphasise(hit.text, hit.highlights)}{suffix} — matched: {_md(why)}"


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
