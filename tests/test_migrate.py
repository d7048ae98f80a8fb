"""`adjuvant migrate OLD NEW`: a version 1 file becomes a version 2 file that
loads, with every guess marked for review, and --strict failing until done."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from adjuvant_cli.cli import app

VERSION_1 = """\
schema_version = 1

[source]
title = "A formulary"
publisher = "A publisher"
last_reviewed = 2025-07-08
nature = "A summary of the leaflets."

[disclaimer]
text = "For information only."

[[effects]]
id = "muscle-relaxant"
label = "Central muscle relaxant"

[[conditions]]
id = "spasticity"
label = "Spasticity"

[[conditions]]
id = "multiple-sclerosis"
label = "Multiple sclerosis"
abbreviations = ["MS"]
icd10 = ["G35"]

[[drugs]]
id = "baclofen"
name = "Baclofen"
drug_class = "Centrally acting muscle relaxant"
atc = "M03BX01"
forms = ["tablets"]
brand_names = ["Lioresal"]
mechanism = ["A GABA-B receptor agonist."]
actions = ["Relieves painful spasms."]
onset = ["Works within days."]
caveats = ["A caveat."]
effects = ["muscle-relaxant"]

[[drugs.indications]]
group = "Spasticity"
text = "Spasticity in multiple sclerosis"
route = "oral"
conditions = ["spasticity", "multiple-sclerosis"]

[[drugs.indications]]
group = "Spasticity"
text = "Spasticity in multiple sclerosis"
conditions = ["spasticity"]

[[drugs.corrections]]
original = "spastisity"
corrected = "spasticity"
"""


def _migrate(runner: CliRunner, tmp_path: Path) -> Path:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    done = runner.invoke(app, ["migrate", str(old), str(new)])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"wrote {new}; review every line marked REVIEW")
    return new


def test_a_version_1_file_is_refused_then_migrated_and_loads(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    refused = runner.invoke(app, ["--data", str(old), "list"])
    assert refused.exit_code == 3 and "schema_version: 1 is the old format" in refused.stderr
    new = _migrate(runner, tmp_path)
    shown = runner.invoke(app, ["--data", str(new), "show", "baclofen", "--json"])
    assert shown.exit_code == 0, shown.output
    drug = json.loads(shown.stdout)["result"]["drug"]
    assert drug["name"] == "Baclofen"


def test_every_link_is_an_unreviewed_target_and_strict_fails(runner: CliRunner, tmp_path: Path) -> None:
    new = _migrate(runner, tmp_path)
    text = new.read_text(encoding="utf-8")
    assert text.count('role = "target", reviewed = false') == 3
    assert "# REVIEW (adjuvant migrate): version 1 links had no role" in text
    done = runner.invoke(app, ["validate", "--json", str(new)])
    assert done.exit_code == 0, done.stdout  # warnings only
    problems = json.loads(done.stdout)["result"]["problems"]
    codes = [p["code"] for p in problems]
    assert codes.count("unreviewed-link") == 3
    assert {p["field"] for p in problems if p["code"] == "placeholder"} == {
        "source.scope",
        "disclaimer.compact",
        'condition "spasticity" no_code_reason',
    }
    assert runner.invoke(app, ["validate", "--strict", str(new)]).exit_code == 3


def test_reviewing_everything_makes_strict_pass(runner: CliRunner, tmp_path: Path) -> None:
    new = _migrate(runner, tmp_path)
    text = new.read_text(encoding="utf-8").replace(", reviewed = false", "")
    lines = [
        f'{line.split(" = ")[0]} = "Written by a person."'
        if "REVIEW (adjuvant migrate): " in line and not line.startswith("#")
        else line
        for line in text.splitlines()
    ]
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = runner.invoke(app, ["validate", "--strict", str(new)])
    assert done.exit_code == 0, done.stdout


def test_each_change_is_explained(runner: CliRunner, tmp_path: Path) -> None:
    text = _migrate(runner, tmp_path).read_text(encoding="utf-8")
    assert text.startswith("#:schema ./adjuvant-dataset-2.schema.json\n")
    for explained in (
        "brand_names became [[drugs.brands]]",
        "the locator is a placeholder (statement 1",
        "the locator is a placeholder (indication 2",
        "caveat strings became tables",
        "`treats` is new",
        "corrections now have an id",
        'id = "baclofen-spasticity-in-multiple-sclerosis-2"  # generated from the text',
        # FACTS §4c: a member code no longer counts unless the coded condition covers it
        "no longer counts its statements",
        "# covers = true",
    ):
        assert explained in text
    assert "[[drugs.onset]]" in text and "[[drugs.actions]]" in text


def test_migrate_refuses_to_overwrite_and_refuses_version_2(runner: CliRunner, tmp_path: Path) -> None:
    new = _migrate(runner, tmp_path)
    before = new.read_text(encoding="utf-8")
    again = runner.invoke(app, ["migrate", str(tmp_path / "old.toml"), str(new)])
    assert again.exit_code == 2 and "exists" in again.stderr
    assert new.read_text(encoding="utf-8") == before
    twice = runner.invoke(app, ["migrate", str(new), str(tmp_path / "newer.toml")])
    assert twice.exit_code == 3
    assert "is not a version 1 dataset" in twice.stderr
    assert not (tmp_path / "newer.toml").exists()
