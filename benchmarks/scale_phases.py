"""Where scale.py's time goes, phase by phase, in one process (issue 21).

    python benchmarks/scale_phases.py [--rounds 3]

scale.py times whole processes, which a shared machine makes noisy; this
script times the phases of its two close targets in one process, in CPU time
(time.process_time) and wall time, with the cyclic collector off as in a run:

- the many-hit search ("spasm") at 1,000 and 10,000 drugs, from the store:
  opening it, the candidates (reading and decoding the drugs the index
  names), the matching (tiers, reasons), the JSON rendering; each phase's
  10,000 / 1,000 ratio beside the ratio of the hits;
- the first load of the 10,000-drug file: reading, parsing and checking and
  building the model, writing the store; beside it the write of the marshal
  cache the store replaced (marshal.dumps of records.to_plain into a file),
  so that the store's share of the first load reads without `--before`.

Medians of the rounds; figures vary with the machine's load, ratios less.
"""

from __future__ import annotations

import argparse
import gc
import marshal
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Clock = tuple[float, float]  # CPU seconds, wall seconds


def clock() -> Clock:
    return time.process_time(), time.perf_counter()


def since(start: Clock) -> Clock:
    cpu, wall = clock()
    return cpu - start[0], wall - start[1]


def search_phases(path: Path, cache: Path, rounds: int) -> tuple[dict[str, list[Clock]], int]:
    from adjuvant_cli import search as search_package
    from adjuvant_cli.dataset import load_dataset
    from adjuvant_cli.render.json import JsonRenderer

    load_dataset(str(path), cache_dir=cache)  # builds the store
    # One search untimed: the first pays for imports and compiled patterns.
    JsonRenderer().search(search_package.search(load_dataset(str(path), cache_dir=cache), "spasm"))
    spent: dict[str, list[Clock]] = defaultdict(list)
    names = vars(search_package)  # its candidates() is timed in place
    real = names["candidates"]
    taken: list[Clock] = []

    def candidates(context: Any) -> Any:
        start = clock()
        found = real(context)
        taken.append(since(start))
        return found

    names["candidates"] = candidates
    hits = 0
    try:
        for _ in range(rounds):
            taken.clear()
            start = clock()
            dataset = load_dataset(str(path), cache_dir=cache)
            spent["open the store"].append(since(start))
            assert dataset.drug_index is not None, "not read from the store"
            start = clock()
            result = search_package.search(dataset, "spasm")
            searched = since(start)
            spent["candidates"].append(taken[0])
            spent["matching"].append((searched[0] - taken[0][0], searched[1] - taken[0][1]))
            start = clock()
            JsonRenderer().search(result)
            spent["JSON"].append(since(start))
            hits = len(result.hits)
    finally:
        names["candidates"] = real
    spent["total"] = [
        (sum(p[i][0] for p in spent.values()), sum(p[i][1] for p in spent.values())) for i in range(rounds)
    ]
    return spent, hits


def load_phases(path: Path, rounds: int) -> dict[str, list[Clock]]:
    from adjuvant_cli import cache, records, store
    from adjuvant_cli.dataset.building import parse_dataset
    from adjuvant_cli.dataset.reading import SCHEMA_VERSION, read_dataset_text

    spent: dict[str, list[Clock]] = defaultdict(list)
    for _ in range(rounds):
        start = clock()
        label, text = read_dataset_text(str(path))
        spent["read"].append(since(start))
        start = clock()
        dataset = parse_dataset(text, label)
        spent["parse, check, build"].append(since(start))
        info = path.stat()
        directory = Path(tempfile.mkdtemp(prefix="store-"))
        start = clock()
        store.write(cache.file_key(info, SCHEMA_VERSION), info, dataset, directory / "cache")
        spent["write the store"].append(since(start))
        assert any((directory / "cache").glob("*.sqlite")), "no store written"
        start = clock()
        (directory / "entry.marshal").write_bytes(marshal.dumps(records.to_plain(dataset)))
        spent["(the marshal cache's write)"].append(since(start))
        shutil.rmtree(directory)
        del dataset, text
    return spent


def median(values: list[Clock], field: int) -> float:
    return statistics.median(v[field] for v in values)


def shown(values: list[Clock]) -> str:
    return f"{median(values, 0) * 1000:7.1f} ({median(values, 1) * 1000:6.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as a run does (cli.run)
    from adjuvant_cli import cache

    cache.RACY_NS = 0  # the files were just written; nothing else writes them
    workdir = Path(tempfile.mkdtemp(prefix="adjuvant-phases-"))
    files = {}
    for size in (1_000, 10_000):
        files[size] = workdir / f"formulary-{size}.toml"
        make = [sys.executable, str(HERE / "make_dataset.py"), str(size), str(files[size])]
        subprocess.run(make, check=True, stdout=subprocess.DEVNULL)
    print(f"load {os.getloadavg()[0]:.1f}; {args.rounds} rounds; medians in ms, CPU (wall)")
    searched = {size: search_phases(files[size], workdir / f"cache-{size}", args.rounds) for size in files}
    (small, small_hits), (large, large_hits) = searched[1_000], searched[10_000]
    growth = large_hits / small_hits
    print(f"\nsearch spasm: {small_hits} hits at 1,000 drugs, {large_hits} at 10,000 ({growth:.1f}x)")
    print(f"{'phase':28} {'1,000':>16} {'10,000':>18} {'ratio':>7} {'per hit':>9}")
    for phase in large:
        ratio = median(large[phase], 0) / max(median(small[phase], 0), 1e-9)
        per_hit = median(large[phase], 0) * 1000 / large_hits
        sizes = f"{shown(small[phase]):>16} {shown(large[phase]):>18}"
        print(f"{phase:28} {sizes} {ratio:6.1f}x {per_hit:7.3f} ms")
    loaded = load_phases(files[10_000], args.rounds)
    print("\nfirst load of the 10,000-drug file")
    for phase, values in loaded.items():
        print(f"{phase:30} {median(values, 0) * 1000:9.0f} ({median(values, 1) * 1000:7.0f})")
    common = sum(median(loaded[p], 0) for p in ("read", "parse, check, build"))
    with_store = common + median(loaded["write the store"], 0)
    with_marshal = common + median(loaded["(the marshal cache's write)"], 0)
    print(f"first load with the store / with the marshal cache (CPU): {with_store / with_marshal:.2f}x")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
