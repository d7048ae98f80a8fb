"""Loading a dataset for a command: from the cache while the file is unchanged,
else read, checked and built (and then cached); and `adjuvant validate`, which
always checks afresh."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from adjuvant_cli.dataset.reading import BUNDLED_LABEL, SCHEMA_VERSION, bundled_path, read_dataset_text
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.model import Dataset
from adjuvant_cli.text import printable


def load_dataset(path: str | None = None, *, use_cache: bool = True) -> Dataset:
    """The dataset at `path`, or the bundled one; raises DatasetError.

    A validated dataset is cached (see cache.py) and reused while the file is
    unchanged, which spares parsing and validating it on every run."""
    from adjuvant_cli import cache

    location = bundled_path() if path is None else Path(path)
    key = cache.file_key(location, SCHEMA_VERSION) if use_cache and location is not None else None
    if key is not None:
        cached = cache.load(key)
        if cached is not None:
            return cached
    from adjuvant_cli.dataset.building import parse_dataset  # only a cache miss builds

    label, text = read_dataset_text(path)
    dataset = parse_dataset(text, label)
    if key is not None:
        cache.store(key, dataset)
    return dataset


class ValidationReport(NamedTuple):
    """What `validate` found: every problem, or the size of a valid dataset."""

    dataset: str
    problems: tuple[str, ...]
    drug_count: int = 0
    condition_count: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_dataset(path: str | None = None) -> ValidationReport:
    """Check a dataset file (the bundled one without a path); never raises for bad data."""
    label = BUNDLED_LABEL if path is None else printable(path, 200)
    try:
        dataset = load_dataset(path, use_cache=False)  # validating is the point
    except DatasetError as error:
        return ValidationReport(label, error.problems)
    return ValidationReport(label, (), len(dataset.drugs), len(dataset.conditions))
