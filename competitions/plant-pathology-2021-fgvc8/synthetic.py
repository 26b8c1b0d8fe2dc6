"""A small raw data set in the shape of Kaggle's Plant Pathology 2021 (FGVC8) download.

Kaggle ships ``train.csv`` (``image``: a JPEG file name of 16 hex digits; ``labels``: diseases
separated by spaces, e.g. ``scab frog_eye_leaf_spot``, or ``healthy``), ``train_images/``,
``test_images/`` (three images) and ``sample_submission.csv``. Here 150 labelled 8x8 JPEGs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from .prepare import SAMPLE_LABELS

ID, TARGET = "image", "labels"
N_TRAIN, N_KAGGLE_TEST = 150, 3
TEST_SIZE = 0.2
LABELS = ["healthy", "scab", "frog_eye_leaf_spot", "scab frog_eye_leaf_spot", "rust", "complex",
          "powdery_mildew", "frog_eye_leaf_spot complex", "rust frog_eye_leaf_spot",
          "scab frog_eye_leaf_spot complex", "rust complex", "powdery_mildew complex"]  # fmt: skip
WEIGHTS = np.array([25, 25, 16, 3, 10, 8, 5, 2, 1, 1, 2, 2], dtype=float)

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": [ID, TARGET],
    "public/sample_submission.csv": [ID, TARGET],
    "public/train_images": None,
    "public/test_images": None,
    "private/answers.csv": [ID, TARGET],
}


def _names(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{v:016x}.jpg" for v in rng.choice(2**62, size=n, replace=False)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    names = _names(rng, N_TRAIN + N_KAGGLE_TEST)
    labels = rng.choice(LABELS, size=N_TRAIN, p=WEIGHTS / WEIGHTS.sum())
    pd.DataFrame({ID: names[:N_TRAIN], TARGET: labels}).to_csv(raw / "train.csv", index=False)
    for folder, part in (("train_images", names[:N_TRAIN]), ("test_images", names[N_TRAIN:])):
        (raw / folder).mkdir()
        for name in part:
            (raw / folder / name).write_bytes(random_image(rng, "JPEG"))
    sample = pd.DataFrame({ID: names[N_TRAIN:], TARGET: SAMPLE_LABELS})
    sample.to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from mle_track.competitions.preparing import split

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "answers.csv")
    n_test = math.ceil(TEST_SIZE * len(original))
    assert len(answers) == n_test == 30 and len(train) + n_test == len(original)
    expected_train, expected_test = split(original, test_size=TEST_SIZE)
    pd.testing.assert_frame_equal(train, expected_train.reset_index(drop=True))
    pd.testing.assert_frame_equal(answers, expected_test.reset_index(drop=True))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGET] == SAMPLE_LABELS).all()
    assert not (public / "test.csv").exists()
    for folder, frame in (("train_images", train), ("test_images", answers)):
        assert sorted(p.name for p in (public / folder).iterdir()) == sorted(frame[ID])
        for name in frame[ID]:
            copied = (public / folder / name).read_bytes()
            assert copied == (raw / "train_images" / name).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    numbers = sample.assign(**{TARGET: range(len(sample))})
    return [("labels that are numbers", numbers, "reads as a number")]
