"""Token accuracy with MLE-bench's reading of ``after``: the grader shared with the English
competition (``textnorm.grade`` in its folder), where the reading rules are documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

SHARED = Path(__file__).resolve().parent.parent / "text-normalization-challenge-english-language"


def _textnorm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("textnorm_russian", SHARED / "textnorm.py")
    assert spec and spec.loader, SHARED
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grade = _textnorm().grade
