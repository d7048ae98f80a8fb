"""The documents show what the tool does: every console example in README.md,
CONTRIBUTING.md, benchmarks/README.md and docs/*.md is run, and what it
prints is compared with what the document shows (CONTRIBUTING.md, "The
documents' examples", gives the convention). Also: every relative link
between the documents resolves, and the README's test command is the one CI
runs.

A console example is a fenced block with the info string `console`; one
fenced `console not-run` (output that varies by machine, such as timings) is
not run. Each `$ ` line is a command, run by bash on a pseudo-terminal 90
columns wide, with colour codes removed; the lines after it, up to the next
`$ `, are its output; a line that is only `…` (indented or not) stands
for any number of lines. A document's examples run in order, in one fresh directory holding
the files of tests/fixtures/docs/.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO, installed_adjuvant

DOCUMENTS = sorted(
    [
        REPO / "README.md",
        REPO / "CONTRIBUTING.md",
        REPO / "benchmarks" / "README.md",
        *(REPO / "docs").glob("*.md"),
    ]
)
NOT_RUN = {REPO / "CHANGELOG.md"}  # history: what each version printed when it was released
FIXTURES = Path(__file__).parent / "fixtures" / "docs"
WIDTH = 90
ELISION = "…"
TIMEOUT = 120  # seconds; a loaded machine runs an example in well under one
_FENCE = re.compile(r"^( *)```(.*)$")
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


@dataclass(frozen=True)
class Block:
    """A fenced block of a document: its info string, first line and lines."""

    document: Path
    info: str
    line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    """One `$ ` command of a console block and the output the document shows."""

    document: Path
    line: int
    command: str
    shown: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.document.relative_to(REPO)}:{self.line}: $ {self.command}"


def fenced_blocks(document: Path) -> list[Block]:
    """Every fenced block of a Markdown document, indented ones (in list
    items) included, with the indentation of its fence taken off its lines."""
    blocks: list[Block] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, info = len(opening.group(1)), opening.group(2).strip()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        blocks.append(Block(document, info, i + 1, tuple(body)))
        i = j + 1
    return blocks


def examples_of(block: Block) -> list[Example]:
    """The commands of a console block, each with the lines shown after it."""
    found: list[Example] = []
    for offset, line in enumerate(block.lines):
        if line.startswith("$ "):
            shown: list[str] = []
            for after in block.lines[offset + 1 :]:
                if after.startswith("$ "):
                    break
                shown.append(after)
            found.append(Example(block.document, block.line + 1 + offset, line[2:], tuple(shown)))
    return found


def console_examples(document: Path) -> list[Example]:
    return [e for b in fenced_blocks(document) if b.info == "console" for e in examples_of(b)]


def differences(shown: tuple[str, ...], printed: str) -> str | None:
    """None when `printed` is what the document shows, else a description
    of the first line that differs. `…` alone on a line matches any number
    of lines; trailing spaces and blank lines at the end do not count."""
    want = [line.rstrip() for line in shown]
    got = [line.rstrip() for line in printed.splitlines()]
    while want and not want[-1]:
        want.pop()
    while got and not got[-1]:
        got.pop()

    def match(w: int, g: int) -> bool:
        if w == len(want):
            return g == len(got)
        if want[w].strip() == ELISION:
            return any(match(w + 1, k) for k in range(g, len(got) + 1))
        return g < len(got) and want[w] == got[g] and match(w + 1, g + 1)

    if match(0, 0):
        return None
    for n, (w_line, g_line) in enumerate(zip(want, got, strict=False)):
        if w_line.strip() == ELISION:
            break
        if w_line != g_line:
            return f"line {n + 1}: shown {w_line!r}, printed {g_line!r}"
    return "shown:\n" + "\n".join(want) + "\nprinted:\n" + "\n".join(got)


def run_on_a_terminal(command: str, cwd: Path, env: dict[str, str]) -> str:
    """What `command` writes (stdout and stderr) to a terminal WIDTH columns
    wide, as a user would see it, without its colour codes."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    process = subprocess.Popen(
        ["bash", "-o", "pipefail", "-c", command],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + TIMEOUT
    while True:
        ready, _, _ = select.select([leader], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:  # a command waiting for input (a pager, a prompt) fails, not hangs
            process.kill()
            pytest.fail(f"{command!r} printed nothing more for {TIMEOUT} s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=TIMEOUT)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return _ESCAPES.sub("", text)


def documents_with_examples() -> list[Path]:
    return [d for d in DOCUMENTS if console_examples(d)]


# --------------------------------------------------------------------------
# Every console example prints what its document shows
# --------------------------------------------------------------------------


@pytest.mark.parametrize("document", documents_with_examples(), ids=lambda d: d.relative_to(REPO).as_posix())
def test_every_console_example_prints_what_the_document_shows(
    document: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    work = tmp_path / "work"
    shutil.copytree(FIXTURES, work)
    bin_dir = str(Path(installed_adjuvant()).parent)
    env = {
        **clean_env,
        "PATH": f"{bin_dir}{os.pathsep}{clean_env.get('PATH', '')}",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "ADJUVANT_PAGER": "cat",
        "LC_ALL": "C.UTF-8",
    }
    env.pop("PAGER", None)
    no_jq = shutil.which("jq") is None
    failures, skipped = [], []
    for example in console_examples(document):
        if no_jq and "| jq" in example.command:
            skipped.append(example)
            continue
        wrong = differences(example.shown, run_on_a_terminal(example.command, work, env))
        if wrong is not None:
            failures.append(f"{example}\n{wrong}")
    assert not failures, "\n\n".join(failures)
    if skipped:
        pytest.skip(f"jq is not installed (.ci/run installs it): {len(skipped)} examples not run")


def test_the_documents_have_console_examples() -> None:
    counted = {d.relative_to(REPO).as_posix(): len(console_examples(d)) for d in DOCUMENTS}
    assert counted["README.md"] >= 15
    assert counted["docs/your-own-dataset.md"] >= 5
    assert sum(1 for e in console_examples(REPO / "README.md") if "| jq" in e.command) >= 3


def test_every_block_of_commands_is_a_console_example() -> None:
    """A block showing `$ ` commands is either run (`console`) or says it is
    not (`console not-run`): no example escapes the test by its fence."""
    for document in DOCUMENTS:
        for block in fenced_blocks(document):
            if any(line.startswith("$ ") for line in block.lines):
                assert block.info in ("console", "console not-run"), f"{document}:{block.line}"


def test_every_document_is_run_or_named_as_not_run() -> None:
    found = {
        p
        for p in REPO.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(REPO).parts)
        and "node_modules" not in p.parts
    }
    assert found == set(DOCUMENTS) | NOT_RUN


def test_a_changed_output_fails() -> None:
    """The comparison can fail: each example with shown output, with one
    character of one shown line changed, no longer matches what it printed."""
    example = next(e for e in console_examples(REPO / "README.md") if len(e.shown) > 3)
    printed = "\n".join(line for line in example.shown if line != ELISION)
    assert differences(example.shown, printed) is None
    target = next(i for i, line in enumerate(example.shown) if line.strip() and line != ELISION)
    changed = list(example.shown)
    changed[target] = changed[target][:-1] + ("x" if changed[target][-1] != "x" else "y")
    assert differences(tuple(changed), printed) is not None
    assert differences((ELISION, "a"), "b\na\nc") is not None
    assert differences(("a", ELISION), "a") is None
    assert differences(("a", ELISION, "c"), "a\nb\nb\nc") is None


# --------------------------------------------------------------------------
# Links between the documents
# --------------------------------------------------------------------------

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def heading_anchors(document: Path) -> set[str]:
    """The fragments GitHub gives a document's headings."""
    anchors: set[str] = set()
    in_fence = False
    for line in document.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def relative_links(document: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", document.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)  # code spans show markup, they hold no link
    return [t for t in _LINK.findall(text) if not re.match(r"[a-z]+:", t)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(document: Path) -> None:
    for target in relative_links(document):
        path, _, fragment = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        assert resolved.exists(), f"{document.relative_to(REPO)}: {target}"
        if fragment:
            assert fragment in heading_anchors(resolved), f"{document.relative_to(REPO)}: {target}"


def test_the_documents_link_to_each_other() -> None:
    readme = relative_links(REPO / "README.md")
    for target in ("CONTRIBUTING.md", "benchmarks/README.md", "docs/your-own-dataset.md"):
        assert any(link.partition("#")[0] == target for link in readme), target


# --------------------------------------------------------------------------
# The layout list of CONTRIBUTING.md is the package's files
# --------------------------------------------------------------------------

_ENTRY = re.compile(r"^(?P<indent> +)(?P<name>[\w.]+(?:\.py|/))(?:\s|$)")


def test_the_layout_list_names_every_module_and_only_those() -> None:
    (block,) = [b for b in fenced_blocks(REPO / "CONTRIBUTING.md") if b.lines[:1] == ("src/adjuvant_cli/",)]
    listed: set[str] = set()
    parents: list[str] = []
    for line in block.lines[1:]:
        entry = _ENTRY.match(line)
        if entry is None:
            continue  # a description carried over to the next line
        depth = len(entry.group("indent")) // 2 - 1
        parents = parents[:depth]
        name = entry.group("name")
        listed.add("/".join([*parents, name.rstrip("/")]))
        if name.endswith("/"):
            parents.append(name.rstrip("/"))
    package = REPO / "src" / "adjuvant_cli"
    present = {
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if "__pycache__" not in p.parts and (p.suffix == ".py" or p.is_dir())
    }
    assert listed == present


# --------------------------------------------------------------------------
# The README's test command is CI's
# --------------------------------------------------------------------------


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    commands = [
        line
        for b in fenced_blocks(REPO / "README.md")
        if b.info == "sh"
        for line in b.lines
        if "pytest" in line
    ]
    assert len(commands) == 1, commands
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[0] in ci
    contributing = [line for b in fenced_blocks(REPO / "CONTRIBUTING.md") for line in b.lines]
    assert commands[0] in contributing
