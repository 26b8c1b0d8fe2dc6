"""The sandbox contract: what an agent sees, the limits it runs under, and what comes back.

Every sandbox (a local subprocess, a Docker container) lays out the same world for the agent,
modelled on MLE-bench's container so its published agent images run unchanged:

=====================  ===================================================================
``/home/data``         the competition's *public* files, read-only, with ``description.md``
``/home/submission``   where the agent must write ``submission.csv``
``/home/logs``         agent logs (copied out)
``/home/code``         agent code (copied out)
``/home/agent``        the agent's own files (not copied out)
``/home/instructions.txt``           the benchmark rules (our text)
``/home/validate_submission.sh``     checks a CSV against the public sample; no score
=====================  ===================================================================

Environment: ``COMPETITION_ID``, ``TIME_LIMIT_SECS``, ``STEP_LIMIT``, ``SEED``, ``HARDWARE``
(a one-line description of CPUs, memory, GPUs and the disk budget), and the directory variables
``DATA_DIR``, ``SUBMISSION_DIR``, ``LOGS_DIR``, ``CODE_DIR``, ``AGENT_DIR``, ``INSTRUCTIONS_FILE``
and ``VALIDATE_SCRIPT``, which in ``local-unisolated`` point into the attempt's run directory
instead of ``/home``. Private answers are never mounted, linked or copied into a sandbox.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from mle_track.sandbox.session import Session

#: how an attempt was isolated from the host (see :class:`AttemptResult`)
Isolation = Literal["none", "namespaces", "docker"]
Status = Literal["completed", "failed", "timeout", "oom", "error"]

CONTAINER_HOME = Path("/home")


@dataclass(frozen=True)
class Limits:
    """Compute limits of one attempt. ``None`` means "not limited"."""

    time_limit_s: float
    cpus: float | None = None
    memory_gb: float | None = None
    gpus: int = 0
    step_limit: int | None = None
    shm_size_gb: float | None = None
    pids_limit: int | None = 4096
    #: the largest file the agent may write, in MB (local sandbox: RLIMIT_FSIZE)
    max_file_mb: float | None = None
    #: the most disk the agent's writable folders (outputs, its own folder, its ``/tmp``) may
    #: take, in GB: an attempt past it is killed and fails (local: :mod:`.disk`; docker:
    #: :mod:`.docker_disk`, whose tmpfs scratch is also this size). ``None`` (the
    #: library's default, so a bare ``Limits`` changes nothing) means unlimited; the run
    #: configuration's presets name one (``conf/compute/``)
    disk_gb: float | None = None

    def describe(self) -> str:
        """The ``HARDWARE`` line an agent reads: what it may use, the disk budget included,
        so that an agent can plan (not unpack a 50 GB archive into a 20 GB budget)."""
        cpus = f"{self.cpus:g} CPU(s)" if self.cpus else "all host CPUs"
        memory = f"{self.memory_gb:g} GB memory" if self.memory_gb else "no memory limit"
        gpus = f"{self.gpus} GPU(s)" if self.gpus else "no GPU"
        disk = f", {self.disk_gb:g} GB disk" if self.disk_gb is not None else ""
        return f"{cpus}, {memory}, {gpus}{disk}"


@dataclass(frozen=True)
class AgentTask:
    """What one attempt runs: an agent command against one prepared competition."""

    competition_id: str
    #: host folder of the competition's prepared public files (mounted or linked read-only)
    public_dir: Path
    #: the command to start, run from the agent directory; for Docker images, inside the image
    command: tuple[str, ...]
    limits: Limits
    seed: int = 0
    #: host folder copied to ``/home/agent`` (the agent's files), if any
    agent_dir: Path | None = None
    #: extra environment variables (secrets are resolved by the caller, never logged)
    env: Mapping[str, str] = field(default_factory=dict)
    #: names of ``env`` keys whose values must not appear in logs or reports
    secret_env: frozenset[str] = frozenset()
    #: Docker image, for the docker sandbox
    image: str | None = None
    #: allow network access (Docker: bridge instead of ``none``; local: the host's network
    #: instead of loopback only; ``local-unisolated`` always has the host's)
    network: bool = False
    #: keep the container afterwards, for debugging (docker only)
    keep: bool = False
    #: a privileged container (MLE-bench's docker-in-docker agents); docker only, and only
    #: after the user accepted it (see :func:`mle_track.agents.config.check_privileged`)
    privileged: bool = False
    #: the Docker runtime of the container (``runsc`` for gVisor); ``None``: the daemon's
    #: default. A runtime the daemon lacks is a SandboxError, never a silent fallback
    runtime: str | None = None
    #: the owner label of the attempt (the pipeline's attempt key): it names the local pids
    #: cgroup, marks the agent's processes and labels the container, so that
    #: :meth:`Sandbox.end_orphans` can end what a dead harness left of this attempt
    attempt_key: str = ""
    #: a built-in agent of ours (``dummy``, ``baseline``; ``AgentConfig.trusted``): the only
    #: kind ``sandbox=local`` runs unisolated where bubblewrap cannot isolate; any other agent
    #: is refused there (see :mod:`mle_track.sandbox.local`)
    trusted: bool = False


@dataclass(frozen=True)
class AttemptResult:
    """What came back from one attempt; the run directory keeps everything that was copied out."""

    status: Status
    exit_code: int | None
    timed_out: bool
    wall_time_s: float
    run_dir: Path
    #: a human-readable account of what happened (why it failed, was killed, …)
    reason: str = ""
    oom_killed: bool = False
    #: how the agent was kept from the host: ``none`` (a plain subprocess), ``namespaces``
    #: (bubblewrap) or ``docker``; recorded on every run as the ``sandbox.isolation`` tag
    isolation: Isolation = "none"

    @property
    def submission(self) -> Path | None:
        path = self.run_dir / "submission" / "submission.csv"
        return path if path.is_file() else None

    @property
    def logs_dir(self) -> Path:
        return self.run_dir / "logs"

    @property
    def code_dir(self) -> Path:
        return self.run_dir / "code"

    @property
    def log_file(self) -> Path:
        """The agent's combined stdout/stderr."""
        return self.run_dir / "run.log"


class Sandbox(abc.ABC):
    """Runs an :class:`AgentTask` in isolation and collects its outputs into ``run_dir``.

    A sandbox provides one thing, its session (:meth:`open_session`): the world laid out with
    the limits, a watchdog that ends it if the harness dies, and a way to run commands in it.
    :meth:`run`, the one-shot attempt, is that session with one command (the task's), so there
    is one way to build each sandbox's world. ``run`` never raises for an agent's failure:
    crashes, timeouts and OOM kills are statuses of the result. It raises
    :class:`~mle_track.errors.SandboxError` only when the sandbox itself cannot work (no Docker
    daemon, missing image).
    """

    name: str

    def run(self, task: AgentTask, run_dir: Path) -> AttemptResult:
        """Open the task's world, run ``task.command`` in it under the attempt's deadline, and
        close it: outputs copied into ``run_dir``, everything else torn down, whatever happened."""
        session = self.open_session(task, run_dir)
        with session:
            return session.run_task()

    @abc.abstractmethod
    def open_session(self, task: AgentTask, run_dir: Path) -> Session:
        """Open the task's world for commands; see :mod:`mle_track.sandbox.session`.
        ``task.command`` is not run. The caller must ``close()`` the session, which copies the
        outputs out and tears the world down."""

    @abc.abstractmethod
    def end_orphans(self, attempt_key: str) -> int:
        """End what is left of an attempt whose harness died: its processes (local) or
        containers (docker), found by ``attempt_key``; returns how many were ended.

        Call it only when the attempt's owner is provably gone: it does not ask whether a live
        harness still runs the attempt."""
