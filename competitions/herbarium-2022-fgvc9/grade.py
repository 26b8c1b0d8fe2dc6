"""Macro F1 over species, with every prediction checked to be a whole-number category id.

MLE-bench turns each ``Predicted`` value into ``int()``: whole numbers and their float spelling
(``3.0``) count as that id, a fraction is truncated (``3.7`` counts as 3) and text or a missing
value makes the file invalid. Here a fraction is rejected too, with a reason (stricter; no
real prediction is fractional); every file of whole numbers scores exactly as in MLE-bench:
scikit-learn's ``f1_score(average="macro")`` over the union of true and predicted ids. Rows,
columns and ids go through the library's own validation (ids matched as text); the shared
grader is :func:`mle_track.grading.custom.whole_number_labels`.
"""

from mle_track.grading.custom import whole_number_labels

grade = whole_number_labels("macro_f1", "Id", "Predicted")
