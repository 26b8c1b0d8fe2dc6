"""iWildCam 2020: Kaggle's labelled camera-trap images split by camera location.

As in MLE-bench: the distinct ``location`` values of the training images (in order of first
appearance) go through ``train_test_split(test_size=0.22, random_state=0)``. The split is then
rebalanced with MLE-bench's own ratio, ``n_test / (n_all + n_test)`` (all images *plus* the test
images, a quirk kept): while it is below 0.22 the last train location moves to the end of the
test list; then, while it is above 0.22, the last test location moves back to the end of the
train list. Images and annotations keep their JSON order on each side.

The public JSON files are rebuilt the way MLE-bench builds them, through pandas frames
(``DataFrame(list of dicts)`` then ``to_dict(orient="records")``, so an entry missing a field
gets NaN, as in MLE-bench) and ``json.dump`` without indentation: the train annotations
(``annotations``, ``images``, ``categories``, ``info``) and the test information (``images``,
``categories`` and ``info`` of Kaggle's test information file). The answers are one row per
test annotation (``Id`` = image id, ``Category``; an image with several annotations has several
rows); the sample submission draws categories with
the legacy ``np.random.seed(0)``; ``randint(0, 676)``. Images are hard-linked from ``train/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file, link_files

TEST_SIZE = 0.22
TRAIN_JSON = "iwildcam2020_train_annotations.json"
TEST_JSON = "iwildcam2020_test_information.json"
DETECTOR_JSON = "iwildcam2020_megadetector_results.json"


def _ratio(images: pd.DataFrame, test_locations: np.ndarray) -> float:
    n_test = int(images["location"].isin(test_locations).sum())
    return n_test / (len(images) + n_test)


def split_locations(images: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """MLE-bench's train and test locations, after its two rebalancing loops."""
    from sklearn.model_selection import train_test_split

    locations = images["location"].unique()
    train, test = train_test_split(locations, test_size=TEST_SIZE, random_state=0)
    while _ratio(images, test) < TEST_SIZE:
        train, test = train[:-1], np.append(test, train[-1])
    while _ratio(images, test) > TEST_SIZE:
        train, test = np.append(train, test[-1]), test[:-1]
    return train, test


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict(orient="records")  # type: ignore[return-value]


def prepare(raw: Path, public: Path, private: Path) -> None:
    old_train = json.loads((raw / TRAIN_JSON).read_text())
    old_test = json.loads((raw / TEST_JSON).read_text())
    annotations = pd.DataFrame(old_train["annotations"])
    images = pd.DataFrame(old_train["images"])
    train_locations, test_locations = split_locations(images)
    train_images = images[images["location"].isin(train_locations)]
    test_images = images[images["location"].isin(test_locations)]
    train_ids, test_ids = train_images["id"].unique(), test_images["id"].unique()
    train_annotations = annotations[annotations["image_id"].isin(train_ids)]
    test_annotations = annotations[annotations["image_id"].isin(test_ids)]

    answers = test_annotations[["image_id", "category_id"]].rename(
        columns={"image_id": "Id", "category_id": "Category"}
    )
    sample = answers.assign(Category=np.random.RandomState(0).randint(0, 676, size=len(answers)))
    answers.to_csv(private / "answers.csv", index=False)
    sample.to_csv(public / "sample_submission.csv", index=False)

    new_train = {
        "annotations": _records(train_annotations),
        "images": _records(train_images),
        "categories": _records(pd.DataFrame(old_train["categories"])),
        "info": old_train["info"],
    }
    new_test = {
        "images": _records(test_images),
        "categories": _records(pd.DataFrame(old_test["categories"])),
        "info": old_test["info"],
    }
    assert set(new_train) == set(old_train) and set(new_test) == set(old_test), "JSON keys"
    with (public / TRAIN_JSON).open("w", encoding="utf-8") as out:
        json.dump(new_train, out)
    with (public / TEST_JSON).open("w", encoding="utf-8") as out:
        json.dump(new_test, out)
    link_file(raw / DETECTOR_JSON, public / DETECTOR_JSON)

    (public / "train").mkdir(exist_ok=True)
    (public / "test").mkdir(exist_ok=True)
    link_files((f"{i}.jpg" for i in train_ids), raw / "train", public / "train")
    link_files((f"{i}.jpg" for i in test_ids), raw / "train", public / "test")

    assert len(train_ids) + len(test_ids) == len(images["id"])
    assert set(train_images["location"]).isdisjoint(test_images["location"])
    assert set(train_annotations["image_id"]).isdisjoint(test_ids)
    assert len(list((public / "train").glob("*.jpg"))) == len(train_ids)
    assert len(list((public / "test").glob("*.jpg"))) == len(test_ids)
