"""The command line end to end, as a user runs it (Vietnamese paths included)."""

from __future__ import annotations

import inspect
import json
import re
import shlex
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from parxl.cli import app
from parxl.framework import builtin_ids
from tests.conftest import DATA, require_libreoffice

runner = CliRunner()
MINI = str(DATA / "mini.yaml")


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_frameworks_json_lists_builtins() -> None:
    data = json.loads(run("frameworks", "--json"))
    assert [d["id"] for d in data] == builtin_ids()
    for d in data:
        assert d["total"] == pytest.approx(d["self"] + d["survey"] + d["external"] + d["bonus_cap"])
        assert 80 <= d["items"] <= 110 and d["domains"] == 8


def test_frameworks_text_keeps_every_id_whole() -> None:
    """The ids are what users type: never shortened to 'dakn…' on an 80-column console."""
    lines = run("frameworks").splitlines()
    for fid in builtin_ids():
        assert any(line.startswith(f"{fid} — ") for line in lines), fid
    assert "…" not in "".join(lines)


def test_build_inputs_fill_score(tmp_path: Path) -> None:
    folder = tmp_path / "Phòng Nội vụ"
    template = folder / "Báo cáo 2024.xlsx"
    run("build", MINI, "-o", template)
    run("inputs", MINI, "-o", folder / "nhập liệu.csv")
    values = folder / "số liệu.csv"
    values.write_text(
        'code,field,value\n_body,name,Xã Thử\n1.1.1,done,Có\n2.2.1,points,"1,5"\n', "utf-8"
    )
    filled = folder / "đã điền.xlsx"
    assert "Đã ghi 3 giá trị" in run("fill", template, "--values", values, "-o", filled)
    data = json.loads(run("score", filled, "--json"))
    assert data["body"] == "Xã Thử"
    assert data["base"]["achieved"] == pytest.approx(2.5)  # 1 (yes) + 1.5 survey points
    text = run("score", filled)
    assert "Tổng điểm: 2,50" in text
    # and the total's line writes its index as its points: "2,50 — chỉ số 18,52%", not "18,5%"
    index = re.search(r"Tổng điểm: 2,50 — chỉ số (\S+%)", " ".join(text.split()))
    assert index and re.fullmatch(r"\d{1,3},\d\d%", index.group(1)), text
    # the table's shares and indexes carry two decimals, as its points do ("0%" beside "0,00")
    table = text[:text.index("Tổng điểm")]
    shares = re.findall(r"\S+%", table)
    assert shares and all(re.fullmatch(r"\d{1,3},\d\d%", p) for p in shares), shares
    assert "0,00%" in shares


def test_errors_are_vietnamese_and_exit_non_zero(tmp_path: Path) -> None:
    out = run("score", tmp_path / "không có.xlsx", code=1)
    assert "không tìm thấy tệp" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: y\ndomains: []\n", "utf-8")
    assert "danh sách rỗng" in run("build", bad, "-o", tmp_path / "x.xlsx", code=1)
    assert not (tmp_path / "x.xlsx").exists()
    assert "không phải bộ tiêu chí tích hợp" in run(
        "inputs", "khong-co", "-o", tmp_path / "a.csv", code=1
    )
    # the input table or a CSV given where a framework belongs: what it is and what to give
    table = tmp_path / "số liệu.csv"
    table.write_text("code,field,value\n1.1.1,done,Có\n", "utf-8")
    out = " ".join(run("build", table, "-o", tmp_path / "x.xlsx", code=1).split())
    assert "đây là bảng số liệu (dùng với 'parxl fill'), không phải bộ tiêu chí" in out
    out = " ".join(run("framework", "import", table, "-o", tmp_path / "x.yaml", code=1).split())
    assert "cần tệp .xlsx có trang 'Bộ tiêu chí'" in out and "Exception" not in out


@pytest.mark.parametrize("fw", builtin_ids())
def test_demo_runs_the_yearly_job(fw: str, tmp_path: Path) -> None:
    """Distributed to the offices, filled by each, collected and scored, the example gives the same
    result as filling the whole template in one go; the reports state it."""
    import docx

    from parxl.framework import builtin
    from parxl.framework.load import example_values_path
    from parxl.numbers import parse_vn_number
    from parxl.report.vn import in_sentence
    from parxl.score import score_values
    from parxl.workbook.build import build_template
    from parxl.workbook.fill import fill_csv
    from parxl.workbook.read import read_return

    d = tmp_path / "thư mục mẫu"
    printed = run("demo", "--framework", fw, "-o", d)
    direct = tmp_path / "một lần.xlsx"
    build_template(builtin(fw), tmp_path / "mẫu.xlsx")
    fill_csv(tmp_path / "mẫu.xlsx", example_values_path(fw), direct)
    want = read_return(direct)
    got = read_return(d / "da-dien.xlsx")
    assert got.values == want.values and (got.body, got.year) == (want.body, want.year)
    s = score_values(want.framework, want.values)
    result = json.loads((d / "ket-qua.json").read_text("utf-8"))
    assert result["total"] == pytest.approx(s.total) and result["body"] == want.body
    total = f"{s.total:.2f}".replace(".", ",")
    assert f"Tổng điểm: {total} — chỉ số " in printed  # as `parxl score` prints it
    office_less = [i.code for i in builtin(fw).items if not i.office]
    still_open = [c for c in office_less if s.items[c].status == "Chưa xác định"]
    assert (f"không giao đơn vị nào (điều tra xã hội học, cấp trên đánh giá): {len(office_less)} mục, "
            f"{len(still_open)} mục còn chưa xác định") in " ".join(printed.split())
    offices = builtin(fw).offices()
    assert sorted(p.stem for p in (d / "tra-ve").iterdir()) == sorted(offices)
    assert f"Thu thập {len(offices)} tệp trả về của {len(offices)} đơn vị chủ trì: 0 lỗi" in printed
    assert "năm đánh giá" not in printed  # the year travels from the issued copies to the reports
    for name in ("bao-cao-tu-danh-gia.docx", "bao-cao-so-ket.docx", "cong-van-khac-phuc.docx"):
        text = "\n".join(p.text for p in docx.Document(str(d / name)).paragraphs)
        assert in_sentence(want.body) in text and want.year in text, name  # "thành phố Sa Đéc"
    report = docx.Document(str(d / "bao-cao-tu-danh-gia.docx"))
    [achieved] = [row.cells[3].text for t in report.tables for row in t.rows if row.cells[1].text == "Tổng cộng"]
    assert parse_vn_number(achieved) == pytest.approx(s.base.achieved)  # the domains table: base points


def test_demo_reproduces_seed_004(tmp_path: Path) -> None:
    out = run("demo", "-o", tmp_path / "demo")
    assert "Tổng điểm: 57,96" in out  # seed 004: 57,96 of 70 self-assessed points
    result = json.loads((tmp_path / "demo" / "ket-qua.json").read_text("utf-8"))
    assert result["by_scorer"]["survey"]["open"] == 30
    import docx

    interim = " ".join(p.text for p in docx.Document(str(tmp_path / "demo" / "bao-cao-so-ket.docx")).paragraphs)
    quoted = "Điểm ước đạt: 57,96/70 điểm tự đánh giá; 0/30 điểm điều tra xã hội học"
    assert quoted in interim and f'(như "{quoted}")' in README.read_text("utf-8")  # the README quotes it
    table = README.read_text("utf-8").split("| step | files |", 1)[1].split("\n\n", 1)[0]
    names = [n for n in re.findall(r"`([^`]+)`", table) if not n.startswith(".")]
    assert len(names) == 13, names  # the files the README says `parxl demo` writes, all written
    for name in names:
        found = list((tmp_path / "demo").glob(name.replace("<đơn vị>", "*").replace(".csv/.json", ".*")))
        assert found, name


def test_verify_and_recalc(tmp_path: Path) -> None:
    require_libreoffice()
    template = tmp_path / "mẫu.xlsx"
    run("build", MINI, "-o", template)
    values = tmp_path / "v.csv"
    values.write_text('code,field,value\n1.1.2,rate,"55,5%"\n2.1.3,incidents,1\n', "utf-8")
    filled = tmp_path / "điền.xlsx"
    run("fill", template, "--values", values, "-o", filled)
    assert "Khớp" in run("verify", filled)
    out = tmp_path / "tính lại.xlsx"
    run("recalc", filled, "--engine", "libreoffice", "-o", out)
    import openpyxl

    ws = openpyxl.load_workbook(out, data_only=True)["Lĩnh vực 1"]
    assert ws["O7"].value == pytest.approx(1.11)  # 2 × 55.5%, computed by LibreOffice


def test_readme_starts_with_the_two_commands() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    block = readme.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block[0].startswith("bash .ci/setup && .venv/bin/parxl demo")
    assert block[1].startswith(".venv/bin/ruff check . && .venv/bin/mypy && .venv/bin/python -m pytest tests")
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text("utf-8").splitlines()
    test_command = block[1].split("#")[0].strip()
    assert ci[-1].strip() == test_command  # CI runs exactly the README's test command
    assert any(line.startswith("apt-get install -y libreoffice-calc-nogui") for line in ci)


def _filled_udf(tmp_path: Path, rows: str) -> Path:
    """mini.yaml built in the UDF flavour and filled with the CSV ``rows`` (after the header)."""
    template = tmp_path / "mẫu udf.xlsx"
    run("build", MINI, "--flavor", "udf", "-o", template)
    values = tmp_path / "v.csv"
    values.write_text("code,field,value\n" + rows, "utf-8")
    filled = tmp_path / "điền.xlsx"
    run("fill", template, "--values", values, "-o", filled)
    return filled


def test_udf_flavour_verifies_headlessly_from_the_command_line(tmp_path: Path) -> None:
    """`parxl verify --engine formulas` computes PAR_* UDF calls with no Excel and no add-in."""
    filled = _filled_udf(tmp_path, "1.1.2,rate,\"55,5%\"\nT.1,done,Có\n")
    assert "Khớp" in run("verify", filled, "--engine", "formulas")


def test_udf_flavour_is_not_verified_or_recalculated_by_libreoffice(tmp_path: Path) -> None:
    """LibreOffice cannot run the PAR_* functions: `verify` with no engine named checks the UDF
    flavour with formulas only and says why (before: every computed cell '#NAME?', exit 1);
    naming LibreOffice is refused, saying to use formulas (before, recalc wrote '#NAME?' in every
    computed cell with no word)."""
    filled = _filled_udf(tmp_path, "1.1.2,rate,\"55,5%\"\n")
    text = " ".join(run("verify", filled).split())
    assert "LibreOffice không chạy được các hàm này nên chỉ kiểm tra bằng formulas" in text, text
    assert "(formulas) trùng với Python" in text, text
    for args in (("verify", filled, "--engine", "libreoffice"),
                 ("recalc", filled, "--engine", "libreoffice", "-o", tmp_path / "tính lại.xlsx")):
        text = " ".join(run(*args, code=1).split())
        assert "điền.xlsx" in text and "LibreOffice không chạy được các hàm này" in text, (args, text)
        assert "Hãy dùng --engine formulas" in text, (args, text)
        assert "bảng tính cho" not in text, (args, text)
    assert not (tmp_path / "tính lại.xlsx").exists()
    # no engine named: recalculated by formulas, which runs the PAR_* functions, and said so
    text = " ".join(run("recalc", filled, "-o", tmp_path / "tính lại.xlsx").split())
    assert "nên tính lại bằng formulas" in text, text
    ws = openpyxl.load_workbook(tmp_path / "tính lại.xlsx", data_only=True)["Lĩnh vực 1"]
    assert ws["O7"].value == pytest.approx(1.11)  # 2 × 55.5%, by PAR_SCORE


def _verify_with_one_wrong_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrong: float) -> str:
    """`parxl verify --engine formulas` on a return where the engine gives ``wrong`` for item
    1.1.2's achieved points (Lĩnh vực 1!O7, 2 × 55,5% = 1,11 in Python): its output."""
    import parxl.calc

    template = tmp_path / "mẫu.xlsx"
    run("build", MINI, "-o", template)
    values = tmp_path / "v.csv"
    values.write_text('code,field,value\n1.1.2,rate,"55,5%"\n', "utf-8")
    filled = tmp_path / "điền.xlsx"
    run("fill", template, "--values", values, "-o", filled)
    real = parxl.calc.computed_values

    def perturbed(src: Path, engine: Any) -> dict[str, dict[str, object]]:
        got = real(src, engine)
        got["Lĩnh vực 1"]["O7"] = wrong
        return got

    monkeypatch.setattr(parxl.calc, "computed_values", perturbed)
    return " ".join(run("verify", filled, "--engine", "formulas", code=1).split())


def test_verify_says_which_engine_disagreed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each difference starts with its engine's tag; Rich read '[formulas]' as markup and dropped
    it, so the lines of two engines could not be told apart."""
    text = _verify_with_one_wrong_cell(tmp_path, monkeypatch, 1.12)
    assert "[formulas] trang 'Lĩnh vực 1' ô O7 (mục 1.1.2: điểm đạt)" in text, text
    assert "1 ô khác nhau" in text, text


def test_verify_shows_numbers_as_vietnamese_write_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decimal commas, with as many decimals as show the two numbers apart (it printed Python's
    repr, '1.1100001'); the engine is 'bộ tính' in the Vietnamese text, not 'engine'."""
    text = _verify_with_one_wrong_cell(tmp_path, monkeypatch, 1.1100001)
    assert "Python tính 1,11, bảng tính cho 1,1100001" in text, text
    assert re.search(r"\(trên \d+ ô công thức × 1 bộ tính\)", text), text
    text = " ".join(run("verify", tmp_path / "điền.xlsx", "--engine", "excel", code=1).split())
    assert "Không có bộ tính 'excel'; chọn một trong: libreoffice, formulas." in text, text
    assert "engine" not in text.replace("--engine", ""), text


def test_names_with_brackets_are_printed_whole(tmp_path: Path) -> None:
    """A body or domain name with '[…]' (a file 'QĐ [dự thảo].xlsx' of 'Xã [thử]') is shown as
    written, not read as Rich markup and dropped."""
    fw = tmp_path / "bộ [mới].yaml"
    fw.write_text(Path(MINI).read_text("utf-8").replace("name: Công tác chỉ đạo, điều hành",
                                                          "name: Chỉ đạo [mới]"), "utf-8")
    template = tmp_path / "QĐ [dự thảo].xlsx"
    assert "QĐ [dự thảo].xlsx" in run("build", fw, "-o", template)
    values = tmp_path / "v [1].csv"
    values.write_text("code,field,value\n_body,name,Xã [thử]\n1.1.1,done,Có\n", "utf-8")
    filled = tmp_path / "đã điền [bản cuối].xlsx"
    assert "đã điền [bản cuối].xlsx" in run("fill", template, "--values", values, "-o", filled)
    text = run("score", filled)
    assert "Kết quả chấm điểm — Xã [thử]" in text, text
    assert "Chỉ đạo [mới]" in text, text


def test_demo_with_bodies_writes_a_province(tmp_path: Path) -> None:
    out = run("demo", "--bodies", "6", "-o", tmp_path / "tỉnh")
    assert "tra-ve" in out
    returns = list((tmp_path / "tỉnh" / "tra-ve").rglob("*.xlsx"))
    assert len(returns) >= 5  # six bodies, some deliberately missing or broken


def test_outputs_the_system_refuses_get_a_message(tmp_path: Path) -> None:
    """-o naming a folder, or a path under a file: a Vietnamese message and exit 1, no traceback."""
    folder = tmp_path / "kết quả"
    folder.mkdir()
    for args in (("build", MINI), ("inputs", MINI), ("framework", "export", MINI)):
        out = run(*args, "-o", folder, code=1)
        assert "đường dẫn ghi kết quả là một thư mục — hãy ghi cả tên tệp" in " ".join(out.split())
    assert list(folder.iterdir()) == []
    a_file = tmp_path / "tệp.txt"
    a_file.write_text("x", "utf-8")
    out = " ".join(run("demo", "-o", a_file / "con", code=1).split())
    assert "con': không đọc hoặc ghi được tệp (một phần của đường dẫn không phải thư mục)" in out


def test_score_names_each_bad_value_and_exits_non_zero(tmp_path: Path) -> None:
    """Values typed into the sheet that break the rules (issue: wrong type, 77,7 for 77,7%,
    negative counts, numerator > denominator): sheet, cell and item of each; exit code 1."""
    from parxl.office.synth import patch_cells

    template = tmp_path / "mẫu.xlsx"
    run("build", MINI, "-o", template)
    bad = tmp_path / "sai.xlsx"
    patch_cells(template, bad, {
        ("Lĩnh vực 1", "H7"): 77.7,  # 1.1.2 rate: 77,7 typed without %
        ("Lĩnh vực 1", "H9"): -2,  # 1.2.1 count
        ("Lĩnh vực 2", "H6"): 120, ("Lĩnh vực 2", "I6"): 100,  # 2.1.1 numerator > denominator
        ("Lĩnh vực 2", "H7"): "chín mươi",  # 2.1.2 rate as words
    })
    out = " ".join(run("score", bad, code=1).split())
    for where in ("trang 'Lĩnh vực 1', ô H7, mục 1.1.2: Số liệu 1", "trang 'Lĩnh vực 1', ô H9, mục 1.2.1",
                  "trang 'Lĩnh vực 2', ô H6, mục 2.1.1: tử số (120) lớn hơn mẫu số (100)",
                  "trang 'Lĩnh vực 2', ô H7, mục 2.1.2"):
        assert f"Lỗi {where}" in out, where
    # not "as the template's formulas compute": a number typed as text is read as the number it
    # means, which the sheet's formulas take as 0
    assert "4 lỗi số liệu: điểm trên đây tính từ số liệu như đang ghi trong tệp, kể cả các giá trị lỗi" in out
    data = json.loads(runner.invoke(app, ["score", str(bad), "--json"]).stdout)
    assert sorted(i["cell"] for i in data["issues"] if i["severity"] == "lỗi") == ["H6", "H7", "H7", "H9"]
    run("score", template)  # the blank template: nothing wrong


def test_score_reads_the_file_once_and_scores_what_read_return_reads(tmp_path: Path, monkeypatch: Any) -> None:
    """`parxl score` takes the inputs and the checks from one read of the file; the inputs are
    the ones read_return gives (the values as typed, before the checks clean them)."""
    from parxl.office.check import check_workbook
    from parxl.office.synth import patch_cells
    from parxl.workbook import read as R

    template = tmp_path / "mẫu.xlsx"
    run("build", MINI, "-o", template)
    filled = tmp_path / "điền.xlsx"
    patch_cells(template, filled, {("Lĩnh vực 1", "H7"): "77,7%", ("Lĩnh vực 1", "H9"): 3,
                                   ("Lĩnh vực 2", "H7"): "chín mươi"})
    ret, _, _ = check_workbook(filled)
    alone = R.read_return(filled)
    assert (ret.values, ret.cells, ret.meta, ret.body, ret.year) == (
        alone.values, alone.cells, alone.meta, alone.body, alone.year)
    assert ret.values[("1.1.2", "rate")] == "77,7%"
    reads: list[str] = []
    real = R.read_raw

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(R, "read_raw", counted)
    data = json.loads(runner.invoke(app, ["score", str(filled), "--json"]).stdout)
    assert reads == [str(filled)]
    assert {i["code"]: i["achieved"] for i in data["items"]}["1.2.1"] == 2  # 3 x 1, capped at 2


def test_help_panels_are_vietnamese() -> None:
    text = run("build", "--help")
    assert "Tham số" in text and "Tuỳ chọn" in text and "[bắt buộc]" in text and "[mặc định: native]" in text
    assert "Options" not in text and "[required]" not in text
    assert "Cú pháp: " in text and " build [TUỲ CHỌN]" in text and "Xem hướng dẫn này rồi thoát." in text
    assert "Usage" not in text and "Show this message" not in text
    top = run("--help")
    assert "LỆNH [THAM SỐ]..." in top and "COMMAND" not in top and "Show this message" not in top


@pytest.mark.parametrize("command", [["collect"], ["report"], ["framework", "import"], ["demo"]])
def test_help_names_arguments_and_types_in_vietnamese(command: list[str]) -> None:
    """The argument and type columns: 'THƯ_MỤC <đường dẫn>', no English type names, and no
    '<bool>' beside a flag (it takes no value)."""
    import re

    text = run(*command, "--help")
    assert not re.search(r"<(?:path|str|int|bool|float|list\[\w+\]|int range)>", text, re.I), text
    assert re.search(r"<(?:đường dẫn|chữ|số nguyên)>", text)
    assert not re.search(r"\{(?:folder|workbooks|table)\}", text)


def test_each_command_is_listed_on_one_line() -> None:
    """The list of commands in 'parxl --help' shows each command's first paragraph as written:
    a line break inside it cut the description in two ("… (tổng điểm, phần" / "tự đánh giá …")."""
    def commands(group: Any) -> list[Any]:  # typer's own click copy: no click.Group to test against
        found = []
        for cmd in group.commands.values():
            found += commands(cmd) if hasattr(cmd, "commands") else [cmd]
        return found

    listed = commands(typer.main.get_command(app))
    assert len(listed) > 10
    for cmd in listed:
        first = inspect.cleandoc(cmd.help or "").split("\n\n")[0]
        assert first and "\n" not in first, (cmd.name, first)


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    assert run("--version").strip() == f"parxl {version('parxl')}"


@pytest.mark.parametrize(("args", "expected"), [
    (["score", "--bad", "x.xlsx"], "Không có tuỳ chọn --bad."),
    (["score"], "Thiếu tham số 'TỆP'."),
    (["frobnicate"], "Không có lệnh 'frobnicate'."),
    (["colect", "."], "Không có lệnh 'colect' (có phải 'collect'?)."),
    (["score", "a", "b"], "Thừa tham số: b."),
    (["build", MINI, "-o"], "Tuỳ chọn '-o' cần một giá trị."),
    (["build", MINI, "--flavour", "udf"], "Không có tuỳ chọn --flavour (có thể là: --flavor)."),
    (["collect", ".", "--workers", "hai"], "Giá trị không hợp lệ cho '--workers': phải là số nguyên."),
    (["demo", "--bodies", "-5"], "Giá trị không hợp lệ cho '--bodies': phải lớn hơn hoặc bằng 0."),
])
def test_usage_errors_are_vietnamese(args: list[str], expected: str) -> None:
    """A mistyped command tells the user in Vietnamese what is wrong (typer's click copy writes
    fixed English), exit code 2; `demo --bodies -5` used to run the one-body demo silently."""
    out = run(*args, code=2)
    assert f"Lỗi: {expected}" in out.replace("\n", " ")
    assert "Error" not in out and "Usage:" not in out


def test_python_dash_m_parxl_runs_the_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "parxl", "frameworks", "--json"], capture_output=True, check=True)
    assert [d["id"] for d in json.loads(done.stdout)] == builtin_ids()


def test_an_empty_folder_is_called_a_folder(tmp_path: Path) -> None:
    """'thư mục', not 'tệp', names a folder in an error ("Lỗi: tệp '…/tra-ve': thư mục không có …")."""
    empty = tmp_path / "trả về"
    empty.mkdir()
    out = run("province", empty, "-o", tmp_path / "kq", code=1)
    assert f"thư mục '{empty}': không có biểu mẫu Excel nào" in " ".join(out.split())


def test_framework_import_and_export_never_write_a_file_that_opens_nowhere(tmp_path: Path) -> None:
    table = tmp_path / "Bộ tiêu chí.xlsx"
    run("framework", "export", MINI, "-o", table)
    before = table.read_bytes()
    # '-o' given the table itself: the YAML text would have replaced the user's table
    out = " ".join(run("framework", "import", table, "-o", table, code=1).split())
    assert "phải có đuôi .yaml hoặc .yml, không phải '.xlsx'" in out
    out = " ".join(run("framework", "export", table, "-o", table, code=1).split())
    assert "tệp kết quả phải khác tệp đầu vào" in out
    assert table.read_bytes() == before
    out = " ".join(run("framework", "export", MINI, "-o", tmp_path / "bang.csv", code=1).split())
    assert "phải có đuôi .xlsx hoặc .yaml hoặc .yml, không phải '.csv'" in out
    assert not (tmp_path / "bang.csv").exists()
    run("framework", "import", table, "-o", tmp_path / "fw.yaml")
    assert (tmp_path / "fw.yaml").read_text("utf-8").startswith("id: mini")


def test_frameworks_summarises_a_users_own_file(tmp_path: Path) -> None:
    """After typing a decision's framework, the specialist checks its totals against the decision:
    mini.yaml is 12,5 base points (2 of them survey) + a bonus cap of 1."""
    table = tmp_path / "bảng.xlsx"
    run("framework", "export", MINI, "-o", table)
    for spec in (MINI, table):
        [d] = json.loads(run("frameworks", spec, "--json"))
        assert (d["id"], d["total"], d["self"], d["survey"], d["bonus_cap"], d["items"]) == ("mini", 13.5, 10.5, 2, 1, 7)
    assert "tổng 13,50 điểm: tự đánh giá 10,50, điều tra XHH 2,00" in run("frameworks", MINI)
    assert "không tìm thấy tệp" in run("frameworks", tmp_path / "khong-co.yaml", code=1)
    # two files of one framework id: each summary names its file (and the bonus and penalty items)
    both = " ".join(run("frameworks", MINI, table).split())
    assert f"tệp: {MINI} tổng 13,50 điểm" in both and f"tệp: {table} tổng 13,50 điểm" in both
    assert "7 tiêu chí thành phần, 2 mục thưởng, 1 mục trừ điểm" in both
    assert [d.get("file") for d in json.loads(run("frameworks", MINI, "hcm-quan-2023", "--json"))
            ] == [MINI, None]


def test_a_template_stands_for_the_framework_it_carries(tmp_path: Path) -> None:
    """'parxl inputs bieu-mau.xlsx' said the 'Bộ tiêu chí' sheet was missing: a template (or a
    return) carries its framework, so it gives the same input table as the framework itself."""
    template = tmp_path / "biểu mẫu.xlsx"
    run("build", MINI, "-o", template)
    run("inputs", template, "-o", tmp_path / "a.csv")
    run("inputs", MINI, "-o", tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    [d] = json.loads(run("frameworks", template, "--json"))
    assert d["id"] == "mini" and d["total"] == 13.5


README = Path(__file__).parent.parent / "README.md"


def readme_blocks() -> list[str]:
    """The README's fenced code blocks, in order."""
    return re.findall(r"^```[a-z]*\n(.*?)^```", README.read_text("utf-8"), re.S | re.M)


def readme_commands() -> list[list[str]]:
    """Every `parxl …` line of the README's code blocks, split as the shell splits it."""
    out = []
    for block in readme_blocks():
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("parxl "):
                out.append(shlex.split(line, comments=True)[1:])
    return out


def readme_example(*head: str) -> list[str]:
    found = [c for c in readme_commands() if c[: len(head)] == list(head)]
    assert len(found) == 1, f"README: {len(found)} examples start with 'parxl {' '.join(head)}'"
    return found[0]


def test_readme_examples_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's command-line examples, taken from its text, run in the order a user follows
    them (input files made by the earlier step the README names) and say what the README says."""
    import docx

    readme = " ".join(README.read_text("utf-8").split())
    monkeypatch.chdir(tmp_path)
    run(*readme_example("demo", "-o", "q1"))
    remedy = readme_example("report", "q1/da-dien.xlsx", "--kind", "remedy")
    at = remedy.index("--previous")  # q1-2022.xlsx is not shipped: the README says to leave it out
    run(*(remedy[:at] + remedy[at + 2 :]))
    text = " ".join(p.text for p in docx.Document("cong-van.docx").paragraphs)
    for quoted in ("Điểm Chỉ số cải cách hành chính năm 2023 của Quận 1 là 93,23 điểm",
                   "Cải cách thủ tục hành chính: bị trừ 1,5 điểm, chiếm tỷ lệ 22,16% so với tổng số điểm "
                   "bị trừ năm 2023", "trước ngày 19/03/2024"):
        assert quoted in readme and quoted in text, quoted
    info = tmp_path / "thong-tin.yaml"  # the README's --info example, as written
    [info_yaml] = [b for b in readme_blocks() if b.startswith("parent: ")]
    info.write_text(info_yaml, "utf-8")
    run("report", "q1/da-dien.xlsx", "--kind", "remedy", "--info", info, "-o", "cv-info.docx")
    fw_yaml = tmp_path / "fw.yaml"  # the README's framework schema example loads
    [schema] = [b for b in readme_blocks() if b.startswith("id: mini")]
    fw_yaml.write_text(schema, "utf-8")
    run("build", fw_yaml, "-o", "mini.xlsx")
    # the audit examples, on the report parxl wrote (its figures agree with each other and the workbook)
    Path("bao-cao.docx").write_bytes(Path("cong-van.docx").read_bytes())
    Path("bao-cao.txt").write_text("\n".join(p.text for p in docx.Document("cong-van.docx").paragraphs), "utf-8")
    Path("bao-cao.md").write_text(Path("bao-cao.txt").read_text("utf-8"), "utf-8")
    Path("da-dien.xlsx").write_bytes(Path("q1/da-dien.xlsx").read_bytes())
    audits = [c for c in readme_commands() if c[0] == "audit" and not c[1].startswith("<")]
    assert len(audits) >= 4
    for cmd in audits:
        run(*cmd)
    # collect, on the folders `parxl demo` wrote; then the survey items by `parxl fill`
    monkeypatch.chdir(tmp_path / "q1")
    collects = [c for c in readme_commands() if c[:2] == ["collect", "tra-ve/"]]
    assert len(collects) == 2
    for cmd in collects:
        assert "tổng hợp 5 tệp; 0 lỗi" in run(*cmd)
    for name in ("tong-hop.xlsx", "tong-hop-kiem-tra.csv", "tong-hop-kiem-tra.json", "tong-hop-diem.csv"):
        assert Path(name).is_file(), name
    Path("dieu-tra.csv").write_text("code,field,value\n8.1.1,points,\"1,78\"\n", "utf-8")
    assert "Đã ghi 1 giá trị" in run(*readme_example("fill", "tong-hop.xlsx", "--values", "dieu-tra.csv"))
    # distribute: mau.xlsx made by `parxl build`, a list of communes written by the user
    monkeypatch.chdir(tmp_path)
    run("build", "dongthap-huyen-2023", "-o", "mau.xlsx")
    Path("danh-sach-xa.txt").write_text("# các xã\nXã Tân Phú\nXã Tân Quy\n", "utf-8")
    run(*readme_example("distribute", "mau.xlsx"))
    run(*readme_example("distribute", "dongthap-huyen-2023"))
    assert (tmp_path / "phat-hanh" / "danh-sach-phat-hanh.csv").is_file()
    assert sorted(p.name for p in (tmp_path / "phat-hanh-xa").glob("*.xlsx")) == ["Xã Tân Phú.xlsx",
                                                                                    "Xã Tân Quy.xlsx"]


def test_readme_appraisal_example_changes_the_score(tmp_path: Path) -> None:
    """The README's appraisal CSV, on the province demo data, is taken (item and field exist)."""
    from parxl.province import make_province, province

    [block] = [b for b in readme_blocks() if b.startswith("body,code,field,value,round")]
    make_province(tmp_path / "demo", bodies=40)
    appraisal = tmp_path / "tham-dinh.csv"
    appraisal.write_text(block, "utf-8")
    r = province(tmp_path / "demo" / "tra-ve", tmp_path / "out", appraisal=appraisal, word=False)
    [row] = r.tables["appraisal"].query("body == 'Xã số 00012'").itertuples()
    assert row.code == "1.1.1" and row.outcome == "Chấp nhận một phần" and row.final_achieved < row.self_achieved
    assert not (r.problems["body"] == "Xã số 00012").any(), r.problems


def test_framework_import_names_the_columns_it_did_not_read(tmp_path: Path) -> None:
    """A decision's table with a 'Ghi chú' column: imported, and the user is told that column
    was not read (nothing dropped silently); parxl's own table has none to tell."""
    from tests.test_framework_outline import BODY, _decision

    table = _decision(tmp_path / "Quyết định.xlsx", [[r, name, p, ev] for r, _, name, p, ev in BODY])
    wb = openpyxl.load_workbook(table)
    wb["Bộ tiêu chí"]["E5"] = "Ghi chú"
    wb.save(table)
    out = " ".join(run("framework", "import", table, "-o", tmp_path / "qd.yaml").split())
    assert "Không đọc các cột: 'Ghi chú' (cột E) — parxl không dùng các cột này." in out
    run("framework", "export", tmp_path / "qd.yaml", "-o", tmp_path / "bang.xlsx")
    assert "Không đọc" not in run("framework", "import", tmp_path / "bang.xlsx", "-o", tmp_path / "lai.yaml")


def test_framework_import_of_a_word_file_says_where_id_and_name_came_from(tmp_path: Path) -> None:
    from tests.test_framework_outline import BODY, _decision, _word

    path = _word(tmp_path / "QĐ 1704.docx", [("I", ["CHỈ ĐẠO"], 1, None), ("1", ["Kế hoạch"], 1, None),
                                             ("1.1", ["Ban hành"], 1, None)])
    out = " ".join(run("framework", "import", path, "-o", tmp_path / "qd.yaml").split())
    assert "Đã đọc 1 mục" in out
    assert "Mã bộ tiêu chí 'qd-1704' và tên 'QĐ 1704' lấy từ tên tệp Word" in out
    assert "id: qd-1704" in (tmp_path / "qd.yaml").read_text("utf-8")
    # the table pasted into Excel: no 'Thông tin' sheet
    table = _decision(tmp_path / "QĐ 1704.xlsx", [[r, name, p, ev] for r, _, name, p, ev in BODY], info=False)
    out = " ".join(run("framework", "import", table, "-o", tmp_path / "qd2.yaml").split())
    assert "Mã bộ tiêu chí 'qd-1704' và tên 'QĐ 1704' lấy từ tên tệp (bảng không có trang 'Thông tin')" in out


def test_frameworks_shows_a_name_with_brackets_and_no_level(tmp_path: Path) -> None:
    """'[dự thảo]' in a name is text, not console markup (it vanished); a framework read from a
    Word file has no level yet, and the listing says so instead of '(cấp )'."""
    from tests.test_framework_outline import _word

    path = _word(tmp_path / "QĐ [dự thảo].docx", [("I", ["CHỈ ĐẠO"], 1, None), ("1", ["Kế hoạch"], 1, None),
                                                  ("1.1", ["Ban hành"], 1, None)])
    out = run("frameworks", path)
    assert "qd-du-thao — QĐ [dự thảo] (chưa ghi cấp áp dụng)" in out


def test_paths_with_brackets_are_printed_as_they_are(tmp_path: Path) -> None:
    """A folder named '[bản cuối]' is text in every message, not console markup (it vanished)."""
    folder = tmp_path / "[bản cuối]"
    folder.mkdir()
    for args in (("build", MINI, "-o", folder / "t.xlsx"), ("inputs", MINI, "-o", folder / "n.csv"),
                 ("framework", "export", MINI, "-o", folder / "b.xlsx")):
        assert "[bản cuối]" in " ".join(run(*args).split()), args


def test_a_folder_where_a_file_belongs_and_a_file_where_a_folder_belongs(tmp_path: Path) -> None:
    """Each command says which it got, in Vietnamese, instead of 'not found' or the system's
    English '[Errno 21] Is a directory'."""
    folder = tmp_path / "Thư mục"
    folder.mkdir()
    template = tmp_path / "mau.xlsx"
    run("build", MINI, "-o", template)
    for args in (("build", folder, "-o", tmp_path / "b.xlsx"), ("inputs", folder, "-o", tmp_path / "i.csv"),
                 ("frameworks", folder), ("framework", "import", folder, "-o", tmp_path / "f.yaml"),
                 ("recalc", folder, "--engine", "formulas", "-o", tmp_path / "r.xlsx"),
                 ("fill", template, "--values", folder, "-o", tmp_path / "y.xlsx")):
        out = run(*args, code=1)
        assert "đây là thư mục, không phải" in " ".join(out.split()), (args, out)
        assert "Errno" not in out and "không tìm thấy" not in out, (args, out)
    for args in (("collect", template, "-o", tmp_path / "t.xlsx"), ("province", template, "-o", tmp_path / "p")):
        out = " ".join(run(*args, code=1).split())
        assert "đây là một tệp; cần thư mục chứa các biểu mẫu trả về" in out, (args, out)
    assert not list(tmp_path.glob("*.yaml")) and not (tmp_path / "y.xlsx").exists()


def test_score_says_the_total_collect_would_merge_when_it_differs(tmp_path: Path) -> None:
    """'Co' in a yes/no cell: the sheet's formulas give it 0 (as `parxl score` scores the file),
    collect merges it as 'Có'; the score tells both, so its total and the consolidation's agree
    on paper (before, 1 point differed with no word)."""
    from parxl.office.synth import patch_cells

    template = tmp_path / "mẫu.xlsx"
    run("build", MINI, "-o", template)
    filled = tmp_path / "điền.xlsx"
    patch_cells(template, filled, {("Lĩnh vực 1", "H6"): "Co"})  # 1.1.1, 1 point
    data = json.loads(run("score", filled, "--json"))
    assert data["as_collected"]["total"] == pytest.approx(data["total"] + 1)
    text = " ".join(run("score", filled).split())
    assert f"khi tổng hợp (parxl collect), các ô nêu trên được ghi theo giá trị đã hiểu hoặc bỏ qua: tổng điểm " \
           f"{data['total'] + 1:.2f}".replace(".", ",") in text
    patch_cells(template, filled, {("Lĩnh vực 1", "H6"): "Có"})
    assert "khi tổng hợp" not in run("score", filled)


def test_collect_writes_nothing_on_stderr_when_it_is_not_a_terminal(tmp_path: Path) -> None:
    """A scheduled job or a pipe gets no progress bar, and no blank line where it was drawn."""
    import subprocess
    import sys

    from parxl.framework.load import example_values_path

    fw = "dongthap-huyen-2023"
    (tmp_path / "xa.txt").write_text("Xã A\n", encoding="utf-8")
    run("distribute", fw, "--out", tmp_path / "ra", "--bodies", tmp_path / "xa.txt")
    run("fill", tmp_path / "ra" / "Xã A.xlsx", "--values", example_values_path(fw), "-o", tmp_path / "ve" / "a.xlsx")
    done = subprocess.run([sys.executable, "-m", "parxl", "collect", str(tmp_path / "ve"), "-o",
                           str(tmp_path / "th.xlsx")], capture_output=True, check=True)
    assert "Đã đọc 1 tệp, tổng hợp 1 tệp" in done.stdout.decode("utf-8")
    assert done.stderr == b""


def test_score_calls_a_wholly_exempt_domain_exempt_not_zero_percent(tmp_path: Path) -> None:
    """Every item of domain 2 not applicable: its rate is not 0 % (nothing was to be reached)."""
    from parxl.workbook.fill import fill_values

    template = tmp_path / "mau.xlsx"
    run("build", MINI, "-o", template)
    exempt = {(c, "status"): "Không áp dụng" for c in ("2.1.1", "2.1.2", "2.1.3", "2.2.1")}
    fill_values(template, {("1.1.1", "done"): "Có", **exempt}, tmp_path / "na.xlsx")
    [row] = [line for line in run("score", tmp_path / "na.xlsx").splitlines() if line.strip().startswith("2 ")]
    # "Miễn" (exempt) in the last column, as Tổng hợp and the reports say it, not "0,00%"
    assert row.split()[-2:] == ["0,00", "Miễn"], row


def test_filling_a_consolidated_workbook_drops_its_stale_scores(tmp_path: Path) -> None:
    """README: `parxl fill tong-hop.xlsx --values dieu-tra.csv -o da-dien.xlsx`. The consolidated
    workbook's 'Kết quả' holds the scores before the survey points: the filled copy must not show
    them as its result (it kept 57,96 beside a total of 61,26), nor 'Kiểm tra' its checks of then."""
    import openpyxl

    from parxl.framework.load import example_values_path

    fw = "dongthap-huyen-2023"
    (tmp_path / "xa.txt").write_text("Xã A\n", encoding="utf-8")
    run("distribute", fw, "--out", tmp_path / "ra", "--bodies", tmp_path / "xa.txt")
    run("fill", tmp_path / "ra" / "Xã A.xlsx", "--values", example_values_path(fw), "-o", tmp_path / "ve" / "a.xlsx")
    run("collect", tmp_path / "ve", "-o", tmp_path / "th.xlsx")
    assert "Kết quả" in openpyxl.load_workbook(tmp_path / "th.xlsx", read_only=True).sheetnames
    (tmp_path / "dt.csv").write_text("code,field,value\n8.1.1,points,1\n", encoding="utf-8")
    printed = " ".join(run("fill", tmp_path / "th.xlsx", "--values", tmp_path / "dt.csv", "-o",
                           tmp_path / "dd.xlsx").split())
    assert "Lưu ý: Bỏ trang 'Kết quả' và 'Kiểm tra' của lần tổng hợp" in printed
    names = openpyxl.load_workbook(tmp_path / "dd.xlsx", read_only=True).sheetnames
    assert "Kết quả" not in names and "Kiểm tra" not in names and "Tổng hợp" in names
    # a body's own copy with a sheet of its own named 'Kiểm tra': not collect's, kept
    wb = openpyxl.load_workbook(tmp_path / "ve" / "a.xlsx")
    wb.create_sheet("Kiểm tra")["A1"] = "ghi chú của đơn vị"
    wb.save(tmp_path / "own.xlsx")
    printed = run("fill", tmp_path / "own.xlsx", "--values", tmp_path / "dt.csv", "-o", tmp_path / "own2.xlsx")
    assert "Bỏ trang" not in printed
    assert openpyxl.load_workbook(tmp_path / "own2.xlsx")["Kiểm tra"]["A1"].value == "ghi chú của đơn vị"
