"""Where runs are stored, and creating the store before any parallel job touches it.

Default: SQLite at ``<cwd>/mlruns/mlflow.db`` with artifacts in ``<cwd>/mlruns/artifacts`` (both
absolute; MLflow ≥ 3.13 refuses the old ``./mlruns`` file store). A fresh SQLite database used
concurrently for the first time races in its schema migrations, so every process makes its first
use of a SQLite store, and creates experiments, under a file lock beside the database (two sweeps
started a second apart into a new store both find it whole). A remote server is any
``http(s)://`` URI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlflow import MlflowClient

ENV_TRACKING_URI = "MLFLOW_TRACKING_URI"


@dataclass(frozen=True)
class Store:
    tracking_uri: str
    #: where new experiments put artifacts; None lets the server decide (remote stores)
    artifact_location: str | None

    @property
    def is_remote(self) -> bool:
        return self.tracking_uri.startswith(("http://", "https://"))

    @property
    def sqlite_path(self) -> Path | None:
        if not self.tracking_uri.startswith("sqlite:///"):
            return None
        return Path(self.tracking_uri.removeprefix("sqlite:///"))

    @property
    def lock_path(self) -> Path | None:
        """The file lock of a single-machine store (SQLite): creation and claims take it."""
        db = self.sqlite_path
        return db.with_name(db.name + ".lock") if db is not None else None


def local_store(root: Path | None = None) -> Store:
    base = (root or Path.cwd() / "mlruns").resolve()
    return Store(f"sqlite:///{base / 'mlflow.db'}", (base / "artifacts").as_uri())


def resolve_store(tracking_uri: str | None = None, root: Path | None = None) -> Store:
    """Explicit URI > ``$MLFLOW_TRACKING_URI`` > the local SQLite store under ``root``."""
    uri = tracking_uri or os.environ.get(ENV_TRACKING_URI)
    if not uri:
        return local_store(root)
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///"))
        return Store(uri, (db.parent / "artifacts").as_uri())
    return Store(uri, None)


#: MLflow retries an unreachable server for about four minutes per request by default; an
#: attempt should fail over to its local record within seconds instead
REMOTE_MAX_RETRIES = "3"


def client_for(store: Store) -> MlflowClient:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    if store.is_remote:
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", REMOTE_MAX_RETRIES)

    lock = store.lock_path
    if lock is None:
        return _client(store)
    from filelock import FileLock

    lock.parent.mkdir(parents=True, exist_ok=True)
    # a fresh SQLite database is created by its first use (tracking and registry stores both
    # migrate it), and two processes doing that at once race in MLflow's schema migrations:
    # making the client and its first use happen under the lock
    with FileLock(str(lock)):
        client = _client(store)
        client.search_experiments(max_results=1)
        client.search_registered_models(max_results=1)
    return client


def _client(store: Store) -> MlflowClient:
    from mlflow import MlflowClient

    # the registry must live in the same store: by default it follows the *global* URI
    return MlflowClient(tracking_uri=store.tracking_uri, registry_uri=store.tracking_uri)


def ensure_experiment(client: MlflowClient, name: str, store: Store) -> str:
    """The experiment's id, creating it (with our artifact location) when it does not exist."""
    lock = store.lock_path
    if lock is None:
        return _ensure_experiment(client, name, store)
    from filelock import FileLock

    with FileLock(str(lock)):
        return _ensure_experiment(client, name, store)


def _ensure_experiment(client: MlflowClient, name: str, store: Store) -> str:
    existing = client.get_experiment_by_name(name)
    if existing is not None:
        if existing.lifecycle_stage == "deleted":
            client.restore_experiment(existing.experiment_id)
        return str(existing.experiment_id)
    try:
        return str(client.create_experiment(name, artifact_location=store.artifact_location))
    except Exception:
        # another process created it between our lookup and create
        again = client.get_experiment_by_name(name)
        if again is None:
            raise
        return str(again.experiment_id)
