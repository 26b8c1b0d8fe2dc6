"""Features for the reference population: numeric shape measures plus one-hot categories.

Categories are taken from the training file only, so a value seen only in test encodes as all
zeros rather than leaking the test set's vocabulary.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.leaderboards import ReferenceProblem

LABEL = "species"


def _encode(frame: pd.DataFrame, categories: dict[str, list[str]]) -> np.ndarray:
    numeric = frame.drop(columns=[*categories, "id", LABEL], errors="ignore")
    dummies = [
        (frame[column].to_numpy()[:, None] == np.array(values)[None, :]).astype(float)
        for column, values in categories.items()
    ]
    return np.hstack([numeric.to_numpy(dtype=float), *dummies])


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    text_columns = [c for c in test.columns if train[c].dtype == object]
    categories = {c: sorted(train[c].unique()) for c in text_columns}
    return ReferenceProblem(
        task="multiclass",
        x_train=_encode(train, categories),
        y_train=train[LABEL].to_numpy(dtype=str),
        x_test=_encode(test, categories),
        test_ids=test["id"].to_numpy(),
        output="probability",
    )
