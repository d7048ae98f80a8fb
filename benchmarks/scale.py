"""Scale benchmark: adjuvant on synthetic formularies of 1,000 and 10,000
drugs, paired in one run against the four bundled drugs (issue 21).

Run with the project's venv active (or its python):

    python benchmarks/scale.py [--rounds 5] [--before PATH]

For each size it writes a dataset with make_dataset.py and builds its store
(the first load), then runs, in shuffled rounds, each case as a process and
records its time and its peak memory (maxrss). The four-drug cases are the
bundled dataset's `show baclofen` and `search spasticity` (3 drugs). The
targets (issue 21; they replace issue 4's budgets of at most 1.5x a bare
tomli parse and growth of at most 11x, which measured a whole-dataset cache):

- at 10,000 drugs, after the first load: `show NAME` at most 1.5x the
  four-drug `show`; a search whose answer holds at most 10 drugs
  ("coccygodynia": make_dataset.py's five drugs) at most 2x the four-drug
  search; the peak memory of each at most 2x its four-drug run. Ratios are
  medians of per-round ratios (paired by round).
- a search with many hits ("spasm", a word of hundreds of condition labels):
  its time above the four-drug search, per hit, is stated (ms per hit), and
  the time above the four-drug search at 10,000 drugs is at most 11x that at
  1,000 (about 10x the hits).
- with `--before PATH` (another install's `adjuvant`, e.g. one built from an
  earlier commit): the first load of the 10,000-drug file (parse, validate,
  build and write the store, each run with an empty cache directory) at most
  1.1x that install's first load, paired by round.

The four-drug start-up budgets are benchmarks/startup.py's. Whole processes
on a shared machine are noisy: benchmarks/scale_phases.py times the phases
of the many-hit search and of the first load in one process (CPU time), to
tell a target missed from a noisy round.

The condition hierarchy (issue 17 item 6) is measured in the same run, on
the bundled dataset with thousands of conditions added (make_conditions.py):
10,000 with distinct codes load (`list`, no cache) in at most 3x a bare tomli
parse of that file; 3,000 sharing one range validate in at most 1.5x the time
of 3,000 distinct ones; a chain of 6,000 broader links under Spasticity has a
store under 5 MB, and a search on it (stored) takes at most 2x the four-drug
search and under 200 MB. `--hierarchy-only` runs these cases alone,
`--no-hierarchy` the others alone, and `--first-load-only` only the first
load of the 10,000-drug file (with `--before`, paired against it): each
round of it takes two first loads, far more than every other case.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent


class Case(NamedTuple):
    argv: list[str]
    env: dict[str, str]
    fresh_cache: bool = False  # an empty cache directory each run: the first load


class Run(NamedTuple):
    seconds: float
    maxrss_kib: int


def timed(case: Case, workdir: Path) -> Run:
    env = case.env
    fresh = None
    if case.fresh_cache:
        fresh = Path(tempfile.mkdtemp(prefix="cache-", dir=workdir))
        env = {**env, "ADJUVANT_CACHE_DIR": str(fresh)}
    start = time.perf_counter()
    process = subprocess.Popen(case.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: a search that finds nothing
        raise SystemExit(f"exit {code}: {' '.join(case.argv)}\n{stderr}")
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    return Run(elapsed, usage.ru_maxrss)


def make_files(sizes: tuple[int, ...], workdir: Path) -> dict[int, Path]:
    files = {}
    for size in sizes:
        files[size] = workdir / f"formulary-{size}.toml"
        subprocess.run(
            [sys.executable, str(HERE / "make_dataset.py"), str(size), str(files[size])],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    time.sleep(2.1)  # past the racy window: a file changed in the last 2 s is not stored
    return files


def hits(argv: list[str], env: dict[str, str]) -> int:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    return len(json.loads(done.stdout)["result"]["hits"])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", help="another install's adjuvant to pair the first load against")
    parser.add_argument("--hierarchy-only", action="store_true", help="only the condition hierarchy's cases")
    parser.add_argument("--no-hierarchy", action="store_true", help="without the condition hierarchy's cases")
    parser.add_argument(
        "--first-load-only", action="store_true", help="only the 10,000-drug first load (and --before's)"
    )
    return parser.parse_args()


HIERARCHY_FILES = {"distinct 10k": ("distinct", 10_000), "shared 3k": ("shared", 3_000)}
HIERARCHY_FILES |= {"distinct 3k": ("distinct", 3_000), "chain 6k": ("chain", 6_000)}


def hierarchy_cases(workdir: Path, adjuvant: str, env: dict[str, str]) -> dict[str, Case]:
    """The condition hierarchy's cases (make_conditions.py writes the files)."""
    paths = {}
    for name, (shape, count) in HIERARCHY_FILES.items():
        paths[name] = str(workdir / f"conditions-{shape}-{count}.toml")
        make = [sys.executable, str(HERE / "make_conditions.py"), shape, str(count), paths[name]]
        subprocess.run(make, check=True)
    cold = {**env, "ADJUVANT_NO_CACHE": "1"}
    chain_env = {**env, "ADJUVANT_CACHE_DIR": str(workdir / "cache-chain")}
    parse = "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))"
    # validate exits 0 with warnings (unused synthetic conditions), so `timed` accepts it.
    return {
        "hierarchy: tomli parse of distinct 10k": Case(
            [sys.executable, "-c", parse, paths["distinct 10k"]], env
        ),
        "hierarchy: list distinct 10k (cold)": Case(
            [adjuvant, "--data", paths["distinct 10k"], "list"], cold
        ),
        "hierarchy: validate shared 3k": Case([adjuvant, "validate", paths["shared 3k"]], cold),
        "hierarchy: validate distinct 3k": Case([adjuvant, "validate", paths["distinct 3k"]], cold),
        "hierarchy: search chain 6k (warm)": Case(
            [adjuvant, "--data", paths["chain 6k"], "search", "spasticity", "--json"], chain_env
        ),
    }


def report_hierarchy(
    runs: dict[str, list[Run]], workdir: Path, check: Callable[[str, float, float], None]
) -> None:
    if "hierarchy: list distinct 10k (cold)" not in runs:
        return
    median = {name: statistics.median(r.seconds for r in values) for name, values in runs.items()}
    parse = median["hierarchy: tomli parse of distinct 10k"]
    check(
        "hierarchy: 10k distinct codes, cold load / tomli parse",
        median["hierarchy: list distinct 10k (cold)"] / parse,
        3,
    )
    shared, distinct = median["hierarchy: validate shared 3k"], median["hierarchy: validate distinct 3k"]
    check("hierarchy: validate, 3k sharing M40-M54 / 3k distinct", shared / distinct, 1.5)
    entry = sum(f.stat().st_size for f in (workdir / "cache-chain").rglob("*") if f.is_file()) / 1e6
    check("hierarchy: chain of 6k, store (MB)", entry, 5)
    chain = median["hierarchy: search chain 6k (warm)"] / median["4: search"]
    check("hierarchy: chain of 6k, warm search / four-drug search", chain, 2)
    peak = statistics.median(r.maxrss_kib for r in runs["hierarchy: search chain 6k (warm)"]) / 1024
    check("hierarchy: chain of 6k, warm search peak RSS (MiB)", peak, 200)


def cases_for(
    adjuvant: str, files: dict[int, Path], env: dict[str, str], before: str | None
) -> dict[str, Case]:
    from make_dataset import drug_name  # this script's own folder is on sys.path

    drug = drug_name(777)  # in both sizes (the generator is deterministic)
    cases = {
        "4: show": Case([adjuvant, "show", "baclofen", "--json"], env),
        "4: search": Case([adjuvant, "search", "spasticity", "--json"], env),
    }
    for size, path in files.items():
        data = [adjuvant, "--data", str(path)]
        cases[f"{size}: show"] = Case([*data, "show", drug, "--json"], env)
        cases[f"{size}: search few"] = Case([*data, "search", "coccygodynia", "--json"], env)
        cases[f"{size}: search many"] = Case([*data, "search", "spasm", "--json"], env)
    if 10_000 in files:
        big = [adjuvant, "--data", str(files[10_000]), "show", drug, "--json"]
        cases["10000: first load"] = Case(big, env, fresh_cache=True)
        if before is not None:
            cases["10000: first load (before)"] = Case([before, *big[1:]], env, fresh_cache=True)
    return cases


def compile_like_pip() -> None:
    """As startup.py does: pip byte-compiles what it installs, and an editable
    install under PYTHONDONTWRITEBYTECODE=1 would recompile adjuvant every run."""
    import adjuvant_cli

    compileall.compile_dir(Path(adjuvant_cli.__file__).parent, quiet=1)


def main() -> None:
    args = parse_args()
    compile_like_pip()
    adjuvant = str(Path(sys.executable).parent / "adjuvant")
    workdir = Path(tempfile.mkdtemp(prefix="adjuvant-scale-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADJUVANT_", "COLUMNS"))}
    env["ADJUVANT_CACHE_DIR"] = str(workdir / "cache")

    sizes: tuple[int, ...] = () if args.hierarchy_only else (1_000, 10_000)
    if args.first_load_only:
        sizes = (10_000,)
    files = make_files(sizes, workdir)
    cases = cases_for(adjuvant, files, env, args.before)
    if args.first_load_only:
        cases = {name: case for name, case in cases.items() if "first load" in name}
    elif not args.no_hierarchy:
        cases.update(hierarchy_cases(workdir, adjuvant, env))
    for case in cases.values():  # build the stores, warm the page cache
        timed(case, workdir)

    runs: dict[str, list[Run]] = {name: [] for name in cases}
    order = random.Random(0)
    for _ in range(args.rounds):
        for name in order.sample(list(cases), len(cases)):
            runs[name].append(timed(cases[name], workdir))

    # Counted after the rounds: a child's peak memory includes this process's
    # at the fork, which a decoded JSON of thousands of hits would raise.
    searched = sizes if not args.first_load_only else ()
    found = {size: hits(cases[f"{size}: search many"].argv, env) for size in searched}
    found_few = hits(cases["10000: search few"].argv, env) if searched else 0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"Python {platform.python_version()}; {args.rounds} shuffled rounds; files: "
        + ", ".join(f"{s:,} drugs {files[s].stat().st_size / 1e6:.1f} MB" for s in sizes)
    )
    print(f"{'case':30} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'peak MiB':>9}")
    for name, values in runs.items():
        seconds = [r.seconds * 1000 for r in values]
        peak = statistics.median(r.maxrss_kib for r in values) / 1024
        low, middle, high = min(seconds), statistics.median(seconds), max(seconds)
        print(f"{name:30} {middle:10.1f} {low:8.1f} {high:8.1f} {peak:9.1f}")

    failures = 0

    def check(label: str, value: float, budget: float) -> None:
        nonlocal failures
        ok = value <= budget
        failures += not ok
        print(f"{label:62} {value:6.2f}  (target <= {budget}) {'ok' if ok else 'OVER'}")

    print()
    report_hierarchy(runs, workdir, check)
    if args.hierarchy_only:
        shutil.rmtree(workdir, ignore_errors=True)
        sys.exit(1 if failures else 0)
    if not args.first_load_only:
        check_lookups(runs, sizes, found, found_few, check)
    if args.before:
        pairs = ratios(runs, "10000: first load", "10000: first load (before)")
        print("10k first load, each round's pair: " + ", ".join(f"{r:.2f}x" for r in pairs))
        check("10k first load, this install / --before", statistics.median(pairs), 1.1)
    else:
        print("10k first load: pair it with --before PATH (another install's adjuvant)")
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


def ratios(runs: dict[str, list[Run]], name: str, reference: str, field: str = "seconds") -> list[float]:
    """`name`'s run over `reference`'s, round by round."""
    return [getattr(a, field) / getattr(b, field) for a, b in zip(runs[name], runs[reference], strict=True)]


def check_lookups(
    runs: dict[str, list[Run]],
    sizes: tuple[int, ...],
    found: dict[int, int],
    found_few: int,
    check: Callable[[str, float, float], None],
) -> None:
    """The targets after the first load: `show` and the few-hit search
    against their four-drug runs, and the many-hit search's growth."""

    def paired(name: str, reference: str, field: str = "seconds") -> float:
        return float(statistics.median(ratios(runs, name, reference, field)))

    def above(name: str, reference: str) -> float:
        return statistics.median(
            a.seconds - b.seconds for a, b in zip(runs[name], runs[reference], strict=True)
        )

    check("10k show / 4-drug show (time)", paired("10000: show", "4: show"), 1.5)
    check(
        f"10k search, {found_few} drugs / 4-drug search (time)", paired("10000: search few", "4: search"), 2
    )
    check("10k show / 4-drug show (peak memory)", paired("10000: show", "4: show", "maxrss_kib"), 2)
    check(
        "10k search few / 4-drug search (peak memory)",
        paired("10000: search few", "4: search", "maxrss_kib"),
        2,
    )
    for size in sizes:
        extra = above(f"{size}: search many", "4: search")
        print(
            f"{f'{size} search many: {found[size]} hits, above the 4-drug search':62} "
            f"{extra * 1000:6.0f} ms = {extra * 1000 / found[size]:.3f} ms per hit"
        )
    check(
        f"search many, 10k / 1k above 4-drug ({found[10_000] / found[1_000]:.1f}x the hits)",
        above("10000: search many", "4: search") / above("1000: search many", "4: search"),
        11,
    )


if __name__ == "__main__":
    main()
