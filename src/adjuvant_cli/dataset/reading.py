"""Reading a dataset file safely: find it (a path, or the bundled file), refuse
what cannot be a dataset before parsing it (too large, binary, not UTF-8), and
turn every failure into a DatasetError with one line on what to do."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from adjuvant_cli.errors import DatasetError
from adjuvant_cli.text import printable

BUNDLED_LABEL = "monographs.toml (bundled)"
# The dataset format this program reads (building.py refuses others; the cache
# keys on it). Kept here, not in building.py, so that a cached run need not
# import the builder and the checker at all.
SCHEMA_VERSION = 2

# Refuse before parsing: a formulary of 10,000 drugs is about 25 MB; anything
# far past that is a mistake (a wrong path, a log file) and would only hang.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_dataset_text(path: str | None) -> tuple[str, str]:
    """(label for messages, decoded text) of the dataset file; raises DatasetError."""
    if path is None:
        try:
            return BUNDLED_LABEL, decode(_bundled_bytes(), BUNDLED_LABEL)
        except OSError as error:
            reason = error.strerror or str(error)
            problem = f"cannot read the bundled dataset ({reason}); reinstall adjuvant"
            raise DatasetError(BUNDLED_LABEL, [problem]) from None
    label = printable(path, 200)
    return label, decode(_read_capped(Path(path), label), label)


def bundled_path() -> Path | None:
    """The bundled file on disk, or None when the package is not on a filesystem.

    The wheel installs it in the package (adjuvant_cli/data/); an editable
    install (pip install -e) maps only src/, so it is where the checkout keeps
    it (data/ at the top of the repo)."""
    package = Path(__file__).parents[1]
    if not package.is_dir():
        return None
    for candidate in (package / "data", package.parents[1] / "data"):
        if (candidate / "monographs.toml").is_file():
            return candidate / "monographs.toml"
    return package / "data" / "monographs.toml"  # missing: reading it reports that


def _bundled_bytes() -> bytes:
    located = bundled_path()
    if located is not None:
        return located.read_bytes()
    # Reading by path costs nothing, while importing importlib.resources costs
    # ~5 ms of start-up (zipfile, tempfile, random...): it is only asked when
    # the package is not on a filesystem at all (zipapp, zipimport).
    from importlib.resources import files

    return files("adjuvant_cli").joinpath("data", "monographs.toml").read_bytes()


def _read_capped(path: Path, label: str) -> bytes:
    with opened(path, label) as handle:
        return read_open(handle, label)


def opened(path: Path, label: str, bundled: bool = False) -> BinaryIO:
    """The dataset file, open for reading; raises DatasetError. Only a regular
    file is a dataset: a FIFO would block the run for good (opened without
    blocking, it is refused at once) and a device never ends."""
    try:
        descriptor = open_descriptor(path)
    except OSError as error:
        raise _unreadable(error, label, bundled) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise _unreadable(IsADirectoryError(), label, bundled)
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise DatasetError(label, [f"is not a regular file ({kind}); give the path of a .toml file"])
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def read_open(handle: BinaryIO, label: str, bundled: bool = False) -> bytes:
    """All of an open dataset file, refused past MAX_FILE_BYTES; raises DatasetError."""
    try:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            raise DatasetError(label, [_too_large()])
        data = handle.read(MAX_FILE_BYTES + 1)  # the size can lie (pipes, /proc)
    except OSError as error:
        raise _unreadable(error, label, bundled) from None
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(label, [_too_large()])
    return data


def open_descriptor(path: Path) -> int:
    """A descriptor of `path` for reading, opened without blocking (a FIFO
    with no writer would block a plain open for good)."""
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)


def read_stream(stream: BinaryIO, label: str) -> str:
    """A dataset piped in (`validate -`), all of it until end of file, refused
    past MAX_FILE_BYTES; raises DatasetError."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError, AttributeError):
        descriptor = None  # a stream in memory (tests): it blocks as a file does
    try:
        data = stream.read(MAX_FILE_BYTES + 1) if descriptor is None else read_to_end(descriptor)
    except OSError as error:
        raise _unreadable(error, label, bundled=False) from None
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(label, [_too_large()])
    return decode(data, label)


def read_to_end(descriptor: int, limit: int = MAX_FILE_BYTES + 1) -> bytes:
    """Up to `limit` bytes of `descriptor`, until end of file, waiting whenever
    a non-blocking descriptor has nothing yet (EAGAIN): a parent (CI runners,
    Node.js) may leave a shared pipe non-blocking, where one read() returns
    only what has arrived, or None. The mode is not changed: it is the parent's."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        try:
            chunk = os.read(descriptor, min(1 << 16, limit - size))
        except BlockingIOError:
            import select

            select.select([descriptor], [], [])
            continue
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _unreadable(error: OSError, label: str, bundled: bool) -> DatasetError:
    if bundled:
        reason = error.strerror or str(error)
        return DatasetError(label, [f"cannot read the bundled dataset ({reason}); reinstall adjuvant"])
    if isinstance(error, FileNotFoundError):
        return DatasetError(label, ["no such file; check the path"])
    if isinstance(error, IsADirectoryError):
        return DatasetError(label, ["is a directory; give the path of a .toml file"])
    if isinstance(error, PermissionError):
        return DatasetError(label, ["permission denied; check the file's permissions"])
    return DatasetError(label, [f"cannot read: {error.strerror or error}"])


def _too_large() -> str:
    return f"is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB a dataset may be"


def decode(data: bytes, label: str) -> str:
    if b"\x00" in data:
        family = _utf16_or_32(data)
        if family is not None:  # as Windows editors save "Unicode" text: say so, not "binary"
            raise DatasetError(label, [f"is {family} text, not UTF-8; save it as UTF-8"])
        raise DatasetError(label, ["is a binary file, not TOML text"])
    try:
        return data.decode("utf-8-sig")  # a BOM, as Windows editors write, is fine
    except UnicodeDecodeError as error:
        raise DatasetError(
            label, [f"is not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8"]
        ) from None


def _utf16_or_32(data: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when `data` looks like text in one (by its byte-order
    mark, or by the zero bytes beside each ASCII character), else None."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    return _zero_pattern(data[:4096])


def _zero_pattern(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark: mostly ASCII text leaves
    every other byte (or three bytes in four) zero."""
    if len(head) < 8:
        return None
    quarters = [head[i::4].count(0) / len(head[i::4]) for i in range(4)]
    if sum(q > 0.9 for q in quarters) == 3:
        return "UTF-32"
    halves = [head[i::2].count(0) / len(head[i::2]) for i in range(2)]
    if max(halves) > 0.9 and min(halves) < 0.1:
        return "UTF-16"
    return None
