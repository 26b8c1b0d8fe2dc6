"""What a competition hands the reference population: a feature matrix and a target.

A competition folder may hold ``reference.py`` with ``load_problem(public: Path) ->
ReferenceProblem``. It reads only the public files (train, test), so the reference solutions see
exactly what an agent sees, and turns them into numbers: tabular encodings, TF-IDF for text,
pixels for images, calendar features for a time series. Everything after that (which models,
which rows, which features, how predictions become a submission) is generic and lives in this
package, so a new competition needs a few lines of feature code and nothing else.

Those plain features feed the classic families of the population. The tuned tier (see
:mod:`population`) stands for careful practitioners, who engineer features for the model they
use: ``tuned`` maps each tuned family a competition's practitioner would pick to the
:class:`FeatureSet` it trains on (richer calendar features, word and character n-grams, gradient
histograms of the pixels …). Without it, the generic tuned families train on the plain features.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeAlias, cast

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from mle_track.competitions.files import CompetitionFileError, load_module
from mle_track.errors import LeaderboardError

Task = Literal["binary", "multiclass", "regression"]
#: how one prediction is written: a probability (one column per class for multi-class, the
#: positive class's for binary), a hard label, or a number
Output = Literal["probability", "label", "value"]
TargetTransform = Literal["none", "log1p"]
#: a dense float array or a SciPy CSR matrix (text features)
Matrix: TypeAlias = "NDArray[np.floating[Any]] | sp.csr_matrix"

REFERENCE_FILE = "reference.py"


def _canonical(matrix: Matrix) -> None:
    """Sort a sparse matrix's indices and merge duplicates now, in place, in the parent process.

    Stacked matrices come out unsorted, and scikit-learn sorts them in place on first use —
    which fails on the read-only copies that parallel workers receive. Only the tuned feature
    sets are treated: the plain features stay as the competition made them (re-sorting changes
    float summation order, and with it the last digits of the classic members' scores).
    """
    if sp.issparse(matrix):
        cast(sp.csr_matrix, matrix).sum_duplicates()


@dataclass(frozen=True)
class FeatureSet:
    """One engineered feature matrix: the same columns for the train rows and the test rows.

    ``standardize`` says that scale-sensitive models (linear, kernel, neural) should standardise
    the columns first; leave it on unless the columns already share one unit (pixels, gradient
    histograms). Sparse features (TF-IDF) are never standardised.
    """

    train: Matrix
    test: Matrix
    standardize: bool = True

    def check(self, name: str, n_train: int, n_test: int) -> None:
        if self.train.shape[0] != n_train or self.test.shape[0] != n_test:
            raise LeaderboardError(f"{name}: its rows do not match the train and test rows")
        if self.train.shape[1] != self.test.shape[1]:
            raise LeaderboardError(
                f"{name}: train has {self.train.shape[1]} features but test has "
                f"{self.test.shape[1]}"
            )
        for part, matrix in (("train", self.train), ("test", self.test)):
            values = matrix.data if sp.issparse(matrix) else matrix
            if not np.all(np.isfinite(values)):
                raise LeaderboardError(f"{name}: {part} holds missing or infinite values")


@dataclass(frozen=True)
class ReferenceProblem:
    """A supervised problem in matrix form, built from a competition's public files.

    ``y_train`` holds 0/1 for binary tasks (1 = the class whose probability is submitted),
    class labels for multi-class tasks (for ``probability`` output they must equal the
    submission's target column names) and numbers for regression. ``temporal`` says the training
    rows are in time order: a reference solution trained on a fraction of them keeps the most
    recent rows instead of a random sample. ``target_transform="log1p"`` fits regressors on
    ``log1p(y)``, the natural scale for log-error metrics. ``tuned`` names the tuned families
    that suit the problem, in the practitioner's order of preference, each with its features
    (``None``: the generic ones on ``x_train``/``x_test``; see :mod:`population`).
    """

    task: Task
    x_train: Matrix
    y_train: NDArray[Any]
    x_test: Matrix
    test_ids: NDArray[Any]
    output: Output
    target_transform: TargetTransform = "none"
    temporal: bool = False
    tuned: Mapping[str, FeatureSet] | None = None

    def __post_init__(self) -> None:
        n_train, n_test = self.x_train.shape[0], self.x_test.shape[0]
        if self.x_train.shape[1] != self.x_test.shape[1]:
            raise LeaderboardError(
                f"train has {self.x_train.shape[1]} features but test has {self.x_test.shape[1]}"
            )
        if len(self.y_train) != n_train or len(self.test_ids) != n_test:
            raise LeaderboardError("target or test ids do not match the feature matrices")
        for name, matrix in (("x_train", self.x_train), ("x_test", self.x_test)):
            values = matrix.data if sp.issparse(matrix) else matrix
            if not np.all(np.isfinite(values)):
                raise LeaderboardError(f"{name} holds missing or infinite values")
        expected: dict[Task, tuple[Output, ...]] = {
            "binary": ("probability", "label"),
            "multiclass": ("probability", "label"),
            "regression": ("value",),
        }
        if self.output not in expected[self.task]:
            raise LeaderboardError(f"a {self.task} task cannot write {self.output!r} predictions")
        if self.task == "binary" and set(np.unique(self.y_train).tolist()) != {0, 1}:
            raise LeaderboardError("a binary task needs y_train with both 0 and 1")
        if self.tuned is not None:
            if not self.tuned:
                raise LeaderboardError("tuned names no family (leave it None for the defaults)")
            for family, features in self.tuned.items():
                features.check(f"tuned features of {family!r}", n_train, n_test)
                _canonical(features.train)
                _canonical(features.test)

    @property
    def sparse(self) -> bool:
        return bool(sp.issparse(self.x_train))

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    def features(self, family: str) -> FeatureSet:
        """What ``family`` trains on: its engineered features, else the plain ones."""
        if self.tuned is not None and family in self.tuned:
            return self.tuned[family]
        return FeatureSet(self.x_train, self.x_test)

    @property
    def classes(self) -> NDArray[Any]:
        """Sorted class labels (the column order of every ``predict_proba`` here)."""
        return np.unique(self.y_train)


def load_reference_module(folder: Path, competition_id: str) -> ModuleType:
    """``<folder>/reference.py``, loaded by the one competition-file loader (a module of the
    folder's package, so it can import the competition's helpers and ``prepare.py``)."""
    path = folder / REFERENCE_FILE
    if not path.is_file():
        raise LeaderboardError(
            f"competition {competition_id!r} has no {REFERENCE_FILE}; a reference-population "
            f"leaderboard needs one that defines load_problem(public) (see mle_track.leaderboards)"
        )
    try:
        module = load_module(folder, path.stem, owner=competition_id)
    except CompetitionFileError as exc:
        raise LeaderboardError(str(exc)) from exc
    if not callable(getattr(module, "load_problem", None)):
        raise LeaderboardError(f"{path} does not define load_problem(public)")
    return module


def load_problem(folder: Path, competition_id: str, public: Path) -> ReferenceProblem:
    problem = load_reference_module(folder, competition_id).load_problem(public)
    if not isinstance(problem, ReferenceProblem):
        raise LeaderboardError(
            f"{folder / REFERENCE_FILE}: load_problem returned {type(problem).__name__}, "
            "not a ReferenceProblem"
        )
    return problem
