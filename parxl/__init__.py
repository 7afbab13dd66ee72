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

__version__ = "0.1.0"

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
from parxl.inputs import input_fields, read_values, write_input_table
from parxl.numbers import format_vn_number, format_vn_percent, parse_vn_number
from parxl.score import STATUSES, GroupScore, ItemScore, Scores, score_values
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
    "build_template",
    "build_workbook",
    "builtin",
    "builtin_ids",
    "fill_csv",
    "fill_values",
    "format_vn_number",
    "format_vn_percent",
    "from_dict",
    "input_fields",
    "load_yaml",
    "parse_vn_number",
    "read_return",
    "read_values",
    "resolve",
    "score_values",
    "write_input_table",
]
