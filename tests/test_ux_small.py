"""The UX review's small things (F11, F16, F17), each through the installed CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, installed_adjuvant


def run(args: list[str], env: dict[str, str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args],
        env={**env, "COLUMNS": "80", **extra},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.mark.parametrize("option", ["--json", "--format=json", "--no-pager"])
def test_a_command_option_before_the_command_goes_after_it(option: str, clean_env: dict[str, str]) -> None:
    done = run([option, "list"], clean_env)
    assert done.returncode == 2 and done.stdout == ""
    assert f"put it after the command (adjuvant list {option})" in done.stderr
    assert "Possible options" not in done.stderr  # Click's hint named only --version


def test_an_unknown_search_option_points_to_the_double_dash(clean_env: dict[str, str]) -> None:
    done = run(["search", "-x"], clean_env)
    assert done.returncode == 2
    assert "(adjuvant search -- -x)" in done.stderr and len(done.stderr.splitlines()) == 1


def test_dash_v_is_the_version(clean_env: dict[str, str]) -> None:
    assert run(["-V"], clean_env).stdout == run(["--version"], clean_env).stdout
    assert run(["-V"], clean_env).stdout.startswith("adjuvant ")


def test_bare_adjuvant_is_a_short_usage(clean_env: dict[str, str]) -> None:
    done = run([], clean_env)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "Usage: adjuvant [OPTIONS] COMMAND [ARGS]..." and len(lines) <= 4
    assert "adjuvant --help" in lines[-1]


def test_the_top_level_help_has_examples(clean_env: dict[str, str]) -> None:
    out = run(["--help"], clean_env).stdout
    assert "Examples:" in out and "adjuvant search low back pain" in out and "-V, --version" in out


def test_the_man_page_has_examples_files_exit_74_and_says_where_the_docs_are() -> None:
    page = (REPO / "man" / "adjuvant.1").read_text(encoding="utf-8")
    for heading in (".SH EXAMPLES", ".SH FILES", ".SH DOCUMENTATION"):
        assert heading in page
    exit_status = page.split(".SH EXIT STATUS", 1)[1].split(".SH ", 1)[0]
    assert ".B 74" in exit_status
    description = page.split(".SH DESCRIPTION", 1)[1].split(".SH ", 1)[0]
    assert "Usage:" not in description
    assert "README.md" in page and "docs/your\\-own\\-dataset.md" in page


def complete(words: str, env: dict[str, str]) -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    done = run([], env, _ADJUVANT_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=cword)
    return done.stdout.split()


def test_completion_offers_condition_words_for_search_and_conditions(clean_env: dict[str, str]) -> None:
    assert "spasticity" in complete("adjuvant search spas", clean_env)
    assert complete("adjuvant conditions neura", clean_env) == ["neurasthenia"]


def test_compare_does_not_offer_a_drug_already_typed(clean_env: dict[str, str]) -> None:
    offered = complete("adjuvant compare baclofen ", clean_env)
    assert "diazepam" in offered
    assert not {"baclofen", "Lioresal", "Gablofen"} & set(offered)


def test_a_path_from_adjuvant_data_says_it_came_from_there(clean_env: dict[str, str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.toml")
    from_env = run(["list"], clean_env, ADJUVANT_DATA=missing)
    assert from_env.returncode == 3
    assert f"{missing} (from ADJUVANT_DATA): no such file" in from_env.stderr
    typed = run(["--data", missing, "list"], clean_env)
    assert "ADJUVANT_DATA" not in typed.stderr


def test_validate_json_of_an_invalid_file_counts_its_drugs(
    clean_env: dict[str, str], variant: object, bundled_text: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(bundled_text.replace('atc = "M03BX01"', 'atc = "not an ATC code"', 1), encoding="utf-8")
    done = run(["validate", "--json", str(broken)], clean_env)
    assert done.returncode == 3
    [report] = json.loads(done.stdout)["result"]["datasets"]
    assert report["valid"] is False and report["drug_count"] == 4 and report["condition_count"] > 0


def test_one_message_one_kind_of_quotes(clean_env: dict[str, str]) -> None:
    for args in (["show", "bacloffen"], ["show", "xyzq"], ["show", "baclofen", "-s", "nope"]):
        err = run(args, clean_env).stderr
        assert "“" not in err and "”" not in err, err


def test_a_one_drug_dataset_compare_says_so(clean_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    assert run(["init", str(path)], clean_env).returncode == 0
    done = run(["--data", str(path), "compare"], clean_env)
    assert done.returncode == 2
    assert "this dataset has one drug" in done.stderr and "names" not in done.stderr


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_show_disclaimer_says_the_disclaimer_once(fmt: str, clean_env: dict[str, str]) -> None:
    out = run(["show", "baclofen", "-s", "disclaimer", "--format", fmt], clean_env).stdout
    flat = " ".join(out.split())
    assert flat.count("Self-medication is dangerous") == 1
    assert flat.count("Source:") == 1


def test_effects_shows_the_clinical_effects_and_mechanism_does_not(clean_env: dict[str, str]) -> None:
    effects = run(["show", "baclofen", "-s", "effects"], clean_env).stdout
    assert "Effect profile" in effects and "Clinical effects" in effects and "\nMechanism" not in effects
    mechanism = run(["show", "baclofen", "-s", "mechanism"], clean_env).stdout
    assert "\nMechanism" in mechanism and "Clinical effects" not in mechanism
    document = json.loads(run(["show", "baclofen", "-s", "effects", "--json"], clean_env).stdout)
    keys = document["result"]["drug"]
    assert "actions" in keys and "mechanism" not in keys


def test_corrections_has_one_name(clean_env: dict[str, str]) -> None:
    help_text = run(["show", "--help"], clean_env).stdout
    assert "--corrections" not in help_text and "corrections" in help_text  # -s corrections only
    shown = run(["show", "diazepam", "--format", "terminal", "--no-pager"], clean_env, COLUMNS="200").stdout
    assert "(see -s corrections)" in shown and "(see --corrections)" not in shown
    via_section = run(["show", "diazepam", "-s", "corrections"], clean_env).stdout
    assert "Corrections and readings of the source" in via_section


def test_a_version_1_dataset_is_refused_with_the_command_that_converts_it(
    clean_env: dict[str, str], bundled_text: str, tmp_path: Path
) -> None:
    old = tmp_path / "old.toml"
    old.write_text(bundled_text.replace("schema_version = 2", "schema_version = 1", 1), encoding="utf-8")
    done = run(["--data", str(old), "list"], clean_env)
    assert done.returncode == 3
    assert "adjuvant migrate OLD NEW" in done.stderr and len(done.stderr.splitlines()) == 1
