"""Registering the best agent configuration as the ``champion`` in the MLflow model registry.

An agent configuration is not a trained model, so no pickled model is logged: the configuration
becomes an *external* LoggedModel whose params are the flattened configuration and whose
metrics are its aggregates; a model version points at it and the ``champion`` alias moves to the
newest winner. Best = highest any-medal rate, ties broken by mean normalised score.

A champion whose attempts ran unisolated (``sandbox.isolation=none``, or not recorded) is
refused unless the caller allows it: its agent could have read the answers, so its medals prove
nothing about the agent. The isolation is a tag of the model version either way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mle_track.errors import MleTrackError
from mle_track.names import PARAM_PREFIXES, Tag
from mle_track.tracking.queries import (
    Summary,
    attempt_rows,
    attempts_frame,
    configuration_summaries,
    is_isolated,
    label,
)
from mle_track.tracking.sweep import parent_metrics

if TYPE_CHECKING:
    from mlflow import MlflowClient

ALIAS = "champion"


class UnisolatedChampion(MleTrackError):
    """The best configuration ran unisolated and the caller did not allow registering it."""


@dataclass(frozen=True)
class Champion:
    registered_model: str
    version: str
    model_id: str
    label: str
    summary: Summary


def register_champion(
    client: MlflowClient, experiment_id: str, name: str, *, allow_unisolated: bool = False
) -> Champion:
    frame = attempts_frame(client, [experiment_id])
    summaries = configuration_summaries(frame)
    if not summaries:
        raise MleTrackError("no finished attempts in this experiment: nothing to register")
    best = summaries[0]
    if not is_isolated(best) and not allow_unisolated:
        how = f"isolation {best.isolation!r}" if best.isolation else "no recorded isolation"
        raise UnisolatedChampion(
            f"the best configuration, {label(best)}, ran with {how}: its agent could have read "
            "the answers; run it in an isolated sandbox, or pass --allow-unisolated to register "
            "it anyway"
        )
    isolation = best.isolation or "unknown"
    current = _current_champion(client, name)
    if current is not None and current.tags.get(Tag.CONFIG_HASH) == best.config_hash:
        model_id = current.tags.get(Tag.MODEL_ID, "")
        return Champion(name, str(current.version), model_id, label(best), best)
    rows = attempt_rows(frame, best)
    attempt_run = str(rows.sort_values("start_time").iloc[-1]["run_id"])
    params = client.get_run(attempt_run).data.params
    config = {k: v for k, v in params.items() if k.split(".")[0] in _CONFIG_ROOTS}
    metrics = {k.split(".", 1)[1]: v for k, v in parent_metrics([best]).items()}
    # a run of its own holds the registration, so attempt runs keep only attempt metrics
    run = client.create_run(
        experiment_id,
        run_name=f"champion-{best.config_hash}",
        tags={Tag.REGISTRATION: "champion", Tag.CONFIG_HASH: best.config_hash},
    )
    run_id = str(run.info.run_id)
    model = client.create_logged_model(
        experiment_id,
        name=f"{best.agent}-{best.config_hash}",
        source_run_id=run_id,
        params={**config, Tag.CONFIG_HASH: best.config_hash},
        tags={
            Tag.CONFIG_HASH: best.config_hash,
            Tag.AGENT: str(best.agent),
            Tag.ISOLATION: isolation,
        },
        model_type="agent-configuration",
    )
    for key, value in metrics.items():
        client.log_metric(run_id, key, value, model_id=model.model_id)
    client.log_text(run_id, json.dumps(best.to_dict(), indent=2, default=str), "summary.json")
    client.finalize_logged_model(model.model_id, "READY")
    client.set_terminated(run_id, "FINISHED")
    _ensure_registered(client, name)
    version = client.create_model_version(
        name,
        source=model.artifact_location,
        run_id=run_id,
        model_id=model.model_id,
        tags={
            Tag.CONFIG_HASH: best.config_hash,
            Tag.MODEL_ID: str(model.model_id),
            Tag.ISOLATION: isolation,
        },
        description=label(best),
    )
    client.set_registered_model_alias(name, ALIAS, str(version.version))
    return Champion(name, str(version.version), str(model.model_id), label(best), best)


_CONFIG_ROOTS = {prefix.rstrip(".") for prefix in PARAM_PREFIXES}


def _current_champion(client: MlflowClient, name: str) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        return client.get_model_version_by_alias(name, ALIAS)
    except MlflowException:
        return None


def _ensure_registered(client: MlflowClient, name: str) -> None:
    from mlflow.exceptions import MlflowException

    try:
        client.get_registered_model(name)
    except MlflowException:
        client.create_registered_model(
            name, description="Best agent configuration of mle-track sweeps (alias: champion)."
        )
