"""Spaceship Titanic: MLE-bench's 90/10 re-split of Kaggle's labelled passenger records.

Kaggle ships ``train.csv`` (``PassengerId`` ``gggg_pp``, the passenger's records and the
``Transported`` target, ``True``/``False``), ``test.csv`` and ``sample_submission.csv``; the
test labels were never released. As MLE-bench does, the rows of ``train.csv`` are split with
``train_test_split(test_size=0.1, random_state=0)`` - row by row, not by travel group - each side
in the order the split returns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID, TARGET = "PassengerId", "Transported"
COLUMNS = [
    "PassengerId",
    "HomePlanet",
    "CryoSleep",
    "Cabin",
    "Destination",
    "Age",
    "VIP",
    "RoomService",
    "FoodCourt",
    "ShoppingMall",
    "Spa",
    "VRDeck",
    "Name",
    "Transported",
]
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    original = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(original.columns) == COLUMNS, list(original.columns)
    train, test = split(original, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    test[[ID, TARGET]].assign(**{TARGET: False}).to_csv(
        public / "sample_submission.csv", index=False
    )
    test.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)

    assert len(train) + len(test) == len(original) and len(train) > len(test)
    assert original[ID].is_unique and set(train[ID]).isdisjoint(test[ID])
