"""A tiny raw dataset in the shape of Kaggle's aptos2019-blindness-detection download.

Kaggle ships ``train.csv`` (``id_code`` = 12 hex digits, ``diagnosis`` 0-4), ``train_images/``
(``<id_code>.png``), ``test.csv`` (``id_code``), ``test_images/`` and ``sample_submission.csv``.
Here there are 100 graded 8x8 PNGs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

N_TRAIN, N_KAGGLE_TEST = 100, 5
TEST_SIZE = 0.1

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id_code", "diagnosis"],
    "public/test.csv": ["id_code"],
    "public/sample_submission.csv": ["id_code", "diagnosis"],
    "public/train_images": None,
    "public/test_images": None,
    "private/test.csv": ["id_code", "diagnosis"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(6).hex() for _ in range(N_TRAIN)]
    grades = rng.choice(5, size=N_TRAIN, p=[0.5, 0.1, 0.25, 0.05, 0.1])
    pd.DataFrame({"id_code": ids, "diagnosis": grades}).to_csv(raw / "train.csv", index=False)
    write_images(raw / "train_images", ids, rng, "PNG")
    test_ids = [rng.bytes(6).hex() for _ in range(N_KAGGLE_TEST)]
    pd.DataFrame({"id_code": test_ids}).to_csv(raw / "test.csv", index=False)
    write_images(raw / "test_images", test_ids, rng, "PNG")
    pd.DataFrame({"id_code": test_ids, "diagnosis": 0}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 10
    assert len(train) + len(answers) == len(original)
    assert test["id_code"].tolist() == answers["id_code"].tolist()
    assert set(train["id_code"]).isdisjoint(answers["id_code"])
    assert set(train["id_code"]) | set(answers["id_code"]) == set(original["id_code"])
    assert answers["diagnosis"].nunique() > 1
    images = {p.stem for p in (public / "test_images").iterdir()}
    assert images == set(answers["id_code"])
    assert {p.stem for p in (public / "train_images").iterdir()} == set(train["id_code"])


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a prediction is one of the grades 0-4 (columns, rows and ids
    are the standard cases)."""
    one_bad = sample.astype({"diagnosis": object})
    one_bad.loc[0, "diagnosis"] = "mild"
    return [
        ("grade five", sample.assign(diagnosis=5), "not one of the grades 0-4"),
        ("negative grade", sample.assign(diagnosis=-1), "not one of the grades 0-4"),
        ("fractional grade", sample.assign(diagnosis=2.5), "not one of the grades 0-4"),
        ("text grade", one_bad, "not one of the grades 0-4, e.g. 'mild'"),
        ("missing value", sample.assign(diagnosis=np.nan), "empty value"),
    ]
