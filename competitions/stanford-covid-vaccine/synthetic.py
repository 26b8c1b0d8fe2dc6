"""A tiny raw data set in the shape of Kaggle's OpenVaccine (stanford-covid-vaccine) download.

Kaggle ships ``train.json`` and ``test.json`` (JSON lines; ids ``id_`` + 9 hex digits; the
training rows carry ``signal_to_noise``, ``SN_filter``, five per-position error lists and five
measurement lists of ``seq_scored`` values each; ``test.json`` has only ``index``, ``id``,
``sequence``, ``structure``, ``predicted_loop_type``, ``seq_length`` and ``seq_scored``),
``sample_submission.csv`` (``id_seqpos`` and the five measurements, 0.0) and ``bpps/<id>.npy``
(base-pair probability matrices). Here 80 training sequences of 20 bases (14 scored), about a
third of them with ``SN_filter`` 0, and 4 test sequences.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .prepare import FLOAT_FORMAT, ID, KEEP, TARGETS, TEST_FRACTION, answer_rows

N_TRAIN, N_KAGGLE_TEST, LENGTH, SCORED = 80, 4, 20, 14
ERRORS = ["reactivity_error", "deg_error_Mg_pH10", "deg_error_pH10", "deg_error_Mg_50C",
          "deg_error_50C"]  # fmt: skip
TEST_COLUMNS = ["index", "id", "sequence", "structure", "predicted_loop_type", "seq_length",
                "seq_scored"]  # fmt: skip
TRAIN_COLUMNS = [*TEST_COLUMNS[:5], "signal_to_noise", "SN_filter", "seq_length", "seq_scored",
                 *ERRORS, *TARGETS]  # fmt: skip

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.json": None,
    "public/test.json": None,
    "public/sample_submission.csv": [ID, *TARGETS],
    "private/test.csv": [ID, *TARGETS, KEEP],
}


def _structure(rng: np.random.Generator) -> str:
    pairs = int(rng.integers(2, 6))
    loop = LENGTH - 2 * pairs - 4
    return "." * 2 + "(" * pairs + "." * loop + ")" * pairs + "." * 2


def _row(rng: np.random.Generator, index: int, hex_id: str, *, labelled: bool) -> dict[str, object]:
    record: dict[str, object] = {
        "index": index,
        "id": f"id_{hex_id}",
        "sequence": "".join(rng.choice(list("ACGU"), size=LENGTH)),
        "structure": _structure(rng),
        "predicted_loop_type": "".join(rng.choice(list("EHSBXIM"), size=LENGTH)),
        "seq_length": LENGTH,
        "seq_scored": SCORED,
    }
    if labelled:
        noise = float(rng.gamma(2.0, 2.0))
        record = {
            **{k: record[k] for k in TEST_COLUMNS[:5]},
            "signal_to_noise": round(noise, 3),
            "SN_filter": int(noise > 1.0 and rng.random() < 0.8),
            "seq_length": LENGTH,
            "seq_scored": SCORED,
        }
        for name in ERRORS:
            record[name] = [float(v) for v in rng.gamma(2.0, 0.1, size=SCORED).round(4)]
        for name in TARGETS:
            record[name] = [float(v) for v in rng.normal(0.5, 0.4, size=SCORED).round(4)]
    return record


def _write_lines(records: list[dict[str, object]], path: Path) -> None:
    path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records))


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    ids = [f"{int(v):09x}" for v in rng.choice(16**9, size=N_TRAIN + N_KAGGLE_TEST, replace=False)]
    train = [_row(rng, i, ids[i], labelled=True) for i in range(N_TRAIN)]
    test = [_row(rng, i, ids[N_TRAIN + i], labelled=False) for i in range(N_KAGGLE_TEST)]
    _write_lines(train, raw / "train.json")
    _write_lines(test, raw / "test.json")
    sample = pd.DataFrame(
        {ID: [f"{r['id']}_{j}" for r in test for j in range(LENGTH)], **dict.fromkeys(TARGETS, 0.0)}
    )
    sample.to_csv(raw / "sample_submission.csv", index=False)
    (raw / "bpps").mkdir()
    for record in train + test:
        np.save(raw / "bpps" / f"{record['id']}.npy", rng.random((LENGTH, LENGTH)) / LENGTH)


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = pd.read_json(raw / "train.json", lines=True)
    train = pd.read_json(public / "train.json", lines=True)
    test = pd.read_json(public / "test.json", lines=True)
    n_test = int(N_TRAIN * TEST_FRACTION)
    assert len(test) == n_test == 8 and len(train) + n_test == N_TRAIN
    picked = original[original["SN_filter"] > 0].sample(n=n_test, random_state=0).index
    expected_test = original.loc[sorted(picked)]  # file order
    assert test["id"].tolist() == expected_test["id"].tolist()
    assert train["id"].tolist() == original.drop(index=picked)["id"].tolist()
    assert list(train.columns) == TRAIN_COLUMNS and list(test.columns) == TEST_COLUMNS
    assert train["index"].tolist() == list(range(len(train)))
    assert test["index"].tolist() == list(range(len(test)))
    assert (expected_test["SN_filter"] > 0).all()
    answers = pd.read_csv(private / "test.csv")
    expected = answer_rows(expected_test)
    assert answers[ID].tolist() == expected[ID].tolist() and len(answers) == n_test * LENGTH
    assert answers[KEEP].tolist() == expected[KEEP].tolist()
    assert answers[KEEP].sum() == n_test * SCORED
    np.testing.assert_allclose(answers[TARGETS], expected[TARGETS], atol=1e-10)
    assert (answers.loc[~answers[KEEP], TARGETS] == 0).all().all()
    sample = pd.read_csv(public / "sample_submission.csv")
    assert sample[ID].tolist() == answers[ID].tolist() and (sample[TARGETS] == 0).all().all()
    text = (public / "sample_submission.csv").read_text().splitlines()
    assert text[1].endswith(",".join([FLOAT_FORMAT % 0.0] * len(TARGETS)))
    assert not (public / "bpps").exists()  # not published, as in MLE-bench


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    cases: list[tuple[str, pd.DataFrame, str]] = []
    unscored = int(np.flatnonzero(~answers[KEEP].to_numpy(dtype=bool))[0])

    def cell(label: str, column: str, value: object, reason: str, row: int = 0) -> None:
        changed = sample.copy()
        changed[column] = changed[column].astype(object)
        changed.loc[row, column] = value
        cases.append((label, changed, reason))

    cell("text for a reactivity", "reactivity", "high", "must be numeric")
    cell("a missing reactivity", "reactivity", np.nan, "missing, NaN or infinite")
    cell("an infinite deg_Mg_50C", "deg_Mg_50C", np.inf, "missing, NaN or infinite")
    cell("a missing unscored deg_pH10", "deg_pH10", np.nan, "missing, NaN or infinite")
    cell("text at an unscored position", "deg_Mg_pH10", "n/a?", "must be numeric", unscored)
    no_unscored = sample.drop(columns=["deg_50C"])
    cases.append(("no deg_50C column (unscored)", no_unscored, "missing column(s) 'deg_50C'"))
    seqpos = sample.copy()
    seqpos.loc[0, ID] = f"{seqpos.loc[0, ID]}0"
    cases.append(("a position past the sequence", seqpos, "not in the test set"))
    return cases
