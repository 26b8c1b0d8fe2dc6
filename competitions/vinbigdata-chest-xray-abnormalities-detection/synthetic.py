"""A tiny raw dataset in the shape of Kaggle's vinbigdata-chest-xray-abnormalities-detection
download.

Kaggle ships ``train.csv`` (``image_id`` = 32 hex digits, ``class_name``, ``class_id`` 0-13 for
the findings and 14 for "No finding", ``rad_id`` = the radiologist ``R1``-``R17``, ``x_min``
``y_min`` ``x_max`` ``y_max`` in pixels, empty for "No finding"; three radiologists per image,
each giving one row per box, or one "No finding" row), ``train/<image_id>.dicom``, and
``test/<image_id>.dicom`` plus ``sample_submission.csv`` for Kaggle's hidden test set. Here: 150
images (DICOM-like bytes), about 70% without findings; some radiologists draw two boxes of the
same class on an image, so (image, class) pairs repeat as in the real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

N_IMAGES, N_KAGGLE_TEST = 150, 3
COLUMNS = ["image_id", "class_name", "class_id", "rad_id", "x_min", "y_min", "x_max", "y_max"]
ANSWER_COLUMNS = [
    "image_id",
    "class_id",
    "class_name",
    "rad_id",
    "x_min",
    "y_min",
    "x_max",
    "y_max",
]
FINDINGS = [
    "Aortic enlargement",
    "Atelectasis",
    "Calcification",
    "Cardiomegaly",
    "Consolidation",
    "ILD",
    "Infiltration",
    "Lung Opacity",
    "Nodule/Mass",
    "Other lesion",
    "Pleural effusion",
    "Pleural thickening",
    "Pneumothorax",
    "Pulmonary fibrosis",
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/sample_submission.csv": ["image_id", "PredictionString"],
    "public/train": None,
    "public/test": None,
    "private/answers.csv": ANSWER_COLUMNS,
    "private/gold_submission.csv": ["image_id", "PredictionString"],
}


def _image_rows(rng: np.random.Generator, image: str) -> list[tuple[object, ...]]:
    radiologists = rng.choice([f"R{n}" for n in range(1, 18)], size=3, replace=False)
    if rng.random() < 0.7:
        return [
            (image, "No finding", 14, str(r), np.nan, np.nan, np.nan, np.nan) for r in radiologists
        ]
    findings = rng.choice(14, size=int(rng.integers(1, 4)), replace=False)
    rows = []
    for radiologist in radiologists:
        for finding in findings:
            for _ in range(int(rng.integers(1, 3))):
                x, y = (float(v) for v in rng.integers(0, 2000, 2))
                w, h = (float(v) for v in rng.integers(30, 800, 2))
                rows.append(
                    (image, FINDINGS[finding], int(finding), str(radiologist), x, y, x + w, y + h)
                )
    return rows


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [rng.bytes(16).hex() for _ in range(N_IMAGES + N_KAGGLE_TEST)]
    train_ids, test_ids = ids[:N_IMAGES], ids[N_IMAGES:]
    rows = [row for image in train_ids for row in _image_rows(rng, image)]
    order = rng.permutation(len(rows))  # Kaggle's rows are not grouped by image
    frame = pd.DataFrame(rows, columns=COLUMNS).iloc[order]
    frame.to_csv(raw / "train.csv", index=False)
    for folder, names in (("train", train_ids), ("test", test_ids)):
        (raw / folder).mkdir()
        for image in names:
            (raw / folder / f"{image}.dicom").write_bytes(dicom_like_bytes(rng.bytes(12)))
    pd.DataFrame({"image_id": test_ids, "PredictionString": "14 1 0 0 1 1"}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "answers.csv")
    gold = pd.read_csv(private / "gold_submission.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    _, test_ids = train_test_split(original["image_id"].unique(), test_size=0.1, random_state=0)
    assert len(test_ids) == 15 and train["image_id"].nunique() == 135
    assert sample["image_id"].tolist() == list(test_ids)  # the split's order
    assert (sample["PredictionString"] == "14 1 0 0 1 1").all()
    # public train: every row of the train images, raw order
    expected = original[~original["image_id"].isin(test_ids)]
    assert train["image_id"].tolist() == expected["image_id"].tolist()
    assert set(train["image_id"]).isdisjoint(test_ids)
    # answers: one row per (image, class), sorted, the group's first box, No finding 0 0 1 1
    tested = original[original["image_id"].isin(test_ids)]
    pairs = sorted(set(zip(tested["image_id"], tested["class_id"], strict=True)))
    assert list(zip(answers["image_id"], answers["class_id"], strict=True)) == pairs
    assert len(tested) > len(answers)  # repeated (image, class) pairs were merged
    first = tested.groupby(["image_id", "class_id"]).head(1).set_index(["image_id", "class_id"])
    findings = answers[answers["class_id"] != 14].set_index(["image_id", "class_id"])
    assert (findings["x_min"] == first.loc[findings.index, "x_min"]).all()
    nothing = answers[answers["class_id"] == 14]
    assert len(nothing) and (nothing[["x_min", "y_min"]] == 0).all().all()
    assert (nothing[["x_max", "y_max"]] == 1).all().all()
    assert gold["image_id"].tolist() == sorted(test_ids)
    row = answers.iloc[0]
    text = f"{row['class_id']} 1.0 {row['x_min']} {row['y_min']} {row['x_max']} {row['y_max']}"
    assert gold["PredictionString"].iloc[0].startswith(text)
    assert {p.stem for p in (public / "test").glob("*.dicom")} == set(test_ids)
    assert {p.stem for p in (public / "train").glob("*.dicom")} == set(train["image_id"])


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's box-text rules (columns, rows and ids are the standard cases)."""

    def with_first(text: object) -> pd.DataFrame:
        frame = sample.astype({"PredictionString": object})
        frame.loc[0, "PredictionString"] = text
        return frame

    return [
        ("empty prediction", with_first(np.nan), "a missing value"),
        ("five values", with_first("14 1 0 0 1"), "not a multiple of 6"),
        ("double space", with_first("14  1 0 0 1 3 0.5 1 2 3 4"), "an empty value"),
        ("text score", with_first("14 high 0 0 1 1"), "'high' is not a number"),
        ("nan class", with_first("nan 1 0 0 1 1"), "'nan' is not a number"),
        ("trailing space", with_first("14 1 0 0 1 1 "), "not a multiple of 6"),
    ]
