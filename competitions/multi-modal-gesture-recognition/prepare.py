"""Multi-modal Gesture Recognition: MLE-bench's split, Kaggle's fourth training archive as test.

No random split: the labelled sequences of ``training4.tar.gz`` become the test set. Their ids
are the last four characters of the names of the ``*.zip`` members at the archive's root
(``Sample00300.zip`` -> ``0300``), sorted as text; the archive is only listed (streamed, never
extracted) and is published unchanged as ``test.tar.gz``. Every other archive is hard-linked
unchanged. The sample submission draws, with Python's ``random`` seeded 0, one shuffle of the
20 gestures per test id.

Known leak, copied for fidelity: the ``_data.mat`` file inside each test sequence's zip still
holds its gesture labels (MLE-bench's known issue for this competition).
"""

from __future__ import annotations

import fnmatch
import posixpath
import random
import tarfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TARGET = "Id", "Sequence"
N_GESTURES = 20
TEST_ARCHIVE = "training4.tar.gz"
COPIED = (
    "training1.tar.gz",
    "training2.tar.gz",
    "training3.tar.gz",
    "validation1.tar.gz",
    "validation2.tar.gz",
    "validation3.tar.gz",
    "devel01-40.7z",
    "valid_all_files_combined.7z",
    "sample_code_mmrgc.zip",
)


def test_ids(archive: Path) -> list[str]:
    """The ids of the ``*.zip`` entries at the root of a ``.tar.gz``, sorted as text."""
    ids = []
    with tarfile.open(archive, mode="r|gz") as tar:
        for member in tar:
            name = posixpath.normpath(member.name)
            if "/" not in name and fnmatch.fnmatchcase(name, "*.zip"):
                ids.append(name[: -len(".zip")][-4:])
    return sorted(ids)


def random_predictions(ids: list[str]) -> pd.DataFrame:
    draw = random.Random(0)
    sequences = [
        " ".join(str(g) for g in draw.sample(range(1, N_GESTURES + 1), N_GESTURES)) for _ in ids
    ]
    return pd.DataFrame({ID: ids, TARGET: sequences})


def prepare(raw: Path, public: Path, private: Path) -> None:
    ids = test_ids(raw / TEST_ARCHIVE)
    labels = pd.read_csv(raw / "training.csv", dtype={ID: str, TARGET: str})
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    in_test = labels[ID].isin(set(ids))
    labels[~in_test].to_csv(public / "training.csv", index=False)
    labels[in_test].to_csv(private / "test.csv", index=False)
    pd.DataFrame({ID: ids}).to_csv(public / "test.csv", index=False)
    random_predictions(ids).to_csv(public / "randomPredictions.csv", index=False)

    link_file(raw / TEST_ARCHIVE, public / "test.tar.gz")
    for name in COPIED:
        link_file(raw / name, public / name)

    assert ids and len(set(ids)) == len(ids), "test archive ids must be unique"
    assert int(in_test.sum()) == len(ids), "every test sequence needs its labels in training.csv"
    assert labels[ID].is_unique
