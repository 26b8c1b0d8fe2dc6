"""A tiny raw dataset in the shape of Kaggle's predict-volcanic-eruptions-ingv-oe download.

Kaggle ships ``train.csv`` (``segment_id``, a positive integer of up to ten digits, and
``time_to_eruption``, an integer of up to eight digits), ``train/<segment_id>.csv`` and
``test/<segment_id>.csv`` (columns ``sensor_1`` … ``sensor_10``: ten minutes at 100 Hz, 60,001
rows of int16-range readings; a sensor that was off is an empty column) and
``sample_submission.csv`` for Kaggle's unlabelled test segments. Here: 60 labelled segments of
6 rows each, and 3 Kaggle test segments; each file's first reading is its segment id modulo
10,000, so a linked file can be traced to its segment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST, N_ROWS = 60, 3, 6
SENSORS = [f"sensor_{k}" for k in range(1, 11)]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["segment_id", "time_to_eruption"],
    "public/sample_submission.csv": ["segment_id", "time_to_eruption"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["segment_id", "time_to_eruption"],
}


def _segment(rng: np.random.Generator, segment_id: int) -> pd.DataFrame:
    readings = rng.integers(-3000, 3000, size=(N_ROWS, len(SENSORS))).astype(np.float64)
    readings[0, 0] = segment_id % 10_000
    silent = rng.choice(np.arange(1, len(SENSORS)), int(rng.integers(0, 3)), replace=False)
    readings[:, silent] = np.nan
    frame = pd.DataFrame(readings, columns=SENSORS)
    # whole readings are written as integers, an empty sensor as empty cells
    return frame.astype({c: "Int64" for c in SENSORS})


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    drawn = rng.choice(2_146_500_000, N_TRAIN + N_KAGGLE_TEST, replace=False) + 500_000
    ids = [int(i) for i in drawn]
    train_ids, test_ids = ids[:N_TRAIN], ids[N_TRAIN:]
    times = rng.integers(6_000, 49_000_000, N_TRAIN)
    pd.DataFrame({"segment_id": train_ids, "time_to_eruption": times}).to_csv(
        raw / "train.csv", index=False
    )
    for folder, group in (("train", train_ids), ("test", test_ids)):
        (raw / folder).mkdir()
        for segment_id in group:
            _segment(rng, segment_id).to_csv(raw / folder / f"{segment_id}.csv", index=False)
    pd.DataFrame({"segment_id": test_ids, "time_to_eruption": 0}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train.csv")
    train, test = train_test_split(labels, test_size=0.1, random_state=0)
    assert (public / "train.csv").read_text() == train.to_csv(index=False)
    assert (private / "test.csv").read_text() == test.to_csv(index=False)
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["segment_id"].tolist() == test["segment_id"].tolist() and len(test) == 6
    assert (sample["time_to_eruption"] == 0).all()
    assert (public / "sample_submission.csv").read_text().splitlines()[1].endswith(",0")
    for side, frame in (("train", train), ("test", test)):
        names = sorted(p.name for p in (public / side).iterdir())
        assert names == sorted(f"{i}.csv" for i in frame["segment_id"]), side
        for segment_id in frame["segment_id"]:
            path = public / side / f"{segment_id}.csv"
            # the same bytes (hard-linked from raw/, which the CLI path has removed by now)
            assert path.read_bytes() == (raw / "train" / path.name).read_bytes()
            assert pd.read_csv(path)["sensor_1"].iloc[0] == segment_id % 10_000


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The value rules the grader applies itself: a finite number per segment, integer ids."""
    text = sample.astype({"time_to_eruption": object})
    text.loc[0, "time_to_eruption"] = "soon"
    missing = sample.astype({"time_to_eruption": float})
    missing.loc[0, "time_to_eruption"] = np.nan
    infinite = sample.astype({"time_to_eruption": float})
    infinite.loc[0, "time_to_eruption"] = np.inf
    as_floats = sample.astype({"segment_id": float})
    return [
        ("text prediction", text, "must be numeric"),
        ("missing prediction", missing, "missing, NaN or infinite"),
        ("infinite prediction", infinite, "missing, NaN or infinite"),
        ("ids written as floats", as_floats, "not in the test set"),
    ]
