"""A tiny iNaturalist 2019 download: 30 species, 1 to 12 training images each, in Kaggle's layout.

Kaggle ships ``train_val2019.tar.gz`` (gzipped tar of ``train_val2019/<group>/<category
id>/<hex>.jpg``, training and validation images), ``train2019.json`` and ``val2019.json``
(COCO-style: ``info``, ``images`` {id, file_name, width, height, license, rights_holder},
``annotations`` {id, image_id, category_id}, ``categories``, ``licenses``; ``annotations[i]``
describes ``images[i]``), ``test2019.json``, ``test2019.tar.gz`` and
``kaggle_sample_submission.csv`` (``id``, ``predicted``). Here the JSON entries and the tar
members are in random order, and each 8x8 JPEG carries its image id in its comment.
"""

from __future__ import annotations

import io
import json
import random
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

GROUPS = ["Plants", "Insects", "Birds", "Fungi", "Reptiles", "Amphibians"]
SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] + [1, 2, 3, 4, 5] * 2 + [6, 7, 2, 9, 3, 5, 4, 8]
N_VAL, N_KAGGLE_TEST = 12, 4

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train2019.json": None,
    "public/val2019.json": None,
    "public/test2019.json": None,
    "public/train_val2019.tar.gz": None,
    "public/test2019.tar.gz": None,
    "public/kaggle_sample_submission.csv": ["id", "predicted"],
    "private/answers.csv": ["id", "predicted"],
}


def _tar(path: Path, members: list[tuple[str, bytes]], compression: str) -> None:
    with tarfile.open(path, f"w:{compression}") as out:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1559000000
            out.addfile(info, io.BytesIO(data))


def _entries(rng: np.random.Generator, ids: list[int], labels: list[int], group: dict[int, str]):
    images, annotations, members = [], [], []
    for number, (image_id, category) in enumerate(zip(ids, labels, strict=True)):
        name = f"train_val2019/{group[category]}/{category}/{rng.bytes(16).hex()}.jpg"
        images.append(
            {
                "id": image_id,
                "file_name": name,
                "width": 800,
                "height": 600,
                "license": 1,
                "rights_holder": f"user {number}",
            }
        )
        annotations.append({"id": image_id, "image_id": image_id, "category_id": category})
        members.append((name, random_image(rng, "JPEG", comment=str(image_id))))
    return images, annotations, members


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    categories = sorted(int(c) for c in rng.choice(1010, len(SIZES), replace=False))
    group = {c: GROUPS[c % len(GROUPS)] for c in categories}
    labels = [int(c) for c in rng.permutation(np.repeat(categories, SIZES))]
    train_ids = list(range(len(labels)))
    val_ids = list(range(len(labels), len(labels) + N_VAL))
    val_labels = [int(c) for c in rng.choice(categories, N_VAL)]
    info = {"year": 2019, "version": "1.0", "description": "iNat2019", "contributor": "iNat"}
    licenses = [{"id": 1, "name": "Attribution-NonCommercial License", "url": "http://x"}]
    category_list = [
        {"id": c, "name": f"Species {c}", "kingdom": group[c], "phylum": "P", "class": "C",
         "order": "O", "family": "F", "genus": "G"}
        for c in categories
    ]  # fmt: skip
    images, annotations, members = _entries(rng, train_ids, labels, group)
    val_images, val_annotations, val_members = _entries(rng, val_ids, val_labels, group)
    for name, images_, annotations_ in (
        ("train2019.json", images, annotations),
        ("val2019.json", val_images, val_annotations),
    ):
        document = {
            "info": info,
            "images": images_,
            "annotations": annotations_,
            "categories": category_list,
            "licenses": licenses,
        }
        (raw / name).write_text(json.dumps(document), encoding="utf-8")
    everything = members + val_members
    order = rng.permutation(len(everything))
    _tar(raw / "train_val2019.tar.gz", [everything[i] for i in order], "gz")

    test_ids = list(range(268_243, 268_243 + N_KAGGLE_TEST))
    test_members = [
        (f"test2019/{rng.bytes(16).hex()}.jpg", random_image(rng, "JPEG")) for _ in test_ids
    ]
    test_images = [
        {
            "id": i,
            "file_name": name,
            "width": 800,
            "height": 600,
            "license": 1,
            "rights_holder": "u",
        }
        for i, (name, _) in zip(test_ids, test_members, strict=True)
    ]
    test_doc = {"info": info, "images": test_images, "licenses": licenses}
    (raw / "test2019.json").write_text(json.dumps(test_doc), encoding="utf-8")
    _tar(raw / "test2019.tar.gz", test_members, "gz")
    pd.DataFrame({"id": test_ids, "predicted": "1 2 3 4 5"}).to_csv(
        raw / "kaggle_sample_submission.csv", index=False
    )


def _members(path: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(path) as archive:
        out = []
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            assert handle is not None
            out.append((member.name, handle.read()))
        return out


def check_split(public: Path, private: Path, raw: Path) -> None:
    from sklearn.model_selection import train_test_split

    original = json.loads((raw / "train2019.json").read_text(encoding="utf-8"))
    label_of = {a["image_id"]: a["category_id"] for a in original["annotations"]}
    name_of = {i["id"]: i["file_name"] for i in original["images"]}
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
            left, right = train_test_split(members, test_size=0.12, random_state=0)
            expected_train += left
            expected_test += right
    random.Random(0).shuffle(expected_test)

    train_meta = json.loads((public / "train2019.json").read_text())
    assert [i["id"] for i in train_meta["images"]] == expected_train
    assert [a["image_id"] for a in train_meta["annotations"]] == expected_train
    assert train_meta["categories"] == original["categories"]
    assert (public / "train2019.json").read_text() == json.dumps(
        train_meta, indent=4, sort_keys=True
    )
    assert (public / "val2019.json").read_bytes() == (raw / "val2019.json").read_bytes()
    test_meta = json.loads((public / "test2019.json").read_text())
    assert sorted(test_meta) == ["images", "info", "licenses"]
    assert [i["id"] for i in test_meta["images"]] == expected_test
    for image in test_meta["images"]:
        assert image["file_name"] == "test2019/" + name_of[image["id"]].split("/")[-1]

    answers = pd.read_csv(private / "answers.csv")
    sample = pd.read_csv(public / "kaggle_sample_submission.csv")
    assert answers["id"].tolist() == sample["id"].tolist() == expected_test
    assert answers["predicted"].tolist() == [label_of[i] for i in expected_test]
    assert sample["predicted"].nunique() == 1
    assert sample["predicted"][0] == random.Random(42).randint(0, 1009)

    # the new tars are plain (uncompressed) tars holding exactly the images of each side,
    # in the raw archive's order, named relative to the old folders
    raw_members = _members(raw / "train_val2019.tar.gz")
    position = {name: k for k, (name, _) in enumerate(raw_members)}
    content = dict(raw_members)
    for archive, ids, rename in (
        ("train_val2019.tar.gz", expected_train, lambda n: n.removeprefix("train_val2019/")),
        ("test2019.tar.gz", expected_test, lambda n: n.split("/")[-1]),
    ):
        assert (public / archive).read_bytes()[:2] != b"\x1f\x8b", f"{archive} is gzipped"
        names = sorted((name_of[i] for i in ids), key=position.__getitem__)
        assert _members(public / archive) == [(rename(n), content[n]) for n in names], archive


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's rules: integer category ids, space-separated, as integers or text."""
    floats = sample.astype({"predicted": float})
    text = sample.astype({"predicted": object})
    text.loc[0, "predicted"] = "Species"
    second = sample.astype({"predicted": str})
    second.loc[0, "predicted"] = "5 x 9"
    return [
        ("float ids", floats, "must hold integer category ids"),
        ("text id", text, "found 'Species' at data row 1"),
        ("text second token", second, "found '5 x 9' at data row 1"),
        ("missing value", sample.assign(predicted=np.nan), "found an empty cell"),
    ]
