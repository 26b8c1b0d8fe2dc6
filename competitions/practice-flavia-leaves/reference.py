"""Features for the reference population: numeric shape measures plus one-hot categories.

Categories are taken from the training file only, so a value seen only in test encodes as all
zeros rather than leaking the test set's vocabulary. These plain features feed the classic tier.

Tuned tier: the eight botanical categories (apex, base, shape, five edge types) together work
like a field guide's key — 28 combinations in the training leaves for 32 species — so besides
one-hot columns for each category, the combination itself gets one-hot columns (again from the
training file only). One-hot beats LightGBM's native categorical splits here: the categories
have at most nine values and the key matters as a whole. Gradient boosting and logistic
regression train on these features.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.leaderboards import FeatureSet, ReferenceProblem

LABEL = "species"


def _encode(frame: pd.DataFrame, categories: dict[str, list[str]]) -> np.ndarray:
    numeric = frame.drop(columns=[*categories, "id", LABEL], errors="ignore")
    dummies = [
        (frame[column].to_numpy()[:, None] == np.array(values)[None, :]).astype(float)
        for column, values in categories.items()
    ]
    return np.hstack([numeric.to_numpy(dtype=float), *dummies])


def _key(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Each leaf's combination of category values, as one string."""
    return frame[columns].astype(str).agg("|".join, axis=1).to_numpy()


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    text_columns = [c for c in test.columns if train[c].dtype == object]
    categories = {c: sorted(train[c].unique()) for c in text_columns}
    x_train, x_test = _encode(train, categories), _encode(test, categories)
    keys = np.array(sorted(set(_key(train, text_columns))))
    keyed = FeatureSet(
        np.hstack([x_train, (_key(train, text_columns)[:, None] == keys).astype(float)]),
        np.hstack([x_test, (_key(test, text_columns)[:, None] == keys).astype(float)]),
    )
    return ReferenceProblem(
        task="multiclass",
        x_train=x_train,
        y_train=train[LABEL].to_numpy(dtype=str),
        x_test=x_test,
        test_ids=test["id"].to_numpy(),
        output="probability",
        tuned={"gbdt": keyed, "glm": keyed},
    )
