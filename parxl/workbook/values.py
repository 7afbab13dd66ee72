"""Read a parxl template from the cell values of an open workbook (no file access).

xlwings (desktop RunPython, xlwings Server, xlwings Lite) hands a macro the open workbook as
values (``sheet.used_range.value``), not as a file, so the file reader
(:mod:`parxl.workbook.fastread`) cannot be used. This module applies the same rules to those
values: the hidden "_parxl" sheet names the framework
(embedded as JSON, checked against its fingerprint), columns are found by their header text
in row 4 and items by their code in column "Mã", never by fixed positions.

Pure Python: imports only the scoring path of parxl (no openpyxl, calamine, lxml, pandas,
xlwings), so it runs in Pyodide with nothing but PyYAML besides parxl itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from parxl.errors import FrameworkError, Location, WorkbookError
from parxl.framework.load import from_dict
from parxl.framework.model import Framework
from parxl.numbers import cell_text
from parxl.workbook import layout as L

Rows = Sequence[Sequence[Any]]
Key = tuple[str, str]

INPUT_COLS = L.INPUT_KEYS
COMPUTED_COLS = L.COMPUTED_KEYS
col_letter = L.col_letter
_HEAD_KEYS = {c.header: c.key for c in L.COLUMNS}


@dataclass
class ItemCells:
    """One item row as found in the open workbook."""

    sheet: str
    row: int  # 1-based Excel row
    code: str
    office: Any
    max: Any
    inputs: dict[str, Any]  # column key (status, v1, v2, evidence, explanation) -> value
    refs: dict[str, str]  # column key -> "H12"


@dataclass
class OpenTemplate:
    """What the open workbook holds: framework, metadata, item rows and inputs by item code."""

    name: str
    framework: Framework
    meta: dict[str, str]
    rows: list[ItemCells] = field(default_factory=list)
    extra_codes: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, code)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (sheet made, its name now)
    values: dict[Key, Any] = field(default_factory=dict)
    cells: dict[Key, tuple[str, str]] = field(default_factory=dict)  # (code, field) -> (sheet, ref)
    body: str = ""
    year: str = ""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_meta(sheets: Mapping[str, Rows], name: str = "") -> dict[str, str]:
    """The "_parxl" sheet as a dict (``framework_json`` joined from its chunks)."""
    if L.META not in sheets:
        raise WorkbookError(
            "không phải biểu mẫu parxl (thiếu trang ẩn '_parxl'); hãy mở biểu mẫu do parxl tạo "
            "hoặc chạy 'Tạo biểu mẫu' trước",
            Location(file=name),
        )
    meta: dict[str, str] = {}
    chunks: list[str] = []
    for row in sheets[L.META] or []:
        if len(row) < 2 or _blank(row[0]):
            continue
        key, value = cell_text(row[0]).strip(), cell_text(row[1])
        if key == "framework_json":
            chunks.append(value)
        else:
            meta[key] = value
    if meta.get("format") != L.TEMPLATE_FORMAT:
        raise WorkbookError(
            "không phải biểu mẫu parxl (trang '_parxl' không hợp lệ)", Location(file=name, sheet=L.META)
        )
    meta["framework_json"] = "".join(chunks)
    return meta


_FRAMEWORKS: dict[str, Framework] = {}


def parse_embedded(text: str, source: str) -> Framework:
    """The framework JSON a workbook carries in its "_parxl" sheet, validated (the file reader
    and the open-book reader both use this)."""
    where = Location(file=source, sheet=L.META)
    try:
        return from_dict(json.loads(text), source, authored=False)
    except (ValueError, KeyError, TypeError):
        raise WorkbookError("trang '_parxl' hỏng: không đọc được bộ tiêu chí", where) from None
    except FrameworkError as exc:
        raise WorkbookError(f"bộ tiêu chí trong tệp không hợp lệ: {exc.problems[0]}", where) from None


def framework_of(meta: Mapping[str, str], name: str = "") -> Framework:
    """The framework embedded in the metadata, validated and checked against its fingerprint."""
    text = meta.get("framework_json", "")
    cached = _FRAMEWORKS.get(text)
    if cached is not None and cached.fingerprint == meta.get("fingerprint"):
        return cached
    fw = parse_embedded(text, name)
    if fw.fingerprint != meta.get("fingerprint"):
        raise WorkbookError("dấu vân tay bộ tiêu chí không khớp: trang '_parxl' đã bị sửa",
                            Location(file=name, sheet=L.META))
    if len(_FRAMEWORKS) >= 16:
        _FRAMEWORKS.clear()
    _FRAMEWORKS[text] = fw
    return fw


def _header(rows: Rows) -> dict[int, str]:
    """Column index -> column key, from the header texts in row 4."""
    if len(rows) < L.HEADER_ROW:
        return {}
    out: dict[int, str] = {}
    for i, v in enumerate(rows[L.HEADER_ROW - 1] or []):
        if isinstance(v, str) and v.strip() in _HEAD_KEYS:
            out[i] = _HEAD_KEYS[v.strip()]
    return out


def read_items(
    fw: Framework, sheet: str, rows: Rows, name: str = ""
) -> tuple[list[ItemCells], list[tuple[str, str, str]]]:
    """Item rows of one sheet, found by the code in column "Mã" and columns by header text."""
    header = _header(rows)
    letters = {k: col_letter(i) for i, k in header.items()}
    index = {k: i for i, k in header.items()}
    missing = [c.header for c in L.COLUMNS if c.key in ("code", *INPUT_COLS) and c.key not in index]
    if missing:
        raise WorkbookError(
            f"thiếu cột {', '.join(repr(m) for m in missing)} ở dòng tiêu đề {L.HEADER_ROW}",
            Location(file=name, sheet=sheet),
        )
    groups = {c.code for c in fw.criteria} | {d.code for d in fw.domains}
    items = fw.item_index
    out: list[ItemCells] = []
    extra: list[tuple[str, str, str]] = []

    def at(row: Sequence[Any], key: str) -> Any:
        i = index.get(key, -1)
        return row[i] if 0 <= i < len(row) else None

    for r, row in enumerate(rows[L.HEADER_ROW :], start=L.HEADER_ROW + 1):
        if not row:
            continue
        code = cell_text(at(row, "code")).strip()
        if not code or (code in groups and code not in items):
            continue
        if code not in items:
            if any(not _blank(at(row, k)) for k in ("max", *INPUT_COLS)):
                extra.append((sheet, f"{letters['code']}{r}", code))
            continue
        inputs = {k: at(row, k) for k in INPUT_COLS if not _blank(at(row, k))}
        refs = {k: f"{letters[k]}{r}" for k in (*INPUT_COLS, *COMPUTED_COLS, "office", "max") if k in letters}
        out.append(ItemCells(sheet, r, code, at(row, "office"), at(row, "max"), inputs, refs))
    return out, extra


def item_sheets(fw: Framework) -> list[str]:
    return [d.sheet_name for d in fw.domains] + ([L.EXTRA] if fw.bonus or fw.penalties else [])


def sheets_to_read(fw: Framework, present: Sequence[str], file: str) -> list[tuple[str, str]]:
    """(sheet the framework has, sheet of the file that holds it). A sheet renamed — the one
    missing and the one sheet parxl did not make (:data:`layout.OWN_SHEETS`) — is read under its new name (items are found
    by code); otherwise a missing sheet is an error naming the sheets the file has instead."""
    expected = item_sheets(fw)
    missing = [s for s in expected if s not in present]
    if not missing:
        return [(s, s) for s in expected]
    spare = [s for s in present if s not in expected and s not in L.OWN_SHEETS]
    if len(missing) == 1 and len(spare) == 1:
        return [(s, spare[0] if s == missing[0] else s) for s in expected]
    raise missing_sheet(missing[0], spare, file)


def missing_sheet(sheet: str, spare: Sequence[str], file: str) -> WorkbookError:
    others = f"; tệp có trang: {', '.join(repr(s) for s in spare)}" if spare else ""
    return WorkbookError(f"thiếu trang '{sheet}' (trang bị xoá hoặc đổi tên{others})",
                         Location(file=file, sheet=sheet))


def read_template(sheets: Mapping[str, Rows], name: str = "") -> OpenTemplate:
    """Read the open workbook's values (sheet name -> rows) like :func:`parxl.read_return`.

    Raises :class:`WorkbookError` (Vietnamese, naming the sheet) when it is not a parxl template.
    """
    meta = read_meta(sheets, name)
    fw = framework_of(meta, name)
    out = OpenTemplate(name, fw, meta)
    for sheet, actual in sheets_to_read(fw, list(sheets), name):
        try:
            rows, extra = read_items(fw, actual, sheets[actual] or [], name)
        except WorkbookError:
            if actual == sheet:
                raise
            raise missing_sheet(sheet, [actual], name) from None
        out.rows.extend(rows)
        out.extra_codes.extend(extra)
        if actual != sheet:
            out.renamed.append((sheet, actual))
    seen: set[str] = set()
    for row in out.rows:
        if row.code in seen:  # a duplicated row: the first one counts, as in read_return's checks
            continue
        seen.add(row.code)
        item = fw.item_index[row.code]
        for fname, key in L.input_columns(item).items():
            if key in row.refs:
                out.cells[(row.code, fname)] = (row.sheet, row.refs[key])
            value = row.inputs.get(key)
            if value is not None:
                out.values[(row.code, fname)] = value
    for line in sheets.get(L.SUMMARY) or []:
        if len(line) > 2 and line[0] == "Cơ quan, đơn vị:":
            out.body = cell_text(line[2]).strip()
        if len(line) > 2 and line[0] == "Năm đánh giá:":
            out.year = cell_text(line[2]).strip()
    return out
