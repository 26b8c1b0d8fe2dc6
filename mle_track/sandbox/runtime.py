"""The Python an isolated agent runs: the harness's own, read-only, at neutral paths.

The built-in agents run ``python -m mle_track.agents…`` and AIDE's scripts import numpy, pandas,
scikit-learn and LightGBM, so the isolated sandbox gives the agent the harness's interpreter and
packages, read-only, where a container would have them:

- ``/opt/mle-track/python``: the base interpreter's prefix (unless it lives in ``/usr``, which
  the sandbox shows as it is), its shared library found through ``LD_LIBRARY_PATH`` since its
  run path names the host prefix;
- ``/opt/mle-track/env``: a virtual environment over the harness's site-packages (its
  ``pyvenv.cfg`` and ``bin/python`` written for the neutral paths), first on ``PATH``;
- ``/opt/mle-track/src``: this package, on ``PYTHONPATH``, when it runs from a source checkout
  (an editable install's finder names the checkout, so it is left out of the mirror).

A bind mount shows its *source* path in ``/proc/self/mountinfo``, so binding the host folders
would tell the agent where the venv, the project and the user's home are. The base prefix and the
site-packages are therefore mirrored once per machine into a neutral temporary folder
(``mle-track-runtime-<uid>-<fingerprint>``) as hard links: no data is copied, later attempts and
other harness processes reuse it, and installing or removing a package changes the fingerprint,
so a new mirror is made. The package itself is hard-linked per attempt into the attempt's
staging folder, so edits to a checkout are seen at once. Where hard links cannot be made (the
temporary folder on another file system, a runtime owned by another user), the host folders are
bound directly and :attr:`Runtime.hidden` is false: their paths then appear in the agent's mount
table. Either way the interpreter's own build configuration (``sysconfig``) still names the
prefix it was built for.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: this package's folder (``mle_track/``)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
WORLD_ROOT = PurePosixPath("/opt/mle-track")
WORLD_PREFIX = WORLD_ROOT / "python"
WORLD_ENV = WORLD_ROOT / "env"
WORLD_SRC = WORLD_ROOT / "src"
MIRROR_PREFIX = "mle-track-runtime-"
_COMPLETE = ".complete"
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Bind:
    """One read-only mount of the runtime: a host folder at a path of the world."""

    source: Path
    target: PurePosixPath


@dataclass(frozen=True)
class Runtime:
    """The interpreter inside the world, the mounts that provide it and its variables."""

    python: str
    binds: tuple[Bind, ...]
    env: dict[str, str] = field(default_factory=dict)
    #: no host path of the runtime is in the agent's mount table (a hard-linked mirror)
    hidden: bool = True


@dataclass(frozen=True)
class HostPython:
    """The harness's interpreter, as it is installed on the host."""

    prefix: Path
    executable: Path
    version: str
    venv_prefix: Path | None
    sites: tuple[Path, ...]
    shared_library: bool
    package: Path
    package_installed: bool

    @property
    def in_system(self) -> bool:
        return self.prefix.is_relative_to("/usr")

    @classmethod
    def current(cls) -> HostPython:
        executable = Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))
        prefix = Path(sys.base_prefix).resolve()
        if not executable.is_relative_to(prefix):
            prefix = executable.parent.parent
        paths = sysconfig.get_paths()
        sites = tuple(
            dict.fromkeys(
                Path(paths[key]).resolve()
                for key in ("purelib", "platlib")
                if Path(paths[key]).is_dir()
            )
        )
        package = PACKAGE_DIR
        venv = Path(sys.prefix).resolve() if sys.prefix != sys.base_prefix else None
        return cls(
            prefix=prefix,
            executable=executable,
            version=f"{sys.version_info.major}.{sys.version_info.minor}",
            venv_prefix=venv,
            sites=sites if venv else (),
            shared_library=bool(sysconfig.get_config_var("Py_ENABLE_SHARED")),
            package=package,
            package_installed=any(package.is_relative_to(site) for site in sites),
        )


def build(stage: Path) -> Runtime:
    """The runtime of one attempt; ``stage`` is the attempt's staging folder, where the small
    parts (the venv's skeleton, the package) are written."""
    host = HostPython.current()
    mirror = _mirror(host)
    binds: list[Bind] = []
    env: dict[str, str] = {}
    if host.in_system:
        python = str(host.executable)
    else:
        source = mirror / "python" if mirror else host.prefix
        binds.append(Bind(source, WORLD_PREFIX))
        python = str(WORLD_PREFIX / host.executable.relative_to(host.prefix))
        if host.shared_library:
            env["LD_LIBRARY_PATH"] = str(WORLD_PREFIX / "lib")
    if host.venv_prefix is not None:
        skeleton = stage / "env"
        _write_venv(skeleton, host, python)
        binds.append(Bind(skeleton, WORLD_ENV))
        for index, site in enumerate(host.sites):
            target = WORLD_ENV / site.relative_to(host.venv_prefix)
            binds.append(Bind(mirror / f"site-{index}" if mirror else site, target))
        python = str(WORLD_ENV / "bin" / "python")
        env["VIRTUAL_ENV"] = str(WORLD_ENV)
    if not host.package_installed:
        _link_tree(host.package, stage / "src" / host.package.name, copy=True)
        binds.append(Bind(stage / "src", WORLD_SRC))
        env["PYTHONPATH"] = str(WORLD_SRC)
    env["PATH"] = f"{PurePosixPath(python).parent}:{SYSTEM_PATH}"
    return Runtime(python, tuple(binds), env, hidden=mirror is not None or not _mirrored(host))


def _mirrored(host: HostPython) -> bool:
    """Whether anything of the runtime lives outside ``/usr`` (and so needs a mirror)."""
    return not host.in_system or host.venv_prefix is not None


def _write_venv(skeleton: Path, host: HostPython, python: str) -> None:
    """``pyvenv.cfg``, ``bin/python*`` and the mount points of the site-packages."""
    (skeleton / "bin").mkdir(parents=True)
    home = PurePosixPath(python).parent
    (skeleton / "pyvenv.cfg").write_text(
        f"home = {home}\ninclude-system-site-packages = false\n"
        f"version = {'.'.join(map(str, sys.version_info[:3]))}\n"
    )
    for name in ("python", "python3", f"python{host.version}"):
        (skeleton / "bin" / name).symlink_to(python)
    assert host.venv_prefix is not None
    for site in host.sites:
        (skeleton / site.relative_to(host.venv_prefix)).mkdir(parents=True, exist_ok=True)


def _trees(host: HostPython) -> list[tuple[str, Path, Callable[[Path], bool]]]:
    """What the mirror holds: (name, host folder, which entries to leave out)."""
    trees: list[tuple[str, Path, Callable[[Path], bool]]] = []
    if not host.in_system:
        own_sites = {host.prefix / "lib" / f"python{host.version}" / "site-packages"}
        skip_sites = host.venv_prefix is not None

        def skip_prefix(path: Path) -> bool:
            return skip_sites and path in own_sites

        trees.append(("python", host.prefix, skip_prefix))
    for index, site in enumerate(host.sites):
        trees.append((f"site-{index}", site, _skip_in_site(host)))
    return trees


def _skip_in_site(host: HostPython) -> Callable[[Path], bool]:
    """Leave out an editable install of this package (its finder and metadata name the
    checkout): the package comes from :data:`WORLD_SRC` instead."""
    name = host.package.name

    def skip(path: Path) -> bool:
        if host.package_installed:
            return False
        entry = path.name
        return (entry.startswith("__editable__") and name in entry) or (
            entry.startswith(f"{name}-") and entry.endswith((".dist-info", ".egg-link"))
        )

    return skip


@functools.cache
def _mirror(host: HostPython) -> Path | None:
    """The hard-linked mirror of the runtime (made if needed), or ``None`` where there is
    nothing to mirror or hard links cannot be made."""
    trees = _trees(host)
    if not trees:
        return None
    digest = hashlib.sha256(sys.version.encode())
    for name, source, _ in trees:
        digest.update(f"{name}={source}".encode())
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(source), key=lambda e: e.name):
                digest.update(
                    f"{entry.name}:{entry.stat(follow_symlinks=False).st_mtime_ns}".encode()
                )
    temp = Path(tempfile.gettempdir())
    final = temp / f"{MIRROR_PREFIX}{os.getuid()}-{digest.hexdigest()[:16]}"
    if (final / _COMPLETE).is_file():
        return final
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=temp))
    try:
        for name, source, skip in trees:
            _link_tree(source, work / name, copy=False, skip=skip)
        (work / _COMPLETE).write_text("")
        os.rename(work, final)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        return final if (final / _COMPLETE).is_file() else None  # another harness won the race
    return final


def _link_tree(
    source: Path, target: Path, *, copy: bool, skip: Callable[[Path], bool] | None = None
) -> None:
    """Recreate ``source`` under ``target``: folders made, files hard-linked (copied when
    ``copy`` allows and a link cannot be made), symlinks kept as they are; nothing followed."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(source):
        path, dest = Path(entry.path), target / entry.name
        if skip is not None and skip(path):
            continue
        if entry.is_symlink():
            dest.symlink_to(os.readlink(path))
        elif entry.is_dir():
            _link_tree(path, dest, copy=copy, skip=skip)
        elif entry.is_file():
            try:
                os.link(path, dest)
            except OSError:
                if not copy:
                    raise
                shutil.copy2(path, dest)
