"""Terminal: Rich text, panels and tables. The only module that imports Rich.

Everything from the data or the user goes in as `Text` on a console with
markup and emoji off, so "[bold]" or ":pill:" is shown as typed. The console
renders into a string with the width and colour `cli.py` decided; nothing here
looks at the environment.

Prose (monographs, lists of statements) is wrapped here with `textwrap`, with
hanging indents, rather than laid out by Rich tables: it reads better and a
monograph renders in a fraction of the time. Rich tables are kept for real
grids (the drug list, comparison matrices, the condition index) and imported
only there. Below `_STACK_BELOW` columns, wide tables give way to stacked
text, so clinical text is folded, never cut.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from io import StringIO
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from adjuvant_cli.render import TerminalSettings, sections, wording
from adjuvant_cli.text import fold, one_line, printable

if TYPE_CHECKING:
    from rich.table import Table

    from adjuvant_cli.catalog import ConditionEntry, ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Cell, Comparison, ConditionRow
    from adjuvant_cli.dataset.validating import ValidationRun
    from adjuvant_cli.diff import DatasetDiff
    from adjuvant_cli.model import Caveat, Condition, Correction, Disclaimer, Reading, Source, Statement
    from adjuvant_cli.search import Hit, SearchResult

_STACK_BELOW = 80
# The heading each section is drawn under: the title line takes it when it is the only one.
_SECTION_HEADINGS: dict[type, str] = {
    sections.Onset: "Onset",
    sections.EffectProfile: "Effect profile",
    sections.Indications: "Indications",
    sections.Corrections: "Corrections and readings of the source",
    sections.FullDisclaimer: "Disclaimer",
}
# One colour per meaning, from the 8 basic ANSI colours only, no background,
# no yellow or white foreground (unreadable on light or dark themes): a
# heading is cyan, a matched word green (and underlined, for no colour), a
# qualifier blue, a caveat or warning magenta, a problem red.
_HEADING = "bold cyan"
_MATCH = "bold underline green"
_QUALIFIER = "blue"
_WARNING = "magenta"
_QUIET = "dim"
_WARNING_TEXT = "bold"  # the disclaimer: read first, in any theme
# Prose wraps at a readable measure on wide terminals; tables use the width.
PROSE_WIDTH = 100
_BULLET_INDENT = "   "

# What an ASCII-only terminal shows instead of the typography used here.
_ASCII = str.maketrans(
    {"→": "->", "“": '"', "”": '"', "’": "'", "–": "-", "—": "-", "✓": "yes", "•": "*", "…": "...", "·": "-"}
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


_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# The spaces and style codes that end a line: the codes are kept, the spaces go.
_TRAILING_SPACES = re.compile(r"(?:\x1b\[[0-9;]*m| )*(?: (?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def _offset_after(text: str, visible: int) -> int:
    """The offset in `text` just after its first `visible` non-space characters."""
    seen = 0
    for at, char in enumerate(text):
        if seen == visible:
            return at
        seen += not char.isspace()
    return len(text)


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
        self._inline_heading: str | None = None  # a lone section's heading, said in the title line

    # -- plumbing -----------------------------------------------------------

    def _print(self, *parts: RenderableType | None, soft_wrap: bool = False) -> str:
        """`soft_wrap`: lines are never broken or cropped (the terminal wraps them)."""
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
        renderables = [part for part in parts if part is not None]
        if soft_wrap:
            console.print(*renderables, sep="\n", soft_wrap=True)
        else:
            console.print(Group(*renderables))  # one pass, one flush
        # Grids pad their cells: no line ends in spaces, which copy-paste would keep.
        out = _TRAILING_SPACES.sub(lambda m: "".join(_ESCAPE.findall(m.group(0))), buffer.getvalue())
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
            width=width or min(self.settings.width, PROSE_WIDTH),
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
        )
        return _prewrapped("\n".join(lines) or first.rstrip(), style)

    def _heading(self, title: str) -> Text | None:
        if title == self._inline_heading:
            return None  # already in the title line
        return Text(f"\n{title}", style=_HEADING)

    def _bullets(self, items: Iterable[str], style: str = "", width: int | None = None) -> Text:
        lines = [self._wrap(item, self.bullet, _BULLET_INDENT, style, width) for item in items]
        return _join_lines(lines)

    def _fields(
        self, title: str, pairs: Sequence[tuple[str, str]], value_styles: Mapping[str, str] | None = None
    ) -> Text:
        """A title, then "key  value" lines whose values wrap under themselves."""
        width = max(len(key) for key, _ in pairs) + 1
        lines = [_text(title, "bold")] if title else []
        for key, value in pairs:
            wrapped = self._wrap(value, " " * width, " " * width).plain
            style = (value_styles or {}).get(key, "")
            lines.append(Text.assemble((key.ljust(width), _HEADING), (wrapped[width:], style)))
        return _join_lines(lines)

    def _footer(self, source: Source, disclaimer: Disclaimer, *, scope_too: bool = True) -> Group:
        """After the answer: the scope and the compact disclaimer as one
        paragraph, then the source; at most 5 lines at 80 columns (the full
        texts: `show --section disclaimer`, JSON, Markdown). A list of names
        (`list`, `conditions`) answers nothing clinical: no scope there."""
        scope = wording.compact_scope(source) if scope_too else ""
        text = " ".join(f"{scope} {disclaimer.compact}".split())
        lines = textwrap.wrap(
            printable(text), width=min(self.settings.width, PROSE_WIDTH), break_on_hyphens=False
        )
        paragraph = _prewrapped("\n".join(lines))
        split = _offset_after(paragraph.plain, sum(not c.isspace() for c in scope))
        paragraph.stylize(_QUIET, 0, split)
        paragraph.stylize(_WARNING_TEXT, split, len(paragraph))
        return Group(Text(""), paragraph, self._wrap(wording.footer_source_line(source), style=_QUIET))

    def _caveats(self, caveats: Sequence[str]) -> Panel:
        body = self._bullets(caveats, width=self.settings.width - 4)  # inside the panel's border
        return Panel(body, title=Text("Caveats"), title_align="left", box=self.box, border_style=_WARNING)

    def _mark(self, present: bool, mark: str = "") -> Text:
        if present:
            return Text.assemble((self.tick, "bold"), (mark, _WARNING))
        return Text("not stated", style=_QUIET)

    def _codes(self, condition: Condition) -> str:
        return ", ".join(condition.icd10) or self.blank

    # -- list ---------------------------------------------------------------

    def drug_list(self, result: DrugList) -> str:
        if self.stacked:
            blocks = [
                self._fields(
                    d.name,
                    [
                        ("Class", d.drug_class),
                        ("ATC", d.atc),
                        ("Forms", ", ".join(d.forms)),
                        ("Brands", sections.Identity(d).brands_said() or self.blank),
                    ],
                )
                for d in result.drugs
            ]
            return self._print(
                _join_blocks(blocks), self._footer(result.source, result.disclaimer, scope_too=False)
            )
        table = self._table("Drug", "Class", "ATC", "Forms", "Brands", expand=False)
        for drug in result.drugs:
            table.add_row(
                _text(drug.name, "bold"),
                _text(drug.drug_class),
                _text(drug.atc),
                _text(", ".join(drug.forms)),
                _text(sections.Identity(drug).brands_said() or self.blank),
            )
        return self._print(table, self._footer(result.source, result.disclaimer, scope_too=False))

    # -- show ---------------------------------------------------------------

    def monograph(self, result: Monograph) -> str:
        blocks = sections.monograph_blocks(result, screen=True)
        title = printable(result.drug.name)
        # One section asked for: its heading joins the title, so a short answer stays short.
        chosen = [b for b in blocks if not isinstance(b, sections.Caveats)]
        self._inline_heading = None
        if not result.brief and len(result.sections) == 1 and len(chosen) == 1:
            self._inline_heading = _SECTION_HEADINGS.get(type(chosen[0]))
        if self._inline_heading:
            title = f"{title} — {self._inline_heading}"
        parts: list[RenderableType | None] = [_text(title, "bold")]
        if result.brief:  # the drug and its class open the screen, as a search's drug line does
            parts = [self._drug_line(result.drug.name, result.drug.drug_class)]
        note = wording.resolution_note(result.resolution)
        if note:
            parts.append(self._wrap(note, style=_WARNING if result.resolution.other_forms else _QUIET))
        for block in blocks:
            parts += self._block(block, result)
        self._inline_heading = None
        from adjuvant_cli.model import Section  # loaded with the dataset already

        if Section.DISCLAIMER in result.sections:  # scope and disclaimer said in full above: not again
            return self._print(*parts)
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _block(self, block: sections.Block, result: Monograph) -> list[RenderableType | None]:  # noqa: PLR0912 (a case per block)
        match block:
            case sections.Identity():
                return [self._identity(block, result.drug.caveats)]
            case sections.Overview():
                return [self._fields("", block.facts())]
            case sections.Caveats(caveats) if result.brief:
                return []  # with the identity, one line each
            case sections.Caveats(caveats) if caveats:
                return [Text(""), self._caveats([c.text for c in caveats])]
            case sections.Scope(source):
                return [self._wrap(wording.scope_line(source), style=_QUIET)]
            case sections.ClinicalEffects(actions) if actions:  # what it does before how
                return [self._heading("Clinical effects"), self._statements(actions, result)]
            case sections.ClinicalEffects():
                return []
            case sections.Mechanism(statements):
                return [self._heading("Mechanism"), self._statements(statements, result)]
            case sections.EffectProfile(effects, disputed) if not effects:
                return [self._heading("Effect profile"), self._wrap(wording.NOT_STATED_NO_RISK, style=_QUIET)]
            case sections.EffectProfile(effects, disputed):
                labels = ", ".join(e.label + ("*" if e.id in disputed else "") for e in effects)
                drawn: list[RenderableType | None] = [self._heading("Effect profile"), self._wrap(labels)]
                if disputed:
                    drawn.append(self._wrap("* disputed: see Caveats above", style=_WARNING))
                return drawn
            case sections.Onset(statements) if statements:
                return [self._heading("Onset"), self._statements(statements, result)]
            case sections.Onset():
                return [self._heading("Onset"), self._wrap(wording.NOT_STATED_NO_RISK, style=_QUIET)]
            case sections.FullDisclaimer(disclaimer, source):  # the full texts, the footer's in short
                return [
                    self._heading("Disclaimer"),
                    self._wrap(disclaimer.text),
                    self._wrap(wording.scope_line(source), style=_QUIET),
                    self._wrap(wording.source_line(source)),
                ]
            case sections.Indications(groups, brief):
                heading = self._heading("Indications")
                if brief and heading is not None:  # where the rest is, said once
                    heading = self._wrap("Indications (caveats in full, codes, effects, mechanism: --full)")
                    heading.stylize(_HEADING, 0, len("Indications"))
                    heading.stylize(_QUIET, len("Indications"))
                    heading = Text("\n").append_text(heading)
                return [heading, self._indications(groups, result.with_sources, brief)]
            case sections.ConditionCodes(conditions, titles, mentioned):
                return [
                    self._heading("Conditions and WHO ICD-10 codes"),
                    self._condition_codes(conditions, titles, mentioned),
                ]
            case sections.Corrections(corrections, readings):
                heading = self._heading("Corrections and readings of the source")
                return [heading, self._corrections(corrections, readings)]
        return []  # an empty block: nothing to draw

    def _statements(self, statements: Sequence[Statement], result: Monograph) -> Text:
        lines: list[Text] = []
        for statement in statements:
            lines.append(self._wrap(statement.text, self.bullet, _BULLET_INDENT))
            if statement.context:
                lines.append(self._indented(f"Read with: {statement.context}", _WARNING))
            if statement.mentions:
                named = ", ".join(result.condition(c).label for c in statement.mentions)
                lines.append(self._indented(f"Mentions: {named} ({wording.ROLE_WORDS['mention']})", _QUIET))
            if result.with_sources:
                lines.append(
                    self._indented(f"source: {wording.cited(statement.source, statement.quote)}", _QUIET)
                )
        return _join_lines(lines)

    def _indented(self, text: str, style: str = "") -> Text:
        return self._wrap(text, _BULLET_INDENT, _BULLET_INDENT, style)

    def _identity(self, block: sections.Identity, caveats: Sequence[Caveat]) -> Text:
        """Forms and brand names (the class is on the drug's line), then each
        caveat in its short form: a brand with a form the monograph does not
        describe says so."""
        drug = block.drug
        forms = ", ".join(drug.forms)
        if drug.brands:
            forms += ". Brands: " + block.brands_said()
        pairs = [
            ("Forms", forms),
            *(("Caveat", c.short or c.text) for c in caveats),
        ]
        return self._fields("", pairs, value_styles={"Caveat": _WARNING})

    def _indications(
        self, groups: tuple[sections.IndicationGroup, ...], with_sources: bool, brief: bool = False
    ) -> Text:
        """Grouped; each indication, then its route, qualifiers and contraindication,
        then what it treats and in what (by role), then any reading it rests on."""
        blocks: list[Text] = []
        for group in groups:
            shared = "; ".join(group.shared())
            if brief and fold(shared) == fold(group.title):
                shared = ""  # "As part of complex therapy — all: as part of complex therapy"
            if brief and shared:  # "Parenteral use — all: route: parenteral", one line
                title = Text.assemble(
                    (printable(group.title), "bold"), (f" — all: {printable(shared)}", _QUALIFIER)
                )
                blocks.append(title)
                shared = ""
            else:
                blocks.append(_text(group.title, "bold"))
            if shared:
                blocks.append(self._wrap("All: " + shared, style=_QUALIFIER))
            for item in group.items:
                indication = item.indication
                if brief:  # one bullet: the indication, what limits it, how its words were read
                    blocks.append(self._brief_bullet(item, group.own_extras(item)))
                    continue
                blocks.append(self._wrap(indication.text, self.bullet, _BULLET_INDENT))
                if group.own_extras(item):
                    blocks.append(self._indented("; ".join(group.own_extras(item)), _QUALIFIER))
                if indication.contraindication:
                    blocks.append(self._indented(indication.contraindication, _WARNING))
                roles = " · ".join(f"{title}: {', '.join(labels)}" for title, labels in item.roles())
                blocks.append(self._indented(roles, _QUIET))
                for reading in item.readings:
                    blocks.append(self._indented(f"Read as: {reading.reading} (see -s corrections)", _QUIET))
                if with_sources:
                    said = wording.cited(indication.source, indication.quote)
                    blocks.append(self._indented(f"source: {said}", _QUIET))
        return _join_lines(blocks)

    def _brief_bullet(self, item: sections.IndicationItem, extras: Sequence[str]) -> Text:
        """The indication, " — " its route and qualifiers, its contraindication,
        then " · " what its words were read as where they do not say it: one
        bullet, wrapped, styled by part."""
        indication = item.indication
        parts = [(indication.text, "")]
        if extras:
            parts.append((" — " + "; ".join(extras), _QUALIFIER))
        if indication.contraindication:
            parts.append((f" ({indication.contraindication})", _WARNING))
        roles = "; ".join(
            f"{title.lower()}: {', '.join(labels)}" for title, labels in item.roles_beyond_text()
        )
        if item.readings:  # the reading behind it is in --full
            pointer = "(see -s corrections)"  # one name for where readings are (ux F17)
            roles = f"{roles} {pointer}" if roles else f"a reading of the source {pointer}"
        if roles:
            parts.append((f" · {roles}", _QUIET))
        bullet = self._wrap("".join(p for p, _ in parts), self.bullet, _BULLET_INDENT)
        start = sum(not c.isspace() for c in self.bullet)
        for said, style in parts:  # wrapping swaps spaces for newlines: count the rest
            end = start + sum(not c.isspace() for c in printable(said))
            if style:
                bullet.stylize(style, _offset_after(bullet.plain, start), _offset_after(bullet.plain, end))
            start = end
        return bullet

    def _condition_codes(
        self, conditions: tuple[Condition, ...], titles: Mapping[str, str], mentioned: frozenset[str]
    ) -> Text:
        lines = []
        for condition in conditions:
            line = wording.condition_code_line(condition, titles, mentioned)
            lines.append(self._wrap(line, self.bullet, _BULLET_INDENT))
        return _join_lines(lines)

    def _corrections(self, corrections: tuple[Correction, ...], readings: tuple[Reading, ...]) -> Text:
        items = [f"Corrected: “{c.original}” → {c.corrected}" for c in corrections]
        if not corrections:
            items.append(wording.corrections_empty_note())
        items += [f"Read: “{r.original}” as: {r.reading} Why: {r.why}" for r in readings]
        return self._bullets(items)

    # -- search -------------------------------------------------------------

    def search(self, result: SearchResult) -> str:
        parts: list[RenderableType | None] = [
            Text.assemble(("Search: ", _HEADING), _text(one_line(result.query), "bold"))
        ]
        meanings = wording.reading_line(result)
        if meanings:
            parts.append(self._wrap(meanings, style=_QUIET))
        if pregnancy := wording.pregnancy_line(result):
            parts.append(self._wrap(pregnancy, style=_WARNING))
        if not result.hits:
            parts.append(self._wrap(wording.no_hits_line(result)))
            if result.suggestions:
                parts.append(_text(f"Did you mean: {', '.join(result.suggestions)}?"))
        parts += self._tiers(result.hits, result)
        parts += self._tiers(result.related, result)
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _tiers(self, hits: Sequence[Hit], result: SearchResult) -> list[RenderableType | None]:
        parts: list[RenderableType | None] = []
        for tier, runs in wording.tier_runs(hits):
            parts.append(self._heading(wording.tier_title(tier.name.lower(), result)))
            for drug, drug_hits in runs:
                parts.append(self._drug_line(drug.name, drug.drug_class, wording.caveat_pointer(drug)))
                parts.append(self._bullet_grid(self._hit_line(hit, result.why) for hit in drug_hits))
        return parts

    def _drug_line(self, name: str, drug_class: str, mark: str = "") -> Text:
        """ "Name  class": the class wraps under itself, never back to column 0."""
        line = self._wrap(f"{name}  {drug_class}{mark}", "", "  ")
        line.stylize("bold", 0, len(printable(name)))
        line.stylize(_QUIET, len(printable(name)), len(line) - len(mark))
        line.stylize(_WARNING, len(line) - len(mark))
        return line

    def _hit_line(self, hit: Hit, why: bool = False) -> Text:
        if hit.indication is None:
            line = Text(f"{hit.field}: ", style=_QUIET).append(self._highlighted(hit.text, hit.highlights))
            if hit.context:
                line.append(f"\nRead with: {printable(hit.context)}", style=_QUALIFIER)
            if hit.caveat is not None:
                line.append(f"\ndisputed: {printable(hit.caveat.text)}", style=_WARNING)
            elif hit.reasons and hit.reasons[0].via == "mention":
                line.append(f"\n{printable(wording.hit_role(hit))}", style=_QUIET)
                if why:
                    how = "; ".join(wording.reason_note(r) for r in hit.reasons)
                    line.append(f"\nwhy: {printable(how)}", style=_QUIET)
            return line
        indication = hit.indication
        line = self._highlighted(hit.text, hit.highlights)
        extras: list[Text] = []
        if indication.route:
            extras.append(Text(f"route: {printable(indication.route)}"))
        extras += [
            self._highlighted(q, spans)
            for q, spans in zip(indication.qualifiers, wording.qualifier_spans(hit), strict=True)
        ]
        extras += [Text(printable(indication.note))] if indication.note else []
        if extras:
            line.append("\n")
            line.append(Text("; ", style=_QUALIFIER).join(extras).copy())
            start = len(line) - sum(len(e) for e in extras) - 2 * (len(extras) - 1)
            line.stylize(_QUALIFIER, start, len(line))
        if indication.contraindication:
            line.append(f"\n{printable(indication.contraindication)}", style=_WARNING)
        line.append(f"\n{printable(wording.hit_role(hit))}", style=_QUIET)
        if why:
            how = "; ".join(wording.reason_note(r) for r in hit.reasons)
            line.append(f"\nwhy: {printable(how)}", style=_QUIET)
        return line

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
        parts += [
            self._wrap(n, style=_QUIET) for r in result.resolutions if (n := wording.resolution_note(r))
        ]
        parts += [self._heading("Attributes"), self._attributes(result, names)]
        parts += [self._heading("Effect profile (as the source states it)"), self._effects(result, names)]
        marks = wording.caveat_marks(result)
        for drug in result.drugs:
            for caveat in drug.caveats:
                if caveat.id in marks:
                    parts.append(self._wrap(f"{marks[caveat.id]} {drug.name}: {caveat.text}", style=_WARNING))
        for title, rows in wording.condition_groups(result):
            parts += [self._heading(title), self._conditions_matrix(rows, result, title)]
        caveats = [f"{d.name}: {c.text}" for d in result.drugs for c in d.caveats if c.id not in marks]
        if caveats:
            parts += [Text(""), self._caveats(caveats)]
        return self._print(*parts, self._footer(result.source, result.disclaimer))

    def _fits(self, labels: Sequence[str], columns: int) -> bool:
        """Whether a grid of a label column and `columns` cells fits the width
        without splitting a word: otherwise it is stacked, at any width and any
        number of drugs."""
        if self.stacked:
            return False
        widest_word = max((len(w) for label in labels for w in label.split()), default=0)
        needed = 24 + columns * (max(widest_word, 12) + 3)
        return needed <= self.settings.width

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

    def _effects(self, result: Comparison, names: list[str]) -> RenderableType:
        marks = wording.caveat_marks(result)

        def cell(present: bool, caveat_id: str | None) -> Text:
            return self._mark(present, marks.get(caveat_id, "") if caveat_id else "")

        if not self._fits(names, len(names)):
            blocks = []
            for row in result.effects:
                lines = [_text(row.effect.label, "bold")]
                for name, present, caveat in zip(names, row.present, row.caveats, strict=True):
                    lines.append(Text.assemble(f"  {name}: ", cell(present, caveat.id if caveat else None)))
                blocks.append(_join_lines(lines))
            return _join_lines(blocks)
        table = self._table("Effect", *names)
        for row in result.effects:
            table.add_row(
                _text(row.effect.label),
                *(cell(p, c.id if c else None) for p, c in zip(row.present, row.caveats, strict=True)),
            )
        return table

    def _cell(self, cell: Cell | None) -> Text:
        if cell is None:
            return Text("not named", style=_QUIET)
        if cell.role is None:
            return Text(printable(wording.cell_words(cell)), style=_WARNING)
        if not cell.counted:
            return Text(printable(wording.cell_words(cell)), style=_QUIET)
        if cell.role.value == "target":
            return Text.assemble((self.tick, "bold"), " ", printable(wording.cell_words(cell)))
        return Text(printable(wording.cell_words(cell)))

    def _conditions_matrix(
        self, rows: tuple[ConditionRow, ...], result: Comparison, title: str
    ) -> RenderableType:
        names = [printable(d.name) for d in result.drugs]
        if not rows:
            return Text("None.", style=_QUIET)
        if title.endswith("one only"):
            return self._by_drug(rows, result)
        if not self._fits(names, len(names)):
            blocks = []
            for row in rows:
                lines = [
                    Text.assemble(
                        (printable(row.condition.label), "bold"), (f"  {self._codes(row.condition)}", _QUIET)
                    )
                ]
                for name, cell in zip(names, row.cells, strict=True):
                    said = wording.cell_words(cell) if cell is not None else "not named"
                    lines.append(self._wrap(f"{name}: {said}", "  ", "    "))  # wrapped, never cropped
                blocks.append(_join_lines(lines))
            return _join_lines(blocks)
        table = self._table("Condition", "ICD-10", *names)
        for row in rows:
            table.add_row(
                _text(row.condition.label),
                _text(self._codes(row.condition), _QUIET),
                *(self._cell(c) for c in row.cells),
            )
        return table

    def _by_drug(self, rows: tuple[ConditionRow, ...], result: Comparison) -> RenderableType:
        """Conditions named for one drug only, under that drug's name; another
        drug's caveat that concerns the condition is said on the same line."""
        blocks = []
        for i, drug in enumerate(result.drugs):
            own = [(r, c) for r in rows if (c := r.cells[i]) is not None and c.role is not None and c.counted]
            if not own:
                continue
            lines = [_text(drug.name, "bold")]
            for row, own_cell in own:
                said = f"{row.condition.label} ({self._codes(row.condition)}): {wording.cell_words(own_cell)}"
                for other, cell in zip(result.drugs, row.cells, strict=True):
                    if cell is not None and (cell.role is None or not cell.counted):
                        said += f" — {other.name}: {wording.cell_words(cell)}"
                # Wrapped, never cropped: a cell's limits are the point of it.
                lines.append(self._wrap(said, self.bullet, _BULLET_INDENT))
            blocks.append(_join_lines(lines))
        return _join_blocks(blocks)

    # -- conditions ---------------------------------------------------------

    def conditions(self, result: ConditionIndex) -> str:
        """An index, one line per condition (cropped to the width: the card
        says it all); the conditions the filter names are shown whole."""
        if not result.entries:
            return self._print(
                Text("No condition matches that filter."),
                self._footer(result.source, result.disclaimer, scope_too=False),
            )
        cards = [e for e in result.entries if e.condition.id in result.cards]
        rest = [e for e in result.entries if e.condition.id not in result.cards]
        blocks = [self._condition_card(e, result) for e in cards]
        if rest:
            blocks.append(self._condition_lines(rest, "Also matching" if cards else ""))
        return self._print(
            _join_blocks(blocks), self._footer(result.source, result.disclaimer, scope_too=False)
        )

    def _condition_card(self, entry: ConditionEntry, result: ConditionIndex) -> Text:
        condition = entry.condition
        pairs = [
            ("ICD-10", wording.codes_titled(condition, result.code_titles)),
            ("Also called", wording.also_called(condition) or self.blank),
            ("Named by", wording.uses_line(entry) or self.blank),
        ]
        if entry.broader:
            pairs.append(("Broader", ", ".join(b.label for b in entry.broader)))
        if condition.note:
            pairs.append(("Note", condition.note))
        return self._fields(condition.label, pairs)

    def _condition_lines(self, entries: Sequence[ConditionEntry], title: str) -> Text:
        width = self.settings.width
        label_width = min(max(len(e.condition.label) for e in entries), width * 2 // 5)
        code_width = min(max(len(wording.codes_only(e.condition) or self.blank) for e in entries), width // 6)
        heading = self._heading(title) if title else None
        lines = [heading] if heading is not None else []
        for entry in entries:
            label = printable(entry.condition.label)
            codes = printable(wording.codes_only(entry.condition) or self.blank)
            line = Text.assemble(
                (label.ljust(label_width), "bold"),
                "  ",
                (codes.ljust(code_width), _QUIET),
                "  ",
                printable(wording.uses_short(entry)),
            )
            line.rstrip()
            line.truncate(width, overflow="ellipsis")
            lines.append(line)
        return _join_lines(lines)

    # -- validate -----------------------------------------------------------

    def validation(self, result: ValidationRun) -> str:
        # One unwrapped line per problem: `path:line:col: message` is what
        # editors and CI read, so it is never broken across lines.
        styles = {"valid": "bold", "invalid": "bold red", "error": "red", "warning": _WARNING}
        lines = [Text(printable(line), style=styles[kind]) for line, kind in wording.validation_lines(result)]
        return self._print(*lines, soft_wrap=True)

    def dataset_diff(self, result: DatasetDiff) -> str:
        styles = {"added": "green", "removed": "red", "changed": "yellow"}
        lines = [Text(wording.diff_heading(result), style="bold")]
        for group, changes in wording.diff_groups(result):
            lines += [Text(""), Text(group[:1].upper() + group[1:], style="bold")]
            marks = wording.DIFF_MARKS
            lines += [Text(f"  {marks[kind]} {line}", style=styles[kind]) for kind, line in changes]
        return self._print(*lines, soft_wrap=True)
