"""A tiny raw dataset in the shape of Kaggle's histopathologic-cancer-detection download.

Kaggle ships ``train_labels.csv`` (``id`` = 40 hex digits, ``label`` 0/1), ``train/<id>.tif``
(96x96 RGB patches), ``test/<id>.tif`` and ``sample_submission.csv``. Here 150 labelled and 40
unlabelled 8x8 TIFFs: the unlabelled ones only set the test fraction, 40 / 190.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

N_TRAIN, N_KAGGLE_TEST = 150, 40

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": ["id", "label"],
    "public/sample_submission.csv": ["id", "label"],
    "public/train": None,
    "public/test": None,
    "private/answers.csv": ["id", "label"],
}


def tif(rng: np.random.Generator, size: int = 8) -> bytes:
    pixels = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="TIFF")
    return buffer.getvalue()


def write_patches(folder: Path, ids: list[str], rng: np.random.Generator) -> None:
    folder.mkdir()
    for patch_id in ids:
        (folder / f"{patch_id}.tif").write_bytes(tif(rng))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(20).hex() for _ in range(N_TRAIN)]
    labels = (rng.random(N_TRAIN) < 0.4).astype(int)
    pd.DataFrame({"id": ids, "label": labels}).to_csv(raw / "train_labels.csv", index=False)
    write_patches(raw / "train", ids, rng)
    test_ids = [rng.bytes(20).hex() for _ in range(N_KAGGLE_TEST)]
    write_patches(raw / "test", test_ids, rng)
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


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    duplicated = sample.copy()
    duplicated.loc[1, "id"] = duplicated.loc[0, "id"]
    unknown = sample.copy()
    unknown.loc[0, "id"] = "f" * 40
    return [
        ("missing label", sample.drop(columns=["label"]), "missing column(s) 'label'"),
        ("missing id", sample.drop(columns=["id"]), "missing column(s) 'id'"),
        ("too many rows", pd.concat([sample, sample.iloc[:1]]), "rows, expected"),
        ("unknown id", unknown, "not in the test set"),
        ("duplicate id", duplicated, "duplicate id"),
        ("logits", sample.assign(label=2.5), "outside [0, 1]"),
        ("text label", sample.assign(label="tumour"), "must be numeric"),
        ("missing value", sample.assign(label=np.nan), "missing, NaN or infinite"),
    ]
