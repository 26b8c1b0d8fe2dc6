"""A tiny right-whale download: ``train2.zip`` with 60 clips over four days, plus Kaggle's test.

Clip names follow Kaggle's ``YYYYMMDD_HHMMSS_<offset>_TRAIN<idx>_<label>.aif``, with the TRAIN
indices shuffled across time as in the real archive (so re-indexing by time is visible). Each
clip is a valid few-hundred-byte AIFF file. ``test2.zip`` and ``sampleSubmission.csv`` are
Kaggle's unlabelled test set and must be ignored.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import aiff_bytes, random_samples, zip_members

DAYS = ["20090328", "20090329", "20090330", "20090331"]
PER_DAY = 15

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train2.zip": None,
    "public/test2.zip": None,
    "public/sampleSubmission.csv": ["clip", "probability"],
    "private/test.csv": ["clip", "probability"],
}


def _aiff(rng: np.random.Generator) -> bytes:
    """A clip of mono 16-bit audio at 2 kHz, the rate of Kaggle's clips."""
    return aiff_bytes(random_samples(rng, frames=100, amplitude=3000), rate=2000)


def _clip_prefix(day: str, second: int) -> str:
    hours, rest = divmod(second, 3600)
    return f"{day}_{hours:02d}{rest // 60:02d}{rest % 60:02d}_{second % 60:03d}s{second % 7}ms"


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    n = len(DAYS) * PER_DAY
    indices = rng.permutation(n)
    labels = (rng.random(n) < 0.3).astype(int)
    labels[-2], labels[-1] = 1, 0  # both classes on the last (test) day
    clips: dict[str, bytes | str] = {"train2/": b""}
    k = 0
    for day in DAYS:
        for second in sorted(rng.choice(86_000, PER_DAY, replace=False)):
            name = f"{_clip_prefix(day, int(second))}_TRAIN{indices[k]}_{labels[k]}.aif"
            clips[f"train2/{name}"] = _aiff(rng)
            k += 1
    zip_members(raw / "train2.zip", clips)
    test_names = [f"{_clip_prefix('20090401', 60 * i)}_Test{i}.aif" for i in range(5)]
    zip_members(raw / "test2.zip", {f"test2/{name}": _aiff(rng) for name in test_names})
    pd.DataFrame({"clip": test_names, "probability": 0}).to_csv(
        raw / "sampleSubmission.csv", index=False
    )


def _names(archive: Path, folder: str) -> list[str]:
    """File names inside ``folder/`` of a zip, in archive order."""
    prefix = f"{folder}/"
    with zipfile.ZipFile(archive) as zf:
        return [n[len(prefix) :] for n in zf.namelist() if n.startswith(prefix) and n != prefix]


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = sorted(_names(raw / "train2.zip", "train2"))
    first, last = (
        [n for n in original if n[:8] in DAYS[:2]],
        [n for n in original if n[:8] in DAYS[2:]],
    )
    train = _names(public / "train2.zip", "train2")
    test = _names(public / "test2.zip", "test2")
    assert len(train) == len(first) == 2 * PER_DAY and len(test) == len(last) == 2 * PER_DAY
    for index, (old, new) in enumerate(zip(first, train, strict=True)):
        assert new == re.sub(r"TRAIN\d+", f"TRAIN{index}", old), (old, new)
    answers = pd.read_csv(private / "test.csv")
    assert answers["clip"].tolist() == test
    for index, (old, new) in enumerate(zip(last, test, strict=True)):
        assert new == old.split("_TRAIN")[0] + f"_Test{index}.aif"
        assert new[:8] in DAYS[2:] and "TRAIN" not in new
        assert answers.loc[index, "probability"] == int(old.endswith("_1.aif"))
    with (
        zipfile.ZipFile(raw / "train2.zip") as source,
        zipfile.ZipFile(public / "test2.zip") as target,
    ):
        assert source.read(f"train2/{last[0]}") == target.read(f"test2/{test[0]}")
    sample = pd.read_csv(public / "sampleSubmission.csv")
    assert sample["clip"].tolist() == test and (sample["probability"] == 0).all()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Kaggle's own test clips are not the test set here (the last two days of train2 are)."""
    clips = ["20090401_000000_000s0ms_Test0.aif", *sample["clip"].iloc[1:]]
    return [("a clip of Kaggle's test set", sample.assign(clip=clips), "not in the test set")]
