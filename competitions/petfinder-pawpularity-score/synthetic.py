"""A tiny raw data set in the shape of Kaggle's petfinder-pawpularity-score download.

Kaggle ships ``train.csv`` (``Id`` = 32 hex digits, twelve 0/1 metadata columns, ``Pawpularity``
1-100), ``train/<Id>.jpg``, and a placeholder test set (``test.csv`` without the score,
``test/<Id>.jpg``, ``sample_submission.csv``) of 8 rows. Here 120 scored 8x8 JPEGs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

from .prepare import METADATA

N_TRAIN, N_KAGGLE_TEST = 120, 8
TEST_SIZE = 0.1

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["Id", *METADATA, "Pawpularity"],
    "public/test.csv": ["Id", *METADATA],
    "public/sample_submission.csv": ["Id", "Pawpularity"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["Id", *METADATA, "Pawpularity"],
}


def _table(rng: np.random.Generator, n: int) -> pd.DataFrame:
    ids = [rng.bytes(16).hex() for _ in range(n)]
    flags = {c: rng.integers(0, 2, n) for c in METADATA}
    return pd.DataFrame({"Id": ids, **flags})


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = _table(rng, N_TRAIN)
    train["Pawpularity"] = np.clip(rng.normal(38, 20, N_TRAIN).round(), 1, 100).astype(int)
    train.loc[0, "Pawpularity"], train.loc[1, "Pawpularity"] = 1, 100
    train.to_csv(raw / "train.csv", index=False)
    write_images(raw / "train", train["Id"], rng, "JPEG")
    test = _table(rng, N_KAGGLE_TEST)
    test.to_csv(raw / "test.csv", index=False)
    write_images(raw / "test", test["Id"], rng, "JPEG")
    sample = pd.DataFrame({"Id": test["Id"], "Pawpularity": [67.75, 29.1, 51.6, 50.0] * 2})
    sample.to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv", dtype={"Id": str})
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    train = pd.read_csv(public / "train.csv", dtype={"Id": str})
    test = pd.read_csv(public / "test.csv", dtype={"Id": str})
    answers = pd.read_csv(private / "test.csv", dtype={"Id": str})
    sample = pd.read_csv(public / "sample_submission.csv", dtype={"Id": str})
    assert len(answers) == math.ceil(TEST_SIZE * N_TRAIN) == 12
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    assert test.equals(answers.drop(columns=["Pawpularity"]))
    assert sample["Id"].tolist() == answers["Id"].tolist()
    expected_scores = np.random.default_rng(0).uniform(1, 100, len(answers)).round(2)
    assert sample["Pawpularity"].tolist() == expected_scores.tolist()
    for part, frame in (("train", train), ("test", answers)):
        assert {p.stem for p in (public / part).glob("*.jpg")} == set(frame["Id"])
        first = frame["Id"].iloc[0]
        assert (public / part / f"{first}.jpg").read_bytes() == (
            raw / "train" / f"{first}.jpg"
        ).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's range rule (1 <= Pawpularity <= 100) and values that are not finite numbers."""

    def one(value: Any) -> pd.DataFrame:
        changed = sample.astype({"Pawpularity": object})
        changed.loc[0, "Pawpularity"] = value
        return changed

    return [
        ("a score of zero", one(0), "outside [1, 100]"),
        ("a score above 100", one(100.5), "outside [1, 100]"),
        ("a negative score", one(-3), "outside [1, 100]"),
        ("text for a score", one("high"), "must be numeric"),
        ("a missing score", one(np.nan), "missing, NaN or infinite"),
        ("an infinite score", one(np.inf), "missing, NaN or infinite"),
    ]
