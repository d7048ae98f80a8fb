"""Which drugs a search matches: every drug of a dataset in memory; from the
store, only those its index finds (issue 21: a search costs what its answer
holds, not what the formulary holds). The index gives a superset of the hits;
the matching decides, drug by drug, as it does on a scan, and
tests/test_store_search.py checks that the answers are equal."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from adjuvant_cli.model import Dataset, Drug
from adjuvant_cli.records import CONDITION_KEY, STATEMENT_WORD_KEY, WORD_KEY

if TYPE_CHECKING:  # the plan reads the query's terms, which may ask for drugs here
    from adjuvant_cli.search.plan import Context


def candidates(context: "Context") -> Sequence[Drug]:
    """The drugs that may hold a hit, in the file's order. A term meets a drug
    through a condition it reaches (linked or mentioned), or through its
    words, all in one text: what an indication shows, the class or an effect
    tag, or a statement or a caveat."""
    dataset = context.dataset
    index = dataset.drug_index
    if index is None:
        return dataset.drugs
    # A statement counts with --all; without, only beside a mention of a
    # condition a term reaches, where the other terms may stand in its words
    # ("spasticity GABA").
    statements = context.scope == "all" or any(plan.relevant for plan in context.plans)
    prefixes = (WORD_KEY, STATEMENT_WORD_KEY) if statements else (WORD_KEY,)
    found: frozenset[int] | None = None
    for plan in context.plans:
        held = index.holding_any(CONDITION_KEY + c for c in plan.relevant)
        stems = set(plan.term.stems)
        for prefix in prefixes:
            if stems:
                held |= frozenset.intersection(*(index.holding(prefix + s) for s in stems))
        found = held if found is None else found & held
    # A caveat naming a condition one term asks for is said whatever the other
    # terms are (statements._caveats_naming): those drugs are candidates too.
    asked = (CONDITION_KEY + c for plan in context.plans for c in (*plan.named, *plan.inside_of))
    return index.drugs_at((found or frozenset()) | index.holding_any(asked))


def linking(dataset: Dataset, conditions: Iterable[str]) -> Sequence[Drug]:
    """The drugs that may link one of `conditions`, in the file's order."""
    index = dataset.drug_index
    if index is None:
        return dataset.drugs
    return index.drugs_at(index.holding_any(CONDITION_KEY + c for c in conditions))


def showing_words(dataset: Dataset, stems: Iterable[str]) -> Sequence[Drug]:
    """The drugs that may show every one of `stems` in one text they show (an
    indication, the class, an effect tag), in the file's order."""
    index = dataset.drug_index
    wanted = set(stems)
    if index is None or not wanted:
        return dataset.drugs
    return index.drugs_at(frozenset.intersection(*(index.holding(WORD_KEY + s) for s in wanted)))
