"""A small raw dataset in the shape of Kaggle's spooky-author-identification download.

Kaggle ships each CSV inside its own zip (``train.zip`` holds ``train.csv``); the sentences here
are random words, with quotes and commas so CSV quoting is exercised.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mle_track.competitions.media import zip_csv

N_ROWS = 240
AUTHORS = ["EAP", "HPL", "MWS"]
WORDS = ["the", "night", "was", "dark,", '"strange"', "and", "I", "felt", "dread;", "sea", "old"]


def _sentences(rng: np.random.Generator, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, size=rng.integers(4, 15))) + "." for _ in range(n)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [f"id{n:05d}" for n in rng.choice(100_000, size=N_ROWS + 40, replace=False)]
    train = pd.DataFrame(
        {
            "id": ids[:N_ROWS],
            "text": _sentences(rng, N_ROWS),
            "author": rng.choice(AUTHORS, size=N_ROWS, p=[0.4, 0.3, 0.3]),
        }
    )
    test = pd.DataFrame({"id": ids[N_ROWS:], "text": _sentences(rng, 40)})
    sample = pd.DataFrame({"id": test["id"], "EAP": 0.403494, "HPL": 0.287808, "MWS": 0.308698})
    zip_csv(train, raw / "train.zip", "train.csv")
    zip_csv(test, raw / "test.zip", "test.csv")
    zip_csv(sample, raw / "sample_submission.zip", "sample_submission.csv")


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "text", "author"],
    "public/test.csv": ["id", "text"],
    "public/sample_submission.csv": ["id", *AUTHORS],
    "private/test.csv": ["id", *AUTHORS],
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    with zipfile.ZipFile(raw / "train.zip") as archive, archive.open("train.csv") as handle:
        original = pd.read_csv(handle)
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(test) == len(answers) == math.ceil(0.1 * len(original))
    assert set(train["id"]).isdisjoint(test["id"])
    expected_train, expected_test = train_test_split(original, test_size=0.1, random_state=0)
    pd.testing.assert_frame_equal(train, expected_train.reset_index(drop=True))
    assert test["id"].tolist() == answers["id"].tolist() == expected_test["id"].tolist()
    assert test["text"].tolist() == expected_test["text"].tolist()
    decoded = answers[AUTHORS].idxmax(axis=1)
    assert decoded.tolist() == expected_test["author"].tolist()
    assert (answers[AUTHORS].sum(axis=1) == 1).all()
