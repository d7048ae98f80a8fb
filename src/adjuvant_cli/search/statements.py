"""What is found outside an indication's links: a drug's class or effect tags,
its statements (mentions; any words with --all), caveats, and WHO titles."""

from collections.abc import Sequence

from adjuvant_cli import codes
from adjuvant_cli.model import Caveat, Dataset, Drug, Role
from adjuvant_cli.search.candidates import linking
from adjuvant_cli.search.plan import Context, Plan, highlight_stems, spans_of
from adjuvant_cli.search.results import SCORE, Hit, Reason, Relation, Tier
from adjuvant_cli.search.terms import Term, Words, unexplained
from adjuvant_cli.text import fold, spelling


def words_in(text: str, terms: Sequence[Term]) -> tuple[Reason, ...] | None:
    """How each term's words stand in `text`, or None when one term's do not."""
    words = Words.of(text)
    kinds = [words.match(t) for t in terms]
    if not all(kinds):
        return None
    return tuple(Reason(t.typed, k) for t, k in zip(terms, kinds, strict=True) if k)


def match_drug_level(drug: Drug, context: "Context") -> list[Hit]:
    """Tier "drug": the class or an effect tag says what was typed; never a
    query for a condition ("pain" is no answer in "Raises the pain threshold")."""
    terms = context.terms
    if context.asks_for_a_condition:
        return []
    disputed = {effect: caveat for caveat in drug.caveats for effect in caveat.effects}
    candidates: list[tuple[str, str, Caveat | None]] = [("class", drug.drug_class, None)]
    candidates += [("effect", context.effect_labels[e], disputed.get(e)) for e in drug.effects]
    hits = []
    for field, text, caveat in candidates:
        haystack = spelling(fold(text))
        if not all(n in haystack for plan in context.plans for n in plan.term.needles):
            continue
        reasons = words_in(text, terms)
        if reasons is not None:
            # A disputed tag ranks last in its tier, and carries its caveat.
            score = sum(SCORE[r.via] for r in reasons) / len(reasons) - (100 if caveat else 0)
            spans = spans_of(text, highlight_stems(terms, ()))
            hits.append(Hit(Tier.DRUG, drug, score, field, text, spans, reasons, caveat=caveat))
    return hits[:1] if hits and hits[0].field == "class" else hits


def match_statements(drug: Drug, context: "Context") -> list[Hit]:
    """Mentions (a statement names the condition) and, with --all, any statement's words."""
    terms = context.terms
    # A mention of a narrower condition is reached as an indication's link is
    # ("delirium" reaches diazepam's statement on alcoholic delirium).
    named = {c for plan in context.plans for c in (*plan.named, *plan.narrower_of)}
    hits = []
    fields = [("mechanism", s) for s in drug.mechanism]
    fields += [("actions", s) for s in drug.actions]
    fields += [("onset", s) for s in drug.onset]
    for field, statement in fields:
        if context.scope != "all" and not named.intersection(statement.mentions):
            continue  # only a mention can make it count: spare tokenising it
        words = Words.of(f"{statement.text} {statement.context or ''}")
        reasons: list[Reason] = []
        tier = Tier.MENTION
        for plan in context.plans:
            term = plan.term
            reachable = (*plan.named, *plan.narrower_of)
            mentioned = next((c for c in reachable if c in statement.mentions), None)
            if mentioned is not None:
                condition = context.dataset.conditions_by_id[mentioned]
                queried = None if mentioned in plan.named else plan.narrower_of[mentioned]
                relation: Relation = "itself" if queried is None else "narrower"
                reasons.append(
                    Reason(term.typed, "mention", condition, Role.MENTION, queried, relation=relation)
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
            score = sum(SCORE[r.via] for r in reasons) / len(reasons)
            spans = spans_of(statement.text, highlight_stems(terms, reasons))
            hit = Hit(tier, drug, score, field, statement.text, spans, tuple(reasons))
            hits.append(hit._replace(context=statement.context))
    hits += _caveats_naming(drug, context)
    if context.scope == "all":
        for caveat in drug.caveats:
            caveat_reasons = words_in(caveat.text, terms)
            if caveat_reasons is not None:
                spans = spans_of(caveat.text, highlight_stems(terms, ()))
                hits.append(Hit(Tier.STATEMENT, drug, 30, "caveats", caveat.text, spans, caveat_reasons))
    return hits


def _caveats_naming(drug: Drug, context: "Context") -> list[Hit]:
    """A caveat that names a queried condition, or one covering it ("diazepam
    myasthenia", "muscular dystrophy" inside myopathy: the source's one
    contraindication, FACTS §5), is said wherever that condition is asked for
    beside the drug: a mention, shown, never counted."""
    hits = []
    for caveat in drug.caveats:
        for concerned in caveat.conditions:
            asking = [plan.term for plan in context.plans if _asks_for(plan, concerned)]
            if not asking:
                continue
            condition = context.dataset.conditions_by_id[concerned]
            reasons = tuple(Reason(t.typed, "mention", condition, Role.MENTION) for t in asking)
            spans = spans_of(caveat.text, highlight_stems(context.terms, reasons))
            hits.append(Hit(Tier.MENTION, drug, SCORE["mention"], "caveats", caveat.text, spans, reasons))
            break
    return hits


def _asks_for(plan: "Plan", condition_id: str) -> bool:
    """The term names the condition, or one inside it that it covers (FACTS §4c)."""
    inside = plan.inside_of.get(condition_id)
    return condition_id in plan.named or (inside is not None and inside[1].covered)


def match_who_titles(context: "Context", query: str) -> list[Hit]:
    """Tier "who_title": the words of a word-only query, not all of them in a
    name of the dataset's, are some of the words of a WHO title
    (dataset/who_titles.py) within a condition's codes. Never through a member
    of a group (a coded condition said not to cover)."""
    terms = context.terms
    if any(t.is_concept for t in terms):
        return []
    # Only for words the dataset leaves unexplained: "pain" or "depression"
    # stands in its own conditions' names, which answer it; WHO's titles that
    # merely hold the word ("Persistent somatoform pain disorder") are noise.
    if not unexplained(" ".join(t.typed for t in terms), context.dataset):
        return []
    from adjuvant_cli.dataset.who_titles import who_titles_holding  # reads WHO's titles: only here

    dataset = context.dataset
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    # A whole chapter ("neurological diseases") says nothing of a title within it.
    coded = [c for c in dataset.conditions if c.icd10 and not c.names_a_chapter]
    for entry in who_titles_holding(query):
        if _within_group_only(dataset, entry.code):
            continue
        # Only a title within a condition's codes: one that merely contains
        # them (T90 "Sequelae of injuries of head" around T90.5) says nothing of it.
        conditions = {c.id for c in coded if any(codes.contains(own, entry.code) for own in c.icd10)}
        if not conditions:
            continue
        who = f"{entry.code} {entry.title}"
        for drug in linking(dataset, conditions):
            for indication in drug.indications:
                link = next((k for k in indication.links if k.condition in conditions), None)
                if link is None or (drug.id, indication.id) in seen:
                    continue
                seen.add((drug.id, indication.id))
                condition = dataset.conditions_by_id[link.condition]
                typed = " ".join(t.typed for t in terms)
                reason = Reason(typed, "who title", condition, link.role, who=who)
                hit = Hit(
                    Tier.WHO_TITLE, drug, SCORE["who title"], "indication", indication.text, (), (reason,)
                )
                hits.append(hit._replace(indication=indication))
    return hits


def _within_group_only(dataset: Dataset, code: str) -> bool:
    return any(
        c.names_group_only and any(codes.contains(own, code) for own in c.icd10) for c in dataset.conditions
    )
