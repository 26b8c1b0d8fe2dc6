"""Features for the reference population: TF-IDF of words, mentions, hashtags and punctuation.

Punctuation and case are kept as tokens on purpose: how a tweet is typed (quotes, exclamation
marks, links) says as much about the phone as what it says. The vocabulary is fitted on the
training texts only. These plain features (the 3,000 most frequent word uni- and bigrams) feed
the classic tier.

Tuned tier: the full word uni- and bigram vocabulary plus character 2- to 5-grams within word
boundaries (spelling, emoji, ``&amp;``, link fragments) for the linear text models — naive-Bayes
weighted logistic regression and plain logistic regression — and, for gradient boosting, the
plain word features plus counts that describe how the tweet is typed (length, links, quotes,
capitals, exclamation marks, hashtags, mentions, line breaks, non-ASCII characters …).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from mle_track.leaderboards import FeatureSet, ReferenceProblem

TOKENS = r"[@#]?\w+|[^\w\s]"
#: what the typing of a tweet looks like: one count per pattern
STYLE = (
    r"https?://",
    r"^\"",
    r"\"",
    r"!",
    r"[A-Z]",
    r"#\w",
    r"@\w",
    r"&amp;",
    r"\n",
    r"[^\x00-\x7f]",
    r"\.\.\.",
    r":",
)


def _style(texts: pd.Series) -> np.ndarray:
    counts = [texts.str.count(pattern).to_numpy(dtype=float) for pattern in STYLE]
    words = texts.str.count(r"\w+").to_numpy(dtype=float)
    length = texts.str.len().to_numpy(dtype=float)
    return np.column_stack([length, words, *counts, counts[4] / (length + 1.0)])


def _ngrams(train: pd.Series, test: pd.Series) -> FeatureSet:
    words = TfidfVectorizer(
        token_pattern=TOKENS, lowercase=False, ngram_range=(1, 2), min_df=2, sublinear_tf=True
    )
    chars = TfidfVectorizer(
        analyzer="char_wb", lowercase=False, ngram_range=(2, 5), min_df=3, sublinear_tf=True
    )
    fitted = [v.fit_transform(train) for v in (words, chars)]
    applied = [v.transform(test) for v in (words, chars)]
    return FeatureSet(sp.csr_matrix(sp.hstack(fitted)), sp.csr_matrix(sp.hstack(applied)))


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
    x_train = vectorizer.fit_transform(train["text"]).tocsr()
    x_test = vectorizer.transform(test["text"]).tocsr()
    ngrams = _ngrams(train["text"], test["text"])
    styled = FeatureSet(
        sp.csr_matrix(sp.hstack([x_train, _style(train["text"])])),
        sp.csr_matrix(sp.hstack([x_test, _style(test["text"])])),
    )
    return ReferenceProblem(
        task="binary",
        x_train=x_train,
        y_train=train["is_android"].to_numpy(dtype=int),
        x_test=x_test,
        test_ids=test["id"].to_numpy(),
        output="probability",
        tuned={"nbsvm": ngrams, "glm": ngrams, "gbdt": styled},
    )
