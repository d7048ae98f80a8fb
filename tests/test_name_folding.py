"""One folding of names (issue 19, item 6; redteam F10): `text.fold_name` is
the same-name check's, so that two names a reader cannot tell apart are one
name; the Latin look-alikes of other scripts come from a table generated from
Unicode's confusables data (scripts/lookalikes.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset
from adjuvant_cli.text import fold_name

from .conftest import REPO

Variant = Callable[[str, str], str]

SAME_NAME = [
    ("Vаlium", "Cyrillic а"),
    ("Vаlіum", "Cyrillic а and і"),
    ("VАLIUM", "Cyrillic capital А, in capitals"),
    ("Vαlium", "Greek α"),
    ("Valium\u2800", "Braille blank"),
    ("Valium\u2800\u2800", "two Braille blanks"),
    ("Valium\ufffc", "object replacement character"),
    ("Va\u0301lium", "a combining accent"),
    ("Ｖａｌｉｕｍ", "full-width letters"),
    ("Val\u00adium", "a soft hyphen"),
    ("  valium ", "case and spaces"),
]


@pytest.mark.parametrize(("name", "why"), SAME_NAME)
def test_names_a_reader_cannot_tell_apart_fold_alike(name: str, why: str) -> None:
    assert fold_name(name) == fold_name("Valium"), why


def test_different_names_stay_different() -> None:
    names = ["Valium", "Vallum", "Baclofen", "баклофен", "диазепам", "тизанидин", "тофизопам", "Grandaxin"]
    assert len({fold_name(n) for n in names}) == len(names)


def test_the_bundled_names_collide_with_nothing(dataset: Dataset) -> None:
    """Each folded name belongs to one drug only (the Russian names included)."""
    owners: dict[str, set[str]] = {}
    for drug in dataset.drugs:
        for name in drug.names:
            owners.setdefault(fold_name(name), set()).add(drug.id)
    assert all(len(ids) == 1 for ids in owners.values()), owners
    assert any(not name.isascii() for drug in dataset.drugs for name in drug.names)


@pytest.mark.parametrize("name", ["баклофен", "Диазепам", "тизанидин", "ТОФИЗОПАМ"])
def test_the_bundled_russian_names_still_resolve(runner: CliRunner, name: str) -> None:
    done = runner.invoke(app, ["show", name, "--json"])
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["result"]["drug"]["name"] in (
        "Baclofen",
        "Diazepam",
        "Tizanidine",
        "Tofisopam",
    )


@pytest.mark.parametrize(("name", "why"), SAME_NAME[:7])
def test_a_look_alike_of_another_drugs_name_is_refused(
    runner: CliRunner, variant: Variant, name: str, why: str
) -> None:
    path = variant('name = "Grandaxin"', f'name = "{name}"')  # a brand of tofisopam
    done = runner.invoke(app, ["validate", path])
    assert done.exit_code == 3, why
    assert 'is already a name of drug "diazepam"' in done.stdout, why


def test_a_look_alike_other_name_is_refused_too(runner: CliRunner, variant: Variant) -> None:
    path = variant('other_names = ["тофизопам"]', 'other_names = ["тофизопам", "Diаzepam"]')
    done = runner.invoke(app, ["validate", path])
    assert done.exit_code == 3
    assert 'is already a name of drug "diazepam"' in done.stdout


def test_the_lookalike_table_is_what_the_script_generates() -> None:
    pytest.importorskip("confusable_homoglyphs")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "lookalikes.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("args", [["show", "baclofen", "--json"], ["show", "баклофен"], ["search", "ms"]])
def test_lookups_never_read_the_lookalike_table(args: list[str], clean_env: dict[str, str]) -> None:
    from .test_startup import imported_by

    imported_by(args, clean_env)  # a first run parses and checks (names folded), then caches
    modules = imported_by(args, clean_env)
    assert "adjuvant_cli.dataset" in modules
    assert not {m for m in modules if m.startswith(("adjuvant_cli.lookalikes", "confusable_homoglyphs"))}
