"""Shared fixtures: the bundled dataset, a CLI runner, and helpers that write
variants of the dataset for the loader's error paths."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import adjuvant_cli
from adjuvant_cli.dataset import bundled_path, load_dataset, read_dataset_text, reading
from adjuvant_cli.model import Dataset
from adjuvant_cli.options import read_environment
from adjuvant_cli.text import parse_flag

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


# --------------------------------------------------------------------------
# The tests must test the code in this checkout
# --------------------------------------------------------------------------


def stale_files(source: Path, imported: Path, data: Path, bundled: Path | None) -> list[str]:
    """What differs in content between the checkout's package (`source`, and
    `data`, the dataset file) and the imported one (`imported`, and the dataset
    file it reads, `bundled`): changed, missing or extra .py files, and the data."""

    def modules(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.py")}

    ours, theirs = modules(source), modules(imported)
    found = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    if bundled is None or not bundled.is_file() or bundled.read_bytes() != data.read_bytes():
        found.append(f"the dataset ({data.name})")
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    """Fail fast when the imported adjuvant_cli is not the code in src/ and
    data/: a non-editable install made before the last change would be tested
    instead, whatever its version says. An editable install (pip install -e)
    imports src/ itself (the README, CONTRIBUTING.md and CI install so); a fresh
    non-editable build holds the same bytes until the next change."""
    source = REPO / "src" / "adjuvant_cli"
    if not source.is_dir():
        return  # not a checkout (e.g. tests run from elsewhere): nothing to compare with
    imported = Path(adjuvant_cli.__file__).resolve().parent
    stale = stale_files(source, imported, REPO / "data" / "monographs.toml", bundled_path())
    if stale:
        pytest.exit(
            f"the imported adjuvant_cli ({imported}) is not the code in this checkout: "
            f"{', '.join(stale)} differ. Reinstall it (pip install -e '.[test]') and run again.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


# Property tests: more examples in CI, where time is cheap; no per-example
# deadline (a CLI invocation's time varies with the machine's load).
settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def load_dataset_uncached() -> Dataset:
    return load_dataset(use_cache=False)


def whole(dataset: Dataset) -> Dataset:
    """`dataset` with every drug and name read (a stored dataset reads them on
    demand), to compare with one built in memory."""
    drugs = tuple(dataset.drugs)
    names = dict(dataset.name_index.items())
    by_id = {d.id: d for d in drugs}
    return dataset._replace(drugs=drugs, drugs_by_id=by_id, name_index=names, drug_index=None)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset_uncached()


@pytest.fixture(scope="session")
def bundled_text() -> str:
    return read_dataset_text(None)[1]


def under_shell(shell: str, argv: list[str]) -> list[str]:
    """`argv` run as a child of `shell`: Typer's --install-completion finds the
    shell to install for in the process tree (shellingham), not in $SHELL or
    its argument, so a test run started from sh would otherwise get "Shell sh
    is not supported". `; exit $?` keeps the shell from exec'ing the command."""
    return [shell, "-c", '"$@"; exit $?', argv[0], *argv]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_toml(tmp_path: Path) -> Callable[[str], str]:
    """Write TOML text to a fresh file and return its path as a string."""
    counter = iter(range(1_000_000))

    def write(text: str) -> str:
        path = tmp_path / f"dataset{next(counter)}.toml"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def variant(bundled_text: str, write_toml: Callable[[str], str]) -> Callable[[str, str], str]:
    """The bundled dataset (schema 2) with one exact substring replaced, written
    to a file: a variant differs from a valid schema-2 file by that one edit."""
    assert "\nschema_version = 2\n" in bundled_text, "the variants are edits of a schema-2 dataset"

    def make(old: str, new: str) -> str:
        assert old in bundled_text, f"fixture text not in the bundled dataset: {old!r}"
        return write_toml(bundled_text.replace(old, new, 1))

    return make


def load_as_a_run_does(path: str | None = None) -> Dataset:
    """`load_dataset` with the cache the environment names, as a command's run
    passes it (options.read_environment, then values)."""
    run = read_environment(os.environ)
    return load_dataset(path, cache_dir=run.cache_dir, debug=run.debug)


# The test suite's own switches, read as the program reads its flags.
TEST_FLAGS = ("ADJUVANT_REQUIRE_SHARED", "ADJUVANT_UPDATE_GOLDEN")


def flag(name: str) -> bool:
    """A switch of the test suite (TEST_FLAGS), read by the program's one flag
    parser: on or off, anything else stops the run rather than being guessed."""
    value = parse_flag(os.environ.get(name))
    if value is None:
        raise pytest.UsageError(f"{name} must be 1 or 0, true or false, yes or no, on or off")
    return value


def installed_adjuvant() -> str:
    """The console script of the environment running the tests."""
    script = Path(sys.executable).parent / "adjuvant"
    found = str(script) if script.exists() else shutil.which("adjuvant")
    assert found, "the adjuvant console script is not installed in this environment"
    return found


@pytest.fixture
def clean_env(private_cache: Path) -> Iterator[dict[str, str]]:
    """An environment for subprocess runs, free of the developer's own settings,
    with the test's private dataset cache."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADJUVANT_", "COLUMNS", "FORCE_COLOR", "NO_COLOR", "PAGER"))
    }
    env["PYTHONIOENCODING"] = "utf-8"
    env["ADJUVANT_CACHE_DIR"] = str(private_cache)
    yield env


@pytest.fixture
def unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A dataset file that cannot be opened. Tests may run as root, who can
    read anything whatever its mode, so the refusal is simulated."""
    locked = tmp_path / "locked.toml"
    locked.write_text("schema_version = 2\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reading, "open_descriptor", refuse)
    return locked


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own dataset cache, never the developer's ~/.cache."""
    directory = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("ADJUVANT_CACHE_DIR", str(directory))
    monkeypatch.delenv("ADJUVANT_NO_CACHE", raising=False)
    return directory


COMMAND_NAMES = ("list", "show", "search", "compare", "conditions", "validate")


def as_terminal(args: list[str]) -> list[str]:
    """`args` with `--format terminal` after the command's name, unless a
    format is given: tests of the terminal layout run without a terminal,
    where the default format would be plain records."""
    if any(a in ("--json", "--format", "-f") or a.startswith("--format=") for a in args):
        return args
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg in COMMAND_NAMES and (i == 0 or args[i - 1] not in ("--data", "--color")):
            return [*args[: i + 1], "--format", "terminal", *args[i + 1 :]]
    return args


def icd10_codes(letters: str, low: int, high: int) -> st.SearchStrategy[str]:
    """ICD-10-shaped codes of a few categories (`letters`, numbers low to high),
    with or without a subcategory: few enough that nesting and overlap are common."""
    return st.builds(
        lambda letter, number, sub: f"{letter}{number:02d}" + (f".{sub}" if sub is not None else ""),
        st.sampled_from(letters),
        st.integers(low, high),
        st.one_of(st.none(), st.integers(0, 9)),
    )


def icd10_ranges(codes: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Ranges between two of `codes`, low end first."""
    return st.builds(lambda a, b: f"{min(a, b)}-{max(a, b)}", codes, codes)
