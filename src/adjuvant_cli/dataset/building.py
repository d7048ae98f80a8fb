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
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

from adjuvant_cli import codes
from adjuvant_cli.dataset.checking import (
    Field,
    check_date,
    check_list,
    check_pattern,
    check_string,
    check_table,
    check_tables,
    type_name,
)
from adjuvant_cli.dataset.reading import SCHEMA_VERSION
from adjuvant_cli.errors import DatasetError
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
from adjuvant_cli.text import MAX_NAME_CHARS, fold, hidden_format_character, printable

_READS = f"this adjuvant reads schema_version = {SCHEMA_VERSION}"
# What a schema 1 file lacks: read silently, every link in it would become a
# target, and a setting would read as an indication again.
_SCHEMA_1 = (
    "schema_version: 1 is the old format, which this adjuvant refuses: schema 2 gives every "
    "indication an id, `treats` and `links` with a role (target, setting, example) instead of "
    "`conditions`, brands with their forms, statements with locators, readings, umbrella terms, "
    "a WHO ICD-10 excerpt, `source.scope` and `disclaimer.compact` (see the README's dataset section)"
)
COMPACT_DISCLAIMER_CHARS = 160

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ATC = r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}"
_ICD10_CODE = r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?"
_ICD10 = rf"{_ICD10_CODE}(?:-{_ICD10_CODE})?"
# drug / part / paragraph [. item [- item]]: see the README's "Locators".
_LOCATOR = rf"{_ID}/(?:forms|action|indications)/[1-9][0-9]*(?:\.[1-9][0-9]*(?:-[1-9][0-9]*)?)?"
_ROLES = {r.value: r for r in Role if r is not Role.MENTION}  # mentions come from statements only

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
_LOCATOR_CHECK = check_pattern(_LOCATOR, "a locator (e.g. diazepam/indications/4.2)")
_STRING = Field(check_string)
_OPTIONAL_STRING = Field(check_string, required=False)
_STRING_LIST = Field(check_list(check_string), required=False)
_ID_LIST = Field(check_list(_IDENT), required=False)
_LOCATOR_FIELD = Field(_LOCATOR_CHECK)


def _check_bool(value: object, where: str, problems: list[str]) -> bool | None:
    if type(value) is not bool:
        problems.append(f"{where}: expected true or false, got {type_name(value)}")
        return None
    return value


def _check_name(value: object, where: str, problems: list[str]) -> str | None:
    """A name users look a drug up by: findable by its full text, and with no
    invisible character that would let it pass for another drug's name."""
    import unicodedata

    name = check_string(value, where, problems)
    if name is None:
        return None
    if len(name) > MAX_NAME_CHARS:
        problems.append(f"{where}: is {len(name):,} characters long; a name may be at most {MAX_NAME_CHARS}")
        return None
    hidden = hidden_format_character(name)
    if hidden is not None:
        problems.append(
            f'{where}: "{printable(name, 40)}" holds the format character U+{ord(hidden):04X} '
            f"({unicodedata.name(hidden, 'unnamed')}), which shows nothing; names may hold ZWJ and "
            "ZWNJ only where a script needs them, and no other format or tag character"
        )
        return None
    return name


def _check_role(value: object, where: str, problems: list[str]) -> Role | None:
    text = check_string(value, where, problems)
    if text is None:
        return None
    role = _ROLES.get(text)
    if role is None:
        problems.append(f'{where}: "{printable(text, 40)}" is not a role; use target, setting or example')
    return role


def _tables(build: Callable[[object, str, list[str]], T | None], required: bool = False) -> Field:
    return Field(lambda v, w, p: tuple(check_tables(v, w, p, build)), required=required)


_SOURCE = {
    "title": _STRING,
    "publisher": _STRING,
    "last_reviewed": Field(check_date),
    "nature": _STRING,
    "scope": _STRING,
    "notes": _STRING_LIST,
}
_DISCLAIMER = {"text": _STRING, "compact": _STRING}
_EFFECT = {"id": Field(_IDENT), "label": _STRING}
_CONDITION = {
    "id": Field(_IDENT),
    "label": _STRING,
    "synonyms": _STRING_LIST,
    "abbreviations": _STRING_LIST,
    "case_sensitive_abbreviations": _STRING_LIST,
    "icd10": Field(check_list(_ICD10_CHECK), required=False),
    "no_code_reason": _OPTIONAL_STRING,
    "broader": _ID_LIST,
    "group_only": Field(_check_bool, required=False),
    "note": _OPTIONAL_STRING,
}
_UMBRELLA = {
    "id": Field(_IDENT),
    "label": _STRING,
    "synonyms": _STRING_LIST,
    "reaches": Field(check_list(_IDENT)),
    "note": _OPTIONAL_STRING,
}
_WHO_CODE = {"code": Field(_ICD10_CHECK), "title": _STRING, "parent": Field(_ICD10_CHECK, required=False)}
_LINK = {"condition": Field(_IDENT), "role": Field(_check_role)}
_STATEMENT = {
    "text": _STRING,
    "source": _LOCATOR_FIELD,
    "context": _OPTIONAL_STRING,
    "mentions": _ID_LIST,
    "corrections": _ID_LIST,
    "readings": _ID_LIST,
}
_INDICATION = {
    "id": Field(_IDENT),
    "group": _STRING,
    "text": _STRING,
    "treats": _STRING,
    "links": Field(lambda v, w, p: tuple(check_tables(v, w, p, _build_link))),
    "source": _LOCATOR_FIELD,
    "route": _OPTIONAL_STRING,
    "qualifiers": _STRING_LIST,
    "contraindication": _OPTIONAL_STRING,
    "corrections": _ID_LIST,
    "readings": _ID_LIST,
}
_BRAND = {"name": Field(_check_name), "forms": _STRING_LIST, "note": _OPTIONAL_STRING}
_CAVEAT = {
    "id": Field(_IDENT),
    "text": _STRING,
    "effects": _ID_LIST,
    "source": Field(_LOCATOR_CHECK, required=False),
    "conditions": _ID_LIST,
}
_CORRECTION = {"id": Field(_IDENT), "original": _STRING, "corrected": _STRING, "source": _LOCATOR_FIELD}
_READING = {
    "id": Field(_IDENT),
    "original": _STRING,
    "reading": _STRING,
    "why": _STRING,
    "source": _LOCATOR_FIELD,
}


def _build(
    cls: Callable[..., T], value: object, where: str, spec: Mapping[str, Field], problems: list[str]
) -> T | None:
    fields = check_table(value, where, spec, problems)
    return None if fields is None else cls(**fields)


def _builder(
    cls: Callable[..., T], spec: Mapping[str, Field]
) -> Callable[[object, str, list[str]], T | None]:
    return lambda value, where, problems: _build(cls, value, where, spec, problems)


_build_link: Callable[[object, str, list[str]], Link | None] = _builder(Link, _LINK)
_build_statement = _builder(Statement, _STATEMENT)
_DRUG = {
    "id": Field(_IDENT),
    "name": Field(_check_name),
    "drug_class": _STRING,
    "atc": Field(check_pattern(_ATC, "an ATC code (e.g. M03BX01)")),
    "forms": Field(check_list(check_string)),
    "brands": _tables(_builder(Brand, _BRAND)),
    "other_names": Field(check_list(_check_name), required=False),
    "mechanism": _tables(_build_statement, required=True),
    "actions": _tables(_build_statement),
    "effects": _ID_LIST,
    "onset": _tables(_build_statement),
    "caveats": _tables(_builder(Caveat, _CAVEAT)),
    "indications": _tables(_builder(Indication, _INDICATION), required=True),
    "corrections": _tables(_builder(Correction, _CORRECTION)),
    "readings": _tables(_builder(Reading, _READING)),
}
_TOP = {
    "schema_version": Field(lambda v, w, p: v),  # checked first, on its own
    "source": Field(_builder(Source, _SOURCE)),
    "disclaimer": Field(_builder(Disclaimer, _DISCLAIMER)),
    "effects": _tables(_builder(Effect, _EFFECT), required=True),
    "conditions": _tables(_builder(Condition, _CONDITION), required=True),
    "umbrellas": _tables(_builder(Umbrella, _UMBRELLA)),
    "who_icd10": _tables(_builder(WhoCode, _WHO_CODE)),
    "drugs": Field(lambda v, w, p: v),  # built once conditions and effects are known
}


# --------------------------------------------------------------------------
# Building the dataset, then the cross-checks no single field can make
# --------------------------------------------------------------------------


def _build_drug(value: object, where: str, problems: list[str]) -> Drug | None:
    # Name the drug in messages by its id once it is known: `drug "x" atc` reads
    # better than `drugs[17].atc`, and survives reordering the file.
    if isinstance(value, dict) and isinstance(value.get("id"), str) and re.fullmatch(_ID, value["id"]):
        where = f'drug "{value["id"]}"'
    return _build(Drug, value, where, _DRUG, problems)


def _build_dataset(raw: dict[str, Any], problems: list[str]) -> Dataset | None:
    version = raw.get("schema_version")
    if type(version) is not int:
        problems.append(f"schema_version: missing or not an integer; {_READS}")
        return None
    if version == 1:
        problems.append(_SCHEMA_1)
        return None
    if version != SCHEMA_VERSION:
        problems.append(f"schema_version: {version} is not supported; {_READS}")
        return None
    top = check_table(raw, "", _TOP, problems)
    if top is None:
        return None
    drugs = check_tables(top["drugs"], "drugs", problems, _build_drug)
    parts = _Parts(
        top["effects"], top["conditions"], top.get("umbrellas", ()), top.get("who_icd10", ()), tuple(drugs)
    )
    if not drugs and not problems:
        problems.append("drugs: the dataset has no drugs")
    # A drug that failed to build links nothing, so "unused" would be noise then.
    every_drug_built = isinstance(top["drugs"], list) and len(drugs) == len(top["drugs"])
    _cross_check(parts, top["disclaimer"], problems, check_unused=every_drug_built)
    name_index = _build_name_index(drugs, problems)
    if problems:
        return None
    return Dataset(
        schema_version=version,
        source=top["source"],
        disclaimer=top["disclaimer"],
        effects=parts.effects,
        conditions=parts.conditions,
        umbrellas=parts.umbrellas,
        who_codes=parts.who_codes,
        drugs=parts.drugs,
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in parts.conditions},
        who_by_code={w.code: w for w in parts.who_codes},
        name_index=name_index,
        narrower=codes.hierarchy(
            {c.id: c.icd10 for c in parts.conditions},
            {c.id: c.broader for c in parts.conditions},
            {c.id for c in parts.conditions if c.group_only},
        ),
    )


class _Parts(NamedTuple):
    effects: tuple[Effect, ...]
    conditions: tuple[Condition, ...]
    umbrellas: tuple[Umbrella, ...]
    who_codes: tuple[WhoCode, ...]
    drugs: tuple[Drug, ...]


def _cross_check(parts: _Parts, disclaimer: Disclaimer, problems: list[str], *, check_unused: bool) -> None:
    if len(disclaimer.compact) > COMPACT_DISCLAIMER_CHARS:
        problems.append(
            f"disclaimer.compact: is {len(disclaimer.compact)} characters long; "
            f"the limit is {COMPACT_DISCLAIMER_CHARS} (two lines at 80 columns)"
        )
    _check_unique("effects", (e.id for e in parts.effects), problems)
    _check_unique("conditions", (c.id for c in parts.conditions), problems)
    _check_unique("umbrellas", (u.id for u in parts.umbrellas), problems)
    _check_unique("drugs", (d.id for d in parts.drugs), problems)
    _check_unique("who_icd10", (w.code for w in parts.who_codes), problems)
    _check_unique("indications", (i.id for d in parts.drugs for i in d.indications), problems)
    known = {c.id for c in parts.conditions}
    used = _check_conditions(parts, known, problems)
    for drug in parts.drugs:
        used |= _check_drug(drug, known, {e.id for e in parts.effects}, problems)
    if check_unused:
        for i, condition in enumerate(parts.conditions, 1):
            if condition.id not in used:
                problems.append(
                    f'condition {i} ("{condition.id}"): nothing links it (no indication, mention, '
                    "broader link or umbrella term)"
                )


def _check_unique(where: str, ids: Iterable[str], problems: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            problems.append(f'{where}: the id "{printable(item, 60)}" is used twice')
        seen.add(item)


def _unknown(where: str, kind: str, value: str) -> str:
    return f'{where}: unknown {kind} "{printable(value, 40)}"'


def _check_conditions(parts: _Parts, known: set[str], problems: list[str]) -> set[str]:
    """Codes or a reason for none; broader links and umbrellas that point to known
    conditions. Returns the ids these links use."""
    used: set[str] = set()
    for condition in parts.conditions:
        where = f'condition "{condition.id}"'
        if not condition.icd10 and not condition.no_code_reason:
            problems.append(f"{where} no_code_reason: a condition without icd10 codes must say why")
        for parent in condition.broader:
            if parent not in known or parent == condition.id:
                problems.append(_unknown(f"{where} broader", "condition", parent))
            else:
                used |= {parent, condition.id}
    for umbrella in parts.umbrellas:
        if not umbrella.reaches:
            problems.append(f'umbrella "{umbrella.id}" reaches: name at least one condition')
        for reached in umbrella.reaches:
            if reached not in known:
                problems.append(_unknown(f'umbrella "{umbrella.id}" reaches', "condition", reached))
            used.add(reached)
    return used


def _check_drug(drug: Drug, known: set[str], effects: set[str], problems: list[str]) -> set[str]:
    """Every id a drug refers to exists; returns the conditions it links or mentions."""
    where = f'drug "{drug.id}"'
    used: set[str] = set()
    for effect in drug.effects:
        if effect not in effects:
            problems.append(_unknown(f"{where} effects", "effect", effect))
    if not drug.indications:
        problems.append(f"{where} indications: a drug needs at least one indication")
    if not drug.mechanism:
        problems.append(f"{where} mechanism: a drug needs at least one mechanism statement")
    if not drug.forms:
        problems.append(f"{where} forms: name at least one dosage form")
    revisions = {c.id for c in drug.corrections} | {r.id for r in drug.readings}
    _check_unique(
        f"{where} corrections and readings",
        [*(c.id for c in drug.corrections), *(r.id for r in drug.readings)],
        problems,
    )
    for caveat in drug.caveats:
        for concerned in caveat.conditions:
            if concerned not in known:
                problems.append(_unknown(f'{where} caveat "{caveat.id}" conditions', "condition", concerned))
        for effect in caveat.effects:
            if effect not in drug.effects:
                problems.append(
                    f'{where} caveat "{caveat.id}" effects: "{printable(effect, 40)}" '
                    "is not an effect of the drug"
                )
    used |= _check_statements(where, drug, known, revisions, problems)
    used |= _check_indications(where, drug, known, revisions, problems)
    return used


def _check_statements(
    where: str, drug: Drug, known: set[str], revisions: set[str], problems: list[str]
) -> set[str]:
    used: set[str] = set()
    for n, statement in enumerate(drug.statements, 1):
        place = f"{where} statement {n}"
        for mentioned in statement.mentions:
            if mentioned not in known:
                problems.append(_unknown(f"{place} mentions", "condition", mentioned))
            used.add(mentioned)
        _check_revisions(place, statement.corrections + statement.readings, revisions, problems)
    return used


def _check_indications(
    where: str, drug: Drug, known: set[str], revisions: set[str], problems: list[str]
) -> set[str]:
    used: set[str] = set()
    for n, indication in enumerate(drug.indications, 1):
        place = f'{where} indication {n} ("{indication.id}")'
        if not indication.links:
            problems.append(f"{place} links: link at least one condition")
        seen: set[str] = set()
        for link in indication.links:
            if link.condition not in known:
                problems.append(_unknown(f"{place} links", "condition", link.condition))
            elif link.condition in seen:
                problems.append(f'{place} links: "{link.condition}" is linked twice')
            seen.add(link.condition)
            used.add(link.condition)
        _check_revisions(place, indication.corrections + indication.readings, revisions, problems)
    return used


def _check_revisions(place: str, ids: tuple[str, ...], known: set[str], problems: list[str]) -> None:
    for revision in ids:
        if revision not in known:
            problems.append(_unknown(place, "correction or reading", revision))


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
