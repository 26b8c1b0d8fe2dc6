"""``mle-track prepare`` end to end through ``mle_track.cli.main``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mle_track.cli import main
from mle_track.competitions import catalog as catalog_module
from mle_track.data import CompetitionPaths
from mle_track.data.sources import kaggle as kaggle_source
from tests.fakes import add_competition, write_toy_raw
from tests.fakes.kaggle import FakeKaggleApi

REAL_API = kaggle_source.real_api


@pytest.fixture
def toys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two Kaggle competitions in suite ``toys``; ``beta``'s rules are not accepted."""
    competitions = tmp_path / "competitions"
    suites = {"toys": ["alpha", "beta"]}
    for cid in ("alpha", "beta"):
        add_competition(competitions, cid, {"kind": "kaggle", "competition": cid}, suites=suites)
        write_toy_raw(tmp_path / "served" / cid)
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(competitions))
    api = FakeKaggleApi(tmp_path / "served", rules_not_accepted={"beta"})
    monkeypatch.setattr(kaggle_source, "real_api", lambda: api)
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()
    yield tmp_path / "data"
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()


def test_suite_reports_the_failure_and_continues(
    toys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["prepare", "--suite", "toys", "--data-dir", str(toys)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "alpha: prepared in" in out
    assert "prepared 1, already prepared 0, failed 1 of 2" in out
    assert "FAILED beta" in out and "https://www.kaggle.com/c/beta/rules" in out
    assert "beta failed" in err
    assert "s] alpha: downloading Kaggle competition 'alpha'" in err
    assert "s] alpha: running prepare.py: done in" in err
    assert CompetitionPaths(toys, "alpha").is_prepared()

    code = main(["prepare", "-c", "alpha", "--data-dir", str(toys)])
    out, _ = capsys.readouterr()
    assert code == 0 and "alpha: already prepared (verified" in out


def test_raw_dir_no_verify_keep_raw(
    toys: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = write_toy_raw(tmp_path / "mine")
    argv = ["prepare", "-c", "beta", "--data-dir", str(toys), "--raw-dir", str(raw)]
    code = main([*argv, "--no-verify", "--keep-raw"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert "verification is off (--no-verify)" in out and "beta: prepared in" in out
    paths = CompetitionPaths(toys, "beta")
    assert json.loads(paths.marker.read_text())["verified"] is False
    assert (paths.raw / "train.csv").is_file()
    assert not (tmp_path / "competitions" / "beta" / "checksums.yaml").exists()

    code = main([*argv, "--force"])  # verified, but from files the user supplied
    out, err = capsys.readouterr()
    assert code == 0 and "never records them" in out + err, out + err
    assert not (tmp_path / "competitions" / "beta" / "checksums.yaml").exists()
    assert json.loads(paths.marker.read_text())["verified"] is False


def test_missing_credentials_are_explained(
    toys: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", REAL_API)  # the real check, empty home
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    code = main(["prepare", "-c", "alpha", "--data-dir", str(toys)])
    out, err = capsys.readouterr()
    assert code == 1 and "FAILED alpha" in out
    assert "no Kaggle credentials found" in err and "~/.kaggle/kaggle.json" in err


def test_a_selection_is_required(toys: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["prepare", "--data-dir", str(toys)])
    assert info.value.code == 2
