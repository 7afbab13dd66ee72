"""Each rule kind's Python evaluation, against values worked out by hand from the seeds."""

from __future__ import annotations

from typing import Any

import pytest

from parxl.rules import KINDS


def run(kind: str, params: dict[str, Any], mx: float, v1: Any, v2: Any = 0.0) -> float:
    p, problems = KINDS[kind].normalize(params, mx)
    assert problems == []
    return KINDS[kind].compile(p)(v1, v2, mx)


def test_seed_004_rates() -> None:
    assert run("proportional", {}, 3, 0.62) == 1.86  # digitisation 62% of 3 points
    assert run("proportional", {"rounding": "trunc"}, 1, 0.777) == 0.77  # training 77.7% of 1
    assert run("proportional", {}, 2, 0.8) == 1.6  # plan 80% of 2 points
    tiers = {"tiers": [[1, 1.5], [0.9, 1.0], [0.85, 0.5]]}
    assert run("tiers", tiers, 1.5, 0.806) == 0.0  # e-documents 80.6%: below the floor
    assert run("tiers", tiers, 1.5, 0.9) == 1.0
    assert run("tiers", tiers, 1.5, 1.0) == 1.5


def test_a_tier_is_reached_at_the_rate_a_person_reads() -> None:
    """8,1 of 9 million đồng disbursed is 90% (0.8999999999999999 in binary: the tier below, when
    compared exactly); so are 11,7 of 13 and a pasted 0.7999999999999999 for 80%."""
    tiers = {"tiers": [[0.95, 1], [0.9, 0.75], [0.8, 0.5]]}
    amounts = {**tiers, "basis": "amounts"}
    assert 8.1 / 9 < 0.9 and 11.7 / 13 < 0.9 and 2.4 / 3 < 0.8  # what the rule must see through
    assert run("tiers", amounts, 1, 8.1, 9) == 0.75
    assert run("tiers", amounts, 1, 11.7, 13) == 0.75
    assert run("tiers", amounts, 1, 2.4, 3) == 0.5
    assert run("tiers", tiers, 1, 0.7999999999999999) == 0.5
    assert run("tiers", tiers, 1, 0.79999999) == 0.0  # a real shortfall still misses the tier


def test_counts_basis_and_zero_denominator() -> None:
    counts = {"basis": "counts"}
    assert run("proportional", counts, 3, 997, 1000) == 2.99
    assert run("proportional", counts, 3, 0, 0) == 3  # nothing to resolve: full points
    assert run("proportional", {**counts, "if_zero": "zero"}, 3, 0, 0) == 0
    assert run("proportional", counts, 3, 1200, 1000) == 3  # capped at 100%


def test_count_incidents_manual_yesno() -> None:
    assert run("count", {"per_unit": 1}, 2, 1) == 1  # seed 003: one initiative of two
    assert run("count", {"per_unit": 1}, 2, 5) == 2
    assert run("incidents", {"per_incident": 0.5}, 1, 2) == 0.0  # 2 late answers, floor 0
    assert run("incidents", {"per_incident": 0.25}, 1, 1) == 0.75
    assert run("manual", {}, 2, 2.5) == 2  # clamped to max
    assert run("manual", {}, 2, -1) == 0
    assert run("yesno", {}, 0.5, "có") == 0.5  # case-insensitive like Excel
    assert run("yesno", {}, 0.5, "Không") == 0


def test_rounding_half_away_from_zero() -> None:
    # 3 × 55.5% = 1.665 -> 1.67 in Excel; Python's round gives 1.66 or 1.67 by binary accident
    assert run("proportional", {}, 3, 0.555) == 1.67
    assert run("proportional", {}, 1, 0.285) == 0.29


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("count", {}, "thiếu tham số 'per_unit'"),
        ("tiers", {"tiers": [[0.5, 1], [0.9, 1]]}, "giảm dần"),
        ("tiers", {"tiers": [[1, 9]]}, "vượt điểm tối đa"),
        ("proportional", {"rounding": "up"}, "'round' hoặc 'trunc'"),
        ("manual", {"x": 1}, "không dùng"),
    ],
)
def test_bad_parameters_are_named(kind: str, params: dict[str, Any], message: str) -> None:
    _, problems = KINDS[kind].normalize(params, 2)
    assert any(message in p for p in problems), problems


def test_excel_formula_is_rendered_from_the_same_expression() -> None:
    p, _ = KINDS["proportional"].normalize({"basis": "counts", "rounding": "trunc"}, 3)
    xl = KINDS["proportional"].expression(p).xl({"v1": "H5", "v2": "I5", "max": "E5"})
    assert xl == "IF(I5<=0,E5,ROUNDDOWN((E5*MIN((MAX(H5,0)/I5),1)),2))"
