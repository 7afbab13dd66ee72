"""Points proportional to a rate: max × rate, rounded half away from zero or truncated.

Seed 004: digitised dossiers 62% of 3 points → 1.86; training completed 77.7% of 1 point →
0.77 (truncated); dossiers resolved on time 2.99 of 3 (rate from counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parxl.rules._rate import BASIS_PARAMS, basis_text, rate_fields, with_rate
from parxl.rules.base import Param, RuleKind, is_digits, pts
from parxl.rules.expr import MAXPTS, ROUND, ROUNDDOWN


def _expression(p: Mapping[str, Any]) -> Any:
    rnd = ROUNDDOWN if p["rounding"] == "trunc" else ROUND
    return with_rate(p, lambda rate: rnd(MAXPTS * rate, int(p["decimals"])))


def _describe(p: Mapping[str, Any], m: float) -> str:
    how = "cắt bỏ phần lẻ" if p["rounding"] == "trunc" else "làm tròn"
    return f"{pts(m)} điểm × {basis_text(p)}, {how} {p['decimals']} chữ số thập phân"


KIND = RuleKind(
    name="proportional",
    label="Tỷ lệ thuận",
    params=(
        *BASIS_PARAMS,
        Param("rounding", lambda v: v in ("round", "trunc"), "'round' hoặc 'trunc'", "round"),
        Param("decimals", is_digits, "số nguyên từ 0 đến 6", 2),
    ),
    fields=rate_fields,
    expression=_expression,
    describe=_describe,
)
