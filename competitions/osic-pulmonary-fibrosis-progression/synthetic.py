"""A tiny raw dataset in the shape of Kaggle's osic-pulmonary-fibrosis-progression download.

Kaggle ships ``train.csv`` (``Patient`` = ``ID`` + 23 digits, ``Weeks``, ``FVC``, ``Percent``,
``Age``, ``Sex``, ``SmokingStatus``; several visits per patient), ``train/<Patient>/<n>.dcm``
(the baseline CT slices), and ``test.csv``, ``test/`` and ``sample_submission.csv``. Here: 40
patients with 6-9 visits each and three DICOM-like files per patient; one training patient has
two visits in the same week, as a few real patients do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

N_PATIENTS, N_KAGGLE_TEST = 40, 2
#: the patient (by position) measured twice in one week; it lands in the training part
DOUBLE_VISIT = 0
COLUMNS = ["Patient", "Weeks", "FVC", "Percent", "Age", "Sex", "SmokingStatus"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": COLUMNS,
    "public/sample_submission.csv": ["Patient_Week", "FVC", "Confidence"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": [*COLUMNS, "Patient_Week", "Confidence"],
    "private/gold_submission.csv": ["Patient_Week", "FVC", "Confidence"],
}


def _patient(rng: np.random.Generator) -> str:
    return "ID" + "".join(str(d) for d in rng.integers(0, 10, 23))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rows = []
    patients = [_patient(rng) for _ in range(N_PATIENTS + N_KAGGLE_TEST)]
    for index, patient in enumerate(patients[:N_PATIENTS]):
        age, sex = int(rng.integers(50, 85)), str(rng.choice(["Male", "Female"]))
        smoking = str(rng.choice(["Ex-smoker", "Never smoked", "Currently smokes"]))
        baseline = float(rng.integers(1500, 4000))
        weeks = np.sort(rng.choice(np.arange(-5, 80), size=int(rng.integers(6, 10)), replace=False))
        if index == DOUBLE_VISIT:
            weeks = np.sort(np.append(weeks, weeks[2]))
        for week in weeks:
            fvc = int(baseline - 4 * week + rng.normal(0, 80))
            rows.append((patient, int(week), fvc, fvc / 30.0 + rng.random(), age, sex, smoking))
        folder = raw / "train" / patient
        folder.mkdir(parents=True)
        for n in range(1, 4):
            (folder / f"{n}.dcm").write_bytes(dicom_like_bytes(rng.bytes(16)))
    pd.DataFrame(rows, columns=COLUMNS).to_csv(raw / "train.csv", index=False)
    firsts = pd.DataFrame(rows[:N_KAGGLE_TEST], columns=COLUMNS).assign(
        Patient=patients[N_PATIENTS:]
    )
    firsts.to_csv(raw / "test.csv", index=False)
    for patient in patients[N_PATIENTS:]:
        (raw / "test" / patient).mkdir(parents=True)
        (raw / "test" / patient / "1.dcm").write_bytes(dicom_like_bytes(b"test"))
    pd.DataFrame(
        {"Patient_Week": [f"{p}_{w}" for p in patients[N_PATIENTS:] for w in range(-12, 134)]}
    ).assign(FVC=2000, Confidence=100).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    first = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    gold = pd.read_csv(private / "gold_submission.csv")
    test_patients = set(answers["Patient"])
    assert len(test_patients) == 4 and set(train["Patient"]).isdisjoint(test_patients)
    assert set(train["Patient"]) | test_patients == set(original["Patient"])
    assert len(train) + len(original[original["Patient"].isin(test_patients)]) == len(original)
    # the first visit of each test patient, sorted by patient
    expected = original[original["Patient"].isin(test_patients)].sort_values("Weeks")
    expected = expected.groupby("Patient").first().reset_index()
    assert first["Patient"].tolist() == sorted(test_patients)
    assert first["Weeks"].tolist() == expected["Weeks"].tolist()
    # one row per test patient and week of the shared range
    tested = original[original["Patient"].isin(test_patients)]
    n_weeks = tested["Weeks"].max() - tested["Weeks"].min() + 1
    assert len(answers) == 4 * n_weeks and answers["Patient_Week"].is_unique
    measured = answers.dropna(subset=["FVC"])
    assert len(measured) == len(tested)
    merged = measured.merge(tested, on=["Patient", "Weeks"], suffixes=("", "_raw"))
    assert (merged["FVC"] == merged["FVC_raw"]).all()
    assert (answers["Confidence"] == 100).all()
    assert sample["Patient_Week"].tolist() == answers["Patient_Week"].tolist()
    assert ((sample["FVC"] == 2000) & (sample["Confidence"] == 100)).all()
    assert gold["Patient_Week"].tolist() == answers["Patient_Week"].tolist()
    assert (gold["Confidence"] == 70).all() and gold["FVC"].notna().all()
    assert {p.name for p in (public / "test").iterdir()} == test_patients
    assert {p.name for p in (public / "train").iterdir()} == set(train["Patient"])
    assert len(list((public / "test").rglob("*.dcm"))) == 3 * len(test_patients)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Value rules of the grader (columns, rows and ids are the standard cases)."""

    def with_first(column: str, value: object) -> pd.DataFrame:
        frame = sample.astype({column: object})
        frame.loc[0, column] = value
        return frame

    return [
        ("text FVC", with_first("FVC", "high"), "column 'FVC' must be numeric, found 'high'"),
        ("missing FVC", with_first("FVC", np.nan), "missing, NaN or infinite"),
        ("missing confidence", with_first("Confidence", np.nan), "missing, NaN or infinite"),
        ("infinite FVC", with_first("FVC", np.inf), "missing, NaN or infinite"),
        ("negative confidence", sample.assign(Confidence=-5), "negative Confidence value(s)"),
    ]
