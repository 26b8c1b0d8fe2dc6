"""The free-space check before a prepare: a 100 GB download must not fail at 90 %.

MLE-bench's competitions are 1–100+ GB. A prepare that runs out of disk half-way wastes the hours
the download took and leaves a half-written raw folder, so the pipeline compares the free space
of the data root with what the competition will need (``dataset_size_gb`` in its config, the
size of Kaggle's download) before it fetches anything, and refuses with the figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mle_track.competitions.spec import CompetitionSpec
from mle_track.errors import PrepareError

_GB = 1 << 30
#: what a fetch and prepare takes, in downloads: the archive, its extracted files, and the
#: prepared copies of the tables (media are hard-linked into the prepared tree, not copied).
#: With the raw files already there (reused, or ``--raw-dir``) nothing is checked: they are on
#: the disk already, and the prepared tree is mostly links to them
FETCH_FACTOR = 2.5


def free_bytes(folder: Path) -> int:
    """Free bytes of the file system that holds ``folder`` (or its nearest existing parent)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return shutil.disk_usage(Path.cwd()).free


def check_free_space(spec: CompetitionSpec, folder: Path) -> None:
    """Raise PrepareError when ``folder``'s disk has less room than fetching and preparing
    ``spec`` needs; nothing for a competition without a declared size."""
    if spec.dataset_size_gb is None:
        return
    needed = spec.dataset_size_gb * FETCH_FACTOR * _GB
    free = free_bytes(folder)
    if free < needed:
        what = "the download, its files and the prepared copy"
        raise PrepareError(
            f"{spec.id}: needs about {needed / _GB:.1f} GB free in {folder} ({what}, for a "
            f"{spec.dataset_size_gb:g} GB download) but only {free / _GB:.1f} GB are free: free "
            "some space or choose a data root on a larger disk (--data-dir)"
        )
