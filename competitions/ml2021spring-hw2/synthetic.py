"""A tiny raw data set in the shape of Kaggle's ml2021spring-hw2 download.

Kaggle ships ``timit_11/timit_11/train_11.npy`` (float32, frames x 429),
``train_label_11.npy`` (the phoneme class of each frame as a short string, ``'0'`` … ``'38'``),
``test_11.npy`` (float32, frames x 429) and ``sampleSubmission.csv`` (``Id``, ``Class``). Here
200 labelled and 70 test frames.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST, N_FEATURES, N_CLASSES = 200, 70, 429, 39
FOLDER = Path("timit_11") / "timit_11"

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/timit_11/timit_11/train_11.npy": None,
    "public/timit_11/timit_11/train_label_11.npy": None,
    "public/timit_11/timit_11/test_11.npy": None,
    "public/sampleSubmission.csv": ["Id", "ClassId"],
    "private/answers.csv": ["Id", "ClassId"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    folder = raw / FOLDER
    folder.mkdir(parents=True)
    features = rng.normal(size=(N_TRAIN, N_FEATURES)).astype(np.float32)
    np.save(folder / "train_11.npy", features)
    labels = rng.integers(0, N_CLASSES, size=N_TRAIN).astype(str).astype("<U2")
    np.save(folder / "train_label_11.npy", labels)
    test = rng.normal(size=(N_KAGGLE_TEST, N_FEATURES)).astype(np.float32)
    np.save(folder / "test_11.npy", test)
    pd.DataFrame({"Id": range(N_KAGGLE_TEST), "Class": 0}).to_csv(
        raw / "sampleSubmission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    features = np.load(raw / FOLDER / "train_11.npy")
    labels = np.load(raw / FOLDER / "train_label_11.npy")
    fraction = N_KAGGLE_TEST / (N_TRAIN + N_KAGGLE_TEST)
    train_rows, test_rows = train_test_split(range(N_TRAIN), test_size=fraction, random_state=0)
    assert len(test_rows) == math.ceil(fraction * N_TRAIN) == 52
    new_train = np.load(public / FOLDER / "train_11.npy")
    new_labels = np.load(public / FOLDER / "train_label_11.npy")
    new_test = np.load(public / FOLDER / "test_11.npy")
    assert new_train.dtype == new_test.dtype == np.float32 and new_labels.dtype == labels.dtype
    assert np.array_equal(new_train, features[train_rows])
    assert np.array_equal(new_labels, labels[train_rows])
    assert np.array_equal(new_test, features[test_rows])
    answers = pd.read_csv(private / "answers.csv")
    assert answers["Id"].tolist() == list(range(len(test_rows)))
    assert answers["ClassId"].tolist() == [int(v) for v in labels[test_rows]]
    sample = pd.read_csv(public / "sampleSubmission.csv")
    assert sample["Id"].tolist() == answers["Id"].tolist() and (sample["ClassId"] == 0).all()
    # the files are what numpy.save writes for the same arrays
    expected = io.BytesIO()
    np.save(expected, features[test_rows])
    assert expected.getvalue() == (public / FOLDER / "test_11.npy").read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a class is one of the integers 0-38."""
    text = sample.astype({"ClassId": object})
    text.loc[0, "ClassId"] = "sil"
    return [
        ("class 39", sample.assign(ClassId=39), "not one of the phoneme classes 0-38"),
        ("negative class", sample.assign(ClassId=-1), "not one of the phoneme classes 0-38"),
        ("fractional class", sample.assign(ClassId=2.5), "not one of the phoneme classes 0-38"),
        ("text class", text, "not one of the phoneme classes 0-38, e.g. 'sil'"),
        ("missing value", sample.assign(ClassId=np.nan), "empty value"),
    ]
