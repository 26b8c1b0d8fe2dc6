"""Bubblewrap (``bwrap``, the tool Flatpak uses): the namespaces of the isolated local sandbox.

Whether bubblewrap works is a property of the machine (installed? does the kernel allow user
namespaces? are we root?), so :func:`support` finds out once per process by really starting a
sandbox with the namespaces an agent gets, and :func:`local_isolation` turns the answer into the
rule the harness applies *before* an attempt: isolated where bubblewrap works; without it, only
trusted built-in agents run unisolated, and everything else is refused with one line saying what
to install or which sandbox to choose.

Every agent command runs as ``bwrap --args FD --info-fd FD -- python -I -S -c LAUNCHER …``:

- the options come through a memfd (``--args``), so the command line of the sandbox's pid 1 (a
  fork of bwrap, which the agent can read in ``/proc/1/cmdline``) names no mount source;
- ``--unshare-pid/ipc/uts/cgroup-try`` and, without ``network``, ``--unshare-net`` (loopback
  only); ``--unshare-user --uid 1000 --gid 1000`` where user namespaces work (a non-root agent
  even when the harness is root) and ``--disable-userns`` so the agent cannot make a new user
  namespace to regain capabilities; ``--cap-drop ALL``; ``--die-with-parent`` (the sandbox dies
  with the harness, whatever the watchdog does); ``--new-session`` (no terminal to inject into);
- a mount table holding only the system read-only (``/usr``, the ``/lib*`` and ``/bin`` links, a
  short list of ``/etc`` files: no ``shadow``, no ``ssl/private``), a fresh ``/proc`` of the new
  pid namespace, a minimal ``/dev`` and a private, size-capped ``/dev/shm``, plus the mounts of
  the world and a read-only root (see :mod:`.local_isolated`);
- :data:`LAUNCHER`, a few lines of Python as the sandbox's pid 2, runs the agent's command and,
  when it has exited, counts and kills what it left running: in a pid namespace those processes
  die with it (bwrap's pid 1 is killed when bwrap exits), so the harness could not count them
  after the fact. It reports ``run``, ``start-error MESSAGE`` and ``end CODE LEFTOVERS`` on a
  pipe; the exit code the harness trusts is bwrap's own (an agent can write to that pipe too).

``--info-fd`` tells the harness bwrap's pid 1 and pid namespace, so it can make sure that
namespace is gone (:func:`end_namespace`) before it goes on. The host's ``/proc`` entry of a
process names its pid namespace, which finds every process of a sandbox however it detached.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mle_track import settings
from mle_track.errors import SandboxError
from mle_track.sandbox.base import Isolation
from mle_track.sandbox.processes import alive, kill_until_gone

#: the agent's uid and gid inside the sandbox, where user namespaces work
AGENT_UID = 1000
HOSTNAME = "mle-track-sandbox"
PROBE_TIMEOUT_S = 20.0
#: system folders, read-only at their own paths (a symlink, as merged-/usr systems have, is
#: recreated as the same symlink)
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: the pieces of ``/etc`` programs need (the loader's cache, certificates, time zone, name
#: services); never all of it: ``shadow``, ``ssl/private`` and the host's own config stay out
ETC_PATHS = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "ssl/certs",
    "ssl/openssl.cnf",
    "pki/tls/certs",
    "pki/ca-trust",
    "ca-certificates.conf",
    "crypto-policies",
    "alternatives",
    "localtime",
    "timezone",
    "nsswitch.conf",
    "host.conf",
    "gai.conf",
    "protocols",
    "services",
    "networks",
    "mime.types",
    "os-release",
    "lsb-release",
    "debian_version",
    "fonts",
    "locale.alias",
)
#: host files an agent with network also needs
NETWORK_ETC_PATHS = ("resolv.conf", "hosts")

#: the sandbox's pid 2: run the command, report how it ended and what it left behind
LAUNCHER = """
import os, signal, sys
fd, argv = int(sys.argv[1]), sys.argv[2:]
os.set_inheritable(fd, False)
def say(line):
    try:
        os.write(fd, (line + "\\n").encode())
    except OSError:
        pass
say("run")
failed_r, failed_w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(failed_r)
    for name in ("SIGPIPE", "SIGXFSZ"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    try:
        os.execvp(argv[0], argv)
    except BaseException as exc:
        os.write(failed_w, ("%s: %s" % (argv[0], exc)).encode(errors="replace"))
    os._exit(127)
os.close(failed_w)
failure = os.read(failed_r, 4096).decode(errors="replace")
if failure:
    say("start-error " + " ".join(failure.split()))
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
left = 0
for entry in os.listdir("/proc"):
    if entry.isdigit() and int(entry) not in (1, os.getpid()):
        try:
            with open("/proc/%s/stat" % entry) as handle:
                state = handle.read().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            continue
        left += state != "Z"
if os.getpid() == 2:  # pid 2 of its own pid namespace: -1 means "every process in it"
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
say("end %d %d" % (code, left))
os._exit(128 - code if code < 0 else code)
"""


@dataclass(frozen=True)
class Support:
    """What bubblewrap can do on this machine, found by :func:`support`."""

    #: the resolved program, or ``None`` when there is none
    binary: str | None
    #: user namespaces work: the agent runs as uid :data:`AGENT_UID`, not as the harness's user
    userns: bool = False
    #: ``--disable-userns`` and ``--size`` (bubblewrap >= 0.8)
    modern: bool = False
    #: why bubblewrap cannot isolate here; empty when it can
    reason: str = ""

    @property
    def works(self) -> bool:
        return self.binary is not None and not self.reason


def support() -> Support:
    """Whether (and how) bubblewrap isolates on this machine; probed once per program."""
    return _probe(settings.bwrap_binary())


@functools.cache
def _probe(program: str) -> Support:
    binary = shutil.which(program)
    if binary is None:
        return Support(None, reason=f"{program!r} was not found")
    variants = [(True, True), (True, False)]
    if os.geteuid() == 0:  # root can still use every other namespace without a user namespace
        variants += [(False, True), (False, False)]
    first_error = ""
    for userns, modern in variants:
        candidate = Support(binary, userns, modern)
        argv = [binary, *sandbox_options(candidate, network=False, shm_bytes=1 << 20), "true"]
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=PROBE_TIMEOUT_S,
                env={"PATH": "/usr/bin:/bin"},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            error = str(exc)
        else:
            if done.returncode == 0:
                return candidate
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            error = lines[0] if lines else f"exit code {done.returncode}"
        first_error = first_error or error
    return Support(binary, reason=first_error)


def refusal(reason: str) -> str:
    """The one line that refuses an untrusted agent where bubblewrap cannot isolate it."""
    reason = " ".join(reason.split())
    return (
        f"sandbox=local cannot isolate this agent: bubblewrap does not work here ({reason}); "
        "install it (Debian/Ubuntu: apt-get install bubblewrap), or choose sandbox=docker, or "
        "sandbox=local-unisolated to accept running the agent unisolated"
    )


def local_isolation(*, trusted: bool) -> Isolation:
    """What ``sandbox=local`` gives an agent here: ``namespaces`` where bubblewrap works, else
    ``none`` for a trusted built-in agent; raises SandboxError (one line) for any other."""
    found = support()
    if found.works:
        return "namespaces"
    if trusted:
        return "none"
    raise SandboxError(refusal(found.reason))


def sandbox_options(support: Support, *, network: bool, shm_bytes: int | None) -> list[str]:
    """The namespaces, the system mounts, ``/proc``, ``/dev`` and ``/dev/shm``."""
    args = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not network:
        args.append("--unshare-net")
    if support.userns:
        args += ["--unshare-user", "--uid", str(AGENT_UID), "--gid", str(AGENT_UID)]
        if support.modern:
            args.append("--disable-userns")
    args += ["--hostname", HOSTNAME, "--cap-drop", "ALL", "--die-with-parent", "--new-session"]
    args += system_mounts(network=network)
    args += ["--proc", "/proc", "--dev", "/dev"]
    if support.modern and shm_bytes:
        args += ["--size", str(shm_bytes)]
    args += ["--tmpfs", "/dev/shm"]
    return args


def system_mounts(*, network: bool) -> list[str]:
    """Read-only system folders and the listed ``/etc`` pieces that exist here.

    A symlink into ``/usr`` is recreated as it is (``/bin -> usr/bin``, ``/etc/localtime``);
    any other is bound as the file it points to, since its target is not in the sandbox."""
    args: list[str] = []
    etc = [f"/etc/{name}" for name in (*ETC_PATHS, *(NETWORK_ETC_PATHS if network else ()))]
    for name in (*SYSTEM_PATHS, *etc):
        path = Path(name)
        if not path.exists():
            continue
        if path.is_symlink() and Path(os.path.realpath(path)).is_relative_to("/usr"):
            args += ["--symlink", os.readlink(path), name]
        else:
            args += ["--ro-bind", name, name]
    return args


def args_fd(options: Sequence[str]) -> int:
    """A memfd holding ``options`` for ``bwrap --args`` (bwrap reads it, then closes it)."""
    fd = os.memfd_create("mle-track-bwrap-args")
    os.write(fd, b"".join(option.encode() + b"\0" for option in options))
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def command(
    binary: str, options_fd: int, info_fd: int, python: str, report_fd: int, argv: Sequence[str]
) -> list[str]:
    """The host command line of one sandboxed command (its options are in ``options_fd``)."""
    return [
        binary,
        "--args",
        str(options_fd),
        "--info-fd",
        str(info_fd),
        "--",
        python,
        "-I",
        "-S",
        "-c",
        LAUNCHER,
        str(report_fd),
        *argv,
    ]


@dataclass(frozen=True)
class Report:
    """What :data:`LAUNCHER` said about one command."""

    started: bool = False
    start_error: str = ""
    #: the command's exit code as the launcher saw it (negative: killed by that signal)
    exit_code: int | None = None
    leftovers: int = 0


def read_report(fd: int) -> Report:
    """Parse what is in the launcher's pipe now (never waits: an agent may hold it open)."""
    started, start_error, exit_code, leftovers = False, "", None, 0
    for line in _read_now(fd).decode(errors="replace").splitlines():
        verb, _, rest = line.partition(" ")
        if verb == "run":
            started = True
        elif verb == "start-error" and not start_error:
            start_error = rest
        elif verb == "end":
            words = rest.split()
            with contextlib.suppress(ValueError, IndexError):
                exit_code, leftovers = int(words[0]), max(0, int(words[1]))
    return Report(started, start_error, exit_code, leftovers)


def read_pid_namespace(fd: int) -> int | None:
    """The pid namespace (inode) of a sandbox, from what bwrap wrote to ``--info-fd``."""
    try:
        info = json.loads(_read_now(fd) or b"{}")
        return int(info["pid-namespace"])
    except (ValueError, KeyError, TypeError):
        return None


def namespace_members(pid_namespace: int) -> list[int]:
    """Live host pids of the processes in a pid namespace."""
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry.name}/ns/pid").st_ino != pid_namespace:
                continue
        except OSError:
            continue
        if alive(int(entry.name)):
            members.append(int(entry.name))
    return members


def end_namespace(pid_namespace: int) -> None:
    """Kill whatever is left in a sandbox's pid namespace, until nothing is."""
    kill_until_gone(lambda: namespace_members(pid_namespace))


def _read_now(fd: int) -> bytes:
    os.set_blocking(fd, False)
    chunks = []
    with contextlib.suppress(BlockingIOError, OSError):
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    return b"".join(chunks)
