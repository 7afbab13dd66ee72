"""Write input values into a template, by item code (never by cell position)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl

from parxl.errors import InputError, Location
from parxl.inputs import BODY, check_values, read_values
from parxl.workbook import layout as L
from parxl.workbook.build import put_text
from parxl.workbook.read import read_return
from parxl.workbook.save import save_workbook


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
    wb = openpyxl.load_workbook(src)
    count = 0
    summary = wb[L.SUMMARY]
    for key, value in clean.items():
        code, name = key
        if code == BODY:
            ref = "C2" if name == "name" else "C3"
            put_text(summary, ref, str(value))
            count += 1
            continue
        sheet, ref = ret.cells[key]
        cell = wb[sheet][ref]
        if isinstance(value, str):
            put_text(wb[sheet], ref, value)
        else:
            cell.value = value
        count += 1
    save_workbook(wb, out)
    return count


def fill_csv(template: str | Path, csv_path: str | Path, out: str | Path) -> int:
    values, lines = read_values(csv_path)
    return fill_values(template, values, out, lines, str(csv_path))
