"""A tiny ALASKA2 download: 100 covers, their three stego twins, Kaggle's own test images.

Kaggle ships ``Cover/``, ``JMiPOD/``, ``JUNIWARD/`` and ``UERD/`` (75,000 JPEGs each, the same
five-digit names in every folder), ``Test/`` (``0001.jpg`` …) and ``sample_submission.csv``
(``Id``, ``Label``). Here each 8x8 JPEG carries its own raw path in its comment, so the checks
can follow an image through the renaming.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image

from .prepare import ALGORITHMS, SEED_SPLIT, SEED_TEST, test_size

N_COVERS, N_KAGGLE_TEST = 100, 6

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/Cover/00001.jpg": None,
    "public/JMiPOD/00090.jpg": None,
    "public/JUNIWARD/00001.jpg": None,
    "public/UERD/00090.jpg": None,
    "public/Test/0001.jpg": None,
    "public/sample_submission.csv": ["Id", "Label"],
    "private/test.csv": ["Id", "Label"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    for folder in ["Cover", *ALGORITHMS]:
        (raw / folder).mkdir()
        for number in range(1, N_COVERS + 1):
            name = f"{number:05d}.jpg"
            image = random_image(rng, "JPEG", comment=f"{folder}/{name}")
            (raw / folder / name).write_bytes(image)
    (raw / "Test").mkdir()
    ids = [f"{number:04d}.jpg" for number in range(1, N_KAGGLE_TEST + 1)]
    for name in ids:
        (raw / "Test" / name).write_bytes(random_image(rng, "JPEG", comment=f"Test/{name}"))
    pd.DataFrame({"Id": ids, "Label": 0.5}).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    n_test = test_size(N_COVERS)
    assert n_test == 10 and len(answers) == n_test
    assert answers["Id"].tolist() == [f"{k:04d}.jpg" for k in range(1, n_test + 1)]
    assert sample["Id"].tolist() == answers["Id"].tolist() and (sample["Label"] == 0).all()
    assert set(answers["Label"]) == {0, 1}

    # the training covers are renumbered 00001… and the four folders stay aligned
    train_sources = set()
    for index in range(1, N_COVERS - n_test + 1):
        new = f"{index:05d}.jpg"
        origin = image_comment(public / "Cover" / new)
        folder, name = origin.split("/")
        assert folder == "Cover"
        train_sources.add(name)
        for algorithm in ALGORITHMS:
            assert image_comment(public / algorithm / new) == f"{algorithm}/{name}"
    assert len(train_sources) == N_COVERS - n_test

    # test images: unseen covers; label 0 = the cover itself, 1 = one of its stego twins
    test_sources = set()
    for test_id, label in zip(answers["Id"], answers["Label"], strict=True):
        folder, name = image_comment(public / "Test" / test_id).split("/")
        assert (folder == "Cover") == (label == 0), (test_id, folder, label)
        assert folder in ["Cover", *ALGORITHMS]
        test_sources.add(name)
    assert len(test_sources) == n_test and test_sources.isdisjoint(train_sources)
    assert len(list((public / "Test").iterdir())) == n_test
    assert not any(image_comment(p).startswith("Test/") for p in (public / "Test").iterdir())

    # an independent replay of MLE-bench's draws (seed 42 split, then Python's random)
    from sklearn.model_selection import train_test_split

    covers = [f"{n:05d}.jpg" for n in range(1, N_COVERS + 1)]
    train, test = train_test_split(covers, test_size=n_test, random_state=SEED_SPLIT)
    assert image_comment(public / "Cover" / "00001.jpg") == f"Cover/{train[0]}"
    draws = random.Random(SEED_TEST)
    draws.shuffle(test)
    first_is_cover = draws.choice([True, False])
    assert image_comment(public / "Test" / "0001.jpg").startswith("Cover/") == first_is_cover
    assert image_comment(public / "Test" / "0001.jpg").endswith(test[0])
