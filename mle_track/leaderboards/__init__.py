"""Reference-population leaderboards for competitions without a Kaggle crowd.

``population`` documents who the reference solutions are (a classic field and a tuned top),
``problem`` is the contract with a competition's ``reference.py`` (public files → plain feature
matrix, plus the engineered feature sets of the tuned tier), ``models`` trains one member, and
``builder`` trains them all, scores them with the competition's grader and writes the ranked
``leaderboard.csv``. The generator version is recorded in each competition's ``config.yaml``.
"""

from __future__ import annotations

from mle_track.leaderboards.builder import GENERATOR_VERSION, BuildResult, build_leaderboard
from mle_track.leaderboards.population import DEFAULT_SIZE, Member, population
from mle_track.leaderboards.problem import FeatureSet, ReferenceProblem

__all__ = [
    "DEFAULT_SIZE",
    "GENERATOR_VERSION",
    "BuildResult",
    "FeatureSet",
    "Member",
    "ReferenceProblem",
    "build_leaderboard",
    "population",
]
