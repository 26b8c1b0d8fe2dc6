"""Where runs are stored, and creating the store before any parallel job touches it.

Default: SQLite at ``<cwd>/mlruns/mlflow.db`` with artifacts in ``<cwd>/mlruns/artifacts`` (both
absolute; MLflow ≥ 3.13 refuses the old ``./mlruns`` file store). A fresh SQLite database used
concurrently for the first time races in its schema migrations, so the parent process creates it
and the experiment before launching jobs. A remote server is any ``http(s)://`` URI.
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
    from mlflow import MlflowClient

    if store.tracking_uri.startswith("sqlite:///"):
        Path(store.tracking_uri.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    # the registry must live in the same store: by default it follows the *global* URI
    return MlflowClient(tracking_uri=store.tracking_uri, registry_uri=store.tracking_uri)


def ensure_experiment(client: MlflowClient, name: str, store: Store) -> str:
    """The experiment's id, creating it (with our artifact location) when it does not exist."""
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
