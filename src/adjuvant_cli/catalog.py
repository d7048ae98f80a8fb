"""The plain views of a dataset: the drug list, one monograph, the condition
index. Pure functions from a Dataset to result objects for the renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from adjuvant_cli.model import Condition, Dataset, Drug, Effect, Section, Source
from adjuvant_cli.names import Resolution, resolve_drug
from adjuvant_cli.text import fold

# Corrections are shown on request (--corrections or --section corrections).
DEFAULT_SECTIONS = tuple(s for s in Section if s is not Section.CORRECTIONS)


class DrugList(NamedTuple):
    drugs: tuple[Drug, ...]
    source: Source
    disclaimer: str


class Monograph(NamedTuple):
    resolution: Resolution
    sections: tuple[Section, ...]
    effects: tuple[Effect, ...]  # the drug's effect tags, resolved, in dataset order
    conditions: tuple[Condition, ...]  # every condition its indications link to
    source: Source
    disclaimer: str

    @property
    def drug(self) -> Drug:
        return self.resolution.drug

    def condition(self, condition_id: str) -> Condition:
        return next(c for c in self.conditions if c.id == condition_id)


class ConditionEntry(NamedTuple):
    condition: Condition
    drugs: tuple[Drug, ...]


class ConditionIndex(NamedTuple):
    entries: tuple[ConditionEntry, ...]
    filter: str | None
    source: Source
    disclaimer: str


def list_drugs(dataset: Dataset) -> DrugList:
    return DrugList(dataset.drugs, dataset.source, dataset.disclaimer)


def show_drug(dataset: Dataset, name: str, sections: Sequence[Section] = ()) -> Monograph:
    """One drug's monograph; raises DrugNotFound. `sections` empty means the default."""
    resolution = resolve_drug(dataset, name)
    drug = resolution.drug
    chosen = set(sections) if sections else set(DEFAULT_SECTIONS)
    return Monograph(
        resolution=resolution,
        sections=tuple(s for s in Section if s in chosen),
        effects=tuple(e for e in dataset.effects if e.id in drug.effects),
        conditions=tuple(dataset.conditions_by_id[c] for c in drug.condition_ids),
        source=dataset.source,
        disclaimer=dataset.disclaimer,
    )


def index_conditions(dataset: Dataset, text_filter: str | None = None) -> ConditionIndex:
    """The vocabulary with the drugs indicated for each condition, optionally
    narrowed to conditions whose label, synonyms, abbreviations or codes
    contain the filter (case and accents ignored)."""
    users: dict[str, list[Drug]] = {c.id: [] for c in dataset.conditions}
    for drug in dataset.drugs:
        for condition_id in drug.condition_ids:
            users[condition_id].append(drug)
    key = fold(text_filter) if text_filter else ""
    entries = tuple(
        ConditionEntry(condition, tuple(users[condition.id]))
        for condition in sorted(dataset.conditions, key=lambda c: fold(c.label))
        if not key or any(key in fold(term) for term in _terms(condition))
    )
    return ConditionIndex(entries, text_filter, dataset.source, dataset.disclaimer)


def _terms(condition: Condition) -> tuple[str, ...]:
    return (condition.label, *condition.synonyms, *condition.abbreviations, *condition.icd10)
