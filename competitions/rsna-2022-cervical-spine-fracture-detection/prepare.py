"""RSNA 2022 Cervical Spine Fracture Detection: MLE-bench's re-split of Kaggle's training studies.

Kaggle's test labels were never released, so the 2,019 labelled studies of ``train.csv`` are
split again, but the other way round from most competitions: about 10% become the new training
set and the other 90% the test set. The training pick keeps the shares of the two annotated
subsets (studies with bounding boxes, studies with segmentations, and their overlap), drawn
with Python's ``random.Random(0)`` in a fixed order of calls (see :func:`pick_train`); Python's
``round`` rounds halves to even, as MLE-bench relies on.

The answers are the test studies' eight labels melted into rows (all studies for
``patient_overall``, then all for ``C1`` … ``C7``), each named ``<StudyInstanceUID>_<label>``.
Every DICOM slice and NIfTI segmentation is hard-linked, never read.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file

ID = "StudyInstanceUID"
LABELS = ["patient_overall", "C1", "C2", "C3", "C4", "C5", "C6", "C7"]
BOX_COLUMNS = [ID, "x", "y", "width", "height", "slice_number"]
TRAIN_FRACTION = 0.1
#: the real data's counts (studies, box studies, segmentations, both), asserted at real scale
REAL_COUNTS = (2019, 235, 87, 40)
REAL_SCALE = 1000


def pick_train(
    studies: list[str], boxed: list[str], segmented: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """MLE-bench's pick of the new training studies: (train, box studies, segmented studies).

    ``boxed`` and ``segmented`` are sorted as text, ``studies`` in ``train.csv`` order. One
    generator seeded 0 draws, in this order: a tenth of the studies with both annotations; the
    segmented ones without boxes up to a tenth of all segmented; the boxed ones without a
    segmentation up to a tenth of all boxed; then any other studies up to a tenth of all.
    """
    rng = random.Random(0)
    segmented_set = set(segmented)
    both = [uid for uid in boxed if uid in segmented_set]
    both_set = set(both)
    n_both = round(len(both) * TRAIN_FRACTION)
    picked_both = rng.sample(both, n_both)
    extra_segmented = rng.sample(
        [uid for uid in segmented if uid not in both_set],
        round(len(segmented) * TRAIN_FRACTION) - n_both,
    )
    extra_boxed = rng.sample(
        [uid for uid in boxed if uid not in both_set],
        round(len(boxed) * TRAIN_FRACTION) - n_both,
    )
    train = picked_both + extra_segmented + extra_boxed
    chosen = set(train)
    train += rng.sample(
        [uid for uid in studies if uid not in chosen],
        round(len(studies) * TRAIN_FRACTION) - len(train),
    )
    return train, picked_both + extra_boxed, picked_both + extra_segmented


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    boxes = pd.read_csv(raw / "train_bounding_boxes.csv", float_precision="round_trip")
    assert list(labels.columns) == [ID, *LABELS], list(labels.columns)
    assert list(boxes.columns) == BOX_COLUMNS, list(boxes.columns)
    studies = labels[ID].tolist()
    boxed = sorted(boxes[ID].unique().tolist())
    segmented = sorted(p.stem for p in (raw / "segmentations").glob("*.nii"))
    train_ids, boxed_ids, segmented_ids = pick_train(studies, boxed, segmented)

    in_train = labels[ID].isin(train_ids)
    train = labels[in_train]
    test = labels[~in_train]
    answers = test.melt(id_vars=ID, var_name="prediction_type", value_name="fractured")
    answers["row_id"] = answers[ID] + "_" + answers["prediction_type"]

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    boxes[boxes[ID].isin(boxed_ids)].to_csv(public / "train_bounding_boxes.csv", index=False)
    answers.to_csv(private / "answers.csv", index=False)
    answers[["row_id"]].assign(fractured=0.5).to_csv(public / "sample_submission.csv", index=False)
    answers.drop(columns=["fractured"]).to_csv(public / "test.csv", index=False)

    (public / "segmentations").mkdir()
    for uid in segmented_ids:
        link_file(raw / "segmentations" / f"{uid}.nii", public / "segmentations" / f"{uid}.nii")
    for folder, chosen in (("train_images", train[ID]), ("test_images", test[ID])):
        (public / folder).mkdir()
        for uid in chosen:
            source = raw / "train_images" / uid
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                link_file(path, public / folder / uid / path.relative_to(source))

    n_train = round(len(labels) * TRAIN_FRACTION)
    assert len(train_ids) == len(set(train_ids)) == n_train == len(train)
    assert len(boxed_ids) == round(len(boxed) * TRAIN_FRACTION)
    assert len(segmented_ids) == round(len(segmented) * TRAIN_FRACTION)
    assert len(answers) == len(test) * len(LABELS) and test[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID]), "train and test share a study"
    assert len(list((public / "segmentations").iterdir())) == len(segmented_ids)
    assert len(list((public / "train_images").iterdir())) == len(train)
    assert len(list((public / "test_images").iterdir())) == len(test)
    if len(labels) > REAL_SCALE:
        both = len(set(boxed) & set(segmented))
        counts = (len(labels), len(boxed), len(segmented), both)
        assert counts == REAL_COUNTS, counts
