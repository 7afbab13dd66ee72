"""Ranking peer bodies (xếp hạng), change from last year, groups and their averages.

Ties: standard competition ranking ("1224"): bodies with equal scores share the best rank and
the next rank is skipped, which is how published PAR index rankings list equal scores
("đồng hạng"). Scores are compared as published, rounded to ``decimals`` (2) with Excel's
rounding, so 93,225 and 93,23 tie. Rank change is last year's rank minus this year's rank:
positive means the body moved up ("tăng 5 hạng"), negative down ("giảm 5 hạng").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from parxl.analysis.frames import clean
from parxl.xlmath import xl_round

RANK_COLUMNS = ("body", "group", "total", "rank", "rank_in_group", "previous_total",
                "previous_rank", "score_change", "rank_change")

_PREFIXES = (
    ("thành phố", "Thành phố"),
    ("tp.", "Thành phố"),
    ("thị xã", "Thị xã"),
    ("thị trấn", "Thị trấn"),
    ("quận", "Quận"),
    ("huyện", "Huyện"),
    ("phường", "Phường"),
    ("xã", "Xã"),
    ("sở", "Sở, ban, ngành"),
    ("ban", "Sở, ban, ngành"),
    ("ubnd", ""),
    ("ủy ban nhân dân", ""),
    ("uỷ ban nhân dân", ""),
)


def infer_group(body: str) -> str:
    """A body's kind from its name: "Quận 1" -> "Quận", "Huyện Củ Chi" -> "Huyện"."""
    text = " ".join(body.split()).casefold()
    while True:
        for prefix, group in _PREFIXES:
            if text.startswith(prefix + " ") or text == prefix:
                if group:
                    return group
                text = text[len(prefix):].strip()
                break
        else:
            return "Khác"


def competition_rank(totals: Mapping[str, float], decimals: int = 2) -> dict[str, int]:
    """``{body: rank}``: 1 + the number of bodies with a strictly higher (rounded) score."""
    shown = {b: xl_round(float(t), decimals) for b, t in totals.items()}
    ordered = sorted(shown.values(), reverse=True)
    first: dict[float, int] = {}
    for pos, v in enumerate(ordered, start=1):
        first.setdefault(v, pos)
    return {b: first[v] for b, v in shown.items()}


def rank_bodies(
    totals: Mapping[str, float],
    *,
    previous: Mapping[str, float] | None = None,
    previous_ranks: Mapping[str, int] | None = None,
    groups: Mapping[str, str] | None = None,
    decimals: int = 2,
) -> pd.DataFrame:
    """One row per body, best first: rank, rank within its group, change from last year.

    ``previous`` gives last year's totals (ranks are then computed among those bodies) or
    ``previous_ranks`` last year's official ranks; bodies missing from them get no change.
    ``groups`` maps a body to its group; by default the group comes from the name
    (:func:`infer_group`).
    """
    ranks = competition_rank(totals, decimals)
    group_of = {b: (groups or {}).get(b) or infer_group(b) for b in totals}
    in_group: dict[str, int] = {}
    for g in set(group_of.values()):
        members = {b: t for b, t in totals.items() if group_of[b] == g}
        in_group.update(competition_rank(members, decimals))
    prev_ranks: dict[str, int] = dict(previous_ranks or {})
    if previous and not previous_ranks:
        prev_ranks = competition_rank(previous, decimals)
    rows = []
    for b, t in totals.items():
        pt = (previous or {}).get(b)
        pr = prev_ranks.get(b)
        rows.append({
            "body": b,
            "group": group_of[b],
            "total": clean(t),
            "rank": ranks[b],
            "rank_in_group": in_group[b],
            "previous_total": None if pt is None else clean(pt),
            "previous_rank": pr,
            "score_change": None if pt is None else clean(xl_round(t, decimals) - xl_round(pt, decimals)),
            "rank_change": None if pr is None else pr - ranks[b],
        })
    df = pd.DataFrame(rows, columns=list(RANK_COLUMNS))
    df = df.sort_values(["rank", "body"], kind="stable").reset_index(drop=True)
    for col in ("previous_rank", "rank_change"):
        df[col] = df[col].astype("Int64")
    return df


def group_averages(ranking: pd.DataFrame) -> pd.DataFrame:
    """Per group: number of bodies, average / highest / lowest total, the best body."""
    rows = []
    for g, part in ranking.groupby("group", sort=False):
        best = part.sort_values(["rank", "body"]).iloc[0]
        rows.append({
            "group": g,
            "bodies": len(part),
            "average": clean(part.total.mean()),
            "highest": clean(part.total.max()),
            "lowest": clean(part.total.min()),
            "best": best.body,
        })
    rows.append({
        "group": "Tất cả",
        "bodies": len(ranking),
        "average": clean(ranking.total.mean()) if len(ranking) else 0.0,
        "highest": clean(ranking.total.max()) if len(ranking) else 0.0,
        "lowest": clean(ranking.total.min()) if len(ranking) else 0.0,
        "best": ranking.iloc[0].body if len(ranking) else "",
    })
    return pd.DataFrame(rows)
