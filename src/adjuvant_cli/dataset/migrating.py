"""`adjuvant migrate OLD NEW`: a version 1 dataset rewritten as version 2.

What version 1 did not say is never guessed silently: every condition link
becomes a target with `reviewed = false` (validate warns on each until a
person has set its role), and each other change is explained in a comment.
Placeholders (`source.scope`, `disclaimer.compact`, a missing
`no_code_reason`) start with PLACEHOLDER, which validate warns on too.

Locator policy: version 1 had no locators, and schema 2 requires one on every
statement, indication and correction. The placeholder is the entry's place in
the old file: `<drug>/action/<n>` for the n-th statement of the drug (its
mechanism, then actions, then onset, as version 1 listed them),
`<drug>/indications/<n>` for the n-th indication, and a correction points to
the drug's first statement. Each carries a comment asking for the real one.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from adjuvant_cli.dataset.building import PLACEHOLDER
from adjuvant_cli.errors import DatasetError

_REVIEW = "# REVIEW (adjuvant migrate):"
_CONDITION_KEYS = ("id", "label", "synonyms", "abbreviations", "case_sensitive_abbreviations", "icd10")


def migrate_file(old: str, new: str) -> str:
    """Write NEW, the version 2 form of the version 1 file OLD; returns NEW as
    shown. Refuses to overwrite (UsageError), and to write a result that would
    not load (DatasetError, naming its problems)."""
    from pathlib import Path

    import tomli

    from adjuvant_cli.dataset.building import check_dataset
    from adjuvant_cli.dataset.reading import read_dataset_text
    from adjuvant_cli.dataset.starting import write_new

    label, text = read_dataset_text(old)
    try:
        raw = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise DatasetError(label, [f"TOML syntax error: {error.msg}; fix it first"]) from None
    migrated = migrate_text(raw, label)
    dataset, problems, _ = check_dataset(migrated, new)
    if dataset is None:
        raise DatasetError(label, [f"the migrated form would not load: {p}" for p in problems])
    return write_new(Path(new), migrated)


def migrate_text(raw: dict[str, Any], label: str) -> str:
    """The version 2 text of a parsed version 1 dataset; raises DatasetError
    when it is not version 1 or not a dataset at all."""
    if raw.get("schema_version") != 1:
        raise DatasetError(label, ["is not a version 1 dataset (schema_version = 1); nothing to migrate"])
    try:
        return "\n".join(_migrated(raw)) + "\n"
    except (KeyError, TypeError, AttributeError) as error:
        raise DatasetError(
            label, [f"is not a well-formed version 1 dataset ({error!s}); fix it first"]
        ) from None


def _migrated(raw: dict[str, Any]) -> list[str]:
    lines = [
        "#:schema ./adjuvant-dataset-2.schema.json",
        "# Migrated from dataset version 1 by `adjuvant migrate`. Every line marked",
        f"# {_REVIEW[2:]} needs a person: `adjuvant validate --strict` fails until each is done.",
        "",
        "schema_version = 2",
        "",
        *_source(raw["source"]),
        *_disclaimer(raw["disclaimer"]),
    ]
    for effect in raw.get("effects", []):
        lines += ["[[effects]]", *_keys(effect, ("id", "label")), ""]
    for condition in raw.get("conditions", []):
        lines += _condition(condition)
    for drug in raw["drugs"]:
        lines += _drug(drug)
    return lines


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _keys(table: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [f"{key} = {_value(table[key])}" for key in keys if key in table]


def _source(source: dict[str, Any]) -> list[str]:
    return [
        "[source]",
        *_keys(source, ("title", "publisher", "last_reviewed", "nature", "notes")),
        f"{_REVIEW} new in version 2: what the source covers and leaves out, shown with every monograph.",
        f"scope = {_value(PLACEHOLDER + ' say what the source covers and what it leaves out.')}",
        "",
    ]


def _disclaimer(disclaimer: dict[str, Any]) -> list[str]:
    return [
        "[disclaimer]",
        *_keys(disclaimer, ("text",)),
        f"{_REVIEW} new in version 2: the disclaimer in at most 160 characters, for narrow output.",
        f"compact = {_value(PLACEHOLDER + ' write the disclaimer in at most 160 characters.')}",
        "",
    ]


def _condition(condition: dict[str, Any]) -> list[str]:
    lines = ["[[conditions]]", *_keys(condition, _CONDITION_KEYS)]
    if not condition.get("icd10"):
        lines += [
            f"{_REVIEW} version 2 asks a condition without codes to say why.",
            f"no_code_reason = {_value(PLACEHOLDER + ' say why this condition has no ICD-10 code.')}",
        ]
    if condition.get("icd10"):
        lines += [
            f"{_REVIEW} a code inside this condition's codes no longer counts its statements",
            "# unless the condition covers it:",
            "# covers = true  (or { except = [codes or ids] }; unsaid, or false, it does not cover)",
        ]
    if "note" in condition:
        lines.append(f"note = {_value(condition['note'])}")
    return [*lines, ""]


def _drug(drug: dict[str, Any]) -> list[str]:
    ident = drug["id"]
    lines = [
        "[[drugs]]",
        *_keys(drug, ("id", "name", "drug_class", "atc", "forms", "other_names", "effects")),
        "",
    ]
    for name in drug.get("brand_names", []):
        lines += [
            f"{_REVIEW} version 1's brand_names became [[drugs.brands]]; add the forms of each.",
            "[[drugs.brands]]",
            f"name = {_value(name)}",
            "",
        ]
    statements = [
        *(("mechanism", text) for text in drug.get("mechanism", [])),
        *(("actions", text) for text in drug.get("actions", [])),
        *(("onset", text) for text in drug.get("onset", [])),
    ]
    for n, (table, text) in enumerate(statements, 1):
        lines += [
            f"{_REVIEW} the locator is a placeholder (statement {n} of the old file): "
            "give the paragraph of the source.",
            f"[[drugs.{table}]]",
            f"text = {_value(text)}",
            f"source = {_value(f'{ident}/action/{n}')}",
            "",
        ]
    for n, text in enumerate(drug.get("caveats", []), 1):
        lines += [
            f"{_REVIEW} version 1's caveat strings became tables with an id; "
            "name the effects or conditions each concerns.",
            "[[drugs.caveats]]",
            f"id = {_value(f'{ident}-caveat-{n}')}",
            f"text = {_value(text)}",
            "",
        ]
    used: set[str] = set()
    for n, indication in enumerate(drug["indications"], 1):
        lines += _indication(ident, n, indication, used)
    for n, correction in enumerate(drug.get("corrections", []), 1):
        lines += [
            f"{_REVIEW} corrections now have an id and a locator (a placeholder): give the paragraph.",
            "[[drugs.corrections]]",
            f"id = {_value(f'{ident}-correction-{n}')}",
            *_keys(correction, ("original", "corrected")),
            f"source = {_value(f'{ident}/action/1')}",
            "",
        ]
    return lines


def _indication(drug: str, n: int, indication: dict[str, Any], used: set[str]) -> list[str]:
    text = indication["text"]
    ident = _unique(f"{drug}-{_slug(text)}", used)
    links = [
        f'  {{ condition = {_value(c)}, role = "target", reviewed = false }},'
        for c in indication["conditions"]
    ]
    return [
        "[[drugs.indications]]",
        f"id = {_value(ident)}  # generated from the text",
        *_keys(indication, ("group", "text")),
        f"{_REVIEW} `treats` is new: what is treated, in a few words (here the whole text).",
        f"treats = {_value(text)}",
        *_keys(indication, ("route", "qualifiers")),
        f"{_REVIEW} version 1 links had no role; each became a target. Set each role (target: what",
        "# is treated; setting: the condition in which it is treated; example: a setting named by",
        "# example), then delete its `reviewed = false`.",
        "links = [",
        *links,
        "]",
        f"{_REVIEW} the locator is a placeholder (indication {n} of the old file): give the paragraph.",
        f"source = {_value(f'{drug}/indications/{n}')}",
        "",
    ]


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:8]) or "indication"


def _unique(ident: str, used: set[str]) -> str:
    candidate, n = ident, 2
    while candidate in used:
        candidate, n = f"{ident}-{n}", n + 1
    used.add(candidate)
    return candidate
