"""A tiny iWildCam 2020 download: 160 camera-trap frames from 20 locations.

Kaggle ships ``iwildcam2020_train_annotations.json`` (``annotations`` {count, image_id, id,
category_id}, ``images`` {seq_num_frames, location, datetime, id, frame_num, seq_id, width,
height, file_name}, ``categories`` {count, id, name}, ``info``),
``iwildcam2020_test_information.json`` (``images``, ``categories``, ``info`` of Kaggle's test
set), ``iwildcam2020_megadetector_results.json``, ``train/<id>.jpg``, ``test/<id>.jpg`` and
``sample_submission.csv`` (``Id``, ``Category``). Image ids are UUID-like strings. Every
training image has at least one annotation: here a few have two (two species in one frame),
and one image lacks ``frame_num`` (MLE-bench's pandas rebuild then writes NaN for it). Each
8x8 JPEG carries its image id in its comment.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image

N_LOCATIONS, N_IMAGES, N_KAGGLE_TEST = 20, 160, 5
CATEGORIES = {0: "empty", 1: "tayassu pecari", 3: "dasyprocta fuliginosa", 7: "meleagris ocellata",
              14: "panthera onca", 96: "homo sapiens", 372: "madoqua guentheri"}  # fmt: skip
TRAIN_JSON = "iwildcam2020_train_annotations.json"
TEST_JSON = "iwildcam2020_test_information.json"
DETECTOR_JSON = "iwildcam2020_megadetector_results.json"

EXPECTED_FILES: dict[str, list[str] | None] = {
    f"public/{TRAIN_JSON}": None,
    f"public/{TEST_JSON}": None,
    f"public/{DETECTOR_JSON}": None,
    "public/train": None,
    "public/test": None,
    "public/sample_submission.csv": ["Id", "Category"],
    "private/answers.csv": ["Id", "Category"],
}


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16)))


def _image(rng: np.random.Generator, image_id: str, location: int, frame: int) -> dict[str, object]:
    return {
        "seq_num_frames": 3,
        "location": location,
        "datetime": f"2013-0{1 + frame % 9}-1{frame % 10} 0{frame % 10}:15:00.000",
        "id": image_id,
        "frame_num": 1 + frame % 3,
        "seq_id": _uuid(rng),
        "width": 1920,
        "height": 1080,
        "file_name": f"{image_id}.jpg",
    }


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    locations = [int(x) for x in rng.choice(550, N_LOCATIONS, replace=False)]
    where = rng.choice(locations, N_IMAGES, p=rng.dirichlet(np.ones(N_LOCATIONS)))
    images, annotations = [], []
    (raw / "train").mkdir()
    categories = list(CATEGORIES)
    for frame, location in enumerate(where):
        image_id = _uuid(rng)
        images.append(_image(rng, image_id, int(location), frame))
        species = [int(rng.choice(categories))]
        if frame % 23 == 5:  # two species in one frame: two annotations
            species.append(int(rng.choice([c for c in categories if c != species[0]])))
        for category in species:
            annotations.append(
                {"count": 1, "image_id": image_id, "id": _uuid(rng), "category_id": category}
            )
        (raw / "train" / f"{image_id}.jpg").write_bytes(random_image(rng, "JPEG", comment=image_id))
    del images[7]["frame_num"]
    info = {"year": 2020, "version": "1", "description": "WCS camera traps", "contributor": "WCS"}
    train = {
        "annotations": annotations,
        "images": images,
        "categories": [{"count": 10 + c, "id": c, "name": n} for c, n in CATEGORIES.items()],
        "info": info,
    }
    (raw / TRAIN_JSON).write_text(json.dumps(train))
    test_ids = [_uuid(rng) for _ in range(N_KAGGLE_TEST)]
    (raw / "test").mkdir()
    for image_id in test_ids:
        (raw / "test" / f"{image_id}.jpg").write_bytes(random_image(rng, "JPEG"))
    test = {
        "images": [_image(rng, i, 600 + k, k) for k, i in enumerate(test_ids)],
        "categories": [{"id": c, "name": n} for c, n in CATEGORIES.items()],
        "info": {**info, "description": "WCS camera traps, test"},
    }
    (raw / TEST_JSON).write_text(json.dumps(test))
    detections = {
        "images": [
            {"detections": [{"category": "1", "bbox": [0.1, 0.2, 0.3, 0.4], "conf": 0.9}],
             "id": image["id"], "max_detection_conf": 0.9}
            for image in images[:20]
        ],
        "detection_categories": {"1": "animal", "2": "person"},
        "info": {"detector": "megadetector_v3"},
    }  # fmt: skip
    (raw / DETECTOR_JSON).write_text(json.dumps(detections))
    pd.DataFrame({"Id": test_ids, "Category": 0}).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = json.loads((raw / TRAIN_JSON).read_text())
    location_of = {i["id"]: i["location"] for i in original["images"]}
    all_locations = list(dict.fromkeys(i["location"] for i in original["images"]))
    train_loc, test_loc = (
        list(x) for x in train_test_split(all_locations, test_size=0.22, random_state=0)
    )
    count = lambda locs: sum(1 for i in original["images"] if i["location"] in locs)  # noqa: E731
    total = len(original["images"])
    while count(test_loc) / (total + count(test_loc)) < 0.22:
        test_loc.append(train_loc.pop())
    while count(test_loc) / (total + count(test_loc)) > 0.22:
        train_loc.append(test_loc.pop())
    test_ids = [i["id"] for i in original["images"] if i["location"] in test_loc]
    train_ids = [i["id"] for i in original["images"] if i["location"] in train_loc]

    answers = pd.read_csv(private / "answers.csv")
    expected = [
        (a["image_id"], a["category_id"])
        for a in original["annotations"]
        if a["image_id"] in set(test_ids)
    ]
    assert list(zip(answers["Id"], answers["Category"], strict=True)) == expected
    assert not answers["Id"].is_unique, "the synthetic test set should hold a frame of two species"
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["Id"].tolist() == answers["Id"].tolist()
    draws = np.random.RandomState(0).randint(0, 676, size=len(answers))
    assert sample["Category"].tolist() == draws.tolist()

    new_train = json.loads((public / TRAIN_JSON).read_text())
    new_test = json.loads((public / TEST_JSON).read_text())
    assert list(new_train) == ["annotations", "images", "categories", "info"]
    assert list(new_test) == ["images", "categories", "info"]
    assert [i["id"] for i in new_train["images"]] == train_ids
    assert [i["id"] for i in new_test["images"]] == test_ids
    assert {a["image_id"] for a in new_train["annotations"]} == set(train_ids)
    assert {location_of[i] for i in train_ids}.isdisjoint(location_of[i] for i in test_ids)
    assert new_test["categories"] == json.loads((raw / TEST_JSON).read_text())["categories"]
    assert any(
        isinstance(i.get("frame_num"), float) for i in new_train["images"] + new_test["images"]
    )
    for side, ids in (("train", train_ids), ("test", test_ids)):
        assert sorted(p.stem for p in (public / side).iterdir()) == sorted(ids)
        assert all(image_comment(public / side / f"{i}.jpg") == i for i in ids[:5])
    assert (public / DETECTOR_JSON).read_bytes() == (raw / DETECTOR_JSON).read_bytes()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rules: whole-number categories, and each Id as often as in the sample."""
    one_text = sample.astype({"Category": object})
    one_text.loc[0, "Category"] = "panthera onca"
    fraction = sample.astype({"Category": float})
    fraction.loc[0, "Category"] = 3.5
    repeated = sample[sample["Id"].duplicated(keep=False)]["Id"].iloc[0]
    once = sample.copy()
    once.loc[once.index[once["Id"] == repeated][1], "Id"] = sample["Id"][
        ~sample["Id"].duplicated(keep=False)
    ].iloc[0]
    return [
        ("text category", one_text, "not a whole-number category id, e.g. 'panthera onca'"),
        ("fractional category", fraction, "not a whole-number category id, e.g. 3.5"),
        ("missing value", sample.assign(Category=np.nan), "empty value"),
        ("a two-species frame listed once", once, "appear a different number of times"),
    ]
