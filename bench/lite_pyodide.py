"""Scoring inside Pyodide (xlwings Lite's WebAssembly Python) vs CPython, same inputs.

Peer: CPython (this interpreter) running the same :func:`parxl.score.score_values` on the same
built-in example inputs, in the same run. Prints, per framework, the best time of one scoring
in each runtime and the ratio Pyodide / CPython, and Pyodide's start-up time.

    python bench/lite_pyodide.py            (needs node and `npm ci --prefix tests/pyodide`)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pyodide"))
sys.path.insert(0, str(ROOT))

from archives import collect  # noqa: E402

from parxl.framework.load import builtin, builtin_ids, example_values_path  # noqa: E402
from parxl.inputs import read_values  # noqa: E402
from parxl_lite.wasm import run  # noqa: E402

REPEAT = 30


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        collect(work / "archives")
        files, cpython = [], {}
        for fid in builtin_ids():
            values, _ = read_values(example_values_path(fid))
            req = {"task": "bench", "builtin": fid, "repeat": REPEAT,
                   "values": [[c, f, v] for (c, f), v in sorted(values.items())]}
            path = work / f"{fid}.json"
            path.write_text(json.dumps(req, ensure_ascii=False), encoding="utf-8")
            files.append(path)
            cpython[fid] = json.loads(run(json.dumps(req)))["seconds"]
        t0 = time.perf_counter()
        proc = subprocess.run(["node", str(ROOT / "tests/pyodide/run.mjs"), str(work / "archives"),
                               *map(str, files)], cwd=ROOT / "tests/pyodide", capture_output=True,
                              text=True, check=True)
        wall = time.perf_counter() - t0
    print(f"Pyodide under Node: {proc.stderr.strip().splitlines()[-1]} (wall {wall:.1f} s)")
    print(f"{'framework':24} {'items':>5} {'CPython ms':>11} {'Pyodide ms':>11} {'ratio':>6}")
    for fid, line in zip(builtin_ids(), proc.stdout.splitlines(), strict=True):
        wasm = json.loads(line)["seconds"]
        n = len(builtin(fid).items)
        print(f"{fid:24} {n:5d} {cpython[fid] * 1e3:11.2f} {wasm * 1e3:11.2f} "
              f"{wasm / cpython[fid]:6.2f}")


if __name__ == "__main__":
    main()
