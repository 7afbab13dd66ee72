"""The Python evaluator: inputs by item code -> every number the template computes.

It mirrors, cell for cell, the formulas :mod:`parxl.workbook.build` writes (same rule
expressions, same status logic, same order of sums), so the Python result, LibreOffice and
``formulas`` agree; the engine-parity tests prove it. Pure Python, no I/O (runs in Pyodide).

Per item, with ``E`` = max and the typed status ``G``::

    raw        = rule(inputs)                                   (column "Điểm theo số liệu")
    status     = G if typed, "Chưa xác định" if no input, else Đạt (raw >= max) / Không đạt
    applicable = 0 if status is Không áp dụng else E
    achieved   = 0 if status is Không áp dụng / Chưa đến hạn / Chưa xác định else raw
    open       = E if status is Chưa đến hạn / Chưa xác định else 0
    deducted   = ROUND(applicable - achieved - open, 9)   (0 for bonus and penalty items)

A penalty item's derived status is Đạt when it incurred no penalty point.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parxl.framework.model import BASE_SCORERS, Framework, Item
from parxl.numbers import excel_text, parse_vn_number
from parxl.rules.base import RATE, YESNO
from parxl.xlmath import to_15_digits, xl_round

DAT, KHONG_DAT, CHUA_DEN_HAN, CHUA_XAC_DINH, KHONG_AP_DUNG = (
    "Đạt",
    "Không đạt",
    "Chưa đến hạn",
    "Chưa xác định",
    "Không áp dụng",
)
STATUSES = (DAT, KHONG_DAT, CHUA_DEN_HAN, CHUA_XAC_DINH, KHONG_AP_DUNG)
_OPEN = {CHUA_DEN_HAN.casefold(), CHUA_XAC_DINH.casefold()}
_NA = KHONG_AP_DUNG.casefold()
_BY_KEY = {s.casefold(): s for s in STATUSES}

Values = Mapping[tuple[str, str], Any]


@dataclass(frozen=True)
class ItemScore:
    """One item's numbers; immutable (scoring hands the same object to every body whose inputs
    for the item are the same)."""

    code: str
    max: float
    raw: float
    status: str
    applicable: float
    achieved: float
    open: float
    deducted: float
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            k: getattr(self, k) for k in self.__dataclass_fields__ if k != "error" or self.error
        }


@dataclass
class GroupScore:
    code: str
    name: str
    max: float
    applicable: float = 0.0
    achieved: float = 0.0
    open: float = 0.0
    deducted: float = 0.0
    share: float = 0.0  # share of all deducted base points (domains and criteria)

    @property
    def reachable(self) -> float:
        return self.achieved + self.open

    @property
    def index(self) -> float:
        return self.achieved / self.applicable if self.applicable else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["reachable"] = self.reachable
        d["index"] = self.index
        return d


@dataclass
class Scores:
    framework_id: str
    items: dict[str, ItemScore]
    criteria: dict[str, GroupScore]
    domains: dict[str, GroupScore]
    base: GroupScore
    by_scorer: dict[str, GroupScore]
    bonus_raw: float
    bonus: float
    bonus_open: float
    penalty: float
    total: float
    reachable: float
    index: float
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> dict[str, str]:
        return {c: s.error for c, s in self.items.items() if s.error}

    def as_dict(self) -> dict[str, Any]:
        """Everything, for JSON: numbers as Excel holds them (15 significant digits: 57.96, not
        the float sum 57.959999999999994)."""
        out: dict[str, Any] = _excel_numbers({
            "framework": self.framework_id,
            "total": self.total,
            "index": self.index,
            "base": self.base.as_dict(),
            "bonus_raw": self.bonus_raw,
            "bonus": self.bonus,
            "bonus_open": self.bonus_open,
            "penalty": self.penalty,
            "interim": {"secured": self.total, "reachable": self.reachable},
            "by_scorer": {k: v.as_dict() for k, v in self.by_scorer.items()},
            "status_counts": self.status_counts,
            "domains": [d.as_dict() for d in self.domains.values()],
            "criteria": [c.as_dict() for c in self.criteria.values()],
            "items": [i.as_dict() for i in self.items.values()],
        })
        return out


def _excel_numbers(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(to_15_digits(obj)) if math.isfinite(obj) else obj
    if isinstance(obj, dict):
        return {k: _excel_numbers(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_excel_numbers(v) for v in obj]
    return obj


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def input_number(v: Any, ftype: str) -> tuple[float, str]:
    """A numeric input as the evaluator uses it, and a Vietnamese problem text if any."""
    if _blank(v):
        return 0.0, ""
    n = parse_vn_number(v)
    if n is None:
        return 0.0, f"'{excel_text(v)}' không phải là số"
    if ftype == RATE and isinstance(v, str) and not v.strip().endswith("%") and n > 1:
        return 0.0, f"tỷ lệ '{v}' phải ghi dạng phần trăm, ví dụ {v.strip()}%"
    return n, ""


@dataclass(frozen=True)
class _ItemPlan:
    """What scoring one item needs, prepared once per framework."""

    item: Item
    fields: tuple[tuple[tuple[str, str], int, str], ...]  # ((code, field), slot index, type)
    status_key: tuple[str, str]
    keys: tuple[tuple[str, str], ...] = ()  # every value the item's score depends on
    # inputs -> score: most items take one of a few values (yes/no, a status, whole points),
    # the same in most bodies; bounded, so a province of distinct rates cannot grow it
    memo: dict[tuple[Any, ...], ItemScore] = field(default_factory=dict, compare=False, repr=False)


def _item_plan(item: Item) -> _ItemPlan:
    return _ItemPlan(
        item,
        tuple(((item.code, f.name), f.slot - 1, f.type) for f in item.rule.fields()),
        (item.code, "status"),
        (*((item.code, f.name) for f in item.rule.fields()), (item.code, "status")),
    )


@dataclass(frozen=True)
class _Plan:
    """The framework's shape as scoring walks it, prepared once per framework."""

    items: tuple[_ItemPlan, ...]
    domains: tuple[tuple[str, str, float, tuple[tuple[str, str, float, tuple[str, ...]], ...]], ...]
    by_scorer: tuple[tuple[str, float, tuple[tuple[str, str, tuple[str, ...]], ...]], ...]
    bonus: tuple[str, ...]
    penalties: tuple[str, ...]
    base: tuple[str, ...]


def _plan(fw: Framework) -> _Plan:
    cached: _Plan | None = fw.__dict__.get("_score_plan")
    if cached is None:
        cached = _Plan(
            items=tuple(_item_plan(i) for i in fw.items),
            domains=tuple(
                (d.code, d.name, d.max,
                 tuple((c.code, c.name, c.max, tuple(i.code for i in c.items)) for c in d.criteria))
                for d in fw.domains
            ),
            by_scorer=tuple(
                (s,
                 _add(_add(i.max for i in d.items if i.scorer == s) for d in fw.domains),
                 tuple((d.code, d.name, tuple(i.code for i in d.items if i.scorer == s))
                       for d in fw.domains))
                for s in BASE_SCORERS
            ),
            bonus=tuple(i.code for i in fw.bonus),
            penalties=tuple(i.code for i in fw.penalties),
            base=tuple(i.code for i in fw.base_items),
        )
        fw.__dict__["_score_plan"] = cached  # frozen dataclass: cache beside cached_property
    return cached


NOT_APPLICABLE, OPEN, DETERMINED = "not applicable", "open", "determined"


def derived_status(typed: Any, filled: bool, raw: float, max_points: float, penalty: bool) -> str:
    """The status an item is scored with (column "Tình trạng tính điểm"): the typed one, else
    Chưa xác định without inputs, else Đạt when the maximum is reached (a penalty item: when no
    penalty point was incurred), else Không đạt."""
    if not _blank(typed):
        return str(typed)
    if not filled:
        return CHUA_XAC_DINH
    return DAT if (raw <= 0 if penalty else raw >= max_points) else KHONG_DAT


def status_kind(status: str) -> str:
    """How a status scores, as the template's formulas compare it (case-insensitively, as typed):
    NOT_APPLICABLE (no maximum, no points), OPEN (maximum still reachable) or DETERMINED (the
    rule's points count; every other text, as the formulas do)."""
    key = status.casefold()
    if key == _NA:
        return NOT_APPLICABLE
    return OPEN if key in _OPEN else DETERMINED


def _round9(x: float) -> float:
    """ROUND(x, 9) as Excel does; most values already have few decimals."""
    text = repr(x)
    dot = text.find(".")
    if "e" not in text and (dot < 0 or len(text) - dot - 1 <= 9):
        return x
    return xl_round(x, 9)


def score_item(item: Item, values: Values) -> ItemScore:
    return _score(_item_plan(item), values)


_MEMO_SIZE = 256  # scores kept per item


def _score(plan: _ItemPlan, values: Values) -> ItemScore:
    """`_score_new`, remembered per item by its inputs and their types (1, 1.0 and True are
    equal keys in a dict but not equal inputs: a yes/no cell reads them as different texts)."""
    got = tuple(values.get(k) for k in plan.keys)
    memo = plan.memo
    try:
        key = (*got, *map(type, got))
        if 0.0 in got:  # and 0.0, -0.0 are equal keys too
            key += tuple(math.copysign(1.0, v) if type(v) is float else 0.0 for v in got)
        hit = memo.get(key)
    except TypeError:  # a value that cannot be a key (unhashable; pandas.NA): not remembered
        return _score_new(plan, values)
    if hit is None:
        hit = _score_new(plan, values)
        if len(memo) < _MEMO_SIZE:
            memo[key] = hit
    return hit


def _score_new(plan: _ItemPlan, values: Values) -> ItemScore:
    item = plan.item
    args: list[Any] = [0.0, 0.0]
    filled = False
    error = ""
    for field_key, slot, ftype in plan.fields:
        v = values.get(field_key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if ftype == YESNO:
                args[slot] = ""
            continue
        filled = True
        if ftype == YESNO:
            args[slot] = v if isinstance(v, str) else str(v)
        elif isinstance(v, float | int) and not isinstance(v, bool):
            args[slot] = float(v)
        else:
            args[slot], problem = input_number(v, ftype)
            error = error or problem
    mx = item.max
    raw = float(item.evaluate(args[0], args[1], mx))
    status = derived_status(values.get(plan.status_key), filled, raw, mx, item.scorer == "penalty")
    kind = status_kind(status)
    applicable = 0.0 if kind == NOT_APPLICABLE else mx
    achieved = raw if kind == DETERMINED else 0.0
    open_points = mx if kind == OPEN else 0.0
    # bonus and penalty items deduct nothing from the base (their sheet has no such cell)
    extra = item.scorer in ("bonus", "penalty")
    deducted = 0.0 if extra else _round9(applicable - achieved - open_points)
    return ItemScore(item.code, mx, raw, status, applicable, achieved, open_points, deducted, error)


def _add(values: Iterable[float]) -> float:
    """Left-to-right addition, as Excel's SUM. Not ``sum()``: from Python 3.12 on it compensates
    rounding errors (Neumaier), so the last bit of a total would depend on the Python version
    (CPython 3.11 here vs 3.14 in Pyodide / xlwings Lite)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _group(code: str, name: str, max_points: float, parts: Iterable[ItemScore | GroupScore]) -> GroupScore:
    """Sums of the parts' columns, each added left to right (as `_add`), in one pass."""
    applicable = achieved = open_points = deducted = 0.0
    for p in parts:
        applicable += p.applicable
        achieved += p.achieved
        open_points += p.open
        deducted += p.deducted
    return GroupScore(code, name, max_points, applicable, achieved, open_points, deducted)


def score_values(fw: Framework, values: Values) -> Scores:
    """Score a body's inputs, given as ``{(item code, field): value}``."""
    plan = _plan(fw)
    items = {p.item.code: _score(p, values) for p in plan.items}
    criteria: dict[str, GroupScore] = {}
    domains: dict[str, GroupScore] = {}
    for d_code, d_name, d_max, crits in plan.domains:
        groups = []
        for c_code, c_name, c_max, codes in crits:
            g = criteria[c_code] = _group(c_code, c_name, c_max, [items[i] for i in codes])
            groups.append(g)
        domains[d_code] = _group(d_code, d_name, d_max, groups)
    base = _group("", "Điểm cơ bản", fw.base_max, domains.values())
    for g in (*domains.values(), *criteria.values()):
        g.share = g.deducted / base.deducted if base.deducted != 0 else 0.0
    base.share = 1.0 if base.deducted != 0 else 0.0
    by_scorer = {}
    for s, s_max, per_domain in plan.by_scorer:
        g = _group(s, s, 0.0, [_group(dc, dn, 0.0, [items[i] for i in codes])
                               for dc, dn, codes in per_domain])
        g.max = s_max
        by_scorer[s] = g
    bonus_raw = _add(items[c].achieved for c in plan.bonus)
    bonus_open = _add(items[c].open for c in plan.bonus)
    bonus = min(fw.bonus_cap, bonus_raw)
    penalty = _add(items[c].achieved for c in plan.penalties)
    total = base.achieved + bonus - penalty
    reachable = base.achieved + base.open + min(fw.bonus_cap, bonus_raw + bonus_open) - penalty
    denominator = base.applicable + fw.bonus_cap
    index = total / denominator if denominator != 0 else 0.0
    counts = dict.fromkeys(STATUSES, 0)
    for c in plan.base:
        canonical = _BY_KEY.get(items[c].status.casefold())
        if canonical is not None:
            counts[canonical] += 1
    return Scores(
        framework_id=fw.id,
        items=items,
        criteria=criteria,
        domains=domains,
        base=base,
        by_scorer=by_scorer,
        bonus_raw=bonus_raw,
        bonus=bonus,
        bonus_open=bonus_open,
        penalty=penalty,
        total=total,
        reachable=reachable,
        index=index,
        status_counts=counts,
    )
