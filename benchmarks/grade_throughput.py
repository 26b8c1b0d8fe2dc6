"""Grading throughput: median wall time and peak memory of grading 1,000,000-row submissions.

Two cases, as the issue defines them: binary AUROC with string ids in shuffled order, and RMSE.
Time is measured in-process after imports and covers reading both CSVs, validation, scoring and
medals (the answers cache is cleared before every repetition), and hashing the answers, which
grading compares with the sha256 recorded at prepare before every grade. It also reports that
hash alone and a grade with the parsed answers cached (the hash is then the only read of the
answers). Peak memory is the growth of the process's maximum resident set over its size after
imports, measured in a fresh subprocess per case. For comparison it also times a pandas +
scikit-learn read-and-grade path like MLE-bench's (``pd.read_csv(float_precision="round_trip")``,
sort by id, ``roc_auc_score`` / RMSE).

    .venv/bin/python benchmarks/grade_throughput.py [--rows 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

CASES = {
    "auroc": {"metric": "auroc", "direction": "higher"},
    "rmse": {"metric": "rmse", "direction": "lower"},
}


def make_case(root: Path, name: str, rows: int) -> tuple[Path, Path, Path]:
    """Write a competition folder, prepared answers and a shuffled submission for one case."""
    rng = np.random.default_rng(0)
    ids = np.char.add("id_", rng.permutation(rows * 3)[:rows].astype(str))
    if name == "auroc":
        truth = rng.integers(0, 2, rows)
        pred = np.clip(truth * 0.3 + rng.random(rows) * 0.7, 0, 1)
    else:
        truth = rng.normal(50, 10, rows)
        pred = truth + rng.normal(0, 3, rows)
    competitions = root / "competitions"
    folder = competitions / f"bench-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "id": folder.name,
        "name": folder.name,
        "version": 1,
        "metric": {"name": CASES[name]["metric"], "id_column": "id", "target_columns": ["y"]},
        "direction": CASES[name]["direction"],
        "answers": "private/test.csv",
        "sample_submission": "public/sample_submission.csv",
        "source": {"kind": "kaggle", "competition": folder.name},
        "leaderboard": {"source": "kaggle"},
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    scores = np.sort(rng.random(2000))
    scores = scores[::-1] if CASES[name]["direction"] == "higher" else scores
    pd.DataFrame({"score": scores}).to_csv(folder / "leaderboard.csv", index=False)
    private = root / "data" / folder.name / "prepared" / "private"
    private.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": ids, "y": truth}).to_csv(private / "test.csv", index=False)
    write_prepared_marker(folder, private.parent)
    order = rng.permutation(rows)
    submission = root / f"{name}_submission.csv"
    pd.DataFrame({"id": ids[order], "y": pred[order]}).to_csv(submission, index=False)
    return competitions, root / "data", submission


def write_prepared_marker(folder: Path, prepared: Path) -> None:
    """The marker prepare writes: grading reads the answers only after comparing their content
    with the sha256 it records."""
    from mle_track.competitions.spec import load_spec
    from mle_track.data.hashing import digest_tree
    from mle_track.data.marker import build_marker, write_marker

    spec = load_spec(folder / "config.yaml")
    marker = build_marker(spec, verified=False, source={}, tree=digest_tree(prepared))
    write_marker(prepared, marker)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_child(name: str, competitions: Path, data: Path, submission: Path, repeat: int) -> dict:
    """Runs inside a fresh interpreter: imports, then grades ``repeat`` times."""
    os.environ["MLE_TRACK_COMPETITIONS_DIR"] = str(competitions)
    from mle_track.competitions import Catalog
    from mle_track.grading import grade_submission
    from mle_track.grading import grader as grader_module

    spec = Catalog().get(f"bench-{name}")
    baseline = rss_mb()
    times = []
    report = None
    for _ in range(repeat):
        grader_module._REFERENCE_CACHE.clear()
        start = time.perf_counter()
        report = grade_submission(spec, submission, data)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report is not None and report.valid_submission, report
    from mle_track.data.layout import CompetitionPaths
    from mle_track.data.verify import recorded_digests, recorded_file

    paths = CompetitionPaths(data, spec.id)
    answers = recorded_file(paths, spec.answers, recorded_digests(paths))
    hashes, cached = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        answers.verify()
        hashes.append(time.perf_counter() - start)
        start = time.perf_counter()
        grade_submission(spec, submission, data)
        cached.append(time.perf_counter() - start)
    return {
        "case": name,
        "median_s": statistics.median(times),
        "times_s": [round(t, 3) for t in times],
        "peak_mb_above_baseline": peak - baseline,
        "score": report.score,
        "answers_mb": answers.path.stat().st_size / 2**20,
        "hash_s": statistics.median(hashes),
        "cached_s": statistics.median(cached),
    }


def mle_bench_style(name: str, data: Path, submission: Path, repeat: int) -> float:
    """Median time of a pandas + scikit-learn read-and-grade path like MLE-bench's."""
    from sklearn.metrics import roc_auc_score, root_mean_squared_error

    answers_path = data / f"bench-{name}" / "prepared" / "private" / "test.csv"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        sub = pd.read_csv(submission, float_precision="round_trip")
        ans = pd.read_csv(answers_path, float_precision="round_trip")
        sub, ans = sub.sort_values("id"), ans.sort_values("id")
        assert (sub["id"].values == ans["id"].values).all()
        if name == "auroc":
            roc_auc_score(ans["y"], sub["y"])
        else:
            root_mean_squared_error(ans["y"], sub["y"])
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, competitions, data, submission = args.child
        result = run_child(name, Path(competitions), Path(data), Path(submission), args.repeat)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="mle-track-bench-") as tmp:
        for name in CASES:
            competitions, data, submission = make_case(Path(tmp), name, args.rows)
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--repeat",
                    str(args.repeat),
                    "--child",
                    name,
                    str(competitions),
                    str(data),
                    str(submission),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            reference = mle_bench_style(name, data, submission, args.repeat)
            print(
                f"{name:<6} rows={args.rows:,}  median {result['median_s']:.3f} s "
                f"(runs {result['times_s']})  peak +{result['peak_mb_above_baseline']:.0f} MB  "
                f"score {result['score']}  | pandas+sklearn path median {reference:.3f} s"
            )
            print(
                f"       answers {result['answers_mb']:.1f} MB: sha256 check "
                f"{result['hash_s'] * 1000:.0f} ms, grade with answers cached (check included) "
                f"{result['cached_s']:.3f} s"
            )


if __name__ == "__main__":
    main()
