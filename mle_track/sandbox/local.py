"""The ``local`` sandbox: the agent as a subprocess under limits, isolated with bubblewrap.

``sandbox=local`` runs every agent process (the one-shot command and every command of a
session, AIDE's scripts included) in bubblewrap namespaces (:mod:`.bwrap`): a mount namespace
holding only the agent's world at the container's paths (``/home/data`` read-only, ``/home/
submission``, ``logs/``, ``code/``, ``agent/``, the instructions and validator) with the system and
the harness's Python read-only (:mod:`.runtime`), a private ``/tmp``; no data root, no home
directory, no run directory; a new pid namespace with its own ``/proc``; loopback only unless the
task asks for network; no capabilities; a non-root uid where user namespaces work. The world is
staged in a neutral temporary folder (:mod:`.local_isolated`), because a bind mount shows its
source path in ``/proc/self/mountinfo``.

**Fail closed.** Where bubblewrap cannot run, only a *trusted* agent (the built-in ``dummy`` and
``baseline``: ``AgentTask.trusted``) runs unisolated; any other is refused with one line saying
what to install or which sandbox to choose. ``sandbox=local-unisolated``
(:class:`UnisolatedLocalSandbox`) is the explicit, recorded opt-in to run any agent unisolated:
the world under ``<run_dir>/home``, the host's network and file system (the agent runs as the
calling user and can read whatever that user can, the prepared private answers included).
``AttemptResult.isolation`` says which it was (``namespaces`` or ``none``), and
:func:`mle_track.sandbox.registry.isolation_of` says it before the attempt.

Limits, the same either way (bwrap inherits them: they are set before it is executed):

- wall clock: our own monotonic deadline; the whole process group gets SIGKILL at it (bwrap's
  pid 1, and so its pid namespace, dies with bwrap), and again after the main process exits, so
  children that outlive the agent never linger (isolated: counted and killed inside the pid
  namespace, which dies with its pid 1);
- memory: ``RLIMIT_AS`` (virtual memory, so set it with headroom: numeric libraries reserve
  address space they never touch);
- CPUs: ``sched_setaffinity`` to the first N allowed CPUs plus the thread-count variables;
- processes: a per-attempt pids cgroup where the kernel offers one (which also finds processes
  that escaped the process group with ``setsid``), else ``RLIMIT_NPROC`` (per user, and not
  enforced for root);
- file size: ``RLIMIT_FSIZE`` from ``Limits.max_file_mb`` (this caps ``run.log`` too);
- disk: ``Limits.disk_gb`` bounds what the agent's writable folders (``home/`` but its data,
  ``/tmp``) and its output take: a guard thread of the harness measures them (:mod:`.disk`) and
  past the budget kills every process of the attempt as at the deadline; the attempt fails with
  the budget and the usage as its reason, and copies out no more than the budget;
- the harness's life: a watchdog kills every process of the attempt (its process groups, its
  cgroup, every process carrying its environment mark) if the harness dies, and
  :meth:`LocalSandbox.end_orphans` finds them by attempt key afterwards; isolated, bwrap's
  ``--die-with-parent`` ends the sandbox too.

Symlinks and special files are stripped from the copied-out outputs so a submission cannot
point at a host file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath

from mle_track.errors import SandboxError
from mle_track.sandbox import bwrap, layout, local_isolated, processes
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
    """Runs the task's commands as subprocesses of this process, isolated with bubblewrap
    (unisolated only for a trusted agent where bubblewrap cannot run, see the module).

    ``python`` is the interpreter the unisolated validation script uses (default: this one;
    isolated, the world's copy of this one); ``use_cgroup=False`` skips the pids cgroup even
    where it is available.
    """

    name = "local"
    #: whether this sandbox isolates at all (``local-unisolated``: never)
    isolate = True

    def __init__(self, *, python: str | None = None, use_cgroup: bool = True) -> None:
        self.python = python or sys.executable
        self.use_cgroup = use_cgroup

    def open_session(self, task: AgentTask, run_dir: Path) -> LocalSession:
        """Build the world (staged for bubblewrap, or under ``<run_dir>/home``), the pids cgroup
        and the watchdog."""
        refuse_privileged(task)
        support = self._isolation(task)
        run_dir = run_dir.resolve()
        layout.remove_world(run_dir)
        layout.clear_run_dir(run_dir, extra=("home",))
        world: local_isolated.IsolatedWorld | None = None
        if support is not None:
            world = local_isolated.IsolatedWorld.build(task, run_dir, support)
            paths = world.paths
            env = local_isolated.environment(task, paths, world)
        else:
            paths = layout.SandboxPaths.under(PurePosixPath(run_dir / "home"))
            self._build_world(task, paths)
            env = environment(task, paths)
        try:
            return self._session(task, run_dir, paths, env, world, support)
        except BaseException:
            layout.remove_world(run_dir)
            raise

    def _isolation(self, task: AgentTask) -> bwrap.Support | None:
        """bubblewrap's support where this task runs isolated; None where it runs unisolated
        (this sandbox never isolates, or the agent is trusted and bubblewrap cannot run)."""
        if not self.isolate:
            return None
        found = bwrap.support()
        if found.works:
            return found
        if task.trusted:
            return None
        raise SandboxError(bwrap.refusal(found.reason))

    def _session(
        self,
        task: AgentTask,
        run_dir: Path,
        paths: layout.SandboxPaths,
        env: dict[str, str],
        world: local_isolated.IsolatedWorld | None,
        support: bwrap.Support | None,
    ) -> LocalSession:
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
        env[processes.MARK_VARIABLE] = processes.attempt_mark(task.attempt_key, session_id)
        try:
            if world is not None and support is not None:
                isolated = local_isolated.IsolatedSession(
                    task, run_dir, world, support, watchdog, cgroup, env
                )
                if not world.runtime.hidden:
                    isolated.note(
                        "isolated, but the Python runtime could not be hard-linked into the "
                        "temporary folder (another file system?): its host paths are in the "
                        "agent's mount table"
                    )
                return isolated
            session = LocalSession(task, run_dir, paths, self.python, watchdog, cgroup, env)
            if self.isolate:  # bubblewrap cannot run here: say so where the agent's log is
                session.note(f"unisolated: {bwrap.support().reason} (a trusted agent)")
            return session
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


class UnisolatedLocalSandbox(LocalSandbox):
    """``sandbox=local-unisolated``: the explicit opt-in to run any agent without isolation
    (the host's network and file system; the result's isolation is ``none``)."""

    name = "local-unisolated"
    isolate = False


def refuse_privileged(task: AgentTask) -> None:
    if task.privileged:
        raise SandboxError("a privileged agent (docker-in-docker) needs sandbox=docker")


def environment(task: AgentTask, paths: layout.SandboxPaths) -> dict[str, str]:
    """The unisolated agent's environment: the host's bare necessities, then the world's."""
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env["HOME"] = str(paths.home)
    env["TMPDIR"] = str(paths.home / "tmp")
    gpus = task.limits.gpus
    env["CUDA_VISIBLE_DEVICES"] = ",".join(str(i) for i in range(gpus)) if gpus else ""
    env.update(layout.agent_env(task, paths))
    return env
