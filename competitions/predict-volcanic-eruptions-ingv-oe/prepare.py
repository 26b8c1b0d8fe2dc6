"""INGV - Volcanic Eruption Prediction: MLE-bench's 90/10 re-split of Kaggle's labelled segments.

Kaggle's test labels were never released, so, as MLE-bench does, the rows of ``train.csv``
(``segment_id``, ``time_to_eruption``) in their released order go through
``train_test_split(test_size=0.1, random_state=0)``; both parts keep the shuffled order the split
returns. The sensor file of each segment, ``train/<segment_id>.csv`` (ten minutes of ten sensors,
about 60,000 rows), is hard-linked into ``public/train/`` or ``public/test/``: nothing reads it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_files, split

ID, TARGET = "segment_id", "time_to_eruption"
TEST_SIZE = 0.1
#: the number of labelled segments Kaggle ships, checked only at real scale
REAL_SEGMENTS = 4431
REAL_SCALE = 1000


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(labels.columns) == [ID, TARGET], list(labels.columns)
    assert labels[ID].is_unique, "a segment is listed twice"
    if len(labels) > REAL_SCALE:
        assert len(labels) == REAL_SEGMENTS, f"{len(labels)} labelled segments"
    train, answers = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    answers.to_csv(private / "test.csv", index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.assign(**{TARGET: 0}).to_csv(public / "sample_submission.csv", index=False)

    for side, frame in (("train", train), ("test", answers)):
        (public / side).mkdir(exist_ok=True)
        link_files((f"{i}.csv" for i in frame[ID]), raw / "train", public / side)

    assert set(train[ID]).isdisjoint(answers[ID]) and len(train) + len(answers) == len(labels)
    assert len(list((public / "train").glob("*.csv"))) == len(train)
    assert len(list((public / "test").glob("*.csv"))) == len(answers)
