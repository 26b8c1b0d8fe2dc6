"""HuBMAP - Hacking the Kidney: MLE-bench's 12/3 re-split of Kaggle's 15 annotated kidney images.

Kaggle never released masks for its test images, so the 15 rows of ``train.csv`` are split with
``train_test_split(train_size=12, test_size=3, random_state=0)`` in their released order. Each
image's whole-slide TIFF and its two JSON files (glomerulus polygons and anatomical structures)
go to ``train/`` or ``test/``; they are hard-linked, never read (a slide is gigabytes). The
answers keep each test image's width and height, which decoding a mask needs.

As in MLE-bench, the test images' glomerulus JSON files are published in ``test/``: they are the
polygons the test masks were drawn from (a known leak, kept in version 1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID, TRUTH, TARGET = "id", "encoding", "predicted"
INFO = "HuBMAP-20-dataset_information.csv"
TRAIN_SIZE, TEST_SIZE = 12, 3
SIZE_COLUMNS = ["width_pixels", "height_pixels"]


def image_files(image_id: str) -> list[str]:
    return [f"{image_id}.tiff", f"{image_id}.json", f"{image_id}-anatomical-structure.json"]


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    info = pd.read_csv(raw / INFO, float_precision="round_trip")
    train, test = train_test_split(
        labels, train_size=TRAIN_SIZE, test_size=TEST_SIZE, random_state=0
    )
    # the information table covers Kaggle's test images too: keep the annotated ones only
    info_ids = info["image_file"].str.replace(".tiff", "", regex=False)
    info = info[info_ids.isin(labels[ID])]
    sizes = info.assign(**{ID: info_ids})[[ID, *SIZE_COLUMNS]]
    answers = test.merge(sizes, on=ID, how="inner")

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    info.to_csv(public / INFO, index=False)
    train.to_csv(public / "train.csv", index=False)
    answers.to_csv(private / "test.csv", index=False)
    sample = answers[[ID]].assign(**{TARGET: ""})
    sample.to_csv(public / "sample_submission.csv", index=False)
    gold = answers[[ID]].assign(**{TARGET: answers[TRUTH]})
    gold.to_csv(private / "gold_submission.csv", index=False)
    for part, frame in (("train", train), ("test", answers)):
        for image_id in frame[ID]:
            for name in image_files(image_id):
                link_file(raw / "train" / name, public / part / name)
    # MLE-bench also leaves a copy of the sample submission in test/
    sample.to_csv(public / "test" / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(labels), "the 15 annotated images are all used"
    assert list(train.columns) == [ID, TRUTH]
    assert list(answers.columns) == [ID, TRUTH, *SIZE_COLUMNS] and len(answers) == TEST_SIZE
    assert set(train[ID]).isdisjoint(answers[ID]), "train and test share an image"
    for part, frame in (("train", train), ("test", answers)):
        names = {p.name for p in (public / part).iterdir()} - {"sample_submission.csv"}
        assert names == {n for i in frame[ID] for n in image_files(i)}, f"{part}/ is incomplete"
