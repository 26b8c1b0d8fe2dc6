"""HMS Harmful Brain Activity Classification: MLE-bench's re-split of Kaggle's labelled EEGs.

Kaggle's test labels were never released, so the rows of ``train.csv`` (one row per labelled
window: ``eeg_id``, ``eeg_sub_id``, offsets, ``spectrogram_id``, ``label_id``, ``patient_id``,
``expert_consensus`` and six vote counts) are split by spectrogram: the distinct
``spectrogram_id`` values, in order of first appearance, go through
``train_test_split(test_size=0.1, random_state=0)``, and every row follows its spectrogram (an
EEG belongs to one spectrogram, so EEGs are disjoint too). Both sides keep the raw row order.

The EEG and spectrogram parquet files of each side are hard-linked from raw ``train_eegs/`` and
``train_spectrograms/`` to ``<side>_eegs/`` and ``<side>_spectrograms/``, never read;
``example_figures/`` is linked file by file. Kaggle's own test files and sample are not read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from mle_track.competitions.preparing import link_file, link_files, split

ID = "eeg_id"
SPECTROGRAM = "spectrogram_id"
TARGETS = ["seizure_vote", "lpd_vote", "gpd_vote", "lrda_vote", "grda_vote", "other_vote"]
PUBLIC_TEST_COLUMNS = [SPECTROGRAM, ID, "patient_id"]
N_COLUMNS = 15
TEST_SIZE = 0.1
#: Kaggle's labelled rows, asserted from REAL_SCALE rows on (real data only)
REAL_ROWS, REAL_SCALE = 106_800, 50_000


def _link_tree(source: Path, target: Path) -> int:
    """Every file below ``source`` at the same place below ``target`` (hard links)."""
    count = 0
    for folder, _, files in os.walk(source):
        for name in sorted(files):
            path = Path(folder) / name
            link_file(path, target / path.relative_to(source))
            count += 1
    target.mkdir(parents=True, exist_ok=True)
    return count


def _parquets(ids: pd.Series) -> list[str]:
    return [f"{value}.parquet" for value in ids.unique()]


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    rows = pd.read_csv(raw / "train.csv", float_precision="round_trip")
    assert len(rows.columns) == N_COLUMNS and set(TARGETS) <= set(rows.columns)
    spectrograms = pd.DataFrame({SPECTROGRAM: rows[SPECTROGRAM].unique()})
    train_ids, test_ids = split(spectrograms, test_size=TEST_SIZE)
    train = rows[rows[SPECTROGRAM].isin(train_ids[SPECTROGRAM])]
    test = rows[rows[SPECTROGRAM].isin(test_ids[SPECTROGRAM])]

    train.to_csv(public / "train.csv", index=False)
    test.to_csv(private / "test.csv", index=False)
    test[PUBLIC_TEST_COLUMNS].to_csv(public / "test.csv", index=False)
    gold = test[[ID, *TARGETS]].copy()
    gold[TARGETS] = gold[TARGETS].div(gold[TARGETS].sum(axis=1), axis=0)  # votes -> shares
    gold.to_csv(private / "gold_submission.csv", index=False)
    gold.assign(**dict.fromkeys(TARGETS, 1 / len(TARGETS))).to_csv(
        public / "sample_submission.csv", index=False
    )

    _link_tree(raw / "example_figures", public / "example_figures")
    counts = {}
    for side, frame in (("train", train), ("test", test)):
        counts[f"{side}_eegs"] = link_files(
            _parquets(frame[ID]), raw / "train_eegs", public / f"{side}_eegs"
        )
        counts[f"{side}_spectrograms"] = link_files(
            _parquets(frame[SPECTROGRAM]),
            raw / "train_spectrograms",
            public / f"{side}_spectrograms",
        )

    assert len(train) + len(test) == len(rows) and len(test) > 0
    assert set(train[SPECTROGRAM]).isdisjoint(test[SPECTROGRAM])
    assert set(train[ID]).isdisjoint(test[ID]), "an EEG lies on both sides"
    assert counts["train_spectrograms"] == len(train_ids)
    assert counts["test_spectrograms"] == len(test_ids)
    for name, count in counts.items():
        assert sum(1 for _ in (public / name).iterdir()) == count, name
    assert (rows[TARGETS].sum(axis=1) > 0).all(), "a row without votes"
    if len(rows) >= REAL_SCALE:
        assert len(rows) == REAL_ROWS, f"train.csv has {len(rows)} rows, not {REAL_ROWS}"
