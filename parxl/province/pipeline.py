"""A whole province at once: read every body's return, score, rank, list problems, write reports.

    result = province("tra-ve/", "ket-qua/", bodies="don-vi.csv")            # local processes
    result = province("tra-ve/", "ket-qua/", scheduler="tcp://10.0.0.5:8786")  # a Dask cluster
    result = province("tra-ve/", "ket-qua/", client=dask_client)

One code path: the folder is split into batches of files; :func:`parxl.province.worker.
process_batch` turns a batch into rows; an executor (:mod:`parxl.province.executors`: this
process, local processes or Dask) runs the batches; the rows are appended to Parquet tables on
disk as they arrive (:mod:`parxl.province.store`), so memory does not grow with the number of
files. The final tables (:mod:`parxl.province.tables`) and the Excel workbook and Word ranking
report (:mod:`parxl.province.outputs`) are built from the stored tables.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.office.collect import discover
from parxl.province import appraisal as AP
from parxl.province.executors import Executor, make_executor
from parxl.province.store import Store, release_memory
from parxl.province.worker import Shared, process_batch
from parxl.workbook.safety import DEFAULT_LIMITS, Limits
from parxl.workbook.save import refuse_edited

Progress = Callable[[int, int], None]
STORE = "du-lieu"


@dataclass
class ProvinceResult:
    folder: Path
    output: Path
    files: int
    executor: str
    framework: Framework | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    stored: dict[str, Path] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ranking(self) -> pd.DataFrame:
        return self.tables["ranking"]

    @property
    def bodies(self) -> pd.DataFrame:
        return self.tables["bodies"]

    @property
    def problems(self) -> pd.DataFrame:
        return self.tables["problems"]


def batches(files: list[tuple[Path, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    for i in range(0, len(files), size):
        yield [(os.path.abspath(p), rel) for p, rel in files[i:i + size]]  # no realpath per file


def batch_size_for(n: int, workers: int) -> int:
    """Big enough to amortise a round trip, small enough to keep every worker busy."""
    return max(1, min(64, math.ceil(n / max(1, workers * 4))))


def scan(folder: str | Path, store_dir: str | Path, *, appraisal: AP.Appraisal | None = None,
         executor: Executor | None = None, workers: int | None = None, scheduler: str | None = None,
         client: Any = None, batch_size: int | None = None, limits: Limits = DEFAULT_LIMITS,
         skip: list[Path] | None = None, progress: Progress | None = None) -> tuple[int, str, dict[str, Path],
                                                                                   dict[str, str]]:
    """Read, check and score every return under ``folder`` into Parquet tables in ``store_dir``.

    Returns (number of files, executor name, table paths, frameworks seen as JSON by fingerprint).
    """
    root = Path(folder)
    files, notes = discover(root, skip or [])
    n = len(files)
    if n == 0:
        raise InputError("không có biểu mẫu Excel nào (.xlsx) để tổng hợp", Location(file=str(root)))
    ex = executor or make_executor(n, workers=workers, scheduler=scheduler, client=client)
    size = batch_size or batch_size_for(n, ex.workers)
    store = Store(Path(store_dir))
    frameworks: dict[str, str] = {}
    done = 0
    try:
        from parxl.province.worker import BatchOut

        if notes:
            store.add(BatchOut(issues=[(i.file, i.sheet, i.cell, i.item, i.office, i.severity, i.message)
                                       for i in notes]))
        for out in ex.run(process_batch, batches(files, size), Shared(limits, appraisal, uuid.uuid4().hex)):
            frameworks.update(out.frameworks)
            store.add(out)
            done += len(out.files)
            if progress:
                progress(done, n)
    except BaseException:
        store.abort()
        raise
    finally:
        if executor is None:
            ex.close()
    return n, ex.name, store.close(), frameworks


def province(
    folder: str | Path,
    output: str | Path,
    *,
    bodies: str | Path | None = None,
    previous: str | Path | None = None,
    appraisal: str | Path | AP.Appraisal | None = None,
    framework: Framework | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    executor: Executor | None = None,
    batch_size: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    info: Any = None,
    word: bool = True,
) -> ProvinceResult:
    """Consolidate, rank and report every body's return under ``folder`` into ``output`` (a folder).

    ``bodies``: CSV of expected bodies (name; optional group, last year's total and rank).
    ``previous``: last year's output folder of this command (ranking and per-item distribution),
    its ``xep-hang.csv``, or any CSV with body and total / rank. ``appraisal``: appraised values (CSV, or a folder of appraised
    workbooks). ``scheduler`` / ``client``: run on Dask instead of local processes.
    """
    from parxl.province import outputs, tables

    out_dir = Path(output)
    root = Path(folder)
    if out_dir.resolve() == root.resolve() or root.resolve() in out_dir.resolve().parents:
        raise InputError("thư mục kết quả phải nằm ngoài thư mục biểu mẫu trả về", Location(file=str(out_dir)))
    # last run's workbook and report, edited since (notes typed in, the report reworded): told before the long run
    refuse_edited([out_dir / outputs.XLSX, out_dir / outputs.DOCX])
    roster = tables.load_bodies(bodies) if bodies else None
    prev = tables.load_previous(previous) if previous else None
    prev_dist = tables.load_previous_distribution(previous) if previous else None
    appr: AP.Appraisal | None
    if isinstance(appraisal, AP.Appraisal) or appraisal is None:
        appr = appraisal
    elif Path(appraisal).is_dir():
        appr = appraisal_from_workbooks(appraisal, limits)
    else:
        appr = AP.load_appraisal_csv(appraisal)
    n, ex_name, stored, fw_json = scan(root, out_dir / STORE, appraisal=appr, executor=executor, workers=workers,
                                       scheduler=scheduler, client=client, batch_size=batch_size, limits=limits,
                                       progress=progress)
    result = ProvinceResult(root, out_dir, n, ex_name, None, stored=stored)
    preload = outputs.preload_word() if word else None
    try:
        tables.build(result, fw_json, framework=framework, roster=roster, previous=prev, appraisal=appr,
                     previous_distribution=prev_dist)
    finally:
        if preload is not None:
            preload.join()
    release_memory()  # what building the tables freed, before the outputs' two processes share it
    outputs.write_all(result, info=info, word=word)
    return result


def appraisal_from_workbooks(folder: str | Path, limits: Limits = DEFAULT_LIMITS) -> AP.Appraisal:
    """Appraised workbooks (copies of the returns with the superior body's values) as an appraisal.

    Appraised copies are few (one per appraised body), so they are read here, one by one. A field
    left blank in the copy keeps the body's own value.
    """
    from parxl.office.check import ERROR, KIND_BODY, process_file

    root = Path(folder)
    files, _notes = discover(root)
    if not files:
        raise InputError("thư mục thẩm định không có tệp Excel nào", Location(file=str(root)))
    values: dict[str, dict[tuple[str, str], Any]] = {}
    problems: list[str] = []
    for path, rel in files:
        p = process_file(path, rel, limits)
        errors = [i.message for i in p.issues if i.severity == ERROR]
        if not p.ok or p.kind != KIND_BODY or errors:
            problems.append(f"{rel}: {errors[0] if errors else 'không phải biểu mẫu của một đơn vị'}")
            continue
        name = " ".join(p.body.split()) or path.stem
        if name in values:
            problems.append(f"{rel}: '{name}' có hơn một biểu mẫu thẩm định")
            continue
        values[name] = dict(p.values)
    if problems:
        raise InputError("biểu mẫu thẩm định không dùng được:\n" + "\n".join(f"  - {x}" for x in problems[:50]),
                         Location(file=str(root)))
    return AP.from_values(values, str(root))
