"""The framework tree: framework → domain → criterion → item (sub-criterion).

Frozen dataclasses built only through :func:`parxl.framework.load.from_dict`, which
validates everything first. Bonus and penalty items live in their own groups beside the
domains: bonus points count up to ``bonus_cap``; penalty points are subtracted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parxl.rules import KINDS, Field, RuleKind
from parxl.rules.expr import Evaluator

SCORERS = {
    "self": "Tự đánh giá",
    "survey": "Điều tra XHH",
    "external": "Cấp trên đánh giá",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
}
BASE_SCORERS = ("self", "survey", "external")


@dataclass(frozen=True)
class Rule:
    kind: str
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def definition(self) -> RuleKind:
        return KINDS[self.kind]

    @cached_property
    def _fields(self) -> tuple[Field, ...]:
        return self.definition.fields(self.params)

    def fields(self) -> tuple[Field, ...]:
        """The rule's input fields (made once: readers ask for them for every row they read)."""
        return self._fields

    def describe(self, max_points: float) -> str:
        return self.definition.describe(self.params, max_points)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.params}


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    max: float
    rule: Rule
    scorer: str = "self"
    office: str = ""
    evidence: str = ""
    guidance: str = ""
    hidden: bool = False

    @cached_property
    def evaluate(self) -> Evaluator:
        """``evaluate(v1, v2, max)`` -> raw points from the inputs (compiled once)."""
        return self.rule.definition.compile(self.rule.params)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "max": self.max,
            "rule": self.rule.to_dict(),
            "scorer": self.scorer,
        }
        for key in ("office", "evidence", "guidance"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.hidden:
            d["hidden"] = True
        return d


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    items: tuple[Item, ...]

    @cached_property
    def max(self) -> float:
        return _sum(i.max for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": self.max,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    criteria: tuple[Criterion, ...]

    @cached_property
    def max(self) -> float:
        return _sum(c.max for c in self.criteria)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for c in self.criteria for i in c.items)

    @property
    def sheet_name(self) -> str:
        return f"Lĩnh vực {self.code}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "max": self.max,
            "criteria": [c.to_dict() for c in self.criteria],
        }


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    level: str
    version: str
    domains: tuple[Domain, ...]
    note: str = ""
    bonus: tuple[Item, ...] = ()
    bonus_cap: float = 0.0
    penalties: tuple[Item, ...] = ()

    @cached_property
    def base_max(self) -> float:
        return _sum(d.max for d in self.domains)

    @cached_property
    def total(self) -> float:
        """Most points a body can have: base maximum plus the bonus cap."""
        return self.base_max + self.bonus_cap

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.domains for c in d.criteria)

    @cached_property
    def base_items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.domains for i in d.items)

    @cached_property
    def items(self) -> tuple[Item, ...]:
        """Every scored item: base items, then bonus, then penalty items."""
        return self.base_items + self.bonus + self.penalties

    @cached_property
    def item_index(self) -> dict[str, Item]:
        return {i.code: i for i in self.items}

    def split(self) -> dict[str, float]:
        """Maximum points by who scores them (self / survey / external)."""
        out = dict.fromkeys(BASE_SCORERS, 0.0)
        for item in self.base_items:
            out[item.scorer] += item.max
        return {k: round(v, 9) for k, v in out.items()}

    def offices(self) -> list[str]:
        return sorted({i.office for i in self.items if i.office})

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "version": self.version,
        }
        if self.note:
            d["note"] = self.note
        d["domains"] = [x.to_dict() for x in self.domains]
        if self.bonus:
            d["bonus"] = {"cap": self.bonus_cap, "items": [i.to_dict() for i in self.bonus]}
        if self.penalties:
            d["penalties"] = {"items": [i.to_dict() for i in self.penalties]}
        return d

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the canonical JSON of the framework (what a return must match)."""
        canon = json.dumps(
            self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        split = self.split()
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "version": self.version,
            "total": round(self.total, 9),
            "base_max": round(self.base_max, 9),
            "self": split["self"],
            "survey": split["survey"],
            "external": split["external"],
            "bonus_cap": self.bonus_cap,
            "domains": len(self.domains),
            "criteria": len(self.criteria),
            "items": len(self.base_items),
            "bonus_items": len(self.bonus),
            "penalty_items": len(self.penalties),
        }


def _sum(values: Iterable[float]) -> float:
    """Sum of maxima, cleaned of binary noise (maxima are decimal numbers like 0.75)."""
    return round(sum(values), 9)


def code_order(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of an item code in reading order: "1.2" before "1.10", "T.1" after the numbers
    (digits 0-9 only: '²' or '①' pass str.isdigit() but not int())."""
    return tuple((0, int(x), "") if x.isascii() and x.isdigit() else (1, 0, x) for x in code.split("."))
