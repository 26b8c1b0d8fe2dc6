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
#: a column_classes entry for a class the training labels never show
ABSENT = -1
#: an integer target with at most this many values is a class label, not a quantity
MAX_LABEL_CLASSES = 30
#: ... and when the card asks for labels, up to this many (beyond: regression, rounded)
MAX_WANTED_CLASSES = 200


class TooManyClasses(ValueError):
    """A text target with too many distinct values (free text, not classes)."""


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
    #: probability output: the class index each output column holds (ABSENT: not in train)
    column_classes: tuple[int, ...] = ()
    #: probability rows must sum to one (the columns cover every class)
    normalize: bool = False
    loss: Loss = "l2"
    nonnegative: bool = False
    #: labels written as integers (regression: values rounded, the card wants whole labels)
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
    if isinstance(value, bool | np.bool_):
        value = int(value)
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
    if labels.dtype == bool:
        labels = labels.astype(int)
    numeric = None if labels.dtype == object else _numbers(labels)
    sample_values = _numbers(sample[column])
    wants = hint.output if hint else None
    classes = _sorted_classes(labels)
    if numeric is None:
        mostly_unique = len(classes) > MAX_LABEL_CLASSES and len(classes) > len(labels) / 2
        if len(classes) > MAX_WANTED_CLASSES or mostly_unique:
            raise TooManyClasses(
                f"target {column!r} has {len(classes)} distinct text values: not a "
                "classification a tabular baseline can learn"
            )
        kind: Kind = "binary" if len(classes) == 2 else "multiclass"
        integer = all(isinstance(c, (int, np.integer)) for c in classes)
        return Target(kind, "label", (column,), (column,), classes, integer_labels=integer)
    if set(np.unique(numeric)) <= {0.0, 1.0} and wants != "value":
        output: Output = "probability"
        if wants == "label" or (wants is None and _all_integers(sample_values)):
            output = "label"
        return Target("binary", output, (column,), (column,), (0, 1), (1,), integer_labels=True)
    # integers that repeat are class labels when labels are wanted (the card says so, or the
    # sample holds integers and the card names no metric); many distinct ones stay a quantity
    labels_wanted = wants == "label" or (wants is None and _all_integers(sample_values))
    repeated = len(classes) <= MAX_LABEL_CLASSES and len(classes) <= len(labels) / 2
    countable = repeated or (wants == "label" and len(classes) <= MAX_WANTED_CLASSES)
    integers = _all_integers(numeric)
    if integers and labels_wanted and countable:
        ints = tuple(int(c) for c in classes)
        return Target("multiclass", "label", (column,), (column,), ints, integer_labels=True)
    loss: Loss = hint.loss if hint and hint.loss != "none" else "l2"
    nonnegative = bool(numeric.min() >= 0)
    if loss == "log_target" and not nonnegative:
        loss = "l2"
    return Target(
        "regression",
        "value",
        (column,),
        (column,),
        loss=loss,
        nonnegative=nonnegative,
        integer_labels=integers and labels_wanted,
    )


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


def match_classes(columns: list[str], classes: tuple[Any, ...]) -> tuple[int, ...]:
    """The class each column names: exact spelling first, then loosely ("Beale's" ~ "beale_s"),
    each class used once, so two columns that only differ in punctuation keep their own class."""
    exact = {_key(c): i for i, c in enumerate(classes)}
    chosen = {col: exact[col] for col in columns if col in exact}
    free: dict[str, int] = {}
    for i, c in enumerate(classes):
        if i not in chosen.values():
            free.setdefault(_norm(c), i)
    for col in columns:
        if col not in chosen and _norm(col) in free:
            chosen[col] = free.pop(_norm(col))
    return tuple(chosen.get(col, ABSENT) for col in columns)


def sums_to_one(sample: pd.DataFrame, columns: list[str]) -> bool:
    """Whether the sample's rows over ``columns`` are probability distributions."""
    if len(columns) < 2:
        return False
    values = sample[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    return bool(np.isfinite(values).all() and np.allclose(values.sum(axis=1), 1.0, atol=1e-4))


def targets_from_classes(
    train: pd.DataFrame,
    sample: pd.DataFrame,
    label: str,
    columns: list[str],
    hint: MetricHint | None,
    notes: list[str],
) -> list[Target]:
    """One probability target from a label column whose values name the sample's columns."""
    classes = _sorted_classes(train[label])
    column_classes = match_classes(columns, classes)
    covers = set(column_classes) >= set(range(len(classes)))
    notes.append(
        f"label column {label!r}: {len(classes)} classes, "
        f"{len(columns)} probability column(s){'' if covers else ' (a subset of the classes)'}"
    )
    absent = column_classes.count(ABSENT)
    if absent:
        notes.append(f"{absent} class column(s) never occur in train: they get the floor")
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
            # the sample's rows sum to one: the metric wants distributions, whatever train shows
            normalize=(covers and len(columns) > 1) or sums_to_one(sample, columns),
            integer_labels=True,
        )
    ]
