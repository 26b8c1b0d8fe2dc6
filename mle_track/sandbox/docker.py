"""The ``docker`` sandbox: the agent in a container, following MLE-bench's container contract.

One container per attempt, created from the task's image with our limits (``nano_cpus``,
``mem_limit`` without extra swap, ``shm_size``, ``pids_limit``, GPUs as ``device_requests``),
``network_mode="none"`` unless the task allows network, the runtime the task names (gVisor's
``runsc``) and the hardening of :mod:`.docker_world`: no capabilities, no new privileges, a
read-only root file system, and the public data *staged* in a neutral host folder and bound
read-only at ``/home/data``, so that no host path of the data root or the run directory shows
anywhere in the container (``/proc/self/mountinfo`` included). The private answers are never
mounted. :meth:`DockerSandbox.open_session` is the one place that builds this world; a one-shot
attempt is a session with one command (:mod:`.docker_session` runs the commands). Its lifecycle:

1. ask the daemon for what the task needs, each missing one a one-line SandboxError: the image,
   the runtime (``client.info()["Runtimes"]``) and, when the task allows network, the network
   (a daemon started with ``--bridge=none`` has no ``bridge``, and a container on a missing
   network would silently have none);
2. start the session's watchdog, which kills the container if the harness dies (the container
   belongs to the daemon, not to us), stage the public data, then create the container with an
   idle init process (``tail -f /dev/null`` under Docker's init, which reaps orphans),
   overriding the image's entrypoint: MLE-bench images start their own grading server, which
   needs private data we never provide. Its labels name the attempt key, the session and the
   staging folder, so that the watchdog and :meth:`DockerSandbox.end_orphans` find it again and
   clean up after it;
3. look up the image's ``nonroot`` user, copy in the instructions, ``validate_submission.sh``
   and the agent's folder (``/home``), the stdlib validator and its rules (``/opt/mle-track``)
   with ``put_archive``, the agent's folders owned by the agent; folders the image made someone
   else's are handed over the same way (a tar round trip), since no ``chown`` can run inside;
4. start the validation server in the background (``docker exec`` as root, so the agent cannot
   stop it) and wait up to 60 s for ``/health``, probed from inside: with no network the host
   cannot reach the container's loopback;
5. run the agent as ``nonroot`` with ``docker exec``, streaming its output to ``run.log``, under
   our own monotonic deadline (``container.wait(timeout=)`` is only an HTTP timeout); at the
   deadline, or when the agent has exited, its processes are killed and counted;
   with a disk budget, a guard measures ``/home`` (and the size-bounded tmpfs scratch) from
   the first command on and ends the attempt past it (:mod:`.docker_disk`);
6. kill the container, which also ends anything left, copy ``submission/``, ``logs/`` and
   ``code/`` out with ``get_archive`` (regular files only), then remove the container, its
   volumes and the staging folder unless the task asks to keep them.

``run.log`` holds the agent's exec stream: the container's own log only has the idle init.
"""

from __future__ import annotations

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
    STAGING_LABEL,
    connect,
    container_limits,
    end_containers,
    kill_container,
    remove_container,
    require_network,
    require_runtime,
    sdk,
)
from mle_track.sandbox.docker_session import (
    DEFAULT_COMMAND,
    IDLE_COMMAND,
    VALIDATOR_DIR,
    AgentUser,
    DockerSession,
)
from mle_track.sandbox.docker_world import hardening, remove_staging, stage_public, world_mounts
from mle_track.sandbox.rules import rules_for
from mle_track.sandbox.watchdog import SESSION_LABEL, Watchdog, new_session_id

__all__ = ["DEFAULT_COMMAND", "DEFAULT_IMAGE", "DockerSandbox", "connect", "container_limits"]

DEFAULT_IMAGE = "mle-track-env:latest"
#: the validation server's log, in its own root-owned volume (the root file system is read-only)
SERVER_LOG = VALIDATOR_DIR / "validate.log"
_FIND_PYTHON = 'PY="$(command -v python3 || command -v python)"; '
#: prints each folder given that holds anything the agent does not own (run as root, no caps)
_FOREIGN = (
    'for d in "$@"; do '
    '[ -n "$(find "$d" ! -user {uid} 2>/dev/null | head -n 1)" ] && echo "$d"; '
    "done; true"
)


class DockerSandbox(Sandbox):
    """Runs the task in a container of ``task.image`` (default: the env image).

    ``network_mode`` is used when a task allows network (``"none"`` otherwise);
    ``health_timeout_s`` bounds the wait for the validation server; ``client`` is a docker-py
    client to use instead of ``docker.from_env()`` (the watchdog always reaches the daemon the
    way ``from_env`` does); ``staging_root`` is where the public data is staged (default
    ``/tmp``; see :mod:`.docker_world`).
    """

    name = "docker"

    def __init__(
        self,
        *,
        client: Any | None = None,
        network_mode: str = "bridge",
        health_timeout_s: float = 60.0,
        staging_root: Path | None = None,
    ) -> None:
        self._client = client
        self.network_mode = network_mode
        self.health_timeout_s = health_timeout_s
        self.staging_root = staging_root
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
        require_runtime(self.client, task.runtime)
        if task.network:
            require_network(self.client, self.network_mode)
        session_id = new_session_id()
        try:
            watchdog = Watchdog.start("docker", session_id)
        except OSError as exc:
            raise SandboxError(f"cannot start the sandbox's watchdog process: {exc}") from None
        container = staging = None
        try:
            staging = stage_public(public, session_id, self.staging_root)
            container = self._create(task, image, staging, session_id)
            user = self._populate(container, task, public)
            self._start_validator(container)
            session = DockerSession(
                task, run_dir, self.paths, watchdog, self.client, container, user
            )
            session.prepare_guard()  # a budget that cannot be enforced is refused here
            return session
        except BaseException:
            if container is not None:
                kill_container(container)
                remove_container(container)
            if staging is not None:
                remove_staging(staging)
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

    def _create(self, task: AgentTask, image: str, staging: Path, session_id: str) -> Any:
        errors = sdk().errors
        name = f"mle-track-{task.competition_id[:40]}-{uuid.uuid4().hex[:10]}"
        labels = {
            KIND_LABEL: "attempt",
            COMPETITION_LABEL: task.competition_id,
            SESSION_LABEL: session_id,
            STAGING_LABEL: str(staging),
        }
        if task.attempt_key:
            labels[ATTEMPT_LABEL] = task.attempt_key
        if task.keep:
            labels[KEEP_LABEL] = "1"
        options: dict[str, Any] = {
            **world_mounts(
                staging / "data",
                self.paths.data,
                (self.paths.home, VALIDATOR_DIR),
                task.limits.disk_gb,
            ),
            **hardening(task),
            **container_limits(task.limits),
        }
        if task.runtime:
            options["runtime"] = task.runtime
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
                network_mode=self.network_mode if task.network else "none",
                **options,
            )
        except errors.APIError as exc:
            raise SandboxError(f"Docker refused to start a container of {image!r}: {exc}") from None

    def _populate(self, container: Any, task: AgentTask, public: Path) -> AgentUser:
        """The world's files in, owned by the right users; returns the agent's user."""
        user = AgentUser.lookup(container)
        rules = rules_for(task.competition_id, public)
        url = f"http://localhost:{layout.VALIDATION_PORT}/validate"
        files = layout.world_files(task, self.paths, rules, python=None, server_url=url)
        home = PurePosixPath(CONTAINER_HOME)
        in_home = [f for f in files if f.path.is_relative_to(home)]
        with archives.world_archive(
            in_home,
            task.agent_dir,
            self.paths.agent,
            root=home,
            folders=self.paths.writable,
            owner=user.owner,
        ) as tar:
            _put(container, home, tar.read())
        validator = [f for f in files if f.path.is_relative_to(VALIDATOR_DIR)]
        with archives.world_archive(validator, root=VALIDATOR_DIR) as tar:
            _put(container, VALIDATOR_DIR, tar.read())
        self._hand_over(container, user)
        return user

    def _hand_over(self, container: Any, user: AgentUser) -> None:
        """Give the agent its folders' contents that came from the image (``chown -R`` would
        need CAP_CHOWN, which the container does not have): a tar round trip per folder."""
        folders = [str(p) for p in self.paths.writable]
        script = _FOREIGN.format(uid=user.uid)
        output = container.exec_run(["sh", "-c", script, "sh", *folders], user="root").output
        for folder in output.decode(errors="replace").split():
            chunks, _ = container.get_archive(folder)
            with archives.reowned(chunks, user.owner) as tar:
                _put(container, PurePosixPath(folder).parent, tar.read())

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


def _put(container: Any, folder: PurePosixPath, data: bytes) -> None:
    """Extract a tar at ``folder`` in the container, or a SandboxError that says where."""
    try:
        ok = container.put_archive(str(folder), data)
    except sdk().errors.APIError as exc:
        raise SandboxError(f"could not copy files into the container at {folder}: {exc}") from None
    if not ok:
        raise SandboxError(f"could not copy files into the container at {folder}")
