"""A cache of validated datasets, so that a run skips TOML parsing and
validation when the file has not changed since the last one.

- Keyed on what `fstat` says of the open dataset file the bytes are read
  from: device, inode, size, mtime and ctime (any write, even one that keeps
  the size and restores the mtime, as `cp -p`, `touch -r` or tar do, changes
  the ctime), plus the program's version, the schema version and the model's
  field layout. A file changed less than `_RACY_NS` ago is parsed but not
  stored: a second write within the timestamp granularity could otherwise
  keep every part of the key.
- Stored as a text header holding the key, then the dataset as `marshal`ed
  plain tuples. The header is compared byte for byte before anything is
  decoded, and only a regular file of sane size is read.
- The directory must be private: created 0700, and refused (no cache) when
  it is group- or world-writable or owned by another user. Entries are opened
  without following symlinks (and without blocking on a FIFO), written to a
  temporary file created exclusively (0600), renamed into place, and the
  temporary file is removed whatever interrupts the write.
- Bounded: after a write, entries beyond the newest `MAX_ENTRIES` or
  `MAX_TOTAL_BYTES` are removed, oldest first.
- Best effort: any problem means "no cache", silently; when debugging
  (ADJUVANT_DEBUG), one line on stderr says why a directory was refused.
- Told where, not looking: the directory (None: no cache) and whether to say
  why are values the caller passes in; options.py reads the environment.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time
from contextlib import suppress
from pathlib import Path

from adjuvant_cli import __version__
from adjuvant_cli.model import Dataset
from adjuvant_cli.records import LAYOUT, from_plain, to_plain

_MAGIC = "adjuvant-dataset-cache 2"
# The model's shape: a cache written by code with other fields must not load.
_SUFFIX = ".marshal"

MAX_ENTRIES = 8
MAX_TOTAL_BYTES = 512 * 1024 * 1024
# An entry is the marshalled dataset (a 64 MiB file, the dataset cap, gives
# about 90 MB); anything far larger was not written by this program.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_RACY_NS = 2_000_000_000  # timestamps on some filesystems are only this fine
_STALE_TEMPORARY_NS = 3600 * 1_000_000_000  # a temporary file a killed run left

_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

# (entry file name, header): one entry per file (device and inode), and the
# header that must match for the entry to be used.
Key = tuple[str, str]
_told: set[str] = set()


def _debug(reason: str, debug: bool) -> None:
    if debug and reason not in _told:
        _told.add(reason)  # load and store both look: say it once
        sys.stderr.write(f"adjuvant: cache skipped: {reason}\n")


def file_key(info: os.stat_result, schema_version: int) -> Key:
    """The identity of the dataset file from `fstat` of the descriptor it is read from."""
    identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    header = repr((_MAGIC, __version__, schema_version, LAYOUT, identity))
    return f"{info.st_dev:x}-{info.st_ino:x}{_SUFFIX}", header


def _header(key: Key) -> bytes:
    return f"{key[1]}\n".encode()


def _open_private_dir(path: Path | None, create: bool, debug: bool) -> int | None:
    """A descriptor of the cache directory if it is ours alone, else None."""
    if path is None:
        return None
    if not path.is_absolute():
        _debug(f"ADJUVANT_CACHE_DIR is not an absolute path ({str(path)!r})", debug)
        return None
    if create:
        with suppress(OSError):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None  # missing or unreadable: nothing to say, nothing cached
    info = os.fstat(fd)
    reason = None
    if info.st_uid != os.geteuid():
        reason = f"{path} is owned by another user (uid {info.st_uid})"
    elif info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        reason = f"{path} is writable by others (mode {stat.S_IMODE(info.st_mode):04o}); chmod 700 it"
    if reason is None:
        return fd
    os.close(fd)
    _debug(reason, debug)
    return None


def load(key: Key, directory: Path | None, debug: bool = False) -> Dataset | None:
    """The cached dataset for `key` in `directory`, or None (missing, stale,
    corrupt, refused)."""
    dir_fd = _open_private_dir(directory, create=False, debug=debug)
    if dir_fd is None:
        return None
    try:
        fd = os.open(key[0], _READ, dir_fd=dir_fd)
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                return None
            header = _header(key)
            if handle.read(len(header)) != header:
                return None  # another file's, a stale or a foreign entry: not decoded
            return from_plain(marshal.loads(handle.read(MAX_ENTRY_BYTES)))
    except Exception:  # a broken cache is never the user's problem: rebuild it
        return None


def store(
    key: Key, info: os.stat_result, dataset: Dataset, directory: Path | None, debug: bool = False
) -> None:
    """Write the cache for `key` (the file `info` describes) in `directory`;
    silently skipped when that is not possible or not yet safe."""
    if time.time_ns() - info.st_ctime_ns < _RACY_NS:
        return  # just written: a same-size rewrite now could keep the whole key
    dir_fd = _open_private_dir(directory, create=True, debug=debug)
    if dir_fd is None:
        return
    name = key[0]
    temporary = f"{name}.{os.getpid()}.tmp"
    created = False
    try:
        fd = os.open(temporary, _CREATE, 0o600, dir_fd=dir_fd)
        created = True
        with os.fdopen(fd, "wb") as handle:
            handle.write(_header(key))
            handle.write(marshal.dumps(to_plain(dataset)))
        # Atomic: readers see the old entry or the new one.
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        created = False
        _evict(dir_fd)
    except (OSError, ValueError):
        pass
    finally:  # also on KeyboardInterrupt: never leave a temporary file behind
        if created:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=dir_fd)
        os.close(dir_fd)


def _evict(dir_fd: int) -> None:
    """Keep the newest MAX_ENTRIES entries within MAX_TOTAL_BYTES; drop
    temporary files that a killed run left long ago."""
    now = time.time_ns()
    found = []
    for name in os.listdir(dir_fd):
        with suppress(OSError):
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if name.endswith(_SUFFIX):
                found.append((info.st_mtime_ns, info.st_size, name))
            elif name.endswith(".tmp") and now - info.st_mtime_ns > _STALE_TEMPORARY_NS:
                os.unlink(name, dir_fd=dir_fd)
    total = 0
    for kept, (_, size, name) in enumerate(sorted(found, reverse=True)):
        total += size
        if kept >= MAX_ENTRIES or total > MAX_TOTAL_BYTES:
            with suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
