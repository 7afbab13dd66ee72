"""Frameworks as an Excel table ("Bộ tiêu chí"): staff receive frameworks as tables in decisions.

Sheet "Thông tin" holds the framework's id, name, level, version, note and bonus cap; sheet
"Bộ tiêu chí" has one row per scored item. Bonus items have "Thưởng" in the domain column,
penalty items "Trừ". Rule parameters are written in YAML flow style
(``{basis: counts, rounding: trunc}``). Import reports every problem with its sheet, cell
and item code.

Import also reads a decision's table as printed (an "outline": one 'STT' column numbering
domains, criteria and sub-criteria; see :func:`_outline`), in Excel or straight from the
decision's Word file (:func:`_word_table`), by rewriting it into the rows above.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date
from itertools import zip_longest
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font, PatternFill

from parxl.errors import FrameworkError
from parxl.framework.load import SUM_TOLERANCE, from_dict, parse_yaml, sum_known, written_max
from parxl.framework.model import SCORERS, Framework, Item
from parxl.numbers import CELL_ERRORS, cell_text, parse_vn_number
from parxl.rules.base import pts
from parxl.workbook.save import refuse_edited, save_workbook

INFO = "Thông tin"
TABLE = "Bộ tiêu chí"
BONUS, PENALTY = "Thưởng", "Trừ"
HEADERS = (
    "Lĩnh vực",
    "Tên lĩnh vực",
    "Tiêu chí",
    "Tên tiêu chí",
    "Mã",
    "Nội dung",
    "Điểm tối đa",
    "Cách chấm",
    "Tham số",
    "Đánh giá bởi",
    "Đơn vị chủ trì",
    "Tài liệu kiểm chứng",
    "Hướng dẫn",
    "Ẩn",
)
INFO_KEYS = (
    ("id", "Mã bộ tiêu chí"),
    ("name", "Tên bộ tiêu chí"),
    ("level", "Cấp áp dụng"),
    ("version", "Phiên bản"),
    ("note", "Ghi chú"),
    ("total", "Tổng điểm"),
    ("bonus_cap", "Giới hạn điểm thưởng"),
)
_NUMBER_KEYS = ("total", "bonus_cap")
_SCORER_BY_LABEL = {v.casefold(): k for k, v in SCORERS.items()} | {
    "điều tra xã hội học": "survey", "đtxhh": "survey", "cấp trên": "external"}


def _params_text(item: Item) -> str:
    """The parameters that differ from their defaults (what the decision says about the item)."""
    defaults = {p.name: p.default for p in item.rule.definition.params if not p.required}
    params = {k: v for k, v in item.rule.params.items() if k not in defaults or v != defaults[k]}
    if not params:
        return ""
    return yaml.safe_dump(params, default_flow_style=True, allow_unicode=True, width=10**6).strip()


def export_table(fw: Framework, path: str | Path) -> None:
    refuse_edited([Path(path)])  # a table edited in Excel since it was exported is not written over
    wb = openpyxl.Workbook()
    info = wb.active
    assert info is not None
    info.title = INFO
    # the total too: a maximum mistyped in the table is then caught on import
    values: dict[str, Any] = {**fw.to_dict(), "total": fw.total, "bonus_cap": fw.bonus_cap}
    for r, (key, label) in enumerate(INFO_KEYS, start=1):
        info.cell(r, 1, label).font = Font(bold=True)
        cell = info.cell(r, 2, values.get(key, ""))
        cell.data_type = "n" if key in _NUMBER_KEYS else "s"
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 100
    ws = wb.create_sheet(TABLE)
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(1, c, h)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    rows: list[tuple[str, str, str, str, Item]] = []
    for d in fw.domains:
        for crit in d.criteria:
            rows += [(d.code, d.name, crit.code, crit.name, i) for i in crit.items]
    rows += [(BONUS, "", "", "", i) for i in fw.bonus]
    rows += [(PENALTY, "", "", "", i) for i in fw.penalties]
    for r, (dc, dn, cc, cn, it) in enumerate(rows, start=2):
        texts = [dc, dn, cc, cn, it.code, it.name]
        for c, text in enumerate(texts, start=1):
            ws.cell(r, c).value = text
            ws.cell(r, c).data_type = "s"
        ws.cell(r, 7, it.max)
        tail = [
            it.rule.kind,
            _params_text(it),
            SCORERS[it.scorer],
            it.office,
            it.evidence,
            it.guidance,
        ]
        for c, text in enumerate(tail, start=8):
            ws.cell(r, c).value = text
            ws.cell(r, c).data_type = "s"
        ws.cell(r, 14, "x" if it.hidden else None)
    for c, w in enumerate((8, 30, 8, 30, 9, 50, 9, 13, 40, 16, 22, 30, 30, 5), start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = w
    ws.freeze_panes = "A2"
    save_workbook(wb, path)


def _sheet_rows(ws: Any) -> tuple[list[tuple[Any, ...]], set[tuple[int, int]]]:
    """The sheet's values by row; a cell merged down one column (a decision's table prints a
    domain once beside all its rows) gives its value to every row it covers. Also the cells so
    given (row and column numbers, from 1)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_col != rng.max_col:
            continue
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row + 1, min(rng.max_row, len(rows)) + 1):
            rows[r - 1][rng.min_col - 1] = value
            covered.add((r, rng.min_col))
    return [tuple(r) for r in rows], covered


def _label(value: Any) -> str:
    """A sheet name, header or label as compared: letters as typed on any machine (NFC), spaces
    and line breaks collapsed, case ignored."""
    return " ".join(unicodedata.normalize("NFC", cell_text(value)).split()).casefold()


_UNIT = re.compile(r"\s*(?:điểm|đ)\.?\s*$", re.IGNORECASE)


def _typed_number(value: Any) -> Any:
    """Points typed as text ('0,5', '1.5', '1 điểm', '1,5đ') as the number they mean; other values
    unchanged (a percentage is not a number of points: '50%' stays text and is reported)."""
    if isinstance(value, str) and not value.endswith("%"):
        number = parse_vn_number(_UNIT.sub("", unicodedata.normalize("NFC", value)))
        if number is not None:
            return number
    return value


_HIDDEN = {"x": True, "có": True, "1": True, "true": True, "không": False, "0": False, "false": False}


def _kind(text: Any) -> Any:
    """'Cách chấm' as the kind's name (``yesno``) or its Vietnamese label ("Có/Không", "Tỷ lệ
    thuận", any case); blank: ``manual``; anything else is left for the loader to report."""
    from parxl.rules import KINDS

    if text is None or not str(text).strip():
        return "manual"
    by_label = {" ".join(k.label.split()).casefold(): name for name, k in KINDS.items()}
    return by_label.get(" ".join(str(text).split()).casefold(), text)


Target = str | tuple[str, str] | None  # what a total row sums: a domain, a criterion, None (the table)


def import_table(path: str | Path) -> Framework:
    """The framework in an Excel table (see the module and the README); raises FrameworkError
    with every problem, each at its sheet, row and cell."""
    return read_table(path)[0]


def read_table(path: str | Path) -> tuple[Framework, list[str]]:
    """:func:`import_table`, and the columns of the table's header that were not read (a
    decision's 'Ghi chú', 'Điểm tự đánh giá'), as "'Ghi chú' (cột F)", for the user to see."""
    p = Path(path)
    if p.is_dir():
        raise FrameworkError(["đây là thư mục, không phải tệp bảng bộ tiêu chí (.xlsx hoặc .docx)"], str(p))
    if p.suffix.lower() == ".docx":
        rows, merged, lines = _word_table(p)
        info: dict[str, Any] = {"domains": [], "id": _slug(p.stem), "name": p.stem}
        try:
            fw, unread = _read_rows(p, rows, merged, info, {}, None)
        except FrameworkError as exc:  # at the Word table's rows and columns
            raise FrameworkError([_word_place(prob, lines) for prob in exc.problems], str(p)) from None
        return fw, [_word_place(u, lines) for u in unread]
    try:
        wb = openpyxl.load_workbook(p, data_only=True)
    except FileNotFoundError:
        raise FrameworkError(["không tìm thấy tệp"], str(p), unread=True) from None
    except Exception:  # openpyxl raises many types for non-xlsx input
        raise FrameworkError(
            ["không đọc được bảng Excel: cần tệp .xlsx có trang 'Bộ tiêu chí' (tệp .csv, .xls hay tệp hỏng: mở "
             "bằng Excel rồi lưu dạng Excel Workbook .xlsx)"], str(p)
        ) from None
    sheets = {_label(name): name for name in wb.sheetnames}
    table_sheet = sheets.get(_label(TABLE))
    if table_sheet is None:
        from parxl.workbook import layout as L

        if L.META in wb.sheetnames:  # a parxl template or return: the framework it carries
            from parxl.workbook.read import read_return

            return read_return(p).framework, []
        table_sheet = _table_sheet(wb, p)
    data: dict[str, Any] = {"domains": []}
    info_rows: dict[str, int] = {}
    if _label(INFO) not in sheets:  # a decision's table pasted into Excel: named as a Word file is
        data |= {"id": _slug(p.stem), "name": p.stem}
    else:
        labels = {_label(label): key for key, label in INFO_KEYS}
        for r, row in enumerate(_sheet_rows(wb[sheets[_label(INFO)]])[0], start=1):
            label = _label(row[0]) if row else ""
            if label not in labels:
                continue
            info_rows[labels[label]] = r
            value = row[1] if len(row) > 1 else None
            if isinstance(value, str):
                value = unicodedata.normalize("NFC", value.strip())
                if labels[label] in _NUMBER_KEYS:
                    value = _typed_number(value)
            if value not in (None, ""):
                data[labels[label]] = value
    cap = data.pop("bonus_cap", None)
    rows, merged = _sheet_rows(wb[table_sheet])
    formulas: list[Any] = []

    def formula(r: int, c: int) -> str | None:
        """The formula of a cell (the workbook read again, with its formulas): of a cell showing an
        error, or with no value saved (a file written by a program, never saved by Excel)."""
        if not formulas:  # read again only when some sheet holds a formula (most tables have none)
            formulas.append(openpyxl.load_workbook(p)[table_sheet] if _has_formulas(p) else None)
        if formulas[0] is None:
            return None
        text = formulas[0].cell(r, c).value
        return text if isinstance(text, str) and text.startswith("=") else None

    if _label(table_sheet) == _label(TABLE):
        return _read_rows(p, rows, merged, data, info_rows, cap, formula)
    try:  # problems at the sheet the table is on
        return _read_rows(p, rows, merged, data, info_rows, cap, formula)
    except FrameworkError as exc:
        raise FrameworkError([prob.replace(f"trang '{TABLE}'", f"trang '{table_sheet}'") for prob in exc.problems],
                             str(p)) from None


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(p: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (its XML, scanned without parsing)."""
    with zipfile.ZipFile(p) as zf:
        return any(_FORMULA.search(zf.read(name)) for name in zf.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _table_sheet(wb: Any, p: Path) -> str:
    """The sheet of a workbook without a 'Bộ tiêu chí' sheet (a decision's file: 'Phụ lục',
    'Sheet1') whose header parxl reads, the first one."""
    for name in wb.sheetnames:
        if _label(name) == _label(INFO):
            continue
        try:
            _header_row(_sheet_rows(wb[name])[0], p)
        except FrameworkError:
            continue
        return str(name)
    found = ", ".join(f"'{name}'" for name in wb.sheetnames)
    raise FrameworkError(
        [f"không thấy bảng bộ tiêu chí ở trang nào (tệp có các trang: {found}) — cần trang '{TABLE}', hoặc một trang "
         f"có dòng tiêu đề gồm các ô STT (hay Mã), Nội dung, Điểm tối đa, hoặc các ô {', '.join(HEADERS[:8])}"],
        str(p))


def named_from_file(fw: Framework, path: str | Path) -> bool:
    """Whether the framework's id and name are the ones a table without them (a Word file, an
    Excel table with no 'Thông tin' sheet) gets from its file's name, its level left empty."""
    p = Path(path)
    return fw.id == _slug(p.stem) and fw.name == p.stem and not fw.level


def _read_rows(
    p: Path, rows: list[tuple[Any, ...]], merged: set[tuple[int, int]], data: dict[str, Any],
    info_rows: dict[str, int], cap: Any, formula: Any = None,
) -> tuple[Framework, list[str]]:
    """The table's rows read into a framework (``data``: what 'Thông tin' gave)."""
    problems: list[str] = []
    first_row, head_row, header = _header_row(rows, p)
    repeated = {_row_labels(row) for row in rows[first_row - 1 : head_row]}  # the header as printed
    rows, errors = _error_values(rows, head_row, header, formula)
    problems += errors
    shown: dict[int, int] = {}  # columns added to an outline table: shown as its code column
    if _is_outline(header):
        rows, header, shown, outline_problems = _outline(rows, head_row, header, repeated, merged)
        problems += outline_problems
    col = {h: header.index(_label(h)) for h in HEADERS if _label(h) in header}
    col_shown = {h: shown.get(i, i) for h, i in col.items()}
    part_caps: list[float] = []  # the points on the bonus items' own row
    domains: dict[str, dict[str, Any]] = {}
    criteria: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[tuple[str, ...], tuple[int, str]] = {}  # first name given, and its row
    bonus: list[dict[str, Any]] = []
    penalties: list[dict[str, Any]] = []
    where: dict[str, tuple[int, str]] = {}  # YAML path -> (row, what is there)
    closing: int | None = None  # the row where the notes and signature block under the table begins
    totals: list[tuple[int, str, Target, float]] = []  # total and heading rows: row, label, what, points
    under_header = True  # the previous row read is the header (or the header repeated)
    # what rows not read (reported) leave out of the sums, whose total rows are then not checked: a
    # domain (its code), a criterion ((domain, criterion); (domain, ANY): each of its criteria), or
    # everything (ANY: a row whose domain is unknown)
    unread: set[Any] = {ANY} if problems else set()
    for r, row in enumerate(rows[head_row:], start=head_row + 1):

        def get(h: str, row: tuple[Any, ...] = row) -> Any:
            i = col.get(h)
            v = row[i] if i is not None and i < len(row) else None
            return unicodedata.normalize("NFC", v.strip()) if isinstance(v, str) else v

        def cell(h: str, r: int = r) -> str:
            return f"ô {_letter(col_shown[h])}{r} ('{h}')"

        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        code = cell_text(get("Mã")).strip()
        as_code = code and not isinstance(get("Mã"), date)  # not a code Excel made a date of ('2024-02-01 00:00:00')
        loc = f"trang '{TABLE}' dòng {r}" + (f" (mục {code})" if as_code else "")
        lead = next(i for i, v in enumerate(row) if cell_text(v).strip())
        if closing is None and _closing_line(row, col["Mã"]) and _CLOSING.match(_label(row[lead])):
            closing = r
        if closing is not None:
            if not _closing_line(row, col["Mã"]):
                problems.append(
                    f"{loc}, ô {_letter(lead)}{r} ('{cell_text(row[lead]).strip()}'): nằm dưới phần "
                    f"ghi chú, nơi nhận, chữ ký (từ dòng {closing}) nên không được đọc; nếu là một mục, "
                    f"chuyển lên trên dòng {closing}, nếu không, xoá dòng này"
                )
            continue
        if _row_labels(row) in repeated:  # the header repeated on each printed page
            under_header = True
            continue
        after_header, under_header = under_header, False
        numbers = _numbers(row)
        if after_header and numbers is not None:  # the columns' numbers (with a typo: one problem)
            wrong = [i for i in range(1, len(numbers)) if numbers[i] <= numbers[i - 1]]
            if wrong:
                cells = [(c, cell_text(v).strip()) for c, v in enumerate(row) if cell_text(v).strip()]
                (c, text), before = cells[wrong[0]], cells[wrong[0] - 1][1]
                problems.append(
                    f"trang '{TABLE}' dòng {r}, ô {_letter(c)}{r} ('{text}'): dòng đánh số cột dưới tiêu "
                    f"đề nhưng số này không lớn hơn số ở ô trước ('{before}'); sửa số cho đúng hoặc "
                    "xoá dòng này"
                )
            continue
        total: tuple[str, Target, Any] | None = _total_row(row, col)
        heading = None if total is not None else _heading_row(get)
        if heading is not None:  # a domain's or criterion's own row above its items (as decisions print)
            codes, title = heading
            if title:
                names.setdefault(codes, (r, title))
            label = title or f"{'lĩnh vực' if len(codes) == 1 else 'tiêu chí'} {codes[-1]}"
            total = (label, codes[0] if len(codes) == 1 else (codes[0], codes[1]), get("Điểm tối đa"))
        if total is not None:  # its points are checked against its items' once all are read
            label, dom, value = total
            number = _typed_number(value)
            if dom == "":  # 'Cộng lĩnh vực' under a domain's rows
                dom = list(domains)[-1] if domains else None
                if dom is None:
                    problems.append(
                        f"{loc}, ô {_letter(lead)}{r} ('{label}'): dòng cộng của một lĩnh vực nhưng "
                        "phía trên chưa có lĩnh vực nào; ghi mã lĩnh vực sau chữ 'lĩnh vực'"
                    )
                    continue
            if isinstance(number, int | float) and not isinstance(number, bool):
                totals.append((r, label, dom, number))
                if heading is not None and dom == BONUS:
                    part_caps.append(number)
            elif number not in (None, ""):
                problems.append(f"{loc}, {cell('Điểm tối đa')}: dòng '{label}' phải ghi số, không phải '{number}'")
            continue
        dates = [h for h in ("Lĩnh vực", "Tiêu chí", "Mã") if isinstance(get(h), date)]
        for h in dates:
            problems.append(
                f"{loc}, {cell(h)}: Excel đã đổi mã thành ngày {get(h):%d/%m/%Y}; đặt định dạng ô "
                "là Văn bản (Text) rồi gõ lại mã"
            )
        if dates:
            d_text = "" if "Lĩnh vực" in dates else cell_text(get("Lĩnh vực")).strip()
            d_text = _domain_code(d_text)
            unread |= _left_out(d_text, "" if "Tiêu chí" in dates else cell_text(get("Tiêu chí")).strip())
            continue
        item: dict[str, Any] = {
            "code": code,
            "name": get("Nội dung"),
            "max": _typed_number(get("Điểm tối đa")),
        }
        rule: dict[str, Any] = {"kind": _kind(get("Cách chấm"))}
        text = get("Tham số")
        if text:
            try:
                params, twice = parse_yaml(str(text))
            except yaml.YAMLError:
                params, twice = None, []
            for _, key, _ in twice:  # PyYAML keeps the last one silently
                problems.append(f"{loc}, {cell('Tham số')}: khoá '{key}' ghi hai lần trong '{text}'; giữ một lần")
            if not isinstance(params, dict):
                problems.append(f"{loc}, {cell('Tham số')}: tham số phải có dạng {{khoá: giá trị}}")
                params = {}
            if any(not isinstance(k, str) for k in params):
                problems.append(
                    f"{loc}, {cell('Tham số')}: '{text}' — số thập phân trong tham số viết bằng "
                    "dấu chấm (0.5); dấu phẩy ngăn cách các tham số"
                )
                params = {k: v for k, v in params.items() if isinstance(k, str)}
            rule.update(params)
        item["rule"] = rule
        scorer_label = " ".join(str(get("Đánh giá bởi") or "").split())
        for key, h in (
            ("office", "Đơn vị chủ trì"),
            ("evidence", "Tài liệu kiểm chứng"),
            ("guidance", "Hướng dẫn"),
        ):
            if get(h):
                item[key] = str(get(h))
        hidden = get("Ẩn")
        if hidden not in (None, ""):
            flag = _HIDDEN.get(cell_text(hidden).casefold())
            if flag is None:
                problems.append(f"{loc}, {cell('Ẩn')}: ghi 'x' để ẩn mục, để trống nếu không ẩn")
            elif flag:
                item["hidden"] = True
        dcode = cell_text(get("Lĩnh vực")).strip()
        dcode = _domain_code(dcode)
        default_scorer = {BONUS: "bonus", PENALTY: "penalty"}.get(dcode, "self")
        item["scorer"] = _SCORER_BY_LABEL.get(
            scorer_label.casefold(), scorer_label or default_scorer
        )
        if dcode == BONUS:
            where[f"bonus.items[{len(bonus)}]"] = (r, f"mục {code}" if code else "")
            bonus.append(item)
            continue
        if dcode == PENALTY:
            where[f"penalties.items[{len(penalties)}]"] = (r, f"mục {code}" if code else "")
            penalties.append(item)
            continue
        raw_ccode = get("Tiêu chí")
        ccode = cell_text(raw_ccode).strip()
        if not (dcode or ccode or code):  # a line of text (or a number) under the items, as decisions add
            text = cell_text(row[lead]).strip()
            short = text if len(text) <= 60 else text[:57] + "…"
            problems.append(
                f"{loc}, ô {_letter(lead)}{r} ('{short}'): dòng không có mã lĩnh vực, tiêu chí hay mục nên không "
                "đọc được — nếu là lời giải thích của mục bên trên, chép vào cột 'Hướng dẫn' của mục đó rồi xoá "
                "dòng này; nếu là một mục, ghi đủ mã lĩnh vực, mã tiêu chí và mã mục"
            )
            unread.add(ANY)
            continue
        if not dcode or not ccode:
            h = "Lĩnh vực" if not dcode else "Tiêu chí"
            hint = "" if dcode else f"; mục thưởng ghi '{BONUS}', mục trừ '{PENALTY}'"
            problems.append(
                f"{loc}, {cell(h)}: trống; ghi mã {h.lower()} trên mọi dòng (ô gộp theo cột cũng "
                f"được){hint}"
            )
            unread |= _left_out(dcode, ccode)
            continue
        if isinstance(raw_ccode, float) and code and not code.startswith(ccode + "."):
            problems.append(
                f"{loc}, {cell('Tiêu chí')}: là số {ccode}, không khớp mã mục '{code}' — Excel đổi "
                "mã gõ như 1.10 thành số 1.1; đặt định dạng ô là Văn bản (Text) rồi gõ lại mã"
            )
            unread |= _left_out(dcode, "")
            continue
        if dcode not in domains:
            domains[dcode] = {"code": dcode, "name": None, "criteria": []}
            data["domains"].append(domains[dcode])
            where[f"domains[{len(domains) - 1}]"] = (r, f"lĩnh vực {dcode}")
        if (dcode, ccode) not in criteria:
            criteria[(dcode, ccode)] = {"code": ccode, "name": None, "items": []}
            domains[dcode]["criteria"].append(criteria[(dcode, ccode)])
            d_i = list(domains).index(dcode)
            c_i = len(domains[dcode]["criteria"]) - 1
            where[f"domains[{d_i}].criteria[{c_i}]"] = (r, f"tiêu chí {ccode}")
        for node, named, h, what in (
            (domains[dcode], (dcode,), "Tên lĩnh vực", f"lĩnh vực {dcode}"),
            (criteria[(dcode, ccode)], (dcode, ccode), "Tên tiêu chí", f"tiêu chí {ccode}"),
        ):
            name = get(h)
            if name in (None, ""):
                continue
            first = names.setdefault(named, (r, str(name)))
            if node["name"] is None:
                node["name"] = name
            elif first[1] != str(name):
                problems.append(
                    f"{loc}, {cell(h)}: tên {what} ghi '{name}', khác dòng {first[0]} "
                    f"('{first[1]}'); một {what.split()[0]} {what.split()[1]} chỉ có một tên"
                )
        d_i = list(domains).index(dcode)
        c_i = domains[dcode]["criteria"].index(criteria[(dcode, ccode)])
        n = len(criteria[(dcode, ccode)]["items"])
        where[f"domains[{d_i}].criteria[{c_i}].items[{n}]"] = (r, f"mục {code}" if code else "")
        criteria[(dcode, ccode)]["items"].append(item)
    for codes, (_, title) in names.items():  # a name given only on the heading row
        level = domains.get(codes[0]) if len(codes) == 1 else criteria.get((codes[0], codes[1]))
        if level is not None and level["name"] is None:
            level["name"] = title
    groups: dict[Target, list[dict[str, Any]]] = {
        code: [i for c in d["criteria"] for i in c["items"]] for code, d in domains.items()}
    groups |= {key: c["items"] for key, c in criteria.items()}
    if cap is None and part_caps:  # no 'Giới hạn điểm thưởng': the bonus row's points are the cap
        cap = part_caps[0]
    if unread:  # the framework read is partial: its total says nothing, nor the sums of what is left out
        data.pop("total", None)
    checked = [t for t in totals if not _missing_rows(t[2], unread)]
    problems += _total_problems(checked, groups | {BONUS: bonus, PENALTY: penalties}, cap, col["Điểm tối đa"])
    if bonus:
        data["bonus"] = {"cap": cap, "items": bonus}
    if penalties:
        data["penalties"] = {"items": penalties}
    try:
        fw = from_dict(data, str(p))
    except FrameworkError as exc:
        empty = "$.domains: danh sách rỗng"  # no domain read: the rows' own problems say why, if any
        problems += [_locate(prob, where, col_shown, info_rows) for prob in exc.problems if prob != empty]
        if empty in exc.problems and not problems:
            problems.append(f"trang '{TABLE}': không có lĩnh vực nào — dưới dòng tiêu đề cần các dòng lĩnh vực, "
                            "tiêu chí và mục")
    if errors:  # an error value's cell is not reported again (blank, not a number)
        blanked = [m[0] for e in errors if (m := re.search(r", ô [A-Z]+\d+ \(", e))]
        problems = [prob for prob in problems if prob in errors or not any(c in prob for c in blanked)]
    if problems:
        raise FrameworkError(sorted(problems, key=_reading_order), str(p))
    return fw, _unread_columns(rows[first_row - 1 : head_row], header)


def _error_values(
    rows: list[tuple[Any, ...]], head_row: int, header: list[str], formula: Any
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows under the header with Excel's error values (#NAME?, #VALUE! …) in the columns read
    blanked, and a problem for each: a text typed with '=' at its start became a formula, and its
    error is not the text (``formula(row, column)``: the cell's formula, if known)."""
    if formula is None:  # a Word table: its cells are text as typed
        return rows, []
    read = {_label(h) for h in HEADERS}
    problems: list[str] = []
    out = list(rows[:head_row])
    for r, row in enumerate(rows[head_row:], start=head_row + 1):
        values = list(row)
        for i, v in enumerate(row):
            if not (i < len(header) and header[i] in read):
                continue
            name = next(h for h in HEADERS if _label(h) == header[i])
            if v is None and (text := formula(r, i + 1)):
                problems.append(
                    f"trang '{TABLE}' dòng {r}, ô {_letter(i)}{r} ('{name}'): ô có công thức '{text}' nhưng tệp không "
                    "lưu kết quả của nó (tệp do một chương trình tạo ra, chưa mở và lưu bằng Excel) — mở tệp bằng Excel "
                    "hoặc LibreOffice, lưu lại rồi nhập lại, hoặc gõ giá trị thay cho công thức")
                continue
            if not (isinstance(v, str) and v.strip().upper() in CELL_ERRORS):
                continue
            text = formula(r, i + 1)
            of = f" của công thức '{text}'" if text else ""
            problems.append(
                f"trang '{TABLE}' dòng {r}, ô {_letter(i)}{r} ('{name}'): ô có giá trị lỗi {v.strip()}{of}, không "
                "phải nội dung — Excel hiểu chữ gõ bắt đầu bằng '=' (hay '+', '-') là công thức; gõ lại với dấu nháy "
                "đơn ' ở đầu để Excel giữ nguyên chữ")
            values[i] = None
        out.append(tuple(values))
    return out, problems


def _unread_columns(head: list[tuple[Any, ...]], header: list[str]) -> list[str]:
    """Header cells that name none of the columns read, as printed, with their column."""
    read = {_label(h) for h in HEADERS}
    unread = []
    for i, label in enumerate(header):
        if not label or label in read:
            continue
        texts = [t for row in head if i < len(row) and (t := " ".join(cell_text(row[i]).split()))
                 and not re.fullmatch(r"\(?\d+\)?", t)]
        unread.append(f"'{' / '.join(dict.fromkeys(texts)) or label}' (cột {_letter(i)})")
    return unread


HEADER_SEARCH = 30  # rows: a decision's table has its title block above the header


def _header_row(rows: list[tuple[Any, ...]], p: Path) -> tuple[int, int, list[str]]:
    """The header's first and last row (their numbers, from 1) and its labels: the first of the
    sheet's first rows with every required header, in any column order; the title block above
    it is not read.
    A second header row under it (the header merged down; sub-columns under a group header such
    as 'Điểm') and the columns' numbers ('(1) (2) …', '1 2 3 …') under that are part of it."""
    required = [_label(h) for h in HEADERS[:8]]
    known = {_label(h) for h in HEADERS}
    best: tuple[int, int, list[str]] = (0, 0, [])  # headers found, row, labels
    for r, row in enumerate(rows[:HEADER_SEARCH], start=1):
        first = r
        labels = [_label(v) for v in row]
        below = [_label(v) for v in rows[r]] if r < len(rows) else []
        pairs = list(zip_longest(labels, below, fillvalue=""))
        # a second header row: the header merged down, sub-columns under a group heading (under
        # 'Điểm': 'Tối đa' is 'Điểm tối đa'; others, under the group's merged cells, are not read)
        sub = [f"{h} {b}" if h and b and _names_header(f"{h} {b}", known) else b for h, b in pairs]
        second = any(_names_header(s, known) for s in sub if s) and all(
            _names_header(s, known) or b == h or not h for (h, b), s in zip(pairs, sub, strict=True) if b)
        if second and any(_names_header(h, known) for h in labels):
            labels, r = [s or h for (h, _), s in zip(pairs, sub, strict=True)], r + 1
        labels = _aliased(labels)
        found = sum(h in labels for h in required)
        if found == len(required) or _is_outline(labels):
            return first, r + (r < len(rows) and _column_numbers(rows[r])), labels
        if found > best[0]:
            best = (found, r, labels)
    found, r, labels = best
    if found >= 2:  # a header row with columns missing or misspelled
        wanted = HEADERS[:8] if _grouped(labels) else OUTLINE
        missing = [h for h in wanted if _label(h) not in labels]
        raise FrameworkError([f"trang '{TABLE}' dòng {r} thiếu cột: {', '.join(missing)}"], str(p))
    raise FrameworkError(
        [f"trang '{TABLE}': không thấy dòng tiêu đề trong {HEADER_SEARCH} dòng đầu — cần một dòng có đủ "
         f"các ô {', '.join(HEADERS[:8])}; hoặc, với bảng đánh số thứ tự I, 1, 1.1 trong một cột như bảng "
         f"của quyết định, các ô STT (hay Mã), Nội dung, Điểm tối đa. Thứ tự cột tùy ý; các dòng phía trên "
         "như tên cơ quan, tên văn bản được bỏ qua"],
        str(p),
    )


OUTLINE = ("Mã", "Nội dung", "Điểm tối đa")  # an outline table's columns: codes I, 1, 1.1 in one column
_ALIASES = {  # a decision's words for these columns (taken where the row lacks parxl's own)
    "stt": "Mã", "tt": "Mã", "số tt": "Mã", "số thứ tự": "Mã",
    "lĩnh vực/tiêu chí/tiêu chí thành phần": "Nội dung", "lĩnh vực,tiêu chí,tiêu chí thành phần": "Nội dung",
    "tiêu chí/tiêu chí thành phần": "Nội dung", "tiêu chí,tiêu chí thành phần": "Nội dung",
    "nội dung đánh giá": "Nội dung", "nội dung tiêu chí": "Nội dung",
    "thang điểm": "Điểm tối đa", "điểm chuẩn": "Điểm tối đa",
    "hướng dẫn chấm": "Hướng dẫn", "hướng dẫn chấm điểm": "Hướng dẫn", "phương pháp chấm": "Hướng dẫn",
    "phương pháp chấm điểm": "Hướng dẫn", "phương pháp đánh giá": "Hướng dẫn", "cách thức đánh giá": "Hướng dẫn",
    "tài liệu minh chứng": "Tài liệu kiểm chứng", "hồ sơ,tài liệu kiểm chứng": "Tài liệu kiểm chứng",
    "tài liệu kiểm chứng/minh chứng": "Tài liệu kiểm chứng",
}


def _alias_key(label: str) -> str:
    return re.sub(r"\s*([/,])\s*", r"\1", label)  # 'Lĩnh vực / Tiêu chí' as 'lĩnh vực/tiêu chí'


def _names_header(label: str, known: set[str]) -> bool:
    """A label of one of parxl's headers, or a decision's word for one ('STT', 'Thang điểm')."""
    return label in known or _alias_key(label) in _ALIASES


def _aliased(labels: list[str]) -> list[str]:
    """Header labels with a decision's words ('STT', 'Lĩnh vực/Tiêu chí/Tiêu chí thành phần',
    'Thang điểm', 'Phương pháp chấm', 'Tài liệu minh chứng') taken for parxl's ('Mã', 'Nội dung',
    'Điểm tối đa', 'Hướng dẫn', 'Tài liệu kiểm chứng'), unless the row has both."""
    out = list(labels)
    for i, label in enumerate(labels):
        canon = _ALIASES.get(_alias_key(label))
        if canon is not None and _label(canon) not in out:
            out[i] = _label(canon)
    return out


def _grouped(labels: list[str]) -> bool:
    """A header with parxl's domain or criterion column (not an outline table)."""
    return bool({_label("Lĩnh vực"), _label("Tiêu chí")} & set(labels))


def _is_outline(labels: list[str]) -> bool:
    """The header of an outline table: code, content and points, no domain or criterion column."""
    return all(_label(h) in labels for h in OUTLINE) and not _grouped(labels)


def _numbers(row: tuple[Any, ...]) -> list[int] | None:
    """The numbers of a row of three or more column numbers ('(1) (2) (3) …', '1 2 3 …'), or None."""
    cells = [cell_text(v).strip() for v in row if cell_text(v).strip()]
    numbers = [int(m[1] or m[2]) for c in cells if (m := re.fullmatch(r"\((\d+)\)|(\d+)", c))]
    return numbers if len(numbers) == len(cells) >= 3 else None


def _column_numbers(row: tuple[Any, ...]) -> bool:
    """A decision's row numbering the columns under the header: '(1) (2) (3) …' or '1 2 3 …',
    increasing, nothing else in it."""
    numbers = _numbers(row)
    return numbers is not None and numbers == sorted(set(numbers))


def _row_labels(row: tuple[Any, ...]) -> tuple[str, ...]:
    """A row's cells as compared (see _label), without the empty cells at its end."""
    labels = [_label(v) for v in row]
    while labels and not labels[-1]:
        labels.pop()
    return tuple(labels)


_TOTAL = re.compile(
    r"(?:tổng cộng|tổng số điểm|tổng số|tổng điểm|tổng|cộng)(?: tối đa)?"
    r"(?P<domain> lĩnh vực(?: (?P<code>[^\s:.]+))?)?\s*(?:\(.*\))?[:.]?",
    re.IGNORECASE,
)


def _total_row(row: tuple[Any, ...], col: dict[str, int]) -> tuple[str, str | None, Any] | None:
    """A decision's total row ('TỔNG CỘNG', 'Tổng điểm': the framework's points) or a domain's
    ('Cộng lĩnh vực 1', or 'Cộng' beside the domain's code): its label, the domain's code (None:
    the whole table; '': the domain of the rows above) and its 'Điểm tối đa'. None for any other
    row: one with anything but the label and the domain in the columns read (a criterion, a
    code, a name, a scoring method) is an item."""
    labels = {
        i: m
        for i, v in enumerate(row)
        if isinstance(v, str) and (m := _TOTAL.fullmatch(" ".join(unicodedata.normalize("NFC", v).split())))
    }
    points, domain = col["Điểm tối đa"], col["Lĩnh vực"]
    others = {
        i for i in col.values() if i not in labels and i != points and i < len(row) and cell_text(row[i]).strip()
    }
    if not labels or len({m[0].casefold() for m in labels.values()}) > 1 or others - {domain, col["Tên lĩnh vực"]}:
        return None
    if others and domain not in others:  # a domain's name without its code
        return None
    i, m = next(iter(labels.items()))
    typed = cell_text(row[domain]).strip() if domain in others else ""
    typed = _domain_code(typed)
    dom = None if m["domain"] is None and not typed else (m["code"] or typed)
    return cell_text(row[i]).strip(), dom, row[points] if points < len(row) else None


def _domain_code(text: str) -> str:
    """A 'Lĩnh vực' cell's code: 'Thưởng' and 'Trừ' (any case, spacing) as BONUS and PENALTY."""
    return {_label(BONUS): BONUS, _label(PENALTY): PENALTY}.get(_label(text), text)


_ITEM_ONLY = ("Mã", "Nội dung", "Cách chấm", "Tham số", "Đánh giá bởi", "Đơn vị chủ trì", "Tài liệu kiểm chứng",
              "Hướng dẫn")


def _heading_row(get: Any) -> tuple[tuple[str, ...], str] | None:
    """A domain's or a criterion's own row, above its items: its code (and name, points) and
    nothing of an item. ``((domain,), name)`` or ``((domain, criterion), name)``; None otherwise.
    The domain may be 'Thưởng' or 'Trừ': the bonus or penalty items' own row."""
    if any(cell_text(get(h)).strip() for h in _ITEM_ONLY):
        return None
    dcode, ccode = cell_text(get("Lĩnh vực")).strip(), cell_text(get("Tiêu chí")).strip()
    if not dcode:
        return None
    part = _domain_code(dcode)
    if part in (BONUS, PENALTY):  # the bonus or penalty part's own row: its points are the cap or their sum
        return (part,), cell_text(get("Tên lĩnh vực")).strip()
    if ccode:
        return (dcode, ccode), cell_text(get("Tên tiêu chí")).strip()
    return (dcode,), cell_text(get("Tên lĩnh vực")).strip()


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(text: str) -> int | None:
    """A Roman numeral as decisions number their domains (I … XX), else None."""
    t = text.strip().upper()
    if not t or any(c not in _ROMAN for c in t):
        return None
    n = sum(-_ROMAN[c] if i + 1 < len(t) and _ROMAN[c] < _ROMAN[t[i + 1]] else _ROMAN[c] for i, c in enumerate(t))
    return n if n > 0 and _to_roman(n) == t else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


ANY = "*"  # in the set of what rows not read leave out: every domain, or every criterion of one


def _left_out(dcode: str, ccode: str) -> set[Any]:
    """What a row not read leaves out of the sums, from the codes it gives (``""``: not given)."""
    if not dcode:
        return {ANY}
    return {dcode, (dcode, ccode or ANY)}


def _missing_rows(target: Target, unread: set[Any]) -> bool:
    """Whether a row not read may belong to the total row's domain or criterion (None: the whole
    framework)."""
    if not unread:
        return False
    if ANY in unread or target is None:
        return True
    if isinstance(target, tuple):
        return target in unread or (target[0], ANY) in unread
    return target in unread


def _total_problems(
    totals: list[tuple[int, str, Target, float]], groups: dict[Target, list[dict[str, Any]]], cap: Any, points: int
) -> list[str]:
    """A decision's total, domain and criterion rows checked against the maxima of its items
    (which decide): the total may leave the bonus cap out, the bonus rows' total may be the cap.
    Nothing is said where a maximum is not a number (that item is reported)."""
    sums = {code: sum_known([written_max(i) for i in items]) for code, items in groups.items()}
    bonus = written_max({"max": cap}) if groups[BONUS] else 0.0
    problems = []
    for r, label, dom, number in totals:
        where = f"trang '{TABLE}' dòng {r}, ô {_letter(points)}{r} ('Điểm tối đa'): dòng '{label}' ghi {pts(number)} điểm"
        fix = "; kiểm tra lại điểm tối đa của các mục và số ở dòng này"
        if isinstance(dom, str) and dom not in sums and str(_roman(dom)) in sums:
            dom = str(_roman(dom))  # 'Cộng lĩnh vực II' in a table whose domains are numbered 1, 2, …
        if isinstance(dom, tuple) and dom not in sums:
            problems.append(f"{where} nhưng bảng không có mục nào của tiêu chí {dom[1]}; ghi các mục của tiêu chí "
                            "bên dưới dòng này")
            continue
        if dom is not None and dom not in sums:
            problems.append(f"{where} nhưng bảng không có lĩnh vực mã {dom}; ghi mã lĩnh vực như ở cột 'Lĩnh vực'")
            continue
        note = ""  # the other number the row may give
        if dom is None:
            own = sum_known([v for code, v in sums.items() if isinstance(code, str) and code not in (BONUS, PENALTY)])
            what = "điểm tối đa các lĩnh vực"
            also = None if own is None or not bonus else own + bonus  # with the bonus cap
            if also is not None:
                note = f" ({pts(also)} điểm với {pts(bonus or 0)} điểm thưởng tối đa)"
        else:
            own, also = sums[dom], bonus if dom == BONUS else None  # the bonus rows: or the cap
            what = (f"các mục của tiêu chí {dom[1]}" if isinstance(dom, tuple) else
                    {BONUS: "các mục thưởng", PENALTY: "các mục trừ"}.get(dom, f"các mục của lĩnh vực {dom}"))
            if also is not None:
                note = f" (giới hạn điểm thưởng {pts(also)})"
        if own is None or abs(own - number) <= SUM_TOLERANCE or (also is not None and abs(also - number) <= SUM_TOLERANCE):
            continue
        problems.append(f"{where} nhưng {what} cộng lại {pts(own)} điểm{note}{fix}")
    return problems


_CLOSING = re.compile(r"nơi nhận|ghi chú|(tm|kt|q)\.|(phó )?chủ tịch")


def _closing_line(row: tuple[Any, ...], code: int) -> bool:
    """A line of the notes and signature block under a decision's table ('Ghi chú: …', 'Nơi
    nhận:', '- Như trên;', 'KT. CHỦ TỊCH', the signer's name): one or two texts, none in the
    'Mã' column; the block begins with one of the words in _CLOSING."""
    cells = [(i, v) for i, v in enumerate(row) if cell_text(v).strip()]
    return len(cells) <= 2 and all(isinstance(v, str) and i != code for i, v in cells)


def _reading_order(problem: str) -> tuple[int, int]:
    """Problems as the table reads: 'Thông tin' first, then row by row (stable within a row)."""
    if problem.startswith(f"trang '{INFO}'"):
        return (0, 0)
    row = re.match(rf"trang '{TABLE}' dòng (\d+)", problem)
    return (1, int(row.group(1))) if row else (2, 0)


def _letter(index: int) -> str:
    return str(openpyxl.utils.get_column_letter(index + 1))


_PATH = re.compile(r"(?:domains\[\d+\](?:\.criteria\[\d+\])?|bonus|penalties)(?:\.items\[\d+\])?")
_FIELD_HEADER = {
    "code": "Mã",
    "name": "Nội dung",
    "max": "Điểm tối đa",
    "rule": "Tham số",
    "scorer": "Đánh giá bởi",
    "office": "Đơn vị chủ trì",
    "evidence": "Tài liệu kiểm chứng",
    "guidance": "Hướng dẫn",
    "hidden": "Ẩn",
}
_GROUP_HEADER = {  # a domain's and a criterion's own cells
    ("domain", "code"): "Lĩnh vực",
    ("domain", "name"): "Tên lĩnh vực",
    ("criterion", "code"): "Tiêu chí",
    ("criterion", "name"): "Tên tiêu chí",
}


def _locate(
    problem: str, where: dict[str, tuple[int, str]], col: dict[str, int], info_rows: dict[str, int]
) -> str:
    """Turn a YAML path into the table's sheet, row and cell (also inside the message)."""
    head, sep, message = problem.partition(": ")
    head = head.split(" (")[0]  # '(mục 1.1.2)': the row says it
    if head in ("bonus.cap", "$.id", "$.name", "$.level", "$.version", "$.total"):
        key = "bonus_cap" if head == "bonus.cap" else head[2:]
        label = dict(INFO_KEYS)[key]
        row = info_rows.get(key)
        place = f"ô B{row} ('{label}')" if row else f"thiếu dòng '{label}'"
        return f"trang '{INFO}', {place}: {message}"
    m = _PATH.match(head)
    if not m or m.group(0) not in where:
        return problem
    row, what = where[m.group(0)]
    field = head[m.end() :].lstrip(".").split(".")[0]
    if ".items[" in m.group(0):
        header = "Cách chấm" if head.endswith("rule.kind") else _FIELD_HEADER.get(field)
    else:
        header = _GROUP_HEADER.get(("criterion" if ".criteria[" in m.group(0) else "domain", field))
    loc = f"trang '{TABLE}' dòng {row}" + (f" ({what})" if what else "")
    if header in col:
        loc += f", ô {_letter(col[header])}{row} ('{header}')"

    def row_of(other: re.Match[str]) -> str:
        found = where.get(other.group(0))
        return f"dòng {found[0]}" if found else other.group(0)

    return loc + sep + _PATH.sub(row_of, message)


_SECTION = re.compile(r"(?:[a-zđ]\s*[.)]\s*)?(?:phần\s+)?(điểm thưởng|điểm cộng|điểm trừ)\b")
_STEP = ("-", "+", "*", "•", "–")  # a line of scoring steps, not of a name
_BULLETS = {*"abcdđeghiklmnopqrstuvxy", *_STEP}  # a, b, c … or a dash: the criterion's next item
_SYNTH = ("Lĩnh vực", "Tên lĩnh vực", "Tiêu chí", "Tên tiêu chí", "Hướng dẫn")


_JOINED = re.compile(
    r"(?:(?i:lĩnh vực|phần|tiêu chí)\s+)?(?P<code>(?:[IVXL]+|\d+(?:\.\d+)*(?!\.?\d))(?:\s*[.):/–-]|\s)|[a-zđ]\s*[.)])\s*"
    r"(?P<name>\S.*)")


def _joined(text: str) -> tuple[str, str] | None:
    """A heading typed in one cell merged across the number and content columns (how decisions
    print a domain, the bonus part, the total): 'I. CÔNG TÁC CHỈ ĐẠO' as ('I', 'CÔNG TÁC CHỈ
    ĐẠO'), 'TỔNG CỘNG' and 'ĐIỂM THƯỞNG' as a content without a number; None for anything else
    (a number alone, or a text the reader reports)."""
    text = " ".join(text.split())
    label = _label(text)
    if _TOTAL.fullmatch(label) or _SECTION.match(label):
        return "", text
    m = _JOINED.fullmatch(text)
    if m is None or (m["code"].strip(" .):/–-").isupper() and _roman(m["code"].strip(" .):/–-")) is None):
        return None
    return m["code"].strip(" :/–-"), m["name"]


def _outline(
    rows: list[tuple[Any, ...]], head_row: int, header: list[str], repeated: set[tuple[str, ...]],
    merged: set[tuple[int, int]],
) -> tuple[list[tuple[Any, ...]], list[str], dict[int, int], list[str]]:
    """An outline table (a decision's usual print: one 'STT' column numbering domains I, II …,
    criteria 1, 2 … and sub-criteria 1.1, 1.2 … or a, b …; or 1, 1.1, 1.1.1) rewritten as parxl's
    own rows, so one reader checks both: domain and criterion rows become heading rows, each
    sub-criterion gets its domain, criterion and full code (II › 1 › 1.2 is 2.1.2; a criterion
    without sub-criteria is its own one item, coded <criterion>.1), lines without a number under
    an item (the scoring steps a decision prints) go to its 'Hướng dẫn', the 'Điểm thưởng' and
    'Điểm trừ' parts to the bonus and penalty items (coded T.1, T.2 … and Đ.1, Đ.2 …).
    A row whose number is merged down from the row above continues that row: a Word table pasted
    into Excel puts each line of a cell on a row of its own and merges the other cells down
    (``merged``: the cells given their value by a merge); its new text is read as a line
    without a number.
    Returns the rows, the header with the columns added, where to show an added column (the
    code's) and the problems found."""
    added = [h for h in _SYNTH if _label(h) not in header]
    header = header + [_label(h) for h in added]
    at = {h: header.index(_label(h)) for h in (*OUTLINE, *_SYNTH)}
    shown = {at[h]: at["Mã"] for h in added}
    out: list[tuple[Any, ...]] = list(rows[:head_row])
    table: list[list[Any]] = [list(r) + [None] * (len(header) - len(r)) for r in rows[head_row:]]
    problems: list[str] = []
    roman: bool | None = None  # domains numbered I, II … (criteria then 1, 2 …) or 1, 2 …
    in_full: bool | None = None  # under domains I, II …: criteria numbered in full (1.1; items 1.1.1)
    domain: str | None = None  # its code, or BONUS / PENALTY in those parts
    crit: list[Any] | None = None  # the criterion's row (a list: rewritten in place)
    items: list[list[Any]] = []  # the current criterion's (or part's) item rows
    notes: list[tuple[int, list[Any]]] = []  # lines without a number under the criterion's own row
    counts = {BONUS: 0, PENALTY: 0}
    seen: dict[str, int] = {}  # item code -> its row
    heading: list[Any] | None = None  # the domain, criterion or part row just read (no item since)
    closed = False

    def where(r: int, i: int, text: str) -> str:
        return f"trang '{TABLE}' dòng {r}, ô {_letter(i)}{r} ('{text}')"

    def end_criterion() -> None:
        nonlocal crit
        if crit is not None and not items:  # scored as a whole: its own item, the lines under it its guidance
            crit[at["Mã"]], crit[at["Nội dung"]] = f"{crit[at['Tiêu chí']]}.1", crit[at["Tên tiêu chí"]]
            for _, line in notes:
                note(crit, line)
        elif crit is not None:
            problems.extend(
                f"trang '{TABLE}' dòng {r}: dòng không có số thứ tự nằm giữa tiêu chí {crit[at['Tiêu chí']]} và "
                "mục đầu tiên của nó; ghi nội dung này vào cột 'Hướng dẫn' của một mục, hoặc xoá dòng"
                for r, _ in notes)
        crit = None
        items.clear()
        notes.clear()

    def note(target: list[Any], row: list[Any]) -> None:
        """A line without a number added to the row above it: its text and points to 'Hướng dẫn',
        any other column to the same column."""
        line = cell_text(row[at["Nội dung"]]).strip()
        points = row[at["Điểm tối đa"]]
        if cell_text(points).strip():
            number = _typed_number(points)
            shown_pts = pts(number) if isinstance(number, int | float) else cell_text(points).strip()
            line = f"{line}: {shown_pts} điểm" if line else f"{shown_pts} điểm"
        adds = [(at["Hướng dẫn"], line)] if line else []
        adds += [(i, cell_text(v).strip()) for i, v in enumerate(row)
                 if i not in (at["Mã"], at["Nội dung"], at["Điểm tối đa"]) and cell_text(v).strip()]
        for i, text in adds:  # one after the other: the line's own guidance cell after its text
            before = cell_text(target[i]).strip()
            target[i] = f"{before}\n{text}" if before else text

    for r, row in enumerate(table, start=head_row + 1):
        if closed or _row_labels(tuple(row)) in repeated or _numbers(tuple(row)) is not None:
            continue  # (the header repeated: as printed, its merged cells included)
        more = (r, at["Mã"] + 1) in merged  # a line of the row above: only its own cells are new
        if more:
            row[:] = [None if (r, i + 1) in merged else v for i, v in enumerate(row)]
        texts = [cell_text(v).strip() for v in row]
        if not any(texts):
            continue
        if not more and texts[at["Mã"]] and not texts[at["Nội dung"]]:  # 'I. CÔNG TÁC …' in one cell
            joined = _joined(texts[at["Mã"]])
            if joined is not None:
                row[at["Mã"]], row[at["Nội dung"]] = joined
                texts[at["Mã"]], texts[at["Nội dung"]] = joined
        raw = row[at["Mã"]]
        code = texts[at["Mã"]].rstrip(".)").strip()
        name = texts[at["Nội dung"]]
        lead = next(i for i, t in enumerate(texts) if t)
        if more and heading is not None and name and not name.startswith(_STEP) and texts.count("") == len(texts) - 1:
            key = "Tên tiêu chí" if heading[at["Tiêu chí"]] else "Tên lĩnh vực"  # a heading's name goes on
            heading[at[key]] = f"{cell_text(heading[at[key]]).strip()} {name}"
            row[:] = [None] * len(row)
            continue
        if not more and not code and _closing_line(tuple(row), at["Mã"]) and _CLOSING.match(_label(row[lead])):
            closed = True
            continue
        if not more and not code and any(_TOTAL.fullmatch(" ".join(t.split())) for t in texts if t):
            continue  # a total row: read as in any table
        part = _SECTION.match(_label(name))
        kind = (BONUS if part.group(1) != "điểm trừ" else PENALTY) if part else None
        if not more and kind is not None and kind != domain and (not code or _roman(code) or code.isdigit()):
            end_criterion()
            domain, heading = kind, row
            row[at["Lĩnh vực"]], row[at["Tên lĩnh vực"]] = domain, name
            row[at["Mã"]] = row[at["Nội dung"]] = None
            continue
        if isinstance(raw, date):  # Excel turned the code into a date: the reader reports it
            row[at["Lĩnh vực"]], row[at["Tiêu chí"]] = domain, crit[at["Tiêu chí"]] if crit else None
            continue
        if not code:  # a line of the item above (its scoring steps)
            if items:
                note(items[-1], row)
            elif crit is not None:
                notes.append((r, list(row)))
            else:
                problems.append(
                    f"{where(r, lead, texts[lead])}: dòng không có số thứ tự nằm trên mọi tiêu chí và mục; ghi số "
                    "thứ tự nếu là một lĩnh vực, tiêu chí hay mục, hoặc xoá dòng")
            row[:] = [None] * len(row)
            continue
        parts = code.split(".")
        numbered = all(p.isdigit() for p in parts)
        numeral = _roman(code) if code.isupper() else None  # 'I', 'II' (lowercase i, v, x: bullets)
        heading = None
        if domain in (BONUS, PENALTY) and not (roman and numeral):
            counts[domain] += 1
            row[at["Lĩnh vực"]], row[at["Mã"]] = domain, f"{'T' if domain == BONUS else 'Đ'}.{counts[domain]}"
            items.append(row)
            continue
        if roman is None:
            roman = numeral is not None
        level: str | None = None
        full = code  # the full code: domains I, II … number criteria 1, 2 … and items 1.1 … within them
        if roman and numeral:
            level = "domain"
        elif numbered and len(parts) <= 3:
            if roman and in_full is None:  # the first criterion under domain I says: '1' or '1.1'
                in_full = len(parts) > 1 and parts[0] == domain
            relative = bool(roman and not in_full and len(parts) < 3)
            depth = len(parts) + relative
            level = (None, "domain", "criterion", "item")[depth]
            full = f"{domain}.{code}" if relative else code
        elif code in _BULLETS:
            level = "bullet"
        if level is None:
            problems.append(
                f"{where(r, at['Mã'], code)}: số thứ tự không đọc được — lĩnh vực ghi "
                f"{'I, II, III …' if roman else '1, 2, 3 …'}, tiêu chí {'1, 2 …' if roman else '1.1, 1.2 …'}, "
                f"tiêu chí thành phần {'1.1, 1.2 …' if roman else '1.1.1, 1.1.2 …'} hoặc a, b, c …")
            row[:] = [None] * len(row)
            continue
        if level == "domain":
            end_criterion()
            domain, heading = str(numeral) if roman else code, row
            row[at["Lĩnh vực"]], row[at["Tên lĩnh vực"]] = domain, name
            row[at["Mã"]] = row[at["Nội dung"]] = None
            continue
        if domain is None or (level != "criterion" and crit is None):
            above = "lĩnh vực" if domain is None else "tiêu chí"
            problems.append(f"{where(r, at['Mã'], code)}: mục không nằm dưới {above} nào; ghi dòng {above} ở trên")
            row[:] = [None] * len(row)
            continue
        if level == "criterion":
            end_criterion()
            if not full.startswith(domain + "."):
                problems.append(f"{where(r, at['Mã'], code)}: tiêu chí không thuộc lĩnh vực {domain} ở trên; "
                                "sửa số thứ tự")
                row[:] = [None] * len(row)
                continue
            crit = heading = row
            row[at["Lĩnh vực"]], row[at["Tiêu chí"]], row[at["Tên tiêu chí"]] = domain, full, name
            row[at["Mã"]] = row[at["Nội dung"]] = None
            continue
        assert crit is not None
        ccode = crit[at["Tiêu chí"]]
        if level == "bullet":
            full = f"{ccode}.{len(items) + 1}"
        elif not full.startswith(ccode + "."):
            problems.append(f"{where(r, at['Mã'], code)}: mục không thuộc tiêu chí {ccode} ở trên; sửa số thứ tự")
            row[:] = [None] * len(row)
            continue
        if isinstance(raw, float) and full in seen:
            problems.append(
                f"{where(r, at['Mã'], code)}: là số {code}, trùng số thứ tự ở dòng {seen[full]} — Excel đổi số thứ "
                "tự gõ như 1.10 thành số 1.1; đặt định dạng ô là Văn bản (Text) rồi gõ lại")
            row[:] = [None] * len(row)
            continue
        if full in seen:  # said here, with the number as typed ('1.2'), not the full code ('1.1.2')
            problems.append(f"{where(r, at['Mã'], code)}: số thứ tự trùng với dòng {seen[full]} (cả hai là mục "
                            f"{full}); sửa số thứ tự cho đúng")
            row[:] = [None] * len(row)
            continue
        seen[full] = r
        row[at["Lĩnh vực"]], row[at["Tiêu chí"]], row[at["Mã"]] = domain, ccode, full
        items.append(row)
    end_criterion()
    return [*out, *(tuple(r) for r in table)], header, shown, problems


def _slug(text: str) -> str:
    """An id from a file name: ASCII letters and digits, lowercase, joined by '-'."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "-".join(re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode().lower())) or "bo-tieu-chi"


def _word_table(p: Path) -> tuple[list[tuple[Any, ...]], set[tuple[int, int]], list[tuple[int, int]]]:
    """The framework's table in a Word file, as the rows Excel makes of it when it is pasted in:
    each line of a cell on a row of its own, the row's one-line cells merged down over them.
    The table is the first one with a header row parxl reads, and the tables right after it
    with as many columns (a table the author split, with its header repeated or not). Returns
    the rows, the merged cells (see :func:`_sheet_rows`) and, for each row, the Word table and
    row it comes from (numbers from 1)."""
    import docx

    try:
        if not p.exists():  # python-docx says "Package not found"
            raise FileNotFoundError(p)
        document = docx.Document(str(p))
    except FileNotFoundError:
        raise FrameworkError(["không tìm thấy tệp"], str(p), unread=True) from None
    except Exception:  # python-docx raises many types for a file that is not .docx
        raise FrameworkError(["không đọc được tệp Word: cần tệp .docx (tệp .doc hay .pdf: mở bằng Word rồi lưu "
                              "dạng Word Document .docx)"], str(p)) from None
    tables = document.tables
    for first, table in enumerate(tables):
        rows, merged, lines = _pasted(table, first + 1)
        try:
            _header_row(rows, p)
        except FrameworkError:
            continue
        width = len(table.columns)
        for number, more in enumerate(tables[first + 1:], start=first + 2):
            if len(more.columns) != width:
                break
            extra, extra_merged, extra_lines = _pasted(more, number)
            merged |= {(r + len(rows), c) for r, c in extra_merged}
            rows, lines = rows + extra, lines + extra_lines
        return rows, merged, lines
    raise FrameworkError(
        [f"không thấy bảng bộ tiêu chí trong tệp Word ({len(tables)} bảng) — cần một bảng có dòng tiêu "
         f"đề gồm các ô STT (hay Mã), Nội dung, Điểm tối đa, hoặc các ô {', '.join(HEADERS[:8])}"], str(p))


def _pasted(table: Any, number: int) -> tuple[list[tuple[Any, ...]], set[tuple[int, int]], list[tuple[int, int]]]:
    """One Word table as Excel pastes it (see :func:`_word_table`)."""
    rows: list[tuple[Any, ...]] = []
    merged: set[tuple[int, int]] = set()
    lines: list[tuple[int, int]] = []
    above: list[Any] = []
    for word_row, tr in enumerate(table.rows, start=1):
        cells = list(tr.cells)
        texts: list[list[str] | None] = []  # a cell's lines; None: merged from the left or from above
        for i, cell in enumerate(cells):
            if (i and cell._tc is cells[i - 1]._tc) or (i < len(above) and cell._tc is above[i]._tc):
                texts.append(None)
            else:
                own = [" ".join(t.split()) for t in cell.text.split("\n") if t.strip()]
                if i + 1 < len(cells) and cells[i + 1]._tc is cell._tc and own:  # a heading across columns
                    own = [" ".join(own)]
                texts.append(own)
        height = max([len(t) for t in texts if t] + [1])
        for k in range(height):
            row: list[Any] = []
            for i, t in enumerate(texts):
                down = i < len(above) and cells[i]._tc is above[i]._tc
                if t is not None and len(t) > 1:
                    row.append(t[k] if k < len(t) else None)
                elif down or (k and t is not None):  # one line: merged down over the others
                    row.append(rows[-1][i] if rows else None)
                    merged.add((len(rows) + 1, i + 1))
                else:
                    row.append(t[0] if t else None)
            rows.append(tuple(row))
            lines.append((number, word_row))
        above = cells
    return rows, merged, lines


def _word_place(problem: str, lines: list[tuple[int, int]]) -> str:
    """A problem at a row and cell of the table as read ('trang 'Bộ tiêu chí' dòng 12, ô C12') told
    at the Word table's row and column ('bảng 2, dòng 9, cột 3')."""

    def row(m: re.Match[str]) -> str:
        n = int(m[2])
        if not 0 < n <= len(lines):
            return m[0]
        table, word_row = lines[n - 1]
        return f"bảng {table}, dòng {word_row}" if m[1] else f"dòng {word_row} (bảng {table})"

    problem = re.sub(rf"(trang '{TABLE}' )?dòng (\d+)", row, problem)
    problem = re.sub(r"(?:ô|cột) ([A-Z]+)(?:\d+|(?=\)))", lambda m: f"cột {openpyxl.utils.column_index_from_string(m[1])}",
                     problem)
    return problem.replace(f"trang '{TABLE}'", "bảng bộ tiêu chí")
