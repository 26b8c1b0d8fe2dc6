"""Features for the reference population: the numeric measurements as they are."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.leaderboards import ReferenceProblem


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    features = [c for c in test.columns if c != "id"]
    return ReferenceProblem(
        task="binary",
        x_train=train[features].to_numpy(dtype=float),
        y_train=(train["class"] == "PS").to_numpy(dtype=int),
        x_test=test[features].to_numpy(dtype=float),
        test_ids=test["id"].to_numpy(),
        output="probability",
    )
