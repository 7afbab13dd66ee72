"""Collect: recognise returns by metadata, check everything at once, consolidate, score.

Expected scores are worked out by hand from tests/data/mini.yaml:
1.1.1 yes/no (1) Có -> 1; 1.1.2 2 x 77,7% = 1,554 -> 1,55; 1.2.1 2 initiatives x 1 -> 2;
2.1.1 3 x 22.583.451 / 23.000.000 = 2,9456... -> 2,95; 2.1.2 93,23% reaches the 90% tier -> 1;
2.1.3 no late answer -> 1. Base achieved 9,5; survey 2.2.1 (2 points) still open; total 9,5;
index 9,5 / (12,5 + bonus cap 1) = 0,7037...; deducted 0,45 + 0,05 + 0,5 = 1,0.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
import multiprocessing
import re
import shutil
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from parxl.errors import ParxlError
from parxl.framework import Framework, from_dict, load_yaml
from parxl.office.collect import collect
from parxl.office.distribute import distribute
from parxl.office.synth import fill_return, patch_cells
from parxl.score import score_values
from parxl.workbook import layout as L
from parxl.workbook.build import build_template
from parxl.workbook.read import read_return
from tests.conftest import DATA, libreoffice_convert, require_libreoffice, saved_as_of

NV, VH, VP = "Phòng Nội vụ", "Phòng Văn hoá và Thông tin", "Văn phòng HĐND và UBND"
GOOD: dict[str, dict[tuple[str, str], Any]] = {
    NV: {
        ("1.1.1", "done"): "Có",
        ("1.1.2", "rate"): 0.777,  # typed "77,7%": Excel stores the number
        ("1.1.2", "explanation"): "Còn 2 nhiệm vụ chưa hoàn thành",
        ("1.2.1", "count"): 2,
    },
    VP: {
        ("2.1.1", "numerator"): 22583451,
        ("2.1.1", "denominator"): 23000000,
        ("2.1.1", "explanation"): "Một số hồ sơ trễ hạn do liên thông",
        ("2.1.3", "incidents"): 0,
    },
    VH: {("2.1.2", "rate"): 0.9323, ("2.1.2", "explanation"): "Chưa ký số văn bản nội bộ"},
}


@pytest.fixture(scope="module")
def issued(mini: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three office copies, distributed once per module (tests only read them)."""
    paths = distribute(mini, tmp_path_factory.mktemp("phat-hanh"), body="Huyện Mẫu", year="2024")
    return {p.stem: p for p in paths}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _msgs(result: Any, fragment: str) -> list[Any]:
    return [i for i in result.issues if fragment in i.message]


def test_an_open_workbooks_values_are_checked_as_its_file(issued: dict[str, Path], tmp_path: Path) -> None:
    """What xlwings hands over (every sheet's values, no formulas) gets the problems and
    messages the file gets, through the public check_template (the Lite 'Kiểm tra' script)."""
    from python_calamine import CalamineWorkbook

    from parxl.office.check import check_template, check_workbook
    from parxl.workbook.values import read_template

    path = fill_return(issued[NV], tmp_path / "nv.xlsx", {
        ("1.1.1", "done"): "Có", ("1.1.2", "rate"): "120%", ("1.2.1", "count"): "hai",
        ("2.1.1", "numerator"): 5,
    }, extra={("Lĩnh vực 1", "E6"): 5, ("Lĩnh vực 1", "I6"): 7})
    wb = CalamineWorkbook.from_path(str(path))
    sheets = {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}
    got = check_template(read_template(sheets, "nv.xlsx"))
    _, want, _ = check_workbook(path)
    assert len(want) >= 5
    assert sorted(replace(i, file="") for i in got) == sorted(replace(i, file="") for i in want)
    assert {i.file for i in got} == {"nv.xlsx"}


def test_office_returns_are_merged_by_item_code(issued: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    back = tmp_path / "tra ve"
    # names and folders say nothing: returns are recognised by their metadata
    fill_return(issued[NV], back / "đợt 1" / "bản cuối (1).xlsx", GOOD[NV])
    fill_return(issued[VP], back / "đợt 2" / "VP gửi lại.xlsx", GOOD[VP])
    fill_return(issued[VH], back / "x.xlsx", GOOD[VH])
    result = collect(back, tmp_path / "kq" / "tong hop.xlsx")
    assert result.issues == []
    assert result.files == 3 and result.used == 3
    [row] = result.scores
    assert row["body"] == "Huyện Mẫu"
    assert row["total"] == pytest.approx(9.5)
    assert row["index"] == pytest.approx(9.5 / 13.5)
    assert row["deducted"] == pytest.approx(1.0)
    assert row["open"] == pytest.approx(2.0)
    assert row["domain 1"] == pytest.approx(4.55)
    assert row["domain 2"] == pytest.approx(4.95)
    # the consolidated workbook is the template filled with every input: it scores itself
    out = tmp_path / "kq" / "tong hop.xlsx"
    ret = read_return(out)
    assert ret.meta["kind"] == "consolidated"
    assert (ret.body, ret.year) == ("Huyện Mẫu", "2024")  # as the issued copies state them
    assert ret.values[("1.1.2", "rate")] == pytest.approx(0.777)
    assert ret.values[("2.1.1", "numerator")] == 22583451
    assert ret.values[("2.1.2", "explanation")] == "Chưa ký số văn bản nội bộ"
    assert score_values(mini, ret.values).total == pytest.approx(9.5)
    wb = openpyxl.load_workbook(out)
    assert "Kiểm tra" in wb.sheetnames and "Kết quả" in wb.sheetnames
    assert wb["Kết quả"]["A4"].value == "Huyện Mẫu"
    assert wb["Kết quả"]["C4"].value == pytest.approx(9.5)
    # its printed pages name the body (page header), as the offices' copies named office and body
    assert wb["Lĩnh vực 1"].oddHeader.right.text.startswith("Huyện Mẫu — Điểm tối đa: ")
    scores = list(csv.reader((tmp_path / "kq" / "tong hop-diem.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert scores[0][:3] == ["Cơ quan, đơn vị", "Số tệp", "Tổng điểm"]
    assert scores[1][:3] == ["Huyện Mẫu", "3", "9.5"]
    report = json.loads((tmp_path / "kq" / "tong hop-kiem-tra.json").read_text(encoding="utf-8"))
    assert report["issues"] == [] and report["used"] == 3


def test_every_problem_is_reported_at_once(issued: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", {
        ("1.1.1", "done"): "Có",
        ("1.1.2", "rate"): "120%",  # out of range
        ("1.2.1", "count"): "hai",  # text in a number cell
        ("2.1.1", "numerator"): 5,  # another office's item
    }, extra={("Lĩnh vực 1", "E6"): 5, ("Lĩnh vực 1", "L9"): 2,  # locked max edited, formula overwritten
              ("Lĩnh vực 1", "I6"): 7})  # "Số liệu 2" of a rule with one input
    fill_return(issued[NV], back / "nv gửi lại.xlsx", {("1.1.1", "done"): "Không"})  # conflict
    fill_return(issued[VP], back / "vp.xlsx", {
        ("2.1.1", "numerator"): 120, ("2.1.1", "denominator"): 100,  # rate above 100%
        ("2.1.3", "incidents"): 1,  # 0,5 deducted, no explanation
    })
    # outdated template version and a tampered fingerprint (metadata rows 2 and 6 of '_parxl')
    patch_cells(issued[VP], back / "cu.xlsx", {("_parxl", "B2"): "0"})
    patch_cells(issued[VP], back / "sua.xlsx", {("_parxl", "B6"): "0000000000000000"})
    # a return of another version of the framework
    d = mini.to_dict()
    d["version"] = "2"
    other = distribute(from_dict(d, "v2"), tmp_path / "v2", body="Huyện Mẫu")[0]
    shutil.copy(other, back / "v2.xlsx")
    result = collect(back, tmp_path / "out.xlsx")

    def one(fragment: str, **where: str) -> Any:
        found = [i for i in _msgs(result, fragment) if all(getattr(i, k) == v for k, v in where.items())]
        assert found, (fragment, where, result.issues)
        return found[0]

    one("tỷ lệ 120% phải từ 0% đến 100%", file="nv.xlsx", cell="H7", item="1.1.2", severity="lỗi")
    one("'hai' không phải là số", file="nv.xlsx", cell="H9", item="1.2.1")
    one(f"nhập số liệu vào mục 2.1.1 thuộc đơn vị '{VP}'", file="nv.xlsx", item="2.1.1", office=VP)
    one("'Điểm tối đa' bị sửa: 5 (mẫu: 1)", file="nv.xlsx", cell="E6", item="1.1.1")
    one("công thức tính điểm ở ô L9", file="nv.xlsx", item="1.2.1")
    one("ô I6 không dùng cho mục 1.1.1 (cách chấm chỉ có 1 số liệu) — bỏ qua giá trị '7'", file="nv.xlsx",
        cell="I6", severity="cảnh báo")
    c = one("xung đột", file="nv gửi lại.xlsx", item="1.1.1")
    assert "'Có' trong 'nv.xlsx' ô H6" in c.message and "'Không' trong 'nv gửi lại.xlsx' ô H6" in c.message
    one("tử số (120) lớn hơn mẫu số (100)", file="vp.xlsx", cell="H6", item="2.1.1")
    one("bị trừ 0,5/1 điểm nhưng chưa có giải trình", file="vp.xlsx", cell="K8", severity="nhắc nhở")
    one(f"đơn vị '{VH}' của 'Huyện Mẫu' chưa gửi biểu mẫu (1 mục: 2.1.2)", file="", office=VH)
    one("biểu mẫu phiên bản 0", file="cu.xlsx")
    one("dấu vân tay bộ tiêu chí không khớp", file="sua.xlsx")
    one("phiên bản bộ tiêu chí khác: tệp dùng 'mini' phiên bản 2", file="v2.xlsx")
    # bad values are not merged; the conflicting field is left out; the good ones are kept
    assert len(result.scores) == 1
    merged = result.values
    assert merged is not None
    assert ("1.1.2", "rate") not in merged and ("1.1.1", "done") not in merged
    # a numerator above its denominator makes no rate: neither is merged (the item stays open)
    assert not {("2.1.1", "numerator"), ("2.1.1", "denominator")} & set(merged)
    assert merged[("2.1.3", "incidents")] == 1
    assert result.errors >= 11
    assert [i.severity for i in result.issues].count("lỗi") == result.errors
    # the report is ordered by severity (errors first: what must be fixed), then file, then item
    order = [("lỗi", "cảnh báo", "nhắc nhở").index(i.severity) for i in result.issues]
    assert order == sorted(order)
    for severity in ("lỗi", "cảnh báo", "nhắc nhở"):
        files = [i.file for i in result.issues if i.severity == severity]
        assert files == sorted(files)


def test_evidence_and_explanations(mini: Framework, tmp_path: Path) -> None:
    d = mini.to_dict()
    d["domains"][0]["criteria"][0]["items"][0]["evidence"] = "Kế hoạch CCHC năm"
    fw = from_dict(d, "ev")
    nv = distribute(fw, tmp_path / "ph")[0]
    fill_return(nv, tmp_path / "back" / "a.xlsx", {("1.1.1", "done"): "Có", ("1.2.1", "count"): 1,
                                                    ("1.2.1", "evidence"): "Quyết định 12/QĐ"})
    result = collect(tmp_path / "back")
    ev = _msgs(result, "chưa ghi tài liệu kiểm chứng (yêu cầu: Kế hoạch CCHC năm)")
    assert [(i.cell, i.item, i.severity) for i in ev] == [("J6", "1.1.1", "nhắc nhở")]
    ex = _msgs(result, "chưa có giải trình")
    assert [(i.cell, i.item) for i in ex] == [("K9", "1.2.1")]
    assert "bị trừ 1/2 điểm" in ex[0].message
    assert [i for i in result.issues if i.reminder] == sorted(ev + ex)  # and no other issue
    assert result.reminders == len(ev) + len(ex)
    assert result.warnings == sum(i.severity == "cảnh báo" for i in result.issues)  # reminders are apart
    assert result.by_office()["Phòng Nội vụ"][2] == 2  # whom to remind


def test_progress_under_an_open_status_is_a_reminder(mini: Framework, tmp_path: Path) -> None:
    """Figures so far under 'Chưa đến hạn' / 'Chưa xác định' are normal mid-year (seed 004 gives
    them): a reminder that they are not scored yet. Figures under 'Không áp dụng' stay a warning."""
    nv = distribute(mini, tmp_path / "ph")[0]
    fill_return(nv, tmp_path / "back" / "a.xlsx", {
        ("1.2.1", "status"): "Chưa đến hạn", ("1.2.1", "count"): 1, ("1.2.1", "explanation"): "Cuối năm",
        ("1.1.2", "status"): "Không áp dụng", ("1.1.2", "rate"): 0.5, ("1.1.1", "done"): "Có"})
    result = collect(tmp_path / "back")
    progress = [i for i in result.issues if i.item == "1.2.1"]
    assert [(i.cell, i.severity, i.reminder) for i in progress] == [("G9", "nhắc nhở", True)]
    assert progress[0].message.startswith("tình trạng 'Chưa đến hạn': số liệu hiện có được ghi lại nhưng chưa "
                                          "tính điểm")
    exempt = [i for i in result.issues if i.item == "1.1.2"]
    assert [(i.cell, i.severity, i.reminder) for i in exempt] == [("G7", "cảnh báo", False)]
    assert exempt[0].message == ("tình trạng 'Không áp dụng' nhưng vẫn nhập số liệu — số liệu không được "
                                 "tính điểm")


def test_status_dat_does_not_score_the_item_and_says_so(mini: Framework, tmp_path: Path) -> None:
    """'Đạt' chosen in the status list is shown, but the points come from the data: with no data
    the item scores 0 and loses its maximum, with data it scores what they give. Both are said,
    the first with what to type."""
    nv = distribute(mini, tmp_path / "ph")[0]
    fill_return(nv, tmp_path / "back" / "a.xlsx", {
        ("1.1.1", "status"): "Đạt", ("1.1.2", "status"): "Đạt", ("1.1.2", "rate"): 0.5,
        ("1.2.1", "count"): 1})
    result = collect(tmp_path / "back")
    scores = score_values(mini, result.values or {})
    assert (scores.items["1.1.1"].status, scores.items["1.1.1"].achieved) == ("Đạt", 0)
    [empty] = [i for i in _msgs(result, "chọn 'Đạt'") if i.item == "1.1.1"]
    assert (empty.cell, empty.severity) == ("G6", "cảnh báo")
    assert empty.message == ("chọn 'Đạt' nhưng chưa nhập số liệu — điểm tính theo số liệu nên được 0/1 điểm; "
                             "hãy nhập Số liệu 1: Đã thực hiện đúng yêu cầu? (Có/Không)")
    [half] = [i for i in _msgs(result, "chọn 'Đạt'") if i.item == "1.1.2"]
    assert scores.items["1.1.2"].achieved == 1  # 2 points × 50 %: the data, not the status
    assert half.message == "chọn 'Đạt' nhưng số liệu chỉ cho 1/2 điểm — điểm vẫn tính theo số liệu"


def test_vietnamese_number_formats(issued: dict[str, Path], tmp_path: Path) -> None:
    fill_return(issued[VP], tmp_path / "b" / "vp.xlsx", {
        ("2.1.1", "numerator"): "22.583.451", ("2.1.1", "denominator"): "22.583.451,0"})
    fill_return(issued[VH], tmp_path / "b" / "vh.xlsx", {("2.1.2", "rate"): "77,7 %"})
    fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", {("1.1.2", "rate"): 0.9323, ("1.2.1", "count"): "1"})
    result = collect(tmp_path / "b")
    v = result.values
    assert v is not None
    assert v[("2.1.1", "numerator")] == 22583451 and v[("2.1.1", "denominator")] == 22583451
    assert v[("2.1.2", "rate")] == pytest.approx(0.777)
    assert v[("1.1.2", "rate")] == pytest.approx(0.9323)
    assert v[("1.2.1", "count")] == 1
    assert result.errors == 0
    # text where a number belongs: the office's own sheet may have scored it as 0; said so
    texts = sorted((i.file, i.cell) for i in _msgs(result, "ô chứa văn bản"))
    assert texts == [("nv.xlsx", "H9"), ("vh.xlsx", "H7"), ("vp.xlsx", "H6"), ("vp.xlsx", "I6")]
    [rate] = _msgs(result, "ô chứa văn bản '77,7 %'")
    assert "tổng hợp ghi là số 77,7%" in rate.message and rate.severity == "cảnh báo"


def test_a_number_excel_turned_into_a_date_is_not_taken(issued: dict[str, Path], tmp_path: Path) -> None:
    """Typed "2/3" (2 of 3?) in a count cell, Excel stores 2 March as the number 44987: refused."""
    import datetime

    path = fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", GOOD[NV])
    wb = openpyxl.load_workbook(path)
    wb["Lĩnh vực 1"]["H9"].value = datetime.date(2023, 3, 2)  # 1.2.1 count
    wb.save(path)
    result = collect(tmp_path / "b")
    [bad] = _msgs(result, "ô là ngày tháng")
    assert (bad.cell, bad.item, bad.severity) == ("H9", "1.2.1", "lỗi") and "44987" in bad.message
    assert result.values is not None and ("1.2.1", "count") not in result.values
    assert result.values[("1.1.2", "rate")] == pytest.approx(0.777)  # the other numbers are numbers


def test_yes_no_and_statuses_outside_the_list_are_questioned(issued: dict[str, Path], tmp_path: Path) -> None:
    """The sheet's formulas compare texts ignoring case only: 'x' or 'Có ' is not 'Có' there."""
    fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", {
        ("1.1.1", "done"): "x", ("1.2.1", "status"): "chưa đến hạn ", ("1.1.2", "status"): "không áp dụng"})
    result = collect(tmp_path / "b")
    assert result.values is not None and result.values[("1.1.1", "done")] == "Có"
    odd = sorted((i.cell, i.severity) for i in _msgs(result, "không phải giá trị trong danh sách"))
    assert odd == [("G9", "cảnh báo"), ("H6", "cảnh báo")]  # a different case alone is no problem


@pytest.mark.parametrize(("typed", "taken", "why"), [
    (True, "Có", "'TRUE' không phải giá trị trong danh sách"),  # a logical value (English Excel, LibreOffice)
    ("Co", "Có", "'Co' không phải giá trị trong danh sách"),  # the Vietnamese keyboard off
    ("khong", "Không", "'khong' không phải giá trị trong danh sách"),
    (unicodedata.normalize("NFD", "Có"), "Có", "gõ bằng bảng mã Unicode tổ hợp"),
])
def test_yes_no_typed_otherwise_is_taken_and_questioned(issued: dict[str, Path], tmp_path: Path, typed: Any,
                                                         taken: str, why: str) -> None:
    """What the office's own formulas (=IF(H6="Có",…)) do not understand is taken as meant, with a
    warning at the cell saying why the office's sheet scored it otherwise."""
    path = fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", {("1.1.1", "done"): "Có"})
    wb = openpyxl.load_workbook(path)
    wb["Lĩnh vực 1"]["H6"].value = typed
    wb.save(path)
    result = collect(tmp_path / "b")
    assert result.values is not None and result.values[("1.1.1", "done")] == taken
    [warned] = [i for i in result.issues if i.cell == "H6"]
    assert why in warned.message and f"tổng hợp ghi là '{taken}'" in warned.message
    assert warned.severity == "cảnh báo"


def test_statuses_typed_without_diacritics_are_taken(mini: Framework) -> None:
    from parxl.inputs import input_fields, normalize

    status = next(f for f in input_fields(mini) if f.type == "status")
    assert [normalize(status, t)[0] for t in ("Khong dat", "chua  den han", "DAT", "Khong ap dung")] == [
        "Không đạt", "Chưa đến hạn", "Đạt", "Không áp dụng"]
    assert normalize(status, "Dat yeu cau")[0] is None


def test_a_refused_number_is_shown_in_vietnamese_format(mini: Framework) -> None:
    """A cell's -0.5 is told as "-0,5", as the user sees it in the sheet; a typed text as typed."""
    from parxl.inputs import input_fields, normalize

    fields = {f.type: f for f in input_fields(mini)}
    assert normalize(fields["points"], -0.5)[1] == "số điểm -0,5 phải từ 0 đến 2"
    assert normalize(fields["count"], -2.5)[1] == "số lượng -2,5 không được âm"
    assert normalize(fields["count"], " -1.234,5 ")[1] == "số lượng -1.234,5 không được âm"


def test_an_explanation_too_long_for_a_cell_is_refused_not_cut(issued: dict[str, Path], tmp_path: Path) -> None:
    """A cell holds 32,767 characters: a longer text (written by a program, not typed) would be cut
    in the consolidated workbook; it is refused at its cell instead."""
    long = "Giải trình quá dài" * 2_500  # 45,000 characters
    fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", {**GOOD[NV], ("1.1.2", "explanation"): long})
    result = collect(tmp_path / "b")
    [bad] = [i for i in result.issues if i.item == "1.1.2" and i.severity == "lỗi"]
    assert bad.cell == "K7" and "45.000 ký tự" in bad.message
    assert result.values is not None and ("1.1.2", "explanation") not in result.values


def test_a_rate_typed_without_its_percent_sign_is_told_as_a_percentage(issued: dict[str, Path],
                                                                         tmp_path: Path) -> None:
    path = fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", GOOD[NV])
    wb = openpyxl.load_workbook(path)
    wb["Lĩnh vực 1"]["H7"].value = 77.7  # a number, in a cell without the percent format
    wb.save(path)
    [bad] = [i for i in collect(tmp_path / "b").issues if i.cell == "H7"]
    assert "tỷ lệ 7.770% phải từ 0% đến 100% (nếu là 77,7%, gõ cả dấu %)" in bad.message


def test_same_folder_same_bytes_and_inputs_untouched(issued: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", {**values, ("1.1.1", "done"): "Có"})
    before = _files(back)
    collect(back, tmp_path / "a" / "th.xlsx")
    collect(back, tmp_path / "b" / "th.xlsx")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(back) == before
    collect(back, tmp_path / "a" / "th.xlsx")  # re-run over the old outputs
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_outputs_inside_the_folder_are_not_read_back(issued: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    first = collect(back, back / "tong-hop.xlsx")
    second = collect(back, back / "tong-hop.xlsx")
    assert first.issues == second.issues
    # a consolidated workbook copied elsewhere in the folder is recognised and skipped
    shutil.copy(back / "tong-hop.xlsx", back / "ban sao.xlsx")
    third = collect(back)
    assert [i.message for i in third.issues if i.file == "ban sao.xlsx"] == [
        "tệp tổng hợp do parxl tạo (không phải biểu mẫu trả về) — bỏ qua"]


def test_a_crash_leaves_no_partial_output(issued: dict[str, Path], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cm = importlib.import_module("parxl.office.collect")

    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])

    def boom(*a: Any) -> bytes:
        raise RuntimeError("crash")

    monkeypatch.setattr(cm, "scores_csv", boom)  # the last output to be computed
    with pytest.raises(RuntimeError):
        collect(back, tmp_path / "out" / "th.xlsx")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    monkeypatch.undo()
    # the last of the four files cannot be written: none of them is
    (tmp_path / "part" / "th-diem.csv").mkdir(parents=True)
    with pytest.raises(ParxlError, match="là một thư mục"):
        collect(back, tmp_path / "part" / "th.xlsx")
    assert [p.name for p in (tmp_path / "part").iterdir()] == ["th-diem.csv"]


def _collect_into(args: tuple[str, str]) -> int:
    collect(args[0], args[1], workers=1)
    return 0


def test_two_processes_collect_the_same_folder(issued: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", values)
    out = tmp_path / "out" / "th.xlsx"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_collect_into, args=((str(back), str(out)),)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    together = _files(tmp_path / "out")
    assert not [n for n in together if ".tmp" in n]
    collect(back, tmp_path / "alone" / "th.xlsx")
    assert together == _files(tmp_path / "alone")


def test_parallel_reading_gives_the_serial_result(issued: dict[str, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cm = importlib.import_module("parxl.office.collect")

    back = tmp_path / "back"
    for i in range(3):
        for office, values in GOOD.items():
            if office == VP:  # 0,5 deducted without an explanation: a reminder in each copy
                values = {**values, ("2.1.3", "incidents"): 1}
            fill_return(issued[office], back / f"{i}" / f"{office}.xlsx", values)
    (back / "hỏng.xlsx").write_bytes(b"PK\x03\x04 not really")
    serial = collect(back, workers=1)
    monkeypatch.setattr(cm, "PARALLEL_THRESHOLD", 2)
    seen: list[tuple[int, int]] = []
    parallel = collect(back, workers=2, progress=lambda d, n: seen.append((d, n)))
    assert parallel.issues == serial.issues
    assert parallel.scores == serial.scores
    assert seen[-1] == (10, 10)
    # three copies of each return: duplicates are noted once each, not conflicts
    assert len(_msgs(serial, "tệp trùng với")) == 6 and not _msgs(serial, "xung đột")
    # ... and their problems are told once, as for a single copy (not once per copy)
    single = collect(back / "0", workers=1)
    assert single.reminders > 0
    assert sorted(i.message for i in serial.issues if i.file.startswith("0/")) == sorted(
        i.message for i in single.issues if i.file)
    assert not [i for i in serial.issues if i.file.startswith(("1/", "2/")) and "tệp trùng với" not in i.message]
    assert serial.reminders == single.reminders
    assert (serial.files, serial.used) == (10, 3)  # read 10, consolidated one copy of each


def test_body_returns_make_one_table(mini: Framework, tmp_path: Path) -> None:
    paths = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=["Xã A", "Xã B", "Xã C"])}
    everything = {k: v for values in GOOD.values() for k, v in values.items()}
    back = tmp_path / "back"
    fill_return(paths["Xã A"], back / "a.xlsx", everything)
    fill_return(paths["Xã B"], back / "b.xlsx", {("1.1.1", "done"): "Có"})
    fill_return(paths["Xã B"], back / "b2.xlsx", {("1.1.1", "done"): "Không"})
    lst = tmp_path / "ds.txt"
    lst.write_text("Xã A\nXã B\nXã C\n", encoding="utf-8")
    result = collect(back, tmp_path / "th.xlsx", expected=lst)
    rows = {r["body"]: r for r in result.scores}
    assert set(rows) == {"Xã A", "Xã B"}
    assert rows["Xã A"]["total"] == pytest.approx(9.5)
    assert rows["Xã B"]["total"] == pytest.approx(1.0)
    assert rows["Xã B"]["index"] == pytest.approx(1 / 13.5)
    [conflict] = _msgs(result, "xung đột")
    assert conflict.file == "b2.xlsx" and conflict.cell == "H6"
    assert "'Có' trong 'b.xlsx' và 'Không' trong 'b2.xlsx'" in conflict.message
    assert _msgs(result, "'Xã C' chưa gửi biểu mẫu")
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx")
    assert wb.sheetnames == ["Kết quả", "Kiểm tra"]
    assert [wb["Kết quả"].cell(row=r, column=1).value for r in (4, 5)] == ["Xã A", "Xã B"]
    assert wb["Kết quả"]["A2"].value is None  # nothing to type into here: no note on typed values


def test_a_return_saved_by_libreoffice_reads_the_same(issued: dict[str, Path], tmp_path: Path) -> None:
    """Shared strings, cached formula values, another writer's XML: same values, no false alarms."""
    require_libreoffice()
    src = fill_return(issued[NV], tmp_path / "src" / "nv.xlsx", GOOD[NV])
    lo = tmp_path / "lo"
    libreoffice_convert(src, lo, "xlsx:Calc MS Excel 2007 XML")
    a, b = collect(tmp_path / "src"), collect(lo)
    assert b.values == a.values
    assert [i.message for i in b.issues] == [i.message for i in a.issues]
    # beside returns written by parxl, it is the same framework: merged, not "another version"
    for office in (VP, VH):
        fill_return(issued[office], tmp_path / "src" / f"{office}.xlsx", GOOD[office])
        fill_return(issued[office], lo / f"{office}.xlsx", GOOD[office])
    a, b = collect(tmp_path / "src"), collect(lo)
    assert b.used == 3 and b.issues == [] and b.values == a.values


def test_a_return_resaved_by_openpyxl_joins_the_others(issued: dict[str, Path], tmp_path: Path) -> None:
    """openpyxl writes the framework's cells in its own way: still one framework."""
    back = tmp_path / "back"
    for office in (NV, VP, VH):
        fill_return(issued[office], back / f"{office}.xlsx", GOOD[office])
    wb = openpyxl.load_workbook(back / f"{NV}.xlsx")
    wb.save(back / f"{NV}.xlsx")
    result = collect(back)
    assert result.used == 3 and result.issues == []
    assert result.scores[0]["total"] == pytest.approx(9.5)


def test_cells_without_references_are_followed_by_position(issued: dict[str, Path], tmp_path: Path) -> None:
    """The cell reference ``r`` is optional in OOXML: a writer that leaves it out gives the same
    values, and problems at the same cells."""
    src = fill_return(issued[NV], tmp_path / "a" / "nv.xlsx", GOOD[NV])
    bare = tmp_path / "b" / "nv.xlsx"
    bare.parent.mkdir()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<c r="[A-Z]+[0-9]+"', b"<c", data)
                assert n > 0
            zout.writestr(info.filename, data)
    a, b = collect(tmp_path / "a"), collect(tmp_path / "b")
    assert a.values and b.values == a.values
    assert [(i.sheet, i.cell, i.message) for i in b.issues] == [(i.sheet, i.cell, i.message) for i in a.issues]


def test_cli_collect(issued: dict[str, Path], tmp_path: Path) -> None:
    from parxl.cli import app

    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    out = tmp_path / "th.xlsx"
    res = CliRunner().invoke(app, ["collect", str(back), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Đã đọc 1 tệp, tổng hợp 1 tệp; 2 lỗi" in res.output
    assert "chưa gửi biểu mẫu" in res.output
    # who to call: problems per office (here the two offices that have not answered)
    assert f"  {VH}: 1 lỗi, 0 cảnh báo" in res.output and f"  {VP}: 1 lỗi, 0 cảnh báo" in res.output
    assert f"  {NV}:" not in res.output
    assert out.is_file()
    res = CliRunner().invoke(app, ["collect", str(back), "-o", str(out), "--strict"])
    assert res.exit_code == 2
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    res = CliRunner().invoke(app, ["collect", str(back), "-o", str(out)])
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert f"Lỗi: đơn vị '{VH}' của 'Huyện Mẫu' chưa gửi biểu mẫu" in " ".join(res.output.split())
    # nothing usable in the folder: exit 1, whatever --strict says
    (tmp_path / "trống").mkdir()
    res = CliRunner().invoke(app, ["collect", str(tmp_path / "trống"), "-o", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1 and "không có tệp Excel nào" in res.output


def test_cli_prints_names_with_brackets_as_they_are(issued: dict[str, Path], tmp_path: Path) -> None:
    from parxl.cli import app

    back = tmp_path / "về [đợt 2]"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    (back / "Phòng Tư pháp [gửi lại].xlsx").write_bytes(b"PK\x03\x04 broken")
    res = CliRunner().invoke(app, ["collect", str(back), "-o", str(tmp_path / "th.xlsx")])
    assert "Phòng Tư pháp [gửi lại].xlsx" in res.output  # not "Phòng Tư pháp .xlsx": no markup
    res = CliRunner().invoke(app, ["collect", str(back / "khác [bản cũ]"), "-o", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 1 and "khác [bản cũ]" in res.output


def test_reference_framework_by_majority_or_by_choice(issued: dict[str, Path], mini: Framework,
                                                      tmp_path: Path) -> None:
    d = mini.to_dict()
    d["version"] = "2"
    v2 = from_dict(d, "v2")
    new = {p.stem: p for p in distribute(v2, tmp_path / "v2", body="Huyện Mẫu")}
    back = tmp_path / "back"
    fill_return(issued[NV], back / "cu.xlsx", GOOD[NV])
    fill_return(new[NV], back / "moi nv.xlsx", GOOD[NV])
    fill_return(new[VP], back / "moi vp.xlsx", GOOD[VP])
    by_majority = collect(back)
    assert by_majority.framework is not None and by_majority.framework.version == "2"
    assert [i.file for i in _msgs(by_majority, "phiên bản bộ tiêu chí khác")] == ["cu.xlsx"]
    chosen = collect(back, framework=mini)
    assert chosen.framework is not None and chosen.framework.fingerprint == mini.fingerprint
    assert [i.file for i in _msgs(chosen, "phiên bản bộ tiêu chí khác")] == ["moi nv.xlsx", "moi vp.xlsx"]
    assert chosen.values is not None and chosen.values[("1.2.1", "count")] == 2


def test_the_distribution_list_names_who_has_not_answered(mini: Framework, tmp_path: Path) -> None:
    issued = tmp_path / "phat-hanh"
    paths = {p.stem: p for p in distribute(mini, issued, bodies=["Xã A", "Xã B", "Xã C"])}
    back = tmp_path / "back"
    fill_return(paths["Xã B"], back / "b.xlsx", {("1.1.1", "done"): "Có"})
    result = collect(back, expected=issued / "danh-sach-phat-hanh.csv")
    missing = sorted(i.message for i in _msgs(result, "chưa gửi biểu mẫu"))
    assert missing == ["'Xã A' chưa gửi biểu mẫu", "'Xã C' chưa gửi biểu mẫu"]


def test_blank_office_returns_are_questioned(issued: dict[str, Path], tmp_path: Path) -> None:
    """An untouched copy sent back (or the issued folder collected by mistake) is not silent."""
    back = tmp_path / "back"
    back.mkdir()
    shutil.copy(issued[VH], back / "vh.xlsx")
    fill_return(issued[NV], back / "nv.xlsx", {("1.1.1", "done"): "Có"})  # 1 of its 3 items
    fill_return(issued[VP], back / "vp.xlsx", GOOD[VP])  # all of its items
    result = collect(back)
    by_file = {i.file: i for i in _msgs(result, "để trống") + _msgs(result, "chưa nhập số liệu nào")}
    assert sorted(by_file) == ["nv.xlsx", "vh.xlsx"]
    assert by_file["vh.xlsx"].office == VH and by_file["vh.xlsx"].severity == "cảnh báo"
    assert "chưa nhập số liệu nào (1 mục)" in by_file["vh.xlsx"].message
    assert "còn 2/3 mục của đơn vị 'Phòng Nội vụ' để trống (1.1.2, 1.2.1)" in by_file["nv.xlsx"].message


def test_consolidated_rows_are_as_tall_as_their_text(issued: dict[str, Path], tmp_path: Path) -> None:
    """Excel and LibreOffice do not grow rows on opening: a long explanation must not be cut."""
    long = "Tổng số nhiệm vụ được giao 51: trước hạn 20, đúng hạn 24, trễ hạn 7 do chờ ý kiến; " * 2 + "xong"
    fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", {**GOOD[NV], ("1.1.2", "explanation"): long})
    collect(tmp_path / "b", tmp_path / "th.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["Lĩnh vực 1"]
    template = openpyxl.load_workbook(issued[NV])["Lĩnh vực 1"]
    assert ws["K7"].value == long
    per_line = int(ws.column_dimensions["K"].width * 1.15)  # characters of 11-point text per line
    assert ws.row_dimensions[7].height >= 15 * min(8, -(-len(long) // per_line))
    assert ws.row_dimensions[7].height > template.row_dimensions[7].height


def test_an_unreadable_file_named_after_its_office_is_theirs(issued: dict[str, Path], tmp_path: Path) -> None:
    """Not "has not sent": the office sent a file that cannot be used; its problem names the office."""
    back = tmp_path / "back"
    fill_return(issued[NV], back / f"{NV}.xlsx", GOOD[NV])
    fill_return(issued[VP], back / f"{VP}.xlsx", GOOD[VP])
    (back / f"{VH}.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)  # an old .xls renamed
    result = collect(back)
    [sent] = _msgs(result, "đã gửi tệp")
    assert sent.office == VH and f"đơn vị '{VH}' của 'Huyện Mẫu' đã gửi tệp '{VH}.xlsx'" in sent.message
    assert not _msgs(result, "chưa gửi biểu mẫu")
    [bad] = [i for i in result.issues if i.file == f"{VH}.xlsx"]
    assert bad.office == VH and bad.severity == "lỗi"
    assert result.by_office()[VH] == (2, 0, 0)


@pytest.mark.parametrize("basis", ["counts", "amounts"])
def test_decimals_are_questioned_in_counts_not_in_amounts(basis: str, tmp_path: Path) -> None:
    """Dossiers are whole; funds disbursed (millions of đồng) are not: only counts get the warning
    about a misread separator, and an amount keeps its decimals through collect and scoring."""
    text = (DATA / "mini.yaml").read_text("utf-8").replace("basis: counts", f"basis: {basis}")
    assert f"basis: {basis}" in text
    (tmp_path / "fw.yaml").write_text(text, "utf-8")
    fw = load_yaml(tmp_path / "fw.yaml")
    paths = {p.stem: p for p in distribute(fw, tmp_path / "phat-hanh", body="Huyện Mẫu", year="2024")}
    fill_return(paths[VP], tmp_path / "b" / "vp.xlsx", {
        ("2.1.1", "numerator"): "212.901,285", ("2.1.1", "denominator"): "590.161,54"})
    r = collect(tmp_path / "b", tmp_path / "out.xlsx", workers=1)
    warned = {i.cell for i in _msgs(r, "không phải số nguyên")}
    assert warned == ({"H6", "I6"} if basis == "counts" else set())
    assert r.values is not None and r.values[("2.1.1", "numerator")] == pytest.approx(212901.285)
    expected = round(3 * 212901.285 / 590161.54 + 1e-12, 2)  # ROUND half away from zero, 2 decimals
    assert score_values(fw, r.values).items["2.1.1"].achieved == pytest.approx(expected)
    ws = openpyxl.load_workbook(paths[VP])["Lĩnh vực 2"]
    assert ws["H6"].number_format == ("#,##0" if basis == "counts" else "#,##0.000")


def test_a_return_of_another_year_is_reported_and_left_out(mini: Framework, issued: dict[str, Path],
                                                           tmp_path: Path) -> None:
    last_year = distribute(mini, tmp_path / "năm trước", body="Huyện Mẫu", year="2023")
    old = next(p for p in last_year if p.stem == VH)
    fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", GOOD[NV])
    fill_return(issued[VP], tmp_path / "b" / "vp.xlsx", GOOD[VP])
    fill_return(old, tmp_path / "b" / "vh.xlsx", GOOD[VH])
    r = collect(tmp_path / "b", tmp_path / "out.xlsx", workers=1)
    [issue] = _msgs(r, "năm đánh giá 2023")
    assert (issue.file, issue.severity, issue.office) == ("vh.xlsx", "lỗi", VH)
    assert "2024" in issue.message
    assert r.values is not None and ("2.1.2", "rate") not in r.values  # not merged
    # the office did send something: not "chưa gửi", as if it had sent nothing
    assert _msgs(r, f"đơn vị '{VH}' của 'Huyện Mẫu' đã gửi tệp 'vh.xlsx' nhưng tệp không dùng được")
    assert not _msgs(r, "chưa gửi")
    assert read_return(tmp_path / "out.xlsx").year == "2024"


def test_warnings_text_tells_reminders_apart() -> None:
    from parxl.office.check import Issue, warnings_text

    def issue(severity: str) -> Issue:
        return Issue("a.xlsx", "Lĩnh vực 1", "J6", "1.1.1", "Phòng Nội vụ", severity, "…")

    note = "nhắc nhở (tài liệu kiểm chứng, giải trình, số liệu tạm chưa tính điểm)"
    assert warnings_text([issue("lỗi"), issue("cảnh báo"), issue("nhắc nhở"), issue("nhắc nhở")]) == \
        f"1 cảnh báo, 2 {note}"
    assert warnings_text([issue("lỗi"), issue("nhắc nhở")]) == f"1 {note}"
    assert warnings_text([issue("lỗi"), issue("cảnh báo")]) == "1 cảnh báo"
    assert warnings_text([]) == "0 cảnh báo"


def test_a_scan_sent_instead_of_the_return_is_named(issued: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    """An office that sent 'Phòng Văn hoá và Thông tin.pdf' (a scan) instead of its workbook was
    'chưa gửi biểu mẫu' as if it had sent nothing; evidence files named otherwise stay unread."""
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    fill_return(issued[VP], back / "vp.xlsx", GOOD[VP])
    (back / f"{VH}.pdf").write_bytes(b"%PDF-1.4 scan")
    (back / "minh chứng.pdf").write_bytes(b"%PDF-1.4 evidence")
    result = collect(back)
    [scan] = [i for i in result.issues if i.file == f"{VH}.pdf"]
    assert scan.severity == "lỗi" and scan.office == VH and "không phải biểu mẫu Excel (.pdf)" in scan.message
    [missing] = [i for i in result.issues if i.office == VH and not i.file]
    assert f"đã gửi tệp '{VH}.pdf' nhưng tệp không dùng được" in missing.message
    assert not [i for i in result.issues if "minh chứng" in i.file]


def test_updated_office_return_that_clears_a_status_is_a_conflict(issued: dict[str, Path], mini: Framework,
                                                                   tmp_path: Path) -> None:
    """Mid-year the office marked 1.1.1 'Chưa đến hạn'; in November it sends a second version of
    its copy with the status cleared and the result entered. The old 'Chưa đến hạn' must not be
    kept silently (the item would stay 'not yet due' with no message): the cleared cell differs
    between the two versions, so it is a conflict like any other. An item answered in one file
    only (two staff filling different parts of one copy) stays no conflict."""
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", {("1.1.1", "status"): "Chưa đến hạn", ("1.2.1", "count"): 2})
    fill_return(issued[NV], back / "nv cập nhật.xlsx", {("1.1.1", "done"): "Có", ("1.1.2", "rate"): 0.9})
    result = collect(back, tmp_path / "out.xlsx")
    conflicts = _msgs(result, "xung đột")
    assert {(i.file, i.item, i.cell) for i in conflicts} == {
        (f, "1.1.1", c) for f in ("nv.xlsx", "nv cập nhật.xlsx") for c in ("G6", "H6")}
    status = next(i for i in conflicts if i.cell == "G6")
    assert "'(trống)' trong 'nv cập nhật.xlsx' ô G6; 'Chưa đến hạn' trong 'nv.xlsx' ô G6" in status.message
    merged = result.values
    assert merged is not None
    assert ("1.1.1", "status") not in merged and ("1.1.1", "done") not in merged
    assert merged[("1.2.1", "count")] == 2 and merged[("1.1.2", "rate")] == pytest.approx(0.9)


def test_a_conflict_shows_rates_as_typed(issued: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", {("1.1.2", "rate"): 0.9})
    fill_return(issued[NV], back / "nv sửa.xlsx", {("1.1.2", "rate"): 0.777})
    conflict = _msgs(collect(back), "xung đột")[0]
    assert "'77,7%' trong 'nv sửa.xlsx' ô H7; '90%' trong 'nv.xlsx' ô H7" in conflict.message


def test_a_manifest_of_another_body_is_not_silently_satisfied(
        mini: Framework, issued: dict[str, Path], tmp_path: Path) -> None:
    """`--expected` lists the offices of 'Huyện Mẫu'; returns of another body (the wrong folder,
    last year's district) do not answer for it: each of its offices is reported as not sent."""
    manifest = issued[NV].parent / "danh-sach-phat-hanh.csv"
    other = {p.stem: p for p in distribute(mini, tmp_path / "khac", body="Huyện Khác", year="2024")}
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(other[office], back / f"{office}.xlsx", values)
    result = collect(back, expected=manifest)
    missing = sorted(i.office for i in _msgs(result, "của 'Huyện Mẫu' chưa gửi biểu mẫu"))
    assert missing == sorted([NV, VH, VP])
    assert [b.body for b in result.bodies] == ["Huyện Khác"]  # still consolidated, as before


@pytest.mark.parametrize("how", ["as parxl wrote it", "re-saved by Excel", "plain list of offices"])
def test_expected_offices_from_a_manifest_or_a_list(how: str, issued: dict[str, Path], tmp_path: Path) -> None:
    """The distribution list opened and saved by Excel (semicolons, a 'sep=;' line, headers in
    capitals), or a plain list of the offices: the offices that answered are not reported
    missing; the one that did not is; and a list naming the body itself is answered by its
    offices' returns."""
    manifest = issued[NV].parent / "danh-sach-phat-hanh.csv"
    lst = tmp_path / "ds.csv"
    if how == "re-saved by Excel":
        rows = list(csv.reader(manifest.read_text("utf-8-sig").splitlines()))
        lst.write_text("sep=;\n" + "\n".join(";".join(r) for r in [[h.upper() for h in rows[0]], *rows[1:]]),
                       encoding="utf-8-sig")
    elif how == "plain list of offices":
        lst.write_text(f"Đơn vị\n{NV}\n{VH.upper()}\n{VP}\n", encoding="utf-8")
    else:
        lst = manifest
    back = tmp_path / "back"
    for office in (NV, VP):
        fill_return(issued[office], back / f"{office}.xlsx", GOOD[office])
    result = collect(back, expected=lst)
    assert [(i.office, i.severity) for i in _msgs(result, "chưa gửi biểu mẫu")] == [(VH, "lỗi")]
    assert [b.body for b in result.bodies] == ["Huyện Mẫu"]
    (tmp_path / "bodies.txt").write_text("Huyện Mẫu\n", encoding="utf-8")
    issues = collect(back, expected=tmp_path / "bodies.txt").issues
    assert "'Huyện Mẫu' chưa gửi biểu mẫu" not in [i.message for i in issues]


def test_the_master_template_in_the_folder_is_nobodys_return(mini: Framework, issued: dict[str, Path],
                                                             tmp_path: Path) -> None:
    """The template itself (no body, no office) copied among the returns is skipped with a warning;
    filled by an office instead of its own copy, it is refused (whose values are they?) and the
    office is told it sent an unusable file. Neither becomes a body named after the file."""
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", values)
    template = build_template(mini, back / "bieu-mau.xlsx")
    result = collect(back, tmp_path / "th.xlsx")
    assert [b.body for b in result.bodies] == ["Huyện Mẫu"]
    [skipped] = _msgs(result, "biểu mẫu gốc chưa nhập số liệu")
    assert (skipped.file, skipped.severity) == ("bieu-mau.xlsx", "cảnh báo")
    assert L.SUMMARY in openpyxl.load_workbook(tmp_path / "th.xlsx").sheetnames  # one body's workbook
    (back / f"{VH}.xlsx").unlink()
    fill_return(template, back / f"{VH}.xlsx", GOOD[VH])
    result = collect(back)
    assert [b.body for b in result.bodies] == ["Huyện Mẫu"] and result.values is not None
    assert ("2.1.2", "rate") not in result.values
    [refused] = _msgs(result, "không ghi tên cơ quan")
    assert (refused.file, refused.severity) == (f"{VH}.xlsx", "lỗi")
    assert [i.office for i in _msgs(result, f"đã gửi tệp '{VH}.xlsx' nhưng tệp không dùng được")] == [VH]


@pytest.mark.parametrize("kind", ["template version", "year", "fingerprint", "framework version", "truncated"])
def test_a_refused_return_is_sent_but_unusable(kind: str, issued: dict[str, Path], mini: Framework,
                                               tmp_path: Path) -> None:
    """An office whose return collect refuses sent a file: the check report said both the refusal
    and "chưa gửi biểu mẫu", and the consolidated workbook recorded that it sent nothing, so the
    interim report said "chưa gửi số liệu". The office is known from the file's metadata (the
    file is not named after it) or, for a file that cannot be read, from its name."""
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    fill_return(issued[VP], back / "vp.xlsx", GOOD[VP])
    name = "vh.xlsx"
    if kind == "template version":
        fill_return(issued[VH], back / name, GOOD[VH], extra={("_parxl", "B2"): "0"})
    elif kind == "year":
        last_year = {p.stem: p for p in distribute(mini, tmp_path / "2023", body="Huyện Mẫu", year="2023")}
        fill_return(last_year[VH], back / name, GOOD[VH])
    elif kind == "fingerprint":
        fill_return(issued[VH], back / name, GOOD[VH], extra={("_parxl", "B6"): "0000000000000000"})
    elif kind == "framework version":
        d = mini.to_dict()
        d["version"] = "2"
        v2 = {p.stem: p for p in distribute(from_dict(d, "v2"), tmp_path / "v2", body="Huyện Mẫu", year="2024")}
        fill_return(v2[VH], back / name, GOOD[VH])
    else:
        name = f"{VH}.xlsx"
        (back / name).write_bytes(issued[VH].read_bytes()[:3000])
    result = collect(back, tmp_path / "out.xlsx", workers=1)
    assert not _msgs(result, "chưa gửi"), result.issues
    [sent] = _msgs(result, "đã gửi tệp")
    assert (sent.file, sent.office, sent.severity) == ("", VH, "lỗi")
    assert sent.message.startswith(f"đơn vị '{VH}' của 'Huyện Mẫu' đã gửi tệp '{name}' nhưng tệp không dùng được")
    refusals = [i for i in result.issues if i.file == name and i.severity == "lỗi"]
    assert refusals and all(i.office == VH for i in refusals)
    missing = json.loads(read_return(tmp_path / "out.xlsx").meta["missing_offices"])
    assert missing == {VH: name}


def test_a_refused_body_return_is_sent_but_unusable(mini: Framework, tmp_path: Path) -> None:
    """A commune's return on an old template version: the commune sent a file, not nothing."""
    issued = tmp_path / "phat-hanh"
    paths = {p.stem: p for p in distribute(mini, issued, bodies=["Xã A", "Xã B"])}
    back = tmp_path / "back"
    fill_return(paths["Xã A"], back / "a.xlsx", {("1.1.1", "done"): "Có"})
    fill_return(paths["Xã B"], back / "b.xlsx", {("1.1.1", "done"): "Có"}, extra={("_parxl", "B2"): "0"})
    result = collect(back, expected=issued / "danh-sach-phat-hanh.csv", workers=1)
    assert not _msgs(result, "chưa gửi")
    [sent] = _msgs(result, "đã gửi tệp")
    assert sent.message.startswith("'Xã B' đã gửi tệp 'b.xlsx' nhưng tệp không dùng được")
    assert [r["body"] for r in result.scores] == ["Xã A"]


def test_a_signed_scan_sent_with_the_return_is_not_a_problem(issued: dict[str, Path], tmp_path: Path) -> None:
    """Offices often send the signed PDF of their return beside the workbook: the scan, named
    after the office, was an error asking for the Excel file the office had sent."""
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", values)
    (back / f"{VH}.pdf").write_bytes(b"%PDF-1.4 signed scan")
    result = collect(back, workers=1)
    assert result.used == 3 and result.errors == 0, result.issues
    assert not [i for i in result.issues if i.file.endswith(".pdf")]


def test_a_refused_value_keeps_its_items_other_numbers_out(issued: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    """A numerator refused (text) or a numerator above its denominator: the item's other number is
    not merged alone (a denominator alone scores 0 and would deduct the item's points); the item
    stays undetermined, and no follow-up message blames the office for a blank cell."""
    for numerator, fault in (("mười bảy", "'mười bảy' không phải là số"),
                             (18, "tử số (18) lớn hơn mẫu số (17)")):
        back = tmp_path / str(numerator)
        fill_return(issued[VP], back / "vp.xlsx", {**GOOD[VP], ("2.1.1", "numerator"): numerator,
                                                    ("2.1.1", "denominator"): 17})
        result = collect(back)
        errors = [(i.cell, i.item, i.severity) for i in _msgs(result, fault)]
        assert errors == [("H6", "2.1.1", "lỗi")]
        about = [i for i in result.issues if i.item == "2.1.1" and not i.reminder]
        assert len(about) == (2 if isinstance(numerator, str) else 1), about
        if isinstance(numerator, str):  # the denominator kept out is said, with its value
            assert (about[1].cell, about[1].severity) == ("I6", "cảnh báo")
            assert "= 17 không được tổng hợp" in about[1].message and "chưa xác định" in about[1].message
        assert result.values is not None
        assert not {("2.1.1", "numerator"), ("2.1.1", "denominator")} & set(result.values)
        assert result.values[("2.1.1", "explanation")] == GOOD[VP][("2.1.1", "explanation")]
        s = score_values(mini, result.values).items["2.1.1"]
        assert (s.status, s.deducted) == ("Chưa xác định", 0)
        assert not _msgs(result, "nhưng chưa nhập")
        assert not [i for i in _msgs(result, "để trống") if "2.1.1" in i.message]  # refused, not blank


def test_a_renamed_sheet_is_read_under_its_new_name(issued: dict[str, Path], tmp_path: Path) -> None:
    """'Lĩnh vực 1' renamed 'LV1' (items are found by code): read, with a warning; deleted, or
    ambiguous (renamed and a sheet added), the file is refused naming the sheets it has."""
    path = fill_return(issued[NV], tmp_path / "b" / "nv.xlsx", GOOD[NV])
    wb = openpyxl.load_workbook(path)
    wb["Lĩnh vực 1"].title = "LV1"
    wb.save(path)
    result = collect(tmp_path / "b")
    assert result.values is not None and result.values[("1.1.2", "rate")] == pytest.approx(0.777)
    [renamed] = _msgs(result, "đã bị đổi tên thành 'LV1'")
    assert (renamed.sheet, renamed.severity) == ("LV1", "cảnh báo")
    assert read_return(path).values == read_return(fill_return(issued[NV], tmp_path / "c.xlsx", GOOD[NV])).values
    wb.create_sheet("Nháp")
    wb.save(path)
    [refused] = [i for i in collect(tmp_path / "b").issues if i.severity == "lỗi" and i.file == "nv.xlsx"]
    assert "thiếu trang 'Lĩnh vực 1' (trang bị xoá hoặc đổi tên; tệp có trang: 'LV1', 'Nháp')" in refused.message


def test_results_print_readably_and_check_rows_fit_their_text(tmp_path: Path) -> None:
    """Fitted to one page wide, the 18 columns of "Kết quả" printed in 6-point text: now as the
    item sheets, A4 landscape at a scale near 100 %, the scores on one page and the domains' on
    the next, the body's name and the header row on both, the title in the page header. The
    rows of "Kiểm tra" are as tall as their text: a message of one line had a blank line after."""
    from parxl.framework import builtin
    from parxl.office.check import WARNING, Issue, score_row
    from parxl.office.collect import BodyScore, CollectResult, consolidated_workbook

    fw = builtin("dongthap-huyen-2023")
    numbers = score_row(fw, score_values(fw, {}))
    short = "chưa ghi tài liệu kiểm chứng (yêu cầu: Báo cáo công tác cải cách hành chính định kỳ, năm 2023-2024)"
    long = "tình trạng 'Chưa xác định': số liệu hiện có được ghi lại nhưng chưa tính điểm — " * 4
    issues = [Issue("Phòng Nội vụ.xlsx", "Lĩnh vực 1", "J8", "1.2.1", NV, WARNING, text) for text in (short, long)]
    result = CollectResult(tmp_path, fw, issues, [BodyScore(b, [f"{b}.xlsx"], numbers) for b in ("Xã A", "Xã B")])
    out = tmp_path / "kq.xlsx"
    consolidated_workbook(result, fw).save(out)
    wb = openpyxl.load_workbook(out)
    ws = wb["Kết quả"]
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.scale) >= 90
    assert (ws.print_title_cols, ws.print_title_rows) == ("$A:$A", "$3:$3")
    assert [b.id for b in ws.col_breaks.brk] == [10]  # after "Có thể đạt tối đa" (J)
    assert ws.print_area == "'Kết quả'!$A$3:$R$5"
    assert "KẾT QUẢ TỔNG HỢP — " in ws.oddHeader.left.text and "&P/&N" in ws.oddFooter.center.text
    checks = wb["Kiểm tra"]
    assert 95 < len(short) < 100 and checks.row_dimensions[4].height == 15  # one line (it had two)
    assert checks.row_dimensions[5].height >= 15 * -(-len(long) // 100)


def test_csv_outputs_do_not_let_excel_evaluate_names(mini: Framework, tmp_path: Path) -> None:
    """Body and file names starting as formulas do ('=1+2', '-Xã Gạch', '+84 …', '@SUM(…') are
    written to every CSV with a leading apostrophe (Excel shows them, does not evaluate them);
    the manifest read back still names the bodies."""
    names = ["=1+2", "-Xã Gạch", "@SUM(1;2)"]
    paths = distribute(mini, tmp_path / "ph", bodies=names, year="2024")
    manifest = (tmp_path / "ph" / "danh-sach-phat-hanh.csv").read_text("utf-8-sig")
    assert ",'=1+2,," in manifest and "'-Xã Gạch.xlsx" in manifest
    back = tmp_path / "back"
    for p in paths[:2]:
        fill_return(p, back / p.name, {("1.1.1", "done"): "Có", ("1.1.2", "rate"): 77})  # 77: an error
    result = collect(back, tmp_path / "th.xlsx", expected=tmp_path / "ph" / "danh-sach-phat-hanh.csv")
    assert [i.message for i in result.issues if "chưa gửi" in i.message] == ["'@SUM(1;2)' chưa gửi biểu mẫu"]
    cells = [c for f in ("th-diem.csv", "th-kiem-tra.csv")
             for row in csv.reader((tmp_path / f).read_text("utf-8-sig").splitlines()) for c in row]
    assert "'=1+2" in cells and "'-Xã Gạch.xlsx" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_body_returns_of_another_year_blank_or_from_an_office_are_not_scored(mini: Framework,
                                                                              tmp_path: Path) -> None:
    """Returns of communes: last year's file (alone, or beside this year's) is left out as office
    returns of another year are; the issued copy sent back blank is told and not ranked at 0; an
    office's copy of a commune that sent its full return makes no second row for it."""
    this = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=["Xã A", "Xã B", "Xã C"], year="2024")}
    last = {p.stem: p for p in distribute(mini, tmp_path / "ph23", bodies=["Xã B", "Xã C"], year="2023")}
    offices = {p.stem: p for p in distribute(mini, tmp_path / "off", body="Xã A", year="2024")}
    back = tmp_path / "back"
    everything = {k: v for values in GOOD.values() for k, v in values.items()}
    fill_return(this["Xã A"], back / "Xã A.xlsx", everything)
    fill_return(offices[NV], back / "Xã A - Nội vụ.xlsx", GOOD[NV])
    fill_return(last["Xã B"], back / "Xã B năm 2023.xlsx", everything)  # beside this year's
    fill_return(this["Xã B"], back / "Xã B.xlsx", GOOD[VP])
    fill_return(last["Xã C"], back / "Xã C.xlsx", everything)  # alone
    shutil.copy(this["Xã C"], back / "Xã C (bản trắng).xlsx")
    lst = tmp_path / "ds.txt"
    lst.write_text("Xã A\nXã B\nXã C\n", encoding="utf-8")
    result = collect(back, tmp_path / "th.xlsx", expected=lst)
    assert [(b.body, b.files) for b in result.bodies] == [("Xã A", ["Xã A.xlsx"]), ("Xã B", ["Xã B.xlsx"])]
    assert (result.files, result.used) == (6, 2)
    years = {(i.file, i.severity) for i in _msgs(result, "ghi năm đánh giá 2023")}
    assert years == {("Xã B năm 2023.xlsx", "lỗi"), ("Xã C.xlsx", "lỗi")}
    [blank] = _msgs(result, "gửi biểu mẫu chưa nhập số liệu nào")
    assert (blank.file, blank.severity) == ("Xã C (bản trắng).xlsx", "cảnh báo")
    [office] = _msgs(result, "đã có biểu mẫu đầy đủ 'Xã A.xlsx'")
    assert office.file == "Xã A - Nội vụ.xlsx"
    assert not _msgs(result, "chưa gửi biểu mẫu") and not _msgs(result, "xung đột")
    [unusable] = _msgs(result, "'Xã C' đã gửi tệp")
    assert "nhưng tệp không dùng được" in unusable.message


def test_hidden_and_control_characters_are_named_and_kept_as_meant(issued: dict[str, Path], tmp_path: Path) -> None:
    """'Có' with a zero-width space is taken, the warning naming the hidden character; a vertical
    tab (Word's Shift+Enter) in evidence becomes a line break, with a warning, instead of the
    evidence being dropped; a number with a hidden character is refused, naming it."""
    path = fill_return(issued[NV], tmp_path / "b" / "nv.xlsx",
                       {("1.1.1", "done"): "Có\u200b", ("1.1.1", "evidence"): "QĐ số 12\u000bngày 5/1",
                        ("1.2.1", "count"): "1\u200b0"})
    result = collect(tmp_path / "b")
    assert result.values is not None
    assert result.values[("1.1.1", "done")] == "Có"
    assert result.values[("1.1.1", "evidence")] == "QĐ số 12\nngày 5/1"
    by_cell = {i.cell: i for i in result.issues if not i.reminder}
    assert "(có ký tự ẩn U+200B ở vị trí 3) không phải giá trị trong danh sách" in by_cell["H6"].message
    assert "U+000B" in by_cell["J6"].message and by_cell["J6"].severity == "cảnh báo"
    assert "'1\u200b0' (có ký tự ẩn U+200B ở vị trí 2) không phải là số" in by_cell["H9"].message
    assert read_return(path).values[("1.1.1", "evidence")] == "QĐ số 12\u000bngày 5/1"  # the return as sent


def test_expected_bodies_name_the_returns_not_on_the_list(mini: Framework, tmp_path: Path) -> None:
    """A body that returned but is not listed is told (as province does), and a listed name
    missing beside a return spelled with another tone placement ('Hoà'/'Hòa') gets a hint."""
    back = tmp_path / "back"
    for p in distribute(mini, tmp_path / "ph", bodies=["Phường An Hòa", "Xã Lạ"], year="2024"):
        fill_return(p, back / p.name, {("1.1.1", "done"): "Có"})
    lst = tmp_path / "ds.txt"
    lst.write_text("Phường An Hoà\n", encoding="utf-8")
    result = collect(back, expected=lst)
    [missing] = _msgs(result, "chưa gửi biểu mẫu")
    assert missing.message == ("'Phường An Hoà' chưa gửi biểu mẫu (có biểu mẫu của 'Phường An Hòa': nếu là một, "
                               "sửa tên cho giống nhau)")
    unlisted = sorted(i.message.split("'")[1] for i in _msgs(result, "không có trong danh sách đơn vị"))
    assert unlisted == ["Phường An Hòa", "Xã Lạ"]


def test_collecting_again_keeps_the_points_entered_into_the_consolidated_workbook(
        issued: dict[str, Path], tmp_path: Path) -> None:
    """The survey points (no office returns them) are typed into the consolidated workbook; a late
    return then collected again over it used to write it anew without them, silently."""
    from parxl.workbook.fill import fill_values

    back = tmp_path / "tra ve"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    fill_return(issued[VP], back / "vp.xlsx", GOOD[VP])
    out = tmp_path / "kq" / "tong hop.xlsx"
    first = collect(back, out)
    typed = {("2.2.1", "points"): 1.5, ("T.1", "done"): "Có"}  # survey, bonus: nobody's return
    fill_values(out, typed, tmp_path / "typed.xlsx")
    shutil.copyfile(tmp_path / "typed.xlsx", out)  # as typed into it in Excel
    fill_return(issued[VH], back / "vh.xlsx", GOOD[VH])  # the late return
    again = collect(back, out)
    ret = read_return(out)
    assert {k: ret.values.get(k) for k in typed} == typed
    assert ret.values[("2.1.2", "rate")] == pytest.approx(0.9323)  # the late return is in
    [kept] = _msgs(again, "giữ 2 giá trị đã nhập vào tệp tổng hợp trước")
    assert "2.2.1, T.1" in kept.message and kept.severity == "cảnh báo"
    assert again.scores[0]["total"] > first.scores[0]["total"] + 1.5  # the kept points are scored
    before = out.read_bytes()  # collected once more: the same workbook, byte for byte
    collect(back, out)
    assert out.read_bytes() == before


def test_two_versions_of_one_office_copy_are_named_with_the_lastsaved_as_of(issued: dict[str, Path],
                                                                        tmp_path: Path) -> None:
    """An office sends its copy, then a corrected one; both land in the folder. Each differing cell
    was a conflict and nothing said why: one error now names the versions, says which was saved
    last (in Vietnam's time) and what to do; the differing cells are still left out, and a third
    copy identical to the first is only a duplicate."""
    back = tmp_path / "back"
    saved_as_of(fill_return(issued[NV], back / "nv.xlsx", {("1.1.2", "rate"): 0.9, ("1.2.1", "count"): 2}),
           "2024-11-05T02:00:00Z")
    saved_as_of(fill_return(issued[NV], back / "nv sửa.xlsx", {("1.1.2", "rate"): 0.95, ("1.2.1", "count"): 2}),
           "2024-11-20T18:30:00.123456789Z")  # LibreOffice writes nanoseconds
    (back / "thư đến").mkdir()
    shutil.copy(back / "nv.xlsx", back / "thư đến" / "nv.xlsx")
    fill_return(issued[VH], back / "vh.xlsx", {("2.1.2", "rate"): 0.9})
    result = collect(back, tmp_path / "out.xlsx")
    [versions] = _msgs(result, "đều là bản của biểu mẫu")
    assert versions.severity == "lỗi" and versions.office == NV
    assert versions.message.startswith(
        f"2 tệp 'nv sửa.xlsx', 'nv.xlsx' đều là bản của biểu mẫu phát hành cho đơn vị '{NV}', số liệu khác nhau")
    assert "bản lưu sau cùng: 'nv sửa.xlsx', lúc 01:30 ngày 21/11/2024" in versions.message
    assert {i.file for i in _msgs(result, "xung đột:")} == {"nv.xlsx", "nv sửa.xlsx"}
    assert _msgs(result, "tệp trùng với 'nv.xlsx'")
    merged = result.values
    assert merged is not None
    assert ("1.1.2", "rate") not in merged and merged[("1.2.1", "count")] == 2

    saved_as_of(back / "nv sửa.xlsx", "2024-11-05T02:00:00Z")  # saved at the same minute: no last one to name
    [versions] = _msgs(collect(back), "đều là bản của biểu mẫu")
    assert "bản lưu sau cùng" not in versions.message

    # two staff filling different items of one copy: no conflict, no versions to choose from
    split = tmp_path / "split"
    fill_return(issued[NV], split / "nv phần 1.xlsx", {("1.1.1", "done"): "Có"})
    fill_return(issued[NV], split / "nv phần 2.xlsx", {("1.2.1", "count"): 2})
    result = collect(split)
    assert not _msgs(result, "đều là bản") and not _msgs(result, "xung đột")
    assert result.values is not None and {("1.1.1", "done"), ("1.2.1", "count")} <= set(result.values)


def test_two_versions_of_one_body_return_are_named(mini: Framework, tmp_path: Path) -> None:
    paths = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=["Xã A", "Xã B"])}
    back = tmp_path / "back"
    fill_return(paths["Xã A"], back / "a.xlsx", {("1.1.1", "done"): "Có"})
    saved_as_of(fill_return(paths["Xã B"], back / "b.xlsx", {("1.1.1", "done"): "Có"}), "2024-11-20T08:00:00+07:00")
    saved_as_of(fill_return(paths["Xã B"], back / "b2.xlsx", {("1.1.1", "done"): "Không"}), "2024-11-20T08:00:00Z")
    (back / "thư đến").mkdir()
    shutil.copy(back / "b2.xlsx", back / "thư đến" / "b2.xlsx")  # the second version, received twice
    result = collect(back)
    [versions] = _msgs(result, "đều là biểu mẫu của")
    assert [i.file for i in _msgs(result, "xung đột:")] == ["b2.xlsx"]
    assert _msgs(result, "tệp trùng với 'b2.xlsx'")[0].file == "thư đến/b2.xlsx"
    assert versions.severity == "lỗi" and versions.file == "b2.xlsx"
    assert versions.message.startswith("2 tệp 'b.xlsx', 'b2.xlsx' đều là biểu mẫu của 'Xã B', số liệu khác nhau")
    assert "đang tổng hợp theo 'b.xlsx'" in versions.message
    assert "bản lưu sau cùng: 'b2.xlsx', lúc 15:00 ngày 20/11/2024" in versions.message


@pytest.mark.parametrize(("core", "expected"), [
    ("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-03-12T07:32:11Z</dcterms:modified>",
     "2024-03-12T07:32:11+00:00"),
    ("<dcterms:modified>2024-03-12T14:32:11+07:00</dcterms:modified>", "2024-03-12T07:32:11+00:00"),
    ("<dcterms:modified>2024-03-12T07:32</dcterms:modified>", "2024-03-12T07:32:00+00:00"),
    ("<dcterms:modified>2024-13-12T07:32:11Z</dcterms:modified>", None),  # no such month
    ("<dcterms:modified></dcterms:modified>", None),
    (None, None),  # no docProps/core.xml at all
])
def test_when_a_file_was_lastsaved_as_of(issued: dict[str, Path], tmp_path: Path, core: str | None,
                                    expected: str | None) -> None:
    from datetime import UTC

    from parxl.workbook.safety import saved_at

    out = tmp_path / "r.xlsx"
    with zipfile.ZipFile(issued[NV]) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            if entry.filename != "docProps/core.xml":
                dst.writestr(entry, src.read(entry))
            elif core is not None:
                dst.writestr(entry, '<cp:coreProperties xmlns:cp="x" xmlns:dcterms="y">' + core + "</cp:coreProperties>")
    when = saved_at(out)
    assert (when.astimezone(UTC).isoformat() if when else None) == expected


def test_outputs_never_replace_a_return_a_template_or_another_file(issued: dict[str, Path], mini: Framework,
                                                                   tmp_path: Path) -> None:
    """`parxl collect tra-ve -o "tra-ve/Phòng Nội vụ.xlsx"` wrote the consolidated workbook over
    the office's return (and, leaving its own output unread, reported the office as not having
    answered). Collect now replaces only what an earlier collect wrote: a return, a template or a
    file of the user's given as -o (or beside it, as -kiem-tra.csv …) is refused, all named at
    once, and nothing is written."""
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", values)
    before = _files(back)
    template = build_template(mini, tmp_path / "mau.xlsx")
    other = tmp_path / "cua-toi.xlsx"
    openpyxl.Workbook().save(other)
    (tmp_path / "bang-diem.csv").write_text("đơn vị,điểm\n", encoding="utf-8")  # the user's own
    for target, says in [
        (back / f"{NV}.xlsx", f"'{back / NV}.xlsx' là biểu mẫu parxl của {NV}, không phải tệp tổng hợp"),
        (template, f"'{template}' là biểu mẫu parxl, không phải tệp tổng hợp"),
        (other, f"'{other}' là tệp Excel khác, không do parxl tạo"),
        (tmp_path / "bang.xlsx", f"'{tmp_path / 'bang-diem.csv'}' là tệp khác, không phải kết quả thu thập của parxl"),
    ]:
        kept = target.read_bytes() if target.exists() else None
        with pytest.raises(ParxlError) as info:
            collect(back, target)
        assert says in str(info.value), str(info.value)
        assert "Hãy chọn tên khác cho tệp kết quả (-o)" in str(info.value)
        assert (target.read_bytes() if target.exists() else None) == kept
        assert not list(target.parent.glob(f"{target.stem}-kiem-tra.*"))
    assert _files(back) == before

    # what collect wrote, it replaces: one body's workbook, and the table of many bodies
    collect(back, tmp_path / "th.xlsx")
    collect(back, tmp_path / "th.xlsx")
    bodies = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=["Xã A", "Xã B"])}
    many = tmp_path / "many"
    for body, path in bodies.items():
        fill_return(path, many / f"{body}.xlsx", {("1.1.1", "done"): "Có"})
    collect(many, tmp_path / "xa.xlsx")
    assert openpyxl.load_workbook(tmp_path / "xa.xlsx").sheetnames == ["Kết quả", "Kiểm tra"]
    collect(many, tmp_path / "xa.xlsx")
    empty = tmp_path / "empty"  # no return at all: only "Kiểm tra", and a scores CSV with no row
    empty.mkdir()
    collect(empty, tmp_path / "trong.xlsx")
    assert (tmp_path / "trong-diem.csv").read_bytes() == b"\xef\xbb\xbf"
    collect(empty, tmp_path / "trong.xlsx")


def test_score_of_one_offices_copy_says_whose_it_is(issued: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    """`parxl score` on an office's return printed the body's total from that office's items only
    (a few points), as if it were the body's result."""
    from parxl.cli import app

    filled = fill_return(issued[NV], tmp_path / "nv.xlsx", GOOD[NV])
    own = sum(1 for i in mini.items if i.office == NV)
    res = CliRunner().invoke(app, ["score", str(filled)], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    assert f"Kết quả chấm điểm — Huyện Mẫu (biểu mẫu của {NV})" in res.output
    assert f"Tệp là biểu mẫu phát hành cho {NV}: chỉ gồm {own} tiêu chí thành phần do đơn vị này chủ trì" in res.output
    res = CliRunner().invoke(app, ["score", str(filled), "--json"])
    assert json.loads(res.stdout)["office"] == NV


def test_the_scores_table_of_a_consolidated_workbook_says_it_is_as_collected(issued: dict[str, Path],
                                                                              tmp_path: Path) -> None:
    """Survey points typed into the consolidated workbook change its 'Tổng hợp', not its
    'Kết quả' written at the collect: the table says so, under its title."""
    back = tmp_path / "back"
    for office, values in GOOD.items():
        fill_return(issued[office], back / f"{office}.xlsx", values)
    collect(back, tmp_path / "th.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["Kết quả"]
    assert ws["A2"].value.startswith("Điểm tính lúc thu thập.") and "trang 'Tổng hợp'" in ws["A2"].value


def test_the_summary_of_a_consolidated_workbook_names_the_offices_it_lacks(issued: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    """The total of the consolidated workbook leaves the items of an office with no usable return
    open: its summary says whose, above the tables (it was said only on 'Kiểm tra')."""
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    (back / f"{VH}.pdf").write_bytes(b"%PDF-1.4 scan")  # sent, but not the workbook
    manifest = next(iter(issued.values())).parent / "danh-sach-phat-hanh.csv"
    collect(back, tmp_path / "th.xlsx", expected=manifest)
    note = openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]["A5"].value
    assert note == (f"Chưa có số liệu của 2 đơn vị chủ trì: {VH} (đã gửi tệp '{VH}.pdf' nhưng không dùng được); "
                    f"{VP} (chưa gửi) — các mục của đơn vị tính là chưa xác định. Xem trang 'Kiểm tra'.")
    for office in (VH, VP):
        fill_return(issued[office], back / f"{office}.xlsx", GOOD[office])
    collect(back, tmp_path / "th.xlsx", expected=manifest)
    assert openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]["A5"].value is None
    # a value refused: its item is open in the total until the office corrects it
    fill_return(issued[VP], back / f"{VP}.xlsx", {**GOOD[VP], ("2.1.3", "incidents"): "hai"})
    result = collect(back, tmp_path / "th.xlsx", expected=manifest)
    assert [i.item for i in result.issues if i.severity == "lỗi"] == ["2.1.3"]
    assert openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]["A5"].value == (
        "Có 1 lỗi ở số liệu các mục: giá trị lỗi không được tổng hợp, mục có giá trị đó tính là chưa xác định cho "
        "đến khi sửa. Xem trang 'Kiểm tra'.")


@pytest.mark.parametrize(("typed", "blank_cell", "said"), [
    ({("2.1.1", "numerator"): 40}, "I6", "có tử số nhưng chưa nhập mẫu số — ô mẫu số trống được tính là 0 nên mục "
     "đang được 3/3 điểm; đề nghị nhập mẫu số"),  # a blank denominator: nothing to resolve, full points
    ({("2.1.1", "denominator"): 40}, "H6", "có mẫu số nhưng chưa nhập tử số — ô tử số trống được tính là 0 nên mục "
     "đang được 0/3 điểm; đề nghị nhập tử số"),
])
def test_half_a_rate_pair_is_told_with_what_it_scores(issued: dict[str, Path], tmp_path: Path,
                                                     typed: dict[tuple[str, str], Any], blank_cell: str,
                                                     said: str) -> None:
    """"Only one of the two numbers; the other counts as 0" did not say that a forgotten
    denominator gives the item its full points: the warning names the blank cell and the score."""
    fill_return(issued[VP], tmp_path / "back" / "vp.xlsx", typed)
    result = collect(tmp_path / "back", tmp_path / "th.xlsx")
    [warning] = _msgs(result, "nhưng chưa nhập")
    assert (warning.cell, warning.item, warning.severity, warning.message) == (blank_cell, "2.1.1", "cảnh báo", said)


def test_returns_forwarded_in_an_archive_are_named_to_unpack(issued: dict[str, Path], tmp_path: Path) -> None:
    """Returns forwarded together as one .zip attachment were skipped without a word (their
    offices then 'not sent'): the archive is named, with what to do."""
    import zipfile

    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD[NV])
    fill_return(issued[VP], tmp_path / "vp.xlsx", GOOD[VP])
    (back / "đợt 2").mkdir()
    with zipfile.ZipFile(back / "đợt 2" / "tra-ve.zip", "w") as zf:
        zf.write(tmp_path / "vp.xlsx", "vp.xlsx")
    (back / f"{VH}.rar").write_bytes(b"Rar!\x1a\x07\x00")
    result = collect(back)
    named = {i.file: i for i in result.issues if "tệp nén" in i.message}
    assert set(named) == {"đợt 2/tra-ve.zip", f"{VH}.rar"}
    assert all(i.severity == "cảnh báo" and "giải nén vào thư mục này rồi chạy lại" in i.message for i in named.values())
    assert not [i for i in result.issues if "không phải biểu mẫu Excel" in i.message]  # not taken for a scan
