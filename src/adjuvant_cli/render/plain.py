"""Plain text for pipes: the default format when stdout is not a terminal.

Text that line tools can use, without Rich: no box drawing, no padding, no
trailing spaces, no escape codes. Tables (`list`, `conditions`, compare's
matrices) are one tab-separated record per line under a header line, so that
`adjuvant list | cut -f1` and `adjuvant conditions | grep -i lumb` return
whole records. Prose is one line per paragraph unless COLUMNS is set (then
wrapped to it). The disclaimer and the source end stdout, as lines starting
with `# `, so that `grep -v '^#'` leaves the records alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from adjuvant_cli.render import sections, wording
from adjuvant_cli.text import printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison
    from adjuvant_cli.dataset.validating import ValidationRun
    from adjuvant_cli.diff import DatasetDiff
    from adjuvant_cli.model import Disclaimer, Source, Statement
    from adjuvant_cli.search import Hit, SearchResult


def _field(text: str) -> str:
    """One field of a record: a tab or a line break inside it would split it."""
    return " ".join(printable(text).split())


def _records(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    # The header is a `# ` comment, as the footer is: `grep -v '^#'` leaves only records.
    return ["# " + "\t".join(header), *("\t".join(_field(cell) for cell in row) for row in rows)]


class PlainRenderer:
    def __init__(self, width: int | None = None) -> None:
        self.width = width  # None: prose unwrapped, one line per paragraph

    # -- plumbing -----------------------------------------------------------

    def _prose(self, text: str, first: str = "", rest: str = "") -> list[str]:
        flat = " ".join(printable(text).split())
        if self.width is None:
            return [first + flat]
        lines = textwrap.wrap(flat, self.width, initial_indent=first, subsequent_indent=rest)
        return lines or [first.rstrip()]

    def _bullets(self, items: Iterable[str]) -> list[str]:
        return [line for item in items for line in self._prose(item, "- ", "  ")]

    def _done(
        self, lines: list[str], source: Source, disclaimer: Disclaimer, gap: bool = True, scope: bool = False
    ) -> str:
        """`gap`: a blank line before the footer (prose); a table's records run
        straight into it, so that `grep -v '^#'` leaves records only. `scope`:
        an answer says the full scope after it, beside the disclaimer and source."""
        footer = [f"# {_field(disclaimer.compact)}", f"# {_field(wording.footer_source_line(source))}"]
        if scope:
            footer.insert(0, f"# {_field(wording.scope_line(source))}")
        body = [line.rstrip(" ") for line in lines]  # a trailing tab is an empty field
        while body and not body[-1]:
            body.pop()
        return "\n".join([*body, *([""] if gap else []), *footer]) + "\n"

    # -- list, conditions ---------------------------------------------------

    def drug_list(self, result: DrugList) -> str:
        rows = (
            [d.name, d.drug_class, d.atc, ", ".join(d.forms), sections.Identity(d).brands_said()]
            for d in result.drugs
        )
        lines = _records(["name", "class", "atc", "forms", "brands"], rows)
        return self._done(lines, result.source, result.disclaimer, gap=False)

    def conditions(self, result: ConditionIndex) -> str:
        rows = (
            [
                e.condition.label,
                wording.codes_only(e.condition),
                wording.code_titles_only(e.condition, result.code_titles),
                wording.also_called(e.condition),
                wording.uses_line(e),
            ]
            for e in result.entries
        )
        header = ["condition", "icd10", "icd10_titles", "also_called", "named_by"]
        if not result.entries:
            return self._done(["No condition matches that filter."], result.source, result.disclaimer)
        return self._done(_records(header, rows), result.source, result.disclaimer, gap=False)

    # -- show ---------------------------------------------------------------

    def monograph(self, result: Monograph) -> str:
        lines = [printable(result.drug.name)]
        note = wording.resolution_note(result.resolution)
        if note:
            lines += self._prose(note)
        for block in sections.monograph_blocks(result, scope_after=True):
            lines += self._block(block, result)
        return self._done(lines, result.source, result.disclaimer, scope=True)

    def _block(self, block: sections.Block, result: Monograph) -> list[str]:  # noqa: PLR0912 (a case per block)
        match block:
            case sections.Overview():
                return [
                    line for label, value in block.facts() for line in self._prose(value, f"{label}: ", "  ")
                ]
            case sections.Caveats(caveats) if caveats:
                return ["", "Caveats", *self._bullets(c.text for c in caveats)]
            case sections.Scope(source):
                return self._prose(wording.scope_line(source))
            case sections.Indications(groups):
                lines = ["", "Indications"]
                for group in groups:
                    lines.append(printable(group.title))
                    if group.shared():
                        lines += self._prose("All: " + "; ".join(group.shared()))
                    for item in group.items:
                        lines += self._prose(item.indication.text, "- ", "  ")
                        limits = [*group.own_extras(item)]
                        if item.indication.contraindication:
                            limits.append(item.indication.contraindication)
                        if limits:
                            lines += self._prose("; ".join(limits), "  ", "  ")
                        roles = " · ".join(f"{t}: {', '.join(labels)}" for t, labels in item.roles())
                        lines += self._prose(roles, "  ", "  ")
                        lines += [
                            p for r in item.readings for p in self._prose(f"Read as: {r.reading}", "  ", "  ")
                        ]
                        if result.with_sources:
                            cited = wording.cited(item.indication.source, item.indication.quote)
                            lines.append(f"  source: {cited}")
                return lines
            case sections.ConditionCodes(conditions, titles, mentioned):
                said = (wording.condition_code_line(c, titles, mentioned) for c in conditions)
                return ["", "Conditions and WHO ICD-10 codes", *self._bullets(said)]
            case sections.Onset(statements):
                return [
                    "",
                    "Onset",
                    *(self._statements(statements, result) if statements else [wording.NOT_STATED]),
                ]
            case sections.EffectProfile(effects, disputed):
                labels = ", ".join(e.label + ("*" if e.id in disputed else "") for e in effects)
                lines = ["", "Effect profile", *(self._prose(labels) if effects else [wording.NOT_STATED])]
                return lines + (["* disputed: see Caveats above"] if disputed else [])
            case sections.ClinicalEffects(actions):
                return ["", "Clinical effects", *self._statements(actions, result)] if actions else []
            case sections.Mechanism(statements):
                return ["", "Mechanism", *self._statements(statements, result)]
            case sections.Corrections(corrections, readings):
                items = [f"Corrected: “{c.original}” → {c.corrected}" for c in corrections]
                if not corrections:
                    items.append(wording.corrections_empty_note())
                items += [f"Read: “{r.original}” as: {r.reading} Why: {r.why}" for r in readings]
                return ["", "Corrections and readings of the source", *self._bullets(items)]
            case sections.FullDisclaimer(disclaimer, source):
                return [
                    "",
                    "Disclaimer",
                    *self._prose(disclaimer.text),
                    *self._prose(wording.source_line(source)),
                ]
        return []

    def _statements(self, statements: Sequence[Statement], result: Monograph) -> list[str]:
        items = []
        for statement in statements:
            said = statement.text
            if statement.context:
                said += f" (read with: {statement.context})"
            if statement.mentions:
                said += f" Mentions: {', '.join(result.condition(c).label for c in statement.mentions)}"
                said += " (mentioned, not an indication)"
            if result.with_sources:
                said += f" [source: {wording.cited(statement.source, statement.quote)}]"
            items.append(said)
        return self._bullets(items)

    # -- search -------------------------------------------------------------

    def search(self, result: SearchResult) -> str:
        lines = [f"Search: {printable(result.query)}"]
        meanings = wording.reading_line(result)
        if meanings:
            lines += self._prose(meanings)
        if pregnancy := wording.pregnancy_line(result):
            lines += self._prose(pregnancy)
        if not result.hits:
            lines += self._prose(wording.no_hits_line(result))
            if result.suggestions:
                lines += self._prose(f"Did you mean: {', '.join(result.suggestions)}?")
        lines += self._tiers(result.hits, result) + self._tiers(result.related, result)
        return self._done(lines, result.source, result.disclaimer, scope=True)

    def _tiers(self, hits: Sequence[Hit], result: SearchResult) -> list[str]:
        lines: list[str] = []
        for tier, runs in wording.tier_runs(hits):
            lines += ["", wording.tier_title(tier.name.lower(), result)]
            for drug, drug_hits in runs:
                lines += self._prose(f"{drug.name}  {drug.drug_class}{wording.caveat_pointer(drug)}")
                for hit in drug_hits:
                    lines += self._hit(hit)
        return lines

    def _hit(self, hit: Hit) -> list[str]:
        why = "; ".join(wording.reason_note(r) for r in hit.reasons)
        if hit.indication is None:
            lines = self._prose(f"{hit.field}: {hit.text}", "- ", "  ")
            if hit.context:
                lines += self._prose(f"Read with: {hit.context}", "  ", "  ")
            if hit.caveat is not None:
                lines += self._prose(f"disputed: {hit.caveat.text}", "  ", "  ")
            return lines + (self._prose(why, "  ", "  ") if why else [])
        indication = hit.indication
        lines = self._prose(indication.text, "- ", "  ")
        limits = [f"route: {indication.route}"] if indication.route else []
        limits += [*indication.qualifiers, *([indication.note] if indication.note else [])]
        if limits:
            lines += self._prose("; ".join(limits), "  ", "  ")
        if indication.contraindication:
            lines += self._prose(indication.contraindication, "  ", "  ")
        return lines + self._prose(why, "  ", "  ")

    # -- compare ------------------------------------------------------------

    def comparison(self, result: Comparison) -> str:
        names = [d.name for d in result.drugs]
        lines = [f"Comparison: {', '.join(names)}"]
        lines += [p for r in result.resolutions if (n := wording.resolution_note(r)) for p in self._prose(n)]
        lines += ["", *_records(["attribute", *names], ([a.label, *a.values] for a in result.attributes))]
        marks = wording.caveat_marks(result)
        effects = (
            [
                r.effect.label,
                *(
                    ("yes" + (marks[c.id] if c else "")) if p else "not stated"
                    for p, c in zip(r.present, r.caveats, strict=True)
                ),
            ]
            for r in result.effects
        )
        lines += ["", *_records(["effect", *names], effects)]
        lines += [
            p
            for d in result.drugs
            for c in d.caveats
            if c.id in marks
            for p in self._prose(f"{marks[c.id]} {d.name}: {c.text}")
        ]
        for title, rows in wording.condition_groups(result):
            records = (
                [
                    title,
                    r.condition.label,
                    ", ".join(r.condition.icd10),
                    *(wording.cell_words(c) if c else "not named" for c in r.cells),
                ]
                for r in rows
            )
            lines += ["", *_records(["group", "condition", "icd10", *names], records)]
        caveats = [f"{d.name}: {c.text}" for d in result.drugs for c in d.caveats if c.id not in marks]
        if caveats:
            lines += ["", "Caveats", *self._bullets(caveats)]
        return self._done(lines, result.source, result.disclaimer, scope=True)

    # -- validate -----------------------------------------------------------

    def validation(self, result: ValidationRun) -> str:
        # `path:line:col: message`, one line each, as editors and CI read it.
        lines = [line for line, _ in wording.validation_lines(result)]
        return "\n".join(line.rstrip() for line in lines) + "\n"  # no medical content: no footer

    def dataset_diff(self, result: DatasetDiff) -> str:
        # One change per record, under a header: `| cut -f1 | sort | uniq -c` counts them by kind.
        rows = (
            [c.kind, wording.diff_where(c), c.field or "", *map(wording.diff_value, (c.old, c.new))]
            for c in result.changes
        )
        return "\n".join(_records(["change", "where", "field", "old", "new"], rows)) + "\n"
