"""Build a text-classification practice competition from the dslabs Trump tweets.

Only tweets sent from the Android and the iPhone apps are kept (the question is which phone a
tweet came from); retweets are dropped because their text is somebody else's. Exact duplicate
texts keep their first occurrence only, so that no text sits on both sides of the split. The
agent sees the text alone: timestamps, counts and the original tweet ids would give the answer
away or let it be looked up.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import numbered_split

SOURCES = {"Twitter for Android": 1, "Twitter for iPhone": 0}
TARGET = "is_android"


def prepare(raw: Path, public: Path, private: Path) -> None:
    tweets = pd.read_pickle(raw / "trump_tweets.pkl.xz", compression="xz")
    tweets = tweets[tweets["source"].isin(list(SOURCES))]
    retweet = tweets["is_retweet"].astype(bool) | tweets["text"].str.startswith("RT @")
    tweets = tweets[~retweet]
    tweets = tweets.drop_duplicates(subset="text", keep="first")
    tweets = pd.DataFrame(
        {"text": tweets["text"].to_numpy(), TARGET: tweets["source"].map(SOURCES).to_numpy()}
    )

    train, test = numbered_split(tweets, test_size=0.2, stratify=tweets[TARGET])

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train[["id", "text", TARGET]].to_csv(public / "train.csv", index=False)
    test[["id", "text"]].to_csv(public / "test.csv", index=False)
    test[["id", TARGET]].to_csv(private / "test.csv", index=False)
    # One constant score for every tweet: valid, chance-level AUROC.
    pd.DataFrame({"id": test["id"], TARGET: 0.5}).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert set(train["id"]).isdisjoint(test["id"])
    assert set(train["text"]).isdisjoint(test["text"])
    assert len(train) + len(test) == len(tweets) > 8000
    assert 0 < test[TARGET].mean() < 1
