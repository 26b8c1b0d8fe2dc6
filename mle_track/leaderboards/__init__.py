"""Reference-population leaderboards for competitions without a Kaggle crowd.

``population`` documents who the reference solutions are, ``problem`` is the contract with a
competition's ``reference.py`` (public files → feature matrix), ``models`` trains one member, and
``builder`` trains them all, scores them with the competition's grader and writes the ranked
``leaderboard.csv``. The generator version is recorded in each competition's ``config.yaml``.
"""

from __future__ import annotations

from mle_track.leaderboards.builder import GENERATOR_VERSION, BuildResult, build_leaderboard
from mle_track.leaderboards.population import DEFAULT_SIZE, Member, population
from mle_track.leaderboards.problem import ReferenceProblem

__all__ = [
    "DEFAULT_SIZE",
    "GENERATOR_VERSION",
    "BuildResult",
    "Member",
    "ReferenceProblem",
    "build_leaderboard",
    "population",
]
