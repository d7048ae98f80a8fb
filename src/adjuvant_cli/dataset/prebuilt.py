"""The bundled dataset, pre-validated: `data/monographs.marshal` beside
`data/monographs.toml`, written by `scripts/prebuild_dataset.py` and shipped
in the wheel.

Parsing and checking the bundled TOML costs ~30 ms (tomli's import, the
parse, the checks, the hierarchy): a quarter of a lookup's start-up budget on
a first run, or on every run without a cache (ADJUVANT_NO_CACHE=1). The
pre-validated form is marshal'ed plain values (records.py), like the cache,
and is used only while its header matches the TOML byte for byte (length and
CRC-32 of its bytes), the dataset schema and the model's layout: an edited
TOML, or a model with other fields, is parsed and checked as usual.
tests/test_prebuilt.py keeps the committed file fresh; `validate` never uses
it (checking is its point).
"""

import marshal
import zlib
from pathlib import Path

from adjuvant_cli.dataset.reading import SCHEMA_VERSION
from adjuvant_cli.model import Dataset
from adjuvant_cli.records import LAYOUT, from_plain, to_plain

_MAGIC = "adjuvant-prebuilt-dataset"
NAME = "monographs.marshal"


def header(toml: bytes) -> bytes:
    """What the pre-validated form must start with to stand for `toml`."""
    return repr((_MAGIC, SCHEMA_VERSION, LAYOUT, len(toml), zlib.crc32(toml))).encode() + b"\n"


def dump(dataset: Dataset, toml: bytes) -> bytes:
    return header(toml) + marshal.dumps(to_plain(dataset))


def load(path: Path, toml: bytes) -> Dataset | None:
    """The dataset stored at `path` for exactly these TOML bytes, or None."""
    expected = header(toml)
    try:
        with path.open("rb") as handle:
            if handle.read(len(expected)) != expected:
                return None
            return from_plain(marshal.loads(handle.read()))
    except (OSError, ValueError, EOFError, TypeError):
        return None  # missing or unreadable: parse the TOML instead
