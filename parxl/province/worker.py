"""The one function every executor runs: a batch of returns -> rows of the province tables.

Reading and checking is :func:`parxl.office.check.process_file` (the bounded, untrusted-file
reader of ``parxl collect``); single-body consolidated workbooks made by ``parxl collect`` are
read with :func:`parxl.workbook.read.read_return`. Scores are :func:`parxl.score.score_values`
of the inputs. The result of a batch is a few plain lists (small, picklable): no workbook
object ever leaves the worker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parxl.errors import ParxlError
from parxl.framework.model import Framework
from parxl.office.check import (
    ERROR,
    KIND_BODY,
    KIND_CONSOLIDATED,
    KIND_OFFICE,
    WARNING,
    process_file,
)
from parxl.office.collect import blank_return, master_template
from parxl.province import appraisal as AP
from parxl.score import Scores, score_values
from parxl.workbook import layout as L
from parxl.workbook.fastread import framework_for
from parxl.workbook.safety import DEFAULT_LIMITS, Limits

OK, INVALID, OFFICE, OTHER = "ok", "invalid", "office", "other"
TEMPLATE = "template"  # the master template: nobody's return
BLANK = "blank"  # a body's workbook sent back with nothing entered: not ranked at 0

FILE_NUMBERS = ("self_total", "total", "index", "base_achieved", "deducted", "open", "bonus", "penalty",
                "reachable")
FILE_COLUMNS = ("file", "status", "kind", "body", "year", "group", "fingerprint", "errors", "warnings",
                "digest", "reason", "appraised", *FILE_NUMBERS)
SCORE_COLUMNS = ("file", "level", "code", "applicable", "achieved", "open", "deducted", "status")
ISSUE_COLUMNS = ("file", "sheet", "cell", "item", "office", "severity", "message")
APPRAISAL_COLUMNS = ("file", "body", "code", "self_status", "self_achieved", "appraised_achieved",
                     "final_status", "final_achieved", "difference", "changes", "note", "explanation",
                     "explained", "outcome")


@dataclass(frozen=True)
class Shared:
    """What every batch needs, sent once per worker process (not once per batch)."""

    limits: Limits = DEFAULT_LIMITS
    appraisal: AP.Appraisal | None = None
    run: str = ""  # one id per run: each worker process sends each framework once per run


@dataclass
class BatchOut:
    files: list[tuple[Any, ...]] = field(default_factory=list)
    # the scores table by column (SCORE_COLUMNS): a body's 150 rows are a few list extends here
    # and no row tuples to take apart in the main process
    scores: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in SCORE_COLUMNS})
    issues: list[tuple[str, ...]] = field(default_factory=list)
    appraisal: list[tuple[Any, ...]] = field(default_factory=list)
    frameworks: dict[str, str] = field(default_factory=dict)  # fingerprint -> framework JSON


_SENT: set[tuple[str, str]] = set()  # (run, fingerprint) this process already sent


def _send(out: BatchOut, fw: Framework, run: str) -> None:
    if (run, fw.fingerprint) not in _SENT:
        _SENT.add((run, fw.fingerprint))
        out.frameworks[fw.fingerprint] = json.dumps(fw.to_dict(), ensure_ascii=False, sort_keys=True)


_SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # fingerprint -> (levels, codes)


def _score_rows(out: BatchOut, file: str, fw: Framework, s: Scores) -> None:
    """A body's rows of the scores table: its domains, criteria, then items."""
    shape = _SHAPES.get(fw.fingerprint)
    if shape is None:
        shape = _SHAPES[fw.fingerprint] = (
            ("domain",) * len(fw.domains) + ("criterion",) * len(fw.criteria) + ("item",) * len(fw.items),
            tuple(d.code for d in fw.domains) + tuple(c.code for c in fw.criteria) + tuple(i.code for i in fw.items))
    levels, codes = shape
    items = [s.items[i.code] for i in fw.items]
    parts: list[Any] = [s.domains[d.code] for d in fw.domains]
    parts += [s.criteria[c.code] for c in fw.criteria]
    groups = len(parts)
    parts += items
    cols = out.scores
    cols["file"] += [file] * len(parts)
    cols["level"] += levels
    cols["code"] += codes
    cols["applicable"] += [g.applicable for g in parts]
    cols["achieved"] += [g.achieved for g in parts]
    cols["open"] += [g.open for g in parts]
    cols["deducted"] += [g.deducted for g in parts]
    cols["status"] += [""] * groups
    cols["status"] += [i.status for i in items]


def _numbers(s: Scores) -> dict[str, float]:
    return {
        "total": round(s.total, 9), "index": round(s.index, 9), "base_achieved": round(s.base.achieved, 9),
        "deducted": round(s.base.deducted, 9), "open": round(s.base.open, 9), "bonus": round(s.bonus, 9),
        "penalty": round(s.penalty, 9), "reachable": round(s.reachable, 9),
    }


def _file_row(file: str, status: str, *, kind: str = "", body: str = "", year: str = "", group: str = "",
              fingerprint: str = "", errors: int = 0, warnings: int = 0, digest: str = "", reason: str = "",
              appraised: bool = False, self_total: float | None = None,
              numbers: dict[str, float] | None = None) -> tuple[Any, ...]:
    nums = numbers or {}
    return (file, status, kind, body, year, group, fingerprint, errors, warnings, digest, reason, appraised,
            self_total, *(nums.get(k) for k in FILE_NUMBERS[1:]))


def _consolidated(path: Path, rel: str) -> tuple[Framework, dict[str, str], dict[tuple[str, str], Any], str, str]:
    from parxl.workbook.read import read_return

    ret = read_return(path)
    return ret.framework, ret.meta, dict(ret.values), ret.body.strip(), ret.year.strip()


def process_batch(batch: list[tuple[str, str]], shared: Shared) -> BatchOut:
    """Read, check and score every ``(path, display name)`` of a batch."""
    out = BatchOut()
    for path, rel in batch:
        try:
            _one(out, Path(path), rel, shared)
        except Exception as exc:  # a bad file never stops the batch
            out.files.append(_file_row(rel, INVALID, errors=1,
                                       reason=f"không đọc được tệp ({type(exc).__name__})"))
            out.issues.append((rel, "", "", "", "", ERROR,
                               f"không đọc được tệp ({type(exc).__name__}) — tệp hỏng hoặc sai định dạng"))
    return out


def _one(out: BatchOut, path: Path, rel: str, shared: Shared) -> None:
    p = process_file(path, rel, shared.limits, body_cells=False, keep_scores=True)
    issues = [(i.file, i.sheet, i.cell, i.item, i.office, i.severity, i.message) for i in p.issues]
    meta = p.meta
    if p.kind == KIND_CONSOLIDATED:
        try:
            fw, meta, values, body, year = _consolidated(path, rel)
        except ParxlError as exc:
            out.issues.extend(issues)
            out.issues.append((rel, exc.where.sheet, exc.where.cell, "", "", ERROR, exc.message))
            out.files.append(_file_row(rel, INVALID, kind=KIND_CONSOLIDATED, errors=1, reason=exc.message))
            return
        body = body or meta.get("body", "")
    elif not p.ok:
        out.issues.extend(issues)
        reason = next((i[6] for i in issues if i[5] == ERROR), "tệp không dùng được")
        # a tampered '_parxl' sheet still says whose the file is: that body sent something
        body = " ".join((p.body or meta.get("body", "")).split())
        out.files.append(_file_row(rel, INVALID, kind=p.kind, body=body, fingerprint=p.fingerprint,
                                   errors=sum(1 for i in issues if i[5] == ERROR), reason=reason))
        return
    elif p.kind == KIND_OFFICE:
        out.issues.extend(issues)
        msg = (f"biểu mẫu của đơn vị chủ trì '{p.office}' (một phần của '{p.body}') — tổng hợp các biểu mẫu "
               "này bằng 'parxl collect' trước, rồi đưa tệp tổng hợp vào thư mục")
        out.issues.append((rel, L.META, "", "", p.office, ERROR, msg))
        out.files.append(_file_row(rel, OFFICE, kind=KIND_OFFICE, body=p.body, fingerprint=p.fingerprint,
                                   errors=1, reason=msg))
        return
    else:
        fw = framework_for(p.fw_key, None, rel)
        values, body, year = p.values, p.body or meta.get("body", ""), p.year
    _send(out, fw, shared.run)
    if p.kind != KIND_CONSOLIDATED and (template := master_template(p)) is not None:
        issues.append((rel, template.sheet, template.cell, "", "", template.severity, template.message))
        out.issues.extend(issues)
        out.files.append(_file_row(rel, TEMPLATE, kind=p.kind, fingerprint=fw.fingerprint,
                                   errors=sum(1 for i in issues if i[5] == ERROR),
                                   warnings=sum(1 for i in issues if i[5] == WARNING), reason=template.message))
        return
    body = " ".join(body.split()) or Path(rel).stem
    if meta.get("template_version") != str(L.TEMPLATE_VERSION):
        msg = (f"biểu mẫu phiên bản {meta.get('template_version') or '?'}, parxl này dùng phiên bản "
               f"{L.TEMPLATE_VERSION} — đề nghị điền lại trên biểu mẫu phát hành mới")
        out.issues.extend(issues)
        out.issues.append((rel, L.META, "", "", "", ERROR, msg))
        out.files.append(_file_row(rel, INVALID, kind=p.kind or KIND_BODY, body=body,
                                   fingerprint=fw.fingerprint, errors=1, reason=msg))
        return
    if p.kind != KIND_CONSOLIDATED and (blank := blank_return(p, body)) is not None:
        issues.append((rel, blank.sheet, blank.cell, "", "", blank.severity, blank.message))
        out.issues.extend(issues)
        out.files.append(_file_row(rel, BLANK, kind=p.kind or KIND_BODY, body=body, year=year or meta.get("year", ""),
                                   fingerprint=fw.fingerprint, warnings=sum(1 for i in issues if i[5] == WARNING),
                                   digest=p.digest, reason=blank.message))
        return
    # the return's own findings; a wrong appraisal line is the appraisal file's, not the return's
    errors = sum(1 for i in issues if i[5] == ERROR)
    warnings = sum(1 for i in issues if i[5] == WARNING)
    # the checker scored a body return already
    own = p.scores if p.scores is not None and p.kind != KIND_CONSOLIDATED else score_values(fw, values)
    final = own
    entries = shared.appraisal.for_body(body) if shared.appraisal is not None else []
    if entries:
        applied = AP.apply(fw, values, own, entries)
        final = applied.final
        src = shared.appraisal.source if shared.appraisal is not None else ""
        for code, msg in applied.problems:
            issues.append((src, "", "", code, "", ERROR, f"thẩm định '{body}': {msg}"))
        for r in applied.rows:
            out.appraisal.append((rel, body, *(r[k] for k in APPRAISAL_COLUMNS[2:])))
    out.issues.extend(issues)
    out.files.append(_file_row(
        rel, OK, kind=p.kind or KIND_BODY, body=body, year=year or meta.get("year", ""),
        group=meta.get("group", "").strip(), fingerprint=fw.fingerprint, errors=errors, warnings=warnings,
        digest=p.digest, appraised=bool(entries), self_total=round(own.total, 9), numbers=_numbers(final)))
    _score_rows(out, rel, fw, final)
