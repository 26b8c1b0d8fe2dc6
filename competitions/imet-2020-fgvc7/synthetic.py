"""A small raw data set in the shape of Kaggle's iMet Collection 2020 (FGVC7) download.

Kaggle ships ``train.csv`` (``id``: 32 hex digits; ``attribute_ids``: attribute numbers separated
by spaces), ``labels.csv`` (``attribute_id``, ``attribute_name`` such as ``culture::french`` or
``tag::men``), ``train/<id>.png``, ``test/<id>.png`` and ``sample_submission.csv``. Here 160
labelled and 6 unlabelled 8x8 PNGs and 40 attributes; some images carry a single attribute.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

from .prepare import SAMPLE_LABELS

ID, TARGET = "id", "attribute_ids"
N_TRAIN, N_KAGGLE_TEST, N_ATTRIBUTES = 160, 6, 40
TEST_SIZE = 0.15
KINDS = ["country", "culture", "dimension", "medium", "tag"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": [ID, TARGET],
    "public/sample_submission.csv": [ID, TARGET],
    "public/labels.csv": ["attribute_id", "attribute_name"],
    "public/train": None,
    "public/test": None,
    "private/answers.csv": [ID, TARGET],
}


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    return ["".join(rng.choice(list("0123456789abcdef"), size=32)) for _ in range(n)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    names = [f"{KINDS[i % len(KINDS)]}::name {i}" for i in range(N_ATTRIBUTES)]
    labels = pd.DataFrame({"attribute_id": range(N_ATTRIBUTES), "attribute_name": names})
    labels.to_csv(raw / "labels.csv", index=False)
    ids = _ids(rng, N_TRAIN + N_KAGGLE_TEST)
    attributes = [
        " ".join(str(a) for a in rng.choice(N_ATTRIBUTES, size=rng.integers(1, 6), replace=False))
        for _ in range(N_TRAIN)
    ]
    pd.DataFrame({ID: ids[:N_TRAIN], TARGET: attributes}).to_csv(raw / "train.csv", index=False)
    write_images(raw / "train", ids[:N_TRAIN], rng, "PNG")
    write_images(raw / "test", ids[N_TRAIN:], rng, "PNG")
    sample = pd.DataFrame({ID: ids[N_TRAIN:], TARGET: SAMPLE_LABELS})
    sample.to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from mle_track.competitions.preparing import split

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "answers.csv")
    n_test = math.ceil(TEST_SIZE * len(original))
    assert len(answers) == n_test == 24 and len(train) + n_test == len(original)
    expected_train, expected_test = split(original, test_size=TEST_SIZE)
    pd.testing.assert_frame_equal(train, expected_train.reset_index(drop=True))
    pd.testing.assert_frame_equal(answers, expected_test.reset_index(drop=True))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGET] == SAMPLE_LABELS).all()
    assert (public / "labels.csv").read_bytes() == (raw / "labels.csv").read_bytes()
    for part, frame in (("train", train), ("test", answers)):
        assert sorted(p.stem for p in (public / part).iterdir()) == sorted(frame[ID])
        for image in frame[ID]:
            copied = (public / part / f"{image}.png").read_bytes()
            assert copied == (raw / "train" / f"{image}.png").read_bytes()
    kaggle_test = {p.stem for p in (raw / "test").iterdir()}
    assert kaggle_test.isdisjoint(answers[ID]), "Kaggle's unlabelled test images are not used"


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    single = sample.assign(**{TARGET: [str(i % N_ATTRIBUTES) for i in range(len(sample))]})
    return [("a single attribute id per row", single, "reads as a number")]
