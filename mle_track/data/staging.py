"""Locking and atomic publication of ``prepared/``.

A prepare builds into ``<id>/.staging-<random>/`` and renames it to ``<id>/prepared`` only when
everything, the marker included, is written; a rename within one folder is atomic, so a reader
sees either no ``prepared/`` or a complete one. A killed prepare leaves only a staging folder,
which the next prepare removes. Everything here runs under ``<id>/.lock`` (a ``filelock``),
which the OS releases when its holder dies, so a SIGKILL never leaves a stuck lock.

``private/`` is sealed read-only before it is published (:func:`seal`), so whatever removes a
build (a rebuild, a stale staging folder) opens it up first (:func:`remove_tree`).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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
        remove_tree(path)
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
        remove_tree(old.parent)


def remove_prepared(paths: CompetitionPaths) -> None:
    """Take a ``prepared/`` that does not count as ready out of the way, atomically."""
    if paths.prepared.exists():
        trash = Path(tempfile.mkdtemp(prefix=TRASH_PREFIX, dir=paths.base))
        paths.prepared.rename(trash / "prepared")
        remove_tree(trash)


#: sealed modes: files readable by everyone and writable by nobody, folders listable only
SEALED_FILE = 0o444
SEALED_FOLDER = 0o555


def seal(folder: Path) -> None:
    """Make ``folder`` and everything below it read-only (files 0o444, folders 0o555).

    The private answers are the harness's: no process of another user (a sandbox's agent user)
    can change them, and no stray write of ours can. The owner and root can still change the
    modes back, so this is a guard, not the wall: the sandboxes keep agents away from
    ``private/``, and grading hashes what it reads (see :mod:`mle_track.data.verify`)."""
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, SEALED_FILE)
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, SEALED_FOLDER)
    os.chmod(folder, SEALED_FOLDER)


def remove_tree(path: Path) -> None:
    """Remove a folder that may hold sealed ones: each folder is made writable before it is
    emptied (links are never followed). Errors are ignored, like ``rmtree(ignore_errors=True)``:
    what is left is removed as stale by the next prepare."""
    if not path.exists() or path.is_symlink():
        return
    for dirpath, dirnames, _ in os.walk(path):
        with suppress(OSError):
            os.chmod(dirpath, stat.S_IMODE(os.lstat(dirpath).st_mode) | stat.S_IRWXU)
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
    shutil.rmtree(path, ignore_errors=True)
