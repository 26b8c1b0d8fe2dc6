"""Where a result came from: the package version and the git commit of the checkout."""

from __future__ import annotations

import subprocess
from functools import cache

from mle_track import settings


@cache
def git_sha() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(settings.PROJECT_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None
