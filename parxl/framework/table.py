"""Frameworks as an Excel table ("Bộ tiêu chí"): staff receive frameworks as tables in decisions.

Sheet "Thông tin" holds the framework's id, name, level, version, note and bonus cap; sheet
"Bộ tiêu chí" has one row per scored item. Bonus items have "Thưởng" in the domain column,
penalty items "Trừ". Rule parameters are written in YAML flow style
(``{basis: counts, rounding: trunc}``). Import reports every problem with its sheet, cell
and item code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font, PatternFill

from parxl.errors import FrameworkError
from parxl.framework.load import from_dict
from parxl.framework.model import SCORERS, Framework, Item
from parxl.workbook.save import save_workbook

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
    ("bonus_cap", "Giới hạn điểm thưởng"),
)
_SCORER_BY_LABEL = {v.casefold(): k for k, v in SCORERS.items()}


def _params_text(item: Item) -> str:
    params = item.rule.params
    if not params:
        return ""
    return yaml.safe_dump(params, default_flow_style=True, allow_unicode=True, width=10**6).strip()


def export_table(fw: Framework, path: str | Path) -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    assert info is not None
    info.title = INFO
    values: dict[str, Any] = {**fw.to_dict(), "bonus_cap": fw.bonus_cap}
    for r, (key, label) in enumerate(INFO_KEYS, start=1):
        info.cell(r, 1, label).font = Font(bold=True)
        cell = info.cell(r, 2, values.get(key, ""))
        cell.data_type = "n" if key == "bonus_cap" else "s"
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


def import_table(path: str | Path) -> Framework:
    p = Path(path)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FrameworkError(["không tìm thấy tệp"], str(p)) from None
    except Exception:  # openpyxl raises many types for non-xlsx input
        raise FrameworkError(
            ["không đọc được bảng Excel: cần tệp .xlsx có trang 'Bộ tiêu chí' (tệp .csv, .xls hay tệp hỏng: mở "
             "bằng Excel rồi lưu dạng Excel Workbook .xlsx)"], str(p)
        ) from None
    problems: list[str] = []
    if TABLE not in wb.sheetnames:
        raise FrameworkError([f"thiếu trang '{TABLE}'"], str(p))
    data: dict[str, Any] = {"domains": []}
    if INFO in wb.sheetnames:
        labels = {label: key for key, label in INFO_KEYS}
        for row in wb[INFO].iter_rows(values_only=True):
            if row and row[0] in labels and len(row) > 1 and row[1] not in (None, ""):
                data[labels[str(row[0])]] = row[1]
    cap = data.pop("bonus_cap", None)
    rows = list(wb[TABLE].iter_rows(values_only=True))
    header = [str(h).strip() if h else "" for h in rows[0]] if rows else []
    missing = [h for h in HEADERS[:8] if h not in header]
    if missing:
        raise FrameworkError([f"trang '{TABLE}' thiếu cột: {', '.join(missing)}"], str(p))
    col = {h: header.index(h) for h in HEADERS if h in header}
    domains: dict[str, dict[str, Any]] = {}
    criteria: dict[tuple[str, str], dict[str, Any]] = {}
    bonus: list[dict[str, Any]] = []
    penalties: list[dict[str, Any]] = []
    where: dict[str, str] = {}
    for r, row in enumerate(rows[1:], start=2):

        def get(h: str, row: tuple[Any, ...] = row) -> Any:
            i = col.get(h)
            v = row[i] if i is not None and i < len(row) else None
            return v.strip() if isinstance(v, str) else v

        if all(v in (None, "") for v in row):
            continue
        code = str(get("Mã") or "")
        loc = f"trang '{TABLE}' dòng {r}" + (f" (mục {code})" if code else "")
        item: dict[str, Any] = {"code": code, "name": get("Nội dung"), "max": get("Điểm tối đa")}
        rule: dict[str, Any] = {"kind": get("Cách chấm") or "manual"}
        text = get("Tham số")
        if text:
            try:
                params = yaml.safe_load(str(text))
            except yaml.YAMLError:
                params = None
            if not isinstance(params, dict):
                problems.append(
                    f"{loc}, ô {_letter(col['Tham số'])}{r}: tham số phải có dạng {{khoá: giá trị}}"
                )
                params = {}
            rule.update(params)
        item["rule"] = rule
        scorer_label = str(get("Đánh giá bởi") or "")
        for key, h in (
            ("office", "Đơn vị chủ trì"),
            ("evidence", "Tài liệu kiểm chứng"),
            ("guidance", "Hướng dẫn"),
        ):
            if get(h):
                item[key] = str(get(h))
        if get("Ẩn"):
            item["hidden"] = True
        dcode = str(get("Lĩnh vực") or "")
        default_scorer = {BONUS: "bonus", PENALTY: "penalty"}.get(dcode, "self")
        item["scorer"] = _SCORER_BY_LABEL.get(
            scorer_label.casefold(), scorer_label or default_scorer
        )
        if dcode == BONUS:
            where[f"bonus.items[{len(bonus)}]"] = loc
            bonus.append(item)
            continue
        if dcode == PENALTY:
            where[f"penalties.items[{len(penalties)}]"] = loc
            penalties.append(item)
            continue
        if dcode not in domains:
            domains[dcode] = {"code": dcode, "name": get("Tên lĩnh vực"), "criteria": []}
            data["domains"].append(domains[dcode])
        ccode = str(get("Tiêu chí") or "")
        if (dcode, ccode) not in criteria:
            criteria[(dcode, ccode)] = {"code": ccode, "name": get("Tên tiêu chí"), "items": []}
            domains[dcode]["criteria"].append(criteria[(dcode, ccode)])
        d_i = list(domains).index(dcode)
        c_i = domains[dcode]["criteria"].index(criteria[(dcode, ccode)])
        where[f"domains[{d_i}].criteria[{c_i}].items[{len(criteria[(dcode, ccode)]['items'])}]"] = (
            loc
        )
        criteria[(dcode, ccode)]["items"].append(item)
    if bonus:
        data["bonus"] = {"cap": cap, "items": bonus}
    if penalties:
        data["penalties"] = {"items": penalties}
    try:
        fw = from_dict(data, str(p))
    except FrameworkError as exc:
        problems += [_locate(prob, where, col) for prob in exc.problems]
    if problems:
        raise FrameworkError(problems, str(p))
    return fw


def _letter(index: int) -> str:
    return str(openpyxl.utils.get_column_letter(index + 1))


_PATH = re.compile(
    r"^((?:domains\[\d+\]\.criteria\[\d+\]|bonus|penalties)\.items\[\d+\])\.(\w+)[^:]*:"
)
_FIELD_HEADER = {
    "code": "Mã",
    "name": "Nội dung",
    "max": "Điểm tối đa",
    "rule": "Tham số",
    "scorer": "Đánh giá bởi",
    "office": "Đơn vị chủ trì",
}


def _locate(problem: str, where: dict[str, str], col: dict[str, int]) -> str:
    """Turn a YAML path into the table's row and column."""
    m = _PATH.match(problem)
    if not m or m.group(1) not in where:
        return problem
    loc = where[m.group(1)]
    header = _FIELD_HEADER.get(m.group(2))
    if "rule.kind" in m.group(0):
        header = "Cách chấm"
    row = re.search(r"dòng (\d+)", loc)
    if header in col and row:
        loc += f", ô {_letter(col[header])}{row.group(1)} ('{header}')"
    return loc + ":" + problem[m.end() :]
