"""iNaturalist 2019: a per-species split of Kaggle's training images, repacked as two tars.

As in MLE-bench: ``train2019.json`` pairs ``annotations[i]`` with ``images[i]``. Per
``category_id`` (in order of first appearance, entries in file order) a species of one image
stays in train, one of two to four sends its last image to test, and a larger one is split by
``train_test_split(test_size=0.12, random_state=0)``. ``public/train2019.json`` is the original
object with ``annotations`` and ``images`` replaced by the train entries grouped by species. The
test entries, concatenated by species and shuffled by ``random.Random(0)``, keep their image ids;
their ``file_name`` becomes ``test2019/<basename>``; ``public/test2019.json`` holds their images,
``info`` and ``licenses``. ``val2019.json`` is copied unchanged (its images are not shipped).
Both new JSON files are written as ``json.dump(indent=4, sort_keys=True)`` writes them.

Images: MLE-bench unpacks Kaggle's ``train_val2019.tar.gz`` (about 82 GB) into ``raw/``, copies
the images, then packs ``public/train_val2019.tar.gz`` (members ``<group>/<category>/<name>.jpg``,
without the ``train_val2019/`` folder) and ``public/test2019.tar.gz`` (members ``<name>.jpg``),
both *uncompressed* tar files despite their names. Here the raw archive is streamed once, member
by member, straight into the two new tars (nothing is extracted to disk); members keep the raw
archive's order and get fixed metadata (mode 0644, owner 0, a fixed time), so the output is
reproducible. Kaggle's own test set and sample submission are not used.
"""

from __future__ import annotations

import random
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from mle_track.competitions import cocometa

TEST_SIZE = 0.12
TRAIN_ARCHIVE, TRAIN_FOLDER = "train_val2019.tar.gz", "train_val2019"
TEST_ARCHIVE, TEST_FOLDER = "test2019.tar.gz", "test2019"
#: the sample's prediction: MLE-bench's random.Random(42).randint(0, 1009), drawn afresh per row
SAMPLE_PREDICTION = random.Random(42).randint(0, 1009)
#: the modification time of every member of the new tars (2020-01-01 00:00:00 UTC)
MEMBER_MTIME = 1577836800


def prepare(raw: Path, public: Path, private: Path) -> None:
    meta = cocometa.read(
        raw / "train2019.json",
        {"annotations": ("image_id", "category_id"), "images": ("id", "file_name")},
    )
    annotations, images = meta.fields["annotations"], meta.fields["images"]
    assert annotations["image_id"] == images["id"], "annotations and images are not aligned"
    train, test = cocometa.split_by_category(annotations["category_id"], TEST_SIZE, keep_small=True)
    train_rows = [i for rows in train.values() for i in rows]
    test_rows = cocometa.shuffled([i for rows in test.values() for i in rows])

    cocometa.write_object(
        public / "train2019.json",
        {
            **meta.values,
            "annotations": cocometa.Items(meta.entries("annotations", train_rows)),
            "images": cocometa.Items(meta.entries("images", train_rows)),
        },
    )
    shutil.copyfile(raw / "val2019.json", public / "val2019.json")

    def test_images() -> Iterator[cocometa.Entry]:
        for i in test_rows:
            entry = meta.entry("images", i)
            yield {**entry, "file_name": _test_name(entry["file_name"])}

    public_test = {k: v for k, v in meta.values.items() if k != "categories"}
    assert set(public_test) == {"info", "licenses"}, sorted(public_test)
    cocometa.write_object(
        public / "test2019.json", {**public_test, "images": cocometa.Items(test_images())}
    )

    answers = pd.DataFrame(
        {
            "id": [images["id"][i] for i in test_rows],
            "predicted": [annotations["category_id"][i] for i in test_rows],
        }
    )
    answers.to_csv(private / "answers.csv", index=False)
    answers.assign(predicted=SAMPLE_PREDICTION).to_csv(
        public / "kaggle_sample_submission.csv", index=False
    )

    wanted = {images["file_name"][i]: "train" for i in train_rows}
    wanted.update({images["file_name"][i]: "test" for i in test_rows})
    written = _repack(raw / TRAIN_ARCHIVE, wanted, public)
    missing = [name for name in wanted if name not in written]
    assert not missing, f"{len(missing)} image(s) not in {TRAIN_ARCHIVE}, e.g. {missing[:3]}"

    assert len(train_rows) + len(test_rows) == meta.count("annotations") == meta.count("images")
    assert len(wanted) == len(train_rows) + len(test_rows), "two entries share a file name"
    assert len(answers) == len(test_rows) and answers["id"].is_unique


def _test_name(file_name: str) -> str:
    return f"{TEST_FOLDER}/{file_name.split('/')[-1]}"


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, MEMBER_MTIME, 0o644
    return info


def _repack(archive: Path, wanted: dict[str, str], public: Path) -> set[str]:
    """Stream ``archive`` once; copy each wanted image into the train or test tar."""
    written: set[str] = set()
    prefix = TRAIN_FOLDER + "/"
    with (
        tarfile.open(archive, "r|*") as source,
        tarfile.open(public / TRAIN_ARCHIVE, "w", format=tarfile.PAX_FORMAT) as train_tar,
        tarfile.open(public / TEST_ARCHIVE, "w", format=tarfile.PAX_FORMAT) as test_tar,
    ):
        for member in source:
            name = member.name.removeprefix("./")
            side = wanted.get(name)
            if side is None or not member.isfile() or name in written:
                continue
            data = source.extractfile(member)
            assert data is not None
            if side == "train":
                train_tar.addfile(_member(name.removeprefix(prefix), member.size), data)
            else:
                test_tar.addfile(_member(name.split("/")[-1], member.size), data)
            written.add(name)
    return written
