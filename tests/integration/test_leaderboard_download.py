"""``mle-track leaderboard download`` end to end through ``mle_track.cli.main``, fake Kaggle API."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from mle_track.cli import main
from mle_track.competitions import Catalog
from mle_track.data import CompetitionPaths
from mle_track.data.hashing import digest_tree
from mle_track.data.sources import kaggle as kaggle_source
from mle_track.grading import grade_submission
from tests.fakes.kaggle import FakeKaggleApi

REAL_API = kaggle_source.real_api
SLUG = "toy-on-kaggle"  # the Kaggle slug differs from the id: the download must use the slug
SCORES = [("Alice Team", 0.97), ("bob", 0.95), ("carol", 0.9), ("dan", 0.8), ("eve", 0.6)]


def _config(
    competition_id: str, leaderboard_source: str, direction: str = "higher"
) -> dict[str, Any]:
    return {
        "id": competition_id,
        "name": competition_id.title(),
        "version": 1,
        "metric": {"name": "accuracy", "id_column": "id", "target_columns": ["label"]},
        "direction": direction,
        "answers": "private/test.csv",
        "sample_submission": "public/sample_submission.csv",
        "source": {"kind": "kaggle", "competition": SLUG},
        "leaderboard": {"source": leaderboard_source},
    }


@pytest.fixture
def data(tmp_path: Path, competitions_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Competition ``toy`` (accuracy, Kaggle leaderboard, none shipped), prepared; others too."""
    for cid, source, direction in (
        ("toy", "kaggle", "higher"),
        ("lowtoy", "kaggle", "lower"),
        ("nolb", "none", "higher"),
        ("refpop", "reference-population", "higher"),
    ):
        (competitions_root / cid).mkdir()
        config = _config(cid, source, direction)
        (competitions_root / cid / "config.yaml").write_text(yaml.safe_dump(config))
        (competitions_root / cid / "description.md").write_text("# toy\n")
    root = tmp_path / "data"
    paths = CompetitionPaths(root, "toy")
    paths.public.mkdir(parents=True)
    paths.private.mkdir(parents=True)
    answers = pd.DataFrame({"id": range(10), "label": [0, 1] * 5})
    answers.to_csv(paths.private / "test.csv", index=False)
    answers.assign(label=0).to_csv(paths.public / "sample_submission.csv", index=False)
    files = digest_tree(paths.prepared).stat_cache()  # the sha256s grading compares with
    paths.marker.write_text(json.dumps({"competition_id": "toy", "version": 1, "files": files}))
    return root


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeKaggleApi]:
    fake = FakeKaggleApi(tmp_path / "served", leaderboards={SLUG: SCORES})
    monkeypatch.setattr(kaggle_source, "real_api", lambda: fake)
    yield fake


def _download(data: Path, *extra: str, competition: str = "toy") -> int:
    return main(["leaderboard", "download", competition, "--data-dir", str(data), *extra])


def test_download_stores_the_full_leaderboard_in_rank_order_and_grading_uses_it(
    data: Path, api: FakeKaggleApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _download(data) == 0
    out, err = capsys.readouterr()
    assert f"downloading the leaderboard of Kaggle competition '{SLUG}'" in err
    dest = data / "toy" / "leaderboard.csv"
    assert dest == CompetitionPaths(data, "toy").leaderboard
    assert f"toy: stored 5 scores from Kaggle competition '{SLUG}' in {dest}" in out
    assert "medal thresholds (higher is better): gold 0.97" in out
    assert api.calls == [("leaderboard", SLUG)]  # the full download; the paged view would raise
    with dest.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [float(r["score"]) for r in rows] == [s for _, s in SCORES]
    assert "Alice" not in dest.read_text() and not list(dest.parent.glob(".*.new"))

    spec = Catalog().get("toy")
    paths = CompetitionPaths(data, "toy")
    sample = grade_submission(spec, paths.resolve(spec.sample_submission), data)
    assert sample.medals_available and sample.gold_threshold == 0.97 and not sample.any_medal
    gold = grade_submission(spec, paths.resolve(spec.answers), data)
    assert gold.score == 1.0 and gold.gold_medal


def test_an_existing_leaderboard_is_replaced_only_with_force(
    data: Path, api: FakeKaggleApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _download(data) == 0
    api.leaderboards[SLUG] = [("x", 0.99), ("y", 0.5)]
    assert _download(data) == 2
    _, err = capsys.readouterr()
    assert err.strip().endswith("already exists; pass --force to replace it")
    assert len(pd.read_csv(data / "toy" / "leaderboard.csv")) == 5
    assert _download(data, "--force") == 0
    assert pd.read_csv(data / "toy" / "leaderboard.csv")["score"].tolist() == [0.99, 0.5]


def test_a_failed_forced_download_keeps_the_previous_leaderboard(
    data: Path, api: FakeKaggleApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _download(data) == 0
    before = (data / "toy" / "leaderboard.csv").read_bytes()
    del api.leaderboards[SLUG]  # Kaggle answers 404
    assert _download(data, "--force") == 2
    _, err = capsys.readouterr()
    assert f"Kaggle has no competition '{SLUG}' (404)" in err
    assert (data / "toy" / "leaderboard.csv").read_bytes() == before


def test_rules_not_accepted_is_one_line_naming_the_rules_url(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeKaggleApi(tmp_path, leaderboards={SLUG: SCORES}, rules_not_accepted={SLUG})
    monkeypatch.setattr(kaggle_source, "real_api", lambda: fake)
    assert _download(data) == 2
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert lines[-1].startswith("mle-track: error: the rules of Kaggle competition")
    assert f"https://www.kaggle.com/c/{SLUG}/rules" in lines[-1]
    assert "Traceback" not in err and not (data / "toy" / "leaderboard.csv").exists()


def test_missing_credentials_are_explained_before_any_kaggle_import(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", REAL_API)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)
    assert _download(data) == 2
    _, err = capsys.readouterr()
    assert "mle-track: error: no Kaggle credentials found" in err
    assert "https://www.kaggle.com/settings/api" in err and "Traceback" not in err


def _no_kaggle() -> object:
    raise AssertionError("--leaderboard FILE must not touch Kaggle")


def test_a_supplied_leaderboard_is_checked_normalised_and_stored(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", _no_kaggle)
    supplied = tmp_path / "mine.csv"
    supplied.write_text(  # Kaggle's website export: capitalised Score, team names, rank column
        "Rank,TeamName,Score\n2,beta,0.9\n1,alpha,0.95\n3,gamma,0.7\n", encoding="utf-8"
    )
    assert _download(data, "--leaderboard", str(supplied)) == 0
    out, err = capsys.readouterr()
    assert f"stored 3 scores from {supplied}" in out and "warning" not in err
    stored = pd.read_csv(data / "toy" / "leaderboard.csv")
    assert list(stored.columns) == ["Rank", "score"]
    assert stored["score"].tolist() == [0.95, 0.9, 0.7]


def test_a_supplied_zip_from_kaggle_is_accepted(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", _no_kaggle)
    archive = tmp_path / "toy.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("toy-publicleaderboard.csv", "TeamId,Score\n1,0.9\n2,0.8\n")
    assert _download(data, "--leaderboard", str(archive)) == 0
    assert pd.read_csv(data / "toy" / "leaderboard.csv")["score"].tolist() == [0.9, 0.8]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("team,points\na,0.9\n", "no 'score' column (the header has team, points)"),
        ("team,score\n", "no rows below the header"),
        ("team,score\na,0.9\nb,high\n", "line 3: score 'high' is not a finite number"),
        ("team,score\na,0.9\nb,\n", "line 3: score '' is not a finite number"),
        ("team,score\na,nan\n", "line 2: score 'nan' is not a finite number"),
        ("team,score\na,0.9,extra\n", "line 2 has 3 fields, the header 2"),
        ("", "no 'score' column (the header has nothing)"),
    ],
)
def test_a_bad_supplied_leaderboard_is_refused_with_a_reason(
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str,
    reason: str,
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", _no_kaggle)
    supplied = tmp_path / "bad.csv"
    supplied.write_text(content)
    assert _download(data, "--leaderboard", str(supplied)) == 2
    _, err = capsys.readouterr()
    assert reason in err and len(err.strip().splitlines()) == 1, err
    assert not (data / "toy").joinpath("leaderboard.csv").exists()
    assert not list((data / "toy").glob(".leaderboard*"))


def test_a_missing_supplied_file_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _download(data, "--leaderboard", str(data / "nope.csv")) == 2
    assert "nope.csv: no such file" in capsys.readouterr().err


def test_a_supplied_leaderboard_in_the_wrong_order_is_stored_with_a_warning(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(kaggle_source, "real_api", _no_kaggle)
    supplied = tmp_path / "ascending.csv"
    supplied.write_text("score\n0.1\n0.5\n0.9\n")
    assert _download(data, "--leaderboard", str(supplied), competition="lowtoy") == 0
    _, err = capsys.readouterr()
    assert "warning" not in err  # ascending is right for a lower-is-better metric
    assert _download(data, "--leaderboard", str(supplied)) == 0
    _, err = capsys.readouterr()
    assert "warning: toy: the first score (0.1) is worse than the last (0.9)" in err
    assert (data / "toy" / "leaderboard.csv").is_file()


@pytest.mark.parametrize(
    ("competition", "reason"),
    [
        ("nolb", "its leaderboard.source is 'none', not 'kaggle'"),
        ("refpop", "make it with `mle-track leaderboard build refpop`"),
        ("toi", "unknown competition 'toi'. Did you mean 'toy'?"),
    ],
)
def test_competitions_without_a_kaggle_leaderboard_are_refused(
    data: Path,
    api: FakeKaggleApi,
    capsys: pytest.CaptureFixture[str],
    competition: str,
    reason: str,
) -> None:
    assert _download(data, competition=competition) == 2
    assert reason in capsys.readouterr().err
    assert api.calls == []
