"""A tiny raw dataset in the shape of Kaggle's histopathologic-cancer-detection download.

Kaggle ships ``train_labels.csv`` (``id`` = 40 hex digits, ``label`` 0/1), ``train/<id>.tif``
(96x96 RGB patches), ``test/<id>.tif`` and ``sample_submission.csv``. Here 150 labelled and 40
unlabelled 8x8 TIFFs: the unlabelled ones only set the test fraction, 40 / 190.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import write_images

N_TRAIN, N_KAGGLE_TEST = 150, 40

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": ["id", "label"],
    "public/sample_submission.csv": ["id", "label"],
    "public/train": None,
    "public/test": None,
    "private/answers.csv": ["id", "label"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(20).hex() for _ in range(N_TRAIN)]
    labels = (rng.random(N_TRAIN) < 0.4).astype(int)
    pd.DataFrame({"id": ids, "label": labels}).to_csv(raw / "train_labels.csv", index=False)
    write_images(raw / "train", ids, rng, "TIFF")
    test_ids = [rng.bytes(20).hex() for _ in range(N_KAGGLE_TEST)]
    write_images(raw / "test", test_ids, rng, "TIFF")
    pd.DataFrame({"id": test_ids, "label": 0}).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train_labels.csv")
    train = pd.read_csv(public / "train_labels.csv")
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    fraction = N_KAGGLE_TEST / (N_TRAIN + N_KAGGLE_TEST)
    assert len(answers) == math.ceil(fraction * N_TRAIN) == 32
    assert len(train) + len(answers) == len(original)
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    assert answers["label"].nunique() == 2, "AUROC needs both classes in the test split"
    # rows keep train_labels.csv's order in every file
    position = {patch: i for i, patch in enumerate(original["id"])}
    for frame in (train, answers):
        assert frame["id"].map(position).is_monotonic_increasing
    assert sample["id"].tolist() == answers["id"].tolist()
    truth = original.set_index("id")["label"]
    assert (answers["label"].to_numpy() == truth[answers["id"]].to_numpy()).all()
    assert {p.stem for p in (public / "test").iterdir()} == set(answers["id"])
    assert {p.stem for p in (public / "train").iterdir()} == set(train["id"])
