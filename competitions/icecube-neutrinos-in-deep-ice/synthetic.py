"""A tiny raw dataset in the shape of Kaggle's icecube-neutrinos-in-deep-ice download.

Kaggle ships ``train_meta.parquet`` (``batch_id``, ``event_id``, ``first_pulse_index``,
``last_pulse_index``, ``azimuth``, ``zenith``; one row per event, events grouped by batch),
``train/batch_<n>.parquet`` (pulses: ``sensor_id``, ``time``, ``charge``, ``auxiliary``, indexed by
``event_id``), ``test_meta.parquet``, ``test/batch_<n>.parquet``, ``sensor_geometry.csv``
(``sensor_id``, ``x``, ``y``, ``z``) and ``sample_submission.parquet``. Here: 20 training batches
of 12 events with 3 pulses each, written in an order other than their numbers (the split follows
the order of appearance), and one Kaggle test batch.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

N_BATCHES, EVENTS_PER_BATCH, PULSES = 20, 12, 3
N_SENSORS = 16
META_COLUMNS = [
    "batch_id",
    "event_id",
    "first_pulse_index",
    "last_pulse_index",
    "azimuth",
    "zenith",
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_meta.parquet": None,
    "public/test_meta.parquet": None,
    "public/sensor_geometry.csv": ["sensor_id", "x", "y", "z"],
    "public/sample_submission.csv": ["event_id", "azimuth", "zenith"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["event_id", "azimuth", "zenith"],
}


def _batch(
    rng: np.random.Generator, batch: int, first_event: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    events = first_event + np.sort(rng.choice(50, EVENTS_PER_BATCH, replace=False))
    starts = np.arange(EVENTS_PER_BATCH) * PULSES
    meta = pd.DataFrame(
        {
            "batch_id": batch,
            "event_id": events,
            "first_pulse_index": starts,
            "last_pulse_index": starts + PULSES - 1,
            "azimuth": rng.uniform(0, 2 * math.pi, EVENTS_PER_BATCH).astype(np.float32),
            "zenith": rng.uniform(0, math.pi, EVENTS_PER_BATCH).astype(np.float32),
        }
    )
    pulses = pd.DataFrame(
        {
            "sensor_id": rng.integers(0, N_SENSORS, EVENTS_PER_BATCH * PULSES).astype(np.int16),
            "time": rng.integers(5000, 20000, EVENTS_PER_BATCH * PULSES),
            "charge": rng.uniform(0.2, 3, EVENTS_PER_BATCH * PULSES).astype(np.float32),
            "auxiliary": rng.random(EVENTS_PER_BATCH * PULSES) < 0.3,
        },
        index=pd.Index(np.repeat(events, PULSES), name="event_id"),
    )
    return meta, pulses


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    (raw / "train").mkdir()
    (raw / "test").mkdir()
    metas = []
    for batch in rng.permutation(np.arange(1, N_BATCHES + 1)).tolist():
        meta, pulses = _batch(rng, batch, first_event=batch * 100)
        metas.append(meta)
        pulses.to_parquet(raw / "train" / f"batch_{batch}.parquet")
    meta = pd.concat(metas, ignore_index=True)
    # two row groups, so that a split batch straddles a row-group boundary
    pq.write_table(pa.Table.from_pandas(meta), raw / "train_meta.parquet", row_group_size=100)
    test_meta, test_pulses = _batch(rng, N_BATCHES + 1, first_event=(N_BATCHES + 1) * 100)
    test_meta.drop(columns=["azimuth", "zenith"]).to_parquet(raw / "test_meta.parquet")
    test_pulses.to_parquet(raw / "test" / f"batch_{N_BATCHES + 1}.parquet")
    pd.DataFrame({"event_id": test_meta["event_id"], "azimuth": 1.0, "zenith": 1.0}).to_parquet(
        raw / "sample_submission.parquet"
    )
    geometry = pd.DataFrame(
        {
            "sensor_id": np.arange(N_SENSORS),
            "x": rng.uniform(-500, 500, N_SENSORS).round(2),
            "y": rng.uniform(-500, 500, N_SENSORS).round(2),
            "z": rng.uniform(-500, 500, N_SENSORS).round(2),
        }
    )
    geometry.to_csv(raw / "sensor_geometry.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_parquet(raw / "train_meta.parquet")
    train = pd.read_parquet(public / "train_meta.parquet")
    test = pd.read_parquet(public / "test_meta.parquet")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert list(train.columns) == META_COLUMNS and list(test.columns) == META_COLUMNS[:4]
    test_batches = set(test["batch_id"])
    assert len(test_batches) == 2 and set(train["batch_id"]).isdisjoint(test_batches)
    # rows keep their original order, the angles keep their float32 values
    expected_train = original[~original["batch_id"].isin(test_batches)].reset_index(drop=True)
    expected_test = original[original["batch_id"].isin(test_batches)].reset_index(drop=True)
    pd.testing.assert_frame_equal(train, expected_train)
    pd.testing.assert_frame_equal(test, expected_test[META_COLUMNS[:4]])
    assert answers["event_id"].tolist() == expected_test["event_id"].tolist()
    assert np.allclose(answers["azimuth"], expected_test["azimuth"], atol=1e-6)
    assert sample["event_id"].tolist() == answers["event_id"].tolist()
    assert ((sample["azimuth"] == 1) & (sample["zenith"] == 1)).all()
    for part, batches in (("train", set(train["batch_id"])), ("test", test_batches)):
        names = {p.name for p in (public / part).iterdir()}
        assert names == {f"batch_{b}.parquet" for b in batches}, part


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's own rules: exactly three columns, numeric (not boolean) finite angles."""
    text = sample.astype({"azimuth": object})
    text.loc[0, "azimuth"] = "north"
    missing = sample.astype({"zenith": float})
    missing.loc[0, "zenith"] = np.nan
    infinite = sample.astype({"azimuth": float})
    infinite.loc[0, "azimuth"] = np.inf
    return [
        ("an extra column", sample.assign(energy=1.0), "unexpected column(s) 'energy'"),
        ("text angle", text, "column 'azimuth' must be numeric, found 'north'"),
        ("missing angle", missing, "missing, NaN or infinite"),
        ("infinite angle", infinite, "missing, NaN or infinite"),
        ("boolean angles", sample.assign(zenith=True), "column 'zenith' must be numeric"),
        ("ids as floats", sample.assign(event_id=sample["event_id"] + 0.0), "not in the test set"),
    ]
