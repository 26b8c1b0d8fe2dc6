"""Accuracy over the 39 phoneme classes, with the classes checked first.

MLE-bench compares the labels as pandas parsed them: a class such as 45 is simply a wrong
answer, while fractions and text are refused by scikit-learn. Here a class must be one of the
integers 0-38 (written ``7`` or ``7.0``); anything else is rejected with a reason, so a file of
valid classes scores exactly as in MLE-bench. Rows, columns and ids go through the library's own
validation (ids read by pandas, then matched as text, so ``7.0`` matches ``7`` as in MLE-bench).
The grader is :func:`mle_track.grading.custom.coded_labels`.
"""

from mle_track.grading.custom import coded_labels

grade = coded_labels("accuracy", "Id", "ClassId", range(0, 39), "phoneme classes")
