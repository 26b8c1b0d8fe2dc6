"""A tiny RANZCR CLiP download: train.csv with 11 labels, annotations, 8×8 JPEG radiographs.

200 studies from 60 patients (so patients straddle the split, as in MLE-bench), a third of them
with line annotations, plus Kaggle's unused test images and sample submission. Every scored
label gets both classes among the 20 test studies, so each per-column AUROC is defined.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mle_track.competitions.media import write_images

ID = "StudyInstanceUID"
LABELS = [
    "ETT - Abnormal",
    "ETT - Borderline",
    "ETT - Normal",
    "NGT - Abnormal",
    "NGT - Borderline",
    "NGT - Incompletely Imaged",
    "NGT - Normal",
    "CVC - Abnormal",
    "CVC - Borderline",
    "CVC - Normal",
    "Swan Ganz Catheter Present",
]
SCORED = LABELS[:9]
N_STUDIES = 200

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": [ID, *LABELS, "PatientID"],
    "public/train_annotations.csv": [ID, "label", "data"],
    "public/sample_submission.csv": [ID, *SCORED],
    "public/train": None,
    "public/test": None,
    "private/test.csv": [ID, *LABELS, "PatientID"],
}


def _uid(rng: np.random.Generator) -> str:
    return "1.2.826.0.1.3680043.8.498." + "".join(map(str, rng.integers(0, 10, 38)))


def _test_rows(n: int) -> np.ndarray:
    """The rows MLE-bench's split puts in the test set (it depends only on n and the seed)."""
    return train_test_split(np.arange(n), test_size=0.1, random_state=0)[1]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    uids = [_uid(rng) for _ in range(N_STUDIES)]
    patients = [f"{x:09x}" for x in rng.integers(0, 16**9, 60)]
    labels = (rng.random((N_STUDIES, len(LABELS))) < 0.3).astype(int)
    test = _test_rows(N_STUDIES)
    labels[test[0], :] = 1  # both classes of every label among the test studies
    labels[test[1], :] = 0
    train = pd.DataFrame(labels, columns=LABELS)
    train.insert(0, ID, uids)
    train["PatientID"] = rng.choice(patients, N_STUDIES)
    train.to_csv(raw / "train.csv", index=False)

    annotated = rng.choice(N_STUDIES, N_STUDIES // 3, replace=False)
    rows = []
    for i in sorted(annotated):
        for _ in range(int(rng.integers(1, 3))):
            points = ", ".join(f"[{x}, {y}]" for x, y in rng.integers(0, 3000, (3, 2)))
            rows.append((uids[i], str(rng.choice(LABELS)), f"[{points}]"))
    pd.DataFrame(rows, columns=[ID, "label", "data"]).to_csv(
        raw / "train_annotations.csv", index=False
    )
    write_images(raw / "train", uids, rng, "JPEG", grey=True)
    kaggle_test = [_uid(rng) for _ in range(5)]
    write_images(raw / "test", kaggle_test, rng, "JPEG", grey=True)
    sample = pd.DataFrame(0, index=range(len(kaggle_test)), columns=LABELS)
    sample.insert(0, ID, kaggle_test)
    sample.to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    expected = original.iloc[_test_rows(len(original))].reset_index(drop=True)
    pd.testing.assert_frame_equal(answers, expected)
    assert len(answers) == 20 and len(train) + len(answers) == len(original)
    assert set(train[ID]).isdisjoint(answers[ID])
    assert {p.stem for p in (public / "train").glob("*.jpg")} == set(train[ID])
    assert {p.stem for p in (public / "test").glob("*.jpg")} == set(answers[ID])
    annotations = pd.read_csv(raw / "train_annotations.csv")
    kept = pd.read_csv(public / "train_annotations.csv")
    assert len(kept) == annotations[ID].isin(train[ID]).sum() and kept[ID].isin(train[ID]).all()
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[SCORED] == 0).all().all()
