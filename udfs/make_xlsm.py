"""Build the ready-made workbooks in ``workbooks/``: ``python -m udfs.make_xlsm [folder]``.

* ``parxl_excel.xlsm`` — the macro workbook staff use: a control sheet "Điều khiển" with the
  settings (framework, folder, body, year, formula type, report type) as dropdowns and one
  button per job, plus an ``xlwings.conf`` sheet. Its VBA is xlwings' standalone module, taken
  unchanged from the ``vbaProject.bin`` of the ``quickstart_standalone.xlsm`` xlwings ships
  (text copy in ``udfs/vba/``): every button runs ``SampleCall``, i.e. RunPython
  ``import parxl_excel; parxl_excel.main()``, and :func:`udfs.macros.main` runs the job of the
  button clicked (or the one chosen in "Thao tác").
* ``parxl_excel.py`` — the module that call imports (beside the workbook).
* ``<framework id>.xlsx`` — the template of each built-in framework (native formulas).

The output is reproducible (fixed document dates; XlsxWriter writes fixed zip timestamps), so
a test can check that the committed files are current.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import xlsxwriter

from parxl.workbook.layout import RESULTS
from udfs import macros

WORKBOOK = "parxl_excel.xlsm"
MODULE = "parxl_excel.py"
FIXED_DATE = dt.datetime(2024, 1, 1)

MODULE_TEXT = '''"""Called by the buttons of parxl_excel.xlsm: RunPython "import parxl_excel; parxl_excel.main()".

Keep this file beside parxl_excel.xlsm; the work is done by parxl (pip install . in its source folder), see
udfs/macros.py.
"""

from udfs.macros import main

__all__ = ["main"]
'''


def standalone_vba() -> bytes:
    """xlwings' standalone VBA project (RunPython, SampleCall, settings), from its package."""
    import xlwings

    source = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(source) as zf:
        return zf.read("xl/vbaProject.bin")


def control_rows() -> list[tuple[str, object, list[str] | None, str]]:
    """(label, default value, dropdown choices, help) of the control sheet, top to bottom."""
    from parxl.framework import builtin_ids

    return [
        (macros.LBL_FRAMEWORK, builtin_ids()[0] if builtin_ids() else "", builtin_ids() or None,
         "Mã bộ tích hợp, hoặc đường dẫn tệp bộ tiêu chí: .yaml, hay .xlsx, .docx của quyết định"),
        (macros.LBL_FOLDER, "", None, "Để trống: thư mục chứa tệp này. Trong đó parxl dùng các thư mục "
         f"'{macros.ISSUE_FOLDER}', '{macros.RETURN_FOLDER}', '{macros.REPORT_FOLDER}'"),
        (macros.LBL_BODY, "", None, "Tên cơ quan, đơn vị được đánh giá"),
        (macros.LBL_YEAR, "", None, "Ví dụ 2024"),
        (macros.LBL_FLAVOR, "Công thức Excel", list(macros.FLAVORS), "Hàm parxl (UDF) cần bổ trợ xlwings"),
        (macros.LBL_FILE, "", None, "Biểu mẫu cần tính điểm / lập báo cáo (để trống: tệp tổng hợp trả về)"),
        (macros.LBL_REPORT, "Báo cáo tự đánh giá", list(macros.REPORTS), ""),
        (macros.LBL_ACTION, "Tính điểm", list(macros.ACTIONS), "Nút 'Thực hiện' chạy thao tác này"),
        (macros.LBL_STATUS, "", None, ""),
    ]


# Only keys with a value: a key present on the sheet, even empty, overrides the xlwings add-in's
# settings (the VBA's GetConfig reads the sheet first), e.g. the interpreter chosen on the ribbon.
CONF_ROWS = [("UDF Modules", "udfs.functions")]
CONF_NOTES = [
    "Thiết lập xlwings riêng của tệp này: cột A là tên, cột B là giá trị, các dòng liền nhau từ A1.",
    "Để dùng Python khác với bổ trợ xlwings, thêm dòng: Interpreter_Win | C:\\...\\python.exe",
    "(Mac: Interpreter_Mac). Dòng có tên mà để trống sẽ che mất thiết lập của bổ trợ.",
]


def build_xlsm() -> bytes:
    """The bytes of parxl_excel.xlsm."""
    import xlwings

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": "parxl — Chỉ số cải cách hành chính trong Excel", "author": "parxl",
                       "created": FIXED_DATE, "comments": f"xlwings {xlwings.__version__} standalone VBA"})
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(io.BytesIO(standalone_vba()), is_stream=True)
    font = "Times New Roman"
    title = wb.add_format({"font_name": font, "font_size": 16, "bold": True, "font_color": "1F4E78"})
    note = wb.add_format({"font_name": font, "font_size": 10, "italic": True, "text_wrap": True,
                          "valign": "top"})
    label = wb.add_format({"font_name": font, "font_size": 11, "bold": True, "border": 1, "bg_color": "DDEBF7"})
    value = wb.add_format({"font_name": font, "font_size": 11, "border": 1, "bg_color": "FFF2CC",
                           "locked": False})
    status = wb.add_format({"font_name": font, "font_size": 11, "border": 1, "text_wrap": True,
                            "valign": "top", "bg_color": "E2EFDA", "locked": False})  # macros write here
    text = wb.add_format({"font_name": font, "font_size": 11})
    plain_note = wb.add_format({"font_name": font, "font_size": 10, "italic": True})

    ws = wb.add_worksheet(macros.CONTROL)
    ws.set_vba_name("Sheet1")
    ws.hide_gridlines(2)
    ws.set_column("A:A", 2)
    ws.set_column("B:B", 24)
    ws.set_column("C:C", 46)
    ws.set_column("D:D", 60)
    ws.write_string("B1", "PARXL — CHỈ SỐ CẢI CÁCH HÀNH CHÍNH TRONG EXCEL", title)
    ws.write_string("B2", "Nhập các ô màu vàng rồi bấm nút. Kết quả của mỗi lần chạy hiện ở ô "
                          f"'{macros.LBL_STATUS}'.", plain_note)
    first = 4
    for i, (lbl, default, choices, hint) in enumerate(control_rows()):
        r = first + i
        ws.write_string(r - 1, 1, lbl, label)
        fmt = status if lbl == macros.LBL_STATUS else value
        if isinstance(default, str):
            ws.write_string(r - 1, 2, default, fmt)
        else:
            ws.write(r - 1, 2, default, fmt)
        if hint:
            ws.write_string(r - 1, 3, hint, note)
        if choices:
            ws.data_validation(r - 1, 2, r - 1, 2, {
                "validate": "list", "source": choices,
                "error_title": "Giá trị không hợp lệ", "error_message": (
                    "Chọn bộ tích hợp trong danh sách, hoặc gõ đường dẫn tệp bộ tiêu chí (.yaml, .xlsx, .docx) rồi "
                    "bấm Yes (Có) để giữ." if lbl == macros.LBL_FRAMEWORK else "Chọn trong danh sách."),
                "error_type": "warning" if lbl == macros.LBL_FRAMEWORK else "stop"})
        if lbl == macros.LBL_STATUS:
            ws.set_row(r - 1, 60)
    buttons_row = first + len(control_rows()) + 1
    ws.write_string(buttons_row - 1, 1, "Các việc trong năm", label)
    # all call xlwings' SampleCall; udfs.macros.main reads the clicked button's caption
    for i, name in enumerate(macros.BUTTONS):
        ws.insert_button(buttons_row + i, 2, {"macro": "SampleCall", "caption": f"{i + 1}. {name}",
                                              "width": 300, "height": 26})
    ws.insert_button(buttons_row + len(macros.BUTTONS) + 1, 2, {
        "macro": "SampleCall", "caption": "▶ Thực hiện thao tác đã chọn", "width": 300, "height": 26})
    guide_row = buttons_row + len(macros.BUTTONS) + 4
    guide = [
        "Cách dùng:",
        "1. Cài Python và parxl (pip install . trong thư mục mã nguồn parxl), cài bổ trợ xlwings (xlwings addin install) và chọn "
        "Interpreter trên thẻ xlwings (hoặc thêm dòng Interpreter_Win ở trang xlwings.conf).",
        "2. Tạo biểu mẫu: chọn bộ tiêu chí, bấm nút 1. Phát hành: nút 2 tạo mỗi đơn vị chủ trì một tệp.",
        f"3. Các đơn vị điền xong, chép tệp vào thư mục '{macros.RETURN_FOLDER}', bấm nút 3 để thu thập, "
        "kiểm tra và tổng hợp.",
        f"4. Nút 4 tính điểm tệp ghi ở ô '{macros.LBL_FILE}' và ghi trang '{RESULTS}'; nút 5 lập báo cáo Word.",
        "5. Hàm Excel PAR_SCORE, PAR_SHARE, PAR_INDEX… : cài bổ trợ xlwings (xlwings addin install) rồi "
        "Import Functions với UDF Modules = udfs.functions.",
        "Nếu nút không chạy đúng việc (Excel trên Mac), chọn việc ở ô 'Thao tác' rồi bấm 'Thực hiện'.",
    ]
    for i, line in enumerate(guide):
        ws.write_string(guide_row + i - 1, 1, line, label if i == 0 else text)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"objects": False})
    ws.activate()

    conf = wb.add_worksheet("xlwings.conf")
    conf.set_vba_name("Sheet2")
    conf.set_column("A:A", 20)
    conf.set_column("B:B", 40)
    for i, (key, val) in enumerate(CONF_ROWS):
        conf.write_string(i, 0, key)
        if isinstance(val, bool):
            conf.write_boolean(i, 1, val)
        else:
            conf.write_string(i, 1, val)
    conf.set_column("D:D", 90)
    for i, line in enumerate(CONF_NOTES):
        conf.write_string(i, 3, line)
    wb.close()
    return buf.getvalue()


def write_all(folder: str | Path) -> list[Path]:
    """Write the macro workbook, its module and the built-in templates into ``folder``."""
    from parxl.framework import builtin, builtin_ids
    from parxl.workbook.build import build_template
    from parxl.workbook.save import atomic_write_bytes

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / WORKBOOK, build_xlsm())
    atomic_write_bytes(out / MODULE, MODULE_TEXT.encode("utf-8"))
    paths = [out / WORKBOOK, out / MODULE]
    for fid in builtin_ids():
        paths.append(build_template(builtin(fid), out / f"{fid}.xlsx"))
    return paths


if __name__ == "__main__":  # pragma: no cover
    target = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent / "workbooks")
    for p in write_all(target):
        print(p)
