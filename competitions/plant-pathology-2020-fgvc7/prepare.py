"""Plant Pathology 2020 (FGVC7): MLE-bench's 90/10 re-split of Kaggle's labelled apple leaves.

Kaggle never released its test labels, so the labelled ``train.csv`` is split in its released
row order (which the seeded shuffle depends on) with ``test_size=0.1``. Every image is then
renamed, in split order, to ``Train_<i>`` or ``Test_<i>`` (in the CSVs and in ``images/``), so an
original Kaggle id — and whatever is known about it — cannot be looked up.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import split

ID = "image_id"
CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]
TEST_SIZE = 0.1


def prepare(raw: Path, public: Path, private: Path) -> None:
    leaves = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert list(leaves.columns) == [ID, *CLASSES], f"unexpected columns {list(leaves.columns)}"
    assert leaves[ID].is_unique and leaves[ID].str.startswith("Train_").all()
    train, answers = split(leaves, test_size=TEST_SIZE)
    new_id = {
        **{old: f"Train_{i}" for i, old in enumerate(train[ID])},
        **{old: f"Test_{i}" for i, old in enumerate(answers[ID])},
    }
    train = train.assign(**{ID: train[ID].map(new_id)})
    answers = answers.assign(**{ID: answers[ID].map(new_id)})
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    (public / "images").mkdir()
    for old, new in new_id.items():
        (public / "images" / f"{new}.jpg").write_bytes((raw / "images" / f"{old}.jpg").read_bytes())
    train.to_csv(public / "train.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    answers[[ID]].to_csv(public / "test.csv", index=False)
    # The same score for every class and image: valid, and chance-level AUROC (0.5).
    answers[[ID]].assign(**dict.fromkeys(CLASSES, 0.25)).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert len(train) + len(answers) == len(leaves) and len(train) > len(answers)
    assert len(new_id) == len(leaves), "renaming must be one-to-one"
    assert set(train[ID]).isdisjoint(answers[ID])
    assert len(list((public / "images").glob("*.jpg"))) == len(leaves)
