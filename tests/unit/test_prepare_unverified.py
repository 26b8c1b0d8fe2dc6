"""A build made with --no-verify from other raw files: checking it says so, not "changed"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mle_track.competitions import Catalog
from mle_track.competitions.files import load_module
from mle_track.data import prepare_competition
from mle_track.data.prepare import verify_prepared
from mle_track.errors import ChecksumMismatch


def test_an_unverified_build_that_differs_from_the_checksums_says_how_it_was_made(
    tmp_path: Path,
) -> None:
    spec = Catalog().get("dog-breed-identification")  # its checksums are the real data's
    assert (spec.folder / "checksums.yaml").is_file()
    raw = tmp_path / "raw"
    raw.mkdir()
    load_module(spec.folder, "synthetic").make_raw(raw, np.random.default_rng(0))
    prepare_competition(spec, tmp_path / "data", raw_dir=raw, verify=False)
    with pytest.raises(ChecksumMismatch) as raised:
        verify_prepared(spec, tmp_path / "data")
    message = str(raised.value)
    assert "prepared with --no-verify" in message and "changed since it was built" not in message
    assert "mle-track prepare --force -c dog-breed-identification" in message
