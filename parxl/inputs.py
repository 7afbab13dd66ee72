"""The input table: one row per input field of every item (CSV, UTF-8).

Columns ``code, field, value, type, allowed, unit, description``. This is how values from
other systems (one-stop software, spreadsheets) get into a template: by item code and field
name, never by cell position. Values are read in Vietnamese formats (``77,7%``,
``22.583.451``, ``1,5``) and checked against the field's type before anything is written.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Collection, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parxl.errors import InputError, Location
from parxl.framework.model import Framework, Item
from parxl.numbers import cell_text, excel_text, format_vn_number, parse_vn_number
from parxl.rules.base import AMOUNT, COUNT, NO, POINTS, RATE, YES, YESNO
from parxl.score import STATUSES
from parxl.workbook import layout as L
from parxl.workbook.save import atomic_write_bytes

STATUS, TEXT = "status", "text"
BODY = "_body"
COLUMNS = ("code", "field", "value", "type", "allowed", "unit", "description")


@dataclass(frozen=True)
class InputField:
    code: str
    field: str
    type: str
    allowed: str
    unit: str
    description: str
    max: float = 0.0


def item_fields(item: Item) -> Iterator[InputField]:
    yield InputField(
        item.code,
        "status",
        STATUS,
        "|".join(STATUSES),
        "",
        f"{item.name} — tình trạng (để trống nếu đã nhập số liệu)",
        item.max,
    )
    for f in item.rule.fields():
        allowed = {
            POINTS: f"0..{format_vn_number(item.max, 4)}",
            YESNO: f"{YES}|{NO}",
            RATE: "0%..100%",
            COUNT: ">=0",
            AMOUNT: ">=0",
        }[f.type]
        unit = "điểm" if f.type == POINTS else f.unit
        yield InputField(
            item.code, f.name, f.type, allowed, unit, f"{item.name} — {f.label}", item.max
        )
    yield InputField(
        item.code, "evidence", TEXT, "", "", f"{item.name} — tài liệu kiểm chứng", item.max
    )
    yield InputField(
        item.code,
        "explanation",
        TEXT,
        "",
        "",
        f"{item.name} — giải trình (nếu bị trừ điểm)",
        item.max,
    )


def input_fields(fw: Framework) -> list[InputField]:
    out = [
        InputField(BODY, "name", TEXT, "", "", "Tên cơ quan, đơn vị được đánh giá"),
        InputField(BODY, "year", TEXT, "", "", "Năm đánh giá"),
    ]
    for item in fw.items:
        out.extend(item_fields(item))
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A cell of a CSV file parxl writes, safe to open in Excel: a text that starts as a formula
    would (``=1+2``, ``+84 …``, ``-Xã …``, ``@SUM(…``: names and file names come from users) gets a
    leading apostrophe, so Excel shows it instead of evaluating it; anything else unchanged."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_plain(text: str) -> str:
    """The text :func:`csv_text` wrote, read back (a manifest parxl wrote, opened again)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def input_table_csv(fw: Framework) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for f in input_fields(fw):
        w.writerow([csv_text(v) for v in (f.code, f.field, "", f.type, f.allowed, f.unit, f.description)])
    return buf.getvalue()


def write_input_table(fw: Framework, path: str | Path) -> None:
    """The blank input table, never over a table that holds values (or another file): a blank
    table is a re-run's to replace, a filled one is someone's work."""
    p = Path(path)
    if p.is_file():
        try:
            values, lines, _problems = parse_values(p)
        except InputError:
            raise InputError("đã có tệp khác, không phải bảng nhập liệu: không ghi đè — hãy chọn tên tệp khác "
                             "(hoặc chuyển, xoá tệp đó nếu chắc chắn)", Location(file=str(p))) from None
        if values:
            (code, field), line = min(lines.items(), key=lambda kv: kv[1])
            raise InputError(
                f"bảng nhập liệu này đã có {len(values)} giá trị (ví dụ dòng {line}: {code}, {field}): không ghi "
                "đè bằng bảng trống — hãy chọn tên tệp khác (hoặc chuyển, xoá tệp đó nếu chắc chắn)",
                Location(file=str(p)))
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        from parxl.workbook.save import save_workbook

        save_workbook(input_table_workbook(fw), p)
        return
    if suffix in _WORKBOOK_SUFFIXES:
        raise InputError("bảng nhập liệu ghi được dạng .csv hoặc .xlsx — hãy đổi đuôi tệp", Location(file=str(p)))
    # BOM so Excel opens the UTF-8 CSV with Vietnamese letters intact
    atomic_write_bytes(p, ("\ufeff" + input_table_csv(fw)).encode("utf-8"))


def input_table_workbook(fw: Framework) -> Any:
    """The blank input table as a workbook (sheet 'Nhập liệu', the columns of the CSV): what
    staff who work in Excel fill in and save as it is. Codes stay text ('1.10' is not the number
    1,1); the value column is yellow, as a template's input cells are; statuses and yes/no values
    are chosen from a list."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from parxl.workbook.build import (
        F_BASE,
        F_HEAD,
        FILL_HEAD,
        FILL_INPUT,
        FMT_AMOUNT,
        FMT_COUNT,
        FMT_RATE,
        TOP,
        WRAP,
        fit_height,
        put_text,
    )

    formats = {RATE: FMT_RATE, COUNT: FMT_COUNT, AMOUNT: FMT_AMOUNT, TEXT: "@", STATUS: "@", YESNO: "@"}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = L.INPUT
    widths = (10, 13, 18, 9, 30, 9, 60)
    for col, (name, width) in enumerate(zip(COLUMNS, widths, strict=True), start=1):
        letter = L.col_letter(col - 1)
        put_text(ws, f"{letter}1", name)
        ws[f"{letter}1"].font, ws[f"{letter}1"].fill = F_HEAD, FILL_HEAD
        ws.column_dimensions[letter].width = width
    lists: dict[str, list[str]] = {STATUS: [], YESNO: []}
    fields = input_fields(fw)
    for r, f in enumerate(fields, start=2):
        for letter, v in zip("ABDEFG", (f.code, f.field, f.type, f.allowed, f.unit, f.description), strict=True):
            if v:
                put_text(ws, f"{letter}{r}", str(v))
                ws[f"{letter}{r}"].font = F_BASE
            ws[f"{letter}{r}"].alignment = TOP  # beside the description's first line
        ws[f"C{r}"].fill, ws[f"C{r}"].alignment = FILL_INPUT, TOP
        # as a template's cells: a rate cell in per cent (Excel takes 80 typed there as 80 %, and 1 as
        # 1 %, where a plain cell's 1 would be 100 %), a text stays text ("2/3" is not a date)
        ws[f"C{r}"].number_format = formats.get(f.type, "General")
        ws[f"G{r}"].alignment = WRAP
        fit_height(ws, r, {"G": widths[-1]})
        if f.type in lists:
            lists[f.type].append(f"C{r}")
    for kind, words in ((STATUS, STATUSES), (YESNO, (YES, NO))):
        if lists[kind]:
            ws.add_data_validation(DataValidation(
                type="list", formula1='"' + ",".join(words) + '"', allow_blank=True, sqref=" ".join(lists[kind]),
                errorTitle="Giá trị không hợp lệ", error=f"Chọn trong danh sách: {', '.join(words)}."))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{len(fields) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as the page, as long as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "parxl"
    return wb


def read_utf8(path: str | Path, what: str = "tệp") -> str:
    """The text of a user's CSV/text file, with a Vietnamese error naming ``what`` it is."""
    p = Path(path)
    where = Location(file=str(p))
    try:
        return p.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"không tìm thấy {what}", where) from None
    except IsADirectoryError:
        raise InputError(f"đây là thư mục, không phải {what}", where) from None
    except UnicodeDecodeError:
        raise InputError(f"{what} phải lưu dạng UTF-8 (trong Excel: CSV UTF-8)", where) from None


def read_table_text(path: str | Path, what: str = "tệp") -> str:
    """The text of a table a user gives (a list of bodies, a roster, an appraisal): a CSV file's,
    or, for a table kept in Excel (.xlsx, .xls, .ods), its first sheet with data as CSV text —
    line numbers are the sheet's row numbers, numbers written with a decimal comma (read back
    exactly by :func:`parxl.numbers.parse_vn_number`), dates as dd/mm/yyyy."""
    p = Path(path)
    if not is_workbook(p):
        return read_utf8(p, what)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in _first_sheet_rows(p, what):
        if any(v not in (None, "") for v in row):
            w.writerow([_as_csv(v) for v in row])
        else:  # a blank line, which every reader skips (",,," is a row of empty cells to pandas)
            buf.write("\n")
    return buf.getvalue()


def _first_sheet_rows(p: Path, what: str) -> list[list[Any]]:
    for _, rows in _workbook_sheets(p, what):
        if any(v not in (None, "") for row in rows for v in row):
            return rows
    raise InputError(f"{what} trống", Location(file=str(p)))


def _workbook_sheets(p: Path, what: str = "tệp") -> Iterator[tuple[str, list[list[Any]]]]:
    """``(name, rows from A1)`` of each sheet of a workbook the user gives (chart sheets
    skipped), read with calamine: row *n* of the list is the sheet's row *n* + 1."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception:  # calamine raises its own types for a damaged or encrypted file
        raise InputError(f"không đọc được {what} (tệp Excel hỏng hoặc có mật khẩu) — mở bằng Excel rồi lưu lại "
                         "dạng .xlsx hoặc CSV UTF-8", Location(file=str(p))) from None
    for name in wb.sheet_names:
        try:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # a chart sheet
            continue
        yield name, rows


def _as_csv(v: Any) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):  # shortest exact digits, never an exponent ("1e-05" is no number to a reader)
        from numpy import format_float_positional

        return format_float_positional(v, trim="-").replace(".", ",")
    if isinstance(v, datetime.date):
        return v.strftime("%d/%m/%Y")
    return cell_text(v)


_DELIMITERS = (",", ";", "\t")
_REQUIRED = ("code", "field", "value")


def csv_separator(text: str, known: Container[str], where: Location) -> tuple[str, str, int]:
    """``(text, separator, lines skipped)`` of a CSV that Excel or a person saved: the separator
    named by a leading ``sep=`` line (removed from the text), else the one of comma, semicolon and
    tab that splits the header line into the most ``known`` column names (stripped, case-folded;
    a tie goes to the comma). Excel in Vietnamese saves "CSV UTF-8" with semicolons. A title
    above the header (a list kept in Excel: "DANH SÁCH ĐƠN VỊ NĂM 2024") is skipped: the header
    is the first of the first ten lines that names a known column."""
    skipped = 0
    head = text.partition("\n")[0].rstrip("\r")
    sep = ""
    if head.casefold().startswith("sep=") and len(head) == 5:
        if head[4] not in _DELIMITERS:
            raise InputError(
                f"dòng 1: dấu phân cách '{head[4]}' không dùng được; dùng dấu phẩy, chấm phẩy hoặc tab", where)
        text, sep, skipped = text.partition("\n")[2], head[4], 1

    def hits(line: str, d: str) -> int:
        return sum(" ".join(n.split()).casefold() in known for n in next(csv.reader([line], delimiter=d), []))

    lines = text.split("\n", 10)[:10]
    for i, line in enumerate(lines):
        line = line.rstrip("\r")
        best = sep or max(_DELIMITERS, key=lambda d: (hits(line, d), -_DELIMITERS.index(d)))
        if hits(line, best):
            return (text.split("\n", i)[i] if i else text), best, skipped + i
    return text, sep or ",", skipped


def table_columns(row: Sequence[Any]) -> tuple[dict[str, int], str]:
    """The columns 'code', 'field', 'value' of an input table's header row (names matched
    ignoring case and surrounding spaces): ``({name: index}, "")``; ``({}, "")`` when the row
    is not the header; ``({}, problem)`` when one of them is there twice."""
    names = [v.strip().casefold() if isinstance(v, str) else "" for v in row]
    for name in _REQUIRED:
        if names.count(name) > 1:
            return {}, f"cột '{name}' có hai lần ở dòng tiêu đề"
    if not set(_REQUIRED) <= set(names):
        return {}, ""
    return {n: names.index(n) for n in _REQUIRED}, ""  # in the order code, field, value


def table_row(values: dict[tuple[str, str], Any], lines: dict[tuple[str, str], int], columns: Mapping[str, int],
              row: Sequence[Any], line: int) -> str:
    """Take one row of an input table (CSV texts, or the cells of a sheet) into ``values`` and
    ``lines`` by (code, field); a row without code and field, or without a value, is skipped.
    Returns the problem ("" when none): the same code and field on an earlier line."""
    code, name, value = (row[i] if i < len(row) else None for i in columns.values())
    code, name = cell_text(code).strip(), cell_text(name).strip()
    if not code and not name:
        return ""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    key = (code, name)
    if key in values:
        return f"dòng {line}: mục {code} trường '{name}' đã có ở dòng {lines[key]}"
    if isinstance(value, str):
        value = value.strip()
    elif isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel's 2023 (a year, a count) is not "2023.0" in a text field
    values[key] = value
    lines[key] = line
    return ""


def table_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int], str]:
    """``(row index, columns, problem)`` of an input table's header among the first ten rows of a
    sheet (see :func:`table_columns`); index -1 and no columns when there is none."""
    for at, row in enumerate(rows[:10]):
        columns, problem = table_columns(row)
        if columns or problem:
            return at, columns, problem
    return -1, {}, ""


def sheet_values(rows: Sequence[Sequence[Any]], at: int, columns: Mapping[str, int]) -> tuple[
        dict[tuple[str, str], Any], dict[tuple[str, str], int], list[str]]:
    """The values of the rows below the header row ``at`` of a sheet, their row numbers, and the
    problems (the same code and field twice)."""
    values: dict[tuple[str, str], Any] = {}
    lines: dict[tuple[str, str], int] = {}
    problems = [p for r, row in enumerate(rows[at + 1:], start=at + 2) if (p := table_row(values, lines, columns, row, r))]
    return values, lines, problems


# an input table saved by Excel as a workbook: .xlsx, .xlsm, .ods (zip) or .xls (OLE)
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def is_workbook(p: Path) -> bool:
    try:
        with p.open("rb") as fh:
            return fh.read(4) in _WORKBOOK_MAGIC
    except OSError:  # not found, a folder: said by read_utf8
        return False


def _workbook_values(p: Path) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], int], list[str]]:
    """:func:`parse_values` of an input table kept in Excel: the first sheet with the header
    'code', 'field', 'value' in its first ten rows; line numbers are the sheet's row numbers."""
    names = []
    for name, rows in _workbook_sheets(p, "bảng nhập liệu"):
        at, columns, problem = table_header(rows)
        if problem:
            raise InputError(f"dòng {at + 1}: {problem}", Location(file=str(p), sheet=name))
        if columns:
            return sheet_values(rows, at, columns)
        names.append(name)
    if L.META in names:  # a template or a return given for the table of values
        raise InputError("đây là biểu mẫu parxl, không phải bảng nhập liệu (các cột 'code', 'field', 'value'): số "
                         "liệu của các biểu mẫu trả về được gộp bằng lệnh 'parxl collect'", Location(file=str(p)))
    raise InputError("không có trang nào có dòng tiêu đề với các cột 'code', 'field', 'value' (trong 10 dòng "
                     "đầu) — dùng bảng nhập liệu do lệnh 'parxl inputs' tạo", Location(file=str(p)))


def read_values(path: str | Path) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], int]]:
    """``({(code, field): value}, {(code, field): line number})``; blank values are skipped;
    raises one InputError listing every line that cannot be read (see :func:`parse_values`)."""
    values, lines, problems = parse_values(path)
    if problems:
        raise InputError(f"bảng nhập liệu có {len(problems)} dòng lỗi:\n" + "\n".join(f"  - {p}" for p in problems),
                         Location(file=str(path)))
    return values, lines


def parse_values(path: str | Path) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], int], list[str]]:
    """The values of the lines that can be read, their line numbers, and what is wrong with the
    others ("dòng 7: …"); a file without the header raises. A workbook (the table filled in Excel
    and saved as .xlsx) is read from its sheet holding the header (:func:`_workbook_values`).

    Standard CSV (RFC 4180, as Excel and Python's csv module write it): a value with the
    separator, a quote or a line break is quoted and its quotes are doubled. The separator is
    ``,``, ``;`` or tab (the one that splits the header into code, field, value, or the one a
    leading ``sep=`` line names, as Excel writes it); header names are matched ignoring case.
    """
    p = Path(path)
    if is_workbook(p):
        return _workbook_values(p)
    where = Location(file=str(p))
    text, delimiter, skipped = csv_separator(read_utf8(p), _REQUIRED, where)
    first_line = 1 + skipped
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        skipinitialspace=False,
        strict=True,
    )
    values: dict[tuple[str, str], str] = {}
    lines: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    columns: dict[str, int] = {}
    width = 0
    end = 0  # physical lines read so far: a quoted value may hold line breaks
    while True:
        start = first_line + end
        try:
            row = next(reader, None)
        except csv.Error as exc:
            problems.append(_quote_problem(start, first_line - 1 + reader.line_num, str(exc)))
            break
        end = reader.line_num
        if row is None:
            break
        if not columns:
            columns, problem = table_columns(row)
            if problem:
                raise InputError(f"dòng {start}: {problem}", where)
            if not columns:
                raise InputError("tệp CSV phải có các cột 'code', 'field', 'value'", where)
            width = len(row)
            continue
        if any(c.strip() for c in row[width:]):
            problems.append(f"dòng {start}: có {len(row)} ô, nhiều hơn {width} cột của dòng tiêu đề — "
                            + _SEPARATOR_ADVICE[delimiter])
            continue
        problem = table_row(values, lines, columns, row, start)
        if problem:
            problems.append(problem)
    if not columns and not problems:
        raise InputError("tệp CSV phải có các cột 'code', 'field', 'value'", where)
    return values, lines, problems


_SEPARATOR_ADVICE = {
    ",": "giá trị có dấu phẩy (ví dụ 1,31 hay 'Báo cáo số 12, ngày 5/1') phải đặt trong ngoặc kép "
         "(\"1,31\"), hoặc dùng dấu chấm phẩy ';' làm dấu phân cách",
    ";": "tệp dùng dấu chấm phẩy ';' làm dấu phân cách: giá trị có dấu chấm phẩy (ví dụ 'Kế hoạch số 5; "
         "Báo cáo số 12') phải đặt trong ngoặc kép",
    "\t": "tệp dùng ký tự tab làm dấu phân cách: giá trị có ký tự tab phải đặt trong ngoặc kép",
}


def _quote_problem(start: int, line: int, reason: str) -> str:
    if "end of data" in reason:
        return (f"dòng {start}: dấu ngoặc kép mở nhưng không được đóng đến hết tệp — kiểm tra "
                "ngoặc kép của giá trị này")
    return (f"dòng {line}: dấu ngoặc kép không đúng quy cách CSV — giá trị có ngoặc kép phải đặt "
            "trong ngoặc kép và viết đôi ngoặc kép bên trong (\"Quyết định \"\"số 5\"\"\"), "
            "hoặc bỏ ngoặc kép")


def nfc(value: Any) -> str:
    """The text in composed form (NFC). Vietnamese typed with Unikey's "Unicode tổ hợp" or on a
    Mac comes decomposed ("o" + combining acute for "ó"): the same letters to a reader and
    canonically equivalent, but unequal to Excel's list values and formulas."""
    return unicodedata.normalize("NFC", str(value))


EXCEL_TEXT_MAX = 32_767  # characters (UTF-16 code units) a cell holds
# characters an .xlsx cannot hold (XML 1.0); tab, line feed and carriage return are fine
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def without_controls(text: str) -> str:
    """``text`` with its control characters replaced: a vertical tab (Word's Shift+Enter, pasted)
    by a line break, any other by a space (``text`` itself when it has none)."""
    if _NOT_IN_XLSX.search(text) is None:
        return text
    return _NOT_IN_XLSX.sub(lambda m: "\n" if m.group() == "\x0b" else " ", text)


def hidden_characters(text: str) -> str:
    """" (có ký tự ẩn U+200B ở vị trí 3)" when ``text`` holds characters that do not show —
    zero-width spaces, direction marks, control characters — so a message quoting it does not
    look like it quotes a good value; '' otherwise."""
    found = [f"U+{ord(c):04X} ở vị trí {i}" for i, c in enumerate(text, start=1)
             if unicodedata.category(c) in ("Cf", "Cc") and c not in "\t\n\r"]
    return f" (có ký tự ẩn {', '.join(found[:3])})" if found else ""


def text_problem(text: str) -> str:
    """Why ``text`` cannot go into an Excel cell unchanged ('' when it can)."""
    bad = _NOT_IN_XLSX.search(text)
    if bad:
        return (f"có ký tự điều khiển U+{ord(bad.group()):04X} (ký tự thứ {bad.start() + 1}, không nhìn thấy; "
                "thường do chép từ Word hoặc phần mềm khác) — xoá ký tự này rồi chạy lại")
    return length_problem(text)


def length_problem(text: str) -> str:
    """Why ``text`` is too long for a cell ('' when it is not)."""
    if len(text) <= EXCEL_TEXT_MAX // 2:  # fits whatever its letters: a letter is 1 or 2 UTF-16 units
        return ""
    length = len(text.encode("utf-16-le")) // 2
    if length > EXCEL_TEXT_MAX:
        return (f"dài {format_vn_number(length, 0)} ký tự, quá giới hạn "
                f"{format_vn_number(EXCEL_TEXT_MAX, 0)} ký tự của một ô Excel — rút gọn (ghi số, "
                "ngày văn bản; nội dung dài để ở tài liệu kèm theo)")
    return ""


def _year(raw: Any) -> tuple[str | None, str]:
    """The assessment year as 4 digits; Excel may hand over 2023 as the number 2023.0."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        text = str(int(raw))
    else:
        text = str(raw).strip()
    if re.fullmatch("[0-9]{4}", text) and 2000 <= int(text) <= 2100:
        return text, ""
    return None, f"năm '{raw}' không hợp lệ; ghi năm đánh giá bằng 4 chữ số (2000–2100), ví dụ 2023"


def _word(raw: Any, words: Mapping[str, str]) -> str | None:
    """The word of ``words`` (keys case-folded, with and without diacritics) that ``raw`` is, as
    it shows: composed, trimmed, zero-width and direction marks aside (a lookup first: almost
    every value is already one of the words)."""
    text = nfc(raw).strip()
    found = words.get(text.casefold())
    if found is None:
        text = "".join(c for c in text if unicodedata.category(c) != "Cf").strip()
        found = words.get(text.casefold()) or words.get(_bare(text))
    return found


def _bare(text: str) -> str:
    """Lower case without diacritics: what "Khong dat" typed with the Vietnamese keyboard off means."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("đ", "d").replace("Đ", "D").casefold().split())


_STATUS_BY_KEY = {s.casefold(): s for s in STATUSES} | {_bare(s): s for s in STATUSES}
_YESNO_BY_KEY = {k: YES for k in (YES.casefold(), _bare(YES), "x", "1", "true", "đạt", "dat")} | {
    k: NO for k in (NO.casefold(), _bare(NO), "0", "false")}


def normalize(f: InputField, raw: Any) -> tuple[Any, str]:
    """Turn a typed value into what goes into the cell; ``(value, problem)``.

    Texts are compared and stored in composed Unicode (NFC), the form Excel's lists use."""
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):  # a cell of a workbook
        shown = raw.strftime("%d/%m/%Y") if isinstance(raw, datetime.date) else str(raw)
        if f.type == TEXT:  # "05/01/2024", as a reader writes the date
            return shown, ""
        return None, (f"ô là ngày tháng ({shown}) — Excel đã đổi số gõ vào thành ngày (ví dụ 2/3 thành ngày 2 "
                      "tháng 3), hoặc ô đang định dạng ngày; đổi định dạng ô sang General (Chung) rồi nhập lại số")
    if f.code == BODY and f.field == "year":
        return _year(raw)
    if f.type == TEXT:
        text = nfc(raw)
        return (None, problem) if (problem := text_problem(text)) else (text, "")
    if f.type == STATUS:
        status = _word(raw, _STATUS_BY_KEY)
        if status is not None:
            return status, ""
        return None, f"tình trạng '{raw}'{hidden_characters(str(raw))} không hợp lệ; dùng: {', '.join(STATUSES)}"
    if f.type == YESNO:
        yes_no = _word(raw, _YESNO_BY_KEY)
        if yes_no is not None:
            return yes_no, ""
        return None, f"'{raw}'{hidden_characters(str(raw))} không hợp lệ; dùng {YES} hoặc {NO}"
    n = parse_vn_number(raw)
    if n is None:
        return None, f"'{excel_text(raw)}'{hidden_characters(str(raw))} không phải là số"
    if f.type == RATE:
        if isinstance(raw, str) and not raw.strip().endswith("%") and n > 1:
            return None, f"tỷ lệ '{raw}' phải ghi dạng phần trăm, ví dụ {raw.strip()}%"
        if not 0 <= n <= 1:
            if isinstance(raw, str):
                return None, f"tỷ lệ {raw.strip()} phải từ 0% đến 100%"
            typed = f" (nếu là {format_vn_number(n, 4)}%, gõ cả dấu %)" if 1 < n <= 100 else ""
            shown = f"{format_vn_number(n * 100, 4)}%" if abs(n) < 1e15 else format_vn_number(n, 4)
            return None, f"tỷ lệ {shown} phải từ 0% đến 100%{typed}"
    if f.type in (COUNT, AMOUNT) and n < 0:
        return None, f"{'số lượng' if f.type == COUNT else 'giá trị'} {_as_typed(raw, n)} không được âm"
    if f.type == POINTS and not 0 <= n <= f.max + 1e-12:
        return None, f"số điểm {_as_typed(raw, n)} phải từ 0 đến {format_vn_number(f.max, 4)}"
    return n, ""


def _as_typed(raw: Any, n: float) -> str:
    """A refused number as typed, or in Vietnamese format ("-0,5")."""
    return raw.strip() if isinstance(raw, str) else format_vn_number(n, 4)


def _bare_one(raw: Any) -> bool:
    return isinstance(raw, str) and not raw.strip().endswith("%") and parse_vn_number(raw) == 1


def check_values(
    fw: Framework,
    values: Mapping[tuple[str, str], Any],
    source: str = "",
    lines: Mapping[tuple[str, str], int] | None = None,
    unread: Sequence[str] = (),
) -> dict[tuple[str, str], Any]:
    """Normalize every value; raise one InputError listing every bad value, with the lines of
    the file that could not be read (``unread``, from :func:`parse_values`), in line order."""
    known = {(f.code, f.field): f for f in input_fields(fw)}
    out: dict[tuple[str, str], Any] = {}
    problems: list[str] = list(unread)
    for key, raw in values.items():
        where = f"dòng {lines[key]}, " if lines and key in lines else ""
        f = known.get(key)
        if f is None:
            if key[0] not in fw.item_index and key[0] != BODY:
                problems.append(f"{where}mục '{key[0]}' không có trong bộ tiêu chí {fw.id}")
            else:
                fields = ", ".join(x.field for x in known.values() if x.code == key[0])
                problems.append(
                    f"{where}mục {key[0]}: trường '{key[1]}' không tồn tại (có: {fields})"
                )
            continue
        value, problem = normalize(f, raw)
        if not problem and f.type == COUNT and not float(value).is_integer():
            # collect only warns (it reports, then merges); here nothing is shown but the count
            # written, so a misread separator ("1,500" is 1,5) must not pass unseen
            comma = "," in str(raw)  # "1,500": a thousands separator typed as the decimal one
            problem = f"số lượng '{raw}' không phải số nguyên" + (
                " — kiểm tra dấu phân cách: hàng nghìn ghi bằng dấu chấm (22.583.451), không dùng dấu phẩy"
                if comma else "")
        elif not problem and f.type == RATE and _bare_one(raw):
            # typed "1": 1% or 100%? (a bare fraction like 0,777 from a system export is not
            # ambiguous; collect and score still read a cell's text "1" as 100%)
            problem = (f"tỷ lệ '{raw}' không rõ là {raw.strip()}% hay 100% — ghi rõ "
                       f"'{raw.strip()}%' hoặc '100%'")
        if problem:
            problems.append(f"{where}mục {key[0]}, trường '{key[1]}': {problem}")
        else:
            out[key] = value
    for item in fw.items:
        num, den = out.get((item.code, "numerator")), out.get((item.code, "denominator"))
        if isinstance(num, float) and isinstance(den, float) and num > den:
            where = (
                f"dòng {lines[(item.code, 'numerator')]}, "
                if lines and (item.code, "numerator") in lines
                else ""
            )
            problems.append(
                f"{where}mục {item.code}: tử số ({format_vn_number(num, 4)}) lớn hơn mẫu số "
                f"({format_vn_number(den, 4)})"
            )
    if problems:
        problems.sort(key=lambda p: int(m.group(1)) if (m := re.match(r"dòng (\d+)", p)) else 0)
        raise InputError(
            f"{len(problems)} giá trị không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems),
            Location(file=source),
        )
    return out


def check_office(fw: Framework, clean: Mapping[tuple[str, str], Any], meta: Mapping[str, str],
                  template: str) -> None:
    """A copy distributed to one office takes only that office's items (the others are locked
    there, and collect would refuse them)."""
    if meta.get("kind") != L.KIND_OFFICE:
        return
    office = meta.get("office", "")
    given = {code for code, _ in clean}
    others = [i.code for i in fw.items if i.code in given and i.office != office]  # framework order
    if others:
        shown = ", ".join(others[:10]) + (", …" if len(others) > 10 else "")
        raise InputError(f"tệp là biểu mẫu phát hành cho đơn vị '{office}': {len(others)} mục không thuộc đơn vị "
                         f"này ({shown}) — không ghi gì; ghi các mục này vào biểu mẫu của đơn vị phụ trách hoặc vào "
                         "tệp tổng hợp", Location(file=template))


def check_rows(
    fw: Framework,
    clean: Mapping[tuple[str, str], Any],
    cells: Mapping[tuple[str, str], tuple[str, str]],
    template: str,
    lines: Mapping[tuple[str, str], int] | None,
) -> None:
    """Every value has its item's row in the template, else one error naming each item and
    the sheet it should be on (a row deleted, or its code in column 'Mã' changed)."""
    missing: dict[str, list[tuple[str, str]]] = {}
    for key in clean:
        if key[0] != BODY and key not in cells:
            missing.setdefault(key[0], []).append(key)
    if not missing:
        return
    sheets = {i.code: d.sheet_name for d in fw.domains for i in d.items}
    problems = []
    for code, keys in missing.items():
        at = sorted(lines[k] for k in keys if lines and k in lines)
        source = f" (giá trị ở dòng {', '.join(map(str, at))} của bảng nhập liệu)" if at else ""
        problems.append(f"trang '{sheets.get(code, L.EXTRA)}': không có dòng mục {code} ở cột 'Mã'{source}")
    raise InputError(
        f"biểu mẫu thiếu dòng của {len(missing)} mục (dòng bị xoá hoặc mã mục bị sửa) — dùng biểu mẫu "
        "gốc hoặc tạo lại bằng 'parxl build'; không có gì được ghi:\n"
        + "\n".join(f"  - {p}" for p in problems),
        Location(file=template),
    )


def check_summary(values: Mapping[tuple[str, str], Any], sheets: Collection[str], file: str) -> None:
    """The body's name and year go to the sheet 'Tổng hợp': an error (nothing written) when the
    workbook no longer has it."""
    if L.SUMMARY not in sheets and any(code == BODY for code, _ in values):
        raise InputError(f"thiếu trang '{L.SUMMARY}' (trang bị xoá hoặc đổi tên) — không ghi được tên "
                         "cơ quan, năm đánh giá; không có gì được ghi", Location(file=file, sheet=L.SUMMARY))


_TEXT_LABELS = {"status": "Tình trạng", "evidence": "Tài liệu kiểm chứng", "explanation": "Giải trình"}


def field_label(item: Item | None, name: str) -> str:
    """The Vietnamese name of an input field, as the column header shows it: "Số liệu 1 (…)"."""
    if name in _TEXT_LABELS:
        return _TEXT_LABELS[name]
    for fl in item.rule.fields() if item is not None else ():
        if fl.name == name:
            return f"Số liệu {fl.slot} ({fl.label})"
    return name


def value_text(fw: Framework, key: tuple[str, str], v: Any) -> str:
    """An input value as the user typed it, for messages: a rate as a percentage."""
    if v is None:
        return "(trống)"
    if isinstance(v, int | float) and not isinstance(v, bool):
        item = fw.item_index.get(key[0])
        rate = item is not None and any(f.name == key[1] and f.type == RATE for f in item.rule.fields())
        return f"{format_vn_number(v * 100, 4)}%" if rate else format_vn_number(v, 4)
    return str(v)
