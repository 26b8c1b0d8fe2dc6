"""A tiny raw data set in the shape of Kaggle's playground-series-s3e18 download.

Kaggle ships ``train.csv`` (``id`` 0, 1, …, 31 molecular descriptors and the binary targets
``EC1`` … ``EC6``), ``test.csv`` (``id`` and the descriptors) and ``sample_submission.csv``
(``id``, ``EC1``, ``EC2`` = 0.5). Here 200 labelled and 20 test rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 200, 20
TEST_SIZE = 0.1
DESCRIPTORS = [
    "BertzCT", "Chi1", "Chi1n", "Chi1v", "Chi2n", "Chi2v", "Chi3v", "Chi4n", "EState_VSA1",
    "EState_VSA2", "ExactMolWt", "FpDensityMorgan1", "FpDensityMorgan2", "FpDensityMorgan3",
    "HallKierAlpha", "HeavyAtomMolWt", "Kappa3", "MaxAbsEStateIndex", "MinEStateIndex",
    "NumHeteroatoms", "PEOE_VSA10", "PEOE_VSA14", "PEOE_VSA6", "PEOE_VSA7", "PEOE_VSA8",
    "SMR_VSA10", "SMR_VSA5", "SlogP_VSA3", "VSA_EState9", "fr_COO", "fr_COO2",
]  # fmt: skip
TARGETS = [f"EC{i}" for i in range(1, 7)]
COLUMNS = ["id", *DESCRIPTORS, *TARGETS]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": ["id", *DESCRIPTORS],
    "public/sample_submission.csv": ["id", "EC1", "EC2"],
    "private/test.csv": COLUMNS,
}


def _descriptors(rng: np.random.Generator, n: int) -> dict[str, object]:
    columns: dict[str, object] = {}
    for name in DESCRIPTORS:
        if name in ("NumHeteroatoms", "fr_COO", "fr_COO2"):
            columns[name] = rng.integers(0, 12, size=n)
        else:  # values with many digits, as Kaggle's (they must survive a round trip)
            columns[name] = rng.normal(50, 30, size=n) / rng.choice([1.0, 3.0, 7.0], size=n)
    return columns


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = pd.DataFrame({"id": np.arange(N_TRAIN), **_descriptors(rng, N_TRAIN)})
    for target in TARGETS:
        train[target] = rng.binomial(1, 0.6, size=N_TRAIN)
    train.to_csv(raw / "train.csv", index=False)
    ids = np.arange(N_TRAIN, N_TRAIN + N_KAGGLE_TEST)
    pd.DataFrame({"id": ids, **_descriptors(rng, N_KAGGLE_TEST)}).to_csv(
        raw / "test.csv", index=False
    )
    pd.DataFrame({"id": ids, "EC1": 0.5, "EC2": 0.5}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    train = pd.read_csv(public / "train.csv", float_precision="round_trip")
    test = pd.read_csv(public / "test.csv", float_precision="round_trip")
    answers = pd.read_csv(private / "test.csv", float_precision="round_trip")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 20
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    assert test.equals(expected_test.drop(columns=TARGETS).reset_index(drop=True))
    assert answers["EC1"].nunique() == answers["EC2"].nunique() == 2
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["id"].tolist() == answers["id"].tolist()
    assert (sample[["EC1", "EC2"]] == 0.5).all().all()
