"""A tiny raw dataset in the shape of Kaggle's tweet-sentiment-extraction download.

Kaggle ships ``train.csv`` (``textID``: 10 hex digits, ``text``: the tweet, often with a leading
space, ``selected_text``: the span of the tweet that carries its sentiment, ``sentiment``:
``negative``, ``neutral`` or ``positive``), ``test.csv`` (without ``selected_text``) and
``sample_submission.csv``. Kaggle's train holds one row whose text and span are empty; it falls
in the train part, so it does here too (row 5). Here there are 150 tweets.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

N_TRAIN, N_KAGGLE_TEST = 150, 5
TEST_SIZE = 0.1
EMPTY_ROW = 5
WORDS = {
    "positive": ["love", "great", "happy", "awesome", "fun", "thanks!", "good"],
    "negative": ["sad", "hate", "bad", "tired", "sick", "ugh,", "miss"],
    "neutral": ["going", "today", "work", "the", "to", "home", "now", "lol"],
}

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["textID", "text", "selected_text", "sentiment"],
    "public/test.csv": ["textID", "text", "sentiment"],
    "public/sample_submission.csv": ["textID", "selected_text"],
    "private/test.csv": ["textID", "text", "selected_text", "sentiment"],
}


def _tweet(rng: np.random.Generator) -> dict[str, str]:
    sentiment = str(rng.choice(["negative", "neutral", "positive"]))
    words = [str(rng.choice(WORDS["neutral"])) for _ in range(int(rng.integers(3, 12)))]
    if sentiment != "neutral":
        at = int(rng.integers(0, len(words)))
        words[at : at + 1] = [str(rng.choice(WORDS[sentiment])) for _ in range(rng.integers(1, 3))]
    text = (" " if rng.random() < 0.4 else "") + " ".join(words)
    if sentiment == "neutral":
        span = text.strip()
    else:
        kept = [w for w in words if w in WORDS[sentiment]]
        span = " ".join(kept)
    return {
        "textID": rng.bytes(5).hex(),
        "text": text,
        "selected_text": span,
        "sentiment": sentiment,
    }


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rows = [_tweet(rng) for _ in range(N_TRAIN)]
    rows[EMPTY_ROW].update(text="", selected_text="", sentiment="neutral")
    pd.DataFrame(rows).to_csv(raw / "train.csv", index=False)
    test = pd.DataFrame([_tweet(rng) for _ in range(N_KAGGLE_TEST)])
    test[["textID", "text", "sentiment"]].to_csv(raw / "test.csv", index=False)
    test[["textID"]].assign(selected_text="").to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv", keep_default_na=False)
    train = pd.read_csv(public / "train.csv", keep_default_na=False)
    test = pd.read_csv(public / "test.csv", keep_default_na=False)
    answers = pd.read_csv(private / "test.csv", keep_default_na=False)
    sample = pd.read_csv(public / "sample_submission.csv", keep_default_na=False)
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 15
    assert len(train) + len(answers) == len(original)
    assert test["textID"].tolist() == answers["textID"].tolist() == sample["textID"].tolist()
    assert set(train["textID"]).isdisjoint(answers["textID"])
    assert original.loc[EMPTY_ROW, "textID"] in set(train["textID"])
    assert (answers["selected_text"] != "").all() and (sample["selected_text"] == "").all()
    merged = answers.merge(original, on="textID", suffixes=("", "_raw"))
    assert (merged["selected_text"] == merged["selected_text_raw"]).all()
    assert (merged["text"] == merged["text_raw"]).all()
