"""One walk of a monograph's sections, shared by every renderer: which blocks
a monograph shows, in reading order, each with what it needs. A renderer only
draws each block, so the formats cannot drift apart on what `show` includes.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from adjuvant_cli.model import (
    Caveat,
    Condition,
    Correction,
    Disclaimer,
    Drug,
    Effect,
    Indication,
    Reading,
    Role,
    Section,
    Source,
    Statement,
)
from adjuvant_cli.render.wording import UNREVIEWED
from adjuvant_cli.text import fold

if TYPE_CHECKING:
    from adjuvant_cli.catalog import Monograph


class Overview(NamedTuple):
    drug: Drug

    def facts(self) -> tuple[tuple[str, str], ...]:
        """(label, value) pairs as a person reads them; each brand with its forms."""
        drug = self.drug
        brands = "; ".join(f"{b.name} ({', '.join(b.forms)})" if b.forms else b.name for b in drug.brands)
        return (
            ("Class", drug.drug_class),
            ("ATC", drug.atc),
            ("Forms", ", ".join(drug.forms) + " (what this monograph describes)"),
            ("Brand names", brands or "—"),
            ("Other names", ", ".join(drug.other_names) or "—"),
        )


class Identity(NamedTuple):
    """The brief view's opening: class, forms and brand names on one line each."""

    drug: Drug

    def brands(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]:
        """(brand names, the forms of them the monograph does not describe,
        whether they also come in a form it describes), the brands of a form
        told together; the forms left empty for brands of the forms described.
        A brand whose form is not described keeps its warning (Gablofen is
        intrathecal, baclofen's monograph describes tablets); one also sold in
        a described form is not told as only the other (Lioresal: tablets too)."""
        described = {fold(f) for f in self.drug.forms}
        by_forms: dict[tuple[tuple[str, ...], bool], list[str]] = {}
        for brand in self.drug.brands:
            other = tuple(f for f in brand.forms if fold(f) not in described)
            also = bool(other) and len(other) < len(brand.forms)
            by_forms.setdefault((other, also), []).append(brand.name)
        ordered = sorted(by_forms.items(), key=lambda i: (bool(i[0][0]), not i[0][1]))
        return tuple((tuple(names), forms, also) for (forms, also), names in ordered)

    def brands_said(self) -> str:
        """The brands in one line, each form the monograph does not describe
        in brackets and said so (FACTS §3): `show` and `list` alike."""
        brands = self.brands()
        named = [
            ", ".join(names) + (f" ({'also ' if also else ''}{', '.join(forms)})" if forms else "")
            for names, forms, also in brands
        ]
        undescribed = any(other for _, other, _ in brands)
        return "; ".join(named) + (" (forms in brackets: not described here)" if undescribed else "")


class Caveats(NamedTuple):
    caveats: tuple[Caveat, ...]  # always walked; may be empty


class Scope(NamedTuple):
    source: Source  # always walked: what the source does not cover


class Mechanism(NamedTuple):
    statements: tuple[Statement, ...]


class ClinicalEffects(NamedTuple):
    """What the drug does clinically (the dataset's `actions`): `-s effects`,
    with the effect profile, as its heading says."""

    actions: tuple[Statement, ...]  # may be empty: then no heading


class EffectProfile(NamedTuple):
    effects: tuple[Effect, ...]
    disputed: Mapping[str, str]  # effect id -> the id of the caveat that disputes it


class Onset(NamedTuple):
    statements: tuple[Statement, ...]  # may be empty


class IndicationItem(NamedTuple):
    indication: Indication
    links: tuple[tuple[Condition, Role], ...]
    readings: tuple[Reading, ...]  # the readings it rests on
    unreviewed: frozenset[str] = frozenset()  # ids of linked conditions whose role is not reviewed

    @property
    def extras(self) -> tuple[str, ...]:
        """The route, the qualifiers, then the note: what limits the indication."""
        route = (f"route: {self.indication.route}",) if self.indication.route else ()
        note = (self.indication.note,) if self.indication.note else ()
        return (*route, *self.indication.qualifiers, *note)

    def roles(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """("Treated", labels), ("Settings", labels), ("Examples", labels): what
        it treats and in what; the `treats` words when no target is a condition.
        A link whose role is not reviewed is under "Named; role not reviewed"."""
        titles = {Role.TARGET: "Treated", Role.SETTING: "Settings", Role.EXAMPLE: "Examples"}
        said: dict[str, list[str]] = {}
        for condition, role in self.links:
            title = UNREVIEWED if condition.id in self.unreviewed else titles[role]
            said.setdefault(title, []).append(condition.label)
        if "Treated" not in said:
            said = {"Treated": [self.indication.treats], **said}
        return tuple((title, tuple(labels)) for title, labels in said.items())

    def roles_beyond_text(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The roles line less each label the indication's own words already say
        ("Angina pectoris / Treated: Angina pectoris" says nothing new); what is
        left is how the source's words were read ("rheumatic pelvispondylitis":
        Ankylosing spondylitis). A role that keeps some labels and leaves out
        others is "Also …", so that it never reads as the whole list (baclofen's
        settings are the diseases its bullet names, and also spinal cord
        diseases). A link whose role is not reviewed is always said."""
        words = set(_words(self.indication.text))
        kept = []
        for title, labels in self.roles():
            if title == UNREVIEWED:  # the marker is the point, whatever the words say
                kept.append((title, labels))
                continue
            unsaid = tuple(label for label in labels if not set(_words(label)) <= words)
            if unsaid:
                kept.append((title if unsaid == labels else f"Also {title.lower()}", unsaid))
        return tuple(kept)


_FUNCTION_WORDS = frozenset({"of", "and", "or", "the", "in", "a", "an", "to", "with", "for", "by", "on"})


def _words(text: str) -> list[str]:
    import re

    # "muscles" and "muscle" are one word to a reader; "rheumatic" and "rheumatoid" are not.
    return [w.removesuffix("s") for w in re.findall(r"\w+", fold(text)) if w not in _FUNCTION_WORDS]


class IndicationGroup(NamedTuple):
    title: str
    items: tuple[IndicationItem, ...]

    def shared(self) -> tuple[str, ...]:
        """The route and qualifiers every item of the group has (diazepam's
        "Parenteral use": route: parenteral): said once, at the group."""
        if len(self.items) < 2:
            return ()
        first, *others = (item.extras for item in self.items)
        return tuple(e for e in first if all(e in extras for extras in others))

    def own_extras(self, item: IndicationItem) -> tuple[str, ...]:
        """What limits `item` beyond what the whole group shares."""
        shared = self.shared()
        return tuple(e for e in item.extras if e not in shared)


class Indications(NamedTuple):
    groups: tuple[IndicationGroup, ...]  # indications by group, each group where it first appears
    brief: bool = False  # the brief view: a roles line only where it adds to the bullet


class ConditionCodes(NamedTuple):
    """Each condition the monograph names, once, with its codes and WHO titles."""

    conditions: tuple[Condition, ...]
    titles: Mapping[str, str]
    mentioned: frozenset[str] = frozenset()  # ids named only outside the indications


class Corrections(NamedTuple):
    corrections: tuple[Correction, ...]  # may be empty
    readings: tuple[Reading, ...]  # may be empty


class FullDisclaimer(NamedTuple):
    """The whole disclaimer and source, for `show --section disclaimer`:
    every view ends with their compact form."""

    disclaimer: Disclaimer
    source: Source


Block = (
    Identity
    | Overview
    | Caveats
    | Scope
    | Mechanism
    | ClinicalEffects
    | EffectProfile
    | Onset
    | Indications
    | ConditionCodes
    | Corrections
    | FullDisclaimer
)


def monograph_blocks(result: "Monograph", *, screen: bool = False, scope_after: bool = False) -> list[Block]:
    """The blocks of `result` in reading order: the chosen sections, and the
    caveats and scope, which are shown whatever was chosen. `screen`: a
    terminal, where the default view is the brief one (identity, caveats,
    indications) and the scope is said after the answer, in the footer.
    `scope_after`: the format says the scope in its footer (Markdown), not here."""
    drug = result.drug
    if screen and result.brief:
        return [Identity(drug), Caveats(drug.caveats), Indications(_indication_groups(result), brief=True)]
    wanted = set(result.sections)
    blocks: list[Block] = []
    if Section.OVERVIEW in wanted:
        blocks.append(Overview(drug))
    blocks.append(Caveats(drug.caveats))
    if not screen and not scope_after:
        blocks.append(Scope(result.source))
    # What a clinician needs first: what it is for, then how soon, then what
    # it does (its clinical effects before its mechanism).
    if Section.INDICATIONS in wanted:
        blocks.append(Indications(_indication_groups(result)))
        linked = {c for indication in drug.indications for c in indication.conditions}
        mentioned = frozenset(c.id for c in result.conditions if c.id not in linked)
        blocks.append(ConditionCodes(result.conditions, result.code_titles, mentioned))
    if Section.ONSET in wanted:
        blocks.append(Onset(drug.onset))
    if Section.EFFECTS in wanted:
        disputed = {e: c.id for c in drug.caveats for e in c.effects}
        blocks.append(EffectProfile(result.effects, disputed))
        blocks.append(ClinicalEffects(drug.actions))
    if Section.MECHANISM in wanted:
        blocks.append(Mechanism(drug.mechanism))
    if Section.CORRECTIONS in wanted:
        blocks.append(Corrections(drug.corrections, drug.readings))
    if Section.DISCLAIMER in wanted:
        blocks.append(FullDisclaimer(result.disclaimer, result.source))
    return blocks


def _indication_groups(result: "Monograph") -> tuple[IndicationGroup, ...]:
    conditions = result.conditions_by_id
    readings = {r.id: r for r in result.drug.readings}
    groups: list[IndicationGroup] = []
    for indication in result.drug.indications:
        links = tuple((conditions[link.condition], link.role) for link in indication.links)
        unreviewed = frozenset(link.condition for link in indication.links if not link.reviewed)
        item = IndicationItem(indication, links, tuple(readings[r] for r in indication.readings), unreviewed)
        # One heading per group, where it first appears, whatever the file's order.
        at = next((i for i, g in enumerate(groups) if g.title == indication.group), None)
        if at is None:
            groups.append(IndicationGroup(indication.group, (item,)))
        else:
            groups[at] = IndicationGroup(indication.group, (*groups[at].items, item))
    return tuple(groups)
