"""Mean character-level Levenshtein distance, after checking that every sentence is text.

Columns, row count and ids go through the library's own validation (ids are compared as pandas
reads them, integers here, as in MLE-bench). A missing sentence, or a sentence column that
pandas reads as numbers, makes MLE-bench's edit distance fail, so the file is invalid; every
other text is scored, whitespace and quoting included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from mle_track.competitions.spec import MetricSpec
from mle_track.errors import InvalidSubmission
from mle_track.grading.metrics import METRICS
from mle_track.grading.validation import align

ID, TARGET = "id", "sentence"
SPEC = MetricSpec(name="mean_levenshtein", id_column=ID, target_columns=(TARGET,))


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The id and target columns as Arrow, ids as text (as the library reads them)."""
    try:
        table = pa.Table.from_pandas(frame[[ID, TARGET]], preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidSubmission(f"cannot read the submission's columns: {exc}") from None
    return table.set_column(0, ID, table.column(ID).cast(pa.string()))


def grade(submission: pd.DataFrame, answers: pd.DataFrame) -> float:
    missing = [c for c in (ID, TARGET) if c not in submission.columns]
    if missing:
        found = ", ".join(repr(c) for c in submission.columns[:8])
        raise InvalidSubmission(
            f"missing column(s) {', '.join(repr(c) for c in missing)}; the header has {found}"
        )
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
    aligned = align(to_table(submission), to_table(answers), SPEC, metric)
    return metric(aligned.y_true, aligned.y_pred)
