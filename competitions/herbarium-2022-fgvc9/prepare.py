"""Herbarium 2022: a per-species split of Kaggle's labelled specimens, renumbered on both sides.

As in MLE-bench: ``train_metadata.json`` pairs ``annotations[i]`` with ``images[i]`` (by
``image_id``). Every ``category_id`` (in order of first appearance, entries in file order) is
split by ``train_test_split(test_size=0.2, random_state=0)``, which needs at least two
specimens per species; both sides must be non-empty. Train entry ``j`` (0-based, split order)
of species ``c`` becomes ``image_id`` ``f"{c:05d}__{j + 1:03d}"`` in
``train_images/{c // 100:03d}/{c % 100:02d}/<image_id>.jpg``; the train entries replace
``annotations`` and ``images`` of the original object (all other keys kept) in
``public/train_metadata.json``. The test entries, concatenated by species and shuffled by
``random.Random(0)``, become ``image_id`` ``"k"`` in ``test_images/{k // 1000:03d}/
test-{k:06d}.jpg``; ``public/test_metadata.json`` is the JSON list of their image entries.
Both files are written as ``json.dump(indent=4, sort_keys=True)`` writes them; images are
hard-linked. Kaggle's own test set is not used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mle_track.competitions import cocometa
from mle_track.competitions.preparing import link_file

TEST_SIZE = 0.2
SAMPLE_CATEGORY = 42


def prepare(raw: Path, public: Path, private: Path) -> None:
    meta = cocometa.read(
        raw / "train_metadata.json",
        {"annotations": ("image_id", "category_id"), "images": ("image_id", "file_name")},
    )
    annotations, images = meta.fields["annotations"], meta.fields["images"]
    assert annotations["image_id"] == images["image_id"], "annotations and images are not aligned"
    train, test = cocometa.split_by_category(
        annotations["category_id"], TEST_SIZE, keep_small=False
    )
    assert all(train.values()) and all(test.values()), "a species is missing from one side"
    source = raw / "train_images"

    renamed: list[tuple[int, str, str]] = []  # (entry, new image_id, new file_name)
    for category, rows in train.items():
        for j, i in enumerate(rows):
            new_id = f"{category:05d}__{j + 1:03d}"
            new_name = f"{category // 100:03d}/{category % 100:02d}/{new_id}.jpg"
            renamed.append((i, new_id, new_name))
            link_file(source / images["file_name"][i], public / "train_images" / new_name)

    def train_annotations() -> Iterator[cocometa.Entry]:
        for i, new_id, _ in renamed:
            yield {**meta.entry("annotations", i), "image_id": new_id}

    def train_images() -> Iterator[cocometa.Entry]:
        for i, new_id, new_name in renamed:
            yield {**meta.entry("images", i), "image_id": new_id, "file_name": new_name}

    cocometa.write_object(
        public / "train_metadata.json",
        {
            **meta.values,
            "annotations": cocometa.Items(train_annotations()),
            "images": cocometa.Items(train_images()),
        },
    )

    test_rows = cocometa.shuffled([i for rows in test.values() for i in rows])
    for k, i in enumerate(test_rows):
        link_file(source / images["file_name"][i], public / "test_images" / _test_name(k))
    cocometa.write_list(
        public / "test_metadata.json",
        (
            {**meta.entry("images", i), "image_id": str(k), "file_name": _test_name(k)}
            for k, i in enumerate(test_rows)
        ),
    )

    answers = pd.DataFrame(
        {
            "Id": [str(k) for k in range(len(test_rows))],
            "Predicted": [annotations["category_id"][i] for i in test_rows],
        }
    )
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(Predicted=SAMPLE_CATEGORY).to_csv(public / "sample_submission.csv", index=False)

    assert len(renamed) + len(test_rows) == meta.count("annotations") == meta.count("images")
    assert sum(1 for _ in (public / "train_images").glob("**/*.jpg")) == len(renamed)
    assert sum(1 for _ in (public / "test_images").glob("**/*.jpg")) == len(test_rows)


def _test_name(k: int) -> str:
    return f"{k // 1000:03d}/test-{k:06d}.jpg"
