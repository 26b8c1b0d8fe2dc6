"""Reading attempts straight from an SQL tracking store, for reports over many runs.

``MlflowClient.search_runs`` builds a full Run object (every param, metric and tag) per run, which
costs about a millisecond each: ten thousand runs take most of the ten seconds a report may use.
The report needs a dozen tags and metrics per run, so for a database store (SQLite, PostgreSQL)
it reads exactly those from MLflow's ``runs``, ``tags`` and ``latest_metrics`` tables in three
queries, without importing MLflow at all. Remote ``http(s)`` stores, or any error here, fall back
to the client (see :func:`mle_track.tracking.queries.attempts_frame`); a test checks that both
paths return the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from mle_track.names import Tag
from mle_track.tracking.queries import COLUMNS_FROM_TAGS, FRAME_COLUMNS, METRIC_COLUMNS, normalise


def is_sql_uri(uri: str) -> bool:
    return uri.split(":", 1)[0].split("+", 1)[0] in {"sqlite", "postgresql", "mysql", "mssql"}


def engine_for(uri: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(uri)


def experiment_ids(engine: Any, name: str | None) -> list[str]:
    from sqlalchemy import text

    query = "SELECT experiment_id, name FROM experiments WHERE lifecycle_stage = 'active'"
    with engine.connect() as connection:
        rows = connection.execute(text(query)).all()
    return [str(r[0]) for r in rows if name is None or r[1] == name]


def experiment_names(engine: Any) -> list[str]:
    from sqlalchemy import text

    query = "SELECT name FROM experiments WHERE lifecycle_stage = 'active'"
    with engine.connect() as connection:
        return [str(r[0]) for r in connection.execute(text(query)).all()]


def attempts_frame_sql(engine: Any, ids: Sequence[str]) -> pd.DataFrame:
    from sqlalchemy import bindparam, text

    if not ids:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    runs_q = text(
        "SELECT r.run_uuid AS run_id, r.status, r.start_time, r.end_time FROM runs r "
        "JOIN tags t ON t.run_uuid = r.run_uuid AND t.key = :attempt_key AND t.value != '' "
        "WHERE r.experiment_id IN :ids AND r.lifecycle_stage = 'active'"
    ).bindparams(bindparam("ids", expanding=True))
    tags_q = text(
        "SELECT t.run_uuid AS run_id, t.key, t.value FROM tags t "
        "JOIN runs r ON r.run_uuid = t.run_uuid "
        "WHERE r.experiment_id IN :ids AND t.key IN :keys"
    ).bindparams(bindparam("ids", expanding=True), bindparam("keys", expanding=True))
    metrics_q = text(
        "SELECT m.run_uuid AS run_id, m.key, m.value FROM latest_metrics m "
        "JOIN runs r ON r.run_uuid = m.run_uuid "
        "WHERE r.experiment_id IN :ids AND m.key IN :keys"
    ).bindparams(bindparam("ids", expanding=True), bindparam("keys", expanding=True))
    int_ids = [int(i) for i in ids]
    tag_keys = list(set(COLUMNS_FROM_TAGS.values()))
    metric_keys = list(METRIC_COLUMNS)
    with engine.connect() as connection:
        runs = _frame(connection.execute(runs_q, {"ids": int_ids, "attempt_key": Tag.ATTEMPT_KEY}))
        tags = _frame(connection.execute(tags_q, {"ids": int_ids, "keys": tag_keys}))
        metrics = _frame(connection.execute(metrics_q, {"ids": int_ids, "keys": metric_keys}))
    tag_wide = tags.pivot_table(index="run_id", columns="key", values="value", aggfunc="last")
    metric_wide = metrics.pivot_table(index="run_id", columns="key", values="value", aggfunc="last")
    frame = runs.set_index("run_id")
    for column, tag in COLUMNS_FROM_TAGS.items():
        frame[column] = tag_wide[tag] if tag in tag_wide.columns else None
    for name in METRIC_COLUMNS:
        frame[name] = metric_wide[name] if name in metric_wide.columns else None
    frame = frame.reset_index()[FRAME_COLUMNS]
    for column in COLUMNS_FROM_TAGS:  # missing tags are None, as the client path gives them
        values = frame[column].astype(object)
        frame[column] = values.mask(values.isna(), None)
    return normalise(frame)


def _frame(result: Any) -> pd.DataFrame:
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
