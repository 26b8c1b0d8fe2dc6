"""Vesuvius Challenge - Ink Detection: MLE-bench's fragment-level split of Kaggle's training data.

Kaggle's test fragments were never released, so the three labelled training fragments are
split by hand: fragments 1 and 2 stay the training set, fragment 3 becomes the one test
fragment, renamed ``a``. Its ink labels (``inklabels_rle.csv``, one row of row-major run-length
pairs) become the answers, with the image size read from the header of its infrared photo
``ir.png``; its other files (``mask.png`` and the ``surface_volume/`` TIFF slices) are published
as ``test/a/``. Every TIFF and PNG is hard-linked, never decoded (a fragment's 65 slices are
gigabytes). There is no randomness.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

TRAIN_FRAGMENTS = ("1", "2")
TEST_FRAGMENT, TEST_ID = "3", "a"
#: files of the test fragment that are never published (the labels and the photo they come from)
WITHHELD = ("inklabels.png", "inklabels_rle.csv", "ir.png")
#: the only kinds of file MLE-bench accepts in the test fragment
SUFFIXES = (".png", ".csv", ".tif")
SAMPLE_PREDICTION = "1 1 5 1"


def link_tree(source: Path, target: Path, skip: tuple[str, ...] = ()) -> int:
    """Hard-link every file under ``source`` to the same place under ``target`` (sub-folders
    kept), leaving out files named in ``skip`` at any depth; returns how many were linked."""
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        if path.name in skip:
            continue
        link_file(path, target / path.relative_to(source))
        count += 1
    return count


def image_size(path: Path) -> tuple[int, int]:
    """Width and height of an image, from its header (Pillow opens lazily, decodes nothing)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    return int(width), int(height)


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    for fragment in TRAIN_FRAGMENTS:
        link_tree(raw / "train" / fragment, public / "train" / fragment)

    fragment = raw / "train" / TEST_FRAGMENT
    labels = pd.read_csv(fragment / "inklabels_rle.csv", float_precision="round_trip")
    assert len(labels) == 1, f"inklabels_rle.csv of fragment 3 has {len(labels)} rows, expected 1"
    assert list(labels.columns) == ["Id", "Predicted"], list(labels.columns)
    width, height = image_size(fragment / "ir.png")
    answers = labels.assign(width=width, height=height, Id=TEST_ID)
    answers.to_csv(private / "inklabels_rle.csv", index=False)
    answers[["Id", "Predicted"]].to_csv(private / "gold_submission.csv", index=False)

    files = [p for p in fragment.rglob("*") if p.is_file()]
    unexpected = [p.name for p in files if p.suffix not in SUFFIXES]
    assert not unexpected, f"fragment 3 holds files other than png, csv or tif: {unexpected[:5]}"
    linked = link_tree(fragment, public / "test" / TEST_ID, skip=WITHHELD)
    pd.DataFrame({"Id": [TEST_ID], "Predicted": [SAMPLE_PREDICTION]}).to_csv(
        public / "sample_submission.csv", index=False
    )

    assert linked == len([p for p in files if p.name not in WITHHELD])
    assert list(answers.columns) == ["Id", "Predicted", "width", "height"]
    for name in WITHHELD:
        assert not list((public / "test").rglob(name)), f"{name} of the test fragment published"
    for fragment_id in TRAIN_FRAGMENTS:
        source = sum(1 for p in (raw / "train" / fragment_id).rglob("*") if p.is_file())
        copied = sum(1 for p in (public / "train" / fragment_id).rglob("*") if p.is_file())
        assert source == copied, f"train/{fragment_id}: {copied} of {source} files"
