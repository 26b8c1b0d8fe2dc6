"""Token accuracy with MLE-bench's reading of ``after`` (see ``textnorm.grade``).

A custom grader rather than the library's ``accuracy``: answers and predictions must be read
and compared exactly as MLE-bench reads them with pandas (NA-like tokens become missing and
compare as the text ``"nan"``), which the typed Arrow reader of the library does not do.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def _textnorm() -> ModuleType:
    """``textnorm.py`` beside this file (graders are loaded by path, not as a package)."""
    path = Path(__file__).with_name("textnorm.py")
    spec = importlib.util.spec_from_file_location("textnorm_english", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


grade = _textnorm().grade
