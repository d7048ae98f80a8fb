"""The dataset model: immutable, typed records and nothing else (no I/O, no parsing).

Everything the query logic and the renderers know about a drug is here. The
loader (the `dataset` package) builds these objects, and `records.py` rebuilds
them from their cached form.

The records are `typing.NamedTuple`s, not frozen dataclasses: as immutable and
typed, and about ten times cheaper to define on every run (benchmarks/startup.py).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple, Protocol

# What `adjuvant migrate` writes where version 1 had nothing: a person must write it.
PLACEHOLDER = "REVIEW (adjuvant migrate):"


class PendingReview(NamedTuple):
    """What a person has yet to review in a dataset: links whose role nobody
    confirmed, and placeholders `migrate` left (source, disclaimer, conditions)."""

    unreviewed_links: int
    placeholders: int


class Source(NamedTuple):
    """Where the clinical content comes from, and what it does not cover."""

    title: str
    publisher: str
    last_reviewed: date
    nature: str
    scope: str  # one line: what the source is silent on (a blank is not "none")
    notes: tuple[str, ...] = ()
    compact_scope: str | None = None  # both points of `scope` in at most 120 characters, for screens


class Disclaimer(NamedTuple):
    """The article's "Attention!" paragraph: in full, and in at most 160
    characters for footers (FACTS §1 allows it if it keeps all four points)."""

    text: str
    compact: str


class Effect(NamedTuple):
    """One tag of the effect profile (e.g. anxiolytic), shared by all drugs."""

    id: str
    label: str


class Condition(NamedTuple):
    """One entry of the condition vocabulary, with what users may type for it."""

    id: str
    label: str
    synonyms: tuple[str, ...] = ()  # words that mean the same thing, never narrower or broader
    abbreviations: tuple[str, ...] = ()  # whole words, any case ("MS")
    case_sensitive_abbreviations: tuple[str, ...] = ()  # only as typed ("AS": "as" is a word)
    icd10: tuple[str, ...] = ()  # WHO codes and ranges ("G35", "M40-M54")
    no_code_reason: str | None = None
    broader: tuple[str, ...] = ()  # ids of the conditions this one is narrower than
    # Whether a statement about it covers the conditions inside it (FACTS §4c):
    # None is unsaid, which does not cover; `not_covered` lists the exceptions
    # (condition ids, or codes inside its own) of a condition that covers.
    covers: bool | None = None
    note: str | None = None
    not_covered: tuple[str, ...] = ()
    # Conditions whose names may fold to one of its own, on purpose (validate refuses any other).
    shares_names_with: tuple[str, ...] = ()

    @property
    def names_group_only(self) -> bool:
        """Said not to cover, and coded as a range of categories: a group (drug
        poisoning, T36-T50) that no member code, title or word reaches. A whole
        chapter is a field of medicine, not a group: its diseases are reached."""
        return self.covers is False and any("-" in code for code in self.icd10) and not self.names_a_chapter

    @property
    def names_a_chapter(self) -> bool:
        """Coded as whole WHO chapters ("neurological diseases", G00-G99): a field
        of medicine, which says nothing of one disease in it (FACTS §4c)."""
        return bool(self.icd10) and all(code in WHO_CHAPTERS for code in self.icd10)


class Umbrella(NamedTuple):
    """A word users type for a whole region or problem ("back pain"), and the
    conditions it reaches."""

    id: str
    label: str
    reaches: tuple[str, ...]  # condition ids
    synonyms: tuple[str, ...] = ()
    note: str | None = None
    # Conditions whose names may fold to one of its own, on purpose ("neck pain").
    shares_names_with: tuple[str, ...] = ()


# The chapters of WHO ICD-10 (2019), as ranges of their first and last
# categories, with WHO's titles (the dataset's excerpt never holds chapters).
WHO_CHAPTERS = {
    "A00-B99": "Certain infectious and parasitic diseases",
    "C00-D48": "Neoplasms",
    "D50-D89": "Diseases of the blood and blood-forming organs and certain disorders involving the "
    "immune mechanism",
    "E00-E90": "Endocrine, nutritional and metabolic diseases",
    "F00-F99": "Mental and behavioural disorders",
    "G00-G99": "Diseases of the nervous system",
    "H00-H59": "Diseases of the eye and adnexa",
    "H60-H95": "Diseases of the ear and mastoid process",
    "I00-I99": "Diseases of the circulatory system",
    "J00-J99": "Diseases of the respiratory system",
    "K00-K93": "Diseases of the digestive system",
    "L00-L99": "Diseases of the skin and subcutaneous tissue",
    "M00-M99": "Diseases of the musculoskeletal system and connective tissue",
    "N00-N99": "Diseases of the genitourinary system",
    "O00-O99": "Pregnancy, childbirth and the puerperium",
    "P00-P96": "Certain conditions originating in the perinatal period",
    "Q00-Q99": "Congenital malformations, deformations and chromosomal abnormalities",
    "R00-R99": "Symptoms, signs and abnormal clinical and laboratory findings, not elsewhere classified",
    "S00-T98": "Injury, poisoning and certain other consequences of external causes",
    "V01-Y98": "External causes of morbidity and mortality",
    "Z00-Z99": "Factors influencing health status and contact with health services",
    "U00-U85": "Codes for special purposes",
}


class WhoCode(NamedTuple):
    """One entry of the dataset's WHO ICD-10 (2019) excerpt."""

    code: str  # "M54.5", "M54", "M40-M54"
    title: str
    parent: str | None = None  # None when the parent is a chapter


class Role(StrEnum):
    """What a linked condition is to an indication (FACTS §4a)."""

    TARGET = "target"  # what is treated
    SETTING = "setting"  # the condition in which, or after which, it is treated
    EXAMPLE = "example"  # a setting the article names by example ("including …")
    MENTION = "mention"  # named by a statement outside the indications


class Link(NamedTuple):
    condition: str  # condition id
    role: Role
    # False where a person has yet to confirm the role (`adjuvant migrate` made
    # every old link a target); `validate` warns on each such link.
    reviewed: bool = True


class Statement(NamedTuple):
    """One clinical statement outside the indications (mechanism, action, onset)."""

    text: str
    source: str  # locator into the article, e.g. "diazepam/action/9.1"
    context: str | None = None  # what must be read with it (diazepam's "2–7 days")
    mentions: tuple[str, ...] = ()  # condition ids, role "mention"
    corrections: tuple[str, ...] = ()  # ids of the corrections it rests on
    readings: tuple[str, ...] = ()  # ids of the readings it rests on
    quote: str | None = None  # the shortest verbatim span of the article it rests on


class Indication(NamedTuple):
    """One indication of one drug, with what it treats and in what."""

    id: str
    group: str
    text: str
    treats: str  # what is treated, short: "Spasticity"
    links: tuple[Link, ...]
    source: str
    route: str | None = None
    qualifiers: tuple[str, ...] = ()
    contraindication: str | None = None  # a negated context: never a positive match
    corrections: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    quote: str | None = None  # the shortest verbatim span of the article it rests on
    # What the source leaves unsaid of it, shown with it; never a search match
    # ("the source states no long-term treatment of epilepsy", FACTS §4c).
    note: str | None = None

    @property
    def conditions(self) -> tuple[str, ...]:
        """Every linked condition id, targets first, in the file's order."""
        return tuple(link.condition for link in sorted(self.links, key=lambda k: k.role != Role.TARGET))


class Brand(NamedTuple):
    """A product name of a drug, with its own dosage forms (FACTS §3)."""

    name: str
    forms: tuple[str, ...] = ()
    note: str | None = None


class Caveat(NamedTuple):
    """What a reader must be warned about; `effects` are the effect tags it disputes."""

    id: str
    text: str
    effects: tuple[str, ...] = ()
    source: str | None = None
    conditions: tuple[str, ...] = ()  # conditions it concerns that no indication names
    short: str | None = None  # one short line for the brief view (the text: --full, JSON)


class Correction(NamedTuple):
    """A transcription error of the source and the wording used instead."""

    id: str
    original: str  # verbatim from the article
    corrected: str
    source: str


class Reading(NamedTuple):
    """A passage that needs interpreting: the article's words, how they are read, why."""

    id: str
    original: str  # verbatim from the article
    reading: str
    why: str
    source: str


class Drug(NamedTuple):
    """One monograph."""

    id: str
    name: str
    drug_class: str
    atc: str
    forms: tuple[str, ...]  # what the monograph describes
    mechanism: tuple[Statement, ...]
    indications: tuple[Indication, ...]
    brands: tuple[Brand, ...] = ()
    other_names: tuple[str, ...] = ()
    actions: tuple[Statement, ...] = ()
    effects: tuple[str, ...] = ()  # Effect ids
    onset: tuple[Statement, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    corrections: tuple[Correction, ...] = ()
    readings: tuple[Reading, ...] = ()

    @property
    def brand_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.brands)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the drug answers to, its id first."""
        return (self.id, self.name, *self.brand_names, *self.other_names)

    @property
    def condition_ids(self) -> tuple[str, ...]:
        """The conditions of all its indications, in first-seen order, once each."""
        return tuple(dict.fromkeys(c for i in self.indications for c in i.conditions))

    @property
    def statements(self) -> tuple[Statement, ...]:
        return (*self.mechanism, *self.actions, *self.onset)


# The index key of a drug with a link whose role is not reviewed: a lookup
# counts what is left to review without reading every drug (records.index_keys).
UNREVIEWED_KEY = "r:unreviewed"


class DrugIndex(Protocol):
    """Drugs found by key without reading every drug: the store (store.py)
    answers for a dataset read from it; a dataset in memory has none."""

    def holding(self, key: str) -> frozenset[int]:
        """The positions (in the file's order) of the drugs that hold `key`
        (see records.index_keys)."""
        ...

    def holding_any(self, keys: Iterable[str]) -> frozenset[int]:
        """The positions of the drugs that hold one of `keys`, asked together."""
        ...

    def drugs_at(self, positions: Iterable[int]) -> list[Drug]:
        """Those drugs, in the file's order."""
        ...

    def names_starting(self, prefix: str) -> Mapping[str, str]:
        """Folded name -> drug id for the names that start with `prefix`."""
        ...


class Dataset(NamedTuple):
    """A whole validated dataset, with the look-up tables the loader built once.
    Read from the store, `drugs`, `drugs_by_id` and `name_index` read their
    rows when asked, and `drug_index` finds drugs by key."""

    schema_version: int
    source: Source
    disclaimer: Disclaimer
    effects: tuple[Effect, ...]
    conditions: tuple[Condition, ...]
    umbrellas: tuple[Umbrella, ...]
    who_codes: tuple[WhoCode, ...]
    drugs: Sequence[Drug]
    drugs_by_id: Mapping[str, Drug]
    conditions_by_id: Mapping[str, Condition]
    who_by_code: Mapping[str, WhoCode]
    # Folded name (see text.fold) -> drug id, for every name in Drug.names.
    name_index: Mapping[str, str]
    # Condition id -> the ids directly inside it (broader links and code
    # containment); what lies further in is walked per query (hierarchy.py).
    narrower: Mapping[str, tuple[str, ...]]
    drug_index: DrugIndex | None = None

    def pending_review(self) -> PendingReview:
        """Counted on every lookup (one pass over the links, no import): a
        lookup must not let an unreviewed dataset pass for a reviewed one."""
        index = self.drug_index
        drugs = self.drugs if index is None else index.drugs_at(index.holding(UNREVIEWED_KEY))
        links = sum(1 for d in drugs for i in d.indications for k in i.links if not k.reviewed)
        texts = (
            self.source.scope,
            self.disclaimer.text,
            self.disclaimer.compact,
            *(c.no_code_reason or "" for c in self.conditions),
        )
        return PendingReview(links, sum(t.startswith(PLACEHOLDER) for t in texts))

    def names_starting(self, prefix: str) -> Mapping[str, str]:
        """Folded name -> drug id for the names that start with `prefix`, in
        the names' order: from the store, only those rows (issue 21)."""
        index = self.drug_index
        if index is not None:
            return index.names_starting(prefix)
        return {name: drug for name, drug in sorted(self.name_index.items()) if name.startswith(prefix)}

    def code_titles(self, conditions: Iterable[Condition]) -> dict[str, str]:
        """The WHO titles to show beside the conditions' codes: a code's own
        title, and a range's only when it is exactly a block (the excerpt holds
        blocks, never other ranges), so "I60-I64" shows its codes alone; a
        whole chapter ("G00-G99") shows the chapter's title."""
        titles: dict[str, str] = {}
        for condition in conditions:
            for code in condition.icd10:
                entry = self.who_by_code.get(code)
                if entry is not None:
                    titles[code] = entry.title
                elif code in WHO_CHAPTERS:
                    titles[code] = WHO_CHAPTERS[code]
        return titles


class Section(StrEnum):
    """The parts of a monograph, in display order, that `show --section` selects.
    Identity, caveats, the source and the disclaimer are always shown."""

    OVERVIEW = "overview"
    MECHANISM = "mechanism"
    EFFECTS = "effects"
    ONSET = "onset"
    INDICATIONS = "indications"
    CORRECTIONS = "corrections"
    DISCLAIMER = "disclaimer"  # the full disclaimer and source (every view ends with the compact one)
