"""Appraisal (thẩm định) by the superior body, with the explanation (giải trình) round tracked.

The superior body checks each body's self-assessment and may set an *appraised value* for any
input field of any item. The body may then explain (giải trình); after the explanation the
superior body keeps, restores or changes the value (round 2). The final score is computed by
:func:`parxl.score.score_values` from the self-assessed inputs with the appraised values of
the latest round put over them — never from typed points.

Input: a CSV (UTF-8) with one row per appraised field::

    body,code,field,value,round,note,explanation
    Xã số 00012,1.1.2,rate,65%,1,Kế hoạch chỉ hoàn thành 13/20 nhiệm vụ,
    Xã số 00012,1.1.2,rate,80%,2,Chấp nhận một phần,Đã bổ sung 3 báo cáo kết quả

(Vietnamese headers are accepted too: "Cơ quan, đơn vị", "Mã", "Trường", "Giá trị", "Vòng",
"Lý do", "Giải trình"). ``round`` 1 is the appraisal, 2 the decision after the explanation;
an empty ``value`` clears the field. Or a folder of appraised workbooks: copies of the bodies'
returns in which the superior body typed its values (every field of such a copy counts as
appraised, round 1).

Per body and item the outcome is one of :data:`OUTCOMES`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.inputs import TEXT, csv_separator, item_fields, normalize, read_table_text
from parxl.score import KHONG_AP_DUNG, Scores, score_values

Key = tuple[str, str]
AGREED = "Thống nhất"  # appraised = self-assessed points
APPRAISED = "Giữ kết quả thẩm định"  # points changed, no explanation round
ACCEPTED = "Chấp nhận giải trình"  # after explanation: back to the self-assessed points
REJECTED = "Không chấp nhận giải trình"  # after explanation: the round-1 points stand
PARTLY = "Chấp nhận một phần"  # after explanation: somewhere between
OUTCOMES = (AGREED, APPRAISED, ACCEPTED, REJECTED, PARTLY)

_HEADERS = {
    "body": "body", "cơ quan, đơn vị": "body", "đơn vị": "body", "cơ quan": "body",
    "code": "code", "mã": "code", "mã mục": "code",
    "field": "field", "trường": "field",
    "value": "value", "giá trị": "value",
    "round": "round", "vòng": "round", "lần": "round",
    "note": "note", "lý do": "note", "ghi chú": "note", "nhận xét": "note",
    "explanation": "explanation", "giải trình": "explanation",
}


@dataclass(frozen=True)
class Entry:
    """One appraised field of one body in one round."""

    code: str
    field: str
    value: Any  # as typed (text); normalised against the framework where it is applied
    round: int = 1
    note: str = ""
    explanation: str = ""
    line: int = 0  # CSV line, for messages
    explicit: bool = True  # False: read from an appraised workbook (kept only where it differs)


def body_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@dataclass
class Appraisal:
    """Appraised entries per body (key: :func:`body_key`) and where they came from."""

    source: str = ""
    bodies: dict[str, list[Entry]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # key -> name as written

    def __len__(self) -> int:
        return len(self.bodies)

    def for_body(self, name: str) -> list[Entry]:
        return self.bodies.get(body_key(name), [])


def load_appraisal_csv(path: str | Path) -> Appraisal:
    """Read an appraisal CSV; every problem of every line is reported at once."""
    p = Path(path)
    where = Location(file=str(p))
    text, sep, skipped = csv_separator(read_table_text(p, "tệp thẩm định"), _HEADERS, where)
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    rows = list(reader)
    if not rows:
        raise InputError("tệp thẩm định trống", where)
    cols = {_HEADERS.get(h.strip().casefold(), ""): i for i, h in enumerate(rows[0])}
    cols.pop("", None)
    missing = [c for c in ("body", "code", "field", "value") if c not in cols]
    if missing:
        raise InputError(f"tệp thẩm định thiếu cột: {', '.join(missing)} (cần body, code, field, value; "
                         "tuỳ chọn round, note, explanation)", where)
    out = Appraisal(str(p))
    problems: list[str] = []
    seen: dict[tuple[str, str, str, int], int] = {}

    def get(row: list[str], key: str) -> str:
        i = cols.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(rows[1:], start=2 + skipped):
        if not any(c.strip() for c in row):
            continue
        body, code, fld = get(row, "body"), get(row, "code"), get(row, "field")
        rnd_text = get(row, "round") or "1"
        if not body or not code or not fld:
            problems.append(f"dòng {n}: thiếu tên đơn vị, mã mục hoặc trường")
            continue
        try:
            rnd = int(rnd_text)
            if rnd not in (1, 2):
                raise ValueError
        except ValueError:
            problems.append(f"dòng {n}: vòng '{rnd_text}' không hợp lệ (1: thẩm định, 2: sau giải trình)")
            continue
        k = body_key(body)
        dup = seen.get((k, code, fld, rnd))
        if dup is not None:
            problems.append(f"dòng {n}: trùng với dòng {dup} ({body}, mục {code}, trường {fld}, vòng {rnd})")
            continue
        seen[(k, code, fld, rnd)] = n
        out.names.setdefault(k, " ".join(unicodedata.normalize("NFC", body).split()))
        out.bodies.setdefault(k, []).append(
            Entry(code, fld, get(row, "value"), rnd, get(row, "note"), get(row, "explanation"), n))
    if problems:
        raise InputError("tệp thẩm định có lỗi:\n" + "\n".join(f"  - {x}" for x in problems), where)
    return out


def from_values(bodies: Mapping[str, Mapping[Key, Any]], source: str = "") -> Appraisal:
    """An appraisal from appraised workbooks: every field of each body's copy, round 1."""
    out = Appraisal(source)
    for name, values in bodies.items():
        k = body_key(name)
        out.names.setdefault(k, name)
        out.bodies[k] = [Entry(code, fld, v, 1, explicit=False) for (code, fld), v in sorted(values.items())]
    return out


# ---------------------------------------------------------------- applied in the workers

@dataclass
class Applied:
    """A body's appraisal applied: final values and scores, differences per item, problems."""

    final_values: dict[Key, Any]
    final: Scores
    rows: list[dict[str, Any]]
    problems: list[tuple[str, str]]  # (item code, message)


def _clean(fw: Framework, e: Entry) -> tuple[Any, str]:
    item = fw.item_index.get(e.code)
    if item is None:
        return None, f"mã mục '{e.code}' không có trong bộ tiêu chí {fw.id}"
    fields = {f.field: f for f in item_fields(item)}
    f = fields.get(e.field)
    if f is None:
        return None, (f"mục {e.code} không có trường '{e.field}' (các trường: "
                      f"{', '.join(fields)})")
    v = e.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, ""
    if f.type == TEXT:
        return str(v).strip(), ""
    return normalize(f, v.strip() if isinstance(v, str) else v)


def _show(v: Any) -> str:
    from parxl.numbers import format_vn_number

    if v is None or v == "":
        return "(trống)"
    if isinstance(v, float):
        return format_vn_number(v, 4)
    return str(v)


def apply(fw: Framework, values: Mapping[Key, Any], own: Scores, entries: list[Entry]) -> Applied:
    """Put the appraised values (latest round wins) over the self-assessed ``values`` and score."""
    problems: list[tuple[str, str]] = []
    r1: dict[Key, Any] = {}
    r2: dict[Key, Any] = {}
    by_item: dict[str, list[Entry]] = {}
    for e in entries:
        v, problem = _clean(fw, e)
        if problem:
            where = f"dòng {e.line}: " if e.line else ""
            problems.append((e.code, f"{where}{problem}"))
            continue
        if not e.explicit and repr(v) == repr(values.get((e.code, e.field))):
            continue
        (r2 if e.round == 2 else r1)[(e.code, e.field)] = v
        by_item.setdefault(e.code, []).append(e)
    round1 = dict(values)
    round1.update(r1)
    final_values = dict(round1)
    final_values.update(r2)
    for vals in (round1, final_values):
        for k in [k for k, v in vals.items() if v is None]:
            del vals[k]
    s1 = score_values(fw, round1) if r2 else None
    final = score_values(fw, final_values)
    rows: list[dict[str, Any]] = []
    for code in sorted(by_item, key=lambda c: fw.items.index(fw.item_index[c])):
        es = by_item[code]
        if final.items[code].status == KHONG_AP_DUNG:  # exempt: an appraised figure cannot count
            for e in es:
                if e.field != "status":
                    where = f"dòng {e.line}: " if e.line else ""
                    problems.append((code, f"{where}mục {code} được ghi '{KHONG_AP_DUNG}' nên giá trị thẩm định "
                                           f"trường '{e.field}' không được tính điểm; nếu mục có áp dụng, thẩm định "
                                           "cả trường 'status'"))
        own_pts = own.items[code].achieved
        fin_pts = final.items[code].achieved
        r1_pts = s1.items[code].achieved if s1 is not None else fin_pts
        explained = any(e.round == 2 for e in es)
        if explained:
            if abs(fin_pts - own_pts) < 1e-9 and abs(r1_pts - own_pts) > 1e-9:
                outcome = ACCEPTED
            elif abs(fin_pts - r1_pts) < 1e-9:
                outcome = REJECTED if abs(fin_pts - own_pts) > 1e-9 else AGREED
            else:
                outcome = PARTLY
        else:
            outcome = AGREED if abs(fin_pts - own_pts) < 1e-9 else APPRAISED
        changes = []
        for fld in sorted({e.field for e in es}):
            # the body's value, then each value the appraisal gave it ("Có → Không → Có": changed,
            # then restored after the explanation); an appraisal that keeps the value changes nothing
            k = (code, fld)
            steps = [values.get(k), round1.get(k), final_values.get(k)]
            shown = [v for n, v in enumerate(steps) if n == 0 or repr(v) != repr(steps[n - 1])]
            if len(shown) > 1:
                changes.append(f"{fld}: " + " → ".join(_show(v) for v in shown))
        rows.append({
            "code": code,
            "self_status": own.items[code].status,
            "self_achieved": own_pts,
            "appraised_achieved": r1_pts,
            "final_status": final.items[code].status,
            "final_achieved": fin_pts,
            "difference": round(fin_pts - own_pts, 9),
            "changes": "; ".join(changes),
            "note": " | ".join(f"Vòng {e.round}: {e.note}" for e in sorted(es, key=lambda x: x.round) if e.note),
            "explanation": " | ".join(e.explanation for e in es if e.explanation),
            "explained": explained,
            "outcome": outcome,
        })
    return Applied(final_values, final, rows, problems)
