"""Engine parity: the workbook's own formulas, recalculated by LibreOffice and by `formulas`,
agree with the Python evaluator in every computed cell, on random inputs (hypothesis).

This is the proof of "one scoring truth": a difference in any rule kind, status rule, sum,
share, cap or rounding (Excel rounds halves away from zero; Python's round does not) fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parxl.framework import Framework, builtin, builtin_ids, load_yaml
from parxl.rules.base import AMOUNT, COUNT, POINTS, RATE, YESNO
from parxl.score import STATUSES
from parxl.verify import cell_meanings, compare
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from tests.conftest import DATA, require_libreoffice

# rates whose products with typical maxima land exactly on a rounding half (1.665, 0.285 …)
TRICKY_RATES = [
    0.0,
    0.005,
    0.145,
    0.285,
    0.335,
    0.555,
    0.62,
    0.777,
    0.8,
    0.806,
    0.85,
    0.9,
    0.995,
    1.0,
]
# amounts whose ratio is a tier threshold but lands just below it in binary (8,1 / 9 < 0.9)
TRICKY_AMOUNTS = [(8.1, 9.0), (11.7, 13.0), (2.4, 3.0), (1.2, 1.5), (9.5, 10.0)]
NASTY_TEXT = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1",
    "@SUM(A1)",
    "Quyết định 12/QĐ-UBND",
]


def frameworks() -> list[Framework]:
    return [load_yaml(DATA / "mini.yaml"), *(builtin(i) for i in builtin_ids())]


@st.composite
def filled_values(draw: st.DrawFn, fw: Framework) -> dict[tuple[str, str], Any]:
    values: dict[tuple[str, str], Any] = {}
    for item in fw.items:
        if draw(st.integers(0, 9)) == 0:
            values[(item.code, "status")] = draw(st.sampled_from(STATUSES))
        fields = item.rule.fields()
        for f in fields:
            if draw(st.integers(0, 7)) == 0:
                continue  # left blank
            if f.type == YESNO:
                v: Any = draw(st.sampled_from(["Có", "Không"]))
            elif f.type == RATE:
                v = draw(
                    st.one_of(
                        st.sampled_from(TRICKY_RATES), st.integers(0, 1000).map(lambda n: n / 1000)
                    )
                )
            elif f.type == COUNT and f.name == "numerator":
                v = draw(st.integers(0, 1200))
            elif f.type == COUNT:
                v = draw(st.sampled_from([0, 1, 2, 3, 7, 100, 1000]))
            elif f.type == AMOUNT:  # millions of đồng, three decimals
                v = draw(st.integers(0, 10**9)) / 1000
            elif f.type == POINTS:
                v = draw(st.integers(0, round(item.max * 100))) / 100
            else:  # pragma: no cover - a new field type must be added here
                raise AssertionError(f.type)
            values[(item.code, f.name)] = v
        num, den = (item.code, "numerator"), (item.code, "denominator")
        if fields[0].type == AMOUNT and draw(st.integers(0, 2)) == 0:
            values[num], values[den] = draw(st.sampled_from(TRICKY_AMOUNTS))
        if num in values and den in values and values[num] > values[den]:
            values[num], values[den] = values[den], values[num]  # fill rejects num > den
        if draw(st.integers(0, 4)) == 0:
            values[(item.code, "explanation")] = draw(st.sampled_from(NASTY_TEXT))
    return values


def _check(
    fw: Framework, values: dict[tuple[str, str], Any], tmp: Path, engines: tuple[str, ...]
) -> None:
    from parxl.calc import computed_values

    template = build_template(fw, tmp / f"{fw.id}.xlsx")
    filled = tmp / f"{fw.id} đã điền.xlsx"
    fill_values(template, values, filled)
    for engine in engines:
        diffs = compare(filled, computed_values(filled, engine), engine)  # type: ignore[arg-type]
        assert not diffs, "\n".join(d.describe() for d in diffs[:20])


@pytest.mark.parametrize("fw", frameworks(), ids=lambda f: f.id)
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_libreoffice_agrees_with_python(fw: Framework, data: st.DataObject, tmp_path: Path) -> None:
    require_libreoffice()
    _check(fw, data.draw(filled_values(fw)), tmp_path, ("libreoffice",))


@pytest.mark.parametrize("fw", frameworks(), ids=lambda f: f.id)
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_formulas_agrees_with_python(fw: Framework, data: st.DataObject, tmp_path: Path) -> None:
    _check(fw, data.draw(filled_values(fw)), tmp_path, ("formulas",))


def test_every_computed_cell_is_compared(tmp_path: Path) -> None:
    """The comparison covers items, criteria, domains, summary, bonus and status counts."""
    fw = load_yaml(DATA / "mini.yaml")
    kinds = {m[0] for m in cell_meanings(fw).values()}
    assert kinds == {"item", "criterion", "domain", "base", "scorer", "group", "result", "status"}


def test_a_wrong_cell_is_caught(tmp_path: Path) -> None:
    """compare() must be able to fail: perturb one engine value."""
    require_libreoffice()
    from parxl.calc import computed_values

    fw = load_yaml(DATA / "mini.yaml")
    template = build_template(fw, tmp_path / "t.xlsx")
    filled = tmp_path / "f.xlsx"
    fill_values(template, {("1.1.2", "rate"): 0.555}, filled)
    got = computed_values(filled, "libreoffice")
    assert got["Lĩnh vực 1"]["L7"] == 1.11  # 2 × 55.5% = 1.11
    got["Lĩnh vực 1"]["O7"] = 1.12
    diffs = compare(filled, got, "libreoffice")
    assert [(d.sheet, d.cell) for d in diffs] == [("Lĩnh vực 1", "O7")]
    assert "(mục 1.1.2: điểm đạt): Python tính 1,11, bảng tính cho 1,12" in diffs[0].describe()


def test_a_difference_shows_values_as_the_sheet_does() -> None:
    """Vietnamese numbers with the decimals that tell them apart, a share or an index as a
    percentage, a text quoted, a blank cell said so (it was Python's repr: 0.3142, None)."""
    from parxl.verify import Difference

    def text(meaning: tuple[str, ...], expected: Any, actual: Any) -> str:
        return Difference("formulas", "Tổng hợp", "C28", meaning, expected, actual).describe().split("): ", 1)[1]

    assert text(("result", "index"), 0.3142, 0.3159) == "Python tính 31,42%, bảng tính cho 31,59%"
    assert text(("domain", "3", "share"), 0.25, "#DIV/0!") == "Python tính 25%, bảng tính cho '#DIV/0!'"
    assert text(("result", "total"), 1234.5, None) == "Python tính 1.234,5, bảng tính cho ô trống"
    assert text(("result", "total"), 0.1585291291815879, 0.16) == "Python tính 0,159, bảng tính cho 0,16"
    assert text(("item", "1.1.1", "eff_status"), "Đạt", True) == "Python tính 'Đạt', bảng tính cho TRUE"


def test_every_computed_cell_is_described_in_vietnamese() -> None:
    from parxl.framework import builtin, builtin_ids
    from parxl.verify import cell_meanings, meaning_text

    for fid in builtin_ids():
        for meaning in cell_meanings(builtin(fid)).values():
            text = meaning_text(meaning)
            assert not any(w in text for w in ("item", "criterion", "domain", "achieved", "deducted", "_")), text


def test_seed_004_figures_in_libreoffice(tmp_path: Path) -> None:
    """The Đồng Tháp template filled with Sa Đéc's returns shows the seed's numbers in LibreOffice."""
    require_libreoffice()
    from parxl.calc import computed_values
    from parxl.framework.load import example_values_path
    from parxl.workbook.fill import fill_csv

    fw = builtin("dongthap-huyen-2023")
    template = build_template(fw, tmp_path / "mẫu.xlsx")
    filled = tmp_path / "Sa Đéc.xlsx"
    fill_csv(template, example_values_path(fw.id), filled)
    got = computed_values(filled, "libreoffice")
    meanings = {m: cell for cell, m in cell_meanings(fw).items()}

    def value(*meaning: str) -> Any:
        sheet, ref = meanings[meaning]
        return got[sheet][ref]

    assert value("scorer", "self", "achieved") == pytest.approx(57.96)  # 57,96/70
    assert value("scorer", "self", "max") == pytest.approx(70)
    assert value("scorer", "survey", "achieved") == 0  # 0/30 ĐTXHH, all undetermined
    assert value("scorer", "survey", "open") == pytest.approx(30)
    assert value("criterion", "7.1", "achieved") == pytest.approx(3.0)  # 3,0/4,5
    assert value("criterion", "7.2", "achieved") == pytest.approx(4.8)  # 4,8/9,0
    assert value("criterion", "5.5", "achieved") == pytest.approx(0.77)  # 77,7% of 1, truncated
    by_name = {i.name: i.code for i in fw.base_items}
    digit = next(c for n, c in by_name.items() if "số hóa hồ sơ" in n)
    edocs = next(c for n, c in by_name.items() if "điện tử có ký số" in n)
    assert value("item", digit, "achieved") == pytest.approx(1.86)  # 62% × 3
    assert value("item", edocs, "achieved") == 0  # 80,6% < floor: 0 of 1,5


@pytest.mark.parametrize("engine", ["libreoffice", "formulas"])
def test_a_tier_reached_exactly_agrees_in_every_engine(engine: str, tmp_path: Path) -> None:
    """8,1 of 9 million đồng disbursed (Đồng Tháp 6.1.1, tiers 95/90/80%) is 90%: 0,75 points in
    Python and in the workbook, though 8.1 / 9 is 0.8999999999999999 in binary."""
    if engine == "libreoffice":
        require_libreoffice()
    from parxl.score import score_values

    fw = builtin("dongthap-huyen-2023")
    values = {("6.1.1", "numerator"): 8.1, ("6.1.1", "denominator"): 9.0}
    assert score_values(fw, values).items["6.1.1"].raw == 0.75
    _check(fw, values, tmp_path, (engine,))


def test_the_scorer_table_states_the_applicable_maximum(tmp_path: Path) -> None:
    """With an item not applicable, 'Theo hình thức đánh giá' shows the applicable maximum beside
    the maximum, so maximum − achieved is not mistaken for the points deducted; the workbook
    (formulas) and Python agree on it."""
    from parxl.calc import computed_values
    from parxl.framework.load import example_values_path
    from parxl.workbook.fill import fill_csv, fill_values

    fw = builtin("hcm-quan-2023")
    template = build_template(fw, tmp_path / "mẫu.xlsx")
    fill_csv(template, example_values_path(fw.id), tmp_path / "vd.xlsx")
    fill_values(tmp_path / "vd.xlsx", {("1.3.1", "status"): "Không áp dụng"}, tmp_path / "na.xlsx")
    got = computed_values(tmp_path / "na.xlsx", "formulas")
    cells = {m: cell for cell, m in cell_meanings(fw).items()}

    def value(*meaning: str) -> Any:
        sheet, ref = cells[meaning]
        return got[sheet][ref]

    na = fw.item_index["1.3.1"]
    assert na.scorer == "self"
    assert value("scorer", "self", "max") - value("scorer", "self", "applicable") == pytest.approx(na.max)
    assert value("scorer", "self", "applicable") - value("scorer", "self", "achieved") == pytest.approx(
        value("scorer", "self", "deducted") + value("scorer", "self", "open"))
    assert not compare(tmp_path / "na.xlsx", got, "formulas")
