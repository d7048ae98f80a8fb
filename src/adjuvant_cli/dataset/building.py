"""Building the model from parsed TOML: the dataset's specs (which keys each
table has, and how each is checked), the cross-checks no single field can
make (unique ids, links between drugs and conditions, names two drugs claim),
and the Dataset itself.

Every problem is collected (not just the first) as ``<where>: <what>`` lines,
e.g. ``drug "tizanidine" indications[3].conditions[0]: unknown condition
"ms"``, so one run of ``adjuvant validate`` shows a dataset author all there
is to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from adjuvant_cli.dataset.checking import (
    Field,
    check_date,
    check_list,
    check_pattern,
    check_string,
    check_table,
    check_tables,
)
from adjuvant_cli.dataset.reading import SCHEMA_VERSION
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.model import (
    Condition,
    Correction,
    Dataset,
    Drug,
    Effect,
    Indication,
    Source,
)
from adjuvant_cli.text import fold, printable

_READS = f"this adjuvant reads schema_version = {SCHEMA_VERSION}"

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ATC = r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}"
_ICD10_CODE = r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?"
_ICD10 = rf"{_ICD10_CODE}(?:-{_ICD10_CODE})?"

T = TypeVar("T")


def parse_dataset(text: str, label: str) -> Dataset:
    """Parse and validate TOML text; raises DatasetError listing every problem."""
    import tomli

    if not text.strip():
        raise DatasetError(
            label, ["is empty; a dataset needs schema_version, source, disclaimer, conditions and drugs"]
        )
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: " if error.lineno else ""
        raise DatasetError(label, [f"{where}TOML syntax error: {printable(error.msg)}"]) from None
    except RecursionError:
        raise DatasetError(label, ["is nested too deeply to be a dataset"]) from None
    problems: list[str] = []
    dataset = _build_dataset(raw, problems)
    if problems or dataset is None:
        raise DatasetError(label, problems or ["unusable dataset"])
    return dataset


# --------------------------------------------------------------------------
# The dataset's specs: one per table
# --------------------------------------------------------------------------

_IDENT = check_pattern(_ID, "an id (lower-case letters, digits and single hyphens)")
_ICD10_CHECK = check_pattern(_ICD10, "an ICD-10 code or range (e.g. G35, G80.3, M40-M54)")
_STRING = Field(check_string)
_STRING_LIST = Field(check_list(check_string), required=False)

_SOURCE = {
    "title": _STRING,
    "publisher": _STRING,
    "last_reviewed": Field(check_date),
    "nature": _STRING,
    "notes": _STRING_LIST,
}
_EFFECT = {"id": Field(_IDENT), "label": _STRING}
_CONDITION = {
    "id": Field(_IDENT),
    "label": _STRING,
    "synonyms": _STRING_LIST,
    "abbreviations": _STRING_LIST,
    "icd10": Field(check_list(_ICD10_CHECK), required=False),
    "note": Field(check_string, required=False),
}
_INDICATION = {
    "group": _STRING,
    "text": _STRING,
    "route": Field(check_string, required=False),
    "qualifiers": _STRING_LIST,
    "conditions": Field(check_list(check_string)),
}
_CORRECTION = {"original": _STRING, "corrected": _STRING}
_DRUG = {
    "id": Field(_IDENT),
    "name": _STRING,
    "drug_class": _STRING,
    "atc": Field(check_pattern(_ATC, "an ATC code (e.g. M03BX01)")),
    "forms": Field(check_list(check_string)),
    "brand_names": _STRING_LIST,
    "other_names": _STRING_LIST,
    "mechanism": Field(check_list(check_string)),
    "actions": _STRING_LIST,
    "effects": _STRING_LIST,
    "onset": _STRING_LIST,
    "caveats": _STRING_LIST,
    "indications": Field(lambda v, w, p: check_tables(v, w, p, _build_indication)),
    "corrections": Field(lambda v, w, p: check_tables(v, w, p, _build_correction), required=False),
}
_TOP = {
    "schema_version": Field(lambda v, w, p: v),  # checked first, on its own
    "source": Field(lambda v, w, p: _build(Source, v, w, _SOURCE, p)),
    "disclaimer": Field(lambda v, w, p: check_table(v, w, {"text": _STRING}, p)),
    "effects": Field(lambda v, w, p: check_tables(v, w, p, _build_effect)),
    "conditions": Field(lambda v, w, p: check_tables(v, w, p, _build_condition)),
    "drugs": Field(lambda v, w, p: v),  # built once conditions and effects are known
}


# --------------------------------------------------------------------------
# Building records, then the dataset with its cross-checks
# --------------------------------------------------------------------------


def _build(
    cls: Callable[..., T], value: object, where: str, spec: Mapping[str, Field], problems: list[str]
) -> T | None:
    fields = check_table(value, where, spec, problems)
    return None if fields is None else cls(**fields)


def _build_effect(value: object, where: str, problems: list[str]) -> Effect | None:
    return _build(Effect, value, where, _EFFECT, problems)


def _build_condition(value: object, where: str, problems: list[str]) -> Condition | None:
    return _build(Condition, value, where, _CONDITION, problems)


def _build_indication(value: object, where: str, problems: list[str]) -> Indication | None:
    return _build(Indication, value, where, _INDICATION, problems)


def _build_correction(value: object, where: str, problems: list[str]) -> Correction | None:
    return _build(Correction, value, where, _CORRECTION, problems)


def _build_drug(value: object, where: str, problems: list[str]) -> Drug | None:
    # Name the drug in messages by its id once it is known: `drug "x" atc` reads
    # better than `drugs[17].atc`, and survives reordering the file.
    if isinstance(value, dict) and isinstance(value.get("id"), str) and re.fullmatch(_ID, value["id"]):
        where = f'drug "{value["id"]}"'
    fields = check_table(value, where, _DRUG, problems)
    if fields is None:
        return None
    fields["indications"] = tuple(fields["indications"])
    fields["corrections"] = tuple(fields.get("corrections", ()))
    return Drug(**fields)


def _build_dataset(raw: dict[str, Any], problems: list[str]) -> Dataset | None:
    version = raw.get("schema_version")
    if type(version) is not int:
        problems.append(f"schema_version: missing or not an integer; {_READS}")
        return None
    if version != SCHEMA_VERSION:
        problems.append(f"schema_version: {version} is not supported; {_READS}")
        return None
    top = check_table(raw, "", _TOP, problems)
    if top is None:
        return None
    effects: list[Effect] = top["effects"]
    conditions: list[Condition] = top["conditions"]
    drugs = check_tables(top["drugs"], "drugs", problems, _build_drug)
    _check_unique_ids("effects", effects, problems)
    _check_unique_ids("conditions", conditions, problems)
    _check_unique_ids("drugs", drugs, problems)
    if not drugs and not problems:
        problems.append("drugs: the dataset has no drugs")
    # A drug that failed to build links nothing, so "unused" would be noise then.
    every_drug_built = isinstance(top["drugs"], list) and len(drugs) == len(top["drugs"])
    _check_links(drugs, conditions, effects, problems, check_unused=every_drug_built)
    name_index = _build_name_index(drugs, problems)
    if problems:
        return None
    return Dataset(
        schema_version=version,
        source=top["source"],
        disclaimer=top["disclaimer"]["text"],
        effects=tuple(effects),
        conditions=tuple(conditions),
        drugs=tuple(drugs),
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in conditions},
        name_index=name_index,
    )


def _check_unique_ids(
    where: str, items: list[Effect] | list[Condition] | list[Drug], problems: list[str]
) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f'{where}: the id "{item.id}" is used twice')
        seen.add(item.id)


def _check_links(
    drugs: list[Drug],
    conditions: list[Condition],
    effects: list[Effect],
    problems: list[str],
    *,
    check_unused: bool,
) -> None:
    known_conditions = {c.id for c in conditions}
    known_effects = {e.id for e in effects}
    used: set[str] = set()
    for drug in drugs:
        where = f'drug "{drug.id}"'
        for i, effect in enumerate(drug.effects):
            if effect not in known_effects:
                problems.append(f'{where} effects[{i}]: unknown effect "{printable(effect, 40)}"')
        if not drug.indications:
            problems.append(f"{where} indications: a drug needs at least one indication")
        for i, indication in enumerate(drug.indications):
            if not indication.conditions:
                problems.append(f"{where} indications[{i}].conditions: link at least one condition")
            for j, condition_id in enumerate(indication.conditions):
                if condition_id not in known_conditions:
                    problems.append(
                        f"{where} indications[{i}].conditions[{j}]: "
                        f'unknown condition "{printable(condition_id, 40)}"'
                    )
                used.add(condition_id)
    if not check_unused:
        return
    for i, condition in enumerate(conditions):
        if condition.id not in used:
            problems.append(f'conditions[{i}]: the condition "{condition.id}" is linked by no indication')


def _build_name_index(drugs: list[Drug], problems: list[str]) -> dict[str, str]:
    """Folded name -> drug id; a name two drugs claim would make look-ups ambiguous."""
    index: dict[str, str] = {}
    for drug in drugs:
        for name in drug.names:
            key = fold(name)
            owner = index.setdefault(key, drug.id)
            if owner != drug.id:
                problems.append(
                    f'drug "{drug.id}": the name "{printable(name, 40)}" is already a name of drug "{owner}"'
                )
    return index
