"""OpenVaccine (COVID-19 mRNA degradation): MLE-bench's re-split of Kaggle's training sequences.

Kaggle's test measurements were never released, so test sequences are drawn from
``train.json`` (JSON lines: one RNA sequence per line with its structure, loop types, signal to
noise, ``SN_filter``, ``seq_length``, ``seq_scored`` and five per-position measurement lists with
their errors). The test set has ``int(10% of the rows)`` sequences, drawn by pandas
``sample(n, random_state=0)`` among the rows with ``SN_filter > 0`` (the reliable ones); every
other row is training data. Both sides keep the file order, and their ``index`` field is
renumbered 0, 1, 2, ... The public test rows keep only the columns of Kaggle's ``test.json``.

The answers have one row per position of each test sequence (``<id>_<position>``): the five
measurements and ``keep = True`` for the first ``seq_scored`` positions, zeros and
``keep = False`` for the rest. Kaggle's ``bpps/`` matrices are not published, as in MLE-bench.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ID = "id_seqpos"
TARGETS = ["reactivity", "deg_Mg_pH10", "deg_pH10", "deg_Mg_50C", "deg_50C"]
KEEP = "keep"
TEST_FRACTION = 0.1
FLOAT_FORMAT = "%.10f"
#: Kaggle's rows of train.json and test.json, asserted from REAL_SCALE training rows on
REAL_TRAIN, REAL_TEST, REAL_SCALE = 2_400, 3_634, 1_000


def answer_rows(test: pd.DataFrame) -> pd.DataFrame:
    """One row per position of each test sequence, in order: the measurements where scored."""
    ids: list[str] = []
    values: dict[str, list[float]] = {name: [] for name in TARGETS}
    keep: list[bool] = []
    for _, row in test.iterrows():
        scored, length = int(row["seq_scored"]), int(row["seq_length"])
        assert scored < length, f"{row['id']}: seq_scored {scored} >= seq_length {length}"
        for name in TARGETS:
            assert len(row[name]) == scored, f"{row['id']}: {name} has {len(row[name])} values"
            values[name].extend(row[name])
            values[name].extend([0.0] * (length - scored))
        ids.extend(f"{row['id']}_{j}" for j in range(length))
        keep.extend([True] * scored + [False] * (length - scored))
    return pd.DataFrame({ID: ids, **values, KEEP: keep})


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    rows = pd.read_json(raw / "train.json", lines=True)
    kaggle_test = pd.read_json(raw / "test.json", lines=True)
    sample_columns = set(pd.read_csv(raw / "sample_submission.csv", nrows=0).columns)
    n_test = int(len(rows) * TEST_FRACTION)
    picked = rows[rows["SN_filter"] > 0].sample(n=n_test, random_state=0).index
    in_test = rows.index.isin(picked)
    train, test = rows[~in_test].copy(), rows[in_test].copy()

    answers = answer_rows(test)
    answers.to_csv(private / "test.csv", index=False, float_format=FLOAT_FORMAT)
    train["index"] = range(len(train))
    train.to_json(public / "train.json", orient="records", lines=True)
    public_test = test[kaggle_test.columns].copy()
    public_test["index"] = range(len(public_test))
    public_test.to_json(public / "test.json", orient="records", lines=True)
    sample = answers[[ID, *TARGETS]].copy()
    sample[TARGETS] = 0.0
    sample.to_csv(public / "sample_submission.csv", index=False, float_format=FLOAT_FORMAT)

    assert len(train) + len(test) == len(rows) and len(test) == n_test
    assert set(train["id"]).isdisjoint(test["id"]) and (test["SN_filter"] > 0).all()
    assert set(TARGETS).isdisjoint(public_test.columns)
    assert set(sample.columns) == sample_columns, f"sample columns {sorted(sample_columns)}"
    assert len(sample) == len(answers) == int(test["seq_length"].sum())
    if len(rows) >= REAL_SCALE:
        assert len(rows) == REAL_TRAIN, f"train.json has {len(rows)} rows, not {REAL_TRAIN}"
        assert len(kaggle_test) == REAL_TEST, f"test.json has {len(kaggle_test)} rows"
