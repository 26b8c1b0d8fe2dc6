"""A progress line every so often while a competition's ``prepare.py`` runs.

A prepare of a 100 GB competition runs for tens of minutes inside one call of the competition's
own code, which reports nothing. Rather than ask every ``prepare.py`` to report, the pipeline
watches what it writes: a daemon thread measures the staging folder (files and bytes, links not
followed) every :data:`INTERVAL_S` and reports ``running prepare.py: 4m10s, 12.3 GB in 45,120
files so far``, so a user sees it is alive and how far it got.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

INTERVAL_S = 30.0


@contextmanager
def heartbeat(
    progress: Callable[[str], None], what: str, folder: Path, interval_s: float = INTERVAL_S
) -> Iterator[None]:
    """Report ``what``'s elapsed time and what ``folder`` holds every ``interval_s`` until the
    block ends (the thread ends with it, before the block's own last report)."""
    stop = threading.Event()
    started = time.monotonic()

    def beat() -> None:
        while not stop.wait(interval_s):
            files, size = tree_size(folder)
            elapsed = int(time.monotonic() - started)
            progress(
                f"{what}: {elapsed // 60}m{elapsed % 60:02d}s, {_size(size)} in {files:,} "
                "files so far"
            )

    thread = threading.Thread(target=beat, name="mle-track-prepare-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) below ``folder``: an explicit stack (no recursion), links not followed,
    entries that vanish meanwhile skipped."""
    files = size = 0
    stack = [os.fspath(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            files += 1
                            size += entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return files, size


def _size(count: int) -> str:
    return f"{count / (1 << 30):.1f} GB" if count >= 1 << 30 else f"{count / (1 << 20):.1f} MB"
