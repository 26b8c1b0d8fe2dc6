"""Kuzushiji Recognition: MLE-bench's 90/10 re-split of Kaggle's labelled pages of old Japanese.

Kaggle's test labels were never released, so ``train.csv`` (one row per page: ``image_id`` and
``labels`` = ``<Unicode> <x> <y> <w> <h>`` boxes) is split with
``train_test_split(test_size=0.1, random_state=0)`` in its released order. The page images are
streamed from ``train_images.zip`` into two new archives, ``train_images.zip`` and
``test_images.zip`` (``<image_id>.jpg`` at the archive root, sorted, fixed timestamps); nothing
is extracted. The gold submission turns each true box ``c x y w h`` into the point
``c x+1 y+1``, as MLE-bench does (inside the box whenever it is at least 2 pixels wide and high).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP, link_file, split

ID, TARGET = "image_id", "labels"
TEST_SIZE = 0.1
SAMPLE_LABELS = "U+003F 1 1 U+FF2F 2 2"


def gold_labels(labels: object) -> str:
    """``c x y w h`` boxes → ``c x+1 y+1`` points; a page without characters stays empty."""
    if not isinstance(labels, str) or not labels.strip():
        return ""
    tokens = labels.split()
    assert len(tokens) % 5 == 0, f"malformed labels {labels[:40]!r}"
    return " ".join(
        f"{c} {int(x) + 1} {int(y) + 1}"
        for c, x, y in zip(tokens[0::5], tokens[1::5], tokens[2::5], strict=True)
    )


def prepare(raw: Path, public: Path, private: Path) -> None:
    labels = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    train, test = split(labels, test_size=TEST_SIZE)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test.assign(**{TARGET: SAMPLE_LABELS}).to_csv(public / "sample_submission.csv", index=False)
    test.assign(**{TARGET: [gold_labels(v) for v in test[TARGET]]}).to_csv(
        private / "gold_submission.csv", index=False
    )
    link_file(raw / "unicode_translation.csv", public / "unicode_translation.csv")
    written = split_images(
        raw / "train_images.zip",
        {"train": set(train[ID]), "test": set(test[ID])},
        {"train": public / "train_images.zip", "test": public / "test_images.zip"},
    )

    assert written == {"train": len(train), "test": len(test)}, written
    assert len(train) + len(test) == len(labels) and labels[ID].is_unique
    assert set(train[ID]).isdisjoint(test[ID])
    assert list(labels.columns) == [ID, TARGET]


def split_images(
    source: Path, ids: dict[str, set[str]], targets: dict[str, Path]
) -> dict[str, int]:
    """Copy each ``<image_id>.jpg`` member of ``source`` into the archive of its part, one
    member at a time, in name order; returns how many went into each archive."""
    written = dict.fromkeys(targets, 0)
    with zipfile.ZipFile(source) as archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir() and m.filename.endswith(".jpg")),
            key=lambda m: PurePosixPath(m.filename).name,
        )
        outs = {
            part: zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
            for part, path in targets.items()
        }
        try:
            for member in members:
                name = PurePosixPath(member.filename).name
                part = next((p for p, known in ids.items() if name[: -len(".jpg")] in known), None)
                if part is None:
                    continue
                info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with archive.open(member) as reader, outs[part].open(info, "w") as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
                written[part] += 1
        finally:
            for out in outs.values():
                out.close()
    return written
