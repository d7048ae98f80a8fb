"""Normalising text: folding for comparison, tokens and stems for search, and
making untrusted strings safe to show.

Patterns are kept as strings and compiled by `re`'s own cache on first use, so
importing this module costs nothing (it is imported on every run).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

# Characters that can move the cursor, rewrite the screen or reorder text on a
# terminal: C0 controls (but tab and newline), DEL, C1 controls, bidi controls
# and the Unicode line/paragraph separators. Rich strips only five of these.
UNSAFE_CHARS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"

# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties): characters
# that show nothing (soft hyphen, zero-width ones, variation selectors, tags,
# fillers). Folded away, so that "Val\u00adium" is looked up, and counted by
# the duplicate-name check, as "Valium".
_IGNORABLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

# Characters that are not ignorable (so `fold` keeps them) but show as a blank
# or as nothing a reader would take for a letter: the Braille blank ("shows
# nothing") and the object replacement character. A name that differs from
# another by these only is the same name to a reader.
_BLANK_LOOKING = "[\u2800\ufffc]"

# A drug's name, brand name or other name: past this it cannot be looked up
# (names.resolve_drug answers at once), so a dataset may not hold a longer one.
MAX_NAME_CHARS = 200
_ZWNJ, _ZWJ = "\u200c", "\u200d"
# Scripts whose letters join (Arabic, Syriac, N'Ko, ...): a ZWNJ between two of
# their letters keeps them apart, as Persian spelling needs (RFC 5892, A.1).
_JOINING_SCRIPTS = ("ARABIC", "SYRIAC", "NKO", "MANDAIC", "MONGOLIAN", "PHAGS-PA", "MANICHAEAN", "PSALTER")

# A token is an ICD-10-like code (G80.3) or a run of letters/digits that may
# carry an apostrophe (Ménière's). Hyphens, dots and slashes split words.
_TOKEN = r"[^\W\d_]\d\d\.\d+|[^\W_]+(?:['’][^\W_]+)*"
# The same on lowered ASCII text, where it matches exactly what _TOKEN does:
# the regex engine tests an ASCII class faster than a Unicode one (the words
# of a 10,000-drug formulary: 0.30 s -> 0.12 s; tests/test_properties.py).
_ASCII_TOKEN = r"[a-z][0-9][0-9]\.[0-9]+|[a-z0-9]+(?:'[a-z0-9]+)*"

# Light English stemming: enough to make "spasticity" meet "spastic" and
# "diseases" meet "disease"; the same function runs on data and query, so it
# only has to be consistent, not linguistically right.
_SUFFIXES = ("ities", "ity", "ically", "ical", "ic", "ings", "ing", "ed", "ly")
_MIN_STEM = 4
# Raised whenever stem() changes: a cache or store holding stems of another day is not read.
STEMMING = 2

# difflib is quadratic in the length of what it compares: past this many
# characters nothing is suggested, so absurd input stays cheap.
MAX_SUGGEST_CHARS = 40


class Token(NamedTuple):
    """A word of some text: where it stands in the original, and its folded form."""

    start: int
    end: int
    folded: str


def without_invisible(text: str) -> str:
    """`text` without the characters that show nothing (_IGNORABLE): a query
    pasted from a PDF or a web page ("spas\u00adticity") means what it shows,
    and a word is not split where nothing is seen."""
    return text if text.isascii() else re.sub(_IGNORABLE, "", text)


def fold(text: str) -> str:
    """Case-, accent- and compatibility-insensitive form used for every comparison."""
    if text.isascii():  # NFKC and accent stripping change nothing: skip them (hot path)
        return " ".join(text.lower().split())
    text = without_invisible(unicodedata.normalize("NFKC", text).casefold())
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", stripped).split())


def fold_name(name: str) -> str:
    """The form in which two names are the same name to a reader: `fold`
    (case, accents, NFKC, characters that show nothing), without blank-looking
    characters (U+2800 ...), and with letters of other scripts that look like
    a Latin letter read as that letter ("Vаlium" with a Cyrillic а is
    "valium"). The one folding of every same-name check: drugs, brands, other
    names and conditions. Not the lookup key: a name is looked up by `fold`."""
    if name.isascii():  # nothing to strip or read as Latin (every name of a large vocabulary)
        return fold(name)
    folded = fold(re.sub(_BLANK_LOOKING, "", name))
    if folded.isascii():
        return folded
    return folded.translate(_lookalike_table())


@lru_cache(maxsize=1)
def _lookalike_table() -> dict[int, str]:
    # Generated by scripts/lookalikes.py; read only for a name that is not ASCII.
    from adjuvant_cli.lookalikes import PAIRS

    return {ord(PAIRS[i]): PAIRS[i + 1] for i in range(0, len(PAIRS), 2)}


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    # Compiled on first use, not at import: `show` never tokenises, and
    # compiling it costs 0.5 ms of every run's start-up.
    return re.compile(_TOKEN)


@lru_cache(maxsize=1)
def _ascii_token_pattern() -> re.Pattern[str]:
    return re.compile(_ASCII_TOKEN)


def tokens(text: str) -> Iterator[Token]:
    """The words of `text`, folded, possessives dropped ("Ménière's" -> "meniere")."""
    # For ASCII text, folding is lower() and keeps every position: do it once
    # for the whole text rather than once per word (search tokenises a lot).
    lowered = text.lower() if text.isascii() else None
    for match in _token_pattern().finditer(text):
        start, end = match.span()
        word = lowered[start:end] if lowered is not None else fold(match.group()).replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word:
            yield Token(start, end, word)


def folded_words(text: str) -> list[str]:
    """The folded words of `text`, as tokens() gives them, without positions.

    A search reads every condition name and indication of the dataset, nearly
    all ASCII: for those, one findall on the lowered text replaces a generator
    step and a Token per word (219 names and indications of the bundled
    dataset: 1.8 ms -> 0.6 ms). tests/test_properties.py holds it to tokens().
    """
    if text.isascii():
        return [w[:-2] if w.endswith("'s") else w for w in _ascii_token_pattern().findall(text.lower())]
    return [token.folded for token in tokens(text)]


def folded_word_set(text: str) -> set[str]:
    """The distinct words of folded_words(text), each folded once: the store
    indexes every word of a formulary in its first load (benchmarks/scale.py)."""
    if text.isascii():
        return {w[:-2] if w.endswith("'s") else w for w in set(_ascii_token_pattern().findall(text.lower()))}
    return set(folded_words(text))


@lru_cache(maxsize=4096)  # the same few hundred words recur across a search
def stem(word: str) -> str:
    """A crude, consistent stem of a folded word (British and US spellings meet)."""
    if not word.isascii() or not word.isalpha():
        return word
    word = word.replace("ae", "e").replace("oe", "e")
    if word.startswith("disk"):  # the US spelling of an intervertebral disc
        word = "disc" + word[4:]
    if word.endswith("our") and len(word) > 5:
        word = word[:-3] + "or"
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        word = word[:-1]
    # Strip repeatedly so that "spasticity" -> "spastic" -> "spast" meets "spastic".
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                stripped = True
                break
    if word.endswith("e") and len(word) > _MIN_STEM:
        word = word[:-1]
    # An agent noun in -iser/-izer on a word whose l British spelling doubles
    # ("tranquilliser", "tranquilizer"): one stem, and still a prefix of the word.
    if word.endswith(("iser", "izer")) and len(word) - 4 >= _MIN_STEM:
        word = word[:-4]
        if word.endswith("ll"):
            word = word[:-1]
    return word


def spelling(text: str) -> str:
    """`text` (folded) with the spelling merges stem() makes ("ae", "oe" -> "e"),
    so that a substring test agrees with stems."""
    return text.replace("ae", "e").replace("oe", "e")


def needle(stemmed: str) -> str:
    """A substring of every word with this stem, in spelling() form: stem() only
    rewrites a word's tail (drops suffixes; "ies" -> "y", "our" -> "or") after
    the same spelling merges, so all but the stem's last letter is always there."""
    return stemmed[:-1] if len(stemmed) >= 4 else stemmed


def find_unsafe(text: str) -> str | None:
    """The first terminal-unsafe character of `text`, or None."""
    # Every unsafe character is non-printable (categories Cc, Cf, Zl, Zp), so a
    # printable string is clean: a C-speed answer for nearly every string.
    if text.isprintable():
        return None
    match = re.search(UNSAFE_CHARS, text)
    return match.group() if match else None


def hidden_format_character(name: str) -> str | None:
    """The first format or tag character (category Cf: soft hyphen, zero-width
    space, word joiner, BOM, tags, ...) in `name` that no script needs there,
    or None. ZWJ and ZWNJ are allowed where a script needs them: after a
    virama, and a ZWNJ between two letters of a joining script (RFC 5892's
    CONTEXTJ rules, simplified). Such characters are invisible, so a name
    could otherwise pass for another drug's."""
    if name.isprintable():  # every Cf character is non-printable: the common case in C
        return None
    for i, char in enumerate(name):
        if unicodedata.category(char) != "Cf":
            continue
        before = name[i - 1] if i else ""
        after = name[i + 1] if i + 1 < len(name) else ""
        if char in (_ZWJ, _ZWNJ) and before and unicodedata.combining(before) == 9:  # virama
            continue
        if char == _ZWNJ and _joining_letter(before) and _joining_letter(after):
            continue
        return char
    return None


def _joining_letter(char: str) -> bool:
    return (
        bool(char)
        and unicodedata.category(char).startswith("L")
        and (unicodedata.name(char, "").startswith(_JOINING_SCRIPTS))
    )


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, limit: int | None = None) -> str:
    """`text` made safe for a terminal: unsafe characters shown as escapes
    (ESC -> "\\x1b"), and cut to `limit` characters with an ellipsis."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return re.sub(UNSAFE_CHARS, _escape_char, text)


def one_line(text: str, limit: int | None = None) -> str:
    """`text` made printable and kept on one line (newlines and tabs escaped),
    for messages that promise one line on stderr and for input echoed back."""
    return printable(text, limit).replace("\n", "\\n").replace("\t", "\\t")


_FLAGS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off", ""), False),
}


def parse_flag(value: str | None) -> bool | None:
    """A boolean environment variable: 1/0, true/false, yes/no, on/off (any
    case); unset or empty is false; None for anything else (the CLI refuses it)."""
    return False if value is None else _FLAGS.get(value.lower())


def valid_unicode(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD: argv bytes that are
    not UTF-8 arrive as surrogates (surrogateescape), and no UTF-8 encoder or
    strict JSON parser takes them."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text)


def did_you_mean(typed: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 0.6) -> list[str]:
    """The candidates that look most like `typed`, best first: the one "did you
    mean" of names, search and the dataset checker. Compare like with like
    (fold both sides first when case or accents should not count)."""
    if not typed or len(typed) > MAX_SUGGEST_CHARS:
        return []
    from difflib import get_close_matches  # only a miss pays for importing difflib

    return get_close_matches(typed, list(candidates), n=limit, cutoff=cutoff)


def word_stems(words: frozenset[str] | set[str]) -> frozenset[str]:
    """The stems a text's words are found by: each word's, and the noun of an
    adjective in -ful ("painful muscle spasms" holds the word pain). Search
    matches with it and the store indexes with it, so both find the same."""
    nouns = {w[:-3] for w in words if w.endswith("ful") and len(w) > 6}
    return frozenset(stem(w) for w in words | nouns)
