"""Building the model from parsed TOML: the dataset's specs (which keys each
table has, and how each is checked), the cross-checks no single field can
make (unique ids, links between drugs and conditions, names two drugs claim),
and the Dataset itself.

Every problem is collected (not just the first) as a Finding (problems.py)
with its path, its kind and its message, e.g. ``drug "tizanidine" indication
"tizanidine-ms" link 1 condition: unknown condition "ms"``, so one run of
``adjuvant validate`` shows a dataset author all there is to fix. A bad
field does not hide the rest: the tables around it are still checked.
Warnings (what nothing uses, links whose role nobody has reviewed) are
collected apart: a dataset with warnings loads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple, TypeVar

from adjuvant_cli import codes, hierarchy
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
from adjuvant_cli.dataset.problems import Finding, Path
from adjuvant_cli.dataset.reading import SCHEMA_VERSION
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.model import (
    PLACEHOLDER,
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
from adjuvant_cli.text import (
    MAX_NAME_CHARS,
    did_you_mean,
    fold,
    fold_name,
    hidden_format_character,
    one_line,
    printable,
)

_READS = f"this adjuvant reads schema_version = {SCHEMA_VERSION}"
# What a schema 1 file lacks: read silently, every link in it would become a
# target, and a setting would read as an indication again.
_SCHEMA_1 = (
    "1 is the old format, which this adjuvant refuses; convert it with "
    "`adjuvant migrate OLD NEW` (NEW: a new file; nothing is overwritten) and review what it marks: "
    "schema 2 gives every "
    "indication an id, `treats` and `links` with a role (target, setting, example) instead of "
    "`conditions`, brands with their forms, statements with locators, readings, umbrella terms, "
    "a WHO ICD-10 excerpt, `source.scope` and `disclaimer.compact` (see docs/your-own-dataset.md)"
)
COMPACT_DISCLAIMER_CHARS = 160
COMPACT_SCOPE_CHARS = 120  # one line and a half at 80 columns, beside the compact disclaimer

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ATC = r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}"
_ICD10_CODE = r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?"
_ICD10 = rf"{_ICD10_CODE}(?:-{_ICD10_CODE})?"
# drug / part / paragraph [. item [- item]]: see the README's "Locators".
_LOCATOR = rf"{_ID}/(?:forms|action|indications)/[1-9][0-9]*(?:\.[1-9][0-9]*(?:-[1-9][0-9]*)?)?"
_ROLES = {r.value: r for r in Role if r is not Role.MENTION}  # mentions come from statements only

T = TypeVar("T")


def parse_dataset(text: str, label: str) -> Dataset:
    """Parse and validate TOML text; raises DatasetError listing every problem.
    Warnings are not a loader's business: `validate` shows them (check_dataset)."""
    dataset, problems, _ = check_dataset(text, label, warn=False)
    if problems or dataset is None:
        raise InvalidDataset(label, problems)
    return dataset


class InvalidDataset(DatasetError):
    """A dataset with problems, kept as found (`findings`) for `validate` to place."""

    def __init__(self, source: str, findings: list[Finding]) -> None:
        super().__init__(source, [str(finding) for finding in findings])
        self.findings = tuple(findings)


def check_dataset(
    text: str, label: str, *, warn: bool = True
) -> tuple[Dataset | None, list[Finding], list[Finding]]:
    """(the dataset or None, problems, warnings); raises DatasetError only when
    the text is not TOML at all (nothing more can be checked then). Without
    `warn` (a lookup, which shows none), what only warns is not looked for:
    10,000 unused conditions are 10,000 warnings nobody reads."""
    import tomli

    if not text.strip():
        what = "is empty; a dataset needs schema_version, source, disclaimer, conditions and drugs"
        raise InvalidDataset(label, [Finding((), "empty", what)])
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        at = (error.lineno, error.colno) if error.lineno else None
        syntax = Finding((), "syntax", f"TOML syntax error: {printable(error.msg)}", at)
        raise InvalidDataset(label, [syntax]) from None
    except RecursionError:
        deep = Finding((), "unreadable", "is nested too deeply to be a dataset")
        raise InvalidDataset(label, [deep]) from None
    problems: list[Finding] = []
    warnings: list[Finding] = []
    dataset = _build_dataset(raw, problems, warnings if warn else None)
    return (None if problems else dataset), problems, warnings


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


def _check_bool(value: object, where: Path, problems: list[Finding]) -> bool | None:
    if type(value) is not bool:
        problems.append(Finding(where, "wrong-type", f"expected true or false, got {type_name(value)}"))
        return None
    return value


_EXCEPTED = check_pattern(
    rf"{_ID}|{_ICD10}", "a condition id or an ICD-10 code or range inside the condition's"
)


def _check_covers(value: object, where: Path, problems: list[Finding]) -> bool | tuple[str, ...] | None:
    """`covers = true`, `false`, or `{ except = [ids or codes] }` (covers all but those)."""
    if type(value) is bool:
        return value
    if isinstance(value, dict):
        if set(value) != {"except"}:
            what = "a table here holds `except` only, the list of what it does not cover"
            problems.append(Finding(where, "bad-value", what))
            return None
        listed = check_list(_EXCEPTED)(value["except"], (*where, "except"), problems)
        if listed is not None and not listed:
            what = "name at least one condition or code (or write covers = true)"
            problems.append(Finding((*where, "except"), "empty", what))
        return tuple(listed) if listed else None
    what = f"expected true, false or {{ except = [...] }}, got {type_name(value)}"
    problems.append(Finding(where, "wrong-type", what))
    return None


def _check_name(value: object, where: Path, problems: list[Finding]) -> str | None:
    """A name users look a drug up by: findable by its full text, and with no
    invisible character that would let it pass for another drug's name."""
    import unicodedata

    name = check_string(value, where, problems)
    if name is None:
        return None
    if len(name) > MAX_NAME_CHARS:
        what = f"is {len(name):,} characters long; a name may be at most {MAX_NAME_CHARS}"
        problems.append(Finding(where, "too-long", what))
        return None
    if any(c in name for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):  # the schema: one line
        what = f'"{one_line(name, 40)}" holds a line break; a name is one line'
        problems.append(Finding(where, "control-character", what))
        return None
    hidden = hidden_format_character(name)
    if hidden is not None:
        what = (
            f'"{printable(name, 40)}" holds the format character U+{ord(hidden):04X} '
            f"({unicodedata.name(hidden, 'unnamed')}), which shows nothing; names may hold ZWJ and "
            "ZWNJ only where a script needs them, and no other format or tag character"
        )
        problems.append(Finding(where, "control-character", what))
        return None
    return name


def _check_role(value: object, where: Path, problems: list[Finding]) -> Role | None:
    text = check_string(value, where, problems)
    if text is None:
        return None
    role = _ROLES.get(text)
    if role is None:
        what = f'"{printable(text, 40)}" is not a role; use target, setting or example'
        problems.append(Finding(where, "bad-value", what))
    return role


def _tables(build: Callable[[object, Path, list[Finding]], T | None], required: bool = False) -> Field:
    return Field(lambda v, w, p: tuple(check_tables(v, w, p, build)), required=required)


_SOURCE = {
    "title": _STRING,
    "publisher": _STRING,
    "last_reviewed": Field(check_date),
    "nature": _STRING,
    "scope": _STRING,
    "notes": _STRING_LIST,
    "compact_scope": _OPTIONAL_STRING,
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
    "covers": Field(_check_covers, required=False),
    "note": _OPTIONAL_STRING,
    "shares_names_with": _ID_LIST,
}
_UMBRELLA = {
    "id": Field(_IDENT),
    "label": _STRING,
    "synonyms": _STRING_LIST,
    "reaches": Field(check_list(_IDENT)),
    "note": _OPTIONAL_STRING,
    "shares_names_with": _ID_LIST,
}
_WHO_CODE = {"code": Field(_ICD10_CHECK), "title": _STRING, "parent": Field(_ICD10_CHECK, required=False)}
_LINK = {
    "condition": Field(_IDENT),
    "role": Field(_check_role),
    "reviewed": Field(_check_bool, required=False),
}
_STATEMENT = {
    "text": _STRING,
    "source": _LOCATOR_FIELD,
    "context": _OPTIONAL_STRING,
    "mentions": _ID_LIST,
    "corrections": _ID_LIST,
    "readings": _ID_LIST,
    "quote": _OPTIONAL_STRING,
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
    "quote": _OPTIONAL_STRING,
    "note": _OPTIONAL_STRING,
}
_BRAND = {"name": Field(_check_name), "forms": _STRING_LIST, "note": _OPTIONAL_STRING}
_CAVEAT = {
    "id": Field(_IDENT),
    "text": _STRING,
    "effects": _ID_LIST,
    "source": Field(_LOCATOR_CHECK, required=False),
    "conditions": _ID_LIST,
    "short": _OPTIONAL_STRING,
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
    cls: Callable[..., T], value: object, where: Path, spec: Mapping[str, Field], problems: list[Finding]
) -> T | None:
    fields = check_table(value, where, spec, problems)
    return None if fields is None else cls(**fields)


def _builder(
    cls: Callable[..., T], spec: Mapping[str, Field]
) -> Callable[[object, Path, list[Finding]], T | None]:
    return lambda value, where, problems: _build(cls, value, where, spec, problems)


_ITS_ID = object()  # a default that is the entry's own id (a name no other entry claims)


def _lenient(
    cls: Callable[..., T], spec: Mapping[str, Field], defaults: Mapping[str, object]
) -> Callable[[object, Path, list[Finding]], T | None]:
    """A builder that builds an entry with bad or missing fields all the same
    (from `defaults`), as long as its id is good: its links are still checked,
    so one bad field does not hide the entry's other problems. The dataset is
    never built from it: the missing field is a problem already."""

    def build(value: object, where: Path, problems: list[Finding]) -> T | None:
        fields = check_table(value, where, spec, problems, partial=True)
        if fields is None or "id" not in fields:
            return None
        if fields.keys() >= defaults.keys():  # the common case: nothing is missing
            return cls(**fields)
        filled = {k: fields["id"] if v is _ITS_ID else v for k, v in defaults.items() if k not in fields}
        return cls(**fields, **filled)

    return build


_build_link: Callable[[object, Path, list[Finding]], Link | None] = _builder(Link, _LINK)
_build_statement = _builder(Statement, _STATEMENT)


_lenient_condition = _lenient(Condition, _CONDITION, {"label": _ITS_ID})


def _build_condition(value: object, where: Path, problems: list[Finding]) -> Condition | None:
    if isinstance(value, dict) and "group_only" in value:  # the 0.2 key, said in words
        what = (
            "replaced by `covers = false` (a statement about the group does not cover the conditions "
            "inside it; `covers` also takes true or { except = [...] })"
        )
        problems.append(Finding((*where, "group_only"), "unknown-key", what))
        value = {key: item for key, item in value.items() if key != "group_only"}
    condition = _lenient_condition(value, where, problems)
    if condition is not None and isinstance(condition.covers, tuple):  # { except = [...] }
        condition = condition._replace(covers=True, not_covered=condition.covers)
    if condition is not None and not condition.icd10 and isinstance(value, dict) and value.get("icd10"):
        # Codes were given and each was reported bad: "no codes and no reason"
        # would report the same mistake twice.
        return condition._replace(no_code_reason=condition.no_code_reason or "(codes reported above)")
    return condition


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
    "indications": _tables(
        _lenient(Indication, _INDICATION, {"group": "", "text": "", "treats": "", "links": (), "source": ""}),
        required=True,
    ),
    "corrections": _tables(_builder(Correction, _CORRECTION)),
    "readings": _tables(_builder(Reading, _READING)),
}
_TOP = {
    "schema_version": Field(lambda v, w, p: v),  # checked first, on its own
    "source": Field(_builder(Source, _SOURCE)),
    "disclaimer": Field(_builder(Disclaimer, _DISCLAIMER)),
    "effects": _tables(_lenient(Effect, _EFFECT, {"label": _ITS_ID}), required=True),
    "conditions": _tables(_build_condition, required=True),
    "umbrellas": _tables(_builder(Umbrella, _UMBRELLA)),
    "who_icd10": _tables(_builder(WhoCode, _WHO_CODE)),
    "drugs": Field(lambda v, w, p: v),  # built once conditions and effects are known
}


# --------------------------------------------------------------------------
# Building the dataset, then the cross-checks no single field can make
# --------------------------------------------------------------------------


_build_drug = _lenient(
    Drug,
    _DRUG,
    {"name": _ITS_ID, "drug_class": "", "atc": "", "forms": (), "mechanism": (), "indications": ()},
)


def _build_dataset(
    raw: dict[str, Any], problems: list[Finding], warnings: list[Finding] | None
) -> Dataset | None:
    """The dataset, or None when `problems` holds why not; `warnings` None:
    only what refuses the dataset is looked for."""
    version = raw.get("schema_version")
    if version == 1:
        problems.append(Finding(("schema_version",), "schema-version", _SCHEMA_1))
        return None
    if type(version) is not int:
        # Checked as schema 2 all the same: the rest of the file's problems are worth knowing.
        what = f"missing or not an integer; {_READS}"
        problems.append(Finding(("schema_version",), "schema-version", what))
    elif version != SCHEMA_VERSION:
        what = f"{version} is not supported; {_READS}"
        problems.append(Finding(("schema_version",), "schema-version", what))
        return None
    # One pass: a bad [source] or [disclaimer] must not hide the drugs' problems.
    top = check_table(raw, (), _TOP, problems, partial=True) or {}
    raw_drugs = top.get("drugs", [])
    drugs = check_tables(raw_drugs, ("drugs",), problems, _build_drug)
    parts = _Parts(
        top.get("effects", ()),
        top.get("conditions", ()),
        top.get("umbrellas", ()),
        top.get("who_icd10", ()),
        tuple(drugs),
    )
    if not drugs and not problems:
        problems.append(Finding(("drugs",), "empty", "the dataset has no drugs"))
    # Whatever failed to build links nothing, so "unused" would be noise then.
    met = [] if warnings is None else warnings  # warnings met on the way: unread on a lookup
    unused = warnings is not None and not problems
    _cross_check(parts, top.get("source"), top.get("disclaimer"), problems, met, check_unused=unused)
    if warnings is not None:
        _check_placeholders(top, parts.conditions, warnings)
    name_index = _build_name_index(drugs, problems)
    narrower = _check_hierarchy(parts.conditions, problems, warnings)
    _check_condition_names(parts.conditions, parts.umbrellas, problems)
    if problems or type(version) is not int:
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
        narrower=narrower,
    )


def _check_hierarchy(
    conditions: tuple[Condition, ...], problems: list[Finding], warnings: list[Finding] | None
) -> dict[str, tuple[str, ...]]:
    """The direct links of the condition hierarchy, and what makes it lie: a
    cycle, a link the codes reverse, a runaway size; what each condition does
    not cover must lie inside it; a coded condition with conditions inside it
    should say whether it covers them (a warning: with `warnings` None, not looked for)."""
    if len(conditions) > hierarchy.MAX_CONDITIONS:
        problems += map(_finding, hierarchy.problems(conditions, {}))
        return {}
    narrower, nesting = hierarchy.links_and_nesting(conditions)
    found = hierarchy.problems(conditions, narrower, nesting)
    problems += map(_finding, found)
    if found:
        return narrower
    if warnings is not None:
        _covers_unsaid(conditions, narrower, warnings)
    _check_not_covered(conditions, narrower, problems)
    return narrower


def _covers_unsaid(
    conditions: tuple[Condition, ...], narrower: Mapping[str, tuple[str, ...]], warnings: list[Finding]
) -> None:
    """A coded condition with conditions inside it should say whether it covers them."""
    silent: dict[tuple[str, ...], list[Condition]] = {}
    for condition in conditions:
        if condition.covers is None and condition.icd10 and narrower.get(condition.id):
            silent.setdefault(tuple(sorted(condition.icd10)), []).append(condition)
    for same in silent.values():  # one hint for conditions with the same codes, not thousands
        inside = narrower[same[0].id]
        names = ", ".join(f'"{key}"' for key in inside[:3]) + (", …" if len(inside) > 3 else "")
        others = f" (and {len(same) - 1:,} other condition(s) with the same codes)" if len(same) > 1 else ""
        what = (
            f"{len(inside)} condition(s) lie inside it ({names}) and it does not say whether a statement "
            f"about it covers them{others}; unsaid, it does not (write covers = true, false, "
            "or { except = [...] })"
        )
        warnings.append(Finding(("conditions", (None, same[0].id), "covers"), "covers-unsaid", what))


def _check_not_covered(
    conditions: tuple[Condition, ...], narrower: Mapping[str, tuple[str, ...]], problems: list[Finding]
) -> None:
    """What a condition does not cover must lie inside it."""
    for condition in conditions:
        if not condition.not_covered:
            continue
        below = set(hierarchy.inside(narrower, condition.id))
        for n, item in enumerate(condition.not_covered, 1):
            if codes.is_code(item):
                ok = any(codes.contains(own, item) and own != item for own in condition.icd10)
                what = f'"{item}" is not a code inside its codes ({", ".join(condition.icd10) or "none"})'
            else:
                ok = item in below
                what = f'"{printable(item, 40)}" is not a condition inside it'
            if not ok:
                where = ("conditions", (None, condition.id), "covers", "except", n)
                problems.append(Finding(where, "bad-value", what))


def _finding(flaw: hierarchy.Flaw) -> Finding:
    entry: Path = ("conditions", (None, flaw.condition)) if flaw.condition else ("conditions",)
    return Finding((*entry, *flaw.field), flaw.code, flaw.what)  # type: ignore[arg-type]


def _check_condition_names(
    conditions: tuple[Condition, ...], umbrellas: tuple[Umbrella, ...], problems: list[Finding]
) -> None:
    """A label, synonym or abbreviation that folds to another condition's name
    would answer a query for the wrong condition: refused, unless one of the
    two lists the other in `shares_names_with`. Umbrella terms likewise."""
    owners: dict[str, str] = {}
    exact: dict[str, str] = {}  # case-sensitive abbreviations, as written
    sharing = {c.id: set(c.shares_names_with) for c in conditions if c.shares_names_with}
    for condition in conditions:
        key = condition.id
        for kind, names in (
            ("label", (condition.label,)),
            ("synonyms", condition.synonyms),
            ("abbreviations", condition.abbreviations),
        ):
            for name in names:
                owner = owners.setdefault(fold_name(name), key)
                if owner != key:
                    _said_twice(kind, name, key, owner, sharing, problems)
        for name in condition.case_sensitive_abbreviations:
            owner = exact.setdefault(name, condition.id)
            _said_twice("case_sensitive_abbreviations", name, condition.id, owner, sharing, problems)
    for umbrella in umbrellas:
        for kind, name in (("label", umbrella.label), *(("synonyms", n) for n in umbrella.synonyms)):
            claimed = owners.get(fold_name(name))
            if claimed is not None and claimed not in umbrella.shares_names_with:
                what = (
                    f'"{printable(name, 40)}" is already a name of condition "{claimed}"; a query would '
                    f'mean both (list "{claimed}" in shares_names_with if that is meant)'
                )
                problems.append(Finding(("umbrellas", (None, umbrella.id), kind), "duplicate", what))


def _said_twice(  # noqa: PLR0917 (one message, its facts spelled out)
    kind: str, name: str, key: str, owner: str, sharing: dict[str, set[str]], problems: list[Finding]
) -> None:
    if owner == key or owner in sharing.get(key, ()) or key in sharing.get(owner, ()):
        return
    what = (
        f'"{printable(name, 40)}" is already a name of condition "{owner}"; a query would mean the '
        f'wrong one (list "{owner}" in shares_names_with if the overlap is meant)'
    )
    problems.append(Finding(("conditions", (None, key), kind), "duplicate", what))


class _Parts(NamedTuple):
    effects: tuple[Effect, ...]
    conditions: tuple[Condition, ...]
    umbrellas: tuple[Umbrella, ...]
    who_codes: tuple[WhoCode, ...]
    drugs: tuple[Drug, ...]


def _cross_check(
    parts: _Parts,
    source: Source | None,
    disclaimer: Disclaimer | None,
    problems: list[Finding],
    warnings: list[Finding],
    *,
    check_unused: bool,
) -> None:
    if disclaimer is not None and len(disclaimer.compact) > COMPACT_DISCLAIMER_CHARS:
        what = (
            f"is {len(disclaimer.compact)} characters long; "
            f"the limit is {COMPACT_DISCLAIMER_CHARS} (two lines at 80 columns)"
        )
        problems.append(Finding(("disclaimer", "compact"), "too-long", what))
    compact_scope = source.compact_scope if source is not None else None
    if compact_scope is not None and len(compact_scope) > COMPACT_SCOPE_CHARS:
        what = f"is {len(compact_scope)} characters long; the limit is {COMPACT_SCOPE_CHARS}"
        problems.append(Finding(("source", "compact_scope"), "too-long", what))
    _check_unique(("effects",), "id", [e.id for e in parts.effects], problems)
    _check_unique(("conditions",), "id", [c.id for c in parts.conditions], problems)
    _check_unique(("umbrellas",), "id", [u.id for u in parts.umbrellas], problems)
    _check_unique(("drugs",), "id", [d.id for d in parts.drugs], problems)
    _check_unique(("who_icd10",), "code", [w.code for w in parts.who_codes], problems)
    ids = [i.id for d in parts.drugs for i in d.indications]
    if len(set(ids)) != len(ids):  # unique across drugs; named within its drug
        seen: set[str] = set()
        for drug in parts.drugs:
            for n, indication in enumerate(drug.indications, 1):
                if indication.id in seen:
                    where = ("drugs", (None, drug.id), "indications", (n, None), "id")
                    problems.append(_used_twice(where, indication.id))
                seen.add(indication.id)
    known = _Known(parts.conditions)
    used = _check_conditions(parts, known, problems)
    for drug in parts.drugs:
        used |= _check_drug(drug, known, {e.id for e in parts.effects}, problems, warnings)
    if check_unused:
        # Unused entries make no output wrong: warnings, so that a copy of a
        # dataset with a drug dropped is still usable.
        for condition in parts.conditions:
            if condition.id not in used:
                what = "nothing links it (no indication, mention, broader link or umbrella term)"
                warnings.append(Finding(("conditions", (None, condition.id)), "unused", what))
        effects_used = {e for d in parts.drugs for e in d.effects}
        for effect in parts.effects:
            if effect.id not in effects_used:
                warnings.append(Finding(("effects", (None, effect.id)), "unused", "no drug has it"))


def _check_placeholders(
    top: dict[str, Any], conditions: Iterable[Condition], warnings: list[Finding]
) -> None:
    """Placeholders `migrate` left for a person: warnings, so --strict fails until they are written."""
    source, disclaimer = top.get("source"), top.get("disclaimer")
    placed: list[tuple[Path, str]] = [
        (("source", "scope"), source.scope if source else ""),
        (("disclaimer", "compact"), disclaimer.compact if disclaimer else ""),
        *((("conditions", (None, c.id), "no_code_reason"), c.no_code_reason or "") for c in conditions),
    ]
    for where, text in placed:
        if text.startswith(PLACEHOLDER):
            what = f"a placeholder left by `adjuvant migrate`; {text[len(PLACEHOLDER) :].strip()}"
            warnings.append(Finding(where, "placeholder", what))


def _check_revision_ids(where: Path, drug: Drug, problems: list[Finding]) -> None:
    """Corrections and readings share one namespace (an entry names either)."""
    _check_unique((*where, "corrections"), "id", [c.id for c in drug.corrections], problems)
    _check_unique((*where, "readings"), "id", [r.id for r in drug.readings], problems)
    if drug.readings and drug.corrections:
        corrections = {c.id for c in drug.corrections}
        for n, reading in enumerate(drug.readings, 1):
            if reading.id in corrections:
                problems.append(_used_twice((*where, "readings", (n, None), "id"), reading.id))


def _reported(entry: Path, problems: list[Finding]) -> bool:
    """Whether a problem inside `entry` was reported already."""
    return any(_inside(p.path, entry) for p in problems)


def _inside(path: Path, entry: Path) -> bool:
    """Whether `path` lies below `entry`, whose entries are named by id (counts are not compared)."""
    if len(path) <= len(entry):
        return False
    for step, wanted in zip(path, entry, strict=False):  # path is the longer
        same = (
            step[1] == wanted[1] if isinstance(step, tuple) and isinstance(wanted, tuple) else step == wanted
        )
        if not same:
            return False
    return True


def _check_unique(array: Path, key: str, ids: list[str], problems: list[Finding]) -> None:
    """The second of two entries of `array` with one id is reported, named by
    its count (by its id, it would be the first); the common case is one set."""
    if len(set(ids)) == len(ids):
        return
    seen: set[str] = set()
    for n, item in enumerate(ids, 1):
        if item in seen:
            problems.append(_used_twice((*array, (n, None), key), item))
        seen.add(item)


def _used_twice(where: Path, ident: str) -> Finding:
    return Finding(where, "duplicate", f'the id "{printable(ident, 60)}" is used twice')


class _Known(set[str]):
    """The condition ids, and every word that names one (label, synonyms,
    abbreviations), for a "did you mean" that knows "ms" is multiple sclerosis."""

    def __init__(self, conditions: Iterable[Condition]) -> None:
        self.conditions = tuple(conditions)
        super().__init__(c.id for c in self.conditions)

    @functools.cached_property
    def words(self) -> dict[str, str]:
        # Folded only when an id is unknown: the error path, not a load.
        words: dict[str, str] = {}
        for c in self.conditions:
            for name in (c.label, *c.synonyms, *c.abbreviations, *c.case_sensitive_abbreviations):
                words.setdefault(fold(name), c.id)
        return words


def _unknown(where: Path, kind: str, value: str, known: Iterable[str] = ()) -> Finding:
    said = f'unknown {kind} "{printable(value, 40)}"'
    if not known:
        return Finding(where, "unknown-id", said)
    words = getattr(known, "words", {})
    meant = words.get(fold(value)) or words.get(fold(value.replace("-", " ")))
    if meant is None:
        close = did_you_mean(value, known, limit=1)
        meant = close[0] if close else None
    return Finding(where, "unknown-id", f'{said} (did you mean "{meant}"?)' if meant else said)


def _check_conditions(parts: _Parts, known: set[str], problems: list[Finding]) -> set[str]:
    """Codes or a reason for none; broader links and umbrellas that point to known
    conditions. Returns the ids these links use."""
    used: set[str] = set()
    for condition in parts.conditions:
        where: Path = ("conditions", (None, condition.id))
        if not condition.icd10 and not condition.no_code_reason:
            what = "a condition without icd10 codes must say why"
            problems.append(Finding((*where, "no_code_reason"), "empty", what))
        for n, parent in enumerate(condition.broader, 1):
            if parent not in known or parent == condition.id:
                problems.append(_unknown((*where, "broader", n), "condition", parent, known))
            else:
                used |= {parent, condition.id}
    for umbrella in parts.umbrellas:
        if not umbrella.reaches:
            reaches = ("umbrellas", (None, umbrella.id), "reaches")
            problems.append(Finding(reaches, "empty", "name at least one condition"))
        for n, reached in enumerate(umbrella.reaches, 1):
            if reached not in known:
                problems.append(
                    _unknown(("umbrellas", (None, umbrella.id), "reaches", n), "condition", reached, known)
                )
            used.add(reached)
    return used


def _check_drug(
    drug: Drug, known: set[str], effects: set[str], problems: list[Finding], warnings: list[Finding]
) -> set[str]:
    """Every id a drug refers to exists; returns the conditions it links or mentions."""
    where: Path = ("drugs", (None, drug.id))
    used: set[str] = set()
    for n, effect in enumerate(drug.effects, 1):
        if effect not in effects:
            problems.append(_unknown((*where, "effects", n), "effect", effect, effects))
    said = _reported(where, problems)  # "missing" already said: "needs at least one" would repeat it
    if not drug.indications and not said:
        problems.append(Finding((*where, "indications"), "empty", "a drug needs at least one indication"))
    if not drug.mechanism and not said:
        what = "a drug needs at least one mechanism statement"
        problems.append(Finding((*where, "mechanism"), "empty", what))
    if not drug.forms and not said:
        problems.append(Finding((*where, "forms"), "empty", "name at least one dosage form"))
    revisions = {c.id for c in drug.corrections} | {r.id for r in drug.readings}
    _check_revision_ids(where, drug, problems)
    for caveat in drug.caveats:
        caveat_at = (*where, "caveats", (None, caveat.id))
        for n, concerned in enumerate(caveat.conditions, 1):
            if concerned not in known:
                problems.append(_unknown((*caveat_at, "conditions", n), "condition", concerned, known))
        for effect in caveat.effects:
            if effect not in drug.effects:
                what = f'"{printable(effect, 40)}" is not an effect of the drug'
                problems.append(Finding((*caveat_at, "effects"), "bad-value", what))
    used |= _check_statements(where, drug, known, revisions, problems)
    used |= _check_indications(where, drug, known, revisions, problems, warnings)
    return used


def _check_statements(
    where: Path, drug: Drug, known: set[str], revisions: set[str], problems: list[Finding]
) -> set[str]:
    used: set[str] = set()
    tables = (("mechanism", drug.mechanism), ("actions", drug.actions), ("onset", drug.onset))
    numbered = (((*where, key, (n, None)), s) for key, table in tables for n, s in enumerate(table, 1))
    for place, statement in numbered:
        for n, mentioned in enumerate(statement.mentions, 1):
            if mentioned not in known:
                problems.append(_unknown((*place, "mentions", n), "condition", mentioned, known))
            used.add(mentioned)
        _check_revisions(place, statement, revisions, problems)
    return used


def _check_indications(  # noqa: PLR0917 (the checks' context, spelled out)
    where: Path,
    drug: Drug,
    known: set[str],
    revisions: set[str],
    problems: list[Finding],
    warnings: list[Finding],
) -> set[str]:
    used: set[str] = set()
    for indication in drug.indications:
        place = (*where, "indications", (None, indication.id))
        if not indication.links and not _reported(place, problems):
            problems.append(Finding((*place, "links"), "empty", "link at least one condition"))
        seen: set[str] = set()
        for n, link in enumerate(indication.links, 1):
            if not link.reviewed:
                what = (
                    f'"{link.role.value}" for "{link.condition}" is not reviewed; '
                    "confirm the role and remove `reviewed = false`"
                )
                warnings.append(Finding((*place, "links", (n, None), "role"), "unreviewed-link", what))
            if link.condition not in known:
                problems.append(
                    _unknown((*place, "links", (n, None), "condition"), "condition", link.condition, known)
                )
            elif link.condition in seen:
                what = f'"{link.condition}" is linked twice'
                problems.append(Finding((*place, "links"), "duplicate", what))
            seen.add(link.condition)
            used.add(link.condition)
        _check_revisions(place, indication, revisions, problems)
    return used


def _check_revisions(
    place: Path, revised: Statement | Indication, known: set[str], problems: list[Finding]
) -> None:
    for key, ids in (("corrections", revised.corrections), ("readings", revised.readings)):
        for n, revision in enumerate(ids, 1):
            if revision not in known:
                problems.append(_unknown((*place, key, n), "correction or reading", revision, known))


def _build_name_index(drugs: list[Drug], problems: list[Finding]) -> dict[str, str]:
    """Folded name -> drug id. A name two drugs claim would make look-ups
    ambiguous, and two names a reader cannot tell apart (fold_name: "Vаlium"
    with a Cyrillic а, "Valium" with a Braille blank) would mislead."""
    index: dict[str, str] = {}
    owners: dict[str, str] = {}
    for drug in drugs:
        for name in drug.names:
            index.setdefault(fold(name), drug.id)
            owner = owners.setdefault(fold_name(name), drug.id)
            if owner != drug.id:
                what = f'the name "{printable(name, 40)}" is already a name of drug "{owner}"'
                problems.append(Finding(("drugs", (None, drug.id)), "duplicate", what))
    return index
