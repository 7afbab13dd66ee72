"""Province outputs: one Excel workbook of every table, the Word ranking report, CSV tables.

- ``tong-hop-tinh.xlsx`` — sheets Xếp hạng, Theo nhóm, Bảng điểm (bodies x domains and
  criteria), Điểm theo mục (bodies x items), Phân bố theo mục, Thẩm định, Thiếu - không hợp
  lệ, Kiểm tra. Written by :mod:`parxl.province.xlsxfast` (sheet XML streamed into the zip):
  millions of cells in seconds. Text from returns is always written as text, never as a formula.
- ``bao-cao-xep-hang.docx`` — the ranking report of :mod:`parxl.report` (template
  ``bao-cao-xep-hang.docx``, editable), from the ranked totals.
- ``xep-hang.csv`` (next year's ``--previous``), ``bang-diem.csv``, ``thieu-loi.csv``.

Same inputs, same bytes (fixed timestamps); every file is written atomically.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
import math
import multiprocessing
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from parxl.framework.model import Framework
from parxl.inputs import csv_text
from parxl.province import xlsxfast as X
from parxl.workbook.save import atomic_write_bytes, remove_temps

XLSX = "tong-hop-tinh.xlsx"
DOCX = "bao-cao-xep-hang.docx"
ITEM_SHEET_MAX_CELLS = 5_000_000  # beyond this the bodies x items table goes to CSV only
ISSUE_ROWS_MAX = 200_000


RANK_LABELS = {
    "rank": "Hạng", "body": "Cơ quan, đơn vị", "group": "Nhóm", "rank_in_group": "Hạng trong nhóm",
    "total": "Tổng điểm", "previous_total": "Tổng điểm năm trước", "score_change": "Tăng/giảm điểm",
    "previous_rank": "Hạng năm trước", "rank_change": "Tăng/giảm hạng", "self_total": "Điểm tự đánh giá",
}
BODY_LABELS = {
    "body": "Cơ quan, đơn vị", "group": "Nhóm", "year": "Năm", "file": "Tệp", "self_total": "Điểm tự đánh giá",
    "total": "Tổng điểm", "index": "Chỉ số CCHC", "base_achieved": "Điểm cơ bản đạt", "deducted": "Điểm bị trừ",
    "open": "Chưa xác định", "bonus": "Điểm thưởng", "penalty": "Điểm trừ", "reachable": "Có thể đạt tối đa",
    "appraised": "Đã thẩm định", "errors": "Số lỗi", "warnings": "Số cảnh báo",
}
GROUP_LABELS = {"group": "Nhóm", "bodies": "Số đơn vị", "average": "Điểm trung bình", "highest": "Cao nhất",
                "lowest": "Thấp nhất", "best": "Đơn vị dẫn đầu"}
DIST_LABELS = {
    "code": "Mã", "name": "Nội dung", "domain": "Lĩnh vực", "scorer": "Đánh giá bởi", "max": "Điểm tối đa",
    "bodies": "Số đơn vị", "exempt": "Không áp dụng", "open": "Chưa xác định / chưa đến hạn",
    "applicable": "Số đơn vị được chấm", "losing": "Số đơn vị bị trừ điểm", "losing_share": "Tỷ lệ đơn vị bị trừ",
    "mean": "Điểm trung bình", "std": "Độ lệch chuẩn", "min": "Thấp nhất", "max_achieved": "Cao nhất",
    "mean_deducted": "Bị trừ trung bình", "total_deducted": "Tổng điểm bị trừ",
    "previous_mean": "Điểm trung bình năm trước", "mean_change": "Tăng/giảm điểm trung bình",
    "previous_losing_share": "Tỷ lệ đơn vị bị trừ năm trước",
}
APPR_LABELS = {
    "body": "Cơ quan, đơn vị", "code": "Mã", "self_status": "Tình trạng tự đánh giá",
    "self_achieved": "Điểm tự đánh giá", "appraised_achieved": "Điểm thẩm định",
    "final_status": "Tình trạng sau thẩm định", "final_achieved": "Điểm cuối cùng", "difference": "Chênh lệch",
    "changes": "Giá trị thay đổi", "note": "Lý do thẩm định", "explanation": "Giải trình của đơn vị",
    "outcome": "Kết quả", "explained": "Đã giải trình", "file": "Tệp",
}
PROBLEM_COLS = {"label": "Vấn đề", "body": "Cơ quan, đơn vị", "file": "Tệp", "reason": "Chi tiết"}
ISSUE_LABELS = {"file": "Tệp", "sheet": "Trang", "cell": "Ô", "item": "Mã mục", "office": "Đơn vị chủ trì",
                "severity": "Mức độ", "message": "Nội dung"}
SCORERS = {"self": "Tự đánh giá", "survey": "Điều tra XHH", "external": "Cấp trên", "bonus": "Thưởng",
           "penalty": "Trừ"}


def _table(name: str, title: str, df: pd.DataFrame, labels: dict[str, str],
           widths: dict[str, float] | None = None, percent: Sequence[str] = (),
           points: Sequence[str] = ()) -> X.Table:
    cols = [c for c in labels if c in df.columns] + [c for c in df.columns if c not in labels]
    widths = widths or {}
    fmts = [X.PERCENT if c in percent else X.POINTS if c in points else X.GENERAL for c in cols]
    return X.Table(name, title, [labels.get(c, str(c)) for c in cols],
                   df[cols].itertuples(index=False, name=None),
                   [widths.get(c, 30 if c in ("body", "name") else 12) for c in cols], fmts)


def write_xlsx(result: Any, path: Path) -> None:
    t: dict[str, pd.DataFrame] = result.tables
    fw: Framework | None = result.framework
    name = fw.name if fw is not None else ""
    rk = t["ranking"]
    if "self_total" in t["bodies"] and t["bodies"].appraised.any():
        rk = rk.merge(t["bodies"][["body", "self_total"]], on="body", how="left")
    pts = ("total", "previous_total", "score_change", "self_total", "base_achieved", "deducted", "open", "bonus",
           "penalty", "reachable", "average", "highest", "lowest")
    sheets = [
        _table("Xếp hạng", f"XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH — {len(rk)} cơ quan, đơn vị", rk, RANK_LABELS,
               points=pts),
        _table("Theo nhóm", "ĐIỂM TRUNG BÌNH THEO NHÓM", t["groups"], GROUP_LABELS, {"best": 30, "group": 20},
               points=pts),
    ]
    wide = t["bodies"].drop(columns=["file"])
    doms: list[str] = []
    if fw is not None:
        doms = [f"LV {d.code}" for d in fw.domains]
        wide = wide.merge(t["domains"].rename(columns={d.code: f"LV {d.code}" for d in fw.domains}), on="body",
                          how="left")
    sheets.append(_table("Bảng điểm", f"BẢNG ĐIỂM THEO LĨNH VỰC — {name}", wide, BODY_LABELS,
                         percent=("index",), points=(*pts, *doms)))
    if fw is not None:
        sheets.append(_table("Điểm theo tiêu chí", "ĐIỂM ĐẠT THEO TIÊU CHÍ (mỗi cột một mã tiêu chí)",
                             t["criteria"], {"body": "Cơ quan, đơn vị"}))
    items = t["items"]
    if items.shape[0] * items.shape[1] <= ITEM_SHEET_MAX_CELLS:
        sheets.append(_table("Điểm theo mục", "ĐIỂM ĐẠT THEO TIÊU CHÍ THÀNH PHẦN (mỗi cột một mã)", items,
                             {"body": "Cơ quan, đơn vị"}))
    dist = _scorers(t["distribution"])
    sheets.append(_table("Phân bố theo mục",
                         "CÁC NỘI DUNG NHIỀU ĐƠN VỊ BỊ TRỪ ĐIỂM NHẤT (điểm trung bình, độ phân tán)", dist,
                         DIST_LABELS, {"name": 50}, percent=("losing_share", "previous_losing_share"),
                         points=("max", "mean", "std", "min", "max_achieved", "mean_deducted", "total_deducted",
                                 "previous_mean", "mean_change")))
    if len(t["appraisal"]):
        sheets.append(_table("Thẩm định", "KẾT QUẢ THẨM ĐỊNH: ĐIỂM TỰ ĐÁNH GIÁ VÀ ĐIỂM THẨM ĐỊNH", t["appraisal"],
                             APPR_LABELS, {"changes": 40, "note": 40, "explanation": 40, "outcome": 22},
                             points=("self_achieved", "appraised_achieved", "final_achieved", "difference")))
    probs = t["problems"].drop(columns=["kind"])
    sheets.append(_table("Thiếu - không hợp lệ",
                         f"ĐƠN VỊ CHƯA GỬI, BIỂU MẪU KHÔNG HỢP LỆ — {len(probs)} trường hợp", probs,
                         PROBLEM_COLS, {"label": 24, "file": 30, "reason": 80}))
    iss = t["issues"]
    title = f"KIỂM TRA BIỂU MẪU — {len(iss)} vấn đề"
    if len(iss) > ISSUE_ROWS_MAX:
        title += f" (hiện {ISSUE_ROWS_MAX} dòng đầu; đủ cả trong du-lieu/van-de.parquet)"
        iss = iss.iloc[:ISSUE_ROWS_MAX]
    sheets.append(_table("Kiểm tra", title, iss, ISSUE_LABELS, {"file": 30, "sheet": 14, "cell": 7, "item": 9,
                                                               "office": 26, "severity": 10, "message": 90}))
    X.write_tables(path, sheets, title=f"Tổng hợp Chỉ số CCHC — {name}")


def _scorers(dist: pd.DataFrame) -> pd.DataFrame:
    """Who scores each item, in Vietnamese ("Tự đánh giá", not "self")."""
    return dist.assign(scorer=lambda d: d.scorer.map(SCORERS).fillna(d.scorer))


def _csv_bytes(df: pd.DataFrame, labels: dict[str, str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = [c for c in labels if c in df.columns] + [c for c in df.columns if c not in labels]
    w.writerow([labels.get(c, c) for c in cols])
    for row in df[cols].itertuples(index=False, name=None):
        w.writerow(["" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                    else ("Có" if v else "Không") if isinstance(v, bool | np.bool_)
                    else (f"{v:.10g}" if isinstance(v, float) else csv_text(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _thin_bodies(result: Any) -> tuple[list[Any], list[Any]]:
    """Report bodies carrying the totals and domain points the ranking report uses."""
    from parxl.report.context import Body
    from parxl.score import GroupScore, Scores

    fw: Framework = result.framework
    t = result.tables
    codes = [d.code for d in fw.domains]
    dom: dict[str, list[Any]] = {b: list(v) for b, v in zip(t["domains"].body, t["domains"][codes].to_numpy().tolist(),
                                                             strict=True)}
    app = t["domain_applicable"].reindex(columns=codes)
    appl: dict[str, list[Any]] = {str(b): list(v) for b, v in zip(app.index, app.to_numpy().tolist(), strict=True)}

    base = GroupScore("", "Điểm cơ bản", fw.base_max)
    no_domains = {d.code: GroupScore(d.code, d.name, d.max) for d in fw.domains}  # last year: totals only

    def scores(total: float, domains: dict[str, GroupScore]) -> Scores:
        return Scores(fw.id, {}, {}, domains, base, {}, 0.0, 0.0, 0.0, 0.0, float(total), float(total), 0.0)

    def domains_of(body: str) -> dict[str, GroupScore]:
        ach, ap = dom.get(body), appl.get(body)
        if ach is None or ap is None:
            return no_domains
        return {d.code: GroupScore(d.code, d.name, d.max, float(ap[j]), float(ach[j]))
                for j, d in enumerate(fw.domains)}

    bodies = [Body(fw, scores(r.total, domains_of(r.body)), {}, r.body, str(r.year or ""), None)
              for r in t["bodies"].itertuples()]
    prev = [Body(fw, scores(r.total, no_domains), {}, r.body, "", None) for r in t["previous_totals"].itertuples()]
    return bodies, prev


def write_docx(result: Any, path: Path, info: Any = None) -> list[str]:
    """The ranking report (parxl.report, kind 'ranking'); returns its warnings."""
    from parxl.report import build_report
    from parxl.report.info import ReportInfo
    from parxl.report.word import render_docx

    bodies, prev = _thin_bodies(result)
    groups = dict(zip(result.tables["bodies"].body, result.tables["bodies"].group, strict=True))
    rk = result.tables["ranking"]
    # last year's ranks as in the Excel table (official ranks where given), not recomputed
    ranks = {str(b): int(r) for b, r in zip(rk.body, rk.previous_rank, strict=True) if not pd.isna(r)}
    report = build_report("ranking", bodies, info=info or ReportInfo(), previous=prev, groups=groups,
                          previous_ranks=ranks)
    atomic_write_bytes(path, render_docx(report))
    return list(report.warnings)


def preload_word() -> threading.Thread:
    """Import the Word report's modules (docxtpl, matplotlib: 0.6 s) in a thread, started while
    the tables are built on one core: the child that writes the report inherits them. Join it
    before :func:`write_all` (a process only forks with no other thread running)."""
    def load() -> None:
        for name in ("parxl.report.api", "parxl.report.word", "parxl.report.charts"):
            with contextlib.suppress(ImportError):  # raised again, and reported, where it is used
                importlib.import_module(name)

    thread = threading.Thread(target=load, name="parxl-preload", daemon=True)
    thread.start()
    return thread


class _Forked:
    """``fn()`` in a forked child while this process goes on (Linux, no other thread running:
    the tables are shared with the child, never pickled); anywhere else it runs at
    :meth:`result`. A child that fails or dies is ignored and ``fn`` runs here instead, so
    its error, if any, is raised as usual. A child killed half-way (or cancelled) leaves no
    temporary file in ``scratch``, where it writes."""

    def __init__(self, fn: Callable[[], Any], scratch: Path) -> None:
        self.fn = fn
        self.scratch = scratch
        self.proc: Any = None
        if sys.platform.startswith("linux") and threading.active_count() == 1:
            ctx = multiprocessing.get_context("fork")
            self.conn, send = ctx.Pipe(duplex=False)

            def child() -> None:
                try:
                    send.send(("ok", fn()))
                except BaseException:
                    send.send(("failed", None))

            self.proc = ctx.Process(target=child, daemon=True)
            self.proc.start()
            send.close()

    def result(self) -> Any:
        if self.proc is None:
            return self.fn()
        try:
            status, value = self.conn.recv()
        except EOFError:  # the child died before it could say
            status, value = "failed", None
        self.proc.join()
        remove_temps(self.scratch, self.proc.pid)
        return value if status == "ok" else self.fn()

    def cancel(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
            remove_temps(self.scratch, self.proc.pid)


def write_all(result: Any, info: Any = None, word: bool = True) -> None:
    """Every output; the Word report is written beside the tables (a second core, where there is one)."""
    out: Path = result.output
    t = result.tables
    report = None
    if word and result.framework is not None and len(t["bodies"]) >= 2:
        report = _Forked(lambda: write_docx(result, out / DOCX, info), out)
    try:
        files = [
            (out / "xep-hang.csv", _csv_bytes(t["ranking"], RANK_LABELS)),
            (out / "bang-diem.csv", _csv_bytes(t["bodies"], BODY_LABELS)),
            (out / "diem-theo-muc.csv", _csv_bytes(t["items"], {"body": "Cơ quan, đơn vị"})),
            (out / "phan-bo-theo-muc.csv", _csv_bytes(_scorers(t["distribution"]), DIST_LABELS)),
            (out / "thieu-loi.csv", _csv_bytes(t["problems"].drop(columns=["kind"]), PROBLEM_COLS)),
            # always written (empty without appraisal): never last run's table beside this run's
            (out / "tham-dinh.csv", _csv_bytes(t["appraisal"], APPR_LABELS)),
        ]
        for p, data in files:
            atomic_write_bytes(p, data)
            result.outputs.append(p)
        write_xlsx(result, out / XLSX)
        result.outputs.append(out / XLSX)
        if report is not None:
            result.warnings.extend(report.result())
            result.outputs.append(out / DOCX)
    except BaseException:
        if report is not None:
            report.cancel()
        raise
    if word and result.framework is not None and len(t["bodies"]) == 1:
        result.warnings.append(f"Chỉ có một cơ quan, đơn vị: không lập {DOCX} (xếp hạng cần ít nhất hai đơn vị).")
    if out / DOCX not in result.outputs and (out / DOCX).is_file():
        result.warnings.append(f"Tệp {DOCX} trong thư mục kết quả là của lần chạy trước (lần này không lập báo cáo "
                               "Word): không khớp với các bảng mới.")
