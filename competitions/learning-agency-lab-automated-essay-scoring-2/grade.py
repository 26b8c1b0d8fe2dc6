"""Quadratic weighted kappa over the essay scores 1-6, with the scores checked first.

The library's kappa treats any label as a category, as MLE-bench does: a prediction of 0 or 7
becomes an extra category and quietly changes the score (scikit-learn's weights follow the
sorted list of labels present, not their values). Essay scores are the integers 1-6, so anything
else is rejected with a reason. Columns, row count and id matching go through the library's own
validation, so the reasons read the same as for every other competition.
The grader is :func:`mle_track.grading.custom.coded_labels`.
"""

from mle_track.grading.custom import coded_labels

grade = coded_labels("quadratic_weighted_kappa", "essay_id", "score", range(1, 7), "scores")
