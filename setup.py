"""One build step that pyproject.toml cannot express: ship ``conf/`` and ``competitions/``.

Both folders live beside the package in the checkout. A wheel gets copies of them as
``mle_track/_resources/conf`` and ``mle_track/_resources/competitions``, which
:func:`mle_track.settings.home` falls back to when the package does not run from a checkout.
An editable install copies nothing: it reads the checkout itself. The sdist carries the two
folders through ``MANIFEST.in``. Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
RESOURCES = ("conf", "competitions")
TARGET = Path("mle_track", "_resources")
IGNORED = shutil.ignore_patterns("__pycache__", "*.py[co]", ".*")


class BuildPyWithResources(build_py):
    """``build_py`` plus a copy of ``conf/`` and ``competitions/`` into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / TARGET
        if target.exists():
            shutil.rmtree(target)
        for name in RESOURCES:
            shutil.copytree(ROOT / name, target / name, ignore=IGNORED)


setup(cmdclass={"build_py": BuildPyWithResources})
