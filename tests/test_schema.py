"""The JSON Schema of the dataset format (data/adjuvant-dataset-2.schema.json):
the bundled dataset satisfies it, and on a corpus of good and bad files it is
never stricter than the loader, and agrees with it on structure."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli

from adjuvant_cli.dataset.building import check_dataset

from .conftest import REPO
from .test_own_dataset import THIRTY

SCHEMA_PATH = REPO / "data" / "adjuvant-dataset-2.schema.json"
BUNDLED = (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")


def as_json(value: Any) -> Any:
    """TOML values as JSON would hold them: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def schema_accepts(text: str) -> bool:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return bool(validator.is_valid(as_json(tomli.loads(text))))


def loader_accepts(text: str) -> bool:
    dataset, problems, _ = check_dataset(text, "corpus")
    return dataset is not None and not problems


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_the_bundled_dataset_satisfies_the_schema() -> None:
    assert schema_accepts(BUNDLED)


def test_the_bundled_dataset_points_to_the_schema() -> None:
    assert BUNDLED.splitlines()[0] == "#:schema ./adjuvant-dataset-2.schema.json"
    assert (REPO / "data" / "adjuvant-dataset-2.schema.json").is_file()


def test_the_schema_lists_the_checks_only_the_loader_makes() -> None:
    description = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["description"]
    for check in ("exists", "unique", "claimed by two drugs", "WHO ICD-10", "no_code_reason"):
        assert check in description


# Of the thirty problems of test_own_dataset.py, those only the loader sees:
# names across records, control characters, a reason for no codes, and a date
# written as a string (the conversion to JSON makes every date a string).
_CROSS_RECORD = ("strokes", "disk-herniation", '["relaxant"]', '"ms"', "surgeries", "tremens", "paresthesia")
_LOADER_ONLY_OF_THIRTY = [
    (old, new)
    for old, new in THIRTY
    if any(word in new for word in _CROSS_RECORD)
    or "\\u001b" in new
    or old.startswith(("no_code_reason", "last_reviewed", 'effects = ["muscle-relaxant", "anxiolytic"'))
]
# Structural cases: a type, a missing or unknown key, a pattern. The schema
# and the loader must give the same verdict on each.
STRUCTURAL = [
    *(edit for edit in THIRTY if edit not in _LOADER_ONLY_OF_THIRTY),
    ('atc = "M03BX02"\n', ""),
    ('name = "Tofisopam"', "name = 3"),
    ('forms = ["tablets"]', "forms = []"),
    ('icd10 = ["T36-T50"]\ncovers = false', 'icd10 = ["T36-T50"]\ncovers = 1'),
    ('icd10 = ["T36-T50"]\ncovers = false', 'icd10 = ["T36-T50"]\ncovers = { but = ["T42"] }'),
    ('icd10 = ["T36-T50"]\ncovers = false', 'icd10 = ["T36-T50"]\ngroup_only = true'),
    ('role = "target"', 'role = "mention"'),
    ('role = "target"', 'role = "target", reviewed = "no"'),
    ('reaches = ["neck-pain", "disc-herniation"]', "reaches = []"),
    ('[source]\ntitle = "Use', '[source]\nsubtitle = "x"\ntitle = "Use'),
    ("schema_version = 2", "schema_version = 3"),
    ("schema_version = 2", "schema_version = 1"),
    ('id = "baclofen"', 'id = "Baclofen"'),
    ('id = "baclofen"', 'id = "baclofen-"'),
    ('code = "A17"', 'code = "A17.123"'),
    ('compact = "Information only,', 'compact = "' + "x" * 200 + " Information only,"),
]
# Good files: what the loader accepts the schema accepts (it checks less).
GOOD = [
    ('name = "Tofisopam"', 'name = "Tofizopam"'),
    ('role = "target"', 'role = "target", reviewed = false'),
    ('role = "target"', 'role = "target", reviewed = true'),
    ('icd10 = ["T36-T50"]\ncovers = false', 'icd10 = ["T36-T50"]\ncovers = { except = ["T42"] }'),
]
# Only the loader can see these: the schema accepts them, the loader does not.
LOADER_ONLY = [
    *_LOADER_ONLY_OF_THIRTY,
    ('id = "tofisopam"', 'id = "tizanidine"'),  # a duplicate id
    (
        '  { condition = "multiple-sclerosis", role = "example" },',
        '  { condition = "ms", role = "example" },',
    ),
    ('[[drugs.brands]]\nname = "Grandaxin"', '[[drugs.brands]]\nname = "Valium"'),  # a name two drugs claim
]


def _edited(old: str, new: str) -> str:
    assert old in BUNDLED, old
    return BUNDLED.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new"), STRUCTURAL)
def test_structural_cases_get_the_same_verdict(old: str, new: str) -> None:
    text = _edited(old, new)
    assert schema_accepts(text) is False
    assert loader_accepts(text) is False


@pytest.mark.parametrize(("old", "new"), GOOD)
def test_good_files_pass_both(old: str, new: str) -> None:
    text = _edited(old, new)
    assert loader_accepts(text) and schema_accepts(text)


@pytest.mark.parametrize(("old", "new"), [*STRUCTURAL, *GOOD, *LOADER_ONLY])
def test_whatever_the_schema_rejects_the_loader_rejects(old: str, new: str) -> None:
    text = _edited(old, new)
    if not schema_accepts(text):
        assert not loader_accepts(text)


@pytest.mark.parametrize(("old", "new"), LOADER_ONLY)
def test_cross_record_checks_are_the_loaders(old: str, new: str) -> None:
    text = _edited(old, new)
    assert schema_accepts(text) and not loader_accepts(text)


def test_the_schema_ships_in_the_wheel_config() -> None:
    pyproject = tomli.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    force = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["data/adjuvant-dataset-2.schema.json"] == "adjuvant_cli/data/adjuvant-dataset-2.schema.json"


def test_schema_path_exists() -> None:
    assert Path(SCHEMA_PATH).is_file()
