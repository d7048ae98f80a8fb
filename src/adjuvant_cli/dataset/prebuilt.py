"""The bundled dataset, pre-validated: `monographs.marshal` beside the
bundled `monographs.toml`, written when the wheel is built (hatch_build.py),
never committed.

It spares a first run, or every run without a cache (ADJUVANT_NO_CACHE=1),
parsing and checking the TOML (benchmarks/README.md gives the figures). It is
marshal'ed plain values (records.py), used only while its header matches the
TOML byte for byte (length and CRC-32), the dataset schema and the
model's layout, and while its body matches the CRC-32 the header gives: any
other file, or any failure to read it, means parsing the TOML as usual.
`validate` never uses it (checking is its point).
"""

import marshal
import zlib
from pathlib import Path

from adjuvant_cli.dataset.reading import SCHEMA_VERSION
from adjuvant_cli.model import Dataset
from adjuvant_cli.records import LAYOUT, from_plain, to_plain

_MAGIC = "adjuvant-prebuilt-dataset-2"
NAME = "monographs.marshal"


def _digest(data: bytes) -> int:
    return zlib.crc32(data)  # catches any damaged byte; hashlib's import costs a lookup ~15 ms


def _header(toml: bytes, body_digest: int) -> bytes:
    return repr((_MAGIC, SCHEMA_VERSION, LAYOUT, len(toml), _digest(toml), body_digest)).encode() + b"\n"


def dump(dataset: Dataset, toml: bytes) -> bytes:
    """The pre-validated form of `dataset`, parsed from exactly these TOML bytes."""
    body = marshal.dumps(to_plain(dataset))
    return _header(toml, _digest(body)) + body


def load(path: Path, toml: bytes) -> Dataset | None:
    """The dataset stored at `path` for exactly these TOML bytes, or None (parse the TOML then)."""
    try:
        stored = path.read_bytes()
        head, _, body = stored.partition(b"\n")
        if head + b"\n" != _header(toml, _digest(body)):
            return None  # stale, for other TOML or another layout, or damaged
        return from_plain(marshal.loads(body))
    except Exception:  # whatever is wrong with it, the TOML is still there
        return None
