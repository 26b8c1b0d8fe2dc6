"""Quadratic weighted kappa over the five retinopathy grades, with the grades checked first.

The library's kappa treats any label as a category, as MLE-bench does; a prediction of 5 or -1
then becomes an extra category and quietly changes the score. Grades here are the integers 0-4,
so anything else is rejected with a reason. Columns, row count and id matching go through the
library's own validation, so the reasons read the same as for every other competition.
The grader is :func:`mle_track.grading.custom.coded_labels`.
"""

from mle_track.grading.custom import coded_labels

grade = coded_labels("quadratic_weighted_kappa", "id_code", "diagnosis", range(0, 5), "grades")
