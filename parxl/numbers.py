"""Reading and writing numbers the way Vietnamese documents and staff type them.

Sources mix ``93,23`` and ``35.57`` as decimals and ``22.583.451`` as thousands; percentages come
as ``77,7%`` or ``77.7 %``. Pure Python (runs under Pyodide too).
"""

from __future__ import annotations

import math
import re

from parxl.xlmath import xl_round

_NUM = re.compile(r"^[+-]?[\d.,\s]*\d[\d.,\s]*$")


# Excel's cell error values, as xlwings gives them when asked (``err_to_str``) and Office.js
# sends them
CELL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
               "#SPILL!", "#CALC!", "#BUSY!", "#FIELD!", "#CONNECT!", "#BLOCKED!", "#UNKNOWN!")


def cell_text(value: object) -> str:
    """A cell's value as text: blank for nothing, ``12`` (not ``12.0``) for a whole number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def excel_text(value: object) -> str:
    """A value as Excel writes it in a message: TRUE / FALSE for a logical value (not Python's
    True), a whole number without ".0"."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return cell_text(value)


def parse_vn_number(value: object) -> float | None:
    """Return the number a cell or text means, or None when it is not a number.

    ``"93,23"`` -> 93.23; ``"22.583.451"`` -> 22583451; ``"1.234,5"`` -> 1234.5;
    ``"35.57"`` -> 35.57; ``"77,7%"`` -> 0.777; ``3`` -> 3.0. Booleans are not numbers.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return None
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    text = text.replace(" ", "")
    if not text or not _NUM.match(text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # the separator that comes last is the decimal one
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif commas:
        if commas > 1:
            if not _grouped(text, ","):
                return None
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif dots > 1:
        if not _grouped(text, "."):
            return None
        text = text.replace(".", "")
    elif dots == 1:
        head, tail = text.split(".")
        # "22.583" is ambiguous; a Vietnamese writer means thousands when exactly 3 digits
        # follow and the head has no leading zero ("0.583" stays a decimal).
        if len(tail) == 3 and head and head != "0" and not percent:
            text = head + tail
    try:
        number = sign * float(text)
    except ValueError:
        return None
    return number / 100.0 if percent else number


def _grouped(text: str, sep: str) -> bool:
    parts = text.split(sep)
    return bool(parts[0]) and len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def format_vn_number(value: float, decimals: int = 2, *, trim: bool = True) -> str:
    """``93.23`` -> ``"93,23"``; ``22583451`` -> ``"22.583.451"``; trims trailing zeros.

    Rounded as Excel shows the number (half away from zero on its 15 significant digits): 69,755
    is ``"69,76"`` in the text as in the workbook, where Python's own rounding gives 69,75.
    From 1E+15 on, as Excel shows it: ``"1E+308"``; a value Excel cannot hold is ``"#NUM!"``."""
    if not math.isfinite(value):
        return "#NUM!"
    if abs(value) >= 1e15:
        mantissa, _, exponent = f"{value:.{decimals}E}".partition("E")
        if trim and "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa.replace('.', ',')}E{exponent}"
    value = xl_round(float(value), decimals)
    text = f"{abs(value):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return ("-" if value < 0 and text.strip("0,.") else "") + text


def format_vn_percent(fraction: float, decimals: int = 2, *, trim: bool = True) -> str:
    """``0.2216`` -> ``"22,16%"``; ``0.75`` -> ``"75%"``, or ``"75,00%"`` with ``trim=False``
    (a column of a table)."""
    return format_vn_number(fraction * 100.0, decimals, trim=trim) + "%"
