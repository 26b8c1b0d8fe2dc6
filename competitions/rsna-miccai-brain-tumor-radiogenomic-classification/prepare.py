"""RSNA-MICCAI Brain Tumor Radiogenomic Classification: MLE-bench's re-split of the training cases.

Kaggle's test labels were never released, so ``train_labels.csv`` (``BraTS21ID`` read as text,
keeping its five-digit zero padding, and ``MGMT_value``) is split with
``train_test_split(test_size=0.1, random_state=0)``, both parts in the order it returns. Each
case's folder of MRI series (``FLAIR``, ``T1w``, ``T1wCE``, ``T2w`` sub-folders of DICOM slices)
is hard-linked into ``train/`` or ``test/``, never read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TARGET = "BraTS21ID", "MGMT_value"
#: the real data's case count, asserted only at real scale
REAL_CASES, REAL_SCALE = 585, 300


def link_case(source: Path, target: Path) -> int:
    """Hard-link every file of a case folder (its series sub-folders kept); returns how many."""
    count = 0
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        link_file(path, target / path.relative_to(source))
        count += 1
    return count


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train_labels.csv", dtype={ID: str, TARGET: int})
    assert list(labels.columns) == [ID, TARGET], list(labels.columns)
    train, test = train_test_split(labels, test_size=0.1, random_state=0)

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    for part, frame in (("train", train), ("test", test)):
        (public / part).mkdir()
        for case in frame[ID]:
            link_case(raw / "train" / case, public / part / case)
    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(**{TARGET: 0.5}).to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(labels) and labels[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share a case"
    assert len(list((public / "train").iterdir())) == len(train)
    assert len(list((public / "test").iterdir())) == len(test)
    if len(labels) > REAL_SCALE:
        assert len(labels) == REAL_CASES, len(labels)
