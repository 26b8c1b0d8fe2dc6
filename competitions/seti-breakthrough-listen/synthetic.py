"""A tiny raw data set in the shape of Kaggle's seti-breakthrough-listen download.

Kaggle ships ``train_labels.csv`` (``id`` = 15 hex digits, ``target`` 0/1, about one in ten
positive), ``train/<c>/<id>.npy`` and ``test/<c>/<id>.npy`` (``float16`` arrays of shape
(6, 273, 256), ``c`` the id's first character), ``sample_submission.csv`` and
``old_leaky_data/`` (the withdrawn first release: its own labels, sample and arrays). Here
120 labelled snippets of shape (6, 4, 4), a few Kaggle test snippets and a small old release.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST, N_OLD = 120, 6, 8
TEST_SIZE = 0.1
SHAPE = (6, 4, 4)

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": ["id", "target"],
    "public/sample_submission.csv": ["id", "target"],
    "public/train": None,
    "public/test": None,
    "public/old_leaky_data/train_labels_old.csv": ["id", "target"],
    "private/test.csv": ["id", "target"],
}


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    return [rng.bytes(8).hex()[:15] for _ in range(n)]


def _arrays(root: Path, ids: list[str], rng: np.random.Generator) -> None:
    for snippet in ids:
        path = root / snippet[0] / f"{snippet}.npy"
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, rng.standard_normal(SHAPE).astype(np.float16))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = _ids(rng, N_TRAIN)
    targets = (rng.random(N_TRAIN) < 0.3).astype(int)
    pd.DataFrame({"id": ids, "target": targets}).to_csv(raw / "train_labels.csv", index=False)
    _arrays(raw / "train", ids, rng)
    test_ids = _ids(rng, N_KAGGLE_TEST)
    _arrays(raw / "test", test_ids, rng)
    pd.DataFrame({"id": test_ids, "target": 0.5}).to_csv(raw / "sample_submission.csv", index=False)
    old = raw / "old_leaky_data"
    old_ids = _ids(rng, N_OLD)
    old.mkdir()
    pd.DataFrame({"id": old_ids[:6], "target": [0, 1, 0, 0, 1, 0]}).to_csv(
        old / "train_labels_old.csv", index=False
    )
    pd.DataFrame({"id": old_ids[6:], "target": 0.5}).to_csv(
        old / "sample_submission_old.csv", index=False
    )
    _arrays(old / "train_old", old_ids[:6], rng)
    _arrays(old / "test_old", old_ids[6:], rng)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train_labels.csv", dtype={"id": str})
    train = pd.read_csv(public / "train_labels.csv", dtype={"id": str})
    answers = pd.read_csv(private / "test.csv", dtype={"id": str})
    sample = pd.read_csv(public / "sample_submission.csv", dtype={"id": str})
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 12
    expected_train, expected_test = train_test_split(original, test_size=TEST_SIZE, random_state=0)
    assert train["id"].tolist() == expected_train["id"].tolist()
    assert answers["id"].tolist() == expected_test["id"].tolist()
    assert set(train["id"]).isdisjoint(answers["id"])
    labels = dict(zip(original["id"], original["target"], strict=True))
    assert answers["target"].tolist() == [labels[i] for i in answers["id"]]
    assert answers["target"].nunique() == 2, "both classes in the test set"
    assert sample["id"].tolist() == answers["id"].tolist() and (sample["target"] == 0.5).all()
    for part, frame in (("train", train), ("test", answers)):
        for snippet in frame["id"]:
            path = public / part / snippet[0] / f"{snippet}.npy"
            assert path.read_bytes() == (raw / "train" / snippet[0] / f"{snippet}.npy").read_bytes()
        assert sum(1 for _ in (public / part).rglob("*.npy")) == len(frame)
    assert _files(public / "old_leaky_data") == _files(raw / "old_leaky_data")
