"""Search: which drugs the source names for what a user typed, in tiers that
say how, so that a setting is never read as an indication.

A query becomes terms. A run of words that names a condition (its label, a
synonym, an abbreviation, a stem of those) or an umbrella term becomes one
term, in any order of its words and without a head noun "disorders" or
"disease" ("spine disorders", "phobic anxiety"); so does an ICD-10 code or
range: the condition whose own code it is,
or else a condition inside those whose codes hold it, never one of them
(vocabulary.code_meaning; FACTS §4c); so does a phrasing of FACTS §4d
("lower back pain", "post-stroke", "itchy"). Function words ("after", "in")
are optional; the modifiers of §4d ("chronic", "acute"), and a level of the
spine typed with a condition of the spine ("lumbar spinal stenosis"), are set
aside and the answer says so. A drug's name or a class word typed with a condition restricts
the answer to those drugs, and one typed with "overdose", "withdrawal" and the
like is the condition's substance: nothing is counted. Every other word must
stand in what the reader is shown.

Each indication is matched term by term through its links (FACTS §4a), and
the weakest term decides its tier:

1. target — it treats the queried condition, or one that includes and covers
   it ("the source names Anxiety disorders, which includes GAD");
2. setting — the condition (or one that includes and covers it) is where, or
   after which, something is treated;
3. narrower — it names a narrower condition ("narrower: Low back pain");
4. wording — the query's words stand in the indication as shown;
5. drug — the class or an effect tag says it ("muscle relaxant");
6. statement — (with --all) the words stand in a mechanism, action or onset
   statement;
7. mention — a statement outside the indications names the condition;
8. broader — the source names a condition that includes the queried one
   without covering it (neurosis in general for PTSD);
9. who_title — a WHO ICD-10 title matches, within a condition's codes.

Tiers 1-5 (and 6 with --all) are hits; the rest are shown apart and do not
count. Words inside a contraindication never match. The query is data: it is
tokenised, never used as a pattern.

The package, by job: `terms` reads the query, `plan` works out what each term
can match and matches indications, `statements` the rest of a monograph,
`suggestions` what to offer when nothing is found; `results` holds the types;
`candidates` which drugs to match (from the store, those its index finds).
"""

import re
import unicodedata
from collections.abc import Iterable

from adjuvant_cli import codes
from adjuvant_cli.errors import UsageError
from adjuvant_cli.model import Dataset, Drug
from adjuvant_cli.search.candidates import candidates
from adjuvant_cli.search.plan import make_context, match_indication
from adjuvant_cli.search.results import (
    COUNTED,
    Hit,
    Meaning,
    Reason,
    Relation,
    Restriction,
    Scope,
    SearchResult,
    Span,
    Tier,
    Via,
)
from adjuvant_cli.search.statements import match_drug_level, match_statements, match_who_titles
from adjuvant_cli.search.suggestions import negated, suggest
from adjuvant_cli.search.terms import FUNCTION_WORDS, MODIFIERS, Term, read_query, spelled_out
from adjuvant_cli.text import did_you_mean, fold, without_invisible
from adjuvant_cli.vocabulary import Vocabulary

__all__ = [
    "COUNTED",
    "FUNCTION_WORDS",
    "MAX_QUERY_CHARS",
    "MODIFIERS",
    "Hit",
    "Meaning",
    "Reason",
    "Relation",
    "Restriction",
    "Scope",
    "SearchResult",
    "Span",
    "Tier",
    "Via",
    "search",
]

MAX_QUERY_CHARS = 500


def search(dataset: Dataset, query: str, scope: Scope = "indications") -> "SearchResult":
    """Tiered results for `query`; finding nothing is a result, not an error."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS}")
    return _search(dataset, query, scope, Vocabulary.of(dataset))


def _search(dataset: Dataset, query: str, scope: Scope, vocabulary: Vocabulary) -> "SearchResult":
    # Read as shown (nothing invisible, accents composed: "Me\u0301nie\u0300re's"
    # pasted from macOS is "Ménière's"); echoed as typed.
    typed, query = query, spelled_out(unicodedata.normalize("NFC", without_invisible(query)))
    reading = read_query(query, dataset, vocabulary)
    if reading.function_words_only:
        raise UsageError(
            f"“{query.strip()}” is made of function words only; name a condition, a code or a word"
        )
    terms = reading.terms
    restriction = reading.restriction
    context = make_context(dataset, vocabulary, terms, scope)
    found: list[Hit] = []
    if terms:
        # Only the drugs the store's index names, or every drug in memory (candidates.py).
        drugs = [d for d in candidates(context) if restriction is None or d.id in restriction.drug_ids]
        for drug in drugs:
            for indication in drug.indications:
                hit = match_indication(drug, indication, context)
                if hit is not None:
                    found.append(hit)
            found += match_drug_level(drug, context)
            found += match_statements(drug, context)
        found += [
            h
            for h in match_who_titles(context, query)
            if restriction is None or h.drug.id in restriction.drug_ids
        ]
    counted = COUNTED | ({Tier.STATEMENT} if scope == "all" else set())
    if terms and not any(h.tier in counted for h in found):
        found += _each_of(dataset, query, scope, restriction, vocabulary)
    hits = _ordered(h for h in found if h.tier in counted)
    # A statement counted is not listed again as a WHO title "not counted" (osteochondrosis, M42).
    answered = {(h.drug.id, h.indication.id) for h in hits if h.indication is not None}
    counted_drugs = {h.drug.id for h in hits}
    related = _ordered(
        h
        for h in found
        if h.tier not in counted
        and not (h.tier is Tier.WHO_TITLE and h.indication and (h.drug.id, h.indication.id) in answered)
        and not (h.drug.id in counted_drugs and _in_a_field_only(h))
    )
    drug_named = _drug_named(dataset, query, terms)
    # A query read wholly as conditions was understood: what the source says of
    # it is shown (or that it says nothing). Look-alikes are for words not
    # understood; none for a query restricted to a drug or a class.
    understood = bool(terms) and all(t.is_concept for t in terms)
    quiet = hits or understood or negated(terms) or restriction is not None
    suggestions = () if quiet else suggest(dataset, query, terms, vocabulary)
    return SearchResult(
        typed,
        scope,
        tuple(t.typed for t in terms),
        tuple(_meanings(terms)),
        hits,
        related,
        suggestions,
        drug_named,
        dataset.source,
        dataset.disclaimer,
        reading.set_aside,
        restriction,
    )


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _each_of(
    dataset: Dataset, query: str, scope: Scope, restriction: Restriction | None, vocabulary: Vocabulary
) -> list[Hit]:
    """ "anxiety and insomnia", which no one statement answers, is two questions
    asked together: the hits of each, for the drugs the source names for every one.
    The parts share the query's vocabulary (built once: on 6,000 conditions, most of a search)."""
    parts = [p for p in _AND.split(query) if p.strip()]
    if len(parts) < 2:
        return []
    answers = [_search(dataset, part, scope, vocabulary).hits for part in parts]
    drugs = set.intersection(*({h.drug.id for h in hits} for hits in answers))
    if restriction is not None:
        drugs &= restriction.drug_ids
    return [h for hits in answers for h in hits if h.drug.id in drugs]


def _in_a_field_only(hit: Hit) -> bool:
    """Shown only because its setting is a whole field of medicine ("neurological
    diseases"): that says nothing more of a drug the source names for the
    condition itself (FACTS §4c)."""
    broader = [r.condition for r in hit.reasons if r.relation == "broader"]
    return hit.tier is Tier.BROADER and all(c is not None and c.names_a_chapter for c in broader)


def _ordered(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    """By tier; within a tier grouped by drug (best drug first, then by name),
    then by score, then in the dataset's order (stable)."""
    listed = list(hits)
    best: dict[tuple[Tier, str], float] = {}
    for hit in listed:
        key = (hit.tier, hit.drug.id)
        best[key] = max(best.get(key, hit.score), hit.score)
    return tuple(
        sorted(listed, key=lambda h: (h.tier, -best[(h.tier, h.drug.id)], fold(h.drug.name), -h.score))
    )


def _meanings(terms: list[Term]) -> list[Meaning]:
    meanings: list[Meaning] = []
    for term in terms:
        if term.code is not None:
            via: Via = "who title" if term.code.title else "code" if codes.is_code(term.typed) else "phrasing"
            meanings.append(Meaning(term.typed, term.code.condition, code=term.code, via=via, note=term.note))
        for name in term.names:
            meaning = Meaning(term.typed, name.condition, name.umbrella, via=name.kind, note=term.note)
            if not any(m.condition == meaning.condition and m.umbrella == meaning.umbrella for m in meanings):
                meanings.append(meaning)  # a label and its stem name one condition once
    return meanings


# A misspelled drug name is sought among the names that share its first letters:
# a stored formulary then reads those names only, never all of them (issue 21).
_TYPO_PREFIX = 3


def _drug_named(dataset: Dataset, query: str, terms: list[Term]) -> Drug | None:
    """The drug the query is, or a word of it is a close spelling of ("diazepan
    seizures"): a misspelled drug must not read as a bare "no indication"."""
    drug_id = dataset.name_index.get(fold(query)) if len(query) <= 200 else None
    for term in terms if drug_id is None else ():
        if not term.is_concept and len(term.words) == 1 and len(term.words[0]) >= 5:
            pool = dataset.names_starting(term.words[0][:_TYPO_PREFIX])
            close = did_you_mean(term.words[0], pool, limit=1, cutoff=0.8)
            drug_id = pool[close[0]] if close else None
            if drug_id is not None:
                break
    return dataset.drugs_by_id[drug_id] if drug_id else None
