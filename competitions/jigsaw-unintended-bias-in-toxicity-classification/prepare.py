"""Jigsaw Unintended Bias: Kaggle's labelled private test set as the test set, no re-split.

After the competition Kaggle released ``test_private_expanded.csv``: the private test comments
with every label and identity annotation. MLE-bench uses it as the answers and the training set
as it is. ``train.csv`` (about 780 MB) is hard-linked, the answers are copied byte for byte, and
the agent's ``test.csv`` keeps only ``id`` and ``comment_text`` of the same rows in the same order.
Kaggle's ``test.csv``, ``test_public_expanded.csv``, the individual-annotation files and its sample
submission are not used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TEXT, PREDICTION = "id", "comment_text", "prediction"
ANSWERS = "test_private_expanded.csv"
#: the columns of Kaggle's expanded test file (MLE-bench asserts the count)
ANSWER_COLUMNS = 45


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    test = pd.read_csv(raw / ANSWERS, float_precision="round_trip")
    assert test.shape[1] == ANSWER_COLUMNS, f"{ANSWERS} has {test.shape[1]} columns"
    assert {ID, TEXT, "toxicity"} <= set(test.columns)

    shutil.copyfile(raw / ANSWERS, private / "test.csv")
    link_file(raw / "train.csv", public / "train.csv")
    test[[ID, TEXT]].to_csv(public / "test.csv", index=False)
    test[[ID]].assign(**{PREDICTION: 0.0}).to_csv(public / "sample_submission.csv", index=False)

    assert test[ID].is_unique, "repeated comment ids in the answers"
