"""A small raw data set in the shape of Kaggle's TensorFlow 2.0 Question Answering download.

Kaggle ships ``simplified-nq-train.jsonl`` (one Natural Questions example per line, keys in the
order ``document_text``, ``long_answer_candidates``, ``question_text``, ``annotations`` (a list of
exactly one annotation), ``document_url``, ``example_id`` (a signed 64-bit integer)),
``simplified-nq-test.jsonl`` (no annotations) and ``sample_submission.csv`` (``<id>_long`` and
``<id>_short`` rows). Pages are short token lists here; the annotations mix long answers, short
spans (sometimes several), YES/NO answers and examples without an answer, as the real data does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .prepare import CHUNK_LINES, ID, PREDICTION, TEST_KEYS, TRAIN, answer_strings

N_EXAMPLES, N_KAGGLE_TEST = 240, 6
TEST_SIZE = 0.1
TOKENS = ["<H1>", "</H1>", "<P>", "</P>", "The", "river", "flows", "north", "in", "1887", ",",
          "Québec", "\"", "is", "a", "city", "<Table>", "</Table>"]  # fmt: skip

EXPECTED_FILES: dict[str, list[str] | None] = {
    "public/simplified-nq-train.jsonl": None,
    "public/simplified-nq-test.jsonl": None,
    "public/sample_submission.csv": [ID, PREDICTION],
    "private/test.jsonl": None,
    "private/gold_submission.csv": [ID, PREDICTION],
}


def _example(rng: np.random.Generator, example_id: int, labelled: bool) -> dict[str, Any]:
    n_tokens = int(rng.integers(40, 80))
    text = " ".join(rng.choice(TOKENS, size=n_tokens))
    starts = sorted(rng.choice(np.arange(0, n_tokens - 10), size=4, replace=False).tolist())
    candidates = [
        {"start_token": s, "top_level": bool(i % 2 == 0), "end_token": s + 8}
        for i, s in enumerate(starts)
    ]
    record: dict[str, Any] = {"document_text": text, "long_answer_candidates": candidates}
    record["question_text"] = " ".join(rng.choice(["when", "where", "who", "is", "the"], 5))
    if labelled:
        kind = rng.choice(["none", "long", "short", "shorts", "yes", "no"],
                          p=[0.3, 0.3, 0.2, 0.05, 0.1, 0.05])  # fmt: skip
        index = int(rng.integers(len(candidates)))
        chosen = candidates[index]
        long_answer = {"start_token": -1, "candidate_index": -1, "end_token": -1}
        if kind != "none":
            long_answer = {"start_token": chosen["start_token"], "candidate_index": index,
                           "end_token": chosen["end_token"]}  # fmt: skip
        s = chosen["start_token"]
        short = {"short": [[s + 1, s + 3]], "shorts": [[s + 1, s + 2], [s + 4, s + 6]]}
        record["annotations"] = [
            {
                "yes_no_answer": {"yes": "YES", "no": "NO"}.get(str(kind), "NONE"),
                "long_answer": long_answer,
                "short_answers": [
                    {"start_token": a, "end_token": b} for a, b in short.get(str(kind), [])
                ],
                "annotation_id": int(rng.integers(2**62)) * 3,
            }
        ]
    record["document_url"] = f"https://en.wikipedia.org//w/index.php?title=Page_{example_id}"
    record["example_id"] = example_id
    return record


def _ids(rng: np.random.Generator, n: int) -> list[int]:
    return [int(v) for v in rng.integers(-(2**63), 2**63 - 1, size=n, dtype=np.int64)]


def make_raw(raw: Path, rng: np.random.Generator) -> None:
    with (raw / TRAIN).open("w") as out:
        for example_id in _ids(rng, N_EXAMPLES):
            out.write(json.dumps(_example(rng, example_id, labelled=True)) + "\n")
    test_ids = _ids(rng, N_KAGGLE_TEST)
    with (raw / "simplified-nq-test.jsonl").open("w") as out:
        for example_id in test_ids:
            record = _example(rng, example_id, labelled=False)
            out.write(json.dumps({key: record[key] for key in TEST_KEYS}) + "\n")
    rows = [f"{i}_{part}" for i in test_ids for part in ("long", "short")]
    pd.DataFrame({ID: rows, PREDICTION: ""}).to_csv(raw / "sample_submission.csv", index=False)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def check_split(public: Path, private: Path, raw: Path) -> None:
    original = _lines(raw / TRAIN)
    train = _lines(public / TRAIN)
    answers = _lines(private / "test.jsonl")
    test = _lines(public / "simplified-nq-test.jsonl")
    n_test = sum(
        math.ceil(TEST_SIZE * min(CHUNK_LINES, len(original) - start))
        for start in range(0, len(original), CHUNK_LINES)
    )
    assert len(answers) == len(test) == n_test == 24 and len(train) + n_test == len(original)
    by_id = {str(r["example_id"]): r for r in original}
    for record in [*train, *answers]:  # every line is an original line, example_id as text
        assert isinstance(record["example_id"], str)
        assert record == {**by_id[record["example_id"]], "example_id": record["example_id"]}
    assert {r["example_id"] for r in train}.isdisjoint(r["example_id"] for r in answers)
    assert [list(r) for r in test] == [TEST_KEYS] * len(test)
    assert [r["example_id"] for r in test] == [r["example_id"] for r in answers]
    assert "\\/" in (public / TRAIN).read_text(), "pandas escapes '/' as MLE-bench's files do"
    gold = pd.read_csv(private / "gold_submission.csv", keep_default_na=False, dtype=str)
    expected = [
        (f"{r['example_id']}_{part}", value)
        for r in answers
        for part, value in zip(("short", "long"), answer_strings(r["annotations"][0]), strict=True)
    ]
    assert list(gold.itertuples(index=False, name=None)) == expected
    sample = pd.read_csv(public / "sample_submission.csv", keep_default_na=False, dtype=str)
    assert sample[ID].tolist() == gold[ID].tolist() and (sample[PREDICTION] == "").all()


def invalid_submissions(
    sample: pd.DataFrame, answers: pd.DataFrame
) -> list[tuple[str, pd.DataFrame, str]]:
    """MLE-bench's PredictionString format: start:end, YES, NO or empty."""
    cases = []
    for label, text in (
        ("a lower-case yes", "yes"),
        ("a span with a word", "12:end"),
        ("three numbers", "1:2:3"),
        ("a single number", "17"),
        ("a span and YES", "3:5 YES"),
    ):
        frame = sample.astype({PREDICTION: object}).copy()
        frame.loc[frame.index[0], PREDICTION] = text
        cases.append((label, frame, "invalid PredictionString"))
    suffixless = sample.assign(**{ID: sample[ID].str.replace("_long", "", regex=False)})
    cases.append(("ids without _long", suffixless, "not in the test set"))
    return cases
