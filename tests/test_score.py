"""The Python evaluator on the mini framework, with every number worked out by hand."""

from __future__ import annotations

import json
import random
from dataclasses import astuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parxl.framework import Framework
from parxl.framework.load import builtin, from_dict
from parxl.score import _plan, _score_new, score_values

VALUES = {
    ("1.1.1", "done"): "Có",  # 1 of 1
    ("1.1.2", "rate"): 0.777,  # 2 × 77.7% = 1.554 -> 1.55
    ("1.2.1", "count"): 3,  # 3 × 1, capped at 2
    ("2.1.1", "numerator"): 95,  # 3 × 95/100 = 2.85
    ("2.1.1", "denominator"): 100,
    ("2.1.2", "rate"): 0.806,  # below the 85% floor: 0 of 1.5
    ("2.1.3", "incidents"): 1,  # 1 − 0.5 = 0.5
    ("2.2.1", "status"): "Chưa xác định",  # survey: 2 points open
    ("T.1", "done"): "Có",
    ("T.2", "done"): "Có",
    ("Đ.1", "count"): 1,  # penalty 0.5
}


def test_hand_computed(mini: Framework) -> None:
    s = score_values(mini, VALUES)
    assert s.items["1.1.2"].achieved == 1.55
    assert s.items["1.1.2"].status == "Không đạt"
    assert s.items["1.1.1"].status == "Đạt"
    assert s.domains["1"].achieved == pytest.approx(4.55)
    assert s.domains["1"].deducted == pytest.approx(0.45)
    assert s.domains["2"].achieved == pytest.approx(3.35)
    assert s.domains["2"].deducted == pytest.approx(0.15 + 1.5 + 0.5)
    assert s.domains["2"].open == 2
    assert s.base.deducted == pytest.approx(2.6)
    assert s.domains["1"].share == pytest.approx(0.45 / 2.6)
    assert s.by_scorer["survey"].open == 2
    assert s.bonus_raw == 2 and s.bonus == 1  # capped at 1
    assert s.penalty == 0.5
    assert s.total == pytest.approx(7.9 + 1 - 0.5)
    assert s.index == pytest.approx(8.4 / 13.5)
    assert s.reachable == pytest.approx(7.9 + 2 + 1 - 0.5)
    assert s.status_counts == {
        "Đạt": 2,
        "Không đạt": 4,
        "Chưa đến hạn": 0,
        "Chưa xác định": 1,
        "Không áp dụng": 0,
    }


def test_blank_template_is_all_open(mini: Framework) -> None:
    s = score_values(mini, {})
    assert s.total == 0
    assert s.base.open == mini.base_max
    assert s.reachable == mini.base_max + mini.bonus_cap
    assert s.base.share == 0  # nothing deducted: no division by zero


def test_not_applicable_is_removed_from_the_base(mini: Framework) -> None:
    values = {**VALUES, ("2.1.2", "status"): "Không áp dụng"}
    s = score_values(mini, values)
    assert s.items["2.1.2"].applicable == 0 and s.items["2.1.2"].deducted == 0
    assert s.base.applicable == 11.0
    assert s.index == pytest.approx(8.4 / (11.0 + 1))


def test_not_yet_due_counts_as_open_even_with_data(mini: Framework) -> None:
    s = score_values(mini, {**VALUES, ("1.1.2", "status"): "Chưa đến hạn"})
    item = s.items["1.1.2"]
    assert (item.raw, item.achieved, item.open, item.deducted) == (1.55, 0, 2, 0)


def test_text_in_number_cell_is_reported_not_guessed(mini: Framework) -> None:
    s = score_values(mini, {("2.1.3", "incidents"): "hai", ("1.1.2", "rate"): "77,7"})
    assert "không phải là số" in s.errors["2.1.3"]
    assert "phần trăm" in s.errors["1.1.2"]
    ok = score_values(mini, {("1.1.2", "rate"): "77,7%"})
    assert ok.items["1.1.2"].achieved == 1.55 and not ok.errors


def test_penalty_and_bonus_items_deduct_nothing_from_the_base(mini: Framework) -> None:
    s = score_values(mini, {("Đ.1", "count"): 0, ("T.1", "done"): "Không"})
    assert s.items["Đ.1"].status == "Đạt"  # no penalty incurred
    assert s.items["T.1"].status == "Không đạt"
    assert s.items["Đ.1"].deducted == 0 and s.items["T.1"].deducted == 0
    assert score_values(mini, {("Đ.1", "count"): 2}).items["Đ.1"].status == "Không đạt"


def test_json_numbers_are_as_excel_holds_them() -> None:
    """'parxl score --json' and ket-qua.json said 57.959999999999994 (the float sum of the items)
    for Sa Đéc's 57,96 (seed 004)."""
    from parxl.framework import builtin
    from parxl.framework.load import example_values_path
    from parxl.inputs import read_values

    fw = builtin("dongthap-huyen-2023")
    values, _ = read_values(example_values_path(fw.id))
    d = score_values(fw, values).as_dict()
    assert d["total"] == 57.96 and d["base"]["achieved"] == 57.96
    assert json.loads(json.dumps(d)) == d  # plain JSON all the way down


# values that are equal as dict keys but not as inputs (1, 1.0, True; 0.0, -0.0), texts, blanks
_TRICKY = [0, 0.0, -0.0, 1, 1.0, True, False, 2, 0.5, "1", "Có", "Không", "có", None, "", " ", "Đạt",
           "Chưa đến hạn", "không áp dụng", "x"]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_remembered_scores_are_the_scores_of_the_inputs(rnd: random.Random) -> None:
    """An item's score is remembered by its inputs: each body still gets exactly (to the sign
    of a zero) the score its own inputs give, whatever bodies were scored before it. Every
    rule kind is in the Hồ Chí Minh City framework."""
    fw = from_dict(builtin("hcm-quan-2023").to_dict())  # its own remembered scores
    keys = [(i.code, f.name) for i in fw.items for f in i.rule.fields()] + [(i.code, "status") for i in fw.items]
    for _ in range(6):
        values = {k: v for k in keys if (v := rnd.choice(_TRICKY)) is not None}
        got = score_values(fw, values)
        for plan in _plan(fw).items:
            alone = _score_new(plan, values)
            assert repr(astuple(got.items[alone.code])) == repr(astuple(alone)), values


def test_a_value_that_cannot_be_remembered_is_scored() -> None:
    """pandas' NA (an empty cell of a DataFrame) is no dict key: scored, not remembered, as a
    value that is not a number."""
    import pandas as pd

    fw = from_dict(builtin("hcm-quan-2023").to_dict())
    item = next(i for i in fw.items if i.rule.kind == "manual")
    s = score_values(fw, {(item.code, item.rule.fields()[0].name): pd.NA})
    assert s.items[item.code].achieved == 0 and "không phải là số" in s.items[item.code].error
