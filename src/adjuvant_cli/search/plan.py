"""The plan of a search (what each term can match, worked out once) and the
matching of an indication against it, with the spans a reader sees lit up."""

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.hierarchy import Cover, Excepted
from adjuvant_cli.model import Condition, Dataset, Drug, Indication, Role, Umbrella
from adjuvant_cli.records import visible_text
from adjuvant_cli.search.results import SCORE, Hit, Reason, Relation, Scope, Span, Tier, Via
from adjuvant_cli.search.terms import (
    FUNCTION_WORDS,
    GENERIC_HEADS,
    Term,
    Words,
    is_generic,
    names_a_condition,
)
from adjuvant_cli.text import fold, folded_words, spelling, stem, tokens
from adjuvant_cli.vocabulary import CodeMeaning, Vocabulary

_NARROWER_PENALTY = 10
_PHRASE_BONUS = 10


class Plan(NamedTuple):
    """What one term can match, worked out once per search so that each of a
    large formulary's indications costs a few set look-ups. The performance
    trick of this module lives here: `relevant` and `needles` let an
    indication be passed over without tokenising it (benchmarks/scale.py:
    search at 10,000 drugs; tests/test_search_battery.py guards that the
    shortcut never changes a result)."""

    term: Term
    named: dict[str, Via]  # condition id -> how the term names it
    narrower_of: dict[str, Condition]  # linked id -> the named condition it is narrower than
    # Linked id -> (the condition the query meant inside it, None for a code that
    # is no condition's own; whether a statement about it covers that, and the
    # codes of the query it leaves out: FACTS §4c).
    inside_of: dict[str, tuple[Condition | None, Cover]]
    reached: dict[str, Umbrella]  # linked id -> the umbrella term that reaches it
    word_conditions: frozenset[str]  # word terms: conditions whose names hold every stem
    needles: tuple[str, ...]  # word terms: substrings every matching text must hold

    @property
    def relevant(self) -> frozenset[str]:
        return frozenset(
            (*self.named, *self.narrower_of, *self.inside_of, *self.reached, *self.word_conditions)
        )

    @classmethod
    def of(
        cls, term: Term, dataset: Dataset, vocabulary: Vocabulary, together: tuple[str, ...] = ()
    ) -> "Plan":
        named = term.conditions
        narrower_of: dict[str, Condition] = {}
        inside_of: dict[str, tuple[Condition | None, Cover]] = {}
        by_id = dataset.conditions_by_id
        walked = vocabulary.hierarchy  # walked per query: the dataset stores direct links only
        code = term.code.read_as if term.code is not None else None
        for queried_id in named:
            # What is narrower than a condition is narrower than a code of it
            # only when it lies inside that code: M54 does not reach neck pain.
            queried = by_id[queried_id]
            for linked in walked.below(queried_id):
                if code is None or code in queried.icd10 or _codes_within(by_id[linked], code):
                    narrower_of.setdefault(linked, queried)
            for linked, cover in walked.above(queried_id).items():
                _place(inside_of, linked, queried, cover)
        if term.code is not None and term.code.condition is None:
            # A code that is no condition's own (F43.9, I69.3): those inside it are
            # narrower; those whose codes hold it name something it lies inside.
            for condition in dataset.conditions:
                if condition.icd10 and _codes_within(condition, term.code.read_as):
                    narrower_of.setdefault(condition.id, condition)
            holding = [c.id for c in term.code.inside]
            for linked, cover in walked.above_code(term.code.read_as, holding).items():
                _place(inside_of, linked, None, cover)
        reached = {c: u for u in term.umbrellas for r in u.reaches for c in (r, *walked.below(r))}
        _covering_reached(term, vocabulary, by_id, reached, inside_of)
        # Conditions whose names hold every word of the term ("anxiety" ->
        # anxiety disorders; "headache" -> tension headache): narrower by name,
        # unless the hierarchy already says how they stand.
        placed = {*named, *narrower_of, *inside_of, *reached}
        # For a condition, the words of all its names, so that every way to type
        # it reaches the same ones (osteoarthritis, arthrosis, OA).
        if term.code is not None:
            wordings = []  # a code is exact: no condition is reached by the words of a name
        elif named:
            wordings = [_stems_of(name) for c in named for name in _names(by_id[c])]
        else:
            typed = tuple(_SAME_STEM.get(s, s) for s in (tuple(together) or term.stems))
            wordings = [typed] if term.code is None and term.stems else []
            # "disorders" says only "a condition": it never reaches conditions by their names (§4d).
            wordings = [w for w in wordings if not all(s in GENERIC_HEADS for s in w)]
        # Only a label holds the words as a kind of the thing ("tension headache");
        # a synonym may hold them otherwise ("manic depression" is no depression).
        wordings = [stems for stems in wordings if stems]
        word_conditions = frozenset(
            c.id
            for c in (dataset.conditions if wordings else ())
            # Each label's stems once, not once a wording (a third of a search's matching).
            if c.id not in placed
            and not c.names_group_only
            and _holds_a_wording(_stems_of(c.label), wordings)
        )
        needles = () if term.is_concept else term.needles
        return cls(term, named, narrower_of, inside_of, reached, word_conditions, needles)

    def excepted(self, cover: Cover) -> tuple[Excepted, ...]:
        """The codes a covering condition leaves out of the query, with WHO's titles."""
        if not cover.excepted:
            return ()
        from adjuvant_cli.dataset.who_titles import excepted_titled  # WHO's titles: only when in part

        return excepted_titled(cover.excepted)

    def may_match(self, links: Iterable[str], haystack: str) -> bool:
        """False when the term surely cannot match: no link it could meet, and
        (for words) not even the letters of its words in the text."""
        relevant = self.relevant
        if any(c in relevant for c in links):
            return True
        return bool(self.needles) and all(n in haystack for n in self.needles)


def _covering_reached(
    term: Term,
    vocabulary: Vocabulary,
    by_id: Mapping[str, Condition],
    reached: dict[str, Umbrella],
    inside_of: dict[str, tuple[Condition | None, Cover]],
) -> None:
    """What an umbrella reaches is asked for, and so is answered as a query for
    it is: by a condition that includes and covers it ("neck": vertebral
    syndrome), or shown apart by one that does not (FACTS §4c)."""
    for umbrella in term.umbrellas:
        for reached_id in umbrella.reaches:
            for linked, cover in vocabulary.hierarchy.above(reached_id).items():
                if linked not in reached:
                    _place(inside_of, linked, by_id[reached_id], cover)


def _place(
    inside_of: dict[str, tuple[Condition | None, Cover]], linked: str, queried: Condition | None, cover: Cover
) -> None:
    """Record what the query meant inside `linked`; a covering way wins over one
    that is not, and a whole one over one in part."""
    if linked not in inside_of or _better(cover, inside_of[linked][1]):
        inside_of[linked] = (queried, cover)


def _better(cover: Cover, than: Cover) -> bool:
    return (cover.covered, not cover.excepted) > (than.covered, not than.excepted)


def _holds_a_wording(label: tuple[str, ...], wordings: list[tuple[str, ...]]) -> bool:
    return any(all(s in label for s in stems) for stems in wordings)


def _names(condition: Condition) -> tuple[str, ...]:
    return (condition.label, *condition.synonyms)


def _stems_of(text: str) -> tuple[str, ...]:
    words = (stem(word) for word in folded_words(text) if word not in FUNCTION_WORDS)
    return tuple(_SAME_STEM.get(s, s) for s in words)


# Words that mean one thing in a condition's name: an injury is a trauma
# ("injury" reaches local trauma; "trauma" traumatic brain injury).
_SAME_STEM = {stem("trauma"): stem("injury")}


def _codes_within(condition: Condition, code: str) -> bool:
    """Every code of `condition` lies inside `code` (and it has codes)."""
    return bool(condition.icd10) and all(codes.contains(code, own) for own in condition.icd10)


def _visible(indication: Indication) -> str:
    return visible_text(indication)  # what the store indexes the words of


def _term_on_indication(
    plan: Plan, indication: Indication, dataset: Dataset, words: Words | None
) -> tuple[Tier, float, Reason] | None:
    term = plan.term
    options: list[tuple[Tier, float, Reason]] = []
    for link in indication.links:
        linked = link.condition
        condition = dataset.conditions_by_id[linked]
        role_tier = Tier.TARGET if link.role is Role.TARGET else Tier.SETTING
        if not link.reviewed:  # a role nobody confirmed is stated by no tier
            role_tier = Tier.UNREVIEWED
        reviewed = link.reviewed
        if linked in plan.named:
            via = plan.named[linked]
            reason = Reason(term.typed, via, condition, link.role, reviewed=reviewed)
            options.append((role_tier, SCORE[via], reason))
            continue
        queried = plan.narrower_of.get(linked)
        if queried is not None:
            via = plan.named.get(queried.id, "code")
            reason = Reason(
                term.typed, via, condition, link.role, queried, relation="narrower", reviewed=reviewed
            )
            options.append((Tier.NARROWER, SCORE[via] - _NARROWER_PENALTY, reason))
        if linked in plan.inside_of:
            # The query means a condition inside this one: counted in the same
            # role where it covers it, shown apart where it does not (FACTS §4c).
            inner, cover = plan.inside_of[linked]
            covered = cover.covered
            via = plan.named.get(inner.id, "code") if inner is not None else "code"
            inner_code = term.code.read_as if inner is None and term.code is not None else None
            relation: Relation = "inside" if covered else "broader"
            reason = Reason(
                term.typed,
                via,
                condition,
                link.role,
                inner,
                relation=relation,
                inner_code=inner_code,
                reviewed=reviewed,
                excepted=plan.excepted(cover) if covered else (),
            )
            if covered:
                options.append((role_tier, SCORE[via] - _NARROWER_PENALTY, reason))
            else:
                options.append((Tier.BROADER, SCORE[via], reason))
        if linked in plan.reached:
            umbrella = plan.reached[linked]
            reason = Reason(
                term.typed,
                "umbrella",
                condition,
                link.role,
                umbrella=umbrella,
                relation="umbrella",
                reviewed=reviewed,
            )
            # What the umbrella names first ("back pain": vertebral syndrome) is the
            # better reason than what it names later or what lies under it.
            order = umbrella.reaches.index(linked) if linked in umbrella.reaches else len(umbrella.reaches)
            # The statement's own setting ("disorders of the spine") says it better than its examples.
            example = 0.5 if link.role is Role.EXAMPLE else 0
            options.append((role_tier, SCORE["umbrella"] - order / 100 - example, reason))
        elif linked in plan.word_conditions:
            reason = Reason(
                term.typed, "condition word", condition, link.role, relation="words", reviewed=reviewed
            )
            options.append((Tier.NARROWER, SCORE["condition word"], reason))
    # A condition's name is matched through links only: read as words it would
    # make "alcoholic delirium" find a drug that names plain "delirium".
    in_text = None if term.is_concept or words is None or is_generic(term) else words.match(term)
    group = None if in_text is None else _group_named(term, indication, dataset)
    if in_text is not None and group is None:
        options.append((Tier.WORDING, SCORE[in_text], Reason(term.typed, in_text)))
    elif in_text is not None and group is not None:  # shown with its group's name, never counted
        reason = Reason(term.typed, in_text, group, _role_of(indication, group.id), relation="group")
        options.append((Tier.BROADER, SCORE[in_text], reason))
    if not options:
        return None
    return min(options, key=lambda o: (o[0], -o[1]))


def _group_named(term: Term, indication: Indication, dataset: Dataset) -> Condition | None:
    """The group whose name the term's words stand in ("poisoning" in "Drug
    poisoning"): no word reaches a group, as no member code or title does."""
    by_id = dataset.conditions_by_id
    for link in indication.links:
        condition = by_id[link.condition]
        if condition.names_group_only and any(
            all(s in _stems_of(name) for s in term.stems) for name in _names(condition)
        ):
            return condition
    return None


def _role_of(indication: Indication, condition_id: str) -> Role:
    return next(link.role for link in indication.links if link.condition == condition_id)


def match_indication(drug: Drug, indication: Indication, context: "Context") -> Hit | None:
    visible = _visible(indication)
    haystack = spelling(fold(visible))
    links = [link.condition for link in indication.links]
    if not all(plan.may_match(links, haystack) for plan in context.plans):
        return None
    terms = [plan.term for plan in context.plans]
    words = Words.of(visible) if any(plan.needles for plan in context.plans) else None
    tiers: list[Tier] = []
    total = 0.0
    reasons: list[Reason] = []
    for plan in context.plans:
        found = _term_on_indication(plan, indication, context.dataset, words)
        if found is None:
            return None
        tiers.append(found[0])
        total += found[1]
        code = plan.term.code
        reasons.append(found[2] if code is None or code.title is None else found[2]._replace(who=_who(code)))
    tier = _combined_tier(tiers)
    score = total / len(terms)
    # The query's words as one phrase in the text: several terms ("spasticity
    # in MS"), or a condition's name of several words ("nervous tension" in
    # tofisopam's text ranks above diazepam's "tension", linked to it); an
    # umbrella keeps its own order (what it names first).
    whole_name = " " in context.phrase and not terms[0].umbrellas
    if (len(terms) > 1 or whole_name) and context.phrase in haystack:
        score += _PHRASE_BONUS
    wanted = highlight_stems(terms, reasons)
    return Hit(
        tier,
        drug,
        score,
        "indication",
        indication.text,
        spans_of(indication.text, wanted),
        tuple(reasons),
        indication,
        tuple(spans_of(q, wanted) for q in indication.qualifiers),
    )


def _who(code: CodeMeaning) -> str:
    """ "G40 Epilepsy": the WHO code and title a query was read as."""
    return f"{code.read_as} {code.title}"


def _combined_tier(tiers: list[Tier]) -> "Tier":
    """The weakest term decides, except that a query naming what is treated and
    where ("spasticity in MS") is the indication itself: a target met together
    with settings of the same indication is a target."""
    if Tier.TARGET in tiers and all(t in (Tier.TARGET, Tier.SETTING) for t in tiers):
        return Tier.TARGET
    return max(tiers)


def highlight_stems(terms: list[Term], reasons: Iterable[Reason]) -> frozenset[str]:
    """The stems to light up: the query's words, and the names of every condition
    it matched through ("MS" lights up "multiple sclerosis")."""
    wanted = {s for t in terms for s in t.stems}
    for reason in reasons:
        if reason.condition is not None:
            names = (reason.condition.label, *reason.condition.synonyms)
            wanted |= {stem(word) for name in names for word in folded_words(name)}
    return frozenset(wanted - {stem(w) for w in FUNCTION_WORDS})


def spans_of(text: str, wanted: frozenset[str]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for token in tokens(text):
        if stem(token.folded) not in wanted:
            continue
        if spans and not text[spans[-1][1] : token.start].strip():
            spans[-1] = (spans[-1][0], token.end)  # "multiple sclerosis" is one span
        else:
            spans.append((token.start, token.end))
    return tuple(spans)


class Context(NamedTuple):
    dataset: Dataset
    plans: list[Plan]
    phrase: str  # the whole query folded and spelled as spelling does, to reward an exact phrase
    scope: Scope

    effect_labels: dict[str, str]  # effect id -> label
    asks_for_a_condition: bool = False  # every term names a condition or is a condition's word

    @property
    def terms(self) -> list[Term]:
        return [plan.term for plan in self.plans]


def make_context(dataset: Dataset, vocabulary: Vocabulary, terms: list[Term], scope: Scope) -> "Context":
    phrase = spelling(fold(" ".join(t.typed for t in terms)))
    # The words typed together are one name: "muscle injury" is not a kind of
    # traumatic brain injury because "injury" stands in that name.
    together = tuple(s for t in terms if not t.is_concept for s in t.stems if s not in _FUNCTION_STEMS)
    plans = [Plan.of(term, dataset, vocabulary, together) for term in terms]
    condition_query = bool(terms) and all(names_a_condition(t, dataset) for t in terms)
    labels = {e.id: e.label for e in dataset.effects}
    return Context(dataset, plans, phrase, scope, labels, condition_query)


_FUNCTION_STEMS = frozenset(stem(w) for w in FUNCTION_WORDS)
