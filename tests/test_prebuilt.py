"""The bundled dataset's pre-validated form (dataset/prebuilt.py), as the
wheel build writes it: used only while it matches the TOML and its own
CRC-32; a stale, damaged or missing one means parsing the TOML, never wrong
data and never a crash. (tests/test_packaging.py checks the wheel's copy.)"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from adjuvant_cli.dataset import load_dataset, prebuilt
from adjuvant_cli.dataset.building import parse_dataset
from adjuvant_cli.model import Dataset

from .conftest import REPO


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled dataset with its pre-validated form beside it, read without a cache."""
    toml = tmp_path / "monographs.toml"
    shutil.copyfile(REPO / "data" / "monographs.toml", toml)
    data = toml.read_bytes()
    (tmp_path / prebuilt.NAME).write_bytes(prebuilt.dump(parse_dataset(data.decode(), "bundled"), data))
    monkeypatch.setattr("adjuvant_cli.dataset.loading.bundled_path", lambda: toml)
    monkeypatch.setenv("ADJUVANT_NO_CACHE", "1")
    return toml


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The labels of the datasets parsed from TOML (the fallback) while a test runs."""
    from adjuvant_cli.dataset import loading

    parsed: list[str] = []
    parse = loading._parse

    def counted(label: str, text: str) -> Dataset:
        parsed.append(label)
        return parse(label, text)

    monkeypatch.setattr(loading, "_parse", counted)
    return parsed


def test_a_fresh_prebuilt_dataset_is_the_parsed_one_and_parses_nothing(
    bundled: Path, parses: list[str], dataset: Dataset
) -> None:
    assert load_dataset() == dataset
    assert parses == []


def test_one_changed_byte_of_its_body_is_refused(bundled: Path, parses: list[str]) -> None:
    """A wrong ATC code was once served from a body no digest covered."""
    stored = bundled.with_name(prebuilt.NAME)
    body = stored.read_bytes()
    assert body.count(b"M03BX01") == 1
    stored.write_bytes(body.replace(b"M03BX01", b"M03BX07"))
    assert load_dataset().drugs_by_id["baclofen"].atc == "M03BX01"
    assert len(parses) == 1


def test_an_edited_toml_makes_it_stale(bundled: Path, parses: list[str]) -> None:
    edited = bundled.read_text(encoding="utf-8").replace('name = "Baclofen"', 'name = "Baclofen (edited)"', 1)
    bundled.write_text(edited, encoding="utf-8")
    assert load_dataset().drugs_by_id["baclofen"].name == "Baclofen (edited)"
    assert len(parses) == 1


Damage = Callable[[bytes, int], bytes]
DAMAGES: dict[str, Damage] = {
    "a flipped bit": lambda data, at: data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1 :],
    "a changed byte": lambda data, at: data[:at] + bytes([(data[at] + 1) % 256]) + data[at + 1 :],
    "truncated": lambda data, at: data[:at],
    "a byte dropped": lambda data, at: data[:at] + data[at + 1 :],
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_any_damage_anywhere_means_parsing_the_toml(bundled: Path, damage: str) -> None:
    toml = bundled.read_bytes()
    stored = bundled.with_name(prebuilt.NAME)
    data = stored.read_bytes()
    assert prebuilt.load(stored, toml) is not None
    for at in range(0, len(data), 211):  # the header and ~250 places in the body
        stored.write_bytes(DAMAGES[damage](data, at))
        assert prebuilt.load(stored, toml) is None, at


def test_a_missing_one_means_parsing_the_toml(tmp_path: Path) -> None:
    assert prebuilt.load(tmp_path / "absent.marshal", b"x") is None
