"""Review state is part of what a lookup says (issue 19, item 1; ux F5).

A link with `reviewed = false` (what `adjuvant migrate` writes) is never put
under a heading that states a role: search, compare and conditions say
"Named; role not reviewed", show marks it, JSON carries `reviewed`. A run on
such a dataset says so in one line on stderr, and a placeholder never stands
where the disclaimer should."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO, installed_adjuvant
from .test_migrate import VERSION_1

SMALL = (REPO / "tests" / "fixtures" / "small.toml").read_text(encoding="utf-8")
ROLE_HEADINGS = ("Indicated for it", "Named as the setting", "Treated:", "Settings:", "Examples:")


@pytest.fixture
def migrated(runner: CliRunner, tmp_path: Path) -> Path:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    assert runner.invoke(app, ["migrate", str(old), str(new)]).exit_code == 0
    return new


@pytest.fixture
def unreviewed_setting(tmp_path: Path) -> Path:
    """The small fixture with one link left unreviewed: multiple sclerosis, a
    setting of alphalofen's spasticity indication."""
    path = tmp_path / "unreviewed.toml"
    old = '{ condition = "multiple-sclerosis", role = "setting" }'
    assert old in SMALL
    path.write_text(SMALL.replace(old, old[:-2] + ", reviewed = false }"), encoding="utf-8")
    return path


def test_search_puts_an_unreviewed_link_under_no_role(runner: CliRunner, migrated: Path) -> None:
    """The audit's case: `search MS` listed baclofen under "Indicated for it"."""
    done = runner.invoke(app, ["--data", str(migrated), "search", "MS", "-f", "terminal"])
    assert done.exit_code == 0  # named: a hit all the same
    assert "Named; role not reviewed\n" in done.stdout
    assert "Multiple sclerosis — named; role not reviewed" in done.stdout  # on the hit, always shown
    assert "treated:" not in done.stdout  # the hit's role line says no role either
    assert not any(heading in done.stdout for heading in ROLE_HEADINGS)
    hit = json.loads(runner.invoke(app, ["--data", str(migrated), "search", "MS", "--json"]).stdout)["result"]
    assert [h["tier"] for h in hit["hits"]] == ["unreviewed"]
    assert hit["hits"][0]["reasons"][0]["reviewed"] is False
    assert {link["reviewed"] for link in hit["hits"][0]["links"]} == {False}


def test_a_reviewed_link_keeps_its_tier(runner: CliRunner, unreviewed_setting: Path) -> None:
    done = runner.invoke(app, ["--data", str(unreviewed_setting), "search", "spasticity", "--json"])
    tiers = {h["indication_id"]: h["tier"] for h in json.loads(done.stdout)["result"]["hits"]}
    assert tiers["alphalofen-spasticity"] == "target"  # its target link is reviewed
    ms = runner.invoke(app, ["--data", str(unreviewed_setting), "search", "multiple", "sclerosis", "--json"])
    tiers = {h["indication_id"]: h["tier"] for h in json.loads(ms.stdout)["result"]["hits"]}
    assert tiers["alphalofen-spasticity"] == "unreviewed"  # was "setting"


def test_compare_says_the_role_is_not_reviewed(runner: CliRunner, unreviewed_setting: Path) -> None:
    done = runner.invoke(app, ["--data", str(unreviewed_setting), "compare", "--json"])
    rows = json.loads(done.stdout)["result"]["condition_groups"]
    ms = next(r for g in rows.values() for r in g if r["condition_id"] == "multiple-sclerosis")
    cell = ms["by_drug"]["alphalofen"]
    assert cell["reviewed"] is False
    assert cell["text"].startswith("named in Spasticity; role not reviewed")
    # and the target beside it no longer says it is treated "in" an unreviewed setting
    spasticity = next(r for g in rows.values() for r in g if r["condition_id"] == "spasticity")
    assert spasticity["by_drug"]["alphalofen"]["text"] == "treated"


def test_conditions_says_the_role_is_not_reviewed(runner: CliRunner, unreviewed_setting: Path) -> None:
    done = runner.invoke(app, ["--data", str(unreviewed_setting), "conditions", "multiple", "-f", "plain"])
    assert "Alphalofen (named in Spasticity; role not reviewed)" in done.stdout
    as_json = runner.invoke(app, ["--data", str(unreviewed_setting), "conditions", "--json"])
    uses = {
        (c["condition_id"], u["drug_id"]): u["reviewed"]
        for c in json.loads(as_json.stdout)["result"]["conditions"]
        for u in c["uses"]
    }
    assert uses[("multiple-sclerosis", "alphalofen")] is False
    assert uses[("spasticity", "alphalofen")] is True


def test_show_marks_an_unreviewed_link(runner: CliRunner, unreviewed_setting: Path) -> None:
    done = runner.invoke(
        app, ["--data", str(unreviewed_setting), "show", "alphalofen", "-s", "indications", "-f", "plain"]
    )
    assert "Treated: Spasticity · Named; role not reviewed: Multiple sclerosis" in " ".join(
        done.stdout.split()
    )
    as_json = runner.invoke(app, ["--data", str(unreviewed_setting), "show", "alphalofen", "--json"])
    indication = json.loads(as_json.stdout)["result"]["drug"]["indications"][0]
    assert [(k["condition_id"], k["reviewed"]) for k in indication["links"]] == [
        ("spasticity", True),
        ("multiple-sclerosis", False),
    ]


def test_the_brief_view_keeps_the_unreviewed_marker(runner: CliRunner, unreviewed_setting: Path) -> None:
    """On a terminal `show` opens on one bullet per indication: the marker stays on
    it even where the indication's own words name the condition."""
    done = runner.invoke(app, ["--data", str(unreviewed_setting), "show", "alphalofen", "-f", "terminal"])
    assert "named; role not reviewed: Multiple sclerosis" in " ".join(done.stdout.split())


def test_one_line_on_stderr_names_what_is_unreviewed_and_the_command(
    migrated: Path, clean_env: dict[str, str]
) -> None:
    for args in (["show", "baclofen"], ["search", "MS"], ["list", "--json"]):
        done = subprocess.run(
            [installed_adjuvant(), "--data", str(migrated), *args],
            env=clean_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == (
            "adjuvant: this dataset has 3 links whose role is not reviewed (shown as not reviewed) and "
            f"3 placeholders left by adjuvant migrate; 'adjuvant validate {migrated}' lists them\n"
        )


@pytest.mark.parametrize("data", [None, "tests/fixtures/small.toml"])
def test_a_reviewed_dataset_says_nothing_on_stderr(runner: CliRunner, data: str | None) -> None:
    prefix = ["--data", str(REPO / data)] if data else []
    done = runner.invoke(app, [*prefix, "list"])
    assert done.exit_code == 0 and done.stderr == ""


def test_the_full_disclaimer_stands_where_the_compact_placeholder_is(
    runner: CliRunner, migrated: Path
) -> None:
    """The audit's case: `show baclofen` ended with the REVIEW placeholder."""
    for fmt in ("terminal", "plain", "markdown"):
        done = runner.invoke(app, ["--data", str(migrated), "show", "baclofen", "-f", fmt])
        assert "REVIEW (adjuvant migrate): write the disclaimer" not in done.stdout, fmt
        assert "For information only." in " ".join(done.stdout.split()), fmt  # wrapped on a terminal
    disclaimer = json.loads(
        runner.invoke(app, ["--data", str(migrated), "show", "baclofen", "--json"]).stdout
    )["disclaimer"]
    assert disclaimer == {"text": "For information only.", "compact": "For information only."}


def test_a_placeholder_disclaimer_text_is_refused(runner: CliRunner, migrated: Path) -> None:
    text = migrated.read_text(encoding="utf-8").replace(
        'text = "For information only."', 'text = "REVIEW (adjuvant migrate): write it."'
    )
    migrated.write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["--data", str(migrated), "show", "baclofen"])
    assert done.exit_code == 3 and done.stdout == ""
    assert (
        "disclaimer.text: a placeholder left by `adjuvant migrate` stands where the disclaimer" in done.stderr
    )
    assert len(done.stderr.splitlines()) == 1
