"""Các hàm Excel của parxl (xlwings UDF) — parxl's Excel functions for desktop Excel.

Import in Excel with the xlwings add-in: ribbon xlwings → UDF Modules ``udfs.functions`` →
Import Functions. Each function is a thin wrapper over :mod:`udfs.core` (which scores with the
rule kinds of :mod:`parxl.rules`). Bad input never raises into Excel (xlwings would put the
traceback text in the cell): it returns a real Excel error value (#VALUE!, #N/A) on Windows,
the error code text elsewhere; the Vietnamese reason is logged and ``PAR_CHECK`` lists problems.
The same functions run in xlwings Server / Lite through :mod:`udfs.server` (there Excel also
shows the Vietnamese reason on the error) and headlessly in ``formulas``
(:func:`udfs.core.register_formulas`).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import xlwings as xw

from udfs import core

log = logging.getLogger("parxl.udfs")

# COM error codes Excel uses for cell errors (CVErr values as VT_ERROR scodes)
_SCODE = {
    "#NULL!": -2146826288,
    "#DIV/0!": -2146826281,
    "#VALUE!": -2146826273,
    "#REF!": -2146826265,
    "#NAME?": -2146826259,
    "#NUM!": -2146826252,
    "#N/A": -2146826246,
}

ARG_DOCS: dict[str, str] = {
    "kind": "Cách chấm: manual, yesno, proportional, tiers, count, incidents",
    "max_points": "Điểm tối đa (một ô hoặc một vùng)",
    "v1": "Số liệu 1 (một ô hoặc một vùng)",
    "v2": "Số liệu 2 (mẫu số khi tính tỷ lệ từ số lượng)",
    "params": "Tham số cách chấm, ví dụ \"per_unit=0.5\" hoặc \"tiers=[[1,1.5],[0.9,1]]\"",
    "status": "Tình trạng / trạng thái tính điểm",
    "inputs": "Các ô số liệu của tiêu chí (ví dụ H5:I5)",
    "raw": "Điểm theo số liệu",
    "penalty": "TRUE nếu là tiêu chí điểm trừ (Đạt khi không bị trừ điểm nào)",
    "group": "Để trống (điểm cơ bản), \"thưởng\" hoặc \"trừ\"",
    "applicable": "Điểm tối đa áp dụng",
    "achieved": "Điểm đạt",
    "open_points": "Điểm chưa xác định",
    "deducted": "Điểm bị trừ (một ô hoặc một vùng)",
    "total": "Tổng điểm bị trừ, hoặc vùng điểm bị trừ của mọi lĩnh vực",
    "values": "Điểm thưởng (một ô hoặc một vùng)",
    "cap": "Giới hạn điểm thưởng",
    "value": "Giá trị cần xếp hạng (một ô hoặc một vùng)",
    "peers": "Vùng giá trị của các đơn vị so sánh",
    "descending": "1 (mặc định): điểm cao xếp trước; 0: điểm thấp xếp trước",
    "statuses": "Vùng trạng thái tính điểm",
    "maxes": "Vùng điểm tối đa",
    "rows": "Các dòng tiêu chí (cột A đến K, có thể gồm dòng tiêu đề)",
    "text": "Số viết kiểu Việt Nam: 93,23 · 22.583.451 · 77,7%",
}


def excel_error(err: core.XlErr) -> Any:
    """A real Excel error value for desktop Excel (VT_ERROR on Windows), else the code text."""
    log.warning("parxl UDF: %s %s", err.code, err.hint)
    if sys.platform == "win32":  # pragma: no cover - needs Windows
        try:
            import pythoncom
            from win32com.client import VARIANT

            return VARIANT(pythoncom.VT_ERROR, _SCODE.get(err.code, _SCODE["#VALUE!"]))
        except ImportError:
            pass
    return err.code


def _call(fn: Any, *args: Any) -> Any:
    return core.guarded(fn, excel_error)(*(core.unwrap(a) for a in args))


@xw.func(category="parxl")
@xw.arg("kind", ndim=2, err_to_str=True, doc=ARG_DOCS["kind"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
@xw.arg("v1", ndim=2, err_to_str=True, doc=ARG_DOCS["v1"])
@xw.arg("v2", ndim=2, err_to_str=True, doc=ARG_DOCS["v2"])
@xw.arg("params", ndim=2, err_to_str=True, doc=ARG_DOCS["params"])
def par_score(kind: Any, max_points: Any, v1: Any = None, v2: Any = None, params: Any = "") -> Any:
    """Điểm của một tiêu chí thành phần tính từ số liệu theo cách chấm (cột "Điểm theo số liệu").
    Nhận cả vùng: mỗi dòng một tiêu chí, trả về một mảng."""
    return _call(core.par_score, kind, max_points, v1, v2, params)


@xw.func(category="parxl")
@xw.arg("status", ndim=2, err_to_str=True, doc=ARG_DOCS["status"])
@xw.arg("inputs", ndim=2, err_to_str=True, doc=ARG_DOCS["inputs"])
@xw.arg("raw", ndim=2, err_to_str=True, doc=ARG_DOCS["raw"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
@xw.arg("penalty", ndim=2, err_to_str=True, doc=ARG_DOCS["penalty"])
def par_status(status: Any, inputs: Any, raw: Any, max_points: Any, penalty: Any = False) -> Any:
    """Trạng thái tính điểm: tình trạng đã chọn; nếu chưa chọn thì "Chưa xác định" khi chưa có số liệu,
    "Đạt" khi đạt điểm tối đa (điểm trừ: khi không bị trừ điểm nào), còn lại "Không đạt"."""
    return _call(core.par_status, status, inputs, raw, max_points, penalty)


@xw.func(category="parxl")
@xw.arg("status", ndim=2, err_to_str=True, doc=ARG_DOCS["status"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
def par_applicable(status: Any, max_points: Any) -> Any:
    """Điểm tối đa áp dụng: 0 nếu "Không áp dụng", ngược lại bằng điểm tối đa."""
    return _call(core.par_applicable, status, max_points)


@xw.func(category="parxl")
@xw.arg("status", ndim=2, err_to_str=True, doc=ARG_DOCS["status"])
@xw.arg("raw", ndim=2, err_to_str=True, doc=ARG_DOCS["raw"])
def par_achieved(status: Any, raw: Any) -> Any:
    """Điểm đạt: 0 nếu không áp dụng, chưa đến hạn hoặc chưa xác định; ngược lại là điểm theo số liệu."""
    return _call(core.par_achieved, status, raw)


@xw.func(category="parxl")
@xw.arg("status", ndim=2, err_to_str=True, doc=ARG_DOCS["status"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
def par_open(status: Any, max_points: Any) -> Any:
    """Điểm chưa xác định: bằng điểm tối đa khi "Chưa đến hạn" hoặc "Chưa xác định", ngược lại 0."""
    return _call(core.par_open, status, max_points)


@xw.func(category="parxl")
@xw.arg("applicable", ndim=2, err_to_str=True, doc=ARG_DOCS["applicable"])
@xw.arg("achieved", ndim=2, err_to_str=True, doc=ARG_DOCS["achieved"])
@xw.arg("open_points", ndim=2, err_to_str=True, doc=ARG_DOCS["open_points"])
def par_deducted(applicable: Any, achieved: Any, open_points: Any = 0.0) -> Any:
    """Điểm bị trừ = điểm tối đa áp dụng − điểm đạt − điểm chưa xác định."""
    return _call(core.par_deducted, applicable, achieved, open_points)


@xw.func(category="parxl")
@xw.arg("deducted", ndim=2, err_to_str=True, doc=ARG_DOCS["deducted"])
@xw.arg("total", ndim=2, err_to_str=True, doc=ARG_DOCS["total"])
def par_share(deducted: Any, total: Any) -> Any:
    """Tỷ lệ trên tổng số điểm bị trừ (ví dụ 1,5 trên 6,77 điểm bị trừ = 22,16%)."""
    return _call(core.par_share, deducted, total)


@xw.func(category="parxl")
@xw.arg("achieved", ndim=2, err_to_str=True, doc=ARG_DOCS["achieved"])
@xw.arg("applicable", ndim=2, err_to_str=True, doc=ARG_DOCS["applicable"])
def par_index(achieved: Any, applicable: Any) -> Any:
    """Tỷ lệ đạt (chỉ số) = điểm đạt ÷ điểm tối đa áp dụng; 0 khi không có điểm áp dụng."""
    return _call(core.par_index, achieved, applicable)


@xw.func(category="parxl")
@xw.arg("values", ndim=2, err_to_str=True, doc=ARG_DOCS["values"])
@xw.arg("cap", ndim=2, err_to_str=True, doc=ARG_DOCS["cap"])
def par_bonus(values: Any, cap: Any) -> Any:
    """Điểm thưởng được tính: tổng điểm thưởng, không vượt giới hạn."""
    return _call(core.par_bonus, values, cap)


@xw.func(category="parxl")
@xw.arg("value", ndim=2, err_to_str=True, doc=ARG_DOCS["value"])
@xw.arg("peers", ndim=2, err_to_str=True, doc=ARG_DOCS["peers"])
@xw.arg("descending", ndim=2, err_to_str=True, doc=ARG_DOCS["descending"])
def par_rank(value: Any, peers: Any, descending: Any = True) -> Any:
    """Thứ hạng trong các đơn vị so sánh (1 = cao nhất; bằng điểm thì cùng hạng)."""
    return _call(core.par_rank, value, peers, descending)


@xw.func(category="parxl")
@xw.arg("statuses", ndim=2, err_to_str=True, doc=ARG_DOCS["statuses"])
@xw.arg("maxes", ndim=2, err_to_str=True, doc=ARG_DOCS["maxes"])
@xw.arg("achieved", ndim=2, err_to_str=True, doc=ARG_DOCS["achieved"])
def par_range(statuses: Any, maxes: Any, achieved: Any) -> Any:
    """Khoảng điểm giữa kỳ (mảng 2 ô): điểm chắc chắn đạt và điểm có thể đạt tối đa."""
    return _call(core.par_range, statuses, maxes, achieved)


@xw.func(category="parxl")
@xw.arg("rows", ndim=2, err_to_str=True, doc=ARG_DOCS["rows"])
def par_check(rows: Any) -> Any:
    """Kiểm tra các dòng tiêu chí: liệt kê tình trạng sai, số liệu không phải số, số âm, ô chưa nhập."""
    return _call(core.par_check, rows)


@xw.func(category="parxl")
@xw.arg("text", ndim=2, err_to_str=True, doc=ARG_DOCS["text"])
def par_number(text: Any) -> Any:
    """Đọc số viết kiểu Việt Nam: '93,23' → 93,23; '22.583.451' → 22583451; '77,7%' → 0,777."""
    return _call(core.par_number, text)


@xw.func(category="parxl")
@xw.arg("kind", ndim=2, err_to_str=True, doc=ARG_DOCS["kind"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
@xw.arg("status", ndim=2, err_to_str=True, doc=ARG_DOCS["status"])
@xw.arg("v1", ndim=2, err_to_str=True, doc=ARG_DOCS["v1"])
@xw.arg("v2", ndim=2, err_to_str=True, doc=ARG_DOCS["v2"])
@xw.arg("params", ndim=2, err_to_str=True, doc=ARG_DOCS["params"])
@xw.arg("group", ndim=2, err_to_str=True, doc=ARG_DOCS["group"])
def par_item(kind: Any, max_points: Any, status: Any = None, v1: Any = None, v2: Any = None,
             params: Any = "", group: Any = "") -> Any:
    """Mọi kết quả của một tiêu chí trên một dòng (6 ô): điểm theo số liệu, trạng thái, tối đa áp dụng,
    điểm đạt, điểm bị trừ, điểm chưa xác định."""
    return _call(core.par_item, kind, max_points, status, v1, v2, params, group)


@xw.func(category="parxl")
@xw.arg("kind", ndim=2, err_to_str=True, doc=ARG_DOCS["kind"])
@xw.arg("max_points", ndim=2, err_to_str=True, doc=ARG_DOCS["max_points"])
@xw.arg("params", ndim=2, err_to_str=True, doc=ARG_DOCS["params"])
def par_describe(kind: Any, max_points: Any, params: Any = "") -> Any:
    """Diễn giải cách chấm bằng lời (như cột "Cách chấm" của biểu mẫu)."""
    return _call(core.par_describe, kind, max_points, params)


@xw.func(category="parxl")
def par_kinds() -> Any:
    """Danh sách các cách chấm: tên và diễn giải (mảng 2 cột)."""
    return _call(core.par_kinds)


DESKTOP_FUNCTIONS = {
    name: globals()[name.lower()] for name in core.FUNCTIONS
}
