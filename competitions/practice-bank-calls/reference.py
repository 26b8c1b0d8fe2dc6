"""Features for the reference population: calendar features of each five-minute slot.

Plain features (the classic tier): time of day (raw minutes and three daily harmonics, so that
linear models can follow the daily profile) and day of week (as a number and one-hot). There is
deliberately no day counter: tree models cannot extrapolate a trend past the last training day,
and with one they forecast the test weeks worse. Training rows stay in time order, so a
reference solution trained on a fraction of them learns from the most recent weeks.

Tuned tier, what a forecaster adds after looking at the series: the slot of the day crossed with
the weekday (each weekday has its own daily profile), the day of the month and the days left in
it (pay days, month ends), and whether a day is the first working day after a break (the day
after a public holiday is as busy as a Monday). All are calendar facts known in advance for the
forecast weeks; none is a lag of the target. Gradient boosting takes them as numbers; a ridge
regression takes the weekday × slot profile and the calendar flags one-hot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mle_track.leaderboards import FeatureSet, ReferenceProblem

HARMONICS = 3
WORKDAYS = 5
WEEKDAYS = 7
OPENS = 7 * 60  # the centre's first interval starts at 07:00
SLOT_MINUTES = 5
SLOTS = 169  # 07:00 … 21:00


def _calendar(stamps: pd.Series) -> np.ndarray:
    minutes = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy(dtype=float)
    phase = 2 * np.pi * minutes / (24 * 60)
    waves = [f(k * phase) for k in range(1, HARMONICS + 1) for f in (np.sin, np.cos)]
    weekday = stamps.dt.dayofweek.to_numpy()
    one_hot = [(weekday == d).astype(float) for d in range(WORKDAYS)]
    return np.column_stack([minutes, *waves, weekday.astype(float), *one_hot])


def _rich(stamps: pd.Series, days: np.ndarray) -> np.ndarray:
    """Slot, weekday, weekday × slot, day of month, days left, first day after a break.

    ``days`` are the dates on record (train and test), sorted: a break is a gap of more than
    one working day between consecutive recorded days.
    """
    minutes = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy()
    slot = np.clip((minutes - OPENS) // SLOT_MINUTES, 0, SLOTS - 1)
    weekday = stamps.dt.dayofweek.to_numpy()
    day_of_month = stamps.dt.day.to_numpy()
    days_left = stamps.dt.days_in_month.to_numpy() - day_of_month
    dates = stamps.dt.normalize().to_numpy().astype("datetime64[D]")
    at = np.searchsorted(days, dates)
    before = days[np.maximum(at - 1, 0)]
    after_break = (at > 0) & (np.busday_count(before, dates) > 1)
    return np.column_stack(
        [slot, weekday, weekday * SLOTS + slot, day_of_month, days_left, after_break]
    ).astype(float)


def _one_hot(rich: np.ndarray) -> sp.csr_matrix:
    """The weekday × slot profile plus month-start, month-end and after-break flags."""
    profile = rich[:, 2].astype(int)
    flags = np.column_stack([rich[:, 3] <= 2, rich[:, 4] <= 1, rich[:, 5] > 0]).astype(float)
    rows = np.arange(len(rich))
    cells = sp.csr_matrix(
        (np.ones(len(rich)), (rows, profile)), shape=(len(rich), WEEKDAYS * SLOTS)
    )
    return sp.csr_matrix(sp.hstack([cells, sp.csr_matrix(flags)]))


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv", parse_dates=["timestamp"])
    test = pd.read_csv(public / "test.csv", parse_dates=["timestamp"])
    train = train.sort_values("timestamp", kind="stable")
    stamps = pd.concat([train["timestamp"], test["timestamp"]])
    days = np.unique(stamps.dt.normalize().to_numpy().astype("datetime64[D]"))
    rich_train, rich_test = _rich(train["timestamp"], days), _rich(test["timestamp"], days)
    return ReferenceProblem(
        task="regression",
        x_train=_calendar(train["timestamp"]),
        y_train=train["calls"].to_numpy(dtype=float),
        x_test=_calendar(test["timestamp"]),
        test_ids=test["id"].to_numpy(),
        output="value",
        temporal=True,
        tuned={
            "gbdt": FeatureSet(rich_train, rich_test),
            "glm": FeatureSet(_one_hot(rich_train), _one_hot(rich_test)),
        },
    )
