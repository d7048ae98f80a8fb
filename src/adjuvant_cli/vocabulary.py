"""The condition vocabulary as a clinician reads it: what a phrase or a code
means, and which conditions are narrower or broader than which.

One meaning per condition: its label, a synonym, an abbreviation and a code
all lead to the same condition id. The hierarchy (Dataset.narrower, built by
the loader with codes.hierarchy) is the union of the dataset's `broader` links
and code containment. A group-only condition (drug poisoning, T36-T50) is
never reached through its members: no code inside its range means it, and
nothing is narrower than it by code.
"""

from typing import Literal, NamedTuple

from adjuvant_cli import codes
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
    condition: Condition | None  # the most specific condition containing it, if any
    title: str | None = None  # WHO's title, when the query typed the title rather than the code


class Vocabulary(NamedTuple):
    """Phrases, stems and hierarchy of one dataset, built once per query."""

    phrases: dict[str, list[Name]]  # folded phrase -> names
    stemmed: dict[str, list[Name]]  # stemmed phrase -> names
    exact_case: dict[str, list[Name]]  # case-sensitive abbreviation as written -> names
    narrower: dict[str, frozenset[str]]  # condition id -> every narrower id (transitive)
    broader: dict[str, frozenset[str]]  # condition id -> every broader id (transitive)
    name_stems: dict[str, frozenset[str]]  # condition id -> stems of its label and synonyms
    longest: int  # words in the longest phrase

    @classmethod
    def of(cls, dataset: Dataset) -> "Vocabulary":
        phrases: dict[str, list[Name]] = {}
        stemmed: dict[str, list[Name]] = {}
        exact_case: dict[str, list[Name]] = {}
        longest = 1

        def add(text: str, name: Name) -> None:
            nonlocal longest
            words = folded_words(text)
            if not words:
                return
            longest = max(longest, len(words))
            phrases.setdefault(" ".join(words), []).append(name)
            if name.kind != "abbreviation":
                stem_name = name._replace(kind="stem") if name.kind != "umbrella" else name
                stemmed.setdefault(" ".join(stem(w) for w in words), []).append(stem_name)

        for condition in dataset.conditions:
            add(condition.label, Name("label", condition))
            for synonym in condition.synonyms:
                add(synonym, Name("synonym", condition))
            for abbreviation in condition.abbreviations:
                add(abbreviation, Name("abbreviation", condition))
            for abbreviation in condition.case_sensitive_abbreviations:
                exact_case.setdefault(abbreviation, []).append(Name("abbreviation", condition))
        for umbrella in dataset.umbrellas:
            for text in (umbrella.label, *umbrella.synonyms):
                add(text, Name("umbrella", umbrella=umbrella))
        narrower = dataset.narrower
        broader: dict[str, set[str]] = {c.id: set() for c in dataset.conditions}
        for parent, children in narrower.items():
            for child in children:
                broader[child].add(parent)
        name_stems = {
            c.id: frozenset(stem(word) for name in (c.label, *c.synonyms) for word in folded_words(name))
            for c in dataset.conditions
        }
        return cls(
            phrases,
            stemmed,
            exact_case,
            dict(narrower),
            {k: frozenset(v) for k, v in broader.items()},
            name_stems,
            longest,
        )


def code_meaning(dataset: Dataset, typed: str) -> "CodeMeaning":
    """The condition a code typed as a query means: the most specific one whose
    codes contain it. A member code never means a group-only condition; only
    the group's own code does."""
    code = typed.upper()
    read_as = _who_form(code)
    candidates: list[tuple[int, int, Condition]] = []
    for condition in dataset.conditions:
        for own in condition.icd10:
            if condition.group_only and own != read_as:
                continue
            if codes.contains(own, read_as):
                width = len(codes.categories(own))
                candidates.append((width, 0 if "." in own else 1, condition))
    candidates.sort(key=lambda c: (c[0], c[1]))
    return CodeMeaning(code, read_as, candidates[0][2] if candidates else None)


def _who_form(code: str) -> str:
    """A code cut to the WHO form, a category and at most one digit after the
    dot: ICD-10-CM's M54.50 and M54.16 read as M54.5 and M54.1."""
    category, dot, sub = code.partition(".")
    return f"{category}.{sub[:1]}" if dot and len(sub) > 1 else code
