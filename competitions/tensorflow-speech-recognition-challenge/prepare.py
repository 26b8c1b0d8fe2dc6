"""TensorFlow Speech Recognition Challenge: MLE-bench's 90/10 re-split of Kaggle's training clips.

Kaggle's ``train.7z`` (extracted into ``raw/``) holds
``train/audio/<folder>/<speaker>_nohash_<n>.wav``: one-second clips of 30 spoken words, one folder
per word, plus ``_background_noise_/`` with a few long noise recordings. Kaggle's test labels
were never released, so every ``*.wav`` below ``train/audio`` (the noise recordings included) is
one example, labelled with the name of its folder. The clips are ordered by the text
``<folder>_<file name>`` and split with ``test_size=0.1`` and seed 0. Training clips keep their
folder and name; test clips become ``test/audio/clip_<8-digit position in the test split>.wav``,
because names repeat across folders. Clips are hard-linked, never decoded.

As in MLE-bench (its known issue, kept in version 1): the answers are the raw folder names (30
words and ``_background_noise_``), not Kaggle's 12 classes, and the split ignores speakers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, split

ID, TARGET = "fname", "label"
TEST_SIZE = 0.1
AUDIO = Path("train") / "audio"
EXTRACTED = "train.7z.extracted"
SAMPLE_LABEL = "silence"


def audio_folder(raw: Path) -> Path:
    """``raw/train/audio`` when it is there (an extracted copy supplied by the user); else the
    same folder extracted from ``raw/train.7z`` into ``raw/train.7z.extracted/``. Extraction
    goes to a temporary folder renamed when complete, so an interrupted prepare never leaves a
    partial folder that a later one would take for the whole data set."""
    if (raw / AUDIO).is_dir():
        return raw / AUDIO
    target = raw / EXTRACTED
    if not target.is_dir():
        import py7zr

        for stale in raw.glob(".extracting-*"):
            shutil.rmtree(stale, ignore_errors=True)
        scratch = Path(tempfile.mkdtemp(prefix=".extracting-", dir=raw))
        with py7zr.SevenZipFile(raw / "train.7z", "r") as archive:
            archive.extractall(path=scratch)
        os.replace(scratch, target)
    assert (target / AUDIO).is_dir(), "train.7z holds no train/audio/ folder"
    return target / AUDIO


def clips(audio: Path) -> pd.DataFrame:
    """Every ``*.wav`` below ``audio`` with its folder name, ordered by ``<folder>_<name>``."""
    found = [(p.parent.name, p.name, p) for p in audio.rglob("*.wav")]
    found.sort(key=lambda clip: f"{clip[0]}_{clip[1]}")
    return pd.DataFrame(found, columns=["folder", "name", "path"])


def test_name(position: int) -> str:
    return f"clip_{position:08d}.wav"


def prepare(raw: Path, public: Path, private: Path) -> None:
    every = clips(audio_folder(raw))
    train, test = split(every, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    for folder, name, path in train[["folder", "name", "path"]].itertuples(index=False):
        link_file(path, public / "train" / "audio" / folder / name)
    names = [test_name(i) for i in range(len(test))]
    for name, path in zip(names, test["path"], strict=True):
        link_file(path, public / "test" / "audio" / name)
    (public / "test" / "audio").mkdir(parents=True, exist_ok=True)

    answers = pd.DataFrame({ID: names, TARGET: test["folder"].to_numpy()})
    answers.to_csv(private / "test.csv", index=False)
    # One label everywhere: valid; no clip's folder is called "silence", so it scores 0.
    answers.assign(**{TARGET: SAMPLE_LABEL}).to_csv(public / "sample_submission.csv", index=False)

    assert len(train) + len(test) == len(every) and len(train) > len(test)
    assert not every.duplicated(["folder", "name"]).any(), "a folder holds a clip twice"
    n_train = sum(1 for _ in (public / "train" / "audio").rglob("*.wav"))
    n_test = sum(1 for _ in (public / "test" / "audio").glob("*.wav"))
    assert (n_train, n_test) == (len(train), len(test)), (n_train, n_test)
