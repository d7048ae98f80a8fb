"""Start-up in instructions: each command's instruction count against a bare
Typer app's, under valgrind (`--tool=callgrind`).

    python benchmarks/instructions.py [--before PATH] [--jobs 2]

A timed start-up (startup.py) varies by ~15% from one process to the next on
a shared machine; an instruction count does not move with the machine's load
(run to run it differs by well under 1%, with PYTHONHASHSEED fixed), so it
shows what a change costs where timings cannot, and where in a run it goes.
It is not a time: I/O and memory stalls are not in it, and the bare app's
process start weighs more in its time than in its instructions, so a ratio
here is larger than startup.py's (benchmarks/README.md gives both). The
budgets stay startup.py's.

`--before PATH` counts the same cases with another install's `adjuvant`.
Needs valgrind; each case takes a few seconds under it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from startup import BARE_APP

CASES: dict[str, tuple[list[str], dict[str, str]]] = {
    "show baclofen --json": (["show", "baclofen", "--json"], {}),
    "search spasticity --json": (["search", "spasticity", "--json"], {}),
    "search epilepsy --json (WHO)": (["search", "epilepsy", "--json"], {}),
    "compare --json": (["compare", "--json"], {}),
    "list --json": (["list", "--json"], {}),
    "show baclofen (terminal)": (["show", "baclofen"], {"FORCE_COLOR": "1", "COLUMNS": "100"}),
    "show baclofen (piped, plain)": (["show", "baclofen"], {}),
    "list (piped, plain)": (["list"], {}),
    "show baclofen --json (cold)": (["show", "baclofen", "--json"], {"ADJUVANT_NO_CACHE": "1"}),
    "show --help": (["show", "--help"], {}),
}


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """The instructions one run executes, as callgrind counts them."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        sys.exit(f"valgrind gave no count for {' '.join(argv)}: {done.stderr[-300:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="another install's adjuvant: count its cases too")
    parser.add_argument("--jobs", type=int, default=2, help="runs under valgrind at once")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    adjuvant = str(Path(sys.executable).parent / "adjuvant")
    bare = Path(tempfile.mkdtemp(prefix="adjuvant-instructions-")) / "bare.py"
    bare.write_text(BARE_APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADJUVANT_", "_ADJUVANT", "COLUMNS"))}
    env.update(PAGER="cat", PYTHONHASHSEED="0")
    installs = {"this install": adjuvant, **({"--before": args.before} if args.before else {})}
    for command in installs.values():  # a first run builds the cache the others read
        for argv, extra in CASES.values():
            subprocess.run([command, *argv], env={**env, **extra}, capture_output=True, check=False)
    with ThreadPoolExecutor(args.jobs) as pool:
        base = pool.submit(instructions, [sys.executable, str(bare), "show", "baclofen", "--json"], env)
        counts = {
            (install, name): pool.submit(instructions, [command, *argv], {**env, **extra})
            for install, command in installs.items()
            for name, (argv, extra) in CASES.items()
        }
        bare_count = base.result()
        print(f"{'instructions, ratio to the bare app':32} " + "   ".join(f"{i:>17}" for i in installs))
        print(f"{'bare Typer app':32} {bare_count / 1e6:8.1f} M")
        for name in CASES:
            cells = []
            for install in installs:
                count = counts[(install, name)].result()
                cells.append(f"{count / 1e6:8.1f} M {count / bare_count:5.2f}x")
            print(f"{name:32} " + "   ".join(cells))


if __name__ == "__main__":
    main()
