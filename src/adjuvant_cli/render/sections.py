"""One walk of a monograph's sections, shared by every renderer: which blocks
a monograph shows, in reading order, each with what it needs. A renderer only
draws each block, so the formats cannot drift apart on what `show` includes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from adjuvant_cli.model import Section

if TYPE_CHECKING:
    from adjuvant_cli.catalog import Monograph
    from adjuvant_cli.model import Condition, Correction, Drug, Effect, Indication


class Overview(NamedTuple):
    drug: Drug

    def facts(self) -> tuple[tuple[str, str], ...]:
        """(label, value) pairs as a person reads them."""
        drug = self.drug
        return (
            ("Class", drug.drug_class),
            ("ATC", drug.atc),
            ("Forms", ", ".join(drug.forms)),
            ("Brand names", ", ".join(drug.brand_names) or "—"),
            ("Other names", ", ".join(drug.other_names) or "—"),
        )


class Caveats(NamedTuple):
    statements: tuple[str, ...]  # always walked; may be empty


class Mechanism(NamedTuple):
    statements: tuple[str, ...]
    actions: tuple[str, ...]  # the clinical effects; may be empty


class EffectProfile(NamedTuple):
    effects: tuple[Effect, ...]


class Onset(NamedTuple):
    statements: tuple[str, ...]  # may be empty


class IndicationItem(NamedTuple):
    indication: Indication
    conditions: tuple[Condition, ...]  # the indication's linked conditions, main one first

    @property
    def extras(self) -> tuple[str, ...]:
        """The route, then the qualifiers: what limits the indication."""
        route = (f"route: {self.indication.route}",) if self.indication.route else ()
        return (*route, *self.indication.qualifiers)


class IndicationGroup(NamedTuple):
    title: str
    items: tuple[IndicationItem, ...]


class Indications(NamedTuple):
    groups: tuple[IndicationGroup, ...]  # runs of indications with the same group, in dataset order


class Corrections(NamedTuple):
    corrections: tuple[Correction, ...]  # may be empty


Block = Overview | Caveats | Mechanism | EffectProfile | Onset | Indications | Corrections


def monograph_blocks(result: Monograph) -> list[Block]:
    """The blocks of `result` in reading order: the chosen sections, and the
    caveats, which are shown whatever was chosen."""
    drug = result.drug
    wanted = set(result.sections)
    blocks: list[Block] = []
    if Section.OVERVIEW in wanted:
        blocks.append(Overview(drug))
    blocks.append(Caveats(drug.caveats))
    if Section.MECHANISM in wanted:
        blocks.append(Mechanism(drug.mechanism, drug.actions))
    if Section.EFFECTS in wanted:
        blocks.append(EffectProfile(result.effects))
    if Section.ONSET in wanted:
        blocks.append(Onset(drug.onset))
    if Section.INDICATIONS in wanted:
        blocks.append(Indications(_indication_groups(result)))
    if Section.CORRECTIONS in wanted:
        blocks.append(Corrections(drug.corrections))
    return blocks


def _indication_groups(result: Monograph) -> tuple[IndicationGroup, ...]:
    groups: list[IndicationGroup] = []
    for indication in result.drug.indications:
        item = IndicationItem(indication, tuple(result.condition(c) for c in indication.conditions))
        if groups and groups[-1].title == indication.group:
            groups[-1] = IndicationGroup(indication.group, (*groups[-1].items, item))
        else:
            groups.append(IndicationGroup(indication.group, (item,)))
    return tuple(groups)
