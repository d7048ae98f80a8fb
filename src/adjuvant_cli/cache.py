"""The cache directory and its rules, for the dataset store (store.py), so
that a run skips TOML parsing and validation when the file has not changed
since the last one, and reads only the rows it needs.

- Keyed on what `fstat` says of the open dataset file the bytes are read
  from: device, inode, size, mtime and ctime (any write, even one that keeps
  the size and restores the mtime, as `cp -p`, `touch -r` or tar do, changes
  the ctime), plus the program's version, the schema version and the model's
  field layout. A file changed less than `RACY_NS` ago is parsed but not
  stored: a second write within the timestamp granularity could otherwise
  keep every part of the key.
- The store (store.py) holds the key in its header, compared before
  anything else is read, and only a regular file of sane size is opened.
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

import os
import stat
import sys
import time
from contextlib import suppress
from pathlib import Path

from adjuvant_cli import __version__
from adjuvant_cli.records import LAYOUT

_EARLIER = ".marshal"

MAX_ENTRIES = 8
MAX_TOTAL_BYTES = 512 * 1024 * 1024
# An entry is a dataset's store (a 64 MiB file, the dataset cap, gives
# about 90 MB); anything far larger was not written by this program.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
RACY_NS = 2_000_000_000  # timestamps on some filesystems are only this fine
_STALE_TEMPORARY_NS = 3600 * 1_000_000_000  # a temporary file a killed run left

READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

# (entry file name without its suffix, header): one entry per file (device and
# inode), and the header that must match for the entry to be used.
Key = tuple[str, str]
_told: set[str] = set()


def _debug(reason: str, debug: bool) -> None:
    if debug and reason not in _told:
        _told.add(reason)  # load and store both look: say it once
        sys.stderr.write(f"adjuvant: cache skipped: {reason}\n")


def file_key(info: os.stat_result, schema_version: int) -> Key:
    """The identity of the dataset file from `fstat` of the descriptor it is read from."""
    identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    header = repr((__version__, schema_version, LAYOUT, identity))  # the format: store.FORMAT, beside it
    return f"{info.st_dev:x}-{info.st_ino:x}", header


def open_private_dir(path: Path | None, create: bool, debug: bool) -> int | None:
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


def evict(dir_fd: int, suffix: str) -> None:
    """Keep the newest MAX_ENTRIES entries (files ending in `suffix`) within
    MAX_TOTAL_BYTES; drop temporary files that a killed run left long ago, and
    the files of earlier formats (the marshal cache this directory once held)."""
    now = time.time_ns()
    found = []
    for name in os.listdir(dir_fd):
        with suppress(OSError):
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if name.endswith(suffix):
                found.append((info.st_mtime_ns, info.st_size, name))
            elif name.endswith(_EARLIER) or (
                name.endswith(".tmp") and now - info.st_mtime_ns > _STALE_TEMPORARY_NS
            ):
                os.unlink(name, dir_fd=dir_fd)
    total = 0
    for kept, (_, size, name) in enumerate(sorted(found, reverse=True)):
        total += size
        if kept >= MAX_ENTRIES or total > MAX_TOTAL_BYTES:
            with suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
