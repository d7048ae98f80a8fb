"""Suggestions: from the vocabulary, never a clinical look-alike of the opposite
("hypotension" is not "hypertension"); each must itself find something."""

from adjuvant_cli import codes
from adjuvant_cli.model import Dataset
from adjuvant_cli.search.candidates import candidates
from adjuvant_cli.search.plan import make_context, match_indication
from adjuvant_cli.search.results import COUNTED
from adjuvant_cli.search.terms import Term, make_terms
from adjuvant_cli.text import did_you_mean, fold
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
_WORD_CUTOFF = 0.75  # each word of a suggestion a close spelling of the word typed
_SHARED_ENDING = 3  # an ending this long ("-itis") is a suffix: the rest must be close too
# A query that negates ("non-epileptic seizures", "no seizures") gets no
# suggestion: the condition it names alone would be its opposite.
_NEGATIONS = frozenset({"no", "none", "non", "not", "without", "never", "free"})


def negated(terms: list[Term]) -> bool:
    words = [w for t in terms for w in t.words]
    return any(w in _NEGATIONS or (w.startswith("non") and len(w) > 5) for w in words)


def suggest(dataset: Dataset, query: str, terms: list[Term], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Related by spelling or by code, never by one shared word ("panic attacks"
    is no heart attack, "opioid withdrawal" no alcohol withdrawal), and each
    finding something itself."""
    typed = fold(query)
    if not typed or len(typed) > 60:
        return ()
    candidates = _close_spellings(typed, vocabulary) + _same_category(dataset, terms)
    chosen: list[str] = []
    group_only = {fold(c.label) for c in dataset.conditions if c.names_group_only}
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


def _close_spellings(typed: str, vocabulary: Vocabulary) -> list[str]:
    """Vocabulary phrases that are a close spelling of the whole query, word for
    word: a typo of a term, never a term that shares one word with it."""
    words = typed.split()
    phrases = [n for n in vocabulary.phrases if len(n.split()) == len(words) and not _opposite(typed, n)]
    return [
        phrase
        for phrase in did_you_mean(typed, phrases, cutoff=0.8)
        if all(a == b or close_word(a, b) for a, b in zip(words, phrase.split(), strict=True))
    ]


def close_word(typed: str, word: str) -> bool:
    """A close spelling of `word`, judged on what tells words apart: an ending
    they share ("-itis", "-esthesia") says nothing, so "tendinitis" is no
    "meningitis" and "paresthesia" no "anaesthesia", while "menengitis" is one."""
    if not did_you_mean(typed, [word], cutoff=_WORD_CUTOFF):
        return False
    shared = _shared_ending(typed, word)
    if shared < _SHARED_ENDING:
        return True
    return bool(did_you_mean(typed[:-shared], [word[:-shared]], cutoff=_WORD_CUTOFF))


def _shared_ending(a: str, b: str) -> int:
    """How many letters `a` and `b` end with in common."""
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _same_category(dataset: Dataset, terms: list[Term]) -> list[str]:
    """For a code inside no condition's codes, the conditions coded in its
    3-character category (never a group-only one): related by code."""
    found: list[str] = []
    for term in terms:
        if term.code is None or term.code.condition is not None:
            continue
        code = term.code.read_as
        if any(codes.contains(own, code) for c in dataset.conditions for own in c.icd10):
            continue  # inside a condition that does not mean it: shown, nothing offered
        category = code[:3]
        for condition in dataset.conditions:
            if not condition.names_group_only and any(
                codes.contains(category, own) for own in condition.icd10
            ):
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
