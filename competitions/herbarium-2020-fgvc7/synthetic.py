"""A tiny Herbarium 2020 download: 30 species, 1 to 12 specimens each, in Kaggle's layout.

Kaggle ships ``nybg2020/train/metadata.json`` (``annotations``, ``categories``, ``images``,
``info``, ``licenses``, ``regions``; ``annotations[i]`` describes ``images[i]``), the images at
``nybg2020/train/images/<cat // 100:03d>/<cat % 100:02d>/<id>.jpg``, ``nybg2020/test/`` (its own
unlabelled ``metadata.json`` and images) and ``sample_submission.csv`` (``Id``, ``Predicted``).
Here the entries are in random order (so the species order of first appearance matters), some
names hold non-ASCII text (stored as UTF-8, read as Latin-1 like MLE-bench), and each 8x8 JPEG
carries its image id in its comment.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import image_comment, random_image

ROOT, DATASET_KEY = "nybg2020", "regions"
SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] + [1, 2, 3, 4, 5] * 2 + [6, 7, 2, 9, 3, 5, 4, 8]
N_KAGGLE_TEST = 4

EXPECTED_FILES: dict[str, list[str] | None] = {
    f"public/{ROOT}/train/metadata.json": None,
    f"public/{ROOT}/train/images": None,
    f"public/{ROOT}/test/metadata.json": None,
    f"public/{ROOT}/test/images/000/0.jpg": None,
    "public/sample_submission.csv": ["Id", "Predicted"],
    "private/answers.csv": ["Id", "Predicted"],
}


def _file_name(category: int, image_id: int) -> str:
    return f"images/{category // 100:03d}/{category % 100:02d}/{image_id}.jpg"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    categories = sorted(int(c) for c in rng.choice(32_000, len(SIZES), replace=False))
    labels = np.repeat(categories, SIZES)
    labels = labels[rng.permutation(len(labels))]
    image_ids = sorted(int(i) for i in rng.choice(1_000_000, len(labels), replace=False))
    train = raw / ROOT / "train"
    annotations, images = [], []
    for image_id, category in zip(image_ids, labels, strict=True):
        category = int(category)
        name = _file_name(category, image_id)
        annotations.append(
            {
                "category_id": category,
                "id": image_id,
                "image_id": image_id,
                "region_id": image_id % 3,
            }
        )
        images.append(
            {
                "file_name": name,
                "height": 1000,
                "id": image_id,
                "license": 0,
                "width": 600 + image_id % 90,
            }
        )
        (train / name).parent.mkdir(parents=True, exist_ok=True)
        (train / name).write_bytes(random_image(rng, "JPEG", comment=str(image_id)))
    metadata = {
        "annotations": annotations,
        "categories": [
            {"family": "Asteraceae", "genus": "Aster", "id": c, "name": f"Aster sp. {c} Pérez"}
            for c in categories
        ],
        "images": images,
        "info": {"contributor": "Jardín Botánico", "year": 2020, "version": "1.0"},
        "licenses": [{"id": 0, "name": "CC BY", "url": "https://creativecommons.org/"}],
        DATASET_KEY: [{"id": r, "name": f"Región {r}"} for r in range(3)],
    }
    (train / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    test = raw / ROOT / "test"
    test_images = []
    for k in range(N_KAGGLE_TEST):
        name = f"images/000/{k}.jpg"
        (test / name).parent.mkdir(parents=True, exist_ok=True)
        (test / name).write_bytes(random_image(rng, "JPEG", comment=f"kaggle test {k}"))
        test_images.append({"file_name": name, "height": 1000, "id": k, "license": 0, "width": 680})
    test_meta = {"images": test_images, "info": metadata["info"], "licenses": metadata["licenses"]}
    (test / "metadata.json").write_text(json.dumps(test_meta), encoding="utf-8")
    pd.DataFrame({"Id": range(N_KAGGLE_TEST), "Predicted": 0}).to_csv(
        raw / "sample_submission.csv", index=False
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = json.loads((raw / ROOT / "train" / "metadata.json").read_text(encoding="latin-1"))
    label_of = {a["image_id"]: a["category_id"] for a in original["annotations"]}
    groups: dict[int, list[int]] = {}
    for annotation in original["annotations"]:
        groups.setdefault(annotation["category_id"], []).append(annotation["image_id"])
    expected_train, expected_test = [], []
    for members in groups.values():
        if len(members) == 1:
            expected_train += members
        elif len(members) < 5:
            expected_train += members[:-1]
            expected_test.append(members[-1])
        else:
            left, right = train_test_split(members, test_size=0.2, random_state=0)
            expected_train += left
            expected_test += right
    random.Random(0).shuffle(expected_test)

    train_meta = json.loads((public / ROOT / "train" / "metadata.json").read_text())
    assert [i["id"] for i in train_meta["images"]] == expected_train
    assert [a["image_id"] for a in train_meta["annotations"]] == expected_train
    for key in ("categories", "info", "licenses", DATASET_KEY):
        assert train_meta[key] == original[key], key
    assert "Ã©" in train_meta["categories"][0]["name"]  # MLE-bench's Latin-1 reading, kept
    text = (public / ROOT / "train" / "metadata.json").read_text()
    assert text == json.dumps(train_meta, indent=4, sort_keys=True)
    for image in train_meta["images"]:
        assert image_comment(public / ROOT / "train" / image["file_name"]) == str(image["id"])

    test_meta = json.loads((public / ROOT / "test" / "metadata.json").read_text())
    assert sorted(test_meta) == ["images", "info", "licenses"]
    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    n = len(expected_test)
    assert answers["Id"].tolist() == sample["Id"].tolist() == list(range(n)) and n > 20
    assert (sample["Predicted"] == 0).all()
    assert answers["Predicted"].tolist() == [label_of[i] for i in expected_test]
    for k, image in enumerate(test_meta["images"]):
        assert image["id"] == str(k) and image["file_name"] == f"images/{k // 1000:03d}/{k}.jpg"
        path = public / ROOT / "test" / image["file_name"]
        assert image_comment(path) == str(expected_test[k])
    assert len(list((public / ROOT / "test").rglob("*.jpg"))) == n
    assert len(list((public / ROOT / "train").rglob("*.jpg"))) == len(expected_train)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's own rule: every Predicted value is a whole-number category id."""
    one_text = sample.astype({"Predicted": object})
    one_text.loc[0, "Predicted"] = "Aster"
    fraction = sample.astype({"Predicted": float})
    fraction.loc[0, "Predicted"] = 3.7
    return [
        ("text category", one_text, "not a whole-number category id, e.g. 'Aster'"),
        ("fractional category", fraction, "not a whole-number category id, e.g. 3.7"),
        ("missing value", sample.assign(Predicted=np.nan), "empty value"),
    ]
