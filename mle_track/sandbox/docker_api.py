"""The few things every part of the docker sandbox asks of docker-py, in one place.

docker-py is imported here on first use only, so listing sandboxes or running the local one
never needs it; the container labels that find an attempt's containers again (from the
watchdog, or from a later harness cleaning up after a dead one) are defined here once, and so
is ending such a container: killed, removed with its anonymous volumes unless kept, and its
host-side staging folder removed. What the daemon must offer before a container is created (a
runtime, a network) is asked here too, so that a missing one is one clear line, not a crash.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox.base import Limits

#: every container we start carries ``mle-track=attempt``
KIND_LABEL = "mle-track"
COMPETITION_LABEL = "mle-track.competition"
#: the task's attempt key, when it has one (see :func:`end_containers`)
ATTEMPT_LABEL = "mle-track.attempt"
#: ``"1"`` on containers the task asked to keep: ended, never removed
KEEP_LABEL = "mle-track.keep"
#: the host folder the container's public data is staged in (removed with the container)
STAGING_LABEL = "mle-track.staging"
_RUNTIME_HINTS = {"runsc": "install gVisor and run `runsc install`, then restart dockerd"}


def sdk() -> Any:
    """docker-py, imported on first use (by name, so the repo's ``docker/`` folder of build
    files is never mistaken for it by type checkers)."""
    try:
        return importlib.import_module("docker")
    except ImportError as exc:  # pragma: no cover - docker is a dependency
        raise SandboxError(f"the docker package is not installed: {exc}") from None


def connect() -> Any:
    """A docker-py client for a daemon that answers, or a SandboxError that says what to do."""
    try:
        client = sdk().from_env()
        client.ping()
    except Exception as exc:  # DockerException, requests' connection errors, a bad DOCKER_HOST
        raise SandboxError(
            f"cannot reach the Docker daemon ({exc}); start dockerd (CI: .ci/setup_docker.sh) "
            "or point DOCKER_HOST at a running one"
        ) from None
    return client


def container_limits(limits: Limits) -> dict[str, Any]:
    """docker-py keyword arguments for the limits that are set."""
    kwargs: dict[str, Any] = {}
    if limits.cpus:
        kwargs["nano_cpus"] = int(limits.cpus * 1e9)
    if limits.memory_gb:
        memory = f"{int(limits.memory_gb * 1024)}m"
        kwargs["mem_limit"] = memory
        kwargs["memswap_limit"] = memory  # no swap beyond the limit
    if limits.shm_size_gb:
        kwargs["shm_size"] = f"{int(limits.shm_size_gb * 1024)}m"
    if limits.pids_limit is not None:
        kwargs["pids_limit"] = limits.pids_limit
    if limits.gpus:
        request = sdk().types.DeviceRequest(count=limits.gpus, capabilities=[["gpu"]])
        kwargs["device_requests"] = [request]
    if limits.max_file_mb:
        size = int(limits.max_file_mb * (1 << 20))
        kwargs["ulimits"] = [sdk().types.Ulimit(name="fsize", soft=size, hard=size)]
    return kwargs


def kill_container(container: Any) -> bool:
    """SIGKILL a running container (its init takes every process with it); True if it ran."""
    with contextlib.suppress(Exception):  # already gone, or the daemon is going away
        container.reload()
        if container.status == "running":
            container.kill()
            return True
    return False


def remove_container(container: Any) -> None:
    """Remove a container with its anonymous volumes (``/home``, the validator), then the
    staging folder its label names. A kept container keeps both, for debugging."""
    from mle_track.sandbox.docker_world import is_staging, remove_staging

    with contextlib.suppress(Exception):  # already gone
        container.remove(force=True, v=True)
    staging = Path(container.labels.get(STAGING_LABEL) or "")
    if is_staging(staging):
        remove_staging(staging)


def end_containers(client: Any, label: str) -> int:
    """Kill every container with ``label`` (``key=value``) and remove those not kept; returns
    how many were running."""
    ended = 0
    for container in client.containers.list(
        all=True, filters={"label": label}, ignore_removed=True
    ):
        ended += kill_container(container)
        if container.labels.get(KEEP_LABEL) != "1":
            remove_container(container)
    return ended


def require_runtime(client: Any, runtime: str | None) -> None:
    """Refuse a runtime (gVisor's ``runsc``, …) that the daemon does not have, in one line."""
    if runtime is None:
        return
    try:
        known = sorted((client.info().get("Runtimes") or {}).keys())
    except sdk().errors.APIError as exc:
        raise SandboxError(f"Docker could not list its runtimes: {exc}") from None
    if runtime not in known:
        hint = _RUNTIME_HINTS.get(runtime, 'register it in the daemon\'s daemon.json "runtimes"')
        raise SandboxError(
            f"sandbox.runtime={runtime!r} is not a runtime of this Docker daemon (it has: "
            f"{', '.join(known) or 'none'}); {hint}, or set sandbox.runtime=null"
        )


def require_network(client: Any, network: str) -> None:
    """Refuse ``sandbox.network=true`` when the daemon has no such network, in one line: a
    container started without it would silently get no network at all."""
    if network in ("none", "host") or network.startswith("container:"):
        return
    errors = sdk().errors
    try:
        found = client.networks.get(network)
    except errors.NotFound:
        found = None
    except errors.APIError as exc:
        raise SandboxError(f"Docker could not look up network {network!r}: {exc}") from None
    if found is None or found.name != network:
        raise SandboxError(
            f"sandbox.network=true needs the Docker network {network!r}, which this daemon "
            "does not have (dockerd started with --bridge=none has no bridge); start dockerd "
            "with its default bridge, or run with sandbox.network=false"
        )
