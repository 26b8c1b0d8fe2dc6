"""A tiny raw dataset in the shape of Kaggle's google-quest-challenge download.

Kaggle ships ``train.csv`` (``qa_id``, ten text columns about a StackExchange question and its
answer, then 30 target columns: averaged rater scores in [0, 1]), ``test.csv`` (the eleven
feature columns) and ``sample_submission.csv``. Here there are 120 rows whose ratings are
multiples of 1/3 or 1/2; ``question_type_spelling`` is 0 except in two rows, both in the train
part, so the test side gets one of them by MLE-bench's swap.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import FEATURES, RARE, TARGETS

N_TRAIN, N_KAGGLE_TEST = 120, 6
TEST_SIZE = 0.1
#: the positions of the two rows where question_type_spelling is not 0 (both land in train; 60
#: comes first in the split's train order)
RARE_ROWS = (60, 74)
CATEGORIES = ["TECHNOLOGY", "STACKOVERFLOW", "CULTURE", "SCIENCE", "LIFE_ARTS"]
RATINGS = [0.0, 1 / 3, 0.5, 2 / 3, 0.8333333333333334, 1.0]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": FEATURES + TARGETS,
    "public/test.csv": FEATURES,
    "public/sample_submission.csv": ["qa_id", *TARGETS],
    "private/test.csv": ["qa_id", *TARGETS],
}


def _features(rng: np.random.Generator, qa_id: int) -> dict[str, object]:
    host = str(rng.choice(["superuser.com", "english.stackexchange.com", "math.stackexchange.com"]))
    user = int(rng.integers(1, 90000))
    return {
        "qa_id": qa_id,
        "question_title": f"How do I fix error {int(rng.integers(100, 999))}?",
        "question_body": 'I tried this:\n\n    x = 1\n\nbut it says "no", why?',
        "question_user_name": f"user{user}",
        "question_user_page": f"https://{host}/users/{user}",
        "answer": "Use the other option, then restart.",
        "answer_user_name": f"user{user + 7}",
        "answer_user_page": f"https://{host}/users/{user + 7}",
        "url": f"http://{host}/questions/{qa_id * 13}",
        "category": str(rng.choice(CATEGORIES)),
        "host": host,
    }


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = np.sort(rng.choice(np.arange(1, 10000), size=N_TRAIN + N_KAGGLE_TEST, replace=False))
    rows = []
    for i, qa_id in enumerate(ids[:N_TRAIN]):
        ratings = {t: float(rng.choice(RATINGS)) for t in TARGETS}
        ratings[RARE] = 1 / 3 if i in RARE_ROWS else 0.0
        rows.append({**_features(rng, int(qa_id)), **ratings})
    pd.DataFrame(rows).to_csv(raw / "train.csv", index=False)
    test = pd.DataFrame([_features(rng, int(i)) for i in ids[N_TRAIN:]])
    test.to_csv(raw / "test.csv", index=False)
    test[["qa_id"]].assign(**{t: 0.00308 for t in TARGETS}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 12
    assert len(train) + len(answers) == len(original)
    assert test["qa_id"].tolist() == answers["qa_id"].tolist() == sample["qa_id"].tolist()
    assert set(train["qa_id"]).isdisjoint(answers["qa_id"])
    # the swap: the first test row is the first rare row, and its place in train holds the
    # test row it replaced
    donor = original.iloc[RARE_ROWS[0]]
    assert answers.loc[0, "qa_id"] == donor["qa_id"] and answers.loc[0, RARE] != 0
    assert (answers[RARE] != 0).sum() == 1 and (train[RARE] != 0).sum() == 1
    rows = original.set_index("qa_id")
    for _, row in answers.iterrows():
        assert rows.loc[row["qa_id"], TARGETS].tolist() == row[TARGETS].tolist()
    assert np.allclose(sample[TARGETS[0]], np.linspace(0, 1, len(sample)))
    assert (sample[TARGETS].nunique(axis=1) == 1).all()
