"""Writing reports: parxl's Word + Excel reports against the steps around them.

On the Quận 1 example (hcm-quan-2023, seed 000) and 22 peer bodies, time
- read: read_return + score_values of one workbook (what every report starts with);
- remedy: the remedy directive, .docx with a PNG chart (from a workbook, read included);
- remedy + xlsx: the same plus the Excel report workbook with native charts;
- ranking 22: the ranking report of 22 workbooks (reading all of them included);
- python-docx floor: a bare python-docx document with the same domain table (no template, no
  charts): what a minimal program costs;
- LibreOffice PDF: converting the remedy .docx to PDF (what the tests do to check the text),
and print the ratios. Run: .venv/bin/python bench/report.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timed

from parxl.framework import builtin
from parxl.framework.load import example_values_path
from parxl.inputs import read_values
from parxl.report import make_report
from parxl.score import score_values
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.read import read_return


def floor_docx(path: Path, out: Path) -> None:
    import docx

    ret = read_return(path)
    s = score_values(ret.framework, ret.values)
    d = docx.Document()
    d.add_paragraph(f"Tổng điểm {s.total:.2f}")
    t = d.add_table(rows=1, cols=4)
    for d_ in ret.framework.domains:
        g = s.domains[d_.code]
        cells = t.add_row().cells
        cells[0].text, cells[1].text = d_.code, d_.name
        cells[2].text, cells[3].text = f"{g.achieved:.2f}", f"{g.deducted:.2f}"
    d.save(str(out))


def main() -> None:
    fw = builtin("hcm-quan-2023")
    values, _ = read_values(example_values_path("hcm-quan-2023"))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        build_template(fw, d / "t.xlsx")
        books = []
        for i in range(22):
            p = d / f"body{i:02d}.xlsx"
            fill_values(d / "t.xlsx", {**values, ("_body", "name"): f"Quận {i + 1}"}, p)
            books.append(p)
        one = books[0]
        read = timed(lambda: score_values(*(lambda r: (r.framework, r.values))(read_return(one))), 20)
        remedy = timed(lambda: make_report("remedy", [one], d / "cv.docx"), 5)
        remedy_x = timed(lambda: make_report("remedy", [one], d / "cv.docx", xlsx=d / "cv.xlsx"), 5)
        ranking = timed(lambda: make_report("ranking", books, d / "xh.docx", xlsx=d / "xh.xlsx"), 3)
        floor = timed(lambda: floor_docx(one, d / "floor.docx"), 5)
        profile = (d / "lo").as_uri()

        def pdf() -> None:
            subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(d), str(d / "cv.docx")], check=True, capture_output=True)

        lo = timed(pdf, 3)
    rows = [
        ("read + score one workbook", read),
        ("python-docx floor (table only)", floor),
        ("remedy .docx", remedy),
        ("remedy .docx + .xlsx", remedy_x),
        ("ranking of 22 (.docx + .xlsx)", ranking),
        ("LibreOffice .docx -> PDF", lo),
    ]
    print(f"{'step':34} {'seconds':>9} {'x read':>8} {'x floor':>8}")
    for name, t in rows:
        print(f"{name:34} {t:9.3f} {t / read:8.1f} {t / floor:8.1f}")
    print(f"remedy vs LibreOffice PDF: {remedy / lo:.2f}x", file=sys.stderr)


if __name__ == "__main__":
    main()
