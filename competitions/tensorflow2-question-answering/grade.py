"""MLE-bench's reading of the Natural Questions micro F1, over long and short answer rows.

The answers are ``private/test.jsonl`` (read by the library's one answers loader: one row per
example, with its annotations). Every test example has two submission rows, ``<id>_long`` and
``<id>_short``; a PredictionString is ``start:end`` (two integers), ``YES``, ``NO`` or empty,
anything else is invalid. As in MLE-bench, each row is one binary decision: predicted when the
string is not empty; "true" when the prediction is one of the valid answers (the long span; the
short spans or YES/NO), or when nothing was predicted although an answer exists. The score is
scikit-learn's micro F1 of those two lists (the registered ``micro_f1``), which equals their
accuracy. The submission is read with pandas, empty cells as empty strings, as there; ids, row
count and columns go through the library's validation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, PREDICTION = "example_id", "PredictionString"
SPEC = MetricSpec(name="micro_f1", id_column=ID, target_columns=(PREDICTION,))
Answer = tuple[int, int] | str


def parse(text: str) -> Answer:
    """A PredictionString: ``(start, end)``, ``"YES"``, ``"NO"`` or ``""``."""
    value = text.strip()
    parts = value.split(":")
    if ":" in value and len(parts) == 2:
        try:
            return int(parts[0]), int(parts[1])
        except ValueError:
            pass
    elif value in ("YES", "NO", ""):
        return value
    raise InvalidSubmission(
        f"invalid PredictionString {text!r}: write start_token:end_token (two integers), YES, NO "
        "or leave it empty"
    )


def valid_answers(annotation: dict[str, Any], long: bool) -> list[Answer]:
    if long:
        span = annotation["long_answer"]
        return (
            []
            if span["start_token"] == -1
            else [(int(span["start_token"]), int(span["end_token"]))]
        )
    answers: list[Answer] = [
        (int(s["start_token"]), int(s["end_token"])) for s in annotation["short_answers"]
    ]
    if annotation["yes_no_answer"] != "NONE":
        answers.append(str(annotation["yes_no_answer"]))
    return answers


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, PREDICTION) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
    rows: list[tuple[str, dict[str, Any], bool]] = []
    for example, annotated in zip(answers[ID], answers["annotations"], strict=True):
        rows.append((f"{example}_long", annotated[0], True))
        rows.append((f"{example}_short", annotated[0], False))
    texts = submission[[ID, PREDICTION]].fillna("").astype(str)
    table = pa.table({ID: texts[ID].tolist(), PREDICTION: texts[PREDICTION].tolist()})
    expected = pa.table({ID: [r[0] for r in rows], PREDICTION: [""] * len(rows)})
    metric = METRICS.get(SPEC.name)
    aligned = align(table, expected, SPEC, metric)
    y_true, y_pred = [], []
    for (_, annotation, long), text in zip(rows, aligned.y_pred.tolist(), strict=True):
        prediction = parse(str(text))
        truth = valid_answers(annotation, long)
        y_pred.append(1 if prediction else 0)
        y_true.append(int(prediction in truth) if prediction else int(bool(truth)))
    return metric(np.asarray(y_true), np.asarray(y_pred))


#: the answers' keys this grader reads (the pages themselves stay out of memory)
grade.answer_columns = (ID, "annotations")  # type: ignore[attr-defined]
