"""The macros of udfs/macros.py run on Linux without Excel: each gets an ``xw.Book(json=...)``
built from a real workbook (the payload xlwings' Office.js client posts) and we check the
actions it sends back and the files it writes. Also: Vietnamese paths end to end."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

# xlwings Server's engine needs a key in CPython; the noncommercial licence fits a public body
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest
import xlwings as xw

from parxl.calc import computed_values, recalc
from parxl.framework import Framework
from parxl.numbers import format_vn_number
from parxl.score import score_values
from parxl.verify import compare
from parxl.workbook import layout as L
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.read import read_return
from parxl.workbook.udf import UdfFormulas
from tests.conftest import DATA
from udfs import core, macros
from udfs.macros import payload_from_workbook

core.register_formulas()


def ensure_remote_engine() -> None:
    """xw.Book(json=...) needs the "remote" engine, registered when xlwings is imported with a
    licence key; add it if xlwings was imported before the key was set."""
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlofficejs, _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))
        xw.engines.add(Engine(impl=_xlofficejs.engine))
        xw.__pro__ = True


ensure_remote_engine()

# hand-checked inputs of tests/data/mini.yaml: domain 1 = 1 + ROUND(2*0.777,2) + 1 = 3.55;
# domain 2 = 2.99 (299/300 of 3) + 0 (80.6% < 85%) + 0.5 (1 late answer) = 3.49, survey open;
# bonus 1 (cap 1), penalty 0.5 -> total 7.54; deducted 0.45 + 1 (1 of 2 initiatives) in domain 1,
# 0.01 + 1.5 + 0.5 in domain 2: 3.46; index 7.54 / (12.5 applicable + 1 bonus cap) = 55.85%
MINI_VALUES: dict[tuple[str, str], Any] = {
    ("1.1.1", "done"): "Có", ("1.1.2", "rate"): 0.777, ("1.2.1", "count"): 1,
    ("2.1.1", "numerator"): 299, ("2.1.1", "denominator"): 300, ("2.1.2", "rate"): 0.806,
    ("2.1.3", "incidents"): 1, ("2.2.1", "status"): "Chưa xác định", ("T.1", "done"): "Có",
    ("Đ.1", "count"): 1,
}


def _book(payload: dict[str, Any]) -> xw.Book:
    return xw.Book(json=payload)


def _actions(book: xw.Book) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = book.json()["actions"]
    return actions


def _filled(mini: Framework, folder: Path, flavor: str = "native") -> Path:
    template = build_template(mini, folder / "Biểu mẫu.xlsx", formulas=UdfFormulas() if flavor == "udf" else None)
    out = folder / "Phòng Nội vụ - đã điền.xlsx"
    fill_values(template, MINI_VALUES, out)
    return out


def control_payload(settings: dict[str, Any], extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    rows: list[list[Any]] = [["BẢNG ĐIỀU KHIỂN PARXL", "", ""], ["", "", ""]]
    rows += [["", label, value] for label, value in settings.items()]
    rows.append(["", macros.LBL_STATUS, ""])
    sheets = [{"name": macros.CONTROL, "values": rows, "pictures": [], "tables": []}, *(extra or [])]
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": "parxl_excel.xlsm", "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


# --------------------------------------------------------------------------- scoring
def test_tinh_diem_writes_results_sheet_from_open_template(mini: Framework, tmp_path: Path) -> None:
    book = _book(payload_from_workbook(_filled(mini, tmp_path)))
    result = macros.tinh_diem(book)
    assert result.ok, result.message
    assert "Tổng điểm 7,54" in result.message and "điểm bị trừ 3,46" in result.message and "55,85%" in result.message
    actions = _actions(book)
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "Kết quả"
    values = next(a for a in actions if a["func"] == "setValues")["values"]
    by_label = {r[1]: r[2] for r in values if len(r) > 2 and isinstance(r[1], str)}
    assert by_label["TỔNG ĐIỂM"] == pytest.approx(7.54, abs=1e-12)
    assert by_label["Điểm trừ"] == 0.5
    assert by_label["Điểm thưởng được tính"] == 1
    domains = {r[0]: r for r in values if r[0] in ("1", "2")}
    assert domains["1"][4] == pytest.approx(3.55, abs=1e-12)
    assert domains["2"][4] == pytest.approx(3.49, abs=1e-12)
    assert domains["2"][7] == 2  # survey points not yet known
    # interim range: still reachable = achieved + not yet known (3.49 + 2 in domain 2; 7.54 + 2 in all)
    assert domains["2"][8] == pytest.approx(5.49, abs=1e-12) and domains["1"][8] == pytest.approx(3.55, abs=1e-12)
    assert by_label["Giữa kỳ: điểm chắc chắn đạt"] == pytest.approx(7.54, abs=1e-12)
    assert by_label["Giữa kỳ: điểm có thể đạt tối đa"] == pytest.approx(9.54, abs=1e-12)
    # share of deducted points: domain 2 lost 0.01 + 1.5 + 0.5 of 3.46
    assert domains["2"][6] == pytest.approx(2.01 / 3.46, abs=1e-9)
    lost = [r[0] for r in values[values.index(next(r for r in values if r[0] == "CÁC TIÊU CHÍ THÀNH PHẦN BỊ TRỪ ĐIỂM")) + 2:]
            if r[0]]
    assert lost == ["2.1.2", "1.2.1", "2.1.3", "1.1.2", "2.1.1"]  # largest deduction first
    assert actions[-1]["func"] == "alert"


def test_tinh_diem_udf_flavour_and_rerun_replaces_sheet(mini: Framework, tmp_path: Path) -> None:
    payload = payload_from_workbook(_filled(mini, tmp_path, "udf"))
    old = [["KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"], ["cũ"]]  # written by an earlier run
    payload["sheets"].append({"name": "Kết quả", "values": old, "pictures": [], "tables": []})
    book = _book(payload)
    assert macros.tinh_diem(book).ok
    funcs = [a["func"] for a in _actions(book)]
    assert funcs[0] == "sheetClear" and "addSheet" not in funcs  # values and formats of the last run


def test_same_scores_as_python_evaluator(mini: Framework, tmp_path: Path) -> None:
    path = _filled(mini, tmp_path)
    tpl = macros.read_open_template(_book(payload_from_workbook(path)))
    assert tpl is not None
    ret = read_return(path)
    assert tpl.values == ret.values
    assert score_values(mini, tpl.values).total == pytest.approx(7.54, abs=1e-12)


# --------------------------------------------------------------------------- not a parxl workbook
def _plain_payload() -> dict[str, Any]:
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": "Bảng lương.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
            "sheets": [{"name": "Sheet1", "values": [["Họ tên", "Lương"], ["An", 10.0]], "pictures": [],
                        "tables": []}]}


@pytest.mark.parametrize("macro", [macros.tinh_diem, macros.tao_bieu_mau, macros.phan_phoi, macros.thu_thap,
                                   macros.bao_cao, macros.run_action])
def test_macro_on_other_workbook_shows_vietnamese_message_and_changes_nothing(macro: Any) -> None:
    book = _book(_plain_payload())
    result = macro(book)
    assert not result.ok
    assert "Không có gì bị thay đổi" in result.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_broken_metadata_is_reported_not_raised(mini: Framework, tmp_path: Path) -> None:
    payload = payload_from_workbook(_filled(mini, tmp_path))
    meta = next(s for s in payload["sheets"] if s["name"] == "_parxl")
    for row in meta["values"]:
        if row[0] == "fingerprint":
            row[1] = "0000"
    book = _book(payload)
    result = macros.tinh_diem(book)
    assert not result.ok and "dấu vân tay" in result.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


# --------------------------------------------------------------------------- control workbook
def test_run_action_dispatches_on_the_action_cell(mini: Framework, tmp_path: Path) -> None:
    book = _book(control_payload({macros.LBL_ACTION: "Không có"}))
    result = macros.run_action(book)
    assert not result.ok and "Hãy chọn một thao tác" in result.message
    # the status cell (next to its label) gets the message
    write = next(a for a in _actions(book) if a["func"] == "setValues")
    assert write["values"] == [[result.message]] and write["start_column"] == 2


def test_file_macros_on_server_need_the_shared_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(macros.SERVER_ROOT_ENV, raising=False)
    book = _book(control_payload({macros.LBL_FRAMEWORK: str(DATA / "mini.yaml"),
                                  macros.LBL_FOLDER: str(tmp_path)}))
    result = macros.phan_phoi(book)
    assert not result.ok and macros.SERVER_ROOT_ENV in result.message
    assert not any(tmp_path.iterdir())
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path / "chung"))
    result = macros.phan_phoi(_book(control_payload({macros.LBL_FRAMEWORK: str(DATA / "mini.yaml"),
                                                     macros.LBL_FOLDER: str(tmp_path / "khác")})))
    assert not result.ok and "nằm ngoài thư mục dùng chung" in result.message


def test_a_failed_macro_on_server_says_nothing_was_changed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On xlwings Server the writes of a failed macro are dropped, as those of a failed Lite
    script: the message says so (the same words as the Lite scripts)."""
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    bad = tmp_path / "hỏng.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    book = _book(control_payload({macros.LBL_FRAMEWORK: str(bad), macros.LBL_FOLDER: str(tmp_path)}))
    result = macros.tao_bieu_mau(book)
    assert not result.ok and result.message.startswith("Không thực hiện được: ")
    assert result.message.endswith(". Không có gì bị thay đổi."), result.message
    assert "hỏng.yaml" in result.message


def test_tao_bieu_mau_on_server_adds_template_sheets(monkeypatch: pytest.MonkeyPatch, mini: Framework) -> None:
    monkeypatch.delenv(macros.SERVER_ROOT_ENV, raising=False)
    # without a shared folder the server reads no framework file, only the built-in ones
    book = _book(control_payload({macros.LBL_FRAMEWORK: str(DATA / "mini.yaml")}))
    result = macros.tao_bieu_mau(book)
    assert not result.ok and macros.SERVER_ROOT_ENV in result.message
    assert [a["func"] for a in _actions(book)] == ["setValues", "alert"]  # the status cell only
    udf = macros.tao_bieu_mau(_book(control_payload({macros.LBL_FRAMEWORK: "hcm-quan-2023",
                                                      macros.LBL_FLAVOR: "Hàm parxl (UDF)"})))
    assert "bằng công thức Excel thường" in udf.message  # the choice it cannot honour is told
    book = _book(control_payload({macros.LBL_FRAMEWORK: "hcm-quan-2023"}))
    result = macros.tao_bieu_mau(book)
    assert result.ok, result.message
    assert "công thức Excel thường" not in result.message
    actions = _actions(book)
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == ["Tổng hợp", *(f"Lĩnh vực {i}" for i in range(1, 9)), "Thưởng - Trừ", "Hướng dẫn", "_parxl"]
    # formulas go in as formulas (Office.js Range.formulas: English function names in any
    # Excel language), not as values; the column widths of 'parxl build' come along
    formulas = [v for a in actions if a["func"] == "setFormula" for r in a["values"] for v in r]
    assert any(isinstance(v, str) and v.startswith("=SUM(") for v in formulas)
    assert not [a for a in actions if a["func"] == "setValues" and len(a["values"]) > 1]
    assert any(a["func"] == "setColumnWidth" for a in actions)
    assert any(a["func"] == "setSheetVisibility" for a in actions)  # _parxl hidden
    # number formats too: Tổng hợp's rates read 92,64 %, not 0.9264 (QA: none were set)
    assert {"0.00%", "0.00"} <= {a["args"][0] for a in actions if a["func"] == "setNumberFormat"}
    # the same sheets, written the same way, as the xlwings Lite script 'Tạo biểu mẫu'
    from parxl_lite.runtime import run_script

    lite = run_script("tao_bieu_mau", {**control_payload({}), "sheets": [
        {"name": "Sheet1", "values": [["hcm-quan-2023"]], "pictures": [], "tables": []}]})
    sheet_writes = ("addSheet", "setFormula", "setColumnWidth", "setNumberFormat", "setSheetVisibility")
    assert [a for a in actions if a["func"] in sheet_writes] == [a for a in lite if a["func"] in sheet_writes]


def test_yearly_cycle_in_vietnamese_folder(monkeypatch: pytest.MonkeyPatch, mini: Framework, tmp_path: Path) -> None:
    root = tmp_path / "Phòng Nội vụ"
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    shutil.copy(DATA / "mini.yaml", tmp_path / "mini.yaml")  # a framework file in the shared folder
    settings = {macros.LBL_FRAMEWORK: str(tmp_path / "mini.yaml"), macros.LBL_FOLDER: str(root),
                macros.LBL_BODY: "UBND huyện Tháp Mười", macros.LBL_YEAR: 2024,
                macros.LBL_FLAVOR: "Hàm parxl (UDF)", macros.LBL_REPORT: "Báo cáo tự đánh giá"}
    # 1. the template
    r = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert r.ok, r.message
    assert r.outputs == [root / "Biểu mẫu mini-udf.xlsx"]
    assert read_return(r.outputs[0]).meta["flavor"] == "udf"
    # 2. one workbook per office
    r = macros.phan_phoi(_book(control_payload(settings)))
    assert r.ok, r.message
    assert {p.name for p in r.outputs} == {"Phòng Nội vụ.xlsx", "Văn phòng HĐND và UBND.xlsx",
                                           "Phòng Văn hoá và Thông tin.xlsx"}
    # 3. offices fill their part and return it
    back = root / macros.RETURN_FOLDER
    back.mkdir()
    for p in r.outputs:
        office = read_return(p).meta["office"]
        mine = {k: v for k, v in MINI_VALUES.items() if mini.item_index[k[0]].office == office}
        fill_values(p, mine, back / p.name)
    shutil.copy(root / macros.ISSUE_FOLDER / "danh-sach-phat-hanh.csv", back)
    book = _book(control_payload(settings))
    r = macros.thu_thap(book)
    assert (root / macros.CONSOLIDATED).exists(), r.message
    sheet_rows = next(a for a in _actions(book) if a["func"] == "setValues" and a["row_count"] > 1)["values"]
    scores = [row for row in sheet_rows if row[0] == "UBND huyện Tháp Mười"]
    assert len(scores) == 1
    # items without an office (2.2.1 survey, bonus, penalty) are not filled by any office:
    # 1 + 1.55 + 1 + 2.99 + 0 + 0.5 = 7.04 base points
    assert scores[0][2] == pytest.approx(7.04, abs=1e-9)
    # problems per office agree with the problem rows listed below them
    head = sheet_rows.index(["Đơn vị chủ trì", "Lỗi", "Cảnh báo", "Nhắc nhở", "", "", ""])  # blanks travel as ""
    end = sheet_rows.index(["Mức độ", "Tệp", "Trang", "Ô", "Mã mục", "Đơn vị", "Nội dung"])
    per_office = {r[0]: (r[1], r[2], r[3]) for r in sheet_rows[head + 1:end] if r[0]}
    problems = sheet_rows[end + 1:]
    listed = {o: tuple(sum(1 for p in problems if p[5] == o and p[0] == level)
                       for level in ("lỗi", "cảnh báo", "nhắc nhở")) for o in {p[5] for p in problems if p[5]}}
    assert per_office == listed and listed
    # every problem of an item row names the item, beside its sheet and cell
    assert all(p[4] in mini.item_index for p in problems if p[2] in ("Lĩnh vực 1", "Lĩnh vực 2"))
    # 4. the report of the consolidated workbook
    r = macros.bao_cao(_book(control_payload(settings)))
    assert r.ok, r.message
    docx = root / macros.REPORT_FOLDER / "Báo cáo tự đánh giá - Tổng hợp trả về.docx"
    assert docx.exists() and docx.stat().st_size > 5000
    # 5. the same report again: the same file (same bytes); once staff have edited it in Word,
    # their copy is kept and the new report is "… (2)", docx and xlsx alike
    made = docx.read_bytes()
    assert macros.bao_cao(_book(control_payload(settings))).ok
    assert docx.read_bytes() == made and sorted(p.name for p in docx.parent.iterdir()) == [
        docx.name, docx.with_suffix(".xlsx").name]
    import docx as python_docx

    edited = python_docx.Document(str(docx))
    edited.add_paragraph("Ý kiến bổ sung của lãnh đạo phòng.")
    edited.save(str(docx))
    mine = docx.read_bytes()
    r = macros.bao_cao(_book(control_payload(settings)))
    second = docx.with_name(f"{docx.stem} (2).docx")
    assert r.ok and docx.read_bytes() == mine and second.read_bytes() == made, r.message
    assert second.with_suffix(".xlsx").exists() and f"báo cáo mới là '{second.name}'" in r.message


def test_vietnamese_paths_build_fill_score_recalc(mini: Framework, tmp_path: Path) -> None:
    folder = tmp_path / "Phòng Nội vụ"
    template = build_template(mini, folder / "Báo cáo 2024.xlsx", formulas=UdfFormulas())
    filled = folder / "Đã điền" / "Báo cáo 2024 (bản cuối).xlsx"
    fill_values(template, MINI_VALUES, filled)
    ret = read_return(filled)
    assert score_values(ret.framework, ret.values).total == pytest.approx(7.54, abs=1e-12)
    out = folder / "Tính lại" / "Báo cáo 2024 đã tính.xlsx"
    recalc(filled, out, "formulas")
    assert not compare(out, computed_values(out, "formulas"), "formulas")
    tpl = macros.read_open_template(_book(payload_from_workbook(out)))
    assert tpl is not None and tpl.values == ret.values


# --------------------------------------------------------------------------- workbooks/
WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def test_committed_workbooks_are_current(tmp_path: Path) -> None:
    from udfs.make_xlsm import write_all

    fresh = write_all(tmp_path)
    for p in fresh:
        committed = WORKBOOKS / p.name
        assert committed.exists(), f"{committed} missing: run python -m udfs.make_xlsm"
        assert committed.read_bytes() == p.read_bytes(), f"{committed} is stale: run python -m udfs.make_xlsm"


def test_macro_workbook_wiring() -> None:
    import zipfile

    import xlwings

    path = WORKBOOKS / "parxl_excel.xlsm"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(
        Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    ) as ref:
        # xlwings' standalone VBA, unchanged (SampleCall -> import parxl_excel; parxl_excel.main())
        assert zf.read("xl/vbaProject.bin") == ref.read("xl/vbaProject.bin")
        vml = next(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".vml"))
        assert "xl/workbook.xml" in zf.namelist()
        assert 'codeName="ThisWorkbook"' in zf.read("xl/workbook.xml").decode("utf-8")
    assert vml.count("[0]!SampleCall") == len(macros.BUTTONS) + 1
    captions = [c for c in (f"{i + 1}. {n}" for i, n in enumerate(macros.BUTTONS)) if c in vml]
    assert len(captions) == len(macros.BUTTONS)
    assert vml.index("1. Tạo biểu mẫu") < vml.index("4. Tính điểm")
    # main() finds the job from the caption of the button clicked
    assert [macros.action_of_caption(c) for c in captions] == macros.BUTTONS
    assert macros.action_of_caption("▶ Thực hiện thao tác đã chọn") is None
    vba = (Path(__file__).resolve().parent.parent / "udfs" / "vba" / "Module1.bas").read_text()
    assert 'RunPython "import " & mymodule' in vba
    module = (WORKBOOKS / "parxl_excel.py").read_text()
    assert "from udfs.macros import main" in module


def test_macro_workbook_control_sheet_is_read_by_the_macros() -> None:
    from parxl.framework import builtin_ids

    book = _book(payload_from_workbook(WORKBOOKS / "parxl_excel.xlsm"))
    settings = macros.control_settings(book)
    assert settings is not None
    assert settings[macros.LBL_FRAMEWORK] == builtin_ids()[0]
    assert settings[macros.LBL_ACTION] == "Tính điểm"
    result = macros.run_action(book)  # "Tính điểm" with no file named: a message, no results sheet
    assert not result.ok and macros.LBL_FILE in result.message
    assert [a["func"] for a in _actions(book)] == ["setValues", "alert"]


def test_results_sheet_formats_points_and_percentages(mini: Framework, tmp_path: Path) -> None:
    book = _book(payload_from_workbook(_filled(mini, tmp_path)))
    macros.tinh_diem(book)
    actions = _actions(book)
    values = next(a for a in actions if a["func"] == "setValues")["values"]
    formats = {(a["start_row"], a["start_column"], a["row_count"]): a["args"][0]
               for a in actions if a["func"] == "setNumberFormat"}
    index_row = next(i for i, r in enumerate(values) if r[1] == "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    assert formats[(index_row, 2, 1)] == "0.00%"
    assert values[index_row][2] == pytest.approx(7.54 / 13.5, abs=1e-12)
    # the base the index divides by, beside it (with items not applicable it is not the maximum)
    base_row = next(i for i, r in enumerate(values) if r[1] == L.INDEX_BASE)
    assert base_row == index_row - 1 and values[base_row][2] == pytest.approx(13.5)
    total_row = next(i for i, r in enumerate(values) if r[1] == "TỔNG ĐIỂM")
    assert any(r0 <= base_row < r0 + n and c == 2 and f == "0.00" for (r0, c, n), f in formats.items())
    assert values[total_row][2] / values[base_row][2] == pytest.approx(values[index_row][2])
    share_col = values[4].index("Tỷ lệ trên tổng điểm bị trừ")
    assert formats[(5, share_col, len(mini.domains) + 1)] == "0.00%"


def test_results_sheet_says_exempt_for_a_domain_with_no_applicable_item(mini: Framework, tmp_path: Path) -> None:
    """A domain whose every item is 'Không áp dụng' has no rate: 'Kết quả' says "Miễn", as
    Tổng hợp and the Word reports do, not 0,00 %; the other domains keep their rate."""
    values = {k: v for k, v in MINI_VALUES.items() if not k[0].startswith("1.")}
    values |= {(code, "status"): "Không áp dụng" for code in ("1.1.1", "1.1.2", "1.2.1")}
    template = build_template(mini, tmp_path / "Biểu mẫu.xlsx")
    fill_values(template, values, tmp_path / "miễn.xlsx")
    book = _book(payload_from_workbook(tmp_path / "miễn.xlsx"))
    assert macros.tinh_diem(book).ok
    rows = next(a for a in _actions(book) if a["func"] == "setValues")["values"]
    domains = {r[0]: r for r in rows if r[0] in ("1", "2")}
    assert domains["1"][3] == 0 and domains["1"][9] == "Miễn"
    assert domains["2"][9] == pytest.approx(3.49 / 7.5, abs=1e-12)  # 12.5 applicable - 5 in domain 1


def test_error_value_in_an_input_cell_is_not_a_blank(mini: Framework, tmp_path: Path) -> None:
    """An input cell showing #N/A (Office.js sends its code) scores as the file reader scores it
    ('parxl score'), not as an empty cell that would leave the item 'Chưa xác định'."""
    payload = payload_from_workbook(_filled(mini, tmp_path))
    grid = next(s for s in payload["sheets"] if s["name"] == "Lĩnh vực 1")["values"]
    row = next(r for r in grid if r[0] == "1.1.1")
    row[7] = "#N/A"  # 'Có' before
    tpl = macros.read_open_template(_book(payload))
    assert tpl is not None and tpl.values[("1.1.1", "done")] == "#N/A"
    scores = score_values(mini, tpl.values)
    assert scores.items["1.1.1"].status == "Không đạt" and scores.items["1.1.1"].open == 0


def test_server_reads_no_file_outside_the_shared_root(
    monkeypatch: pytest.MonkeyPatch, mini: Framework, tmp_path: Path
) -> None:
    """On xlwings Server the file to report on and a framework file are paths typed by a web
    user: like the working folder they must lie inside PARXL_SERVER_ROOT, or the server's disk
    is readable (a report of any workbook on it, or which files exist)."""
    shared = tmp_path / "chung"
    shared.mkdir()
    outside = _filled(mini, tmp_path / "riêng")
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(shared))
    settings = {macros.LBL_FRAMEWORK: str(DATA / "mini.yaml"), macros.LBL_FOLDER: str(shared)}
    r = macros.bao_cao(_book(control_payload({**settings, macros.LBL_FILE: str(outside)})))
    assert not r.ok and "nằm ngoài thư mục dùng chung" in r.message
    assert not (shared / macros.REPORT_FOLDER).exists()
    r = macros.tao_bieu_mau(_book(control_payload(settings)))  # mini.yaml is outside the shared folder
    assert not r.ok and "nằm ngoài thư mục dùng chung" in r.message
    assert not any(shared.iterdir())
    shutil.copy(DATA / "mini.yaml", shared / "mini.yaml")
    r = macros.tao_bieu_mau(_book(control_payload({**settings, macros.LBL_FRAMEWORK: str(shared / "mini.yaml")})))
    assert r.ok, r.message


def test_an_unexpected_error_is_a_vietnamese_message_not_a_traceback(
    mini: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything that is not a parxl error (a bug, Excel refusing to add a sheet to a workbook
    whose structure is protected) must not reach RunPython, which shows Python's traceback;
    on xlwings Server the writes queued before it are dropped, as in the Lite scripts."""
    book = _book(payload_from_workbook(_filled(mini, tmp_path)))

    def broken(*args: Any) -> Any:
        raise RuntimeError("thử lỗi")

    monkeypatch.setattr("parxl.numbers.format_vn_number", broken)  # after the sheet was written
    result = macros.tinh_diem(book)
    assert not result.ok
    assert result.message.startswith("Lỗi trong parxl (RuntimeError: thử lỗi)")
    assert "Không có gì bị thay đổi" in result.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def _with_cell(payload: dict[str, Any], sheet: str, code: str, column: int, value: Any) -> str:
    """Type ``value`` into one cell of an item's row (column 6 = G, Tình trạng; 7 = H, Số liệu
    1) of the payload; the cell's reference."""
    grid = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
    line = next(i for i, r in enumerate(grid) if r[0] == code)
    grid[line][column] = value
    return f"{'ABCDEFGHIJ'[column]}{line + 1}"


def _review_rows(values: list[list[Any]]) -> list[list[Any]]:
    """The rows under "SỐ LIỆU CẦN XEM LẠI" and its header on the 'Kết quả' sheet."""
    at = [r[0] for r in values].index("SỐ LIỆU CẦN XEM LẠI")
    assert values[at + 1][:5] == ["Mã", "Nội dung", "Trang", "Ô", "Mức độ"]
    return [r[:5] for r in values[at + 2:] if r[0] not in (None, "")]


@pytest.mark.parametrize(("value", "severity", "says"), [
    ("77,7", "lỗi", "tỷ lệ '77,7' phải ghi dạng phần trăm, ví dụ 77,7%"),
    (77.7, "lỗi", "phải từ 0% đến 100% (nếu là 77,7%, gõ cả dấu %)"),  # the % forgotten: a number
    (1.5, "lỗi", "tỷ lệ 150% phải từ 0% đến 100%"),
    (-0.5, "lỗi", "tỷ lệ -50% phải từ 0% đến 100%"),
    ("77,7%", "cảnh báo", "ô chứa văn bản '77,7%' thay vì số"),  # the native formulas read it as 0
])
def test_tinh_diem_lists_what_kiem_tra_calls_errors_and_warnings(
    mini: Framework, tmp_path: Path, value: Any, severity: str, says: str
) -> None:
    """'Tính điểm' is never silent about a value 'Kiểm tra' calls an error or a warning: the
    message counts it and 'SỐ LIỆU CẦN XEM LẠI' names the cell, on the desktop and Server macro
    and in the Lite script alike (the same checks, the same list)."""
    from parxl_lite.runtime import run_script

    payload = payload_from_workbook(_filled(mini, tmp_path))
    cell = _with_cell(payload, "Lĩnh vực 1", "1.1.2", 7, value)
    book = _book(payload)
    result = macros.tinh_diem(book)
    assert result.ok and "(1 số liệu cần xem lại)" in result.message, result.message
    values = next(a for a in _actions(book) if a["func"] == "setValues")["values"]
    [review] = _review_rows(values)
    assert review[0] == "1.1.2" and says in review[1]
    assert review[2:] == ["Lĩnh vực 1", cell, severity]
    lite = run_script("tinh_diem", payload)
    assert next(a["args"][0] for a in lite if a["func"] == "alert") == result.message
    checked = run_script("kiem_tra", payload)
    rows = next(a for a in checked if a["func"] == "setValues")["values"]
    flagged = [[r[3], r[6], r[1], r[2], r[5]] for r in rows[3:] if r[5] in ("lỗi", "cảnh báo")]
    assert flagged == [review]


def test_tinh_diem_of_the_file_on_the_control_sheet_lists_the_values_to_review(
    mini: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Button 4 with 'Tệp cần xử lý' (desktop): the file's values to review, as 'Thu thập' finds
    them; the path may be pasted with the quotes of Windows' "Copy as path"."""
    import openpyxl

    monkeypatch.setattr(macros, "is_remote", lambda book: False)
    path = _filled(mini, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Lĩnh vực 1"]
    row = next(r[0].row for r in ws.iter_rows(min_col=1, max_col=1) if r[0].value == "1.1.2")
    ws.cell(row, 8).value = 77.7
    wb.save(path)
    book = _book(control_payload({macros.LBL_FILE: f'"{path}"'}))
    result = macros.tinh_diem(book)
    assert result.ok and "(1 số liệu cần xem lại)" in result.message, result.message
    values = next(a for a in _actions(book) if a["func"] == "setValues" and a["row_count"] > 1)["values"]
    assert _review_rows(values)[0][2:] == ["Lĩnh vực 1", f"H{row}", "lỗi"]


def test_tinh_diem_of_a_blank_template_says_what_is_undetermined(mini: Framework, tmp_path: Path) -> None:
    """Nothing entered yet: the macro says how many points are still undetermined, as the Lite
    script does (not a bare "Tổng điểm 0")."""
    from parxl_lite.runtime import run_script

    payload = payload_from_workbook(build_template(mini, tmp_path / "trống.xlsx"))
    result = macros.tinh_diem(_book(payload))
    open_points = score_values(mini, {}).base.open
    assert open_points > 0
    assert f"điểm chưa xác định {format_vn_number(open_points, 2)}" in result.message, result.message
    lite = run_script("tinh_diem", payload)
    assert next(a["args"][0] for a in lite if a["func"] == "alert") == result.message


@pytest.mark.parametrize("typed", ["Khong ap dung", "Không áp dụng ", "Chua den han"])
def test_a_mistyped_status_is_scored_as_the_formulas_do_and_listed(
    mini: Framework, tmp_path: Path, typed: str
) -> None:
    """A status outside the list (no diacritics, a trailing space): the native formulas compare
    texts exactly, so the item is scored from its data; 'Tính điểm' says so under "SỐ LIỆU CẦN
    XEM LẠI" with the warning 'Kiểm tra' gives, and the PAR_* functions agree with both."""
    payload = payload_from_workbook(_filled(mini, tmp_path))
    cell = _with_cell(payload, "Lĩnh vực 1", "1.1.1", 6, typed)
    book = _book(payload)
    result = macros.tinh_diem(book)
    tpl = macros.read_open_template(_book(payload))
    assert tpl is not None
    s = score_values(mini, tpl.values)
    assert s.items["1.1.1"].achieved == 1 and s.total == pytest.approx(7.54, abs=1e-12)
    assert "Tổng điểm 7,54" in result.message and "số liệu cần xem lại)" in result.message
    values = next(a for a in _actions(book) if a["func"] == "setValues")["values"]
    review = _review_rows(values)
    assert any(r[0] == "1.1.1" and r[3] == cell and "không phải giá trị trong danh sách" in r[1] for r in review)
    item = mini.item_index["1.1.1"]
    par = core.par_item(item.rule.kind, item.max, typed, "Có", None, core.params_text(item.rule.kind, item.rule.params))
    sc = s.items["1.1.1"]
    assert par == [sc.raw, typed, sc.applicable, sc.achieved, sc.deducted, sc.open]


def _formula_like(actions: list[dict[str, Any]]) -> list[str]:
    """Strings the actions write that Excel would take for a formula (=, +, - or @ first)."""
    return [v for a in actions if a["func"] == "setValues" for r in a["values"] for v in r
            if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")]


def test_names_typed_like_formulas_stay_text_on_the_results_sheet(tmp_path: Path) -> None:
    """Item names copied from a decision ("- Số sáng kiến…", a link) and an office "+Phòng…":
    the macro (desktop and Server) writes them as text, as the Lite scripts do."""
    from parxl.framework import load_yaml

    text = (DATA / "mini.yaml").read_text("utf-8")
    text = text.replace("name: Số sáng kiến được công nhận", 'name: "- Số sáng kiến được công nhận"')
    text = text.replace("name: Mức độ hoàn thành kế hoạch", "name: '=HYPERLINK(\"http://x\",\"Mức độ\")'")
    text = text.replace("office: Phòng Nội vụ}", 'office: "+Phòng Nội vụ"}')
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    fw = load_yaml(tmp_path / "mini.yaml")
    book = _book(payload_from_workbook(_filled(fw, tmp_path)))
    result = macros.tinh_diem(book)
    assert result.ok, result.message
    values = next(a for a in _actions(book) if a["func"] == "setValues")["values"]
    assert "'- Số sáng kiến được công nhận" in [r[1] for r in values]
    assert "'+Phòng Nội vụ" in [r[2] for r in values]
    assert _formula_like(_actions(book)) == []


def test_collected_names_typed_like_formulas_stay_text(
    monkeypatch: pytest.MonkeyPatch, mini: Framework, tmp_path: Path
) -> None:
    """'Thu thập': a body name "=1+1" typed by an office and a file "=Phường….xlsx" are written
    into the sheet as text."""
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    back = tmp_path / macros.RETURN_FOLDER
    back.mkdir()
    template = build_template(mini, tmp_path / "mẫu.xlsx")
    fill_values(template, {**MINI_VALUES, ("_body", "name"): "=1+1"}, back / "=Phường Bến Nghé.xlsx")
    book = _book(control_payload({macros.LBL_FOLDER: str(tmp_path)}))
    result = macros.thu_thap(book)
    assert (tmp_path / macros.CONSOLIDATED).exists(), result.message
    values = next(a for a in _actions(book) if a["func"] == "setValues" and a["row_count"] > 1)["values"]
    cells = {v for r in values for v in r}
    assert "'=1+1" in cells and "'=Phường Bến Nghé.xlsx" in cells
    assert _formula_like(_actions(book)) == []


@pytest.mark.parametrize("own", [macros.CONTROL, macros.COLLECT_SHEET, "Nhập liệu", "Báo cáo", "Kết quả"])
def test_a_renamed_domain_sheet_is_read_beside_the_sheets_parxl_adds(
    mini: Framework, tmp_path: Path, own: str
) -> None:
    """A renamed domain sheet is read under its new name also when the book has a sheet the
    macros or the Lite scripts add ('Nhập liệu' of the fill workflow, 'Báo cáo', …)."""
    from parxl_lite.runtime import run_script

    payload = payload_from_workbook(_filled(mini, tmp_path))
    next(s for s in payload["sheets"] if s["name"] == "Lĩnh vực 1")["name"] = "LV1 (sửa)"
    payload["sheets"].append({"name": own, "values": [[""]], "pictures": [], "tables": []})
    result = macros.tinh_diem(_book(payload))
    assert result.ok and "Tổng điểm 7,54" in result.message, result.message
    assert "Tổng điểm 7,54" in next(a["args"][0] for a in run_script("tinh_diem", payload) if a["func"] == "alert")


def test_tao_bieu_mau_again_keeps_the_template_already_there(
    monkeypatch: pytest.MonkeyPatch, mini: Framework, tmp_path: Path
) -> None:
    """Button 1 clicked a second time must not replace 'Biểu mẫu <mã>.xlsx', which the user may
    have filled in since (the desktop opens it right away): it says so and writes nothing."""
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    shutil.copy(DATA / "mini.yaml", tmp_path / "mini.yaml")
    settings = {macros.LBL_FRAMEWORK: str(tmp_path / "mini.yaml"), macros.LBL_FOLDER: str(tmp_path)}
    first = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert first.ok, first.message
    path = first.outputs[0]
    fill_values(path, MINI_VALUES, tmp_path / "đã điền.xlsx")
    shutil.copy(tmp_path / "đã điền.xlsx", path)  # the user filled the template in place
    before = path.read_bytes()
    again = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert path.read_bytes() == before
    assert again.outputs == [path] and "không ghi đè" in again.message and str(path) in again.message


def test_a_sheet_of_the_user_with_the_same_name_is_never_overwritten(mini: Framework, tmp_path: Path) -> None:
    """'Kết quả' is a common sheet name: one that parxl did not write is the user's own, and
    the macro leaves it (and everything else) as it is."""
    payload = payload_from_workbook(_filled(mini, tmp_path))
    payload["sheets"].append({"name": "Kết quả", "values": [["Bảng tính riêng của tôi"], [1.0]],
                              "pictures": [], "tables": []})
    book = _book(payload)
    result = macros.tinh_diem(book)
    assert not result.ok and "'Kết quả'" in result.message and "Không có gì bị thay đổi" in result.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_thu_thap_checks_the_sheet_before_writing_any_file(
    monkeypatch: pytest.MonkeyPatch, mini: Framework, tmp_path: Path
) -> None:
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    (tmp_path / macros.RETURN_FOLDER).mkdir()
    mine = {"name": macros.COLLECT_SHEET, "values": [["Danh sách của tôi"]], "pictures": [], "tables": []}
    result = macros.thu_thap(_book(control_payload({macros.LBL_FOLDER: str(tmp_path)}, [mine])))
    assert not result.ok and f"'{macros.COLLECT_SHEET}'" in result.message
    assert not (tmp_path / macros.CONSOLIDATED).exists()


def test_an_error_in_a_control_cell_reads_as_blank(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only the template's inputs keep their error codes; a setting showing #REF! is not a folder
    named '#REF!' (the desktop would create it beside the workbook)."""
    monkeypatch.setattr(macros, "is_remote", lambda book: False)
    monkeypatch.chdir(tmp_path)
    book = _book(control_payload({macros.LBL_FRAMEWORK: "hcm-quan-2023", macros.LBL_FOLDER: "#REF!"}))
    result = macros.tao_bieu_mau(book)
    assert not result.ok and f"Chưa ghi '{macros.LBL_FOLDER}'" in result.message
    assert not any(tmp_path.iterdir())


def test_macro_workbook_says_how_to_install_as_the_readme_does() -> None:
    """parxl is installed from its source folder ('pip install .'), not from PyPI, where the
    name 'parxl' is not ours: the control sheet's guide and parxl_excel.py say the same."""
    readme = (WORKBOOKS.parent / "README.md").read_text("utf-8")
    assert "`pip install .`" in readme
    payload = payload_from_workbook(WORKBOOKS / "parxl_excel.xlsm")
    control = next(s for s in payload["sheets"] if s["name"] == macros.CONTROL)["values"]
    guide = [v for r in control for v in r if isinstance(v, str) and "pip install" in v]
    assert guide and all("pip install ." in g and "pip install parxl" not in g for g in guide)
    assert "pip install parxl" not in (WORKBOOKS / "parxl_excel.py").read_text("utf-8")


def test_a_deleted_sheet_is_named_with_the_file_and_nothing_changes(mini: Framework, tmp_path: Path) -> None:
    """The user deleted 'Lĩnh vực 1': the message names the file and the sheet (as the Lite
    script's does) and says nothing was changed. Renamed, it is read under its new name."""
    path = _filled(mini, tmp_path)
    payload = payload_from_workbook(path)
    next(s for s in payload["sheets"] if s["name"] == "Lĩnh vực 1")["name"] = "LV1"
    assert macros.tinh_diem(_book(payload)).ok
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != "LV1"]
    book = _book(payload)
    result = macros.tinh_diem(book)
    assert not result.ok
    assert f"tệp '{path.name}', trang 'Lĩnh vực 1': thiếu trang 'Lĩnh vực 1'" in result.message
    assert "Không có gì bị thay đổi" in result.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_tao_bieu_mau_names_the_file_from_an_id_with_a_slash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A province may give its framework the decision's number as id ('QĐ 12/QĐ-UBND'): the
    template is 'Biểu mẫu QĐ 12 QĐ-UBND.xlsx' in the working folder, not a missing subfolder."""
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    text = (DATA / "mini.yaml").read_text("utf-8").replace("id: mini", 'id: "QĐ 12/QĐ-UBND"')
    (tmp_path / "tinh.yaml").write_text(text, encoding="utf-8")
    settings = {macros.LBL_FRAMEWORK: str(tmp_path / "tinh.yaml"), macros.LBL_FOLDER: str(tmp_path)}
    r = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert r.ok, r.message
    assert r.outputs == [tmp_path / "Biểu mẫu QĐ 12 QĐ-UBND.xlsx"]
    assert read_return(r.outputs[0]).framework.id == "QĐ 12/QĐ-UBND"


def test_tao_bieu_mau_from_a_decisions_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The control sheet's 'Bộ tiêu chí' may be the decision's own Excel table (STT, content,
    points): the template carries the framework read from it."""
    from parxl.framework.load import from_dict
    from tests.test_framework_outline import BODY, EXPECTED, _decision

    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    table = _decision(tmp_path / "Quyết định 1704.xlsx", [[r, name, p, ev] for r, _, name, p, ev in BODY])
    settings = {macros.LBL_FRAMEWORK: str(table), macros.LBL_FOLDER: str(tmp_path)}
    r = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert r.ok, r.message
    assert read_return(r.outputs[0]).framework == from_dict(EXPECTED)


@pytest.mark.parametrize("typed", ["hcm-quan-2024", "HCM-quan-2023 ", "mini"])
def test_a_framework_id_on_server_is_read_as_on_the_desktop(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, typed: str
) -> None:
    """xlwings Server: a mistyped id is not "a file outside the shared folder" but the desktop's
    message listing the built-in ids; an id in another case or with spaces is that id."""
    from parxl.framework import builtin_ids

    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    settings = {macros.LBL_FRAMEWORK: typed, macros.LBL_FOLDER: str(tmp_path)}
    server = macros.tao_bieu_mau(_book(control_payload(settings)))
    monkeypatch.setattr(macros, "is_remote", lambda book: False)
    desktop = macros.tao_bieu_mau(_book(control_payload({**settings, macros.LBL_FOLDER: str(tmp_path / "máy")})))
    if typed.strip().casefold() == "hcm-quan-2023":
        assert server.ok and desktop.ok, (server.message, desktop.message)
        assert server.outputs == [tmp_path / "Biểu mẫu hcm-quan-2023.xlsx"]
        return
    assert not server.ok and "nằm ngoài" not in server.message
    assert server.message.startswith(desktop.message)  # the server adds "Không có gì bị thay đổi."
    assert "không phải bộ tiêu chí tích hợp" in server.message and ", ".join(builtin_ids()) in server.message


def test_paths_pasted_with_quotes_are_read_without_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Windows' "Copy as path" puts the path in double quotes: the folder is the one named, not
    a folder named '"…"' under the workbook's folder (desktop) or a refusal (Server)."""
    folder = tmp_path / "CCHC 2024" / "Kết quả"
    folder.mkdir(parents=True)
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    settings = {macros.LBL_FRAMEWORK: '"hcm-quan-2023"', macros.LBL_FOLDER: f'"{folder}"'}
    r = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert r.ok and r.outputs == [folder / "Biểu mẫu hcm-quan-2023.xlsx"], r.message
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["CCHC 2024", "Kết quả", r.outputs[0].name])


@pytest.mark.parametrize("case", ["no framework", "no return folder", "outside", "no control", "folder is a file"])
def test_refusals_of_the_macros_are_sentences_saying_nothing_changed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: str
) -> None:
    """The macros' own refusals read like the others: a capital first, "Không có gì bị thay
    đổi." last, Vietnamese throughout (a working folder that is a file is said to be one)."""
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path / "chung"))
    (tmp_path / "chung").mkdir()
    (tmp_path / "chung" / "tệp.txt").write_text("x", encoding="utf-8")
    macro, settings, says = {
        "no framework": (macros.tao_bieu_mau, {}, f"Chưa chọn '{macros.LBL_FRAMEWORK}'"),
        "no return folder": (macros.thu_thap, {macros.LBL_FOLDER: str(tmp_path / "chung")}, "Không có thư mục"),
        "outside": (macros.phan_phoi, {macros.LBL_FRAMEWORK: "hcm-quan-2023", macros.LBL_FOLDER: str(tmp_path)},
                    "Thư mục"),
        "no control": (macros.thu_thap, None, f"Không có trang '{macros.CONTROL}'"),
        "folder is a file": (macros.tao_bieu_mau, {macros.LBL_FRAMEWORK: "hcm-quan-2023",
                                                   macros.LBL_FOLDER: str(tmp_path / "chung" / "tệp.txt")},
                             f"'{macros.LBL_FOLDER}' là một tệp, không phải thư mục"),
    }[case]
    payload = _plain_payload() if settings is None else control_payload(settings)
    result = macro(_book(payload))
    assert not result.ok and result.message.startswith(says), result.message
    assert result.message.endswith(". Không có gì bị thay đổi."), result.message
    assert result.message.count("Không có gì bị thay đổi") == 1 and "File exists" not in result.message


def test_drop_down_settings_are_named_as_in_the_readme_and_other_texts_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The README names the choices of 'Loại công thức' as the list does; a text pasted over the
    list ('Hàm parxl') is refused, not silently the native formulas."""
    readme = (WORKBOOKS.parent / "README.md").read_text("utf-8")
    assert all(f"{choice}" in readme for choice in macros.FLAVORS)
    assert "Hàm parxl)" not in readme and "Hàm parxl:" not in readme
    monkeypatch.setenv(macros.SERVER_ROOT_ENV, str(tmp_path))
    settings = {macros.LBL_FRAMEWORK: "hcm-quan-2023", macros.LBL_FOLDER: str(tmp_path),
                macros.LBL_FLAVOR: "Hàm parxl"}
    r = macros.tao_bieu_mau(_book(control_payload(settings)))
    assert not r.ok and "Hàm parxl (UDF)" in r.message and not any(tmp_path.iterdir()), r.message
    r = macros.tao_bieu_mau(_book(control_payload({**settings, macros.LBL_FLAVOR: "hàm parxl (udf)"})))
    assert r.ok and r.outputs == [tmp_path / "Biểu mẫu hcm-quan-2023-udf.xlsx"], r.message
