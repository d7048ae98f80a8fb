"""Plain output when piped, through the installed CLI with stdout a pipe:
records a line tool can use, the disclaimer and source last as `# ` lines."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import installed_adjuvant

BOX = set("╭╮╰╯│─┬┴┼├┤")


def piped(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [installed_adjuvant(), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""
    return done.stdout


RUNS = [
    ["list"],
    ["show", "diazepam", "--corrections"],
    ["search", "spasticity"],
    ["search", "delirium", "tremens"],
    ["compare"],
    ["conditions"],
    ["conditions", "zzzz"],
]


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_piped_output_is_plain_and_ends_with_the_footer(args: list[str], clean_env: dict[str, str]) -> None:
    out = piped(args, clean_env)
    assert "\x1b" not in out and not BOX & set(out)
    lines = out.splitlines()
    assert all(line == line.rstrip(" ") for line in lines), "trailing spaces"
    assert lines[-2].startswith("# Information only, not a guide to self-treatment")
    assert lines[-1].startswith("# Source: “Use of adjuvants in the treatment of back pain”")
    # An answer says the scope after it, beside the disclaimer (issue 20); a list of names does not.
    footer = 3 if args[0] in ("show", "search", "compare") else 2
    assert lines[-3].startswith("# Scope: The source gives") == (footer == 3)
    # The only other `# ` lines are tables' headers, tab-separated field names.
    assert all(not line.startswith("# ") or "\t" in line for line in lines[:-footer])


def test_list_cut_f1_gives_whole_names(clean_env: dict[str, str]) -> None:
    done = subprocess.run(
        f"'{installed_adjuvant()}' list | cut -f1 | grep -v '^#'",
        shell=True,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ["Baclofen", "Diazepam", "Tizanidine", "Tofisopam"]


def test_conditions_grep_gives_whole_records(clean_env: dict[str, str]) -> None:
    out = piped(["conditions"], clean_env)
    header, *rows = out.splitlines()
    assert header == "# condition\ticd10\ticd10_titles\talso_called\tnamed_by"
    rows = [row for row in rows if not row.startswith("#")]
    assert all(row.count("\t") == 4 for row in rows)
    lumb = [row for row in rows if "lumb" in row.lower()]
    assert any(row.startswith("Low back pain\tM54.5\tLow back pain\t") for row in lumb)


def test_compare_matrices_are_records_under_headers(clean_env: dict[str, str]) -> None:
    out = piped(["compare", "diazepam", "tofisopam"], clean_env)
    lines = out.splitlines()
    assert "# attribute\tDiazepam\tTofisopam" in lines
    assert "# effect\tDiazepam\tTofisopam" in lines
    assert "Hypnotic\tyes\tnot stated" in lines
    assert "# group\tcondition\ticd10\tDiazepam\tTofisopam" in lines


def test_prose_is_unwrapped_unless_columns_is_set(clean_env: dict[str, str]) -> None:
    unwrapped = piped(["show", "diazepam"], clean_env)
    assert max(len(line) for line in unwrapped.splitlines()) > 200
    wrapped = piped(["show", "diazepam"], {**clean_env, "COLUMNS": "60"})
    footer = [line for line in wrapped.splitlines() if line.startswith("# ")]
    assert all(len(line) <= 60 for line in wrapped.splitlines() if line not in footer)
    assert " ".join(unwrapped.split()) == " ".join(wrapped.split())  # the same words


def test_format_terminal_or_forced_colour_keeps_the_terminal_layout_when_piped(
    clean_env: dict[str, str],
) -> None:
    assert "╭" in piped(["list", "--format", "terminal"], clean_env)
    assert "\x1b[" in piped(["list"], {**clean_env, "FORCE_COLOR": "1"})
    assert "\t" in piped(["list", "--format", "plain"], {**clean_env, "FORCE_COLOR": "1"})


@pytest.mark.parametrize("fmt", ["plain", "markdown", "terminal"])
def test_a_qualifier_every_item_of_a_group_has_is_said_once_at_the_group(
    fmt: str, clean_env: dict[str, str]
) -> None:
    out = piped(["show", "diazepam", "-s", "indications", "--format", fmt], clean_env)
    flat = " ".join(out.split())
    assert flat.count("route: parenteral") == 1
    assert "All: route: parenteral" in flat
    # A group whose items differ keeps each item's own qualifiers.
    assert "Myocardial infarction" in flat and "as part of complex therapy" in flat
