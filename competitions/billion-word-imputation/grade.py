"""Mean character-level Levenshtein distance, after checking that every sentence is text.

Columns, row count and ids go through the library's own validation (ids are compared as pandas
reads them, integers here, as in MLE-bench). A missing sentence, or a sentence column that
pandas reads as numbers, makes MLE-bench's edit distance fail, so the file is invalid; every
other text is scored, whitespace and quoting included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.custom import id_and_target, require_columns
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "sentence"
SPEC = MetricSpec(name="mean_levenshtein", id_column=ID, target_columns=(TARGET,))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    require_columns(submission, ID, TARGET)
    sentences = submission[TARGET]
    not_text = sentences.notna() & ~sentences.map(lambda v: isinstance(v, str))
    if not_text.any():
        example = sentences[not_text].iloc[0]
        example = example.item() if isinstance(example, np.generic) else example
        raise InvalidSubmission(
            f"{int(not_text.sum())} {TARGET} value(s) are read as numbers, e.g. {example!r}; "
            "every sentence must be text"
        )
    metric = METRICS.get(SPEC.name)
    submitted, expected = id_and_target(submission, ID, TARGET), id_and_target(answers, ID, TARGET)
    aligned = align(submitted, expected, SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
