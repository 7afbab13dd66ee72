"""Tidy tables (pandas) of one body's scores, the common ground of every analysis.

``items_frame`` has one row per base item (and optionally bonus/penalty items), with the
framework's tree (domain, criterion), responsible office, who scores it, and every number the
evaluator computed. No I/O: callers pass a :class:`~parxl.framework.model.Framework`, the
:class:`~parxl.score.Scores` and, for texts typed by offices, the input values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from parxl.framework.model import SCORERS, Framework
from parxl.score import Scores
from parxl.xlmath import xl_round

ITEM_COLUMNS = (
    "code", "name", "domain", "domain_name", "criterion", "criterion_name", "office", "scorer",
    "max", "raw", "status", "applicable", "achieved", "open", "deducted", "evidence", "explanation",
)
UNASSIGNED = "Chưa phân công đơn vị chủ trì"
SURVEY_OFFICE = "Điều tra xã hội học"
EXTERNAL_OFFICE = SCORERS["external"]  # "Cấp trên đánh giá": no office of the body fills these
NO_OFFICE = (SURVEY_OFFICE, EXTERNAL_OFFICE)  # scored outside the body: no office answers for them


def office_label(office: str, scorer: str) -> str:
    """The office an item is assigned to, or what stands for it when none is named."""
    if office:
        return office
    if scorer == "survey":
        return SURVEY_OFFICE
    return EXTERNAL_OFFICE if scorer == "external" else UNASSIGNED


def clean(x: float) -> float:
    """A sum of decimal points without binary noise (0.1 + 0.2 -> 0.3)."""
    return xl_round(float(x), 9)


def _text(values: Mapping[tuple[str, str], Any] | None, code: str, name: str) -> str:
    if not values:
        return ""
    v = values.get((code, name))
    return "" if v is None else str(v).strip()


def items_frame(
    fw: Framework,
    scores: Scores,
    values: Mapping[tuple[str, str], Any] | None = None,
    *,
    extra: bool = False,
) -> pd.DataFrame:
    """One row per scored item: tree, office, scorer, numbers, evidence and explanation.

    Base items only unless ``extra`` (then bonus and penalty items follow, with domain
    ``"T"`` / ``"Đ"``).
    """
    rows: list[dict[str, Any]] = []
    for d in fw.domains:
        for c in d.criteria:
            for it in c.items:
                rows.append(_row(it, d.code, d.name, c.code, c.name, scores, values))
    if extra:
        for it in fw.bonus:
            rows.append(_row(it, "T", SCORERS["bonus"], "T", SCORERS["bonus"], scores, values))
        for it in fw.penalties:
            rows.append(_row(it, "Đ", SCORERS["penalty"], "Đ", SCORERS["penalty"], scores, values))
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS))


def _row(it: Any, dcode: str, dname: str, ccode: str, cname: str, scores: Scores,
         values: Mapping[tuple[str, str], Any] | None) -> dict[str, Any]:
    s = scores.items[it.code]
    return {
        "code": it.code,
        "name": it.name,
        "domain": dcode,
        "domain_name": dname,
        "criterion": ccode,
        "criterion_name": cname,
        "office": it.office,
        "scorer": it.scorer,
        "max": it.max,
        "raw": s.raw,
        "status": s.status,
        "applicable": s.applicable,
        "achieved": s.achieved,
        "open": s.open,
        "deducted": s.deducted,
        "evidence": _text(values, it.code, "evidence"),
        "explanation": _text(values, it.code, "explanation"),
    }
