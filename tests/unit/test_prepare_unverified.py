"""Builds from files a user supplied (``--raw-dir``): they never record the competition's
checksums, and one made with --no-verify that differs from them says how it was made."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from mle_track.competitions import Catalog, CompetitionSpec
from mle_track.competitions.files import load_module
from mle_track.data import prepare_competition
from mle_track.data.checksums import split_digests, write_checksums
from mle_track.data.prepare import checksums_path, verify_prepared
from mle_track.errors import ChecksumMismatch

COMPETITION = "dog-breed-identification"


def scratch_spec(tmp_path: Path) -> CompetitionSpec:
    """The competition from a copy of its folder, with no checksums recorded."""
    source = Catalog().get(COMPETITION).folder
    shutil.copytree(source, tmp_path / "competitions" / COMPETITION)
    (tmp_path / "competitions" / COMPETITION / "checksums.yaml").unlink(missing_ok=True)
    return Catalog(tmp_path / "competitions").get(COMPETITION)


def synthetic_raw(spec: CompetitionSpec, folder: Path, seed: int) -> Path:
    folder.mkdir()
    load_module(spec.folder, "synthetic").make_raw(folder, np.random.default_rng(seed))
    return folder


def test_a_verified_build_from_raw_dir_files_records_no_checksums(tmp_path: Path) -> None:
    spec = scratch_spec(tmp_path)
    lines: list[str] = []
    raw = synthetic_raw(spec, tmp_path / "raw", 0)
    result = prepare_competition(spec, tmp_path / "data", raw_dir=raw, progress=lines.append)
    assert not result.verified and not result.checksums_written  # nothing to compare with
    assert not checksums_path(spec).exists()
    assert any("never records them" in line for line in lines), lines
    verify_prepared(spec, tmp_path / "data")  # checking it later records nothing either
    assert not checksums_path(spec).exists()


def test_an_unverified_build_that_differs_from_the_checksums_says_how_it_was_made(
    tmp_path: Path,
) -> None:
    spec = scratch_spec(tmp_path)
    first = prepare_competition(
        spec, tmp_path / "first", raw_dir=synthetic_raw(spec, tmp_path / "a", 0)
    )
    write_checksums(checksums_path(spec), split_digests(first.digests))  # "the real data's"
    other = synthetic_raw(spec, tmp_path / "b", 1)
    prepare_competition(spec, tmp_path / "data", raw_dir=other, verify=False)
    with pytest.raises(ChecksumMismatch) as raised:
        verify_prepared(spec, tmp_path / "data")
    message = str(raised.value)
    assert "prepared with --no-verify" in message and "changed since it was built" not in message
    assert f"mle-track prepare --force -c {COMPETITION}" in message
