"""The plain views of a dataset: the drug list, one monograph, the condition
index. Pure functions from a Dataset to result objects for the renderers.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from adjuvant_cli.model import (
    Condition,
    Dataset,
    Disclaimer,
    Drug,
    Effect,
    Indication,
    Role,
    Section,
    Source,
    Statement,
)
from adjuvant_cli.names import Resolution, resolve_drug
from adjuvant_cli.text import fold

if TYPE_CHECKING:  # the hierarchy is walked for the condition index only: not on show's or list's path
    from adjuvant_cli.hierarchy import Excepted

# Corrections and readings are shown on request (--corrections or --section corrections).
DEFAULT_SECTIONS = tuple(s for s in Section if s not in (Section.CORRECTIONS, Section.DISCLAIMER))


class DrugList(NamedTuple):
    drugs: tuple[Drug, ...]
    source: Source
    disclaimer: Disclaimer


class Monograph(NamedTuple):
    resolution: Resolution
    sections: tuple[Section, ...]
    effects: tuple[Effect, ...]  # the drug's effect tags, resolved, in dataset order
    conditions: tuple[Condition, ...]  # every condition its indications link or statements mention
    code_titles: Mapping[str, str]  # WHO titles of those conditions' codes
    with_sources: bool  # show each statement's locator into the article
    source: Source
    disclaimer: Disclaimer
    brief: bool = False  # no section chosen and no --full: a screen opens on the brief view

    @property
    def drug(self) -> Drug:
        return self.resolution.drug

    def condition(self, condition_id: str) -> Condition:
        return next(c for c in self.conditions if c.id == condition_id)

    @property
    def conditions_by_id(self) -> dict[str, Condition]:
        return {c.id: c for c in self.conditions}


class ConditionUse(NamedTuple):
    """How one drug's monograph names a condition: a link of an indication
    (target, setting, example) or a statement's mention."""

    drug: Drug
    role: Role
    indication: Indication | None = None
    statement: Statement | None = None
    settings: tuple[Condition, ...] = ()  # where a target is treated
    reviewed: bool = True  # False: the link's role is not reviewed; no role is stated
    # The condition the indication names, when not the entry's own: one inside it,
    # or one that includes it (covering it, unless `counted` is False; FACTS §4c).
    via: Condition | None = None
    counted: bool = True
    narrower: bool = False  # `via` lies inside the entry's condition: a use for it, not for the entry's
    # Through a covering condition that excepts some of this one's codes: those
    # codes, with WHO's titles; the use counts for the rest only (FACTS §4c).
    excepted: "tuple[Excepted, ...]" = ()


class ConditionEntry(NamedTuple):
    condition: Condition
    uses: tuple[ConditionUse, ...]
    broader: tuple[Condition, ...]  # the conditions it is narrower than (its own links)

    @property
    def drugs(self) -> tuple[Drug, ...]:
        return tuple(dict.fromkeys(u.drug for u in self.uses))


class ConditionIndex(NamedTuple):
    entries: tuple[ConditionEntry, ...]
    filter: str | None
    code_titles: Mapping[str, str]
    source: Source
    disclaimer: Disclaimer
    # Ids of the conditions shown whole (a card, its note included): the ones
    # the filter names exactly, or the only one it finds; the rest are index lines.
    cards: frozenset[str] = frozenset()
    drug: Drug | None = None  # --drug: only the conditions this drug's monograph reaches


def list_drugs(dataset: Dataset) -> "DrugList":
    return DrugList(tuple(dataset.drugs), dataset.source, dataset.disclaimer)


def show_drug(
    dataset: Dataset,
    name: str,
    sections: Sequence[Section] = (),
    *,
    with_sources: bool = False,
    full: bool = False,
) -> "Monograph":
    """One drug's monograph; raises DrugNotFound. `sections` empty means the
    default: the brief view on a screen, unless `full`."""
    resolution = resolve_drug(dataset, name)
    drug = resolution.drug
    chosen = set(sections) if sections else set(DEFAULT_SECTIONS)
    mentioned = (c for s in drug.statements for c in s.mentions)
    conditions = tuple(dataset.conditions_by_id[c] for c in dict.fromkeys((*drug.condition_ids, *mentioned)))
    return Monograph(
        resolution=resolution,
        sections=tuple(s for s in Section if s in chosen),
        effects=tuple(e for e in dataset.effects if e.id in drug.effects),
        conditions=conditions,
        code_titles=dataset.code_titles(conditions),
        with_sources=with_sources,
        source=dataset.source,
        disclaimer=dataset.disclaimer,
        brief=not sections and not full and not with_sources,
    )


def index_conditions(
    dataset: Dataset, text_filter: str | None = None, drug_name: str | None = None
) -> "ConditionIndex":
    """The vocabulary with how each drug's monograph names each condition,
    optionally narrowed to conditions whose label, synonyms, abbreviations or
    codes contain the filter (case and accents ignored), and to the conditions
    one drug names or reaches through a broader one (raises DrugNotFound)."""
    only = resolve_drug(dataset, drug_name).drug if drug_name is not None else None
    uses: dict[str, list[ConditionUse]] = {c.id: [] for c in dataset.conditions}
    for drug in dataset.drugs:
        for indication in drug.indications:
            settings = tuple(
                dataset.conditions_by_id[k.condition]
                for k in indication.links
                if k.role is not Role.TARGET and k.reviewed  # an unreviewed setting is no setting yet
            )
            for link in indication.links:
                use = ConditionUse(drug, link.role, indication, settings=settings, reviewed=link.reviewed)
                uses[link.condition].append(use)
        for statement in drug.statements:
            for condition_id in statement.mentions:
                # A mention is never an indication: never counted (FACTS §4a).
                mention = ConditionUse(drug, Role.MENTION, statement=statement, counted=False)
                uses[condition_id].append(mention)
    chosen = sorted(_filtered(dataset, text_filter), key=lambda c: fold(c.label))
    around = _around(dataset, uses)
    entries = tuple(
        ConditionEntry(c, (*uses[c.id], *around(c.id)), tuple(dataset.conditions_by_id[b] for b in c.broader))
        for c in chosen
    )
    if only is not None:
        entries = tuple(e for e in entries if only in e.drugs)
    shown = [e.condition for e in entries]
    return ConditionIndex(
        entries,
        text_filter,
        dataset.code_titles(shown),
        dataset.source,
        dataset.disclaimer,
        _cards(text_filter, entries),
        only,
    )


def _cards(text_filter: str | None, entries: Sequence[ConditionEntry]) -> frozenset[str]:
    """The conditions a filter names exactly (label, synonym or abbreviation),
    or the only one it finds: these are shown whole."""
    if not text_filter or not text_filter.strip():
        return frozenset()
    key = " ".join(fold(text_filter).split())
    named = frozenset(e.condition.id for e in entries if key in {fold(t) for t in _terms(e.condition)})
    if named:
        return named
    return frozenset(e.condition.id for e in entries) if len(entries) == 1 else frozenset()


def _around(dataset: Dataset, uses: dict[str, list[ConditionUse]]) -> Callable[[str], list[ConditionUse]]:
    """The indications that name a condition inside one, or one that includes it,
    and the mentions of a condition inside it (never counted, FACTS §4a): the
    same hierarchy compare and search use (FACTS §4c). A whole field of
    medicine ("neurological diseases") is said of a drug only when nothing
    else of the drug names the condition."""
    from adjuvant_cli import hierarchy
    from adjuvant_cli.dataset.who_titles import excepted_titled  # not on show's path (start-up)

    linked = {key for key, listed in uses.items() if listed}
    above, below = hierarchy.linked_around(dataset.narrower, dataset.conditions_by_id, linked)

    def related(condition_id: str) -> list[ConditionUse]:
        own = {u.indication.id for u in uses[condition_id] if u.indication is not None}
        said = {id(u.statement) for u in uses[condition_id] if u.statement is not None}
        inside = below.get(condition_id, ())
        # A use for a condition inside this one is no use for this one (FACTS §4c);
        # a covering one comes first, so that an indication reached both ways
        # (tizanidine's spine item: neck pain inside, disorders of the spine
        # covering vertebral syndrome) counts, as search counts it.
        found = above.get(condition_id, {})
        covering = [(key, cover) for key, cover in found.items() if cover.covered]
        ranked = covering + [(key, hierarchy.Cover(False)) for key in inside]
        ranked += [(key, cover) for key, cover in found.items() if not cover.covered]
        listed: list[ConditionUse] = []
        for key, cover in ranked:
            via = dataset.conditions_by_id[key]
            excepted = excepted_titled(cover.excepted)
            for use in uses[key]:
                if use.indication is not None and use.indication.id not in own:
                    own.add(use.indication.id)
                    listed.append(
                        use._replace(
                            via=via, counted=cover.covered, excepted=excepted, narrower=key in inside
                        )
                    )
                elif use.statement is not None and key in inside and id(use.statement) not in said:
                    said.add(id(use.statement))  # a mention of a condition inside it
                    listed.append(use._replace(via=via, counted=False))
        named = {u.drug.id for u in (*uses[condition_id], *listed) if u.counted}
        return [u for u in listed if u.counted or u.via is None or not _field_only(u, named)]

    return related


def _field_only(use: ConditionUse, named: set[str]) -> bool:
    """Through a whole field of medicine, for a drug the source names otherwise."""
    return use.via is not None and use.via.names_a_chapter and use.drug.id in named


def _filtered(dataset: Dataset, text_filter: str | None) -> list[Condition]:
    """The conditions a filter means, by the rules search reads a query with:
    a code means the conditions containing it or inside it (a member code never
    a group that does not cover it); a condition's name, abbreviation or an umbrella term
    means it and every condition narrower; anything else matches as text in a
    label, synonym, abbreviation or code."""
    if not text_filter or not text_filter.strip():
        return list(dataset.conditions)
    from adjuvant_cli import codes
    from adjuvant_cli.vocabulary import Vocabulary

    typed = text_filter.strip()
    if codes.is_code(typed):
        return _by_code(dataset, typed.upper())
    vocabulary = Vocabulary.of(dataset)
    names = vocabulary.exact_case.get(typed) or vocabulary.phrases.get(" ".join(fold(typed).split()), [])
    named = {n.condition.id for n in names if n.condition is not None}
    named |= {r for n in names if n.umbrella is not None for r in n.umbrella.reaches}
    if named:
        walked = vocabulary.hierarchy
        reached = named | {narrower for c in named for narrower in walked.below(c)}
        # As search does: a label holding the words is a kind of it ("anxiety" ->
        # anxiety disorders).
        words = fold(typed).split()
        reached |= {c.id for c in dataset.conditions if all(w in fold(c.label).split() for w in words)}
        return [c for c in dataset.conditions if c.id in reached]
    key = fold(typed)
    found = [c for c in dataset.conditions if any(key in fold(term) for term in _terms(c))]
    if found:
        return found
    from adjuvant_cli.dataset.who_titles import who_code_for  # reads WHO's titles: only here

    title = who_code_for(typed)  # a whole WHO title means its code, as in search ("epilepsy" is G40)
    return _by_code(dataset, title.code) if title is not None else []


def _by_code(dataset: Dataset, code: str) -> list[Condition]:
    """The conditions containing `code` or inside it (a member code never a
    group that does not cover it)."""
    from adjuvant_cli import codes

    return [
        c
        for c in dataset.conditions
        if any(
            codes.contains(code, own)
            or (codes.contains(own, code) and (own == code or not c.names_group_only))
            for own in c.icd10
        )
    ]


def _terms(condition: Condition) -> tuple[str, ...]:
    return (
        condition.label,
        *condition.synonyms,
        *condition.abbreviations,
        *condition.case_sensitive_abbreviations,
        *condition.icd10,
    )
