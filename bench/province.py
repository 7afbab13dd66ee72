"""Benchmark: a whole province — N synthetic returns -> collect, check, score, rank, write outputs.

    python bench/province.py                    # 10,000 returns (generated once, then reused)
    python bench/province.py --n 3000 --sample 200
    python bench/province.py --no-dask          # skip the Dask LocalCluster run

Returns come from ``parxl.province.make_province`` (built-in framework dongthap-huyen-2023,
100 items on 8 domain sheets; varied scores, exempt items, a few invalid files) and are written
once into $PARXL_BENCH_DATA (default /tmp/parxl-bench-province). Each run happens in a fresh
child process; the parent samples the memory of the child and all its descendants (worker
processes, Dask nanny and workers, the forked Word-report writer) and reports the peak of the
sum of their proportional set sizes (PSS: a page that forked processes share is split between
them, not counted once in each), read every second, and the peak RSS sum (which counts a shared
page in each process), read every 0.1 s. Reading PSS is not free (the kernel walks every page):
four reads a second slowed the 10,000-return run by ~1.7 s.

Runs, all on the same files, in this order:

* parxl province, local processes (``--workers``, default all CPUs): read with the bounded
  untrusted-file reader, check every value, score, stream to Parquet, rank, distributions,
  Excel workbook (all tables) and the Word ranking report;
* parxl province on a Dask ``LocalCluster`` (same number of worker processes, one thread each):
  the same pipeline through ``dask.distributed.Client``; cluster start-up reported apart;
* the named peer, "naive pandas + openpyxl": what a capable analyst would write — openpyxl
  (read-only) reads each workbook's input cells by fixed position, ``parxl.score.score_values``
  scores (so the work is the same), one list of dicts in memory, pandas ranks and writes the
  Excel table with ``DataFrame.to_excel``; single process, run on ``--sample`` files and
  extrapolated (it is two orders of magnitude slower).

Printed: seconds, files/second, peak memory, and ratios. Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("PARXL_BENCH_DATA", Path(tempfile.gettempdir()) / "parxl-bench-province"))


def generate(n: int) -> Path:
    root = DATA / f"province-{n}"
    if (root / ".done").exists():
        return root
    from parxl.province import make_province

    t = time.perf_counter()
    make_province(root, n)
    (root / ".done").write_text("ok")
    print(f"generated {n} returns in {time.perf_counter() - t:.0f} s -> {root}", flush=True)
    return root


# ------------------------------------------------------------------ children (one run each)

def child_local(root: Path, out: Path, workers: int) -> dict[str, Any]:
    from parxl.province import province

    t = time.perf_counter()
    r = province(root / "tra-ve", out, bodies=root / "don-vi.csv", appraisal=root / "tham-dinh.csv",
                 workers=workers)
    return {"seconds": time.perf_counter() - t, "files": r.files, "bodies": len(r.bodies),
            "executor": r.executor}


def child_dask(root: Path, out: Path, workers: int) -> dict[str, Any]:
    from dask.distributed import Client, LocalCluster

    from parxl.province import province

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster, \
            Client(cluster) as client:  # type: ignore[no-untyped-call]
        t1 = time.perf_counter()
        r = province(root / "tra-ve", out, bodies=root / "don-vi.csv", appraisal=root / "tham-dinh.csv",
                     client=client)
        t2 = time.perf_counter()
    return {"seconds": t2 - t1, "startup": t1 - t0, "files": r.files, "bodies": len(r.bodies),
            "executor": r.executor}


def _naive_read(path: Path, fws: dict[str, Any]) -> tuple[str, Any, dict[tuple[str, str], Any]]:
    import openpyxl

    from parxl.framework.load import from_dict

    wb = openpyxl.load_workbook(path, read_only=True)
    meta: dict[str, str] = {}
    fw_text = []
    for a, b in wb["_parxl"].iter_rows(min_col=1, max_col=2, values_only=True):
        if a == "framework_json":
            fw_text.append(str(b))
        elif a:
            meta[str(a)] = "" if b is None else str(b)
    fp = meta["fingerprint"]
    if fp not in fws:
        fws[fp] = from_dict(json.loads("".join(fw_text)), str(path))
    fw = fws[fp]
    values: dict[tuple[str, str], Any] = {}
    for ws in wb.worksheets:
        if not (ws.title.startswith("Lĩnh vực") or ws.title == "Thưởng - Trừ"):
            continue
        for row in ws.iter_rows(min_row=5, max_col=11, values_only=True):
            item = fw.item_index.get(str(row[0]).strip()) if row and row[0] is not None else None
            if item is None:
                continue
            slots = {f.slot: f.name for f in item.rule.fields()}
            for col, name in ((6, "status"), (7, slots.get(1)), (8, slots.get(2)), (9, "evidence"),
                              (10, "explanation")):
                if name and row[col] not in (None, ""):
                    values[(item.code, name)] = row[col]
    wb.close()
    return meta.get("body", path.stem), fw, values


def child_naive(root: Path, out: Path, sample: int) -> dict[str, Any]:
    import pandas as pd

    from parxl.score import score_values

    files = sorted((root / "tra-ve").rglob("*.xlsx"))
    step = max(1, len(files) // sample)
    files = files[::step][:sample]
    t = time.perf_counter()
    fws: dict[str, Any] = {}
    rows = []
    for f in files:
        try:
            body, fw, values = _naive_read(f, fws)
        except Exception:  # the naive script skips what it cannot open
            continue
        s = score_values(fw, values)
        row: dict[str, Any] = {"body": body, "file": str(f), "total": s.total}
        row.update({f"LV {c}": g.achieved for c, g in s.domains.items()})
        row.update({c: i.achieved for c, i in s.items.items()})
        rows.append(row)
    df = pd.DataFrame(rows)
    df["rank"] = df.total.round(2).rank(method="min", ascending=False).astype(int)
    df = df.sort_values("rank")
    out.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out / "naive.xlsx", engine="openpyxl") as xw:
        df.to_excel(xw, sheet_name="Xep hang", index=False)
        df.drop(columns=["file"]).describe().T.to_excel(xw, sheet_name="Phan bo")
    return {"seconds": time.perf_counter() - t, "files": len(files), "bodies": len(df), "executor": "naive"}


# ------------------------------------------------------------------ parent: run + sample memory

def _tree_memory(pid: int, with_pss: bool) -> tuple[int, int]:
    """(RSS, PSS) summed over a process and its descendants (PSS 0 unless ``with_pss``). PSS
    counts a page shared by n processes (a forked worker or child and its parent) as 1/n in
    each: the memory the tree really holds. The RSS sum counts shared pages once per process."""
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    rss = pss = 0
    for q in procs:
        with contextlib.suppress(psutil.Error):
            if with_pss:
                m = q.memory_full_info()
                rss += m.rss
                pss += getattr(m, "pss", m.rss)
            else:
                rss += q.memory_info().rss
    return rss, pss


def run_child(kind: str, *args: str) -> dict[str, Any]:
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, *args], stdout=subprocess.PIPE,
                            text=True)
    peak = peak_rss = 0
    stop = threading.Event()

    def sample() -> None:
        # RSS (cheap) every 0.1 s, PSS every second: reading PSS walks every page of every
        # process in the kernel; at four reads a second it cost the run ~1.7 s of its 2 cores
        nonlocal peak, peak_rss
        tick = 0
        while not stop.is_set():
            rss, pss = _tree_memory(proc.pid, with_pss=tick % 10 == 0)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            tick += 1
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed ({proc.returncode})")
    res: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    res["peak_mb"] = peak / 2**20
    res["peak_rss_mb"] = peak_rss / 2**20
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000, help="number of returns")
    ap.add_argument("--sample", type=int, default=200, help="files for the naive peer")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        root, out, extra = Path(a.args[0]), Path(a.args[1]), int(a.args[2])
        fn = {"local": child_local, "dask": child_dask, "naive": child_naive}[a.child]
        res = fn(root, out, extra)
        import resource

        cpu = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            ru = resource.getrusage(who)
            cpu += ru.ru_utime + ru.ru_stime
        res["cpu"] = cpu  # this process and every worker it waited for (robust under load)
        print(json.dumps(res))
        return
    root = generate(a.n)
    if a.generate_only:
        return
    import platform

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"parxl province benchmark — {a.n} returns, {os.cpu_count()} CPU(s), {a.workers} workers, "
          f"Python {platform.python_version()}, load average {load:.1f} at start")
    out = DATA / "out"
    local = run_child("local", str(root), str(out / "local"), str(a.workers))
    rate = local["files"] / local["seconds"]
    print(f"local processes : {local['seconds']:7.1f} s  {rate:7.0f} files/s  peak {local['peak_mb']:6.0f} MB PSS "
          f"({local['peak_rss_mb']:.0f} MB RSS)  {local['cpu']:6.0f} CPU-s ({local['files']} files, {local['bodies']} bodies ranked)", flush=True)
    if not a.no_dask:
        dk = run_child("dask", str(root), str(out / "dask"), str(a.workers))
        print(f"Dask LocalCluster: {dk['seconds']:7.1f} s  {dk['files'] / dk['seconds']:7.0f} files/s  peak "
              f"{dk['peak_mb']:6.0f} MB PSS ({dk['peak_rss_mb']:.0f} MB RSS)  (+{dk['startup']:.1f} s cluster start) = "
              f"{dk['seconds'] / local['seconds']:.2f}x the local run", flush=True)
    naive = run_child("naive", str(root), str(out / "naive"), str(a.sample))
    nrate = naive["files"] / naive["seconds"]
    print(f"naive pandas+openpyxl: {nrate:7.1f} files/s on {naive['files']} files, peak {naive['peak_mb']:.0f} MB "
          f"-> {a.n / nrate:.0f} s projected for {a.n}")
    cpu_rate, ncpu_rate = local["files"] / local["cpu"], naive["files"] / naive["cpu"]
    print(f"files per CPU-second: parxl {cpu_rate:.0f}, naive {ncpu_rate:.1f} (= {cpu_rate / ncpu_rate:.1f}x); "
          f"on {a.workers} idle cores parxl would take ~{local['cpu'] / a.workers:.0f} s")
    print(f"parxl province = {rate / nrate:.0f}x the naive script's files/s; total {local['seconds']:.1f} s "
          f"(target < 30 s), peak {local['peak_mb'] / 1024:.2f} GiB PSS (target < 1 GiB)")


if __name__ == "__main__":
    main()
