"""The PAR_* Excel functions (udfs/): values from the seeds, bad input, and the UDF flavour of the
template recalculated by `formulas` giving exactly the numbers of the native flavour and of the
Python evaluator on random inputs."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from parxl.calc import computed_values
from parxl.framework import Framework, builtin, builtin_ids, load_yaml
from parxl.framework.model import Item, Rule
from parxl.rules import KINDS
from parxl.score import STATUSES, score_item, score_values
from parxl.verify import cell_meanings, compare
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.udf import UdfFormulas
from tests.conftest import DATA
from tests.test_parity import TRICKY_RATES, filled_values
from udfs import core, functions
from udfs.core import UdfError

core.register_formulas()


# --------------------------------------------------------------------------- values from seeds
def test_proportional_seed_004() -> None:
    # digitised dossiers 62% of 3 points -> 1.86; training 77.7% of 1 point, truncated -> 0.77
    assert functions.par_score("proportional", 3, 0.62) == 1.86
    assert functions.par_score("proportional", 1, "77,7%", None, "rounding=trunc") == 0.77
    assert functions.par_score("proportional", 1, 0.777) == 0.78


def test_tiers_seed_004() -> None:
    # e-documents with digital signature 80.6% -> 0 of 1.5 (floor 85% not reached)
    tiers = "tiers=[[1,1.5],[0.9,1],[0.85,0.5]]"
    assert functions.par_score("tiers", 1.5, 0.806, None, tiers) == 0
    assert functions.par_score("tiers", 1.5, "92%", None, tiers) == 1
    assert functions.par_score("tiers", 1.5, 1, None, '{"tiers": [[1, 1.5], [0.9, 1]]}') == 1.5


def test_counts_rate_from_numerator_and_denominator() -> None:
    # 2.99 of 3: 299 of 300 dossiers on time -> 3 * 0.99667 = 2.99
    assert functions.par_score("proportional", 3, 299, 300, "basis=counts") == 2.99
    assert functions.par_score("proportional", 3, 0, 0, "basis=counts") == 3
    assert functions.par_score("proportional", 3, 0, 0, "basis=counts; if_zero=zero") == 0


def test_other_kinds() -> None:
    assert functions.par_score("yesno", 0.5, "Có") == 0.5
    assert functions.par_score("yesno", 0.5, "có") == 0.5
    assert functions.par_score("yesno", 0.5, "Không") == 0
    assert functions.par_score("yesno", 0.5, None) == 0
    assert functions.par_score("count", 2, 1, None, "per_unit=1") == 1  # seed 003: 1 of 2 initiatives
    assert functions.par_score("count", 2, 5, None, "per_unit=1") == 2
    assert functions.par_score("incidents", 1, 1, None, "per_incident=0.5") == 0.5
    assert functions.par_score("incidents", 1, 3, None, "per_incident=0.5") == 0
    assert functions.par_score("manual", 2, "1,25") == 1.25
    assert functions.par_score("MANUAL", 2, 7) == 2


def test_share_seed_000() -> None:
    # procedures lost 1.5 of 6.77 deducted points = 22.16%
    assert round(functions.par_share(1.5, 6.77), 4) == 0.2216
    assert functions.par_share(1.5, [[1.5], [2.27], [3.0]]) == 1.5 / 6.77
    assert functions.par_share([1.5, 0], 0) == [0, 0]
    assert functions.par_share([[1.5], [5.27]], 6.77) == [[1.5 / 6.77], [5.27 / 6.77]]


def test_status_and_item_cells() -> None:
    assert functions.par_status(None, [None, None], 0, 2) == "Chưa xác định"
    assert functions.par_status(None, [0.5, None], 2, 2) == "Đạt"
    assert functions.par_status(None, [0.5, None], 1.5, 2) == "Không đạt"
    assert functions.par_status("Không áp dụng", [0.5, None], 2, 2) == "Không áp dụng"
    assert functions.par_applicable("Không áp dụng", 2) == 0
    assert functions.par_applicable("Đạt", 2) == 2
    assert functions.par_achieved("Chưa đến hạn", 1.2) == 0
    assert functions.par_achieved("Không đạt", 1.2) == 1.2
    assert functions.par_open("Chưa xác định", 2) == 2
    assert functions.par_open("Không đạt", 2) == 0
    assert functions.par_deducted(3, 1.86, 0) == 1.14
    assert functions.par_deducted(1, 0.9, 0) == 0.1  # exactly, as ROUND(...,9)
    assert 1 - 0.9 != 0.1
    assert functions.par_item("proportional", 3, None, 0.62) == [1.86, "Không đạt", 3, 1.86, 1.14, 0]
    assert functions.par_item("yesno", 1, "Chưa đến hạn") == [0, "Chưa đến hạn", 1, 0, 0, 1]


@pytest.mark.parametrize("typed", ["Khong ap dung", "Không áp dụng ", "Chua den han", "Xong"])
def test_a_status_outside_the_list_scores_as_the_native_formulas_and_python(
    mini: Framework, tmp_path: Path, typed: str
) -> None:
    """The native formulas give a typed status back as typed and compare it exactly (case
    aside): a status outside the list is neither N/A nor open, the item scores from its data.
    PAR_STATUS and PAR_ITEM agree (no #VALUE! spreading to the totals), and PAR_CHECK reports it,
    a trailing space included."""
    item = mini.item_index["1.1.1"]
    params = core.params_text(item.rule.kind, item.rule.params)
    sc = score_item(item, {("1.1.1", "status"): typed, ("1.1.1", "done"): "Có"})
    assert sc.error == "" and sc.achieved == item.max
    assert functions.par_status(typed, [["Có", None]], 1, 1) == typed
    assert functions.par_item(item.rule.kind, item.max, typed, "Có", None, params) == [
        sc.raw, sc.status, sc.applicable, sc.achieved, sc.deducted, sc.open]
    assert functions.par_applicable(typed, 2) == 2 and functions.par_open(typed, 2) == 0
    for flavour in ("native", "udf"):  # recalculated: native == UDF == Python, every cell
        template = build_template(mini, tmp_path / f"{flavour}.xlsx", formulas=UdfFormulas() if flavour == "udf" else None)
        fill_values(template, {("1.1.1", "done"): "Có", ("1.1.2", "rate"): 0.777}, tmp_path / f"{flavour}-f.xlsx")
        wb = openpyxl.load_workbook(tmp_path / f"{flavour}-f.xlsx")
        wb["Lĩnh vực 1"]["G6"] = typed  # pasted over the list ('parxl fill' would correct it)
        wb.save(tmp_path / f"{flavour}-typo.xlsx")
        got = computed_values(tmp_path / f"{flavour}-typo.xlsx", "formulas")
        assert got["Lĩnh vực 1"]["M6"] == typed
        diffs = compare(tmp_path / f"{flavour}-typo.xlsx", got, "formulas")
        assert not diffs, flavour + ":\n" + "\n".join(d.describe() for d in diffs[:20])
    rows = [["Mã", "Nội dung", "Đánh giá bởi", "Đơn vị chủ trì", "Điểm tối đa", "Cách chấm", "Tình trạng",
             "Số liệu 1", "Số liệu 2"], ["1.1.1", "a", "", "", 1, "Có/Không", typed, "Có", None]]
    assert f"1.1.1: tình trạng '{typed}' không hợp lệ" in functions.par_check(rows)


def test_index_bonus_rank_range() -> None:
    assert functions.par_index(45, 50) == 0.9
    assert functions.par_index(0, 0) == 0
    assert functions.par_bonus([[1], [1], [0.5]], 2) == 2  # HCMC-style cap
    assert functions.par_bonus(1.5, 5) == 1.5
    peers = [[80.5], [91.2], [91.2], [70.0], [None]]
    assert functions.par_rank(91.2, peers) == 1
    assert functions.par_rank(80.5, peers) == 3
    assert functions.par_rank([[70.0], [80.5]], peers) == [[4], [3]]
    assert functions.par_rank(70.0, peers, 0) == 1
    # interim: Đạt 1.5 of 2 secured; 3 not yet due still reachable; not applicable ignored
    assert functions.par_range(["Đạt", "Chưa đến hạn", "Không áp dụng"], [2, 3, 1], [1.5, 0, 0]) == [1.5, 4.5]


def test_vietnamese_numbers() -> None:
    assert functions.par_number("93,23") == 93.23
    assert functions.par_number("22.583.451") == 22583451
    assert functions.par_number("77,7%") == pytest.approx(0.777, abs=1e-15)
    assert functions.par_number([["35.57"], ["1.234,5"]]) == [[35.57], [1234.5]]


def test_describe_and_kinds() -> None:
    assert "cắt bỏ phần lẻ" in functions.par_describe("proportional", 1, "rounding=trunc")
    kinds = functions.par_kinds()
    assert ["yesno", "Có/Không"] in kinds and len(kinds) == 6


def test_check_lists_problems_by_item() -> None:
    header = ["Mã", "Nội dung", "Đánh giá bởi", "Đơn vị chủ trì", "Điểm tối đa", "Cách chấm",
              "Tình trạng", "Số liệu 1", "Số liệu 2"]
    rows = [
        header,
        ["1.1", "Tiêu chí", None, None, 3, None, None, None, None],  # criterion row: skipped
        ["1.1.1", "a", "Tự đánh giá", "", 1, "Có/Không", None, "Có", None],
        ["1.1.2", "b", "Tự đánh giá", "", 2, "Tỷ lệ", "Xong", 0.5, None],
        ["1.1.3", "c", "Tự đánh giá", "", 2, "Số lượng", None, "abc", -2],
        ["1.1.4", "d", "Tự đánh giá", "", 2, "Số lượng", None, None, None],
    ]
    text = functions.par_check(rows)
    assert text.startswith("4 lỗi")
    assert "1.1.2: tình trạng 'Xong' không hợp lệ" in text
    assert "1.1.3: Số liệu 1 'abc' không phải là số" in text
    assert "1.1.3: Số liệu 2 là số âm (-2)" in text
    assert "1.1.4: chưa nhập số liệu hoặc tình trạng" in text
    assert functions.par_check(rows[:3]) == "Không có lỗi."
    # cells showing an error (read with err_to_str): named as such, not as a blank or a bad text
    rows[2][6], rows[2][7] = "#N/A", "#REF!"
    text = functions.par_check(rows[:3])
    assert "1.1.1: ô tình trạng có lỗi #N/A" in text and "1.1.1: ô Số liệu 1 có lỗi #REF!" in text


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "code", "hint"),
    [
        (lambda f: f.par_score("thuong", 1, 1), "#N/A", "không có cách chấm 'thuong'"),
        (lambda f: f.par_score(None, 1, 1), "#N/A", "không có cách chấm"),
        (lambda f: f.par_score("count", 1, 1), "#VALUE!", "thiếu tham số 'per_unit'"),
        (lambda f: f.par_score("count", 1, 1, None, "per_unit"), "#VALUE!", "tên=giá trị"),
        (lambda f: f.par_score("count", 1, 1, None, "{per_unit: 1"), "#VALUE!", "JSON"),
        (lambda f: f.par_score("count", 1, 1, None, "per_unit=-1"), "#VALUE!", "số không âm"),
        (lambda f: f.par_score("manual", "hai", 1), "#VALUE!", "điểm tối đa 'hai' không phải là số"),
        (lambda f: f.par_score("manual", None, 1), "#VALUE!", "điểm tối đa đang trống"),
        (lambda f: f.par_score("manual", -1, 1), "#VALUE!", "không được âm"),
        (lambda f: f.par_score("manual", 2, "nhiều"), "#VALUE!", "Số liệu 1: 'nhiều' không phải là số"),
        (lambda f: f.par_score("proportional", 2, "77,7"), "#VALUE!", "phải ghi dạng phần trăm"),
        (lambda f: f.par_score("manual", 2, True), "#VALUE!", "giá trị logic"),
        (lambda f: f.par_score("manual", [1, 2], [1, 2, 3]), "#VALUE!", "cùng kích thước"),
        (lambda f: f.par_score(["manual"], 1, 1), "#VALUE!", "một ô"),
        (lambda f: f.par_applicable(None, 1), "#VALUE!", "trạng thái tính điểm đang trống"),
        (lambda f: f.par_number("abc"), "#VALUE!", "không phải là số"),
        (lambda f: f.par_number(None), "#VALUE!", "đang trống"),
        (lambda f: f.par_share("x", 2), "#VALUE!", "điểm bị trừ 'x' không phải là số"),
        (lambda f: f.par_bonus([1, 2], None), "#VALUE!", "giới hạn điểm thưởng đang trống"),
        (lambda f: f.par_rank(5, [1, 2]), "#N/A", "không có trong vùng so sánh"),
        (lambda f: f.par_rank(5, [None, "x"]), "#VALUE!", "không có số nào"),
        (lambda f: f.par_range(["Đạt"], [1, 2], [1]), "#VALUE!", "cùng số ô"),
        (lambda f: f.par_check([["1.1.1", "a"]]), "#VALUE!", "cột A đến I"),
        (lambda f: f.par_check(3.5), "#VALUE!", "cột A đến I"),
        # a range where one cell is wanted: said so, not a Python list in the message
        (lambda f: f.par_status([["Đạt"], [""]], [[1, 2]], 1, 2), "#VALUE!", "trạng thái phải là một ô"),
        (lambda f: f.par_status("", [[1, 2]], [[1], [2]], 2), "#VALUE!", "điểm theo số liệu phải là một ô"),
        (lambda f: f.par_describe([["tiers"], ["yesno"]], 2), "#VALUE!", "cách chấm phải là một ô"),
        (lambda f: f.par_describe("yesno", [[2], [3]]), "#VALUE!", "điểm tối đa phải là một ô"),
        (lambda f: f.par_bonus([[1]], [[1], [2]]), "#VALUE!", "giới hạn điểm thưởng phải là một ô"),
        (lambda f: f.par_item("yesno", [[2], [3]], None, [["Có"], ["Không"]]), "#VALUE!",
         "PAR_ITEM tính một tiêu chí"),
    ],
)
def test_bad_input_gives_excel_error_with_vietnamese_hint(call: Any, code: str, hint: str) -> None:
    # desktop UDF on Linux: the error code (a real VT_ERROR on Windows), never an exception
    assert call(functions) == code
    # the hint travels with the error (shown by xlwings Server / Lite in Excel)
    with pytest.raises(UdfError) as info:
        call(core)
    assert info.value.code == code
    assert hint in info.value.hint


def test_bad_element_in_array_does_not_blank_the_array() -> None:
    assert functions.par_number([["1,5"], ["x"], [None]]) == [[1.5], ["#VALUE!"], ["#VALUE!"]]
    assert functions.par_score("manual", [2, 2], [1, "x"]) == [1, "#VALUE!"]


def test_desktop_udfs_read_cell_errors_and_give_them_back() -> None:
    """Desktop xlwings hands a cell error to a UDF as None unless the argument has err_to_str
    (then as its code, "#N/A"): every argument has it, and the code comes back as the result
    (a real #N/A on Windows), as the native formulas propagate it."""
    import inspect
    import re

    source = inspect.getsource(functions)
    args = re.findall(r"@xw\.arg\(([^)]*)\)", source)
    assert args and all("err_to_str=True" in a for a in args)
    assert functions.par_score("proportional", 3, "#N/A") == "#N/A"
    assert functions.par_status("#N/A", [["", ""]], 0, 2) == "#N/A"
    assert functions.par_achieved([["Đạt"], ["#REF!"]], [[1], [2]]) == [[1], ["#REF!"]]


def test_a_bug_never_puts_a_traceback_in_a_cell() -> None:
    def broken(x: Any) -> Any:
        return 1 / x

    assert core.guarded(broken, functions.excel_error)(0) == "#VALUE!"


def test_params_text_keeps_only_what_changes_the_score() -> None:
    p = {"basis": "counts", "if_zero": "max", "numerator": "Số hồ sơ đúng hạn", "denominator": "Tổng số",
         "rounding": "round", "decimals": 2}
    assert core.params_text("proportional", p) == "basis=counts"
    assert core.params_text("tiers", {"basis": "rate", "tiers": [[1, 1.5], [0.9, 1]]}) == "tiers=[[1,1.5],[0.9,1]]"
    assert core.params_text("proportional", {"rounding": "trunc", "decimals": 3}) == "rounding=trunc; decimals=3"
    assert core.params_text("yesno", {}) == ""


# --------------------------------------------------------------------------- one scoring truth
@st.composite
def one_item(draw: st.DrawFn) -> tuple[Item, dict[tuple[str, str], Any]]:
    kind = draw(st.sampled_from(["manual", "yesno", "proportional", "tiers", "count", "incidents"]))
    mx = draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]))
    raw: dict[str, Any] = {}
    if kind in ("proportional", "tiers"):
        raw["basis"] = draw(st.sampled_from(["rate", "counts"]))
        raw["if_zero"] = draw(st.sampled_from(["max", "zero"]))
    if kind == "proportional":
        raw["rounding"] = draw(st.sampled_from(["round", "trunc"]))
        raw["decimals"] = draw(st.integers(0, 3))
    if kind == "tiers":
        raw["tiers"] = [[1, mx], [0.9, mx / 2], [0.8, mx / 4]]
    if kind == "count":
        raw["per_unit"] = draw(st.sampled_from([0.25, 0.5, 1.0]))
    if kind == "incidents":
        raw["per_incident"] = draw(st.sampled_from([0.25, 0.5]))
    params, problems = KINDS[kind].normalize(raw, mx)
    assert not problems
    scorer = draw(st.sampled_from(["self", "survey", "bonus", "penalty"]))
    item = Item("1.1.1", "x", mx, Rule(kind, params), scorer=scorer)
    values: dict[tuple[str, str], Any] = {}
    if draw(st.booleans()):
        # typed in any case: the formulas compare case-insensitively, so must both evaluators
        case = draw(st.sampled_from([str, str.upper, str.lower]))
        values[("1.1.1", "status")] = case(draw(st.sampled_from(STATUSES)))
    for f in item.rule.fields():
        if draw(st.integers(0, 5)) == 0:
            continue
        if f.type == "yes/no":
            values[("1.1.1", f.name)] = draw(st.sampled_from(["Có", "Không", "có"]))
        elif f.type == "rate":
            values[("1.1.1", f.name)] = draw(st.sampled_from(TRICKY_RATES))
        elif f.type == "points":
            values[("1.1.1", f.name)] = draw(st.integers(0, int(mx * 100))) / 100
        else:
            values[("1.1.1", f.name)] = draw(st.integers(0, 400))
    return item, values


def _three_decimals(rate: float) -> tuple[Item, dict[tuple[str, str], Any]]:
    """Points kept to 3 decimals: the deducted points then have 3 too (0.223, not 0.22)."""
    params, _ = KINDS["proportional"].normalize({"decimals": 3}, 1.0)
    return Item("1.1.1", "x", 1.0, Rule("proportional", params)), {("1.1.1", "rate"): rate}


@settings(max_examples=300, deadline=None)
@given(case=one_item())
@example(case=_three_decimals(0.777))
def test_par_item_is_the_python_evaluator(case: tuple[Item, dict[tuple[str, str], Any]]) -> None:
    item, values = case
    expected = score_item(item, values)
    slots = {f.slot: values.get(("1.1.1", f.name)) for f in item.rule.fields()}
    params = core.params_text(item.rule.kind, dict(item.rule.params))
    group = {"bonus": "thưởng", "penalty": "trừ"}.get(item.scorer, "")
    got = functions.par_item(item.rule.kind, item.max, values.get(("1.1.1", "status")),
                             slots.get(1), slots.get(2), params, group)
    assert got == [expected.raw, expected.status, expected.applicable, expected.achieved,
                   expected.deducted, expected.open]


# --------------------------------------------------------------------------- UDF flavour
def test_udf_flavour_formulas_and_same_meanings(mini: Framework, tmp_path: Path) -> None:
    path = build_template(mini, tmp_path / "udf.xlsx", formulas=UdfFormulas())
    wb = openpyxl.load_workbook(path)
    ws = wb["Lĩnh vực 2"]
    row = next(r for r in range(5, 30) if ws[f"A{r}"].value == "2.1.2")
    assert ws[f"L{row}"].value == f'=PAR_SCORE("tiers",E{row},H{row},I{row},"tiers=[[1,1.5],[0.9,1],[0.85,0.5]]")'
    assert ws[f"M{row}"].value == f"=PAR_STATUS(G{row},H{row}:I{row},L{row},E{row})"
    assert ws[f"P{row}"].value == f"=PAR_DEDUCTED(N{row},O{row},Q{row})"
    summary = wb["Tổng hợp"]
    assert summary["G7"].value.startswith("=PAR_SHARE(F7,")
    assert summary["J7"].value == "=PAR_INDEX(E7,D7)"
    meta = {r[0].value: r[1].value for r in wb["_parxl"].iter_rows()}
    assert meta["flavor"] == "udf"
    assert cell_meanings(mini, "udf") == cell_meanings(mini, "native")
    udf_cells = sum(1 for s in wb for r in s.iter_rows() for c in r
                    if isinstance(c.value, str) and c.value.startswith("=PAR_"))
    # 5 per item + deducted per base item; share and index per domain; base index, bonus, index
    assert udf_cells == 5 * len(mini.items) + len(mini.base_items) + 2 * len(mini.domains) + 3


def random_values(fw: Framework, rng: random.Random) -> dict[tuple[str, str], Any]:
    """Random valid inputs (some blank, some with a typed status), reproducible by seed."""
    values: dict[tuple[str, str], Any] = {}
    for item in fw.items:
        if rng.random() < 0.12:
            values[(item.code, "status")] = rng.choice(STATUSES)
        for f in item.rule.fields():
            if rng.random() < 0.1:
                continue
            if f.type == "yes/no":
                values[(item.code, f.name)] = rng.choice(["Có", "Không"])
            elif f.type == "rate":
                values[(item.code, f.name)] = rng.choice([*TRICKY_RATES, rng.randint(0, 1000) / 1000])
            elif f.type == "points":
                values[(item.code, f.name)] = rng.randint(0, int(item.max * 100)) / 100
            else:
                values[(item.code, f.name)] = rng.choice([0, 1, 2, 3, 7, 100, rng.randint(0, 1200)])
        num, den = values.get((item.code, "numerator")), values.get((item.code, "denominator"))
        if num is not None and den is not None and num > den:
            values[(item.code, "numerator")], values[(item.code, "denominator")] = den, num
    return values


def _both_flavours(fw: Framework, values: dict[tuple[str, str], Any], tmp: Path,
                   flavours: tuple[str, ...] = ("native", "udf")) -> None:
    got: dict[str, dict[str, dict[str, object]]] = {}
    for flavour in flavours:
        f = UdfFormulas() if flavour == "udf" else None
        template = build_template(fw, tmp / f"{fw.id}-{flavour}.xlsx", formulas=f)
        filled = tmp / f"{fw.id}-{flavour} đã điền.xlsx"
        fill_values(template, values, filled)
        got[flavour] = computed_values(filled, "formulas")
        diffs = compare(filled, got[flavour], "formulas")
        assert not diffs, flavour + ":\n" + "\n".join(d.describe() for d in diffs[:20])
    if len(flavours) < 2:
        return
    for (sheet, ref) in cell_meanings(fw):
        a, b = got["native"][sheet][ref], got["udf"][sheet][ref]
        assert a == b or (isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, abs_tol=1e-12)), (sheet, ref, a, b)


@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_udf_flavour_equals_native_and_python_mini(data: st.DataObject, tmp_path: Path) -> None:
    fw = load_yaml(DATA / "mini.yaml")
    _both_flavours(fw, data.draw(filled_values(fw)), tmp_path)


@pytest.mark.parametrize("fw_id", builtin_ids())
def test_udf_flavour_equals_python_builtin(fw_id: str, tmp_path: Path) -> None:
    # native == Python on the built-in frameworks is proven by tests/test_parity.py
    fw = builtin(fw_id)
    _both_flavours(fw, random_values(fw, random.Random(fw_id)), tmp_path, ("udf",))


def test_python_scores_of_udf_flavour(mini: Framework, tmp_path: Path) -> None:
    # the hand-checked mini case: scored from the recalculated UDF workbook's cells
    values = {("1.1.1", "done"): "Có", ("1.1.2", "rate"): 0.777, ("1.2.1", "count"): 1,
              ("2.1.1", "numerator"): 299, ("2.1.1", "denominator"): 300, ("2.1.2", "rate"): 0.806,
              ("2.1.3", "incidents"): 1, ("2.2.1", "status"): "Chưa xác định", ("T.1", "done"): "Có",
              ("Đ.1", "count"): 1}
    template = build_template(mini, tmp_path / "u.xlsx", formulas=UdfFormulas())
    fill_values(template, values, tmp_path / "f.xlsx")
    cells = computed_values(tmp_path / "f.xlsx", "formulas")
    # 1 + 1.55 (ROUND(2*0.777,2)) + 1 = 3.55 in domain 1; 2.99 + 0 + 0.5 in domain 2
    meanings = {m: (s, r) for (s, r), m in cell_meanings(mini, "udf").items()}
    s, r = meanings[("domain", "1", "achieved")]
    assert cells[s][r] == pytest.approx(3.55, abs=1e-12)
    s, r = meanings[("domain", "2", "achieved")]
    assert cells[s][r] == pytest.approx(3.49, abs=1e-12)
    s, r = meanings[("result", "total")]
    # base 7.04 + bonus 1 (cap 1) - penalty 0.5
    assert cells[s][r] == pytest.approx(7.54, abs=1e-12)
    assert score_values(mini, values).total == pytest.approx(7.54, abs=1e-12)


@pytest.mark.parametrize(("cell", "formula"), [("H7", "=NA()"), ("G6", "=1/0"), ("H9", "=NA()")])
def test_an_error_in_an_input_gives_the_native_formulas_error(mini: Framework, tmp_path: Path, cell: str,
                                                              formula: str) -> None:
    """An input cell showing #N/A (a broken lookup) or #DIV/0!: the UDF template shows the
    same errors as the native one, cell for cell, not a score computed as if it were blank
    (xlwings hands cell errors to UDFs as None unless the argument has err_to_str)."""
    values = {("1.1.1", "done"): "Có", ("1.1.2", "rate"): 0.777, ("1.2.1", "count"): 1}
    got = {}
    for flavour, f in (("native", None), ("udf", UdfFormulas())):
        template = build_template(mini, tmp_path / f"{flavour}.xlsx", formulas=f)
        fill_values(template, values, tmp_path / f"{flavour}-f.xlsx")
        wb = openpyxl.load_workbook(tmp_path / f"{flavour}-f.xlsx")
        wb["Lĩnh vực 1"][cell] = formula
        wb.save(tmp_path / f"{flavour}-err.xlsx")
        got[flavour] = computed_values(tmp_path / f"{flavour}-err.xlsx", "formulas")
    row = cell[1:]
    code = "#N/A" if formula == "=NA()" else "#DIV/0!"
    if not cell.startswith("G"):  # an input: its points are the error (a status: not used there)
        assert got["udf"]["Lĩnh vực 1"][f"L{row}"] == code
    assert got["udf"]["Lĩnh vực 1"][f"M{row}"] == code  # the status, and all that follows
    for (sheet, ref) in cell_meanings(mini):
        assert got["native"][sheet][ref] == got["udf"][sheet][ref], (sheet, ref)


def test_udf_flavour_with_office_js_namespace(mini: Framework, tmp_path: Path) -> None:
    # Excel on the web calls xlwings Server's custom functions with the add-in's namespace
    core.register_formulas("XLWINGS")
    template = build_template(mini, tmp_path / "web.xlsx", formulas=UdfFormulas("xlwings"))
    ws = openpyxl.load_workbook(template)["Lĩnh vực 1"]
    assert ws["L6"].value == "=XLWINGS.PAR_SCORE(\"yesno\",E6,H6,I6)"
    filled = tmp_path / "web đã điền.xlsx"
    fill_values(template, {("1.1.1", "done"): "Có", ("1.1.2", "rate"): "77,7%"}, filled)
    cells = computed_values(filled, "formulas")
    assert not compare(filled, cells, "formulas")
    assert cells["Lĩnh vực 1"]["L7"] == 1.55  # ROUND(2 * 77.7%, 2)


def test_too_long_parameters_are_a_parxl_error() -> None:
    from parxl.errors import InputError
    from parxl.framework import from_dict

    tiers = [[round(1 - i / 100, 2), round(2 - i / 50, 2)] for i in range(40)]
    fw = from_dict({"id": "dai", "name": "x", "level": "huyện", "version": "1", "total": 2,
                    "domains": [{"code": "1", "name": "d", "criteria": [{"code": "1.1", "name": "c", "items": [
                        {"code": "1.1.1", "name": "x", "max": 2, "rule": {"kind": "tiers", "tiers": tiers}}]}]}]})
    with pytest.raises(InputError, match="quá dài") as info:
        build_template(fw, Path("/nonexistent/never-written.xlsx"), formulas=UdfFormulas())
    assert info.value.where.item == "1.1.1"


def test_a_result_excel_cannot_hold_is_num_not_inf() -> None:
    """A division or a sum past Excel's largest number is #NUM! in Excel: the UDFs give that
    error, never Python's inf/nan (which is not even valid JSON for xlwings Server / Lite)."""
    assert functions.par_share(1e308, 1e-308) == "#NUM!"
    assert functions.par_index(1e308, 1e-308) == "#NUM!"
    assert functions.par_number("9" * 400) == "#NUM!"
    assert functions.par_range(["Chưa đến hạn", "Chưa đến hạn"], [1e308, 1e308], [0, 0]) == [0.0, "#NUM!"]
    assert functions.par_share([1e-308, 1e308], 1e-308) == [1.0, "#NUM!"]  # one cell, not the array


def test_logical_values_are_named_as_excel_writes_them() -> None:
    """TRUE, not Python's True, in the reasons the functions and the evaluator give."""
    with pytest.raises(UdfError, match="giá trị logic TRUE"):
        core.par_score("manual", 2, True)
    item = Item("1.1.1", "x", 2, Rule("manual", {}))
    assert score_item(item, {("1.1.1", "points"): True}).error == "'TRUE' không phải là số"
    from parxl.inputs import item_fields, normalize

    field = next(f for f in item_fields(item) if f.field == "points")
    assert normalize(field, False) == (None, "'FALSE' không phải là số")  # 'Kiểm tra', 'Thu thập'
    rate = next(f for f in item_fields(load_yaml(DATA / "mini.yaml").item_index["1.1.2"]) if f.field == "rate")
    assert normalize(rate, 1e308) == (None, "tỷ lệ 1E+308 phải từ 0% đến 100%")  # not "inf%"
