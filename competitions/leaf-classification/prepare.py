"""Leaf Classification: MLE-bench's 90/10 re-split of Kaggle's 990 labelled leaves.

Kaggle never released its test labels, so the labelled ``train.csv`` (inside ``train.csv.zip``)
is split in its released row order (which the seeded shuffle depends on) with ``test_size=0.1``.
The answers are one-hot over the 99 species; the species list is not hard-coded but is the
sorted unique ``species`` strings of train.csv, the alphabetical order MLE-bench's own list
uses, and grading reads it back from the sample submission's header. The silhouettes of
both parts go to ``images/``, as Kaggle's did.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import one_hot, split

ID, TARGET = "id", "species"
N_SPECIES = 99
TEST_SIZE = 0.1


def read_train(raw: Path) -> pd.DataFrame:
    """Kaggle's train.csv, unpacked or straight from train.csv.zip (exact float round trip)."""
    source = raw / "train.csv" if (raw / "train.csv").is_file() else raw / "train.csv.zip"
    return pd.read_csv(source, float_precision="round_trip")


def copy_images(raw: Path, ids: list[int], target: Path) -> None:
    """``<id>.jpg`` from ``raw/images/`` when unpacked, else from ``images.zip`` (``images/…``)."""
    target.mkdir(parents=True, exist_ok=True)
    if (raw / "images").is_dir():
        for i in ids:
            (target / f"{i}.jpg").write_bytes((raw / "images" / f"{i}.jpg").read_bytes())
        return
    with zipfile.ZipFile(raw / "images.zip") as archive:
        for i in ids:
            (target / f"{i}.jpg").write_bytes(archive.read(f"images/{i}.jpg"))


def prepare(raw: Path, public: Path, private: Path) -> None:
    leaves = read_train(raw)
    species = sorted(leaves[TARGET].unique())
    assert len(species) == N_SPECIES, f"expected {N_SPECIES} species, train.csv has {len(species)}"
    train, test = split(leaves, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    train.to_csv(public / "train.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    answers = one_hot(test, ID, TARGET, species)
    answers.to_csv(private / "test.csv", index=False)
    # Equal probabilities: valid, and a log loss of ln(99) ≈ 4.59512.
    sample = answers.astype({s: "float64" for s in species})
    sample[species] = 1 / N_SPECIES
    sample.to_csv(public / "sample_submission.csv", index=False)
    copy_images(raw, [*train[ID], *test[ID]], public / "images")

    assert len(train) + len(test) == len(leaves) and len(train) > len(test)
    assert leaves[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share ids"
    assert answers.shape == sample.shape == (len(test), 1 + N_SPECIES)
    assert (answers[species].sum(axis=1) == 1).all()
    assert len(list((public / "images").glob("*.jpg"))) == len(leaves)
