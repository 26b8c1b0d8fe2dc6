"""Environment variables and defaults, in one place.

Everything that can be overridden from the environment is read here and nowhere else, so that the
CLI flags, the Hydra app and the tests all agree on where data and competitions live.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout (or installed tree) that holds ``competitions/`` and ``conf/`` beside the package.
PROJECT_DIR = PACKAGE_DIR.parent

ENV_DATA_DIR = "MLE_TRACK_DATA_DIR"
ENV_COMPETITIONS_DIR = "MLE_TRACK_COMPETITIONS_DIR"
ENV_WHEEL_CACHE = "MLE_TRACK_WHEEL_CACHE"
ENV_AGENTS_DIR = "MLE_TRACK_AGENTS_DIR"


def data_dir(override: str | Path | None = None) -> Path:
    """Root of prepared data: flag > ``MLE_TRACK_DATA_DIR`` > ``~/.cache/mle-track/data``."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return (Path(cache) / "mle-track" / "data").resolve()


def competitions_dir() -> Path:
    """Folder with one sub-folder per competition definition."""
    env = os.environ.get(ENV_COMPETITIONS_DIR)
    return Path(env).expanduser().resolve() if env else PROJECT_DIR / "competitions"


def wheel_cache_dir(data_root: Path) -> Path:
    """Downloaded data wheels, shared by every competition built from the same wheel."""
    env = os.environ.get(ENV_WHEEL_CACHE)
    return Path(env).expanduser().resolve() if env else data_root / "_downloads" / "wheels"


def agents_dir() -> Path:
    """Agent configs for ``mle-track run-agent`` (the Hydra app reads ``conf/agent`` itself)."""
    env = os.environ.get(ENV_AGENTS_DIR)
    return Path(env).expanduser().resolve() if env else PROJECT_DIR / "conf" / "agent"
