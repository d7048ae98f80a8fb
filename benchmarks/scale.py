"""Scale benchmark: adjuvant on synthetic formularies of 1,000 and 10,000 drugs.

Run with the project's venv active (or its python):

    python benchmarks/scale.py [--rounds 11]

For each size it writes a dataset with make_dataset.py, then runs, in shuffled
rounds, a process that only parses the file with tomli (the baseline), and
`show` and `search` with --data on it: cold (no cache: parse, validate, build)
and warm (the dataset cache filled by an earlier run). It reports medians and
the ratios the budget in issue 4 names:

- at 10,000 drugs, show and search against the bare tomli parse (<= 1.5x);
- growth: (time at 10,000 - fixed start-up) / (time at 1,000 - fixed start-up)
  <= 11, the fixed start-up being the same command on the bundled dataset;
- the cache against parsing: a warm run must beat a cold one, and loading
  from the cache (a warm `show`, which does little else) must beat the bare
  parse.

`--before PATH` also runs the 10,000-drug cases, cold (the first load after
the file changed) and warm, with another install's `adjuvant` (e.g. one built
from an earlier commit), with its own cache, in the same shuffled rounds, and
reports this install's time over that one's, paired by round: the cost of a
change to the first load and to the cached path.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"exit {done.returncode}: {' '.join(argv)}\n{done.stderr.decode()}")
    return elapsed


def before_cases(
    before: str | None, path: str, drug: str, condition: str, envs: dict[str, dict[str, str]]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """The 10,000-drug cases (`envs`: by mode, cold and warm), run by another install (--before), if any."""
    if before is None:
        return {}
    return {
        f"10000: {command} {mode} (before)": ([before, "--data", path, command, word, "--json"], env)
        for command, word in (("show", drug), ("search", condition))
        for mode, env in envs.items()
    }


def report_before(times: dict[str, list[float]]) -> None:
    if "10000: show warm (before)" not in times:
        return
    for mode in ("cold", "warm"):
        for command in ("show", "search"):
            mine, theirs = times[f"10000: {command} {mode}"], times[f"10000: {command} {mode} (before)"]
            paired = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
            label = f"10k {command} {mode}, this install / --before"
            print(f"{label:58} {paired:6.2f}  (paired by round)")


def make_files(sizes: tuple[int, ...], workdir: Path) -> dict[int, Path]:
    files = {}
    for size in sizes:
        files[size] = workdir / f"formulary-{size}.toml"
        subprocess.run(
            [sys.executable, str(HERE / "make_dataset.py"), str(size), str(files[size])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return files


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--before", help="another install's adjuvant to compare warm runs against")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    python = sys.executable
    adjuvant = str(Path(python).parent / "adjuvant")
    workdir = Path(tempfile.mkdtemp(prefix="adjuvant-scale-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADJUVANT_", "COLUMNS"))}
    warm_env = {**env, "ADJUVANT_CACHE_DIR": str(workdir / "cache")}
    cold_env = {**env, "ADJUVANT_NO_CACHE": "1"}

    sizes = (1_000, 10_000)
    files = make_files(sizes, workdir)
    # A drug and a condition that exist in both sizes (the generator is deterministic).
    from make_dataset import drug_name  # this script's own folder is on sys.path

    drug, condition = drug_name(777), "spasm"  # a word many condition labels share

    cases: dict[str, tuple[list[str], dict[str, str]]] = {
        "fixed: show (bundled)": ([adjuvant, "show", "baclofen", "--json"], warm_env),
        "fixed: search (bundled)": ([adjuvant, "search", "spasticity", "--json"], warm_env),
    }
    for size in sizes:
        path = str(files[size])
        cases[f"{size}: tomli parse only"] = (
            [python, "-c", "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))", path],
            env,
        )
        for mode, mode_env in (("cold", cold_env), ("warm", warm_env)):
            cases[f"{size}: show {mode}"] = ([adjuvant, "--data", path, "show", drug, "--json"], mode_env)
            cases[f"{size}: search {mode}"] = (
                [adjuvant, "--data", path, "search", condition, "--json"],
                mode_env,
            )
    before_env = {**env, "ADJUVANT_CACHE_DIR": str(workdir / "cache-before")}
    before_envs = {"cold": cold_env, "warm": before_env}
    cases.update(before_cases(args.before, str(files[10_000]), drug, condition, before_envs))
    for argv, case_env in cases.values():  # fill the cache, warm the page cache
        timed(argv, case_env)

    times: dict[str, list[float]] = {name: [] for name in cases}
    order = random.Random(0)
    for _ in range(args.rounds):
        for name in order.sample(list(cases), len(cases)):
            times[name].append(timed(*cases[name]))
    median = {name: statistics.median(values) for name, values in times.items()}

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.rounds} shuffled rounds; files: "
        + ", ".join(f"{s:,} drugs {files[s].stat().st_size / 1e6:.1f} MB" for s in sizes)
    )
    print(f"{'case':32} {'median ms':>10}")
    for name in cases:
        print(f"{name:32} {median[name] * 1000:10.1f}")

    failures = 0

    def check(label: str, value: float, budget: float, below: bool = True) -> None:
        nonlocal failures
        ok = value <= budget if below else value >= budget
        failures += not ok
        print(
            f"{label:58} {value:6.2f}  (budget {'<=' if below else '>='} {budget}) {'ok' if ok else 'OVER'}"
        )

    def above_fixed(name: str, fixed: str) -> float:
        # Paired within rounds: at 1,000 drugs a warm run is only a few ms over
        # the fixed start-up, less than the drift between two medians.
        return statistics.median(a - b for a, b in zip(times[name], times[fixed], strict=True))

    print()
    parse = median["10000: tomli parse only"]
    for command in ("show", "search"):
        fixed = f"fixed: {command} (bundled)"
        for mode in ("warm", "cold"):
            big = median[f"10000: {command} {mode}"]
            growth = above_fixed(f"10000: {command} {mode}", fixed) / above_fixed(
                f"1000: {command} {mode}", fixed
            )
            if mode == "warm":  # the cache is how repeated runs work
                check(f"10k {command} warm / tomli parse of the 10k file", big / parse, 1.5)
                check(f"growth 1k->10k, {command} warm (time above fixed start-up)", growth, 11)
            else:  # the first run after the file changes: parse + validate + build; shown, not budgeted
                print(
                    f"{'10k ' + command + ' cold / tomli parse of the 10k file':58} {big / parse:6.2f}  "
                    "(first run after a change)"
                )
                print(
                    f"{'growth 1k->10k, ' + command + ' cold (time above fixed start-up)':58} {growth:6.2f}"
                )
        check(
            f"cache beats parsing: 10k {command}, cold / warm",
            median[f"10000: {command} cold"] / median[f"10000: {command} warm"],
            1.0,
            below=False,
        )
    check(
        "cache beats parsing: 10k tomli parse / warm show (load only)",
        parse / median["10000: show warm"],
        1.0,
        below=False,
    )
    report_before(times)
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
