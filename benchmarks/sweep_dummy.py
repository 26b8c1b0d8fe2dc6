"""One Hydra sweep of the dummy agent over a whole suite of Kaggle competitions, on their
synthetic raw data: every attempt must grade a valid sample submission with no medal.

Each competition of the suite is prepared from its ``synthetic.make_raw`` output (``mle-track
prepare --raw-dir …`` into a fresh data root, verified against the checksums its first prepare
writes into a scratch copy of ``competitions/``: the committed ones are the real data's). Then
``mle-track run -m agent=dummy suite=NAME`` runs the sweep exactly as a user would (Hydra, the
default isolated sandbox, a local MLflow store in the work folder), and ``mle-track report`` is
read back. Prints the sweep's wall time, attempts per minute, and how many attempts were valid,
won a medal, or could not run (with the reasons). A competition whose public folder holds no
sample submission (billion-word-imputation: MLE-bench keeps it private) leaves the dummy
nothing to copy; it is reported as such and is the one invalid attempt allowed.

    .venv/bin/python benchmarks/sweep_dummy.py --suite all
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from mle_track import settings
from mle_track.agents.contract import find_sample_submission
from mle_track.competitions import Catalog
from mle_track.competitions.files import load_module


def scratch_competitions(work: Path) -> Path:
    """A copy of ``competitions/`` with no Kaggle competition's ``checksums.yaml``."""
    source = settings.competitions_dir()
    target = work / "competitions"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    for spec in Catalog(target).all():
        if spec.source.kind == "kaggle":
            (spec.folder / "checksums.yaml").unlink(missing_ok=True)
    return target


def prepare_all(ids: list[str], data: Path, work: Path, env: dict[str, str]) -> float:
    catalog, started = Catalog(Path(env[settings.ENV_COMPETITIONS_DIR])), time.monotonic()
    cli = str(Path(sys.executable).with_name("mle-track"))
    for competition in ids:
        raw = work / "raw" / competition
        raw.mkdir(parents=True)
        load_module(catalog.get(competition).folder, "synthetic").make_raw(
            raw, np.random.default_rng(0)
        )
        argv = [cli, "prepare", "-c", competition, "--raw-dir", str(raw)]
        subprocess.run([*argv, "--data-dir", str(data)], check=True, capture_output=True, env=env)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", default="all")
    args = parser.parse_args()
    ids = Catalog().suite(args.suite).available(Catalog())
    with tempfile.TemporaryDirectory(prefix="mle-track-sweep-dummy-") as tmp:
        work = Path(tmp)
        data = work / "data"
        env = {
            **os.environ,
            "MLE_TRACK_DATA_DIR": str(data),
            settings.ENV_COMPETITIONS_DIR: str(scratch_competitions(work)),
            "MLFLOW_DISABLE_TELEMETRY": "true",
        }
        prepared_s = prepare_all(ids, data, work, env)
        cli = str(Path(sys.executable).with_name("mle-track"))
        started = time.monotonic()
        run = subprocess.run(
            [cli, "run", "-m", "agent=dummy", f"suite={args.suite}", "seed=0"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
        sweep_s = time.monotonic() - started
        outcomes = attempt_outcomes(work / "mlruns" / "mlflow.db")
        public = {c: data / c / "prepared" / "public" for c in ids}
        unsampled = [c for c in ids if find_sample_submission(public[c]) is None]
        report = subprocess.run(
            [cli, "report", "--format", "csv", "--no-log"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )
    print(f"suite {args.suite}: {len(ids)} competitions prepared in {prepared_s:.0f} s")
    rate = len(ids) / sweep_s * 60
    print(f"sweep: exit {run.returncode} in {sweep_s:.0f} s ({rate:.1f} attempts/min)")
    valid = [c for c, (ok, _, _) in outcomes.items() if ok]
    medals = [c for c, (_, medal, _) in outcomes.items() if medal]
    print(
        f"attempts: {len(outcomes)} of {len(ids)}, valid {len(valid)}, with a medal {len(medals)}"
    )
    for competition, (ok, _, reason) in sorted(outcomes.items()):
        if not ok:
            why = " (no sample in public/, as in MLE-bench)" if competition in unsampled else ""
            print(f"  invalid: {competition}{why}: {reason[:200]}")
    missing = sorted(set(ids) - set(outcomes))
    if missing:
        print(f"  no attempt: {', '.join(missing)}")
    if run.returncode:
        print(run.stdout[-1500:] + run.stderr[-1500:])
    print(report.stdout[-2000:] or report.stderr[-1500:])
    expected_invalid = set(unsampled) & set(outcomes)
    good = not missing and set(valid) == set(ids) - expected_invalid and not medals
    return 0 if run.returncode == 0 and good else 1


def attempt_outcomes(database: Path) -> dict[str, tuple[bool, bool, str]]:
    """competition → (valid submission, any medal, invalid reason) of each attempt run."""
    import json

    from mlflow.tracking import MlflowClient

    from mle_track.attempt.stages import GRADING_REPORT
    from mle_track.names import Metric, Tag

    client = MlflowClient(f"sqlite:///{database}")
    found: dict[str, tuple[bool, bool, str]] = {}
    for experiment in client.search_experiments():
        for run in client.search_runs([experiment.experiment_id], max_results=5000):
            competition = run.data.tags.get(Tag.COMPETITION_ID)
            if competition is None or Metric.VALID_SUBMISSION not in run.data.metrics:
                continue
            valid = run.data.metrics[Metric.VALID_SUBMISSION] == 1
            medal = run.data.metrics.get(Metric.ANY_MEDAL, 0) == 1
            graded = Path(run.data.tags.get(Tag.RUN_DIR, "")) / GRADING_REPORT
            reason = (
                json.loads(graded.read_text()).get("invalid_reason") if graded.is_file() else ""
            )
            found[competition] = (valid, medal, reason)
    return found


if __name__ == "__main__":
    sys.exit(main())
