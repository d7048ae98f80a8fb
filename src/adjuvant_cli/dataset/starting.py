"""Starting a dataset of one's own: `adjuvant init` (a commented one-drug
skeleton, or a copy of the bundled dataset, with the JSON Schema beside it),
and the one way this program writes a file (`write_new`, used by `migrate` too).

A file is written whole or not at all, and never replaces anything: the text
goes to a temporary file in the target's directory, is synced, and is then
hard-linked to the target, which fails if anything (a symlink included) is
there. Where the filesystem has no hard links, the target is created with
O_EXCL | O_NOFOLLOW, written, synced, and removed if any of that fails.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from adjuvant_cli.dataset.reading import bundled_path, read_dataset_text
from adjuvant_cli.errors import OutputFailed, UsageError
from adjuvant_cli.text import one_line

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


def init_dataset(path: str, *, from_bundled: bool) -> list[Path]:
    """Write a new dataset at `path` (the skeleton, or the bundled dataset) and
    the schema beside it; returns the paths written, the schema first when it
    was written. Raises UsageError when `path` exists or is the schema's own
    name, OutputFailed when a file cannot be written (nothing is then left),
    and DatasetError when the bundled dataset cannot be read."""
    target = Path(path)
    schema = target.parent / SCHEMA_NAME
    if target.name == SCHEMA_NAME:  # the dataset would take the schema's place, and break every init there
        raise UsageError(
            f"{shown_path(target)} is the name of the schema init writes beside the dataset; "
            "name the dataset e.g. my-formulary.toml"
        )
    if os.path.lexists(target):  # refused before anything is written (write_new checks again)
        raise _exists(target)
    text = read_dataset_text(None)[1] if from_bundled else SKELETON
    if not text.startswith(DIRECTIVE):
        text = f"{DIRECTIVE}\n{text}"
    wanted = schema_text()
    # Checked before anything is written: a schema already there is fine only if it is this one.
    keep_schema = os.path.lexists(schema)
    if keep_schema and not _holds(schema, wanted):
        raise UsageError(
            f"{shown_path(schema)} exists and is not this adjuvant's schema; init in another directory"
        )
    written = [] if keep_schema else [write_new(schema, wanted)]
    try:
        written.append(write_new(target, text))
    except BaseException:  # the run fails as a whole: take back the schema it wrote
        for path_written in written:
            _remove(path_written)
        raise
    return written


def _holds(path: Path, text: str) -> bool:
    try:
        return not path.is_symlink() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def shown_path(path: Path) -> str:
    """A path as a message shows it: printable, on one line."""
    return one_line(str(path), 200)


def _exists(path: Path) -> UsageError:
    return UsageError(f"{shown_path(path)} exists; choose a new path (nothing is ever overwritten)")


def write_new(path: Path, text: str) -> Path:
    """Create `path` holding `text`, whole or not at all; never overwrite,
    never follow a symlink. Returns `path`. Raises UsageError when it exists
    or cannot be created there, OutputFailed when the writing fails (a full
    disk): nothing is left behind either way."""
    data = text.encode("utf-8")
    temporary = _create_temporary(path)
    try:
        try:
            _write_synced(temporary[1], data)
        finally:
            os.close(temporary[1])
        try:
            os.link(temporary[0], path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            _write_exclusive(path, data)
        _sync_directory(path.parent)
    except OSError as error:
        shown = shown_path(path)
        raise OutputFailed(f"cannot write {shown}: {_reason(error)}; nothing was written") from None
    finally:
        _remove(temporary[0])
    return path


# What link() says on a filesystem without hard links (FAT, some network and
# FUSE filesystems), or where one more link is refused.
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.EACCES}
)
_DISK_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _create_temporary(path: Path) -> tuple[Path, int]:
    """A new file beside `path`, open for writing (mode 0644 less the umask,
    as the target gets). A short name: the target's own may be at NAME_MAX."""
    for _ in range(100):
        candidate = path.parent / f".adjuvant-{secrets.token_hex(6)}.tmp"
        try:
            return candidate, os.open(candidate, _EXCLUSIVE, 0o644)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno in _DISK_FAILURES:  # the place is right, the disk is not
                raise OutputFailed(
                    f"cannot write {shown_path(path)}: {_reason(error)}; nothing was written"
                ) from None
            raise UsageError(f"cannot create {shown_path(path)}: {_reason(error)}") from None
    raise UsageError(f"cannot create {shown_path(path)}: no free temporary name in its directory")


def _write_synced(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
    os.fsync(descriptor)


def _write_exclusive(path: Path, data: bytes) -> None:
    """The target written in place, for filesystems without hard links:
    created exclusively, and removed again if it cannot be written whole."""
    try:
        descriptor = os.open(path, _EXCLUSIVE, 0o644)
    except FileExistsError:
        raise _exists(path) from None
    try:
        try:
            _write_synced(descriptor, data)
        finally:
            os.close(descriptor)
    except BaseException:
        _remove(path)
        raise


def _sync_directory(directory: Path) -> None:
    """Make the new name durable too; not every system can open a directory."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some filesystems refuse fsync on a directory; the file itself is synced
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
