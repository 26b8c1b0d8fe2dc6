"""A tiny raw data set in the shape of Kaggle's BMS Molecular Translation download.

Kaggle ships ``train_labels.csv`` (``image_id``: 12 lowercase hex digits; ``InChI``: an InChI
string such as ``InChI=1S/C13H20OS/c1-9(2)8-15-13-6-5-10(3)7-12(13)11(4)14/h5-7,9,11,14H,...``,
quoted because of its commas), ``train/<c0>/<c1>/<c2>/<image_id>.png`` (grey PNG drawings),
``test/`` in the same layout, ``sample_submission.csv`` (``image_id``, ``InChI`` =
``InChI=1S/H2O/h1H2``) and ``extra_approved_InChIs.csv`` (one ``InChI`` column). Here 120 labelled
8x8 PNGs (a few ids all digits, one with a leading zero) and three Kaggle test images.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from .prepare import ID, SAMPLE_INCHI, TARGET, TEST_SIZE, count_pngs, image_subpath

N_TRAIN, N_KAGGLE_TEST, N_EXTRA = 120, 3, 20
#: ids of only digits, which pandas would read as numbers if it were asked to infer
DIGIT_IDS = ["000000000417", "123456789012", "090807060504"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_labels.csv": [ID, TARGET],
    "public/sample_submission.csv": [ID, TARGET],
    "public/extra_approved_InChIs.csv": [TARGET],
    "public/train": None,
    "public/test": None,
    "private/test.csv": [ID, TARGET],
}


def _ids(rng: np.random.Generator, n: int) -> list[str]:
    values = rng.choice(16**12, size=n, replace=False)
    return [f"{int(v):012x}" for v in values]


def _inchi(rng: np.random.Generator) -> str:
    carbons, hydrogens = int(rng.integers(2, 30)), int(rng.integers(2, 40))
    formula = f"C{carbons}H{hydrogens}" + str(rng.choice(["", "O", "N2O", "ClNO2", "S", "BrO"]))
    chain = "-".join(str(int(v)) for v in rng.integers(1, carbons + 1, size=4))
    hydro = ",".join(str(int(v)) for v in sorted(rng.integers(1, carbons + 1, size=3)))
    layers = [f"c{chain}(2)", f"h{hydro}H,1-4H3"]
    if rng.random() < 0.3:
        layers.append(f"t{int(rng.integers(1, carbons + 1))}-")
    return "/".join(["InChI=1S", formula, *layers])


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = _ids(rng, N_TRAIN + N_KAGGLE_TEST)
    ids[5], ids[40], ids[77] = DIGIT_IDS
    labels = pd.DataFrame({ID: ids[:N_TRAIN], TARGET: [_inchi(rng) for _ in range(N_TRAIN)]})
    labels.to_csv(raw / "train_labels.csv", index=False)
    for folder, part in (("train", ids[:N_TRAIN]), ("test", ids[N_TRAIN:])):
        for image_id in part:
            path = raw / folder / image_subpath(image_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(random_image(rng, "PNG", grey=True))
    sample = pd.DataFrame({ID: ids[N_TRAIN:], TARGET: SAMPLE_INCHI})
    sample.to_csv(raw / "sample_submission.csv", index=False)
    extra = pd.DataFrame({TARGET: [_inchi(rng) for _ in range(N_EXTRA)]})
    extra.to_csv(raw / "extra_approved_InChIs.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from mle_track.competitions.preparing import split

    original = pd.read_csv(raw / "train_labels.csv", dtype=str)
    train = pd.read_csv(public / "train_labels.csv", dtype=str)
    answers = pd.read_csv(private / "test.csv", dtype=str)
    n_test = math.ceil(TEST_SIZE * len(original))
    assert len(answers) == n_test == 24 and len(train) + n_test == len(original)
    expected_train, expected_test = split(original, test_size=TEST_SIZE)
    pd.testing.assert_frame_equal(train, expected_train.reset_index(drop=True))
    pd.testing.assert_frame_equal(answers, expected_test.reset_index(drop=True))
    assert set(DIGIT_IDS) <= set(train[ID]) | set(answers[ID])  # kept as text, zeros included
    sample = pd.read_csv(public / "sample_submission.csv", dtype=str)
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGET] == SAMPLE_INCHI).all()
    assert (public / "extra_approved_InChIs.csv").read_bytes() == (
        raw / "extra_approved_InChIs.csv"
    ).read_bytes()
    assert not (public / "test.csv").exists()
    for folder, frame in (("train", train), ("test", answers)):
        assert count_pngs(public / folder) == len(frame)
        for image_id in frame[ID]:
            sub = image_subpath(image_id)
            assert (public / folder / sub).read_bytes() == (raw / "train" / sub).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    upper = sample.assign(**{ID: sample[ID].astype(str).str.upper()})
    kaggle_test = sample.copy()
    kaggle_test.loc[0, ID] = "ffffffffffff"
    return [
        ("upper-cased ids", upper, "not in the test set"),
        ("an id outside the test set", kaggle_test, "not in the test set"),
    ]
