"""The few things every part of the docker sandbox asks of docker-py, in one place.

docker-py is imported here on first use only, so listing sandboxes or running the local one
never needs it; the container labels that find an attempt's containers again (from the
watchdog, or from a later harness cleaning up after a dead one) are defined here once.
"""

from __future__ import annotations

import contextlib
import importlib
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


def end_containers(client: Any, label: str) -> int:
    """Kill every container with ``label`` (``key=value``) and remove those not kept; returns
    how many were running."""
    ended = 0
    for container in client.containers.list(
        all=True, filters={"label": label}, ignore_removed=True
    ):
        ended += kill_container(container)
        if container.labels.get(KEEP_LABEL) != "1":
            with contextlib.suppress(Exception):
                container.remove(force=True)
    return ended
