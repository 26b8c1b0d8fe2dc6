"""Micro F1 of the predicted tag sets, read as MLE-bench reads them.

The submission arrives as pandas reads it (as in MLE-bench), so a cell pandas takes for a
missing value (empty, ``nan``, ``null``, ``NA``, …) is an empty tag set on both sides, exactly as
there. MLE-bench splits the ``Tags`` column as text and fails on a column pandas reads as
numbers (every cell a single number), so such a submission is rejected here too. Ids, row count
and columns go through the library's validation; the score is the registered
``micro_f1_label_sets`` (tags outside the answers' tags are dropped, as by MLE-bench's binarizer).
The grader is :func:`mle_track.grading.custom.label_sets`.
"""

from mle_track.grading.custom import label_sets

grade = label_sets("micro_f1_label_sets", "Id", "Tags")
