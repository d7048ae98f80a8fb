"""Drug-name resolution: from whatever a user typed to one drug, or to a
"did you mean" list. Never guesses: a misspelling must not open another drug.
"""

from collections.abc import Sequence
from typing import Literal, NamedTuple

from adjuvant_cli.errors import DrugNotFound
from adjuvant_cli.model import Brand, Dataset, Drug
from adjuvant_cli.text import MAX_NAME_CHARS, did_you_mean, fold

NameMatch = Literal["id", "name", "brand name", "other name", "prefix"]

# Past MAX_NAME_CHARS a name cannot be a drug's (the dataset may not hold a
# longer one); answering at once keeps absurd input cheap.
__all__ = ["MAX_NAME_CHARS", "Resolution", "complete_names", "resolve_drug", "suggest_names"]
MIN_PREFIX = 4


class Resolution(NamedTuple):
    """How a typed name led to a drug (shown so a user can check it)."""

    query: str
    drug: Drug
    matched_name: str
    match: NameMatch
    brand: Brand | None = None  # the brand the name is, if it is one

    @property
    def other_forms(self) -> tuple[str, ...]:
        """The brand's forms that the monograph does not describe (Gablofen:
        intrathecal injection, against baclofen tablets): a reader must be told."""
        if self.brand is None:
            return ()
        described = {fold(f) for f in self.drug.forms}
        return tuple(f for f in self.brand.forms if fold(f) not in described)


def resolve_drug(dataset: Dataset, query: str) -> "Resolution":
    """The drug `query` names: exactly (any case, accents, width), or by a unique
    prefix of at least four letters. Raises DrugNotFound with suggestions."""
    key = fold(query) if len(query) <= MAX_NAME_CHARS else ""
    drug_id = dataset.name_index.get(key) if key else None
    if drug_id is not None:
        drug = dataset.drugs_by_id[drug_id]
        name, kind = _matched_name(drug, key)
        return Resolution(query, drug, name, kind, _brand(drug, name))
    if len(key) >= MIN_PREFIX:
        owners = dataset.names_starting(key)
        if len(set(owners.values())) == 1:
            drug = dataset.drugs_by_id[next(iter(owners.values()))]
            # One name with that prefix: say which ("sirdalud m" -> Sirdalud MR).
            name = _matched_name(drug, next(iter(owners)))[0] if len(owners) == 1 else drug.name
            return Resolution(query, drug, name, "prefix", _brand(drug, name))
    suggestions = dict.fromkeys([*_short_prefix_owner(dataset, key), *suggest_names(dataset, key)])
    raise DrugNotFound(query, list(suggestions)[:3])


def _short_prefix_owner(dataset: Dataset, key: str) -> list[str]:
    """The drug a prefix one letter too short names, if only one ("bac" ->
    Baclofen): offered as "did you mean", never opened (a three-letter prefix
    is too easily a slip for another drug's)."""
    if len(key) != MIN_PREFIX - 1:
        return []
    drugs = set(dataset.names_starting(key).values())
    return [dataset.drugs_by_id[drugs.pop()].name] if len(drugs) == 1 else []


def _matched_name(drug: Drug, key: str) -> tuple[str, NameMatch]:
    if fold(drug.id) == key:
        return drug.name, "id"
    if fold(drug.name) == key:
        return drug.name, "name"
    for brand in drug.brand_names:
        if fold(brand) == key:
            return brand, "brand name"
    for other in drug.other_names:
        if fold(other) == key:
            return other, "other name"
    return drug.name, "name"  # unreachable for a valid index; harmless if not


def _brand(drug: Drug, name: str) -> Brand | None:
    return next((b for b in drug.brands if b.name == name), None)


def suggest_names(dataset: Dataset, key: str, limit: int = 3) -> list[str]:
    """Display names of the drugs whose names look most like folded `key`."""
    suggestions: list[str] = []
    for name in did_you_mean(key, dataset.name_index, limit * 3):
        drug = dataset.drugs_by_id[dataset.name_index[name]]
        shown, kind = _matched_name(drug, name)
        label = shown if kind in ("id", "name") else f"{shown} ({drug.name})"
        if label not in suggestions:
            suggestions.append(label)
    return suggestions[:limit]


def complete_names(dataset: Dataset, incomplete: str, typed: Sequence[str] = ()) -> list[str]:
    """Drug ids and brand names that start with what was typed, for the shell.

    Candidates keep the user's own prefix ("ba" -> "baklosan"), because the
    shell (and Typer) keep only candidates that start with the typed text;
    names with spaces are left out, since the shell would split them. A drug
    already `typed` (compare's other names) is not offered again."""
    key = fold(incomplete)
    found: list[str] = []
    chosen = {_resolved_id(dataset, name) for name in typed}
    # The drugs a name of which starts with the key: from the store, only
    # their names and rows are read, never every drug's.
    owners = dict.fromkeys(dataset.names_starting(key).values())
    for drug in (dataset.drugs_by_id[d] for d in owners if d not in chosen):
        for name in (drug.id, *drug.brand_names):
            if " " in name or not fold(name).startswith(key):
                continue
            candidate = name if name.startswith(incomplete) else incomplete + fold(name)[len(key) :]
            if candidate not in found:
                found.append(candidate)
    return found


def _resolved_id(dataset: Dataset, name: str) -> str | None:
    try:
        return resolve_drug(dataset, name).drug.id
    except DrugNotFound:
        return None


def complete_conditions(dataset: Dataset, incomplete: str) -> list[str]:
    """Words of the conditions' names, synonyms and abbreviations that start
    with what was typed, for the shell: `search` and `conditions` join words."""
    key = fold(incomplete)
    found: dict[str, None] = {}
    for condition in dataset.conditions:
        terms = (condition.label, *condition.synonyms, *condition.abbreviations)
        for word in (w for term in terms for w in term.split()):
            folded = fold(word).strip(",;()")
            if folded and folded.startswith(key):
                found.setdefault(incomplete + folded[len(key) :], None)
    return sorted(found)
