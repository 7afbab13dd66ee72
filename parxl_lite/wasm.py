"""A JSON entry point for running parxl inside Pyodide (tests/pyodide/run.mjs) and CPython alike.

``run(request)`` takes and returns JSON text, so the same request can be answered by CPython
and by the WebAssembly runtime of xlwings Lite and the answers compared byte for byte.

Requests (``task``):

- ``score``: ``{"framework": {...} | "builtin": id, "values": [[code, field, value], ...]}``
  -> the scores (:meth:`parxl.score.Scores.as_dict`);
- ``book``: ``{"name": ..., "sheets": {sheet: rows}}`` -> the open workbook read by
  :func:`parxl.workbook.values.read_template` and scored;
- ``script``: ``{"script": name, "book": <xlwings Book JSON>}`` -> the actions an xlwings Lite
  script sends back to Excel (needs xlwings, which xlwings Lite provides);
- ``bench``: as ``score`` with ``repeat`` -> the best time of one scoring, in seconds;
- ``functions``: ``{"calls": [<custom function call JSON>, ...]}`` -> each call's result (an
  error becomes ``{"error": message}``).

Every answer also lists the top-level modules imported (``modules``), to show what the path
needs.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from parxl.framework.model import Framework
from parxl.score import score_values


def _framework(req: dict[str, Any]) -> Framework:
    if "builtin" in req:
        from parxl.framework.load import builtin

        return builtin(str(req["builtin"]))
    from parxl.framework.load import from_dict

    return from_dict(req["framework"], "request")


def _values(rows: list[list[Any]]) -> dict[tuple[str, str], Any]:
    return {(str(code), str(name)): value for code, name, value in rows}


def modules() -> list[str]:
    """Top-level third-party (and parxl) modules imported so far."""
    std: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
    return sorted(
        m for m in list(sys.modules) if "." not in m and not m.startswith("_") and m not in std
    )


def _run(req: dict[str, Any]) -> dict[str, Any]:
    task = req.get("task")
    if task == "score":
        fw = _framework(req)
        return {"scores": score_values(fw, _values(req["values"])).as_dict()}
    if task == "bench":  # seconds per scoring of the same inputs, best of ``repeat`` runs
        import time

        fw = _framework(req)
        inputs = _values(req["values"])
        best = float("inf")
        for _ in range(int(req.get("repeat", 20))):
            t0 = time.perf_counter()
            score_values(fw, inputs)
            best = min(best, time.perf_counter() - t0)
        return {"seconds": best}
    if task == "book":
        from parxl.workbook.values import read_template

        t = read_template(req["sheets"], str(req.get("name", "")))
        values = [[k[0], k[1], v] for k, v in sorted(t.values.items())]
        return {
            "framework": t.framework.id,
            "body": t.body,
            "year": t.year,
            "values": values,
            "scores": score_values(t.framework, t.values).as_dict(),
        }
    if task == "script":
        from parxl_lite.runtime import run_script

        return {"actions": run_script(str(req["script"]), req["book"])}
    if task == "functions":
        from parxl_lite.runtime import call_function

        return {"results": [call_function(data) for data in req["calls"]]}
    raise ValueError(f"unknown task {task!r}")


def run(request: str) -> str:
    """Answer one JSON request with JSON text (floats keep every bit: ``repr`` round-trips)."""
    out = _run(json.loads(request))
    out["modules"] = modules()
    out["platform"] = sys.platform
    return json.dumps(out, ensure_ascii=False, sort_keys=True)
