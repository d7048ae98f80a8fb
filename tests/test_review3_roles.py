"""A third independent pharmacist review: roles, headings and compare, each
finding as a user sees it through the real CLI, written from the article and
FACTS.md (§1–§4d), never from output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def _cli(*args: str) -> str:
    done = runner.invoke(app, list(args), env=ENV)
    return done.stdout


def _search(query: str) -> dict[str, Any]:
    done = runner.invoke(app, ["search", "--json", "--", query], env=ENV)
    result: dict[str, Any] = json.loads(done.stdout)["result"]
    return result


def _counted(result: dict[str, Any]) -> dict[str, set[str]]:
    """Drug id -> the tiers it is counted in."""
    tiers: dict[str, set[str]] = {}
    for hit in result["hits"]:
        tiers.setdefault(hit["drug_id"], set()).add(hit["tier"])
    return tiers


# Row 2: FACTS §4 gives meningitis's own codes as G00–G03, A39.0, A87, A17.0;
# each category of that run is meningitis (WHO: bacterial meningitis, meningitis
# in bacterial/other infectious diseases, due to other causes), so a query for
# one is meningitis, a setting of baclofen's spasticity (§4a), counted.
# Tetanus (A33–A35) and rheumatoid arthritis (M05–M06) are listed the same way.
@pytest.mark.parametrize(
    ("query", "drugs"),
    [
        ("bacterial meningitis", {"baclofen"}),
        ("G00", {"baclofen"}),
        ("G03", {"baclofen"}),
        ("A87", {"baclofen"}),
        ("A17.0", {"baclofen"}),
        ("A35", {"diazepam"}),
        ("M05", {"diazepam"}),
    ],
)
def test_a_condition_s_own_code_is_the_condition(query: str, drugs: set[str]) -> None:
    result = _search(query)
    assert set(_counted(result)) == drugs, query
    assert "itself" not in _cli("search", "--", query)
