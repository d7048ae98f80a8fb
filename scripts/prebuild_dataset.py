"""Write data/monographs.marshal, the bundled dataset pre-validated
(src/adjuvant_cli/dataset/prebuilt.py says why), from data/monographs.toml.

    python scripts/prebuild_dataset.py          # rewrite it
    python scripts/prebuild_dataset.py --check  # exit 1 if it does not stand for the TOML

Run it after every edit of the dataset; tests/test_prebuilt.py fails until
you do. An invalid dataset is refused with its problems, as `validate` does.
"""

import argparse
import sys
from pathlib import Path

from adjuvant_cli.dataset import prebuilt
from adjuvant_cli.dataset.building import parse_dataset
from adjuvant_cli.errors import DatasetError

DATA = Path(__file__).resolve().parents[1] / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is fresh")
    args = parser.parse_args(argv)
    toml = (DATA / "monographs.toml").read_bytes()
    target = DATA / prebuilt.NAME
    try:
        dataset = parse_dataset(toml.decode("utf-8-sig"), "data/monographs.toml")
    except DatasetError as error:
        print("\n".join(error.problems), file=sys.stderr)
        return 1
    if args.check:
        fresh = prebuilt.load(target, toml) == dataset
        print(f"{target.name}: {'fresh' if fresh else 'stale: run scripts/prebuild_dataset.py'}")
        return 0 if fresh else 1
    target.write_bytes(prebuilt.dump(dataset, toml))
    print(f"wrote {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
