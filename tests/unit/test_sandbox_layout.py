"""The shared world of both sandboxes: paths, variables, generated files, data links, archives,
and how an ended process becomes a status."""

from __future__ import annotations

import io
import os
import signal
import stat
import tarfile
from pathlib import Path, PurePosixPath

import pandas as pd
import pytest

from mle_track.errors import SandboxError
from mle_track.sandbox import archives, layout, trees
from mle_track.sandbox.base import AgentTask, Limits
from mle_track.sandbox.docker import connect, container_limits
from mle_track.sandbox.local_session import collect_outputs
from mle_track.sandbox.outcome import classify, describe_exit, redact
from mle_track.sandbox.rules import ValidationRules, find_sample, rules_for
from tests.conftest import MakeCompetition

DOCKER_PATHS = layout.SandboxPaths.under(PurePosixPath("/home"), PurePosixPath("/opt/mle-track"))


def _task(public: Path, **limits: float) -> AgentTask:
    return AgentTask(
        competition_id="comp",
        public_dir=public,
        command=("python", "agent.py"),
        limits=Limits(**{"time_limit_s": 90.5, **limits}),  # type: ignore[arg-type]
        seed=7,
        env={"EXTRA": "1", "OMP_NUM_THREADS": "3"},
    )


def test_environment_of_the_contract(tmp_path: Path) -> None:
    env = layout.agent_env(_task(tmp_path, cpus=2.5, memory_gb=8, step_limit=40), DOCKER_PATHS)
    assert env["COMPETITION_ID"] == "comp"
    assert env["TIME_LIMIT_SECS"] == "90" and env["STEP_LIMIT"] == "40" and env["SEED"] == "7"
    assert env["HARDWARE"] == "2.5 CPU(s), 8 GB memory, no GPU"
    assert env["DATA_DIR"] == "/home/data" and env["SUBMISSION_DIR"] == "/home/submission"
    assert env["LOGS_DIR"] == "/home/logs" and env["CODE_DIR"] == "/home/code"
    assert env["AGENT_DIR"] == "/home/agent"
    assert env["INSTRUCTIONS_FILE"] == "/home/instructions.txt"
    assert env["VALIDATE_SCRIPT"] == "/home/validate_submission.sh"
    assert env["MKL_NUM_THREADS"] == "3", "2.5 CPUs round up to 3 threads"
    assert env["OMP_NUM_THREADS"] == "3" and env["EXTRA"] == "1", "the task's env wins"
    plain = layout.agent_env(_task(tmp_path), DOCKER_PATHS)
    assert "STEP_LIMIT" not in plain and "MKL_NUM_THREADS" not in plain
    assert plain["HARDWARE"] == "all host CPUs, no memory limit, no GPU"


def test_world_files(tmp_path: Path) -> None:
    rules = ValidationRules("comp", "sample_submission.csv", "id", ("y",), "numeric")
    files = layout.world_files(
        _task(tmp_path), DOCKER_PATHS, rules, python=None, server_url="http://localhost:5000/x"
    )
    by_path = {str(f.path): f for f in files}
    text = by_path["/home/instructions.txt"].content.decode()
    for needle in (
        "/home/data/description.md",
        "/home/submission/submission.csv",
        "/home/validate_submission.sh",
        "http://localhost:5000/x",
        "by hand",
        "other people's solutions",
        "competition's own metric",
        "take precedence",
        "split was made by this benchmark",
        "90 seconds",
    ):
        assert needle in text, needle
    script = by_path["/home/validate_submission.sh"]
    assert script.mode == 0o755
    assert "/opt/mle-track/validate_server.py" in script.content.decode()
    assert "command -v python3" in script.content.decode()
    assert b'"data_dir": "/home/data"' in by_path["/opt/mle-track/rules.json"].content
    assert b"def check(" in by_path["/opt/mle-track/validate_server.py"].content
    local = layout.validate_script(layout.SandboxPaths.under(PurePosixPath("/r/home")), "/py")
    assert 'PYTHON="/py"' in local and "/r/home/.validator/validate_server.py" in local


def test_rules_from_spec_and_from_sample(
    make_competition: MakeCompetition, data_root: Path, tmp_path: Path
) -> None:
    ids = ["x", "y"]
    make_competition(
        "known",
        metric="multiclass_log_loss",
        direction="lower",
        answers=pd.DataFrame({"id": ids, "a": [1, 0], "b": [0, 1]}),
        sample=pd.DataFrame({"id": ids, "a": [0.5, 0.5], "b": [0.5, 0.5]}),
        target_columns=["a", "b"],
    )
    public = data_root / "known" / "prepared" / "public"
    rules = rules_for("known", public)
    assert (rules.kind, rules.target_columns, rules.id_column) == ("distribution", ("a", "b"), "id")
    assert rules.sample_submission == "sample_submission.csv"
    folder = tmp_path / "adhoc"
    folder.mkdir()
    (folder / "train.csv").write_text("key,t\n1,2\n")
    (folder / "sampleSubmission.csv").write_text("key,t\n1,0\n")
    guessed = rules_for("not-in-catalog", folder)
    assert (guessed.id_column, guessed.target_columns, guessed.kind) == ("key", ("t",), "label")
    assert find_sample(folder).name == "sampleSubmission.csv"


def test_public_dir_checks(tmp_path: Path) -> None:
    prepared = tmp_path / "comp" / "prepared"
    (prepared / "public").mkdir(parents=True)
    (prepared / "private").mkdir()
    assert layout.check_public_dir(prepared / "public") == (prepared / "public").resolve()
    with pytest.raises(SandboxError, match="prepared/public"):
        layout.check_public_dir(prepared)
    (prepared / "private" / "inner").mkdir()
    with pytest.raises(SandboxError, match="private"):
        layout.check_public_dir(prepared / "private" / "inner")
    with pytest.raises(SandboxError, match="does not exist"):
        layout.check_public_dir(tmp_path / "missing")


def test_link_tree_is_read_only_and_refuses_escapes(tmp_path: Path) -> None:
    source = tmp_path / "public"
    (source / "images").mkdir(parents=True)
    (source / "train.csv").write_text("a\n")
    (source / "images" / "1.png").write_bytes(b"png")
    target = tmp_path / "world" / "data"
    layout.link_tree(source, target)
    linked = target / "images" / "1.png"
    assert linked.read_bytes() == b"png" and not linked.is_symlink()
    assert linked.stat().st_ino == (source / "images" / "1.png").stat().st_ino
    assert stat.S_IMODE(target.stat().st_mode) == 0o555
    trees.open_up(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    secret = tmp_path / "private.csv"
    secret.write_text("answers")
    (source / "sneaky.csv").symlink_to(secret)
    with pytest.raises(SandboxError, match="points outside"):
        layout.link_tree(source, tmp_path / "other")


def _tar(members: list[tarfile.TarInfo], payload: bytes = b"data") -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info in members:
            if info.isreg():
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
            else:
                tar.addfile(info)
    buffer.seek(0)
    return buffer


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, link, 0o4755
    return info


def test_outputs_keep_only_regular_files(tmp_path: Path) -> None:
    archive = _tar(
        [
            _member("submission", tarfile.DIRTYPE),
            _member("submission/submission.csv", tarfile.SYMTYPE, "/data/private/test.csv"),
            _member("submission/notes.txt"),
            _member("submission/hard", tarfile.LNKTYPE, "/etc/passwd"),
            _member("../escape.txt"),
            _member("submission/dev", tarfile.CHRTYPE),
        ]
    )
    notes = archives.extract_outputs(archive, tmp_path).notes
    assert sorted(p.name for p in (tmp_path / "submission").iterdir()) == ["notes.txt"]
    assert not (tmp_path.parent / "escape.txt").exists()
    assert stat.S_IMODE((tmp_path / "submission" / "notes.txt").stat().st_mode) == 0o755
    assert notes and "skipped 4" in notes[0]


def test_world_archive_layout(tmp_path: Path) -> None:
    agent = tmp_path / "agent"
    agent.mkdir()
    (agent / "start.sh").write_text("echo hi\n")
    files = [layout.WorldFile(PurePosixPath("/opt/mle-track/rules.json"), b"{}")]
    with (
        archives.world_archive(files, agent, PurePosixPath("/home/agent")) as buffer,
        tarfile.open(fileobj=buffer) as tar,
    ):
        names = tar.getnames()
    assert names == [
        "opt/mle-track",
        "opt/mle-track/rules.json",
        "home/agent",
        "home/agent/start.sh",
    ]


def test_classify(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("Traceback ...\nMemoryError\n")
    limits = Limits(time_limit_s=10, memory_gb=1, max_file_mb=2)

    def status(code: int | None, **kw: bool) -> tuple[str, str]:
        out = classify(exit_code=code, wall_time_s=1, limits=limits, log_path=log, **kw)  # type: ignore[arg-type]
        return out.status, out.reason

    assert status(None, timed_out=True)[0] == "timeout"
    assert status(0, timed_out=False) == ("completed", "")
    assert status(1, timed_out=False)[0] == "oom"
    assert status(137, timed_out=False, oom_killed=True)[1].startswith("killed by the OOM killer")
    log.write_text("OSError: [Errno 27] File too large\n")
    assert "file-size limit (2 MB)" in status(1, timed_out=False)[1]
    log.write_text("")
    assert status(-signal.SIGKILL, timed_out=False) == (
        "failed",
        "the agent failed with killed by SIGKILL (not by the sandbox; possibly the kernel's "
        "OOM killer)",
    )
    assert describe_exit(137) == "exit code 137 (SIGKILL)"
    assert describe_exit(-15) == "killed by SIGTERM"


def test_redact(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("token=abcd1234 and abcd1234\nshort=ab\n")
    redact(log, ["abcd1234", "ab"])
    assert log.read_text() == "token=*** and ***\nshort=ab\n"


def test_container_limits() -> None:
    kwargs = container_limits(
        Limits(
            time_limit_s=1,
            cpus=1.5,
            memory_gb=2,
            shm_size_gb=0.5,
            pids_limit=64,
            gpus=1,
            max_file_mb=10,
        )
    )
    assert kwargs["nano_cpus"] == 1_500_000_000
    assert kwargs["mem_limit"] == kwargs["memswap_limit"] == "2048m"
    assert kwargs["shm_size"] == "512m" and kwargs["pids_limit"] == 64
    request = kwargs["device_requests"][0]
    assert request["Count"] == 1 and request["Capabilities"] == [["gpu"]]
    assert kwargs["ulimits"][0]["Name"] == "fsize"
    assert container_limits(Limits(time_limit_s=1, pids_limit=None)) == {}


def test_unreachable_daemon_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(SandboxError, match="cannot reach the Docker daemon"):
        connect()


def test_symlinked_outputs_are_dropped_locally(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for name in ("submission", "logs", "code"):
        (home / name).mkdir(parents=True)
    target = tmp_path / "answers.csv"
    target.write_text("secret")
    os.symlink(target, home / "submission" / "submission.csv")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    notes = collect_outputs(home, run_dir)
    assert not (run_dir / "submission" / "submission.csv").exists()
    assert notes == ["removed 1 symlink(s) from submission/"]


def test_an_abandoned_world_is_removed_read_only_folders_and_all(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    data = run_dir / "home" / "data" / "images"
    data.mkdir(parents=True)
    (data / "a.png").write_bytes(b"x")
    locked = run_dir / "home" / "code" / "locked"
    locked.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o700)
    (run_dir / "home" / "code" / "link").symlink_to(outside)
    for folder in (data, data.parent, locked):
        folder.chmod(0o500 if folder != locked else 0)
    (run_dir / "run.log").write_text("kept")
    assert layout.remove_world(run_dir)
    assert not (run_dir / "home").exists() and (run_dir / "run.log").read_text() == "kept"
    assert stat.S_IMODE(outside.stat().st_mode) == 0o700, "links are never followed"
    assert not layout.remove_world(run_dir)
