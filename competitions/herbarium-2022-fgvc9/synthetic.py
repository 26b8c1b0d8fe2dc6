"""A tiny Herbarium 2022 download: 30 species of 2 to 12 specimens, in Kaggle's layout.

Kaggle ships ``train_metadata.json`` (``annotations`` {genus_id, institution_id, category_id,
image_id}, ``images`` {image_id "CCCCC__NNN", file_name "CCC/CC/<image_id>.jpg", license},
``categories``, ``genera``, ``distances``, ``institutions``, ``license``), the images under
``train_images/``, ``test_metadata.json`` and ``test_images/`` (Kaggle's unlabelled test set)
and ``sample_submission.csv`` (``Id``, ``Predicted``). Here the entries are in random order (so
the species order of first appearance matters) and each 8x8 JPEG carries its original
image_id in its comment.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image

SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] + [2, 3, 4, 5] * 3 + [6, 7, 9, 3, 5, 4, 8]
N_KAGGLE_TEST = 4

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_metadata.json": None,
    "public/train_images": None,
    "public/test_metadata.json": None,
    "public/test_images/000/test-000000.jpg": None,
    "public/sample_submission.csv": ["Id", "Predicted"],
    "private/answers.csv": ["Id", "Predicted"],
}


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    categories = sorted(int(c) for c in rng.choice(15_500, len(SIZES), replace=False))
    labels = np.repeat(categories, SIZES)
    order = rng.permutation(len(labels))
    counters: dict[int, int] = {}
    annotations, images = [], []
    for position in order:
        category = int(labels[position])
        counters[category] = counters.get(category, 0) + 1
        image_id = f"{category:05d}__{counters[category]:03d}"
        name = f"{category // 100:03d}/{category % 100:02d}/{image_id}.jpg"
        genus = category % 7
        annotations.append(
            {
                "genus_id": genus,
                "institution_id": category % 4,
                "category_id": category,
                "image_id": image_id,
            }
        )
        images.append({"image_id": image_id, "file_name": name, "license": 0})
        path = raw / "train_images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(random_image(rng, "JPEG", comment=image_id))
    metadata = {
        "annotations": annotations,
        "images": images,
        "categories": [
            {
                "category_id": c,
                "scientificName": f"Quercus sp{c} Michx.",
                "family": "Fagaceae",
                "genus": "Quercus",
                "species": f"sp{c}",
                "authors": "Michx.",
            }
            for c in categories
        ],
        "genera": [{"genus_id": g, "genus": f"Genus{g}"} for g in range(7)],
        "distances": [{"genus_id_x": 0, "genus_id_y": g, "distance": 0.5 * g} for g in range(7)],
        "institutions": [{"institution_id": i, "collectionCode": f"C{i}"} for i in range(4)],
        "license": [{"id": 0, "name": "CC BY-NC-ND 4.0", "url": "https://creativecommons.org/"}],
    }
    (raw / "train_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    test_meta = []
    for k in range(N_KAGGLE_TEST):
        name = f"000/test-{k:06d}.jpg"
        path = raw / "test_images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(random_image(rng, "JPEG", comment=f"kaggle test {k}"))
        test_meta.append({"image_id": str(k), "file_name": name, "license": 0})
    (raw / "test_metadata.json").write_text(json.dumps(test_meta), encoding="utf-8")
    pd.DataFrame({"Id": range(N_KAGGLE_TEST), "Predicted": 42}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = json.loads((raw / "train_metadata.json").read_text(encoding="utf-8"))
    label_of = {a["image_id"]: a["category_id"] for a in original["annotations"]}
    groups: dict[int, list[str]] = {}
    for annotation in original["annotations"]:
        groups.setdefault(annotation["category_id"], []).append(annotation["image_id"])
    expected_train: list[tuple[str, str]] = []  # (original id, new id)
    expected_test: list[str] = []
    for category, members in groups.items():
        left, right = train_test_split(members, test_size=0.2, random_state=0)
        expected_train += [(m, f"{category:05d}__{j + 1:03d}") for j, m in enumerate(left)]
        expected_test += right
    random.Random(0).shuffle(expected_test)

    train_meta = json.loads((public / "train_metadata.json").read_text())
    assert [i["image_id"] for i in train_meta["images"]] == [new for _, new in expected_train]
    assert [a["image_id"] for a in train_meta["annotations"]] == [n for _, n in expected_train]
    for (old, _), annotation in zip(expected_train, train_meta["annotations"], strict=True):
        assert annotation["category_id"] == label_of[old]
    for key in ("categories", "genera", "distances", "institutions", "license"):
        assert train_meta[key] == original[key], key
    text = (public / "train_metadata.json").read_text()
    assert text == json.dumps(train_meta, indent=4, sort_keys=True)
    for (old, _), image in zip(expected_train, train_meta["images"], strict=True):
        assert image_comment(public / "train_images" / image["file_name"]) == old

    test_meta = json.loads((public / "test_metadata.json").read_text())
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    n = len(expected_test)
    assert answers["Id"].tolist() == sample["Id"].tolist() == list(range(n)) and n > 20
    assert (sample["Predicted"] == 42).all()
    assert answers["Predicted"].tolist() == [label_of[i] for i in expected_test]
    assert len(test_meta) == n
    for k, image in enumerate(test_meta):
        assert image == {
            "image_id": str(k),
            "file_name": f"{k // 1000:03d}/test-{k:06d}.jpg",
            "license": 0,
        }
        assert image_comment(public / "test_images" / image["file_name"]) == expected_test[k]
    assert len(list((public / "test_images").rglob("*.jpg"))) == n
    assert len(list((public / "train_images").rglob("*.jpg"))) == len(expected_train)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rule: every Predicted value is a whole-number category id."""
    one_text = sample.astype({"Predicted": object})
    one_text.loc[0, "Predicted"] = "Quercus"
    fraction = sample.astype({"Predicted": float})
    fraction.loc[0, "Predicted"] = 3.7
    return [
        ("text category", one_text, "not a whole-number category id, e.g. 'Quercus'"),
        ("fractional category", fraction, "not a whole-number category id, e.g. 3.7"),
        ("missing value", sample.assign(Predicted=np.nan), "empty value"),
    ]
