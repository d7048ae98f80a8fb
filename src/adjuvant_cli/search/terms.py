"""Reading a query into terms: vocabulary phrases, ICD-10 codes and words,
longest first; and how a term's words stand in a text."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.model import Dataset, Umbrella
from adjuvant_cli.search.results import Via
from adjuvant_cli.text import Token, folded_words, stem, tokens
from adjuvant_cli.vocabulary import CodeMeaning, Name, Vocabulary, code_meaning

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
    terms: list[Term] = []
    i = 0
    while i < len(found):
        term, used = phrase_at(query, found, i, vocabulary) or _code_at(query, found, i, dataset)
        if term is None:
            term, used = _term(query, found[i : i + 1]), 1
        terms.append(term)
        i += used
    content = [t for t in terms if t.is_concept or t.words[0] not in FUNCTION_WORDS]
    return content


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


def needle(stemmed: str) -> str:
    """A substring of every word with this stem, in spelling form: stem() only
    rewrites a word's tail (drops suffixes; "ies" -> "y", "our" -> "or") after
    the same spelling merges, so all but the stem's last letter is always there."""
    return stemmed[:-1] if len(stemmed) >= 4 else stemmed


def spelling(text: str) -> str:
    # The same spelling merges stem() makes, so a substring test agrees with it.
    return text.replace("ae", "e").replace("oe", "e")
