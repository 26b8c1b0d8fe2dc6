"""ML2021Spring-hw2: MLE-bench's re-split of the framewise TIMIT phoneme features.

Kaggle ships ``timit_11/timit_11/train_11.npy`` (one row per audio frame: 11 frames x 39 MFCC
features = 429 float32 values), ``train_label_11.npy`` (the frame's phoneme class 0-38, stored
as short strings) and ``test_11.npy``, whose labels were never released. As MLE-bench does, the
old test set only fixes the test fraction, ``len(test) / (len(train) + len(test))`` (about
0.2685), and the row numbers of ``train_11.npy`` are split with ``train_test_split(range(n),
test_size=that fraction, random_state=0)``. The arrays are written in the order the split
returns, the new test rows becoming the public ``test_11.npy``; a test row's ``Id`` is its
position there.

The 2 GB feature array is never loaded: it is memory-mapped and its rows are copied a block at
a time into the new ``.npy`` files (the same header and bytes as ``numpy.save`` writes).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from mle_track.competitions.preparing import split

ID, TARGET = "Id", "ClassId"
FOLDER = Path("timit_11") / "timit_11"
FEATURES, LABELS, TEST = "train_11.npy", "train_label_11.npy", "test_11.npy"
#: rows copied per block (about 110 MB of features)
BLOCK_ROWS = 1 << 16
#: the row counts of Kaggle's arrays, checked when the raw train array has this many rows
KAGGLE_TRAIN_ROWS, KAGGLE_TEST_ROWS = 1_229_932, 451_552


def write_rows(source: NDArray[Any], rows: NDArray[np.int64], target: Path) -> None:
    """``source[rows]`` saved as ``target`` (an ``.npy`` file), one block of rows at a time."""
    out = np.lib.format.open_memmap(
        target, mode="w+", dtype=source.dtype, shape=(len(rows), *source.shape[1:])
    )
    for start in range(0, len(rows), BLOCK_ROWS):
        out[start : start + BLOCK_ROWS] = source[rows[start : start + BLOCK_ROWS]]
    out.flush()
    del out


def prepare(raw: Path, public: Path, private: Path) -> None:
    features = np.load(raw / FOLDER / FEATURES, mmap_mode="r")
    labels = np.load(raw / FOLDER / LABELS, mmap_mode="r")
    n_old_test = np.load(raw / FOLDER / TEST, mmap_mode="r").shape[0]
    n = features.shape[0]
    assert labels.shape == (n,), f"{LABELS} has shape {labels.shape}, expected ({n},)"
    test_fraction = n_old_test / (n + n_old_test)
    train_part, test_part = split(pd.DataFrame({"row": np.arange(n)}), test_size=test_fraction)
    train_rows = train_part["row"].to_numpy(np.int64)
    test_rows = test_part["row"].to_numpy(np.int64)

    folder = public / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    write_rows(features, train_rows, folder / FEATURES)
    write_rows(labels, train_rows, folder / LABELS)
    write_rows(features, test_rows, folder / TEST)
    test_labels = np.asarray(labels[test_rows])
    answers = pd.DataFrame({ID: np.arange(len(test_rows)), TARGET: test_labels})
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(**{TARGET: 0}).to_csv(public / "sampleSubmission.csv", index=False)

    assert len(train_rows) + len(test_rows) == n and len(train_rows) > len(test_rows)
    assert len(test_rows) == math.ceil(test_fraction * n)
    assert np.intersect1d(train_rows, test_rows).size == 0, "train and test share rows"
    if n == KAGGLE_TRAIN_ROWS:  # Kaggle's arrays (smaller ones are test fixtures)
        assert n_old_test == KAGGLE_TEST_ROWS, n_old_test
        assert features.shape[1:] == (429,), features.shape
        assert len(test_rows) == 330_291, len(test_rows)
