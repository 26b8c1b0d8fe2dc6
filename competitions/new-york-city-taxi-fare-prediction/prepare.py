"""New York City Taxi Fare Prediction: 9,914 rides of Kaggle's train.csv held out as test.

MLE-bench reads the whole ``train.csv`` (about 55 million rides) into pandas and calls
``train_test_split(test_size=9914, random_state=0)`` on it, then writes the new training set as
``labels.csv`` (that name is MLE-bench's) in the shuffled order the split returns. With pandas'
object strings that frame needs well over 20 GB, so we read the file with Arrow instead (text
columns as compact Arrow strings, numbers as the same correctly rounded doubles pandas'
round-trip parser gives) and split the *row positions*: scikit-learn's split depends only on
the number of rows, so positions give exactly the rows the frame would. The training set is
then written in chunks of the shuffled positions through pandas' own CSV writer, so every value
is formatted as MLE-bench writes it (byte-identical files). Measured on synthetic rides, the
peak is about 1.6 × the Arrow data, about 12 GB for the full file; writing ``labels.csv``
through pandas takes 15-20 minutes on two cores, as it does in MLE-bench.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from mle_track.competitions.preparing import split

KEY = "key"
TARGET = "fare_amount"
COLUMNS = [
    "key",
    "fare_amount",
    "pickup_datetime",
    "pickup_longitude",
    "pickup_latitude",
    "dropoff_longitude",
    "dropoff_latitude",
    "passenger_count",
]
#: text stays text: Arrow would otherwise parse these timestamps and lose their spelling
TYPES = {
    "key": pa.large_string(),
    "fare_amount": pa.float64(),
    "pickup_datetime": pa.large_string(),
    "pickup_longitude": pa.float64(),
    "pickup_latitude": pa.float64(),
    "dropoff_longitude": pa.float64(),
    "dropoff_latitude": pa.float64(),
    "passenger_count": pa.int64(),
}
TEST_ROWS = 9914
SAMPLE_FARE = 11.35
CHUNK_ROWS = 1_000_000
BLOCK_BYTES = 16 << 20
RTF = "GCP-Coupons-Instructions.rtf"


def prepare(raw: Path, public: Path, private: Path) -> None:
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    rides = read_rides(raw / "train.csv")
    positions = pd.DataFrame({"row": np.arange(rides.num_rows, dtype=np.int64)})
    train_rows, test_rows = split(positions, test_size=TEST_ROWS)
    train_positions = train_rows["row"].to_numpy()
    test_positions = test_rows["row"].to_numpy()
    del positions, train_rows, test_rows

    test = to_pandas(rides.take(test_positions))
    test.to_csv(private / "test.csv", index=False)
    test.drop(columns=[TARGET]).to_csv(public / "test.csv", index=False)
    sample = test[[KEY]].assign(**{TARGET: SAMPLE_FARE})
    sample.to_csv(public / "sample_submission.csv", index=False)
    written = write_in_chunks(rides, train_positions, public / "labels.csv")
    shutil.copyfile(raw / RTF, public / RTF)

    assert written + len(test) == rides.num_rows and len(test) == TEST_ROWS
    assert list(test.columns) == COLUMNS and len(sample) == len(test)
    assert test[KEY].is_unique
    train_keys = rides.column(KEY).take(train_positions)
    test_keys = pa.array(test[KEY].to_numpy(), type=pa.large_string())
    shared = pc.any(pc.is_in(train_keys, value_set=test_keys)).as_py()
    assert not shared, "a key is on both sides of the split"


def read_rides(path: Path) -> pa.Table:
    """The whole file as one contiguous Arrow table, rows in file order (the order the split sees).

    Batches are streamed and each column is concatenated on its own, so the peak stays near the
    size of the data plus one column; the result has one chunk per column, which keeps the later
    random ``take`` of a million rows fast.
    """
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
        convert_options=pacsv.ConvertOptions(column_types=TYPES),
    )
    if reader.schema.names != COLUMNS:
        raise ValueError(f"{path.name}: expected columns {COLUMNS}, found {reader.schema.names}")
    pieces: dict[str, list[pa.Array]] = {name: [] for name in COLUMNS}
    for batch in reader:
        for name in COLUMNS:
            pieces[name].append(batch.column(name))
    columns = {}
    for name in COLUMNS:
        parts = pieces.pop(name)
        columns[name] = pa.concat_arrays(parts) if parts else pa.array([], TYPES[name])
        del parts
    return pa.table(pandas_like(columns))


def pandas_like(columns: dict[str, pa.Array]) -> dict[str, pa.Array]:
    """Integer columns with gaps become floats, as pandas infers them (1.0, not 1, in the CSV)."""
    for name, column in columns.items():
        if pa.types.is_integer(column.type) and column.null_count:
            columns[name] = column.cast(pa.float64())
    return columns


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Plain NumPy/object columns, the dtypes pandas' own reader would have produced."""
    return table.to_pandas()


def write_in_chunks(table: pa.Table, positions: np.ndarray, path: Path) -> int:
    """``table`` rows in the order of ``positions`` as one CSV, a bounded number at a time."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        for start in range(0, len(positions), CHUNK_ROWS):
            chunk = to_pandas(table.take(positions[start : start + CHUNK_ROWS]))
            chunk.to_csv(handle, index=False, header=start == 0)
            written += len(chunk)
    if written == 0:  # an empty training set still gets its header
        pd.DataFrame(columns=table.column_names).to_csv(path, index=False)
    return written
