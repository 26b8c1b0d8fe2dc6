"""Micro F1 of the predicted attribute sets, read as MLE-bench reads them.

The submission arrives as pandas reads it (as in MLE-bench), so an empty cell is an empty set of
attributes. MLE-bench splits the ``attribute_ids`` column as text and fails on a column pandas
reads as numbers (every cell a single attribute id, or empty), so such a submission is rejected
here too. Ids, row count and columns go through the library's validation; the score is the
registered ``micro_f1_label_sets``: ids are compared as text ("007" is not "7"), and ids that no
answer holds are dropped, as by MLE-bench's binarizer.
The grader is :func:`mle_track.grading.custom.label_sets`.
"""

from mle_track.grading.custom import label_sets

grade = label_sets("micro_f1_label_sets", "id", "attribute_ids")
