"""The yearly job of a home-affairs office, end to end, on a built-in framework's example data.

1. build the template (``bieu-mau.xlsx``) and the blank input table (``bang-nhap-lieu.csv``, and
   ``bang-nhap-lieu.xlsx`` for staff who fill it in Excel);
2. distribute one workbook per responsible office (``phat-hanh/``);
3. each office fills in its own items from the example returns (``tra-ve/``);
4. collect the returns: check, consolidate, score (``tong-hop.xlsx`` and its check report);
5. the home-affairs office enters what no office does, the survey and superior-body items, and
   the filled workbook is scored (``da-dien.xlsx``, ``ket-qua.json``);
6. the reports: self-assessment (Word, and Excel with charts), the interim report (the example
   returns are mid-year figures: some items not yet determined) and the directive assigning the
   deducted points back to the offices.

Every step goes through the public functions a user or a macro calls; nothing here is special
to the demo except where the values come from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from parxl.framework import builtin
from parxl.framework.load import example_values_path
from parxl.framework.model import Framework
from parxl.inputs import BODY, read_values, write_input_table
from parxl.office.collect import CollectResult, collect
from parxl.office.distribute import MANIFEST, distribute
from parxl.report import ReportInfo, make_report
from parxl.score import Scores, score_values
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.read import read_return
from parxl.workbook.save import atomic_write_bytes

ISSUED, RETURNED = "phat-hanh", "tra-ve"
INPUTS_XLSX = "bang-nhap-lieu.xlsx"
TEMPLATE, INPUTS, COLLECTED, FILLED, RESULT = (
    "bieu-mau.xlsx", "bang-nhap-lieu.csv", "tong-hop.xlsx", "da-dien.xlsx", "ket-qua.json")
SELF_ASSESSMENT, SELF_ASSESSMENT_XLSX, INTERIM, REMEDY = (
    "bao-cao-tu-danh-gia.docx", "bao-cao-tu-danh-gia.xlsx", "bao-cao-so-ket.docx", "cong-van-khac-phuc.docx")


@dataclass
class Demo:
    framework: Framework
    body: str
    collected: CollectResult
    scores: Scores
    files: list[Path] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (report file, what it lacks)
    office_less: tuple[int, int] = (0, 0)  # items of no office (survey, superior): still open, all


def run_demo(framework_id: str, output: str | Path) -> Demo:
    fw = builtin(framework_id)
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    values, _ = read_values(example_values_path(framework_id))
    body, year = str(values.get((BODY, "name"), "")), str(values.get((BODY, "year"), ""))
    index = fw.item_index

    def office_of(key: tuple[str, str]) -> str | None:
        return index[key[0]].office if key[0] in index else None

    build_template(fw, out / TEMPLATE)
    write_input_table(fw, out / INPUTS)
    write_input_table(fw, out / INPUTS_XLSX)
    issued = distribute(fw, out / ISSUED, body=body, year=year)
    for path in issued:
        office = read_return(path).meta["office"]
        fill_values(path, {k: v for k, v in values.items() if office_of(k) == office},
                    out / RETURNED / path.name)
    collected = collect(out / RETURNED, out / COLLECTED, expected=out / ISSUED / MANIFEST, workers=1)
    office_less = {k: v for k, v in values.items() if office_of(k) == ""}
    fill_values(out / COLLECTED, office_less, out / FILLED)
    ret = read_return(out / FILLED)
    scores = score_values(fw, ret.values)
    atomic_write_bytes(out / RESULT, json.dumps({"body": ret.body, "year": ret.year, **scores.as_dict()},
                                                ensure_ascii=False, indent=1).encode("utf-8"))
    no_office = [i.code for i in fw.items if not i.office]
    demo = Demo(fw, ret.body, collected, scores,
                office_less=(sum(1 for c in no_office if scores.items[c].open > 0), len(no_office)))
    for kind, docx, xlsx, info in (
            ("self-assessment", SELF_ASSESSMENT, SELF_ASSESSMENT_XLSX, None),
            ("interim", INTERIM, None, ReportInfo(period="9 tháng đầu năm")),
            ("remedy", REMEDY, None, None)):
        report = make_report(kind, [out / FILLED], out / docx, info=info,
                             xlsx=out / xlsx if xlsx else None)
        demo.warnings += [(docx, w) for w in report.warnings]
    demo.files = sorted(p for p in out.rglob("*") if p.is_file())
    return demo
