"""Cassava leaf disease: whole TFRecord files of Kaggle's training set become the test set.

As in MLE-bench: the ``*.tfrec`` files of ``train_tfrecords/`` (sorted by name) are split with
``train_test_split(test_size=0.1, random_state=0)``; the images named (``image_name`` feature)
in the test files are the test set. ``train.csv`` rows keep their order on both sides; a row
whose image is in no test file stays in train. The TFRecord files are renamed by their position
in the list the split returns, ``ld_train{i:02d}-<count>.tfrec`` / ``ld_test{i:02d}-<count>``
(``<count>`` kept from the original name). Images and TFRecords are hard-linked. Kaggle's own
test files and sample submission are not used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, link_files, split

from . import tfrecord

ID, TARGET = "image_id", "label"
SAMPLE_LABEL = 4


def prepare(raw: Path, public: Path, private: Path) -> None:
    files = sorted(
        p.name for p in (raw / "train_tfrecords").iterdir() if p.is_file() and p.suffix == ".tfrec"
    )
    train_files, test_files = split(pd.DataFrame({"name": files}), test_size=0.1)
    train_names, test_names = train_files["name"].tolist(), test_files["name"].tolist()
    test_ids: set[str] = set()
    for name in test_names:
        test_ids.update(tfrecord.image_names(raw / "train_tfrecords" / name))

    old_train = pd.read_csv(raw / "train.csv")
    is_test = old_train[ID].isin(test_ids)
    train, test = old_train[~is_test], old_train[is_test]
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(**{TARGET: SAMPLE_LABEL}).to_csv(public / "sample_submission.csv", index=False)

    for side, names in (("train", train_names), ("test", test_names)):
        for index, name in enumerate(names):
            count = Path(name).stem.split("-")[1]
            target = public / f"{side}_tfrecords" / f"ld_{side}{index:02d}-{count}.tfrec"
            link_file(raw / "train_tfrecords" / name, target)
    link_files(train[ID], raw / "train_images", public / "train_images")
    link_files(test[ID], raw / "train_images", public / "test_images")
    shutil.copyfile(raw / "label_num_to_disease_map.json", public / "label_num_to_disease_map.json")

    assert list(old_train.columns) == [ID, TARGET], "train.csv columns"
    assert len(train) + len(test) == len(old_train) and len(test) > 0
    assert set(train[ID]).isdisjoint(test[ID])
    assert sum(1 for _ in (public / "train_images").iterdir()) == len(train)
    assert sum(1 for _ in (public / "test_images").iterdir()) == len(test)
    assert sum(1 for _ in (public / "train_tfrecords").iterdir()) == len(train_names)
    assert sum(1 for _ in (public / "test_tfrecords").iterdir()) == len(test_names)
