"""parxl: the PAR index (Chỉ số cải cách hành chính) in Excel.

Frameworks are data; parxl turns them into self-scoring template workbooks, reads the filled
returns back by item code, scores them with one Python evaluator that mirrors the workbook
formulas, and recalculates workbooks with real engines to prove they agree.

Exceptions (all in :mod:`parxl.errors`)::

    ParxlError
    ├── FrameworkError   invalid framework spec, lists every problem
    ├── WorkbookError    unreadable workbook / not a parxl template
    ├── InputError       invalid user value
    └── EngineError      LibreOffice / formulas failed
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public names and the module each comes from. Imported lazily (PEP 562), so that
# `import parxl.score` pulls in neither openpyxl nor python-calamine: the scoring path must
# also run inside xlwings Lite (Pyodide), where only pure-Python packages are available.
_EXPORTS = {
    "ParxlError": "parxl.errors",
    "FrameworkError": "parxl.errors",
    "WorkbookError": "parxl.errors",
    "InputError": "parxl.errors",
    "EngineError": "parxl.errors",
    "Location": "parxl.errors",
    "Criterion": "parxl.framework",
    "Domain": "parxl.framework",
    "Framework": "parxl.framework",
    "Item": "parxl.framework",
    "Rule": "parxl.framework",
    "builtin": "parxl.framework",
    "builtin_ids": "parxl.framework",
    "from_dict": "parxl.framework",
    "load_yaml": "parxl.framework",
    "resolve": "parxl.framework",
    "export_table": "parxl.framework.table",
    "import_table": "parxl.framework.table",
    "read_table": "parxl.framework.table",
    "input_fields": "parxl.inputs",
    "read_values": "parxl.inputs",
    "write_input_table": "parxl.inputs",
    "format_vn_number": "parxl.numbers",
    "format_vn_percent": "parxl.numbers",
    "parse_vn_number": "parxl.numbers",
    "STATUSES": "parxl.score",
    "GroupScore": "parxl.score",
    "ItemScore": "parxl.score",
    "Scores": "parxl.score",
    "score_values": "parxl.score",
    "build_template": "parxl.workbook.build",
    "build_workbook": "parxl.workbook.build",
    "fill_csv": "parxl.workbook.fill",
    "fill_values": "parxl.workbook.fill",
    "Return": "parxl.workbook.read",
    "read_return": "parxl.workbook.read",
    "recalc": "parxl.calc",
    "computed_values": "parxl.calc",
    "verify": "parxl.verify",
    "distribute": "parxl.office.distribute",
    "collect": "parxl.office.collect",
    "deductions": "parxl.analysis.deductions",
    "interim": "parxl.analysis.interim",
    "rank_bodies": "parxl.analysis",
    "compare_years": "parxl.analysis",
    "remedy_list": "parxl.analysis",
    "make_report": "parxl.report",
    "audit_file": "parxl.audit",
    "province": "parxl.province",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'parxl' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from parxl.analysis import compare_years, rank_bodies, remedy_list
    from parxl.analysis.deductions import deductions
    from parxl.analysis.interim import interim
    from parxl.audit import audit_file
    from parxl.calc import computed_values, recalc
    from parxl.errors import (
        EngineError,
        FrameworkError,
        InputError,
        Location,
        ParxlError,
        WorkbookError,
    )
    from parxl.framework import (
        Criterion,
        Domain,
        Framework,
        Item,
        Rule,
        builtin,
        builtin_ids,
        from_dict,
        load_yaml,
        resolve,
    )
    from parxl.framework.table import export_table, import_table, read_table
    from parxl.inputs import input_fields, read_values, write_input_table
    from parxl.numbers import format_vn_number, format_vn_percent, parse_vn_number
    from parxl.office.collect import collect
    from parxl.office.distribute import distribute
    from parxl.province import province
    from parxl.report import make_report
    from parxl.score import STATUSES, GroupScore, ItemScore, Scores, score_values
    from parxl.verify import verify
    from parxl.workbook.build import build_template, build_workbook
    from parxl.workbook.fill import fill_csv, fill_values
    from parxl.workbook.read import Return, read_return

__all__ = [
    "STATUSES",
    "Criterion",
    "Domain",
    "EngineError",
    "Framework",
    "FrameworkError",
    "GroupScore",
    "InputError",
    "Item",
    "ItemScore",
    "Location",
    "ParxlError",
    "Return",
    "Rule",
    "Scores",
    "WorkbookError",
    "__version__",
    "audit_file",
    "build_template",
    "build_workbook",
    "builtin",
    "builtin_ids",
    "collect",
    "compare_years",
    "computed_values",
    "deductions",
    "distribute",
    "export_table",
    "fill_csv",
    "fill_values",
    "format_vn_number",
    "format_vn_percent",
    "from_dict",
    "import_table",
    "input_fields",
    "interim",
    "load_yaml",
    "make_report",
    "parse_vn_number",
    "province",
    "rank_bodies",
    "read_return",
    "read_table",
    "read_values",
    "recalc",
    "remedy_list",
    "resolve",
    "score_values",
    "verify",
    "write_input_table",
]
