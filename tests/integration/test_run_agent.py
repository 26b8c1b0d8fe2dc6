"""``mle-track run-agent``: one attempt, graded, report on stdout — locally and in Docker with an
external image that follows MLE-bench's agent contract (start.sh, kwargs, env vars, secrets)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.conftest import MakeCompetition

MLE = str(Path(sys.executable).with_name("mle-track"))
START_SH = """#!/bin/bash
# an MLE-bench-style agent: kwargs on the command line, limits and secrets in the environment
echo "args: $*" > "$LOGS_DIR/args.txt"
echo "competition=$COMPETITION_ID time=$TIME_LIMIT_SECS seed=$SEED" >> "$LOGS_DIR/args.txt"
test -n "$MY_TOKEN" && echo "token seen" >> "$LOGS_DIR/args.txt"
echo "printing the secret: $MY_TOKEN"
cp /home/data/sample_submission.csv /home/submission/submission.csv
echo "# solution" > /home/code/solution.py
"""


@pytest.fixture
def toy(make_competition: MakeCompetition, data_root: Path) -> Path:
    ids = [f"t{i}" for i in range(12)]
    answers = pd.DataFrame({"id": ids, "y": np.arange(12) % 2})
    make_competition(
        "toy-agent",
        metric="auroc",
        direction="higher",
        answers=answers,
        sample=answers.assign(y=0.5),
        target_columns=["y"],
        leaderboard=[0.9, 0.8, 0.7, 0.6],
    )
    return data_root


def run_agent(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MLE, "run-agent", *args, "--runs-dir", str(tmp_path / "runs")],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_local_dummy_attempt_prints_its_grading_report(toy: Path, tmp_path: Path) -> None:
    done = run_agent(tmp_path, "dummy", "toy-agent", "--time-limit", "60", "--data-dir", str(toy))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["valid_submission"] and report["score"] == 0.5 and not report["any_medal"]
    (run_dir,) = (tmp_path / "runs").iterdir()
    checks = json.loads((run_dir / "logs" / "dummy.json").read_text())
    # root ignores file modes, so locally the data is read-only only for other users; what an
    # agent writes there is caught after the attempt (see the tampering test below)
    assert checks["data_read_only"] or os.geteuid() == 0
    assert checks["outputs_writable"] and not checks["private_reachable"]
    assert checks["validation"].startswith("Submission is valid")


def _unisolated_sandbox() -> str:
    """The sandbox that runs an untrusted agent unisolated, by explicit choice."""
    return "local-unisolated"


TAMPER = """
import os, shutil
data = os.environ["DATA_DIR"]
shutil.copyfile(os.path.join(data, "sample_submission.csv"),
                os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
with open(os.path.join(data, "sample_submission.csv"), "a") as handle:
    handle.write("t99,0.5\\n")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can write through read-only data")
def test_an_agent_that_modifies_public_data_is_flagged(toy: Path, tmp_path: Path) -> None:
    script = tmp_path / "tamper.py"
    script.write_text(TAMPER)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "tamper.yaml").write_text(
        f"name: tamper\nkind: external\nstart: {sys.executable} {script}\n"
    )
    env = {"MLE_TRACK_AGENTS_DIR": str(agents)}
    # only an unisolated agent can write there (sandbox=local mounts the data read-only)
    unisolated = ("--sandbox", _unisolated_sandbox())
    done = run_agent(tmp_path, "tamper", "toy-agent", *unisolated, "--data-dir", str(toy), env=env)
    assert done.returncode == 0, done.stderr
    assert "modified the competition's public data (public/sample_submission.csv)" in done.stderr
    record = json.loads(next((tmp_path / "runs").glob("*/attempt.json")).read_text())
    assert record["tags"]["rule_violation"] == "modified public data"
    again = run_agent(tmp_path, "dummy", "toy-agent", "--data-dir", str(toy))
    assert again.returncode == 1 and "checksum" in (again.stdout + again.stderr).lower()


EDIT_ANSWERS = """
import os, shutil
answers = os.environ["ANSWERS_PATH"]  # what a walk of the file system finds unisolated
shutil.copyfile(os.path.join(os.environ["DATA_DIR"], "sample_submission.csv"),
                os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
before = os.stat(answers)
data = bytearray(open(answers, "rb").read())
at = max(data.rfind(b"0"), data.rfind(b"1"))
data[at] = ord("1") if data[at] == ord("0") else ord("0")  # same size
os.chmod(answers, 0o644)  # sealed read-only at prepare; its owner can open it up again
with open(answers, "r+b") as handle:
    handle.write(bytes(data))
os.chmod(answers, 0o444)
os.utime(answers, ns=(before.st_atime_ns, before.st_mtime_ns))  # the stat cache sees nothing
"""


def _records(tmp_path: Path) -> list[dict[str, Any]]:
    found = sorted((tmp_path / "runs").glob("*/attempt.json"), key=lambda p: p.stat().st_mtime)
    return [json.loads(path.read_text()) for path in found]


def test_an_agent_that_edits_the_answers_is_flagged_and_never_graded(
    toy: Path, tmp_path: Path
) -> None:
    """A same-size edit with the mtime restored, made by the agent through a path it was given:
    caught before grading, as a harness error naming the file, on the attempt that made it; the
    next attempt is refused the data, and is not the one flagged."""
    answers = toy / "toy-agent" / "prepared" / "private" / "test.csv"
    script = tmp_path / "edit_answers.py"
    script.write_text(EDIT_ANSWERS)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "editor.yaml").write_text(
        f"name: editor\nkind: external\nstart: {sys.executable} {script}\n"
        f"env: {{ANSWERS_PATH: {answers}}}\n"
    )
    env = {"MLE_TRACK_AGENTS_DIR": str(agents)}
    sandbox = _unisolated_sandbox()
    before = answers.stat()
    done = run_agent(
        tmp_path, "editor", "toy-agent", "--sandbox", sandbox, "--data-dir", str(toy), env=env
    )
    after = answers.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert done.returncode == 1, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["status"] == "error" and "private/test.csv" in outcome["reason"]
    assert "not graded" in outcome["reason"]
    (record,) = _records(tmp_path)
    assert record["tags"]["rule_violation"] == "modified private answers"
    assert record["tags"]["sandbox.isolation"] == "none"
    assert record["report"] is None, "no score against changed answers"
    assert not list((tmp_path / "runs").glob("*/grading_report.json"))

    again = run_agent(tmp_path, "dummy", "toy-agent", "--data-dir", str(toy))
    assert again.returncode == 1 and "private/test.csv" in again.stdout
    assert "checksum" in json.loads(again.stdout)["reason"]
    _, following = _records(tmp_path)
    assert "rule_violation" not in following["tags"], "the next attempt is not the one flagged"


EDIT_PUBLIC = """
import os, shutil
data = os.environ["DATA_DIR"]
sample = os.path.join(data, "sample_submission.csv")
shutil.copyfile(sample, os.path.join(os.environ["SUBMISSION_DIR"], "submission.csv"))
target = os.path.realpath(sample)  # the prepared file itself (the world links to it)
before = os.stat(target)
text = open(target).read()
os.chmod(target, 0o644)
open(target, "w").write(text.replace("0.5", "0.6", 1))  # same size
os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
"""


def test_a_public_edit_with_the_stats_set_back_is_flagged_when_unisolated(
    toy: Path, tmp_path: Path
) -> None:
    """Unisolated, public data is compared by content after the attempt: restoring the size
    and mtime does not hide the edit, and the next attempt is refused the data."""
    script = tmp_path / "edit_public.py"
    script.write_text(EDIT_PUBLIC)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "quiet.yaml").write_text(
        f"name: quiet\nkind: external\nstart: {sys.executable} {script}\n"
    )
    env = {"MLE_TRACK_AGENTS_DIR": str(agents)}
    sample = toy / "toy-agent" / "prepared" / "public" / "sample_submission.csv"
    before = sample.stat()
    done = run_agent(
        tmp_path, "quiet", "toy-agent", "--sandbox", _unisolated_sandbox(),
        "--data-dir", str(toy), env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (sample.stat().st_size, sample.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    ), "the agent set the stats back"
    (record,) = _records(tmp_path)
    assert record["tags"]["rule_violation"] == "modified public data"
    assert "public/sample_submission.csv" in record["reason"]
    again = run_agent(tmp_path, "dummy", "toy-agent", "--data-dir", str(toy))
    assert again.returncode == 1 and "public/sample_submission.csv" in again.stdout


def test_unknown_agent_is_one_clear_line(toy: Path, tmp_path: Path) -> None:
    done = run_agent(tmp_path, "dumy", "toy-agent", "--data-dir", str(toy))
    assert done.returncode == 2 and "Did you mean 'dummy'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_data_dir_is_refused_unless_prepare_is_asked(toy: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-root"
    done = run_agent(tmp_path, "dummy", "toy-agent", "--data-dir", str(missing))
    assert done.returncode == 2 and "--prepare" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not missing.exists(), "a mistyped data root is never created"


@pytest.mark.docker
def test_external_image_with_the_mle_bench_contract(toy: Path, tmp_path: Path) -> None:
    from tests.integration.test_sandbox_docker import IMAGE, _docker_client

    client = _docker_client()
    context = tmp_path / "image"
    context.mkdir()
    (context / "start.sh").write_text(START_SH)
    (context / "Dockerfile").write_text(
        f"FROM {IMAGE}\nCOPY start.sh /home/agent/start.sh\n"
        "USER root\nRUN chmod 755 /home/agent/start.sh\n"
    )
    client.images.build(path=str(context), tag="mle-track-test-external:latest", rm=True)
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "external.yaml").write_text(
        "name: external\nkind: external\nimage: mle-track-test-external:latest\n"
        "kwargs: {agent.steps: 3, copy_data: false}\nkwargs_style: omegaconf\n"
        "env: {EXTRA: '1'}\nsecrets: [MY_TOKEN]\n"
    )
    env = {"MLE_TRACK_AGENTS_DIR": str(agents), "MY_TOKEN": "tok-7781-secret"}
    missing = run_agent(
        tmp_path,
        "external",
        "toy-agent",
        "--sandbox",
        "docker",
        "--data-dir",
        str(toy),
        env={"MLE_TRACK_AGENTS_DIR": str(agents)},
    )
    assert missing.returncode != 0 and "MY_TOKEN" in missing.stdout + missing.stderr
    done = run_agent(
        tmp_path,
        "external",
        "toy-agent",
        "--sandbox",
        "docker",
        "--time-limit",
        "120",
        "--seed",
        "4",
        "--data-dir",
        str(toy),
        env=env,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["valid_submission"] and report["score"] == 0.5
    run_dir = max((tmp_path / "runs").iterdir(), key=lambda p: p.stat().st_mtime)
    args = (run_dir / "logs" / "args.txt").read_text()
    assert "args: agent.steps=3 copy_data=false" in args
    assert "competition=toy-agent time=120" in args and "seed=4" in args and "token seen" in args
    assert (run_dir / "code" / "solution.py").is_file()
    log = (run_dir / "run.log").read_text()
    assert "tok-7781-secret" not in log, "secrets never reach the logs"
