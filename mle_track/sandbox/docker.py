"""The ``docker`` sandbox: the agent in a container, following MLE-bench's container contract.

One container per attempt, created from the task's image with our limits (``nano_cpus``,
``mem_limit`` without extra swap, ``shm_size``, ``pids_limit``, GPUs as ``device_requests``),
``network_mode="none"`` unless the task allows network, and the public data bind-mounted
read-only at ``/home/data``. The private answers are never mounted. :meth:`DockerSandbox.
open_session` is the one place that builds this world; a one-shot attempt is a session with one
command (:mod:`.docker_session` runs the commands). Its lifecycle:

1. start the session's watchdog, which kills the container if the harness dies (the container
   belongs to the daemon, not to us), then create the container with an idle init process
   (``tail -f /dev/null`` under Docker's init, which reaps orphans), overriding the image's
   entrypoint: MLE-bench images start their own grading server, which needs private data we
   never provide. Its labels name the attempt key and the session, so that the watchdog and
   :meth:`DockerSandbox.end_orphans` find it again;
2. copy in the instructions, ``validate_submission.sh``, the stdlib validator and its rules, and
   the agent's folder (``put_archive``), then as root: create the ``nonroot`` user if the image has
   none, and give it ``/home/{submission,logs,code,agent}``;
3. start the validation server in the background (``docker exec`` as root, so the agent cannot
   stop it) and wait up to 60 s for ``/health``, probed from inside: with no network the host
   cannot reach the container's loopback;
4. run the agent as ``nonroot`` with ``docker exec``, streaming its output to ``run.log``, under
   our own monotonic deadline (``container.wait(timeout=)`` is only an HTTP timeout); at the
   deadline, or when the agent has exited, its processes are killed and counted;
5. kill the container, which also ends anything left, copy ``submission/``, ``logs/`` and
   ``code/`` out with ``get_archive`` (regular files only), then remove the container unless the
   task asks to keep it.

``run.log`` holds the agent's exec stream: the container's own log only has the idle init.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, layout
from mle_track.sandbox.base import CONTAINER_HOME, AgentTask, Sandbox
from mle_track.sandbox.docker_api import (
    ATTEMPT_LABEL,
    COMPETITION_LABEL,
    KEEP_LABEL,
    KIND_LABEL,
    connect,
    container_limits,
    end_containers,
    kill_container,
    sdk,
)
from mle_track.sandbox.docker_session import (
    AGENT_USER,
    DEFAULT_COMMAND,
    IDLE_COMMAND,
    VALIDATOR_DIR,
    DockerSession,
)
from mle_track.sandbox.rules import rules_for
from mle_track.sandbox.watchdog import SESSION_LABEL, Watchdog, new_session_id

__all__ = ["DEFAULT_COMMAND", "DEFAULT_IMAGE", "DockerSandbox", "connect", "container_limits"]

DEFAULT_IMAGE = "mle-track-env:latest"
SERVER_LOG = "/var/log/mle-track-validate.log"
_FIND_PYTHON = 'PY="$(command -v python3 || command -v python)"; '
_SETUP = """set -e
if ! id -u {user} >/dev/null 2>&1; then
  useradd -m -u 1000 -s /bin/sh {user} 2>/dev/null || useradd -m -s /bin/sh {user} 2>/dev/null \
    || adduser -D -u 1000 {user}
fi
mkdir -p {dirs}
chown -R {user} {dirs}
chmod 1777 /tmp
"""


class DockerSandbox(Sandbox):
    """Runs the task in a container of ``task.image`` (default: the env image).

    ``network_mode`` is used when a task allows network (``"none"`` otherwise);
    ``health_timeout_s`` bounds the wait for the validation server; ``client`` is a docker-py
    client to use instead of ``docker.from_env()`` (the watchdog always reaches the daemon the
    way ``from_env`` does).
    """

    name = "docker"

    def __init__(
        self,
        *,
        client: Any | None = None,
        network_mode: str = "bridge",
        health_timeout_s: float = 60.0,
    ) -> None:
        self._client = client
        self.network_mode = network_mode
        self.health_timeout_s = health_timeout_s
        self.paths = layout.SandboxPaths.under(PurePosixPath(CONTAINER_HOME), VALIDATOR_DIR)

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = connect()
        return self._client

    def open_session(self, task: AgentTask, run_dir: Path) -> DockerSession:
        """Create and populate the container, start its validator; see the module's steps."""
        layout.clear_run_dir(run_dir)
        public = layout.check_public_dir(task.public_dir)
        image = task.image or DEFAULT_IMAGE
        self._require_image(image)
        session_id = new_session_id()
        try:
            watchdog = Watchdog.start("docker", session_id)
        except OSError as exc:
            raise SandboxError(f"cannot start the sandbox's watchdog process: {exc}") from None
        container = None
        try:
            container = self._create(task, image, public, session_id)
            self._populate(container, task, public)
            self._start_validator(container)
            return DockerSession(task, run_dir, self.paths, watchdog, self.client, container)
        except BaseException:
            if container is not None:
                kill_container(container)
                with contextlib.suppress(Exception):
                    container.remove(force=True)
            watchdog.dismiss()
            raise

    def end_orphans(self, attempt_key: str) -> int:
        """Kill the attempt's containers that still run, and remove those not kept; returns
        how many were running. Raises SandboxError when no daemon answers."""
        if not attempt_key:
            raise ValueError("end_orphans needs the attempt key the attempt ran with")
        return end_containers(self.client, f"{ATTEMPT_LABEL}={attempt_key}")

    def _require_image(self, image: str) -> None:
        errors = sdk().errors
        try:
            self.client.images.get(image)
        except errors.ImageNotFound:
            how = (
                "build it with docker/build_env_image.sh"
                if image.startswith("mle-track-env")
                else f"build or pull it first (docker build -t {image} …)"
            )
            raise SandboxError(f"Docker image {image!r} is not on this daemon; {how}") from None
        except errors.APIError as exc:
            raise SandboxError(f"Docker could not look up image {image!r}: {exc}") from None

    def _create(self, task: AgentTask, image: str, public: Path, session_id: str) -> Any:
        errors = sdk().errors
        name = f"mle-track-{task.competition_id[:40]}-{uuid.uuid4().hex[:10]}"
        labels = {
            KIND_LABEL: "attempt",
            COMPETITION_LABEL: task.competition_id,
            SESSION_LABEL: session_id,
        }
        if task.attempt_key:
            labels[ATTEMPT_LABEL] = task.attempt_key
        if task.keep:
            labels[KEEP_LABEL] = "1"
        try:
            return self.client.containers.run(
                image,
                entrypoint=[IDLE_COMMAND[0]],
                command=list(IDLE_COMMAND[1:]),
                name=name,
                detach=True,
                init=True,
                user="root",
                working_dir=str(CONTAINER_HOME),
                labels=labels,
                volumes={str(public): {"bind": str(self.paths.data), "mode": "ro"}},
                network_mode=self.network_mode if task.network else "none",
                privileged=task.privileged,
                **container_limits(task.limits),
            )
        except errors.APIError as exc:
            raise SandboxError(f"Docker refused to start a container of {image!r}: {exc}") from None

    def _populate(self, container: Any, task: AgentTask, public: Path) -> None:
        rules = rules_for(task.competition_id, public)
        url = f"http://localhost:{layout.VALIDATION_PORT}/validate"
        files = layout.world_files(task, self.paths, rules, python=None, server_url=url)
        with archives.world_archive(files, task.agent_dir, self.paths.agent) as tar:
            container.put_archive("/", tar.read())
        dirs = " ".join(str(p) for p in self.paths.writable)
        code, output = container.exec_run(
            ["sh", "-c", _SETUP.format(user=AGENT_USER, dirs=dirs)], user="root"
        )
        if code != 0:
            raise SandboxError(
                f"could not prepare the container (user {AGENT_USER!r}, folders): "
                f"{output.decode(errors='replace').strip()}"
            )

    def _start_validator(self, container: Any) -> None:
        server = self.paths.validator_dir / layout.VALIDATOR_FILE
        port = layout.VALIDATION_PORT
        serve = f'{_FIND_PYTHON}exec "$PY" {server} serve --port {port} >{SERVER_LOG} 2>&1'
        container.exec_run(["sh", "-c", serve], user="root", detach=True)
        probe = ["sh", "-c", f'{_FIND_PYTHON}exec "$PY" {server} health --port {port}']
        deadline = time.monotonic() + self.health_timeout_s
        while time.monotonic() < deadline:
            if container.exec_run(probe, user="root").exit_code == 0:
                return
            time.sleep(0.1)
        log = container.exec_run(["sh", "-c", f"tail -n 20 {SERVER_LOG}"], user="root").output
        raise SandboxError(
            f"the validation server did not answer /health within {self.health_timeout_s:g} s; "
            f"its log: {log.decode(errors='replace').strip() or '(empty)'}"
        )
