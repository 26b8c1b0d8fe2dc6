"""LMSYS Chatbot Arena: MLE-bench's 90/10 re-split of Kaggle's labelled battles.

Kaggle's hidden test set was never released, so ``train.csv`` (about 57,500 battles between two
anonymous chatbots, with the human vote as three one-hot columns) is split in its released row
order with ``test_size=0.1`` and seed 0. The agent's ``test.csv`` keeps the prompt and the two
responses only: the model names and the vote are dropped. Kaggle's own ``test.csv`` and sample
submission are not used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID = "id"
CLASSES = ["winner_model_a", "winner_model_b", "winner_tie"]
TEST_COLUMNS = [ID, "prompt", "response_a", "response_b"]
TRAIN_COLUMNS = [ID, "model_a", "model_b", "prompt", "response_a", "response_b", *CLASSES]
TEST_SIZE = 0.1
#: one third, as MLE-bench writes it
UNIFORM = 0.3333333333333333


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    battles = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(battles.columns) == TRAIN_COLUMNS, f"unexpected columns {list(battles.columns)}"
    train, answers = split(battles, test_size=TEST_SIZE)

    answers.to_csv(private / "answers.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers[TEST_COLUMNS].to_csv(public / "test.csv", index=False)
    answers[[ID]].assign(**dict.fromkeys(CLASSES, UNIFORM)).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert len(train) + len(answers) == len(battles)
    assert set(train[ID]).isdisjoint(answers[ID]), "a battle is in both train and test"
    assert answers[ID].is_unique
    assert (answers[CLASSES].sum(axis=1) == 1).all(), "a vote that is not one-hot"
