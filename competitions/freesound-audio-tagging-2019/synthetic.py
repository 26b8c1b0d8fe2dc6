"""A tiny raw data set in the shape of Kaggle's freesound-audio-tagging-2019 download, plus the
post-competition metadata MLE-bench fetches from Zenodo.

Kaggle ships ``train_curated.csv`` and ``train_noisy.csv`` (``fname`` = 8 hex digits + ``.wav``,
``labels`` = comma-joined class names), ``train_curated.zip``, ``train_noisy.zip`` and
``test.zip`` (the WAV clips at the archive root) and ``sample_submission.csv`` (``fname`` + the
80 classes, all 0). ``FSDKaggle2019.meta.zip`` holds ``FSDKaggle2019.meta/`` with
``test_post_competition.csv`` (``fname``, ``labels``, ``usage``, ``freesound_id``, ``license``)
and the other post-competition tables; only its "Private" rows are the test set. Here 30 + 40
training clips, 25 private and 6 public test clips, 100 frames at 44.1 kHz each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_samples, wav_bytes, zip_members

from .prepare import CLASSES

N_CURATED, N_NOISY, N_PRIVATE, N_PUBLIC = 30, 40, 25, 6

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train_curated.csv": ["fname", "labels"],
    "public/train_noisy.csv": ["fname", "labels"],
    "public/sample_submission.csv": ["fname", *CLASSES],
    "public/train_curated.zip": None,
    "public/train_noisy.zip": None,
    "public/test.zip": None,
    "private/test.csv": ["fname", *CLASSES],
}


def _names(rng: np.random.Generator, n: int) -> list[str]:
    return [f"{rng.bytes(4).hex()}.wav" for _ in range(n)]


def _labels(rng: np.random.Generator, n: int) -> list[str]:
    counts = rng.choice([1, 1, 1, 2, 3], size=n)
    return [",".join(rng.choice(CLASSES, size=k, replace=False)) for k in counts]


def _clips(archive: Path, names: list[str], rng: np.random.Generator) -> None:
    clips = {n: wav_bytes(random_samples(rng, 100, 3000), rate=44_100) for n in names}
    zip_members(archive, clips)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    for name, n in (("train_curated", N_CURATED), ("train_noisy", N_NOISY)):
        names = _names(rng, n)
        frame = pd.DataFrame({"fname": names, "labels": _labels(rng, n)})
        frame.to_csv(raw / f"{name}.csv", index=False)
        _clips(raw / f"{name}.zip", names, rng)
    private, public = _names(rng, N_PRIVATE), _names(rng, N_PUBLIC)
    _clips(raw / "test.zip", private, rng)
    sample = pd.DataFrame({"fname": private, **{c: 0 for c in CLASSES}})
    sample.to_csv(raw / "sample_submission.csv", index=False)
    labels = _labels(rng, N_PRIVATE + N_PUBLIC)
    labels[0] = f"{labels[0]},Not_a_class"  # dropped silently, as by MLE-bench
    order = rng.permutation(N_PRIVATE + N_PUBLIC)  # private and public rows interleaved
    test = pd.DataFrame(
        {
            "fname": np.array(private + public)[order],
            "labels": np.array(labels)[order],
            "usage": np.array(["Private"] * N_PRIVATE + ["Public"] * N_PUBLIC)[order],
            "freesound_id": rng.integers(1000, 400_000, N_PRIVATE + N_PUBLIC),
            "license": "CC-BY",
        }
    )
    meta = "FSDKaggle2019.meta"
    zip_members(
        raw / f"{meta}.zip",
        {
            f"{meta}/": b"",
            f"{meta}/test_post_competition.csv": test.to_csv(index=False),
            f"{meta}/train_curated_post_competition.csv": "fname,labels\n",
        },
    )


def check_split(public: Path, private: Path, raw: Path) -> None:
    for name in (
        "train_curated.csv",
        "train_noisy.csv",
        "sample_submission.csv",
        "train_curated.zip",
        "train_noisy.zip",
        "test.zip",
    ):
        assert (public / name).read_bytes() == (raw / name).read_bytes(), name
    assert sorted(p.name for p in public.iterdir()) == sorted(
        [p.name for p in raw.iterdir() if "FSDKaggle2019.meta" not in p.name] + ["description.md"]
    )
    import zipfile

    with zipfile.ZipFile(raw / "FSDKaggle2019.meta.zip") as archive:
        meta = pd.read_csv(archive.open("FSDKaggle2019.meta/test_post_competition.csv"))
    expected = meta[meta["usage"] == "Private"]
    answers = pd.read_csv(private / "test.csv")
    assert answers["fname"].tolist() == expected["fname"].tolist()
    for row, text in zip(answers.itertuples(index=False), expected["labels"], strict=True):
        truth = {c for c, v in zip(CLASSES, row[1:], strict=True) if v == 1}
        assert truth == set(text.split(",")) - {"Not_a_class"}, (row[0], text)
    assert answers[list(CLASSES)].isin([0, 1]).all().all()
    assert (answers[list(CLASSES)].sum(axis=1) >= 1).all()
    assert not (private / "FSDKaggle2019.meta").exists()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's column rules (fname first, the 80 classes in order, nothing else) and values
    that are not finite numbers."""
    classes = list(sample.columns[1:])
    reordered = sample[["fname", classes[1], classes[0], *classes[2:]]]
    id_last = sample[[*classes, "fname"]]
    text = sample.astype({classes[3]: object})
    text.loc[0, classes[3]] = "high"
    missing = sample.astype({classes[0]: float})
    missing.loc[1, classes[0]] = np.nan
    infinite = sample.astype({classes[5]: float})
    infinite.loc[0, classes[5]] = np.inf
    return [
        ("two classes swapped", reordered, "column 2 is"),
        ("fname last", id_last, "columns must be in the order of sample_submission.csv"),
        ("an extra column", sample.assign(Other=0), "unexpected column(s) 'Other'"),
        ("text for a score", text, "must be numeric"),
        ("a missing score", missing, "missing, NaN or infinite"),
        ("an infinite score", infinite, "missing, NaN or infinite"),
        ("only booleans", sample.astype({c: bool for c in classes}), "only True/False"),
    ]
