"""Features for the reference population: the numeric measurements as they are.

These plain features feed the classic tier. Tuned tier: most measurements (areas, intensities,
counts) are non-negative and strongly right-skewed, which hurts kernel and linear models, so
those with a skewness above 1 on the training rows are log-transformed (``log1p``); tree models
are indifferent to it. An RBF-kernel SVM, gradient boosting and logistic regression train on
the result.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.leaderboards import FeatureSet, ReferenceProblem

SKEWED = 1.0


def _skewness(values: np.ndarray) -> np.ndarray:
    centred = values - values.mean(axis=0)
    spread = centred.std(axis=0)
    return np.asarray(
        (centred**3).mean(axis=0) / np.where(spread > 0, spread, 1.0) ** 3, dtype=float
    )


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    features = [c for c in test.columns if c != "id"]
    x_train = train[features].to_numpy(dtype=float)
    x_test = test[features].to_numpy(dtype=float)
    logged = (x_train.min(axis=0) >= 0) & (_skewness(x_train) > SKEWED)
    # a test value below zero in a logged column would have no log: such values are clipped
    unskewed = FeatureSet(
        np.where(logged, np.log1p(np.where(logged, x_train, 0.0)), x_train),
        np.where(logged, np.log1p(np.where(logged, np.maximum(x_test, 0.0), 0.0)), x_test),
    )
    return ReferenceProblem(
        task="binary",
        x_train=x_train,
        y_train=(train["class"] == "PS").to_numpy(dtype=int),
        x_test=x_test,
        test_ids=test["id"].to_numpy(),
        output="probability",
        tuned={"svm": unskewed, "gbdt": unskewed, "glm": unskewed},
    )
