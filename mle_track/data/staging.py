"""Locking and atomic publication of ``prepared/``.

A prepare builds into ``<id>/.staging-<random>/`` and renames it to ``<id>/prepared`` only when
everything, the marker included, is written; a rename within one folder is atomic, so a reader
sees either no ``prepared/`` or a complete one. A killed prepare leaves only a staging folder,
which the next prepare removes. Everything here runs under ``<id>/.lock`` (a ``filelock``),
which the OS releases when its holder dies, so a SIGKILL never leaves a stuck lock.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from mle_track.data.layout import CompetitionPaths

STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
#: how often a waiting prepare says it is still waiting
WAIT_NOTICE_SECONDS = 10.0


@contextmanager
def competition_lock(
    paths: CompetitionPaths, progress: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the competition's lock; tells ``progress`` when it has to wait for another process."""
    paths.base.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(paths.lock))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        started = time.monotonic()
        if progress is not None:
            progress(f"waiting for another prepare of {paths.competition_id} ({paths.lock})")
        while True:
            try:
                lock.acquire(timeout=WAIT_NOTICE_SECONDS)
                break
            except Timeout:
                if progress is not None:
                    waited = time.monotonic() - started
                    progress(f"still waiting for the lock ({waited:.0f}s)")
    try:
        yield
    finally:
        lock.release()


def clean_stale(paths: CompetitionPaths) -> list[Path]:
    """Remove staging and trash folders left by killed prepares (call with the lock held)."""
    stale = sorted(
        p
        for p in paths.base.iterdir()
        if p.is_dir() and p.name.startswith((STAGING_PREFIX, TRASH_PREFIX))
    )
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def new_staging(paths: CompetitionPaths) -> Path:
    """A fresh ``.staging-<random>/`` with empty ``public/`` and ``private/`` inside."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=paths.base))
    # mkdtemp makes the folder private (0700); prepared/ must be readable by a sandbox user.
    staging.chmod(0o755)
    (staging / "public").mkdir()
    (staging / "private").mkdir()
    return staging


def publish(staging: Path, paths: CompetitionPaths) -> None:
    """Replace ``prepared/`` with the complete staging folder.

    An existing ``prepared/`` is first renamed aside (a directory cannot be renamed over a
    non-empty one); if the process dies between the two renames there is no ``prepared/`` at
    all, which counts as not prepared, and the aside copy is cleaned as stale.
    """
    old: Path | None = None
    if paths.prepared.exists():
        old = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=paths.base)) / "prepared"
        paths.prepared.rename(old)
    staging.rename(paths.prepared)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def remove_prepared(paths: CompetitionPaths) -> None:
    """Take a ``prepared/`` that does not count as ready out of the way, atomically."""
    if paths.prepared.exists():
        trash = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=paths.base))
        paths.prepared.rename(trash / "prepared")
        shutil.rmtree(trash, ignore_errors=True)
