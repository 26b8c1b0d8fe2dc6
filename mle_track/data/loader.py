"""Loading a competition's ``prepare(raw, public, private)`` from its folder.

Competition folders are not packages (their names contain hyphens and they live outside
``mle_track``), so ``prepare.py`` is loaded by file path under a unique module name: two
competitions can both have a ``prepare.py`` (and a ``classes.py`` helper) without one shadowing
the other in ``sys.modules``. The module is given the folder as its package path, so
``from . import helpers`` inside ``prepare.py`` finds the competition's own helper modules.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

from mle_track.errors import PrepareError

PrepareFn = Callable[..., object]
PARAMETERS = ["raw", "public", "private"]
_counter = itertools.count()


def load_prepare(folder: Path, competition_id: str) -> PrepareFn:
    """The checked ``prepare`` function of the competition in ``folder``."""
    path = folder / "prepare.py"
    if not path.is_file():
        raise PrepareError(f"{competition_id}: {path} does not exist")
    safe = re.sub(r"\W", "_", competition_id)
    name = f"_mle_track_competition_{safe}_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(folder)]
    )
    if spec is None or spec.loader is None:
        raise PrepareError(f"{competition_id}: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickle look the module up by name
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise PrepareError(f"{competition_id}: importing {path} failed: {describe(exc)}") from exc
    fn = getattr(module, "prepare", None)
    if not callable(fn):
        raise PrepareError(f"{competition_id}: {path} defines no function prepare")
    check_signature(fn, path)
    return cast(PrepareFn, fn)


def check_signature(fn: PrepareFn, path: Path) -> None:
    """MLE-bench's contract, enforced the same way: the names and order are exactly these."""
    names = list(inspect.signature(fn).parameters)
    if names != PARAMETERS:
        raise PrepareError(
            f"{path}: prepare must take exactly (raw, public, private), got ({', '.join(names)})"
        )


def describe(exc: BaseException) -> str:
    """``Type: message (file:line)`` of the innermost frame, for a one-line CLI error."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        where = f" ({tb.tb_frame.f_code.co_filename}:{tb.tb_lineno})"
        tb = tb.tb_next
    return f"{type(exc).__name__}: {exc}{where}"
