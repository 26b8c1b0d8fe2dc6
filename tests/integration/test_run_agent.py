"""``mle-track run-agent``: one attempt, graded, report on stdout — locally and in Docker with an
external image that follows MLE-bench's agent contract (start.sh, kwargs, env vars, secrets)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
    done = run_agent(tmp_path, "tamper", "toy-agent", "--data-dir", str(toy), env=env)
    assert done.returncode == 0, done.stderr
    assert "modified the competition's public data (public/sample_submission.csv)" in done.stderr
    record = json.loads(next((tmp_path / "runs").glob("*/attempt.json")).read_text())
    assert record["tags"]["rule_violation"] == "modified public data"
    again = run_agent(tmp_path, "dummy", "toy-agent", "--data-dir", str(toy))
    assert again.returncode == 1 and "checksum" in (again.stdout + again.stderr).lower()


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
