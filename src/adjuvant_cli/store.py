"""The dataset store: a validated dataset in an indexed SQLite file, so that
a lookup reads the rows it shows and nothing else (issue 21).

Built on the first load of a dataset file (dataset/loading.py), in the cache
directory, whose rules it keeps (cache.py): keyed to change on any write to
the file, a private directory, no symlink followed, built in a temporary file
and put in place whole, bounded in number and size, best effort.

- `header`: the format and the source key (the file's identity, the
  program's version, the schema and the model's layout), compared before
  anything else is read: a store of another version, or for another file, is
  not used and is rebuilt.
- `head`: the vocabulary (conditions, umbrellas, the WHO excerpt, effects,
  the hierarchy), one row: its size does not grow with the number of drugs.
- `drugs`: one row per drug in the file's order, its body `marshal`ed plain
  values (records.py) and a BLAKE2b digest of the body, checked whenever the
  row is read (hashing the whole file on open would read it all).
- `names`: every folded name and brand to its drug.
- `keys`: what finds a drug (records.index_keys: the conditions it links or
  mentions, the words of what it shows), each to the positions of the
  drugs that hold it, in one row.

Every row of `head`, `drugs`, `names` and `keys` carries its digest (of the
name with its drug, or of the key with its positions): a corrupt name must not
open another drug, nor a corrupt key hide one from a search.

A file not as long as its SQLite header says (pages times page size) is not
opened: SQLite would read a cut-off tail as zeros, rows silently missing.
A row whose digest fails, or a file SQLite finds malformed, is a broken
store: the dataset is read again from its file and the store rebuilt, and
the command goes on from that (Reloading).
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import stat
import sys
import time

# hashlib's import loads OpenSSL (3-5 ms, a lookup's start-up counts them); the
# built-in BLAKE2 is the same function without it.
from _blake2 import blake2b
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from adjuvant_cli import cache
from adjuvant_cli.model import Dataset, Drug
from adjuvant_cli.records import (
    drug_from_plain,
    drug_to_plain,
    head_from_plain,
    head_to_plain,
    index_keys,
    postings,
)

# 3: the index holds the drugs with a link left to review (model.UNREVIEWED_KEY).
FORMAT = "adjuvant-dataset-store 3"
SUFFIX = ".sqlite"
PAGE_BYTES = 16384
_DIGEST_BYTES = 16
_SCHEMA = """
CREATE TABLE header (format TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE head (body BLOB NOT NULL, digest BLOB NOT NULL);
CREATE TABLE drugs (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL, body BLOB NOT NULL, digest BLOB NOT NULL
);
CREATE TABLE names (name TEXT PRIMARY KEY, drug TEXT NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE keys (key TEXT PRIMARY KEY, positions BLOB NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID;
"""
# Indexes after the rows: one sort instead of a B-tree insert per row.
_INDEXES = "CREATE UNIQUE INDEX drug_ids ON drugs (id);"
# Drugs read by position, this many to a statement (under SQLite's oldest
# limit of 999 parameters).
_BATCH = 256
Parameter = TypeVar("Parameter")  # a drug's position or an index key
_DRUGS_AT = (
    "SELECT position, body, digest FROM drugs WHERE position IN ("
    + ", ".join("?" * _BATCH)
    + ") ORDER BY position"
)
# Index keys read the same way: a search reaching 6,000 conditions reads their
# keys in 24 statements, not 6,000.
_KEYS_AT = "SELECT key, positions, digest FROM keys WHERE key IN (" + ", ".join("?" * _BATCH) + ")"


class BrokenStore(Exception):
    """A row that is not what was written: its digest fails, or it does not decode."""


def _digest(body: bytes) -> bytes:
    return blake2b(body, digest_size=_DIGEST_BYTES).digest()


def _name_digest(name: str, drug: str) -> bytes:
    return _digest(f"{name}\0{drug}".encode())


def _name(key: cache.Key) -> str:
    return key[0] + SUFFIX


def _fd_path(fd: int, fallback: str) -> str:
    """A path SQLite opens as the file `fd` is (Linux: its own link to the
    inode, whatever has been renamed meanwhile); elsewhere the path itself,
    in a directory only this user can write to."""
    return f"/proc/self/fd/{fd}" if sys.platform == "linux" else fallback


def _uri(path: str) -> str:
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    # immutable: files are put in place whole and never changed, so no lock
    # and no journal is needed, and reading never writes beside the file.
    return f"file:{quoted}?mode=ro&immutable=1"


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write(
    key: cache.Key, info: os.stat_result, dataset: Dataset, directory: Path | None, debug: bool = False
) -> None:
    """Build the store of `dataset` (the file `info` describes) in `directory`
    and put it in place whole; silently skipped when that is not possible or
    not yet safe."""
    if time.time_ns() - info.st_ctime_ns < cache.RACY_NS:
        return  # just written: a same-size rewrite now could keep the whole key
    dir_fd = cache.open_private_dir(directory, create=True, debug=debug)
    if dir_fd is None or directory is None:
        return
    name = _name(key)
    temporary = f"{name}.{os.getpid()}.tmp"
    created = False
    try:
        fd = os.open(temporary, cache.CREATE, 0o600, dir_fd=dir_fd)
        created = True
        try:
            _build(_fd_path(fd, str(directory / temporary)), key, dataset)
        finally:
            os.close(fd)
        if os.stat(temporary, dir_fd=dir_fd).st_size > cache.MAX_ENTRY_BYTES:
            raise ValueError("larger than a store may be")
        # Atomic: readers see the old store or the new one.
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        created = False
        cache.evict(dir_fd, SUFFIX)
    except (OSError, ValueError, sqlite3.Error):
        pass
    finally:  # also on KeyboardInterrupt: never leave a temporary file behind
        if created:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=dir_fd)
        os.close(dir_fd)


def _build(path: str, key: cache.Key, dataset: Dataset) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # A formulary's drug row (3.5 KB in make_dataset.py's) on one page, no
        # overflow chain: 10,000 drugs take 31 MB, not 38, written 0.1 s faster.
        connection.execute(f"PRAGMA page_size = {PAGE_BYTES}")
        # A temporary file renamed into place when done: no journal to keep,
        # nothing to sync (a crash leaves a .tmp that eviction removes).
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        _create(connection)
        connection.execute("INSERT INTO header VALUES (?, ?)", (FORMAT, key[1]))
        head = marshal.dumps(head_to_plain(dataset))
        connection.execute("INSERT INTO head VALUES (?, ?)", (head, _digest(head)))
        rows = []
        for position, drug in enumerate(dataset.drugs):
            body = marshal.dumps(drug_to_plain(drug))
            rows.append((position, drug.id, body, _digest(body)))
        connection.executemany("INSERT INTO drugs VALUES (?, ?, ?, ?)", rows)
        names = sorted(dataset.name_index.items())
        connection.executemany(
            "INSERT INTO names VALUES (?, ?, ?)", ((n, d, _name_digest(n, d)) for n, d in names)
        )
        # One row per key, its drugs' positions in one body: a key costs one
        # row read, however many drugs hold it.
        labels = {e.id: e.label for e in dataset.effects}
        keys = sorted((key, marshal.dumps(found)) for key, found in postings(dataset.drugs, labels).items())
        connection.executemany(
            "INSERT INTO keys VALUES (?, ?, ?)",
            ((k, found, _digest(k.encode() + found)) for k, found in keys),
        )
        connection.execute(_INDEXES)
        connection.execute("COMMIT")
    finally:
        connection.close()


def _create(connection: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            connection.execute(statement)


# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def load(
    key: cache.Key, directory: Path | None, debug: bool, reload: Callable[[], Dataset]
) -> Dataset | None:
    """The dataset stored for `key` in `directory`, reading its drugs on
    demand, or None (missing, stale, foreign, corrupt, refused). `reload`
    reads the dataset again from its file should a row turn out broken later."""
    dir_fd = cache.open_private_dir(directory, create=False, debug=debug)
    if dir_fd is None or directory is None:
        return None
    name = _name(key)
    try:
        fd = os.open(name, cache.READ, dir_fd=dir_fd)  # O_NOFOLLOW: never through a symlink
    except OSError:
        os.close(dir_fd)
        return None
    try:
        info = os.fstat(fd)
        regular = stat.S_ISREG(info.st_mode) and info.st_size <= cache.MAX_ENTRY_BYTES
        # Cut short (or grown), SQLite would read the missing part as zeros.
        if not regular or not _whole(os.pread(fd, 100, 0), info.st_size):
            return None
        connection = sqlite3.connect(_uri(_fd_path(fd, str(directory / name))), uri=True)
    except (OSError, sqlite3.Error):
        return None
    finally:
        os.close(fd)
        os.close(dir_fd)
    try:
        store = Store(connection, key, directory, reload)
        return head_from_plain(store.head(), _Drugs(store), _DrugsById(store), _Names(store), store)
    except (sqlite3.Error, BrokenStore, ValueError, TypeError, EOFError):
        connection.close()
        discard(key, directory)
        return None  # a broken store is never the user's problem: rebuild it


def _whole(header: bytes, size: int) -> bool:
    """The file is as long as its SQLite header says it was written: its pages
    times their size (a truncated file would otherwise hide the rows it lost)."""
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return False
    page_bytes = int.from_bytes(header[16:18], "big")
    page_bytes = 65536 if page_bytes == 1 else page_bytes
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the page count is kept since SQLite 3.7.0
    return valid and pages > 0 and pages * page_bytes == size


def discard(key: cache.Key, directory: Path | None) -> None:
    """Remove the store for `key` (found broken), so that it is built again."""
    dir_fd = cache.open_private_dir(directory, create=False, debug=False)
    if dir_fd is not None:
        with suppress(OSError):
            os.unlink(_name(key), dir_fd=dir_fd)
        os.close(dir_fd)


class Store:
    """An open store: reads rows on demand and checks each one's digest. The
    first broken row turns it into the dataset read again from its file."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        key: cache.Key,
        directory: Path,
        reload: Callable[[], Dataset],
    ):
        self._connection = connection
        self._key = key
        self._directory = directory
        self._reload = reload
        self._replacement: Dataset | None = None
        self._read: dict[int, Drug] = {}  # position -> the drug decoded from its row
        found = connection.execute("SELECT format, source FROM header").fetchall()
        if found != [(FORMAT, key[1])]:
            raise BrokenStore("another version's store, or another file's")

    def head(self) -> tuple[Any, ...]:
        (row,) = self._connection.execute("SELECT body, digest FROM head").fetchall()
        return tuple(_decoded(*row))

    # What the lazy collections and the index ask; each answers from the
    # store until a row is found broken, then from the dataset read again.

    def _replaced(self) -> Dataset:
        if self._replacement is None:
            self._connection.close()
            discard(self._key, self._directory)
            self._replacement = self._reload()
        return self._replacement

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any] | None:
        if self._replacement is not None:
            return None
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error:
            self._replaced()
            return None

    def _drug(self, body: bytes, digest: bytes) -> Drug | None:
        try:
            return drug_from_plain(_decoded(body, digest))
        except (BrokenStore, ValueError, TypeError, EOFError):
            self._replaced()
            return None

    def drug(self, drug_id: str) -> Drug | None:
        rows = self._rows("SELECT body, digest FROM drugs WHERE id = ?", (drug_id,))
        if rows is None:
            return self._replaced().drugs_by_id.get(drug_id)
        if not rows:
            return None
        drug = self._drug(*rows[0])
        return drug if drug is not None else self._replaced().drugs_by_id.get(drug_id)

    def all_drugs(self) -> Sequence[Drug]:
        rows = self._rows("SELECT body, digest FROM drugs ORDER BY position")
        if rows is not None:
            drugs = [self._drug(*row) for row in rows]
            if all(d is not None for d in drugs):
                return tuple(d for d in drugs if d is not None)
        return self._replaced().drugs

    def count(self) -> int:
        rows = self._rows("SELECT count(*) FROM drugs")
        return int(rows[0][0]) if rows is not None else len(self._replaced().drugs)

    def name_of(self, name: str) -> str | None:
        rows = self._rows("SELECT name, drug, digest FROM names WHERE name = ?", (name,))
        if rows is not None and all(_name_digest(n, d) == digest for n, d, digest in rows):
            return rows[0][1] if rows else None
        return self._replaced().name_index.get(name)

    def names(self) -> Mapping[str, str]:
        rows = self._rows("SELECT name, drug, digest FROM names ORDER BY name")
        if rows is not None and all(_name_digest(n, d) == digest for n, d, digest in rows):
            return {n: d for n, d, _ in rows}
        return self._replaced().name_index

    # DrugIndex

    def names_starting(self, prefix: str) -> Mapping[str, str]:
        rows = self._rows(
            "SELECT name, drug, digest FROM names WHERE name >= ? AND name < ?",
            (prefix, prefix + "\U0010ffff"),
        )
        if rows is not None and all(_name_digest(n, d) == digest for n, d, digest in rows):
            return {n: d for n, d, _ in rows}
        return self._replaced().names_starting(prefix)

    def holding(self, key: str) -> frozenset[int]:
        return self.holding_any((key,))

    def holding_any(self, keys: Iterable[str]) -> frozenset[int]:
        wanted = sorted(set(keys))
        found: set[int] = set()
        for _, padded in _batches(wanted):
            rows = self._rows(_KEYS_AT, padded)
            if rows is None:
                break
            try:
                for key, positions, digest in rows:
                    found.update(_decoded(positions, digest, key.encode()))
            except (BrokenStore, ValueError, TypeError, EOFError):
                break  # a broken row: read the file again
        else:
            return frozenset(found)
        replaced = self._replaced()
        labels = {e.id: e.label for e in replaced.effects}
        return frozenset(
            i for i, d in enumerate(replaced.drugs) if not index_keys(d, labels).isdisjoint(wanted)
        )

    def drugs_at(self, positions: Iterable[int]) -> list[Drug]:
        wanted = sorted(set(positions))
        missing = [p for p in wanted if p not in self._read]
        for batch, padded in _batches(missing):
            # One statement per batch, not one per drug (spasm at 10,000 drugs:
            # 3,533 statements -> 8); each drug decoded once per run.
            rows = self._rows(_DRUGS_AT, padded)
            if rows is None or len(rows) != len(batch):
                return [self._replaced().drugs[p] for p in wanted]
            for position, body, digest in rows:
                drug = self._drug(body, digest)
                if drug is None:
                    return [self._replaced().drugs[p] for p in wanted]
                self._read[position] = drug
        return [self._read[p] for p in wanted]


def _batches(items: list[Parameter]) -> Iterator[tuple[list[Parameter], tuple[Parameter, ...]]]:
    """`items` _BATCH at a time, each batch with its parameters padded to _BATCH
    by its last: one statement text whatever the count, which SQLite compiles once."""
    for start in range(0, len(items), _BATCH):
        batch = items[start : start + _BATCH]
        yield batch, tuple(batch) + (batch[-1],) * (_BATCH - len(batch))


def _decoded(body: bytes, digest: bytes, salt: bytes = b"") -> Any:
    if _digest(salt + body) != digest:
        raise BrokenStore("a row's digest fails")
    return marshal.loads(body)


class _Drugs(Sequence[Drug]):
    """Every drug, read from the store the first time all are asked for."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._all: Sequence[Drug] | None = None

    def _drugs(self) -> Sequence[Drug]:
        if self._all is None:
            self._all = self._store.all_drugs()
        return self._all

    def __len__(self) -> int:
        return len(self._all) if self._all is not None else self._store.count()

    def __getitem__(self, index: Any) -> Any:
        return self._drugs()[index]

    def __iter__(self) -> Iterator[Drug]:
        return iter(self._drugs())


class _DrugsById(Mapping[str, Drug]):
    """A drug by id: one row read."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getitem__(self, drug_id: str) -> Drug:
        drug = self._store.drug(drug_id)
        if drug is None:
            raise KeyError(drug_id)
        return drug

    def __iter__(self) -> Iterator[str]:
        return (d.id for d in self._store.all_drugs())

    def __len__(self) -> int:
        return self._store.count()


class _Names(Mapping[str, str]):
    """Folded name -> drug id: one row read per name asked; all of them (a
    prefix, a suggestion) read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._all: Mapping[str, str] | None = None

    def _names(self) -> Mapping[str, str]:
        if self._all is None:
            self._all = self._store.names()
        return self._all

    def __getitem__(self, name: str) -> str:
        found = self._all.get(name) if self._all is not None else self._store.name_of(name)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())
