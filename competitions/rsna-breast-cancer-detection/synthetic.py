"""A tiny raw dataset in the shape of Kaggle's rsna-breast-cancer-detection download.

Kaggle ships ``train.csv`` (one row per mammogram: ``site_id``, ``patient_id``, ``image_id``,
``laterality``, ``view``, ``age``, ``cancer``, ``biopsy``, ``invasive``, ``BIRADS``, ``implant``,
``density``, ``machine_id``, ``difficult_negative_case``), ``train_images/<patient_id>/
<image_id>.dcm``, ``test.csv`` (the first rows of the hidden test set, with ``prediction_id``),
``test_images/`` and ``sample_submission.csv`` (``prediction_id``, ``cancer``). Here: 60
patients with two to three images per breast (DICOM-like bytes); ``cancer`` is a property of the
breast, the same on each of its images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

from .prepare import TEST_COLUMNS, TRAIN_COLUMNS

N_PATIENTS = 60

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": TRAIN_COLUMNS,
    "public/test.csv": TEST_COLUMNS,
    "public/sample_submission.csv": ["prediction_id", "cancer"],
    "public/train_images": None,
    "public/test_images": None,
    "private/answers.csv": ["prediction_id", "cancer"],
}


def _test_patients(patients: np.ndarray) -> set[int]:
    from sklearn.model_selection import train_test_split

    return set(train_test_split(patients, test_size=0.1, random_state=42)[1].tolist())


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    patients = rng.choice(np.arange(5, 65535), size=N_PATIENTS, replace=False)
    test_patients = _test_patients(patients)
    rows = []
    drawn = rng.integers(10**5, 2 * 10**9, size=N_PATIENTS * 6)
    assert len(set(drawn.tolist())) == drawn.size
    image_ids = iter(drawn.tolist())
    forced = False
    for patient in patients:
        site, machine = int(rng.integers(1, 3)), int(rng.choice([21, 29, 48, 49, 93, 170]))
        age = float(rng.integers(35, 90)) if rng.random() < 0.9 else np.nan
        implant = int(rng.random() < 0.05)
        for laterality in rng.permutation(["L", "R"]):
            cancer = int(rng.random() < 0.2)
            if not forced and patient in test_patients:
                cancer, forced = 1, True  # the test set has a positive breast
            biopsy = int(cancer or rng.random() < 0.05)
            for view in ["CC", "MLO", "MLO"][: int(rng.integers(2, 4))]:
                rows.append(
                    {
                        "site_id": site,
                        "patient_id": int(patient),
                        "image_id": int(next(image_ids)),
                        "laterality": laterality,
                        "view": view,
                        "age": age,
                        "cancer": cancer,
                        "biopsy": biopsy,
                        "invasive": int(cancer and rng.random() < 0.6),
                        "BIRADS": rng.choice([0.0, 1.0, 2.0, np.nan]),
                        "implant": implant,
                        "density": rng.choice(["A", "B", "C", "D", None]),
                        "machine_id": machine,
                        "difficult_negative_case": bool(not cancer and rng.random() < 0.1),
                    }
                )
    train = pd.DataFrame(rows, columns=TRAIN_COLUMNS)
    train.to_csv(raw / "train.csv", index=False)
    for patient, image in zip(train["patient_id"], train["image_id"], strict=True):
        folder = raw / "train_images" / str(patient)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{image}.dcm").write_bytes(dicom_like_bytes(rng.bytes(16)))
    test = pd.DataFrame(
        {
            "site_id": [2, 2],
            "patient_id": [10008, 10008],
            "image_id": [736471439, 1591370361],
            "laterality": ["L", "L"],
            "view": ["MLO", "CC"],
            "age": [81, 81],
            "implant": [0, 0],
            "machine_id": [21, 21],
            "prediction_id": ["10008_L", "10008_L"],
        }
    )
    test.to_csv(raw / "test.csv", index=False)
    for image in test["image_id"]:
        folder = raw / "test_images" / "10008"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{image}.dcm").write_bytes(dicom_like_bytes(b"test"))
    pd.DataFrame({"prediction_id": ["10008_L"], "cancer": [0]}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    test_patients = _test_patients(original["patient_id"].unique())
    assert len(test_patients) == 6
    in_test = original["patient_id"].isin(test_patients)
    assert train.equals(original[~in_test].reset_index(drop=True))
    expected = original[in_test].reset_index(drop=True)
    assert test[TEST_COLUMNS[:-1]].equals(expected[TEST_COLUMNS[:-1]])
    breasts = expected["patient_id"].astype(str) + "_" + expected["laterality"]
    assert test["prediction_id"].tolist() == breasts.tolist()
    assert answers["prediction_id"].tolist() == sorted(set(breasts))
    truth = dict(zip(breasts, expected["cancer"], strict=True))
    assert answers["cancer"].tolist() == [truth[i] for i in answers["prediction_id"]]
    assert answers["cancer"].sum() > 0
    assert sample["prediction_id"].tolist() == answers["prediction_id"].tolist()
    assert np.allclose(sample["cancer"], original.loc[~in_test, "cancer"].mean())
    for part, rows in (("train_images", train), ("test_images", test)):
        names = {p.relative_to(public / part).as_posix() for p in (public / part).rglob("*.dcm")}
        assert names == {
            f"{p}/{i}.dcm" for p, i in zip(rows["patient_id"], rows["image_id"], strict=True)
        }
    # Kaggle's own test images are not used
    assert not (public / "test_images" / "10008").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    first = answers["prediction_id"].iloc[0]
    train_breast = "5_L"
    recased = answers.assign(prediction_id=answers["prediction_id"].str.lower())
    recased.loc[0, "prediction_id"] = first.replace("_L", "_l").replace("_R", "_r")
    foreign = answers.copy()
    foreign.loc[0, "prediction_id"] = train_breast
    return [
        ("re-cased laterality", recased, "not in the test set"),
        ("unknown breast", foreign, "not in the test set"),
        ("above one", answers.assign(cancer=1.5), "outside [0, 1]"),
    ]
