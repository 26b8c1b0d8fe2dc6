"""The one loader for the Python files of a competition folder: modules of one package per folder.

A competition folder may hold four entry files — ``prepare.py`` (the split), ``grade.py`` (a
custom grader), ``synthetic.py`` (Kaggle-shaped test data) and ``reference.py`` (features for the
reference population) — plus helper modules of its own (``tfrecord.py`` …). Folder names contain
hyphens and the folders live outside ``mle_track``, so none of them can be imported by name.

Every load therefore creates a package for the folder, under a name no other load uses
(``_mle_track_competition_<folder>_<n>``), whose search path is the folder itself. Because of that:

* every entry file has the same import rules: ``from . import tfrecord`` or
  ``from .prepare import LABELS`` work in ``prepare.py``, ``grade.py``, ``synthetic.py`` and
  ``reference.py`` alike;
* two folders' ``prepare.py`` (or ``helpers.py``) never shadow each other in ``sys.modules``, even
  when the folders share a name (a test's copy of a competition beside the real one);
* the modules are registered in ``sys.modules`` under their full names, which dataclasses and
  pickle look up.

Code that several competitions share is an ordinary module of this package
(:mod:`mle_track.competitions.preparing`, :mod:`~mle_track.competitions.media`,
:mod:`~mle_track.competitions.textnorm`) imported by its absolute name, never another folder's
file loaded by path.

Each load runs the file afresh (a new package each time), so an edited file is picked up by the
next load in the same process; a caller that wants one instance keeps it (the grader caches its
grade function). Failures raise :class:`CompetitionFileError` with one line that names the file.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from mle_track.errors import ConfigError

#: the entry files a competition folder may define, without ``.py``
ENTRY_FILES = ("prepare", "grade", "synthetic", "reference")
PACKAGE_PREFIX = "_mle_track_competition_"
_loads = itertools.count()


class CompetitionFileError(ConfigError):
    """A competition's Python file is missing, fails to import or lacks a function it must have."""


def load_module(folder: Path, stem: str, *, owner: str | None = None) -> ModuleType:
    """Import ``<folder>/<stem>.py`` as a module of a fresh package for ``folder``.

    ``owner`` starts every error message (default: the folder's name, i.e. the competition id).
    """
    folder = folder.resolve()
    who = owner or folder.name
    if not re.fullmatch(r"[A-Za-z_]\w*", stem):
        raise CompetitionFileError(f"{who}: {stem!r} is not a module name (letters, digits, _)")
    path = folder / f"{stem}.py"
    if not path.is_file():
        raise CompetitionFileError(f"{who}: {path} does not exist")
    package = _new_package(folder)
    name = f"{package.__name__}.{stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has a loader
        raise CompetitionFileError(f"{who}: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        _forget(package.__name__)
        raise CompetitionFileError(f"{who}: importing {path} failed: {describe(exc)}") from exc
    setattr(package, stem, module)  # as the import system binds a submodule to its package
    return module


def load_function(
    folder: Path, stem: str, function: str, *, owner: str | None = None
) -> Callable[..., object]:
    """The callable ``function`` of ``<folder>/<stem>.py`` (loaded as :func:`load_module` does)."""
    module = load_module(folder, stem, owner=owner)
    fn = getattr(module, function, None)
    if not callable(fn):
        who = owner or folder.resolve().name
        raise CompetitionFileError(f"{who}: {module.__file__} defines no function {function}")
    return fn  # type: ignore[no-any-return]


def describe(exc: BaseException) -> str:
    """``Type: message (file:line)`` of the innermost frame, for a one-line CLI error."""
    tb = exc.__traceback__
    where = ""
    while tb is not None:
        where = f" ({tb.tb_frame.f_code.co_filename}:{tb.tb_lineno})"
        tb = tb.tb_next
    return f"{type(exc).__name__}: {exc}{where}"


def _new_package(folder: Path) -> ModuleType:
    """A package module for ``folder`` with a name unique in this process, in ``sys.modules``."""
    safe = re.sub(r"\W", "_", folder.name)
    name = f"{PACKAGE_PREFIX}{safe}_{next(_loads)}"
    spec = importlib.machinery.ModuleSpec(name, None, origin=str(folder), is_package=True)
    spec.submodule_search_locations = [str(folder)]
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    return package


def _forget(package: str) -> None:
    """Drop a failed load's package and whatever of it was imported, so nothing half-run stays."""
    for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
        del sys.modules[name]
