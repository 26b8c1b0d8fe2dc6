"""A small raw data set in the shape of Kaggle's LMSYS Chatbot Arena download.

Kaggle ships ``train.csv`` (``id``, ``model_a``, ``model_b``, ``prompt``, ``response_a``,
``response_b`` and the one-hot vote ``winner_model_a``, ``winner_model_b``, ``winner_tie``),
``test.csv`` (``id``, ``prompt``, ``response_a``, ``response_b``) and ``sample_submission.csv``.
Prompts and responses are JSON lists of strings (one per conversation turn), with commas, quotes,
line breaks, non-ASCII text and the odd ``null`` turn, as in the real files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import CLASSES, TEST_COLUMNS, TRAIN_COLUMNS

ID = "id"
N_TRAIN, N_KAGGLE_TEST = 300, 3
TEST_SIZE = 0.1
MODELS = ["gpt-4-0613", "claude-2.1", "llama-2-70b-chat", "vicuna-13b", "mixtral-8x7b-instruct"]
WORDS = ["Sure,", "here", "is", '"a"', "answer", "ça", "va", "\n\n1.", "step", "code:", "{x}"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": TRAIN_COLUMNS,
    "public/test.csv": TEST_COLUMNS,
    "public/sample_submission.csv": [ID, *CLASSES],
    "private/answers.csv": TRAIN_COLUMNS,
}


def _turns(rng: np.random.Generator) -> str:
    turns: list[str | None] = [
        " ".join(rng.choice(WORDS, size=rng.integers(1, 12))) for _ in range(rng.integers(1, 3))
    ]
    if rng.random() < 0.05:
        turns.append(None)
    return json.dumps(turns, ensure_ascii=False)


def _battles(rng: np.random.Generator, ids: list[int], labelled: bool) -> pd.DataFrame:
    n = len(ids)
    frame = pd.DataFrame({ID: ids})
    if labelled:
        pairs = [rng.choice(MODELS, size=2, replace=False) for _ in range(n)]
        frame["model_a"] = [a for a, _ in pairs]
        frame["model_b"] = [b for _, b in pairs]
    for column in ("prompt", "response_a", "response_b"):
        frame[column] = [_turns(rng) for _ in range(n)]
    if labelled:
        vote = rng.choice(3, size=n, p=[0.35, 0.35, 0.3])
        for k, column in enumerate(CLASSES):
            frame[column] = (vote == k).astype(int)
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [int(i) for i in rng.choice(4_294_967_295, size=N_TRAIN + N_KAGGLE_TEST, replace=False)]
    _battles(rng, ids[:N_TRAIN], labelled=True).to_csv(raw / "train.csv", index=False)
    test = _battles(rng, ids[N_TRAIN:], labelled=False)
    test.to_csv(raw / "test.csv", index=False)
    test[[ID]].assign(**dict.fromkeys(CLASSES, 0.333333)).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "answers.csv")
    n_test = math.ceil(TEST_SIZE * len(original))
    assert len(answers) == n_test == 30 and len(train) + n_test == len(original)
    assert set(train[ID]).isdisjoint(answers[ID])
    assert sorted([*train[ID], *answers[ID]]) == sorted(original[ID])
    truth = original.set_index(ID)
    pd.testing.assert_frame_equal(answers.set_index(ID), truth.loc[answers[ID]])
    pd.testing.assert_frame_equal(test, answers[TEST_COLUMNS])
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist()
    assert (sample[CLASSES] == 0.3333333333333333).all().all()
    kaggle_test = set(pd.read_csv(raw / "test.csv")[ID])
    assert kaggle_test.isdisjoint(test[ID]), "Kaggle's unlabelled test battles are not used"


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's value rules: numbers in [0, 1], rows summing to 1 at 6 decimals."""

    def first_row(**values: object) -> pd.DataFrame:
        changed = sample.copy()
        for column, value in values.items():
            changed[column] = changed[column].astype(object)
            changed.loc[changed.index[0], column] = value
        return changed

    return [
        ("five-decimal thirds", sample.assign(**dict.fromkeys(CLASSES, 0.33333)), "6 decimals"),
        ("a row summing to 1.1", first_row(winner_tie=0.4333333333333333), "do not sum to 1"),
        ("a probability above one", first_row(winner_model_a=1.5, winner_model_b=-0.5), "[0, 1]"),
        ("a missing probability", first_row(winner_tie=np.nan), "missing, NaN or infinite"),
        ("text for a probability", first_row(winner_tie="third"), "must be numeric"),
        ("no winner_tie column", sample.drop(columns=["winner_tie"]), "'winner_tie'"),
    ]
