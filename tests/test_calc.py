"""Tests of parxl.calc: headless recalculation with LibreOffice and `formulas`.

Tests that need LibreOffice skip when it is not installed, except when CI=true: then they
fail, so a CI image without LibreOffice cannot pass silently.
"""

from __future__ import annotations

import hashlib
import math
import os
import signal
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from parxl.calc import (
    Engine,
    computed_values,
    libreoffice_available,
    recalc,
    register_functions,
)
from parxl.calc import libreoffice as lo
from parxl.errors import EngineError, InputError, WorkbookError
from parxl.xlmath import to_15_digits, xl_round, xl_rounddown, xl_roundup, xl_trunc

ENGINES: list[Engine] = ["libreoffice", "formulas"]

S1, S2, S3 = "Lĩnh vực 1", "Tổng hợp", "Thưởng - Trừ"


def _need_libreoffice() -> None:
    if libreoffice_available():
        return
    msg = "LibreOffice (soffice + a python that imports uno) is not installed"
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " but CI=true requires it")
    pytest.skip(msg)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    eng: Engine = request.param
    if eng == "libreoffice":
        _need_libreoffice()
    return eng


@pytest.fixture
def need_lo() -> None:
    _need_libreoffice()


# --------------------------------------------------------------------------- workbooks
def _par_workbook(path: Path) -> Path:
    """A small PAR-like workbook: Vietnamese sheet names, cross-sheet references."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = S1
    ws.append(["Mục", "Điểm tối đa", "Đạt", "Loại", "Điểm"])
    ws.append(["1.1", 2, "Có", "Tự đánh giá", '=IF(C2="Có",B2,0)'])
    ws.append(["1.2", 1.5, "Không", "Thẩm định", '=IF(C3="Có",B3,0)'])
    ws.append(["1.3", 0.62, "có", "Tự đánh giá", '=IF(C4="Có",B4*3,0)'])
    ws.append(["1.4", 0.285, "Có", "Tự đánh giá", '=IF(C5="Có",B5,0)'])
    ws["E6"] = "=SUM(E2:E5)"
    ws["E7"] = "=ROUND(E6,2)"
    ws["E8"] = "=ROUNDDOWN(E4,2)"
    ws["E9"] = "=MIN(E2:E5)"
    ws["E10"] = "=MAX(E2:E5)"
    ws["E11"] = "=COUNTA(A2:D5)"
    ws["E12"] = "=COUNTA(C2:C10)"
    ws["E13"] = '=SUMIF(D2:D5,"Tự đánh giá",B2:B5)'
    ws["E14"] = '=COUNTIF(C2:C5,"Có")'
    ws["E15"] = '=IF(E6>=4,"Đạt","Chưa đạt")'
    ws["E16"] = '=C2="Có"'
    ws["E17"] = "=ROUND(E5,2)"
    ws["E18"] = "=1/0"
    ws3 = wb.create_sheet(S3)
    ws3.append(["Thưởng", 0.5])
    ws3.append(["Trừ", -0.25])
    ws3["B3"] = "=SUM(B1:B2)"
    ws2 = wb.create_sheet(S2)
    ws2["A1"] = "Tổng điểm"
    ws2["B1"] = f"='{S1}'!E7+'{S3}'!B3"
    ws2["B2"] = "=ROUND(B1,1)"
    ws2["B3"] = "=MAX(0,MIN(10,B1))"
    ws2["B4"] = f'=IF(\'{S1}\'!E15="Đạt","Có","Không")'
    ws2["B5"] = f"='{S1}'!E13"
    ws2["B6"] = f"=SUM('{S1}'!E2:E5)-'{S1}'!E6"
    wb.create_sheet("Trống")  # no formulas at all
    wb.save(path)
    return path


PAR_EXPECTED: dict[str, dict[str, object]] = {
    S1: {
        "E2": 2.0,
        "E3": 0.0,
        "E4": 3 * 0.62,
        "E5": 0.285,
        "E6": 2 + 3 * 0.62 + 0.285,
        "E7": 4.15,
        "E8": 1.86,
        "E9": 0.0,
        "E10": 2.0,
        "E11": 16.0,
        "E12": 4.0,
        "E13": 2 + 0.62 + 0.285,
        "E14": 3.0,
        "E15": "Đạt",
        "E16": True,
        "E17": 0.29,
        "E18": "#DIV/0!",
    },
    S3: {"B3": 0.25},
    S2: {
        "B1": 4.4,
        "B2": 4.4,
        "B3": 4.4,
        "B4": "Có",
        "B5": 2 + 0.62 + 0.285,
        "B6": 0.0,
    },
    "Trống": {},
}

# (formula, Excel's documented result): the table of XLWINGS.md section 5 and float products
ROUNDING_CASES: list[tuple[str, float]] = [
    ("ROUND(2.675,2)", 2.68),
    ("ROUND(1.005,2)", 1.01),
    ("ROUND(0.285,2)", 0.29),
    ("ROUND(-0.125,2)", -0.13),
    ("ROUNDDOWN(0.777,2)", 0.77),
    ("TRUNC(0.777,2)", 0.77),
    ("ROUNDDOWN(3*0.62,2)", 1.86),
    ("TRUNC(3*0.62,2)", 1.86),
    ("ROUNDDOWN(0.29,2)", 0.29),
    ("TRUNC(0.29,2)", 0.29),
    ("ROUND(0.145*1,2)", 0.15),
    ("ROUNDUP(0.1+0.2,1)", 0.3),
    ("ROUNDDOWN(0.29*100,0)", 29.0),
    ("ROUND(1234.5678,-2)", 1200.0),
    ("ROUND(2.5,0)", 3.0),
    ("ROUND(-2.5,0)", -3.0),
    ("ROUNDUP(-1.221,2)", -1.23),
    ("ROUNDDOWN(-1.229,2)", -1.22),
    ("ROUNDUP(1.2,0)", 2.0),
    ("TRUNC(-8.9)", -8.0),
    ("ROUND(A1*B1,2)", 1.86),  # A1 = 3, B1 = 0.62: the product comes from cells
    ("ROUNDDOWN(A1*B1,2)", 1.86),
    ("ROUNDDOWN(C1,2)", 0.29),  # C1 = 0.29
    ("ROUND(D1*1,2)", 0.15),  # D1 = 0.145
]


def _rounding_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Làm tròn"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = 3, 0.62, 0.29, 0.145
    for i, (formula, _) in enumerate(ROUNDING_CASES, start=2):
        ws.cell(row=i, column=5, value="=" + formula)
    wb.save(path)
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_values(
    got: dict[str, dict[str, object]], expected: dict[str, dict[str, object]]
) -> None:
    assert list(got) == list(expected) or set(got) == set(expected)
    for sheet, cells in expected.items():
        assert set(got[sheet]) == set(cells), sheet
        for addr, want in cells.items():
            value = got[sheet][addr]
            where = f"{sheet}!{addr}"
            if isinstance(want, bool | str):
                assert value == want and type(value) is type(want), (where, value, want)
            else:
                assert isinstance(value, float), (where, value)
                assert value == pytest.approx(want, rel=1e-12, abs=1e-12), (where, value, want)


# --------------------------------------------------------------------------- xlround
@pytest.mark.parametrize(
    ("func", "x", "digits", "want"),
    [
        (xl_round, 2.675, 2, 2.68),
        (xl_round, 1.005, 2, 1.01),
        (xl_round, 0.285, 2, 0.29),
        (xl_round, -0.125, 2, -0.13),
        (xl_round, 0.145 * 1, 2, 0.15),
        (xl_round, 1234.5678, -2, 1200.0),
        (xl_round, -2.5, 0, -3.0),
        (xl_round, 0.0, 2, 0.0),
        (xl_round, 1e300, 2, 1e300),
        (xl_round, 5e-324, 400, 5e-324),
        (xl_rounddown, 0.777, 2, 0.77),
        (xl_rounddown, 3 * 0.62, 2, 1.86),
        (xl_rounddown, 0.29, 2, 0.29),
        (xl_rounddown, 0.29 * 100, 0, 29.0),
        (xl_rounddown, -1.229, 2, -1.22),
        (xl_roundup, 0.1 + 0.2, 1, 0.3),
        (xl_roundup, -1.221, 2, -1.23),
        (xl_roundup, 1.2, 0, 2.0),
        (xl_trunc, 0.777, 2, 0.77),
        (xl_trunc, -8.9, 0, -8.0),
    ],
)
def test_xlround_table(
    func: Callable[[float, int], float], x: float, digits: int, want: float
) -> None:
    assert func(x, digits) == want


def test_xlround_no_negative_zero_and_non_finite() -> None:
    assert math.copysign(1, xl_round(-0.001, 2)) == 1
    assert math.copysign(1, xl_rounddown(-0.009, 2)) == 1
    assert xl_trunc(-8.9) == -8.0
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            xl_round(bad, 2)


def test_to_15_digits() -> None:
    assert to_15_digits(2.675) == Decimal("2.675")
    assert to_15_digits(3 * 0.62) == Decimal("1.86")
    assert to_15_digits(0.1 + 0.2) == Decimal("0.3")
    assert to_15_digits(-0.0) == 0


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-6, max_value=8),
)
def test_xlround_properties(x: float, digits: int) -> None:
    r, down, up = xl_round(x, digits), xl_rounddown(x, digits), xl_roundup(x, digits)
    assert abs(down) <= abs(r) <= abs(up) or r == down == up
    assert down == xl_trunc(x, digits)
    # rounding an already rounded value changes nothing
    assert xl_round(r, digits) == r
    assert xl_rounddown(down, digits) == down
    # symmetric about zero (half away from zero, towards / away from zero)
    assert xl_round(-x, digits) == -r + 0.0
    assert xl_rounddown(-x, digits) == -down + 0.0


@given(
    st.one_of(
        st.floats(min_value=-1e10, max_value=1e10, allow_nan=False, allow_infinity=False),
        # near and at ties: k / 10^d plus or minus a few units in the last places
        st.builds(lambda k, d, e: (k + 0.5) / 10.0**d + e * 1e-17 * (abs(k) + 1) / 10.0**d,
                  st.integers(-10**9, 10**9), st.integers(0, 9), st.integers(-10**6, 10**6)),
        # what scoring rounds: differences of points with a few decimals (0.5 - 0.37)
        st.builds(lambda a, b: a / 100 - b / 1000, st.integers(0, 10**4), st.integers(0, 10**5)),
    ),
    st.integers(min_value=-3, max_value=12),
)
def test_xlround_fast_path_is_the_decimal_path(x: float, digits: int) -> None:
    """xl_round skips Decimal far from a tie; it must give exactly what the Decimal path gives."""
    from decimal import ROUND_HALF_UP

    from parxl.xlmath import _quantize

    assert xl_round(x, digits) == _quantize(x, digits, ROUND_HALF_UP)


# --------------------------------------------------------------------------- both engines
def test_par_workbook_values(engine: Engine, tmp_path: Path) -> None:
    src = _par_workbook(tmp_path / "Bộ chỉ số.xlsx")
    before = _sha(src)
    got = computed_values(src, engine)
    assert _sha(src) == before
    _assert_values(got, PAR_EXPECTED)
    assert sorted(os.listdir(tmp_path)) == ["Bộ chỉ số.xlsx"]  # no lock or temp files


def test_rounding_table(engine: Engine, tmp_path: Path) -> None:
    src = _rounding_workbook(tmp_path / "làm tròn.xlsx")
    got = computed_values(src, engine)["Làm tròn"]
    wrong = {
        formula: got[f"E{i}"]
        for i, (formula, want) in enumerate(ROUNDING_CASES, start=2)
        if got[f"E{i}"] != want
    }
    assert wrong == {}


def test_recalc_writes_formulas_and_cached_values(engine: Engine, tmp_path: Path) -> None:
    src = _par_workbook(tmp_path / "nguồn.xlsx")
    before = _sha(src)
    dst = tmp_path / "kết quả" / "đã tính.xlsx"
    recalc(src, dst, engine)
    assert _sha(src) == before
    assert sorted(os.listdir(dst.parent)) == ["đã tính.xlsx"]  # the temp file is gone
    values = openpyxl.load_workbook(dst, data_only=True)
    formulas = openpyxl.load_workbook(dst)
    assert values.sheetnames == [S1, S3, S2, "Trống"]
    got: dict[str, dict[str, object]] = {}
    for ws in values.worksheets:
        got[ws.title] = {}
        for row in formulas[ws.title].iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    v = ws[cell.coordinate].value
                    got[ws.title][cell.coordinate] = float(v) if type(v) is int else v
    _assert_values(got, PAR_EXPECTED)
    assert formulas[S2]["B1"].value == f"='{S1}'!E7+'{S3}'!B3"
    assert formulas[S1]["B2"].value == 2  # plain values untouched
    # everything but the worksheets is byte-identical
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if not name.startswith("xl/worksheets/"):
                assert a.read(name) == b.read(name), name
    # and a second recalculation of the result gives the same file
    dst2 = tmp_path / "lần hai.xlsx"
    recalc(dst, dst2, engine)
    assert computed_values(dst2, engine) == computed_values(dst, engine)


def test_engines_agree(need_lo: None, tmp_path: Path) -> None:
    src = _par_workbook(tmp_path / "so sánh.xlsx")
    a = computed_values(src, "libreoffice")
    b = computed_values(src, "formulas")
    assert a.keys() == b.keys()
    for sheet in a:
        for addr, va in a[sheet].items():
            vb = b[sheet][addr]
            if isinstance(va, float) and isinstance(vb, float):
                assert va == pytest.approx(vb, abs=1e-12), (sheet, addr)
            else:
                assert va == vb, (sheet, addr)


def test_bad_arguments(tmp_path: Path) -> None:
    src = _par_workbook(tmp_path / "a.xlsx")
    with pytest.raises(InputError):
        recalc(src, src, "formulas")
    with pytest.raises(InputError):
        computed_values(src, "excel")  # type: ignore[arg-type]
    junk = tmp_path / "hỏng.xlsx"
    junk.write_text("không phải xlsx", encoding="utf-8")
    with pytest.raises(WorkbookError) as err:
        computed_values(junk, "formulas")
    assert "hỏng.xlsx" in str(err.value)
    with pytest.raises(WorkbookError):
        computed_values(tmp_path / "không có.xlsx", "formulas")


# --------------------------------------------------------------------------- formulas / UDFs
def test_formulas_reuses_compiled_model_for_same_formulas(tmp_path: Path) -> None:
    """A workbook with the template's formulas but other inputs is calculated by the cached
    model exactly as by a fresh compilation, including cells blanked or newly filled."""
    from parxl.calc import formulas_engine

    src = _par_workbook(tmp_path / "mẫu.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb[S1]
    ws["B2"] = None  # blanked
    ws["C3"] = "Có"  # text changed
    ws["B3"] = 2.675
    ws["D3"] = "Tự đánh giá"
    ws["A7"] = "ghi chú"  # a new, unreferenced cell
    wb[S3]["B2"] = None
    variant = tmp_path / "biến thể.xlsx"
    wb.save(variant)
    formulas_engine.clear_cache()
    fresh = computed_values(variant, "formulas")
    formulas_engine.clear_cache()
    computed_values(src, "formulas")  # compiles and caches the model
    cached = computed_values(variant, "formulas")
    assert len(formulas_engine._cache) == 1  # the variant reused the template's model
    assert cached == fresh
    assert cached[S1]["E2"] == 0.0
    assert cached[S1]["E3"] == 2.675
    assert cached[S1]["E13"] == pytest.approx(2.675 + 0.62 + 0.285)
    assert cached[S3]["B3"] == 0.5
    _assert_values(computed_values(src, "formulas"), PAR_EXPECTED)  # and back again


def test_formulas_calculates_a_file_named_with_brackets(tmp_path: Path) -> None:
    """`formulas` names each cell after its file in brackets ('[x.xlsx]SHEET'!A1): a return saved
    as 'QĐ [dự thảo].xlsx' had #REF! or nothing in its computed cells, so `verify` reported
    differences and `recalc` wrote them, where LibreOffice calculated it as any file."""
    from parxl.calc import formulas_engine

    src = _par_workbook(tmp_path / "QĐ [dự thảo].xlsx")
    formulas_engine.clear_cache()  # compiled from this file, not a cached model of another
    _assert_values(computed_values(src, "formulas"), PAR_EXPECTED)
    assert sorted(os.listdir(tmp_path)) == ["QĐ [dự thảo].xlsx"]


def test_register_functions_udf(tmp_path: Path) -> None:
    # test names, not PAR_*: the registry is global and parxl registers its own PAR_* UDFs
    seen: list[tuple[Any, ...]] = []

    def par_score(points: Any, weight: Any = 1.0) -> float:
        seen.append((points, weight))
        return float(sum(p for p in points if isinstance(p, float)) * weight)

    def par_fail(x: Any) -> float:
        raise RuntimeError("boom")

    def par_label(x: Any) -> str:
        return "Đạt" if x else "Chưa đạt"

    register_functions({"TEST_SCORE": par_score, "test_fail": par_fail, "TEST_LABEL": par_label})
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = S1
    for i, v in enumerate([1, 2.5, "x", None], start=1):
        ws.cell(row=i, column=1, value=v)
    ws["B1"] = "=TEST_SCORE(A1:A4,B2)"
    ws["B2"] = 2
    ws["B3"] = "=_xludf.TEST_SCORE(A1:A2)"
    ws["B4"] = "=TEST_FAIL(1)"
    ws["B5"] = "=TEST_LABEL(B1>5)"
    ws["B6"] = "=ROUND(TEST_SCORE(A1:A2,0.2345),2)"
    src = tmp_path / "udf.xlsx"
    wb.save(src)
    got = computed_values(src, "formulas")[S1]
    assert got == {"B1": 7.0, "B3": 3.5, "B4": "#VALUE!", "B5": "Đạt", "B6": 0.82}
    assert ([1.0, 2.5, "x", None], 2.0) in seen  # a column arrives as a list, as in xlwings
    with pytest.raises(ValueError):
        register_functions({"not a name": par_fail})


# --------------------------------------------------------------------------- LibreOffice
def test_libreoffice_really_recalculates(need_lo: None, tmp_path: Path) -> None:
    """A stale cached value in the file must not be what LibreOffice reports."""
    src = _par_workbook(tmp_path / "nguồn.xlsx")
    stale = tmp_path / "cũ.xlsx"
    recalc(src, stale, "formulas")
    with zipfile.ZipFile(stale) as zin:
        data = {i.filename: zin.read(i) for i in zin.infolist()}
    for name, blob in data.items():
        if name.startswith("xl/worksheets/"):
            text = blob.decode("utf-8")
            text = text.replace("<v>4.15</v>", "<v>999</v>").replace("<v>1.86</v>", "<v>-1</v>")
            data[name] = text.encode("utf-8")
    with zipfile.ZipFile(stale, "w") as zout:
        for name, blob in data.items():
            zout.writestr(name, blob)
    assert openpyxl.load_workbook(stale, data_only=True)[S1]["E7"].value == 999
    got = computed_values(stale, "libreoffice")
    assert got[S1]["E7"] == 4.15
    assert got[S1]["E8"] == 1.86


def test_libreoffice_restarts_after_crash(need_lo: None, tmp_path: Path) -> None:
    src = _rounding_workbook(tmp_path / "a.xlsx")
    first = computed_values(src, "libreoffice")
    pid = lo._call({"op": "ping"}, str(src))["pid"]
    assert isinstance(pid, int)
    os.killpg(pid, signal.SIGKILL)  # our own soffice, started by our worker
    assert computed_values(src, "libreoffice") == first
    new_pid = lo._call({"op": "ping"}, str(src))["pid"]
    assert new_pid != pid


def test_libreoffice_worker_restarts_after_worker_death(need_lo: None, tmp_path: Path) -> None:
    src = _rounding_workbook(tmp_path / "a.xlsx")
    first = computed_values(src, "libreoffice")
    worker = lo._worker
    assert worker is not None
    soffice_pid = worker.soffice_pid
    assert isinstance(soffice_pid, int)
    worker.proc.kill()  # the worker we started: it cannot end its soffice, the parent must
    worker.proc.wait()
    assert computed_values(src, "libreoffice") == first
    assert lo._worker is not None and lo._worker is not worker
    assert _group_ends(soffice_pid)  # the orphaned soffice has been ended


def _group_ends(pgid: int) -> bool:
    """Whether every process of the group ends: SIGKILL lands asynchronously, and a killed orphan
    stays a zombie until the machine's init reaps it (some containers' init never does)."""
    for _ in range(200):
        states = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # ended while we looked
            if int(fields[2]) == pgid:
                states.append(fields[0])
        if all(state in "ZX" for state in states):
            return True
        time.sleep(0.05)
    return False


def test_libreoffice_bad_file_is_engine_error(need_lo: None, tmp_path: Path) -> None:
    src = _par_workbook(tmp_path / "a.xlsx")
    with pytest.raises(EngineError) as err:
        lo.typed_values(tmp_path / "không có.xlsx")
    assert "không có.xlsx" in str(err.value)
    # a zip that LibreOffice cannot read as a spreadsheet
    bad = tmp_path / "hỏng.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            if info.filename != "[Content_Types].xml":
                zout.writestr(info, b"\x00garbage")
    with pytest.raises(EngineError) as err2:
        lo.typed_values(bad)
    assert "hỏng.xlsx" in str(err2.value)
    assert computed_values(src, "libreoffice")[S2]["B4"] == "Có"  # still usable


def test_libreoffice_store(need_lo: None, tmp_path: Path) -> None:
    """LibreOffice's own xlsx export (not used by recalc) also carries the values."""
    src = _par_workbook(tmp_path / "nguồn.xlsx")
    dst = tmp_path / "lo.xlsx"
    lo.store(src, dst)
    values = openpyxl.load_workbook(dst, data_only=True)
    assert values[S2]["B4"].value == "Có"
    assert values[S1]["E8"].value == 1.86
    assert values[S1]["E16"].value is True


def test_libreoffice_booleans_without_basic(
    need_lo: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback that reads number formats over UNO finds the same booleans."""
    src = _par_workbook(tmp_path / "a.xlsx")
    with_basic = computed_values(src, "libreoffice")
    lo.shutdown()
    monkeypatch.setenv("PARXL_LO_NO_BASIC", "1")
    try:
        without = computed_values(src, "libreoffice")
    finally:
        lo.shutdown()  # the next test gets a worker with the normal environment
    assert without == with_basic
    assert without[S1]["E16"] is True


def test_libreoffice_missing_is_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _par_workbook(tmp_path / "Tổng hợp.xlsx")
    lo.shutdown()
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    with pytest.raises(EngineError) as err:
        computed_values(src, "libreoffice")
    text = str(err.value)
    assert "Không tìm thấy LibreOffice" in text
    assert "Tổng hợp.xlsx" in text


_ROUND_FUNCS: dict[str, Callable[[float, int], float]] = {
    "ROUND": xl_round,
    "ROUNDDOWN": xl_rounddown,
    "ROUNDUP": xl_roundup,
    "TRUNC": xl_trunc,
}

_short_decimals = st.builds(
    lambda n, places: n / 10**places,
    st.integers(min_value=-(10**7), max_value=10**7),
    st.integers(min_value=0, max_value=5),
)
_case = st.tuples(
    st.sampled_from(sorted(_ROUND_FUNCS)),
    st.one_of(
        st.tuples(_short_decimals, st.just(None)),  # 2.675, 0.285, ...: ties at 15 digits
        st.tuples(_short_decimals, _short_decimals),  # products like 3*0.62
        st.tuples(
            st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
            st.just(None),
        ),
    ),
    st.integers(min_value=-4, max_value=6),
)


def _significant_digits(x: float) -> int:
    """How many significant digits ``x`` has once taken to 15 (as Excel sees it)."""
    d = to_15_digits(x).normalize()
    return len(d.as_tuple().digits) if d else 0


# LibreOffice 7.4 agrees with Excel's rule (x at 15 significant digits, then rounded) only while
# the result keeps at most 12 significant digits; beyond that it works on x * 10**digits in
# binary (tested: ROUND(77574.840190775,8) = 77574.84019077 there, 77574.84019078 in
# xl_round; ROUNDUP(4545371.0900000008,6) = 4545371.090001 there, 4545371.09 in xl_roundup).
# Its ROUNDDOWN/ROUNDUP/TRUNC also look at the digits of x beyond about the 12th:
# ROUNDDOWN(12.3499999999996,2) = 12.35 there, 12.34 in xl_rounddown. So the comparison
# covers results of at most 12 significant digits and, for the directed functions, x of at
# most 12 significant digits, which still includes every float product like 3*0.62 =
# 1.8599999999999999 (1.86 at 15 digits) and every PAR score.
_LO_MAX_KEPT = 12
_LO_DIRECTED_MAX_DIGITS = 12


def _lo_comparable(func: str, x: float, digits: int) -> bool:
    if x == 0:
        return True
    if to_15_digits(x).adjusted() + 1 + digits > _LO_MAX_KEPT:
        return False
    # products computed in the sheet (A*B) can differ from Python's by an ulp, which for
    # directed rounding of large values decides the last kept digit: stay in PAR magnitudes
    return func == "ROUND" or (_significant_digits(x) <= _LO_DIRECTED_MAX_DIGITS and abs(x) < 1e7)


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # the message lists every mismatch
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_case, min_size=300, max_size=300))
def test_xlround_agrees_with_libreoffice(
    tmp_path_factory: pytest.TempPathFactory,
    cases: list[tuple[str, tuple[float, float | None], int]],
) -> None:
    _need_libreoffice()
    path = tmp_path_factory.mktemp("hyp") / "làm tròn ngẫu nhiên.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Ngẫu nhiên"
    expected: dict[str, float] = {}
    for row, (func, (a, b), digits) in enumerate(cases, start=1):
        ws.cell(row=row, column=1, value=a)
        if b is None:
            x, arg = a, f"A{row}"
        else:
            ws.cell(row=row, column=2, value=b)
            x, arg = a * b, f"A{row}*B{row}"
        ws.cell(row=row, column=3, value=f"={func}({arg},{digits})")
        if _lo_comparable(func, x, digits):
            expected[f"C{row}"] = _ROUND_FUNCS[func](x, digits)
    wb.save(path)
    got = computed_values(path, "libreoffice")["Ngẫu nhiên"]
    wrong = {ws[a].value: (got[a], want) for a, want in expected.items() if got[a] != want}
    assert wrong == {}


def test_not_applicable_note_shows_the_applicable_maximum(engine: Engine, mini: Any, tmp_path: Path) -> None:
    """The summary's note on exempt items states the applicable maximum as the user's Excel shows
    numbers (12,5 − 1 − 3 = 8,5 for mini), not through TEXT(…, "0.00"), whose format codes
    another locale's Excel reads differently. The index is on that maximum plus the bonus cap
    (8,5 + 1 = 9,5, the line above it): the note once said 8,5 (qa5 B2)."""
    from parxl.workbook.build import build_template
    from parxl.workbook.fill import fill_values

    template = build_template(mini, tmp_path / "t.xlsx")
    filled = tmp_path / "f.xlsx"
    fill_values(template, {("1.1.1", "status"): "Không áp dụng", ("2.1.1", "status"): "Không áp dụng"}, filled)
    notes = [v for v in computed_values(filled, engine)["Tổng hợp"].values()
             if isinstance(v, str) and "không áp dụng" in v]
    assert notes == ["Có 2 tiêu chí thành phần không áp dụng: chỉ số tính trên 9.5 điểm (điểm tối đa áp dụng "
                     "8.5 điểm và giới hạn điểm thưởng 1 điểm)."]


def test_recalc_replaces_its_own_output_never_one_edited_since(tmp_path: Path) -> None:
    """A recalculated copy keeps its source's save time: running again replaces it, but one
    opened and saved since (notes added in Excel) is refused, nothing written; a source saved by
    Excel itself is recalculated again over its own earlier copy."""
    from tests.conftest import saved_as_of

    src = _par_workbook(tmp_path / "nguồn.xlsx")
    dst = tmp_path / "đã tính.xlsx"
    recalc(src, dst, "formulas")
    recalc(src, dst, "formulas")  # a re-run
    saved_as_of(dst, "2026-12-04T03:00:00Z")
    edited = dst.read_bytes()
    with pytest.raises(InputError, match=r"'.*đã tính\.xlsx' đã được sửa và lưu lại lúc 10:00 ngày 04/12/2026"):
        recalc(src, dst, "formulas")
    assert dst.read_bytes() == edited
    saved_as_of(src, "2026-12-05T01:00:00Z")  # the source itself saved by Excel, then recalculated
    recalc(src, tmp_path / "khác.xlsx", "formulas")
    recalc(src, tmp_path / "khác.xlsx", "formulas")
    (tmp_path / "ghi-chu.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="là tệp khác, không do parxl tạo"):
        recalc(src, tmp_path / "ghi-chu.xlsx", "formulas")
