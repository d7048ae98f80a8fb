"""`init` and `migrate` write a file whole or not at all (issue 19, redteam N6,
N7, N8, N10, N12): on a full disk nothing is left and the message names the
file; the schema's own name is refused before anything is written; their
messages go through the one output path.

The full disk is real where the machine allows it: a 64 KiB tmpfs, mounted
when the tests run as root and `mount` works. Elsewhere the stand-in is a
file-size limit (RLIMIT_FSIZE, as `ulimit -f` sets it) on the child process:
a write past it fails with EFBIG, as a write to a full disk fails with ENOSPC.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from adjuvant_cli.cli import app
from adjuvant_cli.dataset import starting

from .conftest import installed_adjuvant
from .test_migrate import VERSION_1

SCHEMA = "adjuvant-dataset-2.schema.json"
IO_ERROR = 74


class FullDisk(NamedTuple):
    """A directory where writing more than a little fails, and how to start a
    child process so that it does (a tmpfs needs nothing; the stand-in, a limit)."""

    directory: Path
    limit: Callable[[], None] | None
    reason: str


def _limit_file_size() -> None:
    limit = 40 * 1024  # the schema (27 KiB) fits, the bundled dataset (73 KiB) does not
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[FullDisk]:
    mount = tmp_path / "mnt"
    mount.mkdir()
    mounted = (
        os.geteuid() == 0
        and shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, check=False
        ).returncode
        == 0
    )
    try:
        if mounted:
            # 40 KiB left, as the stand-in allows: the schema fits, the bundled dataset does not.
            (mount / "filler").write_bytes(b"x" * (24 * 1024))
            yield FullDisk(mount, None, os.strerror(errno.ENOSPC))
        else:
            yield FullDisk(mount, _limit_file_size, os.strerror(errno.EFBIG))
    finally:
        if mounted:
            subprocess.run(["umount", str(mount)], check=False)


def _run(
    args: list[str], env: dict[str, str], disk: FullDisk | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=disk.limit if disk else None,
    )


def _left_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()} - {"filler"}


def test_init_on_a_full_disk_leaves_nothing_and_names_the_file(
    full_disk: FullDisk, clean_env: dict[str, str]
) -> None:
    target = full_disk.directory / "full.toml"
    done = _run(["init", "--from-bundled", str(target)], clean_env, full_disk)
    assert done.returncode == IO_ERROR, done.stderr
    assert done.stderr == f"adjuvant: cannot write {target}: {full_disk.reason}; nothing was written\n"
    assert done.stdout == ""
    # The schema fitted and was written first: it is taken back with the dataset.
    assert _left_in(full_disk.directory) == set()
    # Nothing blocks a retry: the skeleton fits.
    again = _run(["init", str(target)], clean_env, full_disk)
    assert again.returncode == 0, again.stderr
    assert _left_in(full_disk.directory) == {"full.toml", SCHEMA}


def test_migrate_on_a_full_disk_leaves_nothing(
    full_disk: FullDisk, clean_env: dict[str, str], tmp_path: Path
) -> None:
    old = tmp_path / "old.toml"
    # Long enough to pass the limit once migrated: many copies of a drug.
    drug = VERSION_1[VERSION_1.index("[[drugs]]") :]
    copies = [
        drug.replace('"baclofen"', f'"baclofen{n}"').replace('"Lioresal"', f'"Lioresal{n}"')
        for n in range(40)
    ]
    body = VERSION_1[: VERSION_1.index("[[drugs]]")] + "\n".join(
        c.replace('name = "Baclofen"', f'name = "Baclofen {n}"') for n, c in enumerate(copies)
    )
    old.write_text(body, encoding="utf-8")
    new = full_disk.directory / "m.toml"
    done = _run(["migrate", str(old), str(new)], clean_env, full_disk)
    assert done.returncode == IO_ERROR, done.stderr
    assert done.stderr == f"adjuvant: cannot write {new}: {full_disk.reason}; nothing was written\n"
    assert _left_in(full_disk.directory) == set()


def test_the_schema_name_is_refused_before_anything_is_written(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["init", str(tmp_path / SCHEMA)])
    assert done.exit_code == 2
    assert "is the name of the schema init writes beside the dataset" in done.stderr
    assert list(tmp_path.iterdir()) == []
    assert runner.invoke(app, ["init", str(tmp_path / "other.toml")]).exit_code == 0


def test_when_the_dataset_cannot_be_placed_the_schema_written_is_removed(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dataset's name taken between the check and the write (a race): the
    schema just written is taken back, and nothing else is left."""
    target = tmp_path / "raced.toml"
    real_link = os.link

    def taken_meanwhile(source: str, destination: str) -> None:
        if Path(destination) == target:
            target.write_text("someone else's", encoding="utf-8")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", taken_meanwhile)
    done = runner.invoke(app, ["init", str(target)])
    assert done.exit_code == 2 and "exists" in done.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"raced.toml"}
    assert target.read_text(encoding="utf-8") == "someone else's"


@pytest.mark.parametrize("refusal", [errno.EPERM, errno.EOPNOTSUPP])
def test_without_hard_links_the_file_is_created_exclusively(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    def no_links(source: str, destination: str) -> None:
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "formulary.toml"
    done = runner.invoke(app, ["init", str(target)])
    assert done.exit_code == 0, done.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"formulary.toml", SCHEMA}
    assert target.read_text(encoding="utf-8") == starting.SKELETON


def test_without_hard_links_a_failed_write_leaves_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str, destination: str) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    real_open, real_fsync = os.open, os.fsync
    targets: set[int] = set()

    def remembering_the_target(path: str, *args: int) -> int:
        descriptor = real_open(path, *args)
        if Path(path).name == "formulary.toml":
            targets.add(descriptor)
        return descriptor

    def disk_fails_on_the_target(descriptor: int) -> None:
        if descriptor in targets:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "open", remembering_the_target)

    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "fsync", disk_fails_on_the_target)
    target = tmp_path / "formulary.toml"
    done = runner.invoke(app, ["init", str(target)])
    assert done.exit_code == IO_ERROR
    assert done.stderr == f"adjuvant: cannot write {target}: Input/output error; nothing was written\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["init", "migrate"])
def test_their_messages_go_through_the_output_path(
    command: str, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    """stdout on /dev/full: one line and 74, never "Exception ignored" and 120
    (which only a buffered stdout showed: PYTHONUNBUFFERED is taken away)."""
    env = {k: v for k, v in clean_env.items() if k != "PYTHONUNBUFFERED"}
    old = tmp_path / "old.toml"
    old.write_text(VERSION_1, encoding="utf-8")
    args = ["init", "new.toml"] if command == "init" else ["migrate", str(old), "new.toml"]
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [installed_adjuvant(), *args],
            cwd=tmp_path,
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == IO_ERROR
    said = "adjuvant: cannot write the output (No space left on device); nothing more was written\n"
    assert done.stderr == said


@pytest.mark.parametrize(
    ("name", "next_line"),
    [
        ("-x.toml", "next: adjuvant validate --strict ./-x.toml"),
        ("--help", "next: adjuvant validate --strict ./--help"),
        ("sp ace.toml", "next: adjuvant validate --strict 'sp ace.toml'"),
        ("n\nl.toml", "next: adjuvant validate --strict $'n\\nl.toml'"),
    ],
)
def test_init_says_paths_on_one_line_and_a_next_command_that_pastes(
    name: str, next_line: str, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    """N10: the "wrote" line on one line; the "next:" command runs as shown."""
    done = subprocess.run(
        [installed_adjuvant(), "init", "--", name],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("wrote ")
    assert lines[2] == next_line
    pasted = subprocess.run(
        ["bash", "-c", lines[2].removeprefix("next: ")],
        cwd=tmp_path,
        env={**clean_env, "PATH": f"{Path(installed_adjuvant()).parent}:{clean_env.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert pasted.returncode == 0, pasted.stderr
    assert "valid (1 drug, 2 conditions)" in pasted.stdout


def test_a_del_in_a_version_1_string_migrates_to_a_file_that_loads(runner: CliRunner, tmp_path: Path) -> None:
    """N12: DEL (and the C1 controls) are escaped, as TOML asks; the dataset
    checker then names the character, not a syntax error in an unwritten file."""
    old, new = tmp_path / "v1del.toml", tmp_path / "v2del.toml"
    with_del = VERSION_1.replace('"For information only."', '"For information only.\\u007f"')
    old.write_text(with_del, encoding="utf-8")
    done = runner.invoke(app, ["migrate", str(old), str(new)])
    assert done.exit_code == 3
    assert "TOML syntax error" not in done.stderr
    assert "the migrated form would not load" in done.stderr and "\\x7f" in done.stderr
    assert done.stderr.startswith(f"adjuvant: {old}:")
    assert not new.exists()


@pytest.mark.parametrize(("refusal", "code"), [(errno.ENOSPC, IO_ERROR), (errno.EACCES, 2)])
def test_a_file_that_cannot_be_created_is_74_for_the_disk_and_2_for_the_place(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refusal: int, code: int
) -> None:
    """No inode left is the disk's failure (74); a directory one may not write
    in is the path's (2, as any usage error). Nothing is left either way."""

    def refused(path: str, *args: int) -> int:
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "open", refused)
    target = tmp_path / "formulary.toml"
    done = runner.invoke(app, ["init", str(target)])
    monkeypatch.undo()
    assert done.exit_code == code
    assert f"{tmp_path / SCHEMA}: {os.strerror(refusal)}" in done.stderr  # the schema comes first
    assert list(tmp_path.iterdir()) == []
