"""parxl in xlwings Lite: the open-workbook reader, the plugin's functions and scripts through
the xlwings Server protocol, and the real WebAssembly runtime (Pyodide under Node, offline).

Expected numbers come from the seeds (see tests/test_builtin_frameworks.py: Sa Đéc 57,96;
Đắk Song 64,7 self-assessed; District 1 93,23 with 6,77 deducted) or from CPython's own
evaluator when the point is that WebAssembly gives the same bits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parxl.framework.load import builtin, example_values_path
from parxl.inputs import read_values
from parxl.score import score_values
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_csv
from parxl.workbook.read import read_return
from parxl_lite.book import read_template
from parxl_lite.wasm import run

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
    assert proc.returncode == 0 and len(lines) == len(requests), proc.stderr[-3000:] + proc.stdout[-2000:]
    return {
        key: {"request": req, "wasm": json.loads(line), "cpython": json.loads(run(json.dumps(req)))}
        for (key, req), line in zip(requests.items(), lines, strict=True)
    }


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
