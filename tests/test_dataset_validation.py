"""The loader: every rule of the schema and every way a file can be unusable.
Pure tests of `dataset.py`; the CLI's handling of the same errors is in
test_cli_data.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adjuvant_cli import dataset as loader
from adjuvant_cli.dataset import load_dataset
from adjuvant_cli.dataset.building import parse_dataset
from adjuvant_cli.dataset.validating import validate_dataset
from adjuvant_cli.errors import DatasetError, ExitCode
from adjuvant_cli.model import Role

Variant = Callable[[str, str], str]


def problems_of(path: str) -> tuple[str, ...]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.exit_code == ExitCode.BAD_DATA
    return caught.value.problems


def test_the_bundled_dataset_is_valid() -> None:
    report = validate_dataset()
    assert report.valid, report.problems
    assert (report.drug_count, report.condition_count) == (4, 123)


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
            'condition "multiple-sclerosis" icd10 item 1: "G 35" is not an ICD-10 code or range '
            "(e.g. G35, G80.3, M40-M54)",
        ),
        ('id = "tofisopam"', 'id = "tizanidine"', 'drug 4 id: the id "tizanidine" is used twice'),
        (
            '[[drugs.brands]]\nname = "Grandaxin"',
            '[[drugs.brands]]\nname = "Valium"',
            'drug "tofisopam": the name "Valium" is already a name of drug "diazepam"',
        ),
        (
            '[[drugs.brands]]\nname = "Grandaxin"\nforms = ["tablets"]',
            '[[drugs.brands]]\nname = "Grandaxin"\nform = ["tablets"]',
            'drug "tofisopam" brand 1 form: unknown key (did you mean "forms"?)',
        ),
        (
            'effects = ["muscle-relaxant"]\n\n[[drugs.brands]]\nname = "Zanaflex"',
            'effects = ["relaxant"]\n\n[[drugs.brands]]\nname = "Zanaflex"',
            'drug "tizanidine" effects item 1: unknown effect "relaxant" (did you mean "muscle-relaxant"?)',
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
            'drug "Baclofen" id: "Baclofen" is not an id (lower-case letters, digits and single hyphens)',
        ),
        # Schema 2: every link has a role, and says it once.
        (
            '  { condition = "multiple-sclerosis", role = "example" },',
            '  { condition = "ms", role = "example" },',
            'drug "tizanidine" indication "tizanidine-spasticity" link 3 condition: unknown '
            'condition "ms" (did you mean "multiple-sclerosis"?)',
        ),
        (
            '  { condition = "multiple-sclerosis", role = "example" },',
            '  { condition = "multiple-sclerosis", role = "indicated" },',
            'drug "tizanidine" indication "tizanidine-spasticity" link 3 role: "indicated" is '
            "not a role; use target, setting or example",
        ),
        (  # a mention belongs to a statement, never to an indication's links
            '  { condition = "multiple-sclerosis", role = "example" },',
            '  { condition = "multiple-sclerosis", role = "mention" },',
            'drug "tizanidine" indication "tizanidine-spasticity" link 3 role: "mention" is not '
            "a role; use target, setting or example",
        ),
        (
            '  { condition = "multiple-sclerosis", role = "example" },',
            '  { condition = "multiple-sclerosis", role = "example" },\n'
            '  { condition = "multiple-sclerosis", role = "target" },',
            'drug "tizanidine" indication "tizanidine-spasticity" links: "multiple-sclerosis" is '
            "linked twice",
        ),
        (
            'id = "tizanidine-muscle-spasm-after-surgery"',
            'id = "tizanidine-spasticity"',
            'drug "tizanidine" indication 3 id: the id "tizanidine-spasticity" is used twice',
        ),
        (
            'source = "tizanidine/indications/1.1"',
            'source = "tizanidine/indication/1.1"',
            'drug "tizanidine" indication "tizanidine-muscle-spasm-in-disorders-of-the-spine" '
            'source: "tizanidine/indication/1.1" is not a locator (e.g. diazepam/indications/4.2)',
        ),
        # Statements: mentions, and the corrections and readings they rest on.
        (
            'mentions = ["alcohol-withdrawal", "alcoholic-delirium"]',
            'mentions = ["alcohol-withdrawal", "delirium-tremens"]',
            'drug "diazepam" action 6 mentions item 2: unknown condition "delirium-tremens" (did '
            'you mean "alcoholic-delirium"?)',
        ),
        (
            'readings = ["tizanidine-after-surgery"]',
            'readings = ["tizanidine-after-surgeries"]',
            'drug "tizanidine" indication "tizanidine-muscle-spasm-after-surgery" readings item '
            '1: unknown correction or reading "tizanidine-after-surgeries" '
            '(did you mean "tizanidine-after-surgery"?)',
        ),
        (
            'corrections = ["diazepam-raresthesia"]',
            'corrections = ["diazepam-paresthesia"]',
            'drug "diazepam" onset 2 corrections item 1: unknown correction or reading '
            '"diazepam-paresthesia" (did you mean "diazepam-raresthesia"?)',
        ),
        (
            'effects = ["muscle-relaxant", "anxiolytic", "sedative", "anticonvulsant"]',
            'effects = ["muscle-relaxant", "anxiolytic", "anticonvulsant"]',
            'drug "tofisopam" caveat "tofisopam-effects-and-receptors" effects: "sedative" '
            "is not an effect of the drug",
        ),
        # An indication's note is one string, shown with it (FACTS §4c: epilepsy).
        (
            'note = "the source states no long-term treatment of epilepsy"',
            'note = ["the source states no long-term treatment of epilepsy"]',
            'drug "diazepam" indication "diazepam-epileptic-seizures" note: expected a string, got a list',
        ),
        # The disclaimer's compact form must fit two lines at 80 columns.
        (
            'compact = "Information only,',
            'compact = "Please note. Information only,',
            "disclaimer.compact: is 171 characters long; the limit is 160 (two lines at 80 columns)",
        ),
        # Conditions: codes or a reason for none; links that point somewhere.
        (
            'no_code_reason = "Damage of many causes (injury, stroke, cerebral palsy and others), '
            'coded by its cause."\n',
            "",
            'condition "brain-damage" no_code_reason: a condition without icd10 codes must say why',
        ),
        (
            'broader = ["stroke"]',
            'broader = ["strokes"]',
            'condition "sequelae-of-stroke" broader item 1: unknown condition "strokes" (did you '
            'mean "stroke"?)',
        ),
        (
            'icd10 = ["T36-T50"]\ncovers = false',
            'icd10 = ["T36-T50"]\ncovers = "yes"',
            'condition "drug-poisoning" covers: expected true, false or { except = [...] }, got a string',
        ),
        (
            'reaches = ["neck-pain", "disc-herniation"]',
            'reaches = ["neck-pain", "disk-herniation"]',
            'umbrella "neck" reaches item 2: unknown condition "disk-herniation" (did you mean '
            '"disc-herniation"?)',
        ),
        (
            'reaches = ["neck-pain", "disc-herniation"]',
            "reaches = []",
            'umbrella "neck" reaches: name at least one condition',
        ),
        # Other versions: schema 1 is named for what changed, not just refused.
        (
            "schema_version = 2",
            "schema_version = 3",
            "schema_version: 3 is not supported; this adjuvant reads schema_version = 2",
        ),
    ],
)
def test_each_rule_is_reported_with_its_field_path(
    variant: Variant, old: str, new: str, expected: str
) -> None:
    assert expected in problems_of(variant(old, new))


def test_a_schema_1_file_is_refused_naming_what_changed(variant: Variant) -> None:
    # Read silently, each schema-1 link would become a target: a setting would
    # read as an indication again. The author is told what schema 2 added.
    (problem,) = problems_of(variant("schema_version = 2", "schema_version = 1"))
    assert problem.startswith("schema_version: 1 is the old format, which this adjuvant refuses")
    for change in ("`treats`", "`links` with a role (target, setting, example)", "`conditions`", "readings"):
        assert change in problem
    assert "disclaimer.compact" in problem and "source.scope" in problem


def test_a_compact_disclaimer_of_160_characters_is_accepted(variant: Variant, bundled_text: str) -> None:
    compact = bundled_text.split('compact = "', 1)[1].split('"', 1)[0]
    padded = "x" * (160 - len(compact)) + compact
    assert len(padded) == 160
    assert validate_dataset(variant(f'compact = "{compact}"', f'compact = "{padded}"')).valid


def test_one_bad_code_is_one_problem(variant: Variant) -> None:
    # Not also "a condition without icd10 codes must say why": the code was given.
    assert problems_of(variant('icd10 = ["G35"]', 'icd10 = ["G 35"]')) == (
        'condition "multiple-sclerosis" icd10 item 1: "G 35" is not an ICD-10 code or range '
        "(e.g. G35, G80.3, M40-M54)",
    )


def test_a_statement_problem_names_its_table(variant: Variant) -> None:
    # Counted within its own table ([[drugs.onset]]), from 1, not across mechanism, actions and onset.
    (problem,) = problems_of(
        variant('corrections = ["diazepam-raresthesia"]', 'corrections = ["diazepam-paresthesia"]')
    )
    assert problem.startswith('drug "diazepam" onset 2 corrections item 1: ')


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
    path = write_toml("schema_version = 2\n[source]\ntitle = \n")
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
    problems = problems_of(variant('other_names = ["тофизопам"]', f"other_names = [{aliases}]"))
    assert problems == ('drug "tofisopam" other_names: has 10,000 items; the limit is 1,000',)
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
            b'schema_version = 2\ntitle = "caf\xe9"\n',
            "is not UTF-8 text (invalid byte at offset 31); save it as UTF-8",
        ),
        (b"title = 1\n", "schema_version: missing or not an integer; this adjuvant reads schema_version = 2"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    assert problems_of(str(path))[0] == expected


def test_a_utf8_bom_is_accepted(tmp_path: Path, bundled_text: str) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + bundled_text.encode("utf-8"))
    assert len(load_dataset(str(path)).drugs) == 4


def test_missing_path_and_directory(tmp_path: Path) -> None:
    assert problems_of(str(tmp_path / "nope.toml")) == ("no such file; check the path",)
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
    assert parsed.conditions_by_id["stroke"].icd10 == ("I60-I64",)
    assert parsed.who_by_code["M54.5"].parent == "M54"
    tizanidine = parsed.drugs_by_id["tizanidine"].indications
    after_surgery = next(i for i in tizanidine if i.id == "tizanidine-muscle-spasm-after-surgery")
    roles = {link.condition: link.role for link in after_surgery.links}
    assert roles["muscle-spasm"] is Role.TARGET
    assert roles["hip-osteoarthritis"] is Role.EXAMPLE
    assert after_surgery.conditions[0] == "muscle-spasm"  # the target first


def test_validate_reports_instead_of_raising(variant: Variant) -> None:
    report = validate_dataset(variant('atc = "M03BX02"', 'atc = "x"'))
    assert not report.valid
    assert [p.message for p in report.problems] == [
        'drug "tizanidine" atc: "x" is not an ATC code (e.g. M03BX01)'
    ]
