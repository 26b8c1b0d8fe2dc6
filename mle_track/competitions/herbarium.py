"""The split Herbarium 2020 and Herbarium 2021 share (their ``prepare.py`` give the paths).

As in MLE-bench: ``metadata.json`` pairs ``annotations[i]`` with ``images[i]``. Per
``category_id`` (in order of first appearance, entries in file order) a species of one specimen
stays in train, one of two to four sends its last specimen to test, and a larger one is split by
``train_test_split(test_size=0.2, random_state=0)``. The train entries, grouped by species,
replace ``annotations`` and ``images`` of the original object (all other keys kept) in the public
train ``metadata.json``; images keep their ids and file names. The test entries, concatenated by
species and shuffled by ``random.Random(0)``, are renumbered: entry ``k`` gets id ``"k"`` and
``images/{k // 1000:03d}/{k}.jpg``; the public test ``metadata.json`` holds only ``images``,
``info`` and ``licenses``. Both files are written as ``json.dump(indent=4, sort_keys=True)``
writes them; images are hard-linked. Herbarium 2022 renumbers both sides and has its own split.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mle_track.competitions import cocometa
from mle_track.competitions.preparing import link_file

TEST_SIZE = 0.2


def prepare_split(
    source: Path,
    train_dir: Path,
    test_dir: Path,
    public: Path,
    private: Path,
    *,
    encoding: str,
    dataset_key: str,
) -> None:
    """The split of Herbarium 2020 and 2021 (see the module): ``source`` holds Kaggle's
    ``metadata.json`` and images; ``dataset_key`` is the dataset-wide key dropped, with the
    categories, from the test metadata."""
    meta = cocometa.read(
        source / "metadata.json",
        {"annotations": ("image_id", "category_id"), "images": ("id", "file_name")},
        encoding=encoding,
    )
    annotations, images = meta.fields["annotations"], meta.fields["images"]
    assert annotations["image_id"] == images["id"], "annotations and images are not aligned"
    train, test = cocometa.split_by_category(annotations["category_id"], TEST_SIZE, keep_small=True)
    train_rows = [i for rows in train.values() for i in rows]
    test_rows = cocometa.shuffled([i for rows in test.values() for i in rows])

    for i in train_rows:
        name = images["file_name"][i]
        link_file(source / name, train_dir / name)
    train_dir.mkdir(parents=True, exist_ok=True)
    cocometa.write_object(
        train_dir / "metadata.json",
        {
            **meta.values,
            "annotations": cocometa.Items(meta.entries("annotations", train_rows)),
            "images": cocometa.Items(meta.entries("images", train_rows)),
        },
    )

    def test_images() -> Iterator[cocometa.Entry]:
        for k, i in enumerate(test_rows):
            yield {**meta.entry("images", i), "id": str(k), "file_name": _test_name(k)}

    for k, i in enumerate(test_rows):
        link_file(source / images["file_name"][i], test_dir / _test_name(k))
    test_dir.mkdir(parents=True, exist_ok=True)
    public_test = {k: v for k, v in meta.values.items() if k not in ("categories", dataset_key)}
    assert set(public_test) == {"info", "licenses"}, sorted(public_test)
    cocometa.write_object(
        test_dir / "metadata.json", {**public_test, "images": cocometa.Items(test_images())}
    )

    answers = pd.DataFrame(
        {
            "Id": [str(k) for k in range(len(test_rows))],
            "Predicted": [annotations["category_id"][i] for i in test_rows],
        }
    )
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(Predicted=0).to_csv(public / "sample_submission.csv", index=False)

    assert len(train_rows) + len(test_rows) == meta.count("annotations") == meta.count("images")
    assert sum(1 for _ in (train_dir / "images").glob("**/*.jpg")) == len(train_rows)
    assert sum(1 for _ in (test_dir / "images").glob("**/*.jpg")) == len(test_rows)


def _test_name(k: int) -> str:
    return f"images/{k // 1000:03d}/{k}.jpg"
