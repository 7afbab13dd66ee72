"""A small streaming .xlsx writer for big plain tables (tens of thousands of rows x 100 columns).

openpyxl spends ~10 µs per cell even in write-only mode; a province workbook has millions of
cells. This writer emits the sheet XML directly (about 7x faster), streamed into the zip so
memory stays flat, with only what the tables need: a title row, a styled header row, frozen
panes, column widths, number formats (0.00, 0.00%), landscape fit-to-width printing with the
header repeated. Strings are inline strings (``t="inlineStr"``): text is never a formula, and
characters XML 1.0 forbids are dropped. Fixed zip timestamps: same tables, same bytes.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parxl.workbook.layout import col_letter
from parxl.workbook.save import FIXED_ISO, FIXED_ZIP_TIME, atomic_write_bytes

GENERAL, HEADER, TITLE, POINTS, PERCENT = 0, 1, 2, 3, 4
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Times New Roman"/><family val="1"/></font>
<font><b/><sz val="13"/><name val="Times New Roman"/><family val="1"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E78"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">\
<alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


_SPECIAL = re.compile(r"[&<>\"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(v: str) -> str:
    if _SPECIAL.search(v) is None:  # most texts: nothing to drop or escape (translate costs 1 µs each)
        return v
    if _ILLEGAL.search(v):
        v = _ILLEGAL.sub("", v)
    return v.translate(_ESC)


@dataclass
class Table:
    name: str  # sheet name (at most 31 characters)
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()
    formats: Sequence[int] = ()  # per column: GENERAL, POINTS or PERCENT


_STYLE = ("", f' s="{HEADER}"', f' s="{TITLE}"', f' s="{POINTS}"', f' s="{PERCENT}"')
_INF = (math.inf, -math.inf)


def _cell(ref: str, v: Any, style: int) -> str:
    tv = type(v)
    if tv is float:
        if v != v or v in _INF:
            return ""
        return f'<c r="{ref}"{_STYLE[style]}><v>{v!r}</v></c>'
    if tv is str:
        if not v:
            return ""
        return f'<c r="{ref}"{_STYLE[style]} t="inlineStr"><is><t xml:space="preserve">{text(v)}</t></is></c>'
    if v is None:
        return ""
    if tv is bool:
        return f'<c r="{ref}" t="inlineStr"><is><t>Có</t></is></c>' if v else ""
    if tv is int:
        return f'<c r="{ref}"{_STYLE[style]}><v>{v}</v></c>'
    if hasattr(v, "item"):  # numpy scalars
        return _cell(ref, v.item(), style)
    if isinstance(v, bool):
        return _cell(ref, bool(v), style)
    for kind in (str, float, int):
        if isinstance(v, kind):
            return _cell(ref, kind(v), style)
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return _cell(ref, str(v), style)


def _sheet(fh: IO[bytes], t: Table) -> None:
    n = len(t.headers)
    letters = [col_letter(j) for j in range(max(n, 1))]
    last = letters[n - 1] if n else "A"
    w = fh.write
    w(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    w(f'<dimension ref="A1:{last}3"/>'.encode())
    w(b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" '
      b'state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if t.widths:
        w(b"<cols>" + "".join(f'<col min="{j + 1}" max="{j + 1}" width="{wd}" customWidth="1"/>'
                               for j, wd in enumerate(t.widths)).encode() + b"</cols>")
    w(b"<sheetData>")
    w(f'<row r="1">{_cell("A1", t.title, TITLE)}</row>'.encode())
    head_row = 3
    cells = "".join(f'<c r="{letters[j]}{head_row}" s="{HEADER}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{text(h)}</t></is></c>" for j, h in enumerate(t.headers))
    w(f'<row r="{head_row}" ht="45" customHeight="1">{cells}</row>'.encode())
    fmts = list(t.formats) + [GENERAL] * (n - len(t.formats))
    r = head_row + 1
    chunk: list[str] = []
    opens = [f'<c r="{c}' for c in letters]
    styles = [_STYLE[f] for f in fmts]
    for row in t.rows:
        rs = str(r)
        parts = [f'<row r="{rs}">']
        for j, v in enumerate(row):
            if type(v) is float:  # the common cell, inline
                if v == v and v not in _INF:
                    parts.append(f'{opens[j]}{rs}"{styles[j]}><v>{v!r}</v></c>')
            elif v is not None:
                parts.append(_cell(f"{letters[j]}{rs}", v, fmts[j]))
        parts.append("</row>")
        chunk.append("".join(parts))
        r += 1
        if len(chunk) >= 500:
            w("".join(chunk).encode("utf-8"))
            chunk.clear()
    w("".join(chunk).encode("utf-8"))
    w(b"</sheetData>")
    w(b'<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
      b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')


def write_tables(path: str | Path, tables: Sequence[Table], *, title: str = "") -> None:
    """One sheet per table; written to a buffer file, then renamed (atomic)."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        def put(name: str, data: str) -> None:
            z.writestr(_info(name), data.encode("utf-8"))

        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                         f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                         for i in range(1, len(tables) + 1))
        put("[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' + sheets + "</Types>")
        put("_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
        put("docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.'
            'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{text(title)}</dc:title><dc:creator>parxl</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_ISO}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_ISO}</dcterms:modified></cp:coreProperties>')
        names = "".join(f'<sheet name="{text(t.name[:31])}" sheetId="{i}" r:id="rId{i}"/>'
                        for i, t in enumerate(tables, start=1))
        titles = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"'{text(t.name[:31]).replace(chr(39), chr(39) * 2)}'!$3:$3</definedName>"
                         for i, t in enumerate(tables))
        put("xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships"><bookViews><workbookView/></bookViews><sheets>{names}</sheets>'
            + (f"<definedNames>{titles}</definedNames>" if titles else "") + "</workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(tables) + 1))
        n = len(tables) + 1
        put("xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{rels}<Relationship Id="rId{n}" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>")
        put("xl/styles.xml", STYLES)
        for i, t in enumerate(tables, start=1):
            with z.open(_info(f"xl/worksheets/sheet{i}.xml"), "w") as fh:
                _sheet(fh, t)
    atomic_write_bytes(path, buf.getvalue())


def _info(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.external_attr = 0o600 << 16
    return zi
