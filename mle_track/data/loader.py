"""A competition's ``prepare(raw, public, private)``, loaded and checked before any download.

The file is loaded by the one competition-file loader (:mod:`mle_track.competitions.files`): a
module of a package for its folder, so ``from . import helpers`` finds the competition's own
helper modules and two competitions' ``prepare.py`` never shadow each other. This module adds
what is particular to ``prepare``: a :class:`PrepareError` for every failure, and MLE-bench's
signature checked up front, so a bad prepare fails before anything is fetched.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from mle_track.competitions.files import CompetitionFileError, describe, load_function
from mle_track.errors import PrepareError

__all__ = ["PARAMETERS", "PrepareFn", "check_signature", "describe", "load_prepare"]

PrepareFn = Callable[..., object]
PARAMETERS = ["raw", "public", "private"]


def load_prepare(folder: Path, competition_id: str) -> PrepareFn:
    """The checked ``prepare`` function of the competition in ``folder``."""
    try:
        fn = load_function(folder, "prepare", "prepare", owner=competition_id)
    except CompetitionFileError as exc:
        raise PrepareError(str(exc)) from exc
    check_signature(fn, folder / "prepare.py")
    return fn


def check_signature(fn: PrepareFn, path: Path) -> None:
    """MLE-bench's contract, enforced the same way: the names and order are exactly these."""
    names = list(inspect.signature(fn).parameters)
    if names != PARAMETERS:
        raise PrepareError(
            f"{path}: prepare must take exactly (raw, public, private), got ({', '.join(names)})"
        )
