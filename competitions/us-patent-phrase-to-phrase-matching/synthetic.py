"""A tiny raw dataset in the shape of Kaggle's us-patent-phrase-to-phrase-matching download.

Kaggle ships ``train.csv`` (``id``: 16 hex digits, ``anchor`` and ``target`` phrases,
``context``: a CPC patent classification such as ``A47``, ``score``: 0, 0.25, 0.5, 0.75 or 1),
``test.csv`` (without ``score``) and ``sample_submission.csv``. Here there are 150 pairs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 150, 6
TEST_SIZE = 0.1
PHRASES = ["abatement", "acid absorption", "adjust gas flow", "bolt", "conveyor belt", "wheel"]
CONTEXTS = ["A47", "B60", "C01", "F16", "G06", "H04"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "anchor", "target", "context", "score"],
    "public/test.csv": ["id", "anchor", "target", "context"],
    "public/sample_submission.csv": ["id", "score"],
    "private/test.csv": ["id", "anchor", "target", "context", "score"],
}


def _pairs(rng: np.random.Generator, n: int) -> pd.DataFrame:
    anchors = rng.choice(PHRASES, n)
    return pd.DataFrame(
        {
            "id": [rng.bytes(8).hex() for _ in range(n)],
            "anchor": anchors,
            "target": [
                f"{a} {rng.choice(['unit', 'device', 'of plant', 'system'])}" for a in anchors
            ],
            "context": rng.choice(CONTEXTS, n),
            "score": rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], n, p=[0.2, 0.3, 0.3, 0.15, 0.05]),
        }
    )


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    _pairs(rng, N_TRAIN).to_csv(raw / "train.csv", index=False)
    test = _pairs(rng, N_KAGGLE_TEST).drop(columns=["score"])
    test.to_csv(raw / "test.csv", index=False)
    test[["id"]].assign(score=0).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 15
    assert len(train) + len(answers) == len(original)
    assert test["id"].tolist() == answers["id"].tolist() == sample["id"].tolist()
    assert set(train["id"]).isdisjoint(answers["id"])
    assert answers["score"].nunique() > 1 and (sample["score"] == 0).all()
    merged = answers.merge(original, on="id", suffixes=("", "_raw"))
    assert len(merged) == len(answers) and (merged["score"] == merged["score_raw"]).all()
