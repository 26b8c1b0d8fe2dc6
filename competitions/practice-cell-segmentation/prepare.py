"""Split the modeldata ``cells`` table into an 80/20 practice competition.

The original study's own split (the ``case`` column) is dropped: it would tell an agent which rows
the authors held out, and our split is a fresh stratified one. Ids are renumbered after the
shuffle so that neither the id nor the row order carries the class.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import numbered_split

TARGET = "PS"
POSITIVE = "PS"


def prepare(raw: Path, public: Path, private: Path) -> None:
    cells = pd.read_pickle(raw / "cells.pkl.xz", compression="xz")
    cells = cells.drop(columns=["rownames", "case"])
    assert set(cells["class"]) == {"PS", "WS"}, "unexpected class labels"
    features = [c for c in cells.columns if c != "class"]

    train, test = numbered_split(cells, test_size=0.2, stratify=cells["class"])

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train[["id", *features, "class"]].to_csv(public / "train.csv", index=False)
    test[["id", *features]].to_csv(public / "test.csv", index=False)
    answers = pd.DataFrame({"id": test["id"], TARGET: (test["class"] == POSITIVE).astype(int)})
    answers.to_csv(private / "test.csv", index=False)
    # A constant score ranks every cell the same: valid, and exactly chance-level AUROC.
    sample = pd.DataFrame({"id": test["id"], TARGET: 0.5})
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(cells) == 2019
    assert set(train["id"]).isdisjoint(test["id"])
    assert list(answers.columns) == ["id", TARGET]
    assert answers[TARGET].isin([0, 1]).all() and 0 < answers[TARGET].mean() < 1
    assert len(sample) == len(answers) and sample["id"].equals(answers["id"])
