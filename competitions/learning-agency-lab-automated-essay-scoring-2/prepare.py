"""Learning Agency Lab - Automated Essay Scoring 2.0: MLE-bench's 90/10 re-split of the essays.

Kaggle's test essays come without scores, so the labelled ``train.csv`` is split with
``test_size=0.1`` in its released row order (which the seeded shuffle depends on); both parts
keep the order the split returns. The sample submission draws a random score 1-6 per essay
with ``numpy.random.RandomState(42)``, as MLE-bench does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import split

ID, TARGET = "essay_id", "score"
COLUMNS = ["essay_id", "full_text", "score"]
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, answers = split(labelled, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    answers.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    guesses = np.random.RandomState(42).randint(1, 7, size=len(answers))
    answers[[ID]].assign(**{TARGET: guesses}).to_csv(public / "sample_submission.csv", index=False)

    assert list(labelled.columns) == COLUMNS, list(labelled.columns)
    assert labelled[ID].is_unique
    assert len(train) + len(answers) == len(labelled) and len(train) > len(answers)
    assert set(train[ID]).isdisjoint(answers[ID]), "train and test share essays"
