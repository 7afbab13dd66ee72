"""Checks of one returned file: structure, ownership, every value, and item-level consistency.

Runs in worker processes; produces :class:`Processed`, a small picklable summary of one
return (its clean values by item code, where each value was, and every problem found).
Problems never stop the reading of the rest of the file: every one is reported.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parxl.errors import Location, ParxlError
from parxl.framework.model import Framework, Item, code_order
from parxl.inputs import (
    STATUS,
    TEXT,
    InputField,
    field_label,
    hidden_characters,
    item_fields,
    length_problem,
    nfc,
    normalize,
    without_controls,
)
from parxl.numbers import CELL_ERRORS, format_vn_number
from parxl.rules.base import COUNT, RATE, YESNO
from parxl.score import (
    CHUA_DEN_HAN,
    CHUA_XAC_DINH,
    DAT,
    KHONG_AP_DUNG,
    KHONG_DAT,
    ItemScore,
    Scores,
    score_values,
)
from parxl.workbook import layout as L
from parxl.workbook.fastread import (
    CellError,
    ItemRow,
    RawCell,
    RawReturn,
    Refs,
    framework_for,
    read_raw,
)
from parxl.workbook.read import Return, read_parxl_file, return_of
from parxl.workbook.safety import DEFAULT_LIMITS, Limits, ReturnRejected
from parxl.workbook.values import OpenTemplate

ERROR, WARNING = "lỗi", "cảnh báo"
REMINDER = "nhắc nhở"  # missing documentation or work in progress, not a problem with a value
KIND_OFFICE, KIND_BODY, KIND_CONSOLIDATED = L.KIND_OFFICE, L.KIND_BODY, L.KIND_CONSOLIDATED
# links, web calls, external programs (DDE "cmd|' /C calc'!A0") and other workbooks ("[1]")
_DANGEROUS = re.compile(r"\b(HYPERLINK|WEBSERVICE|FILTERXML|CALL|REGISTER|EXEC|IMPORTXML|RTD)\s*\(|[|\[]", re.I)
Key = tuple[str, str]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem: where it is, whose it is, how bad, and what to do (in Vietnamese)."""

    file: str
    sheet: str
    cell: str
    item: str
    office: str
    severity: str
    message: str

    @property
    def reminder(self) -> bool:
        return self.severity == REMINDER

    def where(self, *, with_file: bool = True) -> str:
        """"tệp '…', trang '…', ô H7, mục 1.1.2", the parts that are known."""
        return Location(self.file if with_file else "", self.sheet, self.cell, self.item).describe()

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "item": self.item,
            "office": self.office,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Processed:
    """One file after reading and checking."""

    path: str
    ok: bool  # False: the file could not be used at all
    kind: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    fw_key: str = ""
    fw_json: str | None = None
    fingerprint: str = ""
    body: str = ""
    year: str = ""
    office: str = ""
    values: dict[Key, Any] = field(default_factory=dict)
    cells: dict[Key, tuple[str, str]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    digest: str = ""
    score_row: dict[str, Any] | None = None  # body returns: scored where they are read
    scores: Scores | None = None  # kept only when asked (process_file(keep_scores=True))


def pts(x: float) -> str:
    return format_vn_number(x, 2)


def _show(v: Any) -> str:
    if isinstance(v, float):
        return format_vn_number(v, 4)
    text = str(v)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class _ItemPlan:
    fields: dict[str, InputField]  # field name -> input field
    slots: dict[str, str]  # column key -> field name ("v1" -> "rate", "status" -> "status")
    rule_fields: tuple[Any, ...]
    from_parts: bool  # a rate from a numerator and a denominator (counts or amounts)


_PLANS: dict[str, dict[str, _ItemPlan]] = {}


def _plan(fw: Framework) -> dict[str, _ItemPlan]:
    plan = _PLANS.get(fw.fingerprint)
    if plan is None:
        plan = {
            i.code: _ItemPlan({f.field: f for f in item_fields(i)},
                              {col: name for name, col in L.input_columns(i).items()},
                              i.rule.fields(), any(f.name == "denominator" for f in i.rule.fields()))
            for i in fw.items
        }
        _PLANS[fw.fingerprint] = plan
    return plan


class _Checker:
    def __init__(self, raw: RawReturn, fw: Framework, keep_cells: bool = True) -> None:
        self.raw = raw
        self.keep_cells = keep_cells
        self.fw = fw
        self.kind = raw.meta.get("kind") or KIND_BODY
        self.office = raw.meta.get("office", "") if self.kind == KIND_OFFICE else ""
        self.plan = _plan(fw)
        self.pending: list[tuple[Item, _ItemPlan, dict[str, Any], Any]] = []
        self.scores: Scores | None = None
        self.errors = 0
        self.out = Processed(raw.path, True, self.kind, dict(raw.meta), raw.framework_key, raw.framework_json,
                             raw.meta.get("fingerprint", ""), raw.body or raw.meta.get("body", ""),
                             raw.year or raw.meta.get("year", ""), self.office)

    def issue(self, severity: str, message: str, sheet: str = "", cell: str = "", item: Item | None = None) -> None:
        self.errors += severity == ERROR
        self.out.issues.append(Issue(self.raw.path, sheet, cell, item.code if item else "",
                                     item.office if item else self.office, severity, message))

    def run(self) -> Processed:
        fw = self.fw
        rows_by_code: dict[str, list[Any]] = {}
        for r in self.raw.rows:
            rows_by_code.setdefault(r.code, []).append(r)
        for made, now in self.raw.renamed:
            self.issue(WARNING, f"trang '{made}' đã bị đổi tên thành '{now}' — vẫn đọc theo mã mục; đề nghị "
                       "giữ nguyên tên trang của biểu mẫu", now)
        for sheet, cell, code in self.raw.extra_codes:
            self.issue(WARNING, f"mã '{code}' không có trong bộ tiêu chí {fw.id} — dòng bị thêm hoặc mã bị "
                       "sửa; bỏ qua dòng này", sheet, cell)
        for item in fw.items:
            rows = rows_by_code.get(item.code)
            if not rows:
                self.issue(ERROR, f"không tìm thấy mục {item.code} trong tệp — dòng bị xoá hoặc mã bị sửa "
                           "(ô khoá đã bị thay đổi)", item=item)
                continue
            if len(rows) > 1:
                where = ", ".join(f"'{r.sheet}' dòng {r.row}" for r in rows)
                self.issue(ERROR, f"mục {item.code} xuất hiện {len(rows)} lần ({where}); chỉ lấy dòng đầu",
                           rows[1].sheet, f"A{rows[1].row}", item)
            self.item_row(item, rows[0])
        # one evaluation of the whole return serves the item checks and the scores table
        self.scores = score_values(fw, self.out.values)
        for item, plan, clean, row in self.pending:
            self.consistency(item, plan, clean, row, self.scores.items[item.code])
        if self.out.values:
            # identical inputs, whatever their cell order: a binary dump (a repr of the floats
            # cost four times as much)
            self.out.digest = hashlib.sha1(pickle.dumps(sorted(self.out.values.items()), protocol=5)).hexdigest()
        return self.out

    def item_row(self, item: Item, row: Any) -> None:
        sheet = row.sheet
        # locked cells: maximum, office and formulas must be as the template wrote them
        mx = row.max
        if not isinstance(mx, int | float) or isinstance(mx, bool) or abs(float(mx) - item.max) > 1e-9:
            self.issue(ERROR, f"ô khoá 'Điểm tối đa' bị sửa: {_show(mx) if mx is not None else 'trống'} "
                       f"(mẫu: {pts(item.max)}) — không dùng giá trị này để chấm", sheet,
                       row.refs.get("max", ""), item)
        off = "" if row.office is None else str(row.office).strip()
        if "office" in row.refs and off != item.office:
            self.issue(ERROR, f"ô khoá 'Đơn vị chủ trì' bị sửa: '{off}' (mẫu: '{item.office}')", sheet,
                       row.refs["office"], item)
        lost = [row.refs[k] for k in row.lost_formulas]
        if lost:
            self.issue(ERROR, f"công thức tính điểm ở ô {', '.join(lost)} đã bị xoá hoặc ghi đè bằng giá "
                       "trị — dùng lại biểu mẫu đã phát hành", sheet, lost[0], item)
        plan = self.plan[item.code]
        fields, slots = plan.fields, plan.slots
        raw_values: dict[str, tuple[RawCell, str]] = {}  # field -> (cell, column key)
        for col, cell in row.inputs.items():
            name = slots.get(col)
            if name is None:
                if cell.value is not None and cell.value != "":
                    ref = row.refs[col]
                    self.issue(WARNING, f"ô {ref} không dùng cho mục {item.code} (cách chấm chỉ có "
                               f"{len(plan.rule_fields)} số liệu) — bỏ qua giá trị '{_show(cell.value)}'",
                               sheet, ref, item)
                continue
            raw_values[name] = (cell, col)
        if not raw_values:
            return
        if self.kind == KIND_OFFICE and item.office != self.office:
            owner = f"đơn vị '{item.office}'" if item.office else "cấp trên / điều tra xã hội học"
            refs = sorted(row.refs[col] for _, col in raw_values.values())
            self.issue(ERROR, f"đơn vị '{self.office}' nhập số liệu vào mục {item.code} thuộc {owner} "
                       f"(ô {', '.join(refs)}) — không tổng hợp các giá trị này", sheet, refs[0], item)
            return
        clean: dict[str, Any] = {}
        rejected: list[str] = []  # fields whose value was refused (an error reported at its cell)
        for name, (cell, col) in sorted(raw_values.items()):
            errors = self.errors
            value = self.cell_input(item, fields[name], cell, row, col)
            if value is None:
                if self.errors > errors:
                    rejected.append(name)
                continue
            clean[name] = value
        refused = [fl for fl in plan.rule_fields if fl.name in rejected] if rejected else []
        if refused:
            # scoring the item's other numbers alone would invent a result (a denominator
            # without its numerator scores 0): the item stays undetermined until it is corrected
            for fl in plan.rule_fields:
                if fl.name in clean:
                    self.issue(WARNING, f"{field_label(item, fl.name)} = {_show(clean.pop(fl.name))} không được "
                               f"tổng hợp vì {field_label(item, refused[0].name)} bị lỗi — mục {item.code} tính là "
                               "chưa xác định cho đến khi sửa số liệu", sheet, row.refs[f"v{fl.slot}"], item)
        elif plan.from_parts and self.pair_refused(item, clean, row):
            for fl in plan.rule_fields:
                clean.pop(fl.name, None)
        for name, value in clean.items():
            self.out.values[(item.code, name)] = value
            if self.keep_cells:
                self.out.cells[(item.code, name)] = (sheet, row.refs[raw_values[name][1]])
        self.pending.append((item, plan, clean, row))

    def pair_refused(self, item: Item, values: dict[str, Any], row: Any) -> bool:
        """A numerator and a denominator that cannot make a rate (reported)."""
        num, den = values.get("numerator"), values.get("denominator")
        if num is None or den is None:
            return False
        tail = " — không tổng hợp hai số liệu này; mục tính là chưa xác định cho đến khi sửa"
        if num > den:
            self.issue(ERROR, f"tử số ({_show(num)}) lớn hơn mẫu số ({_show(den)}) — tỷ lệ vượt 100%{tail}",
                       row.sheet, row.refs["v1"], item)
            return True
        if den == 0 and num:
            self.issue(ERROR, f"mẫu số bằng 0 nhưng tử số khác 0{tail}", row.sheet, row.refs["v2"], item)
            return True
        return False

    def cell_input(self, item: Item, f: InputField, cell: RawCell, row: Any, col: str) -> Any:
        value = cell.value
        sheet = row.sheet
        ref = row.refs[col] if cell.formula is not None or isinstance(value, CellError) else ""
        if cell.formula is not None:
            formula = cell.formula
            shown = formula if len(formula) <= 60 else formula[:57] + "…"
            if _DANGEROUS.search(formula):
                self.issue(ERROR, f"ô nhập liệu chứa công thức nguy hiểm '={shown}' (liên kết, lệnh ngoài) "
                           "— không lấy giá trị; đề nghị nhập trực tiếp số liệu", sheet, ref, item)
                return None
            if value is None or isinstance(value, CellError):
                self.issue(ERROR, f"ô nhập liệu chứa công thức '={shown}' chưa có giá trị — đề nghị nhập "
                           "trực tiếp số liệu", sheet, ref, item)
                return None
            self.issue(WARNING, f"ô nhập liệu chứa công thức '={shown}'; lấy giá trị đã tính "
                       f"'{_show(value)}' (không chép công thức)", sheet, ref, item)
        if isinstance(value, CellError):
            self.issue(ERROR, f"ô có lỗi {value} — đề nghị nhập lại số liệu", sheet, ref, item)
            return None
        if cell.date and f.type != TEXT:
            self.issue(ERROR, f"{field_label(item, f.field)}: ô là ngày tháng (Excel lưu số {_show(value)}) — có thể "
                       "Excel đã tự đổi số gõ vào (ví dụ 2/3 thành ngày 2 tháng 3); đề nghị nhập lại dạng số",
                       sheet, row.refs[col], item)
            return None
        if isinstance(value, str) and not value.strip():
            return None
        if f.type == TEXT:
            text = (value if isinstance(value, str) else _show(value)).strip()
            plain = without_controls(text)
            if plain is not text:  # an .xlsx cannot hold them: kept as what they stood for
                self.issue(WARNING, f"{field_label(item, f.field)}: có ký tự điều khiển{hidden_characters(text)} "
                           "(thường do chép từ Word) — tổng hợp ghi thay bằng xuống dòng hoặc dấu cách",
                           sheet, row.refs[col], item)
                text = plain
            problem = length_problem(text)
            if problem:  # the consolidated workbook could not hold it unchanged
                self.issue(ERROR, f"{field_label(item, f.field)}: {problem}", sheet, row.refs[col], item)
                return None
            return text
        clean, problem = normalize(f, value.strip() if isinstance(value, str) else value)
        if problem:
            self.issue(ERROR, f"{field_label(item, f.field)}: {problem}", sheet, row.refs[col], item)
            return None
        # what the office's own sheet computed from this cell may differ from what is merged
        if f.type in (YESNO, STATUS):
            # Excel compares texts ignoring case only: TRUE, 1, "Co" or a decomposed "Có" are not "Có"
            if not isinstance(value, str) or value.casefold() != clean.casefold():
                shown = ("TRUE" if value else "FALSE") if isinstance(value, bool) else _show(value)
                why = ("gõ bằng bảng mã Unicode tổ hợp: trông như giá trị trong danh sách nhưng Excel coi là "
                       "khác" if isinstance(value, str) and nfc(value).casefold() == clean.casefold()
                       else f"{hidden_characters(str(value))} không phải giá trị trong danh sách".lstrip())
                self.issue(WARNING, f"{field_label(item, f.field)}: '{shown}' {why} — công thức trên biểu mẫu "
                           f"của đơn vị không hiểu giá trị này; tổng hợp ghi là '{clean}' (đề nghị chọn lại "
                           "trong danh sách)", sheet, row.refs[col], item)
        elif isinstance(value, str):
            shown = f"{format_vn_number(clean * 100, 4)}%" if f.type == RATE else format_vn_number(clean, 4)
            self.issue(WARNING, f"{field_label(item, f.field)}: ô chứa văn bản '{_show(value)}' thay vì số — "
                       f"điểm trên biểu mẫu của đơn vị có thể tính sai; tổng hợp ghi là số {shown} (đề nghị "
                       "nhập lại dạng số)", sheet, row.refs[col], item)
        return clean

    def consistency(self, item: Item, plan: _ItemPlan, values: dict[str, Any], row: Any, s: ItemScore) -> None:
        sheet = row.sheet
        status = values.get("status")
        numbers = [fl for fl in plan.rule_fields if fl.name in values]
        if plan.from_parts:
            num, den = values.get("numerator"), values.get("denominator")
            if (num is None) != (den is None) and status in (None, DAT, KHONG_DAT):
                # what the blank cell does to the score: a blank denominator is "nothing to do"
                # (full points where the rule says so), a blank numerator scores 0
                typed, blank, missing = (("tử số", "mẫu số", row.refs["v2"]) if den is None
                                         else ("mẫu số", "tử số", row.refs["v1"]))
                self.issue(WARNING, f"có {typed} nhưng chưa nhập {blank} — ô {blank} trống được tính là 0 nên mục "
                           f"đang được {pts(s.achieved)}/{pts(item.max)} điểm; đề nghị nhập {blank}", sheet, missing,
                           item)
        for fl in plan.rule_fields:
            v = values.get(fl.name)
            if fl.type == COUNT and isinstance(v, float) and not v.is_integer():
                self.issue(WARNING, f"số lượng {_show(v)} không phải số nguyên — kiểm tra dấu phân cách "
                           "(ví dụ 22.583.451)", sheet, row.refs[f"v{fl.slot}"], item)
            if fl.type == RATE and isinstance(v, float) and 0 < v <= 0.01:
                self.issue(WARNING, f"tỷ lệ rất nhỏ ({format_vn_number(v * 100, 4)}%) — có thể đã nhập "
                           "77,7 thay vì 77,7%", sheet, row.refs[f"v{fl.slot}"], item)
        if status == KHONG_AP_DUNG and numbers:
            self.issue(WARNING, f"tình trạng '{status}' nhưng vẫn nhập số liệu — số liệu không được tính "
                       "điểm", sheet, row.refs["status"], item)
        elif status in (CHUA_DEN_HAN, CHUA_XAC_DINH) and numbers:  # progress so far: legitimate mid-year
            self.issue(REMINDER, f"tình trạng '{status}': số liệu hiện có được ghi lại nhưng chưa tính điểm — khi "
                       "có kết quả, xoá tình trạng (hoặc chọn 'Đạt'/'Không đạt') để chấm điểm theo số liệu",
                       sheet, row.refs["status"], item)
        if status in (DAT, KHONG_DAT) and numbers:
            # the status chosen is shown, but the points come from the data either way
            if status == DAT and s.raw < item.max - 1e-9:
                self.issue(WARNING, f"chọn 'Đạt' nhưng số liệu chỉ cho {pts(s.raw)}/{pts(item.max)} điểm — "
                           "điểm vẫn tính theo số liệu", sheet, row.refs["status"], item)
            elif status == KHONG_DAT and s.raw >= item.max - 1e-9:
                self.issue(WARNING, f"chọn 'Không đạt' nhưng số liệu cho đủ {pts(item.max)} điểm — điểm vẫn "
                           "tính theo số liệu", sheet, row.refs["status"], item)
        elif status == DAT and item.scorer != "penalty":
            wanted = "; ".join(f"Số liệu {fl.slot}: {fl.label}" for fl in plan.rule_fields)
            self.issue(WARNING, f"chọn 'Đạt' nhưng chưa nhập số liệu — điểm tính theo số liệu nên được 0/"
                       f"{pts(item.max)} điểm; hãy nhập {wanted}", sheet, row.refs["status"], item)
        filled = bool(numbers) or status in (DAT, KHONG_DAT)
        if item.evidence and filled and not values.get("evidence"):
            self.issue(REMINDER, f"chưa ghi tài liệu kiểm chứng (yêu cầu: {_show(item.evidence)})", sheet,
                       row.refs["evidence"], item)
        if filled and item.scorer not in ("bonus", "penalty") and s.deducted > 1e-9 and not values.get("explanation"):
            self.issue(REMINDER, f"bị trừ {pts(s.deducted)}/{pts(item.max)} điểm nhưng chưa có giải trình "
                       "(nêu nguyên nhân, giải pháp khắc phục)", sheet, row.refs["explanation"], item)


REMINDERS = "nhắc nhở (tài liệu kiểm chứng, giải trình, số liệu tạm chưa tính điểm)"


def in_item_order(issues: Iterable[Issue]) -> list[Issue]:
    """The issues by item code in reading order ("1.2" before "1.10"), then sheet and cell."""
    return sorted(issues, key=lambda i: (code_order(i.item), i.sheet, i.cell, i.severity, i.message))


def to_review(issues: Iterable[Issue]) -> list[Issue]:
    """The errors and warnings among the issues (not the reminders), in item order: the values
    someone must look at again before trusting a score."""
    return in_item_order(i for i in issues if not i.reminder)


def warnings_text(issues: Iterable[Issue]) -> str:
    """"4 cảnh báo, 59 nhắc nhở (…)"; "59 nhắc nhở (…)" when there is no warning."""
    severities = [i.severity for i in issues]
    w, r = severities.count(WARNING), severities.count(REMINDER)
    if r:
        return f"{w} cảnh báo, {r} {REMINDERS}" if w else f"{r} {REMINDERS}"
    return f"{w} cảnh báo"


def check_workbook(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Return, list[Issue], Scores]:
    """A parxl workbook's inputs (as :func:`~parxl.workbook.read.read_return` reads them), every
    check of them, and the scores of its values as collect merges them (a 'Co' taken as 'Có', a
    refused value left out), from one read of the file: what ``parxl score`` scores and reports.
    Any parxl workbook (a template, a return, a consolidated workbook). Raises as ``read_return``."""
    raw = read_parxl_file(path, limits)
    ret = return_of(raw)
    checker = _Checker(raw, ret.framework, keep_cells=False)
    issues = checker.run().issues
    assert checker.scores is not None
    return ret, issues, checker.scores


def check_template(t: OpenTemplate) -> list[Issue]:
    """Every check of a return, run on a template read from an open workbook's values
    (:func:`parxl.workbook.values.read_template`): the same problems and messages as
    :func:`check_workbook` finds in the file, except the "formula overwritten" check, which
    needs the file (an open workbook hands over values, not formulas). A cell error comes as
    its code ("#N/A") and is reported as one."""

    def cell(v: Any) -> RawCell:
        if isinstance(v, str) and v.strip().upper() in CELL_ERRORS:
            return RawCell(CellError(v.strip().upper()))
        return RawCell(v)

    raw = RawReturn(t.name, dict(t.meta), True, "", None, body=t.body, year=t.year,
                    extra_codes=list(t.extra_codes), renamed=list(t.renamed))
    raw.rows = [
        ItemRow(r.sheet, r.row, r.code, r.office, r.max, {k: cell(v) for k, v in r.inputs.items()},
                Refs({k: ref.rstrip("0123456789") for k, ref in r.refs.items()}, r.row), [])
        for r in t.rows
    ]
    return _Checker(raw, t.framework).run().issues


def process_file(path: Path, display: str, limits: Limits = DEFAULT_LIMITS, *, body_cells: bool = True,
                 keep_scores: bool = False) -> Processed:
    """Read and check one file; never raises for a bad file (its problem becomes an issue).

    ``body_cells=False``: do not record where each value of a body return was (a collect needs
    cell references only to show conflicts between office returns). ``keep_scores``: keep the
    checker's evaluation of a body return on the result (its caller scores nothing twice)."""
    try:
        raw = read_raw(path, display, limits)
    except ReturnRejected as exc:
        return _rejected(display, exc.message)
    except ParxlError as exc:
        sheet = exc.where.sheet
        return _rejected(display, exc.message, sheet)
    except (MemoryError, RecursionError):
        return _rejected(display, "tệp quá lớn hoặc quá phức tạp để đọc an toàn")
    except Exception as exc:  # anything else from a malformed file must not stop the others
        return _rejected(display, f"không đọc được tệp ({type(exc).__name__}) — tệp hỏng hoặc sai định dạng")
    meta = raw.meta
    if not raw.fingerprint_ok:
        p = Processed(display, False, meta.get("kind") or KIND_BODY, dict(meta), raw.framework_key,
                      fingerprint=meta.get("fingerprint", ""))
        p.issues.append(Issue(display, L.META, "", "", meta.get("office", ""), ERROR,
                              "dấu vân tay bộ tiêu chí không khớp: trang ẩn '_parxl' đã bị sửa — không dùng tệp "
                              "này, đề nghị đơn vị điền lại trên biểu mẫu đã phát hành"))
        return p
    if meta.get("kind") == KIND_CONSOLIDATED:
        return Processed(display, False, KIND_CONSOLIDATED, dict(meta), raw.framework_key, raw.framework_json,
                         meta.get("fingerprint", ""))
    fw = framework_for(raw.framework_key, None, display)
    checker = _Checker(raw, fw, keep_cells=body_cells or meta.get("kind") == KIND_OFFICE)
    out = checker.run()
    if out.kind != KIND_OFFICE and checker.scores is not None:
        out.score_row = score_row(fw, checker.scores)
        if keep_scores:
            out.scores = checker.scores
    return out


def score_row(fw: Framework, s: Scores) -> dict[str, Any]:
    """One row of the scores table (numbers only; the body name and file count are added)."""
    out: dict[str, Any] = {
        "total": round(s.total, 9),
        "index": round(s.index, 9),
        "base_achieved": round(s.base.achieved, 9),
        "deducted": round(s.base.deducted, 9),
        "open": round(s.base.open, 9),
        "bonus": round(s.bonus, 9),
        "penalty": round(s.penalty, 9),
        "reachable": round(s.reachable, 9),
    }
    for d in fw.domains:
        out[f"domain {d.code}"] = round(s.domains[d.code].achieved, 9)
    return out


def _rejected(display: str, message: str, sheet: str = "") -> Processed:
    p = Processed(display, False)
    p.issues.append(Issue(display, sheet, "", "", "", ERROR, message))
    return p
