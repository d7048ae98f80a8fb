"""Fuzzing stays in the suite (issue 13): mutated valid datasets through every
command and format, first run and cached; and arbitrary argv and environment.

Marked `slow`: the default run leaves them out, CI runs them. The number of
examples is small in CI, so that both take under a minute together; set
ADJUVANT_FUZZ_EXAMPLES for a longer run on your machine:

    ADJUVANT_FUZZ_EXAMPLES=2000 python -m pytest -m slow tests/test_fuzz.py

Both run the CLI in-process (CliRunner), through the one error boundary a real
run goes through; the real-process cases of the same boundary are in
test_streams.py and test_hostile.py.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from adjuvant_cli import cache
from adjuvant_cli.cli import app
from adjuvant_cli.dataset import load_dataset
from adjuvant_cli.errors import DatasetError, ExitCode
from adjuvant_cli.model import Dataset
from adjuvant_cli.text import parse_flag

pytestmark = pytest.mark.slow  # deselected by default; CI runs it

EXAMPLES = int(os.environ.get("ADJUVANT_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    max_examples=EXAMPLES or 15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ARGV_FUZZ = settings(FUZZ, max_examples=EXAMPLES or 150)

FORMATS = [[], ["--json"], ["-f", "markdown"]]
SGR = re.compile(r"\x1b\[[0-9;]*m")
DOCUMENTED = {int(code) for code in ExitCode}


# --------------------------------------------------------------------------
# TOML out of the parsed document (the test extra has no TOML writer)
# --------------------------------------------------------------------------


def _string(text: str) -> str:
    def escape(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\u{ord(char):04x}"
        return char

    return '"' + "".join(map(escape, text)) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def to_toml(document: dict[str, Any]) -> str:
    return "".join(f"{_string(key)} = {_value(value)}\n" for key, value in document.items())


# --------------------------------------------------------------------------
# Mutations of the bundled dataset
# --------------------------------------------------------------------------

HOSTILE_TEXT = [
    "[bold red]x[/]",
    "*_`#|<b>&amp;",
    "a\nb",
    "\t",
    "Val\u00adium",
    "x" * 250,
    "é" * 10,
    "тизанидин",
    "١٢٣",
    "\U0001f48a",
    "-",
    "--json",
    " ",
]


# Fields of prose and names, where any text is valid (or refused one line
# at a time): most edits there keep the dataset valid, so the renderers see it.
PROSE = {
    "text", "label", "name", "note", "group", "treats", "drug_class", "title", "scope", "nature",
    "publisher", "reading", "why", "corrected", "original", "context", "route", "contraindication",
    "no_code_reason", "synonyms", "qualifiers", "forms", "other_names", "notes", "abbreviations",
}  # fmt: skip

Path_ = tuple[Any, ...]


def places(node: Any, path: Path_ = ()) -> list[Path_]:
    """Every place in the parsed document, as a path of keys and indices."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*path, index))
    return found


def _prose(path: Path_) -> bool:
    named = [step for step in path if isinstance(step, str)]
    return bool(named) and named[-1] in PROSE


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], everywhere: list[Path_]) -> dict[str, Any]:
    """The bundled dataset with one to three edits: a list emptied, cut to one
    item or with an item doubled, a key dropped, a string replaced (mostly
    prose or names, so that most results still validate)."""
    document: dict[str, Any] = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["text", "text", "text", "empty", "one", "double", "drop"]))
        if kind == "text":
            candidates = [p for p in everywhere if _prose(p) and isinstance(_at(base, p), str)]
        elif kind == "drop":
            candidates = [p for p in everywhere if p and isinstance(p[-1], str)]
        else:
            candidates = [p for p in everywhere if p and isinstance(_at(base, p), list)]
        path = draw(st.sampled_from(candidates))
        try:
            parent, node = _at(document, path[:-1]), _at(document, path)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed it
        key = path[-1]
        if kind == "text" and isinstance(node, str):
            parent[key] = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(min_size=1, max_size=30)))
        elif kind == "drop":
            del parent[key]
        elif isinstance(node, list) and kind == "empty":
            parent[key] = []
        elif isinstance(node, list) and kind == "one":
            parent[key] = node[:1]
        elif isinstance(node, list) and node:
            parent[key] = [*node, node[-1]]
    return document


def _at(document: Any, path: Path_) -> Any:
    for step in path:
        document = document[step]
    return document


# --------------------------------------------------------------------------
# Every command, every format, first run and cached
# --------------------------------------------------------------------------


def commands(dataset: Dataset) -> list[list[str]]:
    drug = dataset.drugs[0]
    found = [
        ["list"],
        ["show", drug.id],
        ["show", drug.name, "--corrections", "--sources"],
        ["search", dataset.conditions[0].label],
        ["search", "spasm", "--all"],
        ["compare"],
        ["conditions"],
    ]
    if len(dataset.drugs) > 1:
        found.append(["compare", drug.id, dataset.drugs[-1].id])
    return found


def invoke(args: list[str], env: dict[str, str]) -> Result:
    return CliRunner().invoke(app, args, env={"COLUMNS": "100", **env})


def assert_no_internal_error(result: Result, args: list[str]) -> None:
    assert result.exit_code in DOCUMENTED - {ExitCode.INTERNAL}, (args, result.stderr)
    assert "This is a bug" not in result.stderr, (args, result.stderr)
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def base(bundled_text: str) -> tuple[dict[str, Any], list[Path_]]:
    """The bundled dataset parsed, and every place in it."""
    parsed: dict[str, Any] = tomli.loads(bundled_text)
    return parsed, places(parsed)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@given(data=st.data())
@FUZZ
def test_a_dataset_that_validates_renders_everywhere_the_same_first_and_cached(
    data: st.DataObject,
    base: tuple[dict[str, Any], list[Path_]],
    fuzz_dir: Path,
    private_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = data.draw(mutated(*base))
    path = fuzz_dir / "mutated.toml"
    path.write_text(to_toml(document), encoding="utf-8")
    try:
        dataset = load_dataset(str(path), use_cache=False)
    except DatasetError:
        event("refused")
        # Refused: every command says so in one line and exits 3.
        result = invoke(["--data", str(path), "list"], {})
        assert result.exit_code == ExitCode.BAD_DATA, result.stderr
        assert len(result.stderr.splitlines()) == 1
        return
    event("validates")
    monkeypatch.setattr(cache, "RACY_NS", 0)  # cache a file written a moment ago
    runs = [[*command, *fmt] for command in commands(dataset) for fmt in FORMATS]
    first = {}
    for args in runs:
        result = invoke(["--data", str(path), *args], {"ADJUVANT_NO_CACHE": "1"})
        assert_no_internal_error(result, args)
        first[tuple(args)] = (result.exit_code, result.stdout, result.stderr)
    invoke(["--data", str(path), "list"], {})  # fills the cache
    assert list(private_cache.glob("*.sqlite")), "the mutated dataset was not cached"
    for args in runs:
        result = invoke(["--data", str(path), *args], {})
        assert (result.exit_code, result.stdout, result.stderr) == first[tuple(args)], args
    for entry in private_cache.glob("*.sqlite"):
        entry.unlink()  # the next example's file has the same inode: start clean


# --------------------------------------------------------------------------
# argv and environment
# --------------------------------------------------------------------------

WORDS = [
    "show",
    "search",
    "compare",
    "conditions",
    "list",
    "validate",
    "baclofen",
    "Valium",
    "tiza",
    "spasm",
    "M54.5",
    "--json",
    "-f",
    "--format",
    "markdown",
    "terminal",
    "json",
    "xml",
    "-s",
    "--section",
    "overview",
    "--all",
    "--no-pager",
    "--corrections",
    "--sources",
    "--",
    "-",
    "--data",
    "--help",
    "--version",
    "",
    " ",
]
ENVIRONMENT = ["ADJUVANT_NO_CACHE", "ADJUVANT_DEBUG", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM"]
ENV_VALUES = ["", "0", "1", "yes", "true", "no", "on", "off", "2", "-1", "1e9", "99999999999", "dumb", "x\ny"]


def argument() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(WORDS), st.text(max_size=20))


@given(
    argv=st.lists(argument(), max_size=6),
    environ=st.dictionaries(
        st.sampled_from(ENVIRONMENT), st.one_of(st.sampled_from(ENV_VALUES), st.text(max_size=8)), max_size=3
    ),
)
@ARGV_FUZZ
def test_any_argv_and_environment_gets_an_answer_or_one_line(
    argv: list[str], environ: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if any("\x00" in value for value in environ.values()):
        return  # an environment cannot hold NUL
    if any(arg.startswith(("--install", "--show-completion")) for arg in argv):
        return  # writes into HOME; its failures are tested in test_streams.py
    if parse_flag(environ.get("ADJUVANT_DEBUG")):
        return  # debug mode shows tracebacks on purpose
    result = CliRunner().invoke(app, argv, env=environ)
    assert result.exit_code in DOCUMENTED - {ExitCode.INTERNAL}, (argv, environ, result.stderr)
    assert "Traceback" not in result.stderr and "This is a bug" not in result.stderr
    if not result.stderr.startswith("Usage:"):  # no arguments at all: the help itself
        assert len(result.stderr.splitlines()) <= 1, result.stderr
    assert "\x1b" not in SGR.sub("", result.stdout), "only our own styling reaches the terminal"
    if "--json" in argv and result.exit_code in (0, 1) and result.stdout.startswith("{"):
        result.stdout.encode("utf-8")  # valid UTF-8: no lone surrogate
        json.loads(result.stdout)
