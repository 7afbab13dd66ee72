"""The Excel report workbook: the report's tables, one sheet each, with native Excel charts.

Charts are openpyxl (native) charts, so they stay live when staff edit a number: deductions
by domain (bars), share of deducted points (pie), domain scores vs maximum, interim position
(stacked bars), ranking totals and rank over years (line, rank 1 at the top).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.data_source import NumFmt
from openpyxl.chart.label import DataLabelList
from openpyxl.descriptors import Typed
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from parxl.report.context import Report
from parxl.report.vn import pct, shares_rounding_note
from parxl.workbook.build import put_text
from parxl.workbook.save import save_workbook

LABELS = {
    "code": "Mã", "name": "Nội dung", "max": "Điểm tối đa", "applicable": "Điểm tối đa áp dụng",
    "achieved": "Điểm đạt", "open": "Chưa xác định", "deducted": "Điểm bị trừ",
    "items_deducted": "Số nội dung bị trừ", "share": "Tỷ lệ so với tổng điểm bị trừ",
    "secured": "Ước đạt", "lost": "Không đạt", "not_due": "Chưa đến hạn", "undetermined": "Chưa xác định",
    "reachable": "Có thể đạt tối đa", "office": "Đơn vị chủ trì", "domain": "Lĩnh vực",
    "domain_name": "Tên lĩnh vực", "criterion": "Tiêu chí", "scorer": "Đánh giá bởi", "status": "Tình trạng",
    "reason": "Lý do", "explanation": "Giải trình", "deadline": "Hạn giải trình", "body": "Cơ quan, đơn vị",
    "group": "Nhóm", "total": "Tổng điểm", "rank": "Hạng", "rank_in_group": "Hạng trong nhóm",
    "previous_total": "Tổng điểm năm trước", "previous_rank": "Hạng năm trước",
    "score_change": "Tăng/giảm điểm", "rank_change": "Tăng/giảm hạng", "bodies": "Số đơn vị",
    "average": "Điểm trung bình", "highest": "Cao nhất", "lowest": "Thấp nhất", "best": "Đơn vị dẫn đầu",
    "planned": "Số nhiệm vụ", "implemented": "Đã triển khai", "completed": "Hoàn thành", "early": "Trước hạn",
    "on_time": "Đúng hạn", "late": "Trễ hạn", "overdue": "Quá hạn", "in_progress": "Đang thực hiện", "not_done": "Chưa thực hiện",
    "dropped": "Không thực hiện",
    "implemented_rate": "Tỷ lệ triển khai", "completed_rate": "Tỷ lệ hoàn thành",
    "on_time_rate": "Tỷ lệ đúng hạn", "previous_deducted": "Bị trừ năm trước", "change": "Thay đổi",
    "kind": "Loại", "label": "Đánh giá", "year": "Năm", "previous_achieved": "Điểm đạt năm trước",
    "previous_applicable": "Điểm tối đa năm trước", "index": "Tỷ lệ đạt", "previous_index": "Tỷ lệ đạt năm trước",
    "trend": "Xu hướng", "open_items": "Số tiêu chí thành phần chưa xác định",
}
TRENDS = {"up": "Tăng", "down": "Giảm", "same": "Không đổi", "unmapped": "Không so sánh được"}
SHEETS = {
    "domains": "Lĩnh vực", "items": "Nội dung bị trừ", "remedy": "Khắc phục", "yoy": "So với năm trước",
    "interim": "Ước đạt", "tasks": "Nhiệm vụ", "ranking": "Xếp hạng", "groups": "Theo nhóm",
    "years": "Qua các năm", "domains_yoy": "Lĩnh vực qua các năm", "missing": "Chưa gửi số liệu",
}
PERCENT = {"share", "implemented_rate", "completed_rate", "on_time_rate", "index", "previous_index"}
INTS = {"items_deducted", "rank", "rank_in_group", "previous_rank", "rank_change", "bodies", "planned",
        "implemented", "completed", "early", "on_time", "late", "overdue", "in_progress", "not_due",
        "not_done", "dropped", "open_items"}
SKIP = {"kind"}
HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# per-domain tables that end with a "Tổng cộng" row: the columns summed
_POINTS = ("max", "applicable", "achieved", "open", "deducted")
TOTALS = {"domains": (*_POINTS, "items_deducted"),
          "interim": ("max", "applicable", "secured", "lost", "not_due", "undetermined", "open", "reachable")}
TEXT_COLS = {"name", "reason", "explanation", "domain_name", "body", "office"}
TEXT_WIDTH = 45  # characters; longer names wrap (a row grows) rather than being cut
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# printing: A4 landscape fitted to the page width, margins 1,5 cm top and bottom: a page prints
# 21 - 3,05 = 17,95 cm of the sheet (more when the page is scaled down), of which the repeated
# header row takes 1,6 cm; charts are stacked below the table in pages of PAGE_CM
PAGE_CM = 16.0
LONG_TABLE = 25  # rows
ROW_CM = 15 / 72 * 2.54  # a default row: 15 points


class _Labels(DataLabelList):  # type: ignore[misc]
    """Data labels with a number format of their own: openpyxl writes ``<c:numFmt>`` without
    ``sourceLinked="0"``, and LibreOffice then formats the labels as the source cells."""

    numFmt = Typed(expected_type=NumFmt, allow_none=True)
    __elements__ = DataLabelList.__elements__
    __nested__ = tuple(n for n in DataLabelList.__nested__ if n != "numFmt")


def _value(v: Any) -> Any:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _write_table(ws: Worksheet, df: pd.DataFrame, title: str, kind: str) -> tuple[int, int, dict[str, int]]:
    """Title in row 1, headers in row 3, data from row 4; returns (first, last row, column map)."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    cols = [c for c in df.columns if c not in SKIP and not (kind == "interim" and c in ("open",))]
    colmap = {}
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=3, column=j, value=LABELS.get(c, c))
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        colmap[c] = j
        ws.column_dimensions[get_column_letter(j)].width = TEXT_WIDTH if c in TEXT_COLS else 13
    for i, (_, r) in enumerate(df.iterrows(), start=4):
        lines = max([1, *(math.ceil(len(str(r[c])) / (TEXT_WIDTH - 3)) for c in colmap
                          if c in TEXT_COLS and isinstance(r[c], str))])
        if lines > 1:  # a wrapped name: the row as high as its lines (no spreadsheet grows it on opening)
            ws.row_dimensions[i].height = 15 * lines
        for c, j in colmap.items():
            v = _value(r[c])
            if c == "trend":
                v = TRENDS.get(str(v), v)
            elif c == "scorer" and isinstance(v, str):
                v = {"self": "Tự đánh giá", "survey": "Điều tra XHH", "external": "Cấp trên"}.get(v, v)
            cell = ws.cell(row=i, column=j)
            if isinstance(v, str):
                put_text(ws, cell.coordinate, v)
            else:
                cell.value = v
            cell.border = BORDER
            cell.alignment = WRAP if c in TEXT_COLS else TOP
            if c in PERCENT:
                cell.number_format = "0.00%"
            elif c in INTS and (c != "not_due" or kind == "tasks"):  # interim: points not yet due
                cell.number_format = "0"
            elif isinstance(v, float):
                cell.number_format = "0.00"
            elif c == "deadline" and v is not None:
                cell.number_format = "dd/mm/yyyy"
    if kind in TOTALS and len(df):  # "Tổng cộng", as the Word tables end
        _total_row(ws, df, 4 + len(df), colmap, TOTALS[kind])
    ws.row_dimensions[3].height = 45
    ws.freeze_panes = "A4"
    return 4, 3 + len(df), colmap


def _total_row(ws: Worksheet, df: pd.DataFrame, row: int, colmap: dict[str, int], summed: tuple[str, ...]) -> None:
    """The column sums of a per-domain table (shares: 100 % of what was deducted), as values."""
    label = ws.cell(row=row, column=colmap.get("name", 1), value="Tổng cộng")
    for c, j in colmap.items():
        cell = ws.cell(row=row, column=j)
        if c == "share":
            cell.value = 1.0 if df["share"].fillna(0).sum() > 0 else 0.0
            cell.number_format = "0.00%"
        elif c in summed:
            total = round(float(df[c].fillna(0).sum()), 9) + 0.0
            cell.value = int(total) if c in INTS else total
            cell.number_format = "0" if c in INTS else "0.00"
        cell.border = BORDER
        cell.font = Font(bold=True)
        cell.alignment = TOP
    label.alignment = WRAP
    # as printed, the shares may add up to 100,01 %: said under the table, as in the Word report
    if "share" in colmap and (note := shares_rounding_note([pct(v) for v in df["share"].fillna(0)])):
        ws.cell(row=row + 1, column=1, value=note).font = Font(italic=True)


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide (as many pages high as needed), header row repeated."""
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if ws.max_row > LONG_TABLE:  # a table over several pages: its header row on each
        ws.print_title_rows = "3:3"


def _place_charts(ws: Worksheet, charts: list[Any], after_row: int) -> None:
    """Charts one under another below the table (never beside it: the page would be fitted to
    the table and the charts together), each starting a new page when it would not fit on the
    current one; a chart higher than a page is shrunk to it."""
    from openpyxl.worksheet.pagebreak import Break

    row = max(after_row, ws.max_row) + 2  # below the table and its total row
    used = PAGE_CM  # the table's page is full: charts begin on a new page
    for ch in charts:
        ch.height = min(float(ch.height), PAGE_CM - 1)
        rows = math.ceil(ch.height / ROW_CM) + 1
        if used + rows * ROW_CM > PAGE_CM:
            ws.row_breaks.append(Break(id=row - 1))
            used = 0.0
        ws.add_chart(ch, f"A{row}")
        row += rows
        used += rows * ROW_CM


def _bar(title: str, ytitle: str, *, stacked: bool = False, horizontal: bool = False) -> BarChart:
    ch = BarChart()
    ch.type = "bar" if horizontal else "col"
    ch.title = title
    ch.y_axis.title = ytitle
    ch.height, ch.width = 7, 16
    if stacked:
        ch.grouping = "stacked"
        ch.overlap = 100
    return ch


def _domain_charts(ws: Worksheet, first: int, last: int, col: dict[str, int]) -> None:
    if last < first:
        return
    charts = []
    cats = Reference(ws, min_col=col["code"], min_row=first, max_row=last)
    ch = _bar("Điểm bị trừ theo lĩnh vực", "Điểm")
    ch.add_data(Reference(ws, min_col=col["deducted"], min_row=3, max_row=last), titles_from_data=True)
    ch.set_categories(cats)
    ch.x_axis.title = "Lĩnh vực"
    charts.append(ch)
    pie = PieChart()
    pie.title = "Tỷ lệ điểm bị trừ theo lĩnh vực"
    pie.add_data(Reference(ws, min_col=col["deducted"], min_row=3, max_row=last), titles_from_data=True)
    pie.set_categories(cats)
    # the shares as the report states them (0,31%, not 0%)
    pie.dataLabels = _Labels(numFmt=NumFmt(formatCode="0.00%", sourceLinked=False))
    pie.dataLabels.showPercent = True
    pie.dataLabels.showCatName = True
    pie.dataLabels.showVal = False
    pie.dataLabels.showSerName = False
    pie.dataLabels.showLegendKey = False
    pie.height, pie.width = 7, 12
    charts.append(pie)
    cmp_ = _bar("Điểm đạt so với điểm tối đa", "Điểm")
    cmp_.add_data(Reference(ws, min_col=col["applicable"], min_row=3, max_row=last), titles_from_data=True)
    cmp_.add_data(Reference(ws, min_col=col["achieved"], min_row=3, max_row=last), titles_from_data=True)
    cmp_.set_categories(cats)
    charts.append(cmp_)
    _place_charts(ws, charts, last)


def _interim_chart(ws: Worksheet, first: int, last: int, col: dict[str, int]) -> None:
    if last < first:
        return
    ch = _bar("Ước đạt, không đạt, chưa đến hạn, chưa xác định", "Điểm", stacked=True)
    for key in ("secured", "lost", "not_due", "undetermined"):
        ch.add_data(Reference(ws, min_col=col[key], min_row=3, max_row=last), titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=col["code"], min_row=first, max_row=last))
    _place_charts(ws, [ch], last)


def _ranking_charts(wb: Workbook, ws: Worksheet, df: pd.DataFrame, first: int, last: int,
                    col: dict[str, int]) -> None:
    if last < first:
        return
    ch = _bar("Tổng điểm Chỉ số CCHC", "Điểm", horizontal=True)
    ch.add_data(Reference(ws, min_col=col["total"], min_row=3, max_row=last), titles_from_data=True)
    if df.previous_total.notna().any():
        ch.add_data(Reference(ws, min_col=col["previous_total"], min_row=3, max_row=last), titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=col["body"], min_row=first, max_row=last))
    ch.x_axis.scaling.orientation = "maxMin"  # best at the top
    ch.height = max(8.0, 0.5 * len(df) + 3)  # capped to a page by _place_charts
    _place_charts(ws, [ch], last)
    if not df.previous_rank.notna().any():
        return
    yw = wb.create_sheet(SHEETS["years"])
    yw["A1"] = "Thứ hạng qua các năm"
    yw["A1"].font = Font(bold=True, size=13)
    put_text(yw, "A3", "Năm")
    yw["A3"].font = Font(bold=True)
    yw["A4"], yw["A5"] = "Năm trước", "Năm nay"
    for j, (_, r) in enumerate(df.iterrows(), start=2):
        put_text(yw, f"{get_column_letter(j)}3", str(r.body))
        yw.cell(row=4, column=j, value=_value(r.previous_rank))
        yw.cell(row=5, column=j, value=int(r["rank"]))
        yw.column_dimensions[get_column_letter(j)].width = 14
    line = LineChart()
    line.title = "Thứ hạng qua các năm (hạng 1 ở trên cùng)"
    line.y_axis.title = "Hạng"
    line.y_axis.scaling.orientation = "maxMin"
    line.height, line.width = 9, 16
    line.add_data(Reference(yw, min_col=2, max_col=len(df) + 1, min_row=3, max_row=5), titles_from_data=True)
    line.set_categories(Reference(yw, min_col=1, min_row=4, max_row=5))
    _place_charts(yw, [line], 5)
    _print_setup(yw)


def _years_charts(ws: Worksheet, df: pd.DataFrame, first: int, last: int, col: dict[str, int]) -> None:
    """One body over the years: total score, and rank (1 at the top) when ranks are known."""
    if last < first:
        return
    for r in range(first, last + 1):  # years as text: categories, not numbers
        cell = ws.cell(row=r, column=col["year"])
        put_text(ws, cell.coordinate, str(cell.value))
    line = LineChart()
    line.title = "Tổng điểm qua các năm"
    line.y_axis.title = "Điểm"
    line.height, line.width = 7, 12
    line.add_data(Reference(ws, min_col=col["total"], min_row=3, max_row=last), titles_from_data=True)
    line.set_categories(Reference(ws, min_col=col["year"], min_row=first, max_row=last))
    charts = [line]
    if df["rank"].notna().all():
        rank = LineChart()
        rank.title = "Thứ hạng qua các năm (hạng 1 ở trên cùng)"
        rank.y_axis.title = "Hạng"
        rank.y_axis.scaling.orientation = "maxMin"
        rank.height, rank.width = 7, 12
        rank.add_data(Reference(ws, min_col=col["rank"], min_row=3, max_row=last), titles_from_data=True)
        rank.set_categories(Reference(ws, min_col=col["year"], min_row=first, max_row=last))
        charts.append(rank)
    _place_charts(ws, charts, last)


def write_report_xlsx(report: Report, path: str | Path) -> None:
    """One sheet per table of the report, with native charts; saved reproducibly."""
    wb = Workbook()
    wb.remove(wb.active)
    body = report.context.get("body", "")
    year = report.context.get("year", "")
    suffix = f" — {body} năm {year}" if body else (f" năm {year}" if year else "")
    for key, df in report.tables.items():
        ws = wb.create_sheet(SHEETS.get(key, key)[:31])
        title = {"domains": "Điểm bị trừ theo lĩnh vực", "items": "Các nội dung bị trừ điểm",
                 "remedy": "Danh sách khắc phục theo đơn vị chủ trì", "yoy": "So sánh với năm trước",
                 "interim": "Điểm ước đạt theo lĩnh vực", "tasks": "Thực hiện nhiệm vụ kế hoạch CCHC",
                 "ranking": "Xếp hạng Chỉ số CCHC", "groups": "Điểm trung bình theo nhóm",
                 "years": "Tổng điểm và thứ hạng qua các năm",
                 "domains_yoy": "Tỷ lệ điểm đạt theo lĩnh vực so với năm trước",
                 "missing": "Đơn vị chưa có số liệu dùng được (các tiêu chí thành phần tính là chưa xác định)"}.get(key, key)
        first, last, col = _write_table(ws, df, title + suffix, key)
        if key == "domains":
            _domain_charts(ws, first, last, col)
        elif key == "interim":
            _interim_chart(ws, first, last, col)
        elif key == "ranking":
            _ranking_charts(wb, ws, df, first, last, col)
        elif key == "years":
            _years_charts(ws, df, first, last, col)
        _print_setup(ws)
    if not wb.sheetnames:
        wb.create_sheet("Báo cáo")
    save_workbook(wb, path)
