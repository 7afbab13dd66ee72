"""The interim position (sơ kết 6/9 tháng): what is secured, lost, still open, reachable.

During the year an item is achieved (Đạt), failed (Không đạt), not yet due (Chưa đến hạn),
not yet determined (Chưa xác định: survey results come at year end) or not applicable
(Không áp dụng). So an interim score is a range: points secured so far (the "estimated"
total of seeds 003/004: "ước đạt 65,7/90 điểm"), points lost for sure, points still open,
and the most still reachable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from parxl.analysis.frames import clean, items_frame
from parxl.framework.model import BASE_SCORERS, Framework
from parxl.score import CHUA_DEN_HAN, CHUA_XAC_DINH, DAT, KHONG_AP_DUNG, KHONG_DAT, STATUSES, Scores

INTERIM_COLUMNS = ("code", "name", "max", "applicable", "secured", "lost", "not_due",
                   "undetermined", "open", "reachable")


def _canon(status: str) -> str:
    key = status.strip().casefold()
    for s in STATUSES:
        if s.casefold() == key:
            return s
    return status


@dataclass(frozen=True)
class Position:
    """Secured / lost / open points of a set of items (a domain, a scorer, everything)."""

    max: float
    applicable: float
    secured: float
    lost: float
    not_due: float
    undetermined: float

    @property
    def open(self) -> float:
        return clean(self.not_due + self.undetermined)

    @property
    def reachable(self) -> float:
        return clean(self.secured + self.open)


@dataclass(frozen=True)
class Interim:
    """The interim position of one body."""

    items: pd.DataFrame  # per item: status, secured, lost, not_due, undetermined, reachable
    domains: pd.DataFrame  # per domain, columns INTERIM_COLUMNS
    base: Position
    by_scorer: dict[str, Position]
    status_counts: dict[str, int]
    bonus: float
    bonus_open: float
    penalty: float
    estimated_total: float  # secured base points + capped bonus - penalty
    reachable_total: float  # the most the body can still get


def _position(df: pd.DataFrame) -> Position:
    return Position(
        max=clean(df["max"].sum()),
        applicable=clean(df.applicable.sum()),
        secured=clean(df.secured.sum()),
        lost=clean(df.lost.sum()),
        not_due=clean(df.not_due.sum()),
        undetermined=clean(df.undetermined.sum()),
    )


def interim(fw: Framework, scores: Scores, values: Mapping[tuple[str, str], Any] | None = None) -> Interim:
    """Per item and per domain: secured, lost for sure, not due, undetermined, reachable (with the
    inputs, each item's evidence and explanation too)."""
    df = items_frame(fw, scores, values)
    df["status"] = df.status.map(_canon)
    df["secured"] = df.achieved
    df["lost"] = df.deducted
    df["not_due"] = df["open"].where(df.status == CHUA_DEN_HAN, 0.0)
    df["undetermined"] = df["open"].where(df.status != CHUA_DEN_HAN, 0.0)
    df["reachable"] = (df.secured + df["open"]).map(clean)
    rows = []
    for d in fw.domains:
        p = _position(df[df.domain == d.code])
        rows.append({"code": d.code, "name": d.name, "max": p.max, "applicable": p.applicable,
                     "secured": p.secured, "lost": p.lost, "not_due": p.not_due,
                     "undetermined": p.undetermined, "open": p.open, "reachable": p.reachable})
    counts = {s: int((df.status == s).sum()) for s in (DAT, KHONG_DAT, CHUA_DEN_HAN, CHUA_XAC_DINH, KHONG_AP_DUNG)}
    return Interim(
        items=df,
        domains=pd.DataFrame(rows, columns=list(INTERIM_COLUMNS)),
        base=_position(df),
        by_scorer={s: _position(df[df.scorer == s]) for s in BASE_SCORERS},
        status_counts=counts,
        bonus=scores.bonus,
        bonus_open=scores.bonus_open,
        penalty=scores.penalty,
        estimated_total=clean(scores.total),
        reachable_total=clean(scores.reachable),
    )
