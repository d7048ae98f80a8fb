"""A validated Dataset as plain values and back, for the cache.

`marshal` (the cache's format: built in, fast, and unable to run code when
read) takes only plain tuples, strings and numbers, so each record becomes a
tuple in its fields' order and is rebuilt by position, without re-validation.
LAYOUT goes into the cache key: code with other fields never reads an old file.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from adjuvant_cli.model import (
    Brand,
    Caveat,
    Condition,
    Correction,
    Dataset,
    Disclaimer,
    Drug,
    Effect,
    Indication,
    Link,
    Reading,
    Role,
    Source,
    Statement,
    Umbrella,
    WhoCode,
)

LAYOUT = tuple(
    cls._fields
    for cls in (
        Source,
        Disclaimer,
        Effect,
        Condition,
        Umbrella,
        WhoCode,
        Link,
        Statement,
        Indication,
        Brand,
        Caveat,
        Correction,
        Reading,
        Drug,
    )
)
_ROLES = {r.value: r for r in Role}


def to_plain(dataset: Dataset) -> tuple[Any, ...]:
    source = dataset.source
    return (
        dataset.schema_version,
        (*source[:2], source.last_reviewed.toordinal(), *source[3:]),
        tuple(dataset.disclaimer),
        tuple(map(tuple, dataset.effects)),
        tuple(map(tuple, dataset.conditions)),
        tuple(map(tuple, dataset.umbrellas)),
        tuple(map(tuple, dataset.who_codes)),
        tuple(_drug_row(d) for d in dataset.drugs),
        tuple(dataset.name_index.items()),
        tuple(dataset.narrower.items()),
    )


def _drug_row(drug: Drug) -> tuple[Any, ...]:
    row: list[Any] = list(drug)
    for field in ("mechanism", "actions", "onset", "brands", "caveats", "corrections", "readings"):
        index = Drug._fields.index(field)
        row[index] = tuple(map(tuple, row[index]))
    indications = Drug._fields.index("indications")
    row[indications] = tuple(_indication_row(i) for i in drug.indications)
    return tuple(row)


def _indication_row(indication: Indication) -> tuple[Any, ...]:
    row: list[Any] = list(indication)
    row[4] = tuple((link.condition, link.role.value, link.reviewed) for link in indication.links)
    return tuple(row)


def from_plain(data: tuple[Any, ...]) -> Dataset:
    version, source, disclaimer, effects, conditions, umbrellas, who, drug_rows, names, narrower = data
    drugs = tuple(_drug(row) for row in drug_rows)
    condition_list = tuple(Condition(*c) for c in conditions)
    who_codes = tuple(WhoCode(*w) for w in who)
    return Dataset(
        schema_version=version,
        source=Source(source[0], source[1], date.fromordinal(source[2]), *source[3:]),
        disclaimer=Disclaimer(*disclaimer),
        effects=tuple(Effect(*e) for e in effects),
        conditions=condition_list,
        umbrellas=tuple(Umbrella(*u) for u in umbrellas),
        who_codes=who_codes,
        drugs=drugs,
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in condition_list},
        who_by_code={w.code: w for w in who_codes},
        name_index=dict(names),
        narrower=dict(narrower),
    )


def _statements(rows: tuple[Any, ...]) -> tuple[Statement, ...]:
    return tuple(Statement(*s) for s in rows)


def _indication(row: tuple[Any, ...]) -> Indication:
    fields: list[Any] = list(row)
    fields[4] = tuple(Link(condition, _ROLES[role], reviewed) for condition, role, reviewed in row[4])
    return Indication(*fields)


def _drug(row: tuple[Any, ...]) -> Drug:
    (
        drug_id,
        name,
        drug_class,
        atc,
        forms,
        mechanism,
        indications,
        brands,
        other_names,
        actions,
        effects,
        onset,
        caveats,
        corrections,
        readings,
    ) = row
    return Drug(
        drug_id,
        name,
        drug_class,
        atc,
        forms,
        _statements(mechanism),
        tuple(_indication(i) for i in indications),
        tuple(Brand(*b) for b in brands),
        other_names,
        _statements(actions),
        effects,
        _statements(onset),
        tuple(Caveat(*c) for c in caveats),
        tuple(Correction(*c) for c in corrections),
        tuple(Reading(*r) for r in readings),
    )
