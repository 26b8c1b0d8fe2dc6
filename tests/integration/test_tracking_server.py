"""``tracking=server`` end to end: ``mle-track`` → ``mlflow server`` → PostgreSQL + S3.

Every service is real and on 127.0.0.1 (see ``tests/servers.py``): PostgreSQL holds the runs,
moto_server plays S3, and ``mlflow server`` proxies artifacts to it, so the ``mle-track``
processes under test get only the server's URL, no S3 endpoint and no credentials — as users
of ``docker/compose.yaml`` do. Checks go around the server where it matters: rows are read
from PostgreSQL and objects listed in the bucket.

The failure path cuts the link to the server at a known moment: an agent kills a relay in front
of the server while the first attempt of a sweep runs (its run is open, its upload not done),
so the second attempt starts with the server unreachable. Both attempts must be kept with
``synced: false`` and uploaded by ``mle-track sync``, once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from mle_track import settings

if TYPE_CHECKING:
    from tests.servers import S3, Postgres, TrackingServer

pytest_plugins = ["tests.servers"]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker" / "compose.yaml"
CREATE_BUCKET = REPO / "docker" / "mlflow-server" / "create_bucket.py"
COMPETITION = "practice-cell-segmentation"
#: prepared once per machine's wheel cache; the same cache the competition tests use
WHEEL_CACHE = Path(
    os.environ.get("MLE_TRACK_TEST_WHEEL_CACHE", Path.home() / ".cache/mle-track/test-wheels")
)
EXPECTED_ARTIFACTS = ("submission/submission.csv", "grading_report.json", "run.log")
#: a dummy agent that first kills the process whose pid is in $CUT_FUSE (once: it eats the fuse)
CUTTING_AGENT = """\
import os, pathlib, runpy, signal

fuse = pathlib.Path(os.environ["CUT_FUSE"])
if fuse.exists():
    pid = int(fuse.read_text())
    fuse.unlink()
    os.kill(pid, signal.SIGKILL)
    print("agent: cut the link to the tracking server", flush=True)
runpy.run_module("mle_track.agents.dummy", run_name="__main__")
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The competition prepared once for this module (its wheel comes from the cache)."""
    from mle_track.competitions import Catalog
    from mle_track.data import prepare_competition

    root = tmp_path_factory.mktemp("data")
    previous = os.environ.get(settings.ENV_WHEEL_CACHE)
    os.environ[settings.ENV_WHEEL_CACHE] = str(WHEEL_CACHE)
    try:
        prepare_competition(Catalog().get(COMPETITION), root)
        yield root
    finally:
        if previous is None:
            os.environ.pop(settings.ENV_WHEEL_CACHE, None)
        else:
            os.environ[settings.ENV_WHEEL_CACHE] = previous


def client_env(tracking_uri: str) -> dict[str, str]:
    """The environment of a user of the server: its URL only, no S3 endpoint or credentials.

    HTTP retries are off so an unreachable server fails at once (MLflow's default backoff
    waits minutes).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MLFLOW_"))}
    env.update(
        MLFLOW_TRACKING_URI=tracking_uri,
        MLFLOW_DISABLE_TELEMETRY="true",
        MLFLOW_HTTP_REQUEST_MAX_RETRIES="0",
        MLFLOW_HTTP_REQUEST_TIMEOUT="20",
    )
    return env


def mle_track(
    args: list[str], cwd: Path, tracking_uri: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "mle_track.cli", *args],
        cwd=cwd,
        env=client_env(tracking_uri),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done


def run_args(data_dir: Path, tmp: Path, experiment: str, *extra: str) -> list[str]:
    return [
        "run", "agent=dummy", f"competition={COMPETITION}", "tracking=server",
        f"tracking.experiment={experiment}", f"data_dir={data_dir}", f"runs_dir={tmp / 'runs'}",
        *extra,
    ]  # fmt: skip


def child_runs(server: TrackingServer, experiment: str) -> tuple[Any, list[Any], list[Any]]:
    """The experiment, its attempt runs and its sweep (parent) runs."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=server.uri)
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no experiment {experiment!r} on the server"
    runs = client.search_runs([found.experiment_id])
    attempts = [r for r in runs if "attempt_key" in r.data.tags]
    sweeps = [r for r in runs if r.data.tags.get("sweep") == "true"]
    return found, attempts, sweeps


def postgres_rows(postgres: Postgres, query: str, *params: object) -> list[tuple[Any, ...]]:
    conn = postgres.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute(query, params)
            return list(cursor.fetchall())
    finally:
        conn.close()


def assert_run_stored(postgres: Postgres, s3: S3, experiment_id: str, run: Any) -> None:
    """The run's status, metrics and params are rows in PostgreSQL; its artifacts are in S3."""
    run_id = run.info.run_id
    ((status,),) = postgres_rows(postgres, "SELECT status FROM runs WHERE run_uuid = %s", run_id)
    assert status == "FINISHED"
    metrics = dict(
        postgres_rows(postgres, "SELECT key, value FROM latest_metrics WHERE run_uuid = %s", run_id)
    )
    assert metrics["valid_submission"] == 1.0
    assert metrics["submission_exists"] == 1.0
    assert "score" in metrics and "runtime_s" in metrics
    params = dict(
        postgres_rows(postgres, "SELECT key, value FROM params WHERE run_uuid = %s", run_id)
    )
    assert params["competition"] == COMPETITION
    assert params["seed"] == run.data.tags["seed"]
    keys = s3.keys(f"artifacts/{experiment_id}/{run_id}/artifacts/")
    for name in EXPECTED_ARTIFACTS:
        assert any(k.endswith(f"/artifacts/{name}") for k in keys), (name, keys)


def test_single_run_lands_in_postgres_and_s3(
    tracking_server: TrackingServer, postgres: Postgres, s3: S3, data_dir: Path, tmp_path: Path
) -> None:
    done = mle_track(run_args(data_dir, tmp_path, "server-single"), tmp_path, tracking_server.uri)
    assert done.returncode == 0, done.stdout + done.stderr

    experiment, attempts, _ = child_runs(tracking_server, "server-single")
    # artifacts go through the server: the experiment's location is the proxy, not s3://
    assert experiment.artifact_location.startswith("mlflow-artifacts:")
    (run,) = attempts
    assert run.info.status == "FINISHED"
    assert run.data.tags["competition_id"] == COMPETITION
    assert run.data.metrics["valid_submission"] == 1.0
    assert_run_stored(postgres, s3, experiment.experiment_id, run)
    record = json.loads(next((tmp_path / "runs").glob("*/attempt.json")).read_text())
    assert record["synced"] is True
    assert record["mlflow_run_id"] == run.info.run_id


def test_sweep_of_two_seeds_has_a_finished_parent(
    tracking_server: TrackingServer, postgres: Postgres, s3: S3, data_dir: Path, tmp_path: Path
) -> None:
    args = run_args(data_dir, tmp_path, "server-sweep", "seed=0,1")
    done = mle_track(["run", "-m", *args[1:]], tmp_path, tracking_server.uri)
    assert done.returncode == 0, done.stdout + done.stderr

    experiment, attempts, sweeps = child_runs(tracking_server, "server-sweep")
    (parent,) = sweeps
    assert parent.info.status == "FINISHED"
    assert parent.data.metrics["attempts"] == 2.0
    assert sorted(r.data.tags["seed"] for r in attempts) == ["0", "1"]
    for run in attempts:
        assert run.data.tags["mlflow.parentRunId"] == parent.info.run_id
        assert_run_stored(postgres, s3, experiment.experiment_id, run)
    assert s3.keys(f"artifacts/{experiment.experiment_id}/{parent.info.run_id}/artifacts/")


def test_server_lost_mid_sweep_keeps_attempts_and_sync_uploads_them_once(
    tracking_server: TrackingServer,
    postgres: Postgres,
    s3: S3,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.servers import start_relay

    agent_dir = tmp_path / "agent"
    agent_dir.mkdir()
    (agent_dir / "cutting_agent.py").write_text(CUTTING_AGENT)
    relay, relay_uri = start_relay(tracking_server.port, tmp_path / "relay.log")
    fuse = tmp_path / "fuse"
    fuse.write_text(str(relay.proc.pid))
    try:
        # the agent cuts the link by ending a host process (the relay): only an unisolated
        # sandbox lets an agent reach one, and it is someone else's code, never trusted
        args = run_args(
            data_dir, tmp_path, "server-lost", "seed=0,1", "agent.module=cutting_agent",
            f"+agent.env.PYTHONPATH={agent_dir}", f"+agent.env.CUT_FUSE={fuse}",
            "sandbox=local-unisolated",
        )  # fmt: skip
        done = mle_track(["run", "-m", *args[1:]], tmp_path, relay_uri)
    finally:
        relay.stop()
    output = done.stdout + done.stderr
    assert not fuse.exists(), f"the agent never cut the link:\n{output}"

    # both attempts ran and are kept, unsynced, with what sync needs
    records = {
        r["tags"]["seed"]: r
        for r in (json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*/attempt.json"))
    }
    assert sorted(records) == ["0", "1"], output
    for record in records.values():
        assert record["synced"] is False
        assert record["status"] == "completed", record["reason"]
        assert record["experiment"] == "server-lost"
        run_dir = Path(record["run_dir"])
        for name in EXPECTED_ARTIFACTS:
            assert (run_dir / name).is_file(), name
    assert "mle-track sync" in output
    # seed 0 opened its run before the cut; seed 1 started with the server gone
    assert records["0"]["mlflow_run_id"] is not None
    assert records["1"]["mlflow_run_id"] is None
    experiment, attempts, _ = child_runs(tracking_server, "server-lost")
    assert [r.info.status for r in attempts] == ["RUNNING"]

    from mle_track.cli import main as cli

    sync = ["sync", str(tmp_path / "runs"), "--tracking-uri", tracking_server.uri]
    assert cli(sync) == 0
    assert "uploaded 2, already synced 0, failed 0" in capsys.readouterr().out
    experiment, attempts, _ = child_runs(tracking_server, "server-lost")
    assert len(attempts) == 2
    by_seed = {r.data.tags["seed"]: r for r in attempts}
    assert by_seed["0"].info.run_id == records["0"]["mlflow_run_id"]  # completed, not duplicated
    for run in attempts:
        assert_run_stored(postgres, s3, experiment.experiment_id, run)
    synced = [json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*/attempt.json")]
    assert all(r["synced"] for r in synced)

    assert cli(sync) == 0
    assert "uploaded 0, already synced 2, failed 0" in capsys.readouterr().out
    assert len(child_runs(tracking_server, "server-lost")[1]) == 2


def option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_compose_stack_matches_the_tested_server() -> None:
    """docker/compose.yaml cannot run here: check its shape against the server tested above."""
    from tests.servers import server_command

    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert {"postgres", "minio", "create-bucket", "mlflow"} <= set(services)
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
        if service.get("restart") != "no":
            assert "healthcheck" in service, f"{name} has no healthcheck"
    mlflow = services["mlflow"]
    command = [str(word) for word in mlflow["command"]]
    assert command[:2] == ["mlflow", "server"]
    assert option(command, "--backend-store-uri").startswith("postgresql+psycopg2://")
    assert option(command, "--artifacts-destination").startswith("s3://")
    assert "--serve-artifacts" in command and "--default-artifact-root" not in command
    assert mlflow["depends_on"]["create-bucket"]["condition"] == "service_completed_successfully"
    assert mlflow["depends_on"]["postgres"]["condition"] == "service_healthy"
    # the tests run the same kind of server: same options, loopback instead of a network
    tested = server_command("postgresql+psycopg2://db", "s3://bucket/artifacts", 5000)
    tested_flags = {w for w in tested if w.startswith("--")} - {"--workers"}
    assert tested_flags <= {w for w in command if w.startswith("--")}


def test_compose_bucket_creation_is_idempotent(s3: S3) -> None:
    """The compose stack's one-shot ``create-bucket`` script, against the S3 the tests use."""
    from tests.servers import S3_KEYS

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        **S3_KEYS,
        "AWS_DEFAULT_REGION": "us-east-1",
        "MLFLOW_S3_ENDPOINT_URL": s3.endpoint,
        "MLFLOW_BUCKET": "compose-bucket",
    }
    outputs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, str(CREATE_BUCKET)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "created" in outputs[0] and "exists" in outputs[1]
    buckets = s3.client().list_buckets()["Buckets"]  # type: ignore[attr-defined]
    assert "compose-bucket" in {b["Name"] for b in buckets}
