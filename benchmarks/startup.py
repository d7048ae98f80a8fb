"""Start-up benchmark: adjuvant's commands against a bare Typer app.

Run with the project's venv active (or its python):

    python benchmarks/startup.py [--rounds 31]

Every command and the baselines run once per round, in a shuffled order, so a
busy machine slows them alike. A command's ratio is the median, over rounds,
of its time divided by its baseline's time in the same round: pairing cancels
the slow drifts of a shared machine that a ratio of two medians would keep.
The report gives each command's median time, that ratio, and the budget from
issue 4. Peak memory is each process's own max RSS (os.wait4), by median.

`--before PATH` runs every adjuvant case with another install's `adjuvant`
too, in the same shuffled rounds, and reports this install's time over that
one's, paired by round: the cost of a change to start-up. This machine's
runs vary by ~15% from one process to the next, so a ratio's run-to-run
spread is about ±0.1 at 31 rounds; use 100 rounds or more to compare.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BARE_APP = """
import json
import typer

app = typer.Typer()


@app.command()
def show(name: str, json_: bool = typer.Option(False, "--json")) -> None:
    print(json.dumps({"name": name, "json": json_}))


@app.command()
def version() -> None:
    print("0")


if __name__ == "__main__":
    app()
"""


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    budget: float | None = None  # ratio to the bare app
    baseline: str = "bare Typer app"
    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)


def run_once(case: Case, base_env: dict[str, str]) -> None:
    start = time.perf_counter()
    process = subprocess.Popen(
        case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**base_env, **case.env}
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{case.name}: exit {process.returncode}: {' '.join(case.argv)}")
    case.seconds.append(elapsed)
    case.rss_kib.append(usage.ru_maxrss)


def script(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else shutil.which(name) or name


def before_cases(cases: list[Case], adjuvant: str, before: str | None) -> list[Case]:
    """The adjuvant cases run by another install (--before), unbudgeted."""
    if before is None:
        return []
    return [
        Case(f"{case.name} (before)", [before, *case.argv[1:]], case.env)
        for case in cases
        if case.argv[0] == adjuvant and case.baseline == "bare Typer app"
    ]


def report_before(cases: list[Case]) -> None:
    """Each case's time over the other install's, paired by round."""
    by_name = {c.name: c for c in cases}
    twins = [c for c in cases if c.name.endswith(" (before)")]
    if twins:
        print()
    for twin in twins:
        mine = by_name[twin.name.removesuffix(" (before)")]
        ratio = statistics.median(a / b for a, b in zip(mine.seconds, twin.seconds, strict=True))
        print(f"{mine.name + ', this install / --before':58} {ratio:6.2f}  (paired by round)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument(
        "--before",
        help="another install's adjuvant (e.g. built from an earlier commit): run every adjuvant "
        "case with it too, in the same rounds, and report this install's time over its",
    )
    args = parser.parse_args()

    # pip byte-compiles what it installs; an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would instead recompile adjuvant on every run,
    # while the baseline's Typer is compiled. Compile it like pip does.
    import adjuvant_cli

    compileall.compile_dir(Path(adjuvant_cli.__file__).parent, quiet=1)

    workdir = Path(tempfile.mkdtemp(prefix="adjuvant-bench-"))
    bare = workdir / "bare.py"
    bare.write_text(BARE_APP)
    python = sys.executable
    adjuvant = script("adjuvant")
    no_cache = {"ADJUVANT_NO_CACHE": "1"}
    # The four drugs as a dataset of one's own, read from its store: unbudgeted,
    # the measure of why the bundled dataset does not go through the store.
    from adjuvant_cli.dataset import bundled_path

    own = workdir / "own.toml"
    shutil.copyfile(bundled_path() or "", own)
    stored = {"ADJUVANT_CACHE_DIR": str(workdir / "cache")}
    time.sleep(2.1)  # a file changed in the last 2 s is parsed, not stored
    complete = {"_ADJUVANT_COMPLETE": "complete_bash", "COMP_WORDS": "adjuvant show ba", "COMP_CWORD": "2"}
    cases = [
        Case("bare Typer app", [python, str(bare), "show", "baclofen", "--json"]),
        Case("python -c (one JSON line)", [python, "-c", "import json; print(json.dumps({'a': 1}))"]),
        Case("show baclofen --json", [adjuvant, "show", "baclofen", "--json"], budget=1.25),
        Case("search spasticity --json", [adjuvant, "search", "spasticity", "--json"], budget=1.3),
        # A word the dataset does not explain: WHO's titles are read (epilepsy is
        # G40; sciatica became the dataset's own word, so it reads none).
        Case("search epilepsy --json (WHO)", [adjuvant, "search", "epilepsy", "--json"], budget=1.3),
        Case("compare --json", [adjuvant, "compare", "--json"], budget=1.3),
        Case("list --json", [adjuvant, "list", "--json"], budget=1.3),
        Case(
            "show baclofen (terminal)",
            [adjuvant, "show", "baclofen"],
            {"FORCE_COLOR": "1", "COLUMNS": "100"},
            1.6,
        ),
        # Piped: the default format is plain records, drawn without Rich.
        Case("show baclofen (piped, plain)", [adjuvant, "show", "baclofen"], budget=1.3),
        Case("list (piped, plain)", [adjuvant, "list"], budget=1.3),
        Case("show --help", [adjuvant, "show", "--help"], budget=1.3),
        # Cold: no cache, so the bundled TOML is parsed, checked and built on
        # every run (the first run after an install, or ADJUVANT_NO_CACHE=1).
        Case("show baclofen --json (cold)", [adjuvant, "show", "baclofen", "--json"], no_cache, budget=1.25),
        Case("search spasticity --json (cold)", [adjuvant, "search", "spasticity", "--json"], no_cache, 1.3),
        Case("complete 'adjuvant show ba'", [adjuvant], complete, budget=1.3),
        Case(
            "show baclofen --json (store)",
            [adjuvant, "--data", str(own), "show", "baclofen", "--json"],
            stored,
        ),
        Case(
            "search spasticity --json (store)",
            [adjuvant, "--data", str(own), "search", "spasticity", "--json"],
            stored,
        ),
        Case(
            "show --json vs python -c",
            [adjuvant, "show", "baclofen", "--json"],
            budget=5.0,
            baseline="python -c (one JSON line)",
        ),
    ]
    cases += before_cases(cases, adjuvant, args.before)
    base_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("ADJUVANT_", "_ADJUVANT", "COLUMNS"))
    }
    base_env["PAGER"] = "cat"
    for case in cases:  # warm the page cache and .pyc files
        run_once(case, base_env)
        case.seconds.clear()
        case.rss_kib.clear()
    order = random.Random(0)
    for _ in range(args.rounds):
        for case in order.sample(cases, len(cases)):
            run_once(case, base_env)

    by_name = {c.name: c for c in cases}
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; {args.rounds} rounds, shuffled, paired ratios"
    )
    print(f"{'command':32} {'median ms':>10} {'ratio':>7} {'budget':>7}  baseline")
    failures = 0
    for case in cases:
        median = statistics.median(case.seconds)
        paired = zip(case.seconds, by_name[case.baseline].seconds, strict=True)
        ratio = statistics.median(mine / theirs for mine, theirs in paired)
        verdict = ""
        if case.budget is not None:
            ok = ratio <= case.budget
            failures += not ok
            verdict = f"{case.budget:>6.2f}x {'ok' if ok else 'OVER'}"
        print(f"{case.name:32} {median * 1000:10.1f} {ratio:6.2f}x {verdict:>10}  {case.baseline}")
    show_rss = statistics.median(by_name["show baclofen --json"].rss_kib)
    bare_rss = statistics.median(by_name["bare Typer app"].rss_kib)
    memory_ratio = show_rss / bare_rss  # memory does not drift with load: plain medians
    memory_ok = memory_ratio <= 1.2
    failures += not memory_ok
    print(
        f"{'peak RSS show --json':32} {show_rss / 1024:8.1f} MiB {memory_ratio:5.2f}x "
        f"{1.2:>6.2f}x {'ok' if memory_ok else 'OVER'}  bare Typer app ({bare_rss / 1024:.1f} MiB)"
    )
    report_before(cases)
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
