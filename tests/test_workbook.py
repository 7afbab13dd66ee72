"""Templates: layout, protection, validation, reproducibility, fill by code, reading back."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parxl.errors import InputError, WorkbookError
from parxl.framework import Framework, from_dict, load_yaml
from parxl.inputs import STATUS, InputField, input_fields, normalize, read_values, write_input_table
from parxl.numbers import format_vn_number
from parxl.rules.base import AMOUNT, COUNT, POINTS, RATE, YESNO
from parxl.score import STATUSES, score_values
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_csv, fill_values
from parxl.workbook.read import read_return
from tests.conftest import DATA, libreoffice_convert, require_libreoffice


@pytest.fixture
def template(mini: Framework, tmp_path: Path) -> Path:
    return build_template(mini, tmp_path / "Phòng Nội vụ" / "Mẫu 2024.xlsx")


def test_one_sheet_per_domain_and_summary(template: Path, mini: Framework) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Lĩnh vực 1",
        "Lĩnh vực 2",
        "Thưởng - Trừ",
        "Hướng dẫn",
        "_parxl",
    ]
    assert wb["_parxl"].sheet_state == "hidden"
    assert {"PAR_TONG_DIEM", "PAR_CHI_SO", "PAR_DIEM_BI_TRU"} <= set(wb.defined_names)


def test_same_inputs_same_bytes(mini: Framework, tmp_path: Path) -> None:
    a = build_template(mini, tmp_path / "a.xlsx")
    b = build_template(mini, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert b"2024-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_only_inputs_are_unlocked(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["Lĩnh vực 2"]
    assert ws.protection.sheet is True
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    # 2.1.1 (row 6) has two inputs: numerator and denominator; 2.1.2 (row 7) only a rate
    assert {"G6", "H6", "I6", "J6", "K6", "G7", "H7", "J7", "K7"} <= unlocked
    assert "I7" not in unlocked and "O6" not in unlocked and "E6" not in unlocked


def test_input_cells_have_vietnamese_validation(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["Lĩnh vực 1"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any("Chưa đến hạn" in (dv.formula1 or "") for dv in lists)
    assert any(dv.formula1 == '"Có,Không"' for dv in lists)
    rate = next(
        dv for dv in ws.data_validations.dataValidation if dv.errorTitle == "Tỷ lệ không hợp lệ"
    )
    assert "H7" in str(rate.sqref)


def test_fill_by_code_then_read_back(template: Path, mini: Framework, tmp_path: Path) -> None:
    csv = tmp_path / "vals.csv"
    csv.write_text(
        'code,field,value\n_body,name,Huyện Thử\n1.1.2,rate,"77,7%"\n2.1.1,numerator,22.583\n'
        '2.1.1,denominator,22.583.451\n2.1.3,explanation,"=HYPERLINK(""http://x"")"\n',
        encoding="utf-8",
    )
    out = tmp_path / "filled.xlsx"
    assert fill_csv(template, csv, out) == 5
    ret = read_return(out)
    assert ret.body == "Huyện Thử"
    assert ret.values[("1.1.2", "rate")] == pytest.approx(0.777)
    assert ret.values[("2.1.1", "denominator")] == 22583451
    assert ret.cells[("1.1.2", "rate")] == ("Lĩnh vực 1", "H7")
    # user text that looks like a formula stays text
    ws = openpyxl.load_workbook(out)["Lĩnh vực 2"]
    assert ws["K8"].data_type == "s" and ws["K8"].value.startswith("=HYPERLINK")
    assert score_values(mini, ret.values).items["1.1.2"].achieved == 1.55


def test_fill_reports_every_bad_value_with_its_line(template: Path, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(
        'code,field,value\n1.1.2,rate,"77,7"\n2.1.3,incidents,-3\n9.9.9,points,1\n1.1.1,done,maybe\n'
        "2.2.1,points,5\n1.1.1,status,xong\n2.1.1,denominator,2\n2.1.1,numerator,3\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        fill_csv(template, csv, tmp_path / "out.xlsx")
    text = str(info.value)
    assert "7 giá trị không hợp lệ" in text
    assert "dòng 9, mục 2.1.1: tử số (3) lớn hơn mẫu số (2)" in text
    for fragment in (
        "dòng 2",
        "phần trăm, ví dụ 77,7%",
        "dòng 3",
        "không được âm",
        "mục '9.9.9' không có",
        "'maybe' không hợp lệ",
        "từ 0 đến 2",
        "tình trạng 'xong'",
    ):
        assert fragment in text
    assert not (tmp_path / "out.xlsx").exists()  # nothing written half-way


def test_an_input_table_under_a_title_is_read_from_its_header(template: Path, tmp_path: Path) -> None:
    """A table saved from a sheet with a title above its header ('BẢNG SỐ LIỆU …;;' in Excel's
    CSV) was refused for want of the columns: the header is found below, lines keep their number."""
    csv = tmp_path / "so-lieu.csv"
    csv.write_text("BẢNG SỐ LIỆU ĐIỀU TRA;;\n;;\ncode;field;value\n1.1.1;done;Có\n2.1.3;incidents;-3\n",
                   encoding="utf-8-sig")
    with pytest.raises(InputError, match=r"dòng 5, mục 2\.1\.3, trường 'incidents': số lượng -3 không được âm"):
        fill_csv(template, csv, tmp_path / "out.xlsx")
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace("-3", "0"), encoding="utf-8")
    fill_csv(template, csv, tmp_path / "out.xlsx")
    assert read_return(tmp_path / "out.xlsx").values == {("1.1.1", "done"): "Có", ("2.1.3", "incidents"): 0}


def test_fill_refuses_to_overwrite_the_template(template: Path) -> None:
    with pytest.raises(InputError, match="khác tệp mẫu"):
        fill_values(template, {}, template)


def test_input_table_lists_every_field(mini: Framework, tmp_path: Path) -> None:
    out = tmp_path / "inputs.csv"
    write_input_table(mini, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it with Vietnamese letters
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header == "code,field,value,type,allowed,unit,description"
    fields = input_fields(mini)
    assert ("2.1.1", "numerator") in {(f.code, f.field) for f in fields}
    assert len(raw.decode("utf-8-sig").splitlines()) == len(fields) + 1
    values, _ = read_values(out)
    assert values == {}  # a blank table has no values


def test_a_blank_input_table_never_replaces_a_filled_one(mini: Framework, tmp_path: Path) -> None:
    """The table's values come from other systems or were typed in Excel: writing the blank table
    again over it (a re-run of `parxl inputs`) would lose them; over a blank one it is a re-run."""
    out = tmp_path / "nhap.csv"
    write_input_table(mini, out)
    write_input_table(mini, out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(",,", ",80%,", 1)
    out.write_text("\n".join(lines), encoding="utf-8")
    filled = out.read_bytes()
    code, field = lines[3].split(",")[:2]
    with pytest.raises(InputError, match=f"đã có 1 giá trị \\(ví dụ dòng 4: {re.escape(code)}, {field}\\)"):
        write_input_table(mini, out)
    other = tmp_path / "ghi-chu.csv"
    other.write_bytes(b"Ten,So\nA,1\n")
    with pytest.raises(InputError, match="không phải bảng nhập liệu"):
        write_input_table(mini, other)
    assert (out.read_bytes(), other.read_bytes()) == (filled, b"Ten,So\nA,1\n")


def _csv_bytes(rows: list[list[str]], **fmt: Any) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, **fmt).writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def test_read_values_takes_what_excel_and_python_write(tmp_path: Path) -> None:
    """CRLF, BOM, doubled quotes, a line break inside a value, ';' and capitalised headers."""
    rows = [["Code", "FIELD", "Value"], ["1.1.1", "rate", "80%"],
            ["1.1.1", "evidence", 'Quyết định "số 5"'], ["2.1.3", "explanation", "dòng 1\r\ndòng 2"],
            ["1.1.2", "rate", "77,7%"]]
    for delimiter in (",", ";", "\t"):
        path = tmp_path / "v.csv"
        path.write_bytes(_csv_bytes(rows, delimiter=delimiter))
        values, lines = read_values(path)
        assert values == {("1.1.1", "rate"): "80%", ("1.1.1", "evidence"): 'Quyết định "số 5"',
                          ("2.1.3", "explanation"): "dòng 1\r\ndòng 2", ("1.1.2", "rate"): "77,7%"}
        assert lines == {("1.1.1", "rate"): 2, ("1.1.1", "evidence"): 3, ("2.1.3", "explanation"): 4,
                         ("1.1.2", "rate"): 6}
    # Excel's "sep=;" first line: the header is line 2
    path.write_bytes(b"sep=;\r\ncode;field;value\r\n1.6.1;points;1,31\r\n")
    assert read_values(path) == ({("1.6.1", "points"): "1,31"}, {("1.6.1", "points"): 3})


def test_read_values_refuses_a_row_wider_than_the_header(tmp_path: Path) -> None:
    """An unquoted decimal comma or a comma in a text splits the value: refused, not cut."""
    path = tmp_path / "v.csv"
    path.write_text("code,field,value\n1.6.1,points,1,31\n1.1.1,explanation,ok,,\n"
                    "1.1.1,evidence,Báo cáo số 12, ngày 5/1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_values(path)
    text = str(info.value)
    assert "tệp 'v.csv'" in text.replace(str(tmp_path) + "/", "")
    assert "2 dòng lỗi" in text
    assert "dòng 2: có 4 ô, nhiều hơn 3 cột" in text and "dòng 4: có 4 ô" in text
    assert "dòng 3" not in text  # empty extra cells (Excel pads rows) are fine
    assert "ngoặc kép" in text and "';'" in text
    # a file already separated by semicolons is told to quote its values, not to use ';'
    path.write_text("code;field;value\n1.1.1;evidence;Kế hoạch số 5; Báo cáo số 12\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_values(path)
    assert "tệp dùng dấu chấm phẩy ';' làm dấu phân cách: giá trị có dấu chấm phẩy" in str(info.value)
    assert "hoặc dùng dấu chấm phẩy" not in str(info.value)


def test_fill_reports_unreadable_lines_and_bad_values_at_once(template: Path, tmp_path: Path) -> None:
    """A line too wide and a bad value on another line: both in one message, in line order, and
    nothing written (before, the bad value showed only once the line was mended)."""
    path = tmp_path / "v.csv"
    path.write_text("code,field,value\n1.1.2,rate,abc\n1.6.1,points,1,31\n1.1.1,done,Có\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        fill_csv(template, path, tmp_path / "out.xlsx")
    text = str(info.value)
    assert "2 giá trị không hợp lệ" in text
    assert text.index("dòng 2, mục 1.1.2") < text.index("dòng 3: có 4 ô")
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize(
    ("body", "fragment"),
    [('1.1.1,evidence,"abc\n1.2.1,done,Có\n', "dòng 2: dấu ngoặc kép mở nhưng không được đóng"),
     ('1.1.1,done,Có\n1.1.1,evidence,"abc" def\n', "dòng 3: dấu ngoặc kép không đúng quy cách")],
)
def test_read_values_refuses_broken_quotes(tmp_path: Path, body: str, fragment: str) -> None:
    path = tmp_path / "v.csv"
    path.write_text("code,field,value\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        read_values(path)


@pytest.mark.parametrize("text", ["", "\ufeff", "a,b,c\n1,2,3\n", "code;field\n"])
def test_read_values_needs_the_three_columns(tmp_path: Path, text: str) -> None:
    path = tmp_path / "v.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="phải có các cột 'code', 'field', 'value'"):
        read_values(path)


_CSV_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_CSV_TEXT, min_size=1, max_size=8), delimiter=st.sampled_from([",", ";", "\t"]),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       terminator=st.sampled_from(["\n", "\r\n"]))
def test_read_values_reads_any_standard_csv_back(tmp_path: Path, texts: list[str], delimiter: str,
                                                 quoting: int, terminator: str) -> None:
    """Whatever the csv module writes (any text, any separator, quoting) is read back as written
    (stripped; blank values skipped), each at the line its row starts on."""
    rows = [["code", "field", "value", "description"]]
    rows += [["2.1.3", f"f{i}", t, "x, y; z"] for i, t in enumerate(texts)]
    data = _csv_bytes(rows, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    path = tmp_path / "v.csv"
    path.write_bytes(data)
    values, lines = read_values(path)
    expected, line, where = {}, 2, {}
    for i, t in enumerate(texts):
        if t.strip():
            expected[("2.1.3", f"f{i}")] = t.strip()
            where[("2.1.3", f"f{i}")] = line
        line += 1 + t.count("\n")
    assert values == expected
    assert lines == where


def test_not_a_template(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(WorkbookError, match="không phải biểu mẫu parxl"):
        read_return(plain)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(WorkbookError, match=r"không phải biểu mẫu \.xlsx"):
        read_return(fake)
    with pytest.raises(WorkbookError, match="không tìm thấy tệp"):
        read_return(tmp_path / "missing.xlsx")


def test_tampered_metadata_is_detected(template: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["_parxl"]
    for row in ws.iter_rows():
        if row[0].value == "fingerprint":
            row[1].value = "0000000000000000"
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(WorkbookError, match="dấu vân tay"):
        read_return(tmp_path / "t.xlsx")


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _field_value(f: InputField) -> st.SearchStrategy[tuple[Any, Any]]:
    """(what is given, what the cell must hold)."""
    if f.type in (STATUS, YESNO):
        # as typed with Unikey's "Unicode tổ hợp" (decomposed) or in other letter case
        words = STATUSES if f.type == STATUS else ("Có", "Không")
        return st.sampled_from(words).flatmap(
            lambda w: st.sampled_from([w, _nfd(w), w.upper(), _nfd(w.lower())]).map(lambda v: (v, w)))
    if f.type == RATE:
        number: st.SearchStrategy[float | int] = st.integers(0, 10_000).map(lambda n: n / 10_000)
    elif f.type == COUNT:
        number = st.integers(0, 10**7)
    elif f.type == AMOUNT:
        number = st.integers(0, 10**9).map(lambda n: n / 1000)
    elif f.type == POINTS:
        number = st.integers(0, int(f.max * 100)).map(lambda n: n / 100)
    else:
        # any text a user types, including text that looks like a formula, composed or not:
        # the cell holds the composed form (NFC)
        text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
        return st.one_of(text, text.map(_nfd)).filter(str.strip).map(
            lambda t: (t, unicodedata.normalize("NFC", t)))
    return number.map(lambda n: (n, n))


@st.composite
def _values(draw: st.DrawFn, fw: Framework) -> tuple[dict[tuple[str, str], Any], dict[tuple[str, str], Any]]:
    fields = [f for f in input_fields(fw) if f.code != "_body"]
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields)))
    pairs = {(f.code, f.field): draw(_field_value(f)) for f in chosen}
    for code in {c for c, _ in pairs}:  # a valid return: numerator <= denominator
        num, den = (code, "numerator"), (code, "denominator")
        if num in pairs and den in pairs and pairs[num][0] > pairs[den][0]:
            pairs[num], pairs[den] = pairs[den], pairs[num]
    return {k: v for k, (v, _) in pairs.items()}, {k: e for k, (_, e) in pairs.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_is_filled_is_what_is_read(template: Path, mini: Framework, tmp_path: Path,
                                        data: st.DataObject) -> None:
    """Any values written by code come back from read_return exactly (texts composed, list
    values as in the list), at the cells openpyxl sees them in, and nothing else does."""
    values, expected = data.draw(_values(mini))
    out = tmp_path / "filled.xlsx"
    fill_values(template, values, out)
    ret = read_return(out)
    assert ret.values == pytest.approx(expected)
    ws = openpyxl.load_workbook(out)
    for key, value in expected.items():
        sheet, ref = ret.cells[key]
        assert ws[sheet][ref].value == pytest.approx(value)


def test_decomposed_vietnamese_is_taken_and_stored_composed(template: Path, tmp_path: Path) -> None:
    """'Có' typed decomposed (o + U+0301) is 'Có', not refused as "'Có' không hợp lệ; dùng Có";
    texts are stored composed."""
    csv_path = tmp_path / "v.csv"
    csv_path.write_text(_nfd("code,field,value\n_body,name,Huyện Đức Hòa\n1.1.1,done,Có\n"
                             "1.1.1,status,đạt\n1.1.1,evidence,Quyết định số 5\n"), encoding="utf-8")
    assert _nfd("Có") != "Có"  # the file really is decomposed
    out = tmp_path / "out.xlsx"
    assert fill_csv(template, csv_path, out) == 4
    ret = read_return(out)
    assert ret.body == "Huyện Đức Hòa"
    assert ret.values == {("1.1.1", "done"): "Có", ("1.1.1", "status"): "Đạt",
                          ("1.1.1", "evidence"): "Quyết định số 5"}


def test_a_return_saved_by_libreoffice_reads_the_same(mini: Framework, template: Path, tmp_path: Path) -> None:
    """Saved by a spreadsheet program (shared strings, cached formula values, its own XML), a
    return gives the same inputs and scores as the file parxl wrote."""
    require_libreoffice()
    values = {("1.1.1", "status"): "Không áp dụng", ("1.1.2", "rate"): 0.777, ("2.1.1", "numerator"): 22583,
              ("2.1.1", "denominator"): 22583451, ("2.1.3", "explanation"): "=HYPERLINK(\"http://x\") & <Đạt>"}
    filled = tmp_path / "filled.xlsx"
    fill_values(template, values, filled)
    resaved = libreoffice_convert(filled, tmp_path / "lo-out", "xlsx")
    assert b"sharedStrings" in resaved.read_bytes()  # LibreOffice's own form, not parxl's
    ours, theirs = read_return(filled), read_return(resaved)
    assert ours.values == values
    assert theirs.values == pytest.approx(values)
    assert theirs.cells == ours.cells
    assert score_values(mini, theirs.values).total == score_values(mini, ours.values).total


def test_text_excel_cannot_hold_is_refused_not_cut(template: Path, tmp_path: Path) -> None:
    """Control characters (an .xlsx cannot hold them) and text over Excel's 32.767 characters a
    cell: refused naming the line and item, nothing written; tab and line breaks are fine."""
    csv_path = tmp_path / "v.csv"
    csv_path.write_bytes(_csv_bytes([
        ["code", "field", "value"], ["1.1.1", "evidence", "Quyết định\x01 số 5"],
        ["1.1.1", "explanation", "a\tb\r\nc"], ["1.1.2", "evidence", "x" * 32_768],
        ["1.1.2", "explanation", "x" * 32_767], ["2.1.1", "evidence", "\U0001f4c4" * 16_384],
        ["2.1.1", "explanation", "chuông\x07"]]))
    out = tmp_path / "out.xlsx"
    with pytest.raises(InputError) as info:
        fill_csv(template, csv_path, out)
    text = str(info.value)
    assert "4 giá trị không hợp lệ" in text
    assert "dòng 2, mục 1.1.1, trường 'evidence': có ký tự điều khiển U+0001 (ký tự thứ 11, không nhìn thấy" in text
    # the explanation on line 3 holds a line break: the next row starts on line 5
    assert "dòng 5, mục 1.1.2, trường 'evidence': dài 32.768 ký tự, quá giới hạn 32.767" in text
    assert "dòng 7, mục 2.1.1, trường 'evidence': dài 32.768 ký tự" in text  # UTF-16, as Excel counts
    assert "dòng 8, mục 2.1.1, trường 'explanation': có ký tự điều khiển U+0007" in text
    assert "dòng 3" not in text and "dòng 6" not in text
    assert not out.exists()
    fill_values(template, {("1.1.1", "explanation"): "a\tb\r\nc", ("1.1.2", "explanation"): "x" * 32_767}, out)
    assert read_return(out).values == {("1.1.1", "explanation"): "a\tb\r\nc",
                                       ("1.1.2", "explanation"): "x" * 32_767}


@pytest.mark.parametrize("raw", ["abc", "-2023", "=2023", "23", "2023.5", "2023,0", "1999", "2101", "20233",
                                 "2 023", "２０２３", 2023.5, True, -2023])
def test_a_year_that_is_not_a_year_is_refused(raw: Any) -> None:
    assert normalize(_year_field(), raw) == (None, f"năm '{raw}' không hợp lệ; ghi năm đánh giá bằng 4 chữ số "
                                          "(2000–2100), ví dụ 2023")


@pytest.mark.parametrize(("raw", "year"), [("2023", "2023"), (" 2024 ", "2024"), (2023, "2023"),
                                           (2023.0, "2023"), ("2000", "2000"), ("2100", "2100")])
def test_a_year_is_four_digits(raw: Any, year: str) -> None:
    assert normalize(_year_field(), raw) == (year, "")


def _year_field() -> InputField:
    return next(f for f in input_fields(load_yaml(DATA / "mini.yaml")) if (f.code, f.field) == ("_body", "year"))


def test_a_count_must_be_whole_an_amount_need_not(template: Path, tmp_path: Path) -> None:
    """A count of dossiers is whole: '1,5' or '1,500' (1,5 — a comma misused for thousands) is
    refused, not written; '2.500' is 2500. Amounts (funds) keep their decimals."""
    csv_path = tmp_path / "v.csv"
    csv_path.write_text('code,field,value\n1.2.1,count,"1,5"\n2.1.1,numerator,"1,500"\n'
                        "2.1.1,denominator,2.500\nĐ.1,count,2.5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        fill_csv(template, csv_path, tmp_path / "out.xlsx")
    text = str(info.value)
    assert "3 giá trị không hợp lệ" in text
    for line, code, field, raw in ((2, "1.2.1", "count", "1,5"), (3, "2.1.1", "numerator", "1,500")):
        assert (f"dòng {line}, mục {code}, trường '{field}': số lượng '{raw}' không phải số nguyên — "
                "kiểm tra dấu phân cách") in text
    # "2.5" has no comma to blame: not told to stop using one
    assert re.search(r"dòng 5, mục Đ\.1, trường 'count': số lượng '2\.5' không phải số nguyên$", text, re.M)
    assert "dòng 4" not in text
    amounts = (DATA / "mini.yaml").read_text("utf-8").replace("basis: counts", "basis: amounts")
    (tmp_path / "fw.yaml").write_text(amounts, "utf-8")
    built = build_template(load_yaml(tmp_path / "fw.yaml"), tmp_path / "amounts.xlsx")
    csv_path.write_text('code,field,value\n2.1.1,numerator,"212.901,285"\n2.1.1,denominator,"590.161,54"\n',
                        encoding="utf-8")
    fill_csv(built, csv_path, tmp_path / "out.xlsx")
    assert read_return(tmp_path / "out.xlsx").values == pytest.approx(
        {("2.1.1", "numerator"): 212901.285, ("2.1.1", "denominator"): 590161.54})


def test_a_bare_rate_of_one_is_ambiguous(template: Path, tmp_path: Path) -> None:
    """'1' could be 1% or 100% (while '100' is already refused as not a percentage): refused.
    A bare fraction ('0,777', a system's export) and 0 are not ambiguous; Excel's number 1 is 100%."""
    csv_path = tmp_path / "v.csv"
    csv_path.write_text('code,field,value\n1.1.2,rate,1\n2.1.2,rate,"1,0"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        fill_csv(template, csv_path, tmp_path / "out.xlsx")
    text = str(info.value)
    assert "2 giá trị không hợp lệ" in text
    assert "dòng 2, mục 1.1.2, trường 'rate': tỷ lệ '1' không rõ là 1% hay 100% — ghi rõ '1%' hoặc '100%'" in text
    assert "dòng 3, mục 2.1.2, trường 'rate': tỷ lệ '1,0' không rõ là 1,0% hay 100%" in text
    for typed, expected in (("1%", 0.01), ("100%", 1.0), ("0,777", 0.777), ("0", 0.0), (1, 1.0), (1.0, 1.0)):
        out = tmp_path / "out.xlsx"
        fill_values(template, {("1.1.2", "rate"): typed}, out)
        assert read_return(out).values == {("1.1.2", "rate"): pytest.approx(expected)}


def test_fill_into_a_template_missing_an_item_row(template: Path, tmp_path: Path) -> None:
    """A row deleted or its code changed: one error naming the template, each item and its sheet
    (a KeyError traceback before); nothing written."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Lĩnh vực 2"]
    row = next(c.row for c in ws["A"] if c.value == "2.1.1")
    ws.delete_rows(row)
    next(c for c in wb["Thưởng - Trừ"]["A"] if c.value == "Đ.1").value = "Đ.9"
    broken = tmp_path / "sửa.xlsx"
    wb.save(broken)
    csv_path = tmp_path / "v.csv"
    csv_path.write_text("code,field,value\n_body,name,Huyện Thử\n1.1.1,done,Có\n2.1.1,numerator,3\n"
                        "2.1.1,denominator,4\nĐ.1,count,1\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    with pytest.raises(InputError) as info:
        fill_csv(broken, csv_path, out)
    assert str(info.value).startswith(f"tệp '{broken}': biểu mẫu thiếu dòng của 2 mục")
    assert "  - trang 'Lĩnh vực 2': không có dòng mục 2.1.1 ở cột 'Mã' (giá trị ở dòng 4, 5 của bảng nhập " \
           "liệu)" in str(info.value)
    assert "  - trang 'Thưởng - Trừ': không có dòng mục Đ.1 ở cột 'Mã' (giá trị ở dòng 6" in str(info.value)
    assert not out.exists()


def test_an_office_copy_takes_only_its_offices_items(mini: Framework, tmp_path: Path) -> None:
    """Other offices' items are locked in a distributed copy and collect would refuse them: fill
    says so at once, and writes nothing."""
    from parxl.office.distribute import distribute

    copies = {p.stem: p for p in distribute(mini, tmp_path / "phat hanh", body="Huyện Mẫu")}
    nv = copies["Phòng Nội vụ"]
    own = {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}
    assert fill_values(nv, own, tmp_path / "nv.xlsx") == 2
    with pytest.raises(InputError, match=r"cho đơn vị 'Phòng Nội vụ': 2 mục không thuộc đơn vị này \(2\.1\.1, 2\.2\.1\)"):
        fill_values(nv, {**own, ("2.1.1", "numerator"): 5, ("2.2.1", "points"): 1}, tmp_path / "sai.xlsx")
    assert not (tmp_path / "sai.xlsx").exists()


def test_filled_rows_are_as_tall_as_their_text(template: Path, tmp_path: Path) -> None:
    long = "Quyết định số 12/QĐ-UBND ngày 05/01/2024 ban hành Kế hoạch cải cách hành chính năm 2024 " * 2
    out = tmp_path / "điền.xlsx"
    fill_values(template, {("1.1.1", "evidence"): long.strip()}, out)
    ws = openpyxl.load_workbook(out)["Lĩnh vực 1"]
    per_line = int(ws.column_dimensions["J"].width * 1.15)
    assert ws.row_dimensions[6].height >= 15 * min(8, -(-len(long.strip()) // per_line))


@pytest.mark.parametrize(("fmt_id", "code", "is_date"), [
    (14, "", True), (22, "", True), (0, "", False), (10, "", False), (164, "dd/mm/yyyy", True),
    (165, "#,##0.000", False), (166, "0.0%", False), (167, '"Ngày" 0', False), (168, "[$-42A]mmmm yyyy", True),
    (169, "[Red]#,##0", False), (170, "h:mm", True),
])
def test_date_formats_are_told_from_number_formats(fmt_id: int, code: str, is_date: bool) -> None:
    from parxl.workbook.fastread import _is_date_format

    assert _is_date_format(fmt_id, code) is is_date


def _validation_of(ws: Any, ref: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if ref in str(dv.sqref).split()]
    assert len(found) == 1, (ref, found)
    return found[0]


def test_counts_are_whole_and_the_numerator_cannot_exceed_the_denominator(template: Path) -> None:
    """A count of dossiers or initiatives is whole (22.583 typed in an English-locale Excel is a
    misread thousands separator, not a count); a numerator above its denominator is an error at
    collect, so the template refuses it when typed; every message says what is allowed."""
    wb = openpyxl.load_workbook(template)
    count = _validation_of(wb["Lĩnh vực 1"], "H9")  # 1.2.1 initiatives (count)
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "số nguyên không âm" in count.error and "Số lượng — số nguyên" in count.prompt
    ws = wb["Lĩnh vực 2"]
    num, den = _validation_of(ws, "H6"), _validation_of(ws, "I6")  # 2.1.1 dossiers on time / all
    assert (num.type, num.operator, num.formula1) == ("whole", "between", "0")
    assert num.formula2 == "IF(ISNUMBER($I$6),$I$6,1E+15)"  # a blank denominator: no bound yet
    assert (den.type, den.operator, den.formula1) == ("whole", "greaterThanOrEqual", "MAX(0,$H$6)")
    assert "không lớn hơn mẫu số (ô I6)" in num.error and "Số hồ sơ đúng hạn" in num.prompt
    assert "không nhỏ hơn tử số (ô H6)" in den.error
    incidents = _validation_of(ws, "H8")  # 2.1.3 late answers (count of incidents)
    assert incidents.type == "whole" and "Số trường hợp vi phạm" in incidents.prompt
    points = _validation_of(ws, "H10")  # 2.2.1 manual points, max 2: exactly 2 is allowed
    assert (points.type, points.formula1, points.formula2) == ("decimal", "0", "2")
    assert "từ 0 đến 2" in points.prompt
    rate = _validation_of(wb["Lĩnh vực 1"], "H7")  # 100% is allowed
    assert (rate.type, rate.formula1, rate.formula2) == ("decimal", "0", "1")


def test_inputs_the_validation_would_refuse_turn_red(mini: Framework, tmp_path: Path) -> None:
    """Pasting skips Excel's validation, and the scoring formulas read a text in a number cell,
    a negative count or a status not in the list as 0 / "Không đạt" without a word: such an
    input cell turns red, as does "Đạt" chosen with no data (the points come from the data). An
    error value turns every total into an error: a line of the summary says why. The rule's formula is evaluated by LibreOffice on typed values."""
    from parxl.calc import libreoffice_available, recalc

    if not libreoffice_available():
        require_libreoffice()
        pytest.skip("LibreOffice's Python bridge (uno) not installed")
    src = build_template(mini, tmp_path / "mau.xlsx")
    wb = openpyxl.load_workbook(src)
    cases = {  # (sheet, cell): (value typed or pasted, should turn red)
        ("Lĩnh vực 1", "G6"): ("Xong", True),  # status not in the list
        ("Lĩnh vực 1", "H6"): ("có", False),  # yes/no: Excel's "=" ignores case, as the formulas
        ("Lĩnh vực 1", "H7"): ("77,7", True),  # rate pasted as text: the formulas read 0
        ("Lĩnh vực 1", "H9"): (1.5, True),  # a count with decimals
        ("Lĩnh vực 1", "G9"): ("Đạt", False),  # with a count: the data give the points
        ("Lĩnh vực 2", "G10"): ("Đạt", False),  # with the points typed
        ("Lĩnh vực 2", "H6"): (12, True),  # numerator above its denominator
        ("Lĩnh vực 2", "I6"): (10, False),
        ("Lĩnh vực 2", "G7"): ("Không áp dụng", False),
        ("Lĩnh vực 2", "H7"): (1.0, False),  # exactly 100%
        ("Lĩnh vực 2", "H8"): (0, False),  # no incident
        ("Lĩnh vực 2", "H10"): (2, False),  # exactly the maximum
        ("Thưởng - Trừ", "H6"): ("#N/A", True),  # an error value pasted from another workbook
        ("Thưởng - Trừ", "G7"): ("Đạt", True),  # with no data: scores 0, not the bonus point
        ("Thưởng - Trừ", "H9"): (-1, True),  # a negative count
    }
    probes = {}
    for n, ((sheet, ref), (value, _)) in enumerate(cases.items(), start=1):
        ws = wb[sheet]
        ws[ref] = value
        if value == "#N/A":
            ws[ref].data_type = "e"
        rules = [rule for cf in ws.conditional_formatting if str(cf.sqref) == ref for rule in cf.rules]
        assert len(rules) == 1, (sheet, ref)
        ws[f"Z{n}"] = "=" + rules[0].formula[0]  # the rule's own formula, beside its sheet
        probes[(sheet, ref)] = f"Z{n}"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    recalc(typed, tmp_path / "out.xlsx", "libreoffice")
    out = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)
    red = {key: out[key[0]][probe].value for key, probe in probes.items()}
    assert red == {key: bad for key, (_, bad) in cases.items()}
    # the error value reaches the total; the summary says why, and says nothing when all is well
    recalc(src, tmp_path / "blank.xlsx", "libreoffice")
    notes = []
    for path in (tmp_path / "out.xlsx", tmp_path / "blank.xlsx"):
        ws = openpyxl.load_workbook(path, data_only=True)["Tổng hợp"]
        notes.append([c.value for c in ws["B"] if isinstance(c.value, str) and "báo lỗi" in c.value])
    assert notes[0] == ["Có 1 ô nhập liệu chứa giá trị lỗi (như #N/A, #VALUE!, thường do dán từ tệp khác), tô đỏ "
                        "trên trang lĩnh vực: các tổng điểm báo lỗi cho đến khi nhập lại các ô đó."]
    assert notes[1] == []


def test_the_blank_half_of_a_numerator_denominator_pair_turns_red(tmp_path: Path) -> None:
    """A numerator typed and its denominator forgotten scores full points ("nothing to resolve"),
    a denominator alone scores 0, with no word on the sheet: the blank cell turns red while the
    data decide the status (as collect warns), not once the status says the item is open. The
    rule's formula is evaluated by LibreOffice on typed values."""
    from parxl.calc import libreoffice_available, recalc
    from parxl.framework import builtin

    if not libreoffice_available():
        require_libreoffice()
        pytest.skip("LibreOffice's Python bridge (uno) not installed")
    fw = builtin("dongthap-huyen-2023")
    src = build_template(fw, tmp_path / "mau.xlsx")
    wb = openpyxl.load_workbook(src)
    cases = {  # code: (status, numerator, denominator) -> (numerator red, denominator red)
        "1.3.2": ((None, 5, None), (False, True)),
        "3.2.4": ((None, None, 10), (True, False)),
        "3.3.1": (("Đạt", 5, None), (False, True)),
        "3.3.2": (("Chưa xác định", 5, None), (False, False)),  # said open: the half pair is on purpose
        "3.5.2": ((None, 5, 10), (False, False)),
        "6.1.1": ((None, None, None), (False, False)),
        "8.4.1": (("Không đạt", None, 0), (True, False)),
    }
    sheets = {i.code: d.sheet_name for d in fw.domains for i in d.items}
    probes: dict[tuple[str, str], str] = {}
    for n, (code, ((status, num, den), _)) in enumerate(cases.items()):
        ws = wb[sheets[code]]
        r = _row_of(ws, code)
        for ref, v in ((f"G{r}", status), (f"H{r}", num), (f"I{r}", den)):
            ws[ref] = v
        for k, ref in enumerate((f"H{r}", f"I{r}")):
            [rule] = [rule for cf in ws.conditional_formatting if str(cf.sqref) == ref for rule in cf.rules]
            ws[f"Z{2 * n + k + 1}"] = "=" + rule.formula[0]  # the rule's own formula, beside its sheet
            probes[(code, "HI"[k])] = f"Z{2 * n + k + 1}"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    recalc(typed, tmp_path / "out.xlsx", "libreoffice")
    out = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)
    red = {code: tuple(out[sheets[code]][probes[(code, c)]].value for c in "HI") for code in cases}
    assert red == {code: want for code, (_, want) in cases.items()}


def test_points_by_the_data_show_nothing_on_a_row_with_no_data(tmp_path: Path) -> None:
    """A blank count of dossiers computes full points ("nothing to resolve"): a blank template
    showed 1,00 in 'Điểm theo số liệu' of items no one had filled. A conditional number format
    hides it until a number is typed (the value itself stays, for every engine and Python); the
    rule's formula is evaluated by LibreOffice on typed rows."""
    from parxl.calc import libreoffice_available, recalc
    from parxl.framework import builtin

    if not libreoffice_available():
        require_libreoffice()
        pytest.skip("LibreOffice's Python bridge (uno) not installed")
    src = build_template(builtin("dongthap-huyen-2023"), tmp_path / "mau.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb["Lĩnh vực 1"]
    [(cf, rule)] = [(cf, r) for cf in ws.conditional_formatting if str(cf.sqref).startswith("L") for r in cf.rules]
    assert rule.dxf.numFmt.formatCode == ";;;"
    first = min(r.min_row for r in cf.sqref.ranges)
    cases = {  # code: (status, Số liệu 1, Số liệu 2) -> hidden
        "1.3.2": ((None, None, None), True),
        "1.1.1": ((None, 0.8, None), False),
        "1.2.1": ((None, "Có", None), False),
        "1.3.3": ((None, None, 10), False),
        "1.5.1": (("Đạt", None, None), True),  # a status alone is no data
    }
    for n, (code, (typed, _)) in enumerate(cases.items(), start=1):
        r = _row_of(ws, code)
        ws[f"G{r}"], ws[f"H{r}"], ws[f"I{r}"] = typed
        ws[f"Z{n}"] = "=" + rule.formula[0].replace(str(first), str(r))  # the rule as it applies to that row
    wb.save(tmp_path / "typed.xlsx")
    recalc(tmp_path / "typed.xlsx", tmp_path / "out.xlsx", "libreoffice")
    out = openpyxl.load_workbook(tmp_path / "out.xlsx", data_only=True)["Lĩnh vực 1"]
    assert {code: out[f"Z{n}"].value for n, code in enumerate(cases, start=1)} == {
        code: hidden for code, (_, hidden) in cases.items()}


def _row_of(ws: Any, code: str) -> int:
    return next(c.row for c in ws["A"] if c.value == code)


@pytest.mark.parametrize("fid", ["hcm-quan-2023", "dongthap-huyen-2023"])
def test_summary_prints_on_one_a4_page_at_a_readable_size(fid: str, tmp_path: Path) -> None:
    """The summary's ten columns fit one A4 page at ~90 % (11 pt text stays ≥ 9,5 pt): portrait
    shrank them to 57 %, and the framework name in C4 (in Excel's default font, running past
    column J) widened what had to fit. Đồng Tháp's shorter name left its last line on page 2."""
    import re
    import shutil

    from parxl.framework import builtin

    require_libreoffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    src = build_template(builtin(fid), tmp_path / "mau.xlsx")
    pdf = libreoffice_convert(src, tmp_path / "pdf", "pdf")
    box = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True).stdout.decode()
    title = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">TỔNG</word>', box)
    assert title is not None
    height = float(title.group(2)) - float(title.group(1))  # the 14 pt title's line, in points
    assert height >= 14 * 0.85, height
    lines: dict[str, list[str]] = {}
    for y, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]*)</word>', box):
        lines.setdefault(y, []).append(word)
    assert ["Không", "áp", "dụng", "0"] in lines.values()  # the summary's last line, on page 1


def test_the_year_cell_takes_a_four_digit_year(template: Path) -> None:
    """As the input table and collect read it (2000–2100): 24 or 20224 is refused when typed."""
    year = _validation_of(openpyxl.load_workbook(template)["Tổng hợp"], "C3")
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "2000", "2100")
    assert "4 chữ số (2000–2100)" in year.error


def test_every_visible_sheet_lets_columns_and_rows_be_resized(template: Path) -> None:
    """Protection keeps formulas safe, not the layout: a long domain name or a large total can be
    read by widening its column on every sheet, as on the domain sheets (the hidden _parxl aside)."""
    wb = openpyxl.load_workbook(template)
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            assert ws.protection.sheet is True, ws.title
            assert (ws.protection.formatColumns, ws.protection.formatRows) == (False, False), ws.title


def test_item_sheets_print_without_the_guidance_column(template: Path) -> None:
    """The long 'Hướng dẫn' column (R) stays on screen: printed, it shrank the bonus and penalty
    sheet below the domain sheets' size."""
    wb = openpyxl.load_workbook(template)
    for name in ("Lĩnh vực 1", "Lĩnh vực 2", "Thưởng - Trừ"):
        ws = wb[name]
        assert ws.print_area == f"'{name}'!$A$4:$Q${ws.max_row}", name


def _page_header(book: Path, sheet: str) -> str:
    """A sheet's page header as Excel reads it, codes included."""
    with zipfile.ZipFile(book) as z:
        index = openpyxl.load_workbook(book).sheetnames.index(sheet) + 1
        [raw] = re.findall(r"<oddHeader>(.*?)</oddHeader>", z.read(f"xl/worksheets/sheet{index}.xml").decode())
    return html.unescape(raw)


def test_a_distributed_copy_names_its_office_and_body_on_every_printed_page(mini: Framework, tmp_path: Path) -> None:
    from parxl.office.distribute import distribute

    [copy] = distribute(mini, tmp_path / "xa", bodies=["Xã A & B"])
    assert "Xã A && B — Điểm tối đa: " in _page_header(copy, "Lĩnh vực 1")
    office = distribute(mini, tmp_path / "pb", body="Huyện X")[0]  # Phòng Nội vụ
    assert "Phòng Nội vụ — Huyện X — Điểm tối đa: " in _page_header(office, "Lĩnh vực 1")
    assert "— Điểm" not in _page_header(build_template(mini, tmp_path / "t.xlsx"), "Lĩnh vực 1")


def test_long_names_keep_the_page_header_within_excels_limit(mini: Framework, tmp_path: Path) -> None:
    """Excel allows 255 characters in a page header: a domain with a long name (an import from a
    decision) and a long office and body are cut there, with '&' doubled, as a header needs."""
    d = mini.to_dict()
    d["domains"][0]["name"] = "Chỉ đạo & điều hành " * 20
    for item in d["domains"][0]["criteria"][0]["items"]:
        item["office"] = "Phòng & ban " * 20
    from parxl.office.distribute import distribute

    [copy] = [p for p in distribute(from_dict(d, "x"), tmp_path, body="Ủy ban & nhân dân " * 20) if "&" in p.name]
    header = _page_header(copy, "Lĩnh vực 1")
    assert len(header) <= 255
    assert "LĨNH VỰC 1. CHỈ ĐẠO && ĐIỀU HÀNH" in header and header.count("…") == 2
    assert "Điểm tối đa: " in header  # the maximum is never cut off
    from parxl.framework import builtin
    from parxl.framework.load import builtin_ids

    for fid in builtin_ids():  # a real domain's title is never cut, even beside a long office and body
        fw = builtin(fid)
        book = build_template(fw, tmp_path / f"{fid}.xlsx", meta={"office": "Phòng " * 20, "body": "Xã " * 30})
        for dom in fw.domains:
            assert f"LĨNH VỰC {dom.code}. {dom.name.upper()}" in _page_header(book, dom.sheet_name), dom.name



# the header's words that PDF text keeps in one piece (wrapped headers come out interleaved)
FIRST_HALF = ("Mã", "Nội dung", "Đánh giá bởi", "Cách chấm", "Số liệu 1", "Số liệu 2")
SECOND_HALF = ("Mã", "Nội dung", "Tài liệu kiểm chứng", "Giải trình", "Điểm đạt", "Điểm chưa")


def test_item_sheets_print_readably_two_pages_wide(tmp_path: Path) -> None:
    """Fitted to one A4 page wide, an item sheet printed at 45 % (5-point text). Now each band
    of rows prints on two pages side by side, 'Mã' and 'Nội dung' and the header on both: the
    item and its data, then its evidence and scores. LibreOffice prints it so (the default font
    being Times New Roman: with Calibri missing, columns came out a fifth wider, three pages)."""
    from parxl.framework import builtin

    require_libreoffice()
    d = builtin("hcm-quan-2023").to_dict()  # domain sheets and the bonus and penalty sheet
    d["domains"][0]["name"] = "Chỉ đạo & điều hành"  # '&' starts a code in a page header
    fw = from_dict(d, "hcm")
    book = build_template(fw, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(book)["Lĩnh vực 1"]
    assert ws.page_setup.scale >= 80 and ws.print_title_cols == "$A:$B"
    pdf = libreoffice_convert(book, tmp_path / "pdf", "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout
    pages = [" ".join(p.split()) for p in text.decode().split("\f") if p.strip()]
    halves = []
    for n, page in enumerate(pages, start=1):
        if " — trang " not in page:
            continue  # summary, guide: no footer
        first, second = all(h in page for h in FIRST_HALF), all(h in page for h in SECOND_HALF)
        assert first != second, (n, page[:300])
        assert not first or "Giải trình" not in page, (n, page[:300])
        assert not second or "Số liệu 1" not in page, (n, page[:300])
        assert f"trang {n}/{len(pages)}" in page, (n, page[-200:])
        # the sheet's title heads every page (it was printed on a band's first page only, and cut
        # at column B on its second); the screen advice of row 3 is not printed
        [sheet] = re.findall(r"(Lĩnh vực \d+|Thưởng - Trừ) — trang", page)
        title = {"Thưởng - Trừ": "ĐIỂM THƯỞNG VÀ ĐIỂM TRỪ", "Lĩnh vực 1": "LĨNH VỰC 1. CHỈ ĐẠO & ĐIỀU HÀNH"}.get(
            sheet, f"LĨNH VỰC {sheet.split()[-1]}. ")
        assert title in page and "Chỉ nhập vào các ô màu vàng" not in page, (n, page[:300])
        halves.append(first)
    assert len(halves) >= 2 * (len(fw.domains) + 1)
    assert halves == [True, False] * (len(halves) // 2)  # a band's halves on consecutive pages


def test_guidance_column_shows_an_items_guidance_and_its_required_evidence(tmp_path: Path) -> None:
    """Both texts, the guidance first: a framework imported from a decision has both for most
    items, and the evidence required was hidden behind the guidance."""
    from parxl.framework import builtin

    fw = builtin("dongthap-huyen-2023")
    item = next(i for i in fw.base_items if i.guidance and i.evidence)
    ws = openpyxl.load_workbook(build_template(fw, tmp_path / "t.xlsx"))[f"Lĩnh vực {item.code.split('.')[0]}"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == item.code)
    assert ws[f"R{row}"].value == f"{item.guidance}\nTài liệu kiểm chứng: {item.evidence}"


def test_item_sheet_subtitles_write_the_maximum_the_vietnamese_way(tmp_path: Path) -> None:
    """The subtitle under an item sheet's title said "điểm tối đa 16.5" beside a page header
    saying "Điểm tối đa: 16,5"."""
    from parxl.framework import builtin

    fw = builtin("dongthap-huyen-2023")
    wb = openpyxl.load_workbook(build_template(fw, tmp_path / "t.xlsx"))
    for d in fw.domains:
        subtitle = wb[d.sheet_name]["A2"].value
        assert subtitle == f"{fw.name} — điểm tối đa {format_vn_number(d.max)}", subtitle
    assert wb["Lĩnh vực 1"]["A2"].value.endswith("— điểm tối đa 16,5")


def test_wrapped_text_has_rows_tall_enough_for_it(tmp_path: Path) -> None:
    """Excel and LibreOffice do not grow rows on opening a file openpyxl wrote: a wrapped text
    longer than its column needs a row height, or it prints cut and drawn over the next row (the
    summary's long domain names, "Điểm tối đa dùng để tính chỉ số (…)"). Its lines are counted
    here from its length alone (1.15 letters a width unit), a lower bound."""
    from parxl.framework import builtin

    fw = builtin("dongthap-huyen-2023")
    wb = openpyxl.load_workbook(build_template(fw, tmp_path / "t.xlsx"))
    checked = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "s" or not cell.value or cell.column_letter == "R":
                    continue  # the guidance column (R) of an item sheet is on screen only, not printed
                width = ws.column_dimensions[cell.column_letter].width
                lines = -(-len(cell.value) // int(width * 1.15))
                if ws.title == "Tổng hợp" and cell.column_letter == "B" and cell.row >= 6 and lines > 1:
                    # a note alone on its row may run on over the empty cells beside it
                    room = width + sum(ws.column_dimensions[c].width for c in "CDEFGHIJ"
                                       if ws[f"{c}{cell.row}"].value is None)
                    assert cell.alignment.wrap_text or len(cell.value) <= room, (ws.title, cell.coordinate)
                if cell.alignment.wrap_text and lines > 1:
                    height = ws.row_dimensions[cell.row].height
                    assert height is not None and height >= 15 * min(lines, 8), (ws.title, cell.coordinate, height)
                    checked += 1
    assert checked > 20


def test_the_guide_prints_within_the_page_width(mini: Framework, tmp_path: Path) -> None:
    """The guide's column was wider than A4 portrait: the end of a long line, where to type, was
    cut at the paper's edge (LibreOffice does not shrink one column to fit a page's width)."""
    ws = openpyxl.load_workbook(build_template(mini, tmp_path / "t.xlsx"))["Hướng dẫn"]
    setup = ws.page_setup
    assert setup.orientation == "portrait" and setup.paperSize == 9
    printable = (8.27 - ws.page_margins.left - ws.page_margins.right) * 96
    column = ws.column_dimensions["A"].width * 7 + 5  # pixels, Times New Roman 11
    assert column * int(setup.scale or 100) / 100 <= printable * 0.97  # LibreOffice measures wider


def test_an_exempt_domain_reads_mien_not_zero_percent(tmp_path: Path) -> None:
    """'Tổng hợp': a domain with nothing applicable shows "Miễn" in 'Tỷ lệ đạt' (a conditional number
    format: the value stays 0 for every engine), the others their percentage."""
    import openpyxl

    from parxl.framework import builtin
    from parxl.verify import cell_meanings
    from parxl.workbook.build import build_template

    fw = builtin("hcm-quan-2023")
    wb = openpyxl.load_workbook(build_template(fw, tmp_path / "mau.xlsx"))
    cells = {m: cell for cell, m in cell_meanings(fw).items()}
    sheet, first = cells[("domain", fw.domains[0].code, "index")]
    _, last = cells[("domain", fw.domains[-1].code, "index")]
    _, applicable = cells[("domain", fw.domains[0].code, "applicable")]
    [rule] = [r for cf in wb[sheet].conditional_formatting if str(cf.sqref) == f"{first}:{last}" for r in cf.rules]
    assert rule.formula == [f"${applicable[0]}{applicable[1:]}=0"]
    assert rule.dxf.numFmt.formatCode == '"Miễn"'


def test_penalty_rows_say_their_achieved_points_are_deducted(tmp_path: Path) -> None:
    """On 'Thưởng - Trừ' a penalty's points stand in the 'Điểm đạt' column: its group row says so
    (a user read "Điểm đạt 1" as a point earned), on rows tall enough for the text."""
    from parxl.framework import builtin

    path = tmp_path / "mau.xlsx"
    build_template(builtin("hcm-quan-2023"), path)
    ws = openpyxl.load_workbook(path)["Thưởng - Trừ"]
    head = next(r for r in range(1, ws.max_row + 1)
                if str(ws[f"B{r}"].value or "").startswith("Điểm trừ"))
    assert "'Điểm đạt' là số điểm bị trừ" in ws[f"B{head}"].value
    assert str(ws[f"A{head + 1}"].value).startswith("Đ.")
    assert ws.row_dimensions[head].height >= 30  # two lines in column B


@pytest.mark.parametrize("writer", ["fill", "report", "export"])
def test_an_output_edited_since_parxl_wrote_it_is_not_written_over(mini: Framework, tmp_path: Path,
                                                                     writer: str) -> None:
    """A report edited in Word, a filled workbook with values typed in by hand, a framework
    table corrected in Excel: running the command again with the same -o replaced them, the
    edits lost. What parxl wrote (its fixed save time still in it) is replaced as before; a file
    saved since, or one parxl did not write, is refused with its save time, and kept."""
    from parxl.framework.table import export_table
    from parxl.report.api import make_report
    from tests.conftest import saved_as_of

    template = build_template(mini, tmp_path / "mau.xlsx")
    fill_values(template, {("1.1.1", "done"): "Có", ("_body", "name"): "Huyện Mẫu"}, tmp_path / "a.xlsx")  # to report on
    write: dict[str, Any] = {
        "fill": lambda out: fill_values(template, {("1.1.1", "done"): "Có"}, out),
        "report": lambda out: make_report("self-assessment", [tmp_path / "a.xlsx"], out),
        "export": lambda out: export_table(mini, out),
    }
    out = tmp_path / ("ra.docx" if writer == "report" else "ra.xlsx")
    write[writer](out)
    made = out.read_bytes()
    write[writer](out)  # its own earlier output: replaced, same bytes
    assert out.read_bytes() == made

    saved_as_of(out, "2024-11-20T08:30:00Z")  # opened and saved in Word / Excel
    edited = out.read_bytes()
    with pytest.raises(InputError) as info:
        write[writer](out)
    assert f"'{out}' đã được sửa và lưu lại lúc 15:30 ngày 20/11/2024, sau khi parxl tạo" in str(info.value)
    assert out.read_bytes() == edited

    out.write_bytes(b"ghi chep cua toi")  # a file of the user's under that name
    with pytest.raises(InputError, match="là tệp khác, không do parxl tạo"):
        write[writer](out)
    assert out.read_bytes() == b"ghi chep cua toi"


def test_fill_names_the_values_it_replaces(mini: Framework, tmp_path: Path) -> None:
    """Filling a workbook that already holds an office's figures replaced them with no word (only
    "Đã ghi 3 giá trị"): the values it changes are now listed with the old and the new one."""
    template = build_template(mini, tmp_path / "mau.xlsx")
    first = tmp_path / "tong hop.xlsx"
    fill_values(template, {("1.1.1", "done"): "Có", ("1.1.2", "rate"): "90%"}, first)
    notes: list[str] = []
    n = fill_values(first, {("1.1.1", "done"): "Có", ("1.1.2", "rate"): "77,7%", ("1.2.1", "count"): 2},
                    tmp_path / "moi.xlsx", notes=notes)
    assert n == 3
    [note] = notes
    assert note.startswith("Thay 1 giá trị đã có trong 'tong hop.xlsx': 1.1.2 Số liệu 1 (")
    assert note.endswith("): 90% → 77,7%.")
    assert read_return(tmp_path / "moi.xlsx").values[("1.1.2", "rate")] == pytest.approx(0.777)
    notes.clear()
    fill_values(first, {("1.1.2", "rate"): "90%"}, tmp_path / "lai.xlsx", notes=notes)  # the same value: nothing to say
    assert notes == []


def _typed_in_excel(table: Path, values: dict[tuple[str, str], Any], out: Path) -> Path:
    """The workbook input table with ``values`` typed into its 'value' column, saved as .xlsx."""
    wb = openpyxl.load_workbook(table)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        key = (row[0].value, row[1].value)
        if key in values:
            row[2].value = values.pop(key)
    assert not values, f"rows not in the table: {values}"
    wb.save(out)
    return out


@pytest.mark.parametrize("fid", ["dongthap-huyen-2023", "hcm-quan-2023"])
def test_an_input_table_kept_in_excel_fills_as_its_csv_does(fid: str, tmp_path: Path) -> None:
    """Staff open the input table in Excel and save it as a workbook: `parxl inputs -o x.xlsx`
    writes one (it wrote CSV text under an .xlsx name, which Excel refuses to open), and `parxl
    fill --values x.xlsx` reads it ("phải lưu dạng UTF-8" before) into the same values as the CSV."""
    from parxl.framework import builtin
    from parxl.framework.load import example_values_path

    fw = builtin(fid)
    table = tmp_path / "nhap.xlsx"
    write_input_table(fw, table)
    assert zipfile.is_zipfile(table)
    ws = openpyxl.load_workbook(table)["Nhập liệu"]
    assert [c.value for c in ws[1]] == ["code", "field", "value", "type", "allowed", "unit", "description"]
    assert [(c.value, f.code) for c, f in zip(ws["A"][1:], input_fields(fw), strict=True) if c.value != f.code] == []
    assert all(c.data_type == "s" for c in ws["A"][1:])  # a code stays text, whatever it looks like
    # as in a template: 80 typed into a rate is 80 % (in a plain cell 1 would be 100 %); a text stays text
    formats = {f.type: ws[f"C{r}"].number_format for r, f in enumerate(input_fields(fw), start=2)}
    assert (formats[RATE], formats["text"], formats[STATUS]) == ("0.0%", "@", "@")
    want, _ = read_values(example_values_path(fid))
    # as Excel keeps them: numbers as numbers, a percentage as its fraction, texts as texts
    typed = {k: (n if (n := _number(v)) is not None else v) for k, v in want.items()}
    _typed_in_excel(table, dict(typed), tmp_path / "da-nhap.xlsx")
    template = build_template(fw, tmp_path / "mau.xlsx")
    fill_csv(template, example_values_path(fid), tmp_path / "tu-csv.xlsx")
    fill_csv(template, tmp_path / "da-nhap.xlsx", tmp_path / "tu-xlsx.xlsx")
    assert read_return(tmp_path / "tu-xlsx.xlsx").values == read_return(tmp_path / "tu-csv.xlsx").values


def _number(text: str) -> float | None:
    from parxl.numbers import parse_vn_number

    n = parse_vn_number(text)
    return None if n is None or not any(c.isdigit() for c in text) or text.strip() != text else n


def test_an_input_table_in_excel_names_a_date_and_keeps_a_dated_text(mini: Framework, tmp_path: Path) -> None:
    """Excel turns "2/3" typed into a number cell into a date: the value is refused with its row,
    not read as a number; a date in a text field (evidence) is written as a reader writes it."""
    import datetime

    table = tmp_path / "nhap.xlsx"
    write_input_table(mini, table)
    rows = {(f.code, f.field): r for r, f in enumerate(input_fields(mini), start=2)}
    count = next(k for k, f in zip(rows, input_fields(mini), strict=True) if f.type == COUNT)
    evidence = next(k for k in rows if k[1] == "evidence")
    typed = _typed_in_excel(table, {count: datetime.datetime(2024, 3, 2), evidence: datetime.datetime(2024, 1, 5)},
                            tmp_path / "da-nhap.xlsx")
    template = build_template(mini, tmp_path / "mau.xlsx")
    with pytest.raises(InputError, match=f"dòng {rows[count]}, mục {count[0]}, trường '{count[1]}': ô là ngày tháng "
                       r"\(02/03/2024\)") as exc:
        fill_csv(template, typed, tmp_path / "out.xlsx")
    assert str(exc.value).count("\n  - ") == 1  # the dated evidence is no problem
    assert not (tmp_path / "out.xlsx").exists()
    values, _ = read_values(typed)
    values.pop(count)
    fill_values(template, values, tmp_path / "out.xlsx")
    assert read_return(tmp_path / "out.xlsx").values[evidence] == "05/01/2024"


def test_an_input_table_is_written_as_csv_or_xlsx_only(mini: Framework, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"dạng \.csv hoặc \.xlsx"):
        write_input_table(mini, tmp_path / "nhap.ods")
    assert not (tmp_path / "nhap.ods").exists()
    filled = _typed_in_excel(_blank_table(mini, tmp_path), {("1.1.1", "status"): "Đạt"}, tmp_path / "nhap.xlsx")
    before = filled.read_bytes()
    with pytest.raises(InputError, match="đã có 1 giá trị"):  # a filled workbook table is not replaced either
        write_input_table(mini, filled)
    assert filled.read_bytes() == before
    with pytest.raises(InputError, match="không phải bảng nhập liệu"):  # nor a workbook of another kind
        write_input_table(mini, build_template(mini, tmp_path / "mau.xlsx"))
    # a return given as the table of values: named, with the command that takes its values
    with pytest.raises(InputError, match=r"đây là biểu mẫu parxl, .*'parxl collect'"):
        fill_csv(tmp_path / "mau.xlsx", tmp_path / "mau.xlsx", tmp_path / "out.xlsx")
    other = openpyxl.Workbook()
    other.active.append(["Mã", "Giá trị"])
    other.save(tmp_path / "khac.xlsx")
    with pytest.raises(InputError, match="không có trang nào có dòng tiêu đề với các cột 'code', 'field', 'value'"):
        fill_csv(tmp_path / "mau.xlsx", tmp_path / "khac.xlsx", tmp_path / "out.xlsx")


def _blank_table(fw: Framework, tmp_path: Path) -> Path:
    write_input_table(fw, tmp_path / "trong.xlsx")
    write_input_table(fw, tmp_path / "lan-2.xlsx")
    assert (tmp_path / "trong.xlsx").read_bytes() == (tmp_path / "lan-2.xlsx").read_bytes()  # same bytes
    return tmp_path / "trong.xlsx"
