"""Search: which drugs are indicated for what a user typed, ranked, and why.

A query becomes terms. A run of words that names a vocabulary condition (its
label, a synonym, an abbreviation, a stem of one of those, or an ICD-10 code
or code prefix) becomes one term that matches every indication linked to that
condition; other words match the wording of an indication by word or stem.
Every term must match within one indication (or, with scope "all", within one
statement of the monograph). The query is data: it is tokenised, never used
as a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

from adjuvant_cli.errors import UsageError
from adjuvant_cli.model import Condition, Dataset, Drug, Indication, Source
from adjuvant_cli.text import Token, did_you_mean, fold, stem, tokens

Scope = Literal["indications", "all"]
# How a query term met a condition or a text (names.NameMatch is how a drug name matched).
TermMatch = Literal["exact", "synonym", "abbreviation", "stem", "code"]
Span = tuple[int, int]

MAX_QUERY_CHARS = 500
_MAX_PHRASE_WORDS = 6
_CODE = r"[a-z][0-9][0-9a-z.]*"

# Base scores of a term's match: via the vocabulary on the indication's main
# condition, on a secondary one, then by the indication's own words.
_CONCEPT_SCORE: dict[TermMatch, int] = {
    "exact": 100,
    "synonym": 95,
    "abbreviation": 95,
    "code": 90,
    "stem": 85,
}
_SECONDARY_PENALTY = 20
_WORD_SCORE: dict[TermMatch, int] = {"exact": 60, "stem": 50}
_CONDITION_WORD_SCORE = 70  # a word of the linked condition's name
_PHRASE_BONUS = 10
_FIELD_WEIGHT = 0.5  # a mention in the mechanism ranks below any indication


class Expansion(NamedTuple):
    """A term the vocabulary recognised: "MS" -> Multiple sclerosis (abbreviation)."""

    term: str
    condition: Condition
    kind: TermMatch


class Reason(NamedTuple):
    """How one term matched: its kind, and the condition it matched through."""

    term: str
    kind: TermMatch
    condition: Condition | None = None


class IndicationMatch(NamedTuple):
    indication: Indication
    conditions: tuple[Condition, ...]
    reasons: tuple[Reason, ...]
    highlights: tuple[Span, ...]  # character spans of `indication.text`
    score: float


class FieldMatch(NamedTuple):
    """A statement outside the indications that matched (scope "all")."""

    field: str
    text: str
    reasons: tuple[Reason, ...]
    highlights: tuple[Span, ...]
    score: float


class SearchHit(NamedTuple):
    drug: Drug
    score: float
    indications: tuple[IndicationMatch, ...]
    fields: tuple[FieldMatch, ...]


class SearchResult(NamedTuple):
    query: str
    scope: Scope
    terms: tuple[str, ...]
    expansions: tuple[Expansion, ...]
    hits: tuple[SearchHit, ...]
    suggestions: tuple[str, ...]
    source: Source
    disclaimer: str


# --------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------


class _Term(NamedTuple):
    typed: str  # the query's words as folded, e.g. "ms" or "multiple sclerosis"
    words: tuple[str, ...]
    stems: tuple[str, ...]
    needles: tuple[str, ...]  # substrings every text matching by word must hold (see _needle)
    concepts: dict[str, TermMatch]  # condition id -> how it was recognised

    @classmethod
    def of(cls, words: tuple[str, ...]) -> _Term:
        stems = tuple(stem(w) for w in words)
        return cls(" ".join(words), words, stems, tuple(_needle(s) for s in stems), {})


def _needle(stemmed: str) -> str:
    """A substring of every word with this stem, in _spelling form. stem() only
    rewrites a word's tail (drops suffixes; "ies" -> "y", "our" -> "or") after
    the same spelling merges, so all but the stem's last letter is always there."""
    return stemmed[:-1] if len(stemmed) >= 4 else stemmed


def _spelling(text: str) -> str:
    # The same spelling merges stem() makes, so a substring test agrees with it.
    return text.replace("ae", "e").replace("oe", "e")


class _Vocabulary(NamedTuple):
    """The condition vocabulary prepared once per search; per-condition facts
    are computed here, not again for each of thousands of indications."""

    exact: dict[str, list[tuple[str, TermMatch]]]  # folded phrase -> (condition id, how)
    stems: dict[str, list[tuple[str, TermMatch]]]  # stemmed phrase -> (condition id, "stem")
    name_stems: dict[str, frozenset[str]]  # condition id -> stems of its label and synonyms
    highlight_stems: dict[str, frozenset[str]]  # ... and of its abbreviations
    haystack: dict[str, str]  # condition id -> its names, folded, for the prefilter
    display: dict[str, str]  # folded label or synonym -> as written, for suggestions

    @classmethod
    def of(cls, conditions: Iterable[Condition]) -> _Vocabulary:
        vocabulary = cls({}, {}, {}, {}, {}, {})
        for condition in conditions:
            named: list[tuple[str, TermMatch]] = [(condition.label, "exact")]
            named += [(s, "synonym") for s in condition.synonyms]
            named += [(a, "abbreviation") for a in condition.abbreviations]
            phrases: list[str] = []
            name_stems: set[str] = set()
            abbreviation_stems: set[str] = set()
            for name, kind in named:
                words = [t.folded for t in tokens(name)]
                phrase = " ".join(words)
                vocabulary.exact.setdefault(phrase, []).append((condition.id, kind))
                stemmed = [stem(w) for w in words]
                vocabulary.stems.setdefault(" ".join(stemmed), []).append((condition.id, "stem"))
                if kind == "abbreviation":
                    abbreviation_stems.update(stemmed)
                else:
                    phrases.append(phrase)
                    name_stems.update(stemmed)
                    vocabulary.display.setdefault(phrase, name)
            vocabulary.name_stems[condition.id] = frozenset(name_stems)
            vocabulary.highlight_stems[condition.id] = frozenset(name_stems | abbreviation_stems)
            vocabulary.haystack[condition.id] = _spelling(" ".join(phrases))
        return vocabulary


def _make_terms(words: list[str], vocabulary: _Vocabulary, conditions: Iterable[Condition]) -> list[_Term]:
    """Greedy longest-first segmentation of the query into vocabulary phrases and words."""
    terms: list[_Term] = []
    i = 0
    while i < len(words):
        for length in range(min(len(words) - i, _MAX_PHRASE_WORDS), 0, -1):
            term = _Term.of(tuple(words[i : i + length]))
            found = vocabulary.exact.get(term.typed) or vocabulary.stems.get(" ".join(term.stems))
            if found:
                for condition_id, kind in found:
                    term.concepts.setdefault(condition_id, kind)
                break
            if length == 1:
                term.concepts.update(_code_matches(term.typed, conditions))
        terms.append(term)
        i += len(term.words)
    return terms


def _code_matches(word: str, conditions: Iterable[Condition]) -> dict[str, TermMatch]:
    """Conditions with an ICD-10 code that starts with `word` (G8 -> G80, G81),
    or a range of categories that holds it (M54.5 -> M40-M54)."""
    if not re.fullmatch(_CODE, word):
        return {}
    typed = word.upper()
    category = typed[:3]  # the letter and two digits; a range spans categories
    width = len(category)
    found: dict[str, TermMatch] = {}
    for condition in conditions:
        for code in condition.icd10:
            low, dash, high = code.partition("-")
            in_range = bool(dash) and low[:width] <= category <= high[:width]
            if code.startswith(typed) or in_range:
                found[condition.id] = "code"
    return found


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


def search(dataset: Dataset, query: str, scope: Scope = "indications") -> SearchResult:
    """Ranked drugs for `query`; an empty `hits` is a result, not an error."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS}")
    words = [t.folded for t in tokens(query)]
    vocabulary = _Vocabulary.of(dataset.conditions)
    terms = _make_terms(words, vocabulary, dataset.conditions)
    hits: list[SearchHit] = []
    if terms:
        context = _SearchContext(terms, _spelling(" ".join(words)), dataset, vocabulary, scope)
        for drug in dataset.drugs:
            hit = _match_drug(drug, context)
            if hit is not None:
                hits.append(hit)
    hits.sort(key=lambda h: (-h.score, fold(h.drug.name)))
    used = {r.condition.id for h in hits for m in h.indications for r in m.reasons if r.condition}
    expansions = tuple(
        Expansion(term.typed, dataset.conditions_by_id[cid], kind)
        for term in terms
        for cid, kind in term.concepts.items()
        if cid in used and kind != "exact"
    )
    suggestions = () if hits else _suggest(words, vocabulary)
    return SearchResult(
        query,
        scope,
        tuple(t.typed for t in terms),
        expansions,
        tuple(hits),
        suggestions,
        dataset.source,
        dataset.disclaimer,
    )


class _SearchContext(NamedTuple):
    """What every matching step needs, computed once per search."""

    terms: list[_Term]
    phrase: str  # the whole query, folded, to reward an exact phrase
    dataset: Dataset
    vocabulary: _Vocabulary
    scope: Scope


def _match_drug(drug: Drug, context: _SearchContext) -> SearchHit | None:
    matches: list[IndicationMatch] = []
    for indication in drug.indications:
        match = _match_indication(indication, context)
        if match is not None:
            matches.append(match)
    fields = _match_fields(drug, context) if context.scope == "all" else []
    if not matches and not fields:
        return None
    best = max([m.score for m in matches] + [f.score for f in fields])
    score = best + min(len(matches), 5)  # indicated several ways ranks a little higher
    return SearchHit(drug, score, tuple(sorted(matches, key=lambda m: -m.score)), tuple(fields))


def _prefilter(terms: list[_Term], haystack: str, linked: tuple[str, ...], vocabulary: _Vocabulary) -> bool:
    """False when some term surely cannot match: cheap substring tests, so that
    only plausible indications of a large formulary are tokenised and scored."""
    for term in terms:
        if any(c in term.concepts for c in linked):
            continue
        for needle in term.needles:
            if needle not in haystack and not any(needle in vocabulary.haystack[c] for c in linked):
                return False
    return True


def _match_indication(indication: Indication, context: _SearchContext) -> IndicationMatch | None:
    terms = context.terms
    haystack = _spelling(fold(" ".join((indication.text, *indication.qualifiers))))
    if not _prefilter(terms, haystack, indication.conditions, context.vocabulary):
        return None
    text_tokens = list(tokens(indication.text))
    qualifier_tokens = [t for q in indication.qualifiers for t in tokens(q)]
    text_words = _WordForms.of([*text_tokens, *qualifier_tokens])
    reasons: list[Reason] = []
    total = 0.0
    for term in terms:
        scored = _score_term(term, indication, text_words, context)
        if scored is None:
            return None
        score, reason = scored
        total += score
        reasons.append(reason)
    score = total / len(terms)
    if len(terms) > 1 and context.phrase in haystack:
        score += _PHRASE_BONUS
    conditions = tuple(context.dataset.conditions_by_id[c] for c in indication.conditions)
    highlights = _highlights(indication.text, text_tokens, terms, reasons, context.vocabulary)
    return IndicationMatch(indication, conditions, tuple(reasons), highlights, score)


class _WordForms(NamedTuple):
    """A text's folded words and their stems, what a term's own words must meet."""

    words: set[str]
    stems: set[str]

    @classmethod
    def of(cls, found: Iterable[Token]) -> _WordForms:
        words = {t.folded for t in found}
        return cls(words, {stem(w) for w in words})

    def match(self, term: _Term) -> Literal["exact", "stem"] | None:
        """How the term's words occur here: as written, by stem, or not at all."""
        if all(w in self.words for w in term.words):
            return "exact"
        if all(s in self.stems for s in term.stems):
            return "stem"
        return None


def _score_term(
    term: _Term, indication: Indication, text_words: _WordForms, context: _SearchContext
) -> tuple[float, Reason] | None:
    """The best way `term` matches `indication`, or None."""
    options: list[tuple[float, Reason]] = []
    kind_in_text = text_words.match(term)
    if kind_in_text is not None:
        options.append((_WORD_SCORE[kind_in_text], Reason(term.typed, kind_in_text)))
    for position, condition_id in enumerate(indication.conditions):
        penalty = _SECONDARY_PENALTY if position else 0
        condition = context.dataset.conditions_by_id[condition_id]
        kind = term.concepts.get(condition_id)
        if kind is not None:
            options.append((_CONCEPT_SCORE[kind] - penalty, Reason(term.typed, kind, condition)))
            continue
        if all(s in context.vocabulary.name_stems[condition_id] for s in term.stems):
            options.append((_CONDITION_WORD_SCORE - penalty, Reason(term.typed, "stem", condition)))
    return max(options, key=lambda option: option[0]) if options else None


def _match_fields(drug: Drug, context: _SearchContext) -> list[FieldMatch]:
    terms = context.terms
    effect_labels = tuple(e.label for e in context.dataset.effects if e.id in drug.effects)
    statements = [("class", drug.drug_class)]
    statements += [("mechanism", s) for s in drug.mechanism]
    statements += [("actions", s) for s in drug.actions]
    statements += [("onset", s) for s in drug.onset]
    statements += [("effects", s) for s in effect_labels]
    statements += [("caveats", s) for s in drug.caveats]
    found: list[FieldMatch] = []
    for name, text in statements:
        haystack = _spelling(fold(text))
        if not all(n in haystack for t in terms for n in t.needles):
            continue
        text_tokens = list(tokens(text))
        text_words = _WordForms.of(text_tokens)
        reasons: list[Reason] = []
        for term in terms:
            kind = text_words.match(term)
            if kind is None:
                break
            reasons.append(Reason(term.typed, kind))
        else:
            scores = [_WORD_SCORE[r.kind] for r in reasons]
            bonus = _PHRASE_BONUS if len(terms) > 1 and context.phrase in haystack else 0
            score = _FIELD_WEIGHT * (sum(scores) / len(scores) + bonus)
            highlights = _highlights(text, text_tokens, terms, reasons, context.vocabulary)
            found.append(FieldMatch(name, text, tuple(reasons), highlights, score))
    return found


def _highlights(
    text: str, text_tokens: list[Token], terms: list[_Term], reasons: list[Reason], vocabulary: _Vocabulary
) -> tuple[Span, ...]:
    """Spans of `text` to emphasise: the query's words, and the words of any
    condition a term matched through (so "MS" lights up "multiple sclerosis")."""
    wanted = {s for t in terms for s in t.stems}
    for reason in reasons:
        if reason.condition is not None:
            wanted |= vocabulary.highlight_stems[reason.condition.id]
    spans: list[Span] = []
    for token in text_tokens:
        if stem(token.folded) not in wanted:
            continue
        if spans and not text[spans[-1][1] : token.start].strip():
            spans[-1] = (spans[-1][0], token.end)  # "multiple sclerosis" is one span
        else:
            spans.append((token.start, token.end))
    return tuple(spans)


def _suggest(words: list[str], vocabulary: _Vocabulary, limit: int = 3) -> tuple[str, ...]:
    """Vocabulary terms that look like a query that found nothing."""
    close = did_you_mean(" ".join(words), vocabulary.display, limit)
    return tuple(vocabulary.display[c] for c in close)
