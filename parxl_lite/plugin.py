"""The xlwings Lite plugin: parxl's custom functions and scripts (buttons) for Excel.

In xlwings Lite add ``parxl`` to requirements.txt; if the functions and buttons do not appear
by themselves, write this one line into main.py::

    from parxl_lite.plugin import *

Custom functions (``=PAR_SCORE(...)``, ``=PAR_SHARE(...)``, …) are those of :mod:`udfs.server`
(the same Python core as the desktop add-in, same results, same Vietnamese error hints).
Scripts work on the open workbook only, since xlwings Lite cannot reach local folders:
collecting a folder of returns stays a desktop/CLI job (``parxl collect``).

In CPython, ``xlwings.server`` needs ``XLWINGS_LICENSE_KEY=noncommercial`` (xlwings PRO's
PolyForm Noncommercial licence; government bodies qualify) before this module is imported;
xlwings Lite needs nothing.
"""

from __future__ import annotations

import xlwings as xw
from xlwings.server import script

from parxl_lite import scripts as _impl
from udfs import core as _core
from udfs import server as _server

# the PAR_* custom functions of xlwings Server, as members of this module (that is what xlwings
# Lite registers): par_score, par_status, par_share, …
FUNCTIONS = [name.lower() for name in _core.FUNCTIONS]
for _name in FUNCTIONS:
    globals()[_name] = getattr(_server, _name)
del _name


@script(name="parxl: Tính điểm")
def tinh_diem(book: xw.Book) -> None:
    """Tính điểm biểu mẫu đang mở, ghi trang Kết quả."""
    _impl.tinh_diem(book)


@script(name="parxl: Kiểm tra số liệu")
def kiem_tra(book: xw.Book) -> None:
    """Kiểm tra mọi số liệu đã nhập, ghi trang Kiểm tra."""
    _impl.kiem_tra(book)


@script(name="parxl: Báo cáo")
def bao_cao(book: xw.Book) -> None:
    """Thêm trang Báo cáo: bảng và biểu đồ kết quả."""
    _impl.bao_cao(book)


@script(name="parxl: Nhập số liệu")
def nhap_so_lieu(book: xw.Book) -> None:
    """Ghi bảng nhập liệu ở trang Nhập liệu vào biểu mẫu, theo mã tiêu chí."""
    _impl.nhap_so_lieu(book)


@script(name="parxl: Tạo biểu mẫu")
def tao_bieu_mau(book: xw.Book) -> None:
    """Thêm các trang biểu mẫu của bộ tiêu chí ghi ở ô đang chọn."""
    _impl.tao_bieu_mau(book)


__all__ = ["bao_cao", "kiem_tra", "nhap_so_lieu", "tao_bieu_mau", "tinh_diem", *FUNCTIONS]
