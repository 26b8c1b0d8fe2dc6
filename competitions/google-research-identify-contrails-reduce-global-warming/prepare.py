"""Google Research - Identify Contrails: MLE-bench's re-split of Kaggle's labelled training records.

Kaggle's test masks were never released, so the training records (``train_metadata.json``, a
JSON list in released order) are split with ``train_test_split(test_size=<number of validation
records>, random_state=0)``: the test set is as large as Kaggle's validation set (1,856 of
20,529 records on the real data). Each record is a folder of ``.npy`` arrays (nine infrared
bands of shape height x width x time, and the human masks); they are hard-linked, never loaded,
except for each test record's pixel mask (encoded into the answers) and the header of its
``band_08.npy`` (the image size). Kaggle's validation folder is published unchanged.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file

BANDS = [f"band_{b:02}.npy" for b in range(8, 17)]
MASKS = ["human_individual_masks.npy", "human_pixel_masks.npy"]
ANSWER_COLUMNS = ["record_id", "encoded_pixels", "height", "width"]
#: MLE-bench's two sample predictions, drawn per row with Python's random after seed 0
SAMPLE_CHOICES = ["1 3 10 5", "-"]
#: the real data's sizes, asserted only at real scale (the synthetic data is far smaller)
REAL_TRAIN, REAL_TEST = 18673, 1856
REAL_SCALE = 10_000


def encode_mask(path: Path) -> str:
    """A record's pixel mask (height x width x 1, 1 = contrail) as column-major run-length
    pairs, ``-`` when it is empty."""
    flat = np.load(path)[:, :, 0].ravel(order="F") == 1
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flat.view(np.int8), [0]))))
    starts, ends = edges[0::2], edges[1::2]
    pairs = np.column_stack((starts + 1, ends - starts)).ravel()
    return " ".join(map(str, pairs.tolist())) or "-"


def image_size(path: Path) -> tuple[int, int]:
    """Height and width of a band array, from the ``.npy`` header alone (memory-mapped)."""
    band = np.load(path, mmap_mode="r")
    return int(band.shape[0]), int(band.shape[1])


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    records = json.loads((raw / "train_metadata.json").read_text())
    validation = json.loads((raw / "validation_metadata.json").read_text())
    train, test = train_test_split(records, test_size=len(validation), random_state=0)

    rows = []
    for record in test:
        folder = raw / "train" / record["record_id"]
        height, width = image_size(folder / "band_08.npy")
        encoding = encode_mask(folder / "human_pixel_masks.npy")
        rows.append((record["record_id"], encoding, height, width))
    answers = pd.DataFrame(rows, columns=ANSWER_COLUMNS)

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    for part, chosen, names in (("train", train, BANDS + MASKS), ("test", test, BANDS)):
        for record in chosen:
            record_id = record["record_id"]
            for name in names:
                link_file(raw / "train" / record_id / name, public / part / record_id / name)
    (public / "validation").mkdir(exist_ok=True)
    if (raw / "validation").is_dir():
        for path in sorted(p for p in (raw / "validation").rglob("*") if p.is_file()):
            link_file(path, public / "validation" / path.relative_to(raw / "validation"))
    link_file(raw / "validation_metadata.json", public / "validation_metadata.json")
    (public / "train_metadata.json").write_text(json.dumps(train))
    answers.to_csv(private / "answers.csv", index=False)

    picker = random.Random(0)
    sample = answers.assign(encoded_pixels=[picker.choice(SAMPLE_CHOICES) for _ in test])
    sample.to_csv(public / "sample_submission.csv", index=False)

    train_ids = {r["record_id"] for r in train}
    test_ids = {r["record_id"] for r in test}
    assert len(train) + len(test) == len(records) and len(test) == len(validation)
    assert train_ids.isdisjoint(test_ids), "train and test share a record"
    assert len(test_ids) == len(test), "a record id repeats"
    assert {p.name for p in (public / "test").iterdir()} == test_ids
    assert {p.name for p in (public / "train").iterdir()} == train_ids
    assert not any((public / "test").rglob("human_*")), "a test mask was published"
    if len(records) > REAL_SCALE:
        assert (len(train), len(test)) == (REAL_TRAIN, REAL_TEST), (len(train), len(test))
