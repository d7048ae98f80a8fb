"""The JSON output's contract (schema_version 2), pinned three ways:

- every command's real output validates against its JSON Schema in
  schemas/output/ (written by scripts/output_schemas.py, committed, checked fresh);
- golden files (tests/golden/) hold whole documents per command on a small
  invented dataset (tests/fixtures/small.toml), so that clinical fixes to the
  bundled dataset never churn them, and a few on the bundled one: a renamed,
  moved or retyped key fails here;
- the README's jq examples run with the system's jq (1.6 syntax) and print
  what the README shows: tests/test_docs_examples.py, with every other
  console example of the documents.

ADJUVANT_UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from scripts import output_schemas

from .conftest import REPO, flag

SCHEMAS = REPO / "schemas" / "output"
GOLDEN = Path(__file__).parent / "golden"
SMALL = "tests/fixtures/small.toml"


@cache
def validator(command: str) -> Any:
    schema = json.loads((SCHEMAS / f"{command}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def run_json(args: list[str], expect: tuple[int, ...] = (0,)) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code in expect, (args, result.exit_code, result.stderr)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def assert_valid(document: dict[str, Any]) -> None:
    errors = sorted(validator(document["command"]).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:5])


# --------------------------------------------------------------------------
# The schemas
# --------------------------------------------------------------------------


def test_the_committed_schemas_are_what_the_script_writes() -> None:
    for name, text in output_schemas.rendered().items():
        path = SCHEMAS / name
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run python scripts/output_schemas.py"
        )
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(output_schemas.rendered())


BUNDLED_RUNS = [
    ["list"],
    *(["show", name] for name in ("baclofen", "diazepam", "tizanidine", "tofisopam")),
    *(["show", name, "--corrections", "--sources"] for name in ("baclofen", "diazepam", "tofisopam")),
    *(["show", "tizanidine", "-s", s] for s in ("overview", "mechanism", "effects", "onset", "indications")),
    ["show", "diazepam", "-s", "onset", "-s", "corrections"],
    ["show", "gablofen"],
    ["show", "Sirdalud MR"],
    ["show", "tiza"],
    *(
        ["search", *q.split()]
        for q in ("spasticity", "MS", "back pain", "M54.5", "I63", "F10", "muscle relaxant", "seizures")
    ),
    ["search", "--all", "relaxant"],
    ["compare"],
    ["compare", "baclofen", "tizanidine"],
    ["compare", "diazepam", "tofisopam", "valium"],
    ["conditions"],
    ["conditions", "lumb"],
    ["conditions", "M54"],
    ["validate"],
]


@pytest.mark.parametrize("args", BUNDLED_RUNS, ids=" ".join)
def test_real_output_of_every_command_fits_its_schema(args: list[str]) -> None:
    document = run_json(args)
    assert document["command"] == args[0]
    assert_valid(document)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "delirium", "tremens"],
        ["search", "encephalitis"],  # a WHO title shown, nothing counted
        ["search", "zzzz"],
        ["search", "baclofen"],
        ["conditions", "zzzz"],
    ],
)
def test_outputs_that_find_nothing_fit_the_schema_too(args: list[str]) -> None:
    assert_valid(run_json(args, expect=(1,)))


def test_an_invalid_dataset_report_fits_the_schema(write_toml: Any) -> None:
    bad = write_toml("schema_version = 2\n[source]\ntitle = 3\n")
    document = run_json(["validate", bad], expect=(3,))
    assert document["result"]["valid"] is False and document["result"]["problems"]
    assert_valid(document)


def test_a_key_absent_where_it_must_be_present_is_refused() -> None:
    """The schemas are strict: a renamed key does not pass as an extra one."""
    document = run_json(["list"])
    drug = document["result"]["drugs"][0]
    drug["class"] = drug.pop("drug_class")
    with pytest.raises(jsonschema.ValidationError):
        validator("list").validate(document)


def test_show_carries_the_keys_of_the_selected_sections_only() -> None:
    document = run_json(["show", "baclofen", "-s", "effects"])
    assert_valid(document)
    assert set(document["result"]["drug"]) == {"drug_id", "name", "caveats", "effects", "actions"}
    document["result"]["drug"]["onset"] = []  # a section not selected
    with pytest.raises(jsonschema.ValidationError):
        validator("show").validate(document)


def test_list_carries_each_drugs_brands_as_show_does() -> None:
    # The list on a screen names the brands with their forms (Gablofen:
    # intrathecal); a script reading `list --json` must learn as much.
    listed = {d["drug_id"]: d["brands"] for d in run_json(["list", "--json"])["result"]["drugs"]}
    assert set(listed) == {"baclofen", "diazepam", "tizanidine", "tofisopam"}
    for drug_id, brands in listed.items():
        shown = run_json(["show", drug_id, "--json", "-s", "overview"])["result"]["drug"]["brands"]
        assert brands == shown, drug_id
    gablofen = next(b for b in listed["baclofen"] if b["name"] == "Gablofen")
    assert gablofen["forms"] == ["intrathecal injection"] and "micrograms" in gablofen["note"]


def test_the_same_key_has_one_type_across_commands() -> None:
    """`drugs`, `conditions`, `caveats`, the *_count keys: one type wherever they stand."""
    types: dict[str, set[str]] = {}

    def walk(value: Any, keyed_by_drug: bool = False) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if item is not None and not keyed_by_drug:
                    types.setdefault(key, set()).add(type(item).__name__)
                walk(item, key in ("values", "by_drug"))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for args in (
        ["list"],
        ["show", "diazepam", "--corrections"],
        ["search", "spasm"],
        ["compare"],
        ["conditions"],
    ):
        walk(run_json(args)["result"])
    # compare's `values` and `by_drug` are keyed by drug_id: their keys are ids, not names.
    mixed = {k: t for k, t in types.items() if len(t - {"int", "float"}) > 1}
    assert mixed == {}, mixed
    assert all(types[k] == {"int"} for k in types if k.endswith("_count"))


# --------------------------------------------------------------------------
# Golden files
# --------------------------------------------------------------------------

SMALL_RUNS = {
    "small-list": ["list"],
    "small-show": ["show", "alphalofen", "--corrections", "--sources"],
    "small-show-brand": ["show", "alphadrip"],
    "small-show-caveat": ["show", "betazepam", "-s", "effects", "-s", "onset"],
    "small-search": ["search", "spasm"],
    "small-search-umbrella": ["search", "back", "pain"],
    "small-search-code": ["search", "M54.5"],
    "small-compare": ["compare"],
    "small-conditions": ["conditions"],
    "small-validate": ["validate", SMALL],
}
BUNDLED_GOLDEN = {
    "bundled-list": ["list"],
    "bundled-show-overview": ["show", "tizanidine", "-s", "overview"],
    "bundled-conditions-lumbago": ["conditions", "lumbago"],
}


def golden_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def check_golden(name: str, document: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = golden_text(document)
    if flag("ADJUVANT_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with ADJUVANT_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"{name}: the output differs from {path.name} (ADJUVANT_UPDATE_GOLDEN=1 rewrites it)"
    )


@pytest.mark.parametrize("name", SMALL_RUNS)
def test_golden_documents_on_the_small_dataset(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # validate's report names the file as given
    args = SMALL_RUNS[name]
    document = run_json(["--data", SMALL, *args])
    assert_valid(document)
    check_golden(name, document)


@pytest.mark.parametrize("name", BUNDLED_GOLDEN)
def test_golden_documents_on_the_bundled_dataset(name: str) -> None:
    document = run_json(BUNDLED_GOLDEN[name])
    assert_valid(document)
    check_golden(name, document)


# `diff` compares two files: the small dataset and an edit of it; exit 1, they differ.
DIFF_GOLDEN = {"small-diff": ["diff", SMALL, "tests/fixtures/small-edited.toml"]}


@pytest.mark.parametrize("name", DIFF_GOLDEN)
def test_golden_documents_of_diff(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the document names the files as given
    document = run_json(DIFF_GOLDEN[name], expect=(1,))
    assert_valid(document)
    check_golden(name, document)


def test_every_golden_file_is_produced_by_a_test() -> None:
    produced = [*SMALL_RUNS, *BUNDLED_GOLDEN, *DIFF_GOLDEN]
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(produced)
