"""A tiny raw data set in the shape of Kaggle's tensorflow-speech-recognition-challenge download.

Kaggle ships ``train.7z`` (``train/audio/<word>/<speaker>_nohash_<n>.wav`` for 30 words,
``train/audio/_background_noise_/`` with six long noise WAVs and a README.md, and
``train/validation_list.txt``, ``train/testing_list.txt``, ``train/LICENSE``), ``test.7z``
(``test/audio/clip_<9 hex>.wav``), ``sample_submission.7z`` and a text file. Here seven word
folders and the noise folder, about 150 clips of 100 frames at 16 kHz, with speakers recording
several words and repeats (so file names repeat across folders).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_samples, wav_bytes

WORDS = ["bed", "down", "go", "happy", "no", "up", "yes"]
NOISE = "_background_noise_"
N_SPEAKERS, N_KAGGLE_TEST = 12, 5
TEST_SIZE = 0.1
RATE = 16_000

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train/audio": None,
    "public/test/audio": None,
    "public/sample_submission.csv": ["fname", "label"],
    "private/test.csv": ["fname", "label"],
}


def _wav(rng: np.random.Generator, frames: int = 100) -> bytes:
    return wav_bytes(random_samples(rng, frames=frames, amplitude=2000), rate=RATE)


def _write_7z(archive: Path, members: dict[str, bytes]) -> None:
    import py7zr

    with py7zr.SevenZipFile(archive, "w") as out:
        for name, content in members.items():
            out.writef(io.BytesIO(content), name)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    speakers = [rng.bytes(4).hex() for _ in range(N_SPEAKERS)]
    members: dict[str, bytes] = {}
    listed = []
    for word in WORDS:
        for speaker in rng.choice(speakers, size=9, replace=False):
            for repeat in range(int(rng.integers(1, 4))):
                name = f"{word}/{speaker}_nohash_{repeat}.wav"
                members[f"train/audio/{name}"] = _wav(rng)
                listed.append(name)
    for name in ("doing_the_dishes.wav", "white_noise.wav", "running_tap.wav"):
        members[f"train/audio/{NOISE}/{name}"] = _wav(rng, frames=400)
    members[f"train/audio/{NOISE}/README.md"] = b"Longer recordings of background noise.\n"
    members["train/validation_list.txt"] = "\n".join(listed[::10]).encode() + b"\n"
    members["train/testing_list.txt"] = "\n".join(listed[5::10]).encode() + b"\n"
    members["train/LICENSE"] = b"Creative Commons BY 4.0\n"
    _write_7z(raw / "train.7z", members)
    test_names = [f"clip_{rng.bytes(5).hex()[:9]}.wav" for _ in range(N_KAGGLE_TEST)]
    _write_7z(raw / "test.7z", {f"test/audio/{n}": _wav(rng) for n in test_names})
    sample = pd.DataFrame({"fname": test_names, "label": "silence"}).to_csv(index=False)
    _write_7z(raw / "sample_submission.7z", {"sample_submission.csv": sample.encode()})
    (raw / "link_to_gcp_credits_form.txt").write_text("https://example.invalid/form\n")


def check_split(public: Path, private: Path, raw: Path) -> None:
    import tempfile

    import py7zr
    from sklearn.model_selection import train_test_split

    with py7zr.SevenZipFile(raw / "train.7z") as archive:
        names = [
            n for n in archive.getnames() if n.startswith("train/audio/") and n.endswith(".wav")
        ]
    clips = sorted((n.split("/")[2], n.split("/")[3]) for n in names)
    clips.sort(key=lambda c: f"{c[0]}_{c[1]}")
    train, test = train_test_split(clips, test_size=TEST_SIZE, random_state=0)
    assert len(test) == math.ceil(TEST_SIZE * len(clips))
    answers = pd.read_csv(private / "test.csv")
    assert answers["fname"].tolist() == [f"clip_{i:08d}.wav" for i in range(len(test))]
    assert answers["label"].tolist() == [folder for folder, _ in test]
    train_files = {
        p.relative_to(public / "train" / "audio").as_posix()
        for p in (public / "train" / "audio").rglob("*.wav")
    }
    assert train_files == {f"{folder}/{name}" for folder, name in train}
    test_files = sorted(p.name for p in (public / "test" / "audio").iterdir())
    assert test_files == answers["fname"].tolist()
    with tempfile.TemporaryDirectory() as scratch, py7zr.SevenZipFile(raw / "train.7z") as archive:
        archive.extractall(path=scratch)
        audio = Path(scratch) / "train" / "audio"
        for (folder, name), clip in zip(test, answers["fname"], strict=True):
            assert (public / "test" / "audio" / clip).read_bytes() == (
                audio / folder / name
            ).read_bytes()
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample["fname"].tolist() == answers["fname"].tolist()
    assert (sample["label"] == "silence").all() and "silence" not in set(answers["label"])
    assert not (public / "train" / "audio" / NOISE / "README.md").exists()
    assert not list(public.glob("*.txt")), "the list files and the credits form are not passed on"


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's scikit-learn accuracy refuses labels that are not all text."""
    labels = sample["label"].astype(object)
    one_empty = sample.assign(label=[np.nan, *labels.iloc[1:]])
    one_na = sample.assign(label=["NA", *labels.iloc[1:]])
    return [
        ("an empty label", one_empty, "empty value"),
        ("a label read as missing", one_na, "empty value"),
        ("numbers as labels", sample.assign(label=range(len(sample))), "must hold text labels"),
        ("booleans as labels", sample.assign(label=True), "must hold text labels"),
        (
            "a clip of Kaggle's test set",
            sample.assign(fname=["clip_0000adecb.wav", *sample["fname"].iloc[1:]]),
            "not in the test set",
        ),
    ]
