"""The result types of a search: tiers, reasons, meanings, hits, and what each
way of matching is worth."""

from enum import IntEnum
from typing import Literal, NamedTuple

from adjuvant_cli.hierarchy import Excepted
from adjuvant_cli.model import Caveat, Condition, Disclaimer, Drug, Indication, Role, Source, Umbrella
from adjuvant_cli.names import Resolution
from adjuvant_cli.vocabulary import CodeMeaning

Scope = Literal["indications", "all"]
Span = tuple[int, int]


class Tier(IntEnum):
    TARGET = 1
    SETTING = 2
    UNREVIEWED = 3  # a link whose role a person has yet to confirm: named, in no role
    NARROWER = 4
    WORDING = 5
    DRUG = 6
    STATEMENT = 7
    MENTION = 8
    BROADER = 9
    WHO_TITLE = 10


COUNTED = frozenset({Tier.TARGET, Tier.SETTING, Tier.UNREVIEWED, Tier.NARROWER, Tier.WORDING, Tier.DRUG})

# How a term met what it matched, and what that is worth within a tier.
Via = Literal[
    "label",
    "synonym",
    "abbreviation",
    "stem",
    "phrasing",
    "umbrella",
    "code",
    "condition word",
    "word",
    "word stem",
    "mention",
    "who title",
]
SCORE: dict[str, float] = {
    "label": 100,
    "synonym": 95,
    "abbreviation": 95,
    "phrasing": 95,
    "code": 90,
    "umbrella": 90,
    "stem": 85,
    "mention": 80,
    "condition word": 70,
    "word": 60,
    "word stem": 50,
    "who title": 40,
}


# How the condition a hit names stands to the one the query meant: "inside"
# when the query means a condition inside it that it covers (counted, FACTS
# §4c), "broader" when it includes it without covering it (not counted);
# "group" when the query's words stand in the name of a group that no word
# reaches ("poisoning" in "Drug poisoning", FACTS §4): shown, not counted.
Relation = Literal["itself", "narrower", "inside", "broader", "umbrella", "words", "group"]


class Reason(NamedTuple):
    """How one term matched: through which condition, in what role, and why."""

    term: str  # as typed
    via: Via
    condition: Condition | None = None  # the condition of the indication (or statement) it met
    role: Role | None = None
    queried: Condition | None = None  # what the query meant, when not the condition itself
    umbrella: Umbrella | None = None
    who: str | None = None  # "M54 Dorsalgia", for a WHO-title match
    relation: Relation = "itself"  # how `condition` stands to what the query meant
    reviewed: bool = True  # False: the link's role is not reviewed (`migrate` guessed it)
    # The code the query meant, when it is no condition's own but lies inside
    # `condition`'s codes ("I69.3" inside Sequelae of stroke): relation inside or broader.
    inner_code: str | None = None
    # Relation inside: the codes of the query the named condition excepts
    # ("M46.2-M46.5" in M46): the hit counts for the rest of the query only.
    excepted: tuple[Excepted, ...] = ()


class Meaning(NamedTuple):
    """What one term of the query was read as, shown above the results."""

    term: str
    condition: Condition | None = None
    umbrella: Umbrella | None = None
    code: CodeMeaning | None = None
    via: Via = "label"
    note: str | None = None  # the reading of an article's word ("psychopathy")


class Hit(NamedTuple):
    """One thing found: an indication, a drug's class or effect, or a statement."""

    tier: Tier
    drug: Drug
    score: float
    field: str  # "indication", "class", "effect", "mechanism", "actions", "onset", "caveats"
    text: str  # what the reader is shown
    highlights: tuple[Span, ...]  # character spans of `text`
    reasons: tuple[Reason, ...]
    indication: Indication | None = None
    qualifier_highlights: tuple[tuple[Span, ...], ...] = ()  # per qualifier of the indication
    caveat: Caveat | None = None  # a caveat that disputes this effect tag
    context: str | None = None  # a statement's context, shown with it (its words may have matched)


class Restriction(NamedTuple):
    """A drug's name or a class word typed with a condition: the answer is
    among these drugs only (FACTS §4d)."""

    kind: Literal["drug", "class"]
    typed: str
    drug_ids: frozenset[str]
    substance: bool = False  # the drug or class is the condition's substance: nothing to say
    resolved: tuple[Resolution, ...] = ()  # each drug name typed, as `show` resolves it (a brand's forms)
    # A class: drugs left out because only an effect tag their caveat disputes says it (tofisopam's).
    disputed: frozenset[str] = frozenset()


class Part(NamedTuple):
    """One condition of a query that lists several ("anxiety or insomnia"):
    answered on its own, with how many statements it counted."""

    query: str
    hit_count: int


class SearchResult(NamedTuple):
    query: str
    scope: Scope
    terms: tuple[str, ...]
    meanings: tuple[Meaning, ...]
    hits: tuple[Hit, ...]  # counted hits, by tier, drug, score
    related: tuple[Hit, ...]  # mentions, broader groups, WHO titles: shown, not counted
    suggestions: tuple[str, ...]
    drug_named: Drug | None  # the query is a drug's name: point to `show`
    source: Source
    disclaimer: Disclaimer
    set_aside: tuple[str, ...] = ()  # modifiers read as narrowing nothing ("chronic")
    restriction: Restriction | None = None  # a drug or class the answer is restricted to
    why: bool = False  # show how each hit matched (stems, synonyms, codes), not only its role
    parts: tuple[Part, ...] = ()  # a list of conditions, each answered on its own; () for one question
