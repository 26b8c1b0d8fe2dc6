"""``mle-track run [-m] key=value …``: Hydra-composed, MLflow-tracked attempts and sweeps.

Everything after ``run`` is Hydra's command line, with one addition: ``suite=NAME`` expands to
the suite's competitions (``competition=a,b,c``) and makes the run a sweep, since one attempt is
one competition. After a sweep, the parent run is finished here whatever happened to the jobs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mle_track.errors import ConfigError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run tracked attempts (Hydra overrides: agent=… competition=… suite=… seed=…)",
        add_help=False,
    )
    parser.add_argument("overrides", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=run)


def expand_suite(overrides: list[str]) -> list[str]:
    """Replace ``suite=NAME`` by the suite's competitions, switching to multirun when needed."""
    from mle_track.competitions import Catalog

    suites = [o for o in overrides if o.startswith("suite=")]
    if not suites:
        return overrides
    if len(suites) > 1 or "," in suites[0]:
        raise ConfigError("give one suite per run (suite=NAME); sweep suites with separate runs")
    if any(o.startswith("competition=") for o in overrides):
        raise ConfigError("give either competition=… or suite=…, not both")
    catalog = Catalog()
    name = suites[0].split("=", 1)[1]
    suite = catalog.suite(name)
    missing = suite.missing(catalog)
    if missing:
        raise ConfigError(f"suite {name!r} lists undefined competitions: {', '.join(missing)}")
    out = [o for o in overrides if not o.startswith("suite=")]
    out += [f"suite={name}", "competition=" + ",".join(suite.competition_ids)]
    if len(suite.competition_ids) > 1 and not ({"-m", "--multirun"} & set(out)):
        out.insert(0, "--multirun")
    return out


def unique_output_dirs(overrides: list[str]) -> list[str]:
    """Give this run its own Hydra output folders unless the user chose them.

    Hydra names them by the second the run started, so two sweeps started in the same second
    would share a sweep folder — and with it the parent-run file and the jobs' notes, losing one
    sweep's parent. A short random suffix, fixed here once, keeps them apart (launcher workers
    receive the folder as a plain value, never re-resolved)."""
    import uuid
    from datetime import datetime

    stamp = f"{datetime.now():%Y-%m-%d}/{datetime.now():%H-%M-%S}-{uuid.uuid4().hex[:6]}"
    out = list(overrides)
    if not any(o.startswith("hydra.sweep.dir=") for o in out):
        out.append(f"hydra.sweep.dir=multirun/{stamp}")
    if not any(o.startswith("hydra.run.dir=") for o in out):
        out.append(f"hydra.run.dir=outputs/{stamp}")
    return out


def run(args: argparse.Namespace) -> int:
    import logging

    from mle_track.app import callbacks

    if args.overrides[:1] in (["-h"], ["--help"]):
        print(__doc__)
    overrides = unique_output_dirs(expand_suite(list(args.overrides)))
    logging.getLogger("mle_track").setLevel(logging.INFO)
    saved = sys.argv
    sys.argv = ["mle-track-run", *overrides]
    from mle_track.app import job

    started = len(callbacks.STARTED_SWEEPS)
    jobs_before = len(job.JOB_STATUSES)
    try:
        from mle_track.app.main import main

        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            return int(exc.code) if isinstance(exc.code, int) else 1
    finally:
        sys.argv = saved
        for sweep_dir in callbacks.STARTED_SWEEPS[started:]:
            _finish(sweep_dir)
    sweeps = callbacks.STARTED_SWEEPS[started:]
    statuses = _sweep_statuses(sweeps) if sweeps else job.JOB_STATUSES[jobs_before:]
    return _exit_code(statuses)


def _sweep_statuses(sweeps: list[Path]) -> list[str]:
    """How every job of the sweeps ended, from their notes (jobs may run in other processes)."""
    from mle_track.tracking.sweep import job_notes

    return [note.status for sweep_dir in sweeps for note in job_notes(sweep_dir)]


def _exit_code(statuses: list[str]) -> int:
    """Non-zero when any attempt could not be carried out by the harness (the agent's own
    failures are results, not errors of the run)."""
    from mle_track.names import AttemptStatus

    errors = sum(s in (AttemptStatus.ERROR, AttemptStatus.INTERRUPTED) for s in statuses)
    if not errors:
        return 0
    print(
        f"mle-track: {errors} of {len(statuses)} attempt(s) could not run (harness errors; "
        "see the log lines above)",
        file=sys.stderr,
    )
    return 1


def _finish(sweep_dir: Path) -> None:
    from mle_track.app.callbacks import finish_sweep
    from mle_track.tracking.report import render_table

    try:
        result = finish_sweep(sweep_dir)
    except Exception as exc:
        print(f"mle-track: could not finish the sweep's parent run: {exc}", file=sys.stderr)
        return
    if result is not None:
        print(render_table(result["summaries"], "table"))
