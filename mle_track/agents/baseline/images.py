"""Image files: finding the one each row names, and turning it into a feature vector.

Competitions name images by id (``train/<id>.png``), by file name (an id like ``abc.jpg``), or in
a column of file names, and ship them as files or inside zip archives (the data directory is
read-only, so members are decoded straight from the archive). All are resolved through one index
keyed by file name and by stem; when the same name exists in several places the one under a
folder or archive named like the split (``train``/``test``) wins.

Each image becomes its grey values downsampled to a small square (the pixels, for linear models
and trees alike), a coarse histogram of oriented gradients (strokes and edges, which pixels alone
describe poorly) and per-channel colour statistics. Decoding is the slow part of an image task,
so the caller caps the number of training images from the measured decoding speed.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image

from mle_track.agents.baseline.columns import IMAGE_SUFFIXES

#: images are reduced to at most SIDE × SIDE grey pixels
SIDE = 28
#: gradient histogram: CELLS × CELLS cells of BINS orientations
CELLS = 4
BINS = 8
_MAX_FILES = 2_000_000

#: an image: a file, or a member of a zip archive (archive path, member name)
ImageRef = tuple[Path, str | None]
Index = dict[str, list[ImageRef]]


def _add(index: Index, name: str, ref: ImageRef) -> None:
    base = PurePosixPath(name).name
    index[base.lower()].append(ref)
    index[PurePosixPath(base).stem.lower()].append(ref)


def index_images(data: Path) -> Index:
    """Image files and zipped images under ``data``, keyed by name and by stem (lower case)."""
    index: Index = defaultdict(list)
    seen = 0
    for folder, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.lower().endswith(IMAGE_SUFFIXES):
                _add(index, name, (path, None))
                seen += 1
            elif name.lower().endswith(".zip"):
                seen += _index_archive(index, path)
        if seen >= _MAX_FILES:
            break
    return dict(index)


def _index_archive(index: Index, path: Path) -> int:
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return 0
    images = [m for m in members if m.lower().endswith(IMAGE_SUFFIXES)]
    for member in images:
        _add(index, member, (path, member))
    return len(images)


def _where(ref: ImageRef) -> str:
    return f"{ref[0]}/{ref[1] or ''}".lower()


def resolve(names: Sequence[str], index: Index, split: str) -> list[ImageRef | None]:
    """The image for each name (an id, a file name or a relative path), or None."""
    found: list[ImageRef | None] = []
    for name in names:
        key = PurePosixPath(str(name)).name.lower()
        options = index.get(key) or index.get(PurePosixPath(key).stem) or []
        if len(options) > 1:
            preferred = [r for r in options if split in _where(r)]
            options = preferred or options
        found.append(options[0] if options else None)
    return found


def coverage(paths: Sequence[ImageRef | None]) -> float:
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


def _open(ref: ImageRef, archives: dict[Path, zipfile.ZipFile]) -> Image.Image:
    path, member = ref
    if member is None:
        return Image.open(path)
    if path not in archives:
        archives[path] = zipfile.ZipFile(path)
    return Image.open(io.BytesIO(archives[path].read(member)))


def describe(ref: ImageRef | None, archives: dict[Path, zipfile.ZipFile]) -> np.ndarray:
    """One image as features: SIDE² grey pixels, gradient histograms, colour statistics."""
    width = SIDE * SIDE + CELLS * CELLS * BINS + 9
    if ref is None:
        return np.zeros(width, dtype=np.float32)
    try:
        with _open(ref, archives) as image:
            image.draft("RGB", (SIDE * 4, SIDE * 4))  # JPEG: decode at a reduced size
            rgb = image.convert("RGB")
            small = rgb.resize((SIDE * 2, SIDE * 2), Image.Resampling.BILINEAR)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
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


def load(refs: Sequence[ImageRef | None], stop: Callable[[], bool] | None = None) -> np.ndarray:
    """Features for each image; stops early (fewer rows) when ``stop()`` turns true."""
    rows = []
    archives: dict[Path, zipfile.ZipFile] = {}
    for i, ref in enumerate(refs):
        if stop is not None and i % 64 == 0 and i > 0 and stop():
            break
        rows.append(describe(ref, archives))
    for archive in archives.values():
        archive.close()
    if not rows:
        return np.zeros((0, len(feature_names())), dtype=np.float32)
    return np.asarray(np.vstack(rows), dtype=np.float32)
