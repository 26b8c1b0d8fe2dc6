"""A tiny raw data set in the shape of Kaggle's paddy-disease-classification download.

Kaggle ships ``train.csv`` (``image_id`` = six digits + ``.jpg``, ``label`` = one of ten
classes, ``variety``, ``age`` in days), ``train_images/<label>/<image_id>``,
``test_images/<image_id>`` and ``sample_submission.csv`` (``image_id``, ``label``). Here 120
labelled and 5 test photos of 8x8 pixels.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image, write_images

from .prepare import CLASSES

N_TRAIN, N_KAGGLE_TEST = 120, 5
TRAIN_SIZE = 0.75
VARIETIES = ["ADT45", "IR20", "KarnatakaPonni", "Onthanel", "Ponni", "Surya", "Zonal"]
COLUMNS = ["image_id", "label", "variety", "age"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/sample_submission.csv": ["image_id", "label"],
    "public/train_images": None,
    "public/test_images": None,
    "private/test.csv": COLUMNS,
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = rng.choice(np.arange(100000, 110000), size=N_TRAIN + N_KAGGLE_TEST, replace=False)
    ids = [f"{n}.jpg" for n in numbers[:N_TRAIN]]
    labels = [str(c) for c in rng.choice(CLASSES, size=N_TRAIN)]
    frame = pd.DataFrame(
        {
            "image_id": ids,
            "label": labels,
            "variety": rng.choice(VARIETIES, size=N_TRAIN),
            "age": rng.choice([45, 50, 55, 60, 65, 70, 75, 80], size=N_TRAIN),
        }
    )
    frame.to_csv(raw / "train.csv", index=False)
    for image, label in zip(ids, labels, strict=True):
        folder = raw / "train_images" / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / image).write_bytes(random_image(rng, "JPEG"))
    test = [str(n) for n in numbers[N_TRAIN:]]
    write_images(raw / "test_images", test, rng, "JPEG")
    pd.DataFrame({"image_id": [f"{t}.jpg" for t in test], "label": ""}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv")
    expected_train, expected_test = train_test_split(
        original, train_size=TRAIN_SIZE, random_state=0
    )
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(train) == math.floor(TRAIN_SIZE * len(original)) == 90
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    sample = pd.read_csv(public / "sample_submission.csv", keep_default_na=False)
    assert sample["image_id"].tolist() == answers["image_id"].tolist()
    assert (sample["label"] == "").all()
    assert sorted(p.name for p in (public / "test_images").iterdir()) == sorted(answers["image_id"])
    placed = {(p.parent.name, p.name) for p in (public / "train_images").glob("*/*")}
    assert placed == set(zip(train["label"], train["image_id"], strict=True))
    first = answers.iloc[0]
    source = raw / "train_images" / first["label"] / first["image_id"]
    assert (public / "test_images" / first["image_id"]).read_bytes() == source.read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a label is one of the ten classes (or empty)."""
    reason = "not one of the ten classes"
    capital = answers[["image_id", "label"]].copy()
    capital.loc[0, "label"] = "Blast"
    return [
        ("a capitalised class", capital, f"{reason}, e.g. 'Blast'"),
        ("class codes", sample.assign(label=3), f"{reason}, e.g. '3'"),
        ("a blank label", sample.assign(label=" "), reason),
    ]
