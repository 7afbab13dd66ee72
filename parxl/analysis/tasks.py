"""Plan-task tracking per domain (seed 003/004): planned, implemented, completed, on time.

The user keeps a small table, one row per task of the year's PAR plan (Kế hoạch CCHC)::

    Lĩnh vực | Nhiệm vụ | Tình trạng | Đơn vị chủ trì (optional) | Hạn (optional)

``Tình trạng`` is one of :data:`TASK_STATUSES` (case and spacing do not matter; short forms
such as "trước hạn", "đúng hạn", "trễ hạn" are accepted). What each status counts as:

==========================  ===========  =========  ===================
status                      implemented  completed  timing
==========================  ===========  =========  ===================
Hoàn thành trước hạn        yes          yes        early (on time)
Hoàn thành đúng hạn         yes          yes        on time
Hoàn thành trễ hạn          yes          yes        late
Đang thực hiện              yes          no         in progress
Quá hạn                     no           no         overdue
Chưa đến hạn                no           no         not due
Chưa thực hiện              no           no         not done
Không thực hiện             no           no         dropped (will not be done)
==========================  ===========  =========  ===================

Seed 003 counts an overdue task apart from those implemented (domain 7: 17 tasks, "đã triển khai
thực hiện 13", 2 not done, 1 dropped, "01 nhiệm vụ quá hạn"; 50 of 57 in all).
Seed 004: 51 tasks, 20 early, 24 on time, 1 late, 6 not due -> 45 completed (88,24%), 44 of
45 on time (97,78%). Rates are 0 when there is nothing to divide by.
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from parxl.errors import InputError, Location
from parxl.framework.model import Framework

EARLY, ON_TIME, LATE_DONE = "Hoàn thành trước hạn", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn"
IN_PROGRESS, OVERDUE, NOT_DUE = "Đang thực hiện", "Quá hạn", "Chưa đến hạn"
NOT_DONE, DROPPED = "Chưa thực hiện", "Không thực hiện"
TASK_STATUSES = (EARLY, ON_TIME, LATE_DONE, IN_PROGRESS, OVERDUE, NOT_DUE, NOT_DONE, DROPPED)
_ALIASES = {
    "trước hạn": EARLY, "hoàn thành sớm": EARLY, "sớm": EARLY,
    "đúng hạn": ON_TIME, "hoàn thành": ON_TIME, "đã hoàn thành": ON_TIME,
    "trễ hạn": LATE_DONE, "hoàn thành quá hạn": LATE_DONE, "hoàn thành muộn": LATE_DONE,
    "đang triển khai": IN_PROGRESS, "đã triển khai": IN_PROGRESS,
    "quá hạn": OVERDUE, "chậm": OVERDUE,
    "chưa triển khai": NOT_DONE,
    "không triển khai": DROPPED,
}
COLUMNS = {
    "domain": ("lĩnh vực", "domain", "lv"),
    "task": ("nhiệm vụ", "task", "nội dung"),
    "status": ("tình trạng", "status", "kết quả"),
    "office": ("đơn vị chủ trì", "đơn vị", "office"),
    "deadline": ("hạn", "thời hạn", "deadline"),
}
PROGRESS_COLUMNS = ("domain", "name", "planned", "implemented", "completed", "early", "on_time",
                    "late", "overdue", "in_progress", "not_due", "not_done", "dropped", "implemented_rate",
                    "completed_rate", "on_time_rate")


def _key(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def task_status(text: object) -> str | None:
    key = _key(text)
    for s in TASK_STATUSES:
        if s.casefold() == key:
            return s
    return _ALIASES.get(key)


def normalize_tasks(table: pd.DataFrame, fw: Framework | None = None, source: str = "") -> pd.DataFrame:
    """Columns renamed to ``domain, task, status, office, deadline``; statuses canonical;
    domains given by name mapped to the framework's code. Every problem is collected and
    raised at once as :class:`~parxl.errors.InputError`."""
    rename: dict[str, str] = {}
    for col in table.columns:
        k = _key(col)
        for target, names in COLUMNS.items():
            if k in names and target not in rename.values():
                rename[col] = target
    df = table.rename(columns=rename)
    missing = [c for c in ("domain", "status") if c not in df.columns]
    if missing:
        need = ", ".join({"domain": "'Lĩnh vực'", "status": "'Tình trạng'"}[m] for m in missing)
        raise InputError(f"bảng nhiệm vụ thiếu cột {need}", Location(file=source))
    if "task" not in df.columns:
        df["task"] = ""
    if "office" not in df.columns:
        df["office"] = ""
    df = df[~(df.domain.isna() & df.status.isna())].copy()
    by_name = {_key(d.name): d.code for d in fw.domains} if fw else {}
    codes = {d.code for d in fw.domains} if fw else set()
    problems: list[str] = []
    statuses, domains = [], []
    for pos, (_, r) in enumerate(df.iterrows(), start=2):
        st = task_status(r.status) if not pd.isna(r.status) else None
        if st is None:
            problems.append(f"dòng {pos}: tình trạng '{r.status}' không hợp lệ "
                            f"(dùng: {', '.join(TASK_STATUSES)})")
        statuses.append(st or "")
        dom = r.domain
        text = "" if pd.isna(dom) else str(dom).strip()
        if isinstance(dom, float) and dom.is_integer():
            text = str(int(dom))
        if fw is not None and text not in codes:
            text = by_name.get(_key(text), text)
            if text not in codes:
                problems.append(f"dòng {pos}: lĩnh vực '{dom}' không có trong bộ tiêu chí")
        domains.append(text)
    if problems:
        raise InputError("bảng nhiệm vụ có lỗi:\n" + "\n".join(f"  - {p}" for p in problems),
                         Location(file=source))
    df["status"] = statuses
    df["domain"] = domains
    return df.reset_index(drop=True)


def _rate(n: int, d: int) -> float:
    return n / d if d else 0.0


def task_progress(tasks: pd.DataFrame, fw: Framework | None = None) -> pd.DataFrame:
    """Per domain (framework order) and a last row "Tổng cộng": counts and rates."""
    df = normalize_tasks(tasks, fw)
    order = [d.code for d in fw.domains] if fw else list(dict.fromkeys(df.domain))
    names = {d.code: d.name for d in fw.domains} if fw else {}
    rows = []
    for code in [*order, None]:
        part = df if code is None else df[df.domain == code]
        if code is not None and fw is None and part.empty:
            continue
        st = part.status
        c = {s: int((st == s).sum()) for s in TASK_STATUSES}
        completed = c[EARLY] + c[ON_TIME] + c[LATE_DONE]
        implemented = completed + c[IN_PROGRESS]
        planned = len(part)
        rows.append({
            "domain": "" if code is None else code,
            "name": "Tổng cộng" if code is None else names.get(code, code),
            "planned": planned,
            "implemented": implemented,
            "completed": completed,
            "early": c[EARLY],
            "on_time": c[ON_TIME],
            "late": c[LATE_DONE],  # completed = early + on_time + late
            "overdue": c[OVERDUE],
            "in_progress": c[IN_PROGRESS],
            "not_due": c[NOT_DUE],
            "not_done": c[NOT_DONE],
            "dropped": c[DROPPED],
            "implemented_rate": _rate(implemented, planned),
            "completed_rate": _rate(completed, planned),
            "on_time_rate": _rate(c[EARLY] + c[ON_TIME], completed),
        })
    return pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))
