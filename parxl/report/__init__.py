"""Reports from scored workbooks: Word documents, Excel report workbooks, PNG charts.

Four kinds (:data:`KINDS`): ``self-assessment`` (báo cáo tự đánh giá), ``interim`` (báo cáo
sơ kết 6/9 tháng), ``remedy`` (công văn chỉ đạo khắc phục điểm bị trừ) and ``ranking`` (báo
cáo xếp hạng of a superior body). Workbooks are read only through
:func:`parxl.workbook.read.read_return` and re-scored with :func:`parxl.score.score_values`
(cached formula values are never trusted); the documents come from editable docxtpl templates
in ``parxl/report/templates/``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parxl.report.api import (
        ReportResult,
        build_report,
        expand_inputs,
        load_body,
        load_groups,
        load_tasks,
        make_report,
    )
    from parxl.report.context import Body, Report
    from parxl.report.info import KINDS, ReportInfo

# imported on first use: `parxl` commands start without loading pandas and matplotlib
__all__ = [
    "KINDS",
    "Body",
    "Report",
    "ReportInfo",
    "ReportResult",
    "build_report",
    "expand_inputs",
    "load_body",
    "load_groups",
    "load_tasks",
    "make_report",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'parxl.report' has no attribute {name!r}")
    value = getattr(importlib.import_module("parxl.report.api"), name)
    globals()[name] = value
    return value
