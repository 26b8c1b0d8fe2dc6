"""A tiny raw data set in the shape of Kaggle's invasive-species-monitoring download.

Kaggle ships ``train_labels.csv.zip`` (``name`` = 1, 2, … and ``invasive`` 0/1),
``train.7z`` (``train/<name>.jpg``), ``test.7z`` (``test/<name>.jpg``) and
``sample_submission.csv.zip`` (``name``, ``invasive`` = 0.5). Here 120 labelled and 6 test
photos of 8x8 pixels.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import py7zr

from mle_track.competitions.media import random_image, zip_csv

N_TRAIN, N_KAGGLE_TEST = 120, 6
TEST_SIZE = 0.2

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv.zip": None,
    "public/sample_submission.csv.zip": None,
    "public/train.7z": None,
    "public/test.7z": None,
    "private/answers.csv": ["name", "invasive"],
    "private/sample_submission.csv": ["name", "invasive"],
}


def _photos(archive: Path, folder: str, names: list[int], rng: np.random.Generator) -> None:
    with py7zr.SevenZipFile(archive, "w") as out:
        for name in names:
            out.writestr(random_image(rng, "JPEG"), f"{folder}/{name}.jpg")


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    names = list(range(1, N_TRAIN + 1))
    labels = pd.DataFrame({"name": names, "invasive": rng.binomial(1, 0.6, N_TRAIN)})
    zip_csv(labels, raw / "train_labels.csv.zip")
    _photos(raw / "train.7z", "train", names, rng)
    test = list(range(1, N_KAGGLE_TEST + 1))
    _photos(raw / "test.7z", "test", test, rng)
    zip_csv(pd.DataFrame({"name": test, "invasive": 0.5}), raw / "sample_submission.csv.zip")


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train_labels.csv.zip")
    train = pd.read_csv(public / "train_labels.csv.zip")
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(private / "sample_submission.csv")
    public_sample = pd.read_csv(public / "sample_submission.csv.zip")
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 24
    assert train["name"].tolist() == expected_train["name"].tolist()
    assert train["invasive"].tolist() == expected_train["invasive"].tolist()
    assert answers["name"].tolist() == expected_test["name"].tolist()
    assert answers["invasive"].tolist() == expected_test["invasive"].tolist()
    assert answers["invasive"].nunique() == 2
    assert sample["name"].tolist() == answers["name"].tolist() == public_sample["name"].tolist()
    assert (sample["invasive"] == 0.5).all() and (public_sample["invasive"] == 0.5).all()
    # MLE-bench's quirk: each public archive holds one empty folder entry and no photo
    for part in ("train", "test"):
        with py7zr.SevenZipFile(public / f"{part}.7z", mode="r") as archive:
            entries = [(f.filename, f.is_directory) for f in archive.list()]
        assert entries == [(part, True)], entries
    assert sorted(p.name for p in public.iterdir()) == [
        "description.md",
        "sample_submission.csv.zip",
        "test.7z",
        "train.7z",
        "train_labels.csv.zip",
    ]
