"""Plant Pathology 2021 (FGVC8): MLE-bench's 80/20 re-split of Kaggle's labelled apple leaves.

Kaggle's test labels were never released, so ``train.csv`` (``image`` file name, ``labels``: the
diseases separated by spaces, or ``healthy``) is split in its released row order with
``train_test_split(test_size=0.2, random_state=0)``. The JPEGs of ``train_images/`` go to
``public/train_images/`` or ``public/test_images/`` by side under their own names, hard-linked,
never decoded. No public test.csv is written: the sample submission lists the test images.
Kaggle's ``test_images/`` and sample submission are not used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_files, split

ID, TARGET = "image", "labels"
TEST_SIZE = 0.2
SAMPLE_LABELS = "healthy"
#: Kaggle's labelled images, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 18_632, 5_000


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    leaves = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(leaves.columns) == [ID, TARGET], f"unexpected columns {list(leaves.columns)}"
    train, answers = split(leaves, test_size=TEST_SIZE)

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.assign(**{TARGET: SAMPLE_LABELS}).to_csv(public / "sample_submission.csv", index=False)
    link_files(train[ID], raw / "train_images", public / "train_images")
    link_files(answers[ID], raw / "train_images", public / "test_images")

    assert len(train) + len(answers) == len(leaves) and leaves[ID].is_unique
    assert set(train[ID]).isdisjoint(answers[ID])
    assert len(list((public / "train_images").glob("*.jpg"))) == len(train)
    assert len(list((public / "test_images").glob("*.jpg"))) == len(answers)
    if len(leaves) >= REAL_SCALE:
        assert len(leaves) == REAL_ROWS, f"train.csv has {len(leaves)} rows, not {REAL_ROWS}"
