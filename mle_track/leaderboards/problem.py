"""What a competition hands the reference population: a feature matrix and a target.

A competition folder may hold ``reference.py`` with ``load_problem(public: Path) ->
ReferenceProblem``. It reads only the public files (train, test), so the reference solutions see
exactly what an agent sees, and turns them into numbers: tabular encodings, TF-IDF for text,
pixels for images, calendar features for a time series. Everything after that (which models,
which rows, which features, how predictions become a submission) is generic and lives in this
package, so a new competition needs a few lines of feature code and nothing else.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from mle_track.errors import LeaderboardError

Task = Literal["binary", "multiclass", "regression"]
#: how one prediction is written: a probability (one column per class for multi-class, the
#: positive class's for binary), a hard label, or a number
Output = Literal["probability", "label", "value"]
TargetTransform = Literal["none", "log1p"]
#: a dense float array or a SciPy CSR matrix (text features)
Matrix: TypeAlias = "NDArray[np.floating[Any]] | sp.csr_matrix"

REFERENCE_FILE = "reference.py"


@dataclass(frozen=True)
class ReferenceProblem:
    """A supervised problem in matrix form, built from a competition's public files.

    ``y_train`` holds 0/1 for binary tasks (1 = the class whose probability is submitted),
    class labels for multi-class tasks (for ``probability`` output they must equal the
    submission's target column names) and numbers for regression. ``temporal`` says the training
    rows are in time order: a reference solution trained on a fraction of them keeps the most
    recent rows instead of a random sample. ``target_transform="log1p"`` fits regressors on
    ``log1p(y)``, the natural scale for log-error metrics.
    """

    task: Task
    x_train: Matrix
    y_train: NDArray[Any]
    x_test: Matrix
    test_ids: NDArray[Any]
    output: Output
    target_transform: TargetTransform = "none"
    temporal: bool = False

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

    @property
    def sparse(self) -> bool:
        return bool(sp.issparse(self.x_train))

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def classes(self) -> NDArray[Any]:
        """Sorted class labels (the column order of every ``predict_proba`` here)."""
        return np.unique(self.y_train)


def load_reference_module(folder: Path, competition_id: str) -> ModuleType:
    """Import ``<folder>/reference.py`` under a private name (folders have hyphens)."""
    path = folder / REFERENCE_FILE
    if not path.is_file():
        raise LeaderboardError(
            f"competition {competition_id!r} has no {REFERENCE_FILE}; a reference-population "
            f"leaderboard needs one that defines load_problem(public) (see mle_track.leaderboards)"
        )
    name = "_mle_track_reference_" + competition_id.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise LeaderboardError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up by name
    spec.loader.exec_module(module)
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
