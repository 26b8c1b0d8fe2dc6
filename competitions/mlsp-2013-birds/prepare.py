"""MLSP 2013 birds: a new test fold carved out of the labelled recordings, ids renumbered.

Kaggle's own test recordings (fold 1) have hidden labels, so, like MLE-bench, only the labelled
fold 0 is kept and a random fifth of it (``DataFrame.sample(frac=0.2, random_state=0)`` on the
fold-0 rows in file order) becomes the new test fold. Every recording is then renumbered
0..N-1 in CVfolds order, and every text file that carries a ``rec_id`` is filtered and rewritten
with the new ids; only the media of kept recordings is copied.

The Kaggle download holds one inner archive, ``mlsp_contest_dataset.zip``. It is read in place
(or from an already extracted ``mlsp_contest_dataset/`` folder), never extracted into ``raw/``:
``raw/`` may be hard links to the user's own files, which must not be overwritten.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

DATASET = "mlsp_contest_dataset"
ESSENTIAL = "essential_data"
SUPPLEMENTAL = "supplemental_data"
N_SPECIES = 19
TEST_FRACTION = 0.2
#: MLE-bench asserts this size of the new test fold on the real data (322 labelled recordings)
REAL_LABELLED, REAL_TEST = 322, 64
#: per-recording spectrogram folders; segmentation examples exist only for some recordings
ALWAYS_PRESENT = ("filtered_spectrograms", "spectrograms", "supervised_segmentation")
SOMETIMES_PRESENT = ("segmentation_examples",)
#: supplemental text files keyed by rec_id in their first field
KEYED_FILES = ("histogram_of_segments.txt", "segment_features.txt", "segment_rectangles.txt")
#: MLE-bench writes this header on all three keyed files, whatever their original header was
KEYED_HEADER = "rec_id,[histogram of segment features]"
LABELS_HEADER = "rec_id,[labels]"


class Dataset:
    """Files of ``mlsp_contest_dataset/``, from the inner zip or from an extracted folder."""

    def __init__(self, raw: Path) -> None:
        folder = raw / DATASET
        self._folder = folder if folder.is_dir() else None
        self._zip = None if self._folder else zipfile.ZipFile(raw / f"{DATASET}.zip")
        self._names = set(self._zip.namelist()) if self._zip else set()

    def exists(self, relative: str) -> bool:
        if self._folder is not None:
            return (self._folder / relative).is_file()
        return f"{DATASET}/{relative}" in self._names

    def read_bytes(self, relative: str) -> bytes:
        if self._folder is not None:
            return (self._folder / relative).read_bytes()
        assert self._zip is not None
        return self._zip.read(f"{DATASET}/{relative}")

    def lines(self, relative: str) -> list[str]:
        """The text lines, as ``open(...).read().splitlines()`` gives them."""
        return self.read_bytes(relative).decode("utf-8").splitlines()

    def read_csv(self, relative: str) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(self.read_bytes(relative)), float_precision="round_trip")

    def copy(self, relative: str, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.read_bytes(relative))

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def parse_labels(lines: list[str]) -> list[tuple[int, str]]:
    """``rec_labels_test_hidden.txt`` → ``(rec_id, "11,12")`` pairs in file order (header skipped).

    A recording without any species is a line with its id alone; its labels are ``""``.
    """
    pairs = []
    for line in lines[1:]:
        fields = line.split(",")
        pairs.append((int(fields[0]), ",".join(fields[1:]) if len(fields) > 1 else ""))
    return pairs


def write_keyed(lines: list[str], target: Path, new_ids: dict[int, int]) -> None:
    """Keep the rows of kept recordings, with new ids, under MLE-bench's fixed header."""
    rows = []
    for line in lines[1:]:
        first, *rest = line.split(",")
        if int(first) in new_ids:
            rows.append(f"{new_ids[int(first)]},{','.join(rest)}\n")
    target.write_text(KEYED_HEADER + "\n" + "".join(rows), encoding="utf-8")


def prepare(raw: Path, public: Path, private: Path) -> None:
    data = Dataset(raw)
    try:
        _prepare(data, public, private)
    finally:
        data.close()


def _prepare(data: Dataset, public: Path, private: Path) -> None:
    essential, supplemental = public / ESSENTIAL, public / SUPPLEMENTAL
    essential.mkdir(parents=True, exist_ok=True)
    supplemental.mkdir(parents=True, exist_ok=True)

    folds = data.read_csv(f"{ESSENTIAL}/CVfolds_2.txt")
    folds = folds[folds["fold"] == 0].reset_index(drop=True)
    folds.loc[folds.sample(frac=TEST_FRACTION, random_state=0).index, "fold"] = 1
    new_ids = {int(old): new for new, old in enumerate(folds["rec_id"].to_numpy())}
    folds["rec_id"] = folds.index
    folds.to_csv(essential / "CVfolds_2.txt", index=False)
    test_ids = folds.loc[folds["fold"] == 1, "rec_id"].to_numpy()
    test_set = {int(i) for i in test_ids}

    names = data.read_csv(f"{ESSENTIAL}/rec_id2filename.txt")
    names = names[names["rec_id"].isin(new_ids.keys())].copy()
    names["rec_id"] = names["rec_id"].map(new_ids)
    names.to_csv(essential / "rec_id2filename.txt", index=False)

    labels = [
        (new_ids[old], text)
        for old, text in parse_labels(data.lines(f"{ESSENTIAL}/rec_labels_test_hidden.txt"))
        if old in new_ids
    ]
    with (essential / "rec_labels_test_hidden.txt").open("w", encoding="utf-8") as out:
        out.write(LABELS_HEADER + "\n")
        for rec_id, text in labels:
            shown = "?" if rec_id in test_set else text
            out.write(f"{rec_id},{shown}\n" if shown else f"{rec_id}\n")

    answers = _answers(labels, test_set)
    answers.to_csv(private / "answers.csv", index=False)
    sample = pd.DataFrame(
        {
            "Id": [int(r) * 100 + s for r in test_ids for s in range(N_SPECIES)],
            "Probability": 0,
        }
    )
    sample.to_csv(public / "sample_submission.csv", index=False)

    data.copy(f"{ESSENTIAL}/species_list.txt", essential / "species_list.txt")
    _copy_media(data, names["filename"].tolist(), essential, supplemental)
    for name in KEYED_FILES:
        write_keyed(data.lines(f"{SUPPLEMENTAL}/{name}"), supplemental / name, new_ids)

    n = len(folds)
    assert len(test_ids) == round(TEST_FRACTION * n), "test fold size"
    assert n != REAL_LABELLED or len(test_ids) == REAL_TEST, "MLE-bench's 64 test recordings"
    assert len(names) == n, "one file name per kept recording"
    assert len(labels) == n, "one label line per kept recording"
    assert len(answers) == len(sample) == len(test_ids) * N_SPECIES
    assert set(answers["Id"]) == set(sample["Id"]), "sample and answers ids"
    assert answers["Id"].is_unique
    assert list(answers.columns) == list(sample.columns) == ["Id", "Probability"]
    assert len(list((essential / "src_wavs").glob("*.wav"))) == n


def _answers(labels: list[tuple[int, str]], test_set: set[int]) -> pd.DataFrame:
    """One row per (test recording, species): ``Id = rec_id * 100 + species``, 0/1 label."""
    ids: list[int] = []
    present: list[int] = []
    for rec_id, text in labels:
        if rec_id not in test_set:
            continue
        species = {int(s) for s in text.split(",") if s != ""}
        for s in range(N_SPECIES):
            ids.append(rec_id * 100 + s)
            present.append(int(s in species))
    return pd.DataFrame({"Id": np.array(ids, dtype=np.int64), "Probability": present})


def _copy_media(data: Dataset, filenames: list[str], essential: Path, supplemental: Path) -> None:
    (essential / "src_wavs").mkdir(exist_ok=True)
    for folder in (*ALWAYS_PRESENT, *SOMETIMES_PRESENT):  # created even when left empty
        (supplemental / folder).mkdir(exist_ok=True)
    for filename in filenames:
        wav = f"src_wavs/{filename}.wav"
        data.copy(f"{ESSENTIAL}/{wav}", essential / wav)
        for folder in (*ALWAYS_PRESENT, *SOMETIMES_PRESENT):
            relative = f"{SUPPLEMENTAL}/{folder}/{filename}.bmp"
            if folder in ALWAYS_PRESENT or data.exists(relative):
                data.copy(relative, supplemental / folder / f"{filename}.bmp")
    for name in ("segment_clusters.bmp", "segment_mosaic.bmp"):
        data.copy(f"{SUPPLEMENTAL}/{name}", supplemental / name)
