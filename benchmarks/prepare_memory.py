"""Peak memory and time of ``mle-track prepare`` for the largest tabular medium competitions, on
synthetic raw files of the real row counts.

Every ``prepare`` must stay under 4 GB of peak memory at real scale (the tables are read in
chunks). The competitions' ``synthetic.py`` files make a few hundred rows for the tests; here
each of the three largest tabular ones gets raw files of Kaggle's real counts (written in
chunks, random values in the real columns and id formats), then ``mle-track prepare --raw-dir …
--no-verify`` runs in a process of its own whose peak RSS (``getrusage``'s ``ru_maxrss``: what
``/usr/bin/time -v`` calls "Maximum resident set size") and wall time are printed.

    .venv/bin/python benchmarks/prepare_memory.py                       # the three, real scale
    .venv/bin/python benchmarks/prepare_memory.py --only ventilator-pressure-prediction

It needs about 12 GB of free disk in the temporary folder (h-and-m's transactions are 3.5 GB).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

LIMIT_GB = 4.0
CHUNK = 2_000_000
#: the CLI's prepare in this process, then its own peak RSS (KB) on the last line
PREPARE = """
import resource, sys
from mle_track.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def _write_chunks(path: Path, total: int, make: Callable[[int, int], pd.DataFrame]) -> None:
    """``make(start, size)`` for consecutive chunks, appended to one CSV."""
    with path.open("w", newline="") as out:
        for start in range(0, total, CHUNK):
            make(start, min(CHUNK, total - start)).to_csv(out, index=False, header=start == 0)


def ventilator(raw: Path, rng: np.random.Generator) -> str:
    """Kaggle's train.csv: 75,450 breaths of 80 steps (6,036,000 rows)."""
    breaths, steps = 75_450, 80
    total = breaths * steps

    def make(start: int, size: int) -> pd.DataFrame:
        rows = np.arange(start, start + size)
        return pd.DataFrame(
            {
                "id": rows + 1,
                "breath_id": rows // steps + 1,
                "R": rng.choice([5, 20, 50], size),
                "C": rng.choice([10, 20, 50], size),
                "time_step": (rows % steps) * 0.0335 + rng.random(size) * 1e-3,
                "u_in": rng.random(size) * 100,
                "u_out": (rows % steps >= 30).astype(int),
                "pressure": rng.random(size) * 60,
            }
        )

    _write_chunks(raw / "train.csv", total, make)
    return f"{total:,} rows"


def champs(raw: Path, rng: np.random.Generator) -> str:
    """Kaggle's train.csv (4,658,147 couplings of 85,003 molecules), structures.csv and the other
    per-molecule tables (2,358,657 atoms of 130,775 molecules), one .xyz file per molecule."""
    n_train, n_test = 85_003, 45_772
    names = np.array([f"dsgdb9nsd_{i:06d}" for i in range(1, n_train + n_test + 1)])
    train_names = names[rng.permutation(len(names))[:n_train]]
    per = rng.integers(29, 81, n_train)
    molecules = np.repeat(train_names, per)
    total = len(molecules)
    types = np.array(["1JHC", "1JHN", "2JHC", "2JHH", "2JHN", "3JHC", "3JHH", "3JHN"])
    couplings = pd.DataFrame(
        {
            "id": np.arange(total),
            "molecule_name": molecules,
            "atom_index_0": rng.integers(0, 29, total),
            "atom_index_1": rng.integers(0, 29, total),
            "type": rng.choice(types, total),
            "scalar_coupling_constant": rng.normal(0, 30, total),
        }
    )
    couplings.to_csv(raw / "train.csv", index=False)
    contributions = couplings[["molecule_name", "atom_index_0", "atom_index_1", "type"]]
    contributions = contributions.assign(
        fc=rng.normal(0, 30, total), sd=rng.normal(size=total),
        pso=rng.normal(size=total), dso=rng.normal(size=total),
    )  # fmt: skip
    contributions.to_csv(raw / "scalar_coupling_contributions.csv", index=False)
    del couplings, contributions
    atoms = rng.integers(10, 27, len(names))
    atom_molecule = np.repeat(names, atoms)
    index = np.concatenate([np.arange(k) for k in atoms])
    n_atoms = len(atom_molecule)
    base = {"molecule_name": atom_molecule, "atom_index": index}
    xyz = {c: rng.normal(size=n_atoms) for c in "xyz"}
    atom_kind = rng.choice(["H", "C", "N", "O", "F"], n_atoms)
    pd.DataFrame({**base, "atom": atom_kind, **xyz}).to_csv(raw / "structures.csv", index=False)
    tensor = {
        c: rng.normal(size=n_atoms) * 100
        for c in (["XX", "YX", "ZX", "XY", "YY", "ZY", "XZ", "YZ", "ZZ"])
    }
    pd.DataFrame({**base, **tensor}).to_csv(raw / "magnetic_shielding_tensors.csv", index=False)
    charges = {"mulliken_charge": rng.normal(size=n_atoms)}
    pd.DataFrame({**base, **charges}).to_csv(raw / "mulliken_charges.csv", index=False)
    moments = {c: rng.normal(size=len(names)) for c in "XYZ"}
    pd.DataFrame({"molecule_name": names, **moments}).to_csv(
        raw / "dipole_moments.csv", index=False
    )
    energy = {"potential_energy": rng.normal(-400, 20, len(names))}
    pd.DataFrame({"molecule_name": names, **energy}).to_csv(
        raw / "potential_energy.csv", index=False
    )
    (raw / "structures").mkdir()
    for name in names:
        (raw / "structures" / f"{name}.xyz").write_text("1\n\nC 0.0 0.0 0.0\n")
    return f"{total:,} couplings, {n_atoms:,} atoms, {len(names):,} .xyz files"


def h_and_m(raw: Path, rng: np.random.Generator) -> str:
    """Kaggle's transactions_train.csv (31,788,324 purchases of 1,371,980 customers over 105,542
    articles, 2018-09-20 to 2020-09-22, in date order), customers.csv, articles.csv, the sample
    submission and a few images."""
    n_rows, n_customers, n_articles = 31_788_324, 1_371_980, 105_542
    customers = np.array([f"{value:064x}" for value in rng.integers(0, 2**62, n_customers)])
    articles = rng.choice(np.arange(108_775_015, 959_461_001), n_articles, replace=False)
    days = pd.date_range("2018-09-20", "2020-09-22", freq="D").strftime("%Y-%m-%d").to_numpy()
    day_of_row = np.sort(rng.integers(0, len(days), n_rows))
    day_of_row[-1] = len(days) - 1

    def make(start: int, size: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "t_dat": days[day_of_row[start : start + size]],
                "customer_id": customers[rng.integers(0, n_customers, size)],
                "article_id": ["0" + str(a) for a in rng.choice(articles, size)],
                "price": np.round(rng.random(size) / 10, 6),
                "sales_channel_id": rng.integers(1, 3, size),
            }
        )

    _write_chunks(raw / "transactions_train.csv", n_rows, make)
    pd.DataFrame({"customer_id": customers, "age": rng.integers(16, 90, n_customers)}).to_csv(
        raw / "customers.csv", index=False
    )
    padded = ["0" + str(a) for a in articles]
    pd.DataFrame({"article_id": padded, "prod_name": "item"}).to_csv(
        raw / "articles.csv", index=False
    )
    popular = " ".join(padded[:12])
    pd.DataFrame({"customer_id": customers, "prediction": popular}).to_csv(
        raw / "sample_submission.csv", index=False
    )
    for article in padded[:100]:
        folder = raw / "images" / article[:3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{article}.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    return f"{n_rows:,} transactions, {n_customers:,} customers"


GENERATORS: dict[str, Callable[[Path, np.random.Generator], str]] = {
    "ventilator-pressure-prediction": ventilator,
    "champs-scalar-coupling": champs,
    "h-and-m-personalized-fashion-recommendations": h_and_m,
}


def measure(competition: str, work: Path) -> str:
    raw, data = work / "raw", work / "data"
    raw.mkdir(parents=True)
    started = time.monotonic()
    # the raw files are made in a child process of their own: a child's ru_maxrss counts what
    # its parent held when it was forked, so this process must stay small for the prepare's
    # figure to be the prepare's alone
    made = subprocess.run(
        [sys.executable, __file__, "--make-raw", competition, str(raw)],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = made.stdout.strip().splitlines()[-1]
    made_s = time.monotonic() - started
    raw_gb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / (1 << 30)
    argv = ["prepare", "-c", competition, "--raw-dir", str(raw), "--no-verify"]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, *argv, "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return f"{competition}: prepare failed (exit {done.returncode}): {done.stderr[-2000:]}"
    peak_gb = int(done.stdout.strip().splitlines()[-1]) / (1 << 20)
    verdict = "ok" if peak_gb <= LIMIT_GB else f"OVER the {LIMIT_GB:g} GB limit"
    return (
        f"{competition}: {rows} ({raw_gb:.2f} GB raw, made in {made_s:.0f} s); prepare "
        f"{seconds:.0f} s, peak RSS {peak_gb:.2f} GB: {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(GENERATORS))
    parser.add_argument("--tmp", type=Path, default=None, help="where the raw files are made")
    parser.add_argument("--make-raw", nargs=2, metavar=("ID", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_raw:
        competition, raw = args.make_raw
        print(GENERATORS[competition](Path(raw), np.random.default_rng(0)))
        return 0
    failed = False
    for competition in args.only or list(GENERATORS):
        with tempfile.TemporaryDirectory(prefix="mle-track-prepare-memory-", dir=args.tmp) as tmp:
            line = measure(competition, Path(tmp))
        print(line, flush=True)
        failed |= not line.endswith(": ok")
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    sys.exit(main())
