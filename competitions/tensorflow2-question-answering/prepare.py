"""TensorFlow 2.0 Question Answering: MLE-bench's chunk-wise 90/10 re-split of Natural Questions.

Kaggle's ``simplified-nq-train.jsonl`` (about 17 GB) holds one Wikipedia page per line with a
question about it and one human annotation (a long answer: a candidate span of the page; short
answers: spans inside it, or YES/NO). Its test annotations were never released, so MLE-bench
streams the training file in chunks of 1,000 lines (pandas ``read_json(lines=True,
chunksize=1000)``), turns ``example_id`` into text and splits *each chunk* with
``train_test_split(test_size=0.1, random_state=0)``, appending both sides to the outputs with
pandas' ``to_json(orient="records", lines=True)``. The same calls are made here, in the same
order, so the files are the same byte for byte and only one chunk is ever in memory.

The answers are ``private/test.jsonl`` (the test lines, every key); the agent's
``simplified-nq-test.jsonl`` keeps the question, the page and its candidates only. The gold
submission gives, per test example, the first short answer (or YES/NO) and the long answer; the
sample submission leaves every answer empty. Kaggle's own test file and sample are not used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from mle_track.competitions.preparing import split

ID, PREDICTION = "example_id", "PredictionString"
TRAIN = "simplified-nq-train.jsonl"
TEST_KEYS = [ID, "question_text", "document_text", "long_answer_candidates"]
CHUNK_LINES = 1_000
TEST_SIZE = 0.1
#: Natural Questions' training examples, asserted from REAL_SCALE lines on (real data only)
REAL_LINES, REAL_SCALE = 307_373, 100_000


def chunks(path: Path) -> Iterator[pd.DataFrame]:
    with pd.read_json(path, orient="records", lines=True, chunksize=CHUNK_LINES) as reader:
        yield from reader


def answer_strings(annotation: dict[str, Any]) -> tuple[str, str]:
    """The gold ``(short, long)`` PredictionStrings of one annotation: YES/NO, else the first
    short span ``start:end``, else empty; the long span, empty when there is none."""
    if annotation["yes_no_answer"] != "NONE":
        short = str(annotation["yes_no_answer"])
    elif annotation["short_answers"]:
        first = annotation["short_answers"][0]
        short = f"{first['start_token']}:{first['end_token']}"
    else:
        short = ""
    long_answer = annotation["long_answer"]
    no_long = long_answer["start_token"] == -1
    long = "" if no_long else f"{long_answer['start_token']}:{long_answer['end_token']}"
    return short, long


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    gold: list[dict[str, str]] = []
    n_train = n_test = 0
    with (
        (public / TRAIN).open("w") as train_out,
        (private / "test.jsonl").open("w") as answers_out,
        (public / "simplified-nq-test.jsonl").open("w") as test_out,
    ):
        for chunk in chunks(raw / TRAIN):
            chunk[ID] = chunk[ID].astype(str)
            train, test = split(chunk, test_size=TEST_SIZE)
            train_out.write(train.to_json(orient="records", lines=True))
            answers_out.write(test.to_json(orient="records", lines=True))
            test_out.write(test[TEST_KEYS].to_json(orient="records", lines=True))
            for example, annotations in zip(test[ID], test["annotations"], strict=True):
                assert len(annotations) == 1, f"{example}: {len(annotations)} annotations"
                short, long = answer_strings(annotations[0])
                gold.append({ID: f"{example}_short", PREDICTION: short})
                gold.append({ID: f"{example}_long", PREDICTION: long})
            n_train, n_test = n_train + len(train), n_test + len(test)

    gold_frame = pd.DataFrame(gold, columns=[ID, PREDICTION])
    gold_frame.to_csv(private / "gold_submission.csv", index=False)
    gold_frame.assign(**{PREDICTION: ""}).to_csv(public / "sample_submission.csv", index=False)

    assert len(gold_frame) == 2 * n_test and gold_frame[ID].is_unique
    if n_train + n_test >= REAL_SCALE:
        assert n_train + n_test == REAL_LINES, f"{n_train + n_test} lines, not {REAL_LINES}"
