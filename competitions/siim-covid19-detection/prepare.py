"""SIIM-FISABIO-RSNA COVID-19 Detection: MLE-bench's re-split of Kaggle's training studies.

Kaggle's test labels were never released, so the rows of ``train_study_level.csv`` (file
order) are split with ``train_test_split(test_size=0.1, random_state=0)`` and both sides are
sorted by ``id``; each image of ``train_image_level.csv`` goes with its study
(``StudyInstanceUID + "_study"``), image tables sorted by ``id`` too. The study folders
``train/<StudyInstanceUID>/`` are hard-linked whole (MLE-bench copies the trees) into public
``train/`` or ``test/``; no DICOM file is read.

The answers (``private/test.csv``: ``id``, ``PredictionString``) hold one row per test study,
``<label> 1 0 0 1 1`` with the label of the study's largest one-hot column (negative, typical,
indeterminate, atypical), then one row per test image with its raw ``label`` text (``opacity``
boxes or ``none 1 0 0 1 1``). The sample submission has the same ids with ``negative 1 0 0 1 1``
for studies and ``none 1 0 0 1 1`` for images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file, split

TEST_SIZE = 0.1
STUDY_LABELS = ("negative", "typical", "indeterminate", "atypical")
STUDY_BOX, SAMPLE_STUDY, SAMPLE_IMAGE = "1 0 0 1 1", "negative 1 0 0 1 1", "none 1 0 0 1 1"


def _link_tree(source: Path, target: Path) -> None:
    """Every folder and file under ``source`` at the same place under ``target`` (hard links)."""
    target.mkdir(parents=True)
    for path in sorted(source.rglob("*")):
        if path.is_dir():
            (target / path.relative_to(source)).mkdir(parents=True, exist_ok=True)
        else:
            link_file(path, target / path.relative_to(source))


def prepare(raw: Path, public: Path, private: Path) -> None:
    studies = pd.read_csv(raw / "train_study_level.csv", float_precision="round_trip")
    train_studies, test_studies = split(studies, test_size=TEST_SIZE)
    train_studies, test_studies = train_studies.sort_values("id"), test_studies.sort_values("id")

    images = pd.read_csv(raw / "train_image_level.csv", float_precision="round_trip")
    study_of_image = images["StudyInstanceUID"] + "_study"
    train_images = images[study_of_image.isin(train_studies["id"])].sort_values("id")
    test_images = images[study_of_image.isin(test_studies["id"])].sort_values("id")
    assert len(train_images) + len(test_images) == len(images), "images of no study"

    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train_studies.to_csv(public / "train_study_level.csv", index=False)
    train_images.to_csv(public / "train_image_level.csv", index=False)
    for side, frame in (("train", train_studies), ("test", test_studies)):
        (public / side).mkdir(exist_ok=True)
        for study in frame["id"]:
            uid = study.replace("_study", "")
            _link_tree(raw / "train" / uid, public / side / uid)

    # the label of the first largest of the four one-hot columns (MLE-bench's argmax)
    one_hot = test_studies.iloc[:, 1:5].to_numpy()
    labels = [STUDY_LABELS[int(k)] for k in np.argmax(one_hot, axis=1)]
    answers = pd.concat(
        [
            pd.DataFrame(
                {"id": test_studies["id"], "PredictionString": [f"{x} {STUDY_BOX}" for x in labels]}
            ),
            pd.DataFrame({"id": test_images["id"], "PredictionString": test_images["label"]}),
        ],
        ignore_index=True,
    )
    answers.to_csv(private / "test.csv", index=False)
    sample = pd.concat(
        [
            pd.DataFrame({"id": test_studies["id"], "PredictionString": SAMPLE_STUDY}),
            pd.DataFrame({"id": test_images["id"], "PredictionString": SAMPLE_IMAGE}),
        ],
        ignore_index=True,
    )
    sample.to_csv(public / "sample_submission.csv", index=False)

    assert set(train_studies["id"]).isdisjoint(test_studies["id"])
    assert len(answers) == len(sample) == len(test_studies) + len(test_images)
    assert len(list((public / "train").iterdir())) == len(train_studies)
    assert len(list((public / "test").iterdir())) == len(test_studies)
