"""A plain, non-editable install works: the wheel carries ``conf/`` and ``competitions/``.

The wheel is built from a copy of the sources (so no ``build/`` folder is left in the checkout
and nothing but what the sdist would carry goes in) and installed with ``--no-deps`` into a fresh
venv. That venv sees the project venv's dependencies through a ``.pth`` line, which adds the
folder to ``sys.path`` without running the ``.pth`` files inside it, so the editable install of
the checkout stays invisible: ``import mle_track`` must resolve to the installed wheel. The
installed console script then runs from an empty folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from mle_track import settings

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
#: what the sdist carries (MANIFEST.in and pyproject.toml) and the wheel is built from
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "mle_track",
    "conf",
    "competitions",
)
COMPETITION = "practice-mnist-digits"
#: variables that would point the installed package back at the checkout
LEAKS = (
    "PYTHONPATH",
    settings.ENV_HOME,
    settings.ENV_COMPETITIONS_DIR,
    settings.ENV_AGENTS_DIR,
    settings.ENV_DATA_DIR,
)


@dataclass(frozen=True)
class Installed:
    python: Path
    script: Path
    site_packages: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        # the data wheels' cache that the practice_data_root fixture sets up, read when called
        cache = {k: os.environ[k] for k in [settings.ENV_WHEEL_CACHE] if k in os.environ}
        return subprocess.run(
            [str(self.script), *args],
            cwd=self.cwd,
            env={**self.env, **cache, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )


def _check(*command: str | Path) -> str:
    """Run a set-up step; a failure shows the step's own output."""
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


PIP = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input")


def _build_wheel(work: Path) -> Path:
    source = work / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.py[co]", "*.egg-info")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    dist = work / "dist"
    _check(*PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-cache-dir", "-w", dist, source)
    (wheel,) = dist.glob("mle_track-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel-install")
    wheel = _build_wheel(work)
    venv = work / "venv"
    _check(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = _check(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    site_packages = Path(purelib.strip())
    # the project venv's dependencies, on sys.path after the fresh venv's own site-packages
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "project-deps.pth").write_text("".join(f"{d}\n" for d in sorted(deps)))
    # --ignore-installed: pip sees the project venv's editable install through the .pth and must
    # never try to uninstall it
    target = ("--python", python, "install", "--no-deps", "--no-index", "--ignore-installed")
    _check(*PIP, *target, wheel)
    cwd = work / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    env["MLFLOW_DISABLE_TELEMETRY"] = "true"
    return Installed(python, venv / "bin" / "mle-track", site_packages, cwd, env)


def test_the_wheel_carries_conf_and_competitions(installed: Installed) -> None:
    probe = (
        "import json, mle_track\n"
        "from mle_track import settings\n"
        "from mle_track.tracking.provenance import git_sha\n"
        "print(json.dumps({'package': mle_track.__file__, 'home': str(settings.home()),\n"
        "  'source': settings.SOURCE_DIR and str(settings.SOURCE_DIR), 'sha': git_sha(),\n"
        "  'competitions': str(settings.competitions_dir()), 'conf': str(settings.conf_dir())}))\n"
    )
    done = subprocess.run(
        [str(installed.python), "-c", probe],
        cwd=installed.cwd,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    package = Path(found["package"]).resolve()
    assert package.is_relative_to(installed.site_packages.resolve()), found
    assert not package.is_relative_to(ROOT)
    bundled = package.parent / "_resources"
    assert found["source"] is None and found["sha"] is None
    assert Path(found["home"]) == bundled
    assert Path(found["conf"]) == bundled / "conf"
    assert (bundled / "conf" / "hydra" / "launcher" / "slurm.yaml").is_file()
    assert (bundled / "competitions" / COMPETITION / "checksums.yaml").is_file()
    assert not list(bundled.rglob("*.egg-info"))


def test_installed_script_lists_prepares_and_grades_from_anywhere(
    installed: Installed, practice_data_root: Path
) -> None:
    listed = installed.run("list", "--data-dir", str(practice_data_root))
    assert listed.returncode == 0, listed.stderr
    folders = (ROOT / "competitions").iterdir()
    expected = sorted(
        p.name for p in folders if (p / "config.yaml").is_file()
    )  # the catalog's rule
    ids = installed.run("list", "--ids")
    assert ids.stdout.split() == expected
    assert re.search(r"^practice\s+6 / 6$", listed.stdout, re.MULTILINE), listed.stdout

    prepared = installed.run("prepare", "-c", COMPETITION, "--data-dir", str(practice_data_root))
    assert prepared.returncode == 0, prepared.stderr
    assert "verified" in prepared.stdout

    answers = practice_data_root / COMPETITION / "prepared" / "private" / "test.csv"
    graded = installed.run(
        "grade-sample", str(answers), COMPETITION, "--data-dir", str(practice_data_root)
    )
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    assert report["competition_id"] == COMPETITION
    assert report["valid_submission"] and report["score"] == pytest.approx(1.0)

    config = installed.run("run", "--cfg", "job", f"competition={COMPETITION}")
    assert config.returncode == 0, config.stderr
    assert f"competition: {COMPETITION}" in config.stdout
    assert not list(installed.cwd.iterdir()), "nothing is written to the working directory"


def test_mle_track_home_takes_precedence_over_the_bundled_copies(
    installed: Installed, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(ROOT / "conf", home / "conf")
    shutil.copytree(ROOT / "competitions" / COMPETITION, home / "competitions" / COMPETITION)
    listed = installed.run("list", "--ids", **{settings.ENV_HOME: str(home)})
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == [COMPETITION]

    nowhere = tmp_path / "nowhere"
    failed = installed.run("list", **{settings.ENV_HOME: str(nowhere)})
    assert failed.returncode == 2
    assert failed.stderr.startswith(f"mle-track: error: {nowhere} (from ${settings.ENV_HOME})")
    assert "Traceback" not in failed.stderr
