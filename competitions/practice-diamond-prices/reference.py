"""Features for the reference population: the grades as ordinal codes, worst to best.

Prices are fitted on a log scale (``log1p``), which is what the RMSLE metric rewards. These
plain features feed the classic tier.

Tuned tier: price grows like a power of the weight, so gradient boosting also gets the log of
the carat, the stone's volume (x · y · z, log-scaled) and its density (carat per volume, which
flags the data-entry gaps where a dimension is 0). Ridge regression, which cannot bend on its
own, gets a cubic-spline basis of log carat, depth, table and log volume (knots fitted on the
training rows) and one-hot grades.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import SplineTransformer

from mle_track.leaderboards import FeatureSet, ReferenceProblem

GRADES = {
    "cut": ["Fair", "Good", "Very Good", "Premium", "Ideal"],
    "color": ["J", "I", "H", "G", "F", "E", "D"],
    "clarity": ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
}
NUMERIC = ["carat", "depth", "table", "x", "y", "z"]
KNOTS = 12


def _codes(frame: pd.DataFrame) -> list[np.ndarray]:
    return [
        pd.Categorical(frame[column], categories=order, ordered=True).codes.astype(float)
        for column, order in GRADES.items()
    ]


def _encode(frame: pd.DataFrame) -> np.ndarray:
    return np.column_stack([frame[NUMERIC].to_numpy(dtype=float), *_codes(frame)])


def _shape(frame: pd.DataFrame) -> np.ndarray:
    """log carat, depth, table, log volume, density."""
    carat = frame["carat"].to_numpy(dtype=float)
    volume = (frame["x"] * frame["y"] * frame["z"]).to_numpy(dtype=float)
    density = np.where(volume > 0, carat / np.maximum(volume, 1e-9) * 1000.0, 0.0)
    return np.column_stack(
        [np.log(carat), frame["depth"], frame["table"], np.log1p(volume), density]
    )


def _one_hot(frame: pd.DataFrame) -> np.ndarray:
    return np.hstack(
        [
            (frame[column].to_numpy()[:, None] == np.array(order)[None, :]).astype(float)
            for column, order in GRADES.items()
        ]
    )


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    shape_train, shape_test = _shape(train), _shape(test)
    boosted = FeatureSet(
        np.column_stack([_encode(train), shape_train]),
        np.column_stack([_encode(test), shape_test]),
    )
    splines = SplineTransformer(n_knots=KNOTS, degree=3).fit(shape_train[:, :4])
    curved = FeatureSet(
        np.hstack([splines.transform(shape_train[:, :4]), _one_hot(train)]),
        np.hstack([splines.transform(shape_test[:, :4]), _one_hot(test)]),
    )
    return ReferenceProblem(
        task="regression",
        x_train=_encode(train),
        y_train=train["price"].to_numpy(dtype=float),
        x_test=_encode(test),
        test_ids=test["id"].to_numpy(),
        output="value",
        target_transform="log1p",
        tuned={"gbdt": boosted, "glm": curved},
    )
