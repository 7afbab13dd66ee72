"""Write cells straight into a workbook's XML, as a user saving in Excel would: for tests and benchmarks.

``fill_return`` puts values into a distributed workbook by item code (thousands of returns in
seconds, where openpyxl needs a second each); ``patch_cells`` edits any cell, which is how the
tests simulate offices that overwrite locked cells or type formulas into input cells.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from parxl.workbook import layout as L
from parxl.workbook.fastread import package_of, read_raw
from parxl.workbook.save import FIXED_ZIP_TIME, atomic_write_bytes


class Formula(str):
    """A formula to write (text without the leading '='), with an optional cached value."""

    cached: Any = None


def formula(text: str, cached: Any = None) -> Formula:
    f = Formula(text.lstrip("="))
    f.cached = cached
    return f


_LITERAL_X = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # \r too, as Excel writes it


def excel_text(text: str) -> str:
    """Text as Excel stores it: a literal "_x0041_" escaped, control characters as _xHHHH_."""
    text = _LITERAL_X.sub("_x005F_", text)
    return escape(_CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text))


def _cell_xml(ref: str, style: str, value: Any) -> bytes:
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>'.encode()
    if isinstance(value, Formula):
        cached = value.cached
        if cached is None:
            return f'<c r="{ref}"{s}><f>{escape(str(value))}</f></c>'.encode()
        if isinstance(cached, str):
            return f'<c r="{ref}"{s} t="str"><f>{escape(str(value))}</f><v>{escape(cached)}</v></c>'.encode()
        return f'<c r="{ref}"{s}><f>{escape(str(value))}</f><v>{cached!r}</v></c>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'.encode()
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{excel_text(str(value))}</t></is></c>'.encode()


_STYLE = re.compile(rb'\bs="(\d+)"')


def patch_bytes(raw: bytes, cells: Mapping[tuple[str, str], Any]) -> bytes:
    """The package ``raw`` with the given cells ``{(sheet, "H12"): value}`` replaced."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    names = dict(package_of(zipfile.ZipFile(io.BytesIO(raw)), Path("<memory>")).sheets)
    by_part: dict[str, dict[str, Any]] = {}
    for (sheet, ref), value in cells.items():
        by_part.setdefault(names[sheet], {})[ref] = value
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in by_part:
                data = _patch_sheet(data, by_part[info.filename])
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data, compresslevel=6)
    return out.getvalue()


_ANY_CELL = re.compile(rb'<c r="([A-Z]{1,3}\d+)"([^>/]*)(?:/>|>(?:[^<]*(?:<(?!/c>)[^<]*)*)</c>)')


def _patch_sheet(data: bytes, cells: dict[str, Any]) -> bytes:
    todo = dict(cells)

    def swap(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in todo:
            return m.group(0)
        sm = _STYLE.search(m.group(2))
        return _cell_xml(ref, sm.group(1).decode() if sm else "", todo.pop(ref))

    data = _ANY_CELL.sub(swap, data)
    for ref, value in todo.items():
        # no such cell yet: append it to its row (creating the row if needed)
        col = re.match(r"[A-Z]+", ref)
        assert col is not None
        row = ref[col.end():]
        rm = re.search(rb'<row r="' + row.encode() + rb'"[^>]*?(/>|>)', data)
        new = _cell_xml(ref, "", value)
        if rm is None:
            end = data.index(b"</sheetData>")
            data = data[:end] + f'<row r="{row}">'.encode() + new + b"</row>" + data[end:]
        elif rm.group(1) == b"/>":
            data = data[: rm.start()] + f'<row r="{row}">'.encode() + new + b"</row>" + data[rm.end():]
        else:
            close = data.index(b"</row>", rm.end())
            data = data[:close] + new + data[close:]
    return data


def patch_cells(src: str | Path, out: str | Path, cells: Mapping[tuple[str, str], Any]) -> Path:
    atomic_write_bytes(out, patch_bytes(Path(src).read_bytes(), cells))
    return Path(out)


def value_cells(src: str | Path, values: Mapping[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    """``{(code, field): value}`` -> ``{(sheet, ref): value}`` for a parxl workbook, by item code."""
    from parxl.workbook.fastread import framework_for

    p = Path(src)
    raw = read_raw(p, str(p))
    fw = framework_for(raw.framework_key, None, str(p))
    rows = {r.code: r for r in raw.rows}
    cells: dict[tuple[str, str], Any] = {}
    for (code, name), value in values.items():
        row = rows[code]
        cells[(row.sheet, row.refs[L.input_columns(fw.item_index[code])[name]])] = value
    return cells


def fill_return(src: str | Path, out: str | Path, values: Mapping[tuple[str, str], Any],
                extra: Mapping[tuple[str, str], Any] | None = None) -> Path:
    """Copy ``src`` to ``out`` with input values written by item code (and any extra cells)."""
    cells = value_cells(src, values)
    cells.update(extra or {})
    return patch_cells(src, out, cells)
