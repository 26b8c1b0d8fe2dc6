"""Humpback Whale Identification (playground): MLE-bench's split of Kaggle's labelled fluke photos.

Kaggle's ``train.csv`` maps each photo (``Image``) to a whale ``Id`` (``new_whale`` for whales
not identified); the photos are ``train/<Image>``. The split tries to put every whale on both
sides, exactly as MLE-bench draws it:

1. whales are visited in order of first appearance in ``train.csv``;
2. a whale with two or more photos sends two of them, drawn by pandas ``sample(2,
   random_state=0)`` from its photos in file order, one to train (the first drawn) and one to
   test;
3. a whale with one photo sends it to train or test by one draw of a single NumPy
   ``default_rng(0)`` shared across the visit, ``choice(["train", "test"], p=[0.9, 0.1])``;
4. the photos not yet placed go through ``train_test_split(test_size=0.1, random_state=0)``.

Both sides keep the file order of ``train.csv``. A test whale that has no photo in train is
relabelled ``new_whale`` in the answers. Photos are hard-linked to ``train/`` and ``test/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_files, split

ID, TARGET = "Image", "Id"
TEST_SIZE = 0.1
NEW_WHALE = "new_whale"
SAMPLE_GUESS = "new_whale w_1287fbc w_98baff9 w_7554f44 w_1eafe46"


def assign_sides(labels: pd.DataFrame) -> pd.Series:
    """``"train"`` or ``"test"`` for every row of ``labels`` (see the module docstring)."""
    side = pd.Series("undecided", index=labels.index, dtype=object)
    rng = np.random.default_rng(0)
    for _whale, photos in labels.groupby(TARGET, sort=False):
        if len(photos) >= 2:
            drawn = photos.sample(2, random_state=0).index
            side[drawn[0]], side[drawn[1]] = "train", "test"
        else:
            side[photos.index[0]] = str(
                rng.choice(["train", "test"], replace=False, p=[1 - TEST_SIZE, TEST_SIZE])
            )
    rest = labels[side == "undecided"]
    rest_train, rest_test = split(rest, test_size=TEST_SIZE)
    side[rest_train.index], side[rest_test.index] = "train", "test"
    return side


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(labels.columns) == [ID, TARGET], list(labels.columns)
    assert labels.index.equals(pd.RangeIndex(len(labels)))
    side = assign_sides(labels)
    train = labels[side == "train"]
    answers = labels[side == "test"].copy()
    unseen = ~answers[TARGET].isin(set(train[TARGET]))
    answers.loc[unseen, TARGET] = NEW_WHALE
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.assign(**{TARGET: SAMPLE_GUESS}).to_csv(public / "sample_submission.csv", index=False)
    link_files(train[ID], raw / "train", public / "train")
    link_files(answers[ID], raw / "train", public / "test")

    assert len(train) + len(answers) == len(labels) and len(train) > len(answers)
    assert labels[ID].is_unique, "train.csv repeats an image"
    assert (answers[TARGET] == NEW_WHALE).any(), "the answers should hold some new_whale"
    for part, frame in (("train", train), ("test", answers)):
        names = {p.name for p in (public / part).glob("*.jpg")}
        assert names == set(frame[ID]), f"{part}/ does not match its split"
