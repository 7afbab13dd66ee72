"""udfs/server.py through xlwings.server, as Excel on the web / Mac calls it (Office.js runtime):
custom function metadata and calls with 2-D argument matrices, errors with Vietnamese
messages, custom scripts run on a workbook payload built from a real template."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest
import xlwings as xw
import xlwings.server as s
from xlwings import XlwingsError

from parxl.framework import Framework
from tests.test_macros import _filled, ensure_remote_engine
from udfs import core, server
from udfs.macros import payload_from_workbook

ensure_remote_engine()


def call(func: str, *args: Any) -> Any:
    """A custom function call as the Office.js runtime sends it: every argument a matrix."""
    data = {"func_name": func, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "caller_address": "Lĩnh vực 1!L7", "formula_name": func.upper(), "version": xw.__version__,
            "client": "Office.js", "runtime": "1.4", "culture_info_name": "vi-VN",
            "date_format": "dd/MM/yyyy", "args_info": []}
    return asyncio.run(s.custom_functions_call(data, server))


def test_metadata_lists_every_function_with_vietnamese_help() -> None:
    meta = s.custom_functions_meta(server)
    names = {f["name"]: f for f in meta["functions"]}
    assert set(names) == set(core.FUNCTIONS)
    score = names["PAR_SCORE"]
    assert score["description"].startswith("Điểm của một tiêu chí thành phần")
    params = [p["name"] for p in score["parameters"]]
    assert params == ["kind", "max_points", "v1", "v2", "params"]
    assert [p.get("optional", False) for p in score["parameters"]] == [False, False, True, True, True]
    assert score["parameters"][0]["description"].startswith("Cách chấm")


def test_scripts_metadata() -> None:
    scripts = {x["function_name"]: x["name"] for x in s.custom_scripts_meta(server)}
    assert scripts == {"tao_bieu_mau": "Tạo biểu mẫu", "phan_phoi": "Phát hành cho các đơn vị",
                       "thu_thap": "Thu thập biểu mẫu trả về", "tinh_diem": "Tính điểm",
                       "bao_cao": "Lập báo cáo"}


def test_custom_function_values() -> None:
    assert call("par_share", 1.5, 6.77) == [[1.5 / 6.77]]
    assert call("par_score", "proportional", 3, 0.62) == [[1.86]]
    assert call("par_score", "proportional", 1, "77,7%", None, "rounding=trunc") == [[0.77]]
    assert call("par_score", "tiers", 1.5, 0.806, None, "tiers=[[1,1.5],[0.9,1],[0.85,0.5]]") == [[0.0]]
    assert call("par_status", "", [[0.5, ""]], 2, 2) == [["Đạt"]]
    assert call("par_status", "", [["", ""]], 0, 2) == [["Chưa xác định"]]
    assert call("par_index", 45, 50) == [[0.9]]
    assert call("par_bonus", [[1], [1], [0.5]], 2) == [[2.0]]
    assert call("par_range", [["Đạt"], ["Chưa đến hạn"]], [[2], [3]], [[1.5], [0]]) == [[1.5, 4.5]]


def test_an_argument_showing_an_error_gives_that_error() -> None:
    """Office.js hands a cell error to a custom function as an Error value: with err_to_str
    on the arguments parxl sees "#N/A" and answers #N/A, as the native formulas do, instead
    of reading a blank (an item not yet determined, its points open)."""
    na = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
    div0 = {"type": "Error", "basicValue": "#DIV/0!", "errorType": "Div0"}
    not_available = [[{"type": "Error", "errorType": "NotAvailable"}]]
    assert call("par_score", "proportional", 3, [[na]]) == not_available
    assert call("par_status", [[na]], [["", ""]], 0, 2) == not_available
    assert call("par_status", "", [[na, ""]], 0, 2) == not_available
    assert call("par_applicable", [[div0]], 2) == [[{"type": "Error", "errorType": "Div0"}]]
    # in a range, the element that reads the error cell (and only it)
    assert call("par_number", [["1,5"], [na]]) == [[1.5], [{"type": "Error", "errorType": "NotAvailable"}]]
    meta = s.custom_functions_meta(server)
    assert meta["allowErrorForDataTypeAny"]


def test_arrays_keep_their_orientation() -> None:
    assert call("par_number", [["93,23"], ["22.583.451"]]) == [[93.23], [22583451.0]]
    assert call("par_number", [["93,23", "1,5"]]) == [[93.23, 1.5]]
    assert call("par_rank", [[70.0], [91.2]], [[80.5], [91.2], [70.0]]) == [[3.0], [1.0]]


def test_scalar_error_is_value_error_with_vietnamese_message() -> None:
    with pytest.raises(XlwingsError, match="không có cách chấm 'thuong'"):
        call("par_score", "thuong", 1, 1)
    with pytest.raises(XlwingsError, match="điểm tối đa đang trống"):
        call("par_score", "manual", "", 1)
    with pytest.raises(XlwingsError, match="cùng kích thước"):
        call("par_deducted", [[1], [2]], [[1, 2, 3]])


def test_array_element_errors_are_excel_errors() -> None:
    got = call("par_number", [["1,5"], ["abc"]])
    assert got == [[1.5], [{"type": "Error", "errorType": "Value"}]]
    got = call("par_rank", [[5.0], [70.0]], [[70.0], [80.0]])
    assert got == [[{"type": "Error", "errorType": "NotAvailable"}], [2.0]]


def test_script_tinh_diem_on_real_template(mini: Framework, tmp_path: Path) -> None:
    book = xw.Book(json=payload_from_workbook(_filled(mini, tmp_path)))
    asyncio.run(s.custom_scripts_call(server, "tinh_diem", typehint_to_value={xw.Book: book}))
    actions = book.json()["actions"]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "Kết quả"
    values = next(a for a in actions if a["func"] == "setValues")["values"]
    total = next(r for r in values if r[1] == "TỔNG ĐIỂM")[2]
    assert total == pytest.approx(7.54, abs=1e-12)
    alert = actions[-1]
    assert alert["func"] == "alert" and alert["args"][0].startswith("Tổng điểm 7,54")


def test_script_on_other_workbook_changes_nothing() -> None:
    payload = {"client": "Office.js", "version": xw.__version__,
               "book": {"name": "Sổ tay.xlsx", "active_sheet_index": 0, "selection": "A1"}, "names": [],
               "sheets": [{"name": "Trang 1", "values": [["x"]], "pictures": [], "tables": []}]}
    book = xw.Book(json=payload)
    asyncio.run(s.custom_scripts_call(server, "tinh_diem", typehint_to_value={xw.Book: book}))
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert "không phải biểu mẫu parxl" in actions[0]["args"][0]


def test_readme_server_setup_names_the_real_scripts_and_hooks() -> None:
    """The README's xlwings Server setup: the task pane buttons it lists are the scripts the module
    exposes, and it points at xlwings Server's real hooks (its custom_functions / custom_scripts
    packages), not at settings the server does not have."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    scripts = {x["function_name"] for x in s.custom_scripts_meta(server)}
    for section in ("### Đơn vị không cài Python", "### No local Python"):
        text = readme[readme.index(section):]
        text = text[: text.index("**")]  # up to the licence paragraph
        assert set(re.findall(r"`(\w+)`", text)) >= scripts, section
        assert "custom_functions/__init__.py" in text and "custom_scripts/__init__.py" in text
    assert "XLWINGS_CUSTOM_FUNCTIONS_MODULE" not in readme
