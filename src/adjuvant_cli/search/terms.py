"""Reading a query into terms: vocabulary phrases, ICD-10 codes and words,
longest first; and how a term's words stand in a text."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.model import Dataset, Umbrella
from adjuvant_cli.search.results import Via
from adjuvant_cli.text import Token, folded_words, needle, stem, tokens
from adjuvant_cli.vocabulary import CodeMeaning, Name, Vocabulary, code_meaning

if TYPE_CHECKING:
    from adjuvant_cli.dataset.who_titles import WhoMatch  # imported where WHO's titles are read

# Optional in a query of several words: "spasticity after stroke" must find
# "spasticity … sequelae of stroke". Negations (not, no, without) are never here.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "after",
        "before",
        "and",
        "or",
        "as",
        "by",
        "from",
        "into",
        "during",
        "due",
    ]
)


class Term(NamedTuple):
    typed: str
    words: tuple[str, ...]  # folded
    stems: tuple[str, ...]
    names: tuple[Name, ...]  # conditions or umbrellas it names
    code: CodeMeaning | None = None

    @property
    def conditions(self) -> dict[str, Via]:
        """Condition id -> how the term names it."""
        found: dict[str, Via] = {}
        if self.code is not None and self.code.condition is not None:
            found[self.code.condition.id] = "code"
        for name in self.names:
            if name.condition is not None:
                found.setdefault(name.condition.id, name.kind)
        return found

    @property
    def umbrellas(self) -> tuple[Umbrella, ...]:
        return tuple(n.umbrella for n in self.names if n.umbrella is not None)

    @property
    def is_concept(self) -> bool:
        return bool(self.names) or self.code is not None

    @property
    def needles(self) -> tuple[str, ...]:
        """Substrings every text holding this term's words must hold."""
        return tuple(needle(s) for s in self.stems)


def _term(
    query: str, run: Sequence[Token], names: Iterable[Name] = (), code: CodeMeaning | None = None
) -> "Term":
    words = tuple(t.folded for t in run)
    typed = query[run[0].start : run[-1].end] if run else ""
    return Term(typed, words, tuple(stem(w) for w in words), tuple(names), code)


def make_terms(query: str, dataset: Dataset, vocabulary: Vocabulary) -> list[Term]:
    """Longest-first segmentation into vocabulary phrases, codes and words;
    function words between them are dropped when anything else is typed."""
    found = list(tokens(query))
    placed: list[tuple[Term, int]] = []  # each term and the index of its first token
    i = 0
    while i < len(found):
        term, used = phrase_at(query, found, i, vocabulary) or _code_at(query, found, i, dataset)
        if term is None:
            term, used = _term(query, found[i : i + 1]), 1
        placed.append((term, i))
        i += used
    terms = _read_who_titles(query, found, placed, dataset)
    content = [t for t in terms if t.is_concept or t.words[0] not in FUNCTION_WORDS]
    return content


def _read_who_titles(
    query: str, found: list[Token], placed: list[tuple[Term, int]], dataset: Dataset
) -> list[Term]:
    """Words the dataset's vocabulary leaves unexplained (no concept, and no
    name of a condition or umbrella term holds them: "headache" is a word of
    tension headache's) send the query to WHO's titles (dataset/who_titles.py):
    the whole query, or else such a run of words, that is a whole title is its
    code, as if the code were typed."""
    terms = [term for term, _ in placed]
    runs = [run for run in _word_runs(found, placed) if _unexplained(query[run[1] : run[2]], dataset)]
    if not runs:
        return terms
    from adjuvant_cli.dataset.who_titles import who_code_for  # reads WHO's titles: only here

    whole = who_code_for(query)
    if whole is not None:
        return [_title_term(query, found, whole, dataset)]
    read = list(terms)
    for (k, end), start, stop in reversed(runs):
        match = who_code_for(query[start:stop])
        if match is not None:
            tokens_of = [t for t in found if start <= t.start and t.end <= stop]
            read[k:end] = [_title_term(query, tokens_of, match, dataset)]
    return read


def _word_runs(found: list[Token], placed: list[tuple[Term, int]]) -> list[tuple[tuple[int, int], int, int]]:
    """Each maximal run of terms that are words, not concepts: ((first term,
    end term), start, stop in the query), function words at its ends left out
    ("spasticity after cerebral infarction")."""
    runs = []
    k = 0
    while k < len(placed):
        end = next((e for e in range(k, len(placed)) if placed[e][0].is_concept), len(placed))
        run = found[placed[k][1] : placed[end][1] if end < len(placed) else len(found)]
        while run and run[-1].folded in FUNCTION_WORDS:
            run = run[:-1]
        while run and run[0].folded in FUNCTION_WORDS:
            run = run[1:]
        if end > k and run:
            runs.append(((k, end), run[0].start, run[-1].end))
        k = max(end, k + 1)
    return runs


def _unexplained(text: str, dataset: Dataset) -> bool:
    """No name of the dataset's conditions or umbrella terms holds every word
    of `text` that carries meaning (words read as WHO's titles read them)."""
    from adjuvant_cli.dataset.who_titles import meaning_stems

    wanted = meaning_stems(text)
    names = [n for c in dataset.conditions for n in (c.label, *c.synonyms)]
    names += [n for u in dataset.umbrellas for n in (u.label, *u.synonyms)]
    return bool(wanted) and not any(wanted <= meaning_stems(name) for name in names)


def _title_term(query: str, run: Sequence[Token], match: "WhoMatch", dataset: Dataset) -> Term:
    """The term for a whole WHO title: its code, read as the code typed is."""
    return _term(query, run, code=code_meaning(dataset, match.code)._replace(title=match.title))


def phrase_at(
    query: str, found: list[Token], i: int, vocabulary: Vocabulary
) -> tuple[Term | None, int] | None:
    for length in range(min(len(found) - i, vocabulary.longest), 0, -1):
        run = found[i : i + length]
        words = [t.folded for t in run]
        if length == 1 and query[run[0].start : run[0].end] in vocabulary.exact_case:
            return _term(query, run, vocabulary.exact_case[query[run[0].start : run[0].end]]), 1
        names = vocabulary.phrases.get(" ".join(words), [])
        # An abbreviation marked case-sensitive elsewhere is not matched here, and a
        # lower-case function word is never read as an abbreviation ("as", "in").
        names = [n for n in names if not (n.kind == "abbreviation" and words[0] in FUNCTION_WORDS)]
        names = names or vocabulary.stemmed.get(" ".join(stem(w) for w in words), [])
        if names:
            return _term(query, run, names), length
    return None


def _code_at(query: str, found: list[Token], i: int, dataset: Dataset) -> tuple[Term | None, int]:
    token = found[i]
    text = query[token.start : token.end]
    if not codes.is_code(text):
        return None, 0
    if i + 1 < len(found):  # "M40-M54": one range, not two codes
        following = found[i + 1]
        upper = query[following.start : following.end]
        joined = f"{text}-{upper}"
        if query[token.end : following.start] == "-" and codes.is_code(joined):
            return _term(query, found[i : i + 2], code=code_meaning(dataset, joined)), 2
    return _term(query, [token], code=code_meaning(dataset, text)), 1


class Words(NamedTuple):
    """A text's folded words and their stems."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "Words":
        words = frozenset(folded_words(text))
        return cls(words, frozenset(stem(w) for w in words))

    def match(self, term: Term) -> Via | None:
        if all(w in self.words for w in term.words):
            return "word"
        if all(s in self.stems for s in term.stems):
            return "word stem"
        return None
