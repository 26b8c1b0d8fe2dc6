"""Where a result came from: the package version and the git commit of the checkout."""

from __future__ import annotations

import subprocess
from functools import cache

from mle_track import settings


@cache
def git_sha() -> str | None:
    """The checkout's commit; ``None`` for an installed wheel (which has no checkout of its own,
    even when it sits inside some other git repository)."""
    if settings.SOURCE_DIR is None:
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(settings.SOURCE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
