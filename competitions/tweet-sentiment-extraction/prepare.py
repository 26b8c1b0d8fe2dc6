"""Tweet Sentiment Extraction: MLE-bench's 90/10 re-split of Kaggle's labelled tweets.

Kaggle's test spans were never released, so the labelled ``train.csv`` is split with
``test_size=0.1`` in its released row order (which the seeded shuffle depends on); both parts
keep the order the split returns. The public test side loses ``selected_text``; the private
answers keep every column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID, TARGET = "textID", "selected_text"
COLUMNS = ["textID", "text", "selected_text", "sentiment"]
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    labelled = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(labelled, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    # an empty span for every tweet: valid, and a score of 0
    test[[ID, TARGET]].assign(**{TARGET: ""}).to_csv(public / "sample_submission.csv", index=False)

    assert list(labelled.columns) == COLUMNS, list(labelled.columns)
    assert labelled[ID].is_unique
    assert len(train) + len(test) == len(labelled) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
