"""TGS Salt Identification: MLE-bench's 75/25 re-split of Kaggle's 4,000 labelled seismic images.

Kaggle's test masks were never released, so ``competition_data/train.csv`` (inside
``competition_data.zip``) is split with ``train_test_split(test_size=0.25, random_state=0)`` in
its released order, after empty masks are read as ``""``. All CSVs are written sorted by id.
The 101x101 PNG images (and, for training, their masks) are streamed out of the archive member
by member; nothing is extracted into ``raw``. ``depths.csv`` is published for the new training
ids only, as MLE-bench does.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd

from mle_track.competitions.preparing import split

ID, TARGET = "id", "rle_mask"
ARCHIVE = "competition_data.zip"
TEST_SIZE = 0.25
SAMPLE_MASK = "1 1"


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(raw / ARCHIVE) as archive:
        with archive.open("competition_data/train.csv") as handle:
            labels = pd.read_csv(handle, float_precision="round_trip").fillna("")
        train, test = split(labels, test_size=TEST_SIZE)
        train_ids, test_ids = set(train[ID]), set(test[ID])
        copied = {"images": 0, "masks": 0}
        for info in archive.infolist():
            path = PurePosixPath(info.filename)
            if (
                info.is_dir()
                or path.suffix != ".png"
                or path.parts[:2]
                != (
                    "competition_data",
                    "train",
                )
            ):
                continue
            kind = path.parts[2]
            if path.stem in train_ids:
                target = public / "train" / kind / path.name
            elif path.stem in test_ids and kind == "images":
                target = public / "test" / "images" / path.name
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            copied[kind] += 1
        n_images = sum(
            1
            for name in archive.namelist()
            if name.startswith("competition_data/train/images/") and name.endswith(".png")
        )

    train.sort_values(by=ID).to_csv(public / "train.csv", index=False)
    answers = test.sort_values(by=ID)
    answers.to_csv(private / "test.csv", index=False)
    answers[[ID]].assign(**{TARGET: SAMPLE_MASK}).to_csv(
        public / "sample_submission.csv", index=False
    )
    depths = pd.read_csv(raw / "depths.csv", float_precision="round_trip")
    depths[depths[ID].isin(train_ids)].sort_values(by=ID).to_csv(public / "depths.csv", index=False)

    assert n_images == len(labels), "every labelled id has an image"
    assert len(train) + len(test) == len(labels) and train_ids.isdisjoint(test_ids)
    assert copied["images"] == len(labels), "every image went to train/ or test/"
    assert copied["masks"] == len(train), "every training image has its mask"
    assert not (public / "test" / "masks").exists()
    assert {p.stem for p in (public / "test" / "images").iterdir()} == test_ids
    assert list(labels.columns) == [ID, TARGET]
