"""Search: which drugs the source names for what a user typed, in tiers that
say how, so that a setting is never read as an indication.

A query becomes terms. A run of words that names a condition (its label, a
synonym, an abbreviation, a stem of those) or an umbrella term becomes one
term; so does an ICD-10 code or range, read as the most specific condition
that contains it (vocabulary.code_meaning). Function words ("after", "in") are
optional. Every other word must stand in what the reader is shown.

Each indication is matched term by term through its links (FACTS §4a), and
the weakest term decides its tier:

1. target — it treats the queried condition;
2. setting — the condition is where (or after which) something is treated;
3. narrower — it names a narrower condition ("narrower: Low back pain");
4. wording — the query's words stand in the indication as shown;
5. drug — the class or an effect tag says it ("muscle relaxant");
6. statement — (with --all) the words stand in a mechanism, action or onset
   statement;
7. mention — a statement outside the indications names the condition;
8. broader — the source names a group that includes the condition;
9. who_title — a WHO ICD-10 title matches, within a condition's codes.

Tiers 1-5 (and 6 with --all) are hits; the rest are shown apart and do not
count. Words inside a contraindication never match. The query is data: it is
tokenised, never used as a pattern.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Literal, NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.errors import UsageError
from adjuvant_cli.model import (
    Caveat,
    Condition,
    Dataset,
    Disclaimer,
    Drug,
    DrugIndex,
    Indication,
    Role,
    Source,
    Umbrella,
)
from adjuvant_cli.records import CONDITION_KEY, STATEMENT_WORD_KEY, WORD_KEY, visible_text
from adjuvant_cli.text import Token, did_you_mean, fold, folded_words, stem, tokens, without_invisible
from adjuvant_cli.vocabulary import CodeMeaning, Name, Vocabulary, code_meaning

Scope = Literal["indications", "all"]
Span = tuple[int, int]

MAX_QUERY_CHARS = 500

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


class Tier(IntEnum):
    TARGET = 1
    SETTING = 2
    NARROWER = 3
    WORDING = 4
    DRUG = 5
    STATEMENT = 6
    MENTION = 7
    BROADER = 8
    WHO_TITLE = 9


COUNTED = frozenset({Tier.TARGET, Tier.SETTING, Tier.NARROWER, Tier.WORDING, Tier.DRUG})

# How a term met what it matched, and what that is worth within a tier.
Via = Literal[
    "label",
    "synonym",
    "abbreviation",
    "stem",
    "umbrella",
    "code",
    "condition word",
    "word",
    "word stem",
    "mention",
    "who title",
]
_SCORE: dict[str, float] = {
    "label": 100,
    "synonym": 95,
    "abbreviation": 95,
    "code": 90,
    "umbrella": 90,
    "stem": 85,
    "mention": 80,
    "condition word": 70,
    "word": 60,
    "word stem": 50,
    "who title": 40,
}
_NARROWER_PENALTY = 10
_PHRASE_BONUS = 10


# How the condition a hit names stands to the one the query meant.
Relation = Literal["itself", "narrower", "broader", "umbrella", "words"]


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


class Meaning(NamedTuple):
    """What one term of the query was read as, shown above the results."""

    term: str
    condition: Condition | None = None
    umbrella: Umbrella | None = None
    code: CodeMeaning | None = None
    via: Via = "label"


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


# --------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------


class _Term(NamedTuple):
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


def _term(
    query: str, run: Sequence[Token], names: Iterable[Name] = (), code: CodeMeaning | None = None
) -> "_Term":
    words = tuple(t.folded for t in run)
    typed = query[run[0].start : run[-1].end] if run else ""
    return _Term(typed, words, tuple(stem(w) for w in words), tuple(names), code)


def _make_terms(query: str, dataset: Dataset, vocabulary: Vocabulary) -> list[_Term]:
    """Longest-first segmentation into vocabulary phrases, codes and words;
    function words between them are dropped when anything else is typed."""
    found = list(tokens(query))
    terms: list[_Term] = []
    i = 0
    while i < len(found):
        term, used = _phrase_at(query, found, i, vocabulary) or _code_at(query, found, i, dataset)
        if term is None:
            term, used = _term(query, found[i : i + 1]), 1
        terms.append(term)
        i += used
    content = [t for t in terms if t.is_concept or t.words[0] not in FUNCTION_WORDS]
    return content


def _phrase_at(
    query: str, found: list[Token], i: int, vocabulary: Vocabulary
) -> tuple[_Term | None, int] | None:
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


def _code_at(query: str, found: list[Token], i: int, dataset: Dataset) -> tuple[_Term | None, int]:
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


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


class _Words(NamedTuple):
    """A text's folded words and their stems."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "_Words":
        words = frozenset(folded_words(text))
        return cls(words, frozenset(stem(w) for w in words))

    def match(self, term: _Term) -> Via | None:
        if all(w in self.words for w in term.words):
            return "word"
        if all(s in self.stems for s in term.stems):
            return "word stem"
        return None


class _Plan(NamedTuple):
    """What one term can match, worked out once per search so that each of a
    large formulary's indications costs a few set look-ups. The performance
    trick of this module lives here: `relevant` and `needles` let an
    indication be passed over without tokenising it (benchmarks/scale.py:
    search at 10,000 drugs; tests/test_search_battery.py guards that the
    shortcut never changes a result)."""

    term: _Term
    named: dict[str, Via]  # condition id -> how the term names it
    narrower_of: dict[str, Condition]  # linked id -> the named condition it is narrower than
    broader_of: dict[str, Condition]  # linked id -> the named condition it is broader than
    reached: dict[str, Umbrella]  # linked id -> the umbrella term that reaches it
    word_conditions: frozenset[str]  # word terms: conditions whose names hold every stem
    needles: tuple[str, ...]  # word terms: substrings every matching text must hold

    @property
    def relevant(self) -> frozenset[str]:
        return frozenset(
            (*self.named, *self.narrower_of, *self.broader_of, *self.reached, *self.word_conditions)
        )

    @classmethod
    def of(cls, term: _Term, dataset: Dataset, vocabulary: Vocabulary) -> "_Plan":
        named = term.conditions
        narrower_of: dict[str, Condition] = {}
        broader_of: dict[str, Condition] = {}
        code = term.code.read_as if term.code is not None else None
        for queried_id in named:
            # A code means the condition that contains it (I63 means stroke);
            # but what is narrower than that condition is narrower than the
            # code only when it lies inside the code: M54.4 does not reach neck
            # pain, nor I63 the sequelae of stroke.
            queried = dataset.conditions_by_id[queried_id]
            for linked in vocabulary.narrower[queried_id]:
                inside = (
                    code is None
                    or code in queried.icd10
                    or _codes_within(dataset.conditions_by_id[linked], code)
                )
                if inside:
                    narrower_of.setdefault(linked, queried)
            for linked in vocabulary.broader[queried_id]:
                if not dataset.conditions_by_id[linked].group_only:
                    broader_of.setdefault(linked, queried)
        if term.code is not None and term.code.condition is None:
            # No condition contains the code (F10): those inside it are narrower.
            for condition in dataset.conditions:
                if condition.icd10 and _codes_within(condition, term.code.read_as):
                    narrower_of.setdefault(condition.id, condition)
        reached = {c: u for u in term.umbrellas for r in u.reaches for c in (r, *vocabulary.narrower[r])}
        # Conditions whose names hold every word of the term ("anxiety" ->
        # anxiety disorders; "headache" -> tension headache): narrower by name,
        # unless the hierarchy already says how they stand.
        placed = {*named, *narrower_of, *broader_of, *reached}
        # For a condition, the words of all its names, so that every way to type
        # it reaches the same ones (osteoarthritis, arthrosis, OA).
        if term.code is not None:
            wordings = []  # a code is exact: no condition is reached by the words of a name
        elif named:
            wordings = [_stems_of(name) for c in named for name in _names(dataset.conditions_by_id[c])]
        else:
            wordings = [term.stems] if term.code is None and term.stems else []
        # Only a label holds the words as a kind of the thing ("tension headache");
        # a synonym may hold them otherwise ("manic depression" is no depression).
        word_conditions = frozenset(
            c.id
            for c in dataset.conditions
            if c.id not in placed
            and not c.group_only
            and any(all(s in _stems_of(c.label) for s in stems) for stems in wordings if stems)
        )
        needles = () if term.is_concept else tuple(_needle(s) for s in term.stems)
        return cls(term, named, narrower_of, broader_of, reached, word_conditions, needles)

    def may_match(self, links: Iterable[str], haystack: str) -> bool:
        """False when the term surely cannot match: no link it could meet, and
        (for words) not even the letters of its words in the text."""
        relevant = self.relevant
        if any(c in relevant for c in links):
            return True
        return bool(self.needles) and all(n in haystack for n in self.needles)


def _names(condition: Condition) -> tuple[str, ...]:
    return (condition.label, *condition.synonyms)


def _stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in folded_words(text) if word not in FUNCTION_WORDS)


def _codes_within(condition: Condition, code: str) -> bool:
    """Every code of `condition` lies inside `code` (and it has codes)."""
    return bool(condition.icd10) and all(codes.contains(code, own) for own in condition.icd10)


def _needle(stemmed: str) -> str:
    """A substring of every word with this stem, in _spelling form: stem() only
    rewrites a word's tail (drops suffixes; "ies" -> "y", "our" -> "or") after
    the same spelling merges, so all but the stem's last letter is always there."""
    return stemmed[:-1] if len(stemmed) >= 4 else stemmed


def _spelling(text: str) -> str:
    # The same spelling merges stem() makes, so a substring test agrees with it.
    return text.replace("ae", "e").replace("oe", "e")


def _visible(indication: Indication) -> str:
    return visible_text(indication)  # the store indexes the same words


def _term_on_indication(
    plan: _Plan, indication: Indication, dataset: Dataset, words: _Words | None
) -> tuple[Tier, float, Reason] | None:
    term = plan.term
    options: list[tuple[Tier, float, Reason]] = []
    for link in indication.links:
        linked = link.condition
        condition = dataset.conditions_by_id[linked]
        role_tier = Tier.TARGET if link.role is Role.TARGET else Tier.SETTING
        if linked in plan.named:
            via = plan.named[linked]
            options.append((role_tier, _SCORE[via], Reason(term.typed, via, condition, link.role)))
            continue
        for related, tier, relation in (
            (plan.narrower_of, Tier.NARROWER, "narrower"),
            (plan.broader_of, Tier.BROADER, "broader"),
        ):
            queried = related.get(linked)
            if queried is not None:
                via = plan.named.get(queried.id, "code")
                score = _SCORE[via] - (_NARROWER_PENALTY if tier is Tier.NARROWER else 0)
                reason = Reason(term.typed, via, condition, link.role, queried, relation=relation)  # type: ignore[arg-type]
                options.append((tier, score, reason))
        if linked in plan.reached:
            umbrella = plan.reached[linked]
            reason = Reason(
                term.typed, "umbrella", condition, link.role, umbrella=umbrella, relation="umbrella"
            )
            # What the umbrella names first ("back pain": vertebral syndrome) is the
            # better reason than what it names later or what lies under it.
            order = umbrella.reaches.index(linked) if linked in umbrella.reaches else len(umbrella.reaches)
            options.append((role_tier, _SCORE["umbrella"] - order / 100, reason))
        elif linked in plan.word_conditions:
            reason = Reason(term.typed, "condition word", condition, link.role, relation="words")
            options.append((Tier.NARROWER, _SCORE["condition word"], reason))
    # A condition's name is matched through links only: read as words it would
    # make "alcoholic delirium" find a drug that names plain "delirium".
    in_text = None if term.is_concept or words is None else words.match(term)
    if in_text is not None:
        options.append((Tier.WORDING, _SCORE[in_text], Reason(term.typed, in_text)))
    if not options:
        return None
    return min(options, key=lambda o: (o[0], -o[1]))


def _match_indication(drug: Drug, indication: Indication, context: "_Context") -> Hit | None:
    visible = _visible(indication)
    haystack = _spelling(fold(visible))
    links = [link.condition for link in indication.links]
    if not all(plan.may_match(links, haystack) for plan in context.plans):
        return None
    terms = [plan.term for plan in context.plans]
    words = _Words.of(visible) if any(plan.needles for plan in context.plans) else None
    tiers: list[Tier] = []
    total = 0.0
    reasons: list[Reason] = []
    for plan in context.plans:
        found = _term_on_indication(plan, indication, context.dataset, words)
        if found is None:
            return None
        tiers.append(found[0])
        total += found[1]
        reasons.append(found[2])
    tier = _combined_tier(tiers)
    score = total / len(terms)
    if len(terms) > 1 and context.phrase in haystack:
        score += _PHRASE_BONUS
    wanted = _highlight_stems(terms, reasons)
    return Hit(
        tier,
        drug,
        score,
        "indication",
        indication.text,
        _spans(indication.text, wanted),
        tuple(reasons),
        indication,
        tuple(_spans(q, wanted) for q in indication.qualifiers),
    )


def _combined_tier(tiers: list[Tier]) -> "Tier":
    """The weakest term decides, except that a query naming what is treated and
    where ("spasticity in MS") is the indication itself: a target met together
    with settings of the same indication is a target."""
    if Tier.TARGET in tiers and all(t in (Tier.TARGET, Tier.SETTING) for t in tiers):
        return Tier.TARGET
    return max(tiers)


def _highlight_stems(terms: list[_Term], reasons: Iterable[Reason]) -> frozenset[str]:
    """The stems to light up: the query's words, and the names of every condition
    it matched through ("MS" lights up "multiple sclerosis")."""
    wanted = {s for t in terms for s in t.stems}
    for reason in reasons:
        if reason.condition is not None:
            names = (reason.condition.label, *reason.condition.synonyms)
            wanted |= {stem(word) for name in names for word in folded_words(name)}
    return frozenset(wanted - {stem(w) for w in FUNCTION_WORDS})


def _spans(text: str, wanted: frozenset[str]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens(text):
        if stem(token.folded) not in wanted:
            continue
        if spans and not text[spans[-1][1] : token.start].strip():
            spans[-1] = (spans[-1][0], token.end)  # "multiple sclerosis" is one span
        else:
            spans.append((token.start, token.end))
    return tuple(spans)


def _match_drug_level(drug: Drug, context: "_Context") -> list[Hit]:
    """Tier "drug": the class or an effect tag says what was typed."""
    terms = context.terms
    disputed = {effect: caveat for caveat in drug.caveats for effect in caveat.effects}
    candidates: list[tuple[str, str, Caveat | None]] = [("class", drug.drug_class, None)]
    candidates += [("effect", context.effect_labels[e], disputed.get(e)) for e in drug.effects]
    hits = []
    for field, text, caveat in candidates:
        haystack = _spelling(fold(text))
        if not all(n in haystack for plan in context.plans for n in _needles(plan.term)):
            continue
        words = _Words.of(text)
        kinds = [words.match(t) for t in terms]
        if all(kinds):
            reasons = tuple(Reason(t.typed, k) for t, k in zip(terms, kinds, strict=True) if k)
            # A disputed tag ranks last in its tier, and carries its caveat.
            score = sum(_SCORE[r.via] for r in reasons) / len(reasons) - (100 if caveat else 0)
            spans = _spans(text, _highlight_stems(terms, ()))
            hits.append(Hit(Tier.DRUG, drug, score, field, text, spans, reasons, caveat=caveat))
    return hits[:1] if hits and hits[0].field == "class" else hits


def _match_statements(drug: Drug, context: "_Context") -> list[Hit]:
    """Mentions (a statement names the condition) and, with --all, any statement's words."""
    terms = context.terms
    named = {c for plan in context.plans for c in plan.named}
    hits = []
    fields = [("mechanism", s) for s in drug.mechanism]
    fields += [("actions", s) for s in drug.actions]
    fields += [("onset", s) for s in drug.onset]
    for field, statement in fields:
        if context.scope != "all" and not named.intersection(statement.mentions):
            continue  # only a mention can make it count: spare tokenising it
        words = _Words.of(f"{statement.text} {statement.context or ''}")
        reasons: list[Reason] = []
        tier = Tier.MENTION
        for term in terms:
            mentioned = next((c for c in term.conditions if c in statement.mentions), None)
            if mentioned is not None:
                reasons.append(
                    Reason(term.typed, "mention", context.dataset.conditions_by_id[mentioned], Role.MENTION)
                )
                continue
            kind = words.match(term)
            if kind is None:
                break
            reasons.append(Reason(term.typed, kind))
        else:
            if not any(r.via == "mention" for r in reasons):
                if context.scope != "all":
                    continue
                tier = Tier.STATEMENT
            score = sum(_SCORE[r.via] for r in reasons) / len(reasons)
            spans = _spans(statement.text, _highlight_stems(terms, reasons))
            hit = Hit(tier, drug, score, field, statement.text, spans, tuple(reasons))
            hits.append(hit._replace(context=statement.context))
    if context.scope == "all":
        for caveat in drug.caveats:
            words = _Words.of(caveat.text)
            kinds = [words.match(t) for t in terms]
            if all(kinds):
                reasons2 = tuple(Reason(t.typed, k) for t, k in zip(terms, kinds, strict=True) if k)
                spans = _spans(caveat.text, _highlight_stems(terms, ()))
                hits.append(Hit(Tier.STATEMENT, drug, 30, "caveats", caveat.text, spans, reasons2))
    return hits


def _match_who_titles(context: "_Context") -> list[Hit]:
    """Tier "who_title": every word of a word-only query stands in the WHO title
    of a category or block that a condition's codes cover. Never through a
    member of a group-only condition."""
    terms = context.terms
    if any(t.is_concept for t in terms):
        return []
    dataset = context.dataset
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for entry in dataset.who_codes:
        if "." in entry.code or _within_group_only(dataset, entry.code):
            continue
        words = _Words.of(entry.title)
        if not all(words.match(t) for t in terms):
            continue
        # Only a title within a condition's codes: a block that merely contains
        # one (T90-T98 "Sequelae of … poisoning" around T91.3) says nothing of it.
        conditions = {
            c.id for c in dataset.conditions if any(codes.contains(own, entry.code) for own in c.icd10)
        }
        who = f"{entry.code} {entry.title}"
        for drug in _linking(dataset, conditions):
            for indication in drug.indications:
                link = next((k for k in indication.links if k.condition in conditions), None)
                if link is None or (drug.id, indication.id) in seen:
                    continue
                seen.add((drug.id, indication.id))
                condition = dataset.conditions_by_id[link.condition]
                typed = " ".join(t.typed for t in terms)
                reason = Reason(typed, "who title", condition, link.role, who=who)
                hit = Hit(
                    Tier.WHO_TITLE, drug, _SCORE["who title"], "indication", indication.text, (), (reason,)
                )
                hits.append(hit._replace(indication=indication))
    return hits


def _within_group_only(dataset: Dataset, code: str) -> bool:
    return any(c.group_only and any(codes.contains(own, code) for own in c.icd10) for c in dataset.conditions)


class _Context(NamedTuple):
    dataset: Dataset
    plans: list[_Plan]
    phrase: str  # the whole query folded and spelled as _spelling does, to reward an exact phrase
    scope: Scope

    effect_labels: dict[str, str]  # effect id -> label

    @property
    def terms(self) -> list[_Term]:
        return [plan.term for plan in self.plans]


def search(dataset: Dataset, query: str, scope: Scope = "indications") -> "SearchResult":
    """Tiered results for `query`; finding nothing is a result, not an error."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS}")
    # Read as shown (nothing invisible, accents composed: "Me\u0301nie\u0300re's"
    # pasted from macOS is "Ménière's"); echoed as typed.
    typed, query = query, unicodedata.normalize("NFC", without_invisible(query))
    vocabulary = Vocabulary.of(dataset)
    every_word = folded_words(query)
    if (
        every_word
        and all(w in FUNCTION_WORDS for w in every_word)
        and not _phrase_at(query, list(tokens(query)), 0, vocabulary)
    ):
        raise UsageError(
            f"“{query.strip()}” is made of function words only; name a condition, a code or a word"
        )
    terms = _make_terms(query, dataset, vocabulary)
    context = _context(dataset, vocabulary, terms, scope)
    found: list[Hit] = []
    if terms:
        for drug in _candidates(context):
            for indication in drug.indications:
                hit = _match_indication(drug, indication, context)
                if hit is not None:
                    found.append(hit)
            found += _match_drug_level(drug, context)
            found += _match_statements(drug, context)
        found += _match_who_titles(context)
    counted = COUNTED | ({Tier.STATEMENT} if scope == "all" else set())
    hits = _ordered(h for h in found if h.tier in counted)
    related = _ordered(h for h in found if h.tier not in counted)
    drug_named = _drug_named(dataset, query)
    # A query read wholly as conditions was understood: what the source says of
    # it is shown (or that it says nothing). Look-alikes are for words not
    # understood, and a word beside a condition ("acute seizure", "post-stroke")
    # may be what found nothing: the condition alone is offered then.
    understood = bool(terms) and all(t.is_concept for t in terms)
    quiet = hits or understood or _negated(terms)
    suggestions = () if quiet else _suggest(dataset, query, terms, vocabulary)
    return SearchResult(
        typed,
        scope,
        tuple(t.typed for t in terms),
        tuple(_meanings(terms)),
        hits,
        related,
        suggestions,
        drug_named,
        dataset.source,
        dataset.disclaimer,
    )


def _candidates(context: _Context) -> Sequence[Drug]:
    """The drugs that may hold a hit, in the file's order: every drug of a
    dataset in memory; from the store, only those the index finds for every
    term (a superset of the hits: the matching above decides). A term can
    meet a drug through a condition it reaches (linked or mentioned), or
    through its words, all in one text: what an indication shows, the class
    or an effect tag, or a statement or a caveat.
    tests/test_store_search.py checks that the answers equal a scan's."""
    dataset = context.dataset
    index = dataset.drug_index
    if index is None:
        return dataset.drugs
    # A statement counts with --all; without, only beside a mention, where the
    # other terms may stand in its words ("spasticity GABA").
    statements = context.scope == "all" or any(plan.named for plan in context.plans)
    prefixes = (WORD_KEY, STATEMENT_WORD_KEY) if statements else (WORD_KEY,)
    found: frozenset[int] | None = None
    for plan in context.plans:
        held = _holding_any(index, (CONDITION_KEY + c for c in plan.relevant))
        for prefix in prefixes:
            if plan.term.stems:
                held |= frozenset.intersection(*(index.holding(prefix + s) for s in set(plan.term.stems)))
        found = held if found is None else found & held
        if not found:
            return []
    return index.drugs_at(found or ())


def _linking(dataset: Dataset, conditions: Iterable[str]) -> Sequence[Drug]:
    """The drugs that may link one of `conditions`, in the file's order."""
    index = dataset.drug_index
    if index is None:
        return dataset.drugs
    return index.drugs_at(_holding_any(index, (CONDITION_KEY + c for c in conditions)))


def _holding_any(index: DrugIndex, keys: Iterable[str]) -> frozenset[int]:
    return frozenset().union(*(index.holding(key) for key in keys))


def _context(dataset: Dataset, vocabulary: Vocabulary, terms: list[_Term], scope: Scope) -> "_Context":
    phrase = _spelling(fold(" ".join(t.typed for t in terms)))
    plans = [_Plan.of(term, dataset, vocabulary) for term in terms]
    return _Context(dataset, plans, phrase, scope, {e.id: e.label for e in dataset.effects})


def _needles(term: _Term) -> tuple[str, ...]:
    return tuple(_needle(s) for s in term.stems)


def _ordered(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    """By tier; within a tier grouped by drug (best drug first, then by name),
    then by score, then in the dataset's order (stable)."""
    listed = list(hits)
    best: dict[tuple[Tier, str], float] = {}
    for hit in listed:
        key = (hit.tier, hit.drug.id)
        best[key] = max(best.get(key, hit.score), hit.score)
    return tuple(
        sorted(listed, key=lambda h: (h.tier, -best[(h.tier, h.drug.id)], fold(h.drug.name), -h.score))
    )


def _meanings(terms: list[_Term]) -> list[Meaning]:
    meanings: list[Meaning] = []
    for term in terms:
        if term.code is not None:
            meanings.append(Meaning(term.typed, term.code.condition, code=term.code, via="code"))
        for name in term.names:
            meaning = Meaning(term.typed, name.condition, name.umbrella, via=name.kind)
            if not any(m.condition == meaning.condition and m.umbrella == meaning.umbrella for m in meanings):
                meanings.append(meaning)  # a label and its stem name one condition once
    return meanings


def _drug_named(dataset: Dataset, query: str) -> Drug | None:
    drug_id = dataset.name_index.get(fold(query)) if len(query) <= 200 else None
    return dataset.drugs_by_id[drug_id] if drug_id else None


# --------------------------------------------------------------------------
# Suggestions: from the vocabulary, never a clinical look-alike of the opposite
# ("hypotension" is not "hypertension"); each must itself find something.
# --------------------------------------------------------------------------

_OPPOSITES = (
    ("hypo", "hyper"),
    ("brady", "tachy"),
    ("in", "ex"),
    ("hyper", "hypo"),
    ("tachy", "brady"),
    ("ex", "in"),
)
_MAX_SUGGESTIONS = 3
# A query that negates ("non-epileptic seizures", "no seizures") gets no
# suggestion: the condition it names alone would be its opposite.
_NEGATIONS = frozenset({"no", "none", "non", "not", "without", "never", "free"})


def _negated(terms: list[_Term]) -> bool:
    words = [w for t in terms for w in t.words]
    return any(w in _NEGATIONS or (w.startswith("non") and len(w) > 5) for w in words)


def _suggest(dataset: Dataset, query: str, terms: list[_Term], vocabulary: Vocabulary) -> tuple[str, ...]:
    typed = fold(query)
    if not typed or len(typed) > 60:
        return ()
    candidates = _named(terms) + _sharing_a_word(dataset, terms) + _same_category(dataset, terms)
    candidates += did_you_mean(typed, [n for n in vocabulary.phrases if not _opposite(typed, n)], cutoff=0.8)
    chosen: list[str] = []
    group_only = {fold(c.label) for c in dataset.conditions if c.group_only}
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


def _named(terms: list[_Term]) -> list[str]:
    """The conditions and umbrella terms the query's words name, each alone."""
    named = [name.condition or name.umbrella for term in terms for name in term.names]
    return [found.label for found in named if found is not None]


def _sharing_a_word(dataset: Dataset, terms: list[_Term]) -> list[str]:
    query_stems = {s for t in terms for s in t.stems if s not in FUNCTION_WORDS}
    return [
        condition.label
        for condition in dataset.conditions
        if any(
            stem(word) in query_stems
            for name in (condition.label, *condition.synonyms)
            for word in folded_words(name)
        )
    ]


def _same_category(dataset: Dataset, terms: list[_Term]) -> list[str]:
    """Conditions in the same 3-character category or block as a code that
    means no condition (never a group-only one)."""
    found: list[str] = []
    for term in terms:
        if term.code is None or term.code.condition is not None:
            continue
        category = term.code.read_as[:3]
        parent = dataset.who_by_code.get(category)
        block = parent.parent if parent else None
        for condition in dataset.conditions:
            near = (
                codes.contains(own, category)
                or codes.contains(category, own)
                or bool(block and codes.contains(block, own))
                for own in condition.icd10
            )
            if not condition.group_only and any(near):
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
    terms = _make_terms(label, dataset, vocabulary)
    context = _context(dataset, vocabulary, terms, "indications")
    return any(
        (hit := _match_indication(d, i, context)) is not None and hit.tier in COUNTED
        for d in _candidates(context)
        for i in d.indications
    )
