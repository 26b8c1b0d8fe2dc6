"""Image files: finding the one each row names, and turning it into a feature vector.

Competitions name images by id (``train/<id>.png``), by file name (an id like ``abc.jpg``), or in
a column of file names. All are resolved through one index of the image files under the data
directory, keyed by file name and by stem; when the same name exists in several folders the one
under a folder named like the split (``train``/``test``) wins.

Each image becomes its grey values downsampled to a small square (the pixels, for linear models
and trees alike), a coarse histogram of oriented gradients (strokes and edges, which pixels alone
describe poorly) and per-channel colour statistics. Decoding is the slow part of an image task,
so the caller caps the number of training images from the measured decoding speed.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from mle_track.agents.baseline.columns import IMAGE_SUFFIXES

#: images are reduced to at most SIDE × SIDE grey pixels
SIDE = 28
#: gradient histogram: CELLS × CELLS cells of BINS orientations
CELLS = 4
BINS = 8
_MAX_FILES = 2_000_000


def index_images(data: Path) -> dict[str, list[Path]]:
    """Image files under ``data`` keyed by name and by stem (lower case), in a stable order."""
    index: dict[str, list[Path]] = defaultdict(list)
    seen = 0
    for folder, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(IMAGE_SUFFIXES):
                path = Path(folder) / name
                index[name.lower()].append(path)
                index[Path(name).stem.lower()].append(path)
                seen += 1
        if seen >= _MAX_FILES:
            break
    return dict(index)


def resolve(names: Sequence[str], index: dict[str, list[Path]], split: str) -> list[Path | None]:
    """The image file for each name (an id, a file name or a relative path), or None."""
    found: list[Path | None] = []
    for name in names:
        key = Path(str(name)).name.lower()
        options = index.get(key) or index.get(Path(key).stem) or []
        if len(options) > 1:
            preferred = [p for p in options if any(split in part.lower() for part in p.parts)]
            options = preferred or options
        found.append(options[0] if options else None)
    return found


def coverage(paths: Sequence[Path | None]) -> float:
    return sum(p is not None for p in paths) / max(1, len(paths))


def _gradient_histogram(grey: np.ndarray) -> np.ndarray:
    """Orientation histograms of the gradient in CELLS × CELLS cells, L2-normalised per cell."""
    gy, gx = np.gradient(grey)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    bins = np.minimum((angle / np.pi * BINS).astype(int), BINS - 1)
    side = grey.shape[0] // CELLS
    features = np.zeros((CELLS, CELLS, BINS))
    for i in range(CELLS):
        for j in range(CELLS):
            cell = (slice(i * side, (i + 1) * side), slice(j * side, (j + 1) * side))
            features[i, j] = np.bincount(bins[cell].ravel(), magnitude[cell].ravel(), BINS)
    norms = np.linalg.norm(features, axis=2, keepdims=True) + 1e-6
    return np.asarray((features / norms).ravel())


def describe(path: Path | None) -> np.ndarray:
    """One image as features: SIDE² grey pixels, gradient histograms, colour statistics."""
    width = SIDE * SIDE + CELLS * CELLS * BINS + 9
    if path is None:
        return np.zeros(width, dtype=np.float32)
    try:
        with Image.open(path) as image:
            image.draft("RGB", (SIDE * 4, SIDE * 4))  # JPEG: decode at a reduced size
            rgb = image.convert("RGB")
            small = rgb.resize((SIDE * 2, SIDE * 2), Image.Resampling.BILINEAR)
    except (OSError, ValueError):
        return np.zeros(width, dtype=np.float32)
    colour = np.asarray(small, dtype=np.float64) / 255.0
    grey2 = colour.mean(axis=2)
    grey = grey2.reshape(SIDE, 2, SIDE, 2).mean(axis=(1, 3))
    stats = np.concatenate(
        [colour.mean(axis=(0, 1)), colour.std(axis=(0, 1)), np.percentile(grey2, [10, 50, 90])]
    )
    return np.concatenate([grey.ravel(), _gradient_histogram(grey2), stats]).astype(np.float32)


def feature_names() -> list[str]:
    pixels = [f"px{i}" for i in range(SIDE * SIDE)]
    grads = [f"hog{i}" for i in range(CELLS * CELLS * BINS)]
    stats = ["r_mean", "g_mean", "b_mean", "r_std", "g_std", "b_std", "p10", "p50", "p90"]
    return pixels + grads + stats


def load(paths: Sequence[Path | None], stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Features for each path; stops early (fewer rows) when ``stop()`` turns true."""
    rows = []
    for i, path in enumerate(paths):
        if stop is not None and i % 64 == 0 and i > 0 and stop():
            break
        rows.append(describe(path))
    if not rows:
        return np.zeros((0, len(feature_names())), dtype=np.float32)
    return np.asarray(np.vstack(rows), dtype=np.float32)
