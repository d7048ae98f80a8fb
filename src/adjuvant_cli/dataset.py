"""Loading a dataset: find it, read it safely, parse the TOML, validate every
field, and build the model. The only module that touches the dataset file.

Validation collects every problem (not just the first) as
``<where>: <what>`` lines, e.g. ``drug "tizanidine" indications[3].conditions[0]:
unknown condition "ms"``, so one run of ``adjuvant validate`` shows a dataset
author all there is to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

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
from adjuvant_cli.text import find_unsafe, fold, printable

SCHEMA_VERSION = 1
_READS = f"this adjuvant reads schema_version = {SCHEMA_VERSION}"
BUNDLED_LABEL = "monographs.toml (bundled)"

# Refuse before parsing: a formulary of 10,000 drugs is about 25 MB; anything
# far past that is a mistake (a wrong path, a log file) and would only hang.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_STRING_CHARS = 4_000
MAX_LIST_ITEMS = 1_000

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_ATC = r"[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}"
_ICD10_CODE = r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?"
_ICD10 = rf"{_ICD10_CODE}(?:-{_ICD10_CODE})?"

T = TypeVar("T")


# --------------------------------------------------------------------------
# Finding and reading the file
# --------------------------------------------------------------------------


def load_dataset(path: str | None = None, *, use_cache: bool = True) -> Dataset:
    """The dataset at `path`, or the bundled one; raises DatasetError.

    A validated dataset is cached (see cache.py) and reused while the file is
    unchanged, which spares parsing and validating it on every run."""
    from adjuvant_cli import cache

    location = _bundled_path() if path is None else Path(path)
    if not use_cache or location is None:
        label, text = read_dataset_text(path)
        return parse_dataset(text, label)
    # One descriptor for the key and the bytes: whatever the path points to
    # meanwhile (a flipped symlink, a rename), the key describes what is read.
    label = BUNDLED_LABEL if path is None else printable(path, 200)
    with _opened(location, label, bundled=path is None) as handle:
        info = os.fstat(handle.fileno())
        key = cache.file_key(info, SCHEMA_VERSION)
        cached = cache.load(key)
        if cached is not None:
            return cached
        data = _read_open(handle, label, bundled=path is None)
    dataset = parse_dataset(_decode(data, label), label)
    cache.store(key, info, dataset)
    return dataset


def read_dataset_text(path: str | None) -> tuple[str, str]:
    """(label for messages, decoded text) of the dataset file; raises DatasetError."""
    if path is None:
        try:
            return BUNDLED_LABEL, _decode(_bundled_bytes(), BUNDLED_LABEL)
        except OSError as error:
            reason = error.strerror or str(error)
            problem = f"cannot read the bundled dataset ({reason}); reinstall adjuvant"
            raise DatasetError(BUNDLED_LABEL, [problem]) from None
    label = printable(path, 200)
    return label, _decode(_read_capped(Path(path), label), label)


def _bundled_path() -> Path | None:
    """The bundled file on disk, or None when the package is not on a filesystem.

    The wheel installs it beside this module; an editable install (pip
    install -e) maps only src/, so it is where the checkout keeps it."""
    package = Path(__file__).parent
    if not package.is_dir():
        return None
    for candidate in (package / "data", package.parents[1] / "data"):
        if (candidate / "monographs.toml").is_file():
            return candidate / "monographs.toml"
    return package / "data" / "monographs.toml"  # missing: reading it reports that


def _bundled_bytes() -> bytes:
    located = _bundled_path()
    if located is not None:
        return located.read_bytes()
    # Reading by path costs nothing, while importing importlib.resources costs
    # ~5 ms of start-up (zipfile, tempfile, random...): it is only asked when
    # the package is not on a filesystem at all (zipapp, zipimport).
    from importlib.resources import files

    return files("adjuvant_cli").joinpath("data", "monographs.toml").read_bytes()


def _read_capped(path: Path, label: str) -> bytes:
    with _opened(path, label) as handle:
        return _read_open(handle, label)


def _opened(path: Path, label: str, bundled: bool = False) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as error:
        raise _unreadable(error, label, bundled) from None


def _read_open(handle: BinaryIO, label: str, bundled: bool = False) -> bytes:
    try:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            raise DatasetError(label, [_too_large()])
        data = handle.read(MAX_FILE_BYTES + 1)  # the size can lie (pipes, /proc)
    except OSError as error:
        raise _unreadable(error, label, bundled) from None
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(label, [_too_large()])
    return data


def _unreadable(error: OSError, label: str, bundled: bool) -> DatasetError:
    if bundled:
        reason = error.strerror or str(error)
        return DatasetError(label, [f"cannot read the bundled dataset ({reason}); reinstall adjuvant"])
    if isinstance(error, FileNotFoundError):
        return DatasetError(label, ["no such file; check the path given to --data or ADJUVANT_DATA"])
    if isinstance(error, IsADirectoryError):
        return DatasetError(label, ["is a directory; give the path of a .toml file"])
    if isinstance(error, PermissionError):
        return DatasetError(label, ["permission denied; check the file's permissions"])
    return DatasetError(label, [f"cannot read: {error.strerror or error}"])


def _too_large() -> str:
    return f"is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB a dataset may be"


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data:
        raise DatasetError(label, ["is a binary file, not TOML text"])
    try:
        return data.decode("utf-8-sig")  # a BOM, as Windows editors write, is fine
    except UnicodeDecodeError as error:
        raise DatasetError(
            label, [f"is not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"]
        ) from None


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
# Field checks: each returns the value, or records a problem and returns None
# --------------------------------------------------------------------------


class _Field(NamedTuple):
    kind: Callable[[object, str, list[str]], Any]
    required: bool = True


def _is_plain_string(value: object) -> bool:
    """The common case, decided in one pass of C-level checks: a non-blank
    string of sane length with only printable characters (so nothing unsafe)."""
    return (
        type(value) is str
        and len(value) <= MAX_STRING_CHARS
        and value.isprintable()
        and bool(value)
        and not value.isspace()
    )


def _string(value: object, where: str, problems: list[str]) -> str | None:
    if _is_plain_string(value):  # a large formulary has ~500,000 strings: keep them cheap
        return value  # type: ignore[return-value]
    if not isinstance(value, str):
        problems.append(f"{where}: expected a string, got {_type_name(value)}")
        return None
    if not value.strip():
        problems.append(f"{where}: is empty")
        return None
    if len(value) > MAX_STRING_CHARS:
        problems.append(f"{where}: is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}")
        return None
    unsafe = find_unsafe(value)
    if unsafe is not None:
        problems.append(
            f"{where}: contains the control character {printable(unsafe)}, which could rewrite a terminal"
        )
        return None
    return value


def _pattern(regex: str, what: str) -> Callable[[object, str, list[str]], str | None]:
    def check(value: object, where: str, problems: list[str]) -> str | None:
        text = _string(value, where, problems)
        if text is not None and not re.fullmatch(regex, text):
            problems.append(f'{where}: "{printable(text, 40)}" is not {what}')
            return None
        return text

    return check


def _strings(
    item: Callable[[object, str, list[str]], T | None],
) -> Callable[[object, str, list[str]], tuple[T, ...] | None]:
    def check(value: object, where: str, problems: list[str]) -> tuple[T, ...] | None:
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list, got {_type_name(value)}")
            return None
        if len(value) > MAX_LIST_ITEMS:
            problems.append(f"{where}: has {len(value):,} items; the limit is {MAX_LIST_ITEMS:,}")
            return None
        if item is _string and all(map(_is_plain_string, value)):
            return tuple(value)  # the common case; paths below are built only for problems
        checked = [item(v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
        return tuple(v for v in checked if v is not None)

    return check


def _date(value: object, where: str, problems: list[str]) -> date | None:
    if type(value) is not date:  # a datetime is a date too, but not what is meant
        problems.append(f"{where}: expected a TOML date (e.g. 2025-07-08), got {_type_name(value)}")
        return None
    return value


def _type_name(value: object) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


_IDENT = _pattern(_ID, "an id (lower-case letters, digits and single hyphens)")
_STRING = _Field(_string)
_STRING_LIST = _Field(_strings(_string), required=False)


def _table(
    value: object, where: str, spec: Mapping[str, _Field], problems: list[str]
) -> dict[str, Any] | None:
    """The table's checked fields by name (absent optional ones left out), or None."""
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a table, got {_type_name(value)}")
        return None
    # `drug "x" atc` after a named drug, `source.title` after a plain key.
    prefix = f"{where} " if where.endswith('"') else f"{where}." if where else ""
    for key in value:
        if key not in spec:
            problems.append(f"{prefix}{printable(key, 40)}: unknown key{_did_you_mean(key, spec)}")
    checked: dict[str, Any] = {}
    for key, field in spec.items():
        if key in value:
            result = field.kind(value[key], f"{prefix}{key}", problems)
            if result is not None:
                checked[key] = result
        elif field.required:
            problems.append(f"{prefix}{key}: missing")
    return checked if all(k in checked for k, f in spec.items() if f.required) else None


def _did_you_mean(key: str, spec: Mapping[str, _Field]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(key[:40], list(spec), n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _tables(
    value: object, where: str, problems: list[str], build: Callable[[object, str, list[str]], T | None]
) -> list[T]:
    if not isinstance(value, list):
        problems.append(f"{where}: expected an array of tables ([[{where}]]), got {_type_name(value)}")
        return []
    built = (build(item, f"{where}[{i}]", problems) for i, item in enumerate(value))
    return [item for item in built if item is not None]


# --------------------------------------------------------------------------
# Building the model
# --------------------------------------------------------------------------

_SOURCE = {
    "title": _STRING,
    "publisher": _STRING,
    "last_reviewed": _Field(_date),
    "nature": _STRING,
    "notes": _STRING_LIST,
}
_EFFECT = {"id": _Field(_IDENT), "label": _STRING}
_CONDITION = {
    "id": _Field(_IDENT),
    "label": _STRING,
    "synonyms": _STRING_LIST,
    "abbreviations": _STRING_LIST,
    "icd10": _Field(
        _strings(_pattern(_ICD10, "an ICD-10 code or range (e.g. G35, G80.3, M40-M54)")), required=False
    ),
    "note": _Field(_string, required=False),
}
_INDICATION = {
    "group": _STRING,
    "text": _STRING,
    "route": _Field(_string, required=False),
    "qualifiers": _STRING_LIST,
    "conditions": _Field(_strings(_string)),
}
_CORRECTION = {"original": _STRING, "corrected": _STRING}
_DRUG = {
    "id": _Field(_IDENT),
    "name": _STRING,
    "drug_class": _STRING,
    "atc": _Field(_pattern(_ATC, "an ATC code (e.g. M03BX01)")),
    "forms": _Field(_strings(_string)),
    "brand_names": _STRING_LIST,
    "other_names": _STRING_LIST,
    "mechanism": _Field(_strings(_string)),
    "actions": _STRING_LIST,
    "effects": _STRING_LIST,
    "onset": _STRING_LIST,
    "caveats": _STRING_LIST,
    "indications": _Field(lambda v, w, p: _tables(v, w, p, _build_indication)),
    "corrections": _Field(lambda v, w, p: _tables(v, w, p, _build_correction), required=False),
}
_TOP = {
    "schema_version": _Field(lambda v, w, p: v),  # checked first, on its own
    "source": _Field(lambda v, w, p: _build(Source, v, w, _SOURCE, p)),
    "disclaimer": _Field(lambda v, w, p: _table(v, w, {"text": _STRING}, p)),
    "effects": _Field(lambda v, w, p: _tables(v, w, p, _build_effect)),
    "conditions": _Field(lambda v, w, p: _tables(v, w, p, _build_condition)),
    "drugs": _Field(lambda v, w, p: v),  # built once conditions and effects are known
}


def _build(
    cls: Callable[..., T], value: object, where: str, spec: Mapping[str, _Field], problems: list[str]
) -> T | None:
    fields = _table(value, where, spec, problems)
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
    fields = _table(value, where, _DRUG, problems)
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
    top = _table(raw, "", _TOP, problems)
    if top is None:
        return None
    effects: list[Effect] = top["effects"]
    conditions: list[Condition] = top["conditions"]
    drugs = _tables(top["drugs"], "drugs", problems, _build_drug)
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


# --------------------------------------------------------------------------
# `adjuvant validate`
# --------------------------------------------------------------------------


class ValidationReport(NamedTuple):
    """What `validate` found: every problem, or the size of a valid dataset."""

    dataset: str
    problems: tuple[str, ...]
    drug_count: int = 0
    condition_count: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_dataset(path: str | None = None) -> ValidationReport:
    """Check a dataset file (the bundled one without a path); never raises for bad data."""
    label = BUNDLED_LABEL if path is None else printable(path, 200)
    try:
        dataset = load_dataset(path, use_cache=False)  # validating is the point
    except DatasetError as error:
        return ValidationReport(label, error.problems)
    return ValidationReport(label, (), len(dataset.drugs), len(dataset.conditions))
