"""Features for the reference population: each PNG's grey values, scaled to [0, 1].

Plain features (the classic tier): pixels averaged over 2 × 2 blocks (28 × 28 → 14 × 14 = 196
features): accuracy barely moves, while the tree ensembles of the population train four times
faster.

Tuned tier: histograms of oriented gradients (HOG) of the full-resolution image — the classic
hand-made convolutional feature for digits. The image gradient (a convolution with [-1, 0, 1]
along each axis) gives every pixel an edge strength and a direction; each 4 × 4 cell sums the
strengths into nine direction bins (7 × 7 cells × 9 = 441 features), square-rooted to tame
strong strokes. An RBF-kernel SVM, a one-hidden-layer perceptron and logistic regression train
on them (gradient boosting on them costs minutes per model for ten classes, and an image
practitioner reaches for kernels and networks first).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from mle_track.leaderboards import FeatureSet, ReferenceProblem

POOL = 2
CELL = 4
BINS = 9


def _images(folder: Path, ids: pd.Series) -> np.ndarray:
    """Every image at full resolution, grey values in [0, 1]: (n, 28, 28)."""
    images = []
    for image_id in ids:
        with Image.open(folder / f"{image_id}.png") as image:
            images.append(np.asarray(image.convert("L"), dtype=np.float64) / 255.0)
    return np.stack(images)


def _pooled(images: np.ndarray) -> np.ndarray:
    n, side = images.shape[0], images.shape[1] // POOL
    pooled = images.reshape(n, side, POOL, side, POOL).mean(axis=(2, 4))
    return np.asarray(pooled.reshape(n, -1), dtype=np.float64)


def _gradient_histograms(images: np.ndarray) -> np.ndarray:
    rows, columns = np.gradient(images, axis=(1, 2))
    strength = np.hypot(rows, columns)
    direction = np.mod(np.arctan2(rows, columns), np.pi)  # unsigned: 0 … π
    bins = np.minimum((direction / np.pi * BINS).astype(int), BINS - 1)
    n, side = images.shape[0], images.shape[1] // CELL
    histograms = [
        (strength * (bins == b)).reshape(n, side, CELL, side, CELL).sum(axis=(2, 4))
        for b in range(BINS)
    ]
    return np.asarray(np.sqrt(np.stack(histograms, axis=-1).reshape(n, -1)), dtype=np.float64)


def load_problem(public: Path) -> ReferenceProblem:
    train = pd.read_csv(public / "train.csv")
    test = pd.read_csv(public / "test.csv")
    train_images = _images(public / "train", train["id"])
    test_images = _images(public / "test", test["id"])
    gradients = FeatureSet(
        _gradient_histograms(train_images),
        _gradient_histograms(test_images),
        standardize=False,  # one unit already: standardising would inflate empty border cells
    )
    return ReferenceProblem(
        task="multiclass",
        x_train=_pooled(train_images),
        y_train=train["label"].to_numpy(),
        x_test=_pooled(test_images),
        test_ids=test["id"].to_numpy(),
        output="label",
        tuned={"svm": gradients, "mlp": gradients, "glm": gradients},
    )
