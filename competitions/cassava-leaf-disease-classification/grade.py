"""Accuracy over the five disease codes, with the codes checked first.

MLE-bench compares the labels as pandas parsed them: a file whose ``label`` column holds one
non-numeric cell is read as text, so every row counts as wrong, and codes such as 7 or 2.5 are
simply wrong answers. Here a label must be one of the codes 0-4 (``2`` or ``2.0``); anything
else is rejected with a reason, so a file of valid codes scores exactly as in MLE-bench. Rows,
columns and ids go through the library's own validation (ids matched as text).
The grader is :func:`mle_track.grading.custom.coded_labels`.
"""

from mle_track.grading.custom import coded_labels

grade = coded_labels("accuracy", "image_id", "label", range(0, 5), "disease codes")
