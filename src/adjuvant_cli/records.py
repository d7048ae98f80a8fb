"""A validated Dataset as plain values and back, for the store and the
bundled dataset's pre-validated form; and the keys a drug is found by.

`marshal` (built in, fast, and unable to run code when read) takes only plain
tuples, strings and numbers, so each record becomes a tuple in its fields'
order and is rebuilt by position, without re-validation. LAYOUT goes into the
store's key: code with other fields never reads an old file. A whole dataset
is its head (the vocabulary, one row) and its drugs (one row each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from adjuvant_cli.model import (
    UNREVIEWED_KEY,
    Brand,
    Caveat,
    Condition,
    Correction,
    Dataset,
    Disclaimer,
    Drug,
    DrugIndex,
    Effect,
    Indication,
    Link,
    Reading,
    Role,
    Source,
    Statement,
    Umbrella,
    WhoCode,
)
from adjuvant_cli.text import STEMMING, folded_word_set, word_stems

LAYOUT = (
    *(
        cls._fields
        for cls in (
            Source,
            Disclaimer,
            Effect,
            Condition,
            Umbrella,
            WhoCode,
            Link,
            Statement,
            Indication,
            Brand,
            Caveat,
            Correction,
            Reading,
            Drug,
        )
    ),
    ("stems", STEMMING),  # the word stems a file holds are stem()'s of its day
)
_ROLES = {r.value: r for r in Role}


def to_plain(dataset: Dataset) -> tuple[Any, ...]:
    version, source, disclaimer, effects, conditions, umbrellas, who, narrower = head_to_plain(dataset)
    drugs = tuple(drug_to_plain(d) for d in dataset.drugs)
    names = tuple(dataset.name_index.items())
    return (version, source, disclaimer, effects, conditions, umbrellas, who, drugs, names, narrower)


def head_to_plain(dataset: Dataset) -> tuple[Any, ...]:
    """Everything but the drugs: the vocabulary, whose size does not grow with
    the number of drugs (the store keeps it in one row)."""
    source = dataset.source
    return (
        dataset.schema_version,
        (*source[:2], source.last_reviewed.toordinal(), *source[3:]),
        tuple(dataset.disclaimer),
        tuple(map(tuple, dataset.effects)),
        tuple(map(tuple, dataset.conditions)),
        tuple(map(tuple, dataset.umbrellas)),
        tuple(map(tuple, dataset.who_codes)),
        tuple(dataset.narrower.items()),
    )


# Field positions and role values looked up once, not per drug: the first
# load turns every drug into plain values (10,000 drugs: 0.26 s -> 0.17 s).
_NESTED = tuple(
    Drug._fields.index(f)
    for f in ("mechanism", "actions", "onset", "brands", "caveats", "corrections", "readings")
)
_INDICATIONS = Drug._fields.index("indications")
_LINKS = Indication._fields.index("links")
_ROLE_VALUES = {r: r.value for r in Role}


def drug_to_plain(drug: Drug) -> tuple[Any, ...]:
    row: list[Any] = list(drug)
    for index in _NESTED:
        row[index] = tuple(map(tuple, row[index]))
    row[_INDICATIONS] = tuple(map(_indication_row, drug.indications))
    return tuple(row)


def _indication_row(indication: Indication) -> tuple[Any, ...]:
    row: list[Any] = list(indication)
    row[_LINKS] = tuple(
        [(condition, _ROLE_VALUES[role], reviewed) for condition, role, reviewed in row[_LINKS]]
    )
    return tuple(row)


def from_plain(data: tuple[Any, ...]) -> Dataset:
    version, source, disclaimer, effects, conditions, umbrellas, who, drug_rows, names, narrower = data
    drugs = tuple(drug_from_plain(row) for row in drug_rows)
    head = (version, source, disclaimer, effects, conditions, umbrellas, who, narrower)
    return head_from_plain(head, drugs, {d.id: d for d in drugs}, dict(names))


def head_from_plain(
    head: tuple[Any, ...],
    drugs: Sequence[Drug],
    drugs_by_id: Mapping[str, Drug],
    name_index: Mapping[str, str],
    index: DrugIndex | None = None,
) -> Dataset:
    """A Dataset of the vocabulary in `head` and drugs reached however the
    caller keeps them (in memory, or read from the store on demand)."""
    version, source, disclaimer, effects, conditions, umbrellas, who, narrower = head
    condition_list = tuple(Condition(*c) for c in conditions)
    who_codes = tuple(WhoCode(*w) for w in who)
    return Dataset(
        schema_version=version,
        source=Source(source[0], source[1], date.fromordinal(source[2]), *source[3:]),
        disclaimer=Disclaimer(*disclaimer),
        effects=tuple(Effect(*e) for e in effects),
        conditions=condition_list,
        umbrellas=tuple(Umbrella(*u) for u in umbrellas),
        who_codes=who_codes,
        drugs=drugs,
        drugs_by_id=drugs_by_id,
        conditions_by_id={c.id: c for c in condition_list},
        who_by_code={w.code: w for w in who_codes},
        name_index=name_index,
        narrower=dict(narrower),
        drug_index=index,
    )


def _statements(rows: tuple[Any, ...]) -> tuple[Statement, ...]:
    return tuple(Statement(*s) for s in rows)


def _indication(row: tuple[Any, ...]) -> Indication:
    fields: list[Any] = list(row)
    fields[4] = tuple(Link(condition, _ROLES[role], reviewed) for condition, role, reviewed in row[4])
    return Indication(*fields)


def drug_from_plain(row: tuple[Any, ...]) -> Drug:
    (
        drug_id,
        name,
        drug_class,
        atc,
        forms,
        mechanism,
        indications,
        brands,
        other_names,
        actions,
        effects,
        onset,
        caveats,
        corrections,
        readings,
    ) = row
    return Drug(
        drug_id,
        name,
        drug_class,
        atc,
        forms,
        _statements(mechanism),
        tuple(_indication(i) for i in indications),
        tuple(Brand(*b) for b in brands),
        other_names,
        _statements(actions),
        effects,
        _statements(onset),
        tuple(Caveat(*c) for c in caveats),
        tuple(Correction(*c) for c in corrections),
        tuple(Reading(*r) for r in readings),
    )


# The keys a drug is found by (store.py indexes them; search asks for them).
# A superset is harmless, a missing key a lost hit: search's own matching then
# decides, drug by drug, and tests/test_store_search.py checks that answers
# through the index equal a scan of every drug.
CONDITION_KEY = "c:"  # a condition an indication links, a statement mentions or a caveat names
WORD_KEY = "w:"  # a word stem of what an indication shows, the class, an effect tag
STATEMENT_WORD_KEY = "a:"  # a word stem of a statement, its context or a caveat (search --all)


def visible_text(indication: Indication) -> str:
    """What a reader is shown of an indication, and so all a word may match:
    never its contraindication."""
    return " ".join((indication.text, indication.route or "", *indication.qualifiers))


def index_keys(drug: Drug, effect_labels: Mapping[str, str]) -> set[str]:
    """Every key `drug` is found by (what `postings` gives it, for one drug)."""
    conditions, shown, said, unreviewed = _key_sources(drug, effect_labels)
    keys = {CONDITION_KEY + c for c in conditions}
    keys.update(WORD_KEY + s for text in shown for s in _stems_of(text))
    keys.update(STATEMENT_WORD_KEY + s for text in said for s in _stems_of(text))
    if unreviewed:
        keys.add(UNREVIEWED_KEY)
    return keys


def postings(drugs: Iterable[Drug], effect_labels: Mapping[str, str]) -> dict[str, tuple[int, ...]]:
    """Every key of index_keys to the positions of the drugs that hold it, in
    ascending order (store.py writes one row per key). Inverted by text, then
    by word: a formulary repeats its texts and their words (10,000 drugs:
    122,000 texts shown, 35,000 distinct, a few hundred words), so each
    distinct text is tokenised once and each word stemmed once, and the
    positions are merged by set unions in C, not appended drug by drug (the
    first load is budgeted, benchmarks/scale.py)."""
    by_condition: defaultdict[str, list[int]] = defaultdict(list)
    by_shown: defaultdict[str, list[int]] = defaultdict(list)
    by_said: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    unreviewed: list[int] = []
    for position, drug in enumerate(drugs):
        conditions, shown, said, to_review = _key_sources(drug, effect_labels)
        for condition in conditions:
            by_condition[condition].append(position)
        for text in shown:
            by_shown[text].append(position)
        by_said[said].append(position)
        if to_review:
            unreviewed.append(position)
    by_said_text: defaultdict[str, list[int]] = defaultdict(list)
    for said, positions in by_said.items():
        for text in said:
            by_said_text[text] += positions
    found = {UNREVIEWED_KEY: tuple(unreviewed)} if unreviewed else {}
    found.update((CONDITION_KEY + c, tuple(positions)) for c, positions in by_condition.items())
    found.update(_by_stem(WORD_KEY, by_shown))
    found.update(_by_stem(STATEMENT_WORD_KEY, by_said_text))
    return found


def _by_stem(prefix: str, by_text: Mapping[str, list[int]]) -> dict[str, tuple[int, ...]]:
    """`by_text` (a text to the positions of the drugs that hold it) inverted
    to the stems of its words, `prefix` before each. No word spans a space, so
    a text's stems are the union of its space-separated parts' (tests/
    test_properties.py): split in C, each distinct part tokenised and stemmed
    once (10,000 drugs: 35,000 distinct texts shown, 68 distinct parts)."""
    by_part: defaultdict[str, set[int]] = defaultdict(set)
    for text, holding in by_text.items():
        for part in set(text.split()):
            by_part[part].update(holding)
    by_stem: defaultdict[str, set[int]] = defaultdict(set)
    for part, held in by_part.items():
        for stemmed in word_stems(folded_word_set(part)):
            by_stem[stemmed] |= held
    return {prefix + stemmed: tuple(sorted(found)) for stemmed, found in by_stem.items()}


def _key_sources(
    drug: Drug, effect_labels: Mapping[str, str]
) -> tuple[set[str], tuple[str, ...], tuple[str, ...], bool]:
    """The conditions `drug` links, mentions or names in a caveat; the texts
    it shows (each indication as shown, the class, its effect tags); those of
    its statements and caveats (search --all); whether a link of it is left
    to review."""
    # One pass over the links and the statements (the first load runs this for every drug).
    indications = drug.indications
    links = [link for indication in indications for link in indication.links]
    conditions = {link.condition for link in links}
    statements = drug.statements
    for statement in statements:
        conditions.update(statement.mentions)
    for caveat in drug.caveats:
        conditions.update(caveat.conditions)  # said where asked (§5)
    labels = [effect_labels.get(e, "") for e in drug.effects]
    shown = (*map(visible_text, indications), drug.drug_class, *labels)
    said = (*[f"{s.text} {s.context or ''}" for s in statements], *[c.text for c in drug.caveats])
    unreviewed = not all(link.reviewed for link in links)
    return conditions, shown, said, unreviewed


def _stems_of(text: str) -> frozenset[str]:
    # A text's word set is the union of its parts' when they are joined by a
    # space, which no word spans: tokenising text by text finds what one pass
    # over a drug's joined texts would.
    return word_stems(folded_word_set(text))
