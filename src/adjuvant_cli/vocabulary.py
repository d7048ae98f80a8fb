"""The condition vocabulary as a clinician reads it: what a phrase or a code
means, and which conditions are narrower or broader than which.

One meaning per condition: its label, a synonym, an abbreviation and its own
code all lead to the same condition id. A code strictly inside a condition's
codes is a condition inside it, never the condition itself (FACTS §4c):
"F43.1" is not neurosis. The hierarchy (Dataset.narrower: direct links, the
dataset's `broader` links and code containment) is walked per query
(hierarchy.Hierarchy).
"""

from typing import Literal, NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.hierarchy import Hierarchy
from adjuvant_cli.model import Condition, Dataset, Umbrella
from adjuvant_cli.text import folded_words, stem

NameKind = Literal["label", "synonym", "abbreviation", "umbrella", "stem", "phrasing"]


class Name(NamedTuple):
    """What a phrase names: a condition or an umbrella term, and how."""

    kind: NameKind
    condition: Condition | None = None
    umbrella: Umbrella | None = None


class CodeMeaning(NamedTuple):
    """What a code typed as a query means."""

    typed: str  # as typed, upper-cased
    read_as: str  # the WHO code it was read as (M54.50 -> M54.5)
    condition: Condition | None  # the condition whose own code it is, if any
    # Otherwise the conditions whose codes hold it, the most specific first: it
    # is a condition inside them, never one of them.
    inside: tuple[Condition, ...] = ()
    title: str | None = None  # WHO's title, when the query typed the title rather than the code


class Vocabulary(NamedTuple):
    """Phrases, stems and hierarchy of one dataset, built once per query."""

    phrases: dict[str, list[Name]]  # folded phrase -> names
    stemmed: dict[str, list[Name]]  # stemmed phrase -> names
    exact_case: dict[str, list[Name]]  # case-sensitive abbreviation as written -> names
    hierarchy: Hierarchy  # what lies inside what, walked on demand
    longest: int  # words in the longest phrase
    # The stems of a name's words that carry meaning, as a set: "disc herniation"
    # is "herniated disc", "spine disorders" "disorders of the spine".
    unordered: dict[frozenset[str], list[Name]]

    @classmethod
    def of(cls, dataset: Dataset) -> "Vocabulary":
        # Every name of every condition, once per query: on a chain of 6,000
        # conditions this is most of a search, so each name is folded and
        # stemmed once and each Name made once.
        phrases: dict[str, list[Name]] = {}
        stemmed: dict[str, list[Name]] = {}
        exact_case: dict[str, list[Name]] = {}
        unordered: dict[frozenset[str], list[Name]] = {}
        longest = 1

        def add(text: str, name: Name, stem_name: Name | None) -> None:
            nonlocal longest
            words = folded_words(text)
            if not words:
                return
            longest = max(longest, len(words))
            phrases.setdefault(" ".join(words), []).append(name)
            if stem_name is not None:  # an abbreviation is matched as written only
                stems = [stem(w) for w in words]
                stemmed.setdefault(" ".join(stems), []).append(stem_name)
                meaning = frozenset(s for w, s in zip(words, stems, strict=True) if w not in JOINING_WORDS)
                unordered.setdefault(meaning, []).append(stem_name)

        for condition in dataset.conditions:
            by_stem = Name("stem", condition)
            add(condition.label, Name("label", condition), by_stem)
            if condition.synonyms:
                synonym = Name("synonym", condition)
                for text in condition.synonyms:
                    add(text, synonym, by_stem)
            if condition.abbreviations:
                abbreviation = Name("abbreviation", condition)
                for text in condition.abbreviations:
                    add(text, abbreviation, None)
            for text in condition.case_sensitive_abbreviations:
                exact_case.setdefault(text, []).append(Name("abbreviation", condition))
        for umbrella in dataset.umbrellas:
            named = Name("umbrella", umbrella=umbrella)
            for text in (umbrella.label, *umbrella.synonyms):
                add(text, named, named)
        return cls(
            phrases,
            stemmed,
            exact_case,
            Hierarchy.of(dataset.narrower, dataset.conditions_by_id),
            longest,
            unordered,
        )


# Words that join a name's parts and carry nothing of its meaning ("disorders
# of the spine" is "spine disorders"); the query's function words (search/terms.py).
JOINING_WORDS = frozenset(["a", "an", "the", "of", "in", "on", "with", "and", "or", "by", "to", "for"])


def meaning_set(words: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The stems of `words` that carry meaning, as a set: a name read in any order."""
    return frozenset(stem(w) for w in words if w not in JOINING_WORDS)


def code_meaning(dataset: Dataset, typed: str) -> "CodeMeaning":
    """What a code typed as a query means: the condition whose own code (or
    range) it is, the most specific if several; otherwise the conditions whose
    codes hold it, as what it lies inside."""
    code = typed.upper()
    read_as = codes.who_form(code)
    own: list[tuple[int, int, Condition]] = []
    holding: list[tuple[int, int, Condition]] = []
    for condition in dataset.conditions:
        for listed in condition.icd10:
            width = len(codes.categories(listed))
            if listed == read_as:
                own.append((len(condition.icd10), width, condition))
            elif codes.contains(listed, read_as):
                holding.append((width, 0 if "." in listed else 1, condition))
    if own:
        return CodeMeaning(code, read_as, min(own, key=lambda c: (c[0], c[1]))[2])
    holding.sort(key=lambda c: (c[0], c[1]))
    return CodeMeaning(code, read_as, None, tuple(dict.fromkeys(c[2] for c in holding)))
