"""Write the JSON Schemas of the JSON output, one per command, to schemas/output/.

The schemas are the output's contract (schema_version 2), written here by hand
as Python so that the shapes every command shares (a condition reference, an
indication, a caveat, the envelope) are spelled once. They are not derived
from the renderer: a renamed or retyped key in render/json.py fails the tests
that validate real output against them (tests/test_json_contract.py), and
those tests also fail when the committed files differ from what this script
writes. Run `python scripts/output_schemas.py` after changing the contract,
and `--check` to compare only.

Rule for absent and null, pinned by `required` and `additionalProperties`:
every key is always present; a value the dataset does not give is `null`; an
empty list is `[]`. The one exception is `show`: `result.drug` carries the
keys of the selected sections only (`result.sections` lists them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas" / "output"
COMMANDS = ("list", "show", "search", "compare", "conditions", "validate", "diff")
# Commands whose output is not medical content of one dataset: no source, no disclaimer.
WITHOUT_SOURCE = ("validate", "diff")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://adjuvant.invalid/schemas/output/v2/"

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": "string", "minLength": 1}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
COUNT: Schema = {"type": "integer", "minimum": 0}
ID: Schema = {"type": "string", "minLength": 1}
ROLE: Schema = {"enum": ["target", "setting", "example", "mention"]}
LINK_ROLE: Schema = {"enum": ["target", "setting", "example"]}
# A link's review state: false where a person has yet to confirm its role
# (`adjuvant migrate` guessed it); the role is then shown as not reviewed.
REVIEWED: Schema = {"type": "boolean"}
DIFF_VALUE: Schema = {
    "anyOf": [{"type": ["string", "boolean", "integer", "null"]}, {"type": "array", "items": STRING}]
}


def strings(item: Schema = STRING) -> Schema:
    return {"type": "array", "items": item}


def array(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def record(**properties: Schema) -> Schema:
    """An object with exactly these keys, all present."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def by_drug_id(value: Schema) -> Schema:
    """An object keyed by drug_id (compare's columns)."""
    return {"type": "object", "additionalProperties": value}


CODE = record(code=TEXT, title=NULLABLE_STRING)
# Codes asked for (a query, a row's or an entry's condition) that a covering
# condition excepts (FACTS §4c), each with WHO's codes and titles in it: what is
# said counts for the rest only. [] when it covers the whole.
EXCEPTED = array(record(code=TEXT, titles=array(record(code=TEXT, title=TEXT))))
CONDITION_REF = record(condition_id=ID, label=TEXT, icd10=array(CODE))
CONDITION_NAME = record(condition_id=ID, label=TEXT)
CAVEAT_FIELDS: dict[str, Schema] = {
    "caveat_id": ID,
    "text": TEXT,
    "disputes_effect_ids": strings(ID),
    "source_locator": NULLABLE_STRING,
}
CAVEAT = record(**CAVEAT_FIELDS)
DRUG_CAVEAT = record(drug_id=ID, **CAVEAT_FIELDS)
DRUG_SUMMARY_FIELDS: dict[str, Schema] = {
    "drug_id": ID,
    "name": TEXT,
    "drug_class": TEXT,
    "atc": TEXT,
    "forms": strings(TEXT),
}
BRAND = record(name=TEXT, forms=strings(TEXT), note=NULLABLE_STRING)
STATEMENT = record(
    text=TEXT,
    context=NULLABLE_STRING,
    mentions=array(record(condition_id=ID, label=TEXT, role={"const": "mention"})),
    source_locator=TEXT,
    quote=NULLABLE_STRING,  # the shortest verbatim span of the article it rests on
    reading_ids=strings(ID),
    correction_ids=strings(ID),
)
INDICATION = record(
    indication_id=ID,
    group=TEXT,
    text=TEXT,
    treats=TEXT,
    route=NULLABLE_STRING,
    qualifiers=strings(TEXT),
    contraindication=NULLABLE_STRING,
    note={
        **NULLABLE_STRING,
        "description": "What the source leaves unsaid of the indication, shown with it "
        '("the source states no long-term treatment of epilepsy"); never a search match.',
    },
    links=array(record(condition_id=ID, label=TEXT, icd10=array(CODE), role=LINK_ROLE, reviewed=REVIEWED)),
    source_locator=TEXT,
    quote=NULLABLE_STRING,  # the shortest verbatim span of the article it rests on
    reading_ids=strings(ID),
    correction_ids=strings(ID),
)
RESOLVED = record(
    query=STRING,
    drug_id=ID,
    matched_name=TEXT,
    match={"enum": ["id", "name", "brand_name", "other_name", "prefix"]},
    brand=nullable(BRAND),
    forms_not_described=strings(TEXT),
    note=NULLABLE_STRING,
)
SPAN: Schema = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0},
    "minItems": 2,
    "maxItems": 2,
}
TIER: Schema = {
    "enum": [
        "target",
        "setting",
        "unreviewed",
        "narrower",
        "wording",
        "drug",
        "statement",
        "mention",
        "broader",
        "who_title",
    ]
}
REASON = record(
    term=STRING,
    match={
        "enum": [
            "label",
            "synonym",
            "abbreviation",
            "stem",
            "phrasing",
            "umbrella",
            "code",
            "condition_word",
            "word",
            "word_stem",
            "mention",
            "who_title",
        ]
    },
    condition_id=nullable(ID),
    role=nullable(ROLE),
    reviewed=REVIEWED,
    queried_condition_id=nullable(ID),
    umbrella_id=nullable(ID),
    # inside: the query means a condition inside `condition_id`, which covers it
    # (counted; FACTS §4c); broader: one inside it that it does not cover (not counted)
    relation={"enum": ["itself", "narrower", "inside", "broader", "umbrella", "words", "group"]},
    # the code the query meant, when it is no condition's own (relation inside or broader)
    inner_code=NULLABLE_STRING,
    who_title={
        **NULLABLE_STRING,
        "description": 'The WHO ICD-10 code and title the term met ("G40 Epilepsy"): a title shown '
        "(match who_title), or the whole title a query was read as (match code); else null.",
    },
    excepted={
        **EXCEPTED,
        "description": "Relation inside: the codes of the query that the named condition excepts "
        '(FACTS §4c; "M46.2-M46.5" in M46), each with WHO\'s codes and titles in it. The hit counts '
        "for the rest of the query only: the answer is in part. Empty when it covers the whole query.",
    },
)
HIT = record(
    tier=TIER,
    hit_type={"enum": ["indication", "drug", "statement"]},
    drug_id=ID,
    name=TEXT,
    field={"enum": ["indication", "class", "effect", "mechanism", "actions", "onset", "caveats"]},
    text=TEXT,
    context=NULLABLE_STRING,
    indication_id=nullable(ID),
    treats=NULLABLE_STRING,
    route=NULLABLE_STRING,
    qualifiers=strings(TEXT),
    contraindication=NULLABLE_STRING,
    indication_note={
        **NULLABLE_STRING,
        "description": "What the source leaves unsaid of the indication, shown with it "
        '("the source states no long-term treatment of epilepsy"); never a search match.',
    },
    links=array(record(condition_id=ID, role=LINK_ROLE, reviewed=REVIEWED)),
    caveat_ids=strings(ID),
    note=NULLABLE_STRING,
    score={"type": "number"},
    reasons=array(REASON),
    highlights=record(
        unit={"const": "python_str_index"},
        text_spans=array(SPAN),
        qualifier_spans=array(array(SPAN)),
    ),
)
MEANING = record(
    term=STRING,
    match={
        "enum": ["label", "synonym", "abbreviation", "stem", "phrasing", "umbrella", "code", "who_title"],
        "description": "How the term was read; phrasing: a way people ask (FACTS §4d), such as "
        "'lower back pain' for Low back pain or 'ischaemic stroke' for WHO I63; who_title: the "
        "whole of a WHO ICD-10 title ('epilepsy' for G40).",
    },
    condition_id=nullable(ID),
    umbrella_id=nullable(ID),
    code={**NULLABLE_STRING, "description": "The ICD-10 code as typed (upper-cased), or null."},
    read_as_code={
        **NULLABLE_STRING,
        "description": "The WHO ICD-10 code the term was read as: a typed code in WHO form "
        "(M54.50 -> M54.5), or, with match who_title, the code whose whole WHO title the term "
        'is ("epilepsy" -> G40); else null.',
    },
    note={
        **NULLABLE_STRING,
        "description": "The reading shown with an article's own word ('psychopathy': personality "
        "disorder in general), or null.",
    },
)
RESTRICTION = record(
    kind={
        "enum": ["drug", "class"],
        "description": "drug: a drug's name or brand was typed; class: a class or effect word.",
    },
    typed={**TEXT, "description": "The drug name or class words as typed."},
    drug_ids={**strings(ID), "description": "The drugs the answer is restricted to."},
    substance={
        "type": "boolean",
        "description": "The drug or class is the substance of what was asked (overdose, poisoning, "
        "withdrawal, dependence, abuse, intoxication, toxicity): nothing is counted or offered.",
    },
    disputed_drug_ids={
        **strings(ID),
        "description": "A class or effect word: drugs left out because only an effect tag their "
        "caveat disputes says it (tofisopam's muscle-relaxant, anticonvulsant, sedative effects); "
        "the screen says so. Empty for a drug's name.",
    },
    resolved={
        **array(RESOLVED),
        "description": "Each drug name typed, resolved as `show` resolves it: a brand's forms the "
        "monograph does not describe are in forms_not_described; [] for a class.",
    },
)
CELL = record(
    # mention: a statement outside the indications names the row's condition, or
    # one inside it (never counted, FACTS §4a); null: only a caveat concerns it
    role=nullable(ROLE),
    reviewed=REVIEWED,
    indication_id=nullable(ID),
    treats=NULLABLE_STRING,
    settings=array(CONDITION_NAME),
    route=NULLABLE_STRING,
    qualifiers=strings(TEXT),
    contraindication=NULLABLE_STRING,
    caveat_id=nullable(ID),
    # the condition the indication (or mention) names when not the row's own:
    # one inside it, or one that includes it
    via_condition_id=nullable(ID),
    # false: named in general, by a condition that includes the row's without
    # covering it; or a mention
    counted={"type": "boolean"},
    excepted=EXCEPTED,
    text=TEXT,
    # the drug's other indications that name the condition (the cell's text says them all)
    # The drug's other uses in the row, each as the cell's own: through which
    # condition, and whether it counts (every use, so that a cell drops none)
    also=array(
        record(
            role=nullable(ROLE),
            reviewed=REVIEWED,
            indication_id=nullable(ID),
            via_condition_id=nullable(ID),
            counted={"type": "boolean"},
            excepted=EXCEPTED,
        )
    ),
)
CONDITION_ROW = record(condition_id=ID, label=TEXT, icd10=array(CODE), by_drug=by_drug_id(nullable(CELL)))
USE = record(
    drug_id=ID,
    role=ROLE,
    reviewed=REVIEWED,
    indication_id=nullable(ID),
    text=NULLABLE_STRING,
    treats=NULLABLE_STRING,
    route=NULLABLE_STRING,
    qualifiers=strings(TEXT),
    # the condition the indication names when not this one: one inside it, or one that includes it
    via_condition_id=nullable(ID),
    # false: named in general, by a condition that includes this one without covering it
    counted={"type": "boolean"},
    excepted=EXCEPTED,
)

# show: result.drug holds the identity always, and each selected section's keys.
SHOW_SECTION_KEYS: dict[str, dict[str, Schema]] = {
    "overview": {
        **{k: v for k, v in DRUG_SUMMARY_FIELDS.items() if k not in ("drug_id", "name")},
        "brands": array(BRAND),
        "other_names": strings(TEXT),
    },
    "mechanism": {"mechanism": array(STATEMENT)},
    # "effects" as its heading says: the effect profile and the clinical effects (`actions`).
    "effects": {
        "effects": array(record(effect_id=ID, label=TEXT, disputed_by_caveat_id=nullable(ID))),
        "actions": array(STATEMENT),
    },
    "onset": {"onset": array(STATEMENT)},
    "indications": {"indications": array(INDICATION)},
    "corrections": {
        "corrections": array(record(correction_id=ID, original=TEXT, corrected=TEXT, source_locator=TEXT)),
        "readings": array(record(reading_id=ID, original=TEXT, reading=TEXT, why=TEXT, source_locator=TEXT)),
    },
}


def show_drug() -> Schema:
    """The drug's keys: identity and caveats always; a section's keys exactly
    when `result.sections` names it (checked by the `allOf` of the result)."""
    properties: dict[str, Schema] = {"drug_id": ID, "name": TEXT, "caveats": array(CAVEAT)}
    for keys in SHOW_SECTION_KEYS.values():
        properties.update(keys)
    return {
        "type": "object",
        "properties": properties,
        "required": ["drug_id", "name", "caveats"],
        "additionalProperties": False,
    }


def show_result() -> Schema:
    schema = record(
        resolved=RESOLVED,
        sections={"type": "array", "items": {"enum": list(SHOW_SECTION_KEYS)}, "uniqueItems": True},
        drug=show_drug(),
    )
    # A section's keys are present if and only if the section was selected.
    schema["allOf"] = [
        {
            "if": {"properties": {"sections": {"contains": {"const": section}}}},
            "then": {"properties": {"drug": {"required": list(keys)}}},
            "else": {"properties": {"drug": {"not": {"anyOf": [{"required": [k]} for k in keys]}}}},
        }
        for section, keys in SHOW_SECTION_KEYS.items()
        if keys
    ]
    return schema


RESULTS: dict[str, Schema] = {
    "list": record(drugs=array(record(**DRUG_SUMMARY_FIELDS, brands=array(BRAND))), drug_count=COUNT),
    "show": show_result(),
    "search": record(
        query=STRING,
        scope={"enum": ["indications", "all"]},
        terms=strings(),
        meanings=array(MEANING),
        hits=array(HIT),
        hit_count=COUNT,
        related=array(HIT),
        caveats=array(DRUG_CAVEAT),
        suggestions=array(record(type={"enum": ["drug", "condition"]}, text=TEXT, drug_id=nullable(ID))),
        set_aside={
            **strings(TEXT),
            "description": "Modifiers of the query (acute, chronic, severe, mild, moderate, lower, upper, "
            "recurrent, persistent, painful) set aside as narrowing nothing the source says, as typed.",
        },
        restriction={
            **nullable(RESTRICTION),
            "description": "A drug's name or a class word typed with a condition: the answer is among "
            "these drugs only; null when none was typed.",
        },
        parts={
            **array(record(query=TEXT, hit_count=COUNT)),
            "description": "A query that lists conditions ('anxiety or insomnia', 'anxiety, insomnia', "
            "'spasticity and back pain'; 'anxiety with insomnia' where no statement names both): each "
            "part as typed, answered on its own, with the statements it counted; hits holds them all, "
            "each in the best tier a part found. Empty for a query that asks one question.",
        },
    ),
    "compare": record(
        drug_ids=strings(ID),
        resolutions=array(RESOLVED),
        attributes=array(
            record(
                attribute_id={"enum": ["class", "atc", "forms", "mechanism"]},
                label=TEXT,
                values=by_drug_id(STRING),
            )
        ),
        effects=array(
            record(
                effect_id=ID,
                label=TEXT,
                by_drug=by_drug_id(
                    record(stated={"type": "boolean"}, note=NULLABLE_STRING, caveat_id=nullable(ID))
                ),
            )
        ),
        condition_groups=record(
            shared=array(CONDITION_ROW),
            partly_shared=array(CONDITION_ROW),
            unique=array(CONDITION_ROW),
        ),
        caveats=array(DRUG_CAVEAT),
    ),
    "conditions": record(
        filter=NULLABLE_STRING,
        conditions=array(
            record(
                condition_id=ID,
                label=TEXT,
                icd10=array(CODE),
                synonyms=strings(TEXT),
                abbreviations=strings(TEXT),
                no_code_reason=NULLABLE_STRING,
                # said not to cover (covers false), and coded: no member means it
                group_only={"type": "boolean"},
                # whether a statement about it covers the conditions inside it
                # (FACTS §4c); null: unsaid, which does not cover
                covers={"type": ["boolean", "null"]},
                # what it does not cover although it covers: condition ids or codes
                not_covered=strings(TEXT),
                note=NULLABLE_STRING,
                broader=array(CONDITION_NAME),
                uses=array(USE),
            )
        ),
        condition_count=COUNT,
    ),
    "validate": record(
        valid={"type": "boolean"},
        strict={"type": "boolean"},
        datasets=array(
            record(
                dataset=TEXT,
                valid={"type": "boolean"},
                drug_count=COUNT,
                condition_count=COUNT,
                error_count=COUNT,
                warning_count=COUNT,
            )
        ),
        # One object per problem, at its position (line and column are null
        # where the locator cannot place it, e.g. a file that is not TOML).
        problems=array(
            record(
                file=TEXT,
                line={"type": ["integer", "null"]},
                column={"type": ["integer", "null"]},
                field={"type": ["string", "null"]},
                code=TEXT,
                severity={"enum": ["error", "warning"]},
                message=TEXT,
            )
        ),
    ),
    # Two datasets compared record by record: each change says where (the steps
    # down from the dataset: a drug, its indication, its link ...), which
    # field (null for an item added or removed, whose label `old` or `new`
    # then holds), and the old and new values.
    "diff": record(
        old=TEXT,
        new=TEXT,
        same={"type": "boolean"},
        change_count=COUNT,
        changes=array(
            record(
                change={"enum": ["added", "removed", "changed"]},
                where=array(record(kind=TEXT, key=NULLABLE_STRING)),
                field=NULLABLE_STRING,
                old=DIFF_VALUE,
                new=DIFF_VALUE,
            )
        ),
    ),
}

SOURCE = record(
    title=TEXT,
    publisher=TEXT,
    last_reviewed={"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    nature=TEXT,
    scope=TEXT,
    notes=strings(TEXT),
)
DISCLAIMER = record(text=TEXT, compact=TEXT)


def schema_for(command: str) -> Schema:
    envelope: dict[str, Schema] = {
        "schema_version": {"const": 2},
        "command": {"const": command},
        "result": RESULTS[command],
    }
    if command not in WITHOUT_SOURCE:
        envelope |= {"source": SOURCE, "disclaimer": DISCLAIMER}
    return {
        "$schema": DRAFT,
        "$id": f"{BASE_ID}{command}.schema.json",
        "title": f"adjuvant {command} --json (output schema_version 2)",
        **record(**envelope),
    }


def rendered() -> dict[str, str]:
    """File name -> the text this script writes."""
    return {
        f"{command}.schema.json": json.dumps(schema_for(command), indent=2, ensure_ascii=False) + "\n"
        for command in COMMANDS
    }


def main(argv: list[str]) -> int:
    files = rendered()
    if "--check" in argv:
        stale = [
            n for n, t in files.items() if not (SCHEMA_DIR / n).is_file() or (SCHEMA_DIR / n).read_text() != t
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run python scripts/output_schemas.py", file=sys.stderr)
            return 1
        return 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
