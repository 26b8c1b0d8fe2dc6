"""BMS Molecular Translation: MLE-bench's 80/20 re-split of Kaggle's labelled images.

Kaggle's test InChIs were never released, so ``train_labels.csv`` (``image_id``: 12 lowercase hex
digits; ``InChI``: the molecule's InChI string, quoted since it holds commas) is split in its
released row order with ``train_test_split(test_size=0.2, random_state=0)``; both sides keep the
order the split returns. Each image lives at ``train/<c0>/<c1>/<c2>/<image_id>.png`` (the id's
first three characters); it is hard-linked to the same sub-path under ``public/train/`` or
``public/test/``, never decoded. ``extra_approved_InChIs.csv`` is copied unchanged. Kaggle's own
``test/`` images and sample submission are not read.

The ids are read as text (never as numbers: about one id in 280 is all digits) and the rows
are never listed from the image folders; the images linked are counted with a streamed walk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "image_id", "InChI"
TEST_SIZE = 0.2
#: the sample submission's prediction (water), as in MLE-bench
SAMPLE_INCHI = "InChI=1S/H2O/h1H2"
EXTRA = "extra_approved_InChIs.csv"
#: Kaggle's labelled images, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 2_424_186, 1_000_000


def image_subpath(image_id: str) -> str:
    """``a/b/c/abc….png``: three folder levels named by the id's first three characters."""
    return f"{image_id[0]}/{image_id[1]}/{image_id[2]}/{image_id}.png"


def _link_images(ids: Iterable[str], source: Path, target: Path) -> int:
    count = 0
    for image_id in ids:
        sub = image_subpath(image_id)
        link_file(source / sub, target / sub)
        count += 1
    return count


def count_pngs(folder: Path) -> int:
    """The ``.png`` files below ``folder``, counted while walking (no list of millions)."""
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".png"))


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    labels = pd.read_csv(raw / "train_labels.csv", dtype=str, keep_default_na=False)
    assert list(labels.columns) == [ID, TARGET], f"unexpected columns {list(labels.columns)}"
    train, test = split(labels, test_size=TEST_SIZE)

    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(**{TARGET: SAMPLE_INCHI}).to_csv(public / "sample_submission.csv", index=False)
    link_file(raw / EXTRA, public / EXTRA)
    n_train = _link_images(train[ID], raw / "train", public / "train")
    n_test = _link_images(test[ID], raw / "train", public / "test")

    assert labels[ID].is_unique and len(train) + len(test) == len(labels)
    assert set(train[ID]).isdisjoint(test[ID])
    assert n_train == len(train) == count_pngs(public / "train")
    assert n_test == len(test) == count_pngs(public / "test")
    if len(labels) >= REAL_SCALE:
        assert len(labels) == REAL_ROWS, f"train_labels.csv has {len(labels)} rows, not {REAL_ROWS}"
