"""What each target is: its kind, what the submission wants for it, and how to encode its labels.

A task has one or more :class:`Target`. Most have one (a price, a label column, a set of class
probability columns fed by one label); independent target columns (several regressions, several
yes/no labels that need not sum to one) become one target each, trained separately.

The output follows the evidence in this order: the task card's metric (AUC or log loss want
probabilities, accuracy or F1 want labels, RMSE wants values), then the sample submission's
values (0.5 is a probability, 0 is a label), then the training labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from mle_track.agents.baseline.taskcard import Loss, MetricHint, Output

Kind = Literal["binary", "multiclass", "regression"]
#: an integer target with at most this many values is a class label, not a quantity
MAX_LABEL_CLASSES = 30


@dataclass(frozen=True)
class Target:
    """One thing to predict and how it maps onto the sample's columns."""

    kind: Kind
    output: Output
    #: the sample columns this target fills
    columns: tuple[str, ...]
    #: the training columns its labels come from
    source_columns: tuple[str, ...]
    #: class values as found in train; an encoded label is an index into this
    classes: tuple[Any, ...] = ()
    #: probability output: the class index each output column holds
    column_classes: tuple[int, ...] = ()
    #: probability rows must sum to one (the columns cover every class)
    normalize: bool = False
    loss: Loss = "l2"
    nonnegative: bool = False
    #: label output written as integers
    integer_labels: bool = False

    def encode(self, train: pd.DataFrame) -> np.ndarray:
        """The training labels: class indices for classification, floats for regression."""
        if self.kind == "regression":
            return train[self.source_columns[0]].to_numpy(dtype=np.float64)
        if len(self.source_columns) > 1:  # one-hot columns
            return np.asarray(
                train[list(self.source_columns)].to_numpy(dtype=float).argmax(axis=1), dtype=int
            )
        values = train[self.source_columns[0]]
        index = {_key(c): i for i, c in enumerate(self.classes)}
        return np.asarray([index[_key(v)] for v in values], dtype=int)

    def describe(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "output": self.output,
            "columns": list(self.columns[:10]),
            "source_columns": list(self.source_columns[:10]),
            "n_classes": len(self.classes),
            "normalize": self.normalize,
            "loss": self.loss,
            "nonnegative": self.nonnegative,
        }


def _key(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, np.generic):
        return _key(value.item())
    return str(value)


def _norm(value: Any) -> str:
    return re.sub(r"[^0-9a-z]+", "_", _key(value).lower()).strip("_")


def _sorted_classes(values: pd.Series) -> tuple[Any, ...]:
    unique = values.dropna().unique().tolist()
    try:
        return tuple(sorted(unique))
    except TypeError:
        return tuple(sorted(unique, key=str))


def _numbers(values: pd.Series) -> np.ndarray | None:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any():
        return None
    return numbers.to_numpy(dtype=float)


def _all_integers(values: np.ndarray | None) -> bool:
    return values is not None and len(values) > 0 and bool(np.all(values == np.round(values)))


def single_column(
    train: pd.DataFrame, sample: pd.DataFrame, column: str, hint: MetricHint | None
) -> Target:
    """The target for one direct column (see the module docstring for the order of evidence)."""
    labels = train[column].dropna()
    numeric = None if labels.dtype == object else _numbers(labels)
    sample_values = _numbers(sample[column])
    wants = hint.output if hint else None
    classes = _sorted_classes(labels)
    if numeric is None or labels.dtype == bool:
        kind: Kind = "binary" if len(classes) == 2 else "multiclass"
        integer = all(isinstance(c, (int, np.integer)) for c in classes)
        return Target(kind, "label", (column,), (column,), classes, integer_labels=integer)
    if set(np.unique(numeric)) <= {0.0, 1.0} and wants != "value":
        output: Output = "probability"
        if wants == "label" or (wants is None and _all_integers(sample_values)):
            output = "label"
        return Target("binary", output, (column,), (column,), (0, 1), (1,), integer_labels=True)
    few = len(classes) <= min(MAX_LABEL_CLASSES, max(3, len(labels) // 20))
    labels_wanted = wants == "label" or (wants is None and _all_integers(sample_values))
    if _all_integers(numeric) and few and labels_wanted:
        ints = tuple(int(c) for c in classes)
        return Target("multiclass", "label", (column,), (column,), ints, integer_labels=True)
    loss: Loss = hint.loss if hint and hint.loss != "none" else "l2"
    nonnegative = bool(numeric.min() >= 0)
    if loss == "log_target" and not nonnegative:
        loss = "l2"
    return Target("regression", "value", (column,), (column,), loss=loss, nonnegative=nonnegative)


def targets_from_direct(
    train: pd.DataFrame,
    sample: pd.DataFrame,
    columns: list[str],
    hint: MetricHint | None,
    notes: list[str],
) -> list[Target]:
    """Targets whose columns are in the training table."""
    if len(columns) > 1:
        block = train[columns].dropna()
        values = (
            block.to_numpy(dtype=float)
            if all(pd.api.types.is_numeric_dtype(block[c]) for c in columns)
            else None
        )
        one_hot = values is not None and len(block) > 0 and np.isin(values, (0.0, 1.0)).all()
        if one_hot and values is not None and np.all(values.sum(axis=1) == 1):
            notes.append("one-hot target columns: one multi-class model")
            output: Output = "label" if hint and hint.output == "label" else "probability"
            return [
                Target(
                    "multiclass",
                    output,
                    tuple(columns),
                    tuple(columns),
                    tuple(columns),
                    tuple(range(len(columns))),
                    normalize=True,
                    integer_labels=True,
                )
            ]
        notes.append(f"{len(columns)} independent target columns: one model each")
    return [single_column(train, sample, c, hint) for c in columns]


def targets_from_classes(
    train: pd.DataFrame,
    label: str,
    columns: list[str],
    hint: MetricHint | None,
    notes: list[str],
) -> list[Target]:
    """One probability target from a label column whose values name the sample's columns."""
    classes = _sorted_classes(train[label])
    index = {_norm(c): i for i, c in enumerate(classes)}
    column_classes = tuple(index[_norm(c)] for c in columns)
    covers = len(set(column_classes)) == len(classes)
    notes.append(
        f"label column {label!r}: {len(classes)} classes, "
        f"{len(columns)} probability column(s){'' if covers else ' (a subset of the classes)'}"
    )
    kind: Kind = "binary" if len(classes) == 2 else "multiclass"
    output: Output = (
        "label" if hint and hint.output == "label" and len(columns) == 1 else "probability"
    )
    if output == "label":
        notes.append("the card asks for labels: writing 1 for the named class, 0 otherwise")
    return [
        Target(
            kind,
            output,
            tuple(columns),
            (label,),
            classes,
            column_classes,
            normalize=covers and len(columns) > 1,
            integer_labels=True,
        )
    ]
