"""Write input values into a template, by item code (never by cell position)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook

from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.inputs import BODY, check_values, read_values
from parxl.workbook import layout as L
from parxl.workbook.build import fit_height, put_text
from parxl.workbook.read import read_return
from parxl.workbook.save import save_workbook
from parxl.workbook.values import Key


def fill_values(
    template: str | Path,
    values: Mapping[tuple[str, str], Any],
    out: str | Path,
    lines: Mapping[tuple[str, str], int] | None = None,
    source: str = "",
) -> int:
    """Check every value, then write them all into a copy of ``template``; returns the count."""
    src = Path(template)
    if Path(out).resolve() == src.resolve():
        raise InputError(
            "tệp kết quả phải khác tệp mẫu (không ghi đè tệp đầu vào)", Location(file=str(out))
        )
    ret = read_return(src)
    clean = check_values(ret.framework, values, source, lines)
    _check_rows(ret.framework, clean, ret.cells, str(src), lines)
    _check_office(ret.framework, clean, ret.meta, str(src))
    wb = openpyxl.load_workbook(src)
    if L.SUMMARY not in wb.sheetnames and any(code == BODY for code, _ in clean):
        raise InputError(f"thiếu trang '{L.SUMMARY}' (trang bị xoá hoặc đổi tên) — không ghi được tên "
                         "cơ quan, năm đánh giá; không có gì được ghi", Location(file=str(src), sheet=L.SUMMARY))
    count = write_values(wb, ret.cells, clean)
    save_workbook(wb, out)
    return count


def write_values(wb: Workbook, cells: Mapping[Key, tuple[str, str]], values: Mapping[Key, Any]) -> int:
    """Write checked values at their cells (``cells``: (code, field) -> (sheet, ref); the body's
    name and year go to the summary sheet); text stays text, even "=HYPERLINK(...)"; rows grow as
    tall as their evidence and explanations. Returns the count written."""
    texts: set[tuple[str, int]] = set()
    for (code, name), value in values.items():
        if code == BODY:
            put_text(wb[L.SUMMARY], "C2" if name == "name" else "C3", str(value))
            continue
        sheet, ref = cells[(code, name)]
        if isinstance(value, str):
            put_text(wb[sheet], ref, value)
            texts.add((sheet, wb[sheet][ref].row))
        else:
            wb[sheet][ref].value = value
    for sheet, row in sorted(texts):
        fit_height(wb[sheet], row)
    return len(values)


def _check_office(fw: Framework, clean: Mapping[tuple[str, str], Any], meta: Mapping[str, str],
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


def _check_rows(
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


def fill_csv(template: str | Path, csv_path: str | Path, out: str | Path) -> int:
    values, lines = read_values(csv_path)
    return fill_values(template, values, out, lines, str(csv_path))
