"""Comparison: drugs side by side, and their indications as a condition x drug
matrix grouped the way a clinician reads it (shared by all, by some, by one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from adjuvant_cli.errors import UsageError
from adjuvant_cli.model import Condition, Dataset, Drug, Effect, Source
from adjuvant_cli.names import Resolution, resolve_drug
from adjuvant_cli.text import fold


class AttributeRow(NamedTuple):
    """One attribute, one value per compared drug, in the drugs' order."""

    label: str
    values: tuple[str, ...]


class EffectRow(NamedTuple):
    effect: Effect
    present: tuple[bool, ...]  # per compared drug


class ConditionRow(NamedTuple):
    condition: Condition
    present: tuple[bool, ...]  # per compared drug

    @property
    def drug_count(self) -> int:
        return sum(self.present)


class Comparison(NamedTuple):
    resolutions: tuple[Resolution, ...]  # empty when all drugs were compared
    drugs: tuple[Drug, ...]
    attributes: tuple[AttributeRow, ...]
    effects: tuple[EffectRow, ...]
    shared: tuple[ConditionRow, ...]  # indicated for every compared drug
    partly_shared: tuple[ConditionRow, ...]  # for two or more, not all
    unique: tuple[ConditionRow, ...]  # for exactly one
    source: Source
    disclaimer: str


def compare_drugs(dataset: Dataset, names: Sequence[str] = ()) -> Comparison:
    """Compare the named drugs, or all of them; raises UsageError or DrugNotFound."""
    if len(names) == 1:
        raise UsageError("compare needs two or more drug names, or none to compare all drugs")
    resolutions = tuple(resolve_drug(dataset, name) for name in names)
    drugs = tuple(dict.fromkeys(r.drug for r in resolutions)) if names else dataset.drugs
    if len(drugs) < 2:
        raise UsageError(f"those names all mean {drugs[0].name}; name two or more different drugs")
    rows = _condition_rows(dataset, drugs)
    return Comparison(
        resolutions=resolutions,
        drugs=drugs,
        attributes=_attributes(drugs),
        effects=tuple(EffectRow(e, tuple(e.id in d.effects for d in drugs)) for e in dataset.effects),
        shared=tuple(r for r in rows if r.drug_count == len(drugs)),
        partly_shared=tuple(r for r in rows if 1 < r.drug_count < len(drugs)),
        unique=tuple(r for r in rows if r.drug_count == 1),
        source=dataset.source,
        disclaimer=dataset.disclaimer,
    )


def _attributes(drugs: tuple[Drug, ...]) -> tuple[AttributeRow, ...]:
    return (
        AttributeRow("Class", tuple(d.drug_class for d in drugs)),
        AttributeRow("ATC", tuple(d.atc for d in drugs)),
        AttributeRow("Forms", tuple(", ".join(d.forms) for d in drugs)),
        # The first mechanism statement names the target; the rest is in `show`.
        AttributeRow("Mechanism", tuple(d.mechanism[0] for d in drugs)),
    )


def _condition_rows(dataset: Dataset, drugs: tuple[Drug, ...]) -> list[ConditionRow]:
    """Rows for every condition any compared drug is indicated for: most drugs
    first, then the first drug's own before the next one's, then by label."""
    linked = [set(d.condition_ids) for d in drugs]
    rows = [
        ConditionRow(c, tuple(c.id in ids for ids in linked))
        for c in dataset.conditions
        if any(c.id in ids for ids in linked)
    ]
    return sorted(rows, key=lambda r: (-r.drug_count, r.present.index(True), fold(r.condition.label)))
