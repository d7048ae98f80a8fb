"""Terminal: Rich tables and panels. The only module that imports Rich.

Everything from the data or the user goes in as `Text` on a console with
markup and emoji off, so "[bold]" or ":pill:" is shown as typed. The console
renders into a string with the width and colour `cli.py` decided; nothing here
looks at the environment. Below `_STACK_BELOW` columns, wide tables give way
to stacked lists, so clinical text is folded, never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import StringIO
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from adjuvant_cli.model import Section
from adjuvant_cli.render import TerminalSettings, reason_note, resolution_note, source_line
from adjuvant_cli.text import printable

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Condition, Source
    from adjuvant_cli.search import SearchResult

_STACK_BELOW = 80
_HEADING = "bold cyan"
_MATCH = "bold yellow"
_WARNING = "yellow"
_QUIET = "dim"

# What an ASCII-only terminal shows instead of the typography used here.
_ASCII = str.maketrans(
    {"→": "->", "“": '"', "”": '"', "’": "'", "–": "-", "—": "-", "✓": "yes", "•": "*", "…": "..."}
)


def _text(value: str, style: str = "") -> Text:
    return Text(printable(value), style=style)


class TerminalRenderer:
    def __init__(self, settings: TerminalSettings) -> None:
        self.settings = settings
        self.box = box.ROUNDED if settings.unicode else box.ASCII
        self.tick, self.blank = ("✓", "—") if settings.unicode else ("yes", "-")
        self.stacked = settings.width < _STACK_BELOW

    # -- plumbing -----------------------------------------------------------

    def _print(self, *parts: RenderableType | None) -> str:
        buffer = StringIO()
        console = Console(
            file=buffer,
            width=self.settings.width,
            force_terminal=self.settings.color,
            no_color=not self.settings.color,
            color_system="standard" if self.settings.color else None,
            markup=False,
            emoji=False,
            highlight=False,
            legacy_windows=False,
            _environ={},  # the environment was read once, by cli.py
        )
        for part in parts:
            if part is not None:
                console.print(part)
        out = buffer.getvalue()
        return out if self.settings.unicode else out.translate(_ASCII)

    def _table(self, *headers: str, ratios: Sequence[int] | None = None) -> Table:
        table = Table(box=self.box, show_lines=False, header_style=_HEADING, expand=True)
        for i, header in enumerate(headers):
            table.add_column(header, ratio=ratios[i] if ratios else None, overflow="fold")
        return table

    def _heading(self, title: str) -> Text:
        return Text(f"\n{title}", style=_HEADING)

    def _bullets(self, items: Iterable[str | Text]) -> Table:
        # A grid rather than one Text, so wrapped lines hang under their bullet.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        bullet = " •" if self.settings.unicode else " *"
        for item in items:
            grid.add_row(bullet, item if isinstance(item, Text) else _text(item))
        return grid

    def _footer(self, source: Source, disclaimer: str) -> Group:
        return Group(
            Text(""),
            _text(source_line(source), _QUIET),
            Panel(
                _text(disclaimer), title="Disclaimer", title_align="left", box=self.box, border_style=_QUIET
            ),
        )

    def _mark(self, present: bool) -> Text:
        return Text(self.tick, style="green") if present else Text(self.blank, style=_QUIET)

    # -- list ---------------------------------------------------------------

    def drug_list(self, result: DrugList) -> str:
        if self.stacked:
            blocks = [
                self._fields(d.name, [("Class", d.drug_class), ("ATC", d.atc), ("Forms", ", ".join(d.forms))])
                for d in result.drugs
            ]
            return self._print(*blocks, self._footer(result.source, result.disclaimer))
        table = self._table("Drug", "Class", "ATC", "Forms")
        for drug in result.drugs:
            table.add_row(
                _text(drug.name, "bold"),
                _text(drug.drug_class),
                _text(drug.atc),
                _text(", ".join(drug.forms)),
            )
        return self._print(table, self._footer(result.source, result.disclaimer))

    def _fields(self, title: str, pairs: Sequence[tuple[str, str]]) -> Group:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style=_HEADING, no_wrap=True)
        grid.add_column(overflow="fold")
        for key, value in pairs:
            grid.add_row(Text(key), _text(value))
        return Group(_text(title, "bold"), grid, Text(""))

    # -- show ---------------------------------------------------------------

    def monograph(self, result: Monograph) -> str:
        drug = result.drug
        wanted = set(result.sections)
        parts: list[RenderableType | None] = [Text(printable(drug.name), style="bold")]
        note = resolution_note(result.resolution)
        if note:
            parts.append(_text(note, _QUIET))
        if Section.OVERVIEW in wanted:
            parts.append(
                self._fields(
                    "",
                    [
                        ("Class", drug.drug_class),
                        ("ATC", drug.atc),
                        ("Forms", ", ".join(drug.forms)),
                        ("Brand names", ", ".join(drug.brand_names) or "—"),
                        ("Other names", ", ".join(drug.other_names) or "—"),
                    ],
                )
            )
        if drug.caveats:
            parts.append(
                Panel(
                    self._bullets(drug.caveats),
                    title="Caveats",
                    title_align="left",
                    box=self.box,
                    border_style=_WARNING,
                )
            )
        if Section.MECHANISM in wanted:
            parts += [self._heading("Mechanism"), self._bullets(drug.mechanism)]
            if drug.actions:
                parts += [self._heading("Clinical effects"), self._bullets(drug.actions)]
        if Section.EFFECTS in wanted:
            parts += [self._heading("Effect profile"), _text(", ".join(e.label for e in result.effects))]
        if Section.ONSET in wanted and drug.onset:
            parts += [self._heading("Onset"), self._bullets(drug.onset)]
        if Section.INDICATIONS in wanted:
            parts += [self._heading("Indications"), self._indications(result)]
        if Section.CORRECTIONS in wanted:
            parts += [self._heading("Corrections to the source"), self._corrections(result)]
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _indications(self, result: Monograph) -> RenderableType:
        groups: dict[str, list[tuple[Text, Text]]] = {}
        for indication in result.drug.indications:
            line = _text(indication.text)
            extras = [f"route: {indication.route}"] if indication.route else []
            extras += indication.qualifiers
            if extras:
                line.append(f" ({'; '.join(printable(e) for e in extras)})", style=_WARNING)
            conditions = self._condition_names(result.condition(c) for c in indication.conditions)
            groups.setdefault(indication.group, []).append((line, conditions))
        if self.stacked:
            out = Text()
            for group, rows in groups.items():
                out.append(f"{printable(group)}\n", style="bold")
                for line, conditions in rows:
                    out.append("  ").append(line).append("\n    ").append(conditions).append("\n")
            out.rstrip()
            return out
        table = self._table("Indication", "Conditions (ICD-10)", ratios=[3, 2])
        for group, rows in groups.items():
            table.add_row(_text(group, "bold"), Text(""), end_section=False)
            for line, conditions in rows:
                table.add_row(Text("  ").append(line), conditions)
        return table

    def _condition_names(self, conditions: Iterable[Condition]) -> Text:
        out = Text()
        for i, condition in enumerate(conditions):
            if i:
                out.append("; ")
            out.append(printable(condition.label))
            if condition.icd10:
                out.append(f" {', '.join(condition.icd10)}", style=_QUIET)
        return out

    def _corrections(self, result: Monograph) -> RenderableType:
        if not result.drug.corrections:
            return Text("None: the article's wording was used as written.", style=_QUIET)
        if self.stacked:
            return self._bullets(
                Text(f"“{printable(c.original)}” → {printable(c.corrected)}") for c in result.drug.corrections
            )
        table = self._table("The article says", "Read as")
        for correction in result.drug.corrections:
            table.add_row(_text(correction.original), _text(correction.corrected))
        return table

    # -- search -------------------------------------------------------------

    def search(self, result: SearchResult) -> str:
        parts: list[RenderableType | None] = [
            Text.assemble(("Search: ", _HEADING), _text(result.query, "bold"))
        ]
        if result.expansions:
            expanded = "; ".join(f"{e.term} → {e.condition.label} ({e.kind})" for e in result.expansions)
            parts.append(_text(f"Expanded: {expanded}", _QUIET))
        if not result.hits:
            parts.append(Text("No drug is indicated for that."))
            if result.suggestions:
                parts.append(_text(f"Did you mean: {', '.join(result.suggestions)}?"))
        for rank, hit in enumerate(result.hits, 1):
            parts.append(
                Text.assemble(
                    f"\n{rank}. ",
                    (printable(hit.drug.name), "bold"),
                    (f"  {printable(hit.drug.drug_class)}", _QUIET),
                )
            )
            lines: list[Text] = []
            for match in hit.indications:
                line = self._highlighted(match.indication.text, match.highlights)
                line.append(
                    f"  — {'; '.join(printable(reason_note(r)) for r in match.reasons)}", style=_QUIET
                )
                lines.append(line)
            for found in hit.fields:
                line = Text(f"{found.field}: ", style=_QUIET).append(
                    self._highlighted(found.text, found.highlights)
                )
                lines.append(line)
            parts.append(self._bullets(lines))
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _highlighted(self, text: str, spans: Sequence[tuple[int, int]]) -> Text:
        out = Text(text)
        for start, end in spans:
            out.stylize(_MATCH, start, end)
        # Escape after styling: data strings are validated, so this is a no-op
        # there, and spans keep pointing at the right characters.
        return out if printable(text) == text else _text(text)

    # -- compare ------------------------------------------------------------

    def comparison(self, result: Comparison) -> str:
        names = [printable(d.name) for d in result.drugs]
        parts: list[RenderableType | None] = [Text("Comparison: " + ", ".join(names), style="bold")]
        parts += [_text(n, _QUIET) for r in result.resolutions if (n := resolution_note(r))]
        parts += [self._heading("Attributes"), self._attributes(result, names)]
        effects = self._table("Effect", *names)
        for row in result.effects:
            effects.add_row(_text(row.effect.label), *(self._mark(p) for p in row.present))
        parts += [self._heading("Effect profile"), effects]
        for title, rows in (
            ("Indicated for all compared drugs", result.shared),
            ("Indicated for some", result.partly_shared),
            ("Indicated for one only", result.unique),
        ):
            parts += [self._heading(title), self._conditions_matrix(rows, names)]
        caveats = [(d.name, c) for d in result.drugs for c in d.caveats]
        if caveats:
            body = self._bullets(
                Text.assemble((printable(n), "bold"), ": ", printable(c)) for n, c in caveats
            )
            parts.append(
                Panel(body, title="Caveats", title_align="left", box=self.box, border_style=_WARNING)
            )
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _attributes(self, result: Comparison, names: list[str]) -> RenderableType:
        if self.stacked or len(names) > 3:
            # Long sentences side by side in 4+ narrow columns read badly: stack them.
            return Group(
                *(
                    self._fields(name, [(a.label, a.values[i]) for a in result.attributes])
                    for i, name in enumerate(names)
                )
            )
        table = self._table("", *names)
        for row in result.attributes:
            table.add_row(_text(row.label, _HEADING), *(_text(v) for v in row.values))
        return table

    def _conditions_matrix(self, rows: tuple[ConditionRow, ...], names: list[str]) -> RenderableType:
        if not rows:
            return Text("None.", style=_QUIET)
        table = self._table("Condition", "ICD-10", *names)
        for row in rows:
            codes = ", ".join(row.condition.icd10) or self.blank
            table.add_row(
                _text(row.condition.label), _text(codes, _QUIET), *(self._mark(p) for p in row.present)
            )
        return table

    # -- conditions ---------------------------------------------------------

    def conditions(self, result: ConditionIndex) -> str:
        if not result.entries:
            body: RenderableType = Text("No condition matches that filter.")
        elif self.stacked:
            body = Group(
                *(
                    self._fields(
                        e.condition.label,
                        [
                            ("ICD-10", ", ".join(e.condition.icd10) or "—"),
                            ("Also", ", ".join((*e.condition.synonyms, *e.condition.abbreviations)) or "—"),
                            ("Drugs", ", ".join(d.name for d in e.drugs)),
                        ],
                    )
                    for e in result.entries
                )
            )
        else:
            table = self._table("Condition", "ICD-10", "Also called", "Drugs", ratios=[3, 2, 4, 3])
            for entry in result.entries:
                c = entry.condition
                table.add_row(
                    _text(c.label, "bold"),
                    _text(", ".join(c.icd10) or "—"),
                    _text(", ".join((*c.synonyms, *c.abbreviations)) or "—"),
                    _text(", ".join(d.name for d in entry.drugs)),
                )
            body = table
        return self._print(body, self._footer(result.source, result.disclaimer))

    # -- validate -----------------------------------------------------------

    def validation(self, result: ValidationReport) -> str:
        if result.valid:
            summary = f"{result.drug_count} drugs, {result.condition_count} conditions"
            return self._print(Text.assemble((printable(result.dataset), "bold"), f": valid ({summary})"))
        heading = Text.assemble(
            (printable(result.dataset), "bold"), f": {_problems(len(result.problems))}", style="red"
        )
        return self._print(heading, self._bullets(result.problems))


def _problems(count: int) -> str:
    return f"{count} problem" if count == 1 else f"{count} problems"
