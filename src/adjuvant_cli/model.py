"""The dataset model: frozen, typed records and nothing else (no I/O, no parsing).

Everything the query logic and the renderers know about a drug is here. The
loader (`dataset.py`) is the only code that builds these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Source:
    """Where the clinical content comes from."""

    title: str
    publisher: str
    last_reviewed: date
    nature: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Effect:
    """One tag of the effect profile (e.g. anxiolytic), shared by all drugs."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Condition:
    """One entry of the condition vocabulary, with what users may type for it."""

    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    icd10: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Indication:
    """One indication of one drug; `conditions` holds vocabulary ids, main one first."""

    group: str
    text: str
    conditions: tuple[str, ...]
    route: str | None = None
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Correction:
    """A transcription error of the source and the wording used instead."""

    original: str
    corrected: str


@dataclass(frozen=True, slots=True)
class Drug:
    """One monograph."""

    id: str
    name: str
    drug_class: str
    atc: str
    forms: tuple[str, ...]
    mechanism: tuple[str, ...]
    indications: tuple[Indication, ...]
    brand_names: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()  # Effect ids
    onset: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the drug answers to, its id first."""
        return (self.id, self.name, *self.brand_names, *self.other_names)

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """The conditions of all its indications, in first-seen order, once each."""
        return tuple(dict.fromkeys(c for i in self.indications for c in i.conditions))


@dataclass(frozen=True, slots=True)
class Dataset:
    """A whole validated dataset, with the look-up tables the loader built once."""

    schema_version: int
    source: Source
    disclaimer: str
    effects: tuple[Effect, ...]
    conditions: tuple[Condition, ...]
    drugs: tuple[Drug, ...]
    drugs_by_id: Mapping[str, Drug] = field(default_factory=dict)
    conditions_by_id: Mapping[str, Condition] = field(default_factory=dict)
    # Folded name (see text.fold) -> drug id, for every name in Drug.names.
    name_index: Mapping[str, str] = field(default_factory=dict)


class Section(StrEnum):
    """The parts of a monograph, in display order, that `show --section` selects.
    Identity, caveats, the source and the disclaimer are always shown."""

    OVERVIEW = "overview"
    MECHANISM = "mechanism"
    EFFECTS = "effects"
    ONSET = "onset"
    INDICATIONS = "indications"
    CORRECTIONS = "corrections"
