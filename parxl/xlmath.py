"""Excel-exact ROUND, ROUNDDOWN, ROUNDUP and TRUNC in pure Python.

This module is the single source of rounding truth for parxl: the Python evaluator, the
``formulas`` engine (whose own ROUND family is registered over by these functions) and the
tests all use it. It depends only on the standard library (``decimal``), so it also runs
under Pyodide / xlwings Lite.

How Excel rounds (see docs/XLWINGS.md, section 5):

1. The argument is first taken to **15 significant digits**, the precision Excel shows and
   works with. ``2.675`` is stored as ``2.67499999999999982236431605997495353221893310546875``;
   at 15 significant digits it is ``2.67500000000000`` again.
2. That decimal value is then rounded at ``digits`` places (negative ``digits`` round to the
   left of the decimal point): ROUND half away from zero, ROUNDDOWN towards zero, ROUNDUP away
   from zero. TRUNC is ROUNDDOWN with ``digits`` defaulting to 0.
3. The decimal result is converted back to the nearest float.

So ``ROUND(2.675, 2) = 2.68``, ``ROUND(1.005, 2) = 1.01``, ``ROUND(0.285, 2) = 0.29``,
``ROUND(-0.125, 2) = -0.13``, ``ROUNDDOWN(0.29, 2) = 0.29`` and
``ROUNDDOWN(3*0.62, 2) = 1.86`` (``3*0.62`` is ``1.8599999999999999``, i.e. ``1.86`` at
15 significant digits), where Python's ``round`` and naive ``floor(x*100)/100`` give 2.67,
1.0, 0.28, -0.12, 0.28 and 1.85.

Results are never negative zero (Excel has none): ``xl_round(-0.001, 2) == 0.0``.
Non-finite arguments (``nan``, ``inf``; Excel has neither) raise :class:`ValueError`.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal

__all__ = ["to_15_digits", "xl_round", "xl_rounddown", "xl_roundup", "xl_trunc"]

# Enough precision for any float (up to ~1e308) quantized to any sensible number of places.
_CTX = Context(prec=800, Emax=999_999, Emin=-999_999)
# Beyond these, rounding cannot change a float that has at most 15 significant digits
# (smallest subnormal ~4.9e-324) or always yields zero (largest float ~1.8e308).
_MAX_DIGITS = 340
_MIN_DIGITS = -310


def to_15_digits(x: float) -> Decimal:
    """``x`` as Excel sees it: rounded to 15 significant digits, as an exact Decimal."""
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x!r}")
    if x == 0:
        return Decimal(0)
    # The %e conversion of a float is exact and correctly rounded (half to even on the
    # exact binary value, whose ties at the 16th digit cannot occur for 15-digit decimals).
    return Decimal(f"{x:.14e}")


def _quantize(x: float, digits: int, mode: str) -> float:
    d = to_15_digits(float(x))
    digits = int(digits)
    if digits > _MAX_DIGITS:
        digits = _MAX_DIGITS
    if digits < _MIN_DIGITS:
        digits = _MIN_DIGITS
    exp = Decimal(1).scaleb(-digits, _CTX)
    result = float(d.quantize(exp, rounding=mode, context=_CTX))
    if math.isinf(result):
        raise ValueError(f"rounding {x!r} at {digits} digits overflows")
    return result + 0.0  # -0.0 -> 0.0


def _far_from_half(x: float, digits: int) -> bool:
    """``x`` is so far from a rounding tie at ``digits`` places that taking it to 15
    significant digits first cannot move it across one, so ROUND(x) is the decimal nearest to
    ``x``: what Python's correctly rounded ``round`` gives. For 0 ≤ digits ≤ 9 and
    |x|·10^digits ≤ 1e10 (every score and rate), the 15-digit step moves ``x`` by at most 5e-5
    of a unit at ``digits`` places and the scaling below errs by less than 1e-5 of one; ``x``
    must be 1e-3 of a unit away from a tie."""
    if not 0 <= digits <= 9:
        return False
    scaled = abs(x) * _POW10[digits]
    return scaled <= 1e10 and abs(scaled - math.floor(scaled) - 0.5) > 1e-3


_POW10 = [10.0**k for k in range(10)]


def xl_round(x: float, digits: int) -> float:
    """Excel ``ROUND(x, digits)``: half away from zero, on ``x`` at 15 significant digits."""
    if type(x) is float and type(digits) is int and _far_from_half(x, digits):
        return round(x, digits) + 0.0  # the same float, without Decimal (see _far_from_half)
    return _quantize(x, digits, ROUND_HALF_UP)


def xl_rounddown(x: float, digits: int) -> float:
    """Excel ``ROUNDDOWN(x, digits)``: towards zero, on ``x`` at 15 significant digits."""
    return _quantize(x, digits, ROUND_DOWN)


def xl_roundup(x: float, digits: int) -> float:
    """Excel ``ROUNDUP(x, digits)``: away from zero, on ``x`` at 15 significant digits."""
    return _quantize(x, digits, ROUND_UP)


def xl_trunc(x: float, digits: int = 0) -> float:
    """Excel ``TRUNC(x, digits=0)``: same as ROUNDDOWN (LibreOffice agrees)."""
    return _quantize(x, digits, ROUND_DOWN)
