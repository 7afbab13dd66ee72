"""Where things are in a parxl template: sheet names, columns, metadata keys.

Shared by the builder, the reader and the checks. Readers locate items by the code in column
"Mã" and columns by their header text, never by fixed row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parxl.framework.model import Item

SUMMARY = "Tổng hợp"
EXTRA = "Thưởng - Trừ"
GUIDE = "Hướng dẫn"
META = "_parxl"
RESULTS = "Kết quả"
# what the index divides the total by (Tổng hợp, and the macros' "Kết quả")
INDEX_BASE = "Điểm tối đa dùng để tính chỉ số (tối đa áp dụng + giới hạn thưởng)"
# a domain whose every item is not applicable, wherever its maximum or rate is shown
EXEMPT = "Miễn"
CHECKS = "Kiểm tra"
# sheets the Excel macros and xlwings Lite scripts add to a workbook: the control sheet of
# parxl_excel.xlsm, the collect summary, the pasted input table, the report with charts
CONTROL = "Điều khiển"
COLLECTED = "Thu thập"
INPUT = "Nhập liệu"
REPORT = "Báo cáo"
# every sheet parxl makes besides the item sheets: never a user's renamed domain sheet
OWN_SHEETS = (SUMMARY, GUIDE, META, RESULTS, CHECKS, CONTROL, COLLECTED, INPUT, REPORT)

# metadata "kind" of a workbook: a copy for one office, a whole body's form, a consolidated one
KIND_OFFICE, KIND_BODY, KIND_CONSOLIDATED = "office", "body", "consolidated"
# metadata of a consolidated workbook: the offices whose return is not in it, as JSON
# {office: the unusable file it sent, or ""}; absent when every office's return is in
MISSING_OFFICES = "missing_offices"
TEMPLATE_FORMAT = "parxl-template"
TEMPLATE_VERSION = 1
HEADER_ROW = 4
FIRST_ROW = 5


@dataclass(frozen=True)
class Col:
    key: str
    letter: str
    header: str
    width: float


COLUMNS = (
    Col("code", "A", "Mã", 8),
    Col("name", "B", "Nội dung", 46),
    Col("scorer", "C", "Đánh giá bởi", 13),
    Col("office", "D", "Đơn vị chủ trì", 18),
    Col("max", "E", "Điểm tối đa", 9),
    Col("method", "F", "Cách chấm", 34),
    Col("status", "G", "Tình trạng", 14),
    Col("v1", "H", "Số liệu 1", 11),
    Col("v2", "I", "Số liệu 2", 11),
    Col("evidence", "J", "Tài liệu kiểm chứng", 24),
    Col("explanation", "K", "Giải trình", 24),
    Col("raw", "L", "Điểm theo số liệu", 10),
    Col("eff_status", "M", "Trạng thái tính điểm", 14),
    Col("applicable", "N", "Điểm tối đa áp dụng", 10),
    Col("achieved", "O", "Điểm đạt", 9),
    Col("deducted", "P", "Điểm bị trừ", 9),
    Col("open", "Q", "Điểm chưa xác định", 10),
    Col("guidance", "R", "Hướng dẫn", 40),
)
C = {c.key: c.letter for c in COLUMNS}
PRINT_SPLIT = "v2"  # the last column on an item sheet's first printed page
INPUT_KEYS = ("status", "v1", "v2", "evidence", "explanation")
COMPUTED_KEYS = ("raw", "eff_status", "applicable", "achieved", "open")  # on every item row


def col_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# input field name -> column key, for the fields that are not rule inputs
TEXT_FIELDS = {"status": "status", "evidence": "evidence", "explanation": "explanation"}


def input_columns(item: Item) -> dict[str, str]:
    """Input field name -> column key of one item: its rule's inputs in "Số liệu 1/2", then the
    status, evidence and explanation columns."""
    return {**{fl.name: f"v{fl.slot}" for fl in item.rule.fields()}, **TEXT_FIELDS}
