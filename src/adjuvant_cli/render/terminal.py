"""Terminal: Rich text, panels and tables. The only module that imports Rich.

Everything from the data or the user goes in as `Text` on a console with
markup and emoji off, so "[bold]" or ":pill:" is shown as typed. The console
renders into a string with the width and colour `output.py` decided; nothing here
looks at the environment.

Prose (monographs, lists of statements) is wrapped here with `textwrap`, with
hanging indents, rather than laid out by Rich tables: it reads better and a
monograph renders in a fraction of the time. Rich tables are kept for real
grids (the drug list, comparison matrices, the condition index) and imported
only there. Below `_STACK_BELOW` columns, wide tables give way to stacked
text, so clinical text is folded, never cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from io import StringIO
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from adjuvant_cli.render import (
    TerminalSettings,
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
    from rich.table import Table

    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Condition, Correction, Source
    from adjuvant_cli.search import SearchResult

_STACK_BELOW = 80
_HEADING = "bold cyan"
_MATCH = "bold yellow"
_WARNING = "yellow"
_QUIET = "dim"
_BULLET_INDENT = "   "

# What an ASCII-only terminal shows instead of the typography used here.
_ASCII = str.maketrans(
    {"→": "->", "“": '"', "”": '"', "’": "'", "–": "-", "—": "-", "✓": "yes", "•": "*", "…": "..."}
)


def _text(value: str, style: str = "") -> Text:
    return Text(printable(value), style=style)


def _prewrapped(text: str = "", style: str = "") -> Text:
    # Wrapped to the width already: spare Rich wrapping it again, but let it
    # fold (never crop) should a line still be too long.
    return Text(text, style=style, no_wrap=True, overflow="fold")


def _join_lines(blocks: Iterable[Text]) -> Text:
    return _prewrapped("\n").join(blocks)


def _join_blocks(blocks: Iterable[Text]) -> Text:
    return _prewrapped("\n\n").join(blocks)  # one blank line between blocks


# Nothing drawn here depends on the height (no live display), but with both
# sizes given Rich reads neither from the environment (TERM=dumb would force
# 80 columns): the environment was read once, by output.py.
_HEIGHT = 25


class TerminalRenderer:
    def __init__(self, settings: TerminalSettings) -> None:
        self.settings = settings
        self.box = box.ROUNDED if settings.unicode else box.ASCII
        self.tick, self.blank = ("✓", "—") if settings.unicode else ("yes", "-")
        self.bullet = " • " if settings.unicode else " * "
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
            height=_HEIGHT,
        )
        console.print(Group(*(part for part in parts if part is not None)))  # one pass, one flush
        out = buffer.getvalue()
        return out if self.settings.unicode else out.translate(_ASCII)

    def _table(self, *headers: str, expand: bool = True) -> Table:
        from rich.table import Table  # only grids need it; a monograph does not

        # expand: matrices fill the width evenly; lists (expand=False) size
        # each column to its content, so long text gets the room.
        table = Table(box=self.box, show_lines=False, header_style=_HEADING, expand=expand)
        for header in headers:
            table.add_column(header, overflow="fold")
        return table

    def _wrap(
        self, text: str, first: str = "", rest: str = "", style: str = "", width: int | None = None
    ) -> Text:
        """`text` wrapped to the terminal with a hanging indent, as one styled Text."""
        lines = textwrap.wrap(
            printable(text),
            width=width or self.settings.width,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
        )
        return _prewrapped("\n".join(lines) or first.rstrip(), style)

    def _heading(self, title: str) -> Text:
        return Text(f"\n{title}", style=_HEADING)

    def _bullets(self, items: Iterable[str], style: str = "", width: int | None = None) -> Text:
        lines = [self._wrap(item, self.bullet, _BULLET_INDENT, style, width) for item in items]
        return _join_lines(lines)

    def _fields(self, title: str, pairs: Sequence[tuple[str, str]]) -> Text:
        """A title, then "key  value" lines whose values wrap under themselves."""
        width = max(len(key) for key, _ in pairs) + 1
        lines = [_text(title, "bold")] if title else []
        for key, value in pairs:
            wrapped = self._wrap(value, " " * width, " " * width).plain
            lines.append(Text.assemble((key.ljust(width), _HEADING), wrapped[width:]))
        return _join_lines(lines)

    def _footer(self, source: Source, disclaimer: str) -> Group:
        panel = Panel(
            _text(disclaimer), title=Text("Disclaimer"), title_align="left", box=self.box, border_style=_QUIET
        )
        return Group(Text(""), self._wrap(source_line(source), style=_QUIET), panel)

    def _caveats(self, caveats: Sequence[str]) -> Panel:
        body = self._bullets(caveats, width=self.settings.width - 4)  # inside the panel's border
        return Panel(body, title=Text("Caveats"), title_align="left", box=self.box, border_style=_WARNING)

    def _mark(self, present: bool) -> Text:
        return Text(self.tick, style="green") if present else Text(self.blank, style=_QUIET)

    # -- list ---------------------------------------------------------------

    def drug_list(self, result: DrugList) -> str:
        if self.stacked:
            blocks = [
                self._fields(d.name, [("Class", d.drug_class), ("ATC", d.atc), ("Forms", ", ".join(d.forms))])
                for d in result.drugs
            ]
            return self._print(_join_blocks(blocks), self._footer(result.source, result.disclaimer))
        table = self._table("Drug", "Class", "ATC", "Forms", expand=False)
        for drug in result.drugs:
            table.add_row(
                _text(drug.name, "bold"),
                _text(drug.drug_class),
                _text(drug.atc),
                _text(", ".join(drug.forms)),
            )
        return self._print(table, self._footer(result.source, result.disclaimer))

    # -- show ---------------------------------------------------------------

    def monograph(self, result: Monograph) -> str:
        parts: list[RenderableType | None] = [_text(result.drug.name, "bold")]
        note = resolution_note(result.resolution)
        if note:
            parts.append(_text(note, _QUIET))
        for block in monograph_blocks(result):
            parts += self._block(block)
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _block(self, block: Block) -> list[RenderableType]:
        match block:
            case Overview():
                return [self._fields("", block.facts())]
            case Caveats(statements) if statements:
                return [Text(""), self._caveats(statements)]
            case Mechanism(statements, actions):
                drawn: list[RenderableType] = [self._heading("Mechanism"), self._bullets(statements)]
                if actions:
                    drawn += [self._heading("Clinical effects"), self._bullets(actions)]
                return drawn
            case EffectProfile(effects):
                return [self._heading("Effect profile"), self._wrap(", ".join(e.label for e in effects))]
            case Onset(statements) if statements:
                return [self._heading("Onset"), self._bullets(statements)]
            case Indications(groups):
                return [self._heading("Indications"), self._indications(groups)]
            case Corrections(corrections):
                return [self._heading("Corrections to the source"), self._corrections(corrections)]
        return []  # an empty block: nothing to draw

    def _indications(self, groups: tuple[IndicationGroup, ...]) -> Text:
        """Grouped; each indication, then its route and qualifiers, then its conditions."""
        blocks: list[Text] = []
        for group in groups:
            blocks.append(_text(group.title, "bold"))
            for item in group.items:
                blocks.append(self._wrap(item.indication.text, self.bullet, _BULLET_INDENT))
                if item.extras:
                    extras = "; ".join(item.extras)
                    blocks.append(self._wrap(extras, _BULLET_INDENT, _BULLET_INDENT, _WARNING))
                conditions = "; ".join(_condition_name(c) for c in item.conditions)
                blocks.append(self._wrap(conditions, _BULLET_INDENT, _BULLET_INDENT, _QUIET))
        return _join_lines(blocks)

    def _corrections(self, corrections: tuple[Correction, ...]) -> Text:
        if not corrections:
            return Text("None: the article's wording was used as written.", style=_QUIET)
        return self._bullets(f"“{c.original}” → {c.corrected}" for c in corrections)

    # -- search -------------------------------------------------------------

    def search(self, result: SearchResult) -> str:
        parts: list[RenderableType | None] = [
            Text.assemble(("Search: ", _HEADING), _text(result.query, "bold"))
        ]
        if result.expansions:
            parts.append(self._wrap(expansions_line(result.expansions), style=_QUIET))
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
                why = "; ".join(reason_note(r) for r in match.reasons)
                line.append(f"  — {printable(why)}", style=_QUIET)
                lines.append(line)
            for found in hit.fields:
                label = Text(f"{found.field}: ", style=_QUIET)
                lines.append(label.append(self._highlighted(found.text, found.highlights)))
            parts.append(self._bullet_grid(lines))
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _bullet_grid(self, items: Iterable[Text]) -> Table:
        # Styled items (highlights) cannot go through textwrap: a grid keeps
        # their wrapped lines hanging under the bullet instead.
        from rich.table import Table

        grid = Table.grid()
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for item in items:
            grid.add_row(self.bullet, item)
        return grid

    def _highlighted(self, text: str, spans: Sequence[tuple[int, int]]) -> Text:
        if printable(text) != text:
            return _text(text)  # data is validated clean; never let spans land on escapes
        out = Text(text)
        for start, end in spans:
            out.stylize(_MATCH, start, end)
        return out

    # -- compare ------------------------------------------------------------

    def comparison(self, result: Comparison) -> str:
        names = [printable(d.name) for d in result.drugs]
        parts: list[RenderableType | None] = [self._wrap("Comparison: " + ", ".join(names), style="bold")]
        parts += [_text(n, _QUIET) for r in result.resolutions if (n := resolution_note(r))]
        parts += [self._heading("Attributes"), self._attributes(result, names)]
        effects = self._table("Effect", *names)
        for row in result.effects:
            effects.add_row(_text(row.effect.label), *(self._mark(p) for p in row.present))
        parts += [self._heading("Effect profile"), effects]
        for title, rows in condition_groups(result):
            parts += [self._heading(title), self._conditions_matrix(rows, names)]
        caveats = [f"{d.name}: {c}" for d in result.drugs for c in d.caveats]
        if caveats:
            parts.append(self._caveats(caveats))
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _attributes(self, result: Comparison, names: list[str]) -> RenderableType:
        if self.stacked or len(names) > 3:
            # Long sentences side by side in 4+ narrow columns read badly: stack them.
            return _join_blocks(
                self._fields(name, [(a.label, a.values[i]) for a in result.attributes])
                for i, name in enumerate(names)
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
            return self._print(
                Text("No condition matches that filter."), self._footer(result.source, result.disclaimer)
            )
        if self.stacked:
            blocks = [
                self._fields(
                    e.condition.label,
                    [
                        ("ICD-10", ", ".join(e.condition.icd10) or "—"),
                        ("Also", ", ".join((*e.condition.synonyms, *e.condition.abbreviations)) or "—"),
                        ("Drugs", ", ".join(d.name for d in e.drugs)),
                    ],
                )
                for e in result.entries
            ]
            return self._print(_join_blocks(blocks), self._footer(result.source, result.disclaimer))
        table = self._table("Condition", "ICD-10", "Also called", "Drugs", expand=False)
        for entry in result.entries:
            condition = entry.condition
            table.add_row(
                _text(condition.label, "bold"),
                _text(", ".join(condition.icd10) or "—"),
                _text(", ".join((*condition.synonyms, *condition.abbreviations)) or "—"),
                _text(", ".join(d.name for d in entry.drugs)),
            )
        return self._print(table, self._footer(result.source, result.disclaimer))

    # -- validate -----------------------------------------------------------

    def validation(self, result: ValidationReport) -> str:
        if result.valid:
            summary = f"{result.drug_count} drugs, {result.condition_count} conditions"
            return self._print(Text.assemble((printable(result.dataset), "bold"), f": valid ({summary})"))
        heading = Text.assemble(
            (printable(result.dataset), "bold"), f": {problem_count(len(result.problems))}", style="red"
        )
        return self._print(heading, self._bullets(result.problems))


def _condition_name(condition: Condition) -> str:
    codes = f" ({', '.join(condition.icd10)})" if condition.icd10 else ""
    return f"{condition.label}{codes}"
