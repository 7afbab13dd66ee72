"""A whole province at once: superior-body consolidation, ranking, appraisal — locally or on Dask.

    from parxl.province import province, make_province
    make_province("tinh-mau/", bodies=3000)                      # synthetic returns to try it on
    result = province("tinh-mau/tra-ve", "ket-qua/", bodies="tinh-mau/don-vi.csv",
                      appraisal="tinh-mau/tham-dinh.csv")
    result.ranking, result.problems, result.tables["distribution"]

    from dask.distributed import Client
    result = province("tra-ve/", "ket-qua/", client=Client("tcp://scheduler:8786"))

Names are imported on first use, so ``parxl`` commands start without loading pandas / pyarrow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parxl.province.appraisal import Appraisal, load_appraisal_csv
    from parxl.province.demo import make_province
    from parxl.province.executors import DaskExecutor, Local, Sequential, make_executor
    from parxl.province.pipeline import ProvinceResult, appraisal_from_workbooks, province, scan

_WHERE = {
    "Appraisal": "appraisal", "load_appraisal_csv": "appraisal", "make_province": "demo",
    "DaskExecutor": "executors", "Local": "executors", "Sequential": "executors", "make_executor": "executors",
    "ProvinceResult": "pipeline", "appraisal_from_workbooks": "pipeline", "province": "pipeline", "scan": "pipeline",
}

__all__ = [
    "Appraisal",
    "DaskExecutor",
    "Local",
    "ProvinceResult",
    "Sequential",
    "appraisal_from_workbooks",
    "load_appraisal_csv",
    "make_executor",
    "make_province",
    "province",
    "scan",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'parxl.province' has no attribute {name!r}")
    return getattr(importlib.import_module(f"parxl.province.{module}"), name)
