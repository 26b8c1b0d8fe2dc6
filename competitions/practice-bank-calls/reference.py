"""Features for the reference population: calendar features of each five-minute slot.

Time of day (raw minutes and three daily harmonics, so that linear models can follow the daily
profile) and day of week (as a number and one-hot). There is deliberately no day counter: tree
models cannot extrapolate a trend past the last training day, and with one they forecast the
test weeks worse. Training rows stay in time order, so a reference solution trained on a
fraction of them learns from the most recent weeks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.leaderboards import ReferenceProblem

HARMONICS = 3
WORKDAYS = 5


def _calendar(stamps: pd.Series) -> np.ndarray:
    minutes = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy(dtype=float)
    phase = 2 * np.pi * minutes / (24 * 60)
    waves = [f(k * phase) for k in range(1, HARMONICS + 1) for f in (np.sin, np.cos)]
    weekday = stamps.dt.dayofweek.to_numpy()
    one_hot = [(weekday == d).astype(float) for d in range(WORKDAYS)]
    return np.column_stack([minutes, *waves, weekday.astype(float), *one_hot])


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv", parse_dates=["timestamp"])
    test = pd.read_csv(public / "test.csv", parse_dates=["timestamp"])
    train = train.sort_values("timestamp", kind="stable")
    return ReferenceProblem(
        task="regression",
        x_train=_calendar(train["timestamp"]),
        y_train=train["calls"].to_numpy(dtype=float),
        x_test=_calendar(test["timestamp"]),
        test_ids=test["id"].to_numpy(),
        output="value",
        temporal=True,
    )
