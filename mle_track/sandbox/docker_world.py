"""What a docker attempt's container is made of: its mounts, its hardening, the staged data.

The container promises what the isolated local sandbox promises, so its create arguments are
built here, in one place (see :func:`hardening` and :func:`world_mounts`):

* **no capabilities** (``cap_drop=["ALL"]``): not even the root-run steps need one. The agent's
  folders are made the agent's by the daemon, which extracts our ``put_archive`` tars with the
  owners their headers name, so no ``chown`` runs inside; the validation server binds an
  unprivileged port and reads world-readable files. The bounding set is empty, so no process in
  the container can ever gain a capability;
* **no new privileges** (``security_opt=["no-new-privileges"]``): a set-uid binary in the image
  (``su``, ``sudo``) cannot raise the agent back to root;
* **a read-only root file system** (``read_only=True``). What must be writable is mounted:
  ``/home`` and ``/opt/mle-track`` (the validator) as anonymous volumes, which the daemon fills
  with the image's own files on creation, accepts ``put_archive`` into while the root is
  read-only, and keeps after the container is killed so ``get_archive`` can copy the outputs
  out; ``/tmp`` and ``/var/tmp`` as tmpfs (scratch, mode 1777, executable as before; with a
  disk budget, each at most that size: see :mod:`.docker_disk`). The
  image's user ``nonroot`` is looked up, never created (``useradd`` would write ``/etc``); an
  image without it runs the agent as uid 1000 with ``HOME=/home/agent``;
* **no host path of ours is visible**: a bind mount's source shows in ``/proc/self/mountinfo``,
  so the public folder is never bound itself. It is *staged*: a per-session folder
  ``/tmp/mle-track-world-<session>/data`` mirrors it with hard links and is bound read-only at
  ``/home/data``, so the container sees that neutral path only, never the data root, the run
  directory, the project or a home directory. Hard links cost one ``link()`` per file and no
  disk: the practice suite's largest (``practice-mnist-digits``, 5,004 PNGs, 20 MB) stages and is
  removed again in 0.15 s on this (shared, two-core) machine, the others in about 1 ms. Where a
  link is refused (``/tmp`` on another file system than the data, ``protected_hardlinks``) the
  file is copied, which costs what a copy costs (2.6 s for that competition here, growing with
  the data): for large competitions on another disk, point ``staging_root`` at a neutral folder
  on the data's own file system. Copying the files into the container with ``put_archive``
  instead was measured at 4.1 s for the same competition (the copy plus tar, HTTP and the
  daemon's extraction), would duplicate the data per attempt, and would leave it writable by
  the container's root; hence staging.

What the container still sees of the host is the daemon's own: overlay and volume paths under
its data root (``/var/lib/docker``; a *rootless* daemon keeps that under the user's home, which
then shows in the overlay's options: run rootful or under gVisor where that matters) and the
staging path. A staging folder goes with its container (teardown, the watchdog and
``end_orphans`` remove the folder its label names); a kept container keeps it, and a harness
killed between staging and creating the container leaves one behind in ``/tmp``.

Privileged containers (MLE-bench's docker-in-docker agents, run only with the user's recorded
consent) keep the daemon's defaults for capabilities and the root file system: dropping either
would break what they were allowed for. Staging, volumes and tmpfs still apply.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox.base import AgentTask

#: where staging folders are made: a neutral path that names no user, project or data root
DEFAULT_STAGING_ROOT = Path("/tmp")
STAGING_PREFIX = "mle-track-world-"
#: scratch space on tmpfs (it counts against the container's memory limit), with each mount's
#: share of the disk budget: the shares sum to one, so the kernel holds the scratch space to the
#: budget *together*, and only ``/home`` (a volume) is left to the guard's measures
SCRATCH = {"/tmp": 0.75, "/var/tmp": 0.25}
#: ``exec`` said explicitly: Docker's tmpfs default is ``noexec``, and agents build and run
#: things in /tmp (pip builds, compiled helpers), as they could before the root was read-only
_SCRATCH_OPTIONS = "rw,exec,nosuid,nodev,mode=1777"


def hardening(task: AgentTask) -> dict[str, Any]:
    """docker-py keyword arguments that take privileges away (none for a privileged task)."""
    if task.privileged:
        return {"privileged": True}
    return {
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "read_only": True,
    }


def world_mounts(
    staged_data: Path,
    data_target: PurePosixPath,
    writable: tuple[PurePosixPath, ...],
    disk_gb: float | None = None,
) -> dict[str, Any]:
    """The staged data read-only, anonymous volumes for ``writable``, tmpfs scratch space (no
    larger than the disk budget ``disk_gb`` between them, when there is one: the kernel bounds
    them)."""
    from mle_track.sandbox.docker_api import sdk
    from mle_track.sandbox.docker_disk import scratch_size

    mount = sdk().types.Mount
    mounts = [mount(str(target), None, type="volume") for target in writable]
    mounts.append(mount(str(data_target), str(staged_data), type="bind", read_only=True))
    tmpfs = {
        place: _SCRATCH_OPTIONS + scratch_size(disk_gb, share) for place, share in SCRATCH.items()
    }
    return {"mounts": mounts, "tmpfs": tmpfs}


def stage_public(public: Path, session_id: str, staging_root: Path | None = None) -> Path:
    """A neutral folder holding ``public``'s files (hard links, else copies); returns it.

    The folder itself is ``<staging_root>/mle-track-world-<session>`` (mode 0700: only we and
    the daemon look inside); the data is its ``data/`` subfolder, which is what gets bound.
    Measured costs are in the module's docstring.
    """
    root = staging_root or DEFAULT_STAGING_ROOT
    if not root.is_dir():
        raise SandboxError(f"the docker sandbox stages public data in {root}, which is missing")
    staging = root / f"{STAGING_PREFIX}{session_id}"
    try:
        staging.mkdir(mode=0o700)
        _mirror(public.resolve(), staging / "data")
    except OSError as exc:
        remove_staging(staging)
        raise SandboxError(f"could not stage the public data in {staging}: {exc}") from None
    except BaseException:
        remove_staging(staging)
        raise
    return staging


def _mirror(source: Path, target: Path) -> None:
    """Hard links of ``source``'s regular files under ``target``; symlinks are refused (a link
    would point at a host path the container cannot and must not see)."""
    target.mkdir(mode=0o755)
    for folder, dirs, files in os.walk(source):
        here = Path(folder)
        there = target / here.relative_to(source)
        for name in dirs:
            if (here / name).is_symlink():
                raise SandboxError(f"{here / name} is a symlink: refused in public data")
            (there / name).mkdir(mode=0o755)
        for name in files:
            src, dst = here / name, there / name
            if src.is_symlink() or not src.is_file():
                raise SandboxError(f"{src} is not a regular file: refused in public data")
            try:
                os.link(src, dst)
            except OSError:  # another file system, or protected_hardlinks: copy it
                shutil.copy2(src, dst)


def is_staging(path: Path) -> bool:
    """Whether ``path`` names a staging folder (the only kind :func:`remove_staging` is asked
    to remove when a container's label names one)."""
    return path.is_absolute() and path.name.startswith(STAGING_PREFIX) and ".." not in path.parts


def remove_staging(staging: Path) -> None:
    """Remove a staging folder (hard links only: the prepared files are untouched)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(staging)
