"""Histopathologic Cancer Detection: MLE-bench's re-split of Kaggle's labelled tissue patches.

Kaggle never released its test labels; MLE-bench keeps Kaggle's proportions instead, holding out
``n_test / (n_train + n_test)`` of the labelled ``train_labels.csv`` (``n_test`` counts the .tif
files in Kaggle's ``test/``). The ids are split in released row order (which the seeded shuffle
depends on), then the rows keep that original order in every written file, as in MLE-bench.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import copy_files, split

ID, TARGET = "id", "label"


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train_labels.csv")
    n_kaggle_test = sum(1 for _ in (raw / "test").glob("*.tif"))
    assert n_kaggle_test > 0, "Kaggle's test/ folder is needed to fix the test fraction"
    test_fraction = n_kaggle_test / (len(labels) + n_kaggle_test)
    train_ids, test_ids = split(labels[[ID]], test_size=test_fraction)
    train = labels[labels[ID].isin(train_ids[ID])]
    test = labels[labels[ID].isin(test_ids[ID])]
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    for part, ids in (("train", train_ids[ID]), ("test", test_ids[ID])):
        copy_files((f"{i}.tif" for i in ids), raw / "train", public / part)
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "answers.csv", index=False)
    # A constant score ranks every patch the same: valid, and exactly chance-level AUROC.
    test.assign(**{TARGET: 0}).to_csv(public / "sample_submission.csv", index=False)

    assert labels[ID].is_unique
    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert list(train.columns) == list(test.columns) == [ID, TARGET]
    for part, frame in (("train", train), ("test", test)):
        names = {p.name for p in (public / part).glob("*.tif")}
        assert names == {f"{i}.tif" for i in frame[ID]}, f"{part}/ does not match its split"
