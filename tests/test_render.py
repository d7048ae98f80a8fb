"""Renderers on fixed result objects: a small hand-built dataset whose strings
carry Rich markup, Markdown syntax and emoji codes, rendered by every format."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from adjuvant_cli.catalog import index_conditions, list_drugs, show_drug
from adjuvant_cli.compare import compare_drugs
from adjuvant_cli.dataset.validating import Problem, ValidationReport, ValidationRun
from adjuvant_cli.model import (
    Brand,
    Caveat,
    Condition,
    Correction,
    Dataset,
    Disclaimer,
    Drug,
    Effect,
    Indication,
    Link,
    Reading,
    Role,
    Section,
    Source,
    Statement,
    WhoCode,
)
from adjuvant_cli.output import get_renderer
from adjuvant_cli.render import OutputFormat, Renderer, TerminalSettings
from adjuvant_cli.search import search

HOSTILE = "[bold red]Loud[/] :pill: **strong** <b>x</b> | pipe"
ESC = re.compile(r"\x1b")


def tiny_dataset() -> Dataset:
    """Two drugs whose strings carry markup; "pain" is what alpha treats and
    only the setting of beta's spasm, so every view must tell the two apart."""
    conditions = (
        Condition(
            "pain", "Pain [link=http://evil]", synonyms=("ache",), abbreviations=("PN",), icd10=("R52",)
        ),
        Condition("spasm", "Spasm", icd10=("R25.2",)),
        Condition("work", "Work *strain*", no_code_reason="Not a disease [i]at all[/i]."),
    )
    alpha = Drug(
        id="alpha",
        name="Alpha",
        drug_class=HOSTILE,
        atc="M03BX01",
        forms=("tablets",),
        mechanism=(Statement("Blocks [b]things[/b].", "alpha/action/1", mentions=("work",)),),
        indications=(
            Indication(
                "alpha-pain",
                "Main",
                "Pain after [bold]work[/bold]",
                "Pain",
                (Link("pain", Role.TARGET), Link("work", Role.SETTING)),
                "alpha/indications/1",
                corrections=("alpha-paim",),
            ),
            Indication(
                "alpha-spasm",
                "Main",
                "Spasm at night",
                "Spasm",
                (Link("spasm", Role.TARGET),),
                "alpha/indications/2",
                route="parenteral",
                qualifiers=("only :pill:",),
                readings=("alpha-night",),
            ),
        ),
        brands=(Brand("Alphax", ("tablets",)), Brand("Alphajet", ("injection",), "[u]some markets[/u]")),
        effects=("relax",),
        caveats=(Caveat("alpha-dose", "Mind the [red]dose[/red].", effects=("relax",)),),
        corrections=(Correction("alpha-paim", "paim", "pain", "alpha/indications/1"),),
        readings=(
            Reading(
                "alpha-night",
                "at nite",
                "At night [i]only[/i].",
                "The article's *word*.",
                "alpha/indications/2",
            ),
        ),
    )
    beta = Drug(
        id="beta",
        name="Beta",
        drug_class="Plain class",
        atc="N05BA01",
        forms=("capsules",),
        mechanism=(Statement("Does other things.", "beta/action/1"),),
        indications=(
            Indication(
                "beta-spasm",
                "Main",
                "Spasm in pain",
                "Spasm",
                (Link("spasm", Role.TARGET), Link("pain", Role.SETTING)),
                "beta/indications/1",
            ),
        ),
        effects=("relax",),
    )
    drugs = (alpha, beta)
    who = (WhoCode("R52", "Pain, not elsewhere classified"), WhoCode("R25.2", "Cramp and spasm", "R25"))
    return Dataset(
        schema_version=2,
        source=Source("Title [i]x[/i]", "Publisher", date(2025, 7, 8), "Nature", "Silent on [b]doses[/b]."),
        disclaimer=Disclaimer("Not advice [bold]at all[/bold].", "Short: advice [b]no[/b]."),
        effects=(Effect("relax", "Relaxant"),),
        conditions=conditions,
        umbrellas=(),
        who_codes=who,
        drugs=drugs,
        drugs_by_id={d.id: d for d in drugs},
        conditions_by_id={c.id: c for c in conditions},
        who_by_code={w.code: w for w in who},
        name_index={"alpha": "alpha", "alphax": "alpha", "alphajet": "alpha", "beta": "beta"},
        narrower={},
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
        if command == "show":  # every section, the full disclaimer among them: said once, in full
            assert "Short: advice" not in plain
            assert "Not advice [bold]at all[/bold]." in " ".join(plain.split())
            continue
        assert "Short: advice [b]no[/b]." in " ".join(plain.split()), command
        tail = " ".join(" ".join(plain.rstrip().splitlines()[-8:]).split())
        assert "Short: advice [b]no[/b]." in tail, command  # after the answer
    show = re.sub(r"\x1b\[[0-9;]*m", "", outputs(get_renderer(OutputFormat.TERMINAL, settings))["show"])
    flat = " ".join(show.split())
    for literal in (
        "Blocks [b]things[/b].",
        "Mind the [red]dose[/red].",
        "Pain after [bold]work[/bold]",
        "Scope: Silent on [b]doses[/b].",
        "Read as: At night [i]only[/i].",
        "at nite",  # quoted with typographic or ASCII quotes, as the terminal allows
        "as: At night [i]only[/i]. Why: The article's *word*.",
        "Work *strain*: no code: Not a disease [i]at all[/i].",
        ":pill:",
    ):
        assert literal in flat


def test_terminal_monograph_says_roles_routes_mentions_and_codes() -> None:
    text = get_renderer(OutputFormat.TERMINAL, PLAIN).monograph(show_drug(DATA, "alpha", [*Section]))
    flat = " ".join(text.split())
    assert "Pain after [bold]work[/bold] Treated: Pain [link=http://evil] · Settings: Work *strain*" in flat
    assert "Spasm at night route: parenteral; only :pill: Treated: Spasm" in flat
    # The mechanism names "work" outside the indications: never shown as one.
    assert "Blocks [b]things[/b]. Mentions: Work *strain* (mentioned, not an indication)" in flat
    assert "Relaxant* * disputed: see Caveats above" in flat
    assert "Pain [link=http://evil]: R52 Pain, not elsewhere classified" in flat
    assert "Brand names Alphax (tablets); Alphajet (injection)" in flat
    # The scope is said once, after the answer, beside the disclaimer: every section
    # asked for, the full disclaimer among them, so both in full and the short ones not again.
    assert flat.index("Caveats") < flat.index("Mechanism") < flat.index("Not advice") < flat.index("Scope:")
    assert flat.count("Scope:") == 1 and "Short: advice" not in flat
    brief = " ".join(
        get_renderer(OutputFormat.TERMINAL, PLAIN)
        .monograph(show_drug(DATA, "alpha", [Section.ONSET]))
        .split()
    )
    assert brief.index("Onset") < brief.index("Scope: Silent on") < brief.index("Short: advice")
    assert brief.count("Scope:") == 1 and "Not advice" not in brief


def test_a_brand_of_a_form_the_monograph_does_not_describe_is_named_so() -> None:
    text = get_renderer(OutputFormat.TERMINAL, PLAIN).monograph(show_drug(DATA, "alphajet"))
    assert (
        "alphajet → Alpha (brand name; Alphajet is an injection — this monograph describes tablets. "
        "[u]some markets[/u])"
    ) in " ".join(text.split())
    alphax = get_renderer(OutputFormat.TERMINAL, PLAIN).monograph(show_drug(DATA, "alphax"))
    assert "alphax → Alpha (brand name)\n" in alphax  # tablets: nothing to warn about


def test_terminal_without_colour_writes_no_escape_codes() -> None:
    for text in outputs(get_renderer(OutputFormat.TERMINAL, PLAIN)).values():
        assert not ESC.search(text)


def test_terminal_with_colour_styles_and_highlights() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(color=True)).search(search(DATA, "pain"))
    assert ESC.search(text)
    assert "\x1b[1;4;32mPain\x1b[0m" in text  # the matched word


def test_terminal_search_puts_a_setting_under_its_own_title() -> None:
    text = get_renderer(OutputFormat.TERMINAL, PLAIN).search(search(DATA, "PN"))
    lines = [line.strip() for line in text.splitlines()]
    target = lines.index("Treats it")
    setting = lines.index("As the setting (something else is treated)")
    assert target < lines.index("• Pain after [bold]work[/bold]") < setting < lines.index("• Spasm in pain")
    # The role always, and what is treated when it is not the condition searched for.
    assert "treated: Pain [link=http://evil]" in lines
    assert "setting: Pain [link=http://evil]; treats: Spasm" in lines
    assert "Read as: PN → Pain [link=http://evil] (abbreviation)" in lines
    # How the words matched: behind --why.
    assert not any(line.startswith("why:") for line in lines)
    why = get_renderer(OutputFormat.TERMINAL, PLAIN).search(search(DATA, "PN")._replace(why=True))
    assert "why: PN → Pain [link=http://evil] (abbreviation) — setting" in [
        w.strip() for w in why.splitlines()
    ]


def test_terminal_compare_cells_say_the_role_and_what_is_treated() -> None:
    text = get_renderer(OutputFormat.TERMINAL, PLAIN).comparison(compare_drugs(DATA))
    pain = next(line for line in text.splitlines() if line.startswith("│ Pain"))
    assert [c.strip() for c in pain.split("│")[3:5]] == ["✓ treated in Work *strain*", "setting for Spasm"]
    assert "* Alpha: Mind the [red]dose[/red]." in text  # the mark's text follows the table
    assert "│ Relaxant" in text and "✓*" in text
    assert "• Work *strain* (—): setting for Pain" in text


def test_terminal_ascii_output_uses_ascii_boxes_and_marks() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(unicode=False)).comparison(
        compare_drugs(DATA)
    )
    assert text.isascii()
    assert "yes" in text


def test_narrow_terminal_stacks_instead_of_cutting() -> None:
    text = get_renderer(OutputFormat.TERMINAL, TerminalSettings(width=40)).monograph(
        show_drug(DATA, "alpha", full=True)
    )
    assert all(len(line) <= 40 for line in text.splitlines())
    flat = " ".join(text.split())
    assert flat.count("route: parenteral") == 1  # only the second indication has a route
    assert "Spasm at night route: parenteral; only :pill: Treated: Spasm" in flat
    compared = get_renderer(OutputFormat.TERMINAL, TerminalSettings(width=40)).comparison(compare_drugs(DATA))
    assert all(len(line) <= 40 for line in compared.splitlines())
    flat = " ".join(compared.split())
    assert "Pain [link=http://evil] R52 Alpha: treated in Work *strain* Beta: setting for Spasm" in flat
    assert "Relaxant Alpha: ✓* Beta: ✓" in flat


def test_markdown_escapes_syntax_and_ends_with_the_disclaimer() -> None:
    for command, text in outputs(get_renderer(OutputFormat.MARKDOWN, PLAIN)).items():
        assert text.count("Not advice \\[bold\\]at all\\[/bold\\].") == 1, command
        if command == "show":  # every section: the Disclaimer section, not the footer again
            assert "## Disclaimer" in text and "\n---\n" not in text
            continue
        assert text.rstrip().endswith("Not advice \\[bold\\]at all\\[/bold\\]."), command
    show = outputs(get_renderer(OutputFormat.MARKDOWN, PLAIN))["show"]
    assert "\\[bold red\\]Loud\\[/\\] :pill: \\*\\*strong\\*\\* \\<b\\>x\\</b\\> \\| pipe" in show
    assert "## Corrections and readings of the source" in show
    assert "| at nite | At night \\[i\\]only\\[/i\\]. | The article's \\*word\\*. |" in show
    assert "- Blocks \\[b\\]things\\[/b\\]. — mentions: Work \\*strain\\* (not an indication)" in show
    assert "- Spasm at night (route: parenteral; only :pill:) — *Treated: Spasm*" in show
    compare = outputs(get_renderer(OutputFormat.MARKDOWN, PLAIN))["compare"]
    row = "| Pain \\[link=http\\://evil\\] | R52 | treated in Work \\*strain\\* | setting for Spasm |"
    assert row in compare
    assert "| Relaxant | ✓\\* | ✓ |" in compare


def test_json_is_one_document_with_the_envelope() -> None:
    for command, text in outputs(get_renderer(OutputFormat.JSON, PLAIN)).items():
        assert text.endswith("}\n")
        document = json.loads(text)
        assert document["command"] == command
        assert document["schema_version"] == 2
        assert document["disclaimer"] == {
            "text": "Not advice [bold]at all[/bold].",
            "compact": "Short: advice [b]no[/b].",
        }
        assert document["source"]["last_reviewed"] == "2025-07-08"
        assert document["source"]["scope"] == "Silent on [b]doses[/b]."


def test_json_search_carries_scores_reasons_and_highlights() -> None:
    document = json.loads(get_renderer(OutputFormat.JSON, PLAIN).search(search(DATA, "PN")))
    result = document["result"]
    assert [(h["tier"], h["drug_id"], h["indication_id"]) for h in result["hits"]] == [
        ("target", "alpha", "alpha-pain"),
        ("setting", "beta", "beta-spasm"),
    ]
    assert result["hit_count"] == 2
    hit = result["hits"][0]
    assert hit["reasons"] == [
        {
            "term": "PN",
            "match": "abbreviation",
            "condition_id": "pain",
            "role": "target",
            "reviewed": True,
            "queried_condition_id": None,
            "umbrella_id": None,
            "relation": "itself",
            "inner_code": None,
            "who_title": None,
            "excepted": [],
        }
    ]
    assert hit["highlights"] == {"unit": "python_str_index", "text_spans": [[0, 4]], "qualifier_spans": []}
    assert hit["links"] == [
        {"condition_id": "pain", "role": "target", "reviewed": True},
        {"condition_id": "work", "role": "setting", "reviewed": True},
    ]
    assert (hit["treats"], hit["caveat_ids"], hit["score"]) == ("Pain", ["alpha-dose"], 95.0)
    assert result["hits"][1]["reasons"][0]["role"] == "setting"
    assert result["meanings"] == [
        {
            "term": "PN",
            "match": "abbreviation",
            "condition_id": "pain",
            "umbrella_id": None,
            "code": None,
            "read_as_code": None,
            "note": None,
        }
    ]


def test_json_compare_groups_by_condition_id() -> None:
    document = json.loads(get_renderer(OutputFormat.JSON, PLAIN).comparison(compare_drugs(DATA)))
    groups = document["result"]["condition_groups"]
    pain, spasm = groups["shared"]
    assert pain["by_drug"]["alpha"]["text"] == "treated in Work *strain*"
    assert pain["by_drug"]["alpha"]["settings"] == [{"condition_id": "work", "label": "Work *strain*"}]
    assert pain["by_drug"]["beta"]["text"] == "setting for Spasm"
    keys = ("role", "indication_id", "treats", "route", "qualifiers")
    pain["by_drug"] = {d: c and {k: c[k] for k in keys} for d, c in pain["by_drug"].items()}
    assert pain == {
        "condition_id": "pain",
        "label": "Pain [link=http://evil]",
        "icd10": [{"code": "R52", "title": "Pain, not elsewhere classified"}],
        "by_drug": {
            "alpha": {
                "role": "target",
                "indication_id": "alpha-pain",
                "treats": "Pain",
                "route": None,
                "qualifiers": [],
            },
            "beta": {
                "role": "setting",
                "indication_id": "beta-spasm",
                "treats": "Spasm",
                "route": None,
                "qualifiers": [],
            },
        },
    }
    assert spasm["by_drug"]["alpha"]["route"] == "parenteral"
    assert spasm["by_drug"]["alpha"]["qualifiers"] == ["only :pill:"]
    assert [row["condition_id"] for row in groups["unique"]] == ["work"]
    assert groups["unique"][0]["by_drug"]["beta"] is None
    assert document["result"]["caveats"] == [
        {
            "drug_id": "alpha",
            "caveat_id": "alpha-dose",
            "text": "Mind the [red]dose[/red].",
            "disputes_effect_ids": ["relax"],
            "source_locator": None,
        }
    ]
    (relax,) = document["result"]["effects"]
    assert relax["by_drug"]["alpha"] == {
        "stated": True,
        "note": "* Mind the [red]dose[/red].",
        "caveat_id": "alpha-dose",
    }
    assert relax["by_drug"]["beta"] == {"stated": True, "note": None, "caveat_id": None}


def test_json_monograph_keeps_roles_mentions_readings_and_locators() -> None:
    document = json.loads(
        get_renderer(OutputFormat.JSON, PLAIN).monograph(show_drug(DATA, "alpha", [*Section]))
    )
    drug = document["result"]["drug"]
    assert drug["mechanism"][0]["mentions"] == [
        {"condition_id": "work", "label": "Work *strain*", "role": "mention"}
    ]
    pain, spasm = drug["indications"]
    assert [(k["condition_id"], k["role"]) for k in pain["links"]] == [
        ("pain", "target"),
        ("work", "setting"),
    ]
    assert pain["links"][1]["icd10"] == []
    assert (pain["source_locator"], pain["correction_ids"]) == ("alpha/indications/1", ["alpha-paim"])
    assert (spasm["route"], spasm["qualifiers"], spasm["reading_ids"]) == (
        "parenteral",
        ["only :pill:"],
        ["alpha-night"],
    )
    assert drug["readings"][0]["reading_id"] == "alpha-night"
    assert drug["effects"] == [
        {"effect_id": "relax", "label": "Relaxant", "disputed_by_caveat_id": "alpha-dose"}
    ]
    assert drug["brands"][1] == {"name": "Alphajet", "forms": ["injection"], "note": "[u]some markets[/u]"}


def test_json_escapes_c1_and_bidi_controls_that_json_leaves_raw() -> None:
    label = "x\u202ey\x9bz"
    problem = Problem(label, 1, 2, "a", "invalid", "error", "a: bad \x1b[2J")
    text = get_renderer(OutputFormat.JSON, PLAIN).validation(
        ValidationRun((ValidationReport(label, (problem,)),))
    )
    assert "\u202e" not in text and "\x9b" not in text and "\x1b" not in text
    document = json.loads(text)["result"]
    assert document["datasets"][0]["dataset"] == label
    assert document["problems"][0]["message"] == "a: bad \x1b[2J"


def test_validation_lines_are_what_editors_annotate() -> None:
    error = Problem("b.toml", 12, 7, "drug 1 atc", "bad-value", "error", "drug 1 atc: bad")
    warning = Problem("my.toml", 3, 1, "effect 1", "unused", "warning", 'effect "x": no drug has it')
    report = ValidationReport("my.toml", (), 1, 1, (warning,))
    text = get_renderer(OutputFormat.TERMINAL, PLAIN).validation(ValidationRun((report,)))
    assert text.splitlines() == [
        "my.toml: valid (1 drug, 1 condition), 1 warning",
        'my.toml:3:1: warning: effect "x": no drug has it',
    ]
    strict = get_renderer(OutputFormat.MARKDOWN, PLAIN).validation(
        ValidationRun((report, ValidationReport("b.toml", (error,))), strict=True)
    )
    shown = strict.replace("\\", "")  # Markdown escapes what could become markup
    assert "my.toml: 1 warning, errors under --strict" in shown
    assert "b.toml:12:7: drug 1 atc: bad" in shown


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
