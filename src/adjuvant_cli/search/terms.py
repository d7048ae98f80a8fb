"""Reading a query into terms: vocabulary phrases, ICD-10 codes and words,
longest first; and how a term's words stand in a text."""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from adjuvant_cli import codes
from adjuvant_cli.model import Dataset, Drug, Umbrella
from adjuvant_cli.names import Resolution
from adjuvant_cli.search.candidates import showing_words
from adjuvant_cli.search.results import Restriction, Via
from adjuvant_cli.text import Token, fold, folded_words, needle, stem, tokens, word_stems
from adjuvant_cli.vocabulary import CodeMeaning, Name, Vocabulary, code_meaning, meaning_set

if TYPE_CHECKING:
    from adjuvant_cli.dataset.who_titles import WhoMatch  # imported where WHO's titles are read

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


# FACTS §4d: these modifiers, and only these, narrow nothing the source says:
# set aside, and the answer says so. Any other word must stand in the text.
MODIFIERS = frozenset(
    ["acute", "chronic", "severe", "mild", "moderate", "lower", "upper", "recurrent", "persistent", "painful"]
)

# The levels of the spine. Typed with a condition of the spine or the spinal
# cord, a level says where it is ("lumbar spinal stenosis", "cervical disc
# herniation"), which a statement on that condition includes: set aside, and
# the answer says so. With anything else it is a word like any other.
SPINE_LEVELS = frozenset(
    [
        "cervical",
        "cervicothoracic",
        "thoracic",
        "thoracolumbar",
        "lumbar",
        "lumbosacral",
        "sacral",
        "sacrococcygeal",
        "coccygeal",
    ]
)
# A vertebra by its name ("L4-L5", "L5/S1", "C5-C6") is a level too. Two-digit
# names (T10-T12) are not: they are ICD-10 codes.
_VERTEBRAE = frozenset(
    f"{region}{n}" for region, last in (("c", 7), ("t", 9), ("l", 5), ("s", 5)) for n in range(1, last + 1)
)


def is_level(word: str) -> bool:
    """A folded word names a level of the spine."""
    return word in SPINE_LEVELS or word in _VERTEBRAE


# WHO ICD-10's codes of the spine and spinal cord: dorsopathies, diseases of
# the cord, its injuries by level (and their sequelae), its tumours.
_SPINE_CODES = (
    "M40-M54",
    "G95",
    "S14.0-S14.1",
    "S24.0-S24.1",
    "S34.0-S34.1",
    "T91.3",
    "C72.0",
    "D33.4",
)
# A name without its head noun ("phobic anxiety" for phobic anxiety disorders,
# "bipolar" for bipolar disorder): these heads, and only these, add nothing.
_HEAD_NOUNS = frozenset([stem("disorder"), stem("disease")])
# Words that only say "a condition": after a name they add nothing to it
# ("seizure disorder", "anxiety states", "neurological disorders"), and alone
# they name nothing; never a word that makes other conditions hits (FACTS §4d).
GENERIC_HEADS = _HEAD_NOUNS | {stem("state"), stem("condition")}


def is_generic(term: "Term") -> bool:
    """A word term made of generic head words only ("disorders", "states")."""
    return not term.is_concept and bool(term.stems) and all(s in GENERIC_HEADS for s in term.stems)


# A drug or class typed with one of these is the substance of the condition
# ("diazepam overdose"): the source says nothing of that (FACTS §4d).
SUBSTANCE_WORDS = frozenset(
    [
        "poisoning",
        "poisoned",
        "overdose",
        "overdosage",
        "withdrawal",
        "dependence",
        "dependency",
        "addiction",
        "abuse",
        "misuse",
        "intoxication",
        "toxicity",
    ]
)

# FACTS §4d, "typed -> means", and other ways people write §4's conditions
# (each commented with its reason): each meaning is one term, met by any of its
# vocabulary phrases, or a WHO code read as if typed. Keys are matched by stem,
# so plurals and spellings meet ("back spasms", "ischemic"). A phrasing whose
# meaning the dataset lacks is not applied (one's own dataset).
_PHRASINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "lower back pain": (("low back pain",),),
    "lower back": (("low back pain",),),
    "low back": (("low back pain",),),
    "lumbar pain": (("low back pain",),),
    "back spasm": (("low back pain",), ("muscle spasm",)),
    "spasm in the lower back": (("low back pain",), ("muscle spasm",)),
    "spasm in the low back": (("low back pain",), ("muscle spasm",)),
    "lower back spasm": (("low back pain",), ("muscle spasm",)),
    "low back spasm": (("low back pain",), ("muscle spasm",)),
    "lumbar spasm": (("low back pain",), ("muscle spasm",)),
    "post stroke": (("sequelae of stroke",),),
    "poststroke": (("sequelae of stroke",),),
    "after a stroke": (("sequelae of stroke",),),
    "after stroke": (("sequelae of stroke",),),  # FACTS §4d, without the article
    "ischaemic stroke": (("I63",),),
    "cerebral infarction": (("I63",),),
    "haemorrhagic stroke": (("I60-I62",),),
    "brain haemorrhage": (("I60-I62",),),
    "post operative": (("postoperative state",),),
    "postop": (("postoperative state",),),
    "post op": (("postoperative state",),),
    "after an operation": (("postoperative state",),),
    "after hip replacement": (("postoperative state",),),
    "after disc surgery": (("postoperative state",),),
    # The article's own example operations, typed alone (§4d): their postoperative state.
    "hip replacement": (("postoperative state",),),
    "disc surgery": (("postoperative state",),),
    "before surgery": (("premedication",),),
    "before an operation": (("premedication",),),
    "preoperative": (("premedication",),),
    "pre operative": (("premedication",),),
    "pre op": (("premedication",),),
    "preop": (("premedication",),),
    "before endoscopy": (("premedication",),),
    "sedation before a procedure": (("premedication",),),
    "sedation before endoscopy": (("premedication",),),
    "sedation before surgery": (("premedication",),),
    "anxiety before surgery": (("premedication",),),
    "endoscopy": (("premedication",),),
    "endoscopic": (("premedication",),),
    # Anaesthesia is not surgery: it does not reach the postoperative state.
    "anaesthesia": (("premedication", "general anaesthesia"),),
    "itch": (("pruritus",),),
    "itchy": (("pruritus",),),
    "itchy skin": (("pruritus",),),
    "charcot marie tooth": (("hereditary motor and sensory neuropathy",),),
    "panic attack": (("F41.0",),),
    "anxiety attack": (("F41.0",),),  # as people say a panic attack
    "panic": (("F41.0",),),
    "menopausal": (("climacteric disorders",),),
    "climacteric": (("climacteric disorders",),),
    "hemiplegic": (("hemiplegia",),),
    # Anxiety as people ask: the symptom and the disorders (FACTS §4c: neurosis
    # covers anxiety disorders), as "panic" is panic disorder.
    "anxiety": (("anxiety", "anxiety disorders"),),
    "neuroses": (("neurosis",),),
    "neurotic": (("neurosis",),),
    "psychopathy": (("personality disorder",),),
    # FACTS §4's disc herniation in the other ways it is written ("herniated
    # disc", "disc prolapse" are its synonyms).
    "disc herniation": (("intervertebral disc herniation",),),
    "herniation of the disc": (("intervertebral disc herniation",),),
    "herniated intervertebral disc": (("intervertebral disc herniation",),),
    "intervertebral disc prolapse": (("intervertebral disc herniation",),),
    "prolapsed disc": (("intervertebral disc herniation",),),
    "prolapsed intervertebral disc": (("intervertebral disc herniation",),),
    "disc hernia": (("intervertebral disc herniation",),),
    # A form of cerebral palsy by its own name (ICD-10's index: spastic diplegia
    # G80.1), inside cerebral palsy (FACTS §4c). Not "spastic hemiplegia" or
    # "quadriplegia": in adults those are G81.1 and G82.4, not cerebral palsy.
    "spastic diplegia": (("G80.1",),),
    "diplegic cerebral palsy": (("G80.1",),),
    # FACTS §4: drug overdose is drug poisoning; typed with a drug or class it is
    # that substance's overdose, of which the source says nothing (§4d).
    "overdose": (("drug poisoning",),),
    "overdosage": (("drug poisoning",),),
    # Insomnia as people say it (FACTS §4: "difficulty falling asleep").
    "can't sleep": (("insomnia",),),
    "cannot sleep": (("insomnia",),),
    "unable to sleep": (("insomnia",),),
    "trouble sleeping": (("insomnia",),),
    "difficulty sleeping": (("insomnia",),),
    "trouble falling asleep": (("insomnia",),),
    "cant sleep": (("insomnia",),),
    # Today's name for alcohol dependence (F10.2); its milder harmful use is said in the note.
    "alcohol use disorder": (("alcohol dependence",),),
}
_EXACT_CASE_PHRASINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "DTs": (("alcoholic delirium",),),
    "DTS": (("alcoholic delirium",),),
    "CMT": (("hereditary motor and sensory neuropathy",),),
}
# The reading shown with a phrasing that is the article's own word (FACTS §2).
_NOTES = {
    "psychopathy": "the article's word: personality disorder in general, in its Russian sense; "
    "not dissocial personality disorder",
    "alcohol use disorder": "alcohol dependence (F10.2); the source does not name its milder form, "
    "harmful use (F10.1)",
}
# Abbreviations (in capitals only) read as the words they stand for, so that
# they are answered as the words are: "PMS" is premenstrual syndrome (N94.3).
_SPELLED_OUT = {"PMS": "premenstrual syndrome"}


def spelled_out(query: str) -> str:
    """The query with each abbreviation of `_SPELLED_OUT`, typed in capitals, written out."""
    return " ".join(_SPELLED_OUT.get(word, word) for word in query.split(" "))


def _stem_key(words: Iterable[str]) -> str:
    return " ".join(stem(w) for w in words)


_STEMMED_PHRASINGS = {_stem_key(folded_words(k)): (k, v) for k, v in _PHRASINGS.items()}
_LONGEST_PHRASING = max(len(k.split()) for k in _STEMMED_PHRASINGS)


class Term(NamedTuple):
    typed: str
    words: tuple[str, ...]  # folded
    stems: tuple[str, ...]
    names: tuple[Name, ...]  # conditions or umbrellas it names
    code: CodeMeaning | None = None
    note: str | None = None  # a reading shown with it ("psychopathy")

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

    @property
    def needles(self) -> tuple[str, ...]:
        """Substrings every text holding this term's words must hold."""
        return tuple(needle(s) for s in self.stems)


class Reading(NamedTuple):
    """A query read once: its terms, the modifiers set aside, a restriction."""

    terms: list[Term]
    set_aside: tuple[str, ...] = ()
    restriction: Restriction | None = None
    function_words_only: bool = False


def _term(
    query: str,
    run: Sequence[Token],
    names: Iterable[Name] = (),
    code: CodeMeaning | None = None,
    note: str | None = None,
) -> "Term":
    words = tuple(t.folded for t in run)
    typed = query[run[0].start : run[-1].end] if run else ""
    return Term(typed, words, tuple(stem(w) for w in words), tuple(names), code, note)


def make_terms(query: str, dataset: Dataset, vocabulary: Vocabulary) -> list[Term]:
    return read_query(query, dataset, vocabulary).terms


def read_query(query: str, dataset: Dataset, vocabulary: Vocabulary) -> Reading:
    """The one reading of a query: longest-first segmentation into phrasings,
    vocabulary phrases, drug names, codes and words; then function words
    dropped, a drug or class restriction taken out, modifiers set aside."""
    found = list(tokens(query))
    placed: list[tuple[Term, int, int]] = []  # each term and the tokens it spans
    drugs: list[tuple[str, str]] = []  # (typed, drug id)
    i = 0
    while i < len(found):
        read, used = _read_at(query, found, i, dataset, vocabulary)
        if isinstance(read, str):
            drugs.append((query[found[i].start : found[i + used - 1].end], read))
        else:
            placed += [(term, i, i + used) for term in read]
        i += used
    placed = _heads_joined(query, found, placed)
    substance = _substance(dataset, drugs, [term for term, _, _ in placed])
    if substance is not None:
        # Before WHO's titles: "benzodiazepine poisoning" is T42.4's title, yet the
        # class is the substance of what is asked (FACTS §4d), never the code.
        return Reading([], (), substance)
    terms = _read_who_titles(query, found, placed, dataset)
    content = [t for t in terms if t.is_concept or t.words[0] not in FUNCTION_WORDS]
    if found and not content and not drugs:
        return Reading([], function_words_only=True)
    if drugs and not content:
        # The query is a drug's name: read as words, as ever (it points to `show`).
        return Reading([_term(query, found[i : i + 1]) for i in range(len(found))])
    restriction, taken = _restriction(dataset, drugs, content)
    content = [t for t in content if t not in taken]
    set_aside: tuple[str, ...] = ()
    others = [t for t in content if t.is_concept or t.words[0] not in MODIFIERS]
    levels = [t for t in others if _is_level(t)]
    spinal = [t for t in others if t not in levels and _of_the_spine(t, dataset, vocabulary)]
    if levels and spinal and not any(_other_level(t, levels) for t in spinal):
        others = [t for t in others if t not in levels]
    if others and len(others) < len(content):
        set_aside = tuple(t.typed for t in content if t not in others)
        content = others
    if restriction is not None and restriction.substance:
        content = []
    return Reading(content, set_aside, restriction)


def _heads_joined(
    query: str, found: list[Token], placed: list[tuple[Term, int, int]]
) -> list[tuple[Term, int, int]]:
    """A generic head word right after a name joins that name's term, adding
    nothing to what it names ("seizure disorders" is seizures)."""
    joined: list[tuple[Term, int, int]] = []
    for term, start, stop in placed:
        if joined and is_generic(term) and joined[-1][0].names and joined[-1][2] == start:
            before, first, _ = joined[-1]
            joined[-1] = (before._replace(typed=query[found[first].start : found[stop - 1].end]), first, stop)
        else:
            joined.append((term, start, stop))
    return joined


def _is_level(term: Term) -> bool:
    """A level of the spine typed alone ("lumbar"; "cervical" names the neck too)."""
    return (
        len(term.words) == 1
        and is_level(term.words[0])
        and term.code is None
        and all(n.umbrella is not None for n in term.names)
    )


def _of_the_spine(term: Term, dataset: Dataset, vocabulary: Vocabulary) -> bool:
    """The term names a condition of the spine or the spinal cord, or is an
    umbrella term all of whose conditions are ("back pain")."""
    if term.code is not None and _in_the_spine(term.code.read_as):
        return True
    reached = [c for u in term.umbrellas for c in u.reaches]
    if reached and all(_condition_of_the_spine(c, dataset, vocabulary) for c in reached):
        return True
    return any(_condition_of_the_spine(c, dataset, vocabulary) for c in term.conditions)


def _condition_of_the_spine(condition_id: str, dataset: Dataset, vocabulary: Vocabulary) -> bool:
    """By its codes, by lying inside a condition that is, or (having no code)
    by holding one that is ("disorders of the spine" holds vertebral syndrome)."""
    by_id = dataset.conditions_by_id

    def coded_in_spine(some_id: str) -> bool:
        own = by_id[some_id].icd10
        return bool(own) and all(_in_the_spine(code) for code in own)

    around = [*vocabulary.hierarchy.above(condition_id)]
    if not by_id[condition_id].icd10:
        around += vocabulary.hierarchy.below(condition_id)
    return coded_in_spine(condition_id) or any(coded_in_spine(c) for c in around)


def _other_level(term: Term, levels: list[Term]) -> bool:
    """The condition names a level of its own other than the one typed
    ("lumbar neck pain": neck pain is the cervical syndrome)."""
    typed = {t.words[0] for t in levels}
    conditions = [n.condition for n in term.names if n.condition is not None]
    if term.code is not None and term.code.condition is not None:
        conditions.append(term.code.condition)
    names = [name for c in conditions for name in (c.label, *c.synonyms)]
    return any(is_level(word) and word not in typed for name in names for word in folded_words(name))


def _in_the_spine(code: str) -> bool:
    return any(codes.contains(spine, code) for spine in _SPINE_CODES)


def _read_who_titles(
    query: str, found: list[Token], placed: list[tuple[Term, int, int]], dataset: Dataset
) -> list[Term]:
    """Words the dataset's vocabulary leaves unexplained (no concept, and no
    name of a condition or umbrella term holds them: "headache" is a word of
    tension headache's) send the query to WHO's titles (dataset/who_titles.py):
    the whole query, or else such a run of words, that is a whole title is its
    code, as if the code were typed."""
    terms = [term for term, _, _ in placed]
    runs = [
        run
        for run in _word_runs(found, placed)
        if not _modifiers_only(found, run[1], run[2]) and unexplained(query[run[1] : run[2]], dataset)
    ]
    # A condition with a word left over ("knee arthrosis") may still be a whole title.
    leftover = [t for t in terms if not t.is_concept and t.words[0] not in MODIFIERS | FUNCTION_WORDS]
    mixed = bool(leftover) and any(t.is_concept for t in terms)
    if not runs and not mixed and not any(_by_phrasing(term) for term in terms):
        return terms
    from adjuvant_cli.dataset.who_titles import who_code_for  # reads WHO's titles: only here

    whole = who_code_for(query) or who_code_for(_by_labels(query, placed))
    if whole is not None:
        return [_title_term(query, found, whole, dataset)]
    read = list(terms)
    for (k, end), start, stop in reversed(runs):
        tokens_of = [t for t in found if start <= t.start and t.end <= stop]
        match = who_code_for(query[start:stop])
        if match is not None:
            read[k:end] = [_title_term(query, tokens_of, match, dataset)]
            continue
        if len(tokens_of) > 1 and is_level(tokens_of[0].folded):
            # A level and a title ("lumbar radiculopathy"): the level is read as levels are.
            match = who_code_for(query[tokens_of[1].start : stop])
            if match is not None:
                level = [term for term, i, _ in placed[k:end] if found[i].end <= tokens_of[0].end]
                after = [term for term, i, _ in placed[k:end] if found[i].start >= stop]
                read[k:end] = [*level, _title_term(query, tokens_of[1:], match, dataset), *after]
                continue
        split = _class_and_title(query, found, placed[k:end], dataset)
        if split is not None:
            read[k:end] = split
    return read


def _class_and_title(
    query: str, found: list[Token], run: list[tuple[Term, int, int]], dataset: Dataset
) -> list[Term] | None:
    """A class and a whole WHO title typed together ("anticonvulsant for
    epilepsy", "epilepsy benzodiazepine"): the title read as its code, the
    class words kept to restrict the answer, as with any condition (FACTS §4d)."""
    from adjuvant_cli.dataset.who_titles import who_code_for

    for cut in range(1, len(run)):
        for class_part, title_part in ((run[:cut], run[cut:]), (run[cut:], run[:cut])):
            words = [t for t, _, _ in class_part if t.words[0] not in FUNCTION_WORDS]
            if not _names_a_class(words, dataset):
                continue
            first, last = title_part[0][1], title_part[-1][2]
            match = who_code_for(query[found[first].start : found[last - 1].end])
            if match is None and last - first > 1 and is_level(found[first].folded):
                first += 1  # a level before the title is read as levels are ("lumbar radiculopathy")
                match = who_code_for(query[found[first].start : found[last - 1].end])
            if match is not None:
                title = _title_term(query, found[first:last], match, dataset)
                before = [t for t, _, stop in run if stop <= first]
                return [*before, title, *(t for t, begin, _ in run if begin >= last)]
    return None


def _names_a_class(words: list[Term], dataset: Dataset) -> bool:
    """Some drug's class or undisputed effect tag holds every word, and the
    words are not all a condition's ("pain" is never a class)."""
    if not words or all(names_a_condition(t, dataset) for t in words):
        return False
    pool = showing_words(dataset, (s for t in words for s in t.stems))
    return any(_of_class(d, words, dataset) for d in pool)


def _by_labels(query: str, placed: list[tuple[Term, int, int]]) -> str:
    """The query with each synonym typed replaced by its condition's label, so
    that WHO's words meet it ("knee osteoarthritis" is "knee arthrosis", M17)."""
    said = query
    for term, _, _ in reversed(placed):
        labels = {n.condition.label for n in term.names if n.condition is not None and n.kind == "synonym"}
        if len(labels) == 1 and term.typed:
            start = said.rfind(term.typed)
            said = said[:start] + labels.pop() + said[start + len(term.typed) :]
    return said


def _word_runs(
    found: list[Token], placed: list[tuple[Term, int, int]]
) -> list[tuple[tuple[int, int], int, int]]:
    """Each maximal run of terms that are words, not concepts: ((first term,
    end term), start, stop in the query), function words at its ends left out
    ("spasticity after cerebral infarction")."""
    runs = []
    k = 0
    while k < len(placed):
        end = next((e for e in range(k, len(placed)) if placed[e][0].is_concept), len(placed))
        run = found[placed[k][1] : placed[end - 1][2]] if end > k else []
        while run and run[-1].folded in FUNCTION_WORDS:
            run = run[:-1]
        while run and run[0].folded in FUNCTION_WORDS:
            run = run[1:]
        if end > k and run:
            runs.append(((k, end), run[0].start, run[-1].end))
        k = max(end, k + 1)
    return runs


def _by_phrasing(term: Term) -> bool:
    """Read through §4d's table ("panic" in "panic disorder"): the whole query may still be a WHO title."""
    coded = term.code is not None and not codes.is_code(term.typed)
    return coded or any(name.kind == "phrasing" for name in term.names)


def _modifiers_only(found: list[Token], start: int, stop: int) -> bool:
    """A run of §4d modifiers only ("acute") is explained: it is set aside, never read as WHO's."""
    return all(t.folded in MODIFIERS for t in found if start <= t.start and t.end <= stop)


def unexplained(text: str, dataset: Dataset) -> bool:
    """No name of the dataset's conditions or umbrella terms holds every word
    of `text` that carries meaning (words read as WHO's titles read them)."""
    from adjuvant_cli.dataset.who_titles import meaning_stems

    wanted = meaning_stems(text)
    names = [n for c in dataset.conditions for n in (c.label, *c.synonyms)]
    names += [n for u in dataset.umbrellas for n in (u.label, *u.synonyms)]
    return bool(wanted) and not any(wanted <= meaning_stems(name) for name in names)


def _title_term(query: str, run: Sequence[Token], match: "WhoMatch", dataset: Dataset) -> Term:
    """The term for a whole WHO title: its code, read as the code typed is."""
    return _term(query, run, code=code_meaning(dataset, match.code)._replace(title=match.title))


def _substance(dataset: Dataset, drugs: list[tuple[str, str]], read: list[Term]) -> Restriction | None:
    """A drug or class typed with poisoning, overdose and the like: its restriction, as substance."""
    words = [t for t in read if not t.is_concept]
    if not any(t.words[0] in SUBSTANCE_WORDS or t.stems[0] in _SUBSTANCE_STEMS for t in words):
        return None
    content = [t for t in read if t.is_concept or t.words[0] not in FUNCTION_WORDS]
    restriction, _ = _restriction(dataset, drugs, content)
    return restriction if restriction is not None and restriction.substance else None


def _restriction(
    dataset: Dataset, drugs: list[tuple[str, str]], content: list[Term]
) -> tuple[Restriction | None, list[Term]]:
    """The drugs the answer is restricted to, and the class words that said so."""
    words = [t for t in content if not t.is_concept]
    # "overdose" alone is drug poisoning, but "diazepam overdose" is diazepam's own.
    substance = any(t.words[0] in SUBSTANCE_WORDS or t.stems[0] in _SUBSTANCE_STEMS for t in words) or any(
        len(t.words) == 1 and t.words[0] in SUBSTANCE_WORDS for t in content if t.is_concept
    )
    if drugs:
        typed = " ".join(d for d, _ in drugs)
        resolved = tuple(_resolved(dataset, name, drug_id) for name, drug_id in drugs)
        return Restriction("drug", typed, frozenset(d for _, d in drugs), substance, resolved), []
    concepts = [t for t in content if t.is_concept]
    candidates = [
        t
        for t in words
        if t.words[0] not in MODIFIERS and t.stems[0] not in _SUBSTANCE_STEMS and not _is_level(t)
    ]  # a level is read as levels are ("muscle relaxant for lumbar radiculopathy")
    if not candidates or not (concepts or substance):
        return None, []
    if all(names_a_condition(t, dataset) for t in candidates):
        return None, []  # "pain" is a condition's word, never a class ("pain after surgery")
    # Only the drugs whose shown texts hold the words (candidates.py), then each checked.
    pool = showing_words(dataset, (s for t in candidates for s in t.stems))
    members = frozenset(d.id for d in pool if _of_class(d, candidates, dataset))
    if not members:
        return None, []
    # Left out, and said: a drug whose only such word is an effect tag its caveat disputes (§5).
    disputed = frozenset(
        d.id for d in pool if d.id not in members and _of_class(d, candidates, dataset, disputed=True)
    )
    typed = " ".join(t.typed for t in candidates)
    return Restriction("class", typed, members, substance, disputed=disputed), candidates


_SUBSTANCE_STEMS = frozenset(stem(w) for w in SUBSTANCE_WORDS)


def _resolved(dataset: Dataset, typed: str, drug_id: str) -> Resolution:
    """A drug name typed in a query, resolved as `show` resolves it: a brand
    carries its forms ("Gablofen" is an intrathecal injection, FACTS §3)."""
    drug = dataset.drugs_by_id[drug_id]
    brand = next((b for b in drug.brands if fold(b.name) == fold(typed)), None)
    if brand is not None:
        return Resolution(typed, drug, brand.name, "brand name", brand)
    return Resolution(typed, drug, drug.name, "name")


def names_a_condition(term: Term, dataset: Dataset) -> bool:
    """Every word of the term stands in a name of one of the dataset's
    conditions or umbrella terms ("pain", "muscle"): it asks for a condition,
    so a class or an effect tag never answers it alone."""
    if term.is_concept:
        return True
    wanted = set(term.stems)
    return any(wanted <= set(_condition_stems(name)) for name in _condition_names(dataset))


def _condition_names(dataset: Dataset) -> list[str]:
    names = [n for c in dataset.conditions for n in (c.label, *c.synonyms)]
    return names + [n for u in dataset.umbrellas for n in (u.label, *u.synonyms)]


def _condition_stems(name: str) -> list[str]:
    return [stem(w) for w in folded_words(name)]


def _of_class(drug: Drug, words: list[Term], dataset: Dataset, *, disputed: bool = False) -> bool:
    """The drug's class or one of its undisputed effect tags holds every word
    (with `disputed`, one of the effect tags its caveats dispute)."""
    doubted = {effect for caveat in drug.caveats for effect in caveat.effects}
    labels = {e.id: e.label for e in dataset.effects}
    if disputed:
        texts = [labels[e] for e in drug.effects if e in doubted]
    else:
        texts = [drug.drug_class, *(labels[e] for e in drug.effects if e not in doubted)]
    return any(all(Words.of(text).match(t) for t in words) for text in texts)


def _read_at(
    query: str, found: list[Token], i: int, dataset: Dataset, vocabulary: Vocabulary
) -> tuple[list[Term] | str, int]:
    """What starts at token i, and how many tokens it takes: terms, or a drug id."""
    longest = max(vocabulary.longest, _LONGEST_PHRASING, 3)
    for length in range(min(len(found) - i, longest), 0, -1):
        run = found[i : i + length]
        typed = query[run[0].start : run[-1].end]
        meaning = _EXACT_CASE_PHRASINGS.get(typed) if length == 1 else None
        for words in _spellings(query, run):
            key = _stem_key(words)
            if meaning is None and key in _STEMMED_PHRASINGS:
                meaning = _STEMMED_PHRASINGS[key][1]
            read = _phrasing(query, run, meaning, dataset, vocabulary) if meaning else None
            if read:
                return read, length
            names = _names_at(query, run, words, vocabulary)
            if names:
                return [_term(query, run, names)], length
        leveled = _leveled(query, run, dataset, vocabulary)
        if leveled is not None:
            return [leveled], length
        drug_id = dataset.name_index.get(fold(typed))
        if drug_id is not None:
            return drug_id, length
    code_term, used = _code_at(query, found, i, dataset)
    if code_term is not None:
        return [code_term], used
    return [_term(query, found[i : i + 1])], 1


def _leveled(query: str, run: Sequence[Token], dataset: Dataset, vocabulary: Vocabulary) -> Term | None:
    """A condition of the spine with a level inside its name ("herniated lumbar
    disc"): the condition, at that level. A level that leads the run is read
    apart and set aside instead ("lumbar spinal stenosis")."""
    words = [t.folded for t in run]
    if len(words) < 3 or is_level(words[0]) or not any(is_level(w) for w in words):
        return None
    names = _names_at(query, run, [w for w in words if not is_level(w)], vocabulary)
    term = _term(query, run, [n for n in names if n.condition is not None])
    return term if term.names and _of_the_spine(term, dataset, vocabulary) else None


def _phrasing(
    query: str,
    run: Sequence[Token],
    meaning: tuple[tuple[str, ...], ...],
    dataset: Dataset,
    vocabulary: Vocabulary,
) -> list[Term] | None:
    note = _NOTES.get(" ".join(t.folded for t in run))
    terms = []
    for alternatives in meaning:
        if len(alternatives) == 1 and codes.is_code(alternatives[0]):
            coded = code_meaning(dataset, alternatives[0])
            if coded.condition is None and not coded.inside:  # nothing of the dataset's holds it
                return None
            terms.append(_term(query, run, code=coded, note=note))
            continue
        names = [
            n._replace(kind="phrasing")
            for a in alternatives
            for n in vocabulary.phrases.get(" ".join(folded_words(a)), [])
            if n.kind != "umbrella"
        ]
        if len(names) < len(alternatives):
            return None
        terms.append(_term(query, run, names, note=note))
    return terms


def _spellings(query: str, run: Sequence[Token]) -> list[list[str]]:
    """The run's folded words; and, when it holds a hyphenated prefix, the same
    with the prefix joined ("post-operative" is "postoperative", "pre-term"
    "preterm"): a prefix is part of its word, never a word of its own."""
    words = [t.folded for t in run]
    joined: list[str] = []
    for k, word in enumerate(words):
        glued = k > 0 and words[k - 1] in _PREFIXES and query[run[k - 1].end : run[k].start] == "-"
        if glued:
            joined[-1] += word
        else:
            joined.append(word)
    spellings = [words, joined] if joined != words else [words]
    # The site of an operation: "after spinal surgery" is after surgery, which the
    # source's statements on surgery include ("after disc surgery", FACTS §4d).
    unsited = [w for k, w in enumerate(joined) if not _names_a_site(joined, k)]
    return [*spellings, unsited] if unsited != joined and unsited else spellings


def _names_a_site(words: list[str], k: int) -> bool:
    return words[k] in _SURGICAL_SITES and k + 1 < len(words) and words[k + 1] in _OPERATIONS


_PREFIXES = frozenset(["post", "pre"])
_SURGICAL_SITES = SPINE_LEVELS | {"spinal", "spine", "back", "disc", "disk", "vertebral", "hip", "knee"}
_OPERATIONS = frozenset(["surgery", "surgeries", "operation", "operations"])


def _names_at(query: str, run: Sequence[Token], words: list[str], vocabulary: Vocabulary) -> list[Name]:
    if len(run) == 1 and query[run[0].start : run[0].end] in vocabulary.exact_case:
        return vocabulary.exact_case[query[run[0].start : run[0].end]]
    names = vocabulary.phrases.get(" ".join(words), [])
    # An abbreviation marked case-sensitive elsewhere is not matched here, and a
    # lower-case function word is never read as an abbreviation ("as", "in").
    names = [n for n in names if not (n.kind == "abbreviation" and words[0] in FUNCTION_WORDS)]
    stemmed = vocabulary.stemmed.get(" ".join(stem(w) for w in words), [])
    return names or stemmed or _reworded(words, vocabulary)


def _reworded(words: list[str], vocabulary: Vocabulary) -> list[Name]:
    """A condition's name in another order ("disorder of personality"), or
    without its head noun ("phobic anxiety", "bipolar"); never across a
    function word at either end, never an umbrella term."""
    if words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS or words[-1] in MODIFIERS:
        return []
    said = meaning_set(words)
    if said <= _HEAD_NOUNS:  # nothing, or "disorders" alone
        return []
    found = vocabulary.unordered.get(said, []) if len(said) > 1 else []
    for head in () if found else _HEAD_NOUNS:
        found = vocabulary.unordered.get(said | {head}, [])
        if found:
            break
    if not found and len(words) > 1 and is_level(words[0]):
        # A level says "of the spine": "lumbar osteochondrosis" is spinal osteochondrosis.
        rest = meaning_set(words[1:])
        if rest.isdisjoint(_SPINE | _SPINAL):  # "lumbar spinal stenosis": the level is set aside
            unordered = vocabulary.unordered
            found = unordered.get(rest | _SPINE, []) or unordered.get(rest | _SPINAL, [])
    # Read as a way people ask: the whole query may still be a WHO title ("bipolar affective disorder").
    return [n._replace(kind="phrasing") for n in found if n.condition is not None]


_SPINE, _SPINAL = frozenset([stem("spine")]), frozenset([stem("spinal")])


def _code_at(query: str, found: list[Token], i: int, dataset: Dataset) -> tuple[Term | None, int]:
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


class Words(NamedTuple):
    """A text's folded words and their stems."""

    words: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "Words":
        words = frozenset(folded_words(text))
        return cls(words, word_stems(words))

    def match(self, term: Term) -> Via | None:
        if all(w in self.words for w in term.words):
            return "word"
        if all(s in self.stems for s in term.stems):
            return "word stem"
        return None
