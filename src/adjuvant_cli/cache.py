"""A cache of validated datasets, so that a run skips TOML parsing and
validation when the file has not changed since the last one.

- Keyed on the file's identity (resolved path, size, mtime), the program's
  version, the dataset schema version and the model's field layout: any change
  to one of them misses, and the file is parsed and validated again.
- Stored with `marshal` (built in: nothing to import) as plain tuples, rebuilt
  into the model without re-validation: only validated datasets are stored.
- Written to a temporary file and renamed into place, so parallel runs never
  read half a file; the last writer wins and every writer writes the same.
- Best effort: no HOME, an unwritable directory, a corrupt or foreign file all
  mean "no cache", silently. ADJUVANT_NO_CACHE=1 turns it off;
  ADJUVANT_CACHE_DIR moves it (default: $XDG_CACHE_HOME/adjuvant or
  ~/.cache/adjuvant).
"""

from __future__ import annotations

import marshal
import os
import zlib
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Any

from adjuvant_cli import __version__
from adjuvant_cli.model import Condition, Correction, Dataset, Drug, Effect, Indication, Source

_MAGIC = "adjuvant-dataset-cache"
# The model's shape: a cache written by code with other fields must not load.
_LAYOUT = tuple(cls._fields for cls in (Source, Effect, Condition, Indication, Correction, Drug))
_INDICATIONS = Drug._fields.index("indications")
_CORRECTIONS = Drug._fields.index("corrections")

Key = tuple[Any, ...]


def cache_dir() -> Path | None:
    """Where caches live, or None when caching is off or there is no home."""
    if os.environ.get("ADJUVANT_NO_CACHE"):
        return None
    configured = os.environ.get("ADJUVANT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or (
        str(Path(os.environ["HOME"], ".cache")) if os.environ.get("HOME") else ""
    )
    return Path(base, "adjuvant") if base else None


def file_key(path: Path, schema_version: int) -> Key | None:
    """The identity of the dataset file; None if it cannot be had (then: no cache)."""
    try:
        resolved = path.resolve()
        stat = resolved.stat()
    except (OSError, RuntimeError):
        return None
    return (_MAGIC, __version__, schema_version, _LAYOUT, str(resolved), stat.st_size, stat.st_mtime_ns)


def _cache_file(directory: Path, key: Key) -> Path:
    return directory / f"{zlib.crc32(key[4].encode('utf-8', 'surrogateescape')):08x}.marshal"


def load(key: Key) -> Dataset | None:
    """The cached dataset for `key`, or None (missing, stale, corrupt, unreadable)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        stored_key, data = marshal.loads(_cache_file(directory, key).read_bytes())
        return _decode(data) if stored_key == key else None
    except Exception:  # a broken cache is never the user's problem: rebuild it
        return None


def store(key: Key, dataset: Dataset) -> None:
    """Write the cache for `key`; silently skipped when that is not possible."""
    directory = cache_dir()
    if directory is None:
        return
    target = _cache_file(directory, key)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(marshal.dumps((key, _encode(dataset))))
        temporary.replace(target)  # atomic: readers see the old file or the new one
    except (OSError, ValueError):
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


def _row(record: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(record)  # marshal takes plain tuples only, not NamedTuples


def _encode(dataset: Dataset) -> tuple[Any, ...]:
    source = _row(dataset.source)
    drugs = []
    for drug in dataset.drugs:
        row = list(_row(drug))
        row[_INDICATIONS] = tuple(_row(i) for i in drug.indications)
        row[_CORRECTIONS] = tuple(_row(c) for c in drug.corrections)
        drugs.append(tuple(row))
    return (
        dataset.schema_version,
        (*source[:2], dataset.source.last_reviewed.toordinal(), *source[3:]),
        dataset.disclaimer,
        tuple(_row(e) for e in dataset.effects),
        tuple(_row(c) for c in dataset.conditions),
        tuple(drugs),
        tuple(dataset.name_index.items()),
    )


def _decode(data: tuple[Any, ...]) -> Dataset:
    schema_version, source, disclaimer, effects, conditions, drug_rows, names = data
    drugs = []
    for row in drug_rows:
        fields = list(row)
        fields[_INDICATIONS] = tuple(Indication(*i) for i in row[_INDICATIONS])
        fields[_CORRECTIONS] = tuple(Correction(*c) for c in row[_CORRECTIONS])
        drugs.append(Drug(*fields))
    condition_list = tuple(Condition(*c) for c in conditions)
    return Dataset(
        schema_version=schema_version,
        source=Source(source[0], source[1], date.fromordinal(source[2]), *source[3:]),
        disclaimer=disclaimer,
        effects=tuple(Effect(*e) for e in effects),
        conditions=condition_list,
        drugs=tuple(drugs),
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in condition_list},
        name_index=dict(names),
    )
