"""Compare what spreadsheet engines compute in a workbook with the Python evaluator.

The builder records what every computed cell means (``("item", "3.4.1", "achieved")``,
``("domain", "3", "share")``, ``("result", "total")`` …); for a filled workbook we score its
inputs in Python and compare each such cell as recalculated by LibreOffice and ``formulas``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parxl.framework.model import Framework
from parxl.numbers import excel_text, format_vn_number
from parxl.score import Scores, score_values
from parxl.workbook.build import Formulas, build_workbook
from parxl.workbook.read import read_return

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Difference:
    engine: str
    sheet: str
    cell: str
    meaning: tuple[str, ...]
    expected: Any
    actual: Any

    def describe(self) -> str:
        percent = self.meaning[-1] in _FRACTIONS
        expected, actual = (_scaled(v, 100.0 if percent else 1.0) for v in (self.expected, self.actual))
        decimals = _decimals(expected, actual)
        unit = "%" if percent else ""
        return (
            f"[{self.engine}] trang '{self.sheet}' ô {self.cell} ({meaning_text(self.meaning)}): "
            f"Python tính {_shown(expected, decimals, unit)}, bảng tính cho {_shown(actual, decimals, unit)}"
        )


_FRACTIONS = ("share", "index")  # cells that show a percentage


def _scaled(value: Any, factor: float) -> Any:
    return value * factor if _is_number(value) else value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimals(a: Any, b: Any) -> int:
    """The fewest decimals, two at least, that show two numbers apart (0,16 and 0,1585291)."""
    if not (_is_number(a) and _is_number(b)):
        return 2
    return next((d for d in range(2, 15) if format_vn_number(a, d) != format_vn_number(b, d)), 15)


def _shown(value: Any, decimals: int, unit: str = "") -> str:
    """A cell's value in a message: a number as Vietnamese write it, a text quoted, TRUE/FALSE."""
    if value is None:
        return "ô trống"
    if _is_number(value):
        return format_vn_number(float(value), decimals) + unit
    if isinstance(value, bool):
        return excel_text(value)
    return f"'{value}'"


_KINDS = {"item": "mục", "criterion": "tiêu chí", "domain": "lĩnh vực"}
_SCORERS = {"self": "tự đánh giá", "survey": "điều tra XHH", "external": "cấp trên đánh giá"}
_LABELS = {
    "raw": "điểm theo số liệu", "eff_status": "trạng thái tính điểm", "applicable": "điểm tối đa áp dụng",
    "achieved": "điểm đạt", "deducted": "điểm bị trừ", "open": "điểm chưa xác định", "share": "tỷ lệ bị trừ",
    "max": "điểm tối đa", "index": "chỉ số", "base": "điểm cơ bản", "bonus_raw": "điểm thưởng đạt",
    "bonus_open": "điểm thưởng chưa xác định", "penalty": "điểm trừ", "cap": "điểm thưởng tối đa được tính",
    "bonus": "điểm thưởng được tính", "total": "tổng điểm", "index_base": "mẫu số của chỉ số",
    "secured": "điểm đã chắc chắn", "reachable": "điểm có thể đạt tối đa",
}


def meaning_text(meaning: tuple[str, ...]) -> str:
    """What a computed cell holds, in Vietnamese: "mục 1.1.2: điểm đạt"."""
    kind, *rest = meaning
    label = _LABELS.get(rest[-1], rest[-1]) if rest else kind
    if kind in _KINDS:
        return f"{_KINDS[kind]} {rest[0]}: {label}"
    if kind == "base":
        return f"điểm cơ bản: {label}"
    if kind == "scorer":
        return f"{_SCORERS.get(rest[0], rest[0])}: {label}"
    if kind == "group":
        return f"{rest[0]}: {label}"
    if kind == "status":
        return f"số mục '{rest[0]}'"
    return label


def cell_meanings(fw: Framework, flavor: str = "native") -> dict[tuple[str, str], tuple[str, ...]]:
    """What each computed cell of a template built from ``fw`` means."""
    f = make_formulas(flavor)
    build_workbook(fw, formulas=f)
    return f.cells


def make_formulas(flavor: str) -> Formulas:
    if flavor == "udf":
        from parxl.workbook.udf import UdfFormulas

        return UdfFormulas()
    return Formulas()


def expected_value(fw: Framework, s: Scores, meaning: tuple[str, ...]) -> Any:
    kind = meaning[0]
    if kind == "item":
        item = s.items[meaning[1]]
        return item.status if meaning[2] == "eff_status" else getattr(item, meaning[2])
    if kind in ("criterion", "domain"):
        group = (s.criteria if kind == "criterion" else s.domains)[meaning[1]]
        return getattr(group, meaning[2])
    if kind == "base":
        return getattr(s.base, meaning[1])
    if kind == "scorer":
        return getattr(s.by_scorer[meaning[1]], meaning[2])
    if kind == "group":
        items = fw.bonus if meaning[1] == "Điểm thưởng" else fw.penalties
        return sum(
            getattr(s.items[i.code], meaning[2]) if meaning[2] != "max" else i.max for i in items
        )
    if kind == "status":
        return s.status_counts[meaning[1]]
    results = {
        "base": s.base.achieved,
        "bonus_raw": s.bonus_raw,
        "bonus_open": s.bonus_open,
        "penalty": s.penalty,
        "cap": fw.bonus_cap,
        "bonus": s.bonus,
        "total": s.total,
        "index_base": s.base.applicable + fw.bonus_cap,
        "index": s.index,
        "secured": s.total,
        "reachable": s.reachable,
    }
    return results[meaning[1]]


def same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) or isinstance(actual, str):
        return str(expected) == str(actual)
    if actual is None:
        actual = 0.0
    try:
        return abs(float(expected) - float(actual)) <= TOLERANCE
    except (TypeError, ValueError):
        return False


def compare(
    path: str | Path, engine_values: dict[str, dict[str, Any]], engine: str
) -> list[Difference]:
    ret = read_return(path)
    fw = ret.framework
    scores = score_values(fw, ret.values)
    diffs = []
    for (sheet, ref), meaning in cell_meanings(fw, ret.meta.get("flavor", "native")).items():
        expected = expected_value(fw, scores, meaning)
        actual = engine_values.get(sheet, {}).get(ref)
        if not same(expected, actual):
            diffs.append(Difference(engine, sheet, ref, meaning, expected, actual))
    return diffs


def default_engines(flavor: str) -> tuple[str, ...]:
    """The engines a workbook of this flavour is verified with when none is named: LibreOffice
    cannot call the PAR_* functions of the UDF flavour (every computed cell would be #NAME?)."""
    return ("formulas",) if flavor == "udf" else ("libreoffice", "formulas")


def verify(path: str | Path, engines: tuple[str, ...] | None = None) -> list[Difference]:
    """Every computed cell as ``engines`` recalculate it, against Python (default: the engines
    that can run the workbook's flavour, :func:`default_engines`)."""
    from parxl.calc import computed_values

    # a file that is not a readable parxl workbook: the guarded reader says why
    ret = read_return(path)
    if engines is None:
        engines = default_engines(ret.meta.get("flavor", "native"))
    diffs: list[Difference] = []
    for engine in engines:
        diffs.extend(compare(path, computed_values(Path(path), engine), engine))  # type: ignore[arg-type]
    return diffs
