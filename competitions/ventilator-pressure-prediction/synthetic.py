"""A tiny raw dataset in the shape of Kaggle's ventilator-pressure-prediction download.

Kaggle ships ``train.csv`` (``id``, ``breath_id``, ``R``, ``C``, ``time_step``, ``u_in``, ``u_out``,
``pressure``; 80 time steps per breath), ``test.csv`` (without ``pressure``) and
``sample_submission.csv``. Here: 40 breaths of 10 steps with full-precision floats (the prepared
files keep 10 significant digits); breath ids have gaps and the breaths are not in id order in
the file, so the split's regrouping shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

N_BREATHS, STEPS = 40, 10
COLUMNS = ["id", "breath_id", "R", "C", "time_step", "u_in", "u_out", "pressure"]

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.csv": COLUMNS,
    "public/test.csv": COLUMNS[:-1],
    "public/sample_submission.csv": ["id", "pressure"],
    "private/test.csv": COLUMNS,
}


def _breaths(rng: np.random.Generator, breath_ids: np.ndarray, first_id: int) -> pd.DataFrame:
    rows = []
    for breath in breath_ids:
        r, c = int(rng.choice([5, 20, 50])), int(rng.choice([10, 20, 50]))
        times = np.cumsum(rng.uniform(0.03, 0.04, STEPS)) - 0.03
        u_in = rng.uniform(0, 100, STEPS)
        u_out = (np.arange(STEPS) >= int(rng.integers(3, 6))).astype(int)
        pressure = 5 + np.cumsum(u_in) / (r + c) + rng.normal(0, 0.5, STEPS)
        for step in range(STEPS):
            rows.append((int(breath), r, c, times[step], u_in[step], u_out[step], pressure[step]))
    frame = pd.DataFrame(rows, columns=COLUMNS[1:])
    frame.insert(0, "id", np.arange(first_id, first_id + len(frame)))
    return frame


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    breath_ids = np.sort(rng.choice(np.arange(1, 120), N_BREATHS + 3, replace=False))
    train = _breaths(rng, rng.permutation(breath_ids[:N_BREATHS]), first_id=1)
    train.to_csv(raw / "train.csv", index=False)
    test = _breaths(rng, breath_ids[N_BREATHS:], first_id=len(train) + 1).drop(columns="pressure")
    test.to_csv(raw / "test.csv", index=False)
    test[["id"]].assign(pressure=0).to_csv(raw / "sample_submission.csv", index=False)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_csv(raw / "train.csv")
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    answers = pd.read_csv(private / "test.csv")
    sample = pd.read_csv(public / "sample_submission.csv")
    assert answers["breath_id"].nunique() == 4 and train["breath_id"].nunique() == 36
    assert set(train["breath_id"]).isdisjoint(answers["breath_id"])
    assert len(train) + len(answers) == len(original)
    for frame in (train, answers):
        assert frame["id"].tolist() == list(range(1, len(frame) + 1))
        # breaths stay whole and in file order; values kept to 10 significant digits
        for breath, group in frame.groupby("breath_id"):
            raw_group = original[original["breath_id"] == breath]
            assert np.allclose(group["time_step"], raw_group["time_step"], rtol=1e-9, atol=0)
            assert group["u_out"].tolist() == raw_group["u_out"].tolist()
    assert test.columns.tolist() == COLUMNS[:-1]
    assert test.drop(columns="id").equals(answers.drop(columns=["id", "pressure"]))
    assert sample["id"].tolist() == answers["id"].tolist() and (sample["pressure"] == 0).all()
    written = pd.read_csv(private / "test.csv", dtype=str)
    for column in ("time_step", "u_in", "pressure"):  # written with 10 significant digits
        assert all(f"{float(v):.10g}" == v for v in written[column]), column


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """Value rules: numbers, with gaps allowed only in unscored (u_out = 1) rows."""
    scored = int(np.flatnonzero(answers["u_out"].to_numpy() == 0)[0])
    expiratory = int(np.flatnonzero(answers["u_out"].to_numpy() == 1)[0])

    def with_value(row: int, value: object) -> pd.DataFrame:
        frame = sample.astype({"pressure": object})
        frame.loc[row, "pressure"] = value
        return frame

    return [
        ("text in a scored row", with_value(scored, "high"), "must be numeric, found 'high'"),
        ("text in an unscored row", with_value(expiratory, "low"), "must be numeric, found 'low'"),
        ("gap in a scored row", with_value(scored, np.nan), "missing, NaN or infinite in scored"),
        ("infinite unscored value", with_value(expiratory, np.inf), "infinite pressure value(s)"),
        ("ids as floats", sample.assign(id=sample["id"] + 0.0), "not in the test set"),
    ]
