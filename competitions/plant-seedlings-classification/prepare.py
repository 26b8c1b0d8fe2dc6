"""Plant Seedlings Classification: MLE-bench's 86/14 re-split of Kaggle's labelled seedling photos.

Kaggle ships ``train/<species>/<file>.png`` (twelve species folders, names with spaces such as
``Common Chickweed``), ``test/`` and ``sample_submission.csv``; the test labels were never
released. As MLE-bench does, the table of labelled photos lists the species folders of
``train/`` sorted by name (folders only) and, inside each, its file names ending in ``.png``
sorted as text; its rows are split with ``train_test_split(test_size=0.14, random_state=0)``,
each side in the order the split returns. Train photos keep their species folders in ``train/``;
test photos go flat into ``test/``. Photos are hard-linked, never decoded.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "file", "species"
TEST_SIZE = 0.14
SAMPLE_SPECIES = "Sugar beet"
#: the twelve species, as Kaggle's folders are named
SPECIES = (
    "Black-grass",
    "Charlock",
    "Cleavers",
    "Common Chickweed",
    "Common wheat",
    "Fat Hen",
    "Loose Silky-bent",
    "Maize",
    "Scentless Mayweed",
    "Shepherds Purse",
    "Small-flowered Cranesbill",
    "Sugar beet",
)


def photo_table(folder: Path) -> pd.DataFrame:
    """``file`` and ``species`` of every ``<species>/<file>.png`` below ``folder``, in MLE-bench's
    order: species folders sorted by name, then file names sorted, both as text."""
    rows = []
    for species in sorted(os.listdir(folder)):
        if (folder / species).is_dir():
            for name in sorted(os.listdir(folder / species)):
                if name.endswith(".png"):
                    rows.append((name, species))
    return pd.DataFrame(rows, columns=[ID, TARGET])


def prepare(raw: Path, public: Path, private: Path) -> None:
    photos = photo_table(raw / "train")
    train, test = split(photos, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    test.to_csv(private / "answers.csv", index=False)
    test.assign(**{TARGET: SAMPLE_SPECIES}).to_csv(public / "sample_submission.csv", index=False)
    for name, species in zip(train[ID], train[TARGET], strict=True):
        link_file(raw / "train" / species / name, public / "train" / species / name)
    for name, species in zip(test[ID], test[TARGET], strict=True):
        link_file(raw / "train" / species / name, public / "test" / name)

    assert photos[ID].is_unique, "two species folders hold photos of the same name"
    assert set(photos[TARGET]) <= set(SPECIES), sorted(set(photos[TARGET]) - set(SPECIES))
    assert len(train) + len(test) == len(photos) and len(train) > len(test)
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share photos"
    assert len(list(public.glob("train/*/*.png"))) == len(train)
    assert len(list(public.glob("test/*.png"))) == len(test)
