"""A tiny raw dataset in the shape of Kaggle's siim-covid19-detection download.

Kaggle ships ``train_study_level.csv`` (``id`` = ``<StudyInstanceUID>_study`` with 12 hex
digits, then the one-hot columns ``Negative for Pneumonia``, ``Typical Appearance``,
``Indeterminate Appearance``, ``Atypical Appearance``), ``train_image_level.csv`` (``id`` =
``<image>_image``, ``boxes`` = a Python-literal list of ``{'x', 'y', 'width', 'height'}`` dicts
or empty, ``label`` = ``opacity 1 xmin ymin xmax ymax`` groups or ``none 1 0 0 1 1``,
``StudyInstanceUID``), the DICOM files ``train/<study>/<series>/<image>.dcm``, and
``test/`` plus ``sample_submission.csv`` for Kaggle's hidden test set. Here: 60 studies with
one or two images each (DICOM-like bytes), about 60% of the images with 1-3 opacity boxes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

N_STUDIES, N_KAGGLE_TEST = 60, 3
STUDY_COLUMNS = [
    "Negative for Pneumonia",
    "Typical Appearance",
    "Indeterminate Appearance",
    "Atypical Appearance",
]
IMAGE_COLUMNS = ["id", "boxes", "label", "StudyInstanceUID"]
LABELS = ["negative", "typical", "indeterminate", "atypical"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_study_level.csv": ["id", *STUDY_COLUMNS],
    "public/train_image_level.csv": IMAGE_COLUMNS,
    "public/sample_submission.csv": ["id", "PredictionString"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["id", "PredictionString"],
}


def _uid(rng: np.random.Generator) -> str:
    return rng.bytes(6).hex()


def _image_rows(rng: np.random.Generator, study: str) -> list[tuple[str, object, str, str]]:
    rows = []
    for _ in range(1 if rng.random() < 0.8 else 2):
        image = _uid(rng)
        if rng.random() < 0.4:
            rows.append((f"{image}_image", np.nan, "none 1 0 0 1 1", study))
            continue
        boxes, groups = [], []
        for _ in range(int(rng.integers(1, 4))):
            x, y = (float(v) for v in rng.uniform(100, 2500, 2).round(5))
            w, h = (float(v) for v in rng.uniform(200, 1200, 2).round(5))
            boxes.append(f"{{'x': {x}, 'y': {y}, 'width': {w}, 'height': {h}}}")
            groups.append(f"opacity 1 {x} {y} {round(x + w, 5)} {round(y + h, 5)}")
        rows.append((f"{image}_image", f"[{', '.join(boxes)}]", " ".join(groups), study))
    return rows


def _write_dicoms(
    folder: Path, rows: list[tuple[str, object, str, str]], rng: np.random.Generator
) -> None:
    series = folder / _uid(rng)
    series.mkdir(parents=True)
    for image_id, *_ in rows:
        (series / f"{image_id.removesuffix('_image')}.dcm").write_bytes(
            dicom_like_bytes(rng.bytes(12))
        )


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    studies, images = [], []
    for _ in range(N_STUDIES):
        study = _uid(rng)
        one_hot = [0, 0, 0, 0]
        one_hot[int(rng.choice(4, p=[0.3, 0.45, 0.17, 0.08]))] = 1
        studies.append((f"{study}_study", *one_hot))
        rows = _image_rows(rng, study)
        images += rows
        _write_dicoms(raw / "train" / study, rows, rng)
    pd.DataFrame(studies, columns=["id", *STUDY_COLUMNS]).to_csv(
        raw / "train_study_level.csv", index=False
    )
    pd.DataFrame(images, columns=IMAGE_COLUMNS).to_csv(raw / "train_image_level.csv", index=False)
    sample = []
    for _ in range(N_KAGGLE_TEST):
        study = _uid(rng)
        rows = [(f"{_uid(rng)}_image", np.nan, "", study)]
        _write_dicoms(raw / "test" / study, rows, rng)
        sample += [(f"{study}_study", "negative 1 0 0 1 1"), (rows[0][0], "none 1 0 0 1 1")]
    pd.DataFrame(sample, columns=["id", "PredictionString"]).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    studies = pd.read_csv(raw / "train_study_level.csv")
    images = pd.read_csv(raw / "train_image_level.csv")
    train = pd.read_csv(public / "train_study_level.csv")
    train_images = pd.read_csv(public / "train_image_level.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    study_rows = answers[answers["id"].str.endswith("_study")]
    image_rows = answers[answers["id"].str.endswith("_image")]
    assert len(train) == 54 and len(study_rows) == 6
    assert train["id"].is_monotonic_increasing and study_rows["id"].is_monotonic_increasing
    assert image_rows["id"].is_monotonic_increasing and train_images["id"].is_monotonic_increasing
    # studies first, then images
    assert answers["id"].tolist() == [*study_rows["id"], *image_rows["id"]]
    assert set(train["id"]).isdisjoint(study_rows["id"])
    assert set(train["id"]) | set(study_rows["id"]) == set(studies["id"])
    test_uids = {s.removesuffix("_study") for s in study_rows["id"]}
    assert set(image_rows["id"]) == set(images[images["StudyInstanceUID"].isin(test_uids)]["id"])
    assert set(train_images["StudyInstanceUID"]).isdisjoint(test_uids)
    # study labels from the one-hot columns, image labels verbatim
    one_hot = studies.set_index("id").loc[study_rows["id"]].to_numpy()
    expected = [f"{LABELS[k]} 1 0 0 1 1" for k in one_hot.argmax(axis=1)]
    assert study_rows["PredictionString"].tolist() == expected
    raw_labels = images.set_index("id")["label"]
    assert image_rows["PredictionString"].tolist() == raw_labels[image_rows["id"]].tolist()
    assert sample["id"].tolist() == answers["id"].tolist()
    is_study = sample["id"].str.endswith("_study")
    assert (sample.loc[is_study, "PredictionString"] == "negative 1 0 0 1 1").all()
    assert (sample.loc[~is_study, "PredictionString"] == "none 1 0 0 1 1").all()
    # whole study folders, on the right side
    assert {p.name for p in (public / "test").iterdir()} == test_uids
    for image in image_rows["id"]:
        uid = images.set_index("id").loc[image, "StudyInstanceUID"]
        assert len(list((public / "test" / uid).glob(f"*/{image.removesuffix('_image')}.dcm"))) == 1
    assert len(list((public / "train").rglob("*.dcm"))) == len(train_images)


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
        ("five tokens", with_first("negative 1 0 0 1"), "not a multiple of 6"),
        ("text confidence", with_first("negative high 0 0 1 1"), "'high' is not a number"),
        ("nan confidence", with_first("typical nan 0 0 1 1"), "'nan' is not a number"),
        ("infinite box", with_first("opacity 0.5 0 0 inf 1"), "'inf' is not a number"),
    ]
