"""Where a rate comes from: typed as a percentage, or computed from raw counts.

A good tool computes the rate from the counts (dossiers resolved on time ÷ dossiers resolved)
rather than trusting a typed percentage; with ``basis: counts`` the item takes the two counts
and a zero denominator scores ``if_zero`` ("max": nothing to resolve counts as done, or 0).
``basis: amounts`` is the same for quantities that need not be whole (funds disbursed ÷ funds
planned, in millions of đồng): the checks then do not warn about decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from parxl.rules.base import AMOUNT, COUNT, RATE, Field, Param
from parxl.rules.expr import IF, MAX, MAXPTS, MIN, V1, V2, Expr

BASIS_PARAMS = (
    Param(
        "basis",
        lambda v: v in ("rate", "counts", "amounts"),
        "'rate' (nhập tỷ lệ), 'counts' (nhập tử số, mẫu số là số đếm) hoặc 'amounts' (tử số, mẫu số "
        "có phần thập phân, ví dụ số tiền)",
        "rate",
    ),
    Param(
        "if_zero", lambda v: v in ("max", "zero"), "'max' hoặc 'zero' (khi mẫu số bằng 0)", "max"
    ),
    Param(
        "numerator",
        lambda v: isinstance(v, str) and bool(v.strip()),
        "văn bản (tên tử số)",
        "Tử số",
    ),
    Param(
        "denominator",
        lambda v: isinstance(v, str) and bool(v.strip()),
        "văn bản (tên mẫu số)",
        "Mẫu số",
    ),
)


def from_parts(p: Mapping[str, Any]) -> bool:
    """The rate is computed from a numerator and a denominator."""
    return p.get("basis") in ("counts", "amounts")


def rate_fields(p: Mapping[str, Any]) -> tuple[Field, ...]:
    if from_parts(p):
        kind = COUNT if p["basis"] == "counts" else AMOUNT
        return (
            Field("numerator", 1, kind, str(p["numerator"])),
            Field("denominator", 2, kind, str(p["denominator"])),
        )
    return (Field("rate", 1, RATE, "Tỷ lệ đạt được (%)", "%"),)


def with_rate(p: Mapping[str, Any], body: Callable[[Expr], Expr]) -> Expr:
    """``body(rate)`` where rate is in [0, 1]; guards a zero denominator."""
    if from_parts(p):
        on_zero: Expr | float = MAXPTS if p["if_zero"] == "max" else 0.0
        return IF(V2 <= 0, on_zero, body(MIN(MAX(V1, 0) / V2, 1)))
    return body(MIN(MAX(V1, 0), 1))


def basis_text(p: Mapping[str, Any]) -> str:
    if from_parts(p):
        return f"tỷ lệ = {str(p['numerator']).lower()} / {str(p['denominator']).lower()}"
    return "tỷ lệ nhập (%)"
