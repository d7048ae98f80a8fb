"""The dataset cache against stale files and against whoever else can write
to its directory (issue 13, findings 2 and 3). Real files, real `cp -p` and
`touch -r`, real processes wherever a run's own behaviour is the point."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adjuvant_cli import cache
from adjuvant_cli.cli import app
from adjuvant_cli.model import Dataset

from .conftest import REPO, installed_adjuvant, load_as_a_run_does

# The cache is exercised on the bundled file, given as one's own dataset.
DATASET = REPO / "data" / "monographs.toml"


@pytest.fixture
def clean_env(clean_env: dict[str, str]) -> dict[str, str]:
    return {**clean_env, "ADJUVANT_DATA": str(DATASET)}


ESC = "\x1b"
NOBODY = 65534


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a file written a moment ago be cached at once. (A file changed in
    the last moments is otherwise parsed but not cached: its timestamps
    cannot yet tell a later same-size write apart.)"""
    monkeypatch.setattr(cache, "RACY_NS", 0, raising=False)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.sqlite"))


def adjuvant(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed_adjuvant(), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


# --- finding 2: stale content ------------------------------------------------


def same_size_edit(tmp_path: Path, original: Path, old: str, new: str, tool: str) -> None:
    """Rewrite `original` in place with `old` replaced by `new` (same length),
    its modification time kept, the way `tool` does it."""
    assert len(old) == len(new)
    edited = tmp_path / "edited.toml"
    edited.write_text(original.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    assert edited.stat().st_size == original.stat().st_size
    if tool == "cp -p":
        subprocess.run(["touch", "-r", str(original), str(edited)], check=True)
        subprocess.run(["cp", "-p", str(edited), str(original)], check=True)
    else:  # an editor that restores the time afterwards, as rsync -t or tar do
        stamp = tmp_path / "stamp"
        subprocess.run(["touch", "-r", str(original), str(stamp)], check=True)
        shutil.copyfile(edited, original)
        subprocess.run(["touch", "-r", str(stamp), str(original)], check=True)


@pytest.mark.parametrize("tool", ["cp -p", "touch -r"])
@pytest.mark.usefixtures("settled")
def test_a_same_size_edit_with_the_mtime_kept_is_read_again(
    tool: str, tmp_path: Path, write_toml: Callable[[str], str], bundled_text: str, private_cache: Path
) -> None:
    path = Path(write_toml(bundled_text))
    runner = CliRunner()
    assert "Baclofen" in runner.invoke(app, ["--data", str(path), "show", "baclofen", "--json"]).stdout
    assert entries(private_cache)  # the first run filled the cache
    same_size_edit(tmp_path, path, 'name = "Baclofen"', 'name = "Baclofex"', tool)
    assert "Baclofex" in runner.invoke(app, ["--data", str(path), "show", "baclofen", "--json"]).stdout


@pytest.mark.usefixtures("settled")
def test_a_same_size_edit_that_breaks_the_file_is_reported(
    tmp_path: Path, write_toml: Callable[[str], str], bundled_text: str
) -> None:
    path = Path(write_toml(bundled_text))
    runner = CliRunner()
    assert runner.invoke(app, ["--data", str(path), "show", "baclofen"]).exit_code == 0
    same_size_edit(tmp_path, path, 'atc = "M03BX01"', 'atc = "M03BX0!"', "cp -p")
    result = runner.invoke(app, ["--data", str(path), "show", "baclofen"])
    assert result.exit_code == 3
    assert "atc" in result.stderr


@pytest.mark.usefixtures("settled")
def test_a_symlink_flipped_while_loading_never_files_one_dataset_under_the_other(
    tmp_path: Path, write_toml: Callable[[str], str], bundled_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Path(write_toml(bundled_text))
    second = Path(write_toml(bundled_text.replace('name = "Baclofen"', 'name = "Baclofen B"', 1)))
    current = tmp_path / "current.toml"
    current.symlink_to(first)
    identify = cache.file_key

    def identify_then_flip(*args: object, **kwargs: object) -> object:
        key = identify(*args, **kwargs)  # type: ignore[arg-type]
        current.unlink()
        current.symlink_to(second)  # the deploy flips `current` at the worst moment
        return key

    monkeypatch.setattr(cache, "file_key", identify_then_flip)
    load_as_a_run_does(str(current))
    monkeypatch.setattr(cache, "file_key", identify)
    for target, name in ((first, "Baclofen"), (second, "Baclofen B"), (first, "Baclofen")):
        current.unlink()
        current.symlink_to(target)
        assert load_as_a_run_does(str(current)).drugs_by_id["baclofen"].name == name


# --- finding 3: a cache directory others can write to -------------------------


def forge_entry(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write, through the cache's own writer, an entry for the bundled dataset
    whose baclofen has an ATC code no validation would let through."""
    baclofen = dataset.drugs_by_id["baclofen"]._replace(atc=f"{ESC}]0;owned{ESC}\\{ESC}[31mM03BX01")
    drugs = tuple(baclofen if d.id == "baclofen" else d for d in dataset.drugs)
    forged = dataset._replace(drugs=drugs, drugs_by_id={d.id: d for d in drugs})
    with monkeypatch.context() as patch:
        patch.setattr("adjuvant_cli.dataset.building.parse_dataset", lambda text, label: forged)
        load_as_a_run_does(str(DATASET))


@pytest.mark.parametrize("make_shared", ["world-writable", "group-writable", "another owner"])
def test_a_forged_entry_in_a_shared_directory_is_not_served(
    make_shared: str,
    private_cache: Path,
    clean_env: dict[str, str],
    dataset: Dataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forge_entry(dataset, monkeypatch)
    assert entries(private_cache)
    if make_shared == "world-writable":
        private_cache.chmod(0o777)
    elif make_shared == "group-writable":
        private_cache.chmod(0o770)
    else:
        if os.geteuid() != 0:
            pytest.skip("giving a directory to another user needs root")
        os.chown(private_cache, NOBODY, NOBODY)
    done = adjuvant("show", "baclofen", "--format", "markdown", env=clean_env)
    assert done.returncode == 0
    assert "M03BX01" in done.stdout
    assert ESC not in done.stdout


def test_a_refused_directory_is_named_only_under_adjuvant_debug(
    private_cache: Path, clean_env: dict[str, str]
) -> None:
    private_cache.chmod(0o777)
    quiet = adjuvant("show", "baclofen", "--json", env=clean_env)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    told = adjuvant("show", "baclofen", "--json", env={**clean_env, "ADJUVANT_DEBUG": "1"})
    assert told.returncode == 0
    (line,) = told.stderr.splitlines()
    assert str(private_cache) in line
    assert "writable" in line
    assert entries(private_cache) == []


def test_a_symlink_at_the_temporary_name_clobbers_nothing(private_cache: Path, tmp_path: Path) -> None:
    load_as_a_run_does(str(DATASET))
    (entry,) = entries(private_cache)
    entry.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (private_cache / f"{entry.name}.{os.getpid()}.tmp").symlink_to(victim)
    load_as_a_run_does(str(DATASET))
    assert victim.read_text() == "precious"


def plant_at_the_entry(private_cache: Path, plant: Callable[[Path], object]) -> None:
    load_as_a_run_does(str(DATASET))
    (entry,) = entries(private_cache)
    entry.unlink()
    plant(entry)


def test_a_fifo_in_the_cache_does_not_hang_a_run(private_cache: Path, clean_env: dict[str, str]) -> None:
    plant_at_the_entry(private_cache, os.mkfifo)
    process = subprocess.Popen([installed_adjuvant(), "show", "baclofen", "--json"], env=clean_env)
    try:
        assert process.wait(timeout=60) == 0  # the timeout only guards the hang
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        raise


def test_a_five_byte_entry_claiming_gigabytes_allocates_nothing(
    private_cache: Path, clean_env: dict[str, str]
) -> None:
    # marshal: a tuple of 2**28 items, i.e. 2 GiB of pointers, in 5 bytes.
    plant_at_the_entry(private_cache, lambda entry: entry.write_bytes(b"(\x00\x00\x00\x10"))
    process = subprocess.Popen(
        [installed_adjuvant(), "show", "baclofen", "--json"], env=clean_env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert usage.ru_maxrss < 256 * 1024  # KiB: a run needs about 30 MiB


@pytest.mark.usefixtures("settled")
def test_old_entries_are_evicted(
    private_cache: Path, write_toml: Callable[[str], str], bundled_text: str
) -> None:
    paths = [write_toml(bundled_text) for _ in range(40)]
    for path in paths:
        load_as_a_run_does(path)
    assert 0 < len(entries(private_cache)) <= 16
    assert load_as_a_run_does(paths[-1]).drugs_by_id["baclofen"].name == "Baclofen"


def test_an_interrupted_write_leaves_nothing_behind(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = CliRunner().invoke(app, ["--data", str(DATASET), "show", "baclofen", "--json"])
    assert result.exit_code == 130
    assert list(private_cache.iterdir()) == []


def test_a_relative_xdg_cache_home_is_ignored(clean_env: dict[str, str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in clean_env.items() if k != "ADJUVANT_CACHE_DIR"}
    done = adjuvant(
        "show", "baclofen", "--json", env={**env, "HOME": str(home), "XDG_CACHE_HOME": "rel"}, cwd=tmp_path
    )
    assert done.returncode == 0
    assert not (tmp_path / "rel").exists()
    assert entries(home / ".cache" / "adjuvant")  # the XDG default instead
    assert (home / ".cache" / "adjuvant").stat().st_mode & 0o777 == 0o700


def test_a_relative_adjuvant_cache_dir_skips_the_cache(clean_env: dict[str, str], tmp_path: Path) -> None:
    env = {**clean_env, "ADJUVANT_CACHE_DIR": "rel"}
    quiet = adjuvant("show", "baclofen", "--json", env=env, cwd=tmp_path)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    told = adjuvant("show", "baclofen", "--json", env={**env, "ADJUVANT_DEBUG": "1"}, cwd=tmp_path)
    assert told.returncode == 0
    assert "ADJUVANT_CACHE_DIR" in told.stderr
    assert len(told.stderr.splitlines()) == 1
    assert not (tmp_path / "rel").exists()


def test_the_cache_directory_is_created_private(clean_env: dict[str, str], tmp_path: Path) -> None:
    directory = tmp_path / "new" / "cache"
    done = adjuvant("show", "baclofen", "--json", env={**clean_env, "ADJUVANT_CACHE_DIR": str(directory)})
    assert done.returncode == 0
    assert directory.stat().st_mode & 0o777 == 0o700
    assert all(entry.stat().st_mode & 0o777 == 0o600 for entry in entries(directory))
    assert entries(directory)
