"""Loading a dataset for a command: from its store while the file is
unchanged (reading only the rows the command asks for), else read, checked
and built (and then stored). `adjuvant validate`, which always checks
afresh, is validating.py: nothing of it is imported on a lookup."""

from __future__ import annotations

import os
from pathlib import Path

from adjuvant_cli.dataset.reading import (
    BUNDLED_LABEL,
    SCHEMA_VERSION,
    bundled_path,
    decode,
    opened,
    read_dataset_text,
    read_open,
)
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.model import PLACEHOLDER, Dataset, PendingReview
from adjuvant_cli.text import printable


def load_dataset(
    path: str | None = None, *, cache_dir: Path | None = None, debug: bool = False, use_cache: bool = True
) -> Dataset:
    """The dataset at `path`, or the bundled one; raises DatasetError.

    The bundled one comes pre-validated when the wheel was built with it
    (prebuilt.py) and matches its TOML: four drugs load faster whole than
    SQLite imports (benchmarks/README.md). Any other is stored in `cache_dir`
    (None: no store) once validated (store.py) and read from its store while
    the file is unchanged: a run neither parses nor checks it, and reads only
    the drugs it shows; `debug` says why a cache directory is skipped.
    `use_cache=False` parses afresh, bundled or not."""
    location = bundled_path() if path is None else Path(path)
    if not use_cache or location is None:
        return _parse(*read_dataset_text(path))
    if path is None:
        prebuilt = _prebuilt(location)
        if prebuilt is not None:
            return prebuilt
    return _through_store(path, location, cache_dir, debug, read=True)


def _through_store(
    path: str | None, location: Path, cache_dir: Path | None, debug: bool, *, read: bool
) -> Dataset:
    """From the store while it holds this file; else parsed, then stored.
    Should a row read later turn out broken, the file is parsed again without
    reading the store (read=False), and the store rebuilt."""
    from adjuvant_cli import cache, store  # sqlite3: only a dataset that needs the store imports it

    # One descriptor for the key and the bytes: whatever the path points to
    # meanwhile (a flipped symlink, a rename), the key describes what is read.
    bundled = path is None
    label = BUNDLED_LABEL if path is None else printable(path, 200)
    with opened(location, label, bundled) as handle:
        info = os.fstat(handle.fileno())
        key = cache.file_key(info, SCHEMA_VERSION)
        if read:
            stored = store.load(
                key, cache_dir, debug, lambda: _through_store(path, location, cache_dir, debug, read=False)
            )
            if stored is not None:
                return stored
        data = read_open(handle, label, bundled)
    dataset = _parse(label, decode(data, label))
    store.write(key, info, dataset, cache_dir, debug)
    return dataset


def for_lookup(dataset: Dataset, path: str | None) -> tuple[Dataset, PendingReview]:
    """The dataset (loaded from `path`) as a command that shows it may show
    it, and what is left to review in it. A placeholder never stands where
    the disclaimer should: the compact disclaimer falls back to the full
    text, and a dataset whose full text is a placeholder is refused
    (DatasetError)."""
    pending = dataset.pending_review()
    if not pending.placeholders:
        return dataset, pending
    disclaimer = dataset.disclaimer
    if disclaimer.text.startswith(PLACEHOLDER):
        label = BUNDLED_LABEL if path is None else printable(path, 200)
        raise DatasetError(
            label,
            [
                "disclaimer.text: a placeholder left by `adjuvant migrate` stands where the disclaimer "
                "should; write the disclaimer first (adjuvant validate lists every placeholder)"
            ],
        )
    if disclaimer.compact.startswith(PLACEHOLDER):
        dataset = dataset._replace(disclaimer=disclaimer._replace(compact=disclaimer.text))
    return dataset, pending


def _prebuilt(location: Path) -> Dataset | None:
    """The bundled dataset in its pre-validated form, while it matches the TOML."""
    from adjuvant_cli.dataset import prebuilt

    with opened(location, BUNDLED_LABEL, bundled=True) as handle:
        toml = read_open(handle, BUNDLED_LABEL, bundled=True)
    return prebuilt.load(location.with_name(prebuilt.NAME), toml)


def _parse(label: str, text: str) -> Dataset:
    from adjuvant_cli.dataset.building import parse_dataset  # only a cache miss builds

    return parse_dataset(text, label)
