"""A watchdog per sandbox session: when the harness dies, even by SIGKILL, the attempt dies too.

An agent runs in a session of its own (so a timeout can kill its whole process group), and a
Docker container belongs to the daemon: neither ends when the harness process that started it is
killed, so a killed sweep used to leave agents running and writing into abandoned run folders.
``PR_SET_PDEATHSIG`` would only reach the direct child, never what it started.

So each session starts one tiny process, the watchdog, before any agent process exists:

- it holds the read end of a pipe whose write end only the harness holds (close-on-exec, so no
  agent process inherits it). The harness's death closes the write end, and the watchdog reads
  EOF; it also watches the harness's pid through a pidfd, for the case where a plain ``fork``
  of the harness still holds the write end;
- the harness tells it, one line per message, which process groups are running (``group N``,
  ``ended N``), and ``done`` when the session closed normally, after which it exits quietly;
- on the harness's death it ends the session's world: for ``local`` every process of the
  session's process groups, of its pids cgroup and every process that carries the session's
  environment mark (:mod:`.processes`), then it removes the cgroup; for ``docker`` it kills the
  containers labelled with the session's id (and removes them unless the task keeps them),
  reaching the daemon the way ``docker.from_env()`` does;
- it runs in a session of its own, so a signal to the harness's process group (Ctrl-C) does
  not take it down with the harness.

It is started as ``python -I -c …``, imports only the standard library until it has to act, and
writes one line to the harness's stderr when it ends an abandoned attempt.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

WatchedKind = Literal["local", "docker"]
#: the container label that names a docker session (the watchdog finds its container by it)
SESSION_LABEL = "mle-track.session"
#: seconds the harness waits for a dismissed watchdog to exit before killing it
DISMISS_TIMEOUT_S = 5.0
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_BOOT = (
    "import sys; sys.path.insert(0, {root!r}); "
    "from mle_track.sandbox.watchdog import main; raise SystemExit(main(sys.argv[1:]))"
)


def new_session_id() -> str:
    """A short random id for one session (its cgroup, mark, container label and watchdog)."""
    return uuid.uuid4().hex[:12]


class Watchdog:
    """The harness's end of a session's watchdog: tell it what runs, then dismiss it."""

    def __init__(self, process: subprocess.Popen[bytes], control_fd: int) -> None:
        self.process = process
        self._control_fd: int | None = control_fd

    @classmethod
    def start(
        cls,
        kind: WatchedKind,
        session_id: str,
        *,
        cgroup: Path | None = None,
    ) -> Watchdog:
        """Start the watchdog of one session; raises OSError when no process can be started."""
        read_fd, write_fd = os.pipe()  # both close-on-exec; only the watchdog gets read_fd
        argv = [
            sys.executable,
            "-I",
            "-c",
            _BOOT.format(root=str(_PACKAGE_ROOT)),
            f"--owner={os.getpid()}",
            f"--control-fd={read_fd}",
            f"--kind={kind}",
            f"--session={session_id}",
        ]
        if cgroup is not None:
            argv.append(f"--cgroup={cgroup}")
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(read_fd,),
                cwd="/",
                start_new_session=True,
            )
        except BaseException:
            os.close(write_fd)
            raise
        finally:
            os.close(read_fd)
        return cls(process, write_fd)

    @property
    def pid(self) -> int:
        return self.process.pid

    def watch_group(self, pgid: int) -> None:
        """A process group the watchdog must kill if the harness dies while it runs."""
        self._send(f"group {pgid}")

    def forget_group(self, pgid: int) -> None:
        """The group has ended (its pgid may be reused: the watchdog must not kill it now)."""
        self._send(f"ended {pgid}")

    def dismiss(self) -> None:
        """The session closed normally: let the watchdog exit without killing anything."""
        self._send("done")
        if self._control_fd is not None:
            os.close(self._control_fd)
            self._control_fd = None
        try:
            self.process.wait(timeout=DISMISS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _send(self, line: str) -> None:
        if self._control_fd is None:
            return
        with contextlib.suppress(OSError):  # a watchdog that died cannot be told anything
            os.write(self._control_fd, (line + "\n").encode())


# -- the watchdog process ----------------------------------------------------------------------


@dataclass
class _Watch:
    """What the watchdog knows: the groups that run, and whether the session ended well."""

    groups: set[int] = field(default_factory=set)
    dismissed: bool = False
    pending: bytes = b""

    def feed(self, data: bytes) -> None:
        lines = (self.pending + data).split(b"\n")
        self.pending = lines.pop()
        for line in lines:
            verb, _, value = line.decode(errors="replace").partition(" ")
            if verb == "group" and value.isdigit():
                self.groups.add(int(value))
            elif verb == "ended" and value.isdigit():
                self.groups.discard(int(value))
            elif verb == "done":
                self.dismissed = True


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="mle-track-watchdog")
    parser.add_argument("--owner", type=int, required=True)
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--kind", choices=("local", "docker"), required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--cgroup", type=Path)
    args = parser.parse_args(argv)
    watch = wait_for_the_end(args.control_fd, args.owner)
    if watch.dismissed:
        return 0
    if args.kind == "local":
        ended = end_local_session(args.session, args.cgroup, watch.groups)
        what = f"{ended} process(es)"
    else:
        ended = end_docker_session(args.session)
        what = f"{ended} container(s)"
    if ended:
        print(
            f"mle-track watchdog: the harness (pid {args.owner}) is gone; "
            f"ended {what} of its sandbox session {args.session}",
            file=sys.stderr,
        )
    return 0


def wait_for_the_end(control_fd: int, owner: int) -> _Watch:
    """Read the harness's messages until it dismisses us or is gone."""
    watch = _Watch()
    pidfd = _open_pidfd(owner)
    if os.getppid() != owner:  # the harness died before we could watch its pid
        _drain(control_fd, watch)
        return watch
    poller = select.poll()
    poller.register(control_fd, select.POLLIN)
    if pidfd is not None:
        poller.register(pidfd, select.POLLIN)
    while True:
        # without a pidfd, check once a second whether we were re-parented
        events = poller.poll(None if pidfd is not None else 1000)
        if not events and os.getppid() != owner:
            _drain(control_fd, watch)
            return watch
        for fd, _ in events:
            if fd == control_fd:
                data = os.read(control_fd, 4096)
                if not data:  # EOF: nobody holds the write end any more
                    return watch
                watch.feed(data)
                if watch.dismissed:
                    return watch
            else:  # the harness exited, though a forked child still holds the pipe
                _drain(control_fd, watch)
                return watch


def _open_pidfd(pid: int) -> int | None:
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        fd: int = opener(pid)
    except OSError:
        return None
    return fd


def _drain(control_fd: int, watch: _Watch) -> None:
    """Read what is already in the pipe, without waiting for more."""
    os.set_blocking(control_fd, False)
    with contextlib.suppress(OSError):
        while data := os.read(control_fd, 4096):
            watch.feed(data)


def end_local_session(session_id: str, cgroup: Path | None, groups: set[int]) -> int:
    """Kill every process of a local session; returns how many there were."""
    from mle_track.sandbox.cgroups import PidsCgroup
    from mle_track.sandbox.processes import kill_group, kill_until_gone, marked_processes

    killed: set[int] = set()
    if cgroup is not None:
        killed |= set(PidsCgroup(cgroup).kill_all())
    for pgid in sorted(groups):
        killed |= kill_group(pgid)
    killed |= kill_until_gone(lambda: marked_processes(session_id=session_id))
    if cgroup is not None:
        PidsCgroup(cgroup).kill_all()  # anything forked while the others were being killed
        PidsCgroup(cgroup).remove()
    return len(killed)


def end_docker_session(session_id: str) -> int:
    """Kill (and unless kept, remove) the containers of a docker session; returns how many ran."""
    from mle_track.sandbox.docker_api import connect, end_containers

    try:
        client = connect()
    except Exception as exc:  # SandboxError: no daemon to ask; nothing we can do from here
        print(
            f"mle-track watchdog: cannot reach Docker to end session {session_id}: {exc}",
            file=sys.stderr,
        )
        return 0
    return end_containers(client, f"{SESSION_LABEL}={session_id}")
