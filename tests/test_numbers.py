from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parxl.numbers import format_vn_number, format_vn_percent, parse_vn_number
from parxl.xlmath import xl_round, xl_rounddown


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("93,23", 93.23),
        ("35.57", 35.57),
        ("22.583.451", 22583451),
        ("1.234,5", 1234.5),
        ("590.161,540", 590161.54),
        ("77,7%", 0.777),
        ("77.7 %", 0.777),
        ("-0,5", -0.5),
        ("3", 3.0),
        (" 1 234 ", 1234.0),
        (2.5, 2.5),
    ],
)
def test_parse_vietnamese_numbers(text: object, value: float) -> None:
    assert parse_vn_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "=1+1", "12.34.5", None, True, "%"])
def test_parse_rejects_non_numbers(text: object) -> None:
    assert parse_vn_number(text) is None


def test_format_vietnamese() -> None:
    assert format_vn_number(93.23) == "93,23"
    assert format_vn_number(22583451, 0) == "22.583.451"
    assert format_vn_number(1.5, 2, trim=False) == "1,50"
    assert format_vn_percent(1.5 / 6.77) == "22,16%"


def test_format_rounds_as_excel_shows_the_number() -> None:
    # 69,755 (the average of 71,32 and 68,19) is shown 69,76 by Excel's "0.00" format and by
    # ROUND; the text of the CLI and the Word report must say the same, not 69,75
    assert format_vn_number((71.32 + 68.19) / 2, 2, trim=False) == "69,76"
    assert format_vn_number(2.675, 2) == "2,68"
    assert format_vn_number(-0.125, 2) == "-0,13"
    assert format_vn_percent(0.22155) == "22,16%"


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_format_then_parse_round_trips(d: object) -> None:
    x = float(d)  # type: ignore[arg-type]
    assert parse_vn_number(format_vn_number(x, 2, trim=False)) == pytest.approx(x, abs=1e-9)


@pytest.mark.parametrize(
    ("x", "digits", "excel"),
    # Excel's documented results (XLWINGS.md): halves away from zero on the 15-digit value
    [
        (2.675, 2, 2.68),
        (1.005, 2, 1.01),
        (0.285, 2, 0.29),
        (-0.125, 2, -0.13),
        (3 * 0.555, 2, 1.67),
    ],
)
def test_round_like_excel(x: float, digits: int, excel: float) -> None:
    assert xl_round(x, digits) == excel


@pytest.mark.parametrize(
    ("x", "excel"), [(0.777, 0.77), (3 * 0.62, 1.86), (0.29, 0.29), (-0.777, -0.77)]
)
def test_rounddown_like_excel(x: float, excel: float) -> None:
    assert xl_rounddown(x, 2) == excel


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_of_a_table_kept_in_excel_reads_back_exactly(v: float) -> None:
    """A roster or appraisal kept in Excel is read as CSV text (parxl.inputs.read_table_text):
    every number cell's text must read back as that very number, whatever its size."""
    from parxl.inputs import _as_csv

    assert parse_vn_number(_as_csv(v)) == v
