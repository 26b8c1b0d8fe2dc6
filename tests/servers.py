"""Real local services for integration tests: PostgreSQL, S3 (moto_server) and an MLflow server.

Each listens on 127.0.0.1 at a free port, is started once per test session and stopped at its
end, whatever happened. Nothing is mocked: the tracking server is ``mlflow server`` with a
``postgresql+psycopg2://`` backend store and proxied S3 artifacts, as in ``docker/compose.yaml``.

Use the fixtures from a test module with ``pytest_plugins = ["tests.servers"]``. When a service
cannot exist on this machine (no PostgreSQL binaries, no unprivileged user to run them as, no
psycopg2 or moto), the fixtures skip with the reason; ``.ci/setup_tracking_server.sh`` installs
what is missing in CI.

Why processes and not in-process helpers: moto's threaded server shares its state with any
``mock_aws`` in the test process, and MLflow's server spawns uvicorn workers, so every service
is its own process group that we can always kill whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
#: PostgreSQL refuses to run as root, so as root we run it as this user
POSTGRES_USER = "postgres"
DATABASE = "mlflow"
DB_ROLE = "mlflow"
BUCKET = "mle-track-artifacts"
#: credentials of moto's S3 (any value works); only the *server* gets them, never the clients
S3_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it, so parallel sessions differ)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """A started process group and its log; :meth:`stop` is idempotent."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    #: the signal that shuts the service down cleanly (PostgreSQL: SIGINT is "fast shutdown")
    stop_signal: int = signal.SIGTERM

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the whole process group (the service's own workers too), killing it if stuck."""
        if self.proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, self.stop_signal)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=timeout)
        # workers that outlived their parent (uvicorn's) share the group: leave none behind
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def start(
    name: str,
    command: list[str],
    log: Path,
    *,
    env: dict[str, str] | None = None,
    user: str | None = None,
    stop_signal: int = signal.SIGTERM,
) -> Service:
    """Start ``command`` in its own session (so its children can be killed with it)."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            user=user,
            start_new_session=True,
            preexec_fn=_die_with_parent(stop_signal),
        )
    return Service(name, proc, log, stop_signal)


def _die_with_parent(sig: int) -> Callable[[], None] | None:
    """Linux: the service gets ``sig`` if pytest is killed outright (no fixture teardown then).

    Runs in the child after its user switch, which would otherwise clear the setting.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def arm() -> None:
        libc.prctl(pr_set_pdeathsig, sig, 0, 0, 0)

    return arm


def wait_until(
    service: Service, ready: Callable[[], bool], timeout: float = START_TIMEOUT_S
) -> None:
    """Poll ``ready`` until it holds; fail with the service's log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not service.running:
            raise RuntimeError(
                f"{service.name} exited with {service.proc.returncode}:\n{service.log_tail()}"
            )
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    service.stop()
    raise RuntimeError(f"{service.name} not ready after {timeout:.0f} s:\n{service.log_tail()}")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return bool(response.status == 200)


# --------------------------------------------------------------------------- PostgreSQL


def postgres_bindir() -> Path | None:
    """The newest PostgreSQL server binaries (Debian keeps them off PATH, per major version)."""

    def version(path: Path) -> tuple[int, ...]:
        digits = path.parent.name.split(".")
        return tuple(int(d) for d in digits if d.isdigit())

    found = [
        p.parent
        for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
        if (p.parent / "postgres").is_file()
    ]
    if found:
        return found[-1]
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


@dataclass
class Postgres:
    service: Service
    port: int
    workdir: Path

    @property
    def url(self) -> str:
        """The SQLAlchemy URL MLflow takes (``psycopg2``, the driver installed with ``[dev]``)."""
        return f"postgresql+psycopg2://{DB_ROLE}@{HOST}:{self.port}/{DATABASE}"

    def connect(self, dbname: str = DATABASE) -> Any:
        """A psycopg2 connection as the cluster's superuser (for checks around MLflow)."""
        import psycopg2

        return psycopg2.connect(
            host=HOST, port=self.port, user=DB_ROLE, dbname=dbname, connect_timeout=5
        )

    def stop(self) -> None:
        self.service.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_postgres() -> Postgres:
    """A throw-away cluster: trust auth on 127.0.0.1 only, no fsync, database ``mlflow``.

    ``initdb`` and ``postgres`` refuse to run as root, so as root they run as the ``postgres``
    user in a directory it owns (pytest's own temp dirs are private to root). Raises
    :class:`pytest.skip.Exception` when this machine cannot run PostgreSQL at all.
    """
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): "
            "run `bash .ci/setup_tracking_server.sh` or `apt-get install postgresql`"
        )
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pytest.skip("psycopg2 is not installed: pip install -e '.[dev]'")
    user = None
    workdir = Path(tempfile.mkdtemp(prefix="mle-track-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(workdir, POSTGRES_USER, POSTGRES_USER)
        except (LookupError, OSError) as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            pytest.skip(f"running as root and cannot hand a data dir to {POSTGRES_USER!r}: {exc}")
        user = POSTGRES_USER
    data, log = workdir / "data", workdir / "postgres.log"
    init = subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", DB_ROLE, "--auth=trust",
         "--encoding=UTF8", "--no-sync"],
        capture_output=True, text=True, user=user, timeout=120, check=False,
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        raise RuntimeError(f"initdb failed ({init.returncode}):\n{init.stdout}\n{init.stderr}")
    port = free_port()
    command = [
        str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-h", HOST, "-k", "",
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
    ]  # fmt: skip
    # PostgreSQL's "fast shutdown" is SIGINT: it ends the sessions and exits at once
    service = start("postgres", command, log, user=user, stop_signal=signal.SIGINT)
    server = Postgres(service, port, workdir)

    def accepts() -> bool:
        server.connect("postgres").close()
        return True

    try:
        wait_until(service, accepts)
        conn = server.connect("postgres")
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
        conn.close()
    except BaseException:
        server.stop()
        raise
    return server


# --------------------------------------------------------------------------- S3 (moto)


@dataclass
class S3:
    service: Service
    endpoint: str
    bucket: str

    def client(self) -> object:
        """A boto3 S3 client for the test's own checks (the server's credentials)."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        )

    def keys(self, prefix: str = "") -> list[str]:
        """Every object key under ``prefix`` in the bucket."""
        client = self.client()
        paginator = client.get_paginator("list_objects_v2")  # type: ignore[attr-defined]
        return [
            item["Key"]
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix)
            for item in page.get("Contents", [])
        ]


def start_s3(workdir: Path) -> S3:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"moto[server] and boto3 are needed for the S3 store: {exc}")
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]
    service = start("moto_server", command, workdir / "moto.log")
    endpoint = f"http://{HOST}:{port}"
    s3 = S3(service, endpoint, BUCKET)
    try:
        wait_until(service, lambda: http_ok(f"{endpoint}/moto-api/"))
        s3.client().create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
    except BaseException:
        service.stop()
        raise
    return s3


# --------------------------------------------------------------------------- MLflow server


def server_command(backend_uri: str, artifacts_destination: str, port: int) -> list[str]:
    """``mlflow server`` as ``docker/compose.yaml`` runs it, on loopback with one worker."""
    return [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", backend_uri,
        "--artifacts-destination", artifacts_destination, "--serve-artifacts",
        "--host", HOST, "--port", str(port), "--workers", "1",
    ]  # fmt: skip


@dataclass
class TrackingServer:
    """``mlflow server`` on PostgreSQL with artifacts proxied to S3; restartable."""

    backend_uri: str
    s3: S3
    workdir: Path
    port: int = field(default_factory=free_port)
    service: Service | None = None

    @property
    def uri(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def artifacts_destination(self) -> str:
        return f"s3://{self.s3.bucket}/artifacts"

    def command(self) -> list[str]:
        return server_command(self.backend_uri, self.artifacts_destination, self.port)

    def environment(self) -> dict[str, str]:
        """The server alone talks to S3, so it alone gets the endpoint and the keys."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MLFLOW_"))}
        return {
            **env,
            **S3_KEYS,
            "AWS_DEFAULT_REGION": "us-east-1",
            "MLFLOW_S3_ENDPOINT_URL": self.s3.endpoint,
            "MLFLOW_DISABLE_TELEMETRY": "true",
            # the server's background job runner (scorers, trace archival) is not tested here
            # and costs seconds of start-up
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
        }

    def start(self) -> TrackingServer:
        if self.service is not None and self.service.running:
            return self
        log = self.workdir / f"mlflow-server-{self.port}.log"
        self.service = start("mlflow server", self.command(), log, env=self.environment())
        try:
            wait_until(self.service, lambda: http_ok(f"{self.uri}/health"))
        except BaseException:
            self.service.stop()
            raise
        return self

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop()

    @property
    def pid(self) -> int:
        assert self.service is not None, "not started"
        return self.service.proc.pid


# --------------------------------------------------------------------------- a cuttable link


def start_relay(target_port: int, log: Path) -> tuple[Service, str]:
    """A TCP relay to ``target_port``: the URI through it stops answering once it is killed.

    A test that needs the tracking server to vanish at one exact moment (after an attempt's run
    was opened, before its upload) hands the relay's pid to something that runs at that moment;
    killing it costs nothing, while restarting ``mlflow server`` costs seconds.
    """
    port = free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "relay", str(port), str(target_port)]
    service = start("relay", command, log)

    def listening() -> bool:
        socket.create_connection((HOST, port), timeout=1).close()
        return True

    wait_until(service, listening, timeout=20)
    return service, f"http://{HOST}:{port}"


def relay(listen_port: int, target_port: int) -> None:
    """Forward every connection on ``listen_port`` to ``target_port`` (both on 127.0.0.1)."""
    import threading

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    with socket.create_server((HOST, listen_port)) as server:
        while True:
            client, _ = server.accept()
            try:
                upstream = socket.create_connection((HOST, target_port), timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(a, b), daemon=True).start()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3]:
    server = start_s3(tmp_path_factory.mktemp("s3"))
    try:
        yield server
    finally:
        server.service.stop()


@pytest.fixture(scope="session")
def tracking_server(
    postgres: Postgres, s3: S3, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TrackingServer]:
    """A running MLflow server; a test that stops it must start it again (``.start()``)."""
    server = TrackingServer(postgres.url, s3, tmp_path_factory.mktemp("mlflow-server"))
    try:
        yield server.start()
    finally:
        server.stop()


if __name__ == "__main__" and sys.argv[1:2] == ["relay"]:
    relay(int(sys.argv[2]), int(sys.argv[3]))
