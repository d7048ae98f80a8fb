"""The loader: every rule of the schema and every way a file can be unusable.
Pure tests of `dataset.py`; the CLI's handling of the same errors is in
test_cli_data.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adjuvant_cli import dataset as loader
from adjuvant_cli.dataset import load_dataset, validate_dataset
from adjuvant_cli.dataset.building import parse_dataset
from adjuvant_cli.errors import DatasetError, ExitCode

Variant = Callable[[str, str], str]


def problems_of(path: str) -> tuple[str, ...]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.exit_code == ExitCode.BAD_DATA
    return caught.value.problems


def test_the_bundled_dataset_is_valid() -> None:
    report = validate_dataset()
    assert report.valid, report.problems
    assert (report.drug_count, report.condition_count) == (4, 58)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'drug_class = "Centrally acting muscle relaxant; alpha',
            'drug_clas = "Centrally acting muscle relaxant; alpha',
            'drug "tizanidine" drug_clas: unknown key (did you mean "drug_class"?)',
        ),
        ('atc = "M03BX02"\n', "", 'drug "tizanidine" atc: missing'),
        ('atc = "M03BX02"', "atc = 3", 'drug "tizanidine" atc: expected a string, got an integer'),
        (
            'atc = "M03BX02"',
            'atc = "M3BX2"',
            'drug "tizanidine" atc: "M3BX2" is not an ATC code (e.g. M03BX01)',
        ),
        (
            'icd10 = ["G35"]',
            'icd10 = ["G 35"]',
            'conditions[2].icd10[0]: "G 35" is not an ICD-10 code or range (e.g. G35, G80.3, M40-M54)',
        ),
        (
            'conditions = ["spasticity", "multiple-sclerosis"]\n\n[[drugs.indications]]\n'
            'group = "Spasticity in neurological',
            'conditions = ["spasticity", "ms"]\n\n[[drugs.indications]]\ngroup = "Spasticity in neurological',
            'drug "tizanidine" indications[8].conditions[1]: unknown condition "ms"',
        ),
        ('id = "tofisopam"', 'id = "tizanidine"', 'drugs: the id "tizanidine" is used twice'),
        (
            'brand_names = ["Grandaxin"]',
            'brand_names = ["Grandaxin", "Valium"]',
            'drug "tofisopam": the name "Valium" is already a name of drug "diazepam"',
        ),
        (
            'effects = ["muscle-relaxant"]\n\n[[drugs.indications]]\ngroup = "Painful',
            'effects = ["relaxant"]\n\n[[drugs.indications]]\ngroup = "Painful',
            'drug "tizanidine" effects[0]: unknown effect "relaxant"',
        ),
        (
            "last_reviewed = 2025-07-08",
            'last_reviewed = "2025-07-08"',
            "source.last_reviewed: expected a TOML date (e.g. 2025-07-08), got a string",
        ),
        ('name = "Baclofen"', 'name = "   "', 'drug "baclofen" name: is empty'),
        (
            'id = "baclofen"',
            'id = "Baclofen"',
            'drugs[0].id: "Baclofen" is not an id (lower-case letters, digits and single hyphens)',
        ),
        (
            "schema_version = 1",
            "schema_version = 2",
            "schema_version: 2 is not supported; this adjuvant reads schema_version = 1",
        ),
        (
            'label = "Myopathy"\nicd10 = ["G72"]',
            'label = "Myopathy"\nicd10 = ["G72"]\n\n[[conditions]]\nid = "gout"\nlabel = "Gout"',
            'conditions[51]: the condition "gout" is linked by no indication',
        ),
    ],
)
def test_each_rule_is_reported_with_its_field_path(
    variant: Variant, old: str, new: str, expected: str
) -> None:
    assert expected in problems_of(variant(old, new))


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\\u001b[31m", "\\x1b"),
        ("\\u009b", "\\x9b"),
        ("\\u202e", "\\u202e"),
        ("\\r", "\\x0d"),
        ("\\u0007", "\\x07"),
    ],
)
def test_control_characters_in_any_string_are_rejected(variant: Variant, char: str, shown: str) -> None:
    problems = problems_of(variant('name = "Diazepam"', f'name = "Dia{char}zepam"'))
    assert problems == (
        f'drug "diazepam" name: contains the control character {shown}, which could rewrite a terminal',
    )


def test_every_problem_is_reported_not_just_the_first(
    variant: Variant, bundled_text: str, write_toml: Callable[[str], str]
) -> None:
    text = bundled_text.replace('atc = "M03BX02"', 'atc = "nope"').replace('name = "Diazepam"', "name = 7")
    text = text.replace('label = "Tetanus"', 'labl = "Tetanus"')
    problems = problems_of(write_toml(text))
    assert len(problems) >= 3
    assert any("tizanidine" in p and "atc" in p for p in problems)
    assert any("diazepam" in p and "name" in p for p in problems)
    assert any("labl" in p for p in problems)


def test_toml_syntax_errors_give_line_and_column(write_toml: Callable[[str], str]) -> None:
    path = write_toml("schema_version = 1\n[source]\ntitle = \n")
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.source == path
    assert caught.value.problems[0].startswith("line 3, column 9: TOML syntax error: ")


def test_the_same_file_twice_is_a_syntax_error(bundled_text: str, write_toml: Callable[[str], str]) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(write_toml(bundled_text + "\n" + bundled_text))
    assert "TOML syntax error" in caught.value.problems[0]


def test_deep_nesting_is_an_error_not_a_recursion_error(write_toml: Callable[[str], str]) -> None:
    assert problems_of(write_toml("a = " + "[" * 5000 + "]" * 5000)) == (
        "is nested too deeply to be a dataset",
    )


def test_absurd_values_are_refused(variant: Variant) -> None:
    aliases = ", ".join(f'"Alias{i}"' for i in range(10_000))
    problems = problems_of(variant('brand_names = ["Grandaxin"]', f"brand_names = [{aliases}]"))
    assert problems == ('drug "tofisopam" brand_names: has 10,000 items; the limit is 1,000',)
    huge = "x" * 1_000_000
    problems = problems_of(variant('name = "Tofisopam"', f'name = "{huge}"'))
    assert problems == ('drug "tofisopam" name: is 1,000,000 characters long; the limit is 4,000',)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty; a dataset needs schema_version, source, disclaimer, conditions and drugs"),
        (b"   \n\n", "is empty; a dataset needs schema_version, source, disclaimer, conditions and drugs"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file, not TOML text"),
        (
            b'schema_version = 1\ntitle = "caf\xe9"\n',
            "is not UTF-8 text (invalid byte at offset 31); save it as UTF-8",
        ),
        (b"title = 1\n", "schema_version: missing or not an integer; this adjuvant reads schema_version = 1"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    assert problems_of(str(path)) == (expected,)


def test_a_utf8_bom_is_accepted(tmp_path: Path, bundled_text: str) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + bundled_text.encode("utf-8"))
    assert len(load_dataset(str(path)).drugs) == 4


def test_missing_path_and_directory(tmp_path: Path) -> None:
    assert problems_of(str(tmp_path / "nope.toml")) == (
        "no such file; check the path given to --data or ADJUVANT_DATA",
    )
    assert problems_of(str(tmp_path)) == ("is a directory; give the path of a .toml file",)


def test_unreadable_file(unreadable_file: Path) -> None:
    assert problems_of(str(unreadable_file)) == ("permission denied; check the file's permissions",)


def test_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(loader.MAX_FILE_BYTES + 1)
    assert problems_of(str(path)) == ("is larger than the 64 MiB a dataset may be",)


def test_parse_dataset_builds_the_lookup_tables(bundled_text: str) -> None:
    parsed = parse_dataset(bundled_text, "test")
    assert parsed.name_index["valium"] == "diazepam"
    assert parsed.name_index["баклофен"] == "baclofen"
    assert parsed.conditions_by_id["stroke"].icd10 == ("I64", "I69")


def test_validate_reports_instead_of_raising(variant: Variant) -> None:
    report = validate_dataset(variant('atc = "M03BX02"', 'atc = "x"'))
    assert not report.valid
    assert report.problems == ('drug "tizanidine" atc: "x" is not an ATC code (e.g. M03BX01)',)
