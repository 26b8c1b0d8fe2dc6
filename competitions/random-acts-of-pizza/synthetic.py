"""A small raw dataset in the shape of Kaggle's random-acts-of-pizza download.

Kaggle ships ``train.json`` (every field, with the outcome) and ``test.json`` (the request-time
fields only), each also zipped, plus ``sampleSubmission.csv``. Field names and value types
follow Kaggle's files; the values are random.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from mle_track.competitions.media import zip_members

N_TRAIN = 200
N_TEST = 81
#: Kaggle's test.json fields, in that file's key order
TEST_FIELDS = [
    "giver_username_if_known",
    "request_id",
    "request_text_edit_aware",
    "request_title",
    "requester_account_age_in_days_at_request",
    "requester_days_since_first_post_on_raop_at_request",
    "requester_number_of_comments_at_request",
    "requester_number_of_comments_in_raop_at_request",
    "requester_number_of_posts_at_request",
    "requester_number_of_posts_on_raop_at_request",
    "requester_number_of_subreddits_at_request",
    "requester_subreddits_at_request",
    "requester_upvotes_minus_downvotes_at_request",
    "requester_upvotes_plus_downvotes_at_request",
    "requester_username",
    "unix_timestamp_of_request",
    "unix_timestamp_of_request_utc",
]
TRAIN_ONLY = [
    "number_of_downvotes_of_request_at_retrieval",
    "number_of_upvotes_of_request_at_retrieval",
    "post_was_edited",
    "request_number_of_comments_at_retrieval",
    "request_text",
    "requester_account_age_in_days_at_retrieval",
    "requester_days_since_first_post_on_raop_at_retrieval",
    "requester_number_of_comments_at_retrieval",
    "requester_number_of_comments_in_raop_at_retrieval",
    "requester_number_of_posts_at_retrieval",
    "requester_number_of_posts_on_raop_at_retrieval",
    "requester_received_pizza",
    "requester_upvotes_minus_downvotes_at_retrieval",
    "requester_upvotes_plus_downvotes_at_retrieval",
    "requester_user_flair",
]
WORDS = ["pizza", "hungry", "broke", "student", "rent", "please", "thanks", "café", "kids"]
SUBREDDITS = ["AskReddit", "pics", "funny", "Random_Acts_Of_Pizza", "gaming"]


def _record(rng: np.random.Generator, index: int, labelled: bool) -> dict[str, Any]:
    got = bool(rng.random() < 0.3)
    text = " ".join(rng.choice(WORDS, size=rng.integers(3, 20)))
    stamp = float(rng.integers(1_297_000_000, 1_381_000_000))
    record: dict[str, Any] = {
        "giver_username_if_known": f"giver{index % 7}" if got and rng.random() < 0.5 else "N/A",
        "request_id": f"t3_{index:05x}",
        "request_text_edit_aware": text,
        "request_title": "[Request] " + " ".join(rng.choice(WORDS, size=4)),
        "requester_account_age_in_days_at_request": float(rng.uniform(0, 1500)),
        "requester_days_since_first_post_on_raop_at_request": float(rng.uniform(0, 500)),
        "requester_number_of_comments_at_request": int(rng.integers(0, 900)),
        "requester_number_of_comments_in_raop_at_request": int(rng.integers(0, 20)),
        "requester_number_of_posts_at_request": int(rng.integers(0, 300)),
        "requester_number_of_posts_on_raop_at_request": int(rng.integers(0, 5)),
        "requester_number_of_subreddits_at_request": int(rng.integers(0, 60)),
        "requester_subreddits_at_request": list(rng.choice(SUBREDDITS, size=rng.integers(0, 4))),
        "requester_upvotes_minus_downvotes_at_request": int(rng.integers(-20, 5000)),
        "requester_upvotes_plus_downvotes_at_request": int(rng.integers(0, 9000)),
        "requester_username": f"user{index}",
        "unix_timestamp_of_request": stamp,
        "unix_timestamp_of_request_utc": stamp - 3600.0,
    }
    if labelled:
        record.update(
            {
                "number_of_downvotes_of_request_at_retrieval": int(rng.integers(0, 10)),
                "number_of_upvotes_of_request_at_retrieval": int(rng.integers(0, 30)),
                "post_was_edited": bool(rng.random() < 0.1),
                "request_number_of_comments_at_retrieval": int(rng.integers(0, 40)),
                "request_text": text,
                "requester_account_age_in_days_at_retrieval": float(rng.uniform(1500, 2000)),
                "requester_days_since_first_post_on_raop_at_retrieval": float(rng.uniform(0, 900)),
                "requester_number_of_comments_at_retrieval": int(rng.integers(0, 2000)),
                "requester_number_of_comments_in_raop_at_retrieval": int(rng.integers(0, 30)),
                "requester_number_of_posts_at_retrieval": int(rng.integers(0, 600)),
                "requester_number_of_posts_on_raop_at_retrieval": int(rng.integers(0, 8)),
                "requester_received_pizza": got,
                "requester_upvotes_minus_downvotes_at_retrieval": int(rng.integers(-20, 9000)),
                "requester_upvotes_plus_downvotes_at_retrieval": int(rng.integers(0, 20000)),
                "requester_user_flair": "shroom" if got else None,
            }
        )
        record = dict(sorted(record.items()))  # Kaggle's train.json lists keys alphabetically
    return record


def _write(records: list[dict[str, Any]], raw: Path, name: str) -> None:
    text = json.dumps(records, indent=4)
    (raw / f"{name}.json").write_text(text, encoding="utf-8")
    zip_members(raw / f"{name}.zip", {f"{name}.json": text})


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    train = [_record(rng, i, labelled=True) for i in range(N_TRAIN)]
    test = [_record(rng, i, labelled=False) for i in range(N_TRAIN, N_TRAIN + N_TEST)]
    _write(train, raw, "train")
    _write(test, raw, "test")
    pd.DataFrame(
        {"request_id": [r["request_id"] for r in test], "requester_received_pizza": 0}
    ).to_csv(raw / "sampleSubmission.csv", index=False)


EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/train.json": None,
    "public/test.json": None,
    "public/train.zip": None,
    "public/test.zip": None,
    "public/sampleSubmission.csv": ["request_id", "requester_received_pizza"],
    "private/test.csv": ["request_id", "requester_received_pizza"],
    "public/description.md": None,
}


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = json.loads((raw / "train.json").read_text(encoding="utf-8"))
    fraction = N_TEST / (N_TRAIN + N_TEST)
    expected_train, expected_test = train_test_split(original, test_size=fraction, random_state=0)
    assert len(expected_test) == math.ceil(fraction * N_TRAIN)
    assert (public / "train.json").read_text() == json.dumps(expected_train, indent=4)
    cut = [{k: r[k] for k in TEST_FIELDS} for r in expected_test]
    assert (public / "test.json").read_text() == json.dumps(cut, indent=4)
    with zipfile.ZipFile(public / "test.zip") as archive:
        assert archive.namelist() == ["test.json"]
        assert archive.read("test.json") == (public / "test.json").read_bytes()
    answers = pd.read_csv(private / "test.csv")
    assert answers["request_id"].tolist() == [r["request_id"] for r in expected_test]
    assert answers["requester_received_pizza"].tolist() == [
        int(r["requester_received_pizza"]) for r in expected_test
    ]
    train_ids = {r["request_id"] for r in expected_train}
    assert train_ids.isdisjoint(answers["request_id"])
