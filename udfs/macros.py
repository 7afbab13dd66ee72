"""Macro entry points that staff run from Excel buttons (desktop RunPython, xlwings Server / Lite).

Every macro takes the open workbook as an :class:`xlwings.Book` — ``xw.Book.caller()`` on the
desktop, ``xw.Book(json=payload)`` in xlwings Server / Lite — so the same code serves both.
They are thin: parxl's library does the work (:func:`parxl.build_template`,
:func:`parxl.office.distribute`, :func:`parxl.office.collect`, :func:`parxl.score_values`,
:func:`parxl.report.make_report`).

=====================  =====================================================================
``tao_bieu_mau``       build the template of the framework named on the control sheet
``phan_phoi``          one workbook per responsible office (folder "Phát hành")
``thu_thap``           collect the returns of folder "Trả về" into the open workbook
``tinh_diem``          score the open template (or the file named on the control sheet) and
                       write the sheet "Kết quả"
``bao_cao``            write the Word report (and its Excel tables) of the scored workbook
=====================  =====================================================================

The control sheet "Điều khiển" (in ``workbooks/parxl_excel.xlsm``) holds the settings as label
/ value pairs (label in one column, value in the next), found by label, not by position. A
macro on a workbook that is neither a parxl template nor a control workbook shows a Vietnamese
message and changes nothing. On xlwings Server the macros that write files work only inside
the folder named by the environment variable ``PARXL_SERVER_ROOT``, and every path read from the
control sheet (folder, framework file, file to process) must lie inside it (web users must not
reach the server's disk otherwise); scoring works everywhere.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parxl.errors import ParxlError, WorkbookError
from parxl.framework.model import Framework
from parxl.numbers import cell_text
from parxl.score import Scores, score_values
from parxl.workbook import layout as L
from parxl.workbook.values import OpenTemplate, read_template

if TYPE_CHECKING:
    from parxl.office.check import Issue
    from parxl.workbook.read import Return

CONTROL = L.CONTROL
TITLE = "parxl"
SERVER_ROOT_ENV = "PARXL_SERVER_ROOT"

# labels on the control sheet
LBL_FRAMEWORK = "Bộ tiêu chí"
LBL_FOLDER = "Thư mục làm việc"
LBL_FILE = "Tệp cần xử lý"
LBL_BODY = "Cơ quan, đơn vị"
LBL_YEAR = "Năm đánh giá"
LBL_FLAVOR = "Loại công thức"
LBL_REPORT = "Loại báo cáo"
LBL_ACTION = "Thao tác"
LBL_STATUS = "Kết quả thực hiện"

FLAVORS = {"Công thức Excel": "native", "Hàm parxl (UDF)": "udf"}
REPORTS = {
    "Báo cáo tự đánh giá": "self-assessment",
    "Báo cáo sơ kết": "interim",
    "Công văn khắc phục điểm bị trừ": "remedy",
    "Báo cáo xếp hạng": "ranking",
}
ISSUE_FOLDER, RETURN_FOLDER, REPORT_FOLDER = "Phát hành", "Trả về", "Báo cáo"
CONSOLIDATED = "Tổng hợp trả về.xlsx"
COLLECT_SHEET = L.COLLECTED

NOT_TEMPLATE = "Tệp đang mở không phải biểu mẫu parxl (không có trang ẩn '_parxl')"
NOT_PARXL = (
    f"{NOT_TEMPLATE} và không có trang '{CONTROL}'. Hãy mở biểu mẫu do parxl tạo hoặc tệp "
    "parxl_excel.xlsm. Không có gì bị thay đổi."
)


@dataclass
class MacroResult:
    """What a macro did: success, the Vietnamese message shown, files written."""

    ok: bool
    message: str
    outputs: list[Path] = field(default_factory=list)


class MacroError(ParxlError):
    """A macro cannot run on this workbook; the message is shown to the user."""


# --------------------------------------------------------------------------- the open book
def is_remote(book: Any) -> bool:
    """True in xlwings Server / Lite (the book is a JSON description), False on the desktop."""
    return str(getattr(book.app.engine, "type", "")) == "remote"


def sheet_names(book: Any) -> list[str]:
    return [s.name for s in book.sheets]


def sheet_rows(sheet: Any, errors: bool = True) -> list[list[Any]]:
    """The sheet's cells from A1 to the end of its used range, as a list of rows (blanks as
    None). A cell error stays its code ("#N/A"), as the file reader keeps it, unless ``errors``
    is False (a blank: what xlwings gives by default)."""
    used = sheet.used_range
    values = used.options(ndim=2, err_to_str=errors).value
    if not values:
        return []
    rows = [list(r) for r in values]
    top, left = used.row - 1, used.column - 1
    if top or left:
        width = left + max((len(r) for r in rows), default=0)
        rows = [[None] * width for _ in range(top)] + [[None] * left + r for r in rows]
    return [[None if v == "" else v for v in r] for r in rows]


def control_settings(book: Any) -> dict[str, Any] | None:
    """Label -> value of the control sheet, or None when the book has none."""
    if CONTROL not in sheet_names(book):
        return None
    out: dict[str, Any] = {}
    for row in sheet_rows(book.sheets[CONTROL], errors=False):  # a setting showing #REF! is not set
        for i, cell in enumerate(row[:-1]):
            if isinstance(cell, str) and cell.strip() and cell.strip() not in out:
                out[cell.strip().rstrip(":")] = row[i + 1]
    return out


def _text(v: Any) -> str:
    return cell_text(v).strip()


def _path_text(v: Any) -> str:
    """A path typed on the control sheet, without the double quotes Windows' "Copy as path"
    puts around it."""
    text = _text(v)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


class _BookSheets(Mapping[str, Sequence[Sequence[Any]]]):
    """The open book's sheets as values, each read the first time it is asked for."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.names = sheet_names(book)
        self.rows: dict[str, list[list[Any]]] = {}

    def __getitem__(self, name: str) -> list[list[Any]]:
        if name not in self.names:
            raise KeyError(name)
        if name not in self.rows:
            self.rows[name] = sheet_rows(self.book.sheets[name])
        return self.rows[name]

    def __contains__(self, name: object) -> bool:  # without reading the sheet
        return name in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def read_open_template(book: Any) -> OpenTemplate | None:
    """The parxl template the open book is, read by item code as :func:`parxl.read_return` does;
    None when the book is not a parxl template."""
    sheets = _BookSheets(book)
    if L.META not in sheets:
        return None
    try:
        return read_template(sheets, book.name)
    except WorkbookError as exc:
        if exc.where.sheet == L.META and "không phải biểu mẫu parxl" in exc.message:
            return None
        raise MacroError(f"Không thực hiện được: {exc}. Không có gì bị thay đổi.") from None


# --------------------------------------------------------------------------- messages
def notify(book: Any, message: str, ok: bool = True, outputs: Sequence[Path] = ()) -> MacroResult:
    """Show the message (status cell of the control sheet when there is one, and a box)."""
    settings = control_settings(book)
    if settings is not None:
        _write_status(book, message)
    with contextlib.suppress(Exception):  # no alert on this platform: the status cell says it
        book.app.alert(message, TITLE)
    return MacroResult(ok, message, list(outputs))


def _write_status(book: Any, message: str) -> None:
    for r, row in enumerate(sheet_rows(book.sheets[CONTROL], errors=False), start=1):
        for c, cell in enumerate(row, start=1):
            if isinstance(cell, str) and cell.strip().rstrip(":") == LBL_STATUS:
                book.sheets[CONTROL].cells(r, c + 1).value = safe_text(message)
                return


# --------------------------------------------------------------------------- settings
def _folder(book: Any, settings: dict[str, Any]) -> Path:
    """The working folder: the control sheet's, else the workbook's own folder."""
    text = _path_text(settings.get(LBL_FOLDER))
    if text:
        folder = Path(text).expanduser()
    elif not is_remote(book) and Path(book.fullname).is_absolute():
        folder = Path(book.fullname).parent
    else:
        raise MacroError(f"Chưa ghi '{LBL_FOLDER}' trên trang '{CONTROL}'")
    if not folder.is_absolute():
        if is_remote(book):
            raise MacroError(f"'{LBL_FOLDER}' phải là đường dẫn đầy đủ, trong thư mục dùng chung của máy chủ")
        folder = Path(book.fullname).parent / folder
    folder = _shared(book, folder, "Thư mục")
    if folder.exists() and not folder.is_dir():
        raise MacroError(f"'{LBL_FOLDER}' là một tệp, không phải thư mục: {folder}. Hãy ghi thư mục chứa tệp đó")
    return folder


def _shared(book: Any, path: Path, what: str) -> Path:
    """On xlwings Server a path typed on the control sheet must lie inside the shared folder
    (``PARXL_SERVER_ROOT``): web users must not read or write the rest of the server's disk."""
    if not is_remote(book):
        return path
    root = os.environ.get(SERVER_ROOT_ENV, "")
    if not root:
        raise MacroError(
            "Trên máy chủ xlwings, thao tác này chỉ chạy khi quản trị viên đặt biến môi trường "
            f"{SERVER_ROOT_ENV} (thư mục dùng chung). Trên Excel máy tính có cài Python thì chạy được ngay."
        )
    base = Path(root).resolve()
    target = path.resolve()
    if not path.is_absolute() or (target != base and base not in target.parents):
        raise MacroError(f"{what} '{path}' nằm ngoài thư mục dùng chung của máy chủ")
    return path


def _framework(settings: dict[str, Any], book: Any) -> Framework:
    from parxl.framework.load import builtin, builtin_id, builtin_ids, resolve, unknown_framework

    spec = _path_text(settings.get(LBL_FRAMEWORK))
    if not spec:
        raise MacroError(
            f"Chưa chọn '{LBL_FRAMEWORK}' trên trang '{CONTROL}' (bộ tích hợp: {', '.join(builtin_ids())}, "
            "hoặc đường dẫn tệp bộ tiêu chí .yaml, hay bảng Excel .xlsx, tệp Word .docx của quyết định)"
        )
    fid = builtin_id(spec)
    if fid is not None:
        return builtin(fid)
    path = Path(spec)
    if not path.is_absolute():
        if is_remote(book):  # the server reads no file by a relative path: a mistyped id, most likely
            raise unknown_framework(spec)
        candidate = Path(book.fullname).parent / spec
        if candidate.exists():
            path = candidate
    return resolve(_shared(book, path, "Tệp bộ tiêu chí"))


def _choice(settings: dict[str, Any], label: str, choices: Mapping[str, str]) -> str:
    """The value of a drop-down setting: its first choice when blank; a text pasted over the list
    that is none of its choices is refused, not silently taken for the first."""
    text = _text(settings.get(label))
    if not text:
        return next(iter(choices.values()))
    found = next((v for k, v in choices.items() if k.casefold() == text.casefold()), None)
    if found is None:
        raise MacroError(f"'{label}' ghi '{text}', không có trong danh sách: {', '.join(choices)}")
    return found


def _need_control(book: Any) -> dict[str, Any]:
    settings = control_settings(book)
    if settings is None:
        raise MacroError(
            f"Không có trang '{CONTROL}': hãy chạy thao tác này từ tệp parxl_excel.xlsm. Không có gì bị thay đổi."
        )
    return settings


def _run(book: Any, action: Callable[[Any], MacroResult]) -> MacroResult:
    """Run a macro; every error becomes a Vietnamese message (never a traceback)."""
    try:
        return action(book)
    except Exception as exc:
        return notify(book, failure(book, exc), ok=False)


def failure(book: Any, exc: Exception, support: str = "Hãy gửi nội dung thông báo này cho bộ phận hỗ trợ.") -> str:
    """The Vietnamese message for a macro or script that failed with ``exc``. On xlwings Server
    and Lite the writes queued before the error are dropped first (they reach Excel only at the
    end), and the message says nothing was changed. ``support``: whom to tell about a bug."""
    kept = " Không có gì bị thay đổi." if discard_writes(book) else ""
    if isinstance(exc, MacroError):
        return refusal(exc.message)
    if isinstance(exc, ParxlError):
        return f"Không thực hiện được: {exc}.{kept}"
    if isinstance(exc, OSError):
        return f"Lỗi đọc/ghi tệp: {exc.strerror or exc} ({exc.filename or ''}).{kept}"
    # a bug, or Excel refusing a change (a protected sheet or workbook)
    traceback.print_exc()  # the console (xlwings Lite: its Output pane), for whoever supports the users
    return f"Lỗi trong parxl ({type(exc).__name__}: {exc}).{kept} {support}"


NOTHING_CHANGED = "Không có gì bị thay đổi."


def refusal(message: str) -> str:
    """A macro's refusal as shown: a sentence (capital first) that says nothing was changed
    (a refusal comes before any write)."""
    text = message.strip()
    text = text[:1].upper() + text[1:]
    if text.endswith(NOTHING_CHANGED):
        return text
    return f"{text if text.endswith(('.', '!', '?')) else text + '.'} {NOTHING_CHANGED}"


def discard_writes(book: Any) -> bool:
    """Drop the writes queued so far on xlwings Server / Lite; False on the desktop (done)."""
    if not is_remote(book):
        return False
    book.json()["actions"].clear()
    return True


# --------------------------------------------------------------------------- the macros
def tao_bieu_mau(book: Any) -> MacroResult:
    """Build the template of the framework chosen on the control sheet.

    Desktop: writes ``<folder>/Biểu mẫu <id>.xlsx`` and opens it (an existing one is opened, never
    replaced: it may have been filled in). xlwings Server: the same file
    under ``PARXL_SERVER_ROOT``; without it, the template's sheets are added to the open
    workbook (values and native formulas; styles and locks need the file).
    """

    def run(book: Any) -> MacroResult:
        from parxl.office.distribute import safe_file_name
        from parxl.verify import make_formulas
        from parxl.workbook.build import build_template, build_workbook

        settings = _need_control(book)
        fw = _framework(settings, book)
        flavor = _choice(settings, LBL_FLAVOR, FLAVORS)
        if is_remote(book) and not os.environ.get(SERVER_ROOT_ENV):
            add_template_sheets(book, build_workbook(fw))
            native = (" bằng công thức Excel thường (các trang thêm vào tệp đang mở không dùng hàm parxl "
                      "— chọn 'Hàm parxl (UDF)' cần tệp đầy đủ)") if flavor == "udf" else ""
            return notify(book, f"Đã thêm các trang biểu mẫu '{fw.name}' vào tệp đang mở{native} "
                                "(tải tệp đầy đủ bằng lệnh parxl build để có khoá ô, danh sách chọn và "
                                "định dạng tô màu).")
        folder = _folder(book, settings)
        path = folder / f"Biểu mẫu {safe_file_name(fw.id)}{'-udf' if flavor == 'udf' else ''}.xlsx"
        if path.exists():  # it may have been filled in since: never replaced
            if not is_remote(book):
                _open(book, path)
            return notify(book, f"Đã có biểu mẫu: {path} (không ghi đè, tệp có thể đã được điền). Muốn tạo "
                                "lại biểu mẫu trống thì xoá hoặc đổi tên tệp này rồi bấm lại.", outputs=[path])
        build_template(fw, path, formulas=make_formulas(flavor))
        if not is_remote(book):
            _open(book, path)
        return notify(book, f"Đã tạo biểu mẫu: {path}", outputs=[path])

    return _run(book, run)


def safe_text(v: Any) -> Any:
    """Text typed by users never becomes a formula when written back through Excel."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v


def text_grid(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """A rectangle of values to write from one cell (Office.js needs equal row lengths), every
    string guarded by :func:`safe_text`: names of items, offices, files typed by users
    ("- Số sáng kiến", "=1+1") stay text."""
    width = max((len(r) for r in rows), default=1)
    return [[safe_text(v) for v in r] + [None] * (width - len(r)) for r in rows]


TemplateSheet = tuple[str, list[list[Any]], bool, dict[str, float], list[tuple[str, str]]]


def template_sheets(wb: Any) -> list[TemplateSheet]:
    """The sheets of an openpyxl workbook (a template ``build_workbook`` made) as the open book
    takes them: (name, rows with formulas, hidden, column widths, number formats as (range,
    format): a column's run of cells sharing one). Text cells stay text (a leading '=' gets an
    apostrophe)."""
    out: list[TemplateSheet] = []
    for ws in wb.worksheets:
        cells = list(ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column))
        rows = [[safe_text(c.value) if c.data_type == "s" else c.value for c in row] for row in cells]
        widths = {k: float(d.width) for k, d in ws.column_dimensions.items() if d.width}
        formats: list[tuple[str, str]] = []
        for column in zip(*cells, strict=True) if cells else ():
            start = 0
            for i in range(1, len(column) + 1):
                if i == len(column) or column[i].number_format != column[start].number_format:
                    fmt = column[start].number_format
                    if fmt != "General":
                        formats.append((f"{column[start].coordinate}:{column[i - 1].coordinate}", fmt))
                    start = i
        out.append((str(ws.title), rows, ws.sheet_state == "hidden", widths, formats))
    return out


def add_template_sheets(book: Any, wb: Any) -> int:
    """Add the sheets of an openpyxl workbook to the open book: values and native formulas
    (written as formulas: English function names whatever Excel's language), column widths,
    number formats (points 0.00, rates %), hidden sheets hidden. Refuses a book that has a sheet
    of the same name; the number of sheets."""
    sheets = template_sheets(wb)
    existing = set(sheet_names(book))
    clash = [name for name, *_ in sheets if name in existing]
    if clash:
        raise MacroError(f"Tệp đang mở đã có trang '{clash[0]}'. Hãy chạy trên một tệp trống. "
                         "Không có gì bị thay đổi.")
    for name, rows, hidden, widths, formats in sheets:
        sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
        if rows:
            # Range.formulas in Office.js, Range.Formula on the desktop: formulas in English,
            # constants as they are
            sheet.range((1, 1), (len(rows), len(rows[0]))).formula = rows
        for col, width in sorted(widths.items()):
            with contextlib.suppress(Exception):  # cosmetic
                sheet[f"{col}:{col}"].column_width = width
        for ref, fmt in formats:  # Tổng hợp's rates as 92,64 %, not 0.9264
            with contextlib.suppress(Exception):  # cosmetic
                sheet[ref].number_format = fmt
        if hidden:
            sheet.visible = False
    return len(sheets)


def _open(book: Any, path: Path) -> None:
    with contextlib.suppress(Exception):  # opening is a convenience; the file exists either way
        book.app.books.open(str(path))


def phan_phoi(book: Any) -> MacroResult:
    """One workbook per responsible office of the framework, in ``<folder>/Phát hành``."""

    def run(book: Any) -> MacroResult:
        from parxl.office.distribute import distribute
        from parxl.verify import make_formulas

        settings = _need_control(book)
        fw = _framework(settings, book)
        folder = _folder(book, settings) / ISSUE_FOLDER
        flavor = _choice(settings, LBL_FLAVOR, FLAVORS)
        paths = distribute(fw, folder, body=_text(settings.get(LBL_BODY)), year=_text(settings.get(LBL_YEAR)),
                           formulas=type(make_formulas(flavor)))
        return notify(book, f"Đã tạo {len(paths)} biểu mẫu cho các đơn vị chủ trì trong thư mục {folder}. "
                            f"Các đơn vị điền xong thì chép tệp vào thư mục '{RETURN_FOLDER}'.", outputs=paths)

    return _run(book, run)


def thu_thap(book: Any) -> MacroResult:
    """Collect the returns in ``<folder>/Trả về``: write the consolidated workbook beside it and
    the scores and problems into the sheet "Thu thập" of the open workbook."""

    def run(book: Any) -> MacroResult:
        from parxl.office.check import warnings_text
        from parxl.office.collect import collect

        settings = _need_control(book)
        folder = _folder(book, settings)
        returns = folder / RETURN_FOLDER
        if not returns.is_dir():
            raise MacroError(f"Không có thư mục '{returns}': hãy chép các biểu mẫu trả về vào đó")
        output = folder / CONSOLIDATED
        replaces(book, COLLECT_SHEET)  # before any file is written
        result = collect(returns, output)
        rows: list[list[Any]] = [["TỔNG HỢP BIỂU MẪU TRẢ VỀ"]]
        rows.append([f"Thư mục: {returns}"])
        rows.append([f"{result.files} tệp, {result.used} tệp dùng được, {result.errors} lỗi, "
                     f"{warnings_text(result.issues)}"])
        rows.append([])
        rows.append(["Cơ quan, đơn vị", "Số tệp", "Tổng điểm", "Chỉ số", "Điểm bị trừ", "Điểm chưa xác định"])
        for s in result.scores:
            rows.append([s["body"], s["files"], s["total"], s["index"], s["deducted"], s["open"]])
        rows.append([])
        rows.append(["Đơn vị chủ trì", "Lỗi", "Cảnh báo", "Nhắc nhở"])
        for office, (errors, warnings, reminders) in result.by_office().items():
            rows.append([office, errors, warnings, reminders])
        rows.append([])
        rows.append(["Mức độ", "Tệp", "Trang", "Ô", "Mã mục", "Đơn vị", "Nội dung"])
        for i in result.issues:
            rows.append([_text(i.severity), Path(str(i.file)).name, i.sheet, i.cell, i.item, i.office, i.message])
        sheet = fresh_sheet(book, COLLECT_SHEET)
        sheet["A1"].value = text_grid(rows)
        _widths(sheet, [30, 30, 14, 10, 10, 24, 80])
        return notify(book, f"Đã thu thập {result.files} tệp ({result.errors} lỗi, {warnings_text(result.issues)}). "
                            f"Tệp tổng hợp: {output}. Chi tiết ở trang '{COLLECT_SHEET}'.",
                      ok=result.errors == 0, outputs=list(result.outputs))

    return _run(book, run)


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    """Column widths (in characters) from column A; cosmetic, so never fatal."""
    for i, w in enumerate(widths):
        with contextlib.suppress(Exception):
            sheet.range((1, i + 1)).column_width = w


# The first cell of the sheets parxl writes into a workbook (these macros, the Lite scripts,
# 'parxl collect'): such a sheet is replaced by the next run; another sheet of the same name
# ("Kết quả", "Báo cáo" are common names) is the user's own and is never overwritten.
OWN_TITLES = ("KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "TỔNG HỢP BIỂU MẪU TRẢ VỀ", "KẾT QUẢ TỔNG HỢP",
              "KIỂM TRA SỐ LIỆU", "KIỂM TRA BIỂU MẪU TRẢ VỀ", "BÁO CÁO KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")


def own_sheet(rows: Sequence[Sequence[Any]]) -> bool:
    """True when a sheet (its rows from A1) is empty or was written by parxl."""
    if not any(v not in (None, "") for r in rows for v in r):
        return True
    first = rows[0][0] if rows and rows[0] else None
    return isinstance(first, str) and first.startswith(OWN_TITLES)


def not_own_sheet(name: str) -> str:
    return (f"Tệp đang mở đã có trang '{name}' không do parxl tạo; hãy đổi tên trang đó rồi chạy lại. "
            "Không có gì bị thay đổi.")


def replaces(book: Any, name: str) -> bool:
    """True when the book has a sheet of that name that parxl wrote, False when it has none; a
    MacroError when it is the user's own sheet."""
    if name not in sheet_names(book):
        return False
    if not own_sheet(sheet_rows(book.sheets[name])):
        raise MacroError(not_own_sheet(name))
    return True


def fresh_sheet(book: Any, name: str) -> Any:
    """The sheet to write into: the one parxl wrote before, cleared, else a new last sheet."""
    if replaces(book, name):
        sheet = book.sheets[name]
        sheet.clear()  # values and formats: nothing of the previous run is left
        return sheet
    return book.sheets.add(name, after=book.sheets[-1])


def _scored(book: Any) -> tuple[OpenTemplate | Return, str, list[Issue]]:
    """The template to score (the open book, else the file named on the control sheet), its
    name, and every problem the checks of 'Kiểm tra' and 'Thu thập' find in it."""
    from parxl.office.check import check_template, check_workbook

    tpl = read_open_template(book)
    if tpl is not None:
        return tpl, book.name, check_template(tpl)
    settings = control_settings(book)
    if settings is None:
        raise MacroError(NOT_PARXL)
    text = _path_text(settings.get(LBL_FILE))
    if not text:
        raise MacroError(f"Tệp đang mở không phải biểu mẫu parxl; hãy ghi '{LBL_FILE}' trên trang '{CONTROL}'")
    if is_remote(book):
        raise MacroError("Trên Excel web hãy mở chính biểu mẫu cần tính điểm rồi chạy lại")
    path = Path(text)
    if not path.is_absolute():
        path = Path(book.fullname).parent / path
    ret, issues, _ = check_workbook(path)  # scored below from the values as typed, as the formulas do
    return ret, path.name, issues


Review = Sequence[tuple[str, str, str, str, str]]  # (item, message, sheet, cell, severity)


def needs_review(s: Scores, issues: Sequence[Issue]) -> list[tuple[str, str, str, str, str]]:
    """The values to review before trusting the score: the errors and warnings of the checks
    'Kiểm tra' runs (so the two buttons agree), in item order, and any input the evaluator could
    not read that no check named."""
    from parxl.office.check import ERROR, to_review

    review = [(i.item, i.message, i.sheet, i.cell, i.severity) for i in to_review(issues)]
    named = {i.item for i in issues if not i.reminder}
    return review + [(code, err, "", "", ERROR) for code, err in s.errors.items() if code not in named]


def exempt_rate(applicable: float, index: float) -> float | str:
    """A domain's rate, or "Miễn" when it has no applicable points (not 0 %)."""
    return index if applicable > 0 else L.EXEMPT


def results_rows(fw: Framework, s: Scores, source: str, body: str = "", year: str = "",
                 review: Review = ()) -> list[list[Any]]:
    """The "Kết quả" sheet as rows of 10 cells; ``review`` (:func:`needs_review`) lists the values
    to look at again, each with its sheet and cell."""
    w = 10

    def row(*cells: Any) -> list[Any]:
        return list(cells) + [None] * (w - len(cells))

    rows = [row("KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"),
            row(f"Bộ tiêu chí: {fw.name} (phiên bản {fw.version})"),
            row(f"Cơ quan, đơn vị: {body or '…'} — Năm đánh giá: {year or '…'} — Nguồn: {source}"),
            row(),
            row("Mã", "Lĩnh vực", "Điểm tối đa", "Tối đa áp dụng", "Điểm đạt", "Điểm bị trừ",
                "Tỷ lệ trên tổng điểm bị trừ", "Điểm chưa xác định", "Có thể đạt tối đa", "Tỷ lệ đạt")]
    for d in fw.domains:
        g = s.domains[d.code]
        rows.append(row(d.code, d.name, g.max, g.applicable, g.achieved, g.deducted, g.share, g.open,
                        g.reachable, exempt_rate(g.applicable, g.index)))
    b = s.base
    rows.append(row("", "Cộng điểm cơ bản", b.max, b.applicable, b.achieved, b.deducted, b.share, b.open,
                    b.reachable, b.index))
    rows.append(row())
    # the index base beside the total: with items not applicable, total ÷ index is not the maximum
    for label, value in (("Điểm thưởng được tính", s.bonus), ("Điểm trừ", s.penalty), ("TỔNG ĐIỂM", s.total),
                         (L.INDEX_BASE, b.applicable + fw.bonus_cap),
                         ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", s.index), ("Giữa kỳ: điểm chắc chắn đạt", s.total),
                         ("Giữa kỳ: điểm có thể đạt tối đa", s.reachable)):
        rows.append(row("", label, value))
    rows.append(row())
    rows.append(row("CÁC TIÊU CHÍ THÀNH PHẦN BỊ TRỪ ĐIỂM"))
    rows.append(row("Mã", "Nội dung", "Đơn vị chủ trì", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", "Trạng thái"))
    lost = [(i, s.items[i.code]) for i in fw.base_items if s.items[i.code].deducted > 0]
    for item, sc in sorted(lost, key=lambda p: -p[1].deducted):
        rows.append(row(item.code, item.name, item.office, sc.max, sc.achieved, sc.deducted, sc.status))
    if not lost:
        rows.append(row("", "Không có tiêu chí thành phần nào bị trừ điểm."))
    if review:
        rows.append(row())
        rows.append(row("SỐ LIỆU CẦN XEM LẠI"))
        rows.append(row("Mã", "Nội dung", "Trang", "Ô", "Mức độ"))
        rows.extend(row(*r) for r in review)
    return rows


def format_results(sheet: Any, domains: int) -> None:
    """Number formats and column widths of the "Kết quả" sheet :func:`results_rows` wrote from A1
    (``domains``: the framework's number of domains)."""
    n = domains
    first, base = 6, 6 + n  # the domain rows (after 5 heading rows) and "Cộng điểm cơ bản"
    sheet.range((first, 3), (base, 6)).number_format = "0.00"  # maximum … deducted
    sheet.range((first, 7), (base, 7)).number_format = "0.00%"  # share of all deducted points
    sheet.range((first, 10), (base, 10)).number_format = "0.00%"  # index
    sheet.range((base + 2, 3), (base + 8, 3)).number_format = "0.00"  # bonus … reachable
    sheet.range((base + 6, 3)).number_format = "0.00%"  # "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    _widths(sheet, [8, 48, 12, 12, 12, 12, 14, 12, 12, 12])
    with contextlib.suppress(Exception):  # cosmetic
        sheet["A1"].font.bold = True


def score_text(s: Scores) -> str:
    """"Tổng điểm 93,23, chỉ số 93,23%; điểm bị trừ 6,77, điểm chưa xác định 0"."""
    from parxl.numbers import format_vn_number, format_vn_percent

    return (f"Tổng điểm {format_vn_number(s.total, 2)}, chỉ số {format_vn_percent(s.index, 2)}; "
            f"điểm bị trừ {format_vn_number(s.base.deducted, 2)}, "
            f"điểm chưa xác định {format_vn_number(s.base.open, 2)}")


def review_text(count: int) -> str:
    """The note " (N số liệu cần xem lại)" when some values need review, else nothing."""
    return f" ({count} số liệu cần xem lại)" if count else ""


def write_results(book: Any, tpl: OpenTemplate | Return, source: str, issues: Sequence[Issue]) -> str:
    """Score the template with parxl's Python evaluator, write the sheet "Kết quả" (with the
    values to review that the checks found) into the open book; the message to show."""
    s = score_values(tpl.framework, tpl.values)
    review = needs_review(s, issues)
    rows = results_rows(tpl.framework, s, source, tpl.body, tpl.year, review)
    sheet = fresh_sheet(book, L.RESULTS)
    sheet["A1"].value = text_grid(rows)
    format_results(sheet, len(tpl.framework.domains))
    return f"{score_text(s)}{review_text(len(review))}. Xem trang '{L.RESULTS}'."


def tinh_diem(book: Any) -> MacroResult:
    """Score the open template (or the file named on the control sheet) with parxl's Python
    evaluator and write the sheet "Kết quả" into the open workbook."""

    def run(book: Any) -> MacroResult:
        tpl, source, issues = _scored(book)
        return notify(book, write_results(book, tpl, source, issues))

    return _run(book, run)


def bao_cao(book: Any) -> MacroResult:
    """Write the report chosen on the control sheet for the scored workbook (the file named on
    the control sheet, else the consolidated returns) into ``<folder>/Báo cáo``."""

    def run(book: Any) -> MacroResult:
        from parxl.report import make_report
        from parxl.workbook.save import place_unclobbered

        settings = _need_control(book)
        if is_remote(book) and not os.environ.get(SERVER_ROOT_ENV):
            raise MacroError("Lập báo cáo Word cần Excel trên máy tính có cài Python, hoặc máy chủ có "
                             f"thư mục dùng chung ({SERVER_ROOT_ENV})")
        folder = _folder(book, settings)
        kind = _choice(settings, LBL_REPORT, REPORTS)
        text = _path_text(settings.get(LBL_FILE))
        source = Path(text) if text else folder / CONSOLIDATED
        if not source.is_absolute():
            source = folder / source
        source = _shared(book, source, "Tệp")
        if not source.exists():
            raise MacroError(f"Không tìm thấy tệp để lập báo cáo: {source} (ghi '{LBL_FILE}' hoặc chạy "
                             "'Thu thập biểu mẫu trả về' trước)")
        label = next(k for k, v in REPORTS.items() if v == kind)
        out = folder / REPORT_FOLDER / f"{label} - {source.stem}.docx"
        out.parent.mkdir(parents=True, exist_ok=True)
        # made aside, then placed: a report of the same name that differs (staff may have
        # edited it in Word) is kept, and the new one gets "(2)"
        with tempfile.TemporaryDirectory(prefix=".parxl-", dir=out.parent) as tmp:
            made = Path(tmp) / "r.docx"
            result = make_report(kind, [source], made, xlsx=made.with_suffix(".xlsx"))
            files = place_unclobbered([(made, out), (made.with_suffix(".xlsx"), out.with_suffix(".xlsx"))])
        kept = (f" Đã có '{out.name}' khác báo cáo này (có thể đã được sửa): giữ nguyên tệp đó, báo cáo mới là "
                f"'{files[0].name}'.") if files[0] != out else ""
        warn = f" Lưu ý: {'; '.join(result.warnings)}" if getattr(result, "warnings", None) else ""
        return notify(book, f"Đã lập {label.lower()}: {files[0]}.{kept}{warn}", outputs=files)

    return _run(book, run)


ACTIONS: dict[str, Callable[[Any], MacroResult]] = {
    "Tạo biểu mẫu": tao_bieu_mau,
    "Phát hành cho các đơn vị": phan_phoi,
    "Thu thập biểu mẫu trả về": thu_thap,
    "Tính điểm": tinh_diem,
    "Lập báo cáo": bao_cao,
}
# the buttons of the control sheet, top to bottom; captions "1. Tạo biểu mẫu" … name the action
BUTTONS = list(ACTIONS)


def run_action(book: Any, action: str | None = None) -> MacroResult:
    """Run the action named (or chosen in "Thao tác" on the control sheet, or by the button
    clicked); without a control sheet, a parxl template is scored."""
    settings = control_settings(book)
    if action is None and settings is None:
        if read_open_template(book) is not None:
            return tinh_diem(book)
        return notify(book, NOT_PARXL, ok=False)
    name = action or _text((settings or {}).get(LBL_ACTION))
    fn = ACTIONS.get(name)
    if fn is None:
        return notify(book, f"Hãy chọn một thao tác ở ô '{LBL_ACTION}': {', '.join(ACTIONS)}.", ok=False)
    return fn(book)


def action_of_caption(caption: str) -> str | None:
    """The action a button caption names ("4. Tính điểm" -> "Tính điểm"), else None."""
    text = caption.strip()
    head, dot, rest = text.partition(". ")
    label = rest if dot and head.isdigit() else text
    return label if label in ACTIONS else None


def _clicked_button(book: Any) -> str | None:  # pragma: no cover - needs desktop Excel
    """The action of the button that ran the macro: Application.Caller names the button, whose
    caption names the action. None when Excel does not tell (the "Thao tác" cell decides)."""
    try:
        caller = book.app.api.Caller
        if not isinstance(caller, str):
            return None
        caption = book.app.api.ActiveSheet.Buttons(caller).Caption
    except Exception:
        return None
    return action_of_caption(str(caption))


def main() -> None:  # pragma: no cover - called by RunPython in desktop Excel
    """Entry point of the buttons of parxl_excel.xlsm (``SampleCall`` -> ``parxl_excel.main()``)."""
    import xlwings as xw

    book = xw.Book.caller()
    run_action(book, _clicked_button(book))


def payload_from_workbook(path: str | Path, *, active_sheet: int = 0) -> dict[str, Any]:
    """The JSON xlwings' Office.js client posts for this workbook (every sheet's values from
    A1), to run the macros on a file without Excel: ``xw.Book(json=payload_from_workbook(p))``."""
    import xlwings as xw
    from python_calamine import CalamineWorkbook

    p = Path(path)
    wb = CalamineWorkbook.from_path(str(p))
    sheets = []
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        values = [["" if v is None else v for v in r] + [""] * (width - len(r)) for r in rows]
        sheets.append({"name": name, "values": values or [[""]], "pictures": [], "tables": []})
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": p.name, "active_sheet_index": active_sheet, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }
