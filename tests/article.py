"""The source article, segmented once, so that a locator names the same words
for every test (docs/dataset-schema-2.md, "Locators").

A locator is `<drug>/<part>/<paragraph>[.<item>[-<item>]]`:

- a drug section starts at its header line `Name (Name)` ("Baclofen (Baclofen)");
  the article's end matter starts at the line `Attention!`;
- `part` is `forms` (the lines between the header and `Pharmacological
  action`), `action` (after that heading, up to `Indications for use`) or
  `indications` (after that heading, up to the next drug or the end matter);
- `paragraph` counts the non-empty lines of the part from 1; a line made only
  of reference markers (`[ 3 ], [ 4 ] …`) is not a paragraph;
- `item` counts from 1 the pieces of the paragraph split after every `;` and
  after every `.` followed by white space or the end of the line. Where the
  article's own punctuation is broken, a locator names a range (`1.2-3`).

Only the standard library: the tests and scripts read it, never the CLI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PARTS = ("forms", "action", "indications")
_HEADER = re.compile(r"^([A-Z][a-z]+) \(\1\)$")
_ACTION = "Pharmacological action"
_INDICATIONS = "Indications for use"
_END_MATTER = "Attention!"
_MARKERS_ONLY = re.compile(r"^(\[\s*\d+\s*\][,\s]*)+$")
# Split after ";" and after "." followed by white space or the end of the line.
_ITEM_END = re.compile(r"(?<=;)|(?<=\.)(?=\s|$)")
_LOCATOR = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/(forms|action|indications)/(\d+)(?:\.(\d+)(?:-(\d+))?)?$")


class LocatorError(ValueError):
    """A locator that is malformed or names nothing in the article."""


@dataclass(frozen=True)
class Article:
    """The article as drug -> part -> paragraphs -> items (each item stripped)."""

    sections: dict[str, dict[str, list[list[str]]]]

    def paragraph(self, drug: str, part: str, number: int) -> list[str]:
        try:
            paragraphs = self.sections[drug][part]
        except KeyError:
            raise LocatorError(f"no part {part!r} for drug {drug!r}") from None
        if not 1 <= number <= len(paragraphs):
            raise LocatorError(f"{drug}/{part} has {len(paragraphs)} paragraphs, not {number}")
        return paragraphs[number - 1]

    def resolve(self, locator: str) -> str:
        """The article's text that `locator` names: a whole paragraph, one item,
        or a range of items joined by a space."""
        match = _LOCATOR.match(locator)
        if not match:
            raise LocatorError(f"malformed locator {locator!r}")
        drug, part, number, first, last = match.groups()
        items = self.paragraph(drug, part, int(number))
        if first is None:
            return " ".join(items)
        start, end = int(first), int(last or first)
        if not 1 <= start <= end <= len(items):
            raise LocatorError(f"{drug}/{part}/{number} has {len(items)} items: {locator!r} is outside")
        return " ".join(items[start - 1 : end])


def split_items(paragraph: str) -> list[str]:
    """A paragraph cut after every ";" and every "." that ends a sentence."""
    return [piece.strip() for piece in _ITEM_END.split(paragraph) if piece.strip()]


def segment(text: str) -> Article:
    """Cut the article's text into drugs, parts, paragraphs and items."""
    sections: dict[str, dict[str, list[list[str]]]] = {}
    drug = part = ""
    for raw in text.splitlines():
        line = raw.strip()
        header = _HEADER.match(line)
        if line == _END_MATTER:
            break
        if header:
            drug, part = header.group(1).lower(), "forms"
            sections[drug] = {p: [] for p in PARTS}
        elif not drug:
            continue  # the page's preamble, before the first drug
        elif line == _ACTION:
            part = "action"
        elif line == _INDICATIONS:
            part = "indications"
        elif line and not _MARKERS_ONLY.match(line):
            sections[drug][part].append(split_items(line))
    return Article(sections)


def load(path: Path) -> Article:
    return segment(path.read_text(encoding="utf-8"))
