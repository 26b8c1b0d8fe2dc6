"""Features for the reference population: the grades as ordinal codes, worst to best.

Prices are fitted on a log scale (``log1p``), which is what the RMSLE metric rewards.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.leaderboards import ReferenceProblem

GRADES = {
    "cut": ["Fair", "Good", "Very Good", "Premium", "Ideal"],
    "color": ["J", "I", "H", "G", "F", "E", "D"],
    "clarity": ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
}
NUMERIC = ["carat", "depth", "table", "x", "y", "z"]


def _encode(frame: pd.DataFrame) -> np.ndarray:
    codes = [
        pd.Categorical(frame[column], categories=order, ordered=True).codes.astype(float)
        for column, order in GRADES.items()
    ]
    return np.column_stack([frame[NUMERIC].to_numpy(dtype=float), *codes])


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    return ReferenceProblem(
        task="regression",
        x_train=_encode(train),
        y_train=train["price"].to_numpy(dtype=float),
        x_test=_encode(test),
        test_ids=test["id"].to_numpy(),
        output="value",
        target_transform="log1p",
    )
