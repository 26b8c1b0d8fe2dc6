"""IceCube - Neutrinos in Deep Ice: MLE-bench's 90/10 re-split of Kaggle's training batches.

Kaggle's test directions were never released, so the batches of ``train_meta.parquet`` are split:
the batch ids in order of first appearance go through ``train_test_split(test_size=0.1,
random_state=0)`` and every event follows its batch, keeping its row order. The pulse files
``train/batch_<n>.parquet`` are hard-linked into public ``train/`` or ``test/`` by the number after
the last ``_`` of their name.

The metadata table has about 132 million rows (six 8-byte columns, over 6 GB in memory), so it is
never loaded whole: one pass reads only ``batch_id`` to find the batches, a second streams record
batches of a million rows (buffered reads, so even a single huge row group is not materialised)
into the two new parquet files and the CSVs, chunk by chunk (0.63 GB peak measured on a
20-million-row file stored as one row group). Values keep their parquet types (``float32``
angles are written as float32 text, as pandas writes them).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mle_track.competitions.preparing import link_file

META_COLUMNS = [
    "batch_id",
    "event_id",
    "first_pulse_index",
    "last_pulse_index",
    "azimuth",
    "zenith",
]
ID, TARGETS = "event_id", ["azimuth", "zenith"]
TEST_SIZE = 0.1
CHUNK_ROWS = 1_000_000
READ_BUFFER = 8 << 20


def _meta(path: Path) -> pq.ParquetFile:
    return pq.ParquetFile(path, buffer_size=READ_BUFFER)


def batch_ids_in_order(path: Path) -> np.ndarray:
    """The distinct ``batch_id`` values in order of first appearance (reading that column only)."""
    seen: dict[int, None] = {}
    for chunk in _meta(path).iter_batches(batch_size=CHUNK_ROWS, columns=["batch_id"]):
        for value in pd.unique(chunk.column(0).to_numpy()):
            seen.setdefault(int(value), None)
    return np.array(list(seen), dtype=np.int64)


def prepare(raw: Path, public: Path, private: Path) -> None:
    from sklearn.model_selection import train_test_split

    meta_path = raw / "train_meta.parquet"
    batch_ids = batch_ids_in_order(meta_path)
    train_batches, test_batches = train_test_split(batch_ids, test_size=TEST_SIZE, random_state=0)
    public.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)

    source = _meta(meta_path)
    schema = source.schema_arrow.remove_metadata()
    assert schema.names == META_COLUMNS, f"unexpected columns {schema.names}"
    test_schema = pa.schema([f for f in schema if f.name not in TARGETS])
    test_set = pa.array(np.asarray(test_batches, dtype=np.int64)).cast(
        schema.field("batch_id").type
    )
    counts = {"train": 0, "test": 0}
    with (
        pq.ParquetWriter(public / "train_meta.parquet", schema) as train_out,
        pq.ParquetWriter(public / "test_meta.parquet", test_schema) as test_out,
        (private / "test.csv").open("w", encoding="utf-8", newline="") as answers_out,
        (public / "sample_submission.csv").open("w", encoding="utf-8", newline="") as sample_out,
    ):
        for number, chunk in enumerate(source.iter_batches(batch_size=CHUNK_ROWS)):
            table = pa.Table.from_batches([chunk]).replace_schema_metadata(None)
            in_test = pc.is_in(table.column("batch_id"), value_set=test_set)
            train_part, test_part = table.filter(pc.invert(in_test)), table.filter(in_test)
            train_out.write_table(train_part)
            test_out.write_table(test_part.drop_columns(TARGETS))
            answers = test_part.select([ID, *TARGETS]).to_pandas()
            answers.to_csv(answers_out, index=False, header=number == 0)
            sample = answers[[ID]].assign(azimuth=1, zenith=1)
            sample.to_csv(sample_out, index=False, header=number == 0)
            counts["train"] += train_part.num_rows
            counts["test"] += test_part.num_rows
    if counts["train"] + counts["test"] == 0:  # an empty table still gets its headers
        pd.DataFrame(columns=[ID, *TARGETS]).to_csv(private / "test.csv", index=False)
        pd.DataFrame(columns=[ID, *TARGETS]).to_csv(public / "sample_submission.csv", index=False)

    link_file(raw / "sensor_geometry.csv", public / "sensor_geometry.csv")
    train_ids, test_ids = set(train_batches.tolist()), set(test_batches.tolist())
    linked = {"train": 0, "test": 0}
    for path in sorted((raw / "train").glob("*.parquet")):
        batch = int(path.stem.split("_")[-1])
        part = "train" if batch in train_ids else "test" if batch in test_ids else None
        if part is not None:
            link_file(path, public / part / path.name)
            linked[part] += 1

    assert linked == {"train": len(train_ids), "test": len(test_ids)}, linked
    assert counts["train"] + counts["test"] == source.metadata.num_rows
    assert pq.ParquetFile(public / "test_meta.parquet").metadata.num_rows == counts["test"]
    test_events = pd.read_csv(private / "test.csv", usecols=[ID])[ID]
    assert test_events.is_unique, "an event id repeats in the test set"
    train_events = _meta(public / "train_meta.parquet").iter_batches(
        batch_size=CHUNK_ROWS, columns=[ID]
    )
    event_set = pa.array(test_events.to_numpy())
    for chunk in train_events:
        assert not pc.any(pc.is_in(chunk.column(0), value_set=event_set)).as_py(), (
            "an event is on both sides"
        )
