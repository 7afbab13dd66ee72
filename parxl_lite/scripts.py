"""What parxl's xlwings Lite scripts do, on the open workbook only (no files, no folders).

Each function takes the open workbook (an ``xlwings.Book``: in xlwings Lite and xlwings Server
one built from the JSON Excel sends) and returns a :class:`ScriptResult`. Nothing here imports
xlwings: :mod:`parxl_lite.plugin` wraps these functions with xlwings' ``@script``.

=====================  =====================================================================
``tinh_diem``          score the open template, write the sheet "Kết quả"
``kiem_tra``           check every input as the desktop collect does, write "Kiểm tra"
``bao_cao``            add the sheet "Báo cáo": tables and native Excel charts
``nhap_so_lieu``       fill the template from an input table pasted into the sheet "Nhập liệu"
``tao_bieu_mau``       build the sheets of a built-in framework's template in the open book
=====================  =====================================================================

A script run on a workbook that is not a parxl template (or lacks what it needs) shows a
Vietnamese message and changes nothing: every check runs before the first write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parxl.framework.model import code_order
from parxl.score import Scores, score_values
from parxl.workbook import layout as L
from parxl.workbook.values import OpenTemplate
from udfs.macros import (
    NOT_TEMPLATE,
    MacroError,
    add_template_sheets,
    exempt_rate,
    failure,
    fresh_sheet,
    own_sheet,
    read_open_template,
    replaces,
    safe_text,
    score_text,
    sheet_names,
    sheet_rows,
    text_grid,
    write_results,
)

TITLE = "parxl"
INPUT_SHEET = L.INPUT
REPORT_SHEET = L.REPORT


@dataclass
class ScriptResult:
    ok: bool
    message: str


class ScriptError(MacroError):
    """The script cannot run on this workbook; the message is shown and nothing is changed."""


# --------------------------------------------------------------------------- the open book
def open_template(book: Any) -> OpenTemplate:
    t = read_open_template(book)
    if t is None:
        raise ScriptError(f"{NOT_TEMPLATE}. Hãy mở biểu mẫu do parxl tạo, hoặc chạy 'Tạo biểu mẫu' trên "
                          "một tệp trống. Không có gì bị thay đổi.")
    return t


def notify(book: Any, message: str, ok: bool = True) -> ScriptResult:
    """Show the message in Excel (a dialog) and in xlwings Lite's output pane."""
    print(message)
    with contextlib.suppress(Exception):  # no dialogs in this runtime: the output pane says it
        book.app.alert(message, TITLE)
    return ScriptResult(ok, message)


def run(book: Any, action: Callable[[Any], str]) -> ScriptResult:
    """Run a script; any failure becomes a Vietnamese message (never a traceback in Excel) and
    the writes queued before it are dropped, so a failed script changes nothing."""
    try:
        return notify(book, action(book))
    except Exception as exc:
        return notify(book, failure(book, exc, "Hãy gửi nội dung khung Output cho bộ phận hỗ trợ."), ok=False)


# --------------------------------------------------------------------------- score
def tinh_diem(book: Any) -> ScriptResult:
    """Score the open template with parxl's Python evaluator; write the sheet "Kết quả" (the same
    sheet and message as the desktop macro, the values to review as 'Kiểm tra' finds them)."""

    def action(book: Any) -> str:
        t = open_template(book)
        return write_results(book, t, t.name, issues_of(t))

    return run(book, action)


# --------------------------------------------------------------------------- check
def issues_of(t: OpenTemplate) -> list[Any]:
    """Every problem of the open template, by the desktop collect's checks (same messages),
    in item order."""
    # the file reader's lxml: imported on use
    from parxl.office.check import check_template, in_item_order

    return in_item_order(check_template(t))


CHECK_HEADERS = ("Tệp", "Trang", "Ô", "Mã mục", "Đơn vị chủ trì", "Mức độ", "Nội dung")


def kiem_tra(book: Any) -> ScriptResult:
    """Check every input of the open template; write the problems into the sheet "Kiểm tra"."""

    def action(book: Any) -> str:
        from parxl.office.check import ERROR, warnings_text

        t = open_template(book)
        issues = issues_of(t)
        errors = sum(1 for i in issues if i.severity == ERROR)
        rows: list[list[Any]] = [
            [f"KIỂM TRA SỐ LIỆU — {t.name}: {errors} lỗi, {warnings_text(issues)}"],
            [f"Bộ tiêu chí: {t.framework.name}"],
            list(CHECK_HEADERS),
        ]
        rows += [[t.name, i.sheet, i.cell, i.item, i.office, i.severity, i.message] for i in issues]
        if not issues:
            rows.append(["Không phát hiện vấn đề nào."])
        sheet = fresh_sheet(book, L.CHECKS)
        sheet["A1"].value = text_grid(rows)
        for col, width in zip("ABCDEFG", (20, 14, 8, 9, 22, 10, 90), strict=True):
            sheet[f"{col}:{col}"].column_width = width
        sheet["A1"].font.bold = True
        if not issues:
            return f"Không phát hiện vấn đề nào. Xem trang '{L.CHECKS}'."
        return f"{errors} lỗi, {warnings_text(issues)}. Chi tiết ở trang '{L.CHECKS}'."

    return run(book, action)


# --------------------------------------------------------------------------- report sheet
def report_blocks(t: OpenTemplate, s: Scores) -> dict[str, list[list[Any]]]:
    """The report's tables, each headed by its column names: the overall result, the domains,
    the share of deducted points by domain and the sub-criteria that lost points. The first
    column of "domains" and "shares" is a short label, so the charts read well. A domain's
    maximum is its applicable one (items not applicable are no deduction), its rate "Miễn" when
    it has none, as in Tổng hợp and the Word reports."""
    fw = t.framework
    domains: list[list[Any]] = [[
        "Lĩnh vực", "Điểm tối đa áp dụng", "Điểm đạt", "Điểm bị trừ", "Điểm chưa xác định",
        "Tỷ lệ trên tổng điểm bị trừ", "Tỷ lệ đạt", "Tên lĩnh vực",
    ]]
    shares: list[list[Any]] = [["Lĩnh vực", "Điểm bị trừ", "Tỷ lệ trên tổng điểm bị trừ"]]
    for d in fw.domains:
        g = s.domains[d.code]
        label = f"Lĩnh vực {d.code}"
        domains.append([label, g.applicable, g.achieved, g.deducted, g.open, g.share,
                        exempt_rate(g.applicable, g.index), d.name])
        if g.deducted > 0:
            shares.append([label, g.deducted, g.share])
    lost: list[list[Any]] = [["Mã", "Nội dung", "Đơn vị chủ trì", "Điểm tối đa", "Điểm bị trừ",
                              "Trạng thái"]]
    items = [(i, s.items[i.code]) for i in fw.base_items if s.items[i.code].deducted > 0]
    for item, sc in sorted(items, key=lambda p: (-p[1].deducted, code_order(p[0].code))):
        lost.append([item.code, item.name, item.office, sc.max, sc.deducted, sc.status])
    summary: list[list[Any]] = [
        ["Chỉ tiêu", "Giá trị"],
        ["Điểm cơ bản đạt được", s.base.achieved],
        ["Điểm thưởng được tính", s.bonus],
        ["Điểm trừ", s.penalty],
        ["Tổng điểm", s.total],
        ["Chỉ số cải cách hành chính", s.index],
        ["Điểm bị trừ", s.base.deducted],
        ["Điểm chưa xác định", s.base.open],
        ["Có thể đạt tối đa", s.reachable],
    ]
    return {"summary": summary, "domains": domains, "shares": shares, "lost": lost}


REPORT_TABLES = (
    ("summary", "parxl_KetQua", {2: "0.00"}),
    ("domains", "parxl_LinhVuc", {2: "0.00", 3: "0.00", 4: "0.00", 5: "0.00", 6: "0.00%",
                                  7: "0.00%"}),
    ("shares", "parxl_TyLeBiTru", {2: "0.00", 3: "0.00%"}),
    ("lost", "parxl_BiTru", {4: "0.00", 5: "0.00"}),
)


def bao_cao(book: Any) -> ScriptResult:
    """Add the sheet "Báo cáo": result, domains, shares and lost points as Excel tables, with a
    bar chart (achieved vs applicable maximum by domain) and a pie chart (share of deducted points)."""

    def action(book: Any) -> str:
        t = open_template(book)
        s = score_values(t.framework, t.values)
        blocks = report_blocks(t, s)
        if replaces(book, REPORT_SHEET):
            book.sheets[REPORT_SHEET].delete()  # its tables and charts go with it
        sheet = book.sheets.add(REPORT_SHEET, after=book.sheets[len(book.sheets) - 1])
        title = f"BÁO CÁO KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH — {t.body or t.name}"
        sheet["A1"].value = [[title], [f"Bộ tiêu chí: {t.framework.name}; năm: {t.year or '…'}"]]
        sheet["A1"].font.bold = True
        row = 4
        at: dict[str, tuple[int, int]] = {}  # block -> (header row, number of data rows)
        for key, name, formats in REPORT_TABLES:
            rows = blocks[key]
            if len(rows) == 1:  # nothing deducted: no shares, no lost points
                if key == "lost":
                    sheet[f"A{row}"].value = "Không có tiêu chí thành phần nào bị trừ điểm."
                    row += 2
                continue
            sheet[f"A{row}"].value = text_grid(rows)
            rng = sheet.range((row, 1), (row + len(rows) - 1, len(rows[0])))
            sheet.tables.add(source=rng, name=name, has_headers=True,
                             table_style_name="TableStyleMedium2")
            for col, fmt in formats.items():
                sheet.range((row + 1, col), (row + len(rows) - 1, col)).number_format = fmt
            at[key] = (row, len(rows) - 1)
            row += len(rows) + 2
        summary_row = at["summary"][0]
        sheet.range((summary_row + 5, 2), (summary_row + 5, 2)).number_format = "0.00%"  # index
        sheet["A:A"].column_width = 28
        sheet["B:B"].column_width = 48
        drow, n = at["domains"]
        bars = sheet.charts.add(left=620, top=20, width=480, height=300, chart_type="bar_clustered",
                                name="parxl_DiemLinhVuc")
        bars.set_source_data(sheet.range((drow, 1), (drow + n, 3)))  # label, applicable maximum, achieved
        if "shares" in at:
            srow, m = at["shares"]
            pie = sheet.charts.add(left=620, top=340, width=480, height=300, chart_type="pie",
                                   name="parxl_TyLeBiTru")
            pie.set_source_data(sheet.range((srow, 1), (srow + m, 2)))  # label, deducted
        return f"Đã thêm trang '{REPORT_SHEET}'. {score_text(s)}."

    return run(book, action)


# --------------------------------------------------------------------------- fill
def input_table(rows: list[list[Any]]) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], int]]:
    """The pasted input table (columns code, field, value, found by header text in the first
    ten rows), read as 'parxl fill' reads the table."""
    from parxl.inputs import sheet_values, table_header

    at, cols, problem = table_header(rows)
    if problem:
        raise ScriptError(f"Trang '{INPUT_SHEET}', dòng {at + 1}: {problem}. Không có gì bị thay đổi.")
    if not cols:
        raise ScriptError(
            f"Trang '{INPUT_SHEET}' phải có dòng tiêu đề với các cột 'code', 'field', 'value' "
            "(dán bảng nhập liệu do lệnh 'parxl inputs' tạo). Không có gì bị thay đổi."
        )
    values, lines, dupes = sheet_values(rows, at, cols)
    if dupes:
        raise ScriptError(
            f"Trang '{INPUT_SHEET}' có dòng trùng: " + "; ".join(dupes) + ". Không có gì bị thay đổi."
        )
    return values, lines


# the sheets of scores and checks parxl writes (collect, or these scripts), and the script that
# writes each again
STALE_AFTER_FILL = ((L.RESULTS, "Tính điểm"), (L.CHECKS, "Kiểm tra số liệu"), (REPORT_SHEET, "Báo cáo"))


def stale_sheets(book: Any) -> list[tuple[str, str]]:
    """The sheets parxl wrote from the values as they were (collect's 'Kết quả' and 'Kiểm tra'
    of a consolidated workbook, or these scripts'): new values make them wrong. A user's own
    sheet of that name, or an empty one, is not among them."""
    names = sheet_names(book)
    out = []
    for name, script in STALE_AFTER_FILL:
        if name in names:
            rows = sheet_rows(book.sheets[name])
            if own_sheet(rows) and any(v not in (None, "") for r in rows for v in r):
                out.append((name, script))
    return out


def nhap_so_lieu(book: Any) -> ScriptResult:
    """Write the values of the input table in sheet "Nhập liệu" into the open template, by item
    code; every value is checked first (one message lists every bad value; nothing written).
    The sheets of scores and checks of the values before (:func:`stale_sheets`) are deleted, and
    the message says so, as 'parxl fill' drops collect's 'Kết quả'."""

    def action(book: Any) -> str:
        from parxl.inputs import BODY, check_office, check_rows, check_summary, check_values

        t = open_template(book)
        if INPUT_SHEET not in sheet_names(book):
            raise ScriptError(
                f"Không có trang '{INPUT_SHEET}': hãy thêm trang này và dán bảng nhập liệu (các cột "
                "code, field, value). Không có gì bị thay đổi."
            )
        values, lines = input_table(sheet_rows(book.sheets[INPUT_SHEET]))
        if not values:
            raise ScriptError(f"Trang '{INPUT_SHEET}' chưa có giá trị nào. Không có gì bị thay đổi.")
        clean = check_values(t.framework, values, f"{t.name}, trang {INPUT_SHEET}", lines)
        # as 'parxl fill': every value has its row, and a copy issued to one office takes only
        # that office's items (Excel refuses writes into the others' locked rows)
        check_rows(t.framework, clean, t.cells, t.name, lines)
        check_office(t.framework, clean, t.meta, t.name)
        if t.meta.get("kind") == L.KIND_OFFICE:  # its body's name and year are written and locked
            fixed = {(BODY, "name"): t.body, (BODY, "year"): t.year}
            changed = [k for k in clean if k in fixed and str(clean[k]) != fixed[k]]
            if changed:
                raise ScriptError(
                    f"Biểu mẫu phát hành cho đơn vị '{t.meta.get('office', '')}' đã ghi sẵn cơ quan "
                    f"'{t.body}', năm '{t.year}' (ô bị khoá); bảng nhập liệu ghi khác: "
                    + ", ".join(f"{k[1]} '{clean[k]}'" for k in changed) + ". Không có gì bị thay đổi."
                )
            clean = {k: v for k, v in clean.items() if k not in fixed}
        check_summary(clean, sheet_names(book), t.name)  # every check before the first write
        by_sheet: dict[str, list[tuple[str, Any]]] = {}
        for key, value in clean.items():
            if key[0] == BODY:
                by_sheet.setdefault(L.SUMMARY, []).append(("C2" if key[1] == "name" else "C3", value))
            else:
                sheet, ref = t.cells[key]
                by_sheet.setdefault(sheet, []).append((ref, value))
        stale = stale_sheets(book)
        for sheet, cells in by_sheet.items():
            for ref, value in sorted(cells, key=lambda c: (int(c[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), c[0])):
                book.sheets[sheet][ref].value = safe_text(str(value)) if isinstance(value, str) else value
        for name, _ in stale:
            book.sheets[name].delete()
        sheets = ", ".join(f"'{name}'" for name, _ in stale)
        dropped = f" Đã xoá trang {sheets} (lập từ số liệu trước khi ghi các giá trị này, không còn đúng)." if stale else ""
        scripts = ", ".join(f"'{x}'" for x in dict.fromkeys(["Tính điểm", *(script for _, script in stale)]))
        return (f"Đã ghi {len(clean)} giá trị vào biểu mẫu.{dropped} Chạy {scripts} để xem kết quả "
                "(các cột điểm của biểu mẫu tự tính lại).")

    return run(book, action)


# --------------------------------------------------------------------------- build
def _framework_choice(book: Any) -> str:
    """The built-in framework id: the selected cell, else the cell right of a "Bộ tiêu chí" label
    on the active sheet."""
    from parxl.framework.load import builtin_id, builtin_ids

    ids = builtin_ids()
    candidates: list[Any] = []
    with contextlib.suppress(Exception):  # a runtime without a selection
        candidates.append(book.selection.value)
    for row in sheet_rows(book.sheets.active):
        for i, v in enumerate(row[:-1]):
            if isinstance(v, str) and v.strip().rstrip(":") == "Bộ tiêu chí":
                candidates.append(row[i + 1])
    for c in candidates:
        if isinstance(c, str) and (fid := builtin_id(c)) is not None:
            return fid
    raise ScriptError(
        "Hãy gõ mã bộ tiêu chí vào một ô và chọn ô đó (hoặc ghi 'Bộ tiêu chí' và mã ở ô bên phải) "
        f"rồi chạy lại. Các bộ tích hợp: {', '.join(ids)}. Không có gì bị thay đổi."
    )


def tao_bieu_mau(book: Any) -> ScriptResult:
    """Add the sheets of a built-in framework's template (values and native formulas, the same
    as ``parxl build`` writes) to the open workbook."""

    def action(book: Any) -> str:
        from parxl.framework.load import builtin
        from parxl.workbook.build import build_workbook

        fw = builtin(_framework_choice(book))
        n = add_template_sheets(book, build_workbook(fw))
        return (f"Đã thêm {n} trang của biểu mẫu '{fw.name}' (không có khoá ô, danh sách chọn và định dạng tô "
                "màu của tệp do parxl build tạo). Nhập số liệu vào các cột "
                "Tình trạng, Số liệu 1, Số liệu 2 (hoặc dán bảng nhập liệu vào trang "
                f"'{INPUT_SHEET}' và chạy 'Nhập số liệu'), rồi chạy 'Tính điểm'.")

    return run(book, action)


SCRIPTS: dict[str, Callable[[Any], ScriptResult]] = {
    "tinh_diem": tinh_diem,
    "kiem_tra": kiem_tra,
    "bao_cao": bao_cao,
    "nhap_so_lieu": nhap_so_lieu,
    "tao_bieu_mau": tao_bieu_mau,
}
