"""Starting a dataset of one's own: `adjuvant init` (a commented one-drug
skeleton, or a copy of the bundled dataset, with the JSON Schema beside it).

Files are created, never replaced: opened with O_CREAT | O_EXCL (an existing
path, a symlink included, is refused) and O_NOFOLLOW, so that nothing a
symlink points to is ever written through it.
"""

from __future__ import annotations

import os
from pathlib import Path

from adjuvant_cli.dataset.reading import bundled_path, read_dataset_text
from adjuvant_cli.errors import UsageError
from adjuvant_cli.text import printable

SCHEMA_NAME = "adjuvant-dataset-2.schema.json"
DIRECTIVE = f"#:schema ./{SCHEMA_NAME}"

SKELETON = (
    DIRECTIVE
    + """
# A dataset of one's own for adjuvant, schema 2 (the README's "Your own
# dataset"). The line above points editors (Even Better TOML, taplo) at the
# JSON Schema beside this file, so that they check the file as you type.
# Check it with `adjuvant validate --strict THIS-FILE`; use it with
# `adjuvant --data THIS-FILE show baclofen`.
#
# This one drug is an example taken from the bundled dataset: replace it with
# your own, and the source and disclaimer with yours.

schema_version = 2

[source]
# Every monograph is shown with where it comes from and what it leaves out.
title = "Use of adjuvants in the treatment of back pain"
publisher = "iLive (medical reference site; article reviewed by its medical experts)"
nature = "A simplified translation of the official instructions for medical use."
last_reviewed = 2025-07-08  # a TOML date, not a string
scope = \"\"\"\\
The source gives dosage forms, pharmacological action and indications only: \\
nothing on doses, contraindications, adverse effects or interactions. The \\
absence of a statement is not the absence of a risk.\"\"\"

[disclaimer]
# `compact` is shown where space is short: at most 160 characters.
text = \"\"\"\\
For information only; not a guide to self-treatment. Whether a medicine is \\
needed, the regimen, the route and the dose are decided only by the attending \\
physician.\"\"\"
compact = \"\"\"\\
Information only, not a guide to self-treatment; \\
only a doctor decides need, regimen, route and dose.\"\"\"

# Effects: the tags `compare` lines up across drugs. Every effect is used by a drug.
[[effects]]
id = "muscle-relaxant"
label = "Central muscle relaxant"

# Conditions: what indications link and users search for. Codes are WHO
# ICD-10 (2019); a condition without a code says why (`no_code_reason`).
# `covers` says whether a statement about a condition counts for the conditions
# inside it (narrower ones, or codes inside its codes): true, or
# { except = ["F42-F45", "a-condition-id"] }; unsaid, it does not (shown, not
# counted). `covers = false` on a coded group (drug poisoning, T36-T50) also
# keeps its members' words and titles from reaching it.
[[conditions]]
id = "spasticity"
label = "Spasticity"
synonyms = ["muscle spasticity"]
no_code_reason = "A clinical sign, coded by the disease it occurs in."

[[conditions]]
id = "multiple-sclerosis"
label = "Multiple sclerosis"
abbreviations = ["MS"]
icd10 = ["G35"]

[[drugs]]
id = "baclofen"
name = "Baclofen"
drug_class = "Centrally acting muscle relaxant; GABA derivative (GABA-B receptor agonist)"
atc = "M03BX01"
forms = ["tablets"]
effects = ["muscle-relaxant"]

[[drugs.brands]]
name = "Lioresal"
forms = ["tablets", "intrathecal injection"]

# Statements: `source` is a locator into the source, <drug>/<part>/<paragraph>[.<item>].
[[drugs.mechanism]]
text = "A derivative of gamma-aminobutyric acid; a GABAb stimulator."
source = "baclofen/action/1.1"

# An indication links conditions with a role: target (what is treated),
# setting (in which it is treated) or example (a setting named by example).
[[drugs.indications]]
id = "baclofen-spasticity"
group = "Spasticity"
text = "Spasticity in multiple sclerosis"
treats = "Spasticity"
links = [
  { condition = "spasticity", role = "target" },
  { condition = "multiple-sclerosis", role = "setting" },
]
source = "baclofen/indications/1.1"
"""
)


def schema_text() -> str:
    """The JSON Schema as shipped beside the bundled dataset."""
    located = bundled_path()
    if located is not None and (located.parent / SCHEMA_NAME).is_file():
        return (located.parent / SCHEMA_NAME).read_text(encoding="utf-8")
    from importlib.resources import files  # only off a filesystem (zipapp)

    return files("adjuvant_cli").joinpath("data", SCHEMA_NAME).read_text(encoding="utf-8")


def init_dataset(path: str, *, from_bundled: bool) -> list[str]:
    """Write a new dataset at `path` (the skeleton, or the bundled dataset) and
    the schema beside it; returns the paths written. Raises UsageError when
    `path` exists, and DatasetError when the bundled dataset cannot be read."""
    text = read_dataset_text(None)[1] if from_bundled else SKELETON
    if not text.startswith(DIRECTIVE):
        text = f"{DIRECTIVE}\n{text}"
    target = Path(path)
    schema = target.parent / SCHEMA_NAME
    wanted = schema_text()
    # Checked before anything is written: a schema already there is fine only if it is this one.
    keep_schema = os.path.lexists(schema)
    if keep_schema and not _holds(schema, wanted):
        shown = printable(str(schema), 200)
        raise UsageError(f"{shown} exists and is not this adjuvant's schema; init in another directory")
    written = [write_new(target, text)]
    if not keep_schema:
        written.append(write_new(schema, wanted))
    return written


def _holds(path: Path, text: str) -> bool:
    try:
        return not path.is_symlink() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def write_new(path: Path, text: str) -> str:
    """Create `path` with `text`; never overwrite, never follow a symlink."""
    shown = printable(str(path), 200)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o644)
    except FileExistsError:
        raise UsageError(f"{shown} exists; choose a new path (nothing is ever overwritten)") from None
    except OSError as error:
        raise UsageError(f"cannot create {shown}: {error.strerror or error}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return shown
