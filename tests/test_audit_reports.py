"""parxl's own reports audited: every report kind parxl writes, for every built-in framework,
states figures that agree with each other and with the workbook it was made from.

The expectation (no finding) is not produced by the code under test: a report parxl generates
from one scored workbook must be arithmetically consistent, so any finding is either a false
alarm of the audit or a bug in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from parxl.audit import Inconsistency, audit_file
from parxl.demo import FILLED, INTERIM, REMEDY, SELF_ASSESSMENT, run_demo
from parxl.framework.load import builtin_ids
from parxl.province import Sequential, make_province, province

FRAMEWORKS = builtin_ids()
REPORTS = (SELF_ASSESSMENT, INTERIM, REMEDY)


def _show(found: list[Inconsistency]) -> str:
    return "\n".join(f"{x.kind}: {x.message} — {x.quotes[0].where}: {x.quotes[0].text}" for x in found)


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for fw in FRAMEWORKS:
        d = tmp_path_factory.mktemp(fw)
        run_demo(fw, d)
        out[fw] = d
    return out


@pytest.fixture(scope="module")
def ranking_reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The province ranking report: with a roster and appraisal, and a year later against it."""
    tmp = tmp_path_factory.mktemp("tinh")
    demo = make_province(tmp / "tinh", 30, workers=1)
    first = province(demo / "tra-ve", tmp / "kq", bodies=demo / "don-vi.csv", appraisal=demo / "tham-dinh.csv",
                     executor=Sequential())
    again = province(demo / "tra-ve", tmp / "kq2", previous=first.output, executor=Sequential())
    return [first.output / "bao-cao-xep-hang.docx", again.output / "bao-cao-xep-hang.docx"]


def test_every_framework_and_report_is_covered(demos: dict[str, Path]) -> None:
    assert len(FRAMEWORKS) >= 3
    for fw, d in demos.items():
        for name in REPORTS:
            assert (d / name).is_file(), (fw, name)


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_yearly_reports_are_consistent(demos: dict[str, Path], framework: str, report: str) -> None:
    path = demos[framework] / report
    found = audit_file(path)
    assert found == [], _show(found)


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_yearly_reports_agree_with_their_workbook(demos: dict[str, Path], framework: str, report: str) -> None:
    from parxl.audit.against import compare_workbook
    from parxl.audit.document import load_document

    found, checks = compare_workbook(load_document(demos[framework] / report), demos[framework] / FILLED)
    assert found == [], _show(found)
    # the comparison is not vacuous: the report states the workbook's figures and they were compared
    assert sum(1 for c in checks if c.ok) >= 3


def test_ranking_reports_are_consistent(ranking_reports: list[Path]) -> None:
    for path in ranking_reports:
        assert path.is_file()
        found = audit_file(path)
        assert found == [], _show(found)


def test_interim_report_with_plan_tasks_is_consistent(demos: dict[str, Path], tmp_path: Path) -> None:
    """The interim report's task section (seed 003: 57 tasks, per domain, completed "gồm" early /
    on time / late, then in progress, not due, not done, overdue) is audited like the rest."""
    import pandas as pd

    from parxl.report import make_report

    rows = ([("1", "Hoàn thành đúng hạn")] + [("1", "Đang thực hiện")] * 6 + [("1", "Chưa đến hạn")]
            + [("2", "Đang thực hiện")] * 4 + [("3", "Hoàn thành đúng hạn")] + [("3", "Đang thực hiện")] * 16
            + [("4", "Hoàn thành đúng hạn")] * 2 + [("5", "Đang thực hiện")] * 4 + [("5", "Chưa thực hiện")]
            + [("6", "Đang thực hiện")] * 3 + [("6", "Chưa đến hạn")] + [("7", "Đang thực hiện")] * 13
            + [("7", "Chưa thực hiện")] * 2 + [("7", "Không thực hiện")] + [("7", "Quá hạn")])
    assert len(rows) == 57
    tasks = tmp_path / "nhiem-vu.csv"
    pd.DataFrame(rows, columns=["Lĩnh vực", "Tình trạng"]).to_csv(tasks, index=False)
    out = tmp_path / "so-ket.docx"
    make_report("interim", [demos["daknong-huyen-2022"] / FILLED], out, tasks=tasks)
    found = audit_file(out)
    assert found == [], _show(found)


# -- parxl's own reports with one figure changed, as a user editing them in Word would ----------

def _vn(text: str) -> Decimal:
    """ "87,16%" -> 87.16 (the report writes a decimal comma)."""
    return Decimal(text.rstrip("%").replace(",", "."))


def _off_by_nine(text: str) -> str:
    """ "87,16%" -> "78,16%", "9,02%" -> "18,02%": the same digits after the comma, 9 points off."""
    whole, _, rest = text.rstrip("%").partition(",")
    n = int(whole)
    return f"{n - 9 if n >= 50 else n + 9}" + (f",{rest}" if rest else "") + "%"


def _edit(src: Path, dst: Path, edit: Callable[[object], tuple[str, str]]) -> tuple[str, str]:
    import docx

    d = docx.Document(str(src))
    old_new = edit(d)
    d.save(str(dst))
    return old_new


def _edit_sentence_share(d: object) -> tuple[str, str]:
    """The share in the first "bị trừ X điểm (NN nội dung), chiếm tỷ lệ Y% ..." paragraph."""
    for p in d.paragraphs:  # type: ignore[attr-defined]
        for run in p.runs:
            m = re.search(r"chiếm tỷ lệ (\d+(?:,\d+)?%)", run.text)
            if m and "nội dung)" in p.text:
                new = _off_by_nine(m.group(1))
                run.text = run.text.replace(m.group(0), f"chiếm tỷ lệ {new}", 1)
                return m.group(1), new
    raise AssertionError("no share sentence in the report")


def _edit_table_share(d: object) -> tuple[str, str]:
    """The largest share in the domain table's "Tỷ lệ so với tổng ... bị trừ" column."""
    for t in d.tables:  # type: ignore[attr-defined]
        head = [c.text for c in t.rows[0].cells]
        col = next((k for k, h in enumerate(head) if "tổng" in h and "trừ" in h), None)
        if col is None:
            continue
        cells = [r.cells[col] for r in t.rows[1:-1]]  # the last row is "Tổng cộng"
        cell = max(cells, key=lambda c: _vn(c.text))
        old = cell.text
        new = _off_by_nine(old)
        run = cell.paragraphs[0].runs[0]
        run.text = run.text.replace(old, new)
        assert cell.text == new
        return old, new
    raise AssertionError("no domain table with a share column in the report")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_changed_share_in_a_sentence_is_found(demos: dict[str, Path], framework: str, tmp_path: Path) -> None:
    """parxl writes "bị trừ X điểm (NN nội dung), chiếm tỷ lệ Y% so với tổng số điểm bị trừ":
    a share changed in Word is found without the workbook, through the parenthesis."""
    out = tmp_path / "sua.docx"
    old, new = _edit(demos[framework] / SELF_ASSESSMENT, out, _edit_sentence_share)
    found = audit_file(out)
    assert {(x.kind, x.stated, x.expected) for x in found} == {("percent", _vn(new), _vn(old))}, _show(found)


@pytest.mark.parametrize("report", (SELF_ASSESSMENT, REMEDY))
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_changed_share_in_the_domain_table_is_found(demos: dict[str, Path], framework: str, report: str,
                                                     tmp_path: Path) -> None:
    """A share cell of the domain table changed in Word: its row (deducted ÷ total deducted), the
    column's sum against the total row, and with the workbook the domain's share."""
    from parxl.audit.against import compare_workbook
    from parxl.audit.document import load_document

    out = tmp_path / "sua.docx"
    old, new = _edit(demos[framework] / report, out, _edit_table_share)
    found = audit_file(out)
    kinds = {(x.kind, x.stated, x.expected) for x in found}
    assert ("percent", _vn(new), _vn(old)) in kinds, _show(found)
    [column] = [x for x in found if x.kind == "sum"]
    assert column.stated == 100 and abs(column.expected - 100 - (_vn(new) - _vn(old))) <= Decimal("0.05")
    assert len(found) == 2, _show(found)
    assert found[0].quotes[0].where.startswith(("Bảng 1, dòng ", "bảng thứ 2 trong văn bản, dòng "))
    wb, _ = compare_workbook(load_document(out), demos[framework] / FILLED)
    assert {(x.kind, x.stated, x.expected) for x in wb} == {("workbook", _vn(new), _vn(old))}, _show(wb)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_reports_with_a_penalty_and_an_exempt_item_agree_with_their_workbook(
        demos: dict[str, Path], framework: str, tmp_path: Path) -> None:
    """qa5 B5: with a penalty ("điểm trừ 1 điểm", not the total of deducted points) and an item
    "Không áp dụng" (the note "- Lĩnh vực 1: ... 9,5/10 điểm" after the last domain's items is not
    one of them), parxl's own reports still audit clean, alone and against their workbook."""
    from parxl.framework.load import builtin
    from parxl.report import make_report
    from parxl.workbook.fill import fill_values

    fw = builtin(framework)
    exempt = next(i for d in fw.domains for i in d.items if i.scorer == "self" and not i.hidden)
    values: dict[tuple[str, str], object] = {(exempt.code, "status"): "Không áp dụng"}
    if fw.penalties:
        values[(fw.penalties[0].code, "count")] = 2
    wb = tmp_path / "mau.xlsx"
    fill_values(demos[framework] / FILLED, values, wb)
    found: dict[str, str] = {}
    for kind in ("self-assessment", "interim", "remedy"):
        out = tmp_path / f"{kind}.docx"
        make_report(kind, [wb], out)
        found[kind] = _show(audit_file(out, against=wb))
    assert found == {"self-assessment": "", "interim": "", "remedy": ""}
    if not fw.penalties:
        return
    # the penalty is compared with the workbook's: "điểm trừ 1 điểm" changed to 2 in Word is found
    from parxl.audit.against import compare_workbook
    from parxl.audit.document import load_document

    def penalty_to_two(d: object) -> tuple[str, str]:
        for p in d.paragraphs:  # type: ignore[attr-defined]
            for run in p.runs:
                if "điểm trừ 1 điểm" in run.text:
                    run.text = run.text.replace("điểm trừ 1 điểm", "điểm trừ 2 điểm")
                    return "1", "2"
        raise AssertionError("no penalty in the directive")

    edited = tmp_path / "sua.docx"
    _edit(tmp_path / "remedy.docx", edited, penalty_to_two)
    wrong, _ = compare_workbook(load_document(edited), wb)
    assert {(x.kind, x.stated, x.expected) for x in wrong} == {("workbook", Decimal(2), Decimal(1))}, _show(wrong)
    assert wrong[0].message.startswith("Văn bản nêu điểm trừ là 2 nhưng bảng tính mau.xlsx cho 1")
