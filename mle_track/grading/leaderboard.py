"""Loading a competition's leaderboard and turning it into medal thresholds.

A leaderboard is a CSV with a ``score`` column in rank order (best first). A copy in the data
root (downloaded from Kaggle or supplied with ``--leaderboard``) wins over the one shipped in the
competition folder; a competition without either grades score and validity only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data.layout import CompetitionPaths
from mle_track.errors import LeaderboardError
from mle_track.grading.medals import Thresholds, thresholds


def leaderboard_file(spec: CompetitionSpec, data_root: Path) -> Path | None:
    """The leaderboard to use, or None when the competition has none."""
    # like MLE-bench, medals are computed whether or not Kaggle awarded them
    if spec.leaderboard.source == "none":
        return None
    for candidate in (CompetitionPaths(data_root, spec.id).leaderboard, spec.leaderboard_path):
        if candidate.is_file():
            return candidate
    return None


def load_scores(path: Path) -> NDArray[np.float64]:
    """Leaderboard scores in rank order; raises LeaderboardError on a malformed file."""
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise LeaderboardError(f"cannot read leaderboard {path}: {exc}") from exc
    if "score" not in frame.columns:
        raise LeaderboardError(f"leaderboard {path} has no 'score' column")
    scores = pd.to_numeric(frame["score"], errors="coerce").dropna().to_numpy(dtype=np.float64)
    if scores.size == 0:
        raise LeaderboardError(f"leaderboard {path} holds no scores")
    return scores


@cache
def _cached_thresholds(path: Path, mtime_ns: int, higher_is_better: bool) -> Thresholds:
    return thresholds(load_scores(path), higher_is_better)


def competition_thresholds(spec: CompetitionSpec, data_root: Path) -> Thresholds | None:
    path = leaderboard_file(spec, data_root)
    if path is None:
        return None
    return _cached_thresholds(path, path.stat().st_mtime_ns, spec.direction == "higher")


def order_agrees(scores: NDArray[np.float64], higher_is_better: bool) -> bool:
    """Whether the leaderboard's first and last rows agree with the declared direction."""
    if scores.size < 2 or scores[0] == scores[-1]:
        return True
    return bool((scores[0] > scores[-1]) == higher_is_better)
