"""Wording shared by the formats, so terminal, plain and Markdown say the same."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from adjuvant_cli.text import fold, one_line

if TYPE_CHECKING:
    from adjuvant_cli.catalog import ConditionEntry, ConditionUse
    from adjuvant_cli.compare import Cell, Comparison, ConditionRow
    from adjuvant_cli.dataset.validating import ValidationRun
    from adjuvant_cli.diff import Change, DatasetDiff, Step, Value
    from adjuvant_cli.hierarchy import Excepted
    from adjuvant_cli.model import Condition, Drug, Indication, Role, Source
    from adjuvant_cli.names import Resolution
    from adjuvant_cli.search import Hit, Meaning, Reason, Restriction, SearchResult, Tier


def resolution_note(resolution: Resolution) -> str | None:
    """ "Sirdalud → Tizanidine (brand name)" when the name typed was not the drug's
    own, and what the brand is when the monograph does not describe its form:
    "Gablofen → Baclofen (brand name; Gablofen is an intrathecal injection —
    this monograph describes tablets)". Intrathecal baclofen is dosed in
    micrograms, oral in milligrams: a reader must not take one for the other."""
    if resolution.match in ("id", "name"):
        return None
    said = f"{one_line(resolution.query.strip(), 60)} → {resolution.drug.name} ({resolution.match}"
    brand = resolution.brand
    if brand is not None and resolution.other_forms:
        also = "also " if len(resolution.other_forms) < len(brand.forms) else ""
        forms = " and ".join(_with_article(f) for f in resolution.other_forms)
        described = " and ".join(resolution.drug.forms)
        said += f"; {brand.name} is {also}{forms} — this monograph describes {described}"
        if brand.note:
            said += f". {brand.note.rstrip('.')}"
    return said + ")"


def _with_article(form: str) -> str:
    if form.endswith("s"):
        return form  # tablets, oral granules
    return f"an {form}" if form[:1].lower() in "aeiou" else f"a {form}"


def caveat_marks(result: Comparison) -> dict[str, str]:
    """Caveat id -> the mark its disputed cells carry ("*", "**", …), in the
    order the effect rows show them."""
    marks: dict[str, str] = {}
    for row in result.effects:
        for caveat in row.caveats:
            if caveat is not None and caveat.id not in marks:
                marks[caveat.id] = "*" * (len(marks) + 1)
    return marks


# What each role means to a reader; never "indicated for" unless it is the target.
ROLE_WORDS = {
    "target": "treated",
    "setting": "setting",
    "example": "setting, by example",
    "mention": "mentioned, not an indication",
}
# A link whose role nobody has confirmed (`adjuvant migrate` made every old
# link a target): it is named, and no role is said of it.
UNREVIEWED = "Named; role not reviewed"
UNREVIEWED_WORDS = "named; role not reviewed"

TIER_TITLES = {
    "target": "Treats it",
    "setting": "As the setting (something else is treated)",
    "unreviewed": UNREVIEWED,
    "narrower": "For a narrower condition",
    "wording": "Its words in an indication",
    "drug": "Class or effect profile",
    "statement": "Other statements",
    "mention": "Mentioned only (not counted)",
    "broader": "Named only as a group (not counted)",
    "who_title": "Within a condition's WHO codes (not counted)",
}


def qualifier_spans(hit: Hit) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The highlights of each of a hit's qualifiers, none where the hit has none
    (a WHO-title hit highlights nothing but must show every qualifier)."""
    qualifiers = hit.indication.qualifiers if hit.indication is not None else ()
    given = hit.qualifier_highlights
    return tuple(given[i] if i < len(given) else () for i in range(len(qualifiers)))


def tier_runs(hits: Sequence[Hit]) -> list[tuple[Tier, list[tuple[Drug, list[Hit]]]]]:
    """Search hits as every renderer lays them out: by tier, then by drug, in
    the order the search gave (one walk, so the formats cannot drift apart)."""
    from itertools import groupby

    runs: list[tuple[Tier, list[tuple[Drug, list[Hit]]]]] = []
    for tier, tier_hits in groupby(hits, lambda h: h.tier):
        by_drug = [list(run) for _, run in groupby(tier_hits, lambda h: h.drug.id)]
        runs.append((tier, [(drug_hits[0].drug, drug_hits) for drug_hits in by_drug]))
    return runs


def excepted_words(excepted: Sequence[Excepted]) -> str:
    """ "M46.2-M46.5 (Osteomyelitis of vertebra; …; Other infective spondylopathies)"."""
    return " and ".join(
        f"{e.code} ({'; '.join(title for _, title in e.titles)})" if e.titles else e.code for e in excepted
    )


def tier_title(tier: str, result: SearchResult) -> str:
    """A tier's heading, which says when its hits answer only part of what was
    asked (FACTS §4c)."""
    title = _tier_heading(tier, result)
    left_out = [
        e.code
        for hit in result.hits
        if hit.tier.name.lower() == tier
        for reason in hit.reasons
        for e in reason.excepted
    ]
    if left_out:
        title += f" — for part of what was asked (not {', '.join(dict.fromkeys(left_out))})"
    return title


def _tier_heading(tier: str, result: SearchResult) -> str:
    """For an umbrella term ("pregnancy") the indications are for conditions
    under it, never for the word itself: the heading says so."""
    # Headed by what the umbrella reached in this tier's role: "neck spasm" treats
    # spasm with neck pain as the setting, never "a condition under Neck" (FACTS §4a).
    roles = {"target": {"target"}, "setting": {"setting", "example"}}.get(tier, set())
    reached = {
        r.umbrella.id
        for hit in result.hits
        if hit.tier.name.lower() == tier
        for r in hit.reasons
        if r.umbrella is not None and r.role is not None and r.role.value in roles
    }
    umbrellas = [
        m.umbrella.label for m in result.meanings if m.umbrella is not None and m.umbrella.id in reached
    ]
    if umbrellas and tier in ("target", "setting"):
        under = " or ".join(f"“{u}”" for u in umbrellas)
        return {
            "target": f"Treats a condition under {under}",
            "setting": f"Under {under}, as the setting (something else is treated)",
        }[tier]
    return TIER_TITLES[tier]


# A hit's role in the fewest words that keep it ("example setting", never "indicated for").
_ROLE_SHORT = {
    "target": "treated",
    "setting": "setting",
    "example": "example setting",
    "mention": "mentioned only",
}


def hit_role(hit: Hit) -> str:
    """What a hit is, in few words, always shown: its role and condition, what
    is treated when that is not the condition ("setting: Vertebral syndrome;
    treats: Muscle spasm"), and the covering condition ("the source names
    Vertebral syndrome, which includes Low back pain"), or a broader one that
    does not cover it. How the words matched (stems, synonyms, codes) is
    `reason_note`, behind --why. One line per reason, so that a structured
    list of reasons takes whatever relation search gives."""
    said: list[str] = []
    for reason in hit.reasons:
        line = _reason_role(reason)
        if line not in said:
            said.append(line)
    indication = hit.indication
    roles = {r.role.value for r in hit.reasons if r.role is not None and r.reviewed}
    if indication is not None and roles and "target" not in roles:
        said.append(f"treats: {indication.treats}")
    return "; ".join(said)


def _reason_role(reason: Reason) -> str:
    condition = reason.condition
    if condition is not None and reason.via == "mention":
        return f"mentioned, not an indication: {condition.label}"
    if condition is None or reason.via == "who title":
        return reason_note(reason)
    role = _ROLE_SHORT[reason.role.value] if reason.role is not None else ""
    if not reason.reviewed:  # a role nobody confirmed is never said (issue 19)
        role = UNREVIEWED_WORDS
    inner = reason.queried.label if reason.queried is not None else reason.inner_code
    if reason.relation == "inside" and inner is not None:
        covering = f"the source names {condition.label}, which includes {inner}"
        if reason.excepted:  # a query holding codes the condition excepts: answered in part
            covering += f" except {excepted_words(reason.excepted)}; counted for part of {inner}"
        return covering + (f" — {role}" if role else "")
    in_general = _in_general(reason, condition, inner)
    if in_general is not None:
        return in_general + (f" — {role}" if role else "")
    if reason.relation == "broader" and inner is not None:
        covering = f"the source names {condition.label} in general, which does not cover {inner}"
        return covering + (f" — {role}" if role else "")
    if not role:
        return condition.label
    if not reason.reviewed:
        return f"{condition.label} — {role}"
    return f"{role}: {condition.label}"


def reason_note(reason: Reason) -> str:
    """How one term matched, in words: never "indicated for" a setting, and a
    broader condition said to be broader."""
    condition = reason.condition
    if reason.via == "who title":
        where = f" — within {condition.label}" if condition else ""
        return f"WHO {reason.who}{where}"
    if condition is None:
        return f"{reason.term} ({reason.via})"
    role = f" — {ROLE_WORDS[reason.role.value]}" if reason.role else ""
    if not reason.reviewed:
        role = f" — {UNREVIEWED_WORDS}"
    if reason.umbrella is not None:
        return f"{reason.term} → {condition.label} (under “{reason.umbrella.label}”){role}"
    if reason.relation == "narrower" and reason.queried is not None and reason.queried != condition:
        return f"{reason.term} → {reason.queried.label}; narrower: {condition.label}{role}"
    if reason.relation == "narrower":
        return f"{reason.term} contains {condition.label}{role}"
    inner = reason.queried.label if reason.queried is not None else reason.inner_code
    if reason.relation == "inside" and inner is not None:
        lead = f"{reason.term} → {inner}; " if inner != reason.term else ""
        said = f"{lead}the source names {condition.label}, which includes {inner}"
        if reason.excepted:  # a query holding codes the condition excepts: answered in part
            said += f" except {excepted_words(reason.excepted)}; counted for part of {inner}"
        return f"{said}{role}"
    in_general = _in_general(reason, condition, inner)
    if in_general is not None:
        return f"{in_general} (not counted){role}"
    if reason.relation == "broader" and inner is not None:
        lead = f"{reason.term} → {inner}; " if inner != reason.term else ""
        return (
            f"{lead}the source names {condition.label} in general, which does not cover {inner} "
            f"(not counted){role}"
        )
    if reason.relation == "words":
        return f"{reason.term} → {condition.label} (by its name; narrower){role}"
    if reason.via == "label":
        return f"{condition.label}{role}"
    via = f"WHO {reason.who}" if reason.who else reason.via  # a title read as its code
    return f"{reason.term} → {condition.label} ({via}){role}"


def _in_general(reason: Reason, condition: Condition, inner: str | None) -> str | None:
    """What a group or a whole field the source names says of the query: nothing
    in particular ("the source names Drug poisoning as a group only, not
    poisoning in general", FACTS §4; a field of medicine, §4c)."""
    if reason.relation == "group":
        return f"the source names {condition.label} as a group only, not {reason.term} in general"
    if reason.relation == "broader" and inner is not None and condition.names_a_chapter:
        return _in_a_field(reason, condition, inner)
    return None


def _in_a_field(reason: Reason, condition: Condition, inner: str) -> str:
    """ "parkinson's disease (G20) is one of the neurological diseases; the source
    names neurological diseases in general": a whole field of medicine (FACTS §4c)."""
    field = _in_a_sentence(condition.label)
    named = reason.term if fold(reason.term) == fold(inner) else f"{reason.term} ({inner})"
    return f"{named} is one of the {field}; the source names {field} in general"


def reading_line(result: SearchResult) -> str:
    """ "Read as: ms → Multiple sclerosis (abbreviation); back pain → umbrella term; …",
    with the modifiers set aside and a drug or class restriction said as such."""
    said = _meaning_parts(result.meanings)
    if (result.set_aside or result.restriction) and not said and result.terms:
        said = [" ".join(result.terms)]
    restriction = result.restriction
    if restriction is not None and not restriction.substance:
        if restriction.kind == "drug":
            said.append(f"among the statements on {restriction.typed} only")
            # A brand with forms the monograph does not describe says so, as `show` does (FACTS §3).
            said += [note for r in restriction.resolved if r.other_forms and (note := resolution_note(r))]
        else:
            said.append(f"among drugs whose class or effects say “{restriction.typed}” only")
            if restriction.disputed:
                said.append(_left_out(restriction))
    if result.set_aside:
        said.append("not stated in the source: " + ", ".join(result.set_aside))
    if result.parts:
        return _parts_line(result, said)
    return "Read as: " + "; ".join(said) if said else ""


def _left_out(restriction: Restriction) -> str:
    """ "not tofisopam, whose “muscle relaxant” effect the source gives but its caveat
    disputes (adjuvant show tofisopam -s effects)": a drug left out is said, as -a shows it."""
    names = ", ".join(sorted(restriction.disputed))
    return (
        f"not {names}, whose “{restriction.typed}” effect the source gives but its caveat disputes "
        f"(adjuvant show {names} -s effects)"
    )


def _parts_line(result: SearchResult, said: list[str]) -> str:
    """ "Read as each of: anxiety; insomnia (each answered on its own; nothing
    counted for: insomnia) — anxiety → Anxiety (phrasing)": a list, said as one."""
    empty = [p.query for p in result.parts if not p.hit_count]
    how = "each answered on its own" + (f"; nothing counted for: {', '.join(empty)}" if empty else "")
    line = f"Read as each of: {'; '.join(p.query for p in result.parts)} ({how})"
    return f"{line} — {'; '.join(said)}" if said else line


def _meaning_parts(meanings: tuple[Meaning, ...]) -> list[str]:
    said = []
    for meaning in meanings:
        note = f"; {meaning.note}" if meaning.note else ""
        if meaning.code is not None:
            read = meaning.code.read_as
            typed = meaning.code.typed
            if fold(meaning.term) != fold(typed):  # a phrasing read as a code ("ischaemic stroke")
                typed = f"{meaning.term} (read as WHO {read})"
            elif read != typed:
                typed = f"{typed} (read as WHO {read})"
            if meaning.condition is not None:
                target = meaning.condition.label
            elif meaning.code.inside:  # strictly inside: never the condition itself (FACTS §4c)
                target = f"inside {meaning.code.inside[0].label}, not {meaning.code.inside[0].label} itself"
            else:
                target = "no condition of this dataset"
            if meaning.code.title is not None:  # a WHO title, read as its code
                said.append(f"{meaning.term} → WHO {read} {meaning.code.title} → {target}{note}")
            else:
                said.append(f"{typed} → {target}{note}")
        elif meaning.umbrella is not None:
            said.append(f"{meaning.term} → umbrella term “{meaning.umbrella.label}”")
        elif meaning.condition is not None and meaning.via != "label":
            said.append(f"{meaning.term} → {meaning.condition.label} ({meaning.via}{note})")
    return said


def condition_groups(result: Comparison) -> tuple[tuple[str, tuple[ConditionRow, ...]], ...]:
    """The comparison's condition groups, titled, in reading order; a pair has no
    "some" (it would always be empty)."""
    groups = [("Named for all compared drugs", result.shared)]
    if len(result.drugs) > 2:
        groups.append(("Named for some", result.partly_shared))
    groups.append(("Named for one only", result.unique))
    return tuple(groups)


def no_hits_line(result: SearchResult) -> str:
    """What a search that counted nothing says: "No indication … matches" only
    when nothing follows it; above related statements, that the source does not
    state it, so that the answer never contradicts what it shows."""
    query = one_line(result.query.strip(), 80)
    restriction = result.restriction
    if restriction is not None and restriction.substance:
        return (
            f"No indication in this dataset matches “{query}”: {restriction.typed} is the substance "
            "of what is asked (overdose, withdrawal and the like), and the source says nothing of that."
        )
    if result.related:
        named = [m.condition.label for m in result.meanings if m.condition is not None]
        what = " or ".join(dict.fromkeys(_in_a_sentence(n) for n in named)) or f"“{query}”"
        return f"Not stated for {what}; related statements follow."
    said = f"No indication in this dataset matches “{query}”."
    understood = {m.term for m in result.meanings}
    unexplained = [t for t in result.terms if t not in understood and t not in result.set_aside]
    if understood and unexplained:  # what was read is not the answer: the word left over is
        said = said[:-1] + "; nothing in the source says " + ", ".join(f"“{t}”" for t in unexplained) + "."
    drug = result.drug_named
    if drug is not None and fold(result.query.strip()) in {fold(n) for n in drug.names}:
        said += f" {one_line(result.query.strip(), 60)} is a drug: adjuvant show {drug.id}"
    elif drug is not None:  # a close spelling of a drug's name
        said += f" Did you mean the drug {drug.name}? adjuvant show {drug.id}"
    return said


def _in_a_sentence(label: str) -> str:
    """ "Alcoholic delirium" -> "alcoholic delirium"; a name stays ("Ménière's disease")."""
    first = label.split(" ", 1)[0]
    if first[1:] != first[1:].lower() or first.endswith(("'s", "’s")):
        return label
    return label[:1].lower() + label[1:]


def corrections_empty_note() -> str:
    return "No transcription errors were corrected; the text is the project's paraphrase of the article."


def titled_code(code: str, titles: Mapping[str, str]) -> str:
    title = titles.get(code)
    return f"{code} {title}" if title else code


def caveat_pointer(drug: Drug) -> str:
    """What a search's drug line says when the drug has caveats, in every format."""
    return " (caveats: see show)" if drug.caveats else ""


def condition_code_line(condition: Condition, titles: Mapping[str, str], mentioned: frozenset[str]) -> str:
    """ "Tremor: R25.1 Tremor, unspecified"; a condition named only outside the
    indications is marked so, never read as one they name."""
    codes = codes_titled(condition, titles) if condition.icd10 else f"no code: {condition.no_code_reason}"
    marked = " (mentioned, not an indication)" if condition.id in mentioned else ""
    return f"{condition.label}{marked}: {codes}"


def codes_titled(condition: Condition, titles: Mapping[str, str]) -> str:
    return "; ".join(titled_code(c, titles) for c in condition.icd10) or "—"


def also_called(condition: Condition) -> str:
    return ", ".join((*condition.synonyms, *condition.abbreviations, *condition.case_sensitive_abbreviations))


def uses_line(entry: ConditionEntry) -> str:
    """ "Baclofen (setting for Spasticity); Diazepam (treated; parenteral; to stop
    seizures)": each use with what limits it, as in a comparison cell."""
    said: list[str] = []
    for use in entry.uses:
        if use.indication is None:
            # A mention of a condition inside it says through which.
            via = f": via {use.via.label}" if use.via is not None else ""
            text = f"{use.drug.name} ({ROLE_WORDS[use.role.value]}{via})"
        else:
            how = _use_words(use.role, use.indication, use.settings, use.reviewed)
            if use.via is not None and use.narrower:  # a use for a condition inside it, not for it
                how = f"only for a narrower condition (not counted): {use.via.label}, {how}"
            elif use.via is not None and not use.counted:
                how = f"named in general (not counted): via {use.via.label}, {how}"
            elif use.via is not None:
                how = f"via {use.via.label}{in_part(use.excepted)}: {how}"
            text = f"{use.drug.name} ({how})"
        if text not in said:
            said.append(text)
    return "; ".join(said)


SHORT_ROLES = {"target": "treated", "setting": "setting", "example": "example", "mention": "mentioned"}


def uses_short(entry: ConditionEntry) -> str:
    """The index's short form: the drugs by role ("treated: Diazepam; setting:
    Baclofen, Tofisopam"), then those named through a condition inside it or
    one that includes it ("via Neurosis: Tofisopam"; not counted: said so)."""
    own = [u for u in entry.uses if u.via is None]
    said = [_by_role(own)] if own else []
    vias: dict[tuple[str, str], list[ConditionUse]] = {}
    for use in entry.uses:
        if use.via is not None:
            how = "mentioned" if use.indication is None else "" if use.counted else "not counted"
            how = "in part" if use.counted and use.excepted else how
            how = "narrower, not counted" if use.narrower else how
            vias.setdefault((use.via.label, how), []).append(use)
    for (label, how), uses in vias.items():
        said.append(f"via {label}{f' ({how})' if how else ''}: {_drug_names(uses)}")
    return "; ".join(said) or "—"


def _by_role(uses: Sequence[ConditionUse]) -> str:
    return "; ".join(
        f"{short}: {_drug_names(u for u in uses if u.role.value == role)}"
        for role, short in SHORT_ROLES.items()
        if any(u.role.value == role for u in uses)
    )


def _drug_names(uses: Iterable[ConditionUse]) -> str:
    return ", ".join(dict.fromkeys(u.drug.name for u in uses))


def codes_only(condition: Condition) -> str:
    """The codes alone ("M70-M71; M75.5"); their titles are a field of their own."""
    return "; ".join(condition.icd10)


def code_titles_only(condition: Condition, titles: Mapping[str, str]) -> str:
    """The WHO titles of the codes, in the codes' order ("; " between them)."""
    found = [titles.get(c, "") for c in condition.icd10]
    return "; ".join(found) if any(found) else ""


def cell_words(cell: Cell) -> str:
    """A comparison cell in words, each use with everything that limits it:
    "treated in Alcohol withdrawal", "setting for Spasticity", "treated;
    parenteral; only at the end of the third trimester of pregnancy"; the
    drug's other uses of the condition follow, after " · "."""
    if cell.indication is None and cell.statement is None:
        return "not named; a caveat concerns it (see Caveats)"
    said: list[str] = []
    before = None
    for use in (cell, *cell.also):
        how = (use.via, use.counted, use.statement is not None, use.excepted)
        words = _cell_use_words(use, prefixed=how != before)
        said.append(words)
        before = how
    if cell.caveat is not None:
        said.append("a caveat concerns it (see Caveats)")
    return " · ".join(said)


def _cell_use_words(use: Cell, *, prefixed: bool) -> str:
    """One use of a cell; through which condition, said once for a run of uses through it."""
    via = use.via
    if use.statement is not None:  # a mention is never an indication (FACTS §4a)
        return "mentioned, not an indication" + (f": via {via.label}" if via is not None else "")
    said = _use_words(use.role, use.indication, use.settings, use.reviewed)
    if via is None or not prefixed:
        return said
    if use.narrower:  # named for a condition inside the row's, never for the row's own
        return f"only for a narrower condition (not counted): {via.label}, {said}"
    if not use.counted:  # through a condition that includes the row's without covering it
        return f"named in general (not counted): via {via.label}, {said}"
    return f"via {via.label}{in_part(use.excepted)}: {said}"


def in_part(excepted: Sequence[Excepted]) -> str:
    """ " (for part of it: not M46.2-M46.5 (Osteomyelitis of vertebra; …))", or nothing."""
    return f" (for part of it: not {excepted_words(excepted)})" if excepted else ""


def _use_words(
    role: Role | None, indication: Indication | None, settings: Sequence[Condition], reviewed: bool = True
) -> str:
    """One use in words: its role, where it is treated, and what limits it;
    no role when nobody has confirmed it."""
    assert indication is not None  # a use always has its indication
    if not reviewed:
        said = f"named in {indication.treats}; role not reviewed"
    elif role is not None and role.value == "target":
        targets = sum(link.role.value == "target" for link in indication.links)
        if targets > 1:
            # Examples of an item with several targets need not be examples of this
            # one: diazepam's tetanus and athetosis are not spasticity (FACTS §4).
            examples = {link.condition for link in indication.links if link.role.value == "example"}
            settings = [c for c in settings if c.id not in examples]
        places = ", ".join(c.label for c in settings)
        owner = _examples_owner(indication, settings)
        if owner is not None:  # "including" names examples of the one setting (FACTS §2, §4a)
            instances = ", ".join(c.label for c in settings if c is not owner)
            places = f"{owner.label} (e.g. {instances})" if instances else owner.label
        if not places:
            said = "treated"
        elif targets == 1:
            said = f"treated in {places}"
        else:  # the settings belong to the indication, not to each of its targets
            said = f"treated ({indication.treats}; the indication's settings: {places})"
    else:
        named = "example setting" if role is not None and role.value == "example" else "setting"
        said = f"{named} for {indication.treats}"
        owner = _examples_owner(indication, settings) if named == "example setting" else None
        if owner is not None:  # an example of the operation keeps "after surgery" with it
            said += f" (an example of {owner.label})"
    limits = [indication.route] if indication.route else []
    limits += indication.qualifiers
    if indication.contraindication:
        limits.append(indication.contraindication)
    return "; ".join([said, *limits])


def _examples_owner(indication: Indication, settings: Sequence[Condition]) -> Condition | None:
    """The one setting an indication's examples are examples of, when it has
    exactly one setting and some examples ("after surgery, including for …")."""
    roles = {link.condition: link.role.value for link in indication.links if link.reviewed}
    own = [c for c in settings if roles.get(c.id) == "setting"]
    has_examples = any(roles.get(c.id) == "example" for c in settings)
    return own[0] if len(own) == 1 and has_examples else None


def cited(locator: str, quote: str | None) -> str:
    """ "diazepam/indications/4.2: “the article's own words”": where a statement
    rests in the article, with the span it rests on when the dataset has it."""
    return f"{locator}: “{quote}”" if quote else locator


def source_line(source: Source) -> str:
    return f"Source: “{source.title}”, {source.publisher}; last reviewed {source.last_reviewed.isoformat()}."


NOT_STATED = "Not stated in the source."
# On a screen the scope is said after the answer: a "not stated" answer carries its second point.
NOT_STATED_NO_RISK = "Not stated in the source; not stated ≠ no risk."


def footer_source_line(source: Source) -> str:
    """The source in one short line for the compact footer: the publisher
    without its parenthesis, the date of the last review (the full line is in
    JSON and `show --section disclaimer`)."""
    publisher = source.publisher.split(" (", 1)[0]
    return f"Source: “{source.title}”, {publisher}, {source.last_reviewed.isoformat()}."


# FACTS §1: the source says nothing on use in pregnancy; beside an obstetric hit, say so.
PREGNANCY_NOT_STATED = "Use in pregnancy: not stated in the source; not stated ≠ no risk."


def pregnancy_line(result: SearchResult) -> str | None:
    """The one line a query read through the pregnancy umbrella (pregnancy,
    labour, obstetric) carries beside its hits."""
    asked = any(m.umbrella is not None and m.umbrella.id == "pregnancy" for m in result.meanings)
    return PREGNANCY_NOT_STATED if asked and result.hits else None


def scope_line(source: Source) -> str:
    return f"Scope: {source.scope}"


def compact_scope(source: Source) -> str:
    """The scope a screen prints after the answer: the dataset's compact one, or the full one."""
    return source.compact_scope or scope_line(source)


def problem_count(count: int) -> str:
    """ "1 problem", "3 problems"."""
    return counted(count, "problem")


def counted(count: int, noun: str) -> str:
    """ "1 drug", "3 drugs"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def validation_lines(run: ValidationRun) -> list[tuple[str, str]]:
    """(line, kind) of a `validate` run, kind "valid", "invalid", "error" or
    "warning": per file a heading, then its problems and warnings, each as
    `path:line:col: message`, the form editors and CI annotate."""
    lines: list[tuple[str, str]] = []
    for report in run.reports:
        warned = f", {counted(len(report.warnings), 'warning')}" if report.warnings else ""
        if not report.valid:
            heading = f"{report.dataset}: {problem_count(len(report.problems))}{warned}"
        elif not run.passed(report):
            heading = f"{report.dataset}: {counted(len(report.warnings), 'warning')}, errors under --strict"
        else:
            size = f"{counted(report.drug_count, 'drug')}, {counted(report.condition_count, 'condition')}"
            heading = f"{report.dataset}: valid ({size}){warned}"
        lines.append((heading, "valid" if run.passed(report) else "invalid"))
        lines += [(str(p), "error") for p in report.problems]
        lines += [(str(p), "error" if run.strict else "warning") for p in report.warnings]
    return lines


# `diff`: the wording the human formats share.

DIFF_MARKS = {"added": "+", "removed": "-", "changed": "~"}


def diff_heading(result: DatasetDiff) -> str:
    """ "old.toml → new.toml: 3 changes", or that the two say the same thing."""
    if result.same:
        return f"{result.old} and {result.new} say the same thing (order and comments aside)"
    return f"{result.old} → {result.new}: {counted(len(result.changes), 'change')}"


def diff_groups(result: DatasetDiff) -> list[tuple[str, list[tuple[str, str]]]]:
    """(what changed: "drug tofisopam", "source"; its changes as (kind, line)),
    in the result's order, one group per top-level item."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for change in result.changes:
        top = _step_words(change.where[0]) if change.where else "dataset"
        groups.setdefault(top, []).append((change.kind, diff_line(change)))
    return list(groups.items())


def diff_line(change: Change) -> str:
    """One change below its group: "indication x › link ms: role: target → setting",
    "+ added: indication x “Spasticity in …”"."""
    inner = " › ".join(_step_words(step) for step in change.where[1:])
    if change.kind == "changed":
        said = f"{change.field}: {diff_value(change.old)} → {diff_value(change.new)}"
        return f"{inner}: {said}" if inner else said
    label = change.new if change.kind == "added" else change.old
    named = f"“{one_line(str(label), 120)}”" if label and str(label) != change.where[-1].key else ""
    return f"{change.kind}: {' '.join(w for w in (inner, named) if w)}" if inner or named else change.kind


def diff_value(value: Value) -> str:
    """A field's value on one line: a list as "a; b", nothing as "(none)"."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return one_line("; ".join(value), 300)
    return one_line(str(value), 300)


def diff_where(change: Change) -> str:
    """The whole path of a change, for one record per line: "drug tofisopam › link ms"."""
    return " › ".join(_step_words(step) for step in change.where) or "dataset"


def _step_words(step: Step) -> str:
    words = step.kind.replace("_", " ")
    return words if step.key is None else f"{words} {one_line(step.key, 80)}"
