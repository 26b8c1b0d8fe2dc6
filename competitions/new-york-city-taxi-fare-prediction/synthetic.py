"""A raw dataset in the shape of Kaggle's new-york-city-taxi-fare-prediction download.

MLE-bench holds out a fixed 9,914 rides, so the synthetic train.csv has a few hundred more than
that. Like the real file it has rides with missing drop-off coordinates, keys made of the
pickup time plus a counter, and fares with one or two decimals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

TEST_ROWS = 9914
N_ROWS = TEST_ROWS + 300
TRAIN_COLUMNS = [
    "key",
    "fare_amount",
    "pickup_datetime",
    "pickup_longitude",
    "pickup_latitude",
    "dropoff_longitude",
    "dropoff_latitude",
    "passenger_count",
]
TEST_COLUMNS = [c for c in TRAIN_COLUMNS if c != "fare_amount"]
RTF = "GCP-Coupons-Instructions.rtf"


def rides(rng: np.random.Generator, n: int, start: int = 0) -> pd.DataFrame:
    """``n`` rides with Kaggle's columns and spellings (fares included)."""
    seconds = rng.integers(1_230_768_000, 1_435_708_800, size=n)  # 2009 … mid-2015
    stamps = pd.to_datetime(seconds, unit="s").strftime("%Y-%m-%d %H:%M:%S")
    frame = pd.DataFrame(
        {
            "key": [f"{s}.{i:07d}" for i, s in enumerate(stamps, start + 1)],
            "fare_amount": np.round(rng.gamma(2.0, 5.5, size=n) + 2.5, 2),
            "pickup_datetime": [f"{s} UTC" for s in stamps],
            "pickup_longitude": np.round(rng.normal(-73.975, 0.04, size=n), 6),
            "pickup_latitude": np.round(rng.normal(40.751, 0.03, size=n), 6),
            "dropoff_longitude": np.round(rng.normal(-73.974, 0.04, size=n), 6),
            "dropoff_latitude": np.round(rng.normal(40.751, 0.03, size=n), 6),
            "passenger_count": rng.integers(0, 7, size=n),
        }
    )
    frame.loc[rng.random(n) < 0.02, ["pickup_longitude", "pickup_latitude"]] = 0.0
    missing = rng.random(n) < 0.01
    frame.loc[missing, ["dropoff_longitude", "dropoff_latitude"]] = np.nan
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rides(rng, N_ROWS).to_csv(raw / "train.csv", index=False)
    test = rides(rng, 60, start=N_ROWS)
    test[TEST_COLUMNS].to_csv(raw / "test.csv", index=False)
    test[["key"]].assign(fare_amount=11.35).to_csv(raw / "sample_submission.csv", index=False)
    (raw / RTF).write_text("{\\rtf1\\ansi Google Cloud coupon instructions}\n", encoding="ascii")


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/labels.csv": TRAIN_COLUMNS,
    "public/test.csv": TEST_COLUMNS,
    "public/sample_submission.csv": ["key", "fare_amount"],
    "public/GCP-Coupons-Instructions.rtf": None,
    "private/test.csv": TRAIN_COLUMNS,
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    """The files equal, byte for byte, what MLE-bench's pandas-only procedure writes."""
    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    expected_train, expected_test = train_test_split(original, test_size=TEST_ROWS, random_state=0)
    expected = {
        public / "labels.csv": expected_train.to_csv(index=False),
        private / "test.csv": expected_test.to_csv(index=False),
        public / "test.csv": expected_test.drop(columns=["fare_amount"]).to_csv(index=False),
        public / "sample_submission.csv": expected_test[["key"]]
        .assign(fare_amount=11.35)
        .to_csv(index=False),
    }
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} differs from MLE-bench's"
    assert len(expected_test) == TEST_ROWS
    assert set(expected_train["key"]).isdisjoint(expected_test["key"])
    assert (public / RTF).read_bytes() == (raw / RTF).read_bytes()
