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
    Part,
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
from adjuvant_cli.search.terms import FUNCTION_WORDS, MODIFIERS, Reading, Term, read_query, spelled_out
from adjuvant_cli.text import did_you_mean, fold, without_invisible
from adjuvant_cli.vocabulary import Vocabulary

__all__ = [
    "COUNTED",
    "FUNCTION_WORDS",
    "MAX_QUERY_CHARS",
    "MODIFIERS",
    "Hit",
    "Meaning",
    "Part",
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
    listed = _parts(dataset, query, reading, _LIST, vocabulary)
    if listed:
        return _each_of(
            dataset, reading, listed, typed=typed, query=query, scope=scope, vocabulary=vocabulary
        )
    result = _answer(dataset, reading, typed=typed, query=query, scope=scope, vocabulary=vocabulary)
    if result.hits or not reading.terms:
        return result
    # "anxiety with insomnia": one statement naming both, as the article writes a
    # setting ("spasm … with local trauma", FACTS §4a); where none does, each of them.
    joined = _parts(dataset, query, reading, _WITH, vocabulary)
    if not joined:
        return result
    return _each_of(dataset, reading, joined, typed=typed, query=query, scope=scope, vocabulary=vocabulary)


def _answer(
    dataset: Dataset,
    reading: Reading,
    *,
    typed: str,
    query: str,
    scope: Scope,
    vocabulary: Vocabulary,
    restriction: Restriction | None = None,
) -> "SearchResult":
    """The answer to one question: `reading` of `query` (restricted by `restriction`
    when the query it is part of names a drug or class)."""
    terms = reading.terms
    restriction = reading.restriction or restriction
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
    counted = _counted(scope)
    hits = _ordered(h for h in found if h.tier in counted)
    related = _related(hits, (h for h in found if h.tier not in counted))
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


def _counted(scope: Scope) -> frozenset[Tier]:
    return COUNTED | ({Tier.STATEMENT} if scope == "all" else set())


def _related(hits: tuple[Hit, ...], shown: Iterable[Hit]) -> tuple[Hit, ...]:
    """What is shown, not counted: never a statement counted already (as a WHO
    title: osteochondrosis, M42), nor a field of medicine beside a drug counted."""
    answered = {(h.drug.id, h.indication.id) for h in hits if h.indication is not None}
    counted_drugs = {h.drug.id for h in hits}
    return _ordered(
        h
        for h in shown
        if not (h.tier is Tier.WHO_TITLE and h.indication and (h.drug.id, h.indication.id) in answered)
        and not (h.drug.id in counted_drugs and _in_a_field_only(h))
    )


# How people list conditions (FACTS §4d): "anxiety or insomnia", "anxiety,
# insomnia", "anxiety/insomnia", "anxiety & insomnia", "anxiety and insomnia".
_LIST = re.compile(r"\s*[,;/&+]\s*|\s+(?:and/or|and|or|plus)\s+", re.IGNORECASE)
_WITH = re.compile(r"\s+with\s+", re.IGNORECASE)


def _parts(
    dataset: Dataset, query: str, reading: Reading, joiner: "re.Pattern[str]", vocabulary: Vocabulary
) -> list[tuple[str, Reading]]:
    """The conditions a query lists, each read on its own; [] when it asks one
    question. A joiner inside a name the dataset knows is no list ("hereditary
    motor and sensory neuropathy"); one inside a WHO title is ("lumbago or
    sciatica" is not M54.4) unless the title writes it ("kyphosis and lordosis",
    M40). Every part must name something: a part that is a drug's name, or only
    a modifier, keeps the query whole."""
    if reading.restriction is not None and reading.restriction.substance:
        return []
    # A name as the dataset writes it; never one read in another order ("motor agitation or agitation").
    named = _spans(query, [t for t in reading.terms if any(n.kind != "phrasing" for n in t.names)])
    titled = [t for t in reading.terms if t.code is not None and t.code.title is not None]
    titles = [
        (span, fold(t.code.title)) for t in titled if t.code and t.code.title for span in _spans(query, [t])
    ]
    cuts = [
        m
        for m in joiner.finditer(query)
        if not any(a < m.end() and m.start() < b for a, b in named)
        and not any(
            a < m.end() and m.start() < b and _written_in(m.group(), title) for (a, b), title in titles
        )
    ]
    if not cuts:
        return []
    bounds = [0, *(x for m in cuts for x in (m.start(), m.end())), len(query)]
    texts = [query[a:b].strip() for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    texts = [t for t in texts if t]
    if len(texts) < 2:
        return []
    parts = [(text, read_query(text, dataset, vocabulary)) for text in texts]
    if not all(_names_something(r) and dataset.name_index.get(fold(text)) is None for text, r in parts):
        return []  # a drug's name is no condition: "diazepam or baclofen for spasticity" is one question
    return parts


def _written_in(joiner: str, title: str) -> bool:
    """The joiner stands in the title as typed ("and" in "Kyphosis and lordosis")."""
    said = fold(joiner).strip()
    return said in title if not said.isalpha() else said in title.split()


def _names_something(reading: Reading) -> bool:
    """More than §4d's modifiers: "back pain, chronic" is chronic back pain, one question."""
    return any(t.is_concept or t.words[0] not in MODIFIERS | FUNCTION_WORDS for t in reading.terms)


def _spans(query: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Where each term (in the order read) stands in the query."""
    spans, at = [], 0
    for term in terms:
        start = query.find(term.typed, at) if term.typed else -1
        if start >= 0:
            spans.append((start, start + len(term.typed)))
            at = start + len(term.typed)
    return spans


def _each_of(
    dataset: Dataset,
    reading: Reading,
    parts: list[tuple[str, Reading]],
    *,
    typed: str,
    query: str,
    scope: Scope,
    vocabulary: Vocabulary,
) -> "SearchResult":
    """A list of conditions is a question about each (review: "spasticity and back
    pain" must keep baclofen's spasticity): the statements each part counts, in
    the best role any part finds, a statement met by more parts ranking first; a
    drug or class typed anywhere restricts every part (FACTS §4d). The parts share
    the query's vocabulary (built once: on 6,000 conditions, most of a search)."""
    restriction = reading.restriction
    answers = [
        _answer(
            dataset, read, typed=text, query=text, scope=scope, vocabulary=vocabulary, restriction=restriction
        )
        for text, read in parts
    ]
    hits = _ordered(_merged(h for a in answers for h in a.hits))
    counted = {_key(h) for h in hits}
    related = _related(hits, _merged(h for a in answers for h in a.related if _key(h) not in counted))
    meanings = tuple(dict.fromkeys(m for a in answers for m in a.meanings))
    suggestions = () if hits else tuple(dict.fromkeys(s for a in answers for s in a.suggestions))
    return SearchResult(
        typed,
        scope,
        tuple(t for a in answers for t in a.terms),
        meanings,
        hits,
        related,
        suggestions,
        _drug_named(dataset, query, reading.terms),
        dataset.source,
        dataset.disclaimer,
        tuple(dict.fromkeys(w for a in answers for w in a.set_aside)),
        restriction,
        parts=tuple(Part(text, len(a.hits)) for (text, _), a in zip(parts, answers, strict=True)),
    )


def _key(hit: Hit) -> tuple[str, str, str]:
    return (hit.drug.id, hit.field, hit.indication.id if hit.indication is not None else hit.text)


def _merged(hits: Iterable[Hit]) -> list[Hit]:
    """One hit per statement: the best tier of the parts that met it, all their
    reasons and highlights, and the sum of their scores (met by more ranks higher)."""
    by_key: dict[tuple[str, str, str], Hit] = {}
    for hit in hits:
        key = _key(hit)
        seen = by_key.get(key)
        if seen is None:
            by_key[key] = hit
            continue
        best, other = (seen, hit) if (seen.tier, -seen.score) <= (hit.tier, -hit.score) else (hit, seen)
        by_key[key] = best._replace(
            score=seen.score + hit.score,
            reasons=tuple(dict.fromkeys((*best.reasons, *other.reasons))),
            highlights=_spans_joined(best.highlights, other.highlights),
            qualifier_highlights=tuple(
                _spans_joined(a, b)
                for a, b in zip(best.qualifier_highlights, other.qualifier_highlights, strict=False)
            ),
        )
    return list(by_key.values())


def _spans_joined(one: tuple[Span, ...], other: tuple[Span, ...]) -> tuple[Span, ...]:
    """Both sets of spans, sorted, overlapping ones made one."""
    joined: list[Span] = []
    for start, end in sorted({*one, *other}):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return tuple(joined)


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
