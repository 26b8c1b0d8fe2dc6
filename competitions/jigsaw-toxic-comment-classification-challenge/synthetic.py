"""A small raw dataset in the shape of Kaggle's jigsaw-toxic-comment-classification-challenge.

Kaggle ships four zipped CSVs. ``test_labels.csv`` marks the test rows that were never scored
with -1 in all six labels; the comments contain commas, quotes and line breaks, like real ones.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import zip_csv

CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
N_TRAIN = 160
N_TEST = 140
WORDS = ["you", "are", "great", "idiot,", '"really"', "wiki", "edit\nplease", "stop", "thanks"]


def _comments(rng: np.random.Generator, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, size=rng.integers(2, 12))) for _ in range(n)]


def _labels(rng: np.random.Generator, n: int) -> pd.DataFrame:
    labels = pd.DataFrame({c: (rng.random(n) < 0.25).astype(int) for c in CLASSES})
    labels.iloc[:2] = 1  # every class has positives …
    labels.iloc[2:4] = 0  # … and negatives
    return labels


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [f"{v:016x}" for v in rng.choice(2**62, size=N_TRAIN + N_TEST, replace=False)]
    train = pd.DataFrame({"id": ids[:N_TRAIN], "comment_text": _comments(rng, N_TRAIN)})
    train = pd.concat([train, _labels(rng, N_TRAIN)], axis=1)
    test = pd.DataFrame({"id": ids[N_TRAIN:], "comment_text": _comments(rng, N_TEST)})
    labels = _labels(rng, N_TEST)
    unscored = rng.random(N_TEST) < 0.4
    unscored[:4] = False
    labels.loc[unscored, CLASSES] = -1
    test_labels = pd.concat([test[["id"]], labels], axis=1)
    sample = test[["id"]].assign(**dict.fromkeys(CLASSES, 0.5))
    zip_csv(train, raw / "train.csv.zip")
    zip_csv(test, raw / "test.csv.zip")
    zip_csv(test_labels, raw / "test_labels.csv.zip")
    zip_csv(sample, raw / "sample_submission.csv.zip")


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "comment_text", *CLASSES],
    "public/test.csv": ["id", "comment_text"],
    "public/sample_submission.csv": ["id", *CLASSES],
    "private/test.csv": ["id", *CLASSES],
    "private/gold_submission.csv": ["id", *CLASSES],
    "public/description.md": None,
}


def _read_zipped(raw: Path, name: str) -> pd.DataFrame:
    with zipfile.ZipFile(raw / f"{name}.zip") as archive, archive.open(name) as handle:
        return pd.read_csv(handle)


def check_split(public: Path, private: Path, raw: Path) -> None:
    """No re-split: every file holds Kaggle's rows, in Kaggle's order."""
    for name, folder in (("train.csv", public), ("test.csv", public)):
        pd.testing.assert_frame_equal(pd.read_csv(folder / name), _read_zipped(raw, name))
    answers = pd.read_csv(private / "test.csv")
    pd.testing.assert_frame_equal(answers, _read_zipped(raw, "test_labels.csv"))
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["id"].tolist() == _read_zipped(raw, "test.csv")["id"].tolist()
    assert (sample[CLASSES] == 0.5).all().all()
    gold = pd.read_csv(private / "gold_submission.csv")
    scored = (answers[CLASSES] >= 0).all(axis=1)
    pd.testing.assert_frame_equal(gold[scored], answers[scored])
    assert (gold.loc[~scored, CLASSES] == 0).all().all() and (~scored).any()
