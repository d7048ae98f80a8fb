"""One screen (issue 20): what a clinician reads at a glance, through the
installed CLI as a terminal user runs it (`--format terminal`, COLUMNS set).

The targets: every bundled drug's default `show` fits 60 lines at 80 columns
and shows its first indication within the first 24; at 40 columns nothing is
lost, no word is split and no line is wider than 40; the scope and the
compact disclaimer are said once, after the answer, in at most 6 lines with
the title and the source; `show baclofen -s onset` is at most 8 lines.
Nothing the terminal showed before is lost: `WHERE` lists where each piece went.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from .conftest import REPO, installed_adjuvant

DRUGS = ("baclofen", "diazepam", "tizanidine", "tofisopam")
BEFORE = (
    Path(__file__).parent / "fixtures" / "before-one-screen"
)  # the terminal at 80 columns before issue 20
SCOPE_START = "Covers forms, actions and indications only"
OLD_SCOPE = (
    "Scope: The source gives dosage forms, pharmacological action and indications only: nothing on "
    "doses, contraindications (beyond the one in tofisopam's indications), adverse effects, "
    "interactions, pregnancy, or renal and hepatic use. The absence of a statement is not the "
    "absence of a risk."
)


@functools.cache
def terminal(args: tuple[str, ...], columns: int = 80) -> str:
    """What the installed `adjuvant` prints on a terminal `columns` wide."""
    command, *rest = args
    done = subprocess.run(
        [installed_adjuvant(), command, "--format", "terminal", "--no-pager", *rest],
        env={"COLUMNS": str(columns), "NO_COLOR": "1", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def words(text: str) -> list[str]:
    """The words of `text`, without a panel's border (which takes the width)."""
    return sorted(w for w in text.split() if not set(w) <= set("╭╮╰╯│─"))


def footer_start(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(SCOPE_START))


# --- item 1: show opens on what a clinician needs ----------------------------


@pytest.mark.parametrize("drug", DRUGS)
def test_default_show_fits_a_screen_and_opens_on_the_indications(drug: str) -> None:
    lines = terminal(("show", drug)).splitlines()
    assert len(lines) <= 60
    heading = next(i for i, line in enumerate(lines) if line.startswith("Indications"))
    first_bullet = next(i for i, line in enumerate(lines) if i > heading and line.startswith(" • "))
    assert first_bullet < 24, lines[: first_bullet + 1]


@pytest.mark.parametrize("drug", DRUGS)
def test_at_40_columns_nothing_is_lost_and_no_word_is_split(drug: str) -> None:
    for args in (("show", drug), ("show", drug, "--full")):
        narrow, wide = terminal(args, 40), terminal(args, 80)
        assert max(len(line) for line in narrow.splitlines()) <= 40
        # The same words, whole: a split word would be two others.
        assert words(narrow) == words(wide)


@pytest.mark.parametrize("drug", DRUGS)
def test_full_shows_everything_shown_before(drug: str) -> None:
    before = (BEFORE / f"show-{drug}.txt").read_text(encoding="utf-8")
    # The scope paragraph is now said after the answer, in its compact form; its
    # full text is in `-s disclaimer` (WHERE) and JSON (test_the_full_texts_stay_in_json_and_markdown).
    flat = " ".join(before.split()).replace(OLD_SCOPE, "")
    # Runs of categories each the condition itself are now listed one by one (FACTS §4);
    # meningitis's G00-G03 is again one range, which it covers.
    for run, each in (("A33-A35", "A33 A34 A35"), ("M05-M06", "M05 M06")):
        flat = flat.replace(run, each)
    full = terminal(("show", drug, "--full"))

    def bare(text: str) -> set[str]:  # "source." before, "source;" now: the same word
        return {w.strip(".,;:") for w in text.split()}

    assert not bare(flat) - bare(full)


@pytest.mark.parametrize("drug", DRUGS)
def test_the_brief_view_keeps_identity_caveats_and_each_indication(drug: str) -> None:
    document = json.loads(
        subprocess.run(
            [installed_adjuvant(), "show", drug, "--json"], capture_output=True, text=True, check=True
        ).stdout
    )["result"]
    flat = " ".join(terminal(("show", drug)).split())
    assert document["drug"]["drug_class"] in flat
    for brand in document["drug"]["brands"]:
        assert brand["name"] in flat
    shorts = {
        c["id"]: c.get("short", c["text"])
        for d in tomllib.loads((REPO / "data" / "monographs.toml").read_text(encoding="utf-8"))["drugs"]
        for c in d.get("caveats", [])
    }
    for caveat in document["drug"]["caveats"]:  # one short line of text each: a mark alone is not enough
        assert f"Caveat {shorts[caveat['caveat_id']]}" in flat
    for indication in document["drug"]["indications"]:
        assert f"• {indication['text']}" in flat
        for limit in (indication["route"], *indication["qualifiers"], indication["contraindication"]):
            if limit:
                assert limit in flat, (indication["text"], limit)


def test_a_brand_of_an_undescribed_form_keeps_its_warning() -> None:
    flat = " ".join(terminal(("show", "baclofen")).split())
    assert "Gablofen (intrathecal injection)" in flat
    assert "(forms in brackets: not described here)" in flat
    # Lioresal and Valium are tablets too: never told as only the other form (FACTS §3)
    assert "Baklosan; Lioresal (also intrathecal injection);" in flat
    diazepam = " ".join(terminal(("show", "diazepam")).split())
    assert "Brands: Valium, Relanium, Seduxen, Sibazon, Apaurin (also injection);" in diazepam
    assert "Diastat (rectal gel)" in diazepam


def test_a_roles_line_only_where_it_adds_to_the_bullet() -> None:
    flat = " ".join(terminal(("show", "diazepam")).split())
    assert "• Angina pectoris •" in flat  # "Treated: Angina pectoris" said nothing new
    assert (
        "Premature labour — only at the end of the third trimester of pregnancy · treated: Preterm labour"
        in flat
    )
    full = " ".join(terminal(("show", "diazepam", "--full")).split())
    assert "Angina pectoris Treated: Angina pectoris" in full


def test_a_roles_line_that_leaves_out_what_the_bullet_names_never_reads_as_the_whole_list() -> None:
    # Baclofen's settings are multiple sclerosis, stroke, TBI, meningitis, spinal
    # (cord) diseases and cerebral palsy (FACTS §4a): the bullet names all but the
    # reading of "spinal diseases", so the line says "also" (fourth review, row 15).
    flat = " ".join(terminal(("show", "baclofen")).split())
    assert "cerebral palsy · also settings: Spinal cord diseases; examples: Myelitis," in flat
    assert "· settings: Alcohol dependence" in flat  # the bullet names none of them: the whole list
    diazepam = " ".join(terminal(("show", "diazepam")).split())
    spastic = "(cerebral palsy, athetosis, tetanus) · treated: Spasticity, Muscle spasm; also settings:"
    assert spastic in diazepam


# Where each piece of the monograph the terminal showed before issue 20 is now.
WHERE = [
    ("class, forms, brand names", ("show", "diazepam"), "Valium, Relanium"),
    ("each caveat, short", ("show", "diazepam"), "Only tablets are named"),
    (
        "each indication with its route and qualifiers",
        ("show", "diazepam"),
        "Epileptic seizures — to stop seizures",
    ),
    ("the scope, compact", ("show", "diazepam"), SCOPE_START),
    ("ATC code", ("show", "diazepam", "--full"), "N05BA01"),
    ("other names", ("show", "diazepam", "--full"), "диазепам"),
    ("each caveat in full", ("show", "tofisopam", "--full"), "2,3-benzodiazepine"),
    ("every roles line", ("show", "diazepam", "--full"), "Treated: Anxiety disorders"),
    ("the readings under their indication", ("show", "tofisopam", "--full"), "Read as: Personality disorder"),
    ("conditions and WHO codes", ("show", "diazepam", "--full"), "Conditions and WHO ICD-10 codes"),
    ("conditions and WHO codes, by name", ("show", "diazepam", "-s", "indications"), "I21 Acute myocardial"),
    ("onset", ("show", "diazepam", "-s", "onset"), "Onset"),
    ("effect profile", ("show", "diazepam", "--full"), "Effect profile"),
    ("clinical effects", ("show", "diazepam", "--full"), "Clinical effects"),
    ("mechanism", ("show", "diazepam", "-s", "mechanism"), "Mechanism"),
    (
        "the full disclaimer",
        ("show", "diazepam", "-s", "disclaimer"),
        "decided only by the attending physician",
    ),
    ("the scope in full", ("show", "diazepam", "-s", "disclaimer"), OLD_SCOPE),
    ("the locators", ("show", "diazepam", "--sources"), "source: diazepam/indications/"),
    ("how a search hit matched", ("search", "back", "pain", "--why"), "why: back pain → Vertebral syndrome"),
]


@pytest.mark.parametrize(("piece", "args", "shown"), WHERE, ids=[w[0] for w in WHERE])
def test_nothing_shown_before_is_lost(piece: str, args: tuple[str, ...], shown: str) -> None:
    assert shown in " ".join(terminal(args, 100).split()), piece


def test_the_full_texts_stay_in_json_and_markdown() -> None:
    document = json.loads(
        subprocess.run(
            [installed_adjuvant(), "show", "baclofen", "--json"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert " ".join(document["source"]["scope"].split()) == OLD_SCOPE.removeprefix("Scope: ")
    assert document["disclaimer"]["text"].startswith("For information only; not a guide to self-treatment.")
    markdown = subprocess.run(
        [installed_adjuvant(), "show", "baclofen", "--format", "markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "decided only by the attending physician" in markdown


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (("show", "baclofen"), "## Indications"),
        (("show", "baclofen", "-s", "onset"), "Not stated in the source."),
        (("search", "back", "pain"), "Painful muscle spasms caused by"),
        (("compare", "baclofen", "tizanidine"), "## Effect profile"),
    ],
    ids=["show", "show onset", "search", "compare"],
)
def test_markdown_says_the_scope_once_after_the_answer_with_the_full_disclaimer(
    args: tuple[str, ...], answer: str
) -> None:
    markdown = subprocess.run(
        [installed_adjuvant(), *args, "--format", "markdown"], capture_output=True, text=True, check=False
    ).stdout
    assert markdown.count("*Scope: ") == 1
    assert markdown.index(answer) < markdown.index("*Scope: ") < markdown.index("> **Disclaimer.** For")
    assert "decided only by the attending physician" in markdown


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        (("show", "baclofen", "-s", "onset"), "Not stated in the source."),
        (("search", "back", "pain"), "Painful muscle spasms caused by"),
        (("compare", "baclofen", "tizanidine"), "attribute\tBaclofen\tTizanidine"),
    ],
    ids=["show onset", "search", "compare"],
)
def test_plain_says_the_full_scope_after_the_answer_as_a_comment(args: tuple[str, ...], answer: str) -> None:
    """Piped, the scope is a `# ` line beside the disclaimer and the source:
    after the answer, and `grep -v '^#'` leaves the answer only."""
    plain = subprocess.run(
        [installed_adjuvant(), *args, "--format", "plain"], capture_output=True, text=True, check=False
    ).stdout
    lines = plain.splitlines()
    scope = [i for i, line in enumerate(lines) if "Scope:" in line]
    assert scope == [len(lines) - 3], lines[-4:]
    assert lines[-3] == "# " + OLD_SCOPE
    assert plain.index(answer) < plain.index("# Scope:")


# --- item 2: scope and disclaimer said once, short, after the answer ---------


def test_the_compact_disclaimer_keeps_the_four_elements_of_facts_1() -> None:
    flat = " ".join(terminal(("show", "baclofen", "-s", "onset")).split())
    compact = flat[flat.index("Information only") : flat.index("Source:")]
    elements = [
        r"Information only, not a guide to self-treatment",  # informational, not self-treatment
        r"only a doctor decides need, regimen, route and dose",  # the physician decides
        r"Self-medication is dangerous",
        r"Read the official leaflet",
    ]
    for element in elements:
        assert re.search(element, compact), element


def test_the_compact_scope_keeps_both_points_in_120_characters() -> None:
    flat = " ".join(terminal(("show", "baclofen", "-s", "onset")).split())
    scope = flat[flat.index(SCOPE_START) : flat.index("Information only")].strip()
    assert len(scope) <= 120
    assert "no doses, side effects, interactions or pregnancy" in scope  # what it does not cover
    assert "Not stated ≠ no risk." in scope  # absence of a statement is not absence of a risk


@pytest.mark.parametrize(
    "args",
    [
        ("show", "baclofen"),
        ("show", "diazepam", "--full"),
        ("show", "baclofen", "-s", "onset"),
        ("search", "back", "pain"),
        ("search", "sciatica"),
        ("compare", "baclofen", "tizanidine"),
    ],
    ids=" ".join,
)
def test_what_surrounds_an_answer_takes_at_most_6_lines_after_it(args: tuple[str, ...]) -> None:
    lines = terminal(args).rstrip().splitlines()
    start = footer_start(lines)
    footer = lines[start:]
    assert 1 + len(footer) <= 6, footer  # the title line, scope, disclaimer, source
    assert footer[-1].startswith("Source: “Use of adjuvants")
    assert sum(SCOPE_START in line for line in lines) == 1  # said once
    assert not any(line.startswith("Scope:") for line in lines[:start])  # never before the answer


def test_show_onset_is_8_lines_and_not_stated_carries_no_risk_there() -> None:
    lines = terminal(("show", "baclofen", "-s", "onset")).rstrip().splitlines()
    assert len(lines) <= 8, lines
    assert lines[0] == "Baclofen — Onset"
    assert lines[1] == "Not stated in the source; not stated ≠ no risk."


# --- item 4: search says why in few words ------------------------------------


@pytest.mark.parametrize("query", ["back pain", "spasm", "lumbago", "pregnancy", "ms"])
@pytest.mark.parametrize("columns", [40, 80])
def test_search_has_no_trailing_spaces_and_no_header_back_at_column_0(query: str, columns: int) -> None:
    out = terminal(("search", *query.split()), columns)
    lines = out.splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    coloured = re.sub(
        r"\x1b\[[0-9;]*m", "", terminal(("search", *query.split(), "--color", "always"), columns)
    )
    assert coloured == out  # colour codes never hide trailing spaces
    for i, line in enumerate(lines[:-1]):
        if re.match(r"(Baclofen|Diazepam|Tizanidine|Tofisopam)  ", line) and not lines[i + 1].startswith(" "):
            pytest.fail(f"the drug header wraps back to column 0: {line!r} / {lines[i + 1]!r}")


def test_search_headings_are_short_and_every_hit_says_its_role() -> None:
    out = terminal(("search", "back", "pain"))
    assert "Under “Back pain”, as the setting (something else is treated)" in out
    flat = " ".join(out.split())
    assert "setting: Vertebral syndrome; treats: Spasm or tension of skeletal muscles" in flat
    # back pain reaches tizanidine's spine indication through its own setting, not an example of it
    assert "setting: Disorders of the spine; treats: Painful muscle spasms" in flat
    assert "(stem)" not in flat and "why:" not in flat
    lumbago = " ".join(terminal(("search", "lumbago")).split())
    assert "the source names Vertebral syndrome, which includes Low back pain — setting" in lumbago


def test_before_and_after_line_counts() -> None:
    """The figures of the closing note: before (fixtures) and after, at 80 columns."""
    for drug in DRUGS:
        before = len((BEFORE / f"show-{drug}.txt").read_text(encoding="utf-8").splitlines())
        after = len(terminal(("show", drug)).splitlines())
        assert after < before / 2 or after <= 30, (drug, before, after)
    before = len((BEFORE / "search-back-pain.txt").read_text(encoding="utf-8").splitlines())
    assert len(terminal(("search", "back", "pain")).splitlines()) < before


# --- item 5: the article's own words behind a claim --------------------------


def test_show_sources_prints_the_article_words_under_each_statement() -> None:
    out = " ".join(terminal(("show", "tizanidine", "--sources"), 100).split())
    assert (
        "source: tizanidine/indications/1.1: “occurring after surgery (including for intervertebral disc "
        "herniation or osteoarthritis of the hip joint)”"
    ) in out
    document = json.loads(
        subprocess.run(
            [installed_adjuvant(), "show", "baclofen", "--json"], capture_output=True, text=True, check=True
        ).stdout
    )["result"]["drug"]
    assert all(i["quote"] for i in document["indications"])
    assert all(s["quote"] for s in document["mechanism"])
