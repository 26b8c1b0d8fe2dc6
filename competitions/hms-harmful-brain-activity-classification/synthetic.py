"""A tiny raw data set in the shape of Kaggle's HMS Harmful Brain Activity download.

Kaggle ships ``train.csv`` (15 columns: ``eeg_id``, ``eeg_sub_id``, ``eeg_label_offset_seconds``,
``spectrogram_id``, ``spectrogram_sub_id``, ``spectrogram_label_offset_seconds``, ``label_id``,
``patient_id``, ``expert_consensus`` and the six ``*_vote`` counts; sorted by ``eeg_id``, several
windows per EEG, several EEGs per spectrogram), ``train_eegs/<eeg_id>.parquet`` (one float32 column
per electrode plus EKG), ``train_spectrograms/<spectrogram_id>.parquet`` (``time`` and one column
per region and frequency, e.g. ``LL_0.59``), the same for ``test_*``, ``test.csv``
(``spectrogram_id``, ``eeg_id``, ``patient_id``), ``sample_submission.csv`` and
``example_figures/`` (PNG plots). Here 40 spectrograms, 1-2 EEGs each, 1-4 windows per EEG.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.competitions.media import random_image

from .prepare import ID, PUBLIC_TEST_COLUMNS, SPECTROGRAM, TARGETS, TEST_SIZE

N_SPECTROGRAMS, N_KAGGLE_TEST = 40, 2
CONSENSUS = ["Seizure", "LPD", "GPD", "LRDA", "GRDA", "Other"]
ELECTRODES = ["Fp1", "F3", "C3", "P3", "F7", "T3", "T5", "O1", "Fz", "Cz", "Pz", "Fp2", "F4", "C4",
              "P4", "F8", "T4", "T6", "O2", "EKG"]  # fmt: skip
BANDS = ["LL_0.59", "LL_0.78", "RL_0.59", "LP_0.59", "RP_0.59"]
FIGURES = ["Seizure.png", "LPD.png", "GPD.png", "LRDA.png", "GRDA.png"]
COLUMNS = [ID, "eeg_sub_id", "eeg_label_offset_seconds", SPECTROGRAM, "spectrogram_sub_id",
           "spectrogram_label_offset_seconds", "label_id", "patient_id", "expert_consensus",
           *TARGETS]  # fmt: skip

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": PUBLIC_TEST_COLUMNS,
    "public/sample_submission.csv": [ID, *TARGETS],
    "public/train_eegs": None,
    "public/test_eegs": None,
    "public/train_spectrograms": None,
    "public/test_spectrograms": None,
    "public/example_figures/Seizure.png": None,
    "private/test.csv": COLUMNS,
    "private/gold_submission.csv": [ID, *TARGETS],
}


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def _eeg(rng: np.random.Generator) -> pd.DataFrame:
    return pd.DataFrame(
        {name: rng.normal(0, 30, size=10).astype(np.float32) for name in ELECTRODES}
    )


def _spectrogram(rng: np.random.Generator) -> pd.DataFrame:
    frame = pd.DataFrame({"time": np.arange(1, 7, 2, dtype=np.int64)})
    for band in BANDS:
        frame[band] = rng.gamma(2.0, 3.0, size=3).astype(np.float32)
    return frame


def _rows(rng: np.random.Generator) -> pd.DataFrame:
    spectrograms = rng.choice(2**31, size=N_SPECTROGRAMS, replace=False)
    eeg_ids = iter(int(v) for v in rng.choice(2**32, size=3 * N_SPECTROGRAMS, replace=False))
    records = []
    for spectrogram in spectrograms.tolist():
        patient = int(rng.integers(10_000, 65_536))
        spectrogram_offset = 0.0
        for sub_spectrogram, eeg in enumerate([next(eeg_ids) for _ in range(rng.integers(1, 3))]):
            del sub_spectrogram
            votes = rng.integers(0, 4, size=len(TARGETS))
            votes[rng.integers(len(TARGETS))] += 1  # at least one vote per window
            for sub in range(int(rng.integers(1, 5))):
                if rng.random() < 0.4:  # a later window with other votes
                    votes = rng.integers(0, 3, size=len(TARGETS))
                    votes[rng.integers(len(TARGETS))] += 1
                records.append(
                    {
                        ID: eeg,
                        "eeg_sub_id": sub,
                        "eeg_label_offset_seconds": float(2 * sub),
                        SPECTROGRAM: spectrogram,
                        "spectrogram_sub_id": 0,
                        "spectrogram_label_offset_seconds": spectrogram_offset,
                        "label_id": int(rng.integers(0, 2**32)),
                        "patient_id": patient,
                        "expert_consensus": CONSENSUS[int(np.argmax(votes))],
                        **dict(zip(TARGETS, votes.tolist(), strict=True)),
                    }
                )
                spectrogram_offset += 2.0
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    frame["spectrogram_sub_id"] = frame.groupby(SPECTROGRAM).cumcount()
    return frame.sort_values(ID, kind="stable").reset_index(drop=True)


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    rows = _rows(rng)
    rows.to_csv(raw / "train.csv", index=False)
    for eeg in rows[ID].unique():
        _parquet(_eeg(rng), raw / "train_eegs" / f"{eeg}.parquet")
    for spectrogram in rows[SPECTROGRAM].unique():
        _parquet(_spectrogram(rng), raw / "train_spectrograms" / f"{spectrogram}.parquet")
    test = pd.DataFrame(
        {SPECTROGRAM: [853520, 1013320], ID: [3911565283, 4055654188], "patient_id": [6885, 2419]}
    )[:N_KAGGLE_TEST]
    test.to_csv(raw / "test.csv", index=False)
    for eeg, spectrogram in zip(test[ID], test[SPECTROGRAM], strict=True):
        _parquet(_eeg(rng), raw / "test_eegs" / f"{eeg}.parquet")
        _parquet(_spectrogram(rng), raw / "test_spectrograms" / f"{spectrogram}.parquet")
    sample = test[[ID]].assign(**dict.fromkeys(TARGETS, 1 / 6))
    sample.to_csv(raw / "sample_submission.csv", index=False)
    (raw / "example_figures").mkdir()
    for name in FIGURES:
        (raw / "example_figures" / name).write_bytes(random_image(rng, "PNG", size=16))


def check_split(public: Path, private: Path, raw: Path) -> None:
    from mle_track.competitions.preparing import split

    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    answers = pd.read_csv(private / "test.csv")
    spectrograms = pd.DataFrame({SPECTROGRAM: original[SPECTROGRAM].unique()})
    n_test = math.ceil(TEST_SIZE * len(spectrograms))
    _, expected_test = split(spectrograms, test_size=TEST_SIZE)
    assert n_test == 4 and set(answers[SPECTROGRAM]) == set(expected_test[SPECTROGRAM])
    in_test = original[SPECTROGRAM].isin(expected_test[SPECTROGRAM])
    pd.testing.assert_frame_equal(answers, original[in_test].reset_index(drop=True))
    pd.testing.assert_frame_equal(train, original[~in_test].reset_index(drop=True))
    assert set(train[ID]).isdisjoint(answers[ID])
    assert not answers[ID].is_unique, "the synthetic test set should repeat an eeg_id"
    public_test = pd.read_csv(public / "test.csv")
    pd.testing.assert_frame_equal(public_test, answers[PUBLIC_TEST_COLUMNS])
    gold = pd.read_csv(private / "gold_submission.csv")
    votes = answers[TARGETS].to_numpy(dtype=float)
    np.testing.assert_allclose(gold[TARGETS], votes / votes.sum(axis=1, keepdims=True))
    assert gold[ID].tolist() == answers[ID].tolist()
    sample = pd.read_csv(public / "sample_submission.csv", float_precision="round_trip")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGETS] == 1 / 6).all().all()
    for side, frame in (("train", train), ("test", answers)):
        for kind, column in (("eegs", ID), ("spectrograms", SPECTROGRAM)):
            names = {f"{v}.parquet" for v in frame[column]}
            assert {p.name for p in (public / f"{side}_{kind}").iterdir()} == names
            for name in names:
                linked = (public / f"{side}_{kind}" / name).read_bytes()
                assert linked == (raw / f"train_{kind}" / name).read_bytes()
    assert sorted(p.name for p in (public / "example_figures").iterdir()) == sorted(FIGURES)


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    first = TARGETS[0]
    cases: list[tuple[str, pd.DataFrame, str]] = []

    def cell(label: str, value: object, reason: str, column: str = first) -> None:
        changed = sample.copy()
        changed[column] = changed[column].astype(object)
        changed.loc[0, column] = value
        cases.append((label, changed, reason))

    cell("text for a share", "high", "must be numeric")
    cell("a missing share", np.nan, "missing, NaN or infinite")
    cell("an infinite share", np.inf, "missing, NaN or infinite")
    cell("a share above one", 1.5, "outside [0, 1]")
    cell("a negative share", -0.1, "outside [0, 1]")
    cell("a row summing to 1.3", 1 / 6 + 0.3, "do not sum to 1")
    # within the library's tolerance, but not 1 once rounded to 5 decimals (MLE-bench's check)
    cell("a row summing to 1.000008", 1 / 6 + 8e-6, "rounded to 5 decimals")
    repeated = sample[ID].value_counts()
    twice = repeated[repeated > 1].index[0]
    other = sample[ID][sample[ID] != twice].iloc[0]
    shifted = sample.copy()
    shifted.loc[shifted.index[shifted[ID] == twice][0], ID] = other  # same id set, other counts
    cases.append(("same ids, other multiplicity", shifted, "one row per test window"))
    cases.append(("an extra column", sample.assign(extra=0.0), "unexpected column(s) 'extra'"))
    cases.append(("a training eeg", _with_id(sample, 12), "not in the test set"))
    return cases


def _with_id(sample: pd.DataFrame, value: int) -> pd.DataFrame:
    changed = sample.copy()
    changed.loc[0, ID] = value
    return changed
