"""A tiny raw dataset in the shape of Kaggle's leaf-classification download.

Kaggle ships ``train.csv.zip`` (``id``, ``species``, then ``margin1-64``, ``shape1-64``,
``texture1-64``), ``test.csv.zip`` (the same without ``species``), ``sample_submission.csv.zip``
(``id`` + 99 species columns) and ``images.zip`` (``images/<id>.jpg`` for train and test ids,
numbered 1..1584). Here 99 made-up species (``Genus_Epithet``, some ``Genus_x_Hybrid`` so the
upper/lower-case sort order is exercised) label 220 leaves, with 30 unlabelled test leaves.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_bytes, zip_csv, zip_members

N_SPECIES, N_TRAIN, N_KAGGLE_TEST = 99, 220, 30
TEST_SIZE = 0.1
FEATURES = [f"{kind}{i}" for kind in ("margin", "shape", "texture") for i in range(1, 65)]
_GENERA = ["Acer", "Alnus", "Betula", "Cornus", "Ilex", "Populus", "Prunus", "Quercus", "Tilia"]
_EPITHETS = ["Alba", "Nigra", "Rubra", "Pendula", "Cordata", "Viridis", "Sativa", "Mono", "Ilex",
             "Suber", "Texana", "Pontica"]  # fmt: skip


def species_names() -> list[str]:
    """99 made-up names, the same on every call (EXPECTED_FILES needs them before make_raw)."""
    rng = np.random.default_rng(99)
    names: set[str] = set()
    while len(names) < N_SPECIES:
        hybrid = "x_" if rng.random() < 0.15 else ""
        names.add(f"{rng.choice(_GENERA)}_{hybrid}{rng.choice(_EPITHETS)}")
    return sorted(names, key=lambda _: rng.random())  # any order: prepare must sort them


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": ["id", "species", *FEATURES],
    "public/test.csv": ["id", *FEATURES],
    "public/sample_submission.csv": ["id", *sorted(species_names())],
    "public/images": None,
    "private/test.csv": ["id", *sorted(species_names())],
}


def leaf_mask(rng: np.random.Generator, size: int = 8) -> bytes:
    """A black-and-white JPEG, like Kaggle's leaf silhouettes."""
    return image_bytes(np.where(rng.random((size, size)) < 0.5, 255, 0), "JPEG")


def features(rng: np.random.Generator, n: int) -> pd.DataFrame:
    values = rng.random((n, len(FEATURES))) * np.repeat([0.1, 0.001, 0.05], 64)
    return pd.DataFrame(values, columns=FEATURES)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    species = species_names()
    ids = rng.permutation(np.arange(1, N_TRAIN + N_KAGGLE_TEST + 1))
    train_ids, test_ids = np.sort(ids[:N_TRAIN]), np.sort(ids[N_TRAIN:])
    labels = np.concatenate([species, rng.choice(species, size=N_TRAIN - N_SPECIES)])
    rng.shuffle(labels)
    train = pd.concat(
        [pd.DataFrame({"id": train_ids, "species": labels}), features(rng, N_TRAIN)], axis=1
    )
    zip_csv(train, raw / "train.csv.zip")
    test = pd.concat([pd.DataFrame({"id": test_ids}), features(rng, N_KAGGLE_TEST)], axis=1)
    zip_csv(test, raw / "test.csv.zip")
    sample = pd.DataFrame({"id": test_ids, **{s: 1 / N_SPECIES for s in sorted(species)}})
    zip_csv(sample, raw / "sample_submission.csv.zip")
    images: dict[str, bytes | str] = {"images/": b""}
    for leaf_id in sorted(ids):
        images[f"images/{leaf_id}.jpg"] = leaf_mask(rng)
    zip_members(raw / "images.zip", images)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv.zip", float_precision="round_trip")
    train = pd.read_csv(public / "train.csv", float_precision="round_trip")
    test = pd.read_csv(public / "test.csv", float_precision="round_trip")
    answers = pd.read_csv(private / "test.csv")
    assert len(answers) == math.ceil(TEST_SIZE * len(original)) == 22
    assert len(train) + len(answers) == len(original)
    assert test["id"].tolist() == answers["id"].tolist()
    assert set(train["id"]).isdisjoint(answers["id"])
    assert set(train["id"]) | set(answers["id"]) == set(original["id"])
    by_id = original.set_index("id")
    assert (test.set_index("id")[FEATURES] == by_id.loc[test["id"], FEATURES]).all().all()
    species = list(answers.columns[1:])
    assert species == sorted(original["species"].unique())
    picked = [species[i] for i in np.argmax(answers[species].to_numpy(), axis=1)]
    assert picked == by_id.loc[answers["id"], "species"].tolist()
    images = {int(p.stem) for p in (public / "images").iterdir()}
    assert images == set(original["id"]), "images/ holds exactly the train and test leaves"
