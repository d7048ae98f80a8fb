"""The dataset model: immutable, typed records and nothing else (no I/O, no parsing).

Everything the query logic and the renderers know about a drug is here. The
loader (`dataset.py`) is the only code that builds these objects.

The records are `typing.NamedTuple`s rather than frozen dataclasses: equally
immutable and typed, but defining seven frozen dataclasses costs ~5 ms of
every run (each exec()s six generated methods), about 7% of the whole start-up
a lookup is allowed (benchmarks/startup.py); NamedTuples cost ~0.5 ms.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Source(NamedTuple):
    """Where the clinical content comes from."""

    title: str
    publisher: str
    last_reviewed: date
    nature: str
    notes: tuple[str, ...] = ()


class Effect(NamedTuple):
    """One tag of the effect profile (e.g. anxiolytic), shared by all drugs."""

    id: str
    label: str


class Condition(NamedTuple):
    """One entry of the condition vocabulary, with what users may type for it."""

    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    icd10: tuple[str, ...] = ()
    note: str | None = None


class Indication(NamedTuple):
    """One indication of one drug; `conditions` holds vocabulary ids, main one first."""

    group: str
    text: str
    conditions: tuple[str, ...]
    route: str | None = None
    qualifiers: tuple[str, ...] = ()


class Correction(NamedTuple):
    """A transcription error of the source and the wording used instead."""

    original: str
    corrected: str


class Drug(NamedTuple):
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


class Dataset(NamedTuple):
    """A whole validated dataset, with the look-up tables the loader built once."""

    schema_version: int
    source: Source
    disclaimer: str
    effects: tuple[Effect, ...]
    conditions: tuple[Condition, ...]
    drugs: tuple[Drug, ...]
    drugs_by_id: Mapping[str, Drug]
    conditions_by_id: Mapping[str, Condition]
    # Folded name (see text.fold) -> drug id, for every name in Drug.names.
    name_index: Mapping[str, str]


class Section(StrEnum):
    """The parts of a monograph, in display order, that `show --section` selects.
    Identity, caveats, the source and the disclaimer are always shown."""

    OVERVIEW = "overview"
    MECHANISM = "mechanism"
    EFFECTS = "effects"
    ONSET = "onset"
    INDICATIONS = "indications"
    CORRECTIONS = "corrections"
