"""Statoil/C-CORE Iceberg Classifier: MLE-bench's 80/20 re-split of Kaggle's labelled radar images.

Kaggle ships ``train.json.7z`` and ``test.json.7z``, each holding ``data/processed/<name>.json``:
a JSON list of records (``id``, ``band_1``, ``band_2`` — 75x75 backscatter values, flattened —
``inc_angle``, a number or ``"na"``, and in train ``is_iceberg``). Kaggle's test labels were
never released, so the labelled records are split in their released order with
``test_size=0.2`` and seed 0. The new test records keep only the fields of Kaggle's test
records (so no ``is_iceberg``). Both sides go back into 7z archives as ``train.json`` and
``test.json``, written as ``json.dump`` writes them.

Kaggle's test.json (1.5 GB) is read one record at a time, for its field names only; the
train records (about 200 MB of JSON) are held in memory, as the split needs them.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from mle_track.competitions.preparing import split

from . import sevenzip

ID, TARGET = "id", "is_iceberg"
TEST_SIZE = 0.2
MEMBER = "data/processed/{name}"


def records_file(raw: Path, name: str) -> Path:
    """``raw/data/processed/<name>``, extracted from ``raw/<name>.7z`` unless already there
    (an existing file is never overwritten: it may be a link to the user's own copy)."""
    member = MEMBER.format(name=name)
    if (raw / member).is_file():
        return raw / member
    return sevenzip.extract_member(raw / f"{name}.7z", member, raw)


def field_names(records: Any, what: str) -> list[str]:
    """The fields of the first record, after checking that every record has the same."""
    names: list[str] | None = None
    for record in records:
        if names is None:
            names = list(record)
        elif set(record) != set(names):
            raise AssertionError(f"{what}: a record has fields {sorted(record)}, not {names}")
    assert names is not None, f"{what} holds no records"
    return names


def prepare(raw: Path, public: Path, private: Path) -> None:
    with records_file(raw, "train.json").open(encoding="utf-8") as handle:
        records = json.load(handle)
    train_fields = field_names(records, "train.json")
    test_fields = field_names(
        sevenzip.json_array_items(records_file(raw, "test.json")), "test.json"
    )
    assert set(test_fields) == set(train_fields) - {TARGET}, (train_fields, test_fields)

    rows = pd.DataFrame({"row": range(len(records))})
    train_rows, test_rows = split(rows, test_size=TEST_SIZE)
    train = [records[i] for i in train_rows["row"]]
    test = [records[i] for i in test_rows["row"]]
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(dir=private) as scratch:
        for name, part in (
            ("train.json", train),
            ("test.json", [{key: record[key] for key in test_fields} for record in test]),
        ):
            path = Path(scratch) / name
            with path.open("w", encoding="utf-8") as out:
                json.dump(part, out)
            sevenzip.write_7z(public / f"{name}.7z", {name: path})

    answers = pd.DataFrame({ID: [r[ID] for r in test], TARGET: [int(r[TARGET]) for r in test]})
    answers.to_csv(private / "test.csv", index=False)
    # One half everywhere: valid, and a log loss of ln 2 ≈ 0.69315.
    sample = answers.assign(**{TARGET: 0.5})
    sample.to_csv(private / "sample_submission.csv", index=False)
    sevenzip.write_7z(
        public / "sample_submission.csv.7z",
        {"sample_submission.csv": (private / "sample_submission.csv").read_bytes()},
    )

    ids = [r[ID] for r in records]
    assert len(train) + len(test) == len(records) and len(train) > len(test)
    assert len(set(ids)) == len(ids), "train.json repeats ids"
    assert {r[ID] for r in train}.isdisjoint(answers[ID]), "train and test share ids"
    assert sorted(p.name for p in public.iterdir()) == [
        "sample_submission.csv.7z",
        "test.json.7z",
        "train.json.7z",
    ]
