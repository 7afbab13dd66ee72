"""Tiers / thresholds: the first threshold the rate reaches gives its points, else 0.

Seed 004: e-documents exchanged with digital signature 80.6% → 0 of 1.5 (floor not reached);
seed 000: 80% to <100% of premises approved → part of the points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parxl.rules._rate import BASIS_PARAMS, basis_text, rate_fields, with_rate
from parxl.rules.base import Param, RuleKind, is_number, pct, pts
from parxl.rules.expr import IF, ROUND, Expr


def _is_tiers(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) > 0
        and all(
            isinstance(t, list | tuple) and len(t) == 2 and all(is_number(x) for x in t) for t in v
        )
    )


def _checks(p: Mapping[str, Any], m: float) -> list[str]:
    problems = []
    thresholds = [float(t[0]) for t in p["tiers"]]
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        problems.append("các ngưỡng (tiers) phải giảm dần và không trùng nhau")
    for t, points in p["tiers"]:
        if not 0 <= t <= 1:
            problems.append(f"ngưỡng {pts(t)} phải là tỷ lệ từ 0 đến 1 (80% viết là 0.8)")
        if not 0 <= points <= m:
            at = pct(t) if 0 <= t <= 1 else pts(t)
            problems.append(f"điểm của ngưỡng {at} là {pts(points)}, vượt điểm tối đa {pts(m)}")
    return problems


def _expression(p: Mapping[str, Any]) -> Expr:
    def body(rate: Expr) -> Expr:
        # compared at 9 decimals, as a person reads the rate: 8,1 / 9 is 0.8999999999999999 in
        # binary, which an exact comparison puts below 90% (LibreOffice compares approximately,
        # `formulas` and Python exactly: rounded first, every engine gives the 90% tier)
        shown = ROUND(rate, 9)
        out: Expr | float = 0.0
        for threshold, points in reversed(p["tiers"]):
            out = IF(shown >= float(threshold), float(points), out)
        assert not isinstance(out, float)
        return out

    return with_rate(p, body)


def _describe(p: Mapping[str, Any], m: float) -> str:
    steps = "; ".join(f"từ {pct(t)}: {pts(x)} điểm" for t, x in p["tiers"])
    return f"Theo {basis_text(p)}: {steps}; thấp hơn: 0 điểm"


KIND = RuleKind(
    name="tiers",
    label="Theo mức (ngưỡng)",
    params=(
        *BASIS_PARAMS,
        Param(
            "tiers",
            _is_tiers,
            "danh sách [ngưỡng, điểm], ngưỡng là tỷ lệ viết bằng số (100% là 1, 80% là 0.8), "
            "ví dụ [[1, 1.5], [0.8, 1]]",
            required=True,
        ),
    ),
    fields=rate_fields,
    expression=_expression,
    describe=_describe,
    extra_checks=_checks,
)
