"""The condition index and the small things of the UX review, through the
installed CLI: one line per condition at 80 columns, a condition's whole card,
words joined, --drug, records for pipes, brand names in `list`."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import installed_adjuvant


def run(args: list[str], env: dict[str, str], columns: int = 80) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args],
        env={**env, "COLUMNS": str(columns), "LINES": "50", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def terminal(args: list[str], env: dict[str, str], columns: int = 80) -> list[str]:
    done = run([*args, "--format", "terminal", "--no-pager"], env, columns)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_index_is_one_line_per_condition_at_80_columns(clean_env: dict[str, str]) -> None:
    records = [
        line for line in run(["conditions"], clean_env).stdout.splitlines() if not line.startswith("#")
    ]
    lines = terminal(["conditions"], clean_env)
    body = lines[: lines.index("")]
    assert len(body) == len(records)  # one line per condition (was 791 lines for 98 conditions)
    assert all(len(line) <= 80 for line in lines)
    neurasthenia = next(line for line in body if line.startswith("Neurasthenia"))
    assert "F48.0" in neurasthenia and "via Neurosis: Tofisopam" in neurasthenia  # F15: never "—"
    assert next(line for line in body if line.startswith("Apathy")).endswith("treated: Tofisopam")


def test_no_condition_search_reaches_reads_as_named_by_no_one(clean_env: dict[str, str]) -> None:
    body = terminal(["conditions"], clean_env)
    body = body[: body.index("")]
    assert not [line for line in body if line.rstrip().endswith("—")]


def test_a_named_condition_is_shown_whole_with_its_note(clean_env: dict[str, str]) -> None:
    card = "\n".join(terminal(["conditions", "arthritis"], clean_env))
    assert card.startswith("Arthritis\n")
    assert "Note" in card and "gout" in card  # the dataset's note, before only in JSON
    assert "Named by" in card and "Diazepam" in card


def test_a_card_says_what_search_reaches_it_through(clean_env: dict[str, str]) -> None:
    card = "\n".join(terminal(["conditions", "neurasthenia"], clean_env))
    assert "F48.0 Neurasthenia" in card
    assert "Tofisopam (via Neurosis: treated" in " ".join(card.split())  # F15: never "Named by —"


def test_unquoted_words_are_joined(clean_env: dict[str, str]) -> None:
    joined, quoted = (
        run(["conditions", "back", "pain"], clean_env),
        run(["conditions", "back pain"], clean_env),
    )
    assert joined.returncode == 0, joined.stderr
    assert joined.stdout == quoted.stdout
    assert "Low back pain\tM54.5" in joined.stdout


def test_drug_filters_the_index(clean_env: dict[str, str]) -> None:
    out = run(["conditions", "--drug", "grandaxin"], clean_env).stdout
    labels = [line.split("\t")[0] for line in out.splitlines() if not line.startswith("#")]
    assert "Neurosis" in labels and "Neurasthenia" in labels  # named; reached through Neurosis
    assert "Spasticity" not in labels and "Low back pain" not in labels
    missing = run(["conditions", "--drug", "nosuchdrug"], clean_env)
    assert missing.returncode == 1 and "no drug named" in missing.stderr


@pytest.mark.parametrize("command", [["list"], ["conditions"]])
def test_piped_tables_are_records_under_a_comment_header(
    command: list[str], clean_env: dict[str, str]
) -> None:
    lines = run(command, clean_env).stdout.splitlines()
    assert lines[0].startswith("# ")
    records = [line for line in lines if not line.startswith("#")]
    assert records and all(line and "\t" in line for line in records)  # no blank line, no header


def test_plain_conditions_give_a_code_and_its_title_as_separate_fields(clean_env: dict[str, str]) -> None:
    lines = run(["conditions", "neurasthenia"], clean_env).stdout.splitlines()
    header = lines[0].removeprefix("# ").split("\t")
    record = dict(zip(header, lines[1].split("\t"), strict=True))
    assert record["icd10"] == "F48.0" and record["icd10_titles"] == "Neurasthenia"
    assert record["named_by"].startswith("Tofisopam (via Neurosis: treated")


def test_list_shows_brand_names(clean_env: dict[str, str]) -> None:
    assert "Grandaxin" in run(["list"], clean_env).stdout
    assert "Grandaxin" in "\n".join(terminal(["list"], clean_env))
