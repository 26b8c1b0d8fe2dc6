"""1st and Future - Player Contact Detection: MLE-bench's 90/10 re-split of Kaggle's labelled plays.

Kaggle's test plays are scored by a hidden notebook rerun, so, as MLE-bench does, the labelled
plays are split: the distinct ``game_play`` values of ``train_labels.csv`` in order of first
appearance go through ``train_test_split(test_size=0.1, random_state=0)``. Every table keeps its
raw row order and all its columns on each side: ``train_labels.csv`` becomes
``public/train_labels.csv`` and ``private/test.csv``; the helmet boxes, the tracking and the
video metadata are written as ``train_*`` and ``test_*`` files. The three videos of each play
(``<game_play>_{All29,Endzone,Sideline}.mp4``) are hard-linked into ``train/`` or ``test/``.

Memory: the real tables are large (about 4.7 million label rows and 1.4 million tracking rows),
so each is read in chunks of a million rows and filtered chunk by chunk. A first pass over a
table finds the type pandas gives each column when it reads the whole file, and the filtering
pass reads every chunk with those types, so the text written is what MLE-bench's whole-file
``pandas.read_csv`` (default float parser, as MLE-bench calls it) and ``to_csv`` write.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import link_file

PLAY, CONTACT_ID, TARGET = "game_play", "contact_id", "contact"
LABELS = "train_labels.csv"
#: the other per-play tables, split into ``train_<name>`` and ``test_<name>``
TABLES = ("baseline_helmets.csv", "player_tracking.csv", "video_metadata.csv")
VIEWS = ("All29", "Endzone", "Sideline")
TEST_SIZE = 0.1
CHUNK_ROWS = 1_000_000


def _chunks(path: Path, dtypes: dict[str, str] | None = None) -> Iterable[pd.DataFrame]:
    return pd.read_csv(path, chunksize=CHUNK_ROWS, dtype=dtypes)


def scan(path: Path) -> tuple[dict[str, str], list[str]]:
    """The type pandas gives each column of the whole file (text if any chunk holds text or
    booleans, else a float if any chunk holds a float, else an integer), and the file's
    distinct game plays in order of first appearance."""
    kinds: dict[str, set[str]] = {}
    plays: dict[str, None] = {}
    for chunk in _chunks(path):
        for name, dtype in chunk.dtypes.items():
            kinds.setdefault(str(name), set()).add(dtype.kind)
        plays.update(dict.fromkeys(chunk[PLAY].astype(str)))
    dtypes = {}
    for name, seen in kinds.items():
        if seen - {"i", "f"}:
            dtypes[name] = "object"
        elif "f" in seen:
            dtypes[name] = "float64"
        else:
            dtypes[name] = "int64"
    return dtypes, list(plays)


def split_plays(plays: list[str]) -> tuple[list[str], list[str]]:
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(
        np.array(plays, dtype=object), test_size=TEST_SIZE, random_state=0
    )
    return [str(p) for p in train], [str(p) for p in test]


def split_table(
    source: Path, targets: tuple[Path, Path], plays: tuple[set[str], set[str]]
) -> tuple[int, int]:
    """Write the rows of ``source`` whose play is in each set of ``plays`` to the matching
    target (raw order, all columns); returns the row counts written."""
    dtypes, _ = scan(source)
    counts = [0, 0]
    with targets[0].open("w", newline="") as first, targets[1].open("w", newline="") as second:
        for number, chunk in enumerate(_chunks(source, dtypes)):
            where = chunk[PLAY].astype(str)
            for side, out in enumerate((first, second)):
                kept = chunk[where.isin(plays[side])]
                kept.to_csv(out, index=False, header=number == 0)
                counts[side] += len(kept)
    return counts[0], counts[1]


def split_labels(raw: Path, public: Path, private: Path) -> tuple[list[str], list[str]]:
    source = raw / LABELS
    dtypes, plays = scan(source)
    train_plays, test_plays = split_plays(plays)
    train_set, test_set = set(train_plays), set(test_plays)
    counts = [0, 0]
    with (
        (public / LABELS).open("w", newline="") as train_out,
        (private / "test.csv").open("w", newline="") as test_out,
        (public / "sample_submission.csv").open("w", newline="") as sample_out,
    ):
        for number, chunk in enumerate(_chunks(source, dtypes)):
            where = chunk[PLAY].astype(str)
            train, test = chunk[where.isin(train_set)], chunk[where.isin(test_set)]
            header = number == 0
            train.to_csv(train_out, index=False, header=header)
            test.to_csv(test_out, index=False, header=header)
            sample = pd.DataFrame({CONTACT_ID: test[CONTACT_ID], TARGET: 0})
            sample.to_csv(sample_out, index=False, header=header)
            counts[0] += len(train)
            counts[1] += len(test)
            # each contact_id starts with its play, so disjoint plays mean disjoint ids
            ids, own = chunk[CONTACT_ID].astype(str), where + "_"
            assert all(i.startswith(p) for i, p in zip(ids, own, strict=True)), "contact_id"
    assert counts[0] > 0 and counts[1] > 0, "an empty side of the split"
    return train_plays, test_plays


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    train_plays, test_plays = split_labels(raw, public, private)
    sides = (set(train_plays), set(test_plays))
    for name in TABLES:
        split_table(
            raw / f"train_{name}", (public / f"train_{name}", public / f"test_{name}"), sides
        )

    for folder, plays in (("train", train_plays), ("test", test_plays)):
        (public / folder).mkdir(exist_ok=True)
        for play in plays:
            for view in VIEWS:
                video = f"{play}_{view}.mp4"
                link_file(raw / "train" / video, public / folder / video)

    assert sides[0].isdisjoint(sides[1])
    assert len(list((public / "train").glob("*.mp4"))) == len(VIEWS) * len(train_plays)
    assert len(list((public / "test").glob("*.mp4"))) == len(VIEWS) * len(test_plays)
