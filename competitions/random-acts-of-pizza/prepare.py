"""Random Acts of Pizza: Kaggle's labelled train.json re-split, test records cut to test fields.

MLE-bench keeps Kaggle's train/test proportion: the test fraction is
``len(test.json) / (len(train.json) + len(test.json))``, applied to the list of train records
with ``random_state=0``. Held-out records keep only the fields Kaggle's own ``test.json`` has
(in that file's key order), which drops the outcome and every "at retrieval" field but keeps
``giver_username_if_known``, a known label leak. Both JSON files are written with
``json.dump(..., indent=4)`` and also zipped, as MLE-bench publishes them.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mle_track.competitions.preparing import ZIP_TIMESTAMP, split

ID = "request_id"
TARGET = "requester_received_pizza"
Record = dict[str, Any]


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    records: list[Record] = json.loads((raw / "train.json").read_text(encoding="utf-8"))
    kaggle_test: list[Record] = json.loads((raw / "test.json").read_text(encoding="utf-8"))
    test_fraction = len(kaggle_test) / (len(records) + len(kaggle_test))
    all_fields = set(records[0])
    test_fields = list(kaggle_test[0])
    assert all(set(r) == all_fields for r in records), "train records differ in their fields"
    assert all(set(r) == set(test_fields) for r in kaggle_test), "test records differ"

    # the split depends only on the number of records, so it is drawn on their positions
    positions = pd.DataFrame({"position": np.arange(len(records))})
    train_rows, test_rows = split(positions, test_size=test_fraction)
    train = [records[i] for i in train_rows["position"]]
    test = [records[i] for i in test_rows["position"]]
    public_test = [{field: record[field] for field in test_fields} for record in test]

    write_json(train, public / "train.json")
    write_json(public_test, public / "test.json")
    zip_one(public / "train.json", public / "train.zip")
    zip_one(public / "test.json", public / "test.zip")
    answers = pd.DataFrame(
        {ID: [r[ID] for r in test], TARGET: [int(r[TARGET]) for r in test]}, columns=[ID, TARGET]
    )
    answers.to_csv(private / "test.csv", index=False)
    answers.assign(**{TARGET: 0}).to_csv(public / "sampleSubmission.csv", index=False)

    assert len(train) + len(test) == len(records)
    assert {r[ID] for r in train}.isdisjoint(answers[ID]), "a request is on both sides"
    assert answers[ID].is_unique and len(public_test) == len(answers)
    assert TARGET not in test_fields


def write_json(records: list[Record], path: Path) -> None:
    """The exact layout MLE-bench writes: four-space indent, ASCII escapes."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(records, handle, indent=4)


def zip_one(path: Path, archive: Path) -> None:
    """``archive`` holding ``path`` under its bare name, with a fixed timestamp."""
    info = zipfile.ZipInfo(path.name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(info, path.read_bytes())
