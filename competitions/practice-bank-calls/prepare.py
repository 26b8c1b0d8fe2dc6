"""Turn fpp3's ``bank_calls`` series into a forecasting practice competition.

The split is temporal and whole-day: the last fifth of the (working) days is the test period, so a
model must forecast forward instead of interpolating between neighbouring five-minute slots.
Timestamps are written without the source's ``Z`` suffix: they are the call centre's local
clock (07:00–21:00), not UTC.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TARGET = "calls"
TEST_SHARE = 0.2


def prepare(raw: Path, public: Path, private: Path) -> None:
    series = pd.read_pickle(raw / "bank_calls.pkl.xz", compression="xz")
    stamps = pd.to_datetime(series["DateTime"].str.rstrip("Z"), format="%Y-%m-%dT%H:%M:%S")
    frame = pd.DataFrame({"timestamp": stamps, TARGET: series["Calls"].to_numpy()})
    frame = frame.sort_values("timestamp", kind="stable").reset_index(drop=True)
    assert frame["timestamp"].is_unique

    days = frame["timestamp"].dt.normalize()
    unique_days = days.drop_duplicates().sort_values()
    n_test_days = round(len(unique_days) * TEST_SHARE)
    first_test_day = unique_days.iloc[len(unique_days) - n_test_days]
    is_test = days >= first_test_day

    frame.insert(0, "id", range(1, len(frame) + 1))
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S")
    train, test = frame[~is_test], frame[is_test]

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    test[["id", "timestamp"]].to_csv(public / "test.csv", index=False)
    test[["id", TARGET]].to_csv(private / "test.csv", index=False)
    # The training median for every slot: valid, and blind to the daily profile.
    median = float(train[TARGET].median())
    pd.DataFrame({"id": test["id"], TARGET: median}).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert len(train) + len(test) == len(series) == 27716
    assert set(train["id"]).isdisjoint(test["id"])
    assert train["timestamp"].max() < test["timestamp"].min(), "split must be temporal"
    assert n_test_days == 33
