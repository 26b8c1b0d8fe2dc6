"""Accuracy over the five sentiment labels, with the labels checked first.

MLE-bench compares the labels as pandas parsed them: a label such as 7 is simply a wrong answer,
while fractions and text are refused by scikit-learn. Here a label must be one of the integers
0-4 (written ``3`` or ``3.0``); anything else is rejected with a reason, so a file of valid
labels scores exactly as in MLE-bench. Rows, columns and ids go through the library's own
validation (ids read by pandas, then matched as text, so ``7.0`` matches ``7`` as in MLE-bench).
The grader is :func:`mle_track.grading.custom.coded_labels`.
"""

from mle_track.grading.custom import coded_labels

grade = coded_labels("accuracy", "PhraseId", "Sentiment", range(0, 5), "sentiment labels")
