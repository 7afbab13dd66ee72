"""parxl in xlwings Lite: the open-workbook reader, the plugin's functions and scripts through
the xlwings Server protocol, and the real WebAssembly runtime (Pyodide under Node, offline).

Expected numbers come from the seeds (see tests/test_builtin_frameworks.py: Sa Đéc 57,96;
Đắk Song 64,7 self-assessed; District 1 93,23 with 6,77 deducted) or from CPython's own
evaluator when the point is that WebAssembly gives the same bits.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings.server (PolyForm NC)

import xlwings as xw
import xlwings.server as xs

from parxl.errors import ParxlError
from parxl.framework.load import builtin, example_values_path
from parxl.inputs import read_values
from parxl.office.check import process_file
from parxl.score import score_values
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_csv
from parxl.workbook.read import read_return
from parxl.workbook.values import read_template
from parxl_lite import plugin
from parxl_lite.runtime import run_script
from parxl_lite.wasm import run
from udfs.core import params_text
from udfs.macros import payload_from_workbook

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / "tests" / "pyodide"
IDS = ("dongthap-huyen-2023", "daknong-huyen-2022", "hcm-quan-2023")
APPROX = 1e-6


def sheets_of(path: Path) -> dict[str, list[list[Any]]]:
    """A workbook's values as xlwings Lite sends them (every sheet from A1, blanks as None)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out: dict[str, list[list[Any]]] = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = [[None if v == "" else v for v in row] for row in rows]
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each built-in framework's template filled with its example inputs (the desktop path)."""
    out = tmp_path_factory.mktemp("lite")
    paths = {}
    for fid in IDS:
        template = build_template(builtin(fid), out / f"{fid}.xlsx")
        paths[fid] = out / f"{fid}-filled.xlsx"
        fill_csv(template, example_values_path(fid), paths[fid])
    return paths


def _score_request(fid: str) -> dict[str, Any]:
    values, _ = read_values(example_values_path(fid))
    return {
        "task": "score",
        "builtin": fid,
        "values": [[c, f, v] for (c, f), v in sorted(values.items())],
    }


def _answer(text: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(text)
    out.pop("modules", None)
    out.pop("platform", None)
    return out


# --------------------------------------------------------------------------- open-workbook reader


@pytest.mark.parametrize("fid", IDS)
def test_open_workbook_reads_like_read_return(filled: dict[str, Path], fid: str) -> None:
    ret = read_return(filled[fid])
    t = read_template(sheets_of(filled[fid]), filled[fid].name)
    assert t.framework.fingerprint == ret.framework.fingerprint
    assert t.values == ret.values
    assert t.cells == ret.cells
    assert (t.body, t.year) == (ret.body, ret.year)


def test_open_workbook_scores_reproduce_the_seeds(filled: dict[str, Path]) -> None:
    totals = {}
    for fid in IDS:
        t = read_template(sheets_of(filled[fid]))
        totals[fid] = score_values(t.framework, t.values)
    assert totals["dongthap-huyen-2023"].total == pytest.approx(57.96, abs=APPROX)
    assert totals["daknong-huyen-2022"].by_scorer["self"].achieved == pytest.approx(64.7, abs=APPROX)
    hcm = totals["hcm-quan-2023"]
    assert hcm.base.deducted == pytest.approx(6.77, abs=APPROX)
    assert hcm.total == pytest.approx(93.23, abs=APPROX)


# --------------------------------------------------------------------------- WebAssembly (Pyodide)


def _call_data(name: str, *args: Any) -> dict[str, Any]:
    """A custom function call as Excel's Office.js runtime sends it (every argument 2-D)."""
    return {
        "func_name": name,
        "args": [a if isinstance(a, list) else [[a]] for a in args],
        "caller_address": "'Lĩnh vực 1'!L5",
        "formula_name": name.upper(),
        "version": xw.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "vi-VN",
        "date_format": "dd/MM/yyyy",
        "args_info": [],
    }


def _item_calls(fid: str) -> list[dict[str, Any]]:
    """=PAR_ITEM(kind, max, status, v1, v2, params, group) for every item of the example."""
    fw = builtin(fid)
    values, _ = read_values(example_values_path(fid))
    calls = []
    for item in fw.items:
        v: list[Any] = [None, None]
        for fl in item.rule.fields():
            v[fl.slot - 1] = values.get((item.code, fl.name))
        group = {"bonus": "thưởng", "penalty": "trừ"}.get(item.scorer, "")
        calls.append(_call_data("par_item", item.rule.kind, item.max,
                                values.get((item.code, "status")), v[0], v[1],
                                params_text(item.rule.kind, item.rule.params), group))
    return calls


def _node() -> str | None:
    node = shutil.which("node")
    if node is None or not (PYODIDE / "node_modules" / "pyodide").is_dir():
        msg = "Node or tests/pyodide/node_modules missing (run: npm ci --prefix tests/pyodide)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return node


@pytest.fixture(scope="module")
def wasm(tmp_path_factory: pytest.TempPathFactory, filled: dict[str, Path]) -> dict[str, Any]:
    """Every request answered by CPython and by Pyodide (one Node process for all of them)."""
    node = _node()
    work = tmp_path_factory.mktemp("pyodide")
    sys.path.insert(0, str(PYODIDE))
    try:
        from archives import collect  # tests/pyodide/archives.py
    finally:
        sys.path.remove(str(PYODIDE))
    archives = work / "archives"
    collect(archives)
    requests: dict[str, dict[str, Any]] = {}
    for fid in IDS:
        requests[f"score:{fid}"] = _score_request(fid)
        requests[f"book:{fid}"] = {
            "task": "book",
            "name": filled[fid].name,
            "sheets": sheets_of(filled[fid]),
        }
    hcm = payload_from_workbook(filled["hcm-quan-2023"])
    requests["script:tinh_diem"] = {"task": "script", "script": "tinh_diem", "book": hcm}
    requests["script:bao_cao"] = {"task": "script", "script": "bao_cao", "book": hcm}
    requests["script:tao_bieu_mau"] = {
        "task": "script", "script": "tao_bieu_mau", "book": empty_book([["dongthap-huyen-2023"]])
    }
    template = build_template(builtin("daknong-huyen-2022"), work / "daknong.xlsx")
    requests["script:nhap_so_lieu"] = {
        "task": "script",
        "script": "nhap_so_lieu",
        "book": _with_input_sheet(payload_from_workbook(template), "daknong-huyen-2022"),
    }
    requests["script:not_a_template"] = {
        "task": "script", "script": "tinh_diem", "book": empty_book([["Số liệu", 1.0]])
    }
    requests["script:kiem_tra"] = {"task": "script", "script": "kiem_tra", "book": hcm}
    requests["functions"] = {"task": "functions", "calls": _item_calls("hcm-quan-2023")}
    files = []
    for i, (_key, req) in enumerate(requests.items()):
        p = work / f"request{i}.json"
        p.write_text(json.dumps(req, ensure_ascii=False), encoding="utf-8")
        files.append(str(p))
    proc = subprocess.run(
        [str(node), str(PYODIDE / "run.mjs"), str(archives), *files],
        cwd=PYODIDE,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == len(requests), proc.stderr[-3000:] + proc.stdout[-2000:]
    out = {}
    for (key, req), line in zip(requests.items(), lines, strict=True):
        answer = json.loads(line)
        assert "error" not in answer, (key, answer)
        out[key] = {"request": req, "wasm": answer, "cpython": json.loads(run(json.dumps(req)))}
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("fid", IDS)
def test_pyodide_scores_builtin_examples_like_cpython(wasm: dict[str, Any], fid: str) -> None:
    got = wasm[f"score:{fid}"]
    assert got["wasm"]["platform"] == "emscripten"
    assert got["cpython"]["platform"] != "emscripten"
    # every number, status and share identical to the last bit (JSON floats round-trip exactly)
    assert _answer(json.dumps(got["wasm"])) == _answer(json.dumps(got["cpython"]))
    assert got["wasm"]["scores"]["items"]  # really scored


def test_pyodide_reproduces_the_seed_figures(wasm: dict[str, Any]) -> None:
    dongthap = wasm["score:dongthap-huyen-2023"]["wasm"]["scores"]
    daknong = wasm["score:daknong-huyen-2022"]["wasm"]["scores"]
    hcm = wasm["score:hcm-quan-2023"]["wasm"]["scores"]
    assert dongthap["total"] == pytest.approx(57.96, abs=APPROX)
    assert daknong["by_scorer"]["self"]["achieved"] == pytest.approx(64.7, abs=APPROX)
    assert hcm["base"]["deducted"] == pytest.approx(6.77, abs=APPROX)
    assert hcm["total"] == pytest.approx(93.23, abs=APPROX)
    shares = {d["code"]: d["share"] for d in hcm["domains"]}
    assert shares["3"] == pytest.approx(0.2216, abs=5e-5)


def test_pyodide_scoring_path_is_pure_python(wasm: dict[str, Any]) -> None:
    """Scoring in WebAssembly loads parxl and PyYAML only: no openpyxl, calamine, pandas, lxml."""
    modules = set(wasm["score:hcm-quan-2023"]["wasm"]["modules"])
    assert {"parxl", "yaml"} <= modules
    assert not modules & {"openpyxl", "python_calamine", "pandas", "numpy", "lxml", "formulas"}
    book_modules = set(wasm["book:hcm-quan-2023"]["wasm"]["modules"])
    assert not book_modules & {"openpyxl", "python_calamine", "pandas", "numpy", "lxml", "xlwings"}


@pytest.mark.parametrize("fid", IDS)
def test_pyodide_reads_and_scores_the_open_workbook(
    wasm: dict[str, Any], filled: dict[str, Path], fid: str
) -> None:
    got = wasm[f"book:{fid}"]
    assert _answer(json.dumps(got["wasm"])) == _answer(json.dumps(got["cpython"]))
    # and the same as the desktop path: calamine reader + Python evaluator
    ret = read_return(filled[fid])
    desktop = json.loads(json.dumps(score_values(ret.framework, ret.values).as_dict()))
    assert got["wasm"]["scores"] == desktop
    assert len(got["wasm"]["values"]) == len(ret.values)


# --------------------------------------------------------------------------- xlwings Server protocol
# (what xlwings Lite runs: Excel sends JSON, the plugin answers with values or actions)

SCRIPTS = {"tinh_diem", "kiem_tra", "bao_cao", "nhap_so_lieu", "tao_bieu_mau"}


def call(name: str, *args: Any) -> Any:
    return asyncio.run(xs.custom_functions_call(_call_data(name, *args), plugin))


def empty_book(values: list[list[Any]], name: str = "Book1.xlsx") -> dict[str, Any]:
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": "Sheet1", "values": values, "pictures": [], "tables": []}],
    }


def apply(payload: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
    """What Excel does with the actions that change cells: add sheets, write values."""
    sheets = [dict(s, values=[list(r) for r in s["values"]]) for s in payload["sheets"]]
    for a in actions:
        if a["func"] == "addSheet":
            sheets.insert(a["args"][0], {"name": a["args"][1], "values": [[""]], "pictures": [],
                                         "tables": []})
        elif a["func"] in ("setValues", "setFormula"):
            grid = sheets[a["sheet_position"]]["values"]
            r0, c0 = a["start_row"], a["start_column"]
            for i, row in enumerate(a["values"]):
                while len(grid) <= r0 + i:
                    grid.append([""] * len(grid[0]))
                for j, v in enumerate(row):
                    for line in grid:
                        line.extend([""] * (c0 + j + 1 - len(line)))
                    grid[r0 + i][c0 + j] = v
    return dict(payload, sheets=sheets)


def values_of(payload: dict[str, Any], sheet: str) -> list[list[Any]]:
    return next(s["values"] for s in payload["sheets"] if s["name"] == sheet)


def changes(actions: list[dict[str, Any]]) -> list[str]:
    return [a["func"] for a in actions if a["func"] != "alert"]


def alert(actions: list[dict[str, Any]]) -> str:
    texts = [a["args"][0] for a in actions if a["func"] == "alert"]
    assert len(texts) == 1, actions
    return str(texts[0])


def test_metadata_lists_every_function_and_script() -> None:
    meta = xs.custom_functions_meta(plugin)  # type: ignore[no-untyped-call]
    names = {f["name"] for f in meta["functions"]}
    assert {"PAR_SCORE", "PAR_ITEM", "PAR_SHARE", "PAR_CHECK", "PAR_NUMBER"} <= names
    assert len(names) == 16
    score = next(f for f in meta["functions"] if f["name"] == "PAR_SCORE")
    assert [p["name"] for p in score["parameters"]] == ["kind", "max_points", "v1", "v2", "params"]
    assert "Cách chấm" in score["parameters"][0]["description"]
    listed = xs.custom_scripts_meta(plugin)  # type: ignore[no-untyped-call]
    scripts = {s["function_name"]: s["name"] for s in listed}
    assert set(scripts) == SCRIPTS
    assert scripts["tinh_diem"] == "parxl: Tính điểm"
    # the folder-based macros of udfs.server (collect, distribute) are not offered in Lite
    assert "thu_thap" not in scripts and "phan_phoi" not in scripts


def test_share_function_matches_the_seed() -> None:
    # District 1: 1,5 of 6,77 deducted points = 22,16 %
    assert call("par_share", 1.5, 6.77)[0][0] == pytest.approx(0.2216, abs=5e-5)


@pytest.mark.parametrize("fid", IDS)
def test_item_function_returns_the_python_evaluator_numbers(fid: str) -> None:
    fw = builtin(fid)
    values, _ = read_values(example_values_path(fid))
    s = score_values(fw, values)
    for item, data in zip(fw.items, _item_calls(fid), strict=True):
        got = asyncio.run(xs.custom_functions_call(data, plugin))[0]
        want = s.items[item.code]
        expected = [want.raw, want.status, want.applicable, want.achieved, want.deducted, want.open]
        assert got == expected, item.code


def test_function_bad_input_gives_an_excel_error_with_a_vietnamese_hint() -> None:
    with pytest.raises(Exception, match=r"#N/A không có cách chấm 'khong'"):
        call("par_score", "khong", 1, 1, None, "")
    column = call("par_score", "proportional", 2, [[0.5], ["abc"]], None, "")
    assert column[0] == [1.0]
    assert column[1][0]["type"] == "Error"  # one bad cell: an error in its place only


@pytest.fixture(scope="module")
def payloads(filled: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {fid: payload_from_workbook(path) for fid, path in filled.items()}


def test_score_script_writes_the_results_sheet(payloads: dict[str, dict[str, Any]]) -> None:
    payload = payloads["hcm-quan-2023"]
    actions = run_script("tinh_diem", payload)
    assert alert(actions).startswith("Tổng điểm 93,23, chỉ số 93,23%; điểm bị trừ 6,77")
    add = [a for a in actions if a["func"] == "addSheet"]
    assert [a["args"][1] for a in add] == ["Kết quả"]
    after = apply(payload, actions)
    rows = values_of(after, "Kết quả")
    labels = {r[1]: r[2] for r in rows if isinstance(r[1], str)}
    assert labels["TỔNG ĐIỂM"] == pytest.approx(93.23, abs=APPROX)
    assert labels["Cộng điểm cơ bản"] == pytest.approx(95)
    domain3 = next(r for r in rows if r[0] == "3")
    assert domain3[5] == pytest.approx(1.5, abs=APPROX)  # deducted
    assert domain3[6] == pytest.approx(0.2216, abs=5e-5)  # share of all deducted points
    # written into the new sheet, from A1
    write = next(a for a in actions if a["func"] == "setValues")
    assert (write["sheet_position"], write["start_row"], write["start_column"]) == (len(payload["sheets"]), 0, 0)


def test_score_script_formats_the_results_sheet_as_the_macro_does(payloads: dict[str, dict[str, Any]]) -> None:
    """The Lite script and the 'Tính điểm' macro on xlwings Server write the same "Kết quả"
    sheet with the same number formats and column widths; the formats fall on the rows they
    are for (two decimals for points, percent for shares and the index)."""
    from udfs import macros

    payload = payloads["hcm-quan-2023"]
    lite = run_script("tinh_diem", payload)
    book = xw.Book(json=json.loads(json.dumps(payload)))
    assert macros.tinh_diem(book).ok
    desktop = book.json()["actions"]
    assert [a for a in lite if a["func"] != "alert"] == [a for a in desktop if a["func"] != "alert"]
    rows = values_of(apply(payload, lite), "Kết quả")
    formats: dict[tuple[int, int], str] = {}
    for a in lite:
        if a["func"] == "setNumberFormat":
            for r in range(a["start_row"], a["start_row"] + a["row_count"]):
                for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                    formats[(r, c)] = a["args"][0]
    label = {r[1]: i for i, r in enumerate(rows) if isinstance(r[1], str)}
    domain3 = next(i for i, r in enumerate(rows) if r[0] == "3")
    assert formats[(domain3, 5)] == "0.00" and formats[(domain3, 6)] == "0.00%"
    assert formats[(label["Cộng điểm cơ bản"], 9)] == "0.00%"
    assert formats[(label["TỔNG ĐIỂM"], 2)] == "0.00"
    assert formats[(label["Giữa kỳ: điểm có thể đạt tối đa"], 2)] == "0.00"
    assert formats[(label["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"], 2)] == "0.00%"
    assert (label["Cộng điểm cơ bản"] + 1, 2) not in formats  # the blank row between


def test_check_script_reports_what_the_desktop_check_reports(
    filled: dict[str, Path], payloads: dict[str, dict[str, Any]]
) -> None:
    fid = "dongthap-huyen-2023"
    payload = json.loads(json.dumps(payloads[fid]))
    # type a text into a rate cell and a negative count, as a user would
    t = read_template({s["name"]: s["values"] for s in payload["sheets"]})
    rate = next(k for k, _ in t.cells.items() if k[1] in ("rate", "numerator"))
    sheet, ref = t.cells[rate]
    grid = values_of(payload, sheet)
    row, col = int(ref[1:]) - 1, ord(ref[0]) - 65
    grid[row][col] = "mười"
    actions = run_script("kiem_tra", payload)
    after = apply(payload, actions)
    rows = values_of(after, "Kiểm tra")
    assert rows[2][:7] == ["Tệp", "Trang", "Ô", "Mã mục", "Đơn vị chủ trì", "Mức độ", "Nội dung"]
    found = [r for r in rows[3:] if r[1] == sheet and r[2] == ref]
    assert found and found[0][5] == "lỗi" and "'mười' không phải là số" in found[0][6]
    # every other problem is the one the desktop collect finds in the file
    desktop = {
        (i.sheet, i.cell, i.item, i.office, i.severity, i.message)
        for i in process_file(filled[fid], "x").issues
    }
    lite = {tuple(r[1:7]) for r in rows[3:] if (r[1], r[2]) != (sheet, ref)}
    desktop = {d for d in desktop if (d[0], d[1]) != (sheet, ref)}
    assert lite == desktop and lite
    assert "lỗi" in alert(actions)


def test_report_script_adds_tables_and_charts(payloads: dict[str, dict[str, Any]]) -> None:
    payload = payloads["hcm-quan-2023"]
    actions = run_script("bao_cao", payload)
    funcs = changes(actions)
    assert funcs.count("addTable") == 4 and funcs.count("addChart") == 2
    after = apply(payload, actions)
    rows = values_of(after, "Báo cáo")
    flat = {r[0]: r[1] for r in rows if isinstance(r[0], str) and len(r) > 1}
    assert flat["Tổng điểm"] == pytest.approx(93.23, abs=APPROX)
    assert flat["Điểm bị trừ"] == pytest.approx(6.77, abs=APPROX)
    tables = {a["args"][3]: a["args"][0] for a in actions if a["func"] == "addTable"}
    assert list(tables) == ["parxl_KetQua", "parxl_LinhVuc", "parxl_TyLeBiTru", "parxl_BiTru"]
    assert tables["parxl_LinhVuc"] == "$A$15:$H$23"  # header + 8 domains
    # the domains that lost points, with the seed's shares of the 6,77 deducted points
    shares = {r[0]: (r[1], r[2]) for r in rows[26:30]}
    assert tables["parxl_TyLeBiTru"] == "$A$26:$C$30"
    assert set(shares) == {"Lĩnh vực 3", "Lĩnh vực 6", "Lĩnh vực 7", "Lĩnh vực 8"}
    assert shares["Lĩnh vực 3"][0] == pytest.approx(1.5) and shares["Lĩnh vực 3"][1] == pytest.approx(0.2216, abs=5e-5)
    assert shares["Lĩnh vực 7"][1] == pytest.approx(0.3973, abs=5e-5)
    # bars: label, maximum, achieved of each domain; pie: label and deducted points
    charts = {a["args"][0]: (a["args"][1], a["args"][3]) for a in actions if a["func"] == "addChart"}
    assert charts == {"parxl_DiemLinhVuc": ("BarClustered", "$A$15:$C$23"),
                      "parxl_TyLeBiTru": ("Pie", "$A$26:$B$30")}


def test_report_script_uses_the_applicable_maximum_and_says_exempt(tmp_path: Path) -> None:
    """The domains table and its bars take the applicable maximum (an item not applicable is no
    deduction) and a domain with no applicable item reads "Miễn", as the Word reports do."""
    from parxl.workbook.fill import fill_values

    fid = "dongthap-huyen-2023"
    values, _ = read_values(example_values_path(fid))
    exempt = {i.code for i in builtin(fid).domains[3].items} | {"1.1.1"}  # all of domain 4; 2 points of 1
    kept: dict[tuple[str, str], Any] = {k: v for k, v in values.items() if k[0] not in exempt}
    kept |= {(code, "status"): "Không áp dụng" for code in exempt}
    template = build_template(builtin(fid), tmp_path / "t.xlsx")
    fill_values(template, kept, tmp_path / "miễn.xlsx")
    payload = payload_from_workbook(tmp_path / "miễn.xlsx")
    actions = run_script("bao_cao", payload)
    rows = values_of(apply(payload, actions), "Báo cáo")
    head = next(i for i, r in enumerate(rows) if r[0] == "Lĩnh vực")
    assert rows[head][1] == "Điểm tối đa áp dụng"
    domains = {r[0]: r for r in rows[head + 1 : head + 9]}
    assert domains["Lĩnh vực 1"][1] == pytest.approx(16.5 - 2)
    assert domains["Lĩnh vực 4"][1] == 0 and domains["Lĩnh vực 4"][6] == "Miễn"
    assert domains["Lĩnh vực 2"][1] == pytest.approx(7)
    assert isinstance(domains["Lĩnh vực 2"][6], float)
    charts = {a["args"][0]: a["args"][3] for a in actions if a["func"] == "addChart"}
    assert charts["parxl_DiemLinhVuc"] == f"$A${head + 1}:$C${head + 9}"  # label, applicable maximum, achieved


def _template_payload(tmp_path: Path, fid: str) -> dict[str, Any]:
    return payload_from_workbook(build_template(builtin(fid), tmp_path / f"{fid}.xlsx"))


def _with_input_sheet(payload: dict[str, Any], fid: str) -> dict[str, Any]:
    values, _ = read_values(example_values_path(fid))
    rows: list[list[Any]] = [["code", "field", "value"]]
    rows += [[c, f, v] for (c, f), v in sorted(values.items())]
    out: dict[str, Any] = json.loads(json.dumps(payload))
    out["sheets"].append({"name": "Nhập liệu", "values": rows, "pictures": [], "tables": []})
    return out


@pytest.mark.parametrize("fid", IDS)
def test_fill_script_writes_the_pasted_inputs_into_the_right_cells(tmp_path: Path, fid: str) -> None:
    payload = _with_input_sheet(_template_payload(tmp_path, fid), fid)
    actions = run_script("nhap_so_lieu", payload)
    assert alert(actions).startswith("Đã ghi ")
    assert set(changes(actions)) == {"setValues"}
    after = apply(payload, actions)
    t = read_template({s["name"]: s["values"] for s in after["sheets"]})
    s = score_values(t.framework, t.values)
    desktop = read_return(tmp_path / f"{fid}.xlsx")
    names = [sh["name"] for sh in payload["sheets"]]
    for a in actions:  # every write is one input cell of an item row, in its own sheet
        if a["func"] == "alert":
            continue
        sheet = names[a["sheet_position"]]
        ref = f"{chr(65 + a['start_column'])}{a['start_row'] + 1}"
        assert (sheet, ref) in set(desktop.cells.values()) or sheet == "Tổng hợp"
    expected = {
        "dongthap-huyen-2023": ("total", 57.96),
        "daknong-huyen-2022": ("self", 64.7),
        "hcm-quan-2023": ("total", 93.23),
    }[fid]
    got = s.total if expected[0] == "total" else s.by_scorer["self"].achieved
    assert got == pytest.approx(expected[1], abs=APPROX)


def test_fill_script_on_a_consolidated_workbook_drops_its_stale_scores_and_checks(tmp_path: Path) -> None:
    """The README's step: the survey points pasted into the consolidated workbook and 'Nhập số
    liệu' run on it. Collect's 'Kết quả' (57,96) and 'Kiểm tra' state the values before: they are
    deleted, as 'parxl fill' drops them, and the message says so. A sheet of the user is kept."""
    from parxl.office.collect import collect
    from parxl.office.distribute import distribute
    from parxl.workbook.fill import fill_values

    fid = "dongthap-huyen-2023"
    fw = builtin(fid)
    values, _ = read_values(example_values_path(fid))
    office = {i.code: i.office for i in fw.items}
    for path in distribute(fw, tmp_path / "ra", body="Thành phố Sa Đéc", year="2023"):
        mine = read_return(path).meta["office"]
        fill_values(path, {k: v for k, v in values.items() if office.get(k[0]) == mine}, tmp_path / "ve" / path.name)
    collect(tmp_path / "ve", tmp_path / "th.xlsx", workers=1)
    payload = payload_from_workbook(tmp_path / "th.xlsx")
    names = [sh["name"] for sh in payload["sheets"]]
    assert "Kết quả" in names and "Kiểm tra" in names
    survey = [["code", "field", "value"]] + [[c, f, v] for (c, f), v in sorted(values.items()) if office.get(c) == ""]
    assert len(survey) > 1
    payload["sheets"].append({"name": "Nhập liệu", "values": survey, "pictures": [], "tables": []})
    payload["sheets"].append({"name": "Báo cáo", "values": [["Dự thảo của phòng"]], "pictures": [], "tables": []})
    actions = run_script("nhap_so_lieu", payload)
    text = alert(actions)
    assert text.startswith(f"Đã ghi {len(survey) - 1} giá trị") and "Đã xoá trang 'Kết quả', 'Kiểm tra'" in text
    assert "Chạy 'Tính điểm', 'Kiểm tra số liệu' để xem kết quả" in text
    deleted, left = [], [*names, "Nhập liệu", "Báo cáo"]
    for a in actions:
        if a["func"] == "sheetDelete":
            deleted.append(left.pop(a["sheet_position"]))
    assert deleted == ["Kết quả", "Kiểm tra"] and "Báo cáo" in left  # the user's 'Báo cáo' stays
    assert set(changes(actions)) == {"setValues", "sheetDelete"}


def test_fill_script_refuses_bad_values_and_writes_nothing(tmp_path: Path) -> None:
    payload = _with_input_sheet(_template_payload(tmp_path, "hcm-quan-2023"), "hcm-quan-2023")
    rows = values_of(payload, "Nhập liệu")
    rate_row = next(r for r in rows[1:] if isinstance(r[2], str) and r[2].endswith("%"))
    rate_row[2] = "77,7"  # a rate without its percent sign
    rows.append(["9.9.9", "status", "Đạt"])  # an item that does not exist
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    text = alert(actions)
    assert "phải ghi dạng phần trăm" in text and "'9.9.9'" in text


def test_fill_script_refuses_a_repeated_column_as_the_csv_reader_does(tmp_path: Path) -> None:
    """A pasted table with two 'code' columns (one from another system): which one holds the
    item codes is a guess, so the script refuses it, as 'parxl fill' refuses such a CSV; a
    repeated item and field names both lines, in the CSV reader's words."""
    fid = "hcm-quan-2023"
    payload = _with_input_sheet(_template_payload(tmp_path, fid), fid)
    rows = values_of(payload, "Nhập liệu")
    rows.insert(0, ["Bảng nhập liệu Quận 1"])
    for r in rows[1:]:
        r.append("x")
    rows[1][3] = " Code "
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    assert "Trang 'Nhập liệu', dòng 2: cột 'code' có hai lần ở dòng tiêu đề" in alert(actions)
    csv_path = tmp_path / "nhap.csv"
    csv_path.write_text("code,field,value,Code\n1.1.1,done,Có,x\n", encoding="utf-8")
    with pytest.raises(ParxlError, match="dòng 1: cột 'code' có hai lần ở dòng tiêu đề"):
        read_values(csv_path)
    rows[1][3] = "ghi chú"
    rows.append(list(rows[2]))
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[1:])
    with pytest.raises(ParxlError) as exc:
        read_values(csv_path)
    dupe = exc.value.message.splitlines()[-1].removeprefix("  - ")
    assert dupe.startswith(f"dòng {len(rows) - 1}: mục {rows[2][0]} trường '{rows[2][1]}' đã có ở dòng 2")
    assert f"dòng {len(rows)}: mục {rows[2][0]} trường '{rows[2][1]}' đã có ở dòng 3" in alert(actions)


def test_build_script_adds_a_working_template_to_an_empty_book() -> None:
    fid = "hcm-quan-2023"
    payload = empty_book([[fid]])
    actions = run_script("tao_bieu_mau", payload)
    assert alert(actions).startswith("Đã thêm 12 trang")
    after = apply(payload, actions)
    sheets = {s["name"]: s["values"] for s in after["sheets"]}
    assert {"Tổng hợp", "Lĩnh vực 1", "Thưởng - Trừ", "_parxl"} <= set(sheets)
    hidden = [a for a in actions if a["func"] == "setSheetVisibility"]
    assert len(hidden) == 1
    t = read_template(sheets)
    assert t.framework.fingerprint == builtin(fid).fingerprint
    # the same native formulas the desktop builder writes (first item row of domain 1)
    row5 = sheets["Lĩnh vực 1"][5]
    assert str(row5[11]).startswith("=") and str(row5[12]).startswith('=IF(G6<>"",G6,')
    # then fill and score it, all in the open workbook
    filled_payload = _with_input_sheet(after, fid)
    after_fill = apply(filled_payload, run_script("nhap_so_lieu", filled_payload))
    t = read_template({s["name"]: s["values"] for s in after_fill["sheets"]})
    assert score_values(t.framework, t.values).total == pytest.approx(93.23, abs=APPROX)


def test_build_script_names_the_frameworks_when_none_is_chosen() -> None:
    actions = run_script("tao_bieu_mau", empty_book([["xin chào"]]))
    assert changes(actions) == []
    assert "hcm-quan-2023" in alert(actions) and "Không có gì bị thay đổi" in alert(actions)


@pytest.mark.parametrize("name", sorted(SCRIPTS - {"tao_bieu_mau"}))
def test_scripts_on_a_workbook_that_is_not_a_template_change_nothing(name: str) -> None:
    actions = run_script(name, empty_book([["Số liệu", 1.0], ["Khác", 2.0]], "Sổ tay.xlsx"))
    assert changes(actions) == []
    assert "không phải biểu mẫu parxl" in alert(actions)


def test_scripts_on_a_tampered_template_change_nothing(payloads: dict[str, dict[str, Any]]) -> None:
    payload = json.loads(json.dumps(payloads["hcm-quan-2023"]))
    meta = values_of(payload, "_parxl")
    fp = next(r for r in meta if r[0] == "fingerprint")
    fp[1] = "0000000000000000"
    for name in ("tinh_diem", "kiem_tra", "bao_cao"):
        actions = run_script(name, payload)
        assert changes(actions) == []
        assert "dấu vân tay" in alert(actions)


@pytest.mark.parametrize(
    "key", ["script:tinh_diem", "script:bao_cao", "script:tao_bieu_mau", "script:nhap_so_lieu",
            "script:not_a_template", "script:kiem_tra"],
)
def test_pyodide_runs_the_scripts_like_cpython(wasm: dict[str, Any], key: str) -> None:
    got = wasm[key]
    assert got["wasm"]["platform"] == "emscripten"
    assert got["wasm"]["actions"] == got["cpython"]["actions"]
    assert "xlwings" in got["wasm"]["modules"]


def test_pyodide_score_script_writes_the_seed_total(wasm: dict[str, Any]) -> None:
    actions = wasm["script:tinh_diem"]["wasm"]["actions"]
    assert alert(actions).startswith("Tổng điểm 93,23, chỉ số 93,23%")
    assert "không phải biểu mẫu parxl" in alert(wasm["script:not_a_template"]["wasm"]["actions"])
    assert changes(wasm["script:not_a_template"]["wasm"]["actions"]) == []


def test_pyodide_functions_return_the_python_evaluator_numbers(wasm: dict[str, Any]) -> None:
    got = wasm["functions"]
    assert got["wasm"]["results"] == got["cpython"]["results"]
    fw = builtin("hcm-quan-2023")
    values, _ = read_values(example_values_path("hcm-quan-2023"))
    s = score_values(fw, values)
    for item, result in zip(fw.items, got["wasm"]["results"], strict=True):
        want = s.items[item.code]
        assert result[0] == [want.raw, want.status, want.applicable, want.achieved, want.deducted,
                             want.open]


# --------------------------------------------------------------------------- requirements.txt


def _pyodide_lock() -> dict[str, Any]:
    _node()
    lock: dict[str, Any] = json.loads(
        (PYODIDE / "node_modules" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8")
    )
    return lock


def test_parxl_in_requirements_txt_installs_in_pyodide() -> None:
    """Every requirement of parxl, down the tree, is a package Pyodide ships (compiled for
    WebAssembly: numpy, pandas, lxml, python-calamine, PyYAML, regex …) or pure Python (what
    micropip installs from PyPI), so "parxl" in xlwings Lite's requirements.txt resolves."""
    import re
    import tomllib
    from importlib import metadata

    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    lock = _pyodide_lock()
    shipped = set(lock["packages"])
    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    env.update(sys_platform="emscripten", platform_system="Emscripten", platform_machine="wasm32",
               os_name="posix", python_version=".".join(lock["info"]["python"].split(".")[:2]),
               python_full_version=lock["info"]["python"])

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    def wanted(req: Requirement, extras: set[str]) -> bool:
        return req.marker is None or any(req.marker.evaluate({**env, "extra": e}) for e in extras)

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [(Requirement(r), {""}) for r in project["dependencies"]]
    seen: dict[str, str] = {}
    while todo:
        req, extras = todo.pop()
        name = norm(req.name)
        if name in seen or not wanted(req, extras):
            continue
        if name in shipped:
            seen[name] = "pyodide"
            continue
        if name == "xlwings":  # xlwings Lite brings it (and PyPI has a py3-none-any wheel)
            seen[name] = "xlwings lite"
            continue
        dist = metadata.distribution(req.name)
        compiled = [str(f) for f in dist.files or [] if str(f).endswith((".so", ".pyd"))]
        seen[name] = "compiled: " + ", ".join(compiled) if compiled else "pure"
        todo += [(Requirement(r), {"", *req.extras}) for r in dist.requires or []]
    bad = {k: v for k, v in seen.items() if v.startswith("compiled")}
    assert not bad, bad
    assert seen["python-calamine"] == seen["pyyaml"] == seen["pandas"] == "pyodide"
    assert seen["openpyxl"] == "pure"


# --------------------------------------------------------------------------- a real engine


def test_template_built_in_the_open_workbook_scores_itself_in_libreoffice(tmp_path: Path) -> None:
    """The sheets 'Tạo biểu mẫu' writes, filled by 'Nhập số liệu', saved as a workbook and
    recalculated by LibreOffice: the formulas give the seed's total, as parxl's evaluator does."""
    from openpyxl import Workbook

    from parxl.calc import computed_values, libreoffice_available

    if not libreoffice_available():
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice missing")
        pytest.skip("LibreOffice missing")
    fid = "hcm-quan-2023"
    payload = empty_book([[fid]])
    built = apply(payload, run_script("tao_bieu_mau", payload))
    with_inputs = _with_input_sheet(built, fid)
    done = apply(with_inputs, run_script("nhap_so_lieu", with_inputs))
    wb = Workbook()
    for ws in list(wb.worksheets):
        wb.remove(ws)
    for sheet in done["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for row in sheet["values"]:
            ws.append([None if v == "" else v for v in row])
    path = tmp_path / "lite-built.xlsx"
    wb.save(path)
    values = computed_values(path, "libreoffice")
    summary = values_of(done, "Tổng hợp")
    row = next(i for i, r in enumerate(summary, start=1) if r[1] == "TỔNG ĐIỂM")
    total = values["Tổng hợp"][f"C{row}"]
    assert total == pytest.approx(93.23, abs=1e-9)
    t = read_template({s["name"]: s["values"] for s in done["sheets"]})
    assert total == pytest.approx(score_values(t.framework, t.values).total, abs=1e-12)


def test_a_failing_script_changes_nothing(
    payloads: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug after the first writes were queued: the writes are dropped, a message is shown."""
    from udfs import macros

    def broken(s: Any) -> str:
        raise ZeroDivisionError("thử lỗi")

    monkeypatch.setattr(macros, "score_text", broken)  # after 'Kết quả' was written
    actions = run_script("tinh_diem", payloads["hcm-quan-2023"])
    assert changes(actions) == []
    assert alert(actions).startswith("Lỗi trong parxl (ZeroDivisionError: thử lỗi)")


def test_fill_script_takes_numbers_as_excel_pastes_them(tmp_path: Path) -> None:
    """Pasted into Excel, '2023' and '77,7%' become the numbers 2023 and 0,777 (vi-VN)."""
    fid = "hcm-quan-2023"
    payload = _with_input_sheet(_template_payload(tmp_path, fid), fid)
    rows = values_of(payload, "Nhập liệu")
    for r in rows[1:]:
        if r[0] == "_body" and r[1] == "year":
            r[2] = 2023.0
        elif isinstance(r[2], str) and r[2].endswith("%"):
            r[2] = float(r[2][:-1].replace(",", ".")) / 100
    actions = run_script("nhap_so_lieu", payload)
    after = apply(payload, actions)
    t = read_template({s["name"]: s["values"] for s in after["sheets"]})
    assert t.year == "2023"
    assert values_of(after, "Tổng hợp")[2][2] == "2023"
    assert score_values(t.framework, t.values).total == pytest.approx(93.23, abs=APPROX)


def test_check_script_reports_an_error_value_in_an_input_cell(
    filled: dict[str, Path], payloads: dict[str, dict[str, Any]]
) -> None:
    """Office.js sends an error cell as its code ("#N/A"): the check must name it as the desktop
    collect does, and scoring must not take it for a blank (an item not yet determined)."""
    fid = "hcm-quan-2023"
    payload = json.loads(json.dumps(payloads[fid]))
    t = read_template({s["name"]: s["values"] for s in payload["sheets"]})
    sheet, ref = t.cells[("1.1.3", "done")]
    grid = values_of(payload, sheet)
    grid[int(ref[1:]) - 1][ord(ref[0]) - 65] = "#N/A"
    rows = values_of(apply(payload, actions := run_script("kiem_tra", payload)), "Kiểm tra")
    found = [r for r in rows[3:] if (r[1], r[2], r[3]) == (sheet, ref, "1.1.3")]
    assert found and found[0][5] == "lỗi" and "ô có lỗi #N/A" in found[0][6], rows[:6]
    assert alert(actions).startswith("1 lỗi")
    # scored as 'parxl score' scores the file with that error cell: 1.1.3 not achieved
    results = values_of(apply(payload, run_script("tinh_diem", payload)), "Kết quả")
    lost, review = [r for r in results if r[0] == "1.1.3"]  # a lost sub-criterion, a value to review
    assert lost[5] == pytest.approx(0.5) and lost[6] == "Không đạt"
    assert review[1:5] == [found[0][6], sheet, ref, "lỗi"]  # as 'Kiểm tra' says it


@pytest.mark.parametrize(("script", "sheet"), [("tinh_diem", "Kết quả"), ("kiem_tra", "Kiểm tra"),
                                               ("bao_cao", "Báo cáo")])
def test_a_sheet_of_the_user_with_the_same_name_is_never_overwritten(
    payloads: dict[str, dict[str, Any]], script: str, sheet: str
) -> None:
    """A sheet the script did not write ('Báo cáo' drafted by the user) is neither cleared nor
    deleted: a message, nothing changed. One the script wrote before is replaced."""
    payload = json.loads(json.dumps(payloads["hcm-quan-2023"]))
    payload["sheets"].append({"name": sheet, "values": [["Dự thảo của phòng"], ["…"]], "pictures": [],
                              "tables": []})
    actions = run_script(script, payload)
    assert changes(actions) == []
    assert f"'{sheet}'" in alert(actions) and "Không có gì bị thay đổi" in alert(actions)
    done = apply(payloads["hcm-quan-2023"], run_script(script, payloads["hcm-quan-2023"]))
    again = run_script(script, done)  # run twice: the sheet of the first run is replaced
    assert alert(again) == alert(run_script(script, payloads["hcm-quan-2023"]))
    assert "addSheet" not in changes(again) or script == "bao_cao"


def test_fill_script_on_an_office_copy_writes_no_locked_cell(tmp_path: Path) -> None:
    """A copy issued to one office (parxl distribute) locks the other offices' rows and the
    body's name and year: Excel refuses a write there half-way through the script. So the
    script refuses other offices' items before writing anything, as 'parxl fill' does, and
    writes an office's own items only into its unlocked cells."""
    import openpyxl

    from parxl.office.distribute import distribute

    fid = "hcm-quan-2023"
    fw = builtin(fid)
    copy = next(p for p in distribute(fw, tmp_path, body="Quận 1", year="2023") if p.stem == "Phòng Nội vụ")
    payload = _with_input_sheet(payload_from_workbook(copy), fid)  # every office's items
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    assert "'Phòng Nội vụ'" in alert(actions) and "không thuộc đơn vị này" in alert(actions)
    # the office's own items (and the body's name and year as already written): only unlocked cells
    rows = values_of(payload, "Nhập liệu")
    offices = {i.code: i.office for i in fw.items}
    rows[1:] = [r for r in rows[1:] if offices.get(r[0]) == "Phòng Nội vụ" or r[0] == "_body"]
    actions = run_script("nhap_so_lieu", payload)
    assert alert(actions).startswith("Đã ghi "), alert(actions)
    wb = openpyxl.load_workbook(copy)
    names = [s["name"] for s in payload["sheets"]]
    written = [(names[a["sheet_position"]], a["start_row"] + 1, a["start_column"] + 1)
               for a in actions if a["func"] == "setValues"]
    assert written and all(not wb[s].cell(r, c).protection.locked for s, r, c in written)


def test_fill_script_names_the_sheet_of_a_deleted_row(tmp_path: Path) -> None:
    """An item row deleted (or its code changed) in the open template: the message names the
    sheet and the input table's line, as 'parxl fill' does, and nothing is written."""
    payload = _with_input_sheet(_template_payload(tmp_path, "hcm-quan-2023"), "hcm-quan-2023")
    grid = values_of(payload, "Lĩnh vực 1")
    grid[:] = [r for r in grid if r[0] != "1.1.2"]
    line = next(i for i, r in enumerate(values_of(payload, "Nhập liệu"), start=1) if r[0] == "1.1.2")
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    assert f"trang 'Lĩnh vực 1': không có dòng mục 1.1.2 ở cột 'Mã' (giá trị ở dòng {line}" in alert(actions)


def test_fill_script_on_a_book_whose_summary_was_renamed_says_it_in_vietnamese(tmp_path: Path) -> None:
    """'Tổng hợp' renamed and the table has the body's name and year: the message the file
    path ('parxl fill') gives, not Python's "Sheet … doesn't exist", and nothing written."""
    fid = "hcm-quan-2023"
    payload = _with_input_sheet(_template_payload(tmp_path, fid), fid)
    next(s for s in payload["sheets"] if s["name"] == "Tổng hợp")["name"] = "Tổng hợp (cũ)"
    actions = run_script("nhap_so_lieu", payload)
    assert changes(actions) == []
    assert alert(actions).startswith("Không thực hiện được: ") and "thiếu trang 'Tổng hợp'" in alert(actions)
    assert "không ghi được tên cơ quan, năm đánh giá" in alert(actions) and "Error" not in alert(actions)
    assert alert(actions).endswith("Không có gì bị thay đổi.")


@pytest.mark.parametrize("typed", ["HCM-quan-2023", " hcm-quan-2023 "])
def test_build_script_takes_an_id_as_typed(typed: str) -> None:
    """A built-in id typed in another case or with spaces around it names the same framework."""
    payload = {"client": "Office.js", "version": xw.__version__, "names": [],
               "book": {"name": "Book1.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "sheets": [{"name": "Sheet1", "values": [[typed]], "pictures": [], "tables": []}]}
    actions = run_script("tao_bieu_mau", payload)
    assert "Đã thêm" in alert(actions), alert(actions)
