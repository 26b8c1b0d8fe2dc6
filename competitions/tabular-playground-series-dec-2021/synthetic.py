"""A small raw dataset in the shape of Kaggle's tabular-playground-series-dec-2021 download."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

N_ROWS = 300
NUMERIC = [
    "Elevation",
    "Aspect",
    "Slope",
    "Horizontal_Distance_To_Hydrology",
    "Vertical_Distance_To_Hydrology",
    "Horizontal_Distance_To_Roadways",
    "Hillshade_9am",
    "Hillshade_Noon",
    "Hillshade_3pm",
    "Horizontal_Distance_To_Fire_Points",
]
FLAGS = [f"Wilderness_Area{i}" for i in range(1, 5)] + [f"Soil_Type{i}" for i in range(1, 41)]
FEATURES = NUMERIC + FLAGS
TRAIN_COLUMNS = ["Id", *FEATURES, "Cover_Type"]


def _rows(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    frame = pd.DataFrame({"Id": ids})
    for name in NUMERIC:
        frame[name] = rng.integers(-50, 4000, size=n)
    for name in FLAGS:
        frame[name] = rng.integers(0, 2, size=n)
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _rows(rng, np.arange(N_ROWS))
    train["Cover_Type"] = rng.integers(1, 8, size=N_ROWS)
    train.to_csv(raw / "train.csv", index=False)
    test = _rows(rng, np.arange(N_ROWS, N_ROWS + 50))
    test.to_csv(raw / "test.csv", index=False)
    pd.DataFrame({"Id": test["Id"], "Cover_Type": 2}).to_csv(
        raw / "sample_submission.csv", index=False
    )


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": TRAIN_COLUMNS,
    "public/test.csv": ["Id", *FEATURES],
    "public/sample_submission.csv": ["Id", "Cover_Type"],
    "private/test.csv": TRAIN_COLUMNS,
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(test) == math.ceil(0.1 * len(original)) == len(answers)
    assert len(train) + len(test) == len(original)
    assert set(train["Id"]).isdisjoint(test["Id"])
    # the very rows, in the very order, that scikit-learn's split gives
    expected_train, expected_test = train_test_split(original, test_size=0.1, random_state=0)
    assert train["Id"].tolist() == expected_train["Id"].tolist()
    assert test["Id"].tolist() == answers["Id"].tolist() == expected_test["Id"].tolist()
    pd.testing.assert_frame_equal(answers, expected_test.reset_index(drop=True))
