"""The ``docker`` sandbox: the agent in a container, following MLE-bench's container contract.

One container per attempt, created from the task's image with our limits (``nano_cpus``,
``mem_limit`` without extra swap, ``shm_size``, ``pids_limit``, GPUs as ``device_requests``),
``network_mode="none"`` unless the task allows network, and the public data bind-mounted
read-only at ``/home/data``. The private answers are never mounted. Its lifecycle:

1. create with an idle init process (``tail -f /dev/null`` under Docker's init, which reaps
   orphans), overriding the image's entrypoint: MLE-bench images start their own grading server,
   which needs private data we never provide;
2. copy in the instructions, ``validate_submission.sh``, the stdlib validator and its rules, and
   the agent's folder (``put_archive``), then as root: create the ``nonroot`` user if the image has
   none, and give it ``/home/{submission,logs,code,agent}``;
3. start the validation server in the background (``docker exec`` as root, so the agent cannot
   stop it) and wait up to 60 s for ``/health``, probed from inside: with no network the host
   cannot reach the container's loopback;
4. run the agent as ``nonroot`` with ``docker exec``, streaming its output to ``run.log``, under
   our own monotonic deadline (``container.wait(timeout=)`` is only an HTTP timeout); at the
   deadline, or when the agent has exited, the container is killed, which also ends anything the
   agent left running;
5. copy ``submission/``, ``logs/`` and ``code/`` out with ``get_archive`` (regular files only),
   then remove the container unless the task asks to keep it.

``run.log`` holds the agent's exec stream: the container's own log only has the idle init.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
import time
import uuid
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, layout
from mle_track.sandbox.base import CONTAINER_HOME, AgentTask, AttemptResult, Limits, Sandbox
from mle_track.sandbox.outcome import Outcome, classify, redact
from mle_track.sandbox.rules import rules_for

if TYPE_CHECKING:
    from mle_track.sandbox.session import Session

DEFAULT_IMAGE = "mle-track-env:latest"
DEFAULT_COMMAND = ("bash", "/home/agent/start.sh")
VALIDATOR_DIR = PurePosixPath("/opt/mle-track")
SERVER_LOG = "/var/log/mle-track-validate.log"
AGENT_USER = "nonroot"
#: seconds an agent's output stream may stay open after the agent itself has exited
STREAM_GRACE_S = 2.0
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
    client to use instead of ``docker.from_env()``.
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

    def run(self, task: AgentTask, run_dir: Path) -> AttemptResult:
        layout.clear_run_dir(run_dir)
        public = layout.check_public_dir(task.public_dir)
        image = task.image or DEFAULT_IMAGE
        self._require_image(image)
        container = self._create(task, image, public)
        try:
            self._populate(container, task, public)
            self._start_validator(container)
            outcome = self._run_agent(container, task, run_dir / "run.log")
            notes = self._copy_out(container, run_dir)
        finally:
            _kill(container)
            if not task.keep:
                with contextlib.suppress(Exception):
                    container.remove(force=True)
        redact(run_dir / "run.log", [task.env[k] for k in task.secret_env if k in task.env])
        if task.keep:
            notes.append(f"container {container.name} kept")
        return outcome.result(run_dir, notes)

    def open_session(self, task: AgentTask, run_dir: Path) -> Session:
        """The same container for many ``docker exec`` commands (see :mod:`.docker_session`)."""
        from mle_track.sandbox.docker_session import open_docker_session

        return open_docker_session(self, task, run_dir)

    def _require_image(self, image: str) -> None:
        errors = _sdk().errors
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

    def _create(self, task: AgentTask, image: str, public: Path) -> Any:
        errors = _sdk().errors
        name = f"mle-track-{task.competition_id[:40]}-{uuid.uuid4().hex[:10]}"
        try:
            return self.client.containers.run(
                image,
                entrypoint=["tail"],
                command=["-f", "/dev/null"],
                name=name,
                detach=True,
                init=True,
                user="root",
                working_dir=str(CONTAINER_HOME),
                labels={"mle-track": "attempt", "mle-track.competition": task.competition_id},
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

    def _run_agent(self, container: Any, task: AgentTask, log_path: Path) -> Outcome:
        api = self.client.api
        env = layout.agent_env(task, self.paths)
        exec_id = api.exec_create(
            container.id,
            list(task.command or DEFAULT_COMMAND),
            user=AGENT_USER,
            workdir=str(self.paths.agent),
            environment=env,
        )["Id"]
        watch = watch_exec(api, exec_id, log_path, task.limits.time_limit_s, poll_s=0.25)
        start, timed_out, exited_at, pump = watch
        end = exited_at if exited_at is not None and not timed_out else time.monotonic()
        leftovers = 0 if timed_out else _leftovers(container)
        _kill(container)
        pump.join(timeout=5)
        container.reload()
        exit_code = None if timed_out else api.exec_inspect(exec_id)["ExitCode"]
        oom = bool(container.attrs["State"].get("OOMKilled")) and exit_code != 0
        return classify(
            exit_code=exit_code,
            timed_out=timed_out,
            wall_time_s=end - start,
            limits=task.limits,
            log_path=log_path,
            leftovers=leftovers,
            oom_killed=oom,
        )

    def _copy_out(self, container: Any, run_dir: Path) -> list[str]:
        errors = _sdk().errors
        notes: list[str] = []
        for name in layout.OUTPUT_DIRS:
            try:
                chunks, _ = container.get_archive(str(CONTAINER_HOME / name))
            except errors.NotFound:
                notes.append(f"/home/{name} was missing in the container")
                (run_dir / name).mkdir(exist_ok=True)
                continue
            with archives.spool(chunks) as tar:
                notes += archives.extract_outputs(tar, run_dir)
            (run_dir / name).mkdir(exist_ok=True)
        return notes


def connect() -> Any:
    """A docker-py client for a daemon that answers, or a SandboxError that says what to do."""
    try:
        client = _sdk().from_env()
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
        request = _sdk().types.DeviceRequest(count=limits.gpus, capabilities=[["gpu"]])
        kwargs["device_requests"] = [request]
    if limits.max_file_mb:
        size = int(limits.max_file_mb * (1 << 20))
        kwargs["ulimits"] = [_ulimit("fsize", size)]
    return kwargs


def _ulimit(name: str, value: int) -> Any:
    return _sdk().types.Ulimit(name=name, soft=value, hard=value)


def _sdk() -> Any:
    """docker-py, imported on first use (by name, so the repo's ``docker/`` folder of build
    files is never mistaken for it by type checkers)."""
    try:
        return importlib.import_module("docker")
    except ImportError as exc:  # pragma: no cover - docker is a dependency
        raise SandboxError(f"the docker package is not installed: {exc}") from None


def watch_exec(
    api: Any, exec_id: str, log_path: Path, timeout_s: float, poll_s: float
) -> tuple[float, bool, float | None, threading.Thread]:
    """Start an exec, stream its output into ``log_path`` and wait under our own deadline.

    ``exec_start``'s stream has no timeout of its own, so a thread pumps it while this loop
    watches the clock and the exec's state. A background child can keep the stream open after
    the command exits: the wait ends ``STREAM_GRACE_S`` after the exit. Returns (start time,
    timed out, exit time or None, the pump thread); the caller kills what is left and joins.
    """
    start = time.monotonic()
    deadline = start + timeout_s
    stream = api.exec_start(exec_id, stream=True)
    pump = threading.Thread(target=_pump, args=(stream, log_path), daemon=True)
    pump.start()
    timed_out, exited_at = False, None
    while pump.is_alive():
        now = time.monotonic()
        if now >= deadline:
            timed_out = True
            break
        pump.join(timeout=min(poll_s, deadline - now))
        if exited_at is None and not api.exec_inspect(exec_id)["Running"]:
            exited_at = time.monotonic()
        if exited_at is not None and time.monotonic() - exited_at > STREAM_GRACE_S:
            break  # the command is gone; a background child holds its output open
    return start, timed_out, exited_at, pump


def _pump(stream: Any, log_path: Path) -> None:
    """Copy the agent's output stream into ``run.log`` as it arrives."""
    # the stream breaks off when the container is killed: that is its normal end here
    with log_path.open("ab") as log, contextlib.suppress(Exception):
        for chunk in stream:
            log.write(chunk)
            log.flush()


def _leftovers(container: Any) -> int:
    """Processes still running after the agent exited, besides our init, idler and server."""
    ours = ("tail -f /dev/null", "docker-init", VALIDATOR_DIR.as_posix())
    try:
        processes = container.top(ps_args="-o pid,args")["Processes"] or []
    except Exception:  # the container may already be gone
        return 0
    return sum(1 for row in processes if not any(mark in row[-1] for mark in ours))


def _kill(container: Any) -> None:
    with contextlib.suppress(Exception):
        container.reload()
        if container.status == "running":
            container.kill()
