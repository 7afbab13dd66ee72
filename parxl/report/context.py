"""What each document says: template contexts built from the analysis (no files read here).

Every number in a sentence is formatted the Vietnamese way (``93,23 điểm``, ``22,16%``) and
comes from :mod:`parxl.analysis`; nothing is typed twice, so the tables and the sentences
agree. A context is a plain dict (strings, lists of dicts) plus PNG charts, so an organisation
restyling the Word template can use any of its keys.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from parxl import analysis as A
from parxl.analysis.frames import clean
from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.numbers import format_vn_number
from parxl.report import charts
from parxl.report.info import ReportInfo
from parxl.report.vn import (
    NBSP,
    change_text,
    count2,
    date_line,
    date_short,
    header_name,
    in_sentence,
    pct,
    pts,
    ratio,
    shares_rounding_note,
)
from parxl.score import CHUA_DEN_HAN, DAT, KHONG_AP_DUNG, Scores
from parxl.workbook.layout import EXEMPT

Context = dict[str, Any]
SCORER_LABELS = {"self": "tự đánh giá", "survey": "điều tra xã hội học", "external": "cấp trên đánh giá"}


@dataclass
class Body:
    """One scored body: what a report needs from a workbook (read elsewhere)."""

    framework: Framework
    scores: Scores
    values: dict[tuple[str, str], Any]
    name: str
    year: str
    path: Path | None = None
    missing_offices: dict[str, str] = field(default_factory=dict)  # collect: office -> unusable file sent
    office: str = ""  # the responsible office whose copy the workbook is (only its items filled in)


@dataclass
class Report:
    """A built document: its context, its charts (PNG bytes) and warnings for the user."""

    kind: str
    context: Context
    charts: dict[str, bytes | None]
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


# ---------------------------------------------------------------- shared pieces
def _header(kind: str, info: ReportInfo, year: str) -> Context:
    if info.issuer:
        head_parent, head_issuer = info.parent, info.issuer
    else:
        head_parent, head_issuer = "", info.parent
    line = date_line(info.place, info.date, info.date.year if info.date else _issue_year(kind, year))
    head, _, last = line.rpartition(" ")
    return {
        "head_parent": header_name(head_parent),
        "head_issuer": header_name(head_issuer),
        "number_line": info.number_line,
        "date_line": f"{head}{NBSP}{last}" if head else line,  # the year never alone on a line
        "signer_authority": info.signer_authority,
        "signer_title": info.signer_title,
        "signer_name": info.signer_name,
        "recipients": [r.rstrip(";.") + ";" for r in info.recipients[:-1]]
        + [info.recipients[-1].rstrip(";.") + "."] if info.recipients else [],
        "notes": [],
    }


def _issue_year(kind: str, year: str) -> str:
    """The year a document is issued in when no date is given: the directive on deducted points
    and the ranking follow the publication of the results, in the next year."""
    return _plus_one(year) if kind in ("remedy", "ranking") and year.isdigit() else year


def domain_rows(fw: Framework, s: Scores) -> tuple[list[Context], Context]:
    """Rows of the domains table and its total row."""
    total_deducted = s.base.deducted
    rows = []
    for i, d in enumerate(fw.domains, start=1):
        g = s.domains[d.code]
        exempt = g.applicable == 0
        rows.append({
            "stt": str(i),
            "code": d.code,
            "name": d.name,
            "max": pts(g.applicable) if not exempt else EXEMPT,
            "achieved": pts(g.achieved),
            "deducted": pts(g.deducted),
            "share": pct(g.share) if total_deducted > 0 else "-",
            "open": pts(g.open),
            "index": pct(g.index) if not exempt else "Không áp dụng",
        })
    b = s.base
    total = {
        "max": pts(b.applicable),
        "achieved": pts(b.achieved),
        "deducted": pts(b.deducted),
        "share": "100%" if total_deducted > 0 else "-",
        "open": pts(b.open),
        "index": pct(b.index),
    }
    return rows, total


def _shares_note(rows: list[Context]) -> list[str]:
    """The note under the domains table whose shares, as printed, add up to 100,01 %."""
    note = shares_rounding_note([r["share"] for r in rows])
    return [note] if note else []


def _exempt_notes(fw: Framework, s: Scores) -> list[str]:
    notes = []
    for d in fw.domains:
        g = s.domains[d.code]
        if g.applicable == 0 and d.max > 0:
            notes.append(f"Lĩnh vực {d.code} - {d.name} không áp dụng đối với đơn vị (được miễn "
                         f"{pts(d.max)} điểm).")
        elif 0 < g.applicable < d.max:
            notes.append(f"Lĩnh vực {d.code}: có tiêu chí thành phần không áp dụng; điểm tối đa áp dụng "
                         f"{pts(g.applicable)}/{pts(d.max)} điểm.")
    if notes:  # the index is the total over the applicable maximum plus the bonus cap (score.py)
        b, cap = s.base.applicable, fw.bonus_cap
        exempt = f"(không tính {pts(clean(fw.base_max - b))} điểm không áp dụng)"
        notes.append(f"Chỉ số được tính trên {pts(b + cap)} điểm: điểm tối đa áp dụng {pts(b)} điểm {exempt} "
                     f"và giới hạn điểm thưởng {pts(cap)} điểm." if cap > 0 else
                     f"Chỉ số được tính trên {pts(b)} điểm tối đa áp dụng {exempt}.")
    return notes


@dataclass(frozen=True)
class MissingOffice:
    """An office whose return the consolidated workbook lacks, and its items still open for it."""

    office: str
    sent: str  # the unusable file it sent ("" when it sent nothing)
    codes: tuple[str, ...]
    points: float

    @property
    def says(self) -> str:
        return "đã gửi tệp nhưng tệp không dùng được" if self.sent else "chưa gửi số liệu"

    @property
    def left_open(self) -> str:
        """"05 tiêu chí thành phần, 3 điểm chưa xác định"."""
        return f"{count2(len(self.codes))} tiêu chí thành phần, {pts(self.points)} điểm chưa xác định"


def missing_offices(body: Body) -> list[MissingOffice]:
    """The offices collect found no usable return of, each with its items still open and with
    nothing entered (an office whose figures were entered since is left out)."""
    s, entered = body.scores, {code for code, _ in body.values}
    out = []
    for office, sent in sorted(body.missing_offices.items()):
        codes = tuple(i.code for i in body.framework.items if i.office == office and i.code not in entered
                      and i.code in s.items and s.items[i.code].open > 1e-9)
        if codes:
            out.append(MissingOffice(office, sent, codes, sum(s.items[c].open for c in codes)))
    return out


def _missing_notes(missing: list[MissingOffice], warnings: list[str]) -> list[str]:
    """"Phòng Tư pháp chưa gửi số liệu: 05 tiêu chí thành phần (3 điểm) của đơn vị tính là chưa xác định."."""
    notes = [f"{m.office} {m.says}: {count2(len(m.codes))} tiêu chí thành phần ({pts(m.points)} điểm) của "
             "đơn vị tính là chưa xác định." for m in missing]
    warnings += [f"{n[:-1]}; văn bản nêu rõ." for n in notes]
    return notes


def _missing_table(missing: list[MissingOffice]) -> dict[str, pd.DataFrame]:
    if not missing:
        return {}
    return {"missing": pd.DataFrame([{"office": m.office, "reason": m.says, "open_items": len(m.codes),
                                      "open": m.points} for m in missing])}


def _reason(r: Any, fw: Framework | None = None, values: Any = None) -> str:
    """The office's explanation; without one, for an item that lost points while marked "Đạt" with
    none of its figures entered (scored from its data, as ``parxl score`` warns), that."""
    text = str(r.explanation or "").strip().rstrip(".")
    if (not text and fw is not None and values is not None and r.deducted > 1e-9
            and str(r.status).strip().casefold() == DAT.casefold()
            and not any((r.code, f.name) in values for f in fw.item_index[r.code].rule.fields())):
        text = (f"Chọn tình trạng '{DAT}' nhưng chưa nhập số liệu (điểm tính theo số liệu: "
                f"{pts(r.achieved)}/{pts(r['max'])} điểm)")
    return text


def _item_sentence(r: Any, fw: Framework, values: Any) -> Context:
    reason = _reason(r, fw, values)
    text = f"đạt {pts(r.achieved)}/{pts(r['max'])} điểm, bị trừ {pts(r.deducted)} điểm"
    if reason:
        text += f"; lý do: {reason}"
    text += f" ({A.office_label(r.office, r.scorer)})."
    return {"head": f"{r.code}. {r['name']}: ", "text": text}


def _deducted_domains(fw: Framework, s: Scores, values: Any, year: str, *, directive: bool) -> list[Context]:
    items = A.items_frame(fw, s, values)
    out = []
    n = 0
    for d in fw.domains:
        g = s.domains[d.code]
        if g.deducted <= 0:
            continue
        n += 1
        part = items[(items.domain == d.code) & (items.deducted > 1e-9)]
        if directive:
            head = f"{d.name}: "
            text = (f"bị trừ {pts(g.deducted)} điểm, chiếm tỷ lệ {pct(g.share)} so với tổng số điểm "
                    f"bị trừ năm {year}:")
            lines = []
            for _, r in part.iterrows():
                reason = _reason(r, fw, values)
                t = f"bị trừ {pts(r.deducted)} điểm"
                t += f" do {reason[:1].lower() + reason[1:]}." if reason else \
                    f" (đạt {pts(r.achieved)}/{pts(r['max'])} điểm)."
                lines.append({"head": f"{r['name']}: ", "text": t})
        else:
            head = f"{n}. Lĩnh vực {d.code} - {d.name}: "
            text = (f"bị trừ {pts(g.deducted)} điểm ({count2(len(part))} nội dung), chiếm tỷ lệ "
                    f"{pct(g.share)} so với tổng số điểm bị trừ.")
            lines = [_item_sentence(r, fw, values) for _, r in part.iterrows()]
        out.append({"code": d.code, "head": head, "text": text, "lines": lines})
    return out


def _deducted_item_rows(fw: Framework, s: Scores) -> list[Context]:
    items = A.items_frame(fw, s)
    total = s.base.deducted
    rows = []
    for _, r in items[items.deducted > 1e-9].iterrows():
        rows.append({
            "code": r.code, "name": r["name"], "max": pts(r["max"]), "achieved": pts(r.achieved),
            "deducted": pts(r.deducted), "share": pct(r.deducted / total) if total > 0 else "-",
            "office": A.office_label(r.office, r.scorer),
        })
    return rows


def _scorer_lines(fw: Framework, s: Scores) -> list[Context]:
    lines = []
    for key, label in SCORER_LABELS.items():
        g = s.by_scorer[key]
        if g.max <= 0:
            continue
        text = f"{pts(g.achieved)}/{pts(g.applicable)} điểm"
        if g.deducted > 0:
            text += f", bị trừ {pts(g.deducted)} điểm"
        if g.open > 0:
            text += f", chưa xác định {pts(g.open)} điểm"
        lines.append({"head": f"Điểm {label}: ", "text": text + "."})
    return lines


def _bonus_text(fw: Framework, s: Scores) -> str:
    parts = []
    if fw.bonus:
        achieved = sum(1 for i in fw.bonus if s.items[i.code].achieved > 0)
        parts.append(f"điểm thưởng {pts(s.bonus)} điểm (đạt {ratio(achieved, len(fw.bonus))} nội dung, "
                     f"{pts(s.bonus_raw)} điểm; tối đa được tính {pts(fw.bonus_cap)} điểm)")
    if fw.penalties:
        parts.append(f"điểm trừ {pts(s.penalty)} điểm" if s.penalty > 0 else "không có điểm trừ")
    return "; ".join(parts)


def _index_base(fw: Framework, s: Scores) -> float:
    """What the index divides the total by: the applicable maximum plus the bonus cap (score.py)."""
    return clean(s.base.applicable + fw.bonus_cap)


def _summary_lines(fw: Framework, s: Scores, body: str, year: str) -> list[Context]:
    summ = A.deduction_summary(fw, s)
    lines = [{
        "head": "Tổng điểm tạm tính: " if _provisional(fw, s) else "Tổng điểm: ",
        "text": f"{pts(s.total)}/{pts(_index_base(fw, s))} điểm, đạt tỷ lệ {pct(s.index)}"
        # the domain table's "Tổng cộng" rate is this one (base points only), named as its column is
        + (f" (điểm cơ bản {pts(s.base.achieved)}/{pts(s.base.applicable)} điểm, tỷ lệ điểm cơ bản "
           f"{pct(s.base.index)}; {_bonus_text(fw, s)})"
           if fw.bonus or fw.penalties else "")
        + (f"; {_open_text(fw, s)}" if _provisional(fw, s) else "") + ".",
    }]
    lines += _scorer_lines(fw, s)
    if summ.perfect:
        lines.append({"head": "Điểm bị trừ: ", "text": "không có nội dung nào bị trừ điểm."})
    else:
        lines.append({"head": "Tổng số điểm bị trừ: ", "text": _deducted_text(summ, s) + "."})
    counts = ", ".join(f"{k.lower()} {v}" for k, v in s.status_counts.items() if v)
    lines.append({"head": "Tình trạng các tiêu chí thành phần: ", "text": counts + "."})
    if _provisional(fw, s):
        what = [f"{pts(s.base.open)} điểm chưa xác định"] if s.base.open > 0 else []
        what += [f"các nội dung điểm thưởng chưa xác định ({', '.join(i.code for i in _open_bonus(fw, s))})"] \
            if _bonus_more(fw, s) > 0 else []
        lines.append({"head": "Có thể đạt tối đa: ",
                      "text": f"{pts(s.reachable)} điểm nếu đạt toàn bộ {' và '.join(what)}."})
    return lines


def _deducted_text(summ: A.DeductionSummary, s: Scores) -> str:
    """"6,77 điểm, gồm 5,51 điểm ở 12 nội dung ... và 1,26 điểm điều tra xã hội học (8,74/10)"."""
    text = f"{pts(summ.total)} điểm"
    parts = []
    if summ.assessed > 0:
        parts.append(f"{pts(summ.assessed)} điểm ở {count2(summ.assessed_items)} nội dung được đánh giá, chấm điểm")
    if summ.survey > 0:
        sv = s.by_scorer["survey"]
        parts.append(f"{pts(summ.survey)} điểm điều tra xã hội học (đạt {pts(sv.achieved)}/{pts(sv.applicable)} điểm)")
    if summ.survey > 0 and parts:
        text += ", gồm " + " và ".join(parts)
    elif parts:
        text += f" ở {count2(summ.assessed_items)} nội dung"
    return text


def _open_bonus(fw: Framework, s: Scores) -> list[Any]:
    """The bonus items not determined yet (blank, "Chưa xác định" or "Chưa đến hạn")."""
    return [i for i in fw.bonus if s.items[i.code].open > 1e-9]


def _bonus_more(fw: Framework, s: Scores) -> float:
    """The most the open bonus items can still add to the total (the cap may leave nothing)."""
    return clean(min(fw.bonus_cap, s.bonus_raw + s.bonus_open) - s.bonus)


def _provisional(fw: Framework, s: Scores) -> bool:
    """Whether the total may still change: base points or bonus points (under the cap) are open."""
    return s.base.open > 0 or _bonus_more(fw, s) > 0


def _open_text(fw: Framework, s: Scores) -> str:
    """"còn 35,5 điểm chưa xác định, trong đó 30 điểm điều tra xã hội học" and "còn 04 nội dung điểm
    thưởng chưa xác định, có thể được tính thêm tối đa 1 điểm" ("" when all is known)."""
    parts = []
    if s.base.open > 0:
        text = f"{pts(s.base.open)} điểm chưa xác định"
        outside = [(s.by_scorer[k].open, SCORER_LABELS[k]) for k in ("survey", "external")
                   if k in s.by_scorer and s.by_scorer[k].open > 0]  # points the body does not score itself
        if len(outside) == 1 and abs(outside[0][0] - s.base.open) < 1e-9:
            text += f", là điểm {outside[0][1]}"
        elif outside:
            text += ", trong đó " + " và ".join(f"{pts(v)} điểm {label}" for v, label in outside)
        parts.append(text)
    more = _bonus_more(fw, s)
    if more > 0:
        parts.append(f"{count2(len(_open_bonus(fw, s)))} nội dung điểm thưởng chưa xác định, có thể được tính "
                     f"thêm tối đa {pts(more)} điểm")
    return "còn " + "; ".join(parts) if parts else ""


def _provisional_warning(fw: Framework, s: Scores) -> str:
    """The user's warning when a document gives a total while points are still open."""
    return (f"Tổng điểm {pts(s.total)} là điểm tạm tính: {_open_text(fw, s)}; văn bản ghi rõ điểm tạm tính "
            "(lập lại khi có đủ kết quả).")


def _perfect_text(body: str, year: str, s: Scores) -> str:
    if s.base.open > 0:
        return (f"Đến thời điểm báo cáo, {body} không có nội dung nào bị trừ điểm; còn "
                f"{pts(s.base.open)} điểm chưa xác định.")
    return (f"Năm {year}, {body} không có nội dung nào bị trừ điểm: đạt điểm tối đa ở tất cả các lĩnh vực "
            f"({pts(s.base.achieved)}/{pts(s.base.applicable)} điểm).")


# ---------------------------------------------------------------- year over year
RELATED_SHARE = 0.5  # of this year's items that last year's framework must have (same code, same name)


def previous_year_problem(year: str, previous: Body) -> InputError | None:
    """The error when a file given as last year's is of the same year or a later one."""
    if not (year.isdigit() and previous.year.isdigit()) or int(previous.year) < int(year):
        return None
    return InputError(f"tệp năm trước (--previous) là kết quả năm {previous.year}, không trước năm đánh giá "
                      f"{year} của báo cáo: cần tệp của năm {_minus_one(year)} hoặc một năm trước đó",
                      Location(file=str(previous.path or "")))


def _check_previous(body: Body, previous: Body, warnings: list[str]) -> None:
    """Refuse a file that cannot be this body's last year (not an earlier year; a framework sharing
    too few items to compare); warn when it names another body."""
    problem = previous_year_problem(body.year, previous)
    if problem is not None:
        raise problem
    fw, prev_fw = body.framework, previous.framework
    same = A.same_items(fw, prev_fw)
    n = len(fw.base_items)
    if len(same) < RELATED_SHARE * n:
        raise InputError(
            f"bộ tiêu chí của tệp năm trước ({prev_fw.name}) không cùng loại với bộ tiêu chí năm nay ({fw.name}): "
            f"chỉ {ratio(len(same), n)} tiêu chí thành phần năm nay có tiêu chí cùng mã, cùng nội dung năm trước, "
            f"không so sánh được; --previous phải là tệp năm trước của chính {in_sentence(body.name)}",
            Location(file=str(previous.path or "")))
    if _name_key(previous.name) != _name_key(body.name):
        warnings.append(f"Tệp năm trước là của {in_sentence(previous.name)}, năm nay của {in_sentence(body.name)}: "
                        "kiểm tra lại tệp --previous (văn bản so sánh hai tệp này).")
    if prev_fw.id != fw.id or prev_fw.fingerprint != fw.fingerprint:
        before = {i.code for i in prev_fw.base_items}
        changed = [i.code for i in fw.base_items if i.code in before and i.code not in set(same)]
        warnings.append(f"Bộ tiêu chí năm trước ({prev_fw.id}) khác năm nay ({fw.id}): các tiêu chí thành phần được "
                        "đối chiếu theo mã" + (f"; các mã có nội dung khác năm trước: {', '.join(changed)}" if changed
                                                else "") + ".")


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _yoy(body: Body, previous: Body | None, warnings: list[str]) -> tuple[A.YearOverYear | None, list[str]]:
    if previous is None:
        return None, []
    _check_previous(body, previous, warnings)
    notes: list[str] = []
    yoy = A.compare_years(body.framework, body.scores, previous.framework, previous.scores)
    if yoy.unmapped_now:
        msg = (f"Các tiêu chí thành phần năm {body.year} không có trong bộ tiêu chí năm {previous.year or 'trước'} "
               f"(không so sánh được): {', '.join(yoy.unmapped_now)}.")
        notes.append(msg)
        warnings.append(msg)
    if yoy.unmapped_previous:
        msg = (f"Các tiêu chí thành phần năm {previous.year or 'trước'} không còn trong bộ tiêu chí năm "
               f"{body.year}: {', '.join(yoy.unmapped_previous)}.")
        notes.append(msg)
        warnings.append(msg)
    return yoy, notes


def _previous_deducted_text(yoy: A.YearOverYear, fixed: str, not_fixed: str, year: str) -> tuple[str, str]:
    """Last year's deducted items as "cải thiện được 05/11 nội dung" + `year` ("bị trừ điểm so với
    năm 2022") and "04/11 nội dung chưa có kết quả đánh giá, chưa cải thiện 02/11 nội dung": the
    counts add up to their total, and items gone from this year's framework are said apart."""
    before = yoy.previous_deducted_items()
    head = f"{fixed} {ratio(yoy.count(A.yoy.IMPROVED), before)} nội dung{year}{_dropped_text(yoy)}"
    still_open = yoy.still_open()
    rest = f"{ratio(still_open, before)} nội dung chưa có kết quả đánh giá, " if still_open else ""
    return head, rest + f"{not_fixed} {ratio(yoy.count(A.yoy.PERSISTED), before)} nội dung"


def _dropped_text(yoy: A.YearOverYear) -> str:
    """" (chưa tính 02 nội dung không còn trong bộ tiêu chí năm nay)": last year's deducted items
    that cannot be compared ("" when there are none)."""
    dropped = yoy.dropped_deducted()
    return f" (chưa tính {count2(len(dropped))} nội dung không còn trong bộ tiêu chí năm nay)" if dropped else ""


def _yoy_lines(yoy: A.YearOverYear, prev_year: str) -> list[Context]:
    lines = [{"head": "Tổng điểm: ", "text": f"{pts(yoy.total)} điểm, {change_text(yoy.score_change)} so với năm "
              f"{prev_year} ({pts(yoy.previous_total)} điểm)."}]
    if yoy.previous_deducted_items():
        head, rest = _previous_deducted_text(yoy, "đã khắc phục", "chưa khắc phục", "")
        lines.append({"head": "Nội dung bị trừ điểm năm trước: ", "text": f"{head}, {rest}."})
    else:
        lines.append({"head": "Nội dung bị trừ điểm năm trước: ", "text": f"không có{_dropped_text(yoy)}."})
    lines.append({"head": "Nội dung bị trừ điểm phát sinh mới: ",
                  "text": f"{count2(yoy.count(A.yoy.NEW))} nội dung."})
    n = len(yoy.domains)
    up, down = yoy.domains_with("up"), yoy.domains_with("down")
    unmapped = yoy.domains_with("unmapped")
    lines.append({"head": "Theo lĩnh vực: ",
                  "text": f"{ratio(up, n)} lĩnh vực có tỷ lệ điểm đạt tăng, {ratio(down, n)} lĩnh vực giảm, "
                          f"{ratio(yoy.domains_with('same'), n)} lĩnh vực không thay đổi"
                          + (f", {ratio(unmapped, n)} lĩnh vực không so sánh được" if unmapped else "") + "."})
    persisted_rows = yoy.items[(yoy.items.kind == A.yoy.PERSISTED) & (yoy.items.scorer != "survey")]
    if len(persisted_rows):
        names = "; ".join(f"({i}) {r['name']}" for i, (_, r) in enumerate(persisted_rows.iterrows(), start=1))
        lines.append({"head": "Các nội dung chưa khắc phục: ", "text": names + "."})
    return lines


# ---------------------------------------------------------------- the four documents
def self_assessment(body: Body, info: ReportInfo, previous: Body | None = None) -> Report:
    fw, s = body.framework, body.scores
    name = in_sentence(body.name)
    info = info.with_defaults("self-assessment", body.name)
    warnings: list[str] = []
    ctx = _header("self-assessment", info, body.year)
    rows, total = domain_rows(fw, s)
    summ = A.deduction_summary(fw, s)
    yoy, yoy_notes = _yoy(body, previous, warnings)
    ctx.update({
        "doc_type": "BÁO CÁO",
        "title": info.title or f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {body.year} "
                               f"của {name}",
        "body": body.name,
        "year": body.year,
        "framework": fw.name,
        "intro": " ".join(info.basis) if info.basis else (
            f"Thực hiện {fw.name}, {info.issuer_text} báo cáo kết quả "
            f"tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {body.year} của {name} như sau:"),
        "summary_lines": _summary_lines(fw, s, name, body.year),
        "domains": rows,
        "total": total,
        "has_deductions": not summ.perfect,
        "deduction_intro": f"Tổng số điểm bị trừ là {_deducted_text(summ, s)}; cụ thể theo từng lĩnh vực "
                           "như sau:",
        "deducted_domains": _deducted_domains(fw, s, body.values, body.year, directive=False),
        "deducted_items": _deducted_item_rows(fw, s),
        "perfect_text": _perfect_text(name, body.year, s),
        "yoy_lines": _yoy_lines(yoy, previous.year if previous else "") if yoy else [],
        "closing": f"Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
                   f"{body.year} của {name}./.",
    })
    missing = missing_offices(body)
    ctx["notes"] = (_exempt_notes(fw, s) + _shares_note(rows) + yoy_notes
                    + _missing_notes(missing, warnings))
    if previous is None:
        warnings.append("Không có số liệu năm trước (--previous): báo cáo không có phần so sánh.")
    if _provisional(fw, s):
        warnings.append(_provisional_warning(fw, s))
    ctx.update(_signature(info))
    tables = {"domains": A.deductions(fw, s, "domain"), "items": A.deductions(fw, s, "item", only_deducted=True),
              **_missing_table(missing)}
    if yoy is not None and previous is not None:
        tables["yoy"] = yoy.items
        tables["domains_yoy"] = yoy.domains
        tables["years"] = _years(body, previous, yoy, info)
    return Report("self-assessment", ctx, _score_charts(fw, s), warnings, tables)


def _years(body: Body, previous: Body, yoy: A.YearOverYear, info: ReportInfo) -> pd.DataFrame:
    return pd.DataFrame([
        {"year": previous.year or _minus_one(body.year), "total": yoy.previous_total, "rank": info.previous_rank},
        {"year": body.year, "total": yoy.total, "rank": info.rank},
    ])


def _signature(info: ReportInfo) -> Context:
    return {"signer_authority": info.signer_authority, "signer_title": info.signer_title,
            "signer_name": info.signer_name}


def _score_charts(fw: Framework, s: Scores) -> dict[str, bytes | None]:
    codes = [d.code for d in fw.domains]
    dom = [s.domains[c] for c in codes]
    return {
        "chart_scores": charts.domain_scores(codes, [g.achieved for g in dom], [g.deducted for g in dom],
                                             [g.open for g in dom]),
        "chart_shares": charts.deduction_shares([f"LV {d.code} - {d.name}" for d in fw.domains],
                                                [g.deducted for g in dom]),
    }


def interim(body: Body, info: ReportInfo, tasks: pd.DataFrame | None = None) -> Report:
    fw, s = body.framework, body.scores
    name = in_sentence(body.name)
    info = info.with_defaults("interim", body.name)
    warnings: list[str] = []
    ctx = _header("interim", info, body.year)
    pos = A.interim(fw, s, body.values)
    period = info.period or "đến thời điểm báo cáo"
    in_year = _in_year(period, body.year)
    ctx.update({
        "doc_type": "BÁO CÁO",
        "title": info.title or f"Sơ kết công tác cải cách hành chính {period} và ước đạt Chỉ số cải cách "
                               f"hành chính năm {body.year}",
        "body": body.name,
        "year": body.year,
        "framework": fw.name,
        "intro": " ".join(info.basis) if info.basis else (
            f"Thực hiện {fw.name}, {info.issuer_text} tổng hợp "
            f"tình hình thực hiện nhiệm vụ cải cách hành chính {in_year} của {name} như sau:"),
    })
    section = 1
    if tasks is not None:
        prog = A.task_progress(tasks, fw)
        tot = prog.iloc[-1]
        task_rows = []
        lines = []
        for i, (_, r) in enumerate(prog.iloc[:-1].iterrows(), start=1):
            task_rows.append({"stt": str(i), "name": r["name"], **_task_counts(r)})
            if r.planned:
                lines.append({"head": f"{i}. {r['name']}: ", "text": _task_sentence(r)})
        ctx["tasks"] = {
            "heading": f"{_roman(section)}. VIỆC THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {body.year}",
            "intro": f"Theo Kế hoạch cải cách hành chính năm {body.year}, tổng số nhiệm vụ là "
                     f"{count2(int(tot.planned))} nhiệm vụ; " + _task_sentence(tot, first=False),
            "lines": lines,
            "rows": task_rows,
            "total": _task_counts(tot),
        }
        section += 1
    else:
        ctx["tasks"] = None
    ctx["score_heading"] = f"{_roman(section)}. KẾT QUẢ ƯỚC ĐẠT CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {body.year}"
    ctx["table_no"] = "2" if tasks is not None else "1"
    est = []
    parts = []
    for key, label in SCORER_LABELS.items():
        p = pos.by_scorer[key]
        if p.max > 0:
            parts.append(f"{pts(p.secured)}/{pts(p.applicable)} điểm {label}")
    est.append({"head": "Điểm ước đạt: ", "text": "; ".join(parts) + "."})
    est.append({"head": "Tổng điểm ước đạt: ", "text": f"{pts(pos.estimated_total)}/{pts(_index_base(fw, s))} điểm, "
                f"đạt tỷ lệ {pct(s.index)}"  # the index, on the base the self-assessment states
                + (f" (gồm {_bonus_text(fw, s)})" if fw.bonus or fw.penalties else "") + "."})
    items = pos.items
    n_lost = int((items.lost > 1e-9).sum())
    n_due = int((items.not_due > 1e-9).sum())
    n_und = int((items.undetermined > 1e-9).sum())

    def points_of(points: float, n: int, more: str = "") -> str:  # not "0 điểm (0 tiêu chí thành phần)"
        return f"{pts(points)} điểm ({count2(n)} tiêu chí thành phần{more})." if n else "không có."

    est.append({"head": "Điểm không đạt: ", "text": points_of(pos.base.lost, n_lost)})
    est.append({"head": "Điểm chưa đến hạn đánh giá: ", "text": points_of(pos.base.not_due, n_due)})
    outside = [f"{pts(pos.by_scorer['survey'].undetermined)} điểm điều tra xã hội học có kết quả cuối năm"] \
        if pos.by_scorer["survey"].undetermined > 0 else []
    outside += [f"{pts(pos.by_scorer['external'].undetermined)} điểm cấp trên đánh giá"] \
        if pos.by_scorer["external"].undetermined > 0 else []
    est.append({"head": "Điểm chưa xác định: ", "text": points_of(  # with the points the body does not score
        pos.base.undetermined, n_und, ", trong đó " + " và ".join(outside) if outside else "")})
    missing = missing_offices(body)
    if missing:  # seed 003 names the office of each open item; an office with no return is named here
        head = "Đơn vị chưa gửi số liệu: " if not any(m.sent for m in missing) else "Đơn vị chưa có số liệu dùng được: "
        est.append({"head": head, "text": "; ".join(
            f"{m.office} ({m.says + '; ' if m.sent else ''}{m.left_open})" for m in missing) + "."})
        _missing_notes(missing, warnings)
    unsent = {c: m for m in missing for c in m.codes}
    open_bonus = _open_bonus(fw, s)
    if open_bonus:  # the reachable total counts them: name them
        more = _bonus_more(fw, s)
        est.append({"head": "Điểm thưởng chưa xác định: ", "text": (
            f"{pts(pos.bonus_open)} điểm ({count2(len(open_bonus))} nội dung: "
            + "; ".join(f"{i.code}. {i.name}" for i in open_bonus) + "); "
            + (f"có thể được tính thêm tối đa {pts(more)} điểm (điểm thưởng được tính tối đa {pts(fw.bonus_cap)} "
               "điểm)." if more > 0 else
               f"điểm thưởng đã đạt mức được tính tối đa ({pts(fw.bonus_cap)} điểm), không làm tăng tổng điểm."))})
    est.append({"head": "Điểm tối đa có thể đạt: ",
                "text": f"{pts(pos.reachable_total)} điểm, nếu đạt toàn bộ các nội dung chưa đến hạn và chưa xác định"
                + (" (kể cả điểm thưởng)." if open_bonus and _bonus_more(fw, s) > 0 else ".")})
    ctx["estimate_lines"] = est
    drows = []
    for i, (_, r) in enumerate(pos.domains.iterrows(), start=1):
        # the applicable maximum, as the self-assessment and the directive: a row adds up to it
        drows.append({"stt": str(i), "name": r["name"], "max": pts(r.applicable) if r.applicable > 0 else EXEMPT,
                      **{k: pts(r[k]) for k in ("secured", "lost", "not_due", "undetermined", "reachable")}})
    ctx["domains"] = drows
    b = pos.base
    ctx["total"] = {"max": pts(b.applicable), "secured": pts(b.secured), "lost": pts(b.lost), "not_due": pts(b.not_due),
                    "undetermined": pts(b.undetermined), "reachable": pts(b.reachable)}
    details = []
    for i, d in enumerate(fw.domains, start=1):
        r = pos.domains.iloc[i - 1]
        text = f"{pts(r.secured)}/{pts(r.applicable)} điểm"
        extra = []
        if r.lost > 0:
            extra.append(f"không đạt {pts(r.lost)} điểm")
        if r.not_due > 0:
            extra.append(f"chưa đến hạn {pts(r.not_due)} điểm")
        if r.undetermined > 0:
            extra.append(f"chưa xác định {pts(r.undetermined)} điểm")
        exempt = clean(r["max"] - r.applicable)
        if r.applicable <= 0 < r["max"]:
            text = f"không áp dụng (được miễn {pts(r['max'])} điểm)."
        elif extra:
            text += " (" + "; ".join(extra + ([f"không áp dụng {pts(exempt)} điểm"] if exempt > 0 else [])) + ")."
        else:
            text += ", đạt điểm tối đa" + (f" (không áp dụng {pts(exempt)} điểm)." if exempt > 0 else ".")
        lines = []
        for _, it in items[(items.domain == d.code) & ((items.lost > 1e-9) | (items["open"] > 1e-9))].iterrows():
            if it.lost > 1e-9:
                # as seed 004 writes it: "(1,6/ 2,0 điểm)", "0/1,5 điểm"
                what = f"đạt {pts(it.achieved)}/{pts(it['max'])} điểm"
            elif it.status == CHUA_DEN_HAN:
                what = f"chưa đến hạn đánh giá ({pts(it['open'])} điểm{_progress(fw, body.values, it)})"
            else:
                what = f"chưa xác định ({pts(it['open'])} điểm{_progress(fw, body.values, it)})"
            reason = _reason(it, fw, body.values) or (f"đơn vị {unsent[it.code].says}" if it.code in unsent else "")
            tail = f"; lý do: {reason}" if reason else ""  # as the self-assessment words it
            lines.append({"head": f"- {it['name']}: ", "text": f"{what}{tail} ({A.office_label(it.office, it.scorer)})."})
        for _, it in items[(items.domain == d.code) & (items.status == KHONG_AP_DUNG)].iterrows():
            lines.append({"head": f"- {it['name']}: ", "text": "không áp dụng."})
        details.append({"head": f"{i}. {d.name}: ", "text": text, "lines": lines})
    ctx["domain_details"] = details
    ctx["closing"] = (f"Trên đây là báo cáo sơ kết công tác cải cách hành chính {period} và kết quả ước đạt Chỉ số "
                      f"cải cách hành chính năm {body.year} của {name}./.")
    ctx["notes"] = _exempt_notes(fw, s)
    ctx.update(_signature(info))
    png = charts.interim_bars(list(pos.domains.code), list(pos.domains.secured), list(pos.domains.lost),
                              list(pos.domains.not_due), list(pos.domains.undetermined))
    tables = {"interim": pos.domains, **_missing_table(missing)}
    if tasks is not None:
        tables["tasks"] = A.task_progress(tasks, fw)
    return Report("interim", ctx, {"chart_interim": png}, warnings, tables)


YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")  # a year named in a text ("6 tháng đầu năm 2024")


def _in_year(period: str, year: str) -> str:
    """"9 tháng đầu năm" -> "9 tháng đầu năm 2023"; a period naming a year stays as it is (another
    year than the workbook's is warned about by :func:`parxl.report.api.build_report`)."""
    if not year or year in period or YEAR.search(period):
        return period
    return f"{period} {year}" if period.rstrip().endswith("năm") else f"{period} năm {year}"


def _task_sentence(r: Any, first: bool = True) -> str:
    planned = int(r.planned)
    head = f"có {count2(planned)} nhiệm vụ, " if first else ""
    parts = [f"đã triển khai thực hiện {count2(int(r.implemented))} nhiệm vụ ({pct(r.implemented_rate)})"]
    if r.completed:
        parts.append(f"hoàn thành {count2(int(r.completed))} nhiệm vụ ({pct(r.completed_rate)}), gồm "
                     f"{count2(int(r.early))} trước hạn, {count2(int(r.on_time))} đúng hạn, "
                     f"{count2(int(r.late))} trễ hạn")
    if r.in_progress:
        parts.append(f"{count2(int(r.in_progress))} nhiệm vụ đang thực hiện")
    if r.not_due:
        parts.append(f"{count2(int(r.not_due))} nhiệm vụ chưa đến hạn")
    if r.not_done:
        parts.append(f"{count2(int(r.not_done))} nhiệm vụ chưa thực hiện")
    if r.dropped:
        parts.append(f"{count2(int(r.dropped))} nhiệm vụ không thực hiện")
    if r.overdue:
        parts.append(f"{count2(int(r.overdue))} nhiệm vụ quá hạn")
    return head + "; ".join(parts) + "."


def _progress(fw: Framework, values: Any, it: Any) -> str:
    """The figures entered so far under an open status, scored as they stand (seed 003: "ước
    đạt 75% theo kế hoạch, vì vậy việc chấm điểm chỉ tính ước thực hiện"); '' when none."""
    if not any((it.code, f.name) in values for f in fw.item_index[it.code].rule.fields()):
        return ""
    return f"; số liệu hiện có tương ứng {pts(it.raw)} điểm, chưa tính"


def _task_counts(r: Any) -> dict[str, str]:
    """A row of the task table: its last column counts the tasks not done yet, overdue, and those
    that will not be done ("Chưa, quá hạn, không thực hiện"), so a row adds up to the tasks
    planned (implemented + not due + that column)."""
    out = {k: str(int(r[k])) for k in ("planned", "implemented", "completed", "early", "on_time", "late",
                                        "not_due")}
    out["not_done"] = str(int(r.not_done) + int(r.overdue) + int(r.dropped))
    return out


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI")[n - 1]


def remedy(body: Body, info: ReportInfo, previous: Body | None = None) -> Report:
    fw, s = body.framework, body.scores
    name = in_sentence(body.name)
    info = info.with_defaults("remedy", body.name)
    warnings: list[str] = []
    ctx = _header("remedy", info, body.year)
    summ = A.deduction_summary(fw, s)
    yoy, yoy_notes = _yoy(body, previous, warnings)
    # the result sentence (seed 000, footnote 1)
    prev_total = yoy.previous_total if yoy else info.previous_total
    prev_year = (previous.year if previous else "") or info.previous_year or _minus_one(body.year)
    text = f"Điểm Chỉ số cải cách hành chính năm {body.year} của {name} là {pts(s.total)} điểm"
    exempt = s.base.applicable < fw.base_max - 1e-9  # the points are not the index: its base and %
    if exempt:
        text = text[:-len(" điểm")] + f"/{pts(_index_base(fw, s))} điểm, đạt tỷ lệ {pct(s.index)}"
    provisional = _provisional(fw, s)
    if provisional:
        text += f" (tạm tính, {_open_text(fw, s)})" if exempt else f" tạm tính ({_open_text(fw, s)})"
        warnings.append(_provisional_warning(fw, s))
    if prev_total is not None:
        change = f"{change_text(s.total - prev_total)} so với năm {prev_year}"
        text += f", {change}" if provisional else f" ({change})"
    if info.rank:
        text += f", được xếp hạng {info.rank}" + (f"/{info.rank_of}" if info.rank_of else "")
        if info.previous_rank:
            text += f" ({change_text(info.previous_rank - info.rank, 'hạng', 0)} so với năm {prev_year})"
    if yoy is not None:
        if yoy.previous_deducted_items():
            head, rest = _previous_deducted_text(yoy, "cải thiện được", "chưa cải thiện",
                                                 f" bị trừ điểm so với năm {prev_year}")
            text += f", trong đó: {head}, {rest}"
            rows = yoy.items[(yoy.items.kind == A.yoy.PERSISTED) & (yoy.items.scorer != "survey")]
            if len(rows):
                text += " gồm: " + "; ".join(f"({i}) {r['name']}" for i, (_, r) in enumerate(rows.iterrows(), 1))
    else:
        warnings.append("Không có số liệu năm trước (--previous): văn bản không nêu các nội dung đã/chưa cải thiện.")
    ctx["result_text"] = text + "."
    ctx["vv"] = (f"V/v chỉ đạo khắc phục những nội dung đánh giá Chỉ số cải cách hành chính bị trừ điểm "
                 f"năm {body.year}")
    ctx["addressees"] = info.addressees
    ctx["basis"] = info.basis
    ctx["has_deductions"] = not summ.perfect
    n_new = yoy.count(A.yoy.NEW) if yoy else None
    n_persist = yoy.count(A.yoy.PERSISTED) if yoy else None
    so_far = f" đến thời điểm hiện tại (chưa tính {pts(s.base.open)} điểm chưa xác định)" if s.base.open > 0 else ""
    intro = (f"Qua kết quả đánh giá, chấm điểm{so_far}, Chỉ số cải cách hành chính năm {body.year} của {name} "
             f"bị trừ tổng cộng {_deducted_text(summ, s)}")
    if yoy is not None:
        intro += (f"; có {count2(n_persist or 0)} nội dung bị trừ điểm năm {prev_year} chưa khắc phục và "
                  f"{count2(n_new or 0)} nội dung phát sinh mới")
    ctx["deduction_intro"] = intro + ", cụ thể như sau:"
    ctx["deducted_domains"] = _deducted_domains(fw, s, body.values, body.year, directive=True)
    full = [f"Lĩnh vực {d.code} - {d.name}" for d in fw.domains
            if s.domains[d.code].applicable > 0 and s.domains[d.code].deducted <= 0 and s.domains[d.code].open <= 0]
    full_text = f"Trong năm {body.year}, {name} "
    full_text += ("đạt điểm tối đa ở " + "; ".join(full)) if full else "không có lĩnh vực nào đạt điểm tối đa"
    bonus = _bonus_text(fw, s)
    ctx["full_marks_text"] = full_text + (f"; {bonus}" if bonus else "") + "."
    ctx["domains"], ctx["total"] = domain_rows(fw, s)
    deadline = info.deadline
    if deadline is None and info.published is not None:
        deadline = A.add_working_days(info.published, info.working_days, info.holidays)
    rem = A.remedy_list(fw, s, body.values, published=None)
    leader = info.leader_text
    coordinator = info.coordinator or "Phòng Nội vụ"
    when = (f"trước ngày {date_short(deadline)}" if deadline else
            f"chậm nhất trong {count2(info.working_days)} ngày làm việc kể từ ngày nhận được văn bản này")
    if not summ.perfect:
        ctx["directive_intro"] = (f"Nhằm khắc phục hiệu quả các hạn chế, cải thiện các tiêu chí, tiêu chí thành phần bị "
                                  f"trừ điểm năm {body.year}, {leader} chỉ đạo như sau:")
        ctx["directives"] = [
            {"head": "1. ", "text": (
                f"Thủ trưởng các cơ quan, đơn vị được giao chủ trì các nội dung bị trừ điểm (danh sách kèm theo) có báo "
                f"cáo đánh giá trách nhiệm của đơn vị đối với từng nội dung bị trừ điểm, giải trình nguyên nhân và đề "
                f"xuất giải pháp khắc phục, gửi {coordinator} tổng hợp {when}.")},
            {"head": "2. ", "text": (
                f"Tăng cường rà soát, chấn chỉnh các nội dung cải cách hành chính bị trừ điểm năm {body.year}; triển khai "
                f"các giải pháp trọng tâm để khắc phục triệt để trong năm {_plus_one(body.year)}.")},
            {"head": "3. ", "text": (
                f"{coordinator} theo dõi, đôn đốc, tổng hợp kết quả khắc phục của các cơ quan, đơn vị, báo cáo "
                f"{leader}.")},
        ]
    else:
        ctx["directive_intro"] = (f"Năm {body.year}, {name} không có nội dung nào bị trừ điểm. "
                                  f"{leader} đề nghị:")
        ctx["directives"] = [{"head": "1. ", "text": (
            "Thủ trưởng các cơ quan, đơn vị tiếp tục duy trì, nâng cao chất lượng thực hiện các nhiệm vụ cải cách "
            f"hành chính, giữ vững kết quả đạt được trong năm {_plus_one(body.year)}.")}]
        if s.penalty > 0:
            ctx["directives"].append({"head": "2. ", "text": (
                f"Thủ trưởng các cơ quan, đơn vị được giao chủ trì các nội dung bị điểm trừ (danh sách kèm theo) "
                f"giải trình nguyên nhân và đề xuất giải pháp khắc phục, gửi {coordinator} tổng hợp {when}.")})
    missing = missing_offices(body)
    if missing:  # seed 000, 4.: "Đảm bảo chế độ thông tin, báo cáo đúng thời hạn"
        ctx["directives"].append({"head": f"{len(ctx['directives']) + 1}. ", "text": (
            "Đảm bảo chế độ thông tin, báo cáo đúng thời hạn: " + "; ".join(
                f"{m.office} {m.says} ({m.left_open})" for m in missing) + f"; đề nghị gửi số liệu về {coordinator} {when}.")})
    offices: list[Context] = []
    by_name: dict[str, Context] = {}
    outside: list[str] = []
    due = date_short(deadline) if deadline else f"{info.working_days} ngày làm việc"
    for office, part in rem.groupby("office", sort=False):
        if office in A.NO_OFFICE:  # survey / superior body's points: no office of the body explains them
            outside.append(f"Điểm {SCORER_LABELS[part.scorer.iloc[0]]} bị trừ {pts(part.deducted.sum())} điểm "
                           f"({pct(part.share.sum())}) ở {count2(len(part))} nội dung ({', '.join(part.code)}): "
                           "không giao cơ quan, đơn vị giải trình.")
            continue
        rows_ = [{"code": r.code, "name": r["name"], "deducted": pts(r.deducted),
                  "reason": _reason(r, fw, body.values) or f"Đạt {pts(r.achieved)}/{pts(r['max'])} điểm", "deadline": due}
                 for _, r in part.iterrows()]
        text = f"{count2(len(part))} nội dung, bị trừ {pts(part.deducted.sum())} điểm ({pct(part.share.sum())})"
        offices.append({"stt": str(len(offices) + 1), "name": office, "count": count2(len(part)),
                        "deducted": pts(part.deducted.sum()), "share": pct(part.share.sum()), "text": text,
                        "rows": rows_})
        by_name[office] = offices[-1]
    # penalty points (điểm trừ) lower the total as deducted points do: each goes to its office too
    extra = A.items_frame(fw, s, body.values, extra=True)
    for _, r in extra[(extra.domain == "Đ") & (extra.achieved > 1e-9)].iterrows():
        office = A.office_label(r.office, r.scorer)
        if office not in by_name:
            by_name[office] = {"stt": str(len(offices) + 1), "name": office, "count": count2(0), "deducted": "0",
                               "share": "-", "text": "", "rows": [], "penalty": 0.0, "penalties": 0}
            offices.append(by_name[office])
        o = by_name[office]
        o["rows"].append({"code": r.code, "name": r["name"], "deducted": pts(r.achieved),
                          "reason": _reason(r) or f"Điểm trừ: {pts(r.achieved)}/{pts(r['max'])} điểm",
                          "deadline": due})
        o["penalty"] = o.get("penalty", 0.0) + r.achieved
        o["penalties"] = o.get("penalties", 0) + 1
    for o in offices:
        if o.get("penalties"):
            o["text"] = "; ".join(t for t in (o["text"], f"{count2(o['penalties'])} nội dung bị điểm trừ "
                                              f"({pts(clean(o['penalty']))} điểm)") if t)
    ctx["offices"] = offices
    ctx["outside_lines"] = outside  # after the list: stated once, numbered among no office
    ctx["closing"] = (f"Đề nghị Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện và chịu trách nhiệm "
                      f"giải trình trước {leader} đối với các nội dung bị trừ điểm thuộc "
                      "phạm vi quản lý mà chưa khắc phục hiệu quả./.") if offices else \
        "Đề nghị Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện./."
    ctx["notes"] = _exempt_notes(fw, s) + _shares_note(ctx["domains"]) + yoy_notes
    ctx.update(_signature(info))
    tables = {"domains": A.deductions(fw, s, "domain"), "remedy": A.remedy_list(
        fw, s, body.values, published=info.published, working_days=info.working_days, holidays=info.holidays)}
    if yoy is not None:
        tables["yoy"] = yoy.items
        tables["domains_yoy"] = yoy.domains
    if prev_total is not None:
        tables["years"] = pd.DataFrame([
            {"year": prev_year, "total": prev_total, "rank": info.previous_rank},
            {"year": body.year, "total": s.total, "rank": info.rank},
        ])
    charts_ = {"chart_shares": charts.deduction_shares([f"LV {d.code} - {d.name}" for d in fw.domains],
                                                       [s.domains[d.code].deducted for d in fw.domains])}
    return Report("remedy", ctx, charts_, warnings, tables)


def _minus_one(year: str) -> str:
    return str(int(year) - 1) if year.isdigit() else "trước"


def _plus_one(year: str) -> str:
    return str(int(year) + 1) if year.isdigit() else "tới"


def ranking(bodies: Sequence[Body], info: ReportInfo, previous: Sequence[Body] = (),
            groups: dict[str, str] | None = None, previous_ranks: dict[str, int] | None = None) -> Report:
    warnings: list[str] = []
    names = [b.name or (b.path.stem if b.path else f"Đơn vị {i}") for i, b in enumerate(bodies, 1)]
    seen: dict[str, int] = {}
    for nm in names:
        seen[nm] = seen.get(nm, 0) + 1
    dup = [n for n, c in seen.items() if c > 1]
    if dup:
        raise InputError(f"có nhiều tệp cùng tên cơ quan, đơn vị: {', '.join(dup)} (mỗi đơn vị một tệp)")
    years = sorted({b.year for b in bodies if b.year})
    year = years[-1] if years else ""
    for prev in previous:
        problem = previous_year_problem(year, prev)
        if problem is not None:
            raise problem
    if len(years) > 1:
        warnings.append(f"Các tệp thuộc nhiều năm đánh giá khác nhau: {', '.join(years)}.")
    fws = {b.framework.fingerprint for b in bodies}
    if len(fws) > 1:
        warnings.append("Các tệp dùng bộ tiêu chí khác nhau: chỉ so sánh tổng điểm, không so sánh theo lĩnh vực.")
    # bodies exempt from some items are scored against a smaller maximum: rank them by the index
    # (total / applicable maximum, in %) rather than by raw points
    maxima = {round(b.scores.base.applicable + b.framework.bonus_cap, 6) for b in [*bodies, *previous]}
    by_index = len(maxima) > 1
    unit = "%" if by_index else " điểm"

    def value(b: Body) -> float:
        return b.scores.index * 100 if by_index else b.scores.total

    def shown(x: float) -> str:  # a table column: two decimals throughout (88,20 beside 84,51)
        return format_vn_number(x, 2, trim=False) + ("%" if by_index else "")

    if by_index:
        warnings.append("Các đơn vị có điểm tối đa áp dụng khác nhau (được miễn một số tiêu chí): xếp hạng theo "
                        "chỉ số (tỷ lệ % tổng điểm trên điểm tối đa áp dụng cộng giới hạn điểm thưởng).")
    totals = {n: value(b) for n, b in zip(names, bodies, strict=True)}
    prev_totals = {b.name: value(b) for b in previous} if previous else None
    if previous:
        missing = [n for n in names if n not in (prev_totals or {})]
        if missing:
            warnings.append(f"Không có số liệu năm trước của: {', '.join(missing)}.")
    label = info.group_label or "các cơ quan, đơn vị"
    info = info.with_defaults("ranking", "")
    if info.parent.startswith("ỦY BAN NHÂN DÂN ....") or not info.parent.strip():
        info = dataclasses.replace(info, parent="ỦY BAN NHÂN DÂN TỈNH")
        warnings.append("Chưa có tên cơ quan chủ quản (--parent hoặc tệp --info, ví dụ 'ỦY BAN NHÂN DÂN TỈNH "
                        "ĐỒNG THÁP'): văn bản ghi 'ỦY BAN NHÂN DÂN TỈNH'.")
    if info.place.startswith("...."):  # left dotted for the signer, as the number is
        warnings.append("Chưa có địa danh của dòng ngày tháng (tệp --info, dòng 'place: Đồng Tháp'): văn bản để trống "
                        "'......, ngày ...'.")
    ctx = _header("ranking", info, year)
    rk = A.rank_bodies(totals, previous=prev_totals, previous_ranks=previous_ranks or None, groups=groups)
    ga = A.group_averages(rk)
    rows = []
    for r in rk.to_dict("records"):  # not iterrows: a province ranks thousands of bodies
        rows.append({
            "rank": str(r["rank"]), "body": r["body"], "group": r["group"], "total": shown(r["total"]),
            "rank_in_group": str(r["rank_in_group"]),
            "previous_total": "" if pd.isna(r["previous_total"]) else shown(r["previous_total"]),
            "score_change": "" if pd.isna(r["score_change"]) else _signed(r["score_change"]),
            "previous_rank": "" if pd.isna(r["previous_rank"]) else str(int(r["previous_rank"])),
            "rank_change": "" if pd.isna(r["rank_change"]) else _signed(int(r["rank_change"]), 0),
        })
    grows = [{"group": g.group, "bodies": str(g.bodies), "average": shown(g.average), "highest": shown(g.highest),
              "lowest": shown(g.lowest), "best": g.best} for _, g in ga.iterrows()]
    n = len(rk)
    summary = []
    if n:
        top, last = rk.iloc[0], rk.iloc[-1]
        head = "Chỉ số trung bình: " if by_index else "Điểm trung bình: "
        summary.append({"head": head, "text": f"{pts(ga.iloc[-1].average)}{unit}; cao nhất: "
                        f"{in_sentence(top.body)} ({pts(top.total)}{unit}); thấp nhất: {in_sentence(last.body)} "
                        f"({pts(last.total)}{unit})."})
        ties = rk[rk.duplicated("rank", keep=False)]
        if len(ties):
            parts = [f"hạng {k}: " + ", ".join(map(in_sentence, part.body)) for k, part in ties.groupby("rank")]
            what = "chỉ số" if by_index else "tổng điểm"
            summary.append({"head": "Đồng hạng: ", "text": "; ".join(parts) + f" (cùng {what} làm tròn 2 chữ số "
                            "thập phân; hạng kế tiếp được bỏ qua)."})
        if previous or previous_ranks:
            up = int((rk.rank_change > 0).sum())
            down = int((rk.rank_change < 0).sum())
            same = int((rk.rank_change == 0).sum())
            summary.append({"head": "So với năm trước: ", "text": f"{count2(up)} đơn vị tăng hạng, {count2(down)} "
                            f"đơn vị giảm hạng, {count2(same)} đơn vị giữ nguyên hạng."})
    domain_lines = []
    if len(fws) == 1 and bodies:
        fw = bodies[0].framework
        for d in fw.domains:
            idx = [(nm, b.scores.domains[d.code]) for nm, b in zip(names, bodies, strict=True)
                   if b.scores.domains[d.code].applicable > 0]
            if not idx:
                continue
            avg = sum(g.achieved for _n, g in idx) / len(idx)
            best = max(idx, key=lambda p: p[1].index)
            worst = min(idx, key=lambda p: p[1].index)
            if abs(best[1].index - worst[1].index) < 1e-12:
                spread = f"các đơn vị cùng đạt {pct(best[1].index)}"
            else:
                spread = (f"cao nhất {in_sentence(best[0])} ({pct(best[1].index)}), thấp nhất {in_sentence(worst[0])} "
                          f"({pct(worst[1].index)})")
            domain_lines.append({"head": f"Lĩnh vực {d.code} - {d.name}: ",
                                 "text": f"trung bình {pts(avg)}/{pts(d.max)} điểm; {spread}."})
    fwname = bodies[0].framework.name if bodies else ""
    ctx.update({
        "doc_type": "BÁO CÁO",
        "title": info.title or f"Kết quả xếp hạng Chỉ số cải cách hành chính năm {year} của {label}",
        "year": year,
        "intro": " ".join(info.basis) if info.basis else (
            f"Trên cơ sở kết quả đánh giá, chấm điểm của {count2(n)} cơ quan, đơn vị theo {fwname}, "
            f"{info.issuer_text} báo cáo kết quả xếp hạng Chỉ số cải cách hành chính năm {year} như sau:"),
        "summary_lines": summary,
        "bodies": rows,
        # last year's four columns only when some body has a figure of last year
        "has_previous": any(r["previous_total"] or r["previous_rank"] for r in rows),
        "groups": grows,
        "domain_lines": domain_lines,
        "closing": f"Trên đây là kết quả xếp hạng Chỉ số cải cách hành chính năm {year} của {label}./.",
    })
    provisional = [nm for nm, b in zip(names, bodies, strict=True) if _provisional(b.framework, b.scores)]
    if provisional:
        msg = (f"{count2(len(provisional))}/{count2(n)} cơ quan, đơn vị còn điểm chưa xác định: xếp hạng theo "
               "điểm tạm tính.")
        ctx["notes"].append(msg)
        warnings.append(msg)
    ctx.update(_signature(info))
    png = charts.ranking_bars(list(rk.body), list(rk.total), ranks=[int(r) for r in rk['rank']])
    return Report("ranking", ctx, {"chart_ranking": png}, warnings, {"ranking": rk, "groups": ga})


def _signed(x: float, decimals: int = 2) -> str:
    """``+0,10`` / ``-5`` (a change of score or rank as published)."""
    if abs(x) < 1e-9:
        return "0"
    return ("+" if x > 0 else "-") + format_vn_number(abs(x), decimals, trim=False)
