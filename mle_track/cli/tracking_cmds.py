"""Tracking commands: ``report``, ``register``, ``ui`` and ``sync``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mle_track.errors import MleTrackError


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="leaderboard of agent configurations")
    report.add_argument("--experiment", default=None, help="experiment name (default: all)")
    report.add_argument("--format", default="table", choices=["table", "markdown", "csv", "html"])
    report.add_argument("--output-dir", default=None, help="where plots and the table are saved")
    report.add_argument("--no-log", action="store_true", help="do not log the report to MLflow")
    _tracking_uri(report)
    report.set_defaults(handler=run_report)

    reg = subparsers.add_parser("register", help="register the best configuration as champion")
    reg.add_argument("--experiment", required=True)
    reg.add_argument("--name", default="mle-track-agent", help="registered model name")
    reg.add_argument(
        "--allow-unisolated",
        action="store_true",
        help="register the best configuration even if its agent ran unisolated "
        "(sandbox.isolation=none: it could have read the answers)",
    )
    _tracking_uri(reg)
    reg.set_defaults(handler=run_register)

    ui = subparsers.add_parser("ui", help="start the MLflow UI on 127.0.0.1 for this store")
    ui.add_argument("--port", type=int, default=5000)
    ui.add_argument("--dry-run", action="store_true", help="print the command and URL only")
    _tracking_uri(ui)
    ui.set_defaults(handler=run_ui)

    sync = subparsers.add_parser("sync", help="upload attempts whose tracking failed")
    sync.add_argument("runs_dir", nargs="?", default="runs", help="run directories (./runs)")
    _tracking_uri(sync)
    sync.set_defaults(handler=run_sync)


def _tracking_uri(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tracking-uri",
        default=None,
        help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or sqlite in ./mlruns)",
    )


def _check_local_db(uri: str) -> None:
    if uri.startswith("sqlite:///"):
        db = Path(uri.removeprefix("sqlite:///"))
        if not db.is_file():
            raise MleTrackError(f"no tracking store at {db}: run some attempts first")


def _client(args: argparse.Namespace) -> tuple[Any, Any]:
    from mle_track.tracking.store import client_for, resolve_store

    store = resolve_store(args.tracking_uri)
    _check_local_db(store.tracking_uri)
    return store, client_for(store)


def _unknown_experiment(name: str, names: list[str]) -> None:
    from mle_track.errors import UnknownNameError
    from mle_track.registry import suggest

    raise UnknownNameError("experiment", name, suggest(name, names), names)


def _experiment_ids(client: Any, name: str | None) -> list[str]:
    if name is None:
        return [e.experiment_id for e in client.search_experiments()]
    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        _unknown_experiment(name, [e.name for e in client.search_experiments()])
    return [experiment.experiment_id]


def load_attempts(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The experiment's attempts as a table: straight from the database for SQL stores (fast,
    no MLflow import), through the client for remote servers."""
    from mle_track.tracking.sql_queries import (
        attempts_frame_sql,
        engine_for,
        experiment_ids,
        experiment_names,
        is_sql_uri,
    )
    from mle_track.tracking.store import resolve_store

    store = resolve_store(args.tracking_uri)
    if is_sql_uri(store.tracking_uri):
        _check_local_db(store.tracking_uri)
        engine = engine_for(store.tracking_uri)
        ids = experiment_ids(engine, args.experiment)
        if args.experiment and not ids:
            _unknown_experiment(args.experiment, experiment_names(engine))
        return attempts_frame_sql(engine, ids), ids
    from mle_track.tracking.queries import attempts_frame

    _, client = _client(args)
    ids = _experiment_ids(client, args.experiment)
    return attempts_frame(client, ids), ids


def run_report(args: argparse.Namespace) -> int:
    import time

    from mle_track.tracking.queries import configuration_summaries
    from mle_track.tracking.report import plot, render_table

    frame, ids = load_attempts(args)
    summaries = configuration_summaries(frame)
    if not summaries:
        raise MleTrackError("no finished attempts to report on")
    table = render_table(summaries, args.format)
    print(table, end="")
    out = Path(args.output_dir or "reports") / time.strftime("%Y%m%dT%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    suffix = {"table": "txt", "markdown": "md", "csv": "csv", "html": "html"}[args.format]
    (out / f"leaderboard.{suffix}").write_text(table)
    pictures = plot(summaries, frame, out)
    if not args.no_log and args.experiment:
        from mle_track.names import Tag

        _, client = _client(args)
        run = client.create_run(ids[0], run_name=f"report-{out.name}", tags={Tag.REPORT: "true"})
        client.log_artifacts(run.info.run_id, str(out))
        client.set_terminated(run.info.run_id, "FINISHED")
    saved = ", ".join(str(p) for p in [out / f"leaderboard.{suffix}", *pictures])
    print(f"saved {saved}", file=sys.stderr)
    return 0


def run_register(args: argparse.Namespace) -> int:
    from mle_track.tracking.champion import register_champion

    _, client = _client(args)
    (experiment_id,) = _experiment_ids(client, args.experiment)
    champion = register_champion(
        client, experiment_id, args.name, allow_unisolated=args.allow_unisolated
    )
    isolation = champion.summary.isolation or "unknown"
    print(
        f"registered {champion.label} as {champion.registered_model} version "
        f"{champion.version} (alias champion; LoggedModel {champion.model_id}; "
        f"isolation {isolation})"
    )
    return 0


def run_ui(args: argparse.Namespace) -> int:
    import subprocess

    from mle_track.tracking.store import resolve_store

    store = resolve_store(args.tracking_uri)
    if store.is_remote:
        print(f"the tracking server is already a UI: {store.tracking_uri}")
        return 0
    command = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", store.tracking_uri,
               "--host", "127.0.0.1", "--port", str(args.port)]  # fmt: skip
    if store.artifact_location:
        command += ["--default-artifact-root", store.artifact_location]
    print(f"MLflow UI: http://127.0.0.1:{args.port}  ({' '.join(command)})", flush=True)
    if args.dry_run:
        return 0
    return subprocess.call(command)


def run_sync(args: argparse.Namespace) -> int:
    from mle_track.tracking.store import client_for, resolve_store
    from mle_track.tracking.sync import sync_runs

    runs_dir = Path(args.runs_dir)
    if not runs_dir.is_dir():
        raise MleTrackError(f"no run directories at {runs_dir}")
    store = resolve_store(args.tracking_uri)
    result = sync_runs(client_for(store), store, runs_dir)
    for path, error in result.failed.items():
        print(f"failed: {path}: {error}", file=sys.stderr)
    counts = (len(result.uploaded), result.already, len(result.failed))
    print("uploaded {}, already synced {}, failed {}".format(*counts))
    if result.not_ended:
        print(
            f"left {result.not_ended} attempt(s) that never ended (still running, or killed: "
            "run their sweep again to redo them)"
        )
    return 1 if result.failed else 0
