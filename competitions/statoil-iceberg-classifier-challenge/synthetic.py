"""A tiny raw data set in the shape of Kaggle's statoil-iceberg-classifier-challenge download.

Kaggle ships three 7z archives: ``train.json.7z`` and ``test.json.7z`` (members
``data/processed/train.json`` / ``test.json``: JSON lists of records with ``id`` = 8 hex digits,
``band_1`` and ``band_2`` = 5,625 dB values each, ``inc_angle`` = a number or ``"na"``, and in
train ``is_iceberg`` 0/1) and ``sample_submission.csv.7z``. Here 100 training records and 6
test records with 16 values per band.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import sevenzip

N_TRAIN, N_KAGGLE_TEST, N_VALUES = 100, 6, 16
TEST_SIZE = 0.2

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.json.7z": None,
    "public/test.json.7z": None,
    "public/sample_submission.csv.7z": None,
    "private/sample_submission.csv": ["id", "is_iceberg"],
    "private/test.csv": ["id", "is_iceberg"],
}


def _record(rng: np.random.Generator, labelled: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": rng.bytes(4).hex(),
        "band_1": [float(v) for v in rng.normal(-20, 5, N_VALUES)],
        "band_2": [float(v) for v in rng.normal(-26, 4, N_VALUES)],
        "inc_angle": "na" if rng.random() < 0.1 else round(float(rng.uniform(30, 46)), 4),
    }
    if labelled:
        record["is_iceberg"] = int(rng.random() < 0.47)
    return record


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = [_record(rng, True) for _ in range(N_TRAIN)]
    test = [_record(rng, False) for _ in range(N_KAGGLE_TEST)]
    for name, records in (("train.json", train), ("test.json", test)):
        content = json.dumps(records).encode()
        sevenzip.write_7z(raw / f"{name}.7z", {f"data/processed/{name}": content})
    sample = pd.DataFrame({"id": [r["id"] for r in test], "is_iceberg": 0.5})
    sevenzip.write_7z(
        raw / "sample_submission.csv.7z",
        {"sample_submission.csv": sample.to_csv(index=False).encode()},
    )


def _member(archive: Path, name: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return sevenzip.extract_member(archive, name, Path(scratch)).read_bytes()


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = json.loads(_member(raw / "train.json.7z", "data/processed/train.json"))
    train_text = _member(public / "train.json.7z", "train.json").decode()
    test_text = _member(public / "test.json.7z", "test.json").decode()
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    assert len(expected_test) == math.ceil(TEST_SIZE * N_TRAIN) == 20
    assert train_text == json.dumps(expected_train), "train.json: the split's records, dumped"
    fields = ["id", "band_1", "band_2", "inc_angle"]
    assert test_text == json.dumps([{k: r[k] for k in fields} for r in expected_test])
    answers = pd.read_csv(private / "test.csv", dtype={"id": str})
    assert answers["id"].tolist() == [r["id"] for r in expected_test]
    assert answers["is_iceberg"].tolist() == [r["is_iceberg"] for r in expected_test]
    assert answers["is_iceberg"].nunique() == 2
    assert {r["id"] for r in expected_train}.isdisjoint(answers["id"])
    sample_text = _member(public / "sample_submission.csv.7z", "sample_submission.csv")
    assert sample_text == (private / "sample_submission.csv").read_bytes()
    sample = pd.read_csv(private / "sample_submission.csv", dtype={"id": str})
    assert sample["id"].tolist() == answers["id"].tolist() and (sample["is_iceberg"] == 0.5).all()
    assert not (private / "tmp").exists() and len(list(private.iterdir())) == 2
