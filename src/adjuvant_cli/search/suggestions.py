"""Suggestions: from the vocabulary, never a clinical look-alike of the opposite
("hypotension" is not "hypertension"); each must itself find something."""

from adjuvant_cli import codes
from adjuvant_cli.model import Dataset
from adjuvant_cli.search.candidates import candidates
from adjuvant_cli.search.plan import make_context, match_indication
from adjuvant_cli.search.results import COUNTED
from adjuvant_cli.search.terms import FUNCTION_WORDS, Term, make_terms
from adjuvant_cli.text import did_you_mean, fold, folded_words, stem
from adjuvant_cli.vocabulary import Vocabulary

_OPPOSITES = (
    ("hypo", "hyper"),
    ("brady", "tachy"),
    ("in", "ex"),
    ("hyper", "hypo"),
    ("tachy", "brady"),
    ("ex", "in"),
)
_MAX_SUGGESTIONS = 3
# A query that negates ("non-epileptic seizures", "no seizures") gets no
# suggestion: the condition it names alone would be its opposite.
_NEGATIONS = frozenset({"no", "none", "non", "not", "without", "never", "free"})


def negated(terms: list[Term]) -> bool:
    words = [w for t in terms for w in t.words]
    return any(w in _NEGATIONS or (w.startswith("non") and len(w) > 5) for w in words)


def suggest(dataset: Dataset, query: str, terms: list[Term], vocabulary: Vocabulary) -> tuple[str, ...]:
    typed = fold(query)
    if not typed or len(typed) > 60:
        return ()
    candidates = _named(terms) + _sharing_a_word(dataset, terms) + _same_category(dataset, terms)
    candidates += did_you_mean(typed, [n for n in vocabulary.phrases if not _opposite(typed, n)], cutoff=0.8)
    chosen: list[str] = []
    group_only = {fold(c.label) for c in dataset.conditions if c.group_only}
    for candidate in dict.fromkeys(candidates):
        label = _display(candidate, dataset)
        if fold(label) in group_only:
            continue  # never steer one poisoning ("opioid overdose") to the group
        if fold(label) == typed or _opposite(typed, fold(label)) or label in chosen:
            continue
        if _finds_something(dataset, vocabulary, label):
            chosen.append(label)
        if len(chosen) == _MAX_SUGGESTIONS:
            break
    return tuple(chosen)


def _named(terms: list[Term]) -> list[str]:
    """The conditions and umbrella terms the query's words name, each alone."""
    named = [name.condition or name.umbrella for term in terms for name in term.names]
    return [found.label for found in named if found is not None]


def _sharing_a_word(dataset: Dataset, terms: list[Term]) -> list[str]:
    query_stems = {s for t in terms for s in t.stems if s not in FUNCTION_WORDS}
    return [
        condition.label
        for condition in dataset.conditions
        if any(
            stem(word) in query_stems
            for name in (condition.label, *condition.synonyms)
            for word in folded_words(name)
        )
    ]


def _same_category(dataset: Dataset, terms: list[Term]) -> list[str]:
    """Conditions in the same 3-character category or block as a code that
    means no condition (never a group-only one)."""
    found: list[str] = []
    for term in terms:
        if term.code is None or term.code.condition is not None:
            continue
        category = term.code.read_as[:3]
        parent = dataset.who_by_code.get(category)
        block = parent.parent if parent else None
        for condition in dataset.conditions:
            near = (
                codes.contains(own, category)
                or codes.contains(category, own)
                or bool(block and codes.contains(block, own))
                for own in condition.icd10
            )
            if not condition.group_only and any(near):
                found.append(condition.label)
    return found


def _display(phrase: str, dataset: Dataset) -> str:
    for condition in dataset.conditions:
        if fold(condition.label) == phrase or phrase in (fold(s) for s in condition.synonyms):
            return condition.label
    for umbrella in dataset.umbrellas:
        if fold(umbrella.label) == phrase:
            return umbrella.label
    return phrase


def _opposite(a: str, b: str) -> bool:
    return any(
        a.startswith(x) and b.startswith(y) and a[len(x) :][:4] == b[len(y) :][:4] for x, y in _OPPOSITES
    )


def _finds_something(dataset: Dataset, vocabulary: Vocabulary, label: str) -> bool:
    terms = make_terms(label, dataset, vocabulary)
    context = make_context(dataset, vocabulary, terms, "indications")
    return any(
        (hit := match_indication(d, i, context)) is not None and hit.tier in COUNTED
        for d in candidates(context)
        for i in d.indications
    )
