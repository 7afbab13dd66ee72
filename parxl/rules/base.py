"""What every rule kind provides: parameter schema, input fields, the scoring expression.

A rule kind is one module exporting ``KIND``, a :class:`RuleKind`. The scoring is written once
as an :mod:`parxl.rules.expr` expression; the Python evaluator and the Excel formula writer
are both generated from it, so they cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parxl.rules.expr import Evaluator, Expr, compile_expr

# input field types, as shown in the input table (CSV column `type`)
POINTS, YESNO, RATE, COUNT = "points", "yes/no", "rate", "count"
AMOUNT = "amount"  # a non-negative quantity with decimals (money, volume): never expected whole
YES, NO = "Có", "Không"


@dataclass(frozen=True)
class Field:
    """One input of an item; ``slot`` 1 or 2 is the column "Số liệu 1" / "Số liệu 2"."""

    name: str
    slot: int
    type: str
    label: str  # Vietnamese, shown as the cell prompt and in the input table
    unit: str = ""


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: name, type check, default, Vietnamese meaning."""

    name: str
    check: Callable[[Any], bool]
    expected: str  # Vietnamese description of allowed values, for error messages
    default: Any = None
    required: bool = False


@dataclass(frozen=True)
class RuleKind:
    name: str
    label: str  # Vietnamese name of the method
    params: tuple[Param, ...]
    fields: Callable[[Mapping[str, Any]], tuple[Field, ...]]
    expression: Callable[[Mapping[str, Any]], Expr]
    describe: Callable[[Mapping[str, Any], float], str]
    extra_checks: Callable[[Mapping[str, Any], float], list[str]] = field(default=lambda p, m: [])

    def normalize(
        self, raw: Mapping[str, Any], max_points: float
    ) -> tuple[dict[str, Any], list[str]]:
        """Fill defaults and return (params, problems) for the given raw parameters."""
        problems: list[str] = []
        known = {p.name for p in self.params}
        for key in raw:
            if key not in known:
                allowed = ", ".join(sorted(known)) or "không có tham số"
                problems.append(
                    f"tham số '{key}' không dùng cho cách chấm '{self.name}' ({allowed})"
                )
        params: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw:
                value = raw[p.name]
                if not p.check(value):
                    problems.append(
                        f"tham số '{p.name}' = {as_written(value)} không hợp lệ: cần {p.expected}"
                    )
                params[p.name] = value
            elif p.required:
                problems.append(f"thiếu tham số '{p.name}' ({p.expected})")
            else:
                params[p.name] = p.default
        if not problems:
            problems.extend(self.extra_checks(params, max_points))
        return params, problems

    def compile(self, params: Mapping[str, Any]) -> Evaluator:
        return compile_expr(self.expression(params))


def is_number(v: Any) -> bool:
    """A finite number: .inf would write '*inf' into the template's formula (#NAME? in Excel)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def as_written(value: Any) -> str:
    """A value as the YAML wrote it, for messages: .inf and .nan, not Python's inf and nan."""
    if isinstance(value, float) and math.isinf(value):
        return "-.inf (âm vô cực)" if value < 0 else ".inf (vô cực)"
    if isinstance(value, float) and math.isnan(value):
        return ".nan (không phải số)"
    if isinstance(value, list):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    return repr(value)


def is_nonneg(v: Any) -> bool:
    return is_number(v) and v >= 0


def is_digits(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6


def pts(value: float) -> str:
    """Points in Vietnamese notation for descriptions: 1.5 -> '1,5'."""
    from parxl.numbers import format_vn_number

    return format_vn_number(value, 4)


def pct(value: float) -> str:
    from parxl.numbers import format_vn_percent

    return format_vn_percent(value, 2).replace(",00%", "%")
