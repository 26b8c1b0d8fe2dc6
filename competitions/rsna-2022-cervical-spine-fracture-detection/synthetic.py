"""A tiny raw dataset in the shape of Kaggle's rsna-2022-cervical-spine-fracture-detection download.

Kaggle ships ``train.csv`` (``StudyInstanceUID``, ``patient_overall``, ``C1`` … ``C7``),
``train_bounding_boxes.csv`` (``StudyInstanceUID``, ``x``, ``y``, ``width``, ``height``,
``slice_number``: boxes for 235 studies), ``segmentations/<StudyInstanceUID>.nii`` (87 studies),
``train_images/<StudyInstanceUID>/<slice>.dcm``, ``test.csv`` (``row_id``, ``StudyInstanceUID``,
``prediction_type``), ``test_images/`` and ``sample_submission.csv`` (``row_id``, ``fractured``).
Here: 80 studies of two or three slices (DICOM-like bytes), 25 with boxes and 15 with
segmentations, 6 of them with both, so that the tenths round as on the real data would (2.5
rounds to 2, 1.5 to 2) and every draw of the pick is exercised.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

N_STUDIES, N_BOXED, N_SEGMENTED, N_BOTH = 80, 25, 15, 6
LABELS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
UID_ROOT = "1.2.826.0.1.3680043."

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["StudyInstanceUID", *LABELS],
    "public/train_bounding_boxes.csv": [
        "StudyInstanceUID",
        "x",
        "y",
        "width",
        "height",
        "slice_number",
    ],
    "public/test.csv": ["StudyInstanceUID", "prediction_type", "row_id"],
    "public/sample_submission.csv": ["row_id", "fractured"],
    "public/segmentations": None,
    "public/train_images": None,
    "public/test_images": None,
    "private/answers.csv": ["StudyInstanceUID", "prediction_type", "fractured", "row_id"],
}


def _nifti_like(rng: np.random.Generator) -> bytes:
    """A NIfTI-1 single-file header (348 bytes, magic ``n+1`` at 344) and a few voxels."""
    header = bytearray(352)
    header[0:4] = (348).to_bytes(4, "little")
    header[344:348] = b"n+1\x00"
    return bytes(header) + rng.integers(0, 8, size=16, dtype=np.uint8).tobytes()


def _write_study(folder: Path, rng: np.random.Generator) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, int(rng.integers(2, 4)) + 1):
        (folder / f"{number}.dcm").write_bytes(dicom_like_bytes(rng.bytes(24)))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = rng.choice(np.arange(1, 33000), size=N_STUDIES + 3, replace=False)
    uids = [f"{UID_ROOT}{n}" for n in numbers]
    studies, kaggle_test = uids[:N_STUDIES], uids[N_STUDIES:]
    vertebrae = (rng.random((N_STUDIES, 7)) < 0.15).astype(int)
    overall = vertebrae.max(axis=1)
    labels = pd.DataFrame(vertebrae, columns=LABELS[1:])
    labels.insert(0, "patient_overall", overall)
    labels.insert(0, "StudyInstanceUID", studies)
    labels.to_csv(raw / "train.csv", index=False)

    order = rng.permutation(N_STUDIES)
    both = [studies[i] for i in order[:N_BOTH]]
    boxed = both + [studies[i] for i in order[N_BOTH:N_BOXED]]
    segmented = both + [studies[i] for i in order[N_BOXED : N_BOXED + N_SEGMENTED - N_BOTH]]
    rows = []
    for uid in boxed:
        for _ in range(int(rng.integers(1, 4))):
            x, y = rng.uniform(0, 400, size=2).round(1)
            w, h = rng.uniform(10, 80, size=2).round(1)
            rows.append((uid, x, y, w, h, int(rng.integers(1, 300))))
    boxes = pd.DataFrame(
        rows, columns=["StudyInstanceUID", "x", "y", "width", "height", "slice_number"]
    )
    boxes.sample(frac=1, random_state=1).to_csv(raw / "train_bounding_boxes.csv", index=False)
    (raw / "segmentations").mkdir()
    for uid in segmented:
        (raw / "segmentations" / f"{uid}.nii").write_bytes(_nifti_like(rng))
    for uid in studies:
        _write_study(raw / "train_images" / uid, rng)
    for uid in kaggle_test:
        _write_study(raw / "test_images" / uid, rng)
    test = pd.DataFrame(
        [(f"{uid}_{label}", uid, label) for uid in kaggle_test for label in LABELS[1:]],
        columns=["row_id", "StudyInstanceUID", "prediction_type"],
    )
    test.to_csv(raw / "test.csv", index=False)
    test[["row_id"]].assign(fractured=0.5).to_csv(raw / "sample_submission.csv", index=False)


def _expected_pick(raw: Path) -> list[str]:
    """The training studies, drawn independently of prepare.py as MLE-bench describes it."""
    studies = pd.read_csv(raw / "train.csv")["StudyInstanceUID"].tolist()
    boxed = sorted(set(pd.read_csv(raw / "train_bounding_boxes.csv")["StudyInstanceUID"]))
    segmented = sorted(p.name[: -len(".nii")] for p in (raw / "segmentations").iterdir())
    overlap = [u for u in boxed if u in segmented]
    rng = random.Random(0)
    pick = rng.sample(overlap, round(len(overlap) * 0.1))
    pick += rng.sample(
        [u for u in segmented if u not in overlap], round(len(segmented) * 0.1) - len(pick)
    )
    k = round(len(boxed) * 0.1) - round(len(overlap) * 0.1)
    pick += rng.sample([u for u in boxed if u not in overlap], k)
    pick += rng.sample([u for u in studies if u not in pick], round(len(studies) * 0.1) - len(pick))
    return pick


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "answers.csv")
    test = pd.read_csv(public / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    pick = _expected_pick(raw)
    assert len(pick) == 8 and train["StudyInstanceUID"].tolist() == [
        u for u in original["StudyInstanceUID"] if u in pick
    ]
    test_studies = [u for u in original["StudyInstanceUID"] if u not in pick]
    # melted: every test study for patient_overall, then every one for C1, … C7
    assert answers["StudyInstanceUID"].tolist() == test_studies * 8
    assert answers["prediction_type"].tolist() == [t for t in LABELS for _ in test_studies]
    assert answers["row_id"].tolist() == [f"{u}_{t}" for t in LABELS for u in test_studies]
    truth = original.set_index("StudyInstanceUID")
    assert answers["fractured"].tolist() == [
        int(truth.loc[u, t])
        for t, u in zip(answers["prediction_type"], answers["StudyInstanceUID"], strict=True)
    ]
    assert test.equals(answers.drop(columns=["fractured"]))
    assert (
        sample["row_id"].tolist() == answers["row_id"].tolist()
        and (sample["fractured"] == 0.5).all()
    )
    boxes = pd.read_csv(raw / "train_bounding_boxes.csv")
    published = pd.read_csv(public / "train_bounding_boxes.csv")
    boxed_pick = set(published["StudyInstanceUID"])
    assert len(boxed_pick) == 2 and boxed_pick <= set(pick)
    assert published.equals(
        boxes[boxes["StudyInstanceUID"].isin(boxed_pick)].reset_index(drop=True)
    )
    segmentations = {p.name[: -len(".nii")] for p in (public / "segmentations").iterdir()}
    assert len(segmentations) == 2 and segmentations <= set(pick)
    assert {p.name for p in (public / "train_images").iterdir()} == set(pick)
    assert {p.name for p in (public / "test_images").iterdir()} == set(test_studies)
    for uid in pick[:2]:
        for path in (raw / "train_images" / uid).iterdir():
            assert (public / "train_images" / uid / path.name).read_bytes() == path.read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    gold = answers[["row_id", "fractured"]].astype({"fractured": object})

    def first(value: object) -> pd.DataFrame:
        frame = gold.copy()
        frame.loc[0, "fractured"] = value
        return frame

    recased = gold.copy()
    recased.loc[0, "row_id"] = recased.loc[0, "row_id"].replace(
        "patient_overall", "PATIENT_OVERALL"
    )
    train_uid = "1.2.826.0.1.3680043.0"
    foreign = gold.copy()
    foreign.loc[0, "row_id"] = f"{train_uid}_C1"
    return [
        ("text value", first("likely"), "column 'fractured' must be numeric, found 'likely'"),
        ("missing value", first(None), "missing, NaN or infinite"),
        ("above one", first(1.5), "outside [0, 1]"),
        ("negative", first(-0.1), "outside [0, 1]"),
        ("re-cased label", recased, "not in the test set"),
        ("unknown study", foreign, "not in the test set"),
    ]
