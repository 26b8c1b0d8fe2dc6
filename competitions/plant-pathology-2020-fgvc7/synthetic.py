"""A tiny raw dataset in the shape of Kaggle's plant-pathology-2020-fgvc7 download.

Kaggle ships ``train.csv`` (``image_id`` = ``Train_0`` … in order, then one-hot ``healthy``,
``multiple_diseases``, ``rust``, ``scab``), ``test.csv`` (``Test_0`` …), ``sample_submission.csv``
and ``images/`` holding ``Train_<i>.jpg`` and ``Test_<i>.jpg``. Here 200 labelled and 10 unlabelled
8x8 JPEGs; each image's bytes carry its original id, so the tests can follow the renaming.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image

N_TRAIN, N_KAGGLE_TEST = 200, 10
TEST_SIZE = 0.1
CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["image_id", *CLASSES],
    "public/test.csv": ["image_id"],
    "public/sample_submission.csv": ["image_id", *CLASSES],
    "public/images": None,
    "private/test.csv": ["image_id", *CLASSES],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [f"Train_{i}" for i in range(N_TRAIN)]
    classes = rng.choice(len(CLASSES), size=N_TRAIN, p=[0.3, 0.15, 0.3, 0.25])
    one_hot = np.eye(len(CLASSES), dtype=int)[classes]
    pd.DataFrame(one_hot, columns=CLASSES).assign(image_id=ids)[["image_id", *CLASSES]].to_csv(
        raw / "train.csv", index=False
    )
    test_ids = [f"Test_{i}" for i in range(N_KAGGLE_TEST)]
    pd.DataFrame({"image_id": test_ids}).to_csv(raw / "test.csv", index=False)
    sample = pd.DataFrame({"image_id": test_ids, **dict.fromkeys(CLASSES, 0.25)})
    sample.to_csv(raw / "sample_submission.csv", index=False)
    (raw / "images").mkdir()
    for image_id in ids + test_ids:
        (raw / "images" / f"{image_id}.jpg").write_bytes(
            random_image(rng, "JPEG", comment=image_id)
        )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    n_test = math.ceil(TEST_SIZE * len(original))
    assert n_test == 20 and len(answers) == n_test and len(train) + n_test == len(original)
    assert answers["image_id"].tolist() == [f"Test_{i}" for i in range(n_test)]
    assert train["image_id"].tolist() == [f"Train_{i}" for i in range(len(train))]
    assert test["image_id"].tolist() == answers["image_id"].tolist()
    assert (answers[CLASSES].nunique() == 2).all(), "every class needs both values in test"
    truth = original.set_index("image_id")
    images = public / "images"
    assert len(list(images.iterdir())) == len(original), "no Kaggle test image is copied"
    for frame in (train, answers):
        for _, row in frame.iterrows():
            old = image_comment(images / f"{row['image_id']}.jpg")
            assert old.startswith("Train_")
            same = np.array_equal(truth.loc[old][CLASSES].to_numpy(), row[CLASSES].to_numpy())
            assert same, (row["image_id"], old)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Test images are renamed ``Test_<i>``: an id of a training image is not a test id."""
    ids = ["Train_0", *sample["image_id"].iloc[1:]]
    return [("a training image's id", sample.assign(image_id=ids), "not in the test set")]
