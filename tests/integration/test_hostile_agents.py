"""Agents written to cheat, run as real untrusted attempts in every sandbox that can isolate.

Each hostile agent (``tests/fakes/agents/hostile/``) is an ``external`` agent config, so the
trust rules apply: the harness (:mod:`tests.hostile_harness`, a process of its own, as
``mle-track run-agent`` would be) sends it through :func:`~mle_track.attempt.pipeline.
run_attempt` into the ``local`` sandbox (bubblewrap namespaces) or the ``docker`` one. The agent
always writes the sample submission first and its findings to ``logs/found.json``; each test
then asserts what the agent got (nothing: no answers, no host path of the data root, the run
directory, the project or a home folder, no foreign interface, no connection), that the attempt
ended with its status, and that the harness and the data root (hashed file by file before and
after) are unchanged. The world the harness lives in is made to look like a user's: its ``HOME``
holds the data root at ``~/.cache/mle-track/data`` (the default) and a canary "key".

``local`` skips, saying why, where bubblewrap cannot run; ``docker`` where no daemon or image
is there. The answers-tamper case also runs in ``local-unisolated`` (the explicit unsafe
opt-in), where the agent *can* edit the answers, to prove that the edit is caught: the grade
fails as a harness error naming the file and the attempt is flagged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from mle_track.competitions.spec import CompetitionSpec
from mle_track.data import prepare_competition
from mle_track.data.hashing import digest_tree
from mle_track.data.marker import build_marker, write_marker
from mle_track.sandbox.layout import STAGE_POINTER, STAGE_PREFIX
from tests.conftest import MakeCompetition

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fakes" / "agents" / "hostile"
COMPETITION = "hostile-probe"
#: the longest one attempt's harness may take, set-up and copy-out included (never waited for
#: in full unless something hangs)
HARNESS_BOUND_S = 240.0
#: how long ended processes may take to vanish from /proc on a loaded machine
GONE_BOUND_S = 30.0
#: delivered to ``python -c``: builds ``_common`` from the environment, then runs the case
BOOT = (
    "import os, sys, types\n"
    "common = types.ModuleType('_common')\n"
    "exec(compile(os.environ['HOSTILE_COMMON'], '_common.py', 'exec'), common.__dict__)\n"
    "sys.modules['_common'] = common\n"
    "exec(compile(os.environ['HOSTILE_CASE'], os.environ['HOSTILE_NAME'], 'exec'),"
    " {'__name__': '__main__'})\n"
)
BOOT_ARG = "exec(__import__('os').environ['HOSTILE_BOOT'])"
#: the disk budget the attempt is given (``Limits.disk_gb``), and the most it may take of the
#: host's disk or memory (tmpfs) all the same: a guard that measures may overshoot a little
DISK_BUDGET_GB = 0.25
DISK_BOUND_MB = 512


# -- what the host looks like -------------------------------------------------------------------


@pytest.fixture
def host_home(tmp_path: Path) -> Path:
    """The harness's home: where a user's data root and secrets would be."""
    home = tmp_path / "host-home"
    (home / ".ssh").mkdir(parents=True)
    return home


@pytest.fixture
def data_root(host_home: Path) -> Path:
    """The data root at its default place in the harness's home (overrides conftest's)."""
    root = host_home / ".cache" / "mle-track" / "data"
    root.mkdir(parents=True)
    return root


@dataclass
class World:
    """The host side of the hostile attempts: paths and the secrets they must not reach."""

    tmp_path: Path
    home: Path
    data_root: Path
    spec: CompetitionSpec
    #: a word in every answer label and nowhere else
    answers_mark: str
    canary: str

    @property
    def prepared(self) -> Path:
        return self.data_root / COMPETITION / "prepared"

    @property
    def answers(self) -> Path:
        return self.prepared / "private" / "test.csv"

    @property
    def public(self) -> Path:
        return self.prepared / "public"

    @property
    def competition_config(self) -> Path:
        return self.spec.folder / "config.yaml"

    def snapshot(self) -> dict[str, Any]:
        """The data root and the competition's definition (what grading trusts), entry by
        entry."""
        return {
            "data root": snapshot(self.data_root),
            "competition": snapshot(self.spec.folder),
        }


@pytest.fixture
def world(
    make_competition: MakeCompetition, data_root: Path, host_home: Path, tmp_path: Path
) -> World:
    mark = f"ANS{uuid.uuid4().hex[:10]}"
    ids = [f"q7z{i:03d}" for i in range(24)]
    spec = make_competition(
        COMPETITION,
        metric="accuracy",
        direction="higher",
        answers=pd.DataFrame({"id": ids, "label": [f"{mark}{i:03d}" for i in range(24)]}),
        sample=pd.DataFrame({"id": ids, "label": ["x"] * 24}),
        target_columns=["label"],
    )
    public = data_root / COMPETITION / "prepared" / "public"
    pd.DataFrame({"id": [f"tr{i}" for i in range(30)], "label": ["a", "b"] * 15}).to_csv(
        public / "train.csv", index=False
    )
    (public / "description.md").write_text("# Hostile probe\nPredict the label.\n")
    # the marker made again with the added files, then verified (and the answers sealed) as
    # every attempt's prepare stage does, so that attempts find the data root in its final state
    tree = digest_tree(public.parent)
    write_marker(public.parent, build_marker(spec, verified=False, source={}, tree=tree))
    prepare_competition(spec, data_root)
    canary = f"CANARY{uuid.uuid4().hex[:10]}"
    (host_home / ".ssh" / "id_canary").write_text(f"-----BEGIN KEY----- {canary}\n")
    return World(tmp_path, host_home, data_root, spec, mark, canary)


def walk(root: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk`` without recursion (a hostile agent's folder chain outgrows Python's recursion
    limit, which ``os.walk`` and ``shutil.rmtree`` hit), links never followed."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        dirs = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
        files = [e.name for e in entries if not e.is_dir(follow_symlinks=False)]
        yield folder, dirs, files
        stack += [folder / name for name in dirs]


def remove_tree(root: Path) -> None:
    """``shutil.rmtree`` without recursion, for trees a hostile agent made deep."""
    stack: list[tuple[Path, bool]] = [(root, False)]
    while stack:
        path, emptied = stack.pop()
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(mode):
            path.unlink()
        elif emptied:
            path.rmdir()
        else:
            path.chmod(0o755)
            stack.append((path, True))
            stack += [(entry, False) for entry in path.iterdir()]


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry below ``root``: content hash and mode of files, mode of folders, targets
    of links. Two equal snapshots mean a byte-identical, identically permissioned tree."""
    entries: dict[str, Any] = {}
    for folder, dirs, files in walk(root):
        for name in dirs + files:
            path = folder / name
            st = path.lstat()
            rel = str(path.relative_to(root))
            if stat.S_ISLNK(st.st_mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                entries[rel] = ("dir", stat.S_IMODE(st.st_mode))
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                entries[rel] = ("file", stat.S_IMODE(st.st_mode), digest)
    return entries


# -- which sandboxes can run here ---------------------------------------------------------------


def require_bwrap() -> None:
    """Skip, saying why, where bubblewrap cannot make the namespaces the sandbox needs."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    probe = ["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"bwrap cannot create namespaces here: {done.stderr.strip()}")


def require_docker() -> None:
    from tests.integration.test_sandbox_docker import _docker_client

    _docker_client()  # skips without a daemon or the env image


SANDBOXES = [
    pytest.param("local", id="local"),
    pytest.param("docker", id="docker", marks=pytest.mark.docker),
]


@pytest.fixture(params=SANDBOXES)
def sandbox(request: pytest.FixtureRequest) -> str:
    name = str(request.param)
    if name == "local":
        require_bwrap()
    else:
        require_docker()
    return name


# -- running one hostile attempt ----------------------------------------------------------------


@dataclass
class Attempt:
    """One hostile attempt as the host saw it."""

    sandbox: str
    token: str
    harness: subprocess.CompletedProcess[str]
    record: dict[str, Any]
    before: dict[str, Any]
    after: dict[str, Any]
    found: dict[str, Any] = field(default_factory=dict)

    @property
    def run_dir(self) -> Path:
        return Path(self.record["run_dir"])

    @property
    def status(self) -> str:
        return str(self.record["status"])

    @property
    def tags(self) -> dict[str, str]:
        return dict(self.record.get("tags") or {})

    @property
    def found_text(self) -> str:
        return json.dumps(self.found, sort_keys=True)

    def output_files(self) -> list[Path]:
        """What the sandbox copied out of the agent's world, and the agent's log."""
        files = [self.run_dir / "run.log"]
        for name in ("submission", "logs", "code"):
            for folder, _, names in walk(self.run_dir / name):
                files += [folder / n for n in names]
        return [f for f in files if f.is_file() and not f.is_symlink()]


def _contains(path: Path, needle: bytes) -> bool:
    """Whether a file holds ``needle``, read in chunks (a filled disk's files are large)."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def host_paths_in(text: str, world: World) -> list[str]:
    """The host paths of ours that ``text`` names: the test's folder (data root, run and runs
    directories, the harness's home) and the project, whose ``.venv`` is the harness's Python:
    the isolated sandbox shows its runtime under neutral paths. (The real home folder is not
    looked for as a string: ``/root`` is every agent's first guess; what it holds is checked.)"""
    named = [str(world.tmp_path), str(world.data_root), str(world.home), str(REPO)]
    return [path for path in named if path in text]


def processes_with(token: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(f"{entry.name}: {cmdline[:200]!r}")
    return found


def wait_until_gone(token: str) -> list[str]:
    """Poll, bounded, until no process carries ``token``; what is left at the bound."""
    deadline = time.monotonic() + GONE_BOUND_S
    while (left := processes_with(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@dataclass
class Hostile:
    """Runs hostile cases as untrusted attempts, each in a harness process of its own."""

    world: World
    sandbox: str
    attempts: list[Attempt] = field(default_factory=list)
    #: the token of every attempt started, ended or not (what the clean-up looks for)
    tokens: list[str] = field(default_factory=list)
    #: runs folders to remove without recursion afterwards (see :func:`remove_tree`)
    messy: list[Path] = field(default_factory=list)

    def run(
        self,
        case: str,
        *,
        hints: dict[str, Any] | None = None,
        sandbox: str | None = None,
        time_limit_s: float = 90.0,
        messy: bool = False,
        **limits: Any,
    ) -> Attempt:
        sandbox = sandbox or self.sandbox
        token = f"hostile{uuid.uuid4().hex[:12]}"
        runs_dir = self.world.tmp_path / f"runs-{len(self.tokens)}"
        self.tokens.append(token)
        if messy:
            self.messy.append(runs_dir)
        python = "python" if sandbox == "docker" else sys.executable
        env = {
            "HOSTILE_BOOT": BOOT,
            "HOSTILE_COMMON": (HOSTILE / "_common.py").read_text(),
            "HOSTILE_CASE": (HOSTILE / f"{case}.py").read_text(),
            "HOSTILE_NAME": f"{case}.py",
            "HOSTILE_HINTS": json.dumps(hints or {}),
        }
        spec = {
            "agent": f"hostile-{case.replace('_', '-')}",
            "start": f"{python} -c {shlex.quote(BOOT_ARG)} {token}",
            "env": env,
            "competition": COMPETITION,
            "limits": {
                "time_limit_s": time_limit_s,
                "cpus": 1,
                "memory_gb": 4,
                "pids_limit": 256,
                "max_file_mb": 64,
                **limits,
            },
            "sandbox": sandbox,
            "data_root": str(self.world.data_root),
            "runs_dir": str(runs_dir),
        }
        harness_env = {
            **os.environ,
            "HOME": str(self.world.home),
            "MLE_TRACK_DATA_DIR": str(self.world.data_root),
            "MLFLOW_DISABLE_TELEMETRY": "true",
        }
        before = self.world.snapshot()
        done = subprocess.run(
            [sys.executable, "-m", "tests.hostile_harness", json.dumps(spec)],
            cwd=REPO,
            env=harness_env,
            capture_output=True,
            text=True,
            timeout=HARNESS_BOUND_S,
            stdin=subprocess.DEVNULL,
        )
        left = wait_until_gone(token)
        assert not left, f"processes of the hostile agent outlived its attempt: {left}"
        lines = done.stdout.strip().splitlines()
        assert done.returncode == 0 and lines, (
            f"the harness did not end with a record (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
        record = json.loads(lines[-1])
        assert "Traceback" not in done.stderr, (
            f"the harness failed ({record.get('status')}: {record.get('reason')}):\n"
            f"{done.stderr[-3000:]}"
        )
        attempt = Attempt(sandbox, token, done, record, before, self.world.snapshot())
        report = attempt.run_dir / "logs" / "found.json"
        if report.is_file() and not report.is_symlink():
            attempt.found = json.loads(report.read_text())
        self.attempts.append(attempt)
        return attempt


@pytest.fixture
def hostile(world: World, sandbox: str) -> Iterator[Hostile]:
    runner = Hostile(world, sandbox)
    yield runner
    for token in runner.tokens:  # a sandbox that failed its promise leaves no litter
        for path in _left_on_host(token, world):
            _remove(Path(path))
    for runs in runner.messy:  # pytest's own clean-up of old temporary folders would recurse
        for pointer in runs.glob(f"*/{STAGE_POINTER}"):  # a world the sandbox left behind
            remove_tree(Path(pointer.read_text().strip()))
        remove_tree(runs)
    for token in runner.tokens:  # a world left without its pointer: the agent marked its /tmp
        for mark in Path(tempfile.gettempdir()).glob(f"{STAGE_PREFIX}*/tmp/stage-{token}"):
            remove_tree(mark.parents[1])


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        remove_tree(path)
    else:
        path.unlink(missing_ok=True)


ISOLATION = {"local": "namespaces", "docker": "docker", "local-unisolated": "none"}


def check_attempt(
    attempt: Attempt, world: World, *, statuses: tuple[str, ...] = ("completed",)
) -> None:
    """What every hostile attempt must show: it ended with its status, the agent reported, it
    got no answers, the data root is byte-identical and the run says how it was isolated."""
    assert attempt.status in statuses, (
        f"status {attempt.status}: {attempt.record.get('reason')}\n"
        f"{(attempt.run_dir / 'run.log').read_text(errors='replace')[-3000:]}"
    )
    assert attempt.found, (
        "the agent left no report: "
        f"{(attempt.run_dir / 'run.log').read_text(errors='replace')[-3000:]}"
    )
    assert "crash" not in attempt.found, attempt.found["crash"]
    report = attempt.record.get("report") or {}
    assert report.get("valid_submission"), f"the sample submission was not graded: {report}"
    mark = world.answers_mark.encode()
    carrying = [str(f) for f in attempt.output_files() if _contains(f, mark)]
    assert not carrying, f"the agent got the answers into {carrying}"
    assert world.answers_mark not in attempt.found_text
    assert world.canary not in attempt.found_text, "the agent read the harness's home"
    for part, before in attempt.before.items():
        after = attempt.after[part]
        changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
        assert not changed, f"the {part} changed: {changed}"
    assert attempt.tags.get("sandbox.isolation") == ISOLATION[attempt.sandbox], attempt.tags
    assert "rule_violation" not in attempt.tags, attempt.tags


# -- 1. the answers on disk ---------------------------------------------------------------------


def test_searching_the_file_system_finds_no_answers(hostile: Hostile, world: World) -> None:
    attempt = hostile.run("search_answers")
    check_attempt(attempt, world)
    found = attempt.found
    assert found["walk_complete"], "the walk of / ran out of time: the proof would be partial"
    assert found["answers_candidates"] == [], found["answers_candidates"]
    assert found["private_dirs"] == [], found["private_dirs"]
    assert found["data_dir_env"] == "", "the data root was in the agent's environment"
    assert host_paths_in(attempt.found_text, world) == [], _where(attempt, world)
    for home, listing in found["homes"].items():
        if Path(home) == Path.home():
            assert not listing or not isinstance(listing, list), f"the real {home}: {listing}"


def _where(attempt: Attempt, world: World) -> str:
    """The report's lines that name a host path (for a failure message)."""
    text = json.dumps(attempt.found, indent=1, sort_keys=True)
    names = host_paths_in(text, world)
    lines = [line.strip() for line in text.splitlines() if any(n in line for n in names)]
    return f"host paths {names} in the agent's report, e.g.:\n" + "\n".join(lines[:15])


# -- 2. the harness through /proc ---------------------------------------------------------------


def test_proc_shows_nothing_of_the_harness(hostile: Hostile, world: World) -> None:
    attempt = hostile.run("proc_snoop")
    check_attempt(attempt, world)
    text = attempt.found_text
    assert "hostile_harness" not in text, "the agent saw the harness's process"
    assert "MLE_TRACK_DATA_DIR" not in text, "the agent read the harness's environment"
    assert host_paths_in(text, world) == [], _where(attempt, world)


# -- 3. links planted in the outputs ------------------------------------------------------------


def test_links_planted_in_the_outputs_are_never_followed(hostile: Hostile, world: World) -> None:
    hints = {"answers": str(world.answers), "data_root": str(world.data_root)}
    attempt = hostile.run("plant_links", hints=hints)
    check_attempt(attempt, world)
    host_inodes = {}
    for path in [*_files_below(world.data_root), Path("/etc/passwd"), Path("/etc/shadow")]:
        st = path.stat()
        host_inodes[(st.st_dev, st.st_ino)] = str(path)
    passwd = Path("/etc/passwd").read_bytes()
    for name in ("submission", "logs", "code"):
        top = attempt.run_dir / name
        assert top.is_dir() and not top.is_symlink(), f"{name}/ came out as {top.lstat()}"
        for folder, dirs, files in walk(top):
            for entry in dirs + files:
                path = folder / entry
                st = path.lstat()
                kind = stat.S_IFMT(st.st_mode)
                assert kind in (stat.S_IFREG, stat.S_IFDIR), f"{path} came out as {oct(kind)}"
                shared = host_inodes.get((st.st_dev, st.st_ino))
                assert shared is None, f"{path} came out as a hard link to {shared}"
                if kind == stat.S_IFREG and entry.startswith(("link-", "hard-")):
                    assert path.read_bytes() != passwd, f"{path} carries /etc/passwd"
    assert world.answers.read_text().count(world.answers_mark) == 24


def test_outputs_made_to_break_the_copy_do_not_break_the_harness(
    hostile: Hostile, world: World
) -> None:
    """A folder chain deeper than Python's recursion limit, FIFOs, a socket, thousands of files
    and undecodable names in the outputs: copied out or dropped, never a harness error."""
    attempt = hostile.run("odd_outputs", messy=True, disk_gb=DISK_BUDGET_GB)  # as presets do
    check_attempt(attempt, world)
    refused = {k: v for k, v in attempt.found.items() if isinstance(v, list) and v[0] != "ok"}
    assert not refused, f"the agent could not make its outputs: {refused}"
    assert not (attempt.run_dir / STAGE_POINTER).exists(), "the world was left behind"
    for name in ("submission", "logs", "code"):
        for folder, _, files in walk(attempt.run_dir / name):
            for entry in files:
                mode = (folder / entry).lstat().st_mode
                assert stat.S_ISREG(mode), f"{folder / entry} came out as {oct(mode)}"


def _files_below(root: Path) -> list[Path]:
    return [folder / n for folder, _, names in walk(root) for n in names]


# -- 4. the validator ---------------------------------------------------------------------------


def test_the_validator_gives_neither_answers_nor_a_score(hostile: Hostile, world: World) -> None:
    hints = {"answers": str(world.answers), "http": hostile.sandbox == "docker"}
    attempt = hostile.run("validator", hints=hints)
    check_attempt(attempt, world)
    script = attempt.found["script"]
    valid = "Submission is valid."
    for name in ("sample", "all_changed", "one_changed"):
        assert script[name]["exit"] == 0 and script[name]["out"].strip() == valid, script[name]
    assert script["answers_path"]["exit"] != 0, "the validator read the answers' path"
    if hostile.sandbox == "docker":
        http = attempt.found["http"]
        assert http["health"]["status"] == 200, http["health"]
        answers = {name: reply.get("body") for name, reply in http["validate"].items()}
        assert set(answers.values()) == {json.dumps({"result": valid})}, answers
        for path, reply in {**http["probes"], "/grade (upload)": http["grade_upload"]}.items():
            assert reply.get("status") in (404, 400, 405, 501) or "error" in reply, (path, reply)
            assert "score" not in str(reply.get("body", "")).lower(), (path, reply)


# -- 5. the network -----------------------------------------------------------------------------


class Listener:
    """A TCP listener on the host's 127.0.0.1 that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(f"{peer[0]}:{peer[1]}")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_no_network_reaches_the_host(hostile: Hostile, world: World, listener: Listener) -> None:
    attempt = hostile.run("network", hints={"port": listener.port})
    check_attempt(attempt, world)
    found = attempt.found
    assert listener.accepted == [], f"the agent connected to the host: {listener.accepted}"
    for host, (outcome, detail) in found["tcp"].items():
        assert outcome == "error", f"the agent reached {host}:{listener.port}: {detail}"
    for path, (outcome, detail) in found["docker_socket"].items():
        assert outcome == "error", f"the agent reached {path}: {detail}"
    assert found["if_nameindex"] == ["lo"], found["if_nameindex"]
    assert found["proc_net_dev"] == ["lo"], found["proc_net_dev"]
    sysfs = found["sys_class_net"]
    assert not isinstance(sysfs, list) or set(sysfs) <= {"lo"}, f"/sys/class/net shows {sysfs}"
    assert listener.port not in found["listening_ports"], "the host's sockets are visible"


# -- 6. the public data and the answers ---------------------------------------------------------


def test_public_data_and_answers_cannot_be_changed(hostile: Hostile, world: World) -> None:
    hints = {
        "answers": str(world.answers),
        "public": str(world.public),
        "config": str(world.competition_config),
    }
    attempt = hostile.run("tamper", hints=hints)
    check_attempt(attempt, world)
    report = attempt.record["report"]
    assert report["score"] == 0.0, "graded against answers other than the real ones"


@pytest.mark.parametrize("plain", [False, True], ids=["same-size-mtime-restored", "plain-edit"])
def test_answers_changed_by_an_unisolated_agent_are_caught(world: World, plain: bool) -> None:
    """``local-unisolated`` is the explicit opt-in to run an untrusted agent with the host's
    view; as root it can edit the answers. The promise then: the grade is a harness error that
    names the file, and the attempt that did it (this one) is flagged."""
    hostile = Hostile(world, "local-unisolated")
    hints = {"answers": str(world.answers), "public": str(world.public), "plain_edit": plain}
    attempt = hostile.run("tamper", hints=hints)
    edits = attempt.found["answers"][str(world.answers)]
    assert attempt.tags.get("sandbox.isolation") == "none", attempt.tags
    if edits["same_size_edit"][0] != "ok":  # not root: the sealed answers held
        check_attempt(attempt, world)
        return
    from mle_track.names import RuleViolation

    assert attempt.after != attempt.before
    assert attempt.status == "error", (attempt.status, attempt.record.get("reason"))
    assert "private/test.csv" in attempt.record["reason"], attempt.record["reason"]
    assert attempt.tags.get("rule_violation") == RuleViolation.PRIVATE_ANSWERS, attempt.tags
    assert not attempt.record.get("report"), "graded against the edited answers"
    after = hostile.run("honest")  # the next attempt is refused, and not blamed
    assert after.status == "error", (after.status, after.record.get("reason"))
    assert "private/test.csv" in after.record["reason"], after.record["reason"]
    assert "rule_violation" not in after.tags, after.tags
    assert not after.found, "the agent ran on changed answers"


# -- 7. a fork bomb -----------------------------------------------------------------------------


def test_a_fork_bomb_hits_the_process_limit(hostile: Hostile, world: World) -> None:
    limit = 64
    attempt = hostile.run("fork_bomb", hints={"pids_limit": limit}, pids_limit=limit)
    check_attempt(attempt, world, statuses=("completed", "failed", "timeout"))
    found = attempt.found
    assert found["refused"] > 0, f"no fork was refused: {found}"
    # the container's own processes (init, idler, validator) count against its limit too
    assert found["most_pids_seen"] <= limit + 8, found


# -- 8. filling the disk ------------------------------------------------------------------------


def test_filling_the_disk_is_bounded(hostile: Hostile, world: World) -> None:
    file_mb, budget_mb, stdout_mb = 8, 2 * DISK_BOUND_MB, 64
    hints = {"max_file_mb": file_mb, "budget_mb": budget_mb, "stdout_mb": stdout_mb}
    attempt = hostile.run("fill_disk", hints=hints, max_file_mb=file_mb, disk_gb=DISK_BUDGET_GB)
    check_attempt(attempt, world, statuses=("completed", "failed"))
    found, mb = attempt.found, 1 << 20
    assert _left_on_host(attempt.token, world, attempt) == []
    assert found["huge_file_bytes"] <= file_mb * mb, f"one file outgrew its limit: {found}"
    assert found["huge_file_error"], found
    problems = []  # every bound at once: each is a different way to fill the host's disk
    if found["total_bytes"] > DISK_BOUND_MB * mb:
        taken = {place: round(size / mb) for place, size in found["taken"].items()}
        problems.append(
            f"the agent wrote {found['total_bytes'] / mb:.0f} MB (MB by place: {taken})"
        )
    log_mb = (attempt.run_dir / "run.log").stat().st_size / mb
    if log_mb > 2 * file_mb + 1:
        problems.append(f"its standard output made run.log {log_mb:.0f} MB")
    copied = sum(f.stat().st_size for f in attempt.output_files()) / mb
    if copied > DISK_BOUND_MB:
        problems.append(f"{copied:.0f} MB were copied out into the run directory")
    assert not problems, "; ".join(problems)


class DiskUse:
    """The most of the host's disk in use at any moment between start and stop, above what was
    in use at the start: free space of the file systems holding the test's folders and the
    temporary folder (where copies are spooled), sampled by a thread (a measurement, not a
    synchronisation: nothing waits on it)."""

    def __init__(self, *folders: Path) -> None:
        devices = {os.stat(f).st_dev: f for f in folders}
        self.folders = list(devices.values())
        self.start = self._free()
        self.lowest = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _free(self) -> int:
        return sum(os.statvfs(f).f_bavail * os.statvfs(f).f_frsize for f in self.folders)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.lowest = min(self.lowest, self._free())

    def stop(self) -> float:
        """The peak, in MB."""
        self._stop.set()
        self._thread.join(timeout=5)
        return (self.start - min(self.lowest, self._free())) / (1 << 20)


def test_a_sparse_file_does_not_cost_the_host_its_size(hostile: Hostile, world: World) -> None:
    """No file-size limit (as in the compute presets), a disk budget: a 1 GB sparse file takes
    no disk in the world, but a copy that reads it writes 1 GB (and a spooled copy twice that);
    neither what is copied out nor the host's disk in use while it is copied may pass the
    bound."""
    hints = {"sparse_gb": 1}
    limits = {"max_file_mb": None, "disk_gb": DISK_BUDGET_GB}
    use = DiskUse(world.tmp_path, Path(tempfile.gettempdir()))
    try:
        attempt = hostile.run("sparse_file", hints=hints, messy=True, **limits)
    finally:
        peak_mb = use.stop()
    check_attempt(attempt, world, statuses=("completed", "failed"))
    copied = sum(f.stat().st_size for f in attempt.output_files()) / (1 << 20)
    assert copied <= DISK_BOUND_MB, (
        f"{copied:.0f} MB were copied out of a world that held a sparse file: {attempt.found}"
    )
    assert peak_mb <= DISK_BOUND_MB, (
        f"the host's disk in use rose by {peak_mb:.0f} MB while the attempt ran, for a sparse "
        f"file that takes no disk: {attempt.found}"
    )


# -- 9. writing outside the outputs -------------------------------------------------------------


def _left_on_host(token: str, world: World, attempt: Attempt | None = None) -> list[str]:
    """Files or folders named after the token, outside the attempt's copied-out outputs."""
    outputs = [attempt.run_dir / n for n in ("submission", "logs", "code")] if attempt else []
    flat = ["/", "/usr", "/usr/local", "/etc", "/home", "/root", "/var/tmp", "/dev/shm", "/tmp"]
    flat += [sysconfig.get_paths()["purelib"], sys.prefix]
    found = [str(p) for d in [*flat, "/opt", str(REPO)] for p in Path(d).glob(f"*{token}*")]
    for folder, dirs, files in walk(world.tmp_path):
        if any(folder.is_relative_to(o) for o in outputs):
            continue
        found += [str(folder / n) for n in dirs + files if token in n]
    return found


def test_nothing_is_written_outside_the_outputs(hostile: Hostile, world: World) -> None:
    runs = world.tmp_path / f"runs-{len(hostile.tokens)}"  # where the next attempt's run goes
    host_dirs = [str(runs), str(world.data_root), str(world.home), str(REPO), str(world.tmp_path)]
    host_dirs += [sysconfig.get_paths()["purelib"], sys.prefix, str(world.spec.folder)]
    attempt = hostile.run("write_outside", hints={"host_dirs": host_dirs})
    check_attempt(attempt, world)
    assert _left_on_host(attempt.token, world, attempt) == [], attempt.found["left"]
