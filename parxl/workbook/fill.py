"""Write input values into a template, by item code (never by cell position)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl import Workbook

from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.inputs import (
    BODY,
    check_office,
    check_rows,
    check_summary,
    check_values,
    field_label,
    parse_values,
    value_text,
)
from parxl.workbook import layout as L
from parxl.workbook.build import fit_height, put_text
from parxl.workbook.read import read_return
from parxl.workbook.save import refuse_edited, save_workbook
from parxl.workbook.values import Key


def fill_values(
    template: str | Path,
    values: Mapping[tuple[str, str], Any],
    out: str | Path,
    lines: Mapping[tuple[str, str], int] | None = None,
    source: str = "",
    unread: Sequence[str] = (),
    notes: list[str] | None = None,
) -> int:
    """Check every value, then write them all into a copy of ``template``; returns the count.
    ``unread``: the lines of the values' file that could not be read, reported with the others.
    A consolidated workbook's scores table ('Kết quả') and checks ('Kiểm tra': "6.1.1 chưa xác
    định") no longer hold for the new values: the copy goes without them (the collect's own files
    keep them), and ``notes`` (if given) says so."""
    src = Path(template)
    if Path(out).resolve() == src.resolve():
        raise InputError(
            "tệp kết quả phải khác tệp mẫu (không ghi đè tệp đầu vào)", Location(file=str(out))
        )
    refuse_edited([Path(out)])  # values typed into an earlier output by hand are not written over
    ret = read_return(src)
    clean = check_values(ret.framework, values, source, lines, unread)
    check_rows(ret.framework, clean, ret.cells, str(src), lines)
    check_office(ret.framework, clean, ret.meta, str(src))
    wb = openpyxl.load_workbook(src)
    check_summary(clean, wb.sheetnames, str(src))
    count = write_values(wb, ret.cells, clean)
    if notes is not None:
        notes.extend(_replaced(ret.framework, ret.values, clean, src.name))
    # collect's sheets, made before these values (a user's own sheet of that name elsewhere is kept)
    consolidated = ret.meta.get("kind") == L.KIND_CONSOLIDATED
    stale = [name for name in (L.RESULTS, L.CHECKS) if consolidated and name in wb.sheetnames]
    for name in stale:
        del wb[name]
    if stale and notes is not None:
        notes.append(f"Bỏ trang {' và '.join(repr(n) for n in stale)} của lần tổng hợp (lập trước khi ghi các giá "
                     f"trị này; tệp tổng hợp vẫn giữ); điểm mới ở trang '{L.SUMMARY}', kiểm tra lại bằng parxl score.")
    save_workbook(wb, out)
    return count


def _replaced(fw: Framework, before: Mapping[Key, Any], after: Mapping[Key, Any], name: str) -> list[str]:
    """A note naming the values of the file that the new ones replace (an office's figure changed
    by the table): written as asked, and said, never changed silently."""
    changed = [k for k, v in after.items() if k in before and k[0] != BODY and not _same(before[k], v)]
    if not changed:
        return []
    shown = "; ".join(f"{k[0]} {field_label(fw.item_index.get(k[0]), k[1])}: {value_text(fw, k, before[k])} → "
                      f"{value_text(fw, k, after[k])}" for k in changed[:10])
    more = f"; … và {len(changed) - 10} giá trị khác" if len(changed) > 10 else ""
    return [f"Thay {len(changed)} giá trị đã có trong '{name}': {shown}{more}."]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(a - b) <= 1e-12
    return bool(a == b)


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


def fill_csv(template: str | Path, csv_path: str | Path, out: str | Path, notes: list[str] | None = None) -> int:
    values, lines, unread = parse_values(csv_path)  # every problem at once: the values of the other lines too
    return fill_values(template, values, out, lines, str(csv_path), unread, notes)
