"""Comparison: drugs side by side, and the conditions their indications name
as a condition x drug matrix, grouped the way a clinician reads it (named for
all, for some, for one only).

A cell says how the source names the condition for that drug: as what is
treated (target), or as where or after which something is treated (setting,
example) together with what is treated. Where the drug is named for a
condition inside the row's, or for one that includes and covers it, the cell
says through which ("via Sequelae of stroke"); through one that includes it
without covering it, the cell is named in general and not counted (FACTS §4c).
A cell drops none of the drug's uses: every indication that names the row's
condition, one inside it or one covering it, each with its role and through
which; and a statement that mentions the condition (or one inside it), as a
mention, never counted (FACTS §4a). A drug whose caveat disputes one of its
effect tags carries that caveat at the cell.
"""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from adjuvant_cli.errors import UsageError
from adjuvant_cli.hierarchy import Excepted, Hierarchy
from adjuvant_cli.model import (
    Caveat,
    Condition,
    Dataset,
    Disclaimer,
    Drug,
    Effect,
    Indication,
    Link,
    Role,
    Source,
    Statement,
)
from adjuvant_cli.names import Resolution, resolve_drug
from adjuvant_cli.text import fold

_ROLE_ORDER = {Role.TARGET: 0, Role.SETTING: 1, Role.EXAMPLE: 2}


class AttributeRow(NamedTuple):
    """One attribute, one value per compared drug, in the drugs' order."""

    attribute_id: str  # stable: "class", "atc", "forms", "mechanism"
    label: str
    values: tuple[str, ...]


class EffectRow(NamedTuple):
    effect: Effect
    present: tuple[bool, ...]  # per compared drug: the source states it
    caveats: tuple[Caveat | None, ...]  # per compared drug: a caveat disputing it


class Cell(NamedTuple):
    """How one drug's indications name one condition (the strongest role first),
    or that a caveat of the drug concerns it although no indication names it."""

    role: Role | None  # None: no indication names it; `caveat` says why it is shown
    indication: Indication | None
    settings: tuple[Condition, ...] = ()  # where a target is treated ("in alcohol withdrawal")
    caveat: Caveat | None = None
    also: tuple["Cell", ...] = ()  # the drug's other indications that name the condition
    reviewed: bool = True  # False: the link's role is not reviewed; no role is stated
    # The condition the indication names, when not the row's own: one inside it,
    # or one that includes it (covering it, unless `counted` is False).
    via: Condition | None = None
    counted: bool = True  # False: named in general, by a condition that does not cover it, or a mention
    narrower: bool = (
        False  # `via` lies inside the row's condition: named for it, not for the row's (not counted)
    )
    statement: Statement | None = None  # role mention: the statement outside the indications that names it
    # Through a covering condition that excepts some of the row's codes: those
    # codes, with WHO's titles; the use counts for the rest only (FACTS §4c).
    excepted: tuple[Excepted, ...] = ()

    @property
    def treats(self) -> str:
        return self.indication.treats if self.indication is not None else ""


class ConditionRow(NamedTuple):
    condition: Condition
    cells: tuple[Cell | None, ...]  # per compared drug

    @property
    def drug_count(self) -> int:
        return sum(cell is not None and cell.indication is not None and cell.counted for cell in self.cells)


class Comparison(NamedTuple):
    resolutions: tuple[Resolution, ...]  # empty when all drugs were compared
    drugs: tuple[Drug, ...]
    attributes: tuple[AttributeRow, ...]
    effects: tuple[EffectRow, ...]  # rows no compared drug has are left out of a pair
    shared: tuple[ConditionRow, ...]  # named for every compared drug
    partly_shared: tuple[ConditionRow, ...]  # for two or more, not all (never in a pair)
    unique: tuple[ConditionRow, ...]  # for exactly one, grouped by drug in the drugs' order
    code_titles: Mapping[str, str]  # WHO titles of the codes shown
    source: Source
    disclaimer: Disclaimer


def compare_drugs(dataset: Dataset, names: Sequence[str] = ()) -> "Comparison":
    """Compare the named drugs, or all of them; raises UsageError or DrugNotFound."""
    if len(names) == 1:
        raise UsageError("compare needs two or more drug names, or none to compare all drugs")
    resolutions = tuple(resolve_drug(dataset, name) for name in names)
    drugs = tuple(dict.fromkeys(r.drug for r in resolutions)) if names else tuple(dataset.drugs)
    if len(drugs) < 2 and not names:
        raise UsageError(f"this dataset has one drug ({drugs[0].name}): there is nothing to compare it with")
    if len(drugs) < 2:
        raise UsageError(f"those names all mean {drugs[0].name}; name two or more different drugs")
    rows = _condition_rows(dataset, drugs)
    unique = sorted(
        (r for r in rows if r.drug_count == 1),
        key=lambda r: next(i for i, c in enumerate(r.cells) if c and c.role and c.counted),
    )
    return Comparison(
        resolutions=resolutions,
        drugs=drugs,
        attributes=_attributes(drugs),
        effects=_effect_rows(dataset, drugs),
        shared=tuple(r for r in rows if r.drug_count == len(drugs)),
        partly_shared=tuple(r for r in rows if 1 < r.drug_count < len(drugs)),
        unique=tuple(unique),
        code_titles=dataset.code_titles(r.condition for r in rows),
        source=dataset.source,
        disclaimer=dataset.disclaimer,
    )


def _attributes(drugs: tuple[Drug, ...]) -> tuple[AttributeRow, ...]:
    return (
        AttributeRow("class", "Class", tuple(d.drug_class for d in drugs)),
        AttributeRow("atc", "ATC", tuple(d.atc for d in drugs)),
        AttributeRow("forms", "Forms", tuple(", ".join(d.forms) for d in drugs)),
        # The first mechanism statement names the target; the rest is in `show`.
        AttributeRow("mechanism", "Mechanism", tuple(d.mechanism[0].text for d in drugs)),
    )


def _effect_rows(dataset: Dataset, drugs: tuple[Drug, ...]) -> tuple[EffectRow, ...]:
    rows = []
    for effect in dataset.effects:
        present = tuple(effect.id in d.effects for d in drugs)
        if len(drugs) == 2 and not any(present):
            continue  # a pair: a row where neither has it says nothing
        caveats = tuple(next((c for c in d.caveats if effect.id in c.effects), None) for d in drugs)
        rows.append(EffectRow(effect, present, caveats))
    return tuple(rows)


def _strongest(dataset: Dataset, drug: "_DrugLinks", condition_id: str, related: "_Related") -> Cell | None:
    """How the drug names the condition: its strongest use first (target, then
    setting, then example), every other use beside it, so a cell drops none:
    its own, then through each condition inside it and each covering it; failing
    those, through one that includes it without covering it (named in general);
    then the statements that mention it or one inside it. A use whose role is
    not reviewed comes after every reviewed one."""
    shown: set[str] = set()
    counted = [
        # A use for a condition inside the row's is not a use for the row's (FACTS §4c).
        cell._replace(counted=False, narrower=True) if via_id in related.below else cell
        for via_id in (condition_id, *related.below, *related.covering)
        for cell in _uses(dataset, drug, via_id, condition_id, shown, counted=True)
    ]
    general = (
        []
        if counted
        else [
            cell
            for via_id in related.general
            for cell in _uses(dataset, drug, via_id, condition_id, shown, counted=False)
        ]
    )
    counted = [c._replace(excepted=excepted) if (excepted := _excepted(c, related)) else c for c in counted]
    cells = [*counted, *general, *_mentions(dataset, drug, (condition_id, *related.below), condition_id)]
    caveat = next((c for c in drug.drug.caveats if condition_id in c.conditions), None)
    if cells:  # a caveat that concerns the condition stays said beside its uses (myasthenia, FACTS §5)
        return cells[0]._replace(also=tuple(cells[1:]), caveat=caveat)
    return Cell(None, None, caveat=caveat) if caveat else None


def _uses(
    dataset: Dataset, drug: "_DrugLinks", via_id: str, condition_id: str, shown: set[str], *, counted: bool
) -> list[Cell]:
    """The drug's indications that name `via_id` and are not shown yet, strongest role first."""
    via = None if via_id == condition_id else dataset.conditions_by_id[via_id]
    cells = [
        Cell(
            link.role,
            indication,
            _settings(dataset, indication),
            reviewed=link.reviewed,
            via=via,
            counted=counted,
        )
        for indication, link in drug.links.get(via_id, ())
        if indication.id not in shown
    ]
    shown.update(c.indication.id for c in cells if c.indication is not None)
    return sorted(cells, key=lambda c: _ROLE_ORDER[c.role] if c.role and c.reviewed else 9)


def _excepted(cell: Cell, related: "_Related") -> tuple[Excepted, ...]:
    """The row's codes the covering condition a cell goes through excepts, with WHO's titles."""
    codes = related.excepted.get(cell.via.id, ()) if cell.via is not None else ()
    if not codes:
        return ()
    from adjuvant_cli.dataset.who_titles import excepted_titled  # only for a use in part: ~9 M instructions

    return excepted_titled(codes)


def _mentions(
    dataset: Dataset, drug: "_DrugLinks", reached: tuple[str, ...], condition_id: str
) -> list[Cell]:
    """The drug's statements outside the indications that mention the condition or one inside it."""
    cells = []
    for statement, mentions in drug.mentions:
        mentioned = next((c for c in reached if c in mentions), None)
        if mentioned is not None:
            via = None if mentioned == condition_id else dataset.conditions_by_id[mentioned]
            cells.append(Cell(Role.MENTION, None, via=via, counted=False, statement=statement))
    return cells


class _DrugLinks(NamedTuple):
    """A compared drug's links by condition, found once: every row asks each
    drug for the conditions around it (scanning its indications per row and
    per condition made `compare` of the four drugs ~3x slower)."""

    drug: Drug
    links: dict[str, list[tuple[Indication, Link]]]  # condition id -> (indication, link), in the drug's order
    mentions: tuple[tuple[Statement, frozenset[str]], ...]  # statements that mention a condition

    @classmethod
    def of(cls, drug: Drug) -> "_DrugLinks":
        links: dict[str, list[tuple[Indication, Link]]] = {}
        for indication in drug.indications:
            for link in indication.links:
                links.setdefault(link.condition, []).append((indication, link))
        mentions = tuple((s, frozenset(s.mentions)) for s in drug.statements if s.mentions)
        return cls(drug, links, mentions)


class _Related(NamedTuple):
    below: list[str]  # inside the row's condition, nearest first
    covering: list[str]  # including it, and covering it
    general: list[str]  # including it without covering it
    excepted: dict[str, tuple[str, ...]]  # covering id -> the row's codes it excepts (in part)

    @classmethod
    def of(cls, hierarchy: Hierarchy, condition_id: str) -> "_Related":
        above = hierarchy.above(condition_id)
        return cls(
            hierarchy.below(condition_id),
            [key for key, cover in above.items() if cover.covered],
            [key for key, cover in above.items() if not cover.covered],
            {key: cover.excepted for key, cover in above.items() if cover.excepted},
        )


def _settings(dataset: Dataset, indication: Indication) -> tuple[Condition, ...]:
    return tuple(
        dataset.conditions_by_id[link.condition]
        for link in indication.links
        if link.role is not Role.TARGET and link.reviewed  # an unreviewed setting is no setting yet
    )


def _condition_rows(dataset: Dataset, drugs: tuple[Drug, ...]) -> list[ConditionRow]:
    """Rows for every condition a compared drug's indications name: most drugs
    first, then the first drug's own before the next one's, then by label."""
    linked = set().union(*(d.condition_ids for d in drugs))
    hierarchy = Hierarchy.of(dataset.narrower, dataset.conditions_by_id)
    by_drug = [_DrugLinks.of(d) for d in drugs]
    rows = []
    for condition in dataset.conditions:
        if condition.id in linked:
            related = _Related.of(hierarchy, condition.id)
            rows.append(
                ConditionRow(condition, tuple(_strongest(dataset, d, condition.id, related) for d in by_drug))
            )
    return sorted(
        rows,
        key=lambda r: (
            -r.drug_count,
            next(i for i, c in enumerate(r.cells) if c and c.role and c.counted),
            fold(r.condition.label),
        ),
    )
