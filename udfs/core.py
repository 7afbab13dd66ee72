"""The computations behind parxl's Excel functions, runtime-neutral (plain Python, Pyodide-safe).

Every ``PAR_*`` Excel function is one function here taking the arguments as xlwings' default
converter delivers them (a cell -> ``float``/``str``/``bool``/``None``, a row or column -> list,
a block -> list of rows; empty cells -> ``None``; a cell error -> its code "#N/A", as xlwings
reads the arguments with ``err_to_str``) and returning a value or a list (spilled as a dynamic
array). A cell error in an argument is the result, as Excel's own functions propagate it. Bad input raises :class:`UdfError` with an Excel error code
and a Vietnamese hint; inside arrays a bad element becomes an :class:`XlErr`. The runtimes turn
those into their own error values: :mod:`udfs.functions` (desktop xlwings), :mod:`udfs.server`
(xlwings Server / Lite, Office.js) and :func:`formulas_functions` (the ``formulas`` engine).

The scoring itself is not here: ``PAR_SCORE`` compiles the rule kind's expression from
:mod:`parxl.rules` (the same one the Python evaluator and the native formulas come from), the
status logic mirrors :mod:`parxl.score`, rounding is :mod:`parxl.xlmath`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from parxl.numbers import CELL_ERRORS, excel_text, format_vn_number, parse_vn_number
from parxl.rules import KINDS
from parxl.rules.base import YESNO
from parxl.rules.expr import Evaluator
from parxl.score import (
    CHUA_XAC_DINH,
    DETERMINED,
    NOT_APPLICABLE,
    OPEN,
    STATUSES,
    derived_status,
    input_number,
    status_kind,
)
from parxl.xlmath import xl_round

VALUE, NA, NUM = "#VALUE!", "#N/A", "#NUM!"
_STATUS_KEYS = {s.casefold() for s in STATUSES}
MAX_TEXT = 32767  # Excel's limit for the text of one cell


@dataclass(frozen=True)
class XlErr:
    """An Excel error value with a Vietnamese hint (one element of an array result)."""

    code: str
    hint: str

    def __str__(self) -> str:
        return self.code


class UdfError(Exception):
    """Bad input to an Excel function: ``code`` is the Excel error, ``hint`` says why (Vietnamese)."""

    def __init__(self, hint: str, code: str = VALUE) -> None:
        super().__init__(hint)
        self.code = code
        self.hint = hint

    @property
    def value(self) -> XlErr:
        return XlErr(self.code, self.hint)


class InputCellError(UdfError):
    """An argument is a cell showing an error: the result is that error (``code``), as Excel's
    own functions give it."""


# --------------------------------------------------------------------------- argument helpers
def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _show(v: Any) -> str:
    text = repr(v) if not isinstance(v, str) else f"'{v}'"
    return text if len(text) <= 40 else text[:37] + "…'"


def _no_error(v: Any, what: str) -> None:
    """A cell error given as its code ("#N/A") is the function's result, as in the native
    formulas (Excel's functions propagate an error they read)."""
    if isinstance(v, str) and v in CELL_ERRORS:
        raise InputCellError(f"{what}: ô có lỗi {v} — sửa ô đó (hoặc ô mà công thức của nó dùng)", v)


def number(v: Any, what: str, *, blank: float | None = None) -> float:
    """A numeric argument: numbers pass, Vietnamese number texts are read, else #VALUE!."""
    _one_cell(v, what)
    _no_error(v, what)
    if _blank(v):
        if blank is not None:
            return blank
        raise UdfError(f"{what} đang trống: cần một số")
    n = parse_vn_number(v)
    if n is None:
        raise UdfError(f"{what} {_show(v)} không phải là số (ví dụ đúng: 1,5 hoặc 77,7%)")
    return n


def _is_list(v: Any) -> bool:
    return isinstance(v, list | tuple)


def _one_cell(v: Any, what: str) -> None:
    """#VALUE! saying so when a range is given where one cell is wanted."""
    if _is_list(v):
        raise UdfError(f"{what} phải là một ô, không phải một vùng ({_size_text(_shape(v))})")


def _flat(v: Any) -> list[Any]:
    """A range argument as a flat list, row by row (a single cell is a 1-element list)."""
    if not _is_list(v):
        return [v]
    out: list[Any] = []
    for x in v:
        out.extend(x if _is_list(x) else [x])
    return out


def _shape(v: Any) -> tuple[int, ...]:
    if not _is_list(v):
        return ()
    if v and all(_is_list(x) for x in v):
        return (len(v), len(v[0]))
    return (len(v),)


def _size_text(shape: tuple[int, ...]) -> str:
    if len(shape) == 2:
        return f"{shape[0]} dòng × {shape[1]} cột"
    return f"{shape[0]} ô"


def elementwise(fn: Callable[..., Any], *args: Any) -> Any:
    """Apply ``fn`` to scalars, or element by element when some arguments are ranges.

    Ranges must all have the same shape (scalars are repeated); a bad element gives an
    :class:`XlErr` in its place, so one bad cell does not blank the whole array.
    """
    shapes = {_shape(a) for a in args if _is_list(a)}
    if not shapes:
        return fn(*args)
    if len(shapes) > 1:
        sizes = ", ".join(sorted(_size_text(s) for s in shapes))
        raise UdfError(f"các vùng ô phải cùng kích thước (đang có {sizes})")
    shape = shapes.pop()
    flats = [_flat(a) if _is_list(a) else None for a in args]
    n = max(len(f) for f in flats if f is not None)
    results: list[Any] = []
    for k in range(n):
        call = [f[k] if f is not None else a for f, a in zip(flats, args, strict=True)]
        try:
            results.append(fn(*call))
        except UdfError as exc:
            results.append(exc.value)
    if len(shape) == 2:
        cols = shape[1]
        return [results[r * cols : (r + 1) * cols] for r in range(shape[0])]
    return results


# --------------------------------------------------------------------------- rule parameters
def parse_params(text: Any) -> dict[str, Any]:
    """Rule parameters from a cell: JSON (``{"per_unit": 0.5}``) or ``key=value; key=value``.

    In the second form a value is read as JSON when it can be (``tiers=[[1,1.5],[0.9,1]]``,
    ``per_unit=0.5``), otherwise as text (``rounding=trunc``). Blank means no parameters.
    """
    if _blank(text):
        return {}
    if not isinstance(text, str):
        raise UdfError(f"tham số cách chấm {_show(text)} phải là văn bản, ví dụ \"per_unit=0.5\"")
    s = text.strip()
    if s.startswith("{"):
        try:
            value = json.loads(s)
        except ValueError:
            raise UdfError(f"tham số cách chấm {_show(s)} không phải JSON hợp lệ") from None
        if not isinstance(value, dict):
            raise UdfError("tham số cách chấm dạng JSON phải là một đối tượng {...}")
        return value
    out: dict[str, Any] = {}
    for part in s.split(";"):
        if not part.strip():
            continue
        key, sep, raw = part.partition("=")
        if not sep or not key.strip():
            raise UdfError(
                f"tham số cách chấm '{part.strip()}' phải có dạng tên=giá trị, ví dụ per_unit=0.5"
            )
        raw = raw.strip()
        try:
            out[key.strip()] = json.loads(raw)
        except ValueError:
            out[key.strip()] = raw
    return out


def params_text(kind: str, params: dict[str, Any]) -> str:
    """The shortest ``key=value`` text giving the same scoring as ``params`` (for formulas).

    Parameters equal to their default, or that only name things (labels of counts), leave the
    rule's expression unchanged and are dropped, so the text stays well under Excel's 255
    characters for a string in a formula.
    """
    definition = KINDS[kind]
    params, _ = definition.normalize(params, float("inf"))
    full = definition.expression(params).py()
    defaults = {p.name: p.default for p in definition.params}
    keep: dict[str, Any] = {}
    for name, value in params.items():
        if name in defaults and not next(p for p in definition.params if p.name == name).required:
            trial = {**params, name: defaults[name]}
            if definition.expression(trial).py() == full:
                continue
        keep[name] = value
    return "; ".join(
        f"{k}={v}" if isinstance(v, str) else f"{k}={json.dumps(v, separators=(',', ':'))}"
        for k, v in keep.items()
    )


@lru_cache(maxsize=4096)
def _compiled(kind: str, params_key: str, max_points: float) -> tuple[Evaluator, tuple[str, ...]]:
    definition = KINDS[kind]
    params, problems = definition.normalize(json.loads(params_key), max_points)
    if problems:
        raise UdfError(f"cách chấm '{kind}': " + "; ".join(problems))
    slots = {f.slot: f.type for f in definition.fields(params)}
    types = (slots.get(1, ""), slots.get(2, ""))
    return definition.compile(params), types


def rule(kind: Any, max_points: float, params: Any) -> tuple[Evaluator, tuple[str, ...]]:
    """The compiled scoring function of a rule kind and the types of its two inputs."""
    _one_cell(kind, "cách chấm")
    _no_error(kind, "cách chấm")
    _no_error(params, "tham số cách chấm")
    if not isinstance(kind, str):
        raise UdfError(f"không có cách chấm {_show(kind)}; dùng một trong: {', '.join(KINDS)}", NA)
    if params is not None and not isinstance(params, str):
        parse_params(params)  # reports what is wrong
    return _rule_from_text(kind, max_points, params or "")


@lru_cache(maxsize=4096)
def _rule_from_text(kind: str, max_points: float, params: Any) -> tuple[Evaluator, tuple[str, ...]]:
    name = kind.strip().lower()
    if name not in KINDS:
        raise UdfError(f"không có cách chấm '{kind}'; dùng một trong: {', '.join(KINDS)}", NA)
    raw = parse_params(params)
    key = json.dumps(raw, sort_keys=True, ensure_ascii=False)
    return _compiled(name, key, max_points)


def _input(v: Any, ftype: str, slot: int) -> Any:
    _no_error(v, f"Số liệu {slot}")
    if ftype == YESNO:
        if _blank(v):
            return ""
        return v if isinstance(v, str) else str(v)
    if isinstance(v, bool):
        raise UdfError(f"Số liệu {slot} là giá trị logic {excel_text(v)}: cần một số")
    value, problem = input_number(v, ftype or "count")
    if problem:
        raise UdfError(f"Số liệu {slot}: {problem}")
    return value


# --------------------------------------------------------------------------- functions
def _score1(kind: Any, max_points: Any, v1: Any, v2: Any, params: Any) -> float:
    mx = number(max_points, "điểm tối đa")
    if mx < 0:
        raise UdfError(f"điểm tối đa {format_vn_number(mx)} không được âm")
    fn, types = rule(kind, mx, params)
    return float(fn(_input(v1, types[0], 1), _input(v2, types[1], 2), mx))


def par_score(kind: Any, max_points: Any, v1: Any = None, v2: Any = None, params: Any = "") -> Any:
    """Points of one item from its inputs, by rule kind (the template's "Điểm theo số liệu")."""
    if _is_list(kind) or _is_list(params):
        raise UdfError("cách chấm và tham số phải là một ô, không phải một vùng")
    return elementwise(lambda m, a, b: _score1(kind, m, a, b, params), max_points, v1, v2)


def _status_kind(status: Any) -> str:
    """How the status scores (:func:`parxl.score.status_kind`, as the native formulas do)."""
    _no_error(status, "trạng thái tính điểm")
    if _blank(status):
        raise UdfError("trạng thái tính điểm đang trống (ô trạng thái bị lỗi?)")
    return status_kind(str(status))


def par_status(status: Any, inputs: Any, raw: Any, max_points: Any, penalty: Any = False) -> Any:
    """Status used for scoring (:func:`parxl.score.derived_status`): the typed one, else Chưa xác
    định (no input), else Đạt/Không đạt. Đạt means the maximum is reached; for a penalty item
    (``penalty`` true) it means no penalty point was incurred. A typed status outside the
    template's list ("Khong ap dung", a trailing space) is given back as typed, as the native
    formulas do: it then scores from the data, in the Python evaluator too; PAR_CHECK and the
    checks ('Kiểm tra', 'Thu thập') report it.
    """
    _one_cell(status, "trạng thái")
    _no_error(status, "tình trạng")
    for v in _flat(inputs):
        _no_error(v, "số liệu")
    if not _blank(status):
        return status
    if all(_blank(v) for v in _flat(inputs)):
        return CHUA_XAC_DINH
    pen = _truthy(penalty)
    points = number(raw, "điểm theo số liệu")
    return derived_status(None, True, points, 0.0 if pen else number(max_points, "điểm tối đa"), pen)


def _truthy(v: Any) -> bool:
    _no_error(v, "cờ điểm trừ")
    if _blank(v):
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        key = v.strip().casefold()
        if key in ("true", "có", "penalty", "điểm trừ", "trừ"):
            return True
        if key in ("false", "không"):
            return False
    return bool(number(v, "cờ điểm trừ"))


def _applicable1(status: Any, max_points: Any) -> float:
    return 0.0 if _status_kind(status) == NOT_APPLICABLE else number(max_points, "điểm tối đa")


def par_applicable(status: Any, max_points: Any) -> Any:
    """Applicable maximum: 0 when Không áp dụng, else the maximum."""
    return elementwise(_applicable1, status, max_points)


def _achieved1(status: Any, raw: Any) -> float:
    if _status_kind(status) != DETERMINED:
        return 0.0
    return number(raw, "điểm theo số liệu", blank=0.0)


def par_achieved(status: Any, raw: Any) -> Any:
    """Points achieved: 0 when not applicable or not yet known, else the rule's points."""
    return elementwise(_achieved1, status, raw)


def _open1(status: Any, max_points: Any) -> float:
    return number(max_points, "điểm tối đa") if _status_kind(status) == OPEN else 0.0


def par_open(status: Any, max_points: Any) -> Any:
    """Points not yet known (Chưa đến hạn / Chưa xác định): the maximum, else 0."""
    return elementwise(_open1, status, max_points)


def _deducted1(applicable: Any, achieved: Any, open_points: Any) -> float:
    a = number(applicable, "điểm tối đa áp dụng", blank=0.0)
    b = number(achieved, "điểm đạt", blank=0.0)
    c = number(open_points, "điểm chưa xác định", blank=0.0)
    return xl_round(a - b - c, 9)


def par_deducted(applicable: Any, achieved: Any, open_points: Any = 0.0) -> Any:
    """Points deducted = applicable maximum − achieved − not yet known (rounded to 9 decimals)."""
    return elementwise(_deducted1, applicable, achieved, open_points)


def _total(v: Any, what: str) -> float:
    if _is_list(v):
        return sum(number(x, what, blank=0.0) for x in _flat(v))
    return number(v, what, blank=0.0)


def par_share(deducted: Any, total: Any) -> Any:
    """Share of all deducted points: deducted ÷ total (a cell, or the range of all deductions)."""
    t = _total(total, "tổng điểm bị trừ")
    return elementwise(
        lambda d: 0.0 if t == 0 else number(d, "điểm bị trừ", blank=0.0) / t, deducted
    )


def par_index(achieved: Any, applicable: Any) -> Any:
    """Index (rate achieved): achieved ÷ applicable maximum, 0 when nothing applies."""

    def one(a: Any, m: Any) -> float:
        den = number(m, "điểm tối đa áp dụng", blank=0.0)
        return 0.0 if den == 0 else number(a, "điểm đạt", blank=0.0) / den

    return elementwise(one, achieved, applicable)


def par_bonus(values: Any, cap: Any) -> float:
    """Bonus counted: the sum of bonus points (a cell or a range), at most the cap."""
    c = number(cap, "giới hạn điểm thưởng")
    return min(c, _total(values, "điểm thưởng"))


def par_rank(value: Any, peers: Any, descending: Any = True) -> Any:
    """Rank among peers (1 = highest score; ties share a rank, as RANK.EQ)."""
    for p in _flat(peers):
        _no_error(p, "vùng so sánh")
    nums = [parse_vn_number(p) for p in _flat(peers) if not _blank(p)]
    pool = [n for n in nums if n is not None]
    if not pool:
        raise UdfError("vùng so sánh không có số nào")
    if _blank(descending) or isinstance(descending, bool):
        down = descending is not False
    else:
        down = bool(number(descending, "thứ tự"))

    def one(v: Any) -> float:
        x = number(v, "giá trị cần xếp hạng")
        if x not in pool:
            raise UdfError(f"{format_vn_number(x, 4)} không có trong vùng so sánh", NA)
        return float(1 + sum(1 for p in pool if (p > x if down else p < x)))

    return elementwise(one, value)


def par_range(statuses: Any, maxes: Any, achieved: Any) -> list[float]:
    """Interim range [secured, reachable]: points secured so far and the most still reachable."""
    s, m, a = _flat(statuses), _flat(maxes), _flat(achieved)
    if not (len(s) == len(m) == len(a)):
        raise UdfError(
            f"ba vùng trạng thái, điểm tối đa, điểm đạt phải cùng số ô (đang có {len(s)}, {len(m)}, {len(a)})"
        )
    secured = reachable_extra = 0.0
    for st, mx, ac in zip(s, m, a, strict=True):
        if _blank(st) and _blank(mx):
            continue
        kind = _status_kind(st)
        if kind == OPEN:
            reachable_extra += number(mx, "điểm tối đa")
        elif kind == DETERMINED:
            secured += number(ac, "điểm đạt", blank=0.0)
    return [secured, secured + reachable_extra]


def par_number(text: Any) -> Any:
    """A number from Vietnamese notation: '93,23' -> 93.23, '22.583.451' -> 22583451, '77,7%' -> 0.777."""
    return elementwise(lambda v: number(v, "ô"), text)


def par_item(kind: Any, max_points: Any, status: Any = None, v1: Any = None, v2: Any = None,
             params: Any = "", group: Any = "") -> list[Any]:
    """All of one item's computed values in a row: points, status, applicable, achieved, deducted, open.

    ``group`` is blank for a base item, "bonus"/"thưởng" or "penalty"/"trừ" for the bonus and
    penalty groups (they deduct nothing from the base; a penalty item is Đạt with no penalty).
    """
    if any(_is_list(a) for a in (kind, max_points, status, v1, v2, params, group)):
        raise UdfError("PAR_ITEM tính một tiêu chí (một dòng): mỗi đối số là một ô, không phải một vùng")
    _no_error(group, "nhóm")
    key = "" if _blank(group) else str(group).strip().casefold()
    if key not in ("", "bonus", "thưởng", "điểm thưởng", "penalty", "trừ", "điểm trừ"):
        raise UdfError(f"nhóm {_show(group)} không hợp lệ: để trống, \"thưởng\" hoặc \"trừ\"")
    penalty = key in ("penalty", "trừ", "điểm trừ")
    raw = par_score(kind, max_points, v1, v2, params)
    st = par_status(status, [v1, v2], raw, max_points, penalty)
    app, ach, opn = par_applicable(st, max_points), par_achieved(st, raw), par_open(st, max_points)
    ded = 0.0 if key else par_deducted(app, ach, opn)
    return [raw, st, app, ach, ded, opn]


def par_describe(kind: Any, max_points: Any, params: Any = "") -> str:
    """The scoring method in words (Vietnamese), as in the template's column "Cách chấm"."""
    mx = number(max_points, "điểm tối đa")
    rule(kind, mx, params)  # validates
    definition = KINDS[str(kind).strip().lower()]
    norm, _ = definition.normalize(parse_params(params), mx)
    text: str = definition.describe(norm, mx)
    return text


def par_kinds() -> list[list[str]]:
    """The rule kinds: name and Vietnamese label, one per row."""
    return [[name, k.label] for name, k in KINDS.items()]


_HEADERS = {"code": "Mã", "max": "Điểm tối đa", "method": "Cách chấm", "status": "Tình trạng",
            "v1": "Số liệu 1", "v2": "Số liệu 2"}
_POSITIONS = {"code": 0, "max": 4, "method": 5, "status": 6, "v1": 7, "v2": 8}


def par_check(rows: Any) -> str:
    """Problems in a block of item rows of a parxl sheet (columns A..K), as one Vietnamese text."""
    if not _is_list(rows):
        table: list[Any] = [[rows]]
    elif any(_is_list(x) for x in rows):
        table = [r if _is_list(r) else [r] for r in rows]
    else:
        table = [list(rows)]  # one row given as a flat list
    cols = dict(_POSITIONS)
    start = 0
    for i, r in enumerate(table[:10]):
        texts = [str(x).strip() if isinstance(x, str) else "" for x in r]
        if _HEADERS["code"] in texts and _HEADERS["status"] in texts:
            cols = {k: texts.index(h) for k, h in _HEADERS.items() if h in texts}
            start = i + 1
            break
    width = max((len(r) for r in table), default=0)
    if start == 0 and width < 9:
        raise UdfError("vùng cần kiểm tra phải gồm các cột A đến I của trang lĩnh vực (Mã … Số liệu 2)")
    problems: list[str] = []
    for r in table[start:]:

        def cell(key: str, row: Sequence[Any] = r) -> Any:
            i = cols.get(key, -1)
            return row[i] if 0 <= i < len(row) else None

        code, method = cell("code"), cell("method")
        if _blank(code) or _blank(method):
            continue  # not an item row (criterion, total, blank)
        where = str(code).strip()
        st = cell("status")
        inputs = [cell("v1"), cell("v2")]
        if st in CELL_ERRORS:
            problems.append(f"{where}: ô tình trạng có lỗi {st}")
        elif not _blank(st) and str(st).casefold() not in _STATUS_KEYS:
            # as the formulas compare it: exactly (case aside), a trailing space included
            problems.append(f"{where}: tình trạng '{st}' không hợp lệ (không có trong danh sách: các công "
                            "thức chấm mục này theo số liệu)")
        if _blank(st) and all(_blank(v) for v in inputs):
            problems.append(f"{where}: chưa nhập số liệu hoặc tình trạng")
        for slot, v in enumerate(inputs, start=1):
            if _blank(v) or isinstance(v, bool):
                continue
            if v in CELL_ERRORS:
                problems.append(f"{where}: ô Số liệu {slot} có lỗi {v} — sửa ô đó hoặc nhập lại số liệu")
                continue
            if isinstance(v, str):
                if v.strip().casefold() in ("có", "không"):
                    continue
                n = parse_vn_number(v)
                if n is None:
                    problems.append(f"{where}: Số liệu {slot} '{v}' không phải là số")
                else:
                    problems.append(f"{where}: Số liệu {slot} '{v}' là văn bản, nên nhập dạng số")
                continue
            if isinstance(v, int | float) and v < 0:
                problems.append(f"{where}: Số liệu {slot} là số âm ({format_vn_number(float(v), 4)})")
    if not problems:
        return "Không có lỗi."
    text = f"{len(problems)} lỗi: " + "; ".join(problems)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# Excel name -> implementation; the order is the order shown in docs.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "PAR_SCORE": par_score,
    "PAR_STATUS": par_status,
    "PAR_APPLICABLE": par_applicable,
    "PAR_ACHIEVED": par_achieved,
    "PAR_OPEN": par_open,
    "PAR_DEDUCTED": par_deducted,
    "PAR_SHARE": par_share,
    "PAR_INDEX": par_index,
    "PAR_BONUS": par_bonus,
    "PAR_RANK": par_rank,
    "PAR_RANGE": par_range,
    "PAR_CHECK": par_check,
    "PAR_NUMBER": par_number,
    "PAR_ITEM": par_item,
    "PAR_DESCRIBE": par_describe,
    "PAR_KINDS": par_kinds,
}


# --------------------------------------------------------------------------- runtimes
def guarded(fn: Callable[..., Any], convert: Callable[[XlErr], Any]) -> Callable[..., Any]:
    """``fn`` that never raises: a :class:`UdfError` or any bug becomes ``convert(XlErr)``,
    and array elements that are :class:`XlErr` are converted too."""

    def call(*args: Any) -> Any:
        try:
            result = fn(*args)
        except UdfError as exc:
            return convert(exc.value)
        except Exception as exc:  # a bug must not put a traceback in a cell
            return convert(XlErr(VALUE, f"lỗi trong parxl ({type(exc).__name__}): {exc}"[:250]))
        return map_errors(result, convert)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


def unwrap(v: Any) -> Any:
    """A one-cell range read as a 2-D list (``ndim=2``) is the cell's value; other ranges keep
    their rows and columns, so an array result has the shape of its input."""
    if _is_list(v) and len(v) == 1 and _is_list(v[0]) and len(v[0]) == 1:
        return v[0][0]
    return v


def map_errors(result: Any, convert: Callable[[XlErr], Any]) -> Any:
    """The result with every :class:`XlErr` converted, and every number Excel cannot hold (an
    overflow, ``inf``/``nan``) as #NUM!, Excel's own result (and JSON has no such numbers)."""
    if isinstance(result, XlErr):
        return convert(result)
    if isinstance(result, float) and not math.isfinite(result):
        return convert(XlErr(NUM, "kết quả vượt quá giới hạn số của Excel (khoảng 1E+308)"))
    if _is_list(result):
        return [map_errors(x, convert) for x in result]
    return result


def formulas_functions() -> dict[str, Callable[..., Any]]:
    """The functions for the ``formulas`` engine: errors become its #VALUE!/#N/A values."""
    from formulas.functions import Error

    def convert(err: XlErr) -> Any:
        return Error.errors.get(err.code, Error.errors[VALUE])

    return {name: guarded(fn, convert) for name, fn in FUNCTIONS.items()}


def register_formulas(namespace: str = "") -> None:
    """Make the ``formulas`` engine (``parxl recalc --engine formulas``) know every PAR_* function
    (also as ``NAMESPACE.PAR_*`` when a namespace is given, see :class:`UdfFormulas`)."""
    from parxl.calc import register_functions

    funcs = formulas_functions()
    if namespace.strip():
        funcs = {**funcs, **{f"{namespace.strip().upper()}.{k}": v for k, v in funcs.items()}}
    register_functions(funcs)
