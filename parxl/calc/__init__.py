"""Headless recalculation of parxl workbooks with a real spreadsheet engine.

Two engines:

``"libreoffice"``
    a real LibreOffice Calc, one long-lived ``soffice --headless`` driven over UNO by a worker
    subprocess (:mod:`parxl.calc.libreoffice`). Rounds like Excel.
``"formulas"``
    the pure-Python ``formulas`` package (:mod:`parxl.calc.formulas_engine`), with parxl's
    Excel-exact ROUND/ROUNDDOWN/ROUNDUP/TRUNC (:mod:`parxl.xlmath`) registered over its
    own, and any UDFs given to :func:`register_functions`.

:func:`recalc` writes a copy of the source workbook that is **byte-for-byte the source except
for the cached values**: every formula cell (``<c>`` with an ``<f>`` child in each worksheet
part) gets the engine's result as its ``<v>`` with the matching cell type (number; ``t="str"``
text; ``t="b"`` boolean; ``t="e"`` error). Formulas, styles, validations, defined names, VBA
projects and everything else are kept untouched, so the result is what Excel itself would
save after a recalculation: ``openpyxl.load_workbook(dst, data_only=True)``, pandas/calamine
and file viewers see the values, Excel/LibreOffice still see the formulas (and recalculate on
load because openpyxl's ``fullCalcOnLoad`` stays set). The same writer is used for both
engines; LibreOffice's own xlsx export (which rewrites the whole file) is deliberately not used
(see :func:`parxl.calc.libreoffice.store`). ``openpyxl`` cannot write cached values for
formula cells, and ``formulas``' ``ExcelModel.write`` writes values only (no formulas, no
styles), hence this approach.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, get_args
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeET

from parxl.calc.libreoffice import libreoffice_available
from parxl.errors import EngineError, InputError, Location, WorkbookError, os_reason
from parxl.workbook.save import refuse_edited
from parxl.xlmath import xl_round, xl_rounddown, xl_roundup, xl_trunc

__all__ = [
    "Engine",
    "computed_values",
    "libreoffice_available",
    "recalc",
    "register_functions",
    "xl_round",
    "xl_rounddown",
    "xl_roundup",
    "xl_trunc",
]

Engine = Literal["libreoffice", "formulas"]
ENGINES: tuple[str, ...] = get_args(Engine)

TypedValue = tuple[str, Any]
_Typed = dict[str, dict[str, TypedValue]]

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# A <c> element (optionally namespace-prefixed), self-closing or with a body. Cell elements
# never nest and their bodies hold no raw '<' outside child tags, so this is exact for xlsx.
_CELL = re.compile(
    r"<(?P<p>(?:[A-Za-z_][\w.-]*:)?)c(?P<attrs>(?:\s[^>]*?)?)(?:/>|>(?P<body>.*?)</(?P=p)c>)",
    re.DOTALL,
)
_ADDR = re.compile(r"""(?<=\s)r\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d+)["']""")
_TATTR = re.compile(r"""\s+t\s*=\s*(?:"[^"]*"|'[^']*')""")


# --------------------------------------------------------------------------- xlsx parts
def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, absolute part name) for ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = SafeET.fromstring(zf.read(rels_name))
    except KeyError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        full = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(full))
    return out


def _sheet_parts(zf: zipfile.ZipFile, src: Path) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in workbook order; chartsheets are skipped."""
    try:
        book = next(
            (p for t, p in _root_rels(zf).values() if t.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        root = SafeET.fromstring(zf.read(book))
    except (KeyError, SafeET.ParseError, ValueError) as exc:
        raise WorkbookError(
            f"Không đọc được cấu trúc tệp Excel: {exc}", Location(file=str(src))
        ) from exc
    rels = _rels(zf, book)
    out: list[tuple[str, str]] = []
    for ns in (_NS_MAIN, _NS_STRICT):
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rid = sheet.get(f"{{{_NS_REL}}}id") or sheet.get(f"{{{_NS_REL_STRICT}}}id") or ""
            rtype, part = rels.get(rid, ("", ""))
            if part and rtype.endswith("/worksheet") and part in zf.namelist():
                out.append((sheet.get("name", ""), part))
    return out


def _root_rels(zf: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    try:
        root = SafeET.fromstring(zf.read("_rels/.rels"))
    except KeyError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        out[rel.get("Id", "")] = (rel.get("Type", ""), rel.get("Target", "").lstrip("/"))
    return out


def _formula_cells(xml: str) -> list[str]:
    """Addresses of the cells of a worksheet part that hold a formula (``<f>``)."""
    out = []
    for m in _CELL.finditer(xml):
        body = m["body"]
        if body and re.search(rf"<{re.escape(m['p'])}f[\s/>]", body):
            a = _ADDR.search(m["attrs"])
            if a:
                out.append(f"{a[1].upper()}{a[2]}")
    return out


def _number_text(x: float) -> str:
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _inject(xml: str, values: Mapping[str, TypedValue]) -> str:
    """``xml`` with each formula cell's cached value (``<v>`` and ``t``) set from ``values``."""

    def fix(m: re.Match[str]) -> str:
        body, p = m["body"], m["p"]
        if not body:
            return m[0]
        f = re.search(rf"<{re.escape(p)}f(?:\s[^>]*?)?(?:/>|>.*?</{re.escape(p)}f>)", body, re.S)
        a = _ADDR.search(m["attrs"])
        if f is None or a is None:
            return m[0]
        kind, value = values.get(f"{a[1].upper()}{a[2]}", ("z", None))
        if kind == "n":
            t, v = "", _number_text(float(value))
        elif kind == "b":
            t, v = ' t="b"', "1" if value else "0"
        elif kind == "e":
            t, v = ' t="e"', escape(str(value))
        elif kind == "s":
            t, v = ' t="str"', escape(str(value))
        else:
            t, v = "", None
        rest = re.sub(
            rf"<{re.escape(p)}v(?:\s[^>]*?)?(?:/>|>.*?</{re.escape(p)}v>)",
            "",
            body[f.end() :],
            flags=re.S,
        )
        new_v = "" if v is None else f"<{p}v>{v}</{p}v>"
        attrs = _TATTR.sub("", m["attrs"]) + t
        return f"<{p}c{attrs}>{body[: f.end()]}{new_v}{rest}</{p}c>"

    return _CELL.sub(fix, xml)


def _read_formula_cells(src: Path) -> list[tuple[str, list[str]]]:
    """[(sheet name, [formula cell addresses])] of the workbook ``src``."""
    try:
        with zipfile.ZipFile(src) as zf:
            return [
                (name, _formula_cells(zf.read(part).decode("utf-8")))
                for name, part in _sheet_parts(zf, src)
            ]
    except FileNotFoundError as exc:
        raise WorkbookError("Không tìm thấy tệp Excel.", Location(file=str(src))) from exc
    except OSError as exc:  # a folder given for the file, no permission, …
        raise WorkbookError(f"không đọc được tệp ({os_reason(exc)})", Location(file=str(src))) from exc
    except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise WorkbookError(
            "Tệp không phải là tệp Excel (.xlsx/.xlsm) hợp lệ (tệp hỏng hoặc định dạng khác)", Location(file=str(src))
        ) from exc


# --------------------------------------------------------------------------- engines
def _check_engine(engine: str, src: Path) -> None:
    if engine not in ENGINES:
        raise InputError(
            f"Không có bộ tính '{engine}'; chọn một trong: {', '.join(ENGINES)}.",
            Location(file=str(src)),
        )


def _check_functions(engine: str, src: Path) -> None:
    """LibreOffice cannot call parxl's PAR_* functions: a template of the UDF flavour would get
    #NAME? in every computed cell, so it is refused (its '_parxl' sheet says which flavour)."""
    from parxl.workbook.read import flavor_of

    if engine == "libreoffice" and flavor_of(src) == "udf":
        raise InputError(
            "biểu mẫu này tính điểm bằng các hàm PAR_… của parxl (tạo với --flavor udf); LibreOffice "
            "không chạy được các hàm này, mọi ô tính toán sẽ là #NAME?. Hãy dùng --engine formulas.",
            Location(file=str(src)),
        )


def _typed_values(src: Path, engine: Engine, sheets: list[str]) -> _Typed:
    _check_engine(engine, src)
    _check_functions(engine, src)
    if engine == "libreoffice":
        from parxl.calc import libreoffice

        return libreoffice.typed_values(src)
    from parxl.calc import formulas_engine

    return formulas_engine.typed_values(src, sheets)


def _plain(tv: TypedValue) -> object:
    kind, value = tv
    if kind == "n":
        return float(value)
    if kind == "b":
        return bool(value)
    if kind in ("s", "e"):
        return str(value)
    return None


def computed_values(src: Path, engine: Engine) -> dict[str, dict[str, object]]:
    """Recalculate ``src`` and return ``{sheet: {"M12": value}}`` for every formula cell.

    Values are float, str, bool or None (an empty result); Excel errors are strings such as
    ``"#VALUE!"``. Sheets without formulas map to ``{}``. ``src`` is never modified.
    """
    src = Path(src)
    _check_engine(engine, src)
    cells = _read_formula_cells(src)
    typed = _typed_values(src, engine, [name for name, _ in cells])
    out: dict[str, dict[str, object]] = {}
    for name, addrs in cells:
        got = typed.get(name, {})
        out[name] = {a: _plain(got.get(a, ("z", None))) for a in addrs}
    return out


def recalc(src: Path, dst: Path, engine: Engine) -> None:
    """Recalculate every formula of ``src`` and write it with cached values to ``dst``.

    ``dst`` is written atomically (a temporary file in its folder, then :func:`os.replace`)
    and is ``src`` with the cached values filled in (see the module docstring). ``src`` is
    never modified; ``dst`` must be another path.
    """
    src, dst = Path(src), Path(dst)
    _check_engine(engine, src)
    if dst.resolve() == src.resolve():
        raise InputError(
            "Tệp kết quả phải khác tệp nguồn (parxl không ghi đè tệp nguồn).",
            Location(file=str(src)),
        )
    refuse_edited([dst], copied_from=src)  # an earlier output someone edited (it keeps the source's save time)
    cells = _read_formula_cells(src)
    typed = _typed_values(src, engine, [name for name, _ in cells])
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(src) as zin:
            parts = {part: name for name, part in _sheet_parts(zin, src)}
            with zipfile.ZipFile(fh, "w") as zout:
                for info in zin.infolist():
                    data = zin.read(info)
                    if info.filename in parts:
                        values = typed.get(parts[info.filename], {})
                        data = _inject(data.decode("utf-8"), values).encode("utf-8")
                    zout.writestr(info, data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, dst)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise EngineError(
                f"Không ghi được tệp kết quả '{dst}': {exc}", Location(file=str(src))
            ) from exc
        raise


def register_functions(funcs: Mapping[str, Callable[..., Any]]) -> None:
    """Register extra Excel functions (by upper-case name, e.g. ``"PAR_SCORE"``) with the
    ``formulas`` engine, so workbooks using xlwings UDFs calculate headlessly.

    See :func:`parxl.calc.formulas_engine.register_functions` for the argument conversion.
    LibreOffice cannot call Python UDFs (such cells give ``#NAME?``): it refuses a template of
    the UDF flavour.
    """
    from parxl.calc import formulas_engine

    formulas_engine.register_functions(funcs)
