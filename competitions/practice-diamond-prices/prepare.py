"""Split ggplot2's ``diamonds`` table into a price-regression practice competition.

The source rows are ordered by price within blocks, so the shuffled split comes first and the
ids are assigned afterwards: neither id nor row order says anything about the price.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import numbered_split

TARGET = "price"


def prepare(raw: Path, public: Path, private: Path) -> None:
    diamonds = pd.read_pickle(raw / "diamonds.pkl.xz", compression="xz")
    diamonds = diamonds.drop(columns=["rownames"])
    features = [c for c in diamonds.columns if c != TARGET]

    train, test = numbered_split(diamonds, test_size=0.2)

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train[["id", *features, TARGET]].to_csv(public / "train.csv", index=False)
    test[["id", *features]].to_csv(public / "test.csv", index=False)
    test[["id", TARGET]].to_csv(private / "test.csv", index=False)
    # The training median for every diamond: valid, and far from any medal.
    median = float(train[TARGET].median())
    sample = pd.DataFrame({"id": test["id"], TARGET: median})
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(diamonds) == 53940
    assert set(train["id"]).isdisjoint(test["id"])
    assert (test[TARGET] > 0).all(), "RMSLE needs positive prices"
    assert len(sample) == len(test)
