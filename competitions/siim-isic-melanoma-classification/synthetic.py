"""A tiny SIIM-ISIC download: train.csv, DICOM and JPEG images, and 16 training TFRecord files.

128 training images spread at random over Kaggle's 16 file names (``train00-2071.tfrec`` …
``train15-2061.tfrec``, 8 records each: the names keep Kaggle's record counts because the prepare
selects files by name), each record an Example with the image and its metadata, as Kaggle's are.
Kaggle's own test images and TFRecords are there too and must be ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import dicom_like_bytes, random_image

from . import tfrecord

ID = "image_name"
TEST_COLUMNS = [ID, "patient_id", "sex", "age_approx", "anatom_site_general_challenge"]
TRAIN_COLUMNS = [*TEST_COLUMNS, "diagnosis", "benign_malignant", "target"]
TEST_RECORDS = ("train00-2071.tfrec", "train06-2071.tfrec")
FILES, PER_FILE = 16, 8
SITES = ["torso", "lower extremity", "upper extremity", "head/neck", None]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": TRAIN_COLUMNS,
    "public/test.csv": TEST_COLUMNS,
    "public/sample_submission.csv": [ID, "target"],
    "public/train": None,
    "public/test": None,
    "public/jpeg/train": None,
    "public/jpeg/test": None,
    "public/tfrecords/test00-2071.tfrec": None,
    "public/tfrecords/test01-2071.tfrec": None,
    "public/tfrecords/train13-2061.tfrec": None,
    "private/test.csv": [ID, "target"],
}


def _metadata(names: list[str], rng: np.random.Generator) -> pd.DataFrame:
    n = len(names)
    sex = rng.choice(np.array(["male", "female", None], dtype=object), n, p=[0.48, 0.48, 0.04])
    age = rng.integers(3, 18, n) * 5.0
    age[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            ID: names,
            "patient_id": [f"IP_{x:07d}" for x in rng.integers(0, 10**7, n)],
            "sex": sex,
            "age_approx": age,
            "anatom_site_general_challenge": rng.choice(np.array(SITES, dtype=object), n),
        }
    )


def _record(row: pd.Series, image: bytes) -> bytes:
    """One Example with the image and its metadata (categories as integers, as Kaggle's)."""
    age = row["age_approx"]
    features = {
        "image": image,
        ID: row[ID],
        "patient_id": int(row["patient_id"][3:]),
        "sex": int(row["sex"] == "male"),
        "age_approx": -1 if np.isnan(age) else int(age),
        "target": int(row["target"]),
    }
    return bytes(tfrecord.encode_example(features))


def _file_name(index: int) -> str:
    return f"train{index:02d}-{2061 if index == FILES - 1 else 2071}.tfrec"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    numbers = np.sort(rng.choice(10**7, FILES * PER_FILE + 10, replace=False))
    names = [f"ISIC_{x:07d}" for x in numbers]
    train_names, kaggle_test = names[: FILES * PER_FILE], names[FILES * PER_FILE :]
    train = _metadata(train_names, rng)
    files = rng.permutation(np.repeat(np.arange(FILES), PER_FILE))
    target = (rng.random(len(train)) < 0.2).astype(int)
    in_test = np.flatnonzero(np.isin(files, [0, 6]))
    target[in_test[0]], target[in_test[1]] = 1, 0  # both classes among the test images
    train["diagnosis"] = np.where(target == 1, "melanoma", rng.choice(["unknown", "nevus"], 128))
    train["benign_malignant"] = np.where(target == 1, "malignant", "benign")
    train["target"] = target
    train.to_csv(raw / "train.csv", index=False)
    _metadata(kaggle_test, rng).to_csv(raw / "test.csv", index=False)
    pd.DataFrame({ID: kaggle_test, "target": 0.0}).to_csv(
        raw / "sample_submission.csv", index=False
    )

    images: dict[str, bytes] = {}
    for side, side_names in (("train", train_names), ("test", kaggle_test)):
        (raw / side).mkdir()
        (raw / "jpeg" / side).mkdir(parents=True)
        for name in side_names:
            (raw / side / f"{name}.dcm").write_bytes(dicom_like_bytes(rng.bytes(64)))
            images[name] = random_image(rng, "JPEG")
            (raw / "jpeg" / side / f"{name}.jpg").write_bytes(images[name])
    (raw / "tfrecords").mkdir()
    for index in range(FILES):
        rows = train[files == index]
        records = [_record(row, images[row[ID]]) for _, row in rows.iterrows()]
        tfrecord.write_records(raw / "tfrecords" / _file_name(index), records)
    for index in range(2):
        tfrecord.write_records(
            raw / "tfrecords" / f"test{index:02d}-687.tfrec",
            [tfrecord.encode_example({"image": images[n], ID: n}) for n in kaggle_test[index::2]],
        )


def _names_in(path: Path) -> set[str]:
    """Image names found by pattern in a file's bytes: a check independent of the parser."""
    return {m.decode() for m in re.findall(rb"ISIC_\d{7}", path.read_bytes())}


def check_split(public: Path, private: Path, raw: Path) -> None:
    assert tfrecord.crc32c(b"123456789") == 0xE3069283
    test_names = set().union(*(_names_in(raw / "tfrecords" / n) for n in TEST_RECORDS))
    parsed = [tfrecord.read_ids(raw / "tfrecords" / n) for n in TEST_RECORDS]
    assert set(parsed[0]) | set(parsed[1]) == test_names and len(test_names) == 2 * PER_FILE

    original = pd.read_csv(raw / "train.csv")
    train, test = pd.read_csv(public / "train.csv"), pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    pd.testing.assert_frame_equal(
        test, original[original[ID].isin(test_names)][TEST_COLUMNS].reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        train, original[~original[ID].isin(test_names)].reset_index(drop=True)
    )
    assert answers[ID].tolist() == test[ID].tolist()
    truth = original.set_index(ID).loc[answers[ID], "target"].to_numpy()
    assert (answers["target"].to_numpy() == truth).all()
    for side, frame in (("train", train), ("test", test)):
        assert {p.stem for p in (public / side).glob("*.dcm")} == set(frame[ID])
        assert {p.stem for p in (public / "jpeg" / side).glob("*.jpg")} == set(frame[ID])

    renamed = sorted(p.name for p in (public / "tfrecords").iterdir())
    expected = [f"test{i:02d}-2071.tfrec" for i in range(2)]
    expected += [f"train{i:02d}-2071.tfrec" for i in range(13)] + ["train13-2061.tfrec"]
    assert renamed == expected, renamed
    for new, old in (("test00-2071", "train00-2071"), ("train05-2071", "train07-2071")):
        data = (public / "tfrecords" / f"{new}.tfrec").read_bytes()
        assert data == (raw / "tfrecords" / f"{old}.tfrec").read_bytes()
    for path in (public / "tfrecords").iterdir():
        assert len(list(tfrecord.iter_records(path, verify_data=True))) == PER_FILE
