"""A tiny raw dataset in the shape of Kaggle's multi-modal-gesture-recognition download.

Kaggle ships ``training.csv`` (``Id``: the last four digits of a sequence name, zero-padded;
``Sequence``: the gesture numbers 1-20 performed, separated by spaces), ``training1..4.tar.gz``
and ``validation1..3.tar.gz`` (one ``SampleNNNNN.zip`` per sequence at the archive root, holding
``SampleNNNNN_color.mp4``, ``_depth.mp4``, ``_user.mp4``, ``_audio.wav`` and ``_data.mat`` with a
``Video`` structure whose ``Labels`` name each gesture and its frames, empty for validation),
``devel01-40.7z``, ``valid_all_files_combined.7z``, ``sample_code_mmrgc.zip`` and
``randomPredictions.csv``. Here there are 40 labelled sequences, 10 per training archive, each a
zip of a few bytes of "video", a short WAV and a small MAT file.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import py7zr
from scipy.io import savemat

from mle_track.competitions.media import random_samples, wav_bytes

from .prepare import random_predictions, test_ids

NAMES = [
    "vattene",
    "vieniqui",
    "perfetto",
    "furbo",
    "cheduepalle",
    "chevuoi",
    "daccordo",
    "seipazzo",
    "combinato",
    "freganiente",
    "ok",
    "cosatifarei",
    "basta",
    "prendere",
    "noncenepiu",
    "fame",
    "tantotempo",
    "buonissimo",
    "messidaccordo",
    "sonostufo",
]
PER_ARCHIVE = 10
FIRST_VALIDATION = 410

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/training.csv": ["Id", "Sequence"],
    "public/test.csv": ["Id"],
    "public/randomPredictions.csv": ["Id", "Sequence"],
    "public/test.tar.gz": None,
    "public/training1.tar.gz": None,
    "public/validation3.tar.gz": None,
    "public/devel01-40.7z": None,
    "public/valid_all_files_combined.7z": None,
    "public/sample_code_mmrgc.zip": None,
    "private/test.csv": ["Id", "Sequence"],
}


def _mat(gestures: list[int]) -> bytes:
    labels = np.zeros((1, len(gestures)), dtype=[("Name", "O"), ("Begin", "O"), ("End", "O")])
    for i, gesture in enumerate(gestures):
        labels[0, i] = (NAMES[gesture - 1], 10 * i + 1, 10 * i + 8)
    video = {
        "NumFrames": 10 * len(gestures) + 5,
        "FrameRate": 20,
        "MaxDepth": 2000,
        "Labels": labels,
    }
    buffer = io.BytesIO()
    savemat(buffer, {"Video": video})
    return buffer.getvalue()


def _sample_zip(number: int, gestures: list[int], rng: np.random.Generator) -> bytes:
    stem = f"Sample{number:05d}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in ("color", "depth", "user"):
            archive.writestr(f"{stem}_{kind}.mp4", rng.bytes(64))
        archive.writestr(f"{stem}_audio.wav", wav_bytes(random_samples(rng, 160, 2000), 16000))
        archive.writestr(f"{stem}_data.mat", _mat(gestures))
    return buffer.getvalue()


def _tarball(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _seven_zip(path: Path, members: dict[str, bytes]) -> None:
    with py7zr.SevenZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(data, name)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rows = []
    for archive in range(1, 5):
        members = {}
        for k in range(PER_ARCHIVE):
            number = (archive - 1) * PER_ARCHIVE + k + 1
            gestures = [int(g) for g in rng.permutation(np.arange(1, 21))[: rng.integers(6, 13)]]
            members[f"Sample{number:05d}.zip"] = _sample_zip(number, gestures, rng)
            rows.append((f"{number:04d}", " ".join(map(str, gestures))))
        _tarball(raw / f"training{archive}.tar.gz", members)
    pd.DataFrame(rows, columns=["Id", "Sequence"]).to_csv(raw / "training.csv", index=False)
    validation_ids = []
    for archive in range(1, 4):
        number = FIRST_VALIDATION + archive
        validation_ids.append(f"{number:04d}")
        _tarball(
            raw / f"validation{archive}.tar.gz",
            {f"Sample{number:05d}.zip": _sample_zip(number, [], rng)},
        )
    _seven_zip(raw / "devel01-40.7z", {"devel01/devel01_train.csv": b"1,2\n"})
    _seven_zip(raw / "valid_all_files_combined.7z", {"Sample00411_data.mat": _mat([])})
    with zipfile.ZipFile(raw / "sample_code_mmrgc.zip", "w") as archive:
        archive.writestr("sample_code_mmrgc/main.m", "% load a sample\n")
    random_predictions(validation_ids).to_csv(raw / "randomPredictions.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    text = {"dtype": str}
    original = pd.read_csv(raw / "training.csv", **text)
    train = pd.read_csv(public / "training.csv", **text)
    answers = pd.read_csv(private / "test.csv", **text)
    test = pd.read_csv(public / "test.csv", **text)
    sample = pd.read_csv(public / "randomPredictions.csv", **text)
    expected = [f"{n:04d}" for n in range(3 * PER_ARCHIVE + 1, 4 * PER_ARCHIVE + 1)]
    assert test_ids(raw / "training4.tar.gz") == expected
    assert test["Id"].tolist() == sample["Id"].tolist() == answers["Id"].tolist() == expected
    assert train["Id"].tolist() == original["Id"].tolist()[: 3 * PER_ARCHIVE]
    assert answers.equals(original.iloc[3 * PER_ARCHIVE :].reset_index(drop=True))
    for sequence in sample["Sequence"]:
        assert sorted(int(g) for g in sequence.split()) == list(range(1, 21))
    assert (public / "test.tar.gz").read_bytes() == (raw / "training4.tar.gz").read_bytes()
    for name in ("training1.tar.gz", "validation2.tar.gz", "devel01-40.7z"):
        assert (public / name).read_bytes() == (raw / name).read_bytes()
    assert not (public / "training4.tar.gz").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """The grader's rule: each sequence is gesture numbers 1-20 separated by spaces."""

    def first_row(text: object) -> pd.DataFrame:
        changed = sample.astype({"Sequence": object})
        changed.loc[0, "Sequence"] = text
        return changed

    reason = "are not gesture numbers 1-20"
    return [
        ("gesture names", first_row("vattene ok"), reason),
        ("comma-separated gestures", first_row("2,12,3"), reason),
        ("gesture zero", first_row("0 3"), "0 is not a gesture number"),
        ("gesture 21", first_row("21"), "21 is not a gesture number"),
        ("fractional gesture", first_row("2.5 3"), "'2.5' is not an integer"),
        ("empty sequence", first_row(""), "empty value"),
    ]
