"""Remedy list (khắc phục điểm bị trừ): per responsible office, the items that lost points.

Seed 001: after the index is published, each office must explain its deducted points within
10 working days ("chậm nhất trong 10 ngày làm việc kể từ ngày công bố Chỉ số"). Working days
skip Saturdays, Sundays and the public holidays the caller passes (holiday dates change every
year, so parxl does not guess them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from parxl.analysis.frames import NO_OFFICE, clean, items_frame, office_label
from parxl.framework.model import Framework
from parxl.numbers import format_vn_number
from parxl.score import Scores

REMEDY_COLUMNS = ("office", "code", "name", "domain", "domain_name", "criterion", "scorer", "max",
                  "achieved", "deducted", "share", "status", "reason", "explanation", "deadline")


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The date ``days`` working days after ``start`` (Mon-Fri, not a holiday)."""
    off = set(holidays)
    d = start
    left = days
    while left > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in off:
            left -= 1
    return d


def _reason(r: Any) -> str:
    pts = f"đạt {format_vn_number(r.achieved)}/{format_vn_number(r['max'])} điểm"
    return f"{r.status} ({pts})" if r.status else pts


def remedy_list(
    fw: Framework,
    scores: Scores,
    values: Mapping[tuple[str, str], Any] | None = None,
    *,
    published: dt.date | None = None,
    working_days: int = 10,
    holidays: Iterable[dt.date] = (),
) -> pd.DataFrame:
    """One row per base item that lost points, grouped by office (most deducted office first).

    ``reason`` is the office's explanation (column "Giải trình") when typed, else the status
    and points; ``deadline`` is ``published`` + ``working_days`` working days (None when no
    publication date is given, and for survey and superior-body items: no office of the body
    answers for those).
    """
    df = items_frame(fw, scores, values)
    total = clean(df.deducted.sum())
    lost = df[df.deducted > 1e-9].copy()
    lost["office"] = [office_label(o, sc) for o, sc in zip(lost.office, lost.scorer, strict=True)]
    lost["share"] = lost.deducted / total if total > 0 else 0.0
    lost["reason"] = [r.explanation or _reason(r) for _, r in lost.iterrows()]
    deadline = add_working_days(published, working_days, holidays) if published else None
    lost["deadline"] = [None if o in NO_OFFICE else deadline for o in lost.office]
    order = lost.groupby("office").deducted.sum().map(clean).sort_values(ascending=False, kind="stable")
    rank = {o: i for i, o in enumerate(sorted(order.index, key=lambda o: (-order[o], o)))}
    lost["_o"] = lost.office.map(rank)
    lost["_i"] = range(len(lost))
    lost = lost.sort_values(["_o", "_i"]).drop(columns=["_o", "_i"])
    return lost.reset_index(drop=True)[list(REMEDY_COLUMNS)]


def remedy_by_office(remedy: pd.DataFrame) -> pd.DataFrame:
    """Per office: number of items, points lost, share of all deducted points, deadline."""
    rows = []
    for office, part in remedy.groupby("office", sort=False):
        rows.append({
            "office": office,
            "items": len(part),
            "deducted": clean(part.deducted.sum()),
            "share": float(part.share.sum()),
            "deadline": part.deadline.iloc[0],
        })
    return pd.DataFrame(rows, columns=["office", "items", "deducted", "share", "deadline"])
