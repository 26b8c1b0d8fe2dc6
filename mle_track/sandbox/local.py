"""The ``local`` sandbox: the agent as a subprocess in a fresh run directory, under limits.

The world lives in ``<run_dir>/home`` (same layout as ``/home`` in a container, paths passed in
the usual environment variables): the competition's public files hard-linked (or symlinked across
file systems) into read-only folders, empty ``submission/``, ``logs/`` and ``code/``, the
instructions and the validation script. :meth:`LocalSandbox.open_session` is the one place that
builds it; a one-shot attempt is a session with one command. Limits:

- wall clock: our own monotonic deadline; the whole process group gets SIGKILL at it, and again
  after the main process exits, so children that outlive the agent never linger;
- memory: ``RLIMIT_AS`` (virtual memory, so set it with headroom: numeric libraries reserve
  address space they never touch);
- CPUs: ``sched_setaffinity`` to the first N allowed CPUs plus the thread-count variables;
- processes: a per-attempt pids cgroup where the kernel offers one (which also finds processes
  that escaped the process group with ``setsid``), else ``RLIMIT_NPROC`` (per user, and not
  enforced for root);
- file size: ``RLIMIT_FSIZE`` from ``Limits.max_file_mb`` (this caps ``run.log`` too);
- the harness's life: a watchdog kills every process of the attempt (its process groups, its
  cgroup, every process carrying its environment mark) if the harness dies, and
  :meth:`LocalSandbox.end_orphans` finds them by attempt key afterwards.

What it cannot isolate: the network (the agent has the host's), and the host file system
outside the run directory — the agent runs as the calling user and can read anything that user
can, including, if it searches for them, the prepared private answers; as root it can even write
through the data links. Symlinks are stripped from the copied-out outputs so a submission cannot
point at a host file, but for untrusted agents use the ``docker`` sandbox.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath

from mle_track.errors import SandboxError
from mle_track.sandbox import layout, processes
from mle_track.sandbox.base import AgentTask, Sandbox
from mle_track.sandbox.cgroups import PidsCgroup
from mle_track.sandbox.local_session import LocalSession
from mle_track.sandbox.rules import rules_for
from mle_track.sandbox.watchdog import Watchdog, new_session_id

#: host variables an agent may need to run at all (interpreters, locale, proxies, certificates)
PASSTHROUGH_ENV = (
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "VIRTUAL_ENV",
    "LD_LIBRARY_PATH",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)


class LocalSandbox(Sandbox):
    """Runs the task's commands as subprocesses of this process.

    ``python`` is the interpreter the validation script uses (default: this one);
    ``use_cgroup=False`` skips the pids cgroup even where it is available.
    """

    name = "local"

    def __init__(self, *, python: str | None = None, use_cgroup: bool = True) -> None:
        self.python = python or sys.executable
        self.use_cgroup = use_cgroup

    def open_session(self, task: AgentTask, run_dir: Path) -> LocalSession:
        """Build the world under ``<run_dir>/home``, the pids cgroup and the watchdog."""
        refuse_privileged(task)
        run_dir = run_dir.resolve()
        paths = layout.SandboxPaths.under(PurePosixPath(run_dir / "home"))
        layout.clear_run_dir(run_dir, extra=("home",))
        self._build_world(task, paths)
        session_id = new_session_id()
        cgroup = None
        if self.use_cgroup and task.limits.pids_limit is not None:
            cgroup = PidsCgroup.create(
                task.limits.pids_limit,
                label=task.competition_id[:40],
                attempt_key=task.attempt_key,
                session_id=session_id,
            )
        try:
            watchdog = Watchdog.start("local", session_id, cgroup=cgroup.path if cgroup else None)
        except OSError as exc:
            if cgroup is not None:
                cgroup.remove()
            raise SandboxError(f"cannot start the sandbox's watchdog process: {exc}") from None
        env = environment(task, paths)
        env[processes.MARK_VARIABLE] = processes.attempt_mark(task.attempt_key, session_id)
        try:
            return LocalSession(task, run_dir, paths, self.python, watchdog, cgroup, env)
        except BaseException:
            watchdog.dismiss()
            if cgroup is not None:
                cgroup.remove()
            raise

    def end_orphans(self, attempt_key: str) -> int:
        """Kill every process left of the attempt (in its cgroups, or carrying its mark) and
        remove its cgroups; returns how many processes were killed."""
        if not attempt_key:
            raise ValueError("end_orphans needs the attempt key the attempt ran with")
        killed: set[int] = set()
        for cgroup in PidsCgroup.of_attempt(attempt_key):
            killed.update(cgroup.kill_all())
            cgroup.remove()
        killed |= processes.kill_until_gone(
            lambda: processes.marked_processes(attempt_key=attempt_key)
        )
        return len(killed)

    def _build_world(self, task: AgentTask, paths: layout.SandboxPaths) -> None:
        public = layout.check_public_dir(task.public_dir)
        rules = rules_for(task.competition_id, public)
        for folder in paths.writable:
            Path(folder).mkdir(parents=True, exist_ok=True)
        Path(paths.home, "tmp").mkdir()
        layout.copy_agent_dir(task.agent_dir, Path(paths.agent))
        files = layout.world_files(task, paths, rules, python=self.python, server_url=None)
        for item in files:
            target = Path(item.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.content)
            target.chmod(item.mode)
        layout.link_tree(public, Path(paths.data))


def refuse_privileged(task: AgentTask) -> None:
    if task.privileged:
        raise SandboxError("a privileged agent (docker-in-docker) needs sandbox=docker")


def environment(task: AgentTask, paths: layout.SandboxPaths) -> dict[str, str]:
    """The agent's environment: the host's bare necessities, then the world's variables."""
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env["HOME"] = str(paths.home)
    env["TMPDIR"] = str(paths.home / "tmp")
    gpus = task.limits.gpus
    env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(gpus)) if gpus else ""
    env.update(layout.agent_env(task, paths))
    return env
