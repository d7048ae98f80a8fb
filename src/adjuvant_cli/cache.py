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
from pathlib import Path
from typing import Any

from adjuvant_cli import __version__
from adjuvant_cli.model import Dataset
from adjuvant_cli.records import LAYOUT, from_plain, to_plain

_MAGIC = "adjuvant-dataset-cache"
# The model's shape: a cache written by code with other fields must not load.

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
    return (_MAGIC, __version__, schema_version, LAYOUT, str(resolved), stat.st_size, stat.st_mtime_ns)


def _cache_file(directory: Path, key: Key) -> Path:
    return directory / f"{zlib.crc32(key[4].encode('utf-8', 'surrogateescape')):08x}.marshal"


def load(key: Key) -> Dataset | None:
    """The cached dataset for `key`, or None (missing, stale, corrupt, unreadable)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        stored_key, data = marshal.loads(_cache_file(directory, key).read_bytes())
        return from_plain(data) if stored_key == key else None
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
        temporary.write_bytes(marshal.dumps((key, to_plain(dataset))))
        temporary.replace(target)  # atomic: readers see the old file or the new one
    except (OSError, ValueError):
        with suppress(OSError):
            temporary.unlink(missing_ok=True)
