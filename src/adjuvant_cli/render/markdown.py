"""Markdown: the same content as the terminal view, for notes and wikis.

Text from the data or the user is escaped so that it reads as written and
cannot open links, tables or HTML in whatever renders the Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from adjuvant_cli.render import sections, wording
from adjuvant_cli.text import one_line, printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset.validating import ValidationRun
    from adjuvant_cli.diff import DatasetDiff
    from adjuvant_cli.model import Condition, Disclaimer, Source, Statement
    from adjuvant_cli.search import Hit, SearchResult

# What would change meaning mid-line: emphasis, code, links, HTML, tables,
# strikethrough, and `&`, which would turn "&lt;b&gt;" into "<b>".
_SPECIAL = r"([\\`*_\[\]<>|~&])"
# What would change meaning at the start of a line (or of a list item's text):
# a heading, a list, a quote, a setext underline ("# x", "1986. x", "- x", "> x").
_LINE_START = re.compile(r"^(\s*)(#|[-+=>]|\d+(?=[.)]))")
# What a linkifier (GitHub, markdown-it's linkify) would turn into a link: a
# scheme, "www.", a domain name, an e-mail address. Escaping their "." ":" "@"
# keeps them text wherever the Markdown is rendered.
_LINKISH = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]*:\S+|\bwww\.\S+|\S+@\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"
)


def _md(text: str) -> str:
    """`text` as Markdown that reads as written: never a heading, a list, a
    link, markup or an entity, wherever the fragment stands in a line."""
    escaped = re.sub(_SPECIAL, r"\\\1", printable(text)).replace("\n", " ")
    escaped = _LINKISH.sub(lambda m: re.sub(r"([.:@])", r"\\\1", m.group()), escaped)
    return _LINE_START.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    # "1986." -> "1986\.": the number stays; "#" -> "\#".
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {_md(item)}" for item in items]


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _footer(source: Source, disclaimer: Disclaimer, *, scope: bool = False) -> list[str]:
    """After the answer: the scope where something clinical was answered (a
    list of names answers nothing), the source and the full disclaimer."""
    return [
        "",
        "---",
        "",
        *([f"*{_md(wording.scope_line(source))}*", ""] if scope else []),
        _md(wording.source_line(source)),
        "",
        f"> **Disclaimer.** {_md(disclaimer.text)}",
        "",
    ]


def _codes(condition: Condition) -> str:
    return ", ".join(condition.icd10) or "—"


class MarkdownRenderer:
    def drug_list(self, result: DrugList) -> str:
        rows = (
            [
                _md(d.name),
                _md(d.drug_class),
                d.atc,
                _md(", ".join(d.forms)),
                _md(sections.Identity(d).brands_said()),
            ]
            for d in result.drugs
        )
        lines = ["# Drugs", "", *_table(["Drug", "Class", "ATC", "Forms", "Brands"], rows)]
        return "\n".join(lines + _footer(result.source, result.disclaimer))

    def monograph(self, result: Monograph) -> str:
        lines = [f"# {_md(result.drug.name)}", ""]
        note = wording.resolution_note(result.resolution)
        if note:
            lines += [_md(note), ""]
        for block in sections.monograph_blocks(result, scope_after=True):
            lines += _block(block, result)
        from adjuvant_cli.model import Section  # loaded with the dataset already

        if Section.DISCLAIMER in result.sections:  # scope and disclaimer said in full above: not twice
            return "\n".join(lines)
        return "\n".join(lines + _footer(result.source, result.disclaimer, scope=True)[1:])

    def search(self, result: SearchResult) -> str:
        lines = [f"# Search: {_md(one_line(result.query))}", ""]
        meanings = wording.reading_line(result)
        if meanings:
            lines += [_md(meanings), ""]
        if pregnancy := wording.pregnancy_line(result):
            lines += [_md(pregnancy), ""]
        if not result.hits:
            lines.append(_md(wording.no_hits_line(result)))
            if result.suggestions:
                lines.append(f"Did you mean: {_md(', '.join(result.suggestions))}?")
            lines.append("")
        lines += _tiers(result.hits, result) + _tiers(result.related, result)
        return "\n".join(lines + _footer(result.source, result.disclaimer, scope=True)[1:])

    def comparison(self, result: Comparison) -> str:
        names = [_md(d.name) for d in result.drugs]
        lines = [
            "# Comparison: " + ", ".join(names),
            "",
            "## Attributes",
            "",
        ]
        lines += _table(["", *names], ([a.label, *(_md(v) for v in a.values)] for a in result.attributes))
        lines += ["", "## Effect profile (as the source states it)", ""]
        marks = wording.caveat_marks(result)
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
        for title, group in wording.condition_groups(result):
            lines += ["", f"## {title}", ""]
            lines += _condition_table(group, names, result) if group else ["None."]
        caveats = [(d, c) for d in result.drugs for c in d.caveats if c.id not in marks]
        if caveats:
            lines += ["", "## Caveats", "", *(f"- **{_md(d.name)}:** {_md(c.text)}" for d, c in caveats)]
        return "\n".join(lines + _footer(result.source, result.disclaimer, scope=True))

    def conditions(self, result: ConditionIndex) -> str:
        rows = (
            [
                _md(e.condition.label),
                _md(wording.codes_titled(e.condition, result.code_titles)),
                _md(wording.also_called(e.condition) or "—"),
                _md(wording.uses_line(e) or "—"),
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

    def validation(self, result: ValidationRun) -> str:
        lines = ["# Validation"]
        for line, kind in wording.validation_lines(result):
            if kind in ("valid", "invalid"):
                lines += [*([""] if lines[-1] else []), _md(line), ""]
            else:
                lines += _bullets([line])
        return "\n".join([*lines, ""] if lines[-1] else lines)

    def dataset_diff(self, result: DatasetDiff) -> str:
        # A change note: a heading per drug, condition or part, a bullet per change.
        lines = ["# Changes", "", _md(wording.diff_heading(result)), ""]
        for group, changes in wording.diff_groups(result):
            lines += [f"## {_md(group[:1].upper() + group[1:])}", ""]
            lines += _bullets(line for _, line in changes)  # "+" or "-" would start a nested list
            lines.append("")
        return "\n".join(lines)


def _condition_table(rows: tuple[ConditionRow, ...], names: list[str], result: Comparison) -> list[str]:
    return _table(
        ["Condition", "ICD-10", *names],
        (
            [
                _md(r.condition.label),
                _codes(r.condition),
                *(_md(wording.cell_words(c)) if c else "not named" for c in r.cells),
            ]
            for r in rows
        ),
    )


def _block(block: sections.Block, result: Monograph) -> list[str]:  # noqa: PLR0912 (one case per block)
    match block:
        case sections.Overview():
            return [*(f"- **{label}:** {_md(value)}" for label, value in block.facts()), ""]
        case sections.Caveats(caveats) if caveats:
            return ["## Caveats", "", *_bullets(c.text for c in caveats), ""]
        case sections.Scope(source):
            return [f"*{_md(wording.scope_line(source))}*", ""]
        case sections.ClinicalEffects(actions):
            return ["## Clinical effects", "", *_statements(actions, result), ""] if actions else []
        case sections.Mechanism(statements):
            return ["## Mechanism", "", *_statements(statements, result), ""]
        case sections.EffectProfile(effects, disputed) if not effects:
            return ["## Effect profile", "", wording.NOT_STATED, ""]
        case sections.EffectProfile(effects, disputed):
            labels = (e.label + (" (disputed: see Caveats)" if e.id in disputed else "") for e in effects)
            return ["## Effect profile", "", *_bullets(labels), ""]
        case sections.Onset(statements) if statements:
            return ["## Onset", "", *_statements(statements, result), ""]
        case sections.Onset():
            return ["## Onset", "", wording.NOT_STATED, ""]
        case sections.FullDisclaimer(disclaimer, source):
            scope = f"*{_md(wording.scope_line(source))}*"
            return [
                "## Disclaimer",
                "",
                _md(disclaimer.text),
                "",
                scope,
                "",
                _md(wording.source_line(source)),
                "",
            ]
        case sections.Indications(groups):
            return ["## Indications", "", *_indications(groups, result.with_sources)]
        case sections.ConditionCodes(conditions, titles, mentioned):
            said = (wording.condition_code_line(c, titles, mentioned) for c in conditions)
            return ["## Conditions and WHO ICD-10 codes", "", *_bullets(said), ""]
        case sections.Corrections(corrections, readings):
            lines = ["## Corrections and readings of the source", ""]
            if corrections:
                rows = ([_md(c.original), _md(c.corrected)] for c in corrections)
                lines += [*_table(["The article says", "Corrected to"], rows), ""]
            else:
                lines += [_md(wording.corrections_empty_note()), ""]
            if readings:
                rows = ([_md(r.original), _md(r.reading), _md(r.why)] for r in readings)
                lines += [*_table(["The article says", "Read as", "Why"], rows), ""]
            return lines
    return []  # an empty block: nothing to draw


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
            said += f" [source: {wording.cited(statement.source, statement.quote)}]"
        lines.append(f"- {_md(said)}")
    return lines


def _indications(groups: tuple[sections.IndicationGroup, ...], with_sources: bool) -> list[str]:
    lines: list[str] = []
    for group in groups:
        lines += [f"### {_md(group.title)}", ""]
        if group.shared():
            lines += [f"All: {_md('; '.join(group.shared()))}", ""]
        for item in group.items:
            indication = item.indication
            extras = list(group.own_extras(item))
            if indication.contraindication:
                extras.append(indication.contraindication)
            suffix = f" ({_md('; '.join(extras))})" if extras else ""
            roles = " · ".join(f"{title}: {', '.join(labels)}" for title, labels in item.roles())
            lines.append(f"- {_md(indication.text)}{suffix} — *{_md(roles)}*")
            lines += [f"  - Read as: {_md(r.reading)}" for r in item.readings]
            if with_sources:
                lines.append(f"  - Source: {_md(wording.cited(indication.source, indication.quote))}")
        lines.append("")
    return lines


def _tiers(hits: tuple[Hit, ...], result: SearchResult) -> list[str]:
    lines: list[str] = []
    for tier, runs in wording.tier_runs(hits):
        lines += [f"## {wording.tier_title(tier.name.lower(), result)}", ""]
        for drug, drug_hits in runs:
            heading = f"### {_md(drug.name)}{_md(wording.caveat_pointer(drug))}"
            lines += [heading, "", *(f"- {_hit(hit)}" for hit in drug_hits), ""]
    return lines


def _hit(hit: Hit) -> str:
    why = "; ".join(wording.reason_note(r) for r in hit.reasons)
    if hit.indication is None:
        said = f"({hit.field}) {_emphasise(hit.text, hit.highlights)}"
        if hit.context:
            said += f" (read with: {_md(hit.context)})"
        if hit.caveat is not None:
            said += f" — disputed: {_md(hit.caveat.text)}"
        return said + (f" — {_md(why)}" if hit.reasons and hit.reasons[0].via == "mention" else "")
    indication = hit.indication
    extras = [_md(f"route: {indication.route}")] if indication.route else []
    extras += [
        _emphasise(q, spans)
        for q, spans in zip(indication.qualifiers, wording.qualifier_spans(hit), strict=True)
    ]
    extras += [_md(indication.note)] if indication.note else []
    if indication.contraindication:
        extras.append(_md(indication.contraindication))
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
