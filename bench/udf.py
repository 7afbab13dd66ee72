"""Cost of parxl's UDFs evaluated headlessly, against the native formulas (same run, same machine).

    /work/venv/bin/python bench/udf.py [--rows 300] [--repeat 3]

1. Per call: a sheet of ``rows`` items of every rule kind, once with the native formula of the
   item's points (the rule's Excel expression) and once with ``PAR_SCORE``; ``formulas``
   calculates both (compiled once, timed over ``repeat`` calculations). Peer: the native formula.
   Also the plain-Python cost of one ``PAR_SCORE`` call against the compiled rule it wraps.
2. Per template: the UDF flavour of each built-in framework, filled with its example inputs,
   recalculated by ``formulas`` (load + compile + calculate, nothing cached) against the native
   flavour. Target: within 2x.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parxl.calc import computed_values
from parxl.framework import builtin, builtin_ids
from parxl.inputs import read_values
from parxl.rules import KINDS
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.udf import UdfFormulas
from udfs import core

CASES: list[tuple[str, dict[str, Any], float, Any, Any]] = [
    ("manual", {}, 2.0, 1.25, None),
    ("yesno", {}, 1.0, "Có", None),
    ("proportional", {"rounding": "round", "decimals": 2}, 3.0, 0.62, None),
    ("proportional", {"basis": "counts"}, 3.0, 299, 300),
    ("tiers", {"tiers": [[1, 1.5], [0.9, 1], [0.85, 0.5]]}, 1.5, 0.806, None),
    ("count", {"per_unit": 1}, 2.0, 1, None),
    ("incidents", {"per_incident": 0.5}, 1.0, 1, None),
]


def _sheet(path: Path, rows: int, udf: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(1, rows + 1):
        kind, raw, mx, v1, v2 = CASES[r % len(CASES)]
        params, _ = KINDS[kind].normalize(raw, mx)
        ws[f"A{r}"], ws[f"B{r}"] = mx, v1
        if v2 is not None:
            ws[f"C{r}"] = v2
        if udf:
            text = core.params_text(kind, params)
            tail = f',"{text.replace(chr(34), chr(34) * 2)}"' if text else ""
            ws[f"D{r}"] = f'=PAR_SCORE("{kind}",A{r},B{r},C{r}{tail})'
        else:
            ws[f"D{r}"] = "=" + KINDS[kind].expression(params).xl({"v1": f"B{r}", "v2": f"C{r}", "max": f"A{r}"})
    wb.save(path)


def _calc_times(paths: list[Path], repeat: int) -> list[float]:
    """Best calculation time of each compiled workbook, runs interleaved."""
    import formulas

    with contextlib.redirect_stderr(io.StringIO()):  # formulas' progress bars
        models = [formulas.ExcelModel().loads(str(p)).finish() for p in paths]
        best = [float("inf")] * len(models)
        for _ in range(repeat):
            for i, model in enumerate(models):
                t = time.perf_counter()
                model.calculate()
                best[i] = min(best[i], time.perf_counter() - t)
    return best


def per_call(rows: int, repeat: int, tmp: Path) -> None:
    native, udf = tmp / "native.xlsx", tmp / "udf.xlsx"
    _sheet(native, rows, False)
    _sheet(udf, rows, True)
    a, b = _calc_times([native, udf], max(repeat, 5))
    print(f"per call in formulas ({rows} cells): native {a / rows * 1e6:8.1f} µs, "
          f"PAR_SCORE {b / rows * 1e6:8.1f} µs  -> ratio udf/native {b / a:.2f}")
    # plain Python: the UDF against the compiled rule it wraps
    n = 20000
    fn = KINDS["proportional"].compile(KINDS["proportional"].normalize({}, 3.0)[0])
    t = time.perf_counter()
    for _ in range(n):
        fn(0.62, 0.0, 3.0)
    base = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(n):
        core.par_score("proportional", 3.0, 0.62, None, "")
    wrapped = time.perf_counter() - t
    print(f"plain Python per call: compiled rule {base / n * 1e6:6.2f} µs, PAR_SCORE {wrapped / n * 1e6:6.2f} µs"
          f"  -> ratio {wrapped / base:.1f}")


def _cold(path: Path) -> float:
    from parxl.calc import formulas_engine

    clear = getattr(formulas_engine, "clear_cache", None)
    if clear is not None:
        clear()
    t = time.perf_counter()
    computed_values(path, "formulas")
    return time.perf_counter() - t


def per_template(tmp: Path, repeat: int) -> None:
    for fid in builtin_ids():
        fw = builtin(fid)
        from importlib import resources

        csv = resources.files("parxl.framework") / "data" / f"{fid}.example.csv"
        values, _ = read_values(Path(str(csv)))
        files: dict[str, Path] = {}
        for flavour, f in (("native", None), ("udf", UdfFormulas())):
            template = build_template(fw, tmp / f"{fid}-{flavour}.xlsx", formulas=f)
            files[flavour] = tmp / f"{fid}-{flavour}-filled.xlsx"
            fill_values(template, values, files[flavour])
        times: dict[str, list[float]] = {"native": [], "udf": []}
        for _ in range(repeat):  # interleaved, so load from other processes hits both alike
            for flavour in ("native", "udf"):
                times[flavour].append(_cold(files[flavour]))
        out = {k: statistics.median(v) for k, v in times.items()}
        print(f"{fid:22s} recalc by formulas: native {out['native']:6.2f} s, udf {out['udf']:6.2f} s"
              f"  -> ratio udf/native {out['udf'] / out['native']:.2f} (target <= 2)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=350)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--calls-only", action="store_true", help="skip the per-template part")
    args = ap.parse_args()
    core.register_formulas()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        per_call(args.rows, args.repeat, tmp)
        if not args.calls_only:
            per_template(tmp, args.repeat)


if __name__ == "__main__":
    main()
