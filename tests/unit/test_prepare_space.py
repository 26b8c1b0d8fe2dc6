"""The free-space check: a prepare that cannot fit says so before it fetches anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from mle_track.competitions import Catalog
from mle_track.data import prepare_competition
from mle_track.data.space import check_free_space, free_bytes
from mle_track.errors import PrepareError

_GB = 1 << 30


def test_a_download_larger_than_the_free_space_is_refused_before_fetching(tmp_path: Path) -> None:
    spec = Catalog().get("practice-diamond-prices")
    huge = spec.model_copy(update={"dataset_size_gb": 4 * free_bytes(tmp_path) / _GB})
    root = tmp_path / "data"
    with pytest.raises(PrepareError) as raised:
        prepare_competition(huge, root)
    message = str(raised.value)
    assert "\n" not in message and "practice-diamond-prices: needs about" in message
    assert "GB are free" in message and "--data-dir" in message
    assert not (root / spec.id / "raw").exists(), "something was fetched"


def test_a_download_that_fits_passes_and_no_size_means_no_check(tmp_path: Path) -> None:
    spec = Catalog().get("practice-diamond-prices")
    check_free_space(spec.model_copy(update={"dataset_size_gb": 0.001}), tmp_path / "not" / "yet")
    check_free_space(spec.model_copy(update={"dataset_size_gb": None}), tmp_path)
    half = spec.model_copy(update={"dataset_size_gb": free_bytes(tmp_path) / _GB / 2})
    with pytest.raises(PrepareError, match="the download, its files and the prepared copy"):
        check_free_space(half, tmp_path)  # 2.5 times half the free space


def test_raw_files_already_there_are_not_checked(tmp_path: Path) -> None:
    """``--raw-dir`` (and a reused raw/): the files are on the disk already."""
    spec = Catalog().get("practice-diamond-prices")
    huge = spec.model_copy(update={"dataset_size_gb": 4 * free_bytes(tmp_path) / _GB})
    prepare_competition(spec, tmp_path / "first", keep_raw=True)
    result = prepare_competition(
        huge, tmp_path / "data", raw_dir=tmp_path / "first" / spec.id / "raw", verify=False
    )
    assert result.paths.is_prepared()
