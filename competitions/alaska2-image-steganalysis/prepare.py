"""ALASKA2: whole cover images are held out; each test image is its cover or one stego twin.

As in MLE-bench: the cover file names of ``Cover/`` (sorted as text) are split with
``train_test_split(test_size=5000, random_state=42)``. The i-th training cover (1-based, in the
order the split returns) becomes ``{i:05d}.jpg`` in all four public folders, ``Cover/`` and the
three stego folders ``JMiPOD/``, ``JUNIWARD/``, ``UERD/``, which stay aligned by name. The test
covers are shuffled by Python's ``random`` seeded with 0; then, per image in that order, one
coin (``choice([True, False])``) picks the cover (label 0) or, with a second draw
(``choice(ALGORITHMS)``), one stego version (label 1), stored as ``Test/{k:04d}.jpg``. Kaggle's
own ``Test/`` and sample submission are not used. Images are hard-linked, never read.

The 5,000 test covers are MLE-bench's fixed number and apply from :data:`REAL_SCALE` covers on
(Kaggle ships 75,000); a smaller raw set (the synthetic test data) holds out a tenth instead.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ALGORITHMS = ["JMiPOD", "JUNIWARD", "UERD"]
TEST_SIZE = 5000
#: from this many covers on, the test size is MLE-bench's 5,000 (the real data has 75,000)
REAL_SCALE = 50_000
SEED_SPLIT, SEED_TEST = 42, 0


def test_size(n_covers: int) -> int:
    return TEST_SIZE if n_covers >= REAL_SCALE else max(1, n_covers // 10)


def prepare(raw: Path, public: Path, private: Path) -> None:
    covers = sorted(p.name for p in (raw / "Cover").glob("*.jpg"))
    frame = pd.DataFrame({"name": covers})
    n_test = test_size(len(covers))
    train, test = split(frame, test_size=n_test, random_state=SEED_SPLIT)
    train_names, test_names = train["name"].tolist(), test["name"].tolist()

    for folder in ["Cover", "Test", *ALGORITHMS]:
        (public / folder).mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(train_names, start=1):
        new = f"{index:05d}.jpg"
        for folder in ["Cover", *ALGORITHMS]:
            link_file(raw / folder / name, public / folder / new)

    draws = random.Random(SEED_TEST)
    draws.shuffle(test_names)
    rows = []
    for index, name in enumerate(test_names, start=1):
        test_id = f"{index:04d}.jpg"
        if draws.choice([True, False]):
            source, label = raw / "Cover" / name, 0
        else:
            source, label = raw / draws.choice(ALGORITHMS) / name, 1
        link_file(source, public / "Test" / test_id)
        rows.append((test_id, label))

    answers = pd.DataFrame(rows, columns=["Id", "Label"])
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(Label=0).to_csv(public / "sample_submission.csv", index=False)

    assert len(covers) > n_test and len(answers) == n_test
    assert len(covers) < REAL_SCALE or len(answers) == TEST_SIZE, "MLE-bench's 5,000 test images"
    assert len(list((public / "Test").glob("*.jpg"))) == n_test
    for folder in ["Cover", *ALGORITHMS]:
        assert len(list((public / folder).glob("*.jpg"))) == len(train_names), folder
    assert set(train_names).isdisjoint(test_names)
