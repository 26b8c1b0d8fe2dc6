"""Dog Breed Identification: MLE-bench's 90/10 re-split of Kaggle's labelled dog photos.

Kaggle never released its test labels, so ``labels.csv`` is split in its released row order (which
the seeded shuffle depends on) with ``test_size=0.1``. The answers are one-hot over the 120
breeds. The breed list is not hard-coded: it is the sorted unique ``breed`` strings of
labels.csv, which is the alphabetical order MLE-bench's own list uses; grading reads it back from
the sample submission's header.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import copy_files, one_hot, split

ID, TARGET = "id", "breed"
N_BREEDS = 120
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "labels.csv", float_precision="round_trip")
    breeds = sorted(labels[TARGET].unique())
    assert len(breeds) == N_BREEDS, f"expected {N_BREEDS} breeds, labels.csv has {len(breeds)}"
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "labels.csv", index=False)
    answers = one_hot(test, ID, TARGET, breeds)
    answers.to_csv(private / "test.csv", index=False)
    # Equal probabilities: valid, and a log loss of ln(120) ≈ 4.78749.
    sample = answers.astype({b: "float64" for b in breeds})
    sample[breeds] = 1 / N_BREEDS
    sample.to_csv(public / "sample_submission.csv", index=False)

    for part, frame in (("train", train), ("test", test)):
        copy_files((f"{i}.jpg" for i in frame[ID]), raw / "train", public / part)

    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert labels[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert answers.shape == sample.shape == (len(test), 1 + N_BREEDS)
    assert (answers[breeds].sum(axis=1) == 1).all()
    for part, frame in (("train", train), ("test", test)):
        names = {p.name for p in (public / part).glob("*.jpg")}
        assert names == {f"{i}.jpg" for i in frame[ID]}, f"{part}/ does not match its split"
