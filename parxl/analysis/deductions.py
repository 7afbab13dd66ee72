"""Points deducted (điểm bị trừ) per item, criterion, domain and office, with shares.

The share of a group is its deducted points over all deducted points of the same selection
(seed 000: procedures lost 1,5 of 6,77 deducted points = 22,16%). By default the selection is
every base item, self-assessed and survey alike ("together"); ``scorers=("self",)`` or
``("survey",)`` counts them separately. A perfect score deducts nothing: shares are then 0,
never a division by zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from parxl.analysis.frames import clean, items_frame, office_label
from parxl.framework.model import BASE_SCORERS, Framework
from parxl.score import Scores

By = Literal["item", "criterion", "domain", "office"]
GROUP_COLUMNS = ("code", "name", "max", "applicable", "achieved", "open", "deducted",
                 "items_deducted", "share")


@dataclass(frozen=True)
class DeductionSummary:
    """Deducted base points, all together and by who scores them."""

    total: float
    self: float
    survey: float
    external: float
    items: int  # base items with points deducted
    self_items: int
    survey_items: int = 0
    external_items: int = 0

    @property
    def assessed(self) -> float:
        """Deducted points of the items assessed by criteria (self + external), not survey."""
        return round(self.self + self.external, 9)

    @property
    def assessed_items(self) -> int:
        return self.self_items + self.external_items

    @property
    def perfect(self) -> bool:
        return self.total <= 0


def deduction_summary(fw: Framework, scores: Scores) -> DeductionSummary:
    df = items_frame(fw, scores)
    by = {s: clean(df.loc[df.scorer == s, "deducted"].sum()) for s in BASE_SCORERS}
    lost = df[df.deducted > 0]
    return DeductionSummary(
        total=clean(df.deducted.sum()),
        self=by["self"],
        survey=by["survey"],
        external=by["external"],
        items=len(lost),
        self_items=int((lost.scorer == "self").sum()),
        survey_items=int((lost.scorer == "survey").sum()),
        external_items=int((lost.scorer == "external").sum()),
    )


def _select(df: pd.DataFrame, scorers: Iterable[str] | None) -> pd.DataFrame:
    if scorers is None:
        return df
    wanted = set(scorers)
    return df[df.scorer.isin(wanted)]


def deductions(
    fw: Framework,
    scores: Scores,
    by: By = "domain",
    scorers: Iterable[str] | None = None,
    *,
    only_deducted: bool = False,
) -> pd.DataFrame:
    """Deducted points per group, with each group's share of all points deducted.

    Columns ``code, name, max, applicable, achieved, open, deducted, items_deducted, share``;
    rows in framework order (offices: most deducted first). ``only_deducted`` drops groups
    that lost nothing.
    """
    df = _select(items_frame(fw, scores), scorers)
    total = clean(df.deducted.sum())
    if by == "item":
        out = df[["code", "name", "max", "applicable", "achieved", "open", "deducted"]].copy()
        out["items_deducted"] = (df.deducted > 0).astype(int)
    else:
        key, name = {
            "criterion": ("criterion", "criterion_name"),
            "domain": ("domain", "domain_name"),
            "office": ("office", "office"),
        }[by]
        work = df.copy()
        if by == "office":
            work["office"] = [office_label(o, sc) for o, sc in zip(work.office, work.scorer, strict=True)]
        work["lost"] = (work.deducted > 0).astype(int)
        g = work.groupby(key, sort=False)
        out = pd.DataFrame({
            "code": list(g.groups),
            "name": g[name].first().to_numpy(),
            "max": g["max"].sum().to_numpy(),
            "applicable": g["applicable"].sum().to_numpy(),
            "achieved": g["achieved"].sum().to_numpy(),
            "open": g["open"].sum().to_numpy(),
            "deducted": g["deducted"].sum().to_numpy(),
            "items_deducted": g["lost"].sum().to_numpy(),
        })
    for col in ("max", "applicable", "achieved", "open", "deducted"):
        out[col] = out[col].map(clean)
    out["share"] = out.deducted / total if total > 0 else 0.0
    if by == "office":
        out = out.sort_values(["deducted", "code"], ascending=[False, True], kind="stable")
    if only_deducted:
        out = out[out.deducted > 0]
    return out.reset_index(drop=True)[list(GROUP_COLUMNS)]


def domain_split(fw: Framework, scores: Scores) -> pd.DataFrame:
    """Per domain: deducted self-assessed, survey, external and all points, with shares."""
    df = items_frame(fw, scores)
    total = clean(df.deducted.sum())
    rows = []
    for d in fw.domains:
        part = df[df.domain == d.code]
        row: dict[str, object] = {"code": d.code, "name": d.name}
        for s in BASE_SCORERS:
            row[f"deducted_{s}"] = clean(part.loc[part.scorer == s, "deducted"].sum())
        row["deducted"] = clean(part.deducted.sum())
        row["share"] = float(row["deducted"]) / total if total > 0 else 0.0  # type: ignore[arg-type]
        rows.append(row)
    return pd.DataFrame(rows)
