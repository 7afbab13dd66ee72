"""parxl for xlwings Server and xlwings Lite (Office.js): Excel on the web, on Mac, no local Python.

Point the server at this module (xlwings Server: ``from udfs.server import *`` in both
``custom_functions/__init__.py`` and ``custom_scripts/__init__.py`` of the server project, and
one ``xw-click`` button per script in its task pane; xlwings Lite uses
:mod:`parxl_lite.plugin` instead). It exposes

* the same ``PAR_*`` custom functions as :mod:`udfs.functions` (same Python core, same
  results); a bad argument gives ``#VALUE!`` whose message (hover the error flag) is the
  Vietnamese reason; inside arrays a bad element is ``#VALUE!``/``#N/A``;
* the macros of :mod:`udfs.macros` as custom scripts (task pane buttons).

In CPython ``xlwings.server`` needs a licence key: ``XLWINGS_LICENSE_KEY=noncommercial`` (the
PolyForm Noncommercial licence; government bodies qualify) must be set before import.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import xlwings as xw
import xlwings.server as s
from xlwings import XlwingsError

from udfs import core, functions, macros
from udfs.macros import payload_from_workbook

__all__ = [
    "bao_cao",
    "payload_from_workbook",
    "phan_phoi",
    "tao_bieu_mau",
    "thu_thap",
    "tinh_diem",
    *(n.lower() for n in core.FUNCTIONS),
]


def _element_error(err: core.XlErr) -> str:
    return err.code  # Office.js turns "#VALUE!"/"#N/A" strings into real error values


def _server_function(name: str) -> Any:
    desktop = getattr(functions, name)
    impl = core.guarded(core.FUNCTIONS[name.upper()], _element_error)
    raw = core.FUNCTIONS[name.upper()]

    @functools.wraps(desktop)
    def call(*args: Any) -> Any:
        args = tuple(core.unwrap(a) for a in args)
        try:
            raw_result = raw(*args)
        except core.InputCellError as exc:
            return exc.code  # an argument showing #N/A: #N/A, as the native formulas give
        except core.UdfError as exc:
            # a scalar error: #VALUE! in the cell with the Vietnamese reason as its message
            raise XlwingsError(f"{exc.code} {exc.hint}") from None
        except Exception:
            return impl(*args)  # a bug: an error value, never a traceback
        return core.map_errors(raw_result, _element_error)

    call.__dict__.pop("__xlfunc__", None)  # rebuilt below for the Office.js runtime
    call.__module__ = __name__
    call.__qualname__ = name
    s.func(call)
    for param in inspect.signature(desktop).parameters:
        if param in functions.ARG_DOCS:
            s.arg(param, ndim=2, err_to_str=True, doc=functions.ARG_DOCS[param])(call)
    return call


for _name in core.FUNCTIONS:
    globals()[_name.lower()] = _server_function(_name.lower())
del _name


# --------------------------------------------------------------------------- scripts
@s.script(name="Tạo biểu mẫu")
def tao_bieu_mau(book: xw.Book) -> None:
    """Tạo biểu mẫu của bộ tiêu chí chọn ở trang Điều khiển."""
    macros.tao_bieu_mau(book)


@s.script(name="Phát hành cho các đơn vị")
def phan_phoi(book: xw.Book) -> None:
    """Tạo một biểu mẫu cho mỗi đơn vị chủ trì."""
    macros.phan_phoi(book)


@s.script(name="Thu thập biểu mẫu trả về")
def thu_thap(book: xw.Book) -> None:
    """Thu thập, kiểm tra, tổng hợp các biểu mẫu trả về."""
    macros.thu_thap(book)


@s.script(name="Tính điểm")
def tinh_diem(book: xw.Book) -> None:
    """Tính điểm biểu mẫu đang mở và ghi trang Kết quả."""
    macros.tinh_diem(book)


@s.script(name="Lập báo cáo")
def bao_cao(book: xw.Book) -> None:
    """Lập báo cáo Word theo loại chọn ở trang Điều khiển."""
    macros.bao_cao(book)
