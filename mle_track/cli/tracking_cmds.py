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


def _client(args: argparse.Namespace) -> tuple[Any, Any]:
    from mle_track.tracking.store import client_for, resolve_store

    store = resolve_store(args.tracking_uri)
    if store.tracking_uri.startswith("sqlite:///"):
        db = Path(store.tracking_uri.removeprefix("sqlite:///"))
        if not db.is_file():
            raise MleTrackError(f"no tracking store at {db}: run some attempts first")
    return store, client_for(store)


def _experiment_ids(client: Any, name: str | None) -> list[str]:
    if name is None:
        return [e.experiment_id for e in client.search_experiments()]
    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        from mle_track.errors import UnknownNameError
        from mle_track.registry import suggest

        names = [e.name for e in client.search_experiments()]
        raise UnknownNameError("experiment", name, suggest(name, names), names)
    return [experiment.experiment_id]


def run_report(args: argparse.Namespace) -> int:
    import time

    from mle_track.tracking.queries import attempts_frame, configuration_summaries
    from mle_track.tracking.report import plot, render_table

    _, client = _client(args)
    ids = _experiment_ids(client, args.experiment)
    frame = attempts_frame(client, ids)
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
        run = client.create_run(ids[0], run_name=f"report-{out.name}", tags={"report": "true"})
        client.log_artifacts(run.info.run_id, str(out))
        client.set_terminated(run.info.run_id, "FINISHED")
    print(
        f"saved {', '.join(str(p) for p in [out / f'leaderboard.{suffix}', *pictures])}",
        file=sys.stderr,
    )
    return 0


def run_register(args: argparse.Namespace) -> int:
    from mle_track.tracking.champion import register_champion

    _, client = _client(args)
    (experiment_id,) = _experiment_ids(client, args.experiment)
    champion = register_champion(client, experiment_id, args.name)
    print(
        f"registered {champion.label} as {champion.registered_model} version "
        f"{champion.version} (alias champion; LoggedModel {champion.model_id})"
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
    return 1 if result.failed else 0
