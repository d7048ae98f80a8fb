"""JSON: one document per run, for `jq` and scripts.

Every document is an envelope ``{schema_version, command, result, source,
disclaimer}``; drugs and conditions are referred to by id. Keys are stable and
documented in the README. Built from the same result objects as the terminal
view, written without Rich (no wrapping, no colour).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from adjuvant_cli.render import JSON_SCHEMA_VERSION
from adjuvant_cli.render.sections import (
    Block,
    Caveats,
    Corrections,
    EffectProfile,
    Indications,
    Mechanism,
    Onset,
    Overview,
    monograph_blocks,
)
from adjuvant_cli.text import UNSAFE_CHARS

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, DrugList, Monograph
    from adjuvant_cli.compare import Comparison, ConditionRow
    from adjuvant_cli.dataset import ValidationReport
    from adjuvant_cli.model import Condition, Drug, Indication, Source
    from adjuvant_cli.names import Resolution
    from adjuvant_cli.search import FieldMatch, IndicationMatch, Reason, SearchResult

Json = dict[str, Any]


class JsonRenderer:
    def __init__(self, ascii_only: bool = False, indent: bool = True) -> None:
        # On a stdout that cannot encode UTF-8, \u escapes keep every character.
        self.ascii_only = ascii_only
        # Indented for a person at a terminal; compact for programs, which is
        # also json's C encoder (indent forces the pure-Python one: a 20 MB
        # search result took ~1 s to encode indented).
        self.indent = 2 if indent else None

    def drug_list(self, result: DrugList) -> str:
        drugs = [_drug_summary(d) for d in result.drugs]
        return self._dump(_document("list", {"drugs": drugs}, result.source, result.disclaimer))

    def monograph(self, result: Monograph) -> str:
        body: Json = {
            "resolved": _resolution(result.resolution),
            "sections": [s.value for s in result.sections],
        }
        body["drug"] = _monograph_drug(result)
        return self._dump(_document("show", body, result.source, result.disclaimer))

    def search(self, result: SearchResult) -> str:
        body: Json = {
            "query": result.query,
            "scope": result.scope,
            "terms": list(result.terms),
            "expansions": [
                {"term": e.term, "condition": e.condition.id, "label": e.condition.label, "match": e.kind}
                for e in result.expansions
            ],
            "hits": [
                {
                    "drug": hit.drug.id,
                    "name": hit.drug.name,
                    "score": round(hit.score, 2),
                    "indications": [_indication_match(m) for m in hit.indications],
                    "other_matches": [_field_match(f) for f in hit.fields],
                }
                for hit in result.hits
            ],
            "suggestions": list(result.suggestions),
        }
        return self._dump(_document("search", body, result.source, result.disclaimer))

    def comparison(self, result: Comparison) -> str:
        ids = [d.id for d in result.drugs]
        body: Json = {
            "drugs": ids,
            "resolved": [_resolution(r) for r in result.resolutions],
            "attributes": [
                {"label": a.label, "values": dict(zip(ids, a.values, strict=True))} for a in result.attributes
            ],
            "effects": [
                {"effect": row.effect.id, "label": row.effect.label, "drugs": _present(ids, row.present)}
                for row in result.effects
            ],
            "conditions": {
                "shared": [_condition_row(r, ids) for r in result.shared],
                "partly_shared": [_condition_row(r, ids) for r in result.partly_shared],
                "unique": [_condition_row(r, ids) for r in result.unique],
            },
            "caveats": {d.id: list(d.caveats) for d in result.drugs if d.caveats},
        }
        return self._dump(_document("compare", body, result.source, result.disclaimer))

    def conditions(self, result: ConditionIndex) -> str:
        body: Json = {
            "filter": result.filter,
            "conditions": [
                {**_condition(entry.condition), "drugs": [d.id for d in entry.drugs]}
                for entry in result.entries
            ],
        }
        return self._dump(_document("conditions", body, result.source, result.disclaimer))

    def validation(self, result: ValidationReport) -> str:
        body: Json = {
            "dataset": result.dataset,
            "valid": result.valid,
            "problems": list(result.problems),
            "drugs": result.drug_count,
            "conditions": result.condition_count,
        }
        # Validation shows no medical content, so it carries no source or disclaimer.
        return self._dump({"schema_version": JSON_SCHEMA_VERSION, "command": "validate", "result": body})

    def _dump(self, document: Json) -> str:
        separators = None if self.indent else (",", ":")
        text = json.dumps(document, ensure_ascii=self.ascii_only, indent=self.indent, separators=separators)
        # json escapes C0 controls itself; DEL, C1 and bidi controls it leaves raw,
        # and a terminal showing the JSON would obey them.
        return re.sub(UNSAFE_CHARS, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _document(command: str, result: Json, source: Source, disclaimer: str) -> Json:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "command": command,
        "result": result,
        "source": {
            "title": source.title,
            "publisher": source.publisher,
            "last_reviewed": source.last_reviewed.isoformat(),
            "nature": source.nature,
            "notes": list(source.notes),
        },
        "disclaimer": disclaimer,
    }


def _drug_summary(drug: Drug) -> Json:
    return {
        "id": drug.id,
        "name": drug.name,
        "class": drug.drug_class,
        "atc": drug.atc,
        "forms": list(drug.forms),
    }


def _resolution(resolution: Resolution) -> Json:
    return {
        "query": resolution.query,
        "drug": resolution.drug.id,
        "matched_name": resolution.matched_name,
        "match": resolution.match,
    }


def _monograph_drug(result: Monograph) -> Json:
    drug = result.drug
    out: Json = {"id": drug.id, "name": drug.name}
    for block in monograph_blocks(result):
        out.update(_block(block))
    # Keys keep the order JSON schema 1 has always had, caveats after the
    # indications; a person reads them first, as the walk gives them.
    corrections = out.pop("corrections", None)
    out["caveats"] = out.pop("caveats")
    if corrections is not None:
        out["corrections"] = corrections
    return out


def _block(block: Block) -> Json:
    match block:
        case Overview(drug):
            return {
                **_drug_summary(drug),
                "brand_names": list(drug.brand_names),
                "other_names": list(drug.other_names),
            }
        case Caveats(statements):
            return {"caveats": list(statements)}
        case Mechanism(statements, actions):
            return {"mechanism": list(statements), "actions": list(actions)}
        case EffectProfile(effects):
            return {"effects": [{"id": e.id, "label": e.label} for e in effects]}
        case Onset(statements):
            return {"onset": list(statements)}
        case Indications(groups):
            items = (item for group in groups for item in group.items)
            return {"indications": [_indication(i.indication, list(i.conditions)) for i in items]}
        case Corrections(corrections):
            return {"corrections": [{"original": c.original, "corrected": c.corrected} for c in corrections]}


def _condition(condition: Condition) -> Json:
    return {
        "id": condition.id,
        "label": condition.label,
        "synonyms": list(condition.synonyms),
        "abbreviations": list(condition.abbreviations),
        "icd10": list(condition.icd10),
        "note": condition.note,
    }


def _indication(indication: Indication, conditions: list[Condition]) -> Json:
    return {
        "group": indication.group,
        "text": indication.text,
        "route": indication.route,
        "qualifiers": list(indication.qualifiers),
        "conditions": [{"id": c.id, "label": c.label, "icd10": list(c.icd10)} for c in conditions],
    }


def _reason(reason: Reason) -> Json:
    return {
        "term": reason.term,
        "match": reason.kind,
        "condition": reason.condition.id if reason.condition else None,
    }


def _why(match: IndicationMatch | FieldMatch) -> Json:
    return {
        "score": round(match.score, 2),
        "reasons": [_reason(r) for r in match.reasons],
        "highlights": [list(span) for span in match.highlights],
    }


def _indication_match(match: IndicationMatch) -> Json:
    return {**_indication(match.indication, list(match.conditions)), **_why(match)}


def _field_match(match: FieldMatch) -> Json:
    return {"field": match.field, "text": match.text, **_why(match)}


def _present(ids: list[str], present: tuple[bool, ...]) -> list[str]:
    return [drug_id for drug_id, here in zip(ids, present, strict=True) if here]


def _condition_row(row: ConditionRow, ids: list[str]) -> Json:
    return {
        "condition": row.condition.id,
        "label": row.condition.label,
        "icd10": list(row.condition.icd10),
        "drugs": _present(ids, row.present),
    }
