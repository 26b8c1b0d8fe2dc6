"""Invasive Species Monitoring: MLE-bench's 80/20 re-split of Kaggle's labelled forest photos.

Kaggle ships ``train_labels.csv.zip`` (``train_labels.csv``: ``name``, the photo's number, and
``invasive``, 0 or 1), ``train.7z`` (``train/<name>.jpg``), ``test.7z`` and
``sample_submission.csv.zip``. Kaggle's test labels were never released, so the labelled rows
are split in their released order with ``train_test_split(test_size=0.2, random_state=0)``.

Quirk copied from MLE-bench: it builds the public ``train.7z`` and ``test.7z`` with py7zr's
``write`` on a folder, which stores the folder's own entry and none of the files below it, so
its public archives hold no photos at all. Here each archive likewise holds one empty folder
entry (``train`` / ``test``, with a fixed time, so the bytes are reproducible; MLE-bench's entry
is named by the absolute path of its staging folder). The photos are only listed, never
extracted or decoded: each labelled name must have its ``train/<name>.jpg`` in ``train.7z``.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP, split

ID, TARGET = "name", "invasive"
TEST_SIZE = 0.2
LABELS = "train_labels.csv"
SAMPLE = "sample_submission.csv"
#: the fixed modification time (2020-01-01 UTC) of the empty folder entries
FOLDER_TIME = 1_577_836_800


def read_labels(raw: Path) -> pd.DataFrame:
    """``train_labels.csv``, extracted already or read from its zip."""
    if (raw / LABELS).is_file():
        return pd.read_csv(raw / LABELS, float_precision="round_trip")
    with zipfile.ZipFile(raw / f"{LABELS}.zip") as archive:
        data = archive.read(LABELS)
    return pd.read_csv(io.BytesIO(data), float_precision="round_trip")


def photo_names(raw: Path) -> set[str]:
    """The ``train/*.jpg`` file names of Kaggle's photos (the archive is only listed)."""
    if (raw / "train").is_dir():
        return {p.name for p in (raw / "train").glob("*.jpg")}
    import py7zr

    with py7zr.SevenZipFile(raw / "train.7z", mode="r") as archive:
        names = archive.getnames()
    return {n.removeprefix("train/") for n in names if n.startswith("train/")}


def write_zip(archive: Path, member: str, data: bytes) -> None:
    """``archive`` holding one deflated member with fixed metadata (reproducible bytes)."""
    info = zipfile.ZipInfo(member, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(info, data)


def write_empty_folder_7z(archive: Path, folder_name: str) -> None:
    """A 7z archive holding only the entry of an empty folder (MLE-bench's public archives)."""
    import py7zr

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / folder_name
        folder.mkdir()
        os.chmod(folder, 0o755)
        os.utime(folder, (FOLDER_TIME, FOLDER_TIME))
        with py7zr.SevenZipFile(archive, "w") as out:
            out.write(folder, arcname=folder_name)


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = read_labels(raw)
    assert list(labels.columns) == [ID, TARGET], list(labels.columns)
    train, answers = split(labels, test_size=TEST_SIZE)
    sample = answers.assign(**{TARGET: 0.5})
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    answers.to_csv(private / "answers.csv", index=False)
    sample.to_csv(private / SAMPLE, index=False)
    write_zip(public / f"{LABELS}.zip", LABELS, train.to_csv(index=False).encode())
    write_zip(public / f"{SAMPLE}.zip", SAMPLE, sample.to_csv(index=False).encode())
    write_empty_folder_7z(public / "train.7z", "train")
    write_empty_folder_7z(public / "test.7z", "test")

    assert train[ID].is_unique and answers[ID].is_unique, "names repeat"
    assert set(train[ID]).isdisjoint(answers[ID]), "train and test share names"
    assert len(train) + len(answers) == len(labels) and len(train) > len(answers)
    missing = {f"{n}.jpg" for n in labels[ID]} - photo_names(raw)
    assert not missing, f"{len(missing)} labelled photo(s) missing from train.7z"
