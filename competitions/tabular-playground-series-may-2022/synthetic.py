"""A raw dataset in the shape of Kaggle's tabular-playground-series-may-2022 download.

MLE-bench holds out a fixed 100,000 rows, so the synthetic train.csv needs a little more than
that. It is written with Arrow's CSV writer (much faster than pandas for 100k rows); the
values parse back to the same columns and dtypes as Kaggle's file.
"""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from sklearn.model_selection import train_test_split

N_ROWS = 100_240
TEST_ROWS = 100_000
FLOATS = [f"f_{i:02d}" for i in [*range(0, 7), *range(19, 27), 28]]
INTS = [f"f_{i:02d}" for i in [*range(7, 19), 29, 30]]
FEATURES = [f"f_{i:02d}" for i in range(31)]
COLUMNS = ["id", *FEATURES, "target"]


def _rows(rng: np.random.Generator, start: int, n: int, labelled: bool) -> pd.DataFrame:
    data: dict[str, object] = {"id": np.arange(start, start + n)}
    letters = np.array(list(string.ascii_uppercase[:20]))
    codes = rng.integers(0, len(letters), size=(64, 10))
    words = np.array(["".join(letters[row]) for row in codes])
    for name in FEATURES:
        if name in FLOATS:
            data[name] = np.round(rng.normal(size=n), 2)
        elif name in INTS:
            data[name] = rng.integers(0, 12, size=n)
        else:  # f_27: a ten-letter code
            data[name] = words[rng.integers(0, len(words), size=n)]
    if labelled:
        data["target"] = rng.integers(0, 2, size=n)
    return pd.DataFrame(data)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = pa.Table.from_pandas(_rows(rng, 0, N_ROWS, labelled=True), preserve_index=False)
    pacsv.write_csv(train, raw / "train.csv", pacsv.WriteOptions(quoting_style="none"))
    test = _rows(rng, N_ROWS, 40, labelled=False)
    test.to_csv(raw / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "target": 0.5}).to_csv(
        raw / "sample_submission.csv", index=False
    )


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": ["id", *FEATURES],
    "public/sample_submission.csv": ["id", "target"],
    "private/test.csv": COLUMNS,
    "private/gold_submission.csv": ["id", "target"],
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv", usecols=["id", "f_00", "target"])
    train = pd.read_csv(public / "train.csv", usecols=["id", "f_00", "target"])
    test = pd.read_csv(public / "test.csv", usecols=["id", "f_00"])
    answers = pd.read_csv(private / "test.csv", usecols=["id", "f_00", "target"])
    n_train = len(original) - TEST_ROWS
    assert len(test) == len(answers) == TEST_ROWS and len(train) == n_train
    # renumbered: train 0 … n_train − 1, test n_train … n − 1, each in split order
    assert train["id"].tolist() == list(range(n_train))
    assert test["id"].tolist() == answers["id"].tolist() == list(range(n_train, len(original)))
    expected_train, expected_test = train_test_split(original, test_size=TEST_ROWS, random_state=0)
    assert train["f_00"].tolist() == expected_train["f_00"].tolist()
    assert train["target"].tolist() == expected_train["target"].tolist()
    assert answers["target"].tolist() == expected_test["target"].tolist()
    assert test["f_00"].tolist() == expected_test["f_00"].tolist()
