"""SETI Breakthrough Listen: MLE-bench's 90/10 re-split of Kaggle's labelled cadence snippets.

Kaggle's relaunched data set ships ``train_labels.csv`` (``id``, ``target``) and one ``float16``
array per snippet at ``train/<first character of id>/<id>.npy``. Its test labels were never
released, so the labelled rows are split in their released order with ``test_size=0.1`` and
seed 0. Arrays of the new test rows move to ``test/<c>/<id>.npy`` under the same one-character
sub-folders. ``old_leaky_data/`` (Kaggle's withdrawn first release) is passed on unchanged, as
MLE-bench does. Arrays are hard-linked, never opened.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "id", "target"
TEST_SIZE = 0.1
OLD_DATA = "old_leaky_data"


def array_path(root: Path, snippet: str) -> Path:
    return root / snippet[0] / f"{snippet}.npy"


def link_tree(source: Path, target: Path) -> int:
    """Every file below ``source`` at the same place below ``target``; returns how many."""
    count = 0
    for folder, _subfolders, files in os.walk(source):
        for name in files:
            path = Path(folder) / name
            link_file(path, target / path.relative_to(source))
            count += 1
    return count


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train_labels.csv", dtype={ID: str})
    assert list(labels.columns) == [ID, TARGET], list(labels.columns)
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train_labels.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    # A constant score: valid, and an AUROC of 0.5.
    test.assign(**{TARGET: 0.5}).to_csv(public / "sample_submission.csv", index=False)

    for part, frame in (("train", train), ("test", test)):
        for snippet in frame[ID]:
            link_file(array_path(raw / "train", snippet), array_path(public / part, snippet))
    assert (raw / OLD_DATA).is_dir(), f"raw/{OLD_DATA}/ is missing"
    n_old = link_tree(raw / OLD_DATA, public / OLD_DATA)

    assert len(train) + len(test) == len(labels) and len(train) > len(test)
    assert labels[ID].is_unique, "train_labels.csv repeats ids"
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    for part, frame in (("train", train), ("test", test)):
        names = {p.stem for p in (public / part).rglob("*.npy")}
        assert names == set(frame[ID]), f"{part}/ does not match its split"
    assert n_old == sum(1 for p in (public / OLD_DATA).rglob("*") if p.is_file())
