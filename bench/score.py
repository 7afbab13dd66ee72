"""Scoring one filled template: parxl's Python evaluator against its peers.

For each built-in framework, fill its template with the example returns, then time
- parxl: read the file and score it with the Python evaluator, as a return never seen before
  (its remembered cells and item scores are forgotten before each run);
- floor: a hand-written scorer on the same file (calamine read of the domain sheets and one
  compiled rule call per item, no status logic, no roll-ups): what a minimal program costs;
- formulas: the `formulas` package loading and recalculating the workbook, as its users call it
  (parxl's own engine layer caches compiled models; that cache is not measured here);
- LibreOffice cold: `soffice --headless --convert-to xlsx` in a new process;
- LibreOffice warm: the long-lived UNO process parxl's parity tests use.
and print the ratios. Run: .venv/bin/python bench/score.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # formulas' progress bars

from python_calamine import CalamineWorkbook
from timing import best_interleaved

from parxl.calc import computed_values
from parxl.framework import builtin, builtin_ids
from parxl.framework.load import example_values_path
from parxl.score import _plan, score_values
from parxl.workbook import fastread
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_csv
from parxl.workbook.read import read_return


def floor_scorer(path: Path, fw_id: str) -> Callable[[], float]:
    fw = builtin(fw_id)
    plan = {i.code: (i.evaluate, i.max) for i in fw.base_items}
    sheets = [d.sheet_name for d in fw.domains]

    def run() -> float:
        wb = CalamineWorkbook.from_path(str(path))
        total = 0.0
        for sheet in sheets:
            for row in wb.get_sheet_by_name(sheet).to_python():
                p = plan.get(row[0]) if row else None
                if p is not None:
                    v1 = row[7] if row[7] != "" else 0.0
                    v2 = row[8] if row[8] != "" else 0.0
                    total += p[0](v1, v2, p[1])
        return total

    return run


def plain_formulas(path: Path) -> object:
    import formulas

    model = formulas.ExcelModel().loads(str(path)).finish()
    return model.calculate()


def libreoffice_cold(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "xlsx", "--outdir", tmp, str(path)],
            check=True, capture_output=True,
        )


def forget_values() -> None:
    """Each run reads a return never seen: parxl remembers decoded cells and item scores from
    one return to the next (a province's returns share most of them), which would make every
    run after the first a re-read of known values. The parsed framework is kept (a province or
    a collect reads it once)."""
    fastread._CELLS.clear()
    fastread._TEXTS.clear()
    for fw in fastread._FRAMEWORKS.values():
        for item in _plan(fw).items:
            item.memo.clear()


def main() -> None:
    print(f"python {sys.version.split()[0]}; best of interleaved runs (100 for parxl and the floor, 3 for the "
          "others); one filled template each\n")
    header = f"{'framework':22} {'parxl':>9} {'floor':>9} {'formulas':>10} {'LO warm':>9} {'LO cold':>9}  ratios"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for fw_id in builtin_ids():
            fw = builtin(fw_id)
            template = build_template(fw, Path(tmp) / f"{fw_id}.xlsx")
            filled = Path(tmp) / f"{fw_id} filled.xlsx"
            fill_csv(template, example_values_path(fw_id), filled)

            def parxl_score(filled: Path = filled) -> object:
                forget_values()
                ret = read_return(filled)
                return score_values(ret.framework, ret.values)

            fast = best_interleaved({"parxl": parxl_score, "floor": floor_scorer(filled, fw_id)}, 100)
            slow = best_interleaved({
                "formulas": lambda filled=filled: plain_formulas(filled),
                "warm": lambda filled=filled: computed_values(filled, "libreoffice"),
                "cold": lambda filled=filled: libreoffice_cold(filled),
            }, 3)
            t_parxl, t_floor = fast["parxl"], fast["floor"]
            t_formulas, t_warm, t_cold = slow["formulas"], slow["warm"], slow["cold"]
            print(
                f"{fw_id:22} {t_parxl * 1e3:7.2f}ms {t_floor * 1e3:7.2f}ms {t_formulas * 1e3:8.0f}ms "
                f"{t_warm * 1e3:7.0f}ms {t_cold * 1e3:7.0f}ms  "
                f"parxl/floor {t_parxl / t_floor:.2f}x; formulas/parxl {t_formulas / t_parxl:.0f}x; "
                f"LO cold/parxl {t_cold / t_parxl:.0f}x; LO warm/parxl {t_warm / t_parxl:.0f}x"
            )


if __name__ == "__main__":
    main()
