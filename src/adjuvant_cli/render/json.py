"""JSON: one document per run, for `jq` and scripts.

Every document is an envelope ``{schema_version, command, result, source,
disclaimer}``. Conventions (output schema 2): keys are snake_case; ids are
named for what they are (``drug_id``, ``condition_id``, ``indication_id``,
``effect_id``, ``caveat_id``, ``reading_id``, ``correction_id``); enum values
are snake_case; a key is always present, ``null`` when the dataset gives no
value and ``[]`` for an empty list. Built from the same result objects as the
terminal view, written without Rich (no wrapping, no colour).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from adjuvant_cli.render import JSON_SCHEMA_VERSION, wording
from adjuvant_cli.text import UNSAFE_CHARS, valid_unicode

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionIndex, ConditionUse, DrugList, Monograph
    from adjuvant_cli.compare import Cell, Comparison, ConditionRow
    from adjuvant_cli.dataset.validating import Problem, ValidationRun
    from adjuvant_cli.diff import DatasetDiff
    from adjuvant_cli.hierarchy import Excepted
    from adjuvant_cli.model import Condition, Disclaimer, Drug, Indication, Source, Statement
    from adjuvant_cli.names import Resolution
    from adjuvant_cli.render import sections
    from adjuvant_cli.search import Hit, Meaning, Reason, Restriction, SearchResult

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
        drugs = [{**_drug_summary(d), "brands": _brands(d)} for d in result.drugs]
        body = {"drugs": drugs, "drug_count": len(drugs)}
        return self._dump(_document("list", body, result.source, result.disclaimer))

    def monograph(self, result: Monograph) -> str:
        body: Json = {
            "resolved": _resolution(result.resolution),
            "sections": [s.value for s in result.sections],
            "drug": _monograph_drug(result),
        }
        return self._dump(_document("show", body, result.source, result.disclaimer))

    def search(self, result: SearchResult) -> str:
        body: Json = {
            "query": result.query,
            "scope": result.scope,
            "terms": list(result.terms),
            "meanings": [_meaning(m) for m in result.meanings],
            "hits": [_hit(h) for h in result.hits],
            "hit_count": len(result.hits),
            "related": [_hit(h) for h in result.related],
            # The caveats of every drug shown, once each (hits name them by caveat_ids).
            "caveats": [
                {"drug_id": drug.id, **_caveat(c)}
                for drug in dict.fromkeys(h.drug for h in (*result.hits, *result.related))
                for c in drug.caveats
            ],
            "suggestions": [
                *({"type": "drug", "text": d.name, "drug_id": d.id} for d in [result.drug_named] if d),
                *({"type": "condition", "text": s, "drug_id": None} for s in result.suggestions),
            ],
            "set_aside": list(result.set_aside),
            "restriction": _restriction(result.restriction),
            "parts": [{"query": p.query, "hit_count": p.hit_count} for p in result.parts],
        }
        return self._dump(_document("search", body, result.source, result.disclaimer))

    def comparison(self, result: Comparison) -> str:
        ids = [d.id for d in result.drugs]
        marks = wording.caveat_marks(result)
        body: Json = {
            "drug_ids": ids,
            "resolutions": [_resolution(r) for r in result.resolutions],
            "attributes": [
                {
                    "attribute_id": a.attribute_id,
                    "label": a.label,
                    "values": dict(zip(ids, a.values, strict=True)),
                }
                for a in result.attributes
            ],
            "effects": [
                {
                    "effect_id": row.effect.id,
                    "label": row.effect.label,
                    "by_drug": {
                        drug_id: {
                            "stated": present,
                            "note": marks.get(caveat.id) and f"{marks[caveat.id]} {caveat.text}"
                            if caveat
                            else None,
                            "caveat_id": caveat.id if caveat else None,
                        }
                        for drug_id, present, caveat in zip(ids, row.present, row.caveats, strict=True)
                    },
                }
                for row in result.effects
            ],
            "condition_groups": {
                "shared": [_condition_row(r, ids, result.code_titles) for r in result.shared],
                "partly_shared": [_condition_row(r, ids, result.code_titles) for r in result.partly_shared],
                "unique": [_condition_row(r, ids, result.code_titles) for r in result.unique],
            },
            "caveats": [{"drug_id": d.id, **_caveat(c)} for d in result.drugs for c in d.caveats],
        }
        return self._dump(_document("compare", body, result.source, result.disclaimer))

    def conditions(self, result: ConditionIndex) -> str:
        body: Json = {
            "filter": result.filter,
            "conditions": [
                {
                    **_condition(entry.condition, result.code_titles),
                    "broader": [{"condition_id": b.id, "label": b.label} for b in entry.broader],
                    "uses": [_use(u) for u in entry.uses],
                }
                for entry in result.entries
            ],
            "condition_count": len(result.entries),
        }
        return self._dump(_document("conditions", body, result.source, result.disclaimer))

    def validation(self, result: ValidationRun) -> str:
        # The paths as given (JSON escapes them), where the human formats show them escaped.
        problems = [(r.path or r.dataset, p) for r in result.reports for p in (*r.problems, *r.warnings)]
        body: Json = {
            "valid": result.valid,
            "strict": result.strict,
            "datasets": [
                {
                    "dataset": r.path or r.dataset,
                    "valid": result.passed(r),
                    "drug_count": r.drug_count,
                    "condition_count": r.condition_count,
                    "error_count": len(r.problems),
                    "warning_count": len(r.warnings),
                }
                for r in result.reports
            ],
            "problems": [_problem(p, result.strict, file) for file, p in problems],
        }
        # Validation shows no medical content, so it carries no source or disclaimer.
        return self._dump({"schema_version": JSON_SCHEMA_VERSION, "command": "validate", "result": body})

    def dataset_diff(self, result: DatasetDiff) -> str:
        body: Json = {
            "old": result.old,
            "new": result.new,
            "same": result.same,
            "change_count": len(result.changes),
            "changes": [
                {
                    "change": c.kind,
                    "where": [{"kind": step.kind, "key": step.key} for step in c.where],
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                }
                for c in result.changes
            ],
        }
        # Two datasets, two sources: the document carries neither; each change says what changed.
        return self._dump({"schema_version": JSON_SCHEMA_VERSION, "command": "diff", "result": body})

    def _dump(self, document: Json) -> str:
        separators = None if self.indent else (",", ":")
        text = valid_unicode(
            json.dumps(document, ensure_ascii=False, indent=self.indent, separators=separators)
        )
        if self.ascii_only:  # escaped after the surrogates are gone: json would escape them as they are
            text = re.sub("[^\x00-\x7f]", _json_escape, text)
        # json escapes C0 controls itself; DEL, C1 and bidi controls it leaves raw,
        # and a terminal showing the JSON would obey them.
        return re.sub(UNSAFE_CHARS, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON spells characters past the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _document(command: str, result: Json, source: Source, disclaimer: Disclaimer) -> Json:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "command": command,
        "result": result,
        "source": {
            "title": source.title,
            "publisher": source.publisher,
            "last_reviewed": source.last_reviewed.isoformat(),
            "nature": source.nature,
            "scope": source.scope,
            "notes": list(source.notes),
        },
        "disclaimer": {"text": disclaimer.text, "compact": disclaimer.compact},
    }


def _problem(problem: Problem, strict: bool, file: str) -> Json:
    return {
        "file": file,
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "code": problem.code,
        "severity": "error" if strict else problem.severity,
        "message": problem.message,
    }


def _drug_summary(drug: Drug) -> Json:
    return {
        "drug_id": drug.id,
        "name": drug.name,
        "drug_class": drug.drug_class,
        "atc": drug.atc,
        "forms": list(drug.forms),
    }


def _brands(drug: Drug) -> list[Json]:
    """Each brand with its forms and its note (a form the monograph does not describe says so)."""
    return [{"name": b.name, "forms": list(b.forms), "note": b.note} for b in drug.brands]


def _resolution(resolution: Resolution) -> Json:
    brand = resolution.brand
    return {
        "query": resolution.query,
        "drug_id": resolution.drug.id,
        "matched_name": resolution.matched_name,
        "match": resolution.match.replace(" ", "_"),
        "brand": None
        if brand is None
        else {"name": brand.name, "forms": list(brand.forms), "note": brand.note},
        "forms_not_described": list(resolution.other_forms),
        "note": wording.resolution_note(resolution),
    }


def _codes(codes: tuple[str, ...], titles: Mapping[str, str]) -> list[Json]:
    return [{"code": code, "title": titles.get(code)} for code in codes]


def _condition_ref(condition: Condition, titles: Mapping[str, str]) -> Json:
    return {"condition_id": condition.id, "label": condition.label, "icd10": _codes(condition.icd10, titles)}


def _condition(condition: Condition, titles: Mapping[str, str]) -> Json:
    return {
        **_condition_ref(condition, titles),
        "synonyms": list(condition.synonyms),
        "abbreviations": [*condition.abbreviations, *condition.case_sensitive_abbreviations],
        "no_code_reason": condition.no_code_reason,
        # Kept for scripts of 0.2: said not to cover, coded as a range (drug poisoning).
        "group_only": condition.names_group_only,
        "covers": condition.covers,
        "not_covered": list(condition.not_covered),
        "note": condition.note,
    }


def _statement(statement: Statement, result: Monograph) -> Json:
    return {
        "text": statement.text,
        "context": statement.context,
        "mentions": [
            {"condition_id": c, "label": result.condition(c).label, "role": "mention"}
            for c in statement.mentions
        ],
        "source_locator": statement.source,
        "quote": statement.quote,
        "reading_ids": list(statement.readings),
        "correction_ids": list(statement.corrections),
    }


def _caveat(caveat: Any) -> Json:
    return {
        "caveat_id": caveat.id,
        "text": caveat.text,
        "disputes_effect_ids": list(caveat.effects),
        "source_locator": caveat.source,
    }


def _indication(
    indication: Indication, conditions: Mapping[str, Condition], titles: Mapping[str, str]
) -> Json:
    return {
        "indication_id": indication.id,
        "group": indication.group,
        "text": indication.text,
        "treats": indication.treats,
        "route": indication.route,
        "qualifiers": list(indication.qualifiers),
        "contraindication": indication.contraindication,
        "note": indication.note,
        "links": [
            {
                **_condition_ref(conditions[link.condition], titles),
                "role": link.role.value,
                "reviewed": link.reviewed,
            }
            for link in indication.links
        ],
        "source_locator": indication.source,
        "quote": indication.quote,
        "reading_ids": list(indication.readings),
        "correction_ids": list(indication.corrections),
    }


def _monograph_drug(result: Monograph) -> Json:
    # Only `show` draws sections: importing its blocks cost every other JSON run ~4 ms.
    from adjuvant_cli.render import sections

    out: Json = {"drug_id": result.drug.id, "name": result.drug.name}
    for block in sections.monograph_blocks(result):
        out.update(_block(block, result))
    return out


def _block(block: sections.Block, result: Monograph) -> Json:
    from adjuvant_cli.render import sections

    conditions = result.conditions_by_id
    match block:
        case sections.Overview(drug):
            return {**_drug_summary(drug), "brands": _brands(drug), "other_names": list(drug.other_names)}
        case sections.Caveats(caveats):
            return {"caveats": [_caveat(c) for c in caveats]}
        case sections.Scope():
            return {}  # the envelope's source.scope says it
        case sections.ClinicalEffects(actions):
            return {"actions": [_statement(s, result) for s in actions]}
        case sections.Mechanism(statements):
            return {"mechanism": [_statement(s, result) for s in statements]}
        case sections.EffectProfile(effects, disputed):
            return {
                "effects": [
                    {"effect_id": e.id, "label": e.label, "disputed_by_caveat_id": disputed.get(e.id)}
                    for e in effects
                ]
            }
        case sections.Onset(statements):
            return {"onset": [_statement(s, result) for s in statements]}
        case sections.Indications(groups):
            items = [item.indication for group in groups for item in group.items]
            return {"indications": [_indication(i, conditions, result.code_titles) for i in items]}
        case sections.ConditionCodes():
            return {}  # each link carries its condition's codes and titles
        case sections.FullDisclaimer():
            return {}  # the envelope's disclaimer and source say it
        case sections.Corrections(corrections, readings):
            return {
                "corrections": [
                    {
                        "correction_id": c.id,
                        "original": c.original,
                        "corrected": c.corrected,
                        "source_locator": c.source,
                    }
                    for c in corrections
                ],
                "readings": [
                    {
                        "reading_id": r.id,
                        "original": r.original,
                        "reading": r.reading,
                        "why": r.why,
                        "source_locator": r.source,
                    }
                    for r in readings
                ],
            }
    return {}


def _reason(reason: Reason) -> Json:
    return {
        "term": reason.term,
        "match": reason.via.replace(" ", "_"),
        "condition_id": reason.condition.id if reason.condition else None,
        "role": reason.role.value if reason.role else None,
        "reviewed": reason.reviewed,
        "queried_condition_id": reason.queried.id if reason.queried else None,
        "umbrella_id": reason.umbrella.id if reason.umbrella else None,
        "relation": reason.relation,
        "inner_code": reason.inner_code,
        "who_title": reason.who,
        "excepted": _excepted(reason.excepted),
    }


def _excepted(excepted: Sequence[Excepted]) -> list[Json]:
    """Codes asked for that a covering condition excepts, each with WHO's codes and titles in it."""
    return [
        {"code": e.code, "titles": [{"code": code, "title": title} for code, title in e.titles]}
        for e in excepted
    ]


def _restriction(restriction: Restriction | None) -> Json | None:
    if restriction is None:
        return None
    return {
        "kind": restriction.kind,
        "typed": restriction.typed,
        "drug_ids": sorted(restriction.drug_ids),
        "substance": restriction.substance,
        "resolved": [_resolution(r) for r in restriction.resolved],
        "disputed_drug_ids": sorted(restriction.disputed),
    }


def _meaning(meaning: Meaning) -> Json:
    return {
        "term": meaning.term,
        "match": meaning.via.replace(" ", "_"),
        "condition_id": meaning.condition.id if meaning.condition else None,
        "umbrella_id": meaning.umbrella.id if meaning.umbrella else None,
        "code": meaning.code.typed if meaning.code and meaning.via == "code" else None,
        "read_as_code": meaning.code.read_as if meaning.code else None,
        "note": meaning.note,
    }


def _hit(hit: Hit) -> Json:
    indication = hit.indication
    return {
        "tier": hit.tier.name.lower(),
        "hit_type": "indication"
        if hit.field == "indication"
        else "drug"
        if hit.field in ("class", "effect")
        else "statement",
        "drug_id": hit.drug.id,
        "name": hit.drug.name,
        "field": hit.field,
        "text": hit.text,
        "context": hit.context,
        "indication_id": indication.id if indication else None,
        "treats": indication.treats if indication else None,
        "route": indication.route if indication else None,
        "qualifiers": list(indication.qualifiers) if indication else [],
        "contraindication": indication.contraindication if indication else None,
        "indication_note": indication.note if indication else None,
        "links": [
            {"condition_id": k.condition, "role": k.role.value, "reviewed": k.reviewed}
            for k in indication.links
        ]
        if indication
        else [],
        "caveat_ids": [c.id for c in hit.drug.caveats],
        "note": f"disputed: {hit.caveat.text}" if hit.caveat else None,
        "score": round(hit.score, 2),
        "reasons": [_reason(r) for r in hit.reasons],
        "highlights": {
            "unit": "python_str_index",
            "text_spans": [list(span) for span in hit.highlights],
            "qualifier_spans": [[list(span) for span in spans] for spans in hit.qualifier_highlights],
        },
    }


def _use(use: ConditionUse) -> Json:
    return {
        "drug_id": use.drug.id,
        "role": use.role.value,
        "reviewed": use.reviewed,
        "indication_id": use.indication.id if use.indication else None,
        "text": use.indication.text if use.indication else use.statement.text if use.statement else None,
        "treats": use.indication.treats if use.indication else None,
        "route": use.indication.route if use.indication else None,
        "qualifiers": list(use.indication.qualifiers) if use.indication else [],
        "via_condition_id": use.via.id if use.via else None,
        "counted": use.counted,
        "excepted": _excepted(use.excepted),
    }


def _condition_row(row: ConditionRow, ids: list[str], titles: Mapping[str, str]) -> Json:
    return {
        **_condition_ref(row.condition, titles),
        "by_drug": {drug_id: _cell(cell) for drug_id, cell in zip(ids, row.cells, strict=True)},
    }


def _cell(cell: Cell | None) -> Json | None:
    if cell is None:
        return None
    indication = cell.indication
    return {
        "role": cell.role.value if cell.role else None,
        "reviewed": cell.reviewed,
        "indication_id": indication.id if indication else None,
        "treats": cell.treats or None,
        "settings": [{"condition_id": c.id, "label": c.label} for c in cell.settings],
        "route": indication.route if indication else None,
        "qualifiers": list(indication.qualifiers) if indication else [],
        "contraindication": indication.contraindication if indication else None,
        "caveat_id": cell.caveat.id if cell.caveat else None,
        "via_condition_id": cell.via.id if cell.via else None,
        "counted": cell.counted,
        "excepted": _excepted(cell.excepted),
        "text": wording.cell_words(cell),
        "also": [
            {
                "role": c.role.value if c.role else None,
                "reviewed": c.reviewed,
                "indication_id": c.indication.id if c.indication else None,
                "via_condition_id": c.via.id if c.via else None,
                "counted": c.counted,
                "excepted": _excepted(c.excepted),
            }
            for c in cell.also
        ],
    }
