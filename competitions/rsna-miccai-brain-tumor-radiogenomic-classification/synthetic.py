"""A tiny raw dataset in the shape of Kaggle's rsna-miccai-brain-tumor-radiogenomic-classification
download.

Kaggle ships ``train_labels.csv`` (``BraTS21ID``: a five-digit zero-padded case number such as
``00062``; ``MGMT_value``: 0/1), ``train/<BraTS21ID>/`` and ``test/<BraTS21ID>/`` with four
series sub-folders (``FLAIR``, ``T1w``, ``T1wCE``, ``T2w``) of ``Image-<n>.dcm`` slices, and
``sample_submission.csv`` (``BraTS21ID``, ``MGMT_value``). Here: 40 training cases with one or
two DICOM-like slices per series and 3 Kaggle test cases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes

N_CASES, N_KAGGLE_TEST = 40, 3
SERIES = ("FLAIR", "T1w", "T1wCE", "T2w")

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": ["BraTS21ID", "MGMT_value"],
    "public/sample_submission.csv": ["BraTS21ID", "MGMT_value"],
    "public/train": None,
    "public/test": None,
    "private/test.csv": ["BraTS21ID", "MGMT_value"],
}


def _split(labels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(labels, test_size=0.1, random_state=0)
    return train, test


def _write_case(folder: Path, rng: np.random.Generator) -> None:
    for series in SERIES:
        (folder / series).mkdir(parents=True, exist_ok=True)
        for number in range(1, int(rng.integers(1, 3)) + 1):
            (folder / series / f"Image-{number}.dcm").write_bytes(dicom_like_bytes(rng.bytes(12)))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = np.sort(rng.choice(np.arange(0, 1011), size=N_CASES + N_KAGGLE_TEST, replace=False))
    ids = [f"{n:05d}" for n in numbers]
    order = rng.permutation(len(ids))
    train_ids = [ids[i] for i in sorted(order[:N_CASES])]
    test_ids = [ids[i] for i in sorted(order[N_CASES:])]
    labels = pd.DataFrame({"BraTS21ID": train_ids, "MGMT_value": rng.integers(0, 2, N_CASES)})
    # the re-split's test cases hold both classes (AUROC needs them)
    _, test = _split(labels)
    labels.loc[test.index[0], "MGMT_value"] = 0
    labels.loc[test.index[1], "MGMT_value"] = 1
    labels.to_csv(raw / "train_labels.csv", index=False)
    for case in train_ids:
        _write_case(raw / "train" / case, rng)
    for case in test_ids:
        _write_case(raw / "test" / case, rng)
    pd.DataFrame({"BraTS21ID": test_ids, "MGMT_value": 0.5}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def check_split(public: Path, private: Path, raw: Path) -> None:
    labels = pd.read_csv(raw / "train_labels.csv", dtype={"BraTS21ID": str})
    expected_train, expected_test = _split(labels)
    read = {"dtype": {"BraTS21ID": str}}
    train = pd.read_csv(public / "train_labels.csv", **read)
    answers = pd.read_csv(private / "test.csv", **read)
    sample = pd.read_csv(public / "sample_submission.csv", **read)
    assert train.equals(expected_train.reset_index(drop=True))
    assert answers.equals(expected_test.reset_index(drop=True))
    assert len(answers) == 4 and set(answers["MGMT_value"]) == {0, 1}
    assert sample["BraTS21ID"].tolist() == answers["BraTS21ID"].tolist()
    assert (sample["MGMT_value"] == 0.5).all()
    assert all(len(i) == 5 for i in answers["BraTS21ID"])  # the zero padding is kept
    for part, frame in (("train", train), ("test", answers)):
        assert sorted(p.name for p in (public / part).iterdir()) == sorted(frame["BraTS21ID"])
        for case in frame["BraTS21ID"]:
            assert _files(public / part / case) == _files(raw / "train" / case)
    # Kaggle's own test cases are not used
    kaggle_test = {p.name for p in (raw / "test").iterdir()}
    assert kaggle_test.isdisjoint(p.name for p in (public / "test").iterdir())


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    gold = pd.DataFrame(
        {
            "BraTS21ID": [f"{int(i):05d}" for i in answers["BraTS21ID"]],
            "MGMT_value": answers["MGMT_value"].astype(object),
        }
    )

    def first(value: object) -> pd.DataFrame:
        frame = gold.copy()
        frame.loc[0, "MGMT_value"] = value
        return frame

    floats = gold.assign(BraTS21ID=[f"{int(i)}.0" for i in gold["BraTS21ID"]])
    return [
        ("text value", first("high"), "column 'MGMT_value' must be numeric, found 'high'"),
        ("missing value", first(None), "missing, NaN or infinite"),
        ("above one", first(1.5), "outside [0, 1]"),
        ("ids written as floats", floats, "not in the test set"),
    ]
