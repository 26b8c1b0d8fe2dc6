"""Features for the reference population: TF-IDF of words, mentions, hashtags and punctuation.

Punctuation and case are kept as tokens on purpose: how a tweet is typed (quotes, exclamation
marks, links) says as much about the phone as what it says. The vocabulary is fitted on the
training texts only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from mle_track.leaderboards import ReferenceProblem

TOKENS = r"[@#]?\w+|[^\w\s]"


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    vectorizer = TfidfVectorizer(
        token_pattern=TOKENS,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=3,
        max_features=3000,
        sublinear_tf=True,
        dtype=np.float64,
    )
    return ReferenceProblem(
        task="binary",
        x_train=vectorizer.fit_transform(train["text"]).tocsr(),
        y_train=train["is_android"].to_numpy(dtype=int),
        x_test=vectorizer.transform(test["text"]).tocsr(),
        test_ids=test["id"].to_numpy(),
        output="probability",
    )
