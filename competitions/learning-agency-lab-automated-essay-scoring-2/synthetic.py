"""A tiny raw dataset in the shape of Kaggle's learning-agency-lab-automated-essay-scoring-2
download.

Kaggle ships ``train.csv`` (``essay_id``: 7 hex digits, ``full_text``: the essay, with line
breaks between paragraphs, ``score``: the holistic score 1-6), ``test.csv`` (``essay_id``,
``full_text``) and ``sample_submission.csv``. Here there are 150 short essays.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 150, 3
TEST_SIZE = 0.1
SENTENCES = [
    "Many people think that cars are useful.",
    "In my opinion, students should have a say, because it is their school.",
    'The author says "Venus is worth exploring" and gives reasons.',
    "However, driverless cars are not safe yet.",
    "To conclude, I believe the benefits outweigh the costs.",
]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["essay_id", "full_text", "score"],
    "public/test.csv": ["essay_id", "full_text"],
    "public/sample_submission.csv": ["essay_id", "score"],
    "private/answers.csv": ["essay_id", "full_text", "score"],
}


def _essays(rng: np.random.Generator, n: int) -> pd.DataFrame:
    texts = []
    for _ in range(n):
        paragraphs = [
            " ".join(rng.choice(SENTENCES, int(rng.integers(1, 4))))
            for _ in range(int(rng.integers(1, 4)))
        ]
        texts.append("\n\n".join(paragraphs))
    return pd.DataFrame(
        {
            "essay_id": [rng.bytes(4).hex()[:7] for _ in range(n)],
            "full_text": texts,
            "score": rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.07, 0.27, 0.36, 0.23, 0.06, 0.01]),
        }
    )


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    _essays(rng, N_TRAIN).to_csv(raw / "train.csv", index=False)
    test = _essays(rng, N_KAGGLE_TEST).drop(columns=["score"])
    test.to_csv(raw / "test.csv", index=False)
    test[["essay_id"]].assign(score=3).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv", dtype={"essay_id": str})
    train = pd.read_csv(public / "train.csv", dtype={"essay_id": str})
    test = pd.read_csv(public / "test.csv", dtype={"essay_id": str})
    answers = pd.read_csv(private / "answers.csv", dtype={"essay_id": str})
    sample = pd.read_csv(public / "sample_submission.csv", dtype={"essay_id": str})
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 15
    assert len(train) + len(answers) == len(original)
    assert test["essay_id"].tolist() == answers["essay_id"].tolist() == sample["essay_id"].tolist()
    assert set(train["essay_id"]).isdisjoint(answers["essay_id"])
    merged = answers.merge(original, on="essay_id", suffixes=("", "_raw"))
    assert (merged["score"] == merged["score_raw"]).all()
    assert (merged["full_text"] == merged["full_text_raw"]).all()
    expected = np.random.RandomState(42).randint(1, 7, size=len(answers))
    assert sample["score"].tolist() == expected.tolist()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The custom grader's rule: a prediction is one of the scores 1-6."""
    one_bad = sample.astype({"score": object})
    one_bad.loc[0, "score"] = "good"
    return [
        ("score seven", sample.assign(score=7), "not one of the scores 1-6"),
        ("score zero", sample.assign(score=0), "not one of the scores 1-6"),
        ("fractional score", sample.assign(score=3.5), "not one of the scores 1-6"),
        ("text score", one_bad, "not one of the scores 1-6, e.g. 'good'"),
        ("missing value", sample.assign(score=np.nan), "empty value"),
    ]
