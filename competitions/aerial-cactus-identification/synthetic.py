"""A tiny raw dataset in the shape of Kaggle's aerial-cactus-identification download.

Kaggle ships ``train.csv`` (``id`` = image file name, ``has_cactus`` 0/1), ``train.zip`` (folder
``train/`` of 32x32 JPEGs), ``test.zip`` (folder ``test/``) and ``sample_submission.csv``. Here the
images are 8x8 and there are 120 labelled ones.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image, zip_members

N_TRAIN, N_KAGGLE_TEST = 120, 6
TEST_SIZE = 0.19

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "has_cactus"],
    "public/sample_submission.csv": ["id", "has_cactus"],
    "public/train.zip": None,
    "public/test.zip": None,
    "private/test.csv": ["id", "has_cactus"],
}


def image_ids(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{rng.bytes(16).hex()}.jpg" for _ in range(n)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = image_ids(rng, N_TRAIN)
    labels = (rng.random(N_TRAIN) < 0.75).astype(int)
    pd.DataFrame({"id": ids, "has_cactus": labels}).to_csv(raw / "train.csv", index=False)
    zip_members(raw / "train.zip", {f"train/{name}": random_image(rng, "JPEG") for name in ids})
    test_ids = image_ids(rng, N_KAGGLE_TEST)
    zip_members(raw / "test.zip", {f"test/{name}": random_image(rng, "JPEG") for name in test_ids})
    pd.DataFrame({"id": test_ids, "has_cactus": 0.5}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 23
    assert len(train) + len(answers) == len(original)
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    assert sample["id"].tolist() == answers["id"].tolist()
    assert answers["has_cactus"].nunique() == 2, "AUROC needs both classes in the test split"
    merged = answers.merge(original, on="id", suffixes=("", "_raw"))
    assert (merged["has_cactus"] == merged["has_cactus_raw"]).all()
    for part, frame in (("train", train), ("test", answers)):
        with zipfile.ZipFile(public / f"{part}.zip") as archive:
            assert sorted(archive.namelist()) == sorted(frame["id"])
    assert not (public / "train").exists() and not (public / "test").exists()
