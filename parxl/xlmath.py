"""Excel's arithmetic where it differs from Python's: rounding.

Excel's ROUND takes the value as shown to 15 significant digits and rounds halves away from
zero (ROUND(2.675,2)=2.68, ROUND(1.005,2)=1.01); ROUNDDOWN/ROUNDUP work on the same
15-digit value (ROUNDDOWN(3*0.62,2)=1.86 although 3*0.62 is 1.8599999999999999 in binary).
Python's ``round`` does neither. This module is the one rounding truth of parxl: the Python
evaluator uses it and the ``formulas`` engine gets it registered. Pure Python (runs in Pyodide).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal


def _as_excel_decimal(x: float) -> Decimal:
    return Decimal(f"{x:.15g}")


def _quantize(x: float, digits: int, mode: str) -> float:
    if x != x or x in (float("inf"), float("-inf")):
        return x
    d = _as_excel_decimal(float(x))
    q = Decimal(1).scaleb(-int(digits))
    # ROUND_HALF_UP / ROUND_UP / ROUND_DOWN in decimal are symmetric about zero, as in Excel
    return float(d.quantize(q, rounding=mode)) + 0.0


def xl_round(x: float, digits: int = 0) -> float:
    """Excel ROUND: half away from zero on the 15-significant-digit value."""
    return _quantize(x, digits, ROUND_HALF_UP)


def xl_rounddown(x: float, digits: int = 0) -> float:
    """Excel ROUNDDOWN / TRUNC: toward zero on the 15-significant-digit value."""
    return _quantize(x, digits, ROUND_DOWN)


def xl_roundup(x: float, digits: int = 0) -> float:
    """Excel ROUNDUP: away from zero on the 15-significant-digit value."""
    return _quantize(x, digits, ROUND_UP)
