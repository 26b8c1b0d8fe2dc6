"""A tiny raw dataset in the shape of Kaggle's chaii-hindi-and-tamil-question-answering download.

Kaggle ships ``train.csv`` (``id``: 9 hex digits, ``context``, ``question``, ``answer_text``,
``answer_start``: the answer's first character in the context, ``language``: ``hindi`` or
``tamil``), ``test.csv`` (without the answers) and ``sample_submission.csv`` (``id``,
``PredictionString``). Here there are 120 Hindi and Tamil passages, some answers numbers, some
contexts with line breaks and quotes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 120, 5
TEST_SIZE = 0.1
WORDS = {
    "hindi": ["भारत", "की", "राजधानी", "नई", "दिल्ली", "है", "गंगा", "नदी", "सबसे", "लंबी", "वर्ष"],
    "tamil": ["இந்தியா", "தமிழ்நாடு", "சென்னை", "நகரம்", "ஆறு", "மிகப்பெரிய", "ஆண்டு", "மொழி"],
}
QUESTION = {"hindi": "क्या है?", "tamil": "என்ன?"}

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "context", "question", "answer_text", "answer_start", "language"],
    "public/test.csv": ["id", "context", "question", "language"],
    "public/sample_submission.csv": ["id", "PredictionString"],
    "private/test.csv": ["id", "PredictionString"],
}


def _passage(rng: np.random.Generator) -> dict[str, object]:
    language = str(rng.choice(["hindi", "tamil"]))
    words = [str(rng.choice(WORDS[language])) for _ in range(int(rng.integers(12, 30)))]
    if rng.random() < 0.3:
        answer = str(int(rng.integers(1800, 2020)))  # a year, as many real answers are
        words.insert(int(rng.integers(0, len(words))), answer)
    else:
        start = int(rng.integers(0, len(words) - 3))
        answer = " ".join(words[start : start + int(rng.integers(1, 4))])
    context = " ".join(words)
    if rng.random() < 0.2:
        context = context.replace(" ", "\n", 2).replace(" ", ' "', 1)
    return {
        "id": rng.bytes(5).hex()[:9],
        "context": context,
        "question": f"{words[0]} {QUESTION[language]}",
        "answer_text": answer,
        "answer_start": context.find(answer.split()[0]),
        "language": language,
    }


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    pd.DataFrame([_passage(rng) for _ in range(N_TRAIN)]).to_csv(raw / "train.csv", index=False)
    test = pd.DataFrame([_passage(rng) for _ in range(N_KAGGLE_TEST)])
    test[["id", "context", "question", "language"]].to_csv(raw / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "PredictionString": ""}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv", dtype=str)
    sample = pd.read_csv(public / "sample_submission.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 12
    assert len(train) + len(answers) == len(original)
    assert test["id"].tolist() == answers["id"].tolist() == sample["id"].tolist()
    assert set(train["id"]).isdisjoint(answers["id"])
    expected = original.set_index("id").loc[answers["id"], "answer_text"].astype(str)
    assert expected.tolist() == answers["PredictionString"].tolist()
    assert (sample["PredictionString"] == "dummy text").all()
    assert test.merge(original, on="id", suffixes=("", "_raw")).eval("context == context_raw").all()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's reading: a PredictionString column that pandas reads as numbers is invalid."""
    return [
        ("all answers numbers", sample.assign(PredictionString=1947), "read as numbers"),
        ("all answers booleans", sample.assign(PredictionString=True), "read as numbers"),
    ]
