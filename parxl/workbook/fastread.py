"""Reading returned workbooks fast and safely: bounded zip parts, a small regex XML scanner.

A return is untrusted, and there may be ten thousand of them, so this reader does the least
work that is still exact: it inflates only the parts it needs (through
:func:`parxl.workbook.safety.read_part`, which refuses bombs and DTDs), finds the sheets by name
in ``xl/workbook.xml``, the columns by their header text in row 4 and the items by their code
in column "Mã" (never by fixed positions), and decodes only the cells it uses. No DTD is ever
processed: the scanner knows only the five predefined XML entities and character references,
so entity bombs and external entities cannot expand (and are refused before scanning).

Formula cells are read as their cached value with the formula text kept aside; the checks
report them, and nothing read here is ever written back as a formula.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from parxl.errors import Location, WorkbookError
from parxl.framework.model import Framework
from parxl.numbers import cell_text
from parxl.workbook import layout as L
from parxl.workbook.safety import DEFAULT_LIMITS, Limits, ReturnRejected, open_zip, read_part
from parxl.workbook.values import missing_sheet, parse_embedded, sheets_to_read

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", re.S)
_RPH = re.compile(rb"<rPh\b.*?</rPh>", re.S)
# inner text by an unrolled loop (runs of [^<] at C speed), not a lazy .*? stepping per byte
_INNER = rb"([^<]*(?:<(?!/c>)[^<]*)*)"
_INNER_P = rb"([^<]*+(?:<(?!/c>)[^<]*+)*+)"  # the same, possessive
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>/]*)(?:/>|>' + _INNER + rb"</c>)")
_CELL_ANY = re.compile(rb"<c\b([^>]*?)(?:/>|>" + _INNER + rb"</c>)")
_NO_R = re.compile(rb'<c(?:>| (?!r="))')  # a cell whose first attribute is not r
_ROW = re.compile(rb"<row\b([^>]*)>|</row>")
_AFTER_ROW_4 = re.compile(rb'<row r="(?:[5-9]|[1-9]\d+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_STYLE_ATTR = re.compile(rb'\bs="(\d+)"')
_F = re.compile(rb"<f(?:\s[^>]*)?>(.*?)</f>|<f(?:\s[^>]*)?/>", re.S)
_IS = re.compile(rb"<is>(.*?)</is>", re.S)
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _cells_have_refs(data: bytes) -> bool:
    """Every cell's first attribute is its reference ``r`` (as Excel, LibreOffice and openpyxl
    write them): the regular expressions can then find cells by column."""
    return _NO_R.search(data) is None


INPUT_COLS = L.INPUT_KEYS
COMPUTED_COLS = L.COMPUTED_KEYS


@functools.cache
def _fragment_parser() -> Any:
    """lxml, imported when an entity must be decoded: the open-book path of xlwings Lite (Pyodide)
    runs the checks without it."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class CellError(str):
    """An Excel error value such as ``#REF!`` (kept apart from text typed by users)."""


@dataclass(slots=True, frozen=True)
class RawCell:
    value: Any
    formula: str | None = None  # formula text if the cell holds a formula
    date: bool = False  # a number shown as a date or time (Excel turned "2/3" into 2 March)


class Refs:
    """Column key -> cell reference ("H12") of one row, made on demand."""

    __slots__ = ("letters", "row")

    def __init__(self, letters: dict[str, str], row: int) -> None:
        self.letters = letters
        self.row = row

    def __getitem__(self, key: str) -> str:
        return f"{self.letters[key]}{self.row}"

    def __contains__(self, key: object) -> bool:
        return key in self.letters

    def get(self, key: str, default: str = "") -> str:
        return self[key] if key in self.letters else default


@dataclass(slots=True)
class ItemRow:
    sheet: str
    row: int
    code: str
    office: Any
    max: Any
    inputs: dict[str, RawCell]
    refs: Refs
    lost_formulas: list[str]  # computed columns whose formula is gone


@dataclass
class RawReturn:
    """Everything a collect needs from one file, picklable and small."""

    path: str
    meta: dict[str, str]
    fingerprint_ok: bool
    framework_key: str  # sha1 of the embedded framework text, to share one parsed Framework
    framework_json: str | None  # set the first time a process sees this framework
    rows: list[ItemRow] = field(default_factory=list)
    body: str = ""
    year: str = ""
    extra_codes: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, code)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (sheet made, its name now)


def _unescape(raw: bytes) -> str:
    if b"&" in raw:
        from lxml import etree

        try:  # C speed; safe: no DTD can be declared inside this fragment
            text = etree.fromstring(b"<t>" + raw + b"</t>", _fragment_parser()).text or ""
        except etree.XMLSyntaxError:
            text = html.unescape(raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n"))
    else:
        text = raw.decode("utf-8", errors="replace")
        if "\r" in text:  # XML line-end normalisation, as any XML parser does
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "_x" in text:
        text = _XESC.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _rich_text(inner: bytes) -> str:
    if b"<rPh" in inner:
        inner = _RPH.sub(b"", inner)
    parts = _T.findall(inner)
    if len(parts) == 1:
        return _unescape(parts[0])
    return "".join(_unescape(p) for p in parts)


class SharedStrings:
    """The shared string table, decoded lazily (a return uses a few dozen of its strings)."""

    def __init__(self, data: bytes | None) -> None:
        self.raw: list[bytes] = []
        if data:
            self.raw = [m or b"" for m in _SI.findall(data)]
        self.cache: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        text = self.cache.get(i)
        if text is None:
            text = _rich_text(self.raw[i])
            self.cache[i] = text
        return text


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(raw))


def cell_value(attrs: bytes, inner: bytes | None, sst: SharedStrings) -> RawCell:
    """Decode one ``<c>``: shared/inline strings, numbers, booleans, errors, formulas."""
    if not inner:
        return RawCell(None)
    i = attrs.find(b' t="')
    t = attrs[i + 4: attrs.index(b'"', i + 4)] if i >= 0 else b"n"
    formula: str | None = None
    if b"<f" not in inner:
        # the common shapes, without a regex: <v>1.5</v>, <is><t>text</t></is>
        if inner.startswith(b"<v>") and inner.endswith(b"</v>") and inner.count(b"<") == 2:
            v = inner[3:-4]
            if t == b"n" and v:
                try:
                    f = float(v)
                    return RawCell(int(f) if f.is_integer() and abs(f) < 1e15 else f)
                except ValueError:
                    return RawCell(CellError("#INVALID"))
            if t == b"s" and v:
                try:
                    return RawCell(sst[int(v)])
                except (ValueError, IndexError):
                    return RawCell(CellError("#INVALID"))
        elif t == b"inlineStr" and inner.startswith(b"<is><t") and inner.count(b"<") == 4:
            j = inner.find(b">", 6)
            return RawCell(_unescape(inner[j + 1: -9]) if inner.endswith(b"</t></is>") else _rich_text(inner))
    else:
        fm = _F.search(inner)
        formula = _unescape(fm.group(1)) if fm and fm.group(1) is not None else ""
    if t == b"inlineStr":
        im = _IS.search(inner)
        return RawCell(_rich_text(im.group(1)) if im else "", formula)
    vm = _V.search(inner)
    if vm is None or not vm.group(1):
        return RawCell(None, formula)
    v = vm.group(1)
    try:
        if t == b"s":
            return RawCell(sst[int(v)], formula)
        if t == b"n":
            f = float(v)
            return RawCell(int(f) if f.is_integer() and abs(f) < 1e15 else f, formula)
        if t == b"b":
            return RawCell(v.strip() == b"1", formula)
        if t == b"e":
            return RawCell(CellError(_unescape(v)), formula)
        return RawCell(_unescape(v), formula)  # "str", "d"
    except (ValueError, IndexError):
        return RawCell(CellError("#INVALID"), formula)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def iter_cells(data: bytes) -> list[tuple[str, int, bytes, bytes | None]]:
    """``(column letters, row, attrs, inner)`` of every cell, in document order."""
    if _cells_have_refs(data):
        return [(c.decode(), int(r), a, i) for c, r, a, i in _CELL.findall(data)]
    # cells without a leading r attribute: follow rows and columns by position
    out: list[tuple[str, int, bytes, bytes | None]] = []
    row, col = 0, -1
    pos = 0
    events = sorted(
        [(m.start(), "row", m) for m in _ROW.finditer(data)]
        + [(m.start(), "c", m) for m in _CELL_ANY.finditer(data)],
        key=lambda e: e[0],
    )
    for _, kind, m in events:
        if kind == "row":
            if m.group(0).startswith(b"</"):
                continue
            ra = _attrs(m.group(1))
            row = int(ra.get(b"r", str(row + 1).encode()))
            col = -1
            continue
        if m.start() < pos:
            continue
        ca = _attrs(m.group(1))
        ref = ca.get(b"r")
        if ref:
            rm = _REF.match(ref.decode("ascii", "replace"))
            if rm:
                col = _col_index(rm.group(1))
                row = int(rm.group(2))
        else:
            col += 1
        out.append((L.col_letter(col), row, m.group(1), m.group(2)))
    return out


@dataclass
class Package:
    zf: zipfile.ZipFile
    path: Path
    limits: Limits
    sheets: dict[str, str]  # sheet name -> part name
    sst: SharedStrings

    def sheet(self, name: str, head: int | None = None) -> bytes:
        return read_part(self.zf, self.sheets[name], self.path, self.limits, head)

    @cached_property
    def date_styles(self) -> frozenset[bytes]:
        """The style indexes (``s="…"`` of a cell) whose number format shows a date or time."""
        name = "xl/styles.xml"
        if name not in self.zf.NameToInfo:
            return frozenset()
        data = read_part(self.zf, name, self.path, self.limits)
        found = _DATE_STYLES.get(data)
        if found is None:
            codes = {a.get(b"numFmtId", b""): _unescape(a.get(b"formatCode", b""))
                     for a in (_attrs(m.group(1)) for m in _NUMFMT.finditer(data))}
            xfs = _CELLXFS.search(data)
            ids = [_attrs(m.group(1)).get(b"numFmtId", b"0") for m in _XF.finditer(xfs.group(1) if xfs else b"")]
            found = frozenset(str(i).encode() for i, fid in enumerate(ids)
                              if _is_date_format(int(fid) if fid.isdigit() else 0, codes.get(fid, "")))
            if len(_DATE_STYLES) < 100:
                _DATE_STYLES[data] = found
        return found


_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_CELLXFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_DATE_STYLES: dict[bytes, frozenset[bytes]] = {}
_FORMAT_TEXT = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')  # quoted text, [Red] / [$-409], escaped characters


def _is_date_format(fmt_id: int, code: str) -> bool:
    """Built-in date/time formats (14–22, 45–47) or a custom code with day, year, hour or second."""
    if 14 <= fmt_id <= 22 or 45 <= fmt_id <= 47:
        return True
    return bool(code) and re.search(r"[dDyYhHsS]", _FORMAT_TEXT.sub("", code)) is not None


def open_package(path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    return package_of(open_zip(path, limits), path, limits)


def package_of(zf: zipfile.ZipFile, path: Path, limits: Limits = DEFAULT_LIMITS) -> Package:
    """Sheets and shared strings of an opened package (closes it on failure)."""
    try:
        wb = read_part(zf, "xl/workbook.xml", path, limits)
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = read_part(zf, rels_name, path, limits) if rels_name in zf.NameToInfo else b""
        sst_name = next((n for n in ("xl/sharedStrings.xml", "xl/sharedstrings.xml") if n in zf.NameToInfo), None)
        sst = SharedStrings(read_part(zf, sst_name, path, limits) if sst_name else None)
        return Package(zf, path, limits, _sheet_parts(wb, rels), sst)
    except BaseException:
        zf.close()
        raise


def _sheet_parts(wb: bytes, rels: bytes) -> dict[str, str]:
    """Sheet name -> part name, memoised: returns of one template share both files byte for byte."""
    key = wb + b"\x00" + rels
    sheets = _SHEET_PARTS.get(key)
    if sheets is None:
        targets: dict[str, str] = {}
        for m in _REL.finditer(rels):
            a = _attrs(m.group(1))
            rid, target = a.get(b"Id", b"").decode(), a.get(b"Target", b"").decode()
            if target.startswith("/"):
                part = target.lstrip("/")
            else:
                part = str(PurePosixPath("xl") / target)
            # normalise "xl/worksheets/../x.xml"
            stack: list[str] = []
            for seg in part.split("/"):
                if seg == "..":
                    if stack:
                        stack.pop()
                elif seg and seg != ".":
                    stack.append(seg)
            targets[rid] = "/".join(stack)
        sheets = {}
        for m in _SHEET.finditer(wb):
            a = _attrs(m.group(1))
            name = _unescape(a.get(b"name", b""))
            rid = next((v.decode() for k, v in a.items() if k.endswith(b":id") or k == b"id"), "")
            if rid in targets:
                sheets[name] = targets[rid]
        if len(_SHEET_PARTS) < 1000:
            _SHEET_PARTS[key] = sheets
    return dict(sheets)


# framework text -> Framework, per process (a folder of returns shares one or two frameworks)
_FRAMEWORKS: dict[str, Framework] = {}
_KEYS: dict[str, str] = {}  # sha1 of the framework cells as stored -> sha1 of the framework text
_SENT: set[str] = set()


def framework_for(key: str, text: str | None, source: str) -> Framework:
    fw = _FRAMEWORKS.get(key)
    if fw is None:
        if text is None:
            raise WorkbookError("bộ tiêu chí chưa được đọc", Location(file=source, sheet=L.META))
        fw = _FRAMEWORKS[key] = parse_embedded(text, source)
    return fw


def read_meta(pkg: Package, display: str) -> tuple[dict[str, str], str, str]:
    """Metadata, the framework key and the framework text (decoded only when new)."""
    where = Location(file=display, sheet=L.META)
    if L.META not in pkg.sheets:
        raise WorkbookError("không phải biểu mẫu parxl (thiếu trang ẩn '_parxl')", where)
    data = pkg.sheet(L.META)
    rows: dict[int, dict[str, tuple[bytes, bytes | None]]] = {}
    for col, r, attrs, inner in iter_cells(data):
        if col in ("A", "B"):
            rows.setdefault(r, {})[col] = (attrs, inner)
    meta: dict[str, str] = {}
    fw_cells: list[tuple[bytes, bytes | None]] = []
    for r in sorted(rows):
        cells = rows[r]
        if "A" not in cells:
            continue
        key = _decoded(*cells["A"], pkg.sst)
        if key is None:
            continue
        key = str(key)
        b = cells.get("B")
        if key == "framework_json":
            if b is not None:
                fw_cells.append(b)
            continue
        meta[key] = "" if b is None else cell_text(_decoded(*b, pkg.sst))
    if meta.get("format") != L.TEMPLATE_FORMAT:
        raise WorkbookError("không phải biểu mẫu parxl (trang '_parxl' không hợp lệ)", where)
    # shared-string cells point into the table: key on the strings themselves
    h = hashlib.sha1()
    for attrs, inner in fw_cells:
        if b't="s"' in attrs:
            h.update(cell_text(cell_value(attrs, inner, pkg.sst).value).encode("utf-8"))
        else:
            h.update(attrs + b"\x00" + (inner or b""))
        h.update(b"\x01")
    raw_key = h.hexdigest()
    key = _KEYS.get(raw_key)
    if key is not None and key in _FRAMEWORKS:
        return meta, key, ""
    # the key of a framework is its text: the same framework saved by Excel or LibreOffice
    # (shared strings, other escapes) is the same framework
    text = "".join(cell_text(cell_value(a, i, pkg.sst).value) for a, i in fw_cells)
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if len(_KEYS) < 10_000:
        _KEYS[raw_key] = key
    return meta, key, text


_CELLS: dict[tuple[bytes, bytes], RawCell] = {}  # never mutated once made
_TEXTS: dict[tuple[bytes, bytes], str] = {}
_HEADERS: dict[bytes, dict[str, str]] = {}
_SHEET_PARTS: dict[bytes, dict[str, str]] = {}
_PATTERNS: dict[tuple[str, ...], re.Pattern[bytes]] = {}


def _cell_pattern(letters: tuple[str, ...], kind: str = "cells") -> re.Pattern[bytes]:
    """Cells of the given columns: "cells" (column, row, attrs, inner, and a fifth group set
    when a cell without a leading reference ``r`` is met: the caller must then follow cells by
    position), "formula" (column and row of the cells holding a formula) or "formula rows"
    (only their row numbers). Possessive quantifiers: nothing here needs backtracking."""
    key = (*letters, "=" + kind)
    pat = _PATTERNS.get(key)
    if pat is None:
        if all(len(c) == 1 for c in letters):
            alt = b"[" + "".join(letters).encode() + b"]"
        else:
            alt = b"(?:" + "|".join(sorted(letters, key=len, reverse=True)).encode() + b")"
        if kind == "formula":
            pat = re.compile(rb'<c r="(' + alt + rb')(\d++)"[^>/]*+>\s*+<f\b')
        elif kind == "formula rows":
            pat = re.compile(rb'<c r="' + alt + rb'(\d++)"[^>/]*+>\s*+<f\b')
        else:
            pat = re.compile(rb'<c(?: r="(' + alt + rb')(\d++)"([^>/]*+)(?:/>|>' + _INNER_P
                             + rb'</c>)|(>| (?!r=")))')
        _PATTERNS[key] = pat
    return pat


def _cell(cell: tuple[bytes, bytes], sst: SharedStrings) -> RawCell:
    """cell_value of an ``(attrs, inner)`` pair, memoised on the pair (codes, offices, maxima and
    most inputs repeat from one return to the next); shared strings and formulas are never
    memoised, so they are decoded each time."""
    c = _CELLS.get(cell)
    if c is None:
        attrs, inner = cell
        c = cell_value(attrs, inner, sst)
        if len(_CELLS) < 200_000 and b't="s"' not in attrs and b"<f" not in inner:
            _CELLS[cell] = c
    return c


def _decoded(attrs: bytes, inner: bytes | None, sst: SharedStrings) -> Any:
    return _cell((attrs, inner), sst).value if inner else None


def _text(cell: tuple[bytes, bytes], sst: SharedStrings) -> str:
    """A cell's text, stripped (codes: memoised like `_cell`)."""
    t = _TEXTS.get(cell)
    if t is None:
        t = cell_text(_cell(cell, sst).value).strip()
        if len(_TEXTS) < 200_000 and b't="s"' not in cell[0]:
            _TEXTS[cell] = t
    return t


def _header(data: bytes, sst: SharedStrings) -> dict[str, str] | None:
    """Column letter -> column key, from the header texts in row 4 (None: use the slow path)."""
    start = data.find(b'<row r="%d"' % L.HEADER_ROW)
    if start < 0:
        return None
    end = data.find(b"</row>", start)
    if end < 0:
        return None
    part = data[start:end]
    cached = _HEADERS.get(part)
    if cached is not None:
        return cached
    if not _cells_have_refs(part):
        return None
    head_text = {c.header: c.key for c in L.COLUMNS}
    header: dict[str, str] = {}
    for col, _r, attrs, inner in _CELL.findall(part):
        v = _decoded(attrs, inner, sst)
        if isinstance(v, str) and v.strip() in head_text:
            header[col.decode()] = head_text[v.strip()]
    if b't="s"' not in part and len(_HEADERS) < 1000:
        _HEADERS[part] = header
    return header


def _rows_by_number(cells: list[tuple[bytes, bytes, bytes, bytes, bytes]], wanted: dict[bytes, str]
                    ) -> dict[bytes, dict[str, tuple[bytes, bytes]]] | None:
    """Row number -> column key -> (attrs, inner) of the non-empty cells; None when a cell
    without a leading reference was met (its fifth group)."""
    by_row: dict[bytes, dict[str, tuple[bytes, bytes]]] = {}
    for col_b, r_b, attrs, inner, unreferenced in cells:
        if unreferenced:
            return None
        if inner:
            row = by_row.get(r_b)
            if row is None:
                row = by_row[r_b] = {}
            row[wanted[col_b]] = (attrs, inner)
    return by_row


def read_items(pkg: Package, sheet: str, display: str, skip_codes: frozenset[str],
               index: dict[str, Any], checks: bool = True) -> tuple[list[ItemRow], list[tuple[str, str, str]]]:
    """Item rows of one sheet, found by the code in column "Mã" and columns by header text;
    ``checks=False`` (scoring): only codes and inputs, none of what collect checks — the locked
    office and maximum cells, computed cells that lost their formula."""
    data = pkg.sheet(sheet)
    header = _header(data, pkg.sst)
    if header is None:
        header = {}
        for col, r, attrs, inner in iter_cells(data):
            if r == L.HEADER_ROW:
                v = cell_value(attrs, inner, pkg.sst).value
                head_text = {c.header: c.key for c in L.COLUMNS}
                if isinstance(v, str) and v.strip() in head_text:
                    header[col] = head_text[v.strip()]
    keys = set(header.values())
    need = {"code", *INPUT_COLS}
    missing = [c.header for c in L.COLUMNS if c.key in need and c.key not in keys]
    if missing:
        raise WorkbookError(
            f"thiếu cột {', '.join(repr(m) for m in missing)} ở dòng tiêu đề {L.HEADER_ROW}",
            Location(file=display, sheet=sheet))
    letters = {k: c for c, k in header.items()}
    wanted = {c.encode(): k for c, k in header.items()
              if k in ("code", *INPUT_COLS) or (checks and k in ("office", "max"))}
    computed = tuple(sorted(c for c, k in header.items() if k in COMPUTED_COLS))
    computed_keys = [k for k in COMPUTED_COLS if k in letters]
    letters_b = {k: c.encode() for k, c in letters.items()}
    # computed cells that hold a formula (all of them, unless someone overwrote one): counted
    # per row first; the cells themselves are listed only for a row that lacks some (a crafted
    # sheet repeating one formula cell could hide another's loss: harmless, nothing computed
    # is read, scoring recomputes it)
    with_formula: set[tuple[bytes, bytes]] = set()
    per_row: Counter[bytes] = Counter()
    by_row = _rows_by_number(_cell_pattern(tuple(sorted(c.decode() for c in wanted))).findall(data), wanted)
    fast = by_row is not None
    if by_row is not None:
        if computed and checks:
            per_row = Counter(_cell_pattern(computed, "formula rows").findall(data))
    else:  # some cell has no leading reference: follow rows and columns by position
        cells = []
        for col, r, attrs, inner in iter_cells(data):
            if col in computed:
                if inner and inner.lstrip().startswith(b"<f"):
                    with_formula.add((col.encode(), str(r).encode()))
                    per_row[str(r).encode()] += 1
            elif col.encode() in wanted:
                cells.append((col.encode(), str(r).encode(), attrs, inner or b"", b""))
        by_row = _rows_by_number(cells, wanted)
        assert by_row is not None
    for above in range(1, L.HEADER_ROW + 1):  # titles and headers: no item above the header row
        by_row.pop(str(above).encode(), None)
    sst = pkg.sst
    dates = pkg.date_styles if checks else frozenset()
    rows: list[ItemRow] = []
    extra: list[tuple[str, str, str]] = []
    code_col = letters["code"]
    memo = _CELLS  # inlined `_cell` hits: a sheet has hundreds of input cells
    computed_b = [(k, letters_b[k]) for k in computed_keys]
    for rb, cs in sorted(by_row.items(), key=lambda kv: int(kv[0])):
        code_cell = cs.get("code")
        if code_cell is None:
            continue
        code = _text(code_cell, sst)
        if not code or code in skip_codes:
            continue
        r = int(rb)
        if code not in index:
            if any(k in cs for k in ("max", *INPUT_COLS)):
                extra.append((sheet, f"{code_col}{r}", code))
            continue
        inputs = {k: memo.get(c) or _cell(c, sst) for k in INPUT_COLS if (c := cs.get(k)) is not None}
        if checks and dates:
            for k, (attrs, _inner) in ((k, cs[k]) for k in inputs):
                style = _STYLE_ATTR.search(attrs)
                if style and style.group(1) in dates and isinstance(inputs[k].value, int | float):
                    inputs[k] = RawCell(inputs[k].value, inputs[k].formula, date=True)
        office = _cell(c, sst).value if (c := cs.get("office")) is not None else None
        mx = _cell(c, sst).value if (c := cs.get("max")) is not None else None
        lost: list[str] = []
        if checks and per_row[rb] != len(computed_b):
            if fast and not with_formula:
                with_formula = set(_cell_pattern(computed, "formula").findall(data))
            lost = [k for k, col_b in computed_b if (col_b, rb) not in with_formula]
        rows.append(ItemRow(sheet, r, code, office, mx, inputs, Refs(letters, r), lost))
    return rows, extra


def read_summary(pkg: Package) -> tuple[str, str]:
    if L.SUMMARY not in pkg.sheets:
        return "", ""
    data = pkg.sheet(L.SUMMARY, head=16384)  # its first rows are all it needs
    cut = _AFTER_ROW_4.search(data)
    if cut is None:
        data = pkg.sheet(L.SUMMARY)
        cut = _AFTER_ROW_4.search(data)
    if cut is not None:
        data = data[:cut.start()]
    body = year = ""
    rows: dict[int, dict[str, Any]] = {}
    for col, r, attrs, inner in iter_cells(data):
        if r > 6:
            break
        if col in ("A", "C"):
            rows.setdefault(r, {})[col] = cell_value(attrs, inner, pkg.sst).value
    for cells in rows.values():
        label = cells.get("A")
        if label == "Cơ quan, đơn vị:":
            body = cell_text(cells.get("C")).strip()
        elif label == "Năm đánh giá:":
            year = cell_text(cells.get("C")).strip()
    return body, year


_GROUP_CODES: dict[str, frozenset[str]] = {}


def _group_codes(fw: Framework) -> frozenset[str]:
    """Codes in column "Mã" that are not items: criteria and domains."""
    codes = _GROUP_CODES.get(fw.fingerprint)
    if codes is None:
        codes = frozenset({c.code for c in fw.criteria} | {d.code for d in fw.domains}) - set(fw.item_index)
        _GROUP_CODES[fw.fingerprint] = codes
    return codes


def read_raw(path: Path, display: str, limits: Limits = DEFAULT_LIMITS, *, checks: bool = True) -> RawReturn:
    """Read one returned file; raises ReturnRejected / WorkbookError with a clear message.
    ``checks=False`` reads only what scoring needs (see :func:`read_items`)."""
    pkg = open_package(path, limits)
    try:
        meta, key, text = read_meta(pkg, display)
        fw_json: str | None = None
        if key not in _FRAMEWORKS:
            if hashlib.sha256(text.encode("utf-8")).hexdigest()[:16] != meta.get("fingerprint"):
                return RawReturn(display, meta, False, key, None)
            framework_for(key, text, display)
        if _FRAMEWORKS[key].fingerprint != meta.get("fingerprint"):
            return RawReturn(display, meta, False, key, None)
        ok = True
        if key not in _SENT:
            _SENT.add(key)
            fw_json = text or json.dumps(_FRAMEWORKS[key].to_dict(), ensure_ascii=False,
                                         sort_keys=True, separators=(",", ":"))
        fw = _FRAMEWORKS[key]
        out = RawReturn(display, meta, ok, key, fw_json)
        index = fw.item_index
        skip = _group_codes(fw)
        for sheet, actual in sheets_to_read(fw, list(pkg.sheets), display):
            try:
                rows, extra = read_items(pkg, actual, display, skip, index, checks)
            except WorkbookError:
                if actual == sheet:
                    raise
                raise missing_sheet(sheet, [actual], display) from None
            out.rows.extend(rows)
            out.extra_codes.extend(extra)
            if actual != sheet:
                out.renamed.append((sheet, actual))
        if "body" in meta and "year" in meta:  # distributed copies: fixed by the issuing office
            out.body, out.year = meta["body"], meta["year"]
        else:
            out.body, out.year = read_summary(pkg)
        return out
    except ReturnRejected:
        raise
    finally:
        pkg.zf.close()
