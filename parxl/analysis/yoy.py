"""Year over year for one body: items improved / persisted / new, domains up / down.

Items are matched by code (frameworks change between years; items whose code is missing
from the other year are listed as unmapped, never silently dropped). For items deducted in
either year (seed 000: "cải thiện được 07/10 nội dung bị trừ điểm so với năm 2022 ... 03 nội
dung chưa cải thiện ... 09 nội dung phát sinh mới"):

- improved (đã khắc phục): deducted last year, nothing deducted this year;
- persisted (chưa khắc phục): deducted both years (``change`` says by how much);
- new (phát sinh mới): deducted this year only.

So last year's deducted items that still exist = improved + persisted + open (deducted last
year, no result yet this year: not due / undetermined, never counted as improved); this year's
= persisted + new. Last year's deducted items whose code is gone this year are listed apart
(:meth:`YearOverYear.dropped_deducted`), so every count adds up to what it is a share of.
Counts leave survey items (điều tra xã hội học) out by default, as seed 000 does ("12 nội
dung" are the self-assessed items; the survey score is reported on its own); the table keeps
them, with their scorer.
Domains are compared by their achieved share of applicable points (robust to a changed
maximum), with the points achieved shown too.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from parxl.analysis.frames import clean, items_frame
from parxl.framework.model import Framework
from parxl.score import Scores

IMPROVED, PERSISTED, NEW, OPEN = "improved", "persisted", "new", "open"
LABELS = {
    IMPROVED: "Đã khắc phục",
    PERSISTED: "Chưa khắc phục",
    NEW: "Phát sinh mới",
    OPEN: "Chưa có kết quả",
}
_EPS = 1e-9


@dataclass(frozen=True)
class YearOverYear:
    total: float
    previous_total: float
    items: pd.DataFrame  # code, name, domain, office, deducted, previous_deducted, change, change_kind
    domains: pd.DataFrame  # code, name, achieved, previous_achieved, index, previous_index, trend
    unmapped_now: list[str] = field(default_factory=list)  # codes only in this year's framework
    unmapped_previous: list[str] = field(default_factory=list)  # codes only in last year's
    # codes only in last year's framework that were deducted last year -> their scorer then
    unmapped_previous_deducted: dict[str, str] = field(default_factory=dict)

    @property
    def score_change(self) -> float:
        return clean(self.total - self.previous_total)

    def _rows(self, survey: bool) -> pd.DataFrame:
        return self.items if survey else self.items[self.items.scorer != "survey"]

    def count(self, kind: str, *, survey: bool = False) -> int:
        """Items of a kind (improved / persisted / new / open); survey items only if asked."""
        return int((self._rows(survey).kind == kind).sum())

    def previous_deducted_items(self, *, survey: bool = False) -> int:
        """Items deducted last year that still exist this year."""
        rows = self._rows(survey)
        return int((rows.previous_deducted > _EPS).sum())

    def still_open(self, *, survey: bool = False) -> int:
        """Items deducted last year with no result yet this year (not due / undetermined)."""
        rows = self._rows(survey)
        return int(((rows.kind == OPEN) & (rows.previous_deducted > _EPS)).sum())

    def dropped_deducted(self, *, survey: bool = False) -> list[str]:
        """Codes of items deducted last year that this year's framework no longer has."""
        return [c for c, scorer in self.unmapped_previous_deducted.items() if survey or scorer != "survey"]

    def domains_with(self, trend: str) -> int:
        return int((self.domains.trend == trend).sum())


def compare_years(fw: Framework, scores: Scores, prev_fw: Framework, prev_scores: Scores) -> YearOverYear:
    """Compare this year's scores with last year's, matching items and domains by code."""
    now = items_frame(fw, scores).set_index("code")
    before = items_frame(prev_fw, prev_scores).set_index("code")
    prev_deducted: dict[str, float] = {str(c): float(v) for c, v in zip(before.index, before.deducted, strict=True)}
    rows = []
    for code, r in now.iterrows():
        if code not in prev_deducted:
            continue
        ded, pded = float(r.deducted), prev_deducted[str(code)]
        if ded > _EPS:
            kind = PERSISTED if pded > _EPS else NEW
        elif float(r["open"]) > _EPS:
            kind = OPEN
        elif pded > _EPS:
            kind = IMPROVED
        else:
            continue
        rows.append({
            "code": code, "name": r["name"], "domain": r.domain, "office": r.office,
            "scorer": r.scorer, "deducted": ded, "previous_deducted": pded,
            "change": clean(ded - pded), "kind": kind, "label": LABELS[kind],
            "explanation": r.explanation,
        })
    items = pd.DataFrame(rows, columns=["code", "name", "domain", "office", "scorer", "deducted",
                                        "previous_deducted", "change", "kind", "label", "explanation"])
    prev_domains = {d.code: d for d in prev_fw.domains}
    drows = []
    for d in fw.domains:
        g = scores.domains[d.code]
        pd_ = prev_domains.get(d.code)
        if pd_ is None:
            drows.append({"code": d.code, "name": d.name, "achieved": clean(g.achieved),
                          "applicable": clean(g.applicable), "previous_achieved": None,
                          "previous_applicable": None, "index": g.index, "previous_index": None,
                          "trend": "unmapped"})
            continue
        pg = prev_scores.domains[d.code]
        diff = g.index - pg.index
        trend = "up" if diff > _EPS else "down" if diff < -_EPS else "same"
        drows.append({"code": d.code, "name": d.name, "achieved": clean(g.achieved),
                      "applicable": clean(g.applicable), "previous_achieved": clean(pg.achieved),
                      "previous_applicable": clean(pg.applicable), "index": g.index,
                      "previous_index": pg.index, "trend": trend})
    return YearOverYear(
        total=clean(scores.total),
        previous_total=clean(prev_scores.total),
        items=items,
        domains=pd.DataFrame(drows),
        unmapped_now=[c for c in now.index if c not in before.index],
        unmapped_previous=[c for c in before.index if c not in now.index],
        unmapped_previous_deducted={str(c): str(r.scorer) for c, r in before.iterrows()
                                    if c not in now.index and float(r.deducted) > _EPS},
    )


def _content(name: str) -> str:
    """An item's name for comparing two frameworks: letter case, spacing and punctuation aside."""
    text = unicodedata.normalize("NFC", name).casefold()
    return " ".join(text.translate(str.maketrans(string.punctuation, " " * len(string.punctuation))).split())


def same_items(fw: Framework, prev_fw: Framework) -> list[str]:
    """Codes of this year's base items that last year's framework has with the same content (the
    same code and name): what a year-over-year comparison of two frameworks can rest on."""
    before = {i.code: _content(i.name) for i in prev_fw.base_items}
    return [i.code for i in fw.base_items if before.get(i.code) == _content(i.name)]
