"""A tiny cassava download: 159 labelled leaf photos in 16 TFRecord files, and Kaggle's test.

Kaggle ships ``train.csv`` (``image_id`` = ``<digits>.jpg``, ``label`` 0-4),
``train_images/<image_id>``, ``train_tfrecords/ld_train{NN}-{count}.tfrec`` (16 files of
tf.train.Example records with ``image``, ``image_name`` and ``target``), ``test_images/``,
``test_tfrecords/``, ``sample_submission.csv`` and ``label_num_to_disease_map.json``. Here the
16 files hold 10 records each (the last 9), spread at random over train.csv's rows.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from . import tfrecord

ID, TARGET = "image_id", "label"
FILES = 16
COUNTS = [10] * (FILES - 1) + [9]
DISEASES = {
    "0": "Cassava Bacterial Blight (CBB)",
    "1": "Cassava Brown Streak Disease (CBSD)",
    "2": "Cassava Green Mottle (CGM)",
    "3": "Cassava Mosaic Disease (CMD)",
    "4": "Healthy",
}

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": [ID, TARGET],
    "public/sample_submission.csv": [ID, TARGET],
    "public/train_images": None,
    "public/test_images": None,
    "public/train_tfrecords": None,
    "public/test_tfrecords/ld_test00-10.tfrec": None,
    "public/label_num_to_disease_map.json": None,
    "private/test.csv": [ID, TARGET],
}


def _file_name(index: int) -> str:
    return f"ld_train{index:02d}-{COUNTS[index]}.tfrec"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    n = sum(COUNTS)
    numbers = 10**6 + rng.choice(4 * 10**9, n + 1, replace=False)
    ids = [f"{x}.jpg" for x in numbers]
    ids, kaggle_test = ids[:n], ids[n:]
    labels = rng.choice(5, n, p=[0.05, 0.1, 0.1, 0.6, 0.15])
    pd.DataFrame({ID: ids, TARGET: labels}).to_csv(raw / "train.csv", index=False)
    images = {}
    (raw / "train_images").mkdir()
    for image_id in ids:
        images[image_id] = random_image(rng, "JPEG")
        (raw / "train_images" / image_id).write_bytes(images[image_id])
    files = rng.permutation(np.repeat(np.arange(FILES), COUNTS))
    (raw / "train_tfrecords").mkdir()
    for index in range(FILES):
        rows = np.flatnonzero(files == index)
        examples = [
            tfrecord.encode_example(
                {"image": images[ids[r]], "image_name": ids[r].encode(), "target": int(labels[r])}
            )
            for r in rows
        ]
        tfrecord.write_records(raw / "train_tfrecords" / _file_name(index), examples)
    (raw / "test_images").mkdir()
    (raw / "test_tfrecords").mkdir()
    test_image = random_image(rng, "JPEG")
    (raw / "test_images" / kaggle_test[0]).write_bytes(test_image)
    tfrecord.write_records(
        raw / "test_tfrecords" / "ld_test00-1.tfrec",
        [tfrecord.encode_example({"image": test_image, "image_name": kaggle_test[0].encode()})],
    )
    pd.DataFrame({ID: kaggle_test, TARGET: 4}).to_csv(raw / "sample_submission.csv", index=False)
    (raw / "label_num_to_disease_map.json").write_text(json.dumps(DISEASES))


def _names_in(path: Path) -> list[str]:
    """Image names found by pattern in a file's bytes: a check independent of the parser."""
    return [m.decode() for m in re.findall(rb"\d{7,10}\.jpg", path.read_bytes())]


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    assert tfrecord.crc32c(b"123456789") == 0xE3069283
    files = sorted(p.name for p in (raw / "train_tfrecords").iterdir())
    train_files, test_files = train_test_split(files, test_size=0.1, random_state=0)
    assert len(test_files) == math.ceil(0.1 * FILES) == 2
    test_ids = [n for f in test_files for n in _names_in(raw / "train_tfrecords" / f)]
    assert test_ids == [
        n for f in test_files for n in tfrecord.image_names(raw / "train_tfrecords" / f)
    ]

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    expected_test = original[original[ID].isin(test_ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(answers, expected_test)
    pd.testing.assert_frame_equal(
        train, original[~original[ID].isin(test_ids)].reset_index(drop=True)
    )
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGET] == 4).all()
    assert answers[TARGET].nunique() > 1
    assert {p.name for p in (public / "test_images").iterdir()} == set(answers[ID])
    assert {p.name for p in (public / "train_images").iterdir()} == set(train[ID])

    for side, names in (("train", train_files), ("test", test_files)):
        for index, name in enumerate(names):
            count = name.split("-")[1].removesuffix(".tfrec")
            copy = public / f"{side}_tfrecords" / f"ld_{side}{index:02d}-{count}.tfrec"
            assert copy.read_bytes() == (raw / "train_tfrecords" / name).read_bytes()
    assert len(list((public / "train_tfrecords").iterdir())) == len(train_files)
    assert json.loads((public / "label_num_to_disease_map.json").read_text()) == DISEASES


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rule: every label is one of the disease codes 0-4."""
    one_text = sample.astype({TARGET: object})
    one_text.loc[0, TARGET] = "Healthy"
    return [
        ("code five", sample.assign(**{TARGET: 5}), "not one of the disease codes 0-4"),
        ("negative code", sample.assign(**{TARGET: -1}), "not one of the disease codes 0-4"),
        ("fractional code", sample.assign(**{TARGET: 2.5}), "not one of the disease codes 0-4"),
        ("text code", one_text, "not one of the disease codes 0-4, e.g. 'Healthy'"),
        ("missing value", sample.assign(**{TARGET: np.nan}), "empty value"),
    ]
