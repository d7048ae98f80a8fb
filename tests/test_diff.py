"""`adjuvant diff OLD NEW` (issue 19, item 2): what changed between two
datasets, clinically. Items are matched by id; order and comments are not
changes. Exit 0 same, 1 differ, 3 either invalid, 2 usage.

The edits are made to tests/fixtures/small.toml (invented drugs); the
expected changes are written from the edit, never from the output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.dataset import load_dataset
from adjuvant_cli.diff import Change, DatasetDiff, Step, diff_datasets

from .conftest import REPO
from .test_markdown import lint

SMALL = REPO / "tests" / "fixtures" / "small.toml"
EDITED = REPO / "tests" / "fixtures" / "small-edited.toml"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")


def _edited(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = SMALL_TEXT
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _diff(tmp_path: Path, *edits: tuple[str, str]) -> DatasetDiff:
    new = _edited(tmp_path, *edits)
    return diff_datasets(load_dataset(str(SMALL)), load_dataset(str(new)), "old", "new")


def _said(change: Change) -> tuple[str, tuple[str, ...], str | None]:
    return change.kind, tuple(f"{s.kind}:{s.key}" if s.key else s.kind for s in change.where), change.field


ALPHA = "drug:alphalofen"
BETA = "drug:betazepam"
# Each edit of a field the issue lists, and the one change it must give.
FIELD_EDITS = [
    (
        'drug_class = "Centrally acting muscle relaxant"',
        'drug_class = "A muscle relaxant"',
        (ALPHA,),
        "drug_class",
    ),
    ('atc = "M03BX99"', 'atc = "M03BX98"', (ALPHA,), "atc"),
    ('forms = ["tablets"]\nother', 'forms = ["tablets", "syrup"]\nother', (ALPHA,), "forms"),
    ('other_names = ["альфалофен"]', 'other_names = ["альфалофен", "alfalofen"]', (ALPHA,), "other_names"),
    (
        'effects = ["muscle-relaxant"]\n\n[[drugs.brands]]',
        "effects = []\n\n[[drugs.brands]]",
        (ALPHA,),
        "effects",
    ),
    (
        'forms = ["intrathecal injection"]',
        'forms = ["intrathecal injection", "pump"]',
        (ALPHA, "brand:Alphadrip"),
        "forms",
    ),
    ('note = "Intrathecal only."', 'note = "Intrathecal use only."', (ALPHA, "brand:Alphadrip"), "note"),
    (
        'treats = "Spasticity"',
        'treats = "Spasticity of the limbs"',
        (ALPHA, "indication:alphalofen-spasticity"),
        "treats",
    ),
    ('route = "parenteral"', 'route = "intramuscular"', (BETA, "indication:betazepam-spasm"), "route"),
    (
        'qualifiers = ["as part of complex therapy"]',
        'qualifiers = ["alone"]',
        (ALPHA, "indication:alphalofen-back"),
        "qualifiers",
    ),
    (
        '{ condition = "vertebral-syndrome", role = "setting" }',
        '{ condition = "vertebral-syndrome", role = "target" }',
        (ALPHA, "indication:alphalofen-back", "link:vertebral-syndrome"),
        "role",
    ),
    (
        '{ condition = "low-back-pain", role = "example" }',
        '{ condition = "low-back-pain", role = "example", reviewed = false }',
        (ALPHA, "indication:alphalofen-back", "link:low-back-pain"),
        "reviewed",
    ),
    (
        'source = "alphalofen/action/1.1"',
        'source = "alphalofen/action/1.3"',
        (ALPHA, "mechanism:Inhibits polysynaptic reflexes."),
        "source",
    ),
    (
        'context = "in anxiety"',
        'context = "in chronic anxiety"',
        (BETA, "onset:The effect develops within days."),
        "context",
    ),
    (
        'effects = ["muscle-relaxant"]\nsource = "betazepam/action/1"',
        'effects = []\nsource = "betazepam/action/1"',
        (BETA, "caveat:betazepam-relaxant"),
        "effects",
    ),
    (
        'corrected = "lumbago"',
        'corrected = "lumbago (low back pain)"',
        (ALPHA, "correction:alphalofen-lumbago"),
        "corrected",
    ),
    (
        'reading = "Spasms of spasticity, not seizures."',
        'reading = "Spasms of spasticity."',
        (ALPHA, "reading:alphalofen-spasms"),
        "reading",
    ),
    ('icd10 = ["M54.5"]', 'icd10 = ["M54.5", "M54.4"]', ("condition:low-back-pain",), "icd10"),
    ('broader = ["vertebral-syndrome"]', "broader = []", ("condition:low-back-pain",), "broader"),
    (
        'synonyms = ["lumbago"]',
        'synonyms = ["lumbago", "lumbar pain"]',
        ("condition:low-back-pain",),
        "synonyms",
    ),
    (
        'reaches = ["vertebral-syndrome"]',
        'reaches = ["vertebral-syndrome", "anxiety"]',
        ("umbrella:back-pain",),
        "reaches",
    ),
    ('title = "A fixture article"', 'title = "A fixture article, 2nd edition"', ("source",), "title"),
    ("The fixture gives forms,", "The fixture gives only forms,", ("source",), "scope"),
    ("Read the official leaflet.", "Read the leaflet.", ("disclaimer",), "text"),
    ('label = "Anxiolytic"', 'label = "Anxiety-relieving"', ("effect:anxiolytic",), "label"),
]


@pytest.mark.parametrize(("old", "new", "where", "field"), FIELD_EDITS, ids=lambda v: str(v)[:30])
def test_each_field_a_maintainer_reviews_is_compared(
    tmp_path: Path, old: str, new: str, where: tuple[str, ...], field: str
) -> None:
    result = _diff(tmp_path, (old, new))
    assert [_said(c) for c in result.changes] == [("changed", where, field)]


def test_a_changed_id_is_a_removal_and_an_addition(tmp_path: Path) -> None:
    result = _diff(tmp_path, ('id = "betazepam-anxiety"', 'id = "betazepam-worry"'))
    assert [_said(c) for c in result.changes] == [
        ("removed", (BETA, "indication:betazepam-anxiety"), None),
        ("added", (BETA, "indication:betazepam-worry"), None),
    ]
    assert result.changes[0].old == result.changes[1].new == "Anxiety in low back pain"


def test_a_changed_statement_text_is_a_removal_and_an_addition(tmp_path: Path) -> None:
    result = _diff(tmp_path, ("Inhibits polysynaptic reflexes.", "Inhibits mono- and polysynaptic reflexes."))
    assert [c.kind for c in result.changes] == ["removed", "added"]


def test_order_comments_and_list_order_are_not_changes(tmp_path: Path) -> None:
    head, _, drugs = SMALL_TEXT.partition('[[drugs]]\nid = "alphalofen"')
    alpha, _, beta = drugs.partition('[[drugs]]\nid = "betazepam"')
    reordered = (
        "# another comment\n"
        + head
        + '[[drugs]]\nid = "betazepam"'
        + beta.rstrip("\n")
        + '\n\n[[drugs]]\nid = "alphalofen"'
        + alpha
    ).replace('forms = ["tablets", "injection"]', 'forms = ["injection", "tablets"]  # reordered')
    path = tmp_path / "reordered.toml"
    path.write_text(reordered, encoding="utf-8")
    assert reordered != SMALL_TEXT
    result = diff_datasets(load_dataset(str(SMALL)), load_dataset(str(path)), "old", "new")
    assert result.same and result.changes == ()


def test_a_new_model_field_is_compared_without_a_change_here() -> None:
    """Every field of a record is compared: the walk reads the model's fields."""
    from adjuvant_cli.diff import _compare_records
    from adjuvant_cli.model import Brand

    changes: list[Change] = []
    _compare_records((Step("brand", "x"),), Brand("x", ("a",), None), Brand("x", ("a",), "new note"), changes)
    assert [c.field for c in changes] == ["note"]


# --- through the CLI ------------------------------------------------------


def test_the_edited_fixture_as_a_terminal_shows_it(runner: CliRunner) -> None:
    done = runner.invoke(app, ["diff", "-f", "terminal", str(SMALL), str(EDITED)], env={"COLUMNS": "300"})
    assert done.exit_code == 1, done.stderr
    assert done.stdout.splitlines() == [
        f"{SMALL} → {EDITED}: 10 changes",
        "",
        "Drug alphalofen",
        "  ~ atc: M03BX99 → M03BX98",
        "  ~ indication alphalofen-spasticity › link multiple-sclerosis: role: setting → target",
        "  ~ indication alphalofen-spasticity › link multiple-sclerosis: reviewed: yes → no",
        "  - removed: brand Alphatab",
        "  + added: brand Alphacap",
        "",
        "Drug betazepam",
        "  - removed: indication betazepam-anxiety “Anxiety in low back pain”",
        "  + added: indication betazepam-anxiety-in-back-pain “Anxiety in low back pain”",
        "",
        "Condition low-back-pain",
        "  ~ synonyms: lumbago → lumbago; lumbar pain",
        "",
        "Umbrella back-pain",
        "  ~ reaches: vertebral-syndrome → vertebral-syndrome; low-back-pain",
        "",
        "Source",
        "  ~ scope: The fixture gives forms, action and indications only. The absence of a statement is "
        "not the absence of a risk. → The fixture gives forms, action, onset and indications only. "
        "The absence of a statement is not the absence of a risk.",
    ]


def test_plain_is_one_record_per_change(runner: CliRunner) -> None:
    done = runner.invoke(app, ["diff", str(SMALL), str(EDITED)])
    assert done.exit_code == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "# change\twhere\tfield\told\tnew"  # the header is a comment, as in every piped table
    where = "drug alphalofen › indication alphalofen-spasticity › link multiple-sclerosis"
    assert lines[2] == f"changed\t{where}\trole\tsetting\ttarget"
    assert all(line.count("\t") == 4 for line in lines) and len(lines) == 11


def test_markdown_is_a_change_note_that_lints(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["diff", "-f", "markdown", str(SMALL), str(EDITED)])
    assert done.exit_code == 1
    assert "## Drug alphalofen\n\n- atc: M03BX99 → M03BX98\n" in done.stdout
    assert "- removed: brand Alphatab\n- added: brand Alphacap\n" in done.stdout
    assert lint(done.stdout, tmp_path) == []


def test_json_lists_each_change_with_where_it_is(runner: CliRunner) -> None:
    done = runner.invoke(app, ["diff", "--json", str(SMALL), str(EDITED)])
    assert done.exit_code == 1
    result = json.loads(done.stdout)["result"]
    assert (result["same"], result["change_count"]) == (False, 10)
    assert result["changes"][2] == {
        "change": "changed",
        "where": [
            {"kind": "drug", "key": "alphalofen"},
            {"kind": "indication", "key": "alphalofen-spasticity"},
            {"kind": "link", "key": "multiple-sclerosis"},
        ],
        "field": "reviewed",
        "old": True,
        "new": False,
    }


def test_the_same_dataset_is_exit_0(runner: CliRunner) -> None:
    done = runner.invoke(app, ["diff", "-f", "terminal", str(SMALL), str(SMALL)])
    assert done.exit_code == 0
    assert done.stdout == f"{SMALL} and {SMALL} say the same thing (order and comments aside)\n"
    plain = runner.invoke(app, ["diff", str(SMALL), str(SMALL)])
    assert (plain.exit_code, plain.stdout) == (0, "# change\twhere\tfield\told\tnew\n")


@pytest.mark.parametrize("which", ["old", "new"])
def test_an_invalid_dataset_on_either_side_is_exit_3(runner: CliRunner, tmp_path: Path, which: str) -> None:
    bad = _edited(tmp_path, ('atc = "M03BX99"', 'atc = "bad"'))
    args = [str(bad), str(SMALL)] if which == "old" else [str(SMALL), str(bad)]
    done = runner.invoke(app, ["diff", *args])
    assert done.exit_code == 3
    assert done.stderr.startswith(f"adjuvant: {bad}: ") and done.stdout == ""


@pytest.mark.parametrize("args", [["diff"], ["diff", "only-one.toml"], ["diff", "a", "b", "c"]])
def test_a_usage_error_is_exit_2(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_the_bundled_dataset_against_a_copy_is_the_same(runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_text((REPO / "data" / "monographs.toml").read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["diff", str(REPO / "data" / "monographs.toml"), str(copy)]).exit_code == 0


def test_a_migration_reviewed_shows_each_role_set(runner: CliRunner, tmp_path: Path) -> None:
    """The maintainer's use: a migrated file against the same after review."""
    from .test_migrate import VERSION_1

    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    assert runner.invoke(app, ["migrate", str(old), str(new)]).exit_code == 0
    reviewed = tmp_path / "reviewed.toml"
    text = new.read_text(encoding="utf-8")
    reviewed.write_text(
        text.replace(
            '{ condition = "multiple-sclerosis", role = "target", reviewed = false }',
            '{ condition = "multiple-sclerosis", role = "setting" }',
        ),
        encoding="utf-8",
    )
    done = runner.invoke(app, ["diff", "--json", str(new), str(reviewed)])
    assert done.exit_code == 1
    fields = [
        (c["where"][-1]["key"], c["field"], c["old"], c["new"])
        for c in json.loads(done.stdout)["result"]["changes"]
    ]
    assert fields == [
        ("multiple-sclerosis", "role", "target", "setting"),
        ("multiple-sclerosis", "reviewed", False, True),
    ]


@pytest.mark.parametrize("args", [["show", "baclofen", "--json"], ["search", "ms"], ["list"]])
def test_lookups_never_import_diff(args: list[str], clean_env: dict[str, str]) -> None:
    from .test_startup import imported_by

    assert "adjuvant_cli.diff" not in imported_by(args, clean_env)


def _other(value: Any) -> Any:
    """A different value of the same kind, for a field of a record."""
    if isinstance(value, bool) or value is None:
        return not value if isinstance(value, bool) else True
    if isinstance(value, str):
        return value + " (changed)"
    if isinstance(value, tuple):
        return (*value, "added")
    return value


def test_every_field_of_a_condition_is_compared() -> None:
    """Codes, hierarchy, synonyms, and whatever else the model says of a
    condition (whether it covers what lies inside it, where the model has it)."""
    from adjuvant_cli.diff import _compare_records
    from adjuvant_cli.model import Condition

    condition = Condition("spasticity", "Spasticity", icd10=("G35",))
    for field in Condition._fields:
        if field in ("id",):
            continue
        changed = condition._replace(**{field: _other(getattr(condition, field))})
        changes: list[Change] = []
        _compare_records((Step("condition", "spasticity"),), condition, changed, changes)
        assert [c.field for c in changes] == [field], field


def test_equal_items_are_not_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Growth by counting work: a change in one drug walks that drug's fields,
    not every field of every drug (10,000 drugs took ~10 s walked, ~0.2 s not)."""
    from adjuvant_cli import diff

    walked: list[str] = []
    real = diff._compare_field

    def counting(where: tuple[Step, ...], field: str, old: Any, new: Any, changes: list[Change]) -> None:
        walked.append(field)
        real(where, field, old, new, changes)

    monkeypatch.setattr(diff, "_compare_field", counting)
    result = _diff(tmp_path, ('atc = "N05BA99"', 'atc = "N05BA98"'))  # betazepam's
    assert [_said(c) for c in result.changes] == [("changed", (BETA,), "atc")]
    drug_fields = len(load_dataset(str(SMALL)).drugs[0]._fields)
    top_fields = len(set(load_dataset(str(SMALL))._fields) - diff._DERIVED)
    assert len(walked) == top_fields + drug_fields  # the dataset's parts, then betazepam's fields only
