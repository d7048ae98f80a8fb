"""Renderers on fixed result objects: a small hand-built dataset whose strings
carry Rich markup, Markdown syntax and emoji codes, rendered by every format."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from adjuvant_cli.catalog import index_conditions, list_drugs, show_drug
from adjuvant_cli.compare import compare_drugs
from adjuvant_cli.dataset import ValidationReport
from adjuvant_cli.model import Condition, Correction, Dataset, Drug, Effect, Indication, Section, Source
from adjuvant_cli.output import get_renderer
from adjuvant_cli.render import OutputFormat, Renderer, TerminalSettings
from adjuvant_cli.search import search

HOSTILE = "[bold red]Loud[/] :pill: **strong** <b>x</b> | pipe"
ESC = re.compile(r"\x1b")


def tiny_dataset() -> Dataset:
    conditions = (
        Condition(
            "pain", "Pain [link=http://evil]", synonyms=("ache",), abbreviations=("PN",), icd10=("R52",)
        ),
        Condition("spasm", "Spasm", icd10=("R25.2",)),
    )
    drugs = (
        Drug(
            id="alpha",
            name="Alpha",
            drug_class=HOSTILE,
            atc="M03BX01",
            forms=("tablets",),
            mechanism=("Blocks [b]things[/b].",),
            indications=(
                Indication("Main", "Pain after [bold]work[/bold]", ("pain",)),
                Indication(
                    "Main", "Spasm at night", ("spasm",), route="parenteral", qualifiers=("only :pill:",)
                ),
            ),
            brand_names=("Alphax",),
            effects=("relax",),
            caveats=("Mind the [red]dose[/red].",),
            corrections=(Correction("paim", "pain"),),
        ),
        Drug(
            id="beta",
            name="Beta",
            drug_class="Plain class",
            atc="N05BA01",
            forms=("capsules",),
            mechanism=("Does other things.",),
            indications=(Indication("Main", "Spasm", ("spasm",)),),
        ),
    )
    return Dataset(
        schema_version=1,
        source=Source("Title [i]x[/i]", "Publisher", date(2025, 7, 8), "Nature"),
        disclaimer="Not advice [bold]at all[/bold].",
        effects=(Effect("relax", "Relaxant"),),
        conditions=conditions,
        drugs=drugs,
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in conditions},
        name_index={"alpha": "alpha", "alphax": "alpha", "beta": "beta"},
    )


DATA = tiny_dataset()
PLAIN = TerminalSettings(width=100, color=False, unicode=True)


def outputs(renderer: Renderer) -> dict[str, str]:
    return {
        "list": renderer.drug_list(list_drugs(DATA)),
        "show": renderer.monograph(show_drug(DATA, "alphax", [*Section])),
        "search": renderer.search(search(DATA, "pain")),
        "compare": renderer.comparison(compare_drugs(DATA)),
        "conditions": renderer.conditions(index_conditions(DATA)),
    }


@pytest.mark.parametrize(
    "settings", [PLAIN, TerminalSettings(width=40, color=True), TerminalSettings(unicode=False)]
)
def test_terminal_shows_markup_literally_and_ends_with_the_disclaimer(settings: TerminalSettings) -> None:
    for command, text in outputs(get_renderer(OutputFormat.TERMINAL, settings)).items():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
        assert "Not advice [bold]at all[/bold]." in " ".join(plain.split()), command
        tail = plain.rstrip().splitlines()[-3:]
        assert any("Not advice" in line for line in tail), command
    show = re.sub(r"\x1b\[[0-9;]*m", "", outputs(get_renderer(OutputFormat.TERMINAL, settings))["show"])
    flat = " ".join(show.split())
    for literal in (
        "Blocks [b]things[/b].",
        "Mind the [red]dose[/red].",
        "Pain after [bold]work[/bold]",
        ":pill:",
    ):
        assert literal in flat


def test_terminal_without_colour_writes_no_escape_codes() -> None:
    for text in outputs(get_renderer(OutputFormat.TERMINAL, PLAIN)).values():
        assert not ESC.search(text)


def test_terminal_with_colour_styles_and_highlights() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(color=True)).search(search(DATA, "pain"))
    assert ESC.search(text)
    assert "\x1b[1;33mPain\x1b[0m" in text  # the matched word


def test_terminal_ascii_output_uses_ascii_boxes_and_marks() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(unicode=False)).comparison(
        compare_drugs(DATA)
    )
    assert text.isascii()
    assert "yes" in text


def test_narrow_terminal_stacks_instead_of_cutting() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(width=40)).monograph(show_drug(DATA, "alpha"))
    assert all(len(line) <= 40 for line in text.splitlines())
    flat = " ".join(text.split())
    assert flat.count("route: parenteral") == 1  # only the second indication has a route
    assert "Spasm at night route: parenteral; only :pill: Spasm (R25.2)" in flat


def test_markdown_escapes_syntax_and_ends_with_the_disclaimer() -> None:
    for command, text in outputs(get_renderer(OutputFormat.MARKDOWN, PLAIN)).items():
        assert text.rstrip().endswith("Not advice \\[bold\\]at all\\[/bold\\]."), command
    show = outputs(get_renderer(OutputFormat.MARKDOWN, PLAIN))["show"]
    assert "\\[bold red\\]Loud\\[/\\] :pill: \\*\\*strong\\*\\* \\<b\\>x\\</b\\> \\| pipe" in show
    assert "## Corrections to the source" in show


def test_json_is_one_document_with_the_envelope() -> None:
    for command, text in outputs(get_renderer(OutputFormat.JSON, PLAIN)).items():
        assert text.endswith("}\n")
        document = json.loads(text)
        assert document["command"] == command
        assert document["schema_version"] == 1
        assert document["disclaimer"] == "Not advice [bold]at all[/bold]."
        assert document["source"]["last_reviewed"] == "2025-07-08"


def test_json_search_carries_scores_reasons_and_highlights() -> None:
    document = json.loads(get_renderer(OutputFormat.JSON, PLAIN).search(search(DATA, "PN")))
    (hit,) = document["result"]["hits"]
    assert hit["drug"] == "alpha"
    match = hit["indications"][0]
    assert match["reasons"] == [{"term": "pn", "match": "abbreviation", "condition": "pain"}]
    assert match["highlights"] == [[0, 4]]
    assert document["result"]["expansions"] == [
        {"term": "pn", "condition": "pain", "label": "Pain [link=http://evil]", "match": "abbreviation"}
    ]


def test_json_compare_groups_by_condition_id() -> None:
    document = json.loads(get_renderer(OutputFormat.JSON, PLAIN).comparison(compare_drugs(DATA)))
    groups = document["result"]["conditions"]
    assert groups["shared"] == [
        {"condition": "spasm", "label": "Spasm", "icd10": ["R25.2"], "drugs": ["alpha", "beta"]}
    ]
    assert [row["condition"] for row in groups["unique"]] == ["pain"]
    assert document["result"]["caveats"] == {"alpha": ["Mind the [red]dose[/red]."]}


def test_json_escapes_c1_and_bidi_controls_that_json_leaves_raw() -> None:
    report = ValidationReport("x\u202ey\x9bz", ("bad \x1b[2J",))
    text = get_renderer(OutputFormat.JSON, PLAIN).validation(report)
    assert "\u202e" not in text and "\x9b" not in text and "\x1b" not in text
    assert json.loads(text)["result"]["dataset"] == "x\u202ey\x9bz"


def test_json_for_an_ascii_terminal_escapes_non_ascii() -> None:
    text = get_renderer(OutputFormat.JSON, TerminalSettings(unicode=False)).drug_list(list_drugs(DATA))
    assert text.isascii()


@pytest.mark.parametrize("settings", [PLAIN, TerminalSettings(width=60, color=True)])
def test_terminal_output_ignores_what_rich_would_read_from_the_environment(
    settings: TerminalSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Output read the environment once; Rich must not read it again (no private
    # `_environ` any more: the renderer gives Rich every size and colour choice).
    hostile = {
        "TERM": "dumb",
        "COLUMNS": "20",
        "NO_COLOR": "" if settings.color else "1",
        "FORCE_COLOR": "" if settings.color else "1",
        "TTY_COMPATIBLE": "0" if settings.color else "1",
        "COLORTERM": "truecolor",
        "JUPYTER_COLUMNS": "30",
    }
    for name in hostile:
        monkeypatch.delenv(name, raising=False)
    expected = outputs(get_renderer(OutputFormat.TERMINAL, settings))
    for name, value in hostile.items():
        monkeypatch.setenv(name, value)
    assert outputs(get_renderer(OutputFormat.TERMINAL, settings)) == expected
