"""Writing predictions in the sample submission's exact format.

The sample is the contract: its columns in its order, its ids (as text, byte for byte) in its row
order. Predictions are made valid before they are written: probabilities clipped to [0, 1] and,
where the columns cover every class, rows normalised to sum to one; labels written as the
training file spelled them (integers as integers); values clipped at zero where the target never
goes below it. Any target the agent could not model keeps the sample's own values, which are
valid by construction. Floats are written with a fixed format and the file replaced atomically,
so the same predictions always give the same bytes and a reader never sees half a file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from mle_track.agents.baseline.targets import Target

#: the smallest probability written where rows are normalised (log loss punishes exact zeros)
MIN_PROBABILITY = 1e-7
FLOAT_FORMAT = "%.10g"


def _label_values(target: Target, probabilities: np.ndarray) -> list[object]:
    index = probabilities.argmax(axis=1)
    if target.column_classes:  # a class-named column asking for 1/0
        return [int(i == target.column_classes[0]) for i in index]
    values = [target.classes[i] for i in index]
    if target.integer_labels:
        return [int(v) for v in values]
    return values


def target_columns(target: Target, prediction: np.ndarray) -> dict[str, object]:
    """The sample columns one target fills, from its test predictions."""
    if target.kind == "regression":
        values = np.asarray(prediction, dtype=np.float64).reshape(-1)
        values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
        if target.nonnegative:
            values = np.maximum(values, 0.0)
        if target.integer_labels:
            return {target.columns[0]: np.round(values).astype(np.int64)}
        return {target.columns[0]: values}
    probabilities = np.nan_to_num(np.asarray(prediction, dtype=np.float64), nan=0.0)
    if target.output == "label" and len(target.columns) > 1:  # one-hot labels
        best = probabilities.argmax(axis=1)
        return {
            name: (best == k).astype(int)
            for name, k in zip(target.columns, target.column_classes, strict=True)
        }
    if target.output == "label":
        return {target.columns[0]: _label_values(target, probabilities)}
    # a class train never showed gets probability 0 (the floor, once rows are normalised)
    padded = np.column_stack([probabilities, np.zeros(len(probabilities))])
    picked = np.clip(padded[:, list(target.column_classes)], 0.0, 1.0)
    if target.normalize:
        picked = np.maximum(picked, MIN_PROBABILITY)
        picked = picked / picked.sum(axis=1, keepdims=True)
    return {name: picked[:, i] for i, name in enumerate(target.columns)}


def build(
    sample: pd.DataFrame, targets: list[Target], predictions: list[np.ndarray | None]
) -> pd.DataFrame:
    """The submission frame: the sample's shape with every predicted column replaced."""
    frame = sample.copy()
    for target, prediction in zip(targets, predictions, strict=True):
        if prediction is None:
            continue
        for name, values in target_columns(target, prediction).items():
            frame[name] = values  # type: ignore[call-overload]
    return frame[list(sample.columns)]


def write(frame: pd.DataFrame, path: Path) -> None:
    """Write atomically with a fixed float format (same frame, same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    frame.to_csv(partial, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    os.replace(partial, path)


def copy_sample(sample: Path, path: Path) -> None:
    """The fallback: the sample submission itself (valid, and scores like a constant guess)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    shutil.copyfile(sample, partial)
    os.replace(partial, path)
