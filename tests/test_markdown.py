"""Markdown output through the real CLI: it passes pymarkdownlnt, and text from
the dataset or a query stays text when a CommonMark renderer with a linkifier
(markdown-it-py + linkify-it-py) reads it: no heading, list, link, HTML or
entity that the text did not ask for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from pymarkdown.api import PyMarkdownApi
from typer.testing import CliRunner

from adjuvant_cli.cli import app

from .conftest import REPO

SMALL = REPO / "tests" / "fixtures" / "small.toml"

# Line length (MD013) is off: a table row cannot wrap, and prose is left
# unwrapped for the renderer to flow. Every other rule is on, at its defaults
# but one (MD024, below).
LINT_DISABLED = ("md013",)

HOSTILE = {
    "heading": "# Not a heading",
    "year": "1986. Not a list item",
    "entity": "&lt;b&gt;not bold&lt;/b&gt;",
    "url": "see https://example.com/x and www.example.org",
    "html": "<b>raw</b>",
    "link": "[click](http://evil.example)",
}


def markdown(args: list[str], data: str | None = None) -> str:
    prefix = ["--data", data] if data else []
    result = CliRunner().invoke(app, [*prefix, args[0], "--format", "markdown", *args[1:]])
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def lint(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.md"
    path.write_text(text, encoding="utf-8")
    api = PyMarkdownApi()
    for rule in LINT_DISABLED:
        api.disable_rule_by_identifier(rule)
    # A drug's name heads its hits in each search tier: the same heading under
    # different parents, as in any per-section listing.
    api.set_boolean_property("plugins.md024.siblings_only", True)
    found = api.scan_path(str(path))
    return [
        f"{f.line_number}:{f.column_number}:{f.rule_id} {f.rule_description}" for f in found.scan_failures
    ]


LINT_RUNS = [
    ["list"],
    ["show", "baclofen"],
    ["show", "tofisopam", "--corrections", "--sources"],
    ["show", "gablofen"],
    ["search", "spasticity"],
    ["search", "delirium", "tremens"],
    ["search", "--all", "relaxant"],
    ["compare"],
    ["compare", "diazepam", "tofisopam"],
    ["conditions"],
    ["conditions", "zzzz"],
    ["validate"],
]


@pytest.mark.parametrize("args", LINT_RUNS, ids=" ".join)
def test_markdown_passes_pymarkdownlnt(args: list[str], tmp_path: Path) -> None:
    assert lint(markdown(args), tmp_path) == []


@pytest.fixture
def hostile_dataset(tmp_path: Path) -> str:
    """The small fixture with text that Markdown would read as syntax."""
    text = SMALL.read_text(encoding="utf-8")
    edits = {
        'text = "Inhibits polysynaptic reflexes."': f'text = "{HOSTILE["heading"]}"',
        'text = "Enhances the inhibitory effect of GABA."': f'text = "{HOSTILE["year"]}"',
        'text = "Relieves painful spasms in spasticity."': f'text = "{HOSTILE["entity"]}"',
        'text = "The fixture disputes its own muscle-relaxant effect."': f'text = "{HOSTILE["url"]}"',
        'text = "Spasticity in multiple sclerosis"': (
            f'text = "Spasticity {HOSTILE["html"]} {HOSTILE["link"]}"'
        ),
        'drug_class = "Centrally acting muscle relaxant"': f'drug_class = "{HOSTILE["heading"]}"',
        'label = "Multiple sclerosis"': 'label = "1986. Multiple sclerosis"',
    }
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def parse(text: str) -> list[Any]:
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "table", "strikethrough"])
    return md.parse(text)


def flatten(tokens: list[Any]) -> list[Any]:
    out = []
    for token in tokens:
        out.append(token)
        out += flatten(token.children or [])
    return out


def visible_text(tokens: list[Any]) -> str:
    """What a reader sees, one line per block (escapes resolved, entities decoded)."""
    lines = []
    for token in tokens:
        if token.type == "inline":
            parts = (c.content if c.type != "softbreak" else " " for c in token.children or [])
            lines.append("".join(parts))
    return "\n".join(lines)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "alphalofen", "--corrections", "--sources"],
        ["show", "betazepam"],
        ["search", "spasticity"],
        ["search", "--all", "not", "bold"],
        ["compare"],
        ["conditions"],
        ["list"],
    ],
    ids=" ".join,
)
def test_text_from_the_dataset_stays_text(args: list[str], hostile_dataset: str, tmp_path: Path) -> None:
    out = markdown(args, hostile_dataset)
    tokens = parse(out)
    everything = flatten(tokens)
    kinds = {t.type for t in everything}
    assert "link_open" not in kinds, out
    assert "html_inline" not in kinds and "html_block" not in kinds, out
    assert "ordered_list_open" not in kinds, out
    # Only the renderer's own headings: none starts with the dataset's "Not a heading".
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("Not a heading" in h for h in headings), headings
    assert lint(out, tmp_path) == []


def test_each_hostile_string_reads_back_as_written(hostile_dataset: str) -> None:
    said = visible_text(parse(markdown(["show", "alphalofen"], hostile_dataset)))
    said += visible_text(parse(markdown(["show", "betazepam"], hostile_dataset)))
    said += visible_text(parse(markdown(["conditions"], hostile_dataset)))
    for name in ("heading", "year", "entity", "url", "html", "link"):
        assert HOSTILE[name] in said, (name, said)


@pytest.mark.parametrize("query", ["# heading", "1986. year", "&lt;b&gt;", "https://example.com", "<i>x</i>"])
def test_a_query_stays_text(query: str) -> None:
    out = markdown(["search", "--", query])
    tokens = parse(out)
    kinds = {t.type for t in flatten(tokens)}
    assert not kinds & {"link_open", "html_inline", "html_block", "ordered_list_open"}, out
    assert query in visible_text(tokens)
