"""The ``local`` sandbox: the agent as a subprocess in a fresh run directory, under limits.

The world lives in ``<run_dir>/home`` (same layout as ``/home`` in a container, paths passed in
the usual environment variables): the competition's public files hard-linked (or symlinked across
file systems) into read-only folders, empty ``submission/``, ``logs/`` and ``code/``, the
instructions and the validation script. Limits:

- wall clock: our own monotonic deadline; the whole process group gets SIGKILL at it, and again
  after the main process exits, so children that outlive the agent never linger;
- memory: ``RLIMIT_AS`` (virtual memory, so set it with headroom: numeric libraries reserve
  address space they never touch);
- CPUs: ``sched_setaffinity`` to the first N allowed CPUs plus the thread-count variables;
- processes: a per-attempt pids cgroup where the kernel offers one (which also finds processes
  that escaped the process group with ``setsid``), else ``RLIMIT_NPROC`` (per user, and not
  enforced for root);
- file size: ``RLIMIT_FSIZE`` from ``Limits.max_file_mb`` (this caps ``run.log`` too).

What it cannot isolate: the network (the agent has the host's), and the host file system
outside the run directory — the agent runs as the calling user and can read anything that user
can, including, if it searches for them, the prepared private answers; as root it can even write
through the data links. Symlinks are stripped from the copied-out outputs so a submission cannot
point at a host file, but for untrusted agents use the ``docker`` sandbox.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mle_track.errors import SandboxError
from mle_track.sandbox import layout
from mle_track.sandbox.base import AgentTask, AttemptResult, Limits, Sandbox
from mle_track.sandbox.cgroups import PidsCgroup, group_members
from mle_track.sandbox.outcome import Outcome, classify, redact
from mle_track.sandbox.rules import rules_for

if TYPE_CHECKING:
    from mle_track.sandbox.session import Session

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
_GB = 1 << 30
_MB = 1 << 20


class LocalSandbox(Sandbox):
    """Runs the task's command as a subprocess of this process.

    ``python`` is the interpreter the validation script uses (default: this one);
    ``use_cgroup=False`` skips the pids cgroup even where it is available.
    """

    name = "local"

    def __init__(self, *, python: str | None = None, use_cgroup: bool = True) -> None:
        self.python = python or sys.executable
        self.use_cgroup = use_cgroup

    def run(self, task: AgentTask, run_dir: Path) -> AttemptResult:
        refuse_privileged(task)
        run_dir = run_dir.resolve()
        paths = layout.SandboxPaths.under(PurePosixPath(run_dir / "home"))
        home = Path(paths.home)
        layout.clear_run_dir(run_dir, extra=("home",))
        self._build_world(task, paths)
        limits = task.limits
        cgroup = None
        if self.use_cgroup and limits.pids_limit is not None:
            cgroup = PidsCgroup.create(limits.pids_limit, label=task.competition_id[:40])
        try:
            outcome = self._execute(task, paths, run_dir / "run.log", cgroup)
        finally:
            if cgroup is not None:
                cgroup.kill_all()
                cgroup.remove()
        notes = _collect(home, run_dir)
        redact(run_dir / "run.log", [task.env[k] for k in task.secret_env if k in task.env])
        if not task.keep:
            layout.make_removable(home)
            shutil.rmtree(home, ignore_errors=True)
        return outcome.result(run_dir, notes)

    def open_session(self, task: AgentTask, run_dir: Path) -> Session:
        """The same world and limits for many commands (see :mod:`.local_session`)."""
        from mle_track.sandbox.local_session import open_local_session

        return open_local_session(self, task, run_dir)

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

    def _execute(
        self,
        task: AgentTask,
        paths: layout.SandboxPaths,
        log_path: Path,
        cgroup: PidsCgroup | None,
    ) -> Outcome:
        limits = task.limits
        env = _environment(task, paths)
        limit_s = limits.time_limit_s
        with log_path.open("wb") as log:
            start = time.monotonic()
            try:
                proc = subprocess.Popen(
                    list(task.command),
                    cwd=paths.agent,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_limiter(limits, cgroup),
                )
            except OSError as exc:
                log.write(f"cannot start {task.command!r}: {exc}\n".encode())
                return Outcome(status="error", reason=f"cannot start the agent: {exc}")
            timed_out = False
            try:
                proc.wait(timeout=max(0.0, start + limit_s - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
                _kill_group(proc.pid)
                proc.wait()
            wall = time.monotonic() - start
            leftovers = set(_kill_group(proc.pid))
            if cgroup is not None:  # also those that left the group with setsid
                leftovers.update(cgroup.kill_all())
        return classify(
            exit_code=proc.returncode,
            timed_out=timed_out,
            wall_time_s=wall,
            limits=limits,
            log_path=log_path,
            leftovers=len(leftovers),
            pid_limit_hits=cgroup.limit_hits() if cgroup else 0,
        )


def refuse_privileged(task: AgentTask) -> None:
    if task.privileged:
        raise SandboxError("a privileged agent (docker-in-docker) needs sandbox=docker")


def _environment(task: AgentTask, paths: layout.SandboxPaths) -> dict[str, str]:
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env["HOME"] = str(paths.home)
    env["TMPDIR"] = str(paths.home / "tmp")
    gpus = task.limits.gpus
    env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(gpus)) if gpus else ""
    env.update(layout.agent_env(task, paths))
    return env


def _limiter(limits: Limits, cgroup: PidsCgroup | None) -> Callable[[], None]:
    """The child's set-up before ``exec``: join the cgroup, then lower its limits."""
    cpus = _cpu_set(limits)

    def apply() -> None:
        if cgroup is not None:
            cgroup.join()
        elif limits.pids_limit is not None:
            _lower(resource.RLIMIT_NPROC, limits.pids_limit)
        if limits.memory_gb:
            _lower(resource.RLIMIT_AS, int(limits.memory_gb * _GB))
        if limits.max_file_mb:
            _lower(resource.RLIMIT_FSIZE, int(limits.max_file_mb * _MB))
        _lower(resource.RLIMIT_CORE, 0)
        if cpus:
            os.sched_setaffinity(0, cpus)

    return apply


def _lower(which: int, value: int) -> None:
    hard = resource.getrlimit(which)[1]
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))


def _cpu_set(limits: Limits) -> set[int]:
    count = layout.thread_count(limits)
    allowed = sorted(os.sched_getaffinity(0))
    return set(allowed[:count]) if count else set()


def _kill_group(pgid: int, timeout_s: float = 5.0) -> list[int]:
    """SIGKILL the process group until no live member is left; returns the pids that were."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        members = group_members(pgid)
        if not members:
            break
        seen.extend(p for p in members if p not in seen)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        time.sleep(0.02)
    return [p for p in seen if p != pgid]


def _collect(home: Path, run_dir: Path) -> list[str]:
    """Move the outputs next to ``run.log``; drop symlinks, which could point at host files."""
    notes = []
    for name in layout.OUTPUT_DIRS:
        source, target = home / name, run_dir / name
        if source.is_dir() and not source.is_symlink():
            source.rename(target)
        else:
            target.mkdir()
            if source.is_symlink() or source.exists():
                notes.append(f"{name}/ was replaced by the agent; nothing copied out")
        links = [
            Path(folder, entry)
            for folder, dirs, files in os.walk(target)
            for entry in (*dirs, *files)
            if Path(folder, entry).is_symlink()
        ]
        for link in links:
            link.unlink()
        if links:
            notes.append(f"removed {len(links)} symlink(s) from {name}/")
    return notes
