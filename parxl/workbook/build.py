"""Build a self-scoring template workbook from a framework.

One sheet per domain ("Lĩnh vực 1" …), a "Thưởng - Trừ" sheet for bonus and penalty items,
a summary sheet "Tổng hợp", a guide and a hidden metadata sheet. Every computed cell is an
Excel formula (native flavour) or a call of parxl's UDFs (udf flavour) generated from the same
rule expressions the Python evaluator runs, so the workbook scores itself with no Python.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from parxl.framework.model import SCORERS, Framework, Item
from parxl.numbers import format_vn_number
from parxl.rules.base import AMOUNT, COUNT, POINTS, RATE, YESNO, Field
from parxl.score import CHUA_DEN_HAN, CHUA_XAC_DINH, DAT, KHONG_AP_DUNG, KHONG_DAT, STATUSES
from parxl.workbook import layout as L
from parxl.workbook.save import save_workbook

FONT = "Times New Roman"
F_BASE = Font(name=FONT, size=11)
F_BOLD = Font(name=FONT, size=11, bold=True)
F_TITLE = Font(name=FONT, size=14, bold=True)
F_NOTE = Font(name=FONT, size=10, italic=True)
F_OFFICE_NOTE = Font(name=FONT, size=11, bold=True, italic=True, color="9C0006")
F_HEAD = Font(name=FONT, size=11, bold=True, color="FFFFFF")
F_LINK = Font(name=FONT, size=11, color="0563C1", underline="single")
FILL_HEAD = PatternFill("solid", fgColor="1F4E78")
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")
FILL_CRIT = PatternFill("solid", fgColor="DDEBF7")
FILL_TOTAL = PatternFill("solid", fgColor="BDD7EE")
FILL_DEDUCT = PatternFill("solid", fgColor="F8CBAD")
FILL_OPEN = PatternFill("solid", fgColor="E2EFDA")
FILL_BAD = PatternFill("solid", fgColor="FFC7CE")  # Excel's "light red fill with dark red text"
F_BAD = Font(color="9C0006", bold=True)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")  # a number beside wrapped text, on its first line
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
FMT_POINTS = "0.00"
FMT_PCT = "0.00%"
FMT_RATE = "0.0%"
FMT_COUNT = "#,##0"
FMT_AMOUNT = "#,##0.000"  # as finance offices write millions of đồng: 212.901,285

OPEN_OR_NA = (KHONG_AP_DUNG, CHUA_DEN_HAN, CHUA_XAC_DINH)


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _s(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _or_status(cell: str, statuses: Sequence[str]) -> str:
    return "OR(" + ",".join(f"{cell}={_s(s)}" for s in statuses) + ")"


def put_text(ws: Worksheet, ref: str, text: str) -> None:
    """Write text as text, even if it starts with '=' (openpyxl would make it a formula)."""
    cell = ws[ref]
    cell.value = text
    cell.data_type = "s"


@dataclass
class ItemRow:
    item: Item
    sheet: str
    row: int

    def ref(self, key: str) -> str:
        return f"{L.C[key]}{self.row}"


@dataclass
class SheetTotals:
    """Where a sheet's totals are, for the summary."""

    sheet: str
    row: int
    first: int
    last: int
    item_rows: list[ItemRow] = field(default_factory=list)


class Formulas:
    """Native Excel formulas for the computed cells of one item row and the totals."""

    flavor = "native"

    def __init__(self) -> None:
        # what each computed cell means, e.g. ("item", "3.4.1", "achieved"): used by verify
        self.cells: dict[tuple[str, str], tuple[str, ...]] = {}

    def put(self, ws: Worksheet, ref: str, formula: str | float, meaning: tuple[str, ...]) -> None:
        ws[ref] = formula
        if isinstance(formula, str) and formula.startswith("="):
            self.cells[(ws.title, ref)] = meaning

    def raw(self, r: ItemRow) -> str:
        cells = {"v1": r.ref("v1"), "v2": r.ref("v2"), "max": r.ref("max")}
        return "=" + r.item.rule.definition.expression(r.item.rule.params).xl(cells)

    def eff_status(self, r: ItemRow) -> str:
        g, h, i, raw, mx = r.ref("status"), r.ref("v1"), r.ref("v2"), r.ref("raw"), r.ref("max")
        # a penalty item is "Đạt" when no penalty point was incurred
        met = f"{raw}<=0" if r.item.scorer == "penalty" else f"{raw}>={mx}"
        return (
            f'=IF({g}<>"",{g},IF(COUNTA({h}:{i})=0,{_s(CHUA_XAC_DINH)},'
            f"IF({met},{_s(DAT)},{_s(KHONG_DAT)})))"
        )

    def applicable(self, r: ItemRow) -> str:
        return f"=IF({r.ref('eff_status')}={_s(KHONG_AP_DUNG)},0,{r.ref('max')})"

    def achieved(self, r: ItemRow) -> str:
        return f"=IF({_or_status(r.ref('eff_status'), OPEN_OR_NA)},0,{r.ref('raw')})"

    def open(self, r: ItemRow) -> str:
        statuses = (CHUA_DEN_HAN, CHUA_XAC_DINH)
        return f"=IF({_or_status(r.ref('eff_status'), statuses)},{r.ref('max')},0)"

    def deducted(self, r: ItemRow) -> str:
        return f"=ROUND({r.ref('applicable')}-{r.ref('achieved')}-{r.ref('open')},9)"

    def share(self, deducted: str, total: str) -> str:
        return f"=IF({total}=0,0,{deducted}/{total})"

    def ratio(self, num: str, den: str) -> str:
        return f"=IF({den}=0,0,{num}/{den})"

    def capped(self, value: str, cap: str) -> str:
        return f"=MIN({cap},{value})"


LINE_HEIGHT = 15  # points, one line of 11-point text
# the wrapped text columns of an item row, letter -> width
ITEM_TEXT_WIDTHS = {c.letter: c.width for c in L.COLUMNS if c.key in ("name", "office", "method", "evidence",
                                                                        "explanation")}


def wrap_words(text: str, per_line: int) -> list[str]:
    """One paragraph broken at spaces into lines of ``per_line`` letters at most, as Excel and
    LibreOffice wrap text (spaces kept, but where a line breaks); a word longer than a line is cut."""
    lines = [""]
    for word in text.split(" "):
        if not lines[-1] or len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += (" " if lines[-1] else "") + word
            continue
        lines.append(word)
    out = []
    for line in lines:  # a word longer than a line
        out += [line[i : i + per_line] for i in range(0, len(line), per_line)] or [""]
    return out


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide, at 11 points (about
    1.15 letters a width unit): broken at spaces (counting letters alone, a line that ended
    early before a long word left the last words cut off) and at its line breaks."""
    per_line = max(1, int(width * 1.15))
    return sum(len(wrap_words(paragraph, per_line)) for paragraph in text.split("\n"))


def fit_height(ws: Worksheet, row: int, widths: Mapping[str, float] = ITEM_TEXT_WIDTHS, most: int = 8) -> None:
    """Row height for the wrapped text in the columns ``widths`` gives (letter -> width), ``most``
    lines at most: Excel and LibreOffice do not grow rows on load, and wrapped text in a row of
    one line's height is cut and drawn over the next row."""
    lines = 1
    for letter, width in widths.items():
        value = ws[f"{letter}{row}"].value
        if isinstance(value, str) and value:
            lines = max(lines, text_lines(value, width))
    ws.row_dimensions[row].height = LINE_HEIGHT * min(lines, most)


def _style_row(ws: Worksheet, row: int, fill: PatternFill | None, font: Font) -> None:
    for col in L.COLUMNS:
        cell = ws[f"{col.letter}{row}"]
        cell.font = font
        cell.border = BORDER
        cell.alignment = WRAP
        if fill is not None:
            cell.fill = fill


class _Validations:
    """Data validations grouped by kind so each becomes one <dataValidation> with many cells."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.by_key: dict[tuple[object, ...], DataValidation] = {}

    def add(self, key: tuple[object, ...], ref: str, **kw: object) -> None:
        dv = self.by_key.get(key)
        if dv is None:
            dv = DataValidation(**kw)
            dv.showErrorMessage = True
            dv.showInputMessage = True
            dv.errorStyle = "stop"
            self.by_key[key] = dv
            self.ws.add_data_validation(dv)
        dv.add(ref)


def _validate_input(v: _Validations, r: ItemRow, fl: Field, parts: bool) -> None:
    """The drop-down or bounds of one "Số liệu" cell; ``parts``: the item's rate is computed
    from a numerator ("Số liệu 1") and a denominator ("Số liệu 2"), so the numerator may not
    exceed the denominator (a blank denominator does not stop the numerator being typed first)."""
    ref, ftype, label = r.ref(f"v{fl.slot}"), fl.type, fl.label
    if ftype == YESNO:
        v.add(
            ("yesno",),
            ref,
            type="list",
            formula1='"Có,Không"',
            allow_blank=True,
            errorTitle="Giá trị không hợp lệ",
            error="Chỉ chọn Có hoặc Không.",
            promptTitle="Có/Không",
            prompt="Chọn Có hoặc Không.",
        )
    elif ftype == RATE:
        v.add(
            ("rate",),
            ref,
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1",
            allow_blank=True,
            errorTitle="Tỷ lệ không hợp lệ",
            error="Nhập tỷ lệ từ 0% đến 100%, ví dụ 77,7%.",
            promptTitle="Tỷ lệ (%)",
            prompt="Nhập tỷ lệ phần trăm, ví dụ 77,7%.",
        )
    elif ftype in (COUNT, AMOUNT):
        whole = ftype == COUNT
        kind = "số nguyên không âm" if whole else "số không âm (được có phần thập phân)"
        common = {
            "type": "whole" if whole else "decimal",
            "allow_blank": True,
            "errorTitle": "Số lượng không hợp lệ" if whole else "Giá trị không hợp lệ",
            "promptTitle": "Số lượng" if whole else "Giá trị",
        }
        if parts:
            num, den = f"${L.C['v1']}${r.row}", f"${L.C['v2']}${r.row}"
            if fl.slot == 1:
                rule = f"không lớn hơn mẫu số (ô {den.replace('$', '')})"
                bounds = {"operator": "between", "formula1": "0",
                          "formula2": f"IF(ISNUMBER({den}),{den},1E+15)"}
            else:
                rule = f"không nhỏ hơn tử số (ô {num.replace('$', '')})"
                bounds = {"operator": "greaterThanOrEqual", "formula1": f"MAX(0,{num})"}
            v.add(
                (ftype, ref),
                ref,
                **common,
                **bounds,
                error=f"Nhập {kind}, {rule}.",
                prompt=f"{label[:150]} — {kind}, {rule}.",
            )
        else:
            v.add(
                (ftype, label),
                ref,
                **common,
                operator="greaterThanOrEqual",
                formula1="0",
                error=f"Nhập {kind}.",
                prompt=f"{label[:150]} — {kind}.",
            )
    elif ftype == POINTS:
        mx = r.item.max
        v.add(
            ("points", mx),
            ref,
            type="decimal",
            operator="between",
            formula1="0",
            formula2=f"{mx:.15g}",
            allow_blank=True,
            errorTitle="Điểm không hợp lệ",
            error=f"Nhập số điểm từ 0 đến {format_vn_number(mx, 4)}.",
            promptTitle="Số điểm",
            prompt=f"Nhập số điểm chấm, từ 0 đến {format_vn_number(mx, 4)} (điểm tối đa).",
        )


def _not_in(cell: str, texts: Sequence[str], also: str = "") -> str:
    """The cell holds something that is not one of ``texts`` (blank is fine; ``=`` ignores case
    as the scoring formulas do), or a text for which ``also`` holds."""
    bad = f"AND({cell}<>\"\",{','.join(f'{cell}<>{_s(t)}' for t in texts)})"
    return f"IF(ISTEXT({cell}),{f'OR({bad},{also})' if also else bad},NOT(ISBLANK({cell})))"


def _flag_invalid(ws: Worksheet, r: ItemRow, fields: Sequence[Field], parts: bool) -> None:
    """Red input cells holding what the validation would have refused (pasted, or typed before
    the list existed): text in a number cell, a number out of bounds, a value not in the list,
    an error value; the blank half of a numerator / denominator pair. The scoring formulas read
    such a cell as 0 or "Không đạt" without a word."""
    status = r.ref("status")
    # "Đạt" chosen with no data scores 0: the points come from the data (a penalty item's "Đạt",
    # no penalty incurred, is right without data)
    empty = f"AND({status}={_s(DAT)},COUNTA({r.ref('v1')}:{r.ref('v2')})=0)"
    flags = {status: _not_in(status, STATUSES, "" if r.item.scorer == "penalty" else empty)}
    for fl in fields:
        c = r.ref(f"v{fl.slot}")
        if fl.type == YESNO:
            flags[c] = _not_in(c, ("Có", "Không"))
            continue
        bad = {
            RATE: f"OR({c}<0,{c}>1)",
            COUNT: f"OR({c}<0,{c}<>INT({c}))",
            AMOUNT: f"{c}<0",
            POINTS: f"OR({c}<0,{c}>{r.ref('max')})",
        }.get(fl.type, "FALSE")
        if parts and fl.slot == 1:
            den = r.ref("v2")
            bad = f"OR({bad},AND(ISNUMBER({den}),{c}>{den}))"
        if parts:
            # one of the two numbers typed, this one not: a blank denominator makes the rate "nothing
            # to do" (full points), a blank numerator makes it 0 — the blank cell is where to type
            # (as collect warns: only while the data decide the status)
            other = r.ref("v2" if fl.slot == 1 else "v1")
            half = (f"AND(ISNUMBER({other}),OR({status}=\"\",{status}={_s(DAT)},{status}={_s(KHONG_DAT)}))")
            flags[c] = f"IF(ISNUMBER({c}),{bad},IF(ISBLANK({c}),{half},TRUE))"
        else:
            flags[c] = f"IF(ISNUMBER({c}),{bad},NOT(ISBLANK({c})))"
    for ref, formula in flags.items():
        ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], fill=FILL_BAD, font=F_BAD))


def _method_text(item: Item) -> str:
    fields = item.rule.fields()
    labels = "; ".join(f"Số liệu {f.slot}: {f.label}" for f in fields)
    return f"{item.rule.describe(item.max)}. {labels}"


def _write_item(ws: Worksheet, f: Formulas, v: _Validations, r: ItemRow, editable: bool) -> None:
    it = r.item
    put_text(ws, r.ref("code"), it.code)
    put_text(ws, r.ref("name"), it.name)
    put_text(ws, r.ref("scorer"), SCORERS[it.scorer])
    put_text(ws, r.ref("office"), it.office)
    ws[r.ref("max")] = it.max
    put_text(ws, r.ref("method"), _method_text(it))
    evidence = f"Tài liệu kiểm chứng: {it.evidence}" if it.evidence else ""
    put_text(ws, r.ref("guidance"), "\n".join(t for t in (it.guidance, evidence) if t))
    for key in ("raw", "eff_status", "applicable", "achieved", "open"):
        f.put(ws, r.ref(key), getattr(f, key)(r), ("item", it.code, key))
    if it.scorer not in ("bonus", "penalty"):
        f.put(ws, r.ref("deducted"), f.deducted(r), ("item", it.code, "deducted"))
    _style_row(ws, r.row, None, F_BASE)
    fit_height(ws, r.row)
    for key in ("max", "raw", "applicable", "achieved", "deducted", "open"):
        ws[r.ref(key)].number_format = FMT_POINTS
    used_slots = {fl.slot: fl for fl in it.rule.fields()}
    parts = "denominator" in {fl.name for fl in used_slots.values()}  # a rate from two numbers
    inputs = ["status", "evidence", "explanation"] + [f"v{s}" for s in sorted(used_slots)]
    for key in inputs:
        cell = ws[r.ref(key)]
        if editable:
            cell.protection = UNLOCKED
            cell.fill = FILL_INPUT
    for slot, fl in used_slots.items():
        ref = r.ref(f"v{slot}")
        ws[ref].number_format = {RATE: FMT_RATE, COUNT: FMT_COUNT, AMOUNT: FMT_AMOUNT, POINTS: FMT_POINTS}.get(
            fl.type, "General"
        )
        if editable:
            _validate_input(v, r, fl, parts)
    if editable:
        _flag_invalid(ws, r, list(used_slots.values()), parts)
        v.add(
            ("status",),
            r.ref("status"),
            type="list",
            formula1=_s(",".join(STATUSES)),
            allow_blank=True,
            errorTitle="Tình trạng không hợp lệ",
            error="Chọn một tình trạng trong danh sách.",
            promptTitle="Tình trạng",
            prompt="Để trống nếu đã nhập số liệu (điểm luôn tính theo số liệu, kể cả khi chọn Đạt); "
            "chọn Chưa đến hạn, Chưa xác định hoặc Không áp dụng khi cần.",
        )


def _column_pixels(width: float) -> int:
    """On-screen width of a column of ``width`` characters, as Excel computes it from the
    default font (Times New Roman 11: 7 pixels a digit, plus 5 of padding)."""
    return int(width * 7 + 5)


_A4_LANDSCAPE_PIXELS = int((11.69 - 2 * 0.4) * 96)  # 297 mm less 0.4" margins, at 96 pixels an inch
_A4_PORTRAIT_PIXELS = int((8.27 - 2 * 0.4) * 96)  # 210 mm less the same margins


def _print_scale(pixels: int, paper: int) -> int:
    """The print scale (percent) at which ``pixels`` of columns fit ``paper`` pixels across, less
    4 %: LibreOffice measures the same widths a few pixels wider than Excel."""
    return min(100, 96 * paper // pixels)


def _hf(text: str, limit: int) -> str:
    """Text in a page header, where '&' starts a code (so it is doubled), cut to ``limit``
    characters: a header holds 255 at most (a longer one is a repair prompt)."""
    if len(text.replace("&", "&&")) > limit:
        while len((text + "…").replace("&", "&&")) > limit:
            text = text[:-1]
        text += "…"
    return text.replace("&", "&&")


def page_header(ws: Worksheet, title: str, corner: str = "") -> None:
    """The header of every printed page: ``title`` at the left, ``corner`` (in italics) at the
    right, within the 255 characters Excel allows; sizes go before fonts, so a title starting
    with a digit is not read as part of a size."""
    right = f'&10&"{FONT},Italic"' + _hf(corner, 86) if corner else ""
    left = f'&12&"{FONT},Bold"'
    ws.oddHeader.left.text = left + _hf(title, 255 - len("&L&R") - len(left) - len(right))  # the rest
    if right:
        ws.oddHeader.right.text = right


def _who(meta: dict[str, str]) -> str:
    """``"Phòng Tư pháp — UBND huyện X — "``: a distributed copy's office and body, as its printed
    pages name them before the maximum (empty for a template)."""
    text = " — ".join(n for n in (meta.get("office", ""), meta.get("body", "")) if n)
    if len(text) > 52:
        text = text[:51] + "…"
    return text + " — " if text else ""


def _print_two_pages_wide(ws: Worksheet) -> None:
    """An item sheet prints on A4 landscape, each band of rows on two pages side by side: the
    item and its data ("Mã" … "Số liệu 2"), then its evidence and scores ("Tài liệu kiểm chứng" …
    "Điểm chưa xác định"), with "Mã" and "Nội dung" repeated on both and the header row on every
    page. Fitted on one page wide, the 17 printed columns shrank to 45 % (5-point text); split
    in two they print at ~84 %."""
    keys = [c.key for c in L.COLUMNS]
    last = keys.index("open") + 1  # the guidance column (R) is not printed
    print_pages_wide(ws, [c.width for c in L.COLUMNS[:last]], 2, (keys.index(L.PRINT_SPLIT) + 1,))
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"


LEAST_SCALE = 80  # percent: a page wider than this scale allows is cut in two


def print_pages_wide(ws: Worksheet, widths: Sequence[float], titles: int, starts: Sequence[int] = ()) -> None:
    """Print setup of a table wider than a page (``widths``: its printed columns): A4 landscape,
    its first ``titles`` columns repeated on every page, the others cut into pages at the columns
    ``starts`` gives (0-based) and where the next column would make a page print below
    ``LEAST_SCALE``; a band of rows prints its pages one after another, each page's footer
    naming the sheet and the page. The scale is computed from the column widths, the widest
    page filling the paper's width: Excel ignores manual page breaks when a sheet is fitted to
    pages."""
    pixels = [_column_pixels(w) for w in widths]
    repeated = sum(pixels[:titles])
    room = _A4_LANDSCAPE_PIXELS * 100 // LEAST_SCALE
    pages = [repeated]
    for i in range(titles, len(pixels)):
        if pages[-1] > repeated and (i in starts or pages[-1] + pixels[i] > room):
            ws.col_breaks.append(Break(id=i, max=1048575))  # after column i (1-based), all rows
            pages.append(repeated)
        pages[-1] += pixels[i]
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # a write-only sheet has no constants
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = _print_scale(max(pages), _A4_LANDSCAPE_PIXELS)
    ws.page_setup.pageOrder = "overThenDown"  # a band's pages one after another
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_title_cols = f"A:{L.col_letter(titles - 1)}"
    ws.oddFooter.center.text = f'&10&"{FONT},Regular"&A — trang &P/&N'
    ws.print_options.gridLines = False


def _sheet_setup(ws: Worksheet, title: str, subtitle: str, corner: str) -> None:
    """Title block, header row, print setup and protection of an item sheet; ``corner`` is what
    the printed pages show right of the title (the title block itself is not printed)."""
    ws.sheet_view.zoomScale = 90
    put_text(ws, "A1", title)
    ws["A1"].font = F_TITLE
    put_text(ws, "A2", subtitle)
    ws["A2"].font = F_NOTE
    put_text(
        ws,
        "A3",
        "Chỉ nhập vào các ô màu vàng; ô chuyển màu đỏ là giá trị không hợp lệ (chữ trong ô số, vượt "
        "giới hạn, ngoài danh sách) và điểm của mục đó chưa đúng. Các cột điểm tự tính; không sửa "
        "công thức.",
    )
    ws["A3"].font = F_NOTE
    # printed, the title is the header of every page (on the second page of a band it was cut at
    # column B, and the pages after the first band had none) and row 3 is screen advice
    page_header(ws, title, corner)
    for col in L.COLUMNS:
        ws.column_dimensions[col.letter].width = col.width
        cell = ws[f"{col.letter}{L.HEADER_ROW}"]
        cell.value = col.header
        cell.font = F_HEAD
        cell.fill = FILL_HEAD
        cell.alignment = CENTER
        cell.border = BORDER
    ws.row_dimensions[L.HEADER_ROW].height = 32
    ws.freeze_panes = f"C{L.FIRST_ROW}"
    _print_two_pages_wide(ws)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _sum(col: str, rows: Sequence[int]) -> str:
    return "=SUM(" + ",".join(f"{col}{r}" for r in rows) + ")"


def _conditional(ws: Worksheet, first: int, last: int) -> None:
    p, q = L.C["deducted"], L.C["open"]
    raw, v1, v2 = L.C["raw"], L.C["v1"], L.C["v2"]
    # "points by the data" of a row with no data typed shows nothing: a blank count of dossiers
    # or incidents computes full points ("nothing to resolve"), which read as points already won
    # (the value stays, so every engine and Python still agree on it)
    ws.conditional_formatting.add(f"{raw}{first}:{raw}{last}", Rule(type="expression", formula=[
        f"COUNTA(${v1}{first}:${v2}{first})=0"], dxf=DifferentialStyle(numFmt=NumberFormat(numFmtId=301,
                                                                                          formatCode=";;;"))))
    ws.conditional_formatting.add(
        f"{p}{first}:{p}{last}", FormulaRule(formula=[f"{p}{first}>0"], fill=FILL_DEDUCT)
    )
    ws.conditional_formatting.add(
        f"{q}{first}:{q}{last}", FormulaRule(formula=[f"{q}{first}>0"], fill=FILL_OPEN)
    )


def _domain_sheet(
    wb: Workbook, fw: Framework, d_index: int, f: Formulas, editable: set[str] | None, who: str
) -> SheetTotals:
    d = fw.domains[d_index]
    ws = wb.create_sheet(d.sheet_name)
    _sheet_setup(ws, f"LĨNH VỰC {d.code}. {d.name.upper()}", f"{fw.name} — điểm tối đa {format_vn_number(d.max)}",
                 who + f"Điểm tối đa: {format_vn_number(d.max)}")
    v = _Validations(ws)
    row = L.FIRST_ROW
    crit_rows: list[int] = []
    totals = SheetTotals(ws.title, 0, row, row)
    for c in d.criteria:
        crow = row
        crit_rows.append(crow)
        put_text(ws, f"A{crow}", c.code)
        put_text(ws, f"B{crow}", c.name)
        row += 1
        rows = []
        for it in c.items:
            r = ItemRow(it, ws.title, row)
            _write_item(ws, f, v, r, editable is None or it.office in editable)
            if it.hidden and editable is not None and it.office not in editable:
                ws.row_dimensions[row].hidden = True
            totals.item_rows.append(r)
            rows.append(row)
            row += 1
        for key in ("max", "applicable", "achieved", "deducted", "open"):
            col = L.C[key]
            f.put(
                ws,
                f"{col}{crow}",
                f"=SUM({col}{rows[0]}:{col}{rows[-1]})",
                ("criterion", c.code, key),
            )
            ws[f"{col}{crow}"].number_format = FMT_POINTS
        _style_row(ws, crow, FILL_CRIT, F_BOLD)
        fit_height(ws, crow)
    totals.row = row
    totals.last = row - 1
    put_text(ws, f"B{row}", f"Tổng lĩnh vực {d.code}")
    for key in ("max", "applicable", "achieved", "deducted", "open"):
        col = L.C[key]
        f.put(ws, f"{col}{row}", _sum(col, crit_rows), ("domain", d.code, key))
        ws[f"{col}{row}"].number_format = FMT_POINTS
    _style_row(ws, row, FILL_TOTAL, F_BOLD)
    _conditional(ws, L.FIRST_ROW, row)
    ws.auto_filter.ref = f"A{L.HEADER_ROW}:{L.COLUMNS[-1].letter}{row - 1}"
    # from the header row (the title block is the page header) to the total; the guidance
    # column stays on screen only
    ws.print_area = f"A{L.HEADER_ROW}:{L.C['open']}{row}"
    return totals


def _extra_sheet(
    wb: Workbook, fw: Framework, f: Formulas, editable: set[str] | None, who: str
) -> tuple[SheetTotals, int, int]:
    """Bonus and penalty items; returns totals and the rows of the bonus and penalty sums."""
    ws = wb.create_sheet(L.EXTRA)
    _sheet_setup(
        ws,
        "ĐIỂM THƯỞNG VÀ ĐIỂM TRỪ",
        f"Điểm thưởng được tính tối đa {format_vn_number(fw.bonus_cap)} điểm; điểm trừ bị trừ vào tổng điểm",
        who + f"Điểm thưởng tính tối đa: {format_vn_number(fw.bonus_cap)}",
    )
    v = _Validations(ws)
    totals = SheetTotals(ws.title, 0, L.FIRST_ROW, L.FIRST_ROW)
    row = L.FIRST_ROW
    sums = []
    shown = {"Điểm trừ": "Điểm trừ (cột 'Điểm đạt' là số điểm bị trừ vào tổng điểm)"}
    for label, items in (("Điểm thưởng", fw.bonus), ("Điểm trừ", fw.penalties)):
        head = row
        put_text(ws, f"B{head}", shown.get(label, label))
        row += 1
        first = row
        for it in items:
            r = ItemRow(it, ws.title, row)
            _write_item(ws, f, v, r, editable is None or it.office in editable)
            totals.item_rows.append(r)
            row += 1
        for key in ("max", "achieved", "open"):
            col = L.C[key]
            f.put(
                ws,
                f"{col}{head}",
                f"=SUM({col}{first}:{col}{row - 1})" if items else 0,
                ("group", label, key),
            )
            ws[f"{col}{head}"].number_format = FMT_POINTS
        _style_row(ws, head, FILL_CRIT, F_BOLD)
        fit_height(ws, head)
        sums.append(head)
    totals.last = row - 1
    ws.print_area = f"A{L.HEADER_ROW}:{L.C['open']}{row - 1}"  # as on the domain sheets
    return totals, sums[0], sums[1]


GUIDE_LINES = (
    "HƯỚNG DẪN SỬ DỤNG MẪU CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
    "",
    "1. Mỗi lĩnh vực là một trang tính (Lĩnh vực 1, Lĩnh vực 2, …). Trang 'Tổng hợp' tự cộng điểm.",
    "2. Chỉ nhập vào các ô màu vàng: Tình trạng, Số liệu 1, Số liệu 2, Tài liệu kiểm chứng, Giải trình.",
    "3. Cột 'Cách chấm' cho biết phải nhập gì vào Số liệu 1 và Số liệu 2 của từng tiêu chí thành phần.",
    "4. Tỷ lệ nhập dạng phần trăm (ví dụ 77,7%); Có/Không chọn trong danh sách; số lượng là số nguyên không âm;",
    "   tử số không lớn hơn mẫu số; số tiền, khối lượng là số không âm (được có phần thập phân).",
    "   Ô nhập chuyển màu đỏ khi giá trị không hợp lệ (ví dụ dán chữ vào ô số, vượt giới hạn, ngoài",
    "   danh sách): công thức không hiểu giá trị đó nên điểm của mục chưa đúng — hãy nhập lại.",
    "   Mục tính tỷ lệ từ tử số và mẫu số mới nhập một trong hai số: ô còn trống tô đỏ — nhập đủ cả hai.",
    "5. Tình trạng: để trống khi đã có số liệu (tự tính Đạt/Không đạt; điểm luôn tính theo số liệu,",
    "   chọn 'Đạt' mà không nhập số liệu thì được 0 điểm); chọn 'Chưa đến hạn' hoặc",
    "   'Chưa xác định' cho nội dung chưa có kết quả (điểm đó tính vào phần 'chưa xác định');",
    "   chọn 'Không áp dụng' nếu cơ quan không phải thực hiện (chỉ số tính trên điểm tối đa áp dụng).",
    "6. Điểm bị trừ = điểm tối đa áp dụng − điểm đạt − điểm chưa xác định. Tỷ lệ bị trừ của mỗi lĩnh vực",
    "   được tính trên tổng số điểm bị trừ của các lĩnh vực (trang Tổng hợp).",
    "7. Điểm thưởng chỉ được tính đến mức giới hạn; điểm trừ bị trừ vào tổng điểm.",
    "8. Mọi công thức chạy được trong Excel và LibreOffice không cần cài Python. Các trang được khoá",
    "   (không đặt mật khẩu) để tránh sửa nhầm công thức.",
    "9. Không đổi tên trang, không xoá trang '_parxl' (ẩn): parxl dùng trang này để nhận diện biểu mẫu.",
    "10. Khi in, mỗi trang lĩnh vực ra khổ A4 ngang, mỗi nhóm dòng trên hai tờ liền nhau: tờ đầu là nội dung",
    "   và số liệu (đến cột Số liệu 2), tờ sau là tài liệu kiểm chứng, giải trình và điểm; tên lĩnh vực ở đầu",
    "   mỗi tờ, cột Mã, Nội dung và dòng tiêu đề in lại trên mỗi tờ. Cột 'Hướng dẫn' chỉ xem trên màn hình.",
)


NBSP = "\u00a0"
CONTINUED = Alignment(horizontal="left", indent=2)  # a line's continuation, as the guide's lines are indented


def _guide_sheet(wb: Workbook, own: tuple[str, list[ItemRow]] | None = None) -> None:
    """The guide; in an office's copy (``own``: the office and its item rows) followed by the
    office's items, each a link to the cell where its data goes, and opened first: an office
    owning 8 of 100 items on 8 sheets had to hunt for its yellow cells."""
    ws = wb.create_sheet(L.GUIDE)
    width = {"A": 100}  # the longest line of GUIDE_LINES and a little more
    ws.column_dimensions["A"].width = width["A"]
    for i, line in enumerate(GUIDE_LINES, start=1):
        put_text(ws, f"A{i}", line)
        ws[f"A{i}"].font = F_TITLE if i == 1 else F_BASE
    if own is not None:
        office, rows = own
        head = len(GUIDE_LINES) + 2
        put_text(ws, f"A{head}", f"CÁC MỤC DO {office.upper()} NHẬP ({len(rows)} mục) — bấm vào một dòng để đến "
                 "ô cần nhập")
        ws[f"A{head}"].font = F_BOLD
        ws[f"A{head}"].alignment = WRAP
        fit_height(ws, head, width)  # a long office name
        r = head
        for ir in rows:
            fields = ir.item.rule.fields()
            ref = ir.ref(f"v{fields[0].slot}" if fields else "status")
            where = f"— {ir.sheet}, ô {ref}"
            # LibreOffice neither wraps a link nor shows its lines after the first: a long one lost
            # its end (where to type) at the page's edge; it goes on in the row below, indented,
            # each row a link short enough for a line (1.05 letters a width unit, on the safe
            # side: the row does not wrap), the place kept in one piece
            text = f"{ir.item.code}  {ir.item.name} {where.replace(' ', NBSP)}"
            for n, line in enumerate(wrap_words(text, int(width["A"] * 1.05))):
                r += 1
                put_text(ws, f"A{r}", line.replace(NBSP, " "))
                ws[f"A{r}"].hyperlink = Hyperlink(ref=f"A{r}", location=f"{_q(ir.sheet)}!{ref}")
                ws[f"A{r}"].font = F_LINK
                if n:
                    ws[f"A{r}"].alignment = CONTINUED
        for view in (wb[L.SUMMARY].sheet_view, ws.sheet_view):  # one tab selected, not a group
            view.tabSelected = view is ws.sheet_view
        wb.active = ws
    # printed, the column fits the page's width: wider than A4 portrait, the ends of the long
    # lines (a link's "— Lĩnh vực 1, ô H9", where to type) were cut at the paper's edge; a scale,
    # as LibreOffice does not shrink a single column to fit a page's width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_setup.scale = _print_scale(_column_pixels(width["A"]), _A4_PORTRAIT_PIXELS)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # widen a column to read it


def _head_cell(ws: Worksheet, ref: str, text: str) -> None:
    """A header cell of a table on the summary: white bold on blue, centred, wrapped, bordered."""
    put_text(ws, ref, text)
    cell = ws[ref]
    cell.font, cell.fill, cell.alignment, cell.border = F_HEAD, FILL_HEAD, CENTER, BORDER


SHARES_NOTE = ("Ghi chú: tỷ lệ trên tổng điểm bị trừ của mỗi lĩnh vực hiển thị làm tròn đến 0,01%, nên cộng "
               "lại có thể lệch 100% một chút.")
_SUMMARY_WIDTHS = (8, 48, 11, 11, 11, 11, 14, 12, 12, 11)
_SUMMARY_WIDTH = sum(_SUMMARY_WIDTHS)


def _summary_sheet(
    ws: Worksheet,
    fw: Framework,
    f: Formulas,
    sheets: list[SheetTotals],
    extra: tuple[SheetTotals, int, int] | None,
) -> None:
    put_text(ws, "A1", "TỔNG HỢP KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    ws["A1"].font = F_TITLE
    labels = (("A2", "Cơ quan, đơn vị:"), ("A3", "Năm đánh giá:"), ("A4", "Bộ tiêu chí:"))
    for ref, text in labels:
        put_text(ws, ref, text)
        ws[ref].font = F_BOLD
    for ref in ("C2", "C3"):
        ws[ref].protection = UNLOCKED
        ws[ref].fill = FILL_INPUT
        ws[ref].font = F_BASE
    _Validations(ws).add(
        ("year",),
        "C3",
        type="whole",
        operator="between",
        formula1="2000",
        formula2="2100",
        allow_blank=True,
        errorTitle="Năm không hợp lệ",
        error="Ghi năm đánh giá bằng 4 chữ số (2000–2100), ví dụ 2024.",
        promptTitle="Năm đánh giá",
        prompt="Năm đánh giá, 4 chữ số, ví dụ 2024.",
    )
    put_text(ws, "C4", f"{fw.name} (phiên bản {fw.version})")
    ws["C4"].font = F_BASE
    heads = [
        "Mã",
        "Lĩnh vực",
        "Điểm tối đa",
        "Tối đa áp dụng",
        "Điểm đạt",
        "Điểm bị trừ",
        "Tỷ lệ trên tổng điểm bị trừ",
        "Điểm chưa xác định",
        "Có thể đạt tối đa",
        "Tỷ lệ đạt",
    ]
    widths = _SUMMARY_WIDTHS
    names = {"B": widths[1]}  # the column of the names and labels, wrapped
    hr = 6
    for i, (h, w) in enumerate(zip(heads, widths, strict=True)):
        col = "ABCDEFGHIJ"[i]
        ws.column_dimensions[col].width = w
        _head_cell(ws, f"{col}{hr}", h)
    ws.row_dimensions[hr].height = 45
    first = hr + 1
    total_row = first + len(fw.domains)
    for i, (d, t) in enumerate(zip(fw.domains, sheets, strict=True)):
        r = first + i
        sq = _q(t.sheet)
        put_text(ws, f"A{r}", d.code)
        put_text(ws, f"B{r}", d.name)
        m = ("domain", d.code)
        f.put(ws, f"C{r}", f"={sq}!{L.C['max']}{t.row}", (*m, "max"))
        f.put(ws, f"D{r}", f"={sq}!{L.C['applicable']}{t.row}", (*m, "applicable"))
        f.put(ws, f"E{r}", f"={sq}!{L.C['achieved']}{t.row}", (*m, "achieved"))
        f.put(ws, f"F{r}", f"={sq}!{L.C['deducted']}{t.row}", (*m, "deducted"))
        f.put(ws, f"G{r}", f.share(f"F{r}", f"$F${total_row}"), (*m, "share"))
        f.put(ws, f"H{r}", f"={sq}!{L.C['open']}{t.row}", (*m, "open"))
        f.put(ws, f"I{r}", f"=E{r}+H{r}", (*m, "reachable"))
        f.put(ws, f"J{r}", f.ratio(f"E{r}", f"D{r}"), (*m, "index"))
    r = total_row
    put_text(ws, f"B{r}", "Cộng điểm cơ bản")
    for col, key in zip(
        "CDEFH", ("max", "applicable", "achieved", "deducted", "open"), strict=True
    ):
        f.put(ws, f"{col}{r}", f"=SUM({col}{first}:{col}{r - 1})", ("base", key))
    f.put(ws, f"G{r}", f"=IF(F{r}=0,0,1)", ("base", "share"))
    f.put(ws, f"I{r}", f"=E{r}+H{r}", ("base", "reachable"))
    f.put(ws, f"J{r}", f.ratio(f"E{r}", f"D{r}"), ("base", "index"))
    # a domain whose every item is not applicable reached nothing it had to: "Miễn" (exempt, as
    # the reports say), not 0 % (the value stays 0, so every engine and Python still agree on it)
    ws.conditional_formatting.add(f"J{first}:J{r - 1}", Rule(type="expression", formula=[f"$D{first}=0"], dxf=(
        DifferentialStyle(numFmt=NumberFormat(numFmtId=300, formatCode=f'"{L.EXEMPT}"')))))
    for rr in range(hr + 1, r + 1):
        for col in "ABCDEFGHIJ":
            cell = ws[f"{col}{rr}"]
            cell.border, cell.font = BORDER, (F_BOLD if rr == r else F_BASE)
            cell.number_format = FMT_PCT if col in "GJ" else FMT_POINTS
            cell.alignment = WRAP if col == "B" else TOP
            if rr == r:
                cell.fill = FILL_TOTAL
        fit_height(ws, rr, names)
    # each share shows two decimals, so the shown shares may add up to 100,01 % above a total of
    # 100 % (Sa Đéc: 9,02 + 0,31 + 3,52 + 87,16): said where it is seen, as the reports say it
    put_text(ws, f"B{r + 1}", SHARES_NOTE)
    ws[f"B{r + 1}"].font = F_NOTE

    # by who scores: a table of its own, headed and bordered as the one above
    r += 3
    # the applicable maximum beside the maximum: with an item not applicable, maximum − achieved
    # is not the points deducted
    scorer_heads = {"max": "Điểm tối đa", "applicable": "Điểm tối đa áp dụng", "achieved": "Điểm đạt",
                    "deducted": "Điểm bị trừ", "open": "Điểm chưa xác định"}
    _head_cell(ws, f"B{r}", "Theo hình thức đánh giá")
    for col, h in zip("CDEFG", scorer_heads.values(), strict=True):
        _head_cell(ws, f"{col}{r}", h)
    ws.row_dimensions[r].height = LINE_HEIGHT * max(
        text_lines(h, w) for h, w in zip(scorer_heads.values(), widths[2:7], strict=True))
    scorer_col = L.C["scorer"]
    for key in ("self", "survey", "external"):
        r += 1
        put_text(ws, f"B{r}", SCORERS[key])
        ws[f"B{r}"].border = BORDER
        for col, src in zip("CDEFG", scorer_heads, strict=True):
            parts = [
                f"SUMIF({_q(t.sheet)}!${scorer_col}${t.first}:${scorer_col}${t.last},{_s(SCORERS[key])},"
                f"{_q(t.sheet)}!${L.C[src]}${t.first}:${L.C[src]}${t.last})"
                for t in sheets
            ]
            f.put(ws, f"{col}{r}", "=" + "+".join(parts), ("scorer", key, src))
            ws[f"{col}{r}"].number_format = FMT_POINTS
            ws[f"{col}{r}"].border = BORDER

    # result block
    r += 2
    res: dict[str, int] = {}

    def line(
        key: str, label: str, formula: str | float, fmt: str = FMT_POINTS, bold: bool = False
    ) -> None:
        nonlocal r
        res[key] = r
        put_text(ws, f"B{r}", label)
        f.put(ws, f"C{r}", formula, ("result", key))
        ws[f"C{r}"].number_format = fmt
        ws[f"B{r}"].font = ws[f"C{r}"].font = F_BOLD if bold else F_BASE
        ws[f"B{r}"].border = ws[f"C{r}"].border = BORDER
        ws[f"B{r}"].alignment, ws[f"C{r}"].alignment = WRAP, TOP
        fit_height(ws, r, names)
        r += 1

    line("base", "Điểm cơ bản đạt được", f"=E{total_row}")
    if extra is not None:
        et, bonus_row, penalty_row = extra
        eq = _q(et.sheet)
        line(
            "bonus_raw",
            "Điểm thưởng đạt được (trước giới hạn)",
            f"={eq}!{L.C['achieved']}{bonus_row}",
        )
        line("bonus_open", "Điểm thưởng chưa xác định", f"={eq}!{L.C['open']}{bonus_row}")
        line("penalty", "Điểm trừ", f"={eq}!{L.C['achieved']}{penalty_row}")
    else:
        line("bonus_raw", "Điểm thưởng đạt được (trước giới hạn)", 0)
        line("bonus_open", "Điểm thưởng chưa xác định", 0)
        line("penalty", "Điểm trừ", 0)
    line("cap", "Giới hạn điểm thưởng", fw.bonus_cap)
    line("bonus", "Điểm thưởng được tính", f.capped(f"C{res['bonus_raw']}", f"C{res['cap']}"))
    line("total", "TỔNG ĐIỂM", f"=C{res['base']}+C{res['bonus']}-C{res['penalty']}", bold=True)
    line(
        "index_base",
        L.INDEX_BASE,
        f"=D{total_row}+C{res['cap']}",
    )
    line(
        "index",
        "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",
        f.ratio(f"C{res['total']}", f"C{res['index_base']}"),
        FMT_PCT,
        True,
    )
    line("secured", "Giữa kỳ: điểm chắc chắn đạt", f"=C{res['total']}")
    line(
        "reachable",
        "Giữa kỳ: điểm có thể đạt tối đa",
        f"=C{res['base']}+H{total_row}+MIN(C{res['cap']},C{res['bonus_raw']}+C{res['bonus_open']})-C{res['penalty']}",
    )

    # status counts
    r += 1
    put_text(ws, f"B{r}", "Số tiêu chí thành phần theo trạng thái")
    ws[f"B{r}"].font = F_BOLD
    st_col = L.C["eff_status"]
    for s in STATUSES:
        r += 1
        res[f"status:{s}"] = r
        put_text(ws, f"B{r}", s)
        ws[f"B{r}"].border = ws[f"C{r}"].border = BORDER  # as the result lines above
        f.put(
            ws,
            f"C{r}",
            "="
            + "+".join(
                f"COUNTIF({_q(t.sheet)}!${st_col}${t.first}:${st_col}${t.last},{_s(s)})"
                for t in sheets
            ),
            ("status", s),
        )
    r += 1
    na = res[f"status:{KHONG_AP_DUNG}"]
    applicable = f'"&ROUND(D{total_row},2)&" điểm'  # the index base is C{index_base}: applicable + cap
    base = (f'"&ROUND(C{res["index_base"]},2)&" điểm (điểm tối đa áp dụng {applicable} và giới hạn điểm thưởng '
            f'"&C{res["cap"]}&" điểm)' if fw.bonus_cap > 0 else f"điểm tối đa áp dụng ({applicable})")
    ws[f"B{r}"] = (
        f'=IF(C{na}>0,"Có "&C{na}&" tiêu chí thành phần không áp dụng: chỉ số tính trên {base}.","")'
    )  # a number joined to text takes the user's decimal separator; TEXT's codes are locale-bound
    ws[f"B{r}"].font = F_NOTE
    r += 1  # an error value in an input (pasted from another file) reaches every total: say why
    c1, c2 = L.C["status"], L.C["v2"]  # the inputs a paste can fill with an error value
    errors = "+".join(
        f"SUMPRODUCT(ISERROR({_q(t.sheet)}!${c1}${t.first}:${c2}${t.last})*1)"
        for t in [*sheets, *([extra[0]] if extra is not None else [])]
    )
    ws[f"B{r}"] = (
        f'=IF({errors}>0,"Có "&({errors})&" ô nhập liệu chứa giá trị lỗi (như #N/A, #VALUE!, thường do dán '
        'từ tệp khác), tô đỏ trên trang lĩnh vực: các tổng điểm báo lỗi cho đến khi nhập lại các ô đó.","")'
    )

    for row in ws.iter_rows(min_row=total_row + 1, max_row=ws.max_row, max_col=10):
        for cell in row:
            if not any(cell.font == kept for kept in (F_BOLD, F_NOTE, F_HEAD)):  # the cell's proxy compares
                cell.font = F_BASE
    ws[f"B{r}"].font = Font(name=FONT, size=11, bold=True, color=F_BAD.color)
    ws.freeze_panes = f"A{hr + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"  # portrait shrank the 10 columns to 11 pt × 0.57
    ws.page_margins.left = ws.page_margins.right = 0.4
    # no page header or footer: the default inch above and below shrank the page below 85 % once
    # the rows were as tall as their wrapped text
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1  # one page: a fixed number of rows
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # as on the domain sheets
    names = {
        "PAR_TONG_DIEM": res["total"],
        "PAR_CHI_SO": res["index"],
        "PAR_DIEM_CO_BAN": res["base"],
        "PAR_DIEM_THUONG": res["bonus"],
        "PAR_DIEM_TRU": res["penalty"],
        "PAR_CO_THE_DAT": res["reachable"],
    }
    wb = ws.parent
    for name, row in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=f"{_q(ws.title)}!$C${row}")
    wb.defined_names["PAR_DIEM_BI_TRU"] = DefinedName(
        "PAR_DIEM_BI_TRU", attr_text=f"{_q(ws.title)}!$F${total_row}"
    )


def _meta_sheet(wb: Workbook, fw: Framework, f: Formulas, meta: dict[str, str]) -> None:
    from parxl import __version__

    ws = wb.create_sheet(L.META)
    rows: list[tuple[str, str]] = [
        ("format", L.TEMPLATE_FORMAT),
        ("template_version", str(L.TEMPLATE_VERSION)),
        ("parxl_version", __version__),
        ("framework_id", fw.id),
        ("framework_version", fw.version),
        ("fingerprint", fw.fingerprint),
        ("flavor", f.flavor),
        *sorted(meta.items()),
    ]
    text = json.dumps(fw.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    rows += [("framework_json", text[i : i + 30000]) for i in range(0, len(text), 30000)]
    for i, (k, val) in enumerate(rows, start=1):
        put_text(ws, f"A{i}", k)
        put_text(ws, f"B{i}", val)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def summary_note(ws: Worksheet, text: str) -> None:
    """A note in row 5 of the summary, above its tables, across its width: what the totals below
    leave out (an office copy's, a consolidated workbook's missing offices)."""
    put_text(ws, "A5", text)
    ws.merge_cells("A5:J5")
    ws["A5"].font, ws["A5"].alignment = F_OFFICE_NOTE, WRAP
    ws.row_dimensions[5].height = LINE_HEIGHT * text_lines(text, _SUMMARY_WIDTH)


def build_workbook(
    fw: Framework,
    *,
    formulas: Formulas | None = None,
    editable_offices: set[str] | None = None,
    meta: dict[str, str] | None = None,
) -> Workbook:
    """The template as an openpyxl Workbook (not yet saved)."""
    f = formulas or Formulas()
    wb = Workbook()
    # the default font is the one column widths are measured in: Calibri, absent where
    # LibreOffice runs without Office, made every column a fifth wider and the printed item
    # sheets three pages wide; Times New Roman (Liberation Serif there) is what cells use anyway
    wb._fonts = IndexedList([F_BASE])
    summary = wb.active
    assert summary is not None
    summary.title = L.SUMMARY
    who = _who(meta or {})
    sheets = [_domain_sheet(wb, fw, i, f, editable_offices, who) for i in range(len(fw.domains))]
    extra = _extra_sheet(wb, fw, f, editable_offices, who) if (fw.bonus or fw.penalties) else None
    _summary_sheet(summary, fw, f, sheets, extra)
    own = None
    if editable_offices is not None and len(editable_offices) == 1:
        [office] = editable_offices
        own = (office, [r for t in (*sheets, *([extra[0]] if extra else []))
                        for r in t.item_rows if r.item.office == office])
        # its total counts only the office's items, so the "index" it shows is not the body's: an
        # office head saw "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH 3,00%" under the city's name, nothing saying why
        summary_note(summary, f"Bản của {office}: chỉ nhập các mục do đơn vị chủ trì (ô màu vàng); các mục khác "
                     "để trống, tính là chưa xác định. Điểm và chỉ số dưới đây vì vậy chưa phải kết quả của "
                     f"{(meta or {}).get('body') or 'cơ quan'} — kết quả chung có sau khi tổng hợp bản của các đơn vị.")
    _guide_sheet(wb, own)
    _meta_sheet(wb, fw, f, meta or {})
    wb.properties.creator = "parxl"
    wb.properties.title = fw.name
    wb.calculation.fullCalcOnLoad = True
    return wb


def build_template(fw: Framework, path: str | Path, **kw: object) -> Path:
    """Write the template workbook for ``fw`` to ``path`` (reproducible, atomic); never over a
    workbook that holds values or is not a parxl workbook (:func:`refuse_to_replace`)."""
    from parxl.workbook.read import refuse_to_replace

    refuse_to_replace([Path(path)])
    wb = build_workbook(fw, **kw)  # type: ignore[arg-type]
    save_workbook(wb, path)
    return Path(path)
