"""Text normalization, Russian: a 90/10 split of Kaggle's training sentences.

The logic is shared with the English competition: ``textnorm.py`` in its folder.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

LANGUAGE = "ru"
SHARED = Path(__file__).resolve().parent.parent / "text-normalization-challenge-english-language"


def _textnorm() -> ModuleType:
    spec = importlib.util.spec_from_file_location("textnorm_russian", SHARED / "textnorm.py")
    assert spec and spec.loader, SHARED
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(raw: Path, public: Path, private: Path) -> None:
    _textnorm().prepare_language(raw, public, private, LANGUAGE)
