"""Synthetic province data: thousands of realistic returns to try ``parxl province`` on.

``make_province(out, bodies=3000)`` writes::

    out/tra-ve/<group>/<body>.xlsx   body returns (built-in framework, filled like Excel saves)
    out/don-vi.csv                   every body: group, last year's total and rank
    out/tham-dinh.csv                appraised values for some bodies, with an explanation round

Bodies differ in quality (scores spread from about 55 to 98 points), some items are exempt
("Không áp dụng"), some survey items are still open, and a few files are wrong on purpose: a
corrupt file, one whose hidden framework was edited, one with a typo in a rate, a duplicate, a
few bodies that never sent a return. Everything is deterministic in ``seed``: the same
arguments give the same bytes. Returns are written by patching the cells of one template
(:mod:`parxl.office.synth`), as fast as the disk allows.
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parxl.framework import builtin
from parxl.framework.model import Framework
from parxl.office.check import KIND_BODY
from parxl.office.distribute import return_id, safe_file_name
from parxl.rules.base import AMOUNT, COUNT, RATE, YESNO
from parxl.score import KHONG_AP_DUNG
from parxl.workbook import layout as L
from parxl.workbook.save import atomic_write_bytes

RETURNS = "tra-ve"
GROUPS = (("Sở, ban, ngành", "Sở", 0.01), ("Huyện", "Huyện", 0.02), ("Thị xã", "Thị xã", 0.01),
          ("Xã", "Xã", 0.82), ("Phường", "Phường", 0.14))
_PLACEHOLDER = "\u2060PARXL-{}\u2060"


@dataclass(frozen=True)
class Spec:
    framework: str
    year: str
    seed: int
    template: bytes
    refs: dict[tuple[str, str], tuple[str, str]]  # (code, field) -> (sheet, cell)
    meta_refs: dict[str, tuple[str, str]]  # meta key -> (sheet, cell)


def body_names(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` distinct (body, group) pairs: a few departments and districts, mostly communes."""
    rnd = random.Random(seed)
    out: list[tuple[str, str]] = []
    counts = {g: max(1, round(n * share)) for g, _p, share in GROUPS}
    counts["Xã"] += n - sum(counts.values())
    for group, prefix, _share in GROUPS:
        for i in range(1, counts[group] + 1):
            if group == "Sở, ban, ngành":
                out.append((f"Sở số {i:02d}", group))
            else:
                out.append((f"{prefix} số {i:05d}" if group in ("Xã", "Phường") else f"{prefix} số {i:03d}", group))
    rnd.shuffle(out)
    return out[:n]


def _template(fw: Framework, year: str) -> tuple[bytes, dict[str, tuple[str, str]]]:
    """One body template with placeholders in its metadata, and where those cells are."""
    from parxl.workbook.build import build_workbook
    from parxl.workbook.fastread import iter_cells, package_of
    from parxl.workbook.save import normalized_xlsx_bytes

    keys = ("body", "group", "return_id")
    meta = {"kind": KIND_BODY, "year": year, **{k: _PLACEHOLDER.format(k) for k in keys}}
    wb = build_workbook(fw, meta=meta)
    wb[L.SUMMARY]["C3"] = year
    buf = io.BytesIO()
    wb.save(buf)
    raw = normalized_xlsx_bytes(buf.getvalue())
    import zipfile

    pkg = package_of(zipfile.ZipFile(io.BytesIO(raw)), Path("<template>"))
    refs: dict[str, tuple[str, str]] = {}
    rows: dict[int, dict[str, Any]] = {}
    from parxl.workbook.fastread import cell_value

    for col, r, attrs, inner in iter_cells(pkg.sheet(L.META)):
        rows.setdefault(r, {})[col] = cell_value(attrs, inner, pkg.sst).value
    for r, cells in rows.items():
        if cells.get("A") in keys:
            refs[str(cells["A"])] = (L.META, f"B{r}")
    pkg.zf.close()
    refs["summary_body"] = (L.SUMMARY, "C2")
    return raw, refs


def _spec(framework: str, year: str, seed: int) -> Spec:
    from parxl.office.synth import value_cells

    fw = builtin(framework)
    raw, meta_refs = _template(fw, year)
    keys = [(i.code, f.name) for i in fw.items for f in i.rule.fields()]
    keys += [(i.code, k) for i in fw.items for k in ("status", "evidence", "explanation")]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp) / "t.xlsx"
        t.write_bytes(raw)
        cells = value_cells(t, dict.fromkeys(keys, 0))
    refs = dict(zip(keys, cells, strict=True))
    return Spec(framework, year, seed, raw, refs, meta_refs)


def body_values(fw: Framework, quality: float, rnd: random.Random) -> dict[tuple[str, str], Any]:
    """Inputs of one body of a given quality (0..1): better bodies meet more items."""
    out: dict[tuple[str, str], Any] = {}
    for item in fw.items:
        if item.scorer == "survey" and rnd.random() < 0.4:
            continue  # survey result not yet known: stays open
        if item.scorer in ("self", "external") and rnd.random() < 0.03:
            out[(item.code, "status")] = KHONG_AP_DUNG
            out[(item.code, "explanation")] = "Không phát sinh trong năm đánh giá"
            continue
        good = rnd.random() < quality
        for f in item.rule.fields():
            key = (item.code, f.name)
            if f.type == RATE:
                full = rnd.random() < 0.6
                out[key] = (1.0 if full else round(rnd.uniform(0.9, 1.0), 4)) if good else round(rnd.uniform(0.5, 0.92), 4)
            elif f.type == YESNO:
                out[key] = "Có" if good else "Không"
            elif f.type in (COUNT, AMOUNT):
                if f.name == "denominator":
                    out[key] = rnd.randint(50, 3000)
                elif f.name != "numerator":
                    lo = 0 if item.scorer == "penalty" else 1
                    out[key] = (0 if item.scorer == "penalty" else rnd.randint(lo, 5)) if good else rnd.randint(0, 2)
            else:
                out[key] = round(item.max if good else rnd.uniform(0, item.max), 2)
        if (item.code, "denominator") in out:
            den = int(out[(item.code, "denominator")])
            share = (1.0 if rnd.random() < 0.6 else rnd.uniform(0.95, 1.0)) if good else rnd.uniform(0.6, 0.95)
            out[(item.code, "numerator")] = int(den * share)
        if item.evidence:
            out[(item.code, "evidence")] = f"Văn bản số {rnd.randint(1, 999)}/UBND-VP ngày {rnd.randint(1, 28)}/3"
        if not good:
            out[(item.code, "explanation")] = "Một số nhiệm vụ còn chậm; sẽ khắc phục trong năm tới"
    return out


def _quality(seed: int, index: int) -> float:
    rnd = random.Random(f"{seed}:q:{index}")
    return min(0.99, max(0.35, rnd.betavariate(6, 1.6)))


_SPEC: Spec | None = None
_FW: dict[str, Framework] = {}


def _builtin(fid: str) -> Framework:
    fw = _FW.get(fid)
    if fw is None:
        fw = _FW[fid] = builtin(fid)
    return fw


def _write_one(args: tuple[Spec | None, int, str, str, str]) -> None:
    from parxl.office.synth import patch_bytes

    global _SPEC
    spec_arg, i, body, group, path = args
    if spec_arg is not None:
        _SPEC = spec_arg
    spec = _SPEC
    assert spec is not None
    fw = _builtin(spec.framework)
    rnd = random.Random(f"{spec.seed}:v:{i}")
    vals = body_values(fw, _quality(spec.seed, i), rnd)
    cells: dict[tuple[str, str], Any] = {spec.refs[k]: v for k, v in vals.items()}
    cells[spec.meta_refs["body"]] = body
    cells[spec.meta_refs["summary_body"]] = body
    cells[spec.meta_refs["group"]] = group
    cells[spec.meta_refs["return_id"]] = return_id(fw, KIND_BODY, body, "")
    atomic_write_bytes(path, patch_bytes(spec.template, cells))


def _init(spec: Spec) -> None:
    global _SPEC
    _SPEC = spec


def make_province(out: str | Path, bodies: int = 3000, *, framework: str = "dongthap-huyen-2023",
                  year: str = "2024", seed: int = 1, workers: int | None = None, bad: bool = True,
                  progress: Callable[[int, int], None] | None = None) -> Path:
    """Write a synthetic province under ``out`` (see the module docstring); returns ``out``."""
    root = Path(out)
    fw = builtin(framework)
    spec = _spec(framework, year, seed)
    names = body_names(bodies, seed)
    rnd = random.Random(f"{seed}:plan")
    n_missing = min(len(names) // 200 + (1 if bad and len(names) >= 20 else 0), len(names) // 10) if bad else 0
    missing = set(rnd.sample(range(len(names)), n_missing)) if n_missing else set()
    jobs: list[tuple[int, str, str, str]] = []
    for i, (body, group) in enumerate(names):
        if i in missing:
            continue
        path = root / RETURNS / safe_file_name(group) / f"{safe_file_name(body)}.xlsx"
        jobs.append((i, body, group, str(path)))
    procs = workers if workers is not None else (os.cpu_count() or 1)
    done = 0
    if procs > 1 and len(jobs) > 100:
        with ProcessPoolExecutor(procs, initializer=_init, initargs=(spec,)) as ex:
            for _ in ex.map(_write_one, [(None, *j) for j in jobs], chunksize=32):
                done += 1
                if progress and done % 50 == 0:
                    progress(done, len(jobs))
    else:
        for j in jobs:
            _write_one((spec, *j))
            done += 1
            if progress and done % 50 == 0:
                progress(done, len(jobs))
    if progress:
        progress(len(jobs), len(jobs))
    if bad and jobs:
        _bad_files(root, spec, fw, jobs, rnd)
    _roster(root, names, seed)
    _appraisal(root, fw, names, missing, seed)
    return root


def _bad_files(root: Path, spec: Spec, fw: Framework, jobs: list[tuple[int, str, str, str]],
               rnd: random.Random) -> None:
    from parxl.office.synth import patch_cells

    bad = root / RETURNS / "loi"
    bad.mkdir(parents=True, exist_ok=True)
    # a file that is not a workbook at all, saved with an .xlsx name
    atomic_write_bytes(bad / "bao cao (ban word).xlsx", b"PK\x03\x04 not really a zip file")
    # a copy whose hidden framework was edited (fingerprint no longer matches)
    body, path = jobs[0][1], jobs[0][3]
    text = Path(path).read_bytes()
    from parxl.office.synth import patch_bytes

    atomic_write_bytes(bad / f"{safe_file_name(body)} - sua bo tieu chi.xlsx",
                       patch_bytes(text, {(L.META, "B6"): "0000000000000000"}))
    # a duplicate: the same return sent twice under another name
    atomic_write_bytes(bad / f"{safe_file_name(jobs[1][1])} (gui lai).xlsx", Path(jobs[1][3]).read_bytes())
    # a typo in a rate: "9,5" typed instead of "95%" (reported, the field is not scored)
    rate = next(((i.code, f.name) for i in fw.items for f in i.rule.fields() if f.type == RATE), None)
    if rate is not None and len(jobs) > 2:
        patch_cells(jobs[2][3], jobs[2][3], {spec.refs[rate]: "9,5 phần trăm"})


def _roster(root: Path, names: list[tuple[str, str]], seed: int) -> None:
    rnd = random.Random(f"{seed}:prev")
    totals = []
    for i, (body, _group) in enumerate(names):
        q = _quality(seed, i)
        totals.append((body, round(min(99.5, max(40.0, 45 + 50 * q + rnd.uniform(-6, 6))), 2)))
    order = sorted(totals, key=lambda x: -x[1])
    ranks: dict[str, int] = {}
    first: dict[float, int] = {}
    for pos, (b, t) in enumerate(order, start=1):
        first.setdefault(t, pos)
        ranks[b] = first[t]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Cơ quan, đơn vị", "Nhóm", "Tổng điểm năm trước", "Hạng năm trước"])
    for (body, group), (_b, t) in zip(names, totals, strict=True):
        w.writerow([body, group, f"{t:.2f}".replace(".", ","), ranks[body]])
    atomic_write_bytes(root / "don-vi.csv", ("\ufeff" + buf.getvalue()).encode("utf-8"))


def _appraisal(root: Path, fw: Framework, names: list[tuple[str, str]], missing: set[int], seed: int) -> None:
    """Appraised values for about 5% of the bodies; a third of them explained (round 2)."""
    rnd = random.Random(f"{seed}:appraisal")
    yesno = [i for i in fw.items if i.scorer == "self" and any(f.type == YESNO for f in i.rule.fields())]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["body", "code", "field", "value", "round", "note", "explanation"])
    picked = [i for i in range(len(names)) if i not in missing and rnd.random() < 0.05]
    for i in picked:
        body = names[i][0]
        # the items this body answered (not those it marked 'Không áp dụng': nothing to appraise)
        vals = body_values(fw, _quality(seed, i), random.Random(f"{seed}:v:{i}"))
        answered = [it for it in yesno if vals.get((it.code, "status")) != KHONG_AP_DUNG]
        for item in rnd.sample(answered, min(2, len(answered))):
            fld = next(f.name for f in item.rule.fields() if f.type == YESNO)
            w.writerow([body, item.code, fld, "Không", 1, "Tài liệu kiểm chứng không chứng minh được kết quả", ""])
            if rnd.random() < 0.35:
                accept = rnd.random() < 0.6
                w.writerow([body, item.code, fld, "Có" if accept else "Không", 2,
                            "Chấp nhận giải trình" if accept else "Không chấp nhận giải trình",
                            "Đơn vị đã bổ sung văn bản chứng minh"])
    atomic_write_bytes(root / "tham-dinh.csv", ("\ufeff" + buf.getvalue()).encode("utf-8"))
