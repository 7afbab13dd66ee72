"""The on-disk tables of a run (Parquet): batches are appended as they arrive, memory stays flat.

Four tables, one Parquet file each, under ``<output>/du-lieu/``:

- ``tep.parquet`` — one row per file: status, body, group, year, totals (see
  :data:`parxl.province.worker.FILE_COLUMNS`);
- ``diem.parquet`` — one row per file and domain / criterion / item: applicable, achieved,
  open, deducted points and the item status;
- ``van-de.parquet`` — every problem found by the checks;
- ``tham-dinh.parquet`` — appraised items: self-assessed and appraised points, outcome.

Files are written under a temporary name and renamed when the run finishes, so a crash never
leaves a half table. Rows are written in row groups of :data:`ROW_GROUP` rows whatever the
batches they arrived in, so the same folder gives the same bytes with any number of workers. They open directly in pandas (``pd.read_parquet``), DuckDB or Power BI.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parxl.province.worker import (
    APPRAISAL_COLUMNS,
    FILE_COLUMNS,
    ISSUE_COLUMNS,
    SCORE_COLUMNS,
    BatchOut,
)

S, F, N, B = pa.string(), pa.float64(), pa.int32(), pa.bool_()
SCHEMAS: dict[str, pa.Schema] = {
    "files": pa.schema([(c, S) for c in FILE_COLUMNS[:7]] + [("errors", N), ("warnings", N)]
                       + [(c, S) for c in FILE_COLUMNS[9:11]] + [("appraised", B)]
                       + [(c, F) for c in FILE_COLUMNS[12:]]),
    "scores": pa.schema([("file", S), ("level", S), ("code", S), ("applicable", F), ("achieved", F),
                         ("open", F), ("deducted", F), ("status", S)]),
    "issues": pa.schema([(c, S) for c in ISSUE_COLUMNS]),
    "appraisal": pa.schema([("file", S), ("body", S), ("code", S), ("self_status", S), ("self_achieved", F),
                            ("appraised_achieved", F), ("final_status", S), ("final_achieved", F),
                            ("difference", F), ("changes", S), ("note", S), ("explanation", S),
                            ("explained", B), ("outcome", S)]),
}
ROW_GROUP = 65536  # rows per Parquet row group (a few MB of the largest table held at a time)
NAMES = {"files": "tep.parquet", "scores": "diem.parquet", "issues": "van-de.parquet",
         "appraisal": "tham-dinh.parquet"}
_COLUMNS = {"files": FILE_COLUMNS, "scores": SCORE_COLUMNS, "issues": ISSUE_COLUMNS,
            "appraisal": APPRAISAL_COLUMNS}
assert all(SCHEMAS[k].names == list(v) for k, v in _COLUMNS.items())


class Store:
    """Parquet writers for the four tables; ``close()`` renames them into place."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.tmp = {k: folder / f".parxl-{name}.tmp" for k, name in NAMES.items()}
        self.writers = {k: pq.ParquetWriter(str(p), SCHEMAS[k], compression="zstd") for k, p in self.tmp.items()}
        self.rows = dict.fromkeys(NAMES, 0)
        self.pending: dict[str, list[pa.Table]] = {k: [] for k in NAMES}  # rows not yet in a full row group

    def add(self, out: BatchOut) -> None:
        for key, rows in (("files", out.files), ("issues", out.issues), ("appraisal", out.appraisal)):
            if rows:
                self._write(key, list(zip(*rows, strict=True)))
        if out.scores["file"]:
            self._write("scores", [out.scores[c] for c in SCORE_COLUMNS])

    def _write(self, key: str, cols: list[Any]) -> None:
        schema = SCHEMAS[key]
        table = pa.Table.from_arrays([pa.array(c, type=schema.field(i).type) for i, c in enumerate(cols)],
                                     schema=schema)  # columns of unequal length are refused here
        self.rows[key] += table.num_rows
        self.pending[key].append(table)
        held = sum(t.num_rows for t in self.pending[key])
        if held >= ROW_GROUP:
            self._flush(key, held - held % ROW_GROUP)

    def _flush(self, key: str, rows: int) -> None:
        """Write the first ``rows`` pending rows of a table in row groups of ROW_GROUP rows."""
        held = pa.concat_tables(self.pending[key])
        self.writers[key].write_table(held.slice(0, rows), row_group_size=ROW_GROUP)
        self.pending[key] = [held.slice(rows)] if rows < held.num_rows else []

    def close(self) -> dict[str, Path]:
        out: dict[str, Path] = {}
        for key, w in self.writers.items():
            if self.pending[key]:
                self._flush(key, sum(t.num_rows for t in self.pending[key]))
            w.close()
            target = self.folder / NAMES[key]
            os.replace(self.tmp[key], target)
            out[key] = target
        return out

    def abort(self) -> None:
        for key, w in self.writers.items():
            try:
                w.close()
            finally:
                self.tmp[key].unlink(missing_ok=True)


def read(path: Path, columns: list[str] | None = None, filters: Any = None) -> Any:
    """A stored table as pandas (optionally some columns / a pyarrow filter)."""
    return pq.read_table(str(path), columns=columns, filters=filters).to_pandas()


def by_level(path: Path, files: list[str]) -> dict[str, Any]:
    """The scores of the given files split by level ("domain", "criterion", "item"), as pandas;
    selected in Arrow (masks over a million pandas rows of Arrow strings cost more)."""
    t = pq.read_table(str(path))
    t = t.filter(pc.is_in(t["file"], value_set=pa.array(files, pa.string())))
    level = t["level"]
    return {lv: t.filter(pc.equal(level, lv)).to_pandas() for lv in ("domain", "criterion", "item")}


def release_memory() -> None:
    """Give back the memory freed once the tables are built: Arrow's allocator and the C heap
    keep it for reuse (~350 MB for 10,000 bodies); the outputs are then written by this process
    and a forked child."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)  # glibc: free heap pages back to the system
