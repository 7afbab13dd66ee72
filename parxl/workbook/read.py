"""Read a parxl workbook (template, return, consolidated) fast, by item code.

python-calamine reads the cells (no openpyxl cell-by-cell); the hidden metadata sheet says
which framework the workbook was built from (the framework itself is embedded, so a workbook
built from a private YAML can be scored anywhere). Items are found by their code in column
"Mã" and inputs by header text, never by fixed positions. Cached formula values are ignored.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from parxl.errors import FrameworkError, Location, WorkbookError
from parxl.framework.load import from_dict
from parxl.framework.model import Framework
from parxl.workbook import layout as L

CellRef = tuple[str, str]  # (sheet, "H12")


@dataclass
class Return:
    """What a workbook holds: its framework, metadata and input values by item code."""

    path: Path
    framework: Framework
    meta: dict[str, str]
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    cells: dict[tuple[str, str], CellRef] = field(default_factory=dict)
    body: str = ""
    year: str = ""


def open_calamine(path: Path) -> CalamineWorkbook:
    where = Location(file=str(path))
    if not path.exists():
        raise WorkbookError("không tìm thấy tệp", where)
    if path.is_dir():
        raise WorkbookError("đây là thư mục, không phải tệp Excel", where)
    if not zipfile.is_zipfile(path):
        raise WorkbookError(
            "không phải tệp Excel .xlsx hợp lệ (tệp hỏng hoặc sai định dạng)", where
        )
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every corrupt file
        raise WorkbookError(f"không đọc được tệp Excel ({type(exc).__name__})", where) from None


def read_meta(wb: CalamineWorkbook, path: Path) -> dict[str, str]:
    where = Location(file=str(path))
    if L.META not in wb.sheet_names:
        raise WorkbookError("không phải biểu mẫu parxl (thiếu trang ẩn '_parxl')", where)
    meta: dict[str, str] = {}
    chunks: list[str] = []
    for row in wb.get_sheet_by_name(L.META).to_python(skip_empty_area=False):
        if len(row) < 2 or not row[0]:
            continue
        key, value = str(row[0]), "" if row[1] is None else str(row[1])
        if key == "framework_json":
            chunks.append(value)
        else:
            meta[key] = value
    if meta.get("format") != L.TEMPLATE_FORMAT:
        raise WorkbookError("không phải biểu mẫu parxl (trang '_parxl' không hợp lệ)", where)
    meta["framework_json"] = "".join(chunks)
    return meta


# frameworks already parsed and validated, by their JSON text: a folder of returns of one
# framework parses and validates it once
_FRAMEWORKS: dict[str, Framework] = {}


def framework_of(meta: dict[str, str], path: Path) -> Framework:
    cached = _FRAMEWORKS.get(meta.get("framework_json", ""))
    if cached is not None and cached.fingerprint == meta.get("fingerprint"):
        return cached
    where = Location(file=str(path), sheet=L.META)
    try:
        fw = from_dict(json.loads(meta["framework_json"]), str(path))
    except (ValueError, KeyError):
        raise WorkbookError("trang '_parxl' hỏng: không đọc được bộ tiêu chí", where) from None
    except FrameworkError as exc:
        raise WorkbookError(
            f"bộ tiêu chí trong tệp không hợp lệ: {exc.problems[0]}", where
        ) from None
    if fw.fingerprint != meta.get("fingerprint"):
        raise WorkbookError("dấu vân tay bộ tiêu chí không khớp: trang '_parxl' đã bị sửa", where)
    if len(_FRAMEWORKS) >= 64:
        _FRAMEWORKS.clear()
    _FRAMEWORKS[meta["framework_json"]] = fw
    return fw


def read_return(path: str | Path) -> Return:
    """Read inputs by item code from a parxl workbook."""
    p = Path(path)
    wb = open_calamine(p)
    meta = read_meta(wb, p)
    fw = framework_of(meta, p)
    ret = Return(p, fw, meta)
    index = fw.item_index
    sheets = [d.sheet_name for d in fw.domains] + ([L.EXTRA] if fw.bonus or fw.penalties else [])
    for sheet in sheets:
        if sheet not in wb.sheet_names:
            raise WorkbookError(f"thiếu trang '{sheet}'", Location(file=str(p), sheet=sheet))
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header = rows[L.HEADER_ROW - 1] if len(rows) >= L.HEADER_ROW else []
        cols = {str(h): i for i, h in enumerate(header) if h}
        missing = [
            c.header for c in L.COLUMNS if c.key in (*L.INPUT_KEYS, "code") and c.header not in cols
        ]
        if missing:
            raise WorkbookError(
                f"thiếu cột {', '.join(repr(m) for m in missing)} ở dòng tiêu đề {L.HEADER_ROW}",
                Location(file=str(p), sheet=sheet),
            )
        by_key = {c.key: cols[c.header] for c in L.COLUMNS if c.header in cols}
        code_col = by_key["code"]
        for r, row in enumerate(rows[L.HEADER_ROW :], start=L.HEADER_ROW + 1):
            if code_col >= len(row):
                continue
            item = index.get(str(row[code_col]).strip())
            if item is None:
                continue
            fields = [(fl.name, f"v{fl.slot}") for fl in item.rule.fields()]
            fields += [(name, key) for name, key in L.TEXT_FIELDS.items()]
            for name, key in fields:
                ci = by_key[key]
                value = row[ci] if ci < len(row) else None
                ret.cells[(item.code, name)] = (sheet, f"{L.col_letter(ci)}{r}")
                if value is None or value == "":
                    continue
                ret.values[(item.code, name)] = value
    if L.SUMMARY in wb.sheet_names:
        for row in wb.get_sheet_by_name(L.SUMMARY).to_python(skip_empty_area=False)[:4]:
            if len(row) > 2 and row[0] == "Cơ quan, đơn vị:":
                ret.body = str(row[2] or "")
            if len(row) > 2 and row[0] == "Năm đánh giá:":
                y = row[2]
                ret.year = str(int(y)) if isinstance(y, float) and y.is_integer() else str(y or "")
    return ret
