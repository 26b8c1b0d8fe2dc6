"""Environment variables and defaults, in one place.

Everything that can be overridden from the environment is read here and nowhere else, so that the
CLI flags, the Hydra app and the tests all agree on where data and competitions live.

Where ``conf/`` and ``competitions/`` come from (:func:`home`), first match wins:

1. ``$MLE_TRACK_HOME``: a folder holding ``conf/`` and ``competitions/`` (a copy to edit, or a
   checkout used with an installed package);
2. the source checkout the package runs from (an editable install, ``make test``): the folder
   beside ``mle_track/`` that has ``pyproject.toml``, ``conf/config.yaml`` and ``competitions/``;
3. the copies inside an installed wheel, ``mle_track/_resources/{conf,competitions}`` (put there
   at build time by ``setup.py``).

``$MLE_TRACK_COMPETITIONS_DIR`` and ``$MLE_TRACK_AGENTS_DIR`` still override those two folders on
their own.
"""

from __future__ import annotations

import os
from pathlib import Path

from mle_track.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
#: where a built wheel keeps its copies of ``conf/`` and ``competitions/``
BUNDLED_DIR = PACKAGE_DIR / "_resources"

ENV_HOME = "MLE_TRACK_HOME"
ENV_DATA_DIR = "MLE_TRACK_DATA_DIR"
ENV_COMPETITIONS_DIR = "MLE_TRACK_COMPETITIONS_DIR"
ENV_WHEEL_CACHE = "MLE_TRACK_WHEEL_CACHE"
ENV_AGENTS_DIR = "MLE_TRACK_AGENTS_DIR"
ENV_BWRAP = "MLE_TRACK_BWRAP"


def _holds_resources(folder: Path) -> bool:
    return (folder / "conf" / "config.yaml").is_file() and (folder / "competitions").is_dir()


def _source_checkout() -> Path | None:
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file() and _holds_resources(candidate):
        return candidate
    return None


#: the source checkout this package runs from, or ``None`` for an installed wheel; only a
#: checkout has a git commit worth recording
SOURCE_DIR: Path | None = _source_checkout()


def _resolve_home() -> tuple[Path, str]:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve(), f"${ENV_HOME}"
    if SOURCE_DIR is not None:
        return SOURCE_DIR, "the source checkout"
    return BUNDLED_DIR, "the installed package"


def home() -> Path:
    """The folder with ``conf/`` and ``competitions/``: ``$MLE_TRACK_HOME`` > the source
    checkout > the installed package's copies (see the module docstring)."""
    folder, origin = _resolve_home()
    if not _holds_resources(folder):
        raise ConfigError(
            f"{folder} (from {origin}) has no conf/config.yaml and competitions/; set "
            f"{ENV_HOME} to a folder that holds both (a checkout of mle-track does)"
        )
    return folder


#: Resolved once at import, for callers that join ``conf``/``competitions`` to it; new code
#: should call :func:`home`, :func:`conf_dir` or :func:`competitions_dir`, which read the
#: environment when called and fail with a clear error.
PROJECT_DIR = _resolve_home()[0]


def conf_dir() -> Path:
    """The Hydra config folder (``conf/``)."""
    return home() / "conf"


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
    """Folder with one sub-folder per competition: ``MLE_TRACK_COMPETITIONS_DIR`` >
    ``home()/competitions``."""
    env = os.environ.get(ENV_COMPETITIONS_DIR)
    return Path(env).expanduser().resolve() if env else home() / "competitions"


def wheel_cache_dir(data_root: Path) -> Path:
    """Downloaded data wheels, shared by every competition built from the same wheel."""
    env = os.environ.get(ENV_WHEEL_CACHE)
    return Path(env).expanduser().resolve() if env else data_root / "_downloads" / "wheels"


def agents_dir() -> Path:
    """Agent configs for ``mle-track run-agent`` (the Hydra app reads ``conf/agent`` itself):
    ``MLE_TRACK_AGENTS_DIR`` > ``conf_dir()/agent``."""
    env = os.environ.get(ENV_AGENTS_DIR)
    return Path(env).expanduser().resolve() if env else conf_dir() / "agent"


def models_dir() -> Path:
    """Model configs (``conf/model``)."""
    return conf_dir() / "model"


def bwrap_binary() -> str:
    """The bubblewrap program the local sandbox isolates agents with: ``$MLE_TRACK_BWRAP`` (a
    name on ``PATH`` or a path; a missing one makes the sandbox behave as without bubblewrap)
    or ``bwrap``."""
    return os.environ.get(ENV_BWRAP) or "bwrap"
