"""Recalculation in pure Python with the ``formulas`` package (PyPI, 1.3.x).

``formulas.ExcelModel().loads(path).finish()`` compiles every formula of a workbook into a
graph; ``calculate()`` returns a solution keyed like ``"'[file.xlsx]LĨNH VỰC 1'!B3"`` (book
name in brackets, sheet name UPPER-CASED, quotes doubled) with ``Ranges`` values. This module
maps those keys back to the workbook's real sheet names (given by the caller, matched
case-insensitively, which is safe: Excel sheet names are unique ignoring case).

Excel-exactness fixes: ``formulas`` implements ROUND as ``Decimal(abs(x)*10**d)`` rounded
half-up and ROUNDDOWN/ROUNDUP/TRUNC as ``floor``/``ceil`` of ``abs(x)*10**d``, on the binary
value: ROUND(1.005,2) = 1.0, ROUND(0.285,2) = 0.28, ROUND(0.145,2) = 0.14 and
ROUNDDOWN(0.29,2) = 0.28, where Excel gives 1.01, 0.29, 0.15 and 0.29. On import this module
registers :mod:`parxl.xlmath` (15 significant digits, then half away from zero) as
ROUND, ROUNDDOWN, ROUNDUP and TRUNC in ``formulas``' function table (process-wide; other users
of ``formulas`` in the same process get the Excel-exact versions too). Note that
``formulas.get_functions()`` is ``lru_cache``-d: a function must be put both in
``formulas.functions.FUNCTIONS`` and in the cached dict, which :func:`_install` does.

Speed: compiling a PAR workbook (~950 formulas) takes most of the time, so compiled models are
cached (up to 8, keyed by a hash of sheet names, formulas and defined names): a workbook with
the same formulas as one seen before (every return filled from one template) is calculated by
feeding its constant cells to the cached model as inputs (see :func:`_calculate`; about 3-4x
faster). :func:`register_functions` and :func:`clear_cache` empty the cache.

Other differences from Excel that remain (not fixed here): an unknown function gives #NAME?
as in Excel but a reference to an unknown name gives #REF! (Excel: #NAME?); ``a-b`` with
``a`` and ``b`` equal to 15 digits is not snapped to 0 as Excel and LibreOffice do (e.g.
``3*0.62-1.86`` gives -2.2e-16 here, 0 there).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import formulas
import formulas.excel
import formulas.functions
import numpy as np
import openpyxl
import openpyxl.utils.cell
import schedula as sh
from formulas.functions import wrap_ufunc
from formulas.tokens.operand import XlError

from parxl.errors import EngineError, Location
from parxl.xlmath import xl_round, xl_rounddown, xl_roundup, xl_trunc

__all__ = ["TypedValue", "clear_cache", "register_functions", "typed_values"]

TypedValue = tuple[str, Any]

_lock = threading.RLock()

_KEY = re.compile(
    r"^(?P<q>'?)\[(?P<book>[^\]]*)\](?P<sheet>.*)(?P=q)!"
    r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?$"
)


# --------------------------------------------------------------------------- functions
def _round_family() -> dict[str, Callable[..., Any]]:
    def rnd(x: float, d: float) -> float:
        return xl_round(x, int(d))

    def down(x: float, d: float) -> float:
        return xl_rounddown(x, int(d))

    def up(x: float, d: float) -> float:
        return xl_roundup(x, int(d))

    def trunc(x: float, d: float = 0) -> float:
        return xl_trunc(x, int(d))

    return {
        "ROUND": wrap_ufunc(rnd),
        "ROUNDDOWN": wrap_ufunc(down),
        "ROUNDUP": wrap_ufunc(up),
        "TRUNC": wrap_ufunc(trunc),
    }


def _install(funcs: Mapping[str, Callable[..., Any]]) -> None:
    """Put ``funcs`` in ``formulas``' table: the base dict and the (lru-cached) merged one."""
    formulas.functions.FUNCTIONS.update(funcs)
    formulas.functions.get_functions().update(funcs)


_install(_round_family())


def _to_python(v: Any) -> Any:
    """One cell value as xlwings would hand it to a UDF."""
    if v is sh.EMPTY:
        return None
    if isinstance(v, XlError):
        return str(v)  # its code, "#N/A": parxl's UDF arguments are read with err_to_str
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | float | np.integer | np.floating):
        return float(v)
    return v


def _udf_arg(a: Any) -> Any:
    """xlwings' default conversion: a cell -> scalar, a row/column -> list, else 2-D list."""
    if isinstance(a, formulas.Ranges):
        a = a.value
    if isinstance(a, np.ndarray):
        arr = np.asarray(a, dtype=object)
        if arr.ndim == 0 or arr.size == 1:
            return _to_python(arr.ravel()[0])
        if arr.ndim == 1:
            return [_to_python(x) for x in arr]
        if arr.shape[0] == 1 or arr.shape[1] == 1:
            return [_to_python(x) for x in arr.ravel()]
        return [[_to_python(x) for x in row] for row in arr]
    return _to_python(a)


def _udf_result(r: Any) -> Any:
    if r is None:
        return sh.EMPTY
    if isinstance(r, list | tuple):
        rows = [list(x) if isinstance(x, list | tuple) else [x] for x in r]
        if r and not isinstance(r[0], list | tuple):
            rows = [list(r)]  # a 1-D list is a row, as in xlwings
        return np.asarray(rows, dtype=object).view(formulas.functions.Array)
    if isinstance(r, bool):
        return r
    if isinstance(r, int | float):
        return float(r)
    return r


def _wrap_udf(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def udf(*args: Any) -> Any:
        try:
            return _udf_result(func(*(_udf_arg(a) for a in args)))
        except Exception:
            return formulas.functions.Error.errors["#VALUE!"]

    udf.__name__ = f"udf_{name}"
    udf.__doc__ = func.__doc__
    return udf


def register_functions(funcs: Mapping[str, Callable[..., Any]]) -> None:
    """Register Excel functions by upper-case name (also as ``_xludf.NAME``).

    Arguments are converted as xlwings' default converter does (a cell -> float/str/bool/None,
    a single row or column -> list, a block -> list of rows; empty cells -> None, cell errors ->
    their code "#N/A", as with xlwings' ``err_to_str``, which parxl's UDF arguments use);
    a returned list becomes a spilled array, ``None`` an empty value, and an exception
    ``#VALUE!``.
    """
    with _lock:
        for name, func in funcs.items():
            key = name.upper()
            if not re.fullmatch(r"[A-Z_][A-Z0-9_.]*", key):
                raise ValueError(f"not an Excel function name: {name!r}")
            wrapped = _wrap_udf(key, func)
            _install({key: wrapped, f"_XLUDF.{key}": wrapped})
        _cache.clear()  # compiled models hold the functions they were compiled with


# --------------------------------------------------------------------------- evaluation
class _QuietTqdm:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __enter__(self) -> _QuietTqdm:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def _quiet() -> Any:
    """Silence the progress bars ``formulas`` prints to stderr (only in its own module)."""
    saved = formulas.excel.__dict__.get("tqdm")
    formulas.excel.tqdm = SimpleNamespace(tqdm=_QuietTqdm)
    try:
        yield
    finally:
        formulas.excel.tqdm = saved


def _typed(v: Any) -> TypedValue:
    if isinstance(v, XlError):
        return ("e", str(v))
    if v is sh.EMPTY or v is None:
        return ("z", None)
    if isinstance(v, bool | np.bool_):
        return ("b", bool(v))
    if isinstance(v, int | float | np.integer | np.floating):
        f = float(v)
        if f != f or f in (float("inf"), float("-inf")):
            return ("e", "#NUM!")
        return ("n", f + 0.0)
    if isinstance(v, str):
        return ("s", v)
    return ("s", str(v))


def _col_index(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


def _col_name(n: int) -> str:
    name = ""
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def _cells_of(
    solution: Mapping[Any, Any], names: Mapping[str, str]
) -> Iterable[tuple[str, str, TypedValue, bool]]:
    for key, val in solution.items():
        if not isinstance(key, str):
            continue
        m = _KEY.match(key)
        if not m:
            continue
        sheet = names.get(m["sheet"].replace("''", "'").upper())
        if sheet is None:
            continue
        arr = np.asarray(getattr(val, "value", val), dtype=object)
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr.reshape(1, -1)
        c1, r1 = _col_index(m["c1"]), int(m["r1"])
        if m["c2"] is None:
            if arr.size:
                yield sheet, f"{m['c1']}{r1}", _typed(arr[0, 0]), True
            continue
        c2, r2 = _col_index(m["c2"]), int(m["r2"])
        if arr.shape != (r2 - r1 + 1, c2 - c1 + 1):
            continue
        for i in range(arr.shape[0]):
            for j in range(arr.shape[1]):
                yield sheet, f"{_col_name(c1 + j)}{r1 + i}", _typed(arr[i, j]), False


@dataclass
class _Compiled:
    """A compiled model and its input cells: {model key: (SHEET upper-cased, address)}."""

    model: Any
    inputs: dict[str, tuple[str, str]]


_cache: OrderedDict[str, _Compiled] = OrderedDict()
_CACHE_SIZE = 8


def clear_cache() -> None:
    """Forget the compiled models (done by :func:`register_functions` too)."""
    with _lock:
        _cache.clear()


def _signature(wb: Any) -> str:
    """Hash of everything that shapes the compiled model: sheets, formulas, defined names."""
    h = hashlib.sha256()
    for name, dn in sorted(wb.defined_names.items()):
        h.update(f"N\0{name}\0{dn.attr_text}\n".encode())
    for ws in wb.worksheets:
        h.update(f"S\0{ws.title}\n".encode())
        for name, dn in sorted(ws.defined_names.items()):
            h.update(f"N\0{name}\0{dn.attr_text}\n".encode())
        for (row, col), cell in sorted(ws._cells.items()):
            if cell.data_type == "f":
                v = cell.value
                text = v if isinstance(v, str) else f"{getattr(v, 'ref', '')}{v.text}"
                h.update(f"F\0{row}\0{col}\0{text}\n".encode())
    return h.hexdigest()


def _input_cells(model: Any) -> dict[str, tuple[str, str]]:
    """Single cells of the model that are not formulas: constants and referenced blanks."""
    out: dict[str, tuple[str, str]] = {}
    for key in model.dsp.data_nodes:
        if not isinstance(key, str):
            continue
        m = _KEY.match(key)
        if m is None or m["c2"] is not None:
            continue
        cell = model.cells.get(key)
        if cell is not None and getattr(cell, "func", None) is not None:
            continue
        out[key] = (m["sheet"].replace("''", "'").upper(), f"{m['c1']}{m['r1']}")
    return out


def _constant(cell: Any) -> Any:
    """A non-formula cell's value exactly as ``formulas`` reads it (see compile_cell)."""
    if cell is None or cell.value is None:
        # a bare sh.EMPTY would leave the node without a value ("Range has not value!")
        return np.asarray([[sh.EMPTY]], dtype=object)
    if cell.data_type == "n" and isinstance(cell.value, float):
        return round(cell.value, 15)
    return cell.value


def _calculate(src: Path) -> Any:
    """The ``formulas`` solution for ``src``, reusing a compiled model of the same formulas.

    Compiling (``loads`` + ``finish``) is most of the cost (~10 s for a PAR workbook of ~950
    formulas on a busy machine); workbooks filled from the same template share their formulas,
    so their model is compiled once and later calculated with the new workbook's constants as
    inputs. ``formulas`` makes a node for every cell of every referenced range, so every
    input that can matter is fed (blanks as empty).
    """
    wb = openpyxl.load_workbook(src, read_only=False, data_only=False, keep_links=False)
    sig = _signature(wb)
    hit = _cache.get(sig)
    if hit is None:
        with _plain_name(src) as path:
            model = formulas.ExcelModel().loads(str(path)).finish()
        _cache[sig] = _Compiled(model, _input_cells(model))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return model.calculate()
    _cache.move_to_end(sig)
    sheets = {ws.title.upper(): ws for ws in wb.worksheets}
    inputs = {}
    for key, (sheet, addr) in hit.inputs.items():
        inputs[key] = _constant(_peek(sheets.get(sheet), addr))
    return hit.model.calculate(inputs=inputs)


@contextmanager
def _plain_name(src: Path) -> Iterator[Path]:
    """``src``, or a copy of it under a plain name when its name has brackets: ``formulas``
    names every cell after its file in brackets (``'[file.xlsx]SHEET'!A1``), and a file named
    "QĐ [dự thảo].xlsx" gave #REF! or nothing in most computed cells."""
    if "[" not in src.name and "]" not in src.name:
        yield src
        return
    with tempfile.TemporaryDirectory(prefix="parxl-") as folder:
        plain = Path(folder) / f"book{src.suffix}"
        shutil.copyfile(src, plain)
        yield plain


def _peek(ws: Any, addr: str) -> Any:
    """The cell at ``addr`` if it exists, without creating it."""
    if ws is None:
        return None
    col, row = openpyxl.utils.cell.coordinate_from_string(addr)
    return ws._cells.get((row, openpyxl.utils.cell.column_index_from_string(col)))


_udfs_registered = False


def _register_parxl_udfs() -> None:
    """parxl's own UDFs (PAR_SCORE …), so UDF-flavour templates calculate headlessly."""
    global _udfs_registered
    if _udfs_registered:
        return
    _udfs_registered = True
    from udfs.core import register_formulas

    register_formulas()


def typed_values(src: Path, sheet_names: Iterable[str]) -> dict[str, dict[str, TypedValue]]:
    """Calculate ``src`` with ``formulas``; every cell the model knows, by real sheet name.

    Values are ``(kind, value)``: ``"n"`` float, ``"s"`` str, ``"b"`` bool, ``"e"`` Excel
    error text, ``"z"`` empty (None).
    """
    names = {n.upper(): n for n in sheet_names}
    _register_parxl_udfs()
    try:
        with _lock, _quiet():
            solution = _calculate(Path(src))
    except EngineError:
        raise
    except Exception as exc:
        raise EngineError(
            f"Thư viện formulas không tính lại được tệp này: {type(exc).__name__}: {exc}",
            Location(file=str(src)),
        ) from exc
    out: dict[str, dict[str, TypedValue]] = {n: {} for n in names.values()}
    exact: set[tuple[str, str]] = set()
    for sheet, addr, value, is_cell in _cells_of(solution, names):
        if is_cell:
            out[sheet][addr] = value
            exact.add((sheet, addr))
        elif (sheet, addr) not in exact:
            out[sheet].setdefault(addr, value)
    return out
