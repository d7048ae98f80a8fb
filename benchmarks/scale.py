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

The condition hierarchy (issue 17 item 6) is measured in the same run, on
the bundled dataset with thousands of conditions added (make_conditions.py):
10,000 with distinct codes load (`list`, no cache) in at most 3x a bare tomli
parse of that file; 3,000 sharing one range validate in at most 1.5x the time
of 3,000 distinct ones; a chain of 6,000 broader links under Spasticity has a
cache entry under 5 MB, and a search on it (cached) takes at most 2x the
four-drug search and under 200 MB. `--hierarchy-only` runs these cases alone.

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
from typing import Any

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
    parser.add_argument("--hierarchy-only", action="store_true", help="only the condition hierarchy's cases")
    return parser.parse_args()


HIERARCHY_FILES = {"distinct 10k": ("distinct", 10_000), "shared 3k": ("shared", 3_000)}
HIERARCHY_FILES |= {"distinct 3k": ("distinct", 3_000), "chain 6k": ("chain", 6_000)}


def hierarchy_cases(
    workdir: Path, python: str, adjuvant: str, env: dict[str, str]
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """The condition hierarchy's cases (make_conditions.py writes the files)."""
    paths = {}
    for name, (shape, count) in HIERARCHY_FILES.items():
        paths[name] = str(workdir / f"conditions-{shape}-{count}.toml")
        make = [python, str(HERE / "make_conditions.py"), shape, str(count), paths[name]]
        subprocess.run(make, check=True)
    cold = {**env, "ADJUVANT_NO_CACHE": "1"}
    chain_env = {**env, "ADJUVANT_CACHE_DIR": str(workdir / "cache-chain")}
    parse = "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))"
    # validate exits 0 with warnings (unused synthetic conditions), so `timed` accepts it.
    return {
        "hierarchy: tomli parse of distinct 10k": ([python, "-c", parse, paths["distinct 10k"]], env),
        "hierarchy: list distinct 10k (cold)": ([adjuvant, "--data", paths["distinct 10k"], "list"], cold),
        "hierarchy: validate shared 3k": ([adjuvant, "validate", paths["shared 3k"]], cold),
        "hierarchy: validate distinct 3k": ([adjuvant, "validate", paths["distinct 3k"]], cold),
        "hierarchy: search chain 6k (warm)": (
            [adjuvant, "--data", paths["chain 6k"], "search", "spasticity", "--json"],
            chain_env,
        ),
    }


def peak_rss_mb(argv: list[str], env: dict[str, str]) -> float:
    """The peak resident memory of one run of `argv`, measured in a child of its own."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], env=env, capture_output=True, text=True, check=True
    )
    kib = int(done.stdout.split()[-1])
    return kib / 1024 if platform.system() != "Darwin" else kib / 1024 / 1024


def report_hierarchy(
    median: dict[str, float], workdir: Path, cases: dict[str, tuple[list[str], dict[str, str]]], check: Any
) -> None:
    if "hierarchy: list distinct 10k (cold)" not in median:
        return
    parse = median["hierarchy: tomli parse of distinct 10k"]
    check(
        "hierarchy: 10k distinct codes, cold load / tomli parse",
        median["hierarchy: list distinct 10k (cold)"] / parse,
        3,
    )
    shared, distinct = median["hierarchy: validate shared 3k"], median["hierarchy: validate distinct 3k"]
    check("hierarchy: validate, 3k sharing M40-M54 / 3k distinct", shared / distinct, 1.5)
    entry = sum(f.stat().st_size for f in (workdir / "cache-chain").rglob("*") if f.is_file()) / 1e6
    check("hierarchy: chain of 6k, cache entry (MB)", entry, 5)
    chain = median["hierarchy: search chain 6k (warm)"] / median["fixed: search (bundled)"]
    check("hierarchy: chain of 6k, warm search / four-drug search", chain, 2)
    check(
        "hierarchy: chain of 6k, warm search peak RSS (MB)",
        peak_rss_mb(*cases["hierarchy: search chain 6k (warm)"]),
        200,
    )


def main() -> None:  # noqa: PLR0915 (one run, its cases spelled out)
    args = parse_args()
    python = sys.executable
    adjuvant = str(Path(python).parent / "adjuvant")
    workdir = Path(tempfile.mkdtemp(prefix="adjuvant-scale-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADJUVANT_", "COLUMNS"))}
    warm_env = {**env, "ADJUVANT_CACHE_DIR": str(workdir / "cache")}
    cold_env = {**env, "ADJUVANT_NO_CACHE": "1"}

    sizes: tuple[int, ...] = () if args.hierarchy_only else (1_000, 10_000)
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
    if not args.hierarchy_only:
        cases.update(before_cases(args.before, str(files[10_000]), drug, condition, before_envs))
    cases.update(hierarchy_cases(workdir, python, adjuvant, env))
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
    print(f"{'case':40} {'median ms':>10}")
    for name in cases:
        print(f"{name:40} {median[name] * 1000:10.1f}")

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
    report_hierarchy(median, workdir, cases, check)
    if args.hierarchy_only:
        shutil.rmtree(workdir, ignore_errors=True)
        sys.exit(1 if failures else 0)
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
