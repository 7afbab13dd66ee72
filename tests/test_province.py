"""parxl province: a superior body's consolidation, ranking, distributions, appraisal, Dask.

The hand-made province uses tests/data/mini.yaml (base 12,5 points, bonus cap 1). Points by hand:

- Huyện An: 1.1.1 Có 1; 1.1.2 100% -> 2; 1.2.1 two initiatives -> 2; 2.1.1 100/100 -> 3;
  2.1.2 100% -> 1,5; 2.1.3 no incident -> 1; survey 2.2.1 blank (open). Base 10,5, bonus T.1
  Có +1: total 11,5.
- Huyện Bình and Xã Cát: as An but 1.1.1 Không and no bonus: 9,5 each (a tie).
- Xã Dương: 1.1.1 Không áp dụng (exempt); 1.1.2 50% -> 1; 1.2.1 0; 2.1.1 90/100 -> 2,7;
  2.1.2 80% (below the 85% tier) -> 0; 2.1.3 one incident -> 0,5; penalty Đ.1 one -> 0,5.
  Base 4,2, total 3,7.

Appraisal of Huyện An: 1.2.1 appraised to 1 initiative (-1 point, no explanation: the appraisal
stands); 1.1.1 appraised Không, then after the explanation restored to Có (accepted). Final
total 10,5.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from parxl.errors import InputError
from parxl.framework import Framework, builtin
from parxl.office.distribute import distribute
from parxl.office.synth import fill_return
from parxl.province import Local, Sequential, load_appraisal_csv, make_province, province
from parxl.province import appraisal as AP
from parxl.province import store as S
from parxl.province.executors import _ordered
from tests.conftest import saved_as_of

FULL: dict[tuple[str, str], Any] = {
    ("1.1.1", "done"): "Có", ("1.1.2", "rate"): "100%", ("1.2.1", "count"): 2,
    ("2.1.1", "numerator"): 100, ("2.1.1", "denominator"): 100, ("2.1.2", "rate"): "100%",
    ("2.1.3", "incidents"): 0,
}
AN, BINH, CAT, DUONG = "Huyện An", "Huyện Bình", "Xã Cát", "Xã Dương"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def hand(mini: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("hand")
    issued = {p.stem: p for p in distribute(mini, tmp / "phat-hanh", bodies=[AN, BINH, CAT, DUONG], year="2024")}
    back = tmp / "tra ve"
    fill_return(issued[AN], back / "huyen" / "an.xlsx", {**FULL, ("T.1", "done"): "Có"})
    weaker = {**FULL, ("1.1.1", "done"): "Không", ("1.1.1", "explanation"): "Ban hành chậm"}
    fill_return(issued[BINH], back / "huyen" / "binh.xlsx", weaker)
    fill_return(issued[CAT], back / "xa" / "cat.xlsx", weaker)
    fill_return(issued[DUONG], back / "xa" / "duong.xlsx", {
        ("1.1.1", "status"): "Không áp dụng", ("1.1.2", "rate"): "50%", ("1.2.1", "count"): 0,
        ("2.1.1", "numerator"): 90, ("2.1.1", "denominator"): 100, ("2.1.2", "rate"): "80%",
        ("2.1.3", "incidents"): 1, ("Đ.1", "count"): 1})
    # not usable: a broken file and an office return (belongs to a district's own collect)
    (back / "xa" / "hong.xlsx").write_bytes(b"PK\x03\x04 broken")
    office = distribute(mini, tmp / "phong", body=CAT, year="2024")[0]
    fill_return(office, back / "xa" / "phong.xlsx", {})
    roster = _write(tmp / "don-vi.csv",
                    "\"Cơ quan, đơn vị\",Nhóm,Tổng điểm năm trước\n"
                    f"{AN},,10\n{BINH},,\"9,9\"\n{CAT},Xã loại 1,\n{DUONG},,5\n=1+2,,\nXã Giang,,\"9,95\"\n")
    appraisal = _write(tmp / "tham-dinh.csv",
                       "body,code,field,value,round,note,explanation\n"
                       f"{AN},1.2.1,count,1,1,Chỉ có 1 sáng kiến được công nhận,\n"
                       f"{AN},1.1.1,done,Không,1,Thiếu văn bản,\n"
                       f"{AN},1.1.1,done,Có,2,Chấp nhận,Đã gửi bổ sung kế hoạch\n")
    return {"returns": back, "roster": roster, "appraisal": appraisal, "tmp": tmp}


@pytest.fixture(scope="module")
def hand_result(hand: dict[str, Path]) -> Any:
    return province(hand["returns"], hand["tmp"] / "kq", bodies=hand["roster"], appraisal=hand["appraisal"],
                    executor=Sequential())


def test_scores_and_ranking_by_hand(hand_result: Any) -> None:
    b = hand_result.bodies.set_index("body")
    assert b.loc[AN, "self_total"] == pytest.approx(11.5)
    assert b.loc[AN, "total"] == pytest.approx(10.5)  # from the appraised values
    assert b.loc[BINH, "total"] == pytest.approx(9.5)
    assert b.loc[CAT, "total"] == pytest.approx(9.5)
    assert b.loc[DUONG, "total"] == pytest.approx(3.7)
    assert b.loc[DUONG, "penalty"] == pytest.approx(0.5)
    assert bool(b.loc[AN, "appraised"]) and not bool(b.loc[BINH, "appraised"])
    rk = hand_result.ranking.set_index("body")
    assert list(hand_result.ranking.body) == [AN, BINH, CAT, DUONG]
    assert rk["rank"].to_dict() == {AN: 1, BINH: 2, CAT: 2, DUONG: 4}  # tie shares rank 2, no rank 3
    # groups: the roster where given ("Xã loại 1"), else from the name
    assert rk["group"].to_dict() == {AN: "Huyện", BINH: "Huyện", CAT: "Xã loại 1", DUONG: "Xã"}
    assert rk["rank_in_group"].to_dict() == {AN: 1, BINH: 2, CAT: 1, DUONG: 1}
    # last year: An 10, Giang 9,95 (no return this year), Bình 9,9, Dương 5 -> ranks 1, 2, 3, 4;
    # Cát has no previous score
    assert rk.loc[AN, "score_change"] == pytest.approx(0.5)
    assert rk.loc[BINH, "score_change"] == pytest.approx(-0.4)
    assert rk.loc[DUONG, "score_change"] == pytest.approx(-1.3)
    assert pd.isna(rk.loc[CAT, "score_change"])
    assert rk.loc[DUONG, "previous_rank"] == 4 and rk.loc[DUONG, "rank_change"] == 0
    assert rk.loc[BINH, "previous_rank"] == 3 and rk.loc[BINH, "rank_change"] == 1


def test_tables_by_item_criterion_domain(hand_result: Any) -> None:
    t = hand_result.tables
    items = t["items"].set_index("body")
    assert items.loc[AN, "1.2.1"] == pytest.approx(1.0)  # appraised
    assert items.loc[DUONG, "2.1.1"] == pytest.approx(2.7)
    crit = t["criteria"].set_index("body")
    assert crit.loc[DUONG, "2.1"] == pytest.approx(3.2)  # 2,7 + 0 + 0,5
    dom = t["domains"].set_index("body")
    assert dom.loc[BINH, "1"] == pytest.approx(4.0)  # 0 + 2 + 2
    assert dom.loc[DUONG, "2"] == pytest.approx(3.2)
    dist = t["distribution"].set_index("code")
    # 1.1.1: Dương exempt; Bình and Cát lose the point; An keeps it (explanation accepted)
    assert dist.loc["1.1.1", ["bodies", "exempt", "applicable", "losing"]].tolist() == [4, 1, 3, 2]
    assert dist.loc["1.1.1", "losing_share"] == pytest.approx(2 / 3)
    assert dist.loc["1.1.1", "mean"] == pytest.approx(1 / 3)
    assert dist.loc["2.2.1", "open"] == 4 and dist.loc["2.2.1", "applicable"] == 0
    # 1.2.1: An (appraised 1 of 2) and Dương (0 of 2) lose points: mean (1+2+2+0)/4
    assert dist.loc["1.2.1", "losing"] == 2 and dist.loc["1.2.1", "mean"] == pytest.approx(1.25)
    assert dist.loc["1.2.1", "std"] == pytest.approx(pd.Series([1.0, 2, 2, 0]).std())
    # most-lost items first: 1.1.1 (2 of 3) before 1.2.1 (2 of 4)
    order = list(t["distribution"].code)
    assert order.index("1.1.1") < order.index("1.2.1")


def test_problems_listed(hand_result: Any) -> None:
    p = hand_result.problems
    rows = {(r.kind, r.body or r.file) for r in p.itertuples()}
    assert ("missing", "=1+2") in rows and ("missing", "Xã Giang") in rows
    assert ("invalid", "xa/hong.xlsx") in rows
    assert ("office", CAT) in rows
    assert not any(r.kind == "missing" and r.body in (AN, BINH, CAT, DUONG) for r in p.itertuples())


def test_appraisal_differences_and_explanation_round(hand_result: Any) -> None:
    a = hand_result.tables["appraisal"].set_index("code")
    assert set(a.body) == {AN}
    assert a.loc["1.2.1", ["self_achieved", "appraised_achieved", "final_achieved", "difference"]].tolist() == \
        pytest.approx([2.0, 1.0, 1.0, -1.0])
    assert a.loc["1.2.1", "outcome"] == AP.APPRAISED
    assert a.loc["1.1.1", ["self_achieved", "appraised_achieved", "final_achieved"]].tolist() == \
        pytest.approx([1.0, 0.0, 1.0])
    assert a.loc["1.1.1", "outcome"] == AP.ACCEPTED
    assert "Đã gửi bổ sung kế hoạch" in a.loc["1.1.1", "explanation"]
    assert a.loc["1.2.1", "changes"] == "count: 2 → 1"
    assert a.loc["1.1.1", "changes"] == "done: Có → Không → Có"  # changed, then restored


def test_an_appraisal_that_keeps_the_value_lists_no_change(hand: dict[str, Path], tmp_path: Path) -> None:
    """Appraising a value as the body gave it is agreement, not a change 'Không → Không'."""
    same = _write(tmp_path / "a.csv", f"body,code,field,value\n{BINH},1.1.1,done,Không\n{BINH},1.2.1,count,1\n")
    r = province(hand["returns"], tmp_path / "kq", appraisal=same, executor=Sequential(), word=False)
    a = r.tables["appraisal"].set_index("code")
    assert a.loc["1.1.1", ["changes", "outcome", "difference"]].tolist() == ["", AP.AGREED, 0]
    assert a.loc["1.2.1", "changes"] == "count: 2 → 1"


def test_outputs_written_and_text_stays_text(hand_result: Any) -> None:
    out = hand_result.output
    for name in ("tong-hop-tinh.xlsx", "bao-cao-xep-hang.docx", "xep-hang.csv", "thieu-loi.csv",
                 "du-lieu/tep.parquet", "du-lieu/diem.parquet"):
        assert (out / name).is_file(), name
    wb = openpyxl.load_workbook(out / "tong-hop-tinh.xlsx")
    assert wb.sheetnames[:2] == ["Xếp hạng", "Theo nhóm"]
    assert "Thẩm định" in wb.sheetnames
    ws = wb["Thiếu - không hợp lệ"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+2"]
    assert cells and all(c.data_type == "s" for c in cells)  # a body named like a formula stays text
    ranking = wb["Xếp hạng"]
    assert [ranking.cell(row=r, column=2).value for r in range(4, 8)] == [AN, BINH, CAT, DUONG]
    checks = wb["Kiểm tra"]  # office names readable: the column is as wide as the longest of them
    heads = {c.value: c.column_letter for c in checks[3] if c.value}
    widest = max(len(o) for o in builtin("dongthap-huyen-2023").offices())
    assert checks.column_dimensions[heads["Đơn vị chủ trì"]].width >= widest
    with zipfile.ZipFile(out / "bao-cao-xep-hang.docx") as z:
        doc = z.read("word/document.xml").decode("utf-8")
    assert AN in doc and DUONG in doc
    import docx

    rows = [[c.text for c in r.cells] for tb in docx.Document(str(out / "bao-cao-xep-hang.docx")).tables
            for r in tb.rows]
    head = next(r for r in rows if "Hạng năm trước" in r)
    binh = next(r for r in rows if BINH in r)
    assert binh[head.index("Hạng năm trước")] == "3"  # the same previous rank as the Excel table
    # next year, this year's ranking is "previous": the CSV reads back
    from parxl.province.tables import load_previous

    prev = load_previous(out / "xep-hang.csv").set_index("body")
    assert prev.loc[DUONG, "previous_total"] == pytest.approx(3.7)
    assert prev.loc[CAT, "previous_rank"] == 2


def test_same_inputs_same_bytes(hand: dict[str, Path], hand_result: Any) -> None:
    again = province(hand["returns"], hand["tmp"] / "kq2", bodies=hand["roster"], appraisal=hand["appraisal"],
                     executor=Local(2), batch_size=3)  # not the batches of the first run
    for name in ("tong-hop-tinh.xlsx", "bao-cao-xep-hang.docx", "xep-hang.csv", "tham-dinh.csv",
                 *(f"du-lieu/{n}" for n in S.NAMES.values())):  # Parquet: row groups whatever the batches
        assert (hand_result.output / name).read_bytes() == (again.output / name).read_bytes(), name


def test_parquet_row_groups_do_not_follow_the_batches(tmp_path: Path, monkeypatch: Any) -> None:
    from parxl.province.worker import BatchOut

    monkeypatch.setattr(S, "ROW_GROUP", 4)
    sizes = []
    for split in ((10,), (3, 3, 3, 1), (1,) * 10):
        store = S.Store(tmp_path / str(len(split)))
        rows = iter(range(10))
        for n in split:
            store.add(BatchOut(issues=[(f"f{next(rows)}", "", "", "", "", "lỗi", "x") for _ in range(n)]))
        path = store.close()["issues"]
        meta = pq.ParquetFile(path).metadata
        sizes.append([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
        assert list(S.read(path).file) == [f"f{i}" for i in range(10)]
        assert path.read_bytes() == (tmp_path / "1" / S.NAMES["issues"]).read_bytes()
    assert sizes == [[4, 4, 2]] * 3


def test_appraisal_csv_problems_reported_together(tmp_path: Path) -> None:
    bad = _write(tmp_path / "a.csv", "body,code,field,value,round\nA,1.1.1,done,Có,3\n,1.1.1,done,Có,1\n"
                 "A,1.1.2,rate,50%,1\nA,1.1.2,rate,60%,1\n")
    with pytest.raises(InputError) as e:
        load_appraisal_csv(bad)
    msg = str(e.value)
    assert "dòng 2" in msg and "dòng 3" in msg and "dòng 5" in msg
    with pytest.raises(InputError, match="thiếu cột"):
        load_appraisal_csv(_write(tmp_path / "b.csv", "body,code\nA,1\n"))


def test_appraisal_values_checked_against_framework(hand: dict[str, Path], tmp_path: Path) -> None:
    appraisal = _write(tmp_path / "t.csv", "body,code,field,value\n"
                       f"{BINH},9.9.9,done,Có\n{BINH},1.1.2,rate,abc\n{BINH},1.1.1,done,Có\n")
    r = province(hand["returns"], tmp_path / "kq", appraisal=appraisal, executor=Sequential(), word=False)
    issues = r.tables["issues"]
    msgs = " ".join(issues[issues.message.str.contains("thẩm định")].message)
    assert "9.9.9" in msgs and "abc" in msgs
    # the valid row still applies: Bình's 1.1.1 becomes Có -> 10,5
    assert r.bodies.set_index("body").loc[BINH, "total"] == pytest.approx(10.5)


def test_appraised_workbooks(hand: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    issued = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=[CAT], year="2024")}
    # the superior body's copy of Cát: 2.1.3 has 2 incidents (-1 point), the rest as reported
    weaker = {**FULL, ("1.1.1", "done"): "Không", ("2.1.3", "incidents"): 2}
    fill_return(issued[CAT], tmp_path / "tham dinh" / "cat.xlsx", weaker)
    r = province(hand["returns"], tmp_path / "kq", appraisal=tmp_path / "tham dinh", executor=Sequential(),
                 word=False)
    a = r.tables["appraisal"]
    assert list(a.code) == ["2.1.3"]  # only what differs from the body's own return
    assert a.difference.iloc[0] == pytest.approx(-1.0)
    assert r.bodies.set_index("body").loc[CAT, "total"] == pytest.approx(8.5)


def test_ordered_results_whatever_the_completion_order() -> None:
    done_order = [[2], [0, 1], [4], [3]]  # futures finish out of order
    calls = iter(done_order)
    submitted: list[int] = []

    def submit(b: int) -> int:
        submitted.append(b)
        return b

    def done_of(pending: list[int]) -> list[int]:
        for batch in calls:
            got = [x for x in batch if x in pending]
            if got:
                return got
        return list(pending)

    out = list(_ordered(submit, done_of, lambda f: f * 10, range(5), window=5))
    assert out == [0, 10, 20, 30, 40]
    assert submitted == [0, 1, 2, 3, 4]


# ---------------------------------------------------------------- synthetic province, Dask

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_province(tmp_path_factory.mktemp("demo") / "tinh", 40, workers=1)


def _frames(r: Any) -> dict[str, pd.DataFrame]:
    keys = ("bodies", "items", "criteria", "domains", "ranking", "groups", "distribution", "problems",
            "appraisal", "issues")
    out = {}
    for k in keys:
        df = r.tables[k]
        out[k] = df.sort_values(list(df.columns[:2]), kind="stable").reset_index(drop=True)
    return out


def test_demo_province_is_realistic(demo: Path, tmp_path: Path) -> None:
    r = province(demo / "tra-ve", tmp_path / "kq", bodies=demo / "don-vi.csv", appraisal=demo / "tham-dinh.csv",
                 executor=Local(2), word=False)
    kinds = set(r.problems.kind)
    assert {"invalid", "duplicate", "missing", "errors"} <= kinds
    totals = r.bodies.total
    assert totals.max() - totals.min() > 10  # varied scores
    assert r.tables["distribution"].exempt.sum() > 0  # some exempt items
    roster = pd.read_csv(demo / "don-vi.csv")
    assert len(r.bodies) + (r.problems.kind == "missing").sum() == len(roster)


def test_dask_local_cluster_gives_identical_tables(demo: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    roster, appraisal = demo / "don-vi.csv", demo / "tham-dinh.csv"
    local = province(demo / "tra-ve", tmp_path / "local", executor=Local(2), bodies=roster, appraisal=appraisal,
                     word=False)
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        on_dask = province(demo / "tra-ve", tmp_path / "dask", client=client, batch_size=3, bodies=roster,
                           appraisal=appraisal, word=False)
    assert on_dask.executor == "dask" and local.executor == "local"
    a, b = _frames(local), _frames(on_dask)
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_exact=True, obj=k)
    assert len(a["bodies"]) > 30
    for name in ("tong-hop-tinh.xlsx", "xep-hang.csv", "diem-theo-muc.csv"):
        assert (local.output / name).read_bytes() == (on_dask.output / name).read_bytes(), name


def test_cli_province_demo_and_province(tmp_path: Path) -> None:
    from parxl.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["province-demo", "--bodies", "12", "-o", str(tmp_path / "t"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["province", str(tmp_path / "t" / "tra-ve"), "-o", str(tmp_path / "kq"),
                              "--bodies", str(tmp_path / "t" / "don-vi.csv"), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "xếp hạng" in res.output
    assert "(một tiến trình)" in res.output  # how the files were read, in Vietnamese (not "sequential")
    assert (tmp_path / "kq" / "bao-cao-xep-hang.docx").is_file()
    res = runner.invoke(app, ["province", str(tmp_path / "khong-co"), "-o", str(tmp_path / "kq2")])
    assert res.exit_code == 1 and "không tìm thấy thư mục" in res.output
    (tmp_path / "trong").mkdir()
    res = runner.invoke(app, ["province", str(tmp_path / "trong"), "-o", str(tmp_path / "kq3")])
    assert res.exit_code == 1 and "không có biểu mẫu" in res.output


def test_consolidated_workbook_of_one_body_is_read(mini: Framework, tmp_path: Path) -> None:
    from parxl.office.collect import collect

    offices = {p.stem: p for p in distribute(mini, tmp_path / "ph", body="Xã Em", year="2024")}
    parts = {
        "Phòng Nội vụ": ("1.1.1", "1.1.2", "1.2.1"),
        "Văn phòng HĐND và UBND": ("2.1.1", "2.1.3"),
        "Phòng Văn hoá và Thông tin": ("2.1.2",),
    }
    for office, codes in parts.items():
        fill_return(offices[office], tmp_path / "ve" / f"{office}.xlsx",
                    {k: v for k, v in FULL.items() if k[0] in codes})
    merged = collect(tmp_path / "ve", tmp_path / "tinh" / "Xã Em - tổng hợp.xlsx")
    assert merged.errors == 0
    for extra in (tmp_path / "tinh").glob("*.csv"):
        extra.unlink()
    (tmp_path / "tinh" / "Xã Em - tổng hợp-kiem-tra.json").unlink()
    r = province(tmp_path / "tinh", tmp_path / "kq", executor=Sequential(), word=False)
    assert list(r.bodies.body) == ["Xã Em"]
    assert r.bodies.total.iloc[0] == pytest.approx(10.5)  # as Huyện An without the bonus
    # one body cannot be ranked: the tables are written, the Word ranking report is not
    r = province(tmp_path / "tinh", tmp_path / "kq1", executor=Sequential())
    assert (tmp_path / "kq1" / "xep-hang.csv").is_file()
    assert not (tmp_path / "kq1" / "bao-cao-xep-hang.docx").exists()
    assert any("xếp hạng cần ít nhất hai đơn vị" in w for w in r.warnings)


def test_last_years_output_folder_as_previous(hand: dict[str, Path], hand_result: Any, tmp_path: Path) -> None:
    # same returns "next year", last year's output folder as --previous: nothing changed
    r = province(hand["returns"], tmp_path / "kq", previous=hand_result.output, appraisal=hand["appraisal"],
                 executor=Sequential(), word=False)
    rk = r.ranking.set_index("body")
    assert rk.loc[AN, "previous_total"] == pytest.approx(10.5) and rk.loc[AN, "score_change"] == 0
    assert rk.loc[DUONG, "previous_rank"] == 4 and rk.loc[DUONG, "rank_change"] == 0
    d = r.tables["distribution"].set_index("code")
    assert d.loc["1.2.1", "previous_mean"] == pytest.approx(1.25) and d.loc["1.2.1", "mean_change"] == 0
    assert d.loc["1.1.1", "previous_losing_share"] == pytest.approx(2 / 3)


def test_group_from_the_returns_metadata(hand: dict[str, Path], tmp_path: Path) -> None:
    from parxl.office.synth import patch_cells

    folder = tmp_path / "ve"
    folder.mkdir()
    for name in ("an.xlsx", "binh.xlsx"):
        src = hand["returns"] / "huyen" / name
        # an extra metadata row, as distribute(..., meta={"group": ...}) would write
        patch_cells(src, folder / name, {("_parxl", "A200"): "group", ("_parxl", "B200"): "Khối huyện miền núi"})
    r = province(folder, tmp_path / "kq", executor=Sequential(), word=False)
    assert set(r.ranking.group) == {"Khối huyện miền núi"}
    assert r.ranking.set_index("body").loc[BINH, "rank_in_group"] == 2


def test_last_years_return_in_the_folder_is_left_out(hand: dict[str, Path], mini: Framework, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    old = {p.stem: p for p in distribute(mini, tmp_path / "ph2023", bodies=[DUONG, "Xã Giang"], year="2023")}
    # last year's return of Dương, named so that it sorts before this year's, and the only
    # return of Xã Giang (on the roster): last year's too
    fill_return(old[DUONG], folder / "xa" / "a - duong 2023.xlsx", FULL)
    fill_return(old["Xã Giang"], folder / "xa" / "giang.xlsx", FULL)
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    assert r.bodies.set_index("body").loc[DUONG, "total"] == pytest.approx(3.7)  # this year's return
    assert "Xã Giang" not in set(r.ranking.body)
    p = r.problems
    stale = p[p.file.isin(["xa/a - duong 2023.xlsx", "xa/giang.xlsx"])]
    assert len(stale) == 2 and set(stale.label) == {"Biểu mẫu năm khác"}
    assert all("2023" in x and "2024" in x for x in stale.reason)
    assert ((p.kind == "missing") & (p.body == "Xã Giang")).any()


def test_word_report_uses_last_years_official_ranks(hand: dict[str, Path], tmp_path: Path) -> None:
    import docx

    # last year's official ranks, not the order of last year's totals (e.g. ranked by index)
    roster = _write(tmp_path / "don-vi.csv", "\"Cơ quan, đơn vị\",Tổng điểm năm trước,Hạng năm trước\n"
                    f"{AN},10,3\n{BINH},\"9,9\",1\n{CAT},9,2\n{DUONG},5,4\n")
    r = province(hand["returns"], tmp_path / "kq", bodies=roster, executor=Sequential())
    rk = r.ranking.set_index("body")
    assert rk.loc[AN, "previous_rank"] == 3 and rk.loc[AN, "rank_change"] == 2
    doc = docx.Document(str(tmp_path / "kq" / "bao-cao-xep-hang.docx"))
    rows = [[c.text for c in row.cells] for tb in doc.tables for row in tb.rows]
    head = next(row for row in rows if "Hạng năm trước" in row)
    word = {row[head.index("Cơ quan, đơn vị")]: row for row in rows if len(row) == len(head)}
    for body in (AN, BINH, CAT, DUONG):  # the same previous rank and change as the Excel table
        assert word[body][head.index("Hạng năm trước")] == str(rk.loc[body, "previous_rank"])
    assert word[AN][head.index("Tăng, giảm hạng")] == "+2"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "01 đơn vị tăng hạng, 01 đơn vị giảm hạng, 02 đơn vị giữ nguyên hạng" in text


def test_cli_names_the_problem_files_and_fails_when_nothing_is_ranked(hand: dict[str, Path], tmp_path: Path) -> None:
    from parxl.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["province", str(hand["returns"]), "-o", str(tmp_path / "kq"), "--workers", "1",
                              "--no-word"])
    assert res.exit_code == 0, res.output
    assert "xa/hong.xlsx" in res.output and "xa/phong.xlsx" in res.output  # each problem names its file
    bad = tmp_path / "hong"
    bad.mkdir()
    (bad / "Xã Tân Phú – bản cuối.xlsx").write_bytes(b"PK\x03\x04 broken")
    res = runner.invoke(app, ["province", str(bad), "-o", str(tmp_path / "kq2"), "--workers", "1"])
    assert res.exit_code == 1, res.output  # nothing could be ranked: not a success
    assert "Xã Tân Phú – bản cuối.xlsx" in res.output and "không có biểu mẫu nào dùng được" in res.output


def test_roster_and_last_year_numbers_checked_with_the_column_named(tmp_path: Path) -> None:
    from parxl.province.tables import load_bodies, load_previous

    roster = _write(tmp_path / "ds.csv", "\"Cơ quan, đơn vị\",Tổng điểm năm trước,Hạng năm trước\n"
                    f"{AN},abc,1\n{BINH},\"9,9\",hai\n")
    with pytest.raises(InputError) as e:
        load_bodies(roster)
    msg = str(e.value)
    assert "dòng 2: 'abc' không phải số (cột Tổng điểm năm trước)" in msg
    assert "dòng 3: 'hai' không phải số (cột Hạng năm trước)" in msg
    assert "previous_" not in msg
    # last year's ranking: a typo is reported, not read as "no score last year"
    prev = _write(tmp_path / "xep-hang.csv", "Hạng,\"Cơ quan, đơn vị\",Tổng điểm\n1,An,\"9,5\"\n2,Bình,9.x\n")
    with pytest.raises(InputError, match=r"dòng 3: '9.x' không phải số \(cột Tổng điểm\)"):
        load_previous(prev)


def test_csv_tables_read_in_vietnamese_as_the_workbook(hand_result: Any) -> None:
    out = hand_result.output
    bodies = pd.read_csv(out / "bang-diem.csv", dtype=str, keep_default_na=False).set_index("Cơ quan, đơn vị")
    assert bodies.loc[AN, "Đã thẩm định"] == "Có" and bodies.loc[BINH, "Đã thẩm định"] == "Không"
    appr = pd.read_csv(out / "tham-dinh.csv", dtype=str, keep_default_na=False)
    assert set(appr["Đã giải trình"]) == {"Có", "Không"}
    dist = pd.read_csv(out / "phan-bo-theo-muc.csv", dtype=str, keep_default_na=False)
    assert set(dist["Đánh giá bởi"]) <= {"Tự đánh giá", "Điều tra XHH", "Cấp trên", "Thưởng", "Trừ"}


def test_roster_and_appraisal_saved_by_a_vietnamese_excel(hand: dict[str, Path], tmp_path: Path) -> None:
    # Excel in Vietnamese (decimal comma) saves "CSV UTF-8" with semicolons, sometimes with a
    # leading "sep=;" line
    roster = _write(tmp_path / "ds.csv", "Cơ quan, đơn vị;Nhóm;Tổng điểm năm trước\n"
                    f"{AN};;10\n{BINH};;9,9\n{CAT};Xã loại 1;\n{DUONG};;5\n")
    appraisal = _write(tmp_path / "td.csv", "sep=;\nCơ quan, đơn vị;Mã;Trường;Giá trị;Vòng;Lý do\n"
                       f"{AN};1.2.1;count;1;1;\"Chỉ có 1 sáng kiến; đã xác minh\"\n")
    r = province(hand["returns"], tmp_path / "kq", bodies=roster, appraisal=appraisal, executor=Sequential(),
                 word=False)
    rk = r.ranking.set_index("body")
    assert rk.loc[BINH, "previous_total"] == pytest.approx(9.9) and rk.loc[CAT, "group"] == "Xã loại 1"
    assert r.bodies.set_index("body").loc[AN, "total"] == pytest.approx(10.5)  # 11,5 - 1
    bad = _write(tmp_path / "td2.csv", "sep=;\nbody;code;field;value;round\n"
                 f"{AN};1.2.1;count;1;3\n")
    with pytest.raises(InputError, match="dòng 3: vòng '3'"):  # the line as Excel numbers it
        load_appraisal_csv(bad)


def test_a_wrong_appraisal_line_is_not_blamed_on_the_bodys_return(hand: dict[str, Path], tmp_path: Path) -> None:
    appraisal = _write(tmp_path / "t.csv", f"body,code,field,value\n{BINH},9.9.9,done,Có\n{BINH},1.1.1,done,Có\n")
    r = province(hand["returns"], tmp_path / "kq", appraisal=appraisal, executor=Sequential(), word=False)
    assert r.bodies.set_index("body").loc[BINH, "errors"] == 0  # Bình's return has no error
    p = r.problems
    assert not ((p.kind == "errors") & (p.body == BINH)).any()
    wrong = p[p.file == str(appraisal)]
    assert len(wrong) == 1 and "9.9.9" in wrong.reason.iloc[0] and BINH in wrong.reason.iloc[0]
    assert wrong.body.iloc[0] == BINH


def test_rerun_into_the_same_folder_leaves_no_stale_table(hand: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "kq"
    province(hand["returns"], out, appraisal=hand["appraisal"], executor=Sequential())
    assert (out / "tham-dinh.csv").is_file() and (out / "bao-cao-xep-hang.docx").is_file()
    r = province(hand["returns"], out, executor=Sequential(), word=False)  # no appraisal this time
    appr = pd.read_csv(out / "tham-dinh.csv")
    assert len(appr) == 0 and "Cơ quan, đơn vị" in appr.columns  # this run's (empty) table, not the last one's
    assert any("bao-cao-xep-hang.docx" in w and "lần chạy trước" in w for w in r.warnings)


def test_office_returns_beside_their_consolidated_workbook(mini: Framework, tmp_path: Path) -> None:
    from parxl.office.collect import collect

    offices = {p.stem: p for p in distribute(mini, tmp_path / "ph", body="Xã Em", year="2024")}
    folder = tmp_path / "tinh" / "Xã Em"
    for office in offices:
        fill_return(offices[office], folder / f"{office}.xlsx", FULL)
    collect(folder, folder / "tổng hợp.xlsx")
    r = province(tmp_path / "tinh", tmp_path / "kq", executor=Sequential(), word=False)
    assert list(r.bodies.body) == ["Xã Em"] and r.bodies.file.iloc[0] == "Xã Em/tổng hợp.xlsx"
    office = r.problems[r.problems.kind == "office"]
    assert len(office) == len(offices)
    for reason in office.reason:  # not "consolidate these with parxl collect first": it is done
        assert "Xã Em/tổng hợp.xlsx" in reason and "parxl collect' trước" not in reason


def test_a_body_whose_only_return_is_unusable_is_not_said_to_have_sent_nothing(
        hand: dict[str, Path], hand_result: Any, mini: Framework, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    old = distribute(mini, tmp_path / "ph2023", bodies=["Xã Giang"], year="2023")[0]
    fill_return(old, folder / "giang.xlsx", FULL)  # Xã Giang (on the roster) sent last year's form
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    p = r.problems
    giang = p[(p.kind == "missing") & (p.body == "Xã Giang")].reason.iloc[0]
    assert "giang.xlsx" in giang and "chưa gửi biểu mẫu" not in giang
    # a body that sent nothing at all
    assert p[(p.kind == "missing") & (p.body == "=1+2")].reason.iloc[0] == "chưa gửi biểu mẫu"


def test_the_master_template_in_the_folder_is_nobodys_return(hand: dict[str, Path], mini: Framework,
                                                             tmp_path: Path) -> None:
    """The master template (no body, no office) copied among the returns became a body named after
    its file, ranked last at 0 and named in the Word report. As in 'parxl collect': blank, it is
    skipped with a warning; filled (on the template instead of the body's copy), it is refused."""
    import docx

    from parxl.workbook.build import build_template

    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    template = build_template(mini, folder / "mau.xlsx")
    fill_return(template, folder / "xa" / "mau da nhap.xlsx", FULL)
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential())
    assert list(r.ranking.body) == [AN, BINH, CAT, DUONG]
    assert list(r.bodies.body) == [AN, BINH, CAT, DUONG]
    [everyone] = r.tables["groups"][r.tables["groups"].group == "Tất cả"].average
    assert everyone == pytest.approx((11.5 + 9.5 + 9.5 + 3.7) / 4)
    p = r.problems.set_index("file")
    assert p.loc["mau.xlsx", ["label", "body"]].tolist() == ["Biểu mẫu gốc", ""]
    assert p.loc["mau.xlsx", "reason"] == "biểu mẫu gốc chưa nhập số liệu (không phải biểu mẫu trả về) — bỏ qua"
    assert p.loc["xa/mau da nhap.xlsx", "label"] == "Biểu mẫu gốc"
    assert "đã nhập số liệu nhưng không ghi tên cơ quan, đơn vị" in p.loc["xa/mau da nhap.xlsx", "reason"]
    issues = r.tables["issues"]
    assert issues[issues.file == "mau.xlsx"].severity.tolist() == ["cảnh báo"]
    refused = issues[issues.message.str.contains("không ghi tên cơ quan")]
    assert refused[["file", "severity"]].values.tolist() == [["xa/mau da nhap.xlsx", "lỗi"]]
    text = "\n".join(x.text for x in docx.Document(str(r.output / "bao-cao-xep-hang.docx")).paragraphs)
    assert "mau" not in text.replace("mẫu", "")


def test_a_blank_return_is_reported_and_not_ranked_at_zero(hand: dict[str, Path], mini: Framework,
                                                           tmp_path: Path) -> None:
    """A body that sends back its distributed workbook untouched was ranked last at 0 points with
    no message. It is warned about, listed, and left out of the ranking and the averages."""
    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    issued = {p.stem: p for p in distribute(mini, tmp_path / "ph", bodies=[AN, "Xã Giang"], year="2024")}
    shutil.copy(issued["Xã Giang"], folder / "xa" / "giang.xlsx")  # Xã Giang's only return
    shutil.copy(issued[AN], folder / "huyen" / "an - ban trong.xlsx")  # beside An's filled return
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    assert list(r.ranking.body) == [AN, BINH, CAT, DUONG]
    assert r.bodies.set_index("body").loc[AN, "total"] == pytest.approx(11.5)  # its filled return, no duplicate
    [everyone] = r.tables["groups"][r.tables["groups"].group == "Tất cả"].average
    assert everyone == pytest.approx((11.5 + 9.5 + 9.5 + 3.7) / 4)
    p = r.problems
    blank = p[p.kind == "blank"].set_index("file")
    assert blank.body.to_dict() == {"xa/giang.xlsx": "Xã Giang", "huyen/an - ban trong.xlsx": AN}
    assert set(blank.label) == {"Biểu mẫu chưa nhập số liệu"}
    assert blank.loc["xa/giang.xlsx", "reason"] == ("'Xã Giang' gửi biểu mẫu chưa nhập số liệu nào — có thể gửi "
                                                    "nhầm biểu mẫu trống; không tổng hợp, không xếp hạng tệp này")
    assert not (p.kind == "duplicate").any()
    [why] = p[(p.kind == "missing") & (p.body == "Xã Giang")].reason
    assert why == "chưa có biểu mẫu dùng được: 'xa/giang.xlsx' (Biểu mẫu chưa nhập số liệu)"
    issues = r.tables["issues"]
    warned = issues[(issues.file == "xa/giang.xlsx") & (issues.severity == "cảnh báo")]
    assert warned.message.str.contains("chưa nhập số liệu nào").any()


def test_a_body_whose_only_return_was_tampered_with_sent_an_unusable_file(hand: dict[str, Path], mini: Framework,
                                                                           tmp_path: Path) -> None:
    """Its '_parxl' sheet was edited (fingerprint changed): the file is refused, but its metadata
    still names the body, which sent a file that cannot be used, not nothing."""
    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    issued = distribute(mini, tmp_path / "ph", bodies=["Xã Giang"], year="2024")[0]
    fill_return(issued, folder / "xa" / "giang.xlsx", FULL, extra={("_parxl", "B6"): "0000000000000000"})
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    p = r.problems
    [refused] = p[p.file == "xa/giang.xlsx"].itertuples()
    assert (refused.kind, refused.body) == ("invalid", "Xã Giang") and "dấu vân tay" in refused.reason
    [why] = p[(p.kind == "missing") & (p.body == "Xã Giang")].reason
    assert why == "chưa có biểu mẫu dùng được: 'xa/giang.xlsx' (Tệp không hợp lệ)"


def test_last_years_distribution_resaved_by_excel(hand: dict[str, Path], hand_result: Any, tmp_path: Path) -> None:
    from parxl.province.tables import load_previous_distribution

    prev = tmp_path / "nam-truoc"
    prev.mkdir()
    (prev / "xep-hang.csv").write_bytes((hand_result.output / "xep-hang.csv").read_bytes())
    _write(prev / "phan-bo-theo-muc.csv", "Mã;Nội dung;Điểm trung bình;Tỷ lệ đơn vị bị trừ\n"
           "1.1.1;A;0,333333;66,67%\n1.2.1;B;1.125;0.5\n")  # re-saved by Excel in Vietnamese, and our own
    d = load_previous_distribution(prev).set_index("code")
    assert d.loc["1.1.1", "previous_mean"] == pytest.approx(0.333333)
    assert d.loc["1.1.1", "previous_losing_share"] == pytest.approx(0.6667)
    assert d.loc["1.2.1", "previous_mean"] == pytest.approx(1.125)  # a mean, not 1.125 thousand
    _write(prev / "phan-bo-theo-muc.csv", "Mã,Điểm trung bình,Tỷ lệ đơn vị bị trừ\n1.1.1,abc,0.5\n")
    with pytest.raises(InputError, match=r"dòng 2: 'abc' không phải số \(cột Điểm trung bình\)"):
        load_previous_distribution(prev)


def test_a_return_of_a_body_not_on_the_roster_is_pointed_out(hand: dict[str, Path], tmp_path: Path) -> None:
    # e.g. the body typed its name differently: the roster's name shows as missing, and the
    # return's name must show too, so the two can be matched by the person reading the list
    roster = _write(tmp_path / "ds.csv", f"\"Cơ quan, đơn vị\"\n{AN}\n{BINH}\n{CAT}\nXã Dương Hoà\n")
    r = province(hand["returns"], tmp_path / "kq", bodies=roster, executor=Sequential(), word=False)
    assert DUONG in set(r.ranking.body)  # still ranked: nothing is dropped
    p = r.problems
    row = p[(p.body == DUONG) & (p.kind == "unlisted")]
    assert len(row) == 1 and row.file.iloc[0] == "xa/duong.xlsx"
    assert row.label.iloc[0] == "Đơn vị không có trong danh sách"
    assert ((p.kind == "missing") & (p.body == "Xã Dương Hoà")).any()


def test_appraising_a_figure_of_an_exempt_item_is_pointed_out(hand: dict[str, Path], tmp_path: Path) -> None:
    """Xã Dương marked 1.1.1 'Không áp dụng': an appraised 'done' cannot count while the item is
    exempt, and the appraiser is told so (it showed 'Thống nhất' without a word); appraising the
    status too makes the figure count."""
    alone = _write(tmp_path / "a.csv", f"body,code,field,value\n{DUONG},1.1.1,done,Có\n")
    r = province(hand["returns"], tmp_path / "kq", appraisal=alone, executor=Sequential(), word=False)
    issues = r.tables["issues"]
    [msg] = issues[issues.message.str.contains("không được tính điểm")].message
    assert "dòng 2" in msg and "1.1.1" in msg and "Không áp dụng" in msg and "'status'" in msg
    assert r.bodies.set_index("body").loc[DUONG, "total"] == pytest.approx(3.7)
    both = _write(tmp_path / "b.csv", f"body,code,field,value\n{DUONG},1.1.1,done,Có\n{DUONG},1.1.1,status,Đạt\n")
    r = province(hand["returns"], tmp_path / "kq2", appraisal=both, executor=Sequential(), word=False)
    issues = r.tables["issues"]
    assert not issues.message.str.contains("không được tính điểm").any()
    assert r.bodies.set_index("body").loc[DUONG, "total"] == pytest.approx(4.7)


def test_last_years_figures_given_twice_and_differently_are_pointed_out(hand: dict[str, Path], hand_result: Any,
                                                                      tmp_path: Path) -> None:
    """The roster says Huyện An had 10 points last year, last year's output folder says 10,5:
    --previous is used, and the user is told where the two disagree (it won silently)."""
    r = province(hand["returns"], tmp_path / "kq", bodies=hand["roster"], previous=hand_result.output,
                 appraisal=hand["appraisal"], executor=Sequential(), word=False)
    [w] = [w for w in r.warnings if "--bodies" in w and "--previous" in w]
    assert f"{AN}: tổng điểm 10 / 10,5" in w and f"{DUONG}: tổng điểm 5 / 3,7" in w
    assert r.ranking.set_index("body").loc[AN, "previous_total"] == pytest.approx(10.5)
    alone = province(hand["returns"], tmp_path / "kq2", previous=hand_result.output, appraisal=hand["appraisal"],
                     executor=Sequential(), word=False)
    assert not [w for w in alone.warnings if "--bodies" in w]


def test_a_body_that_sent_a_scan_is_not_said_to_have_sent_nothing(hand: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "tra ve"
    shutil.copytree(hand["returns"], back)
    for f in (back / "xa").glob("duong.xlsx"):
        f.unlink()
    (back / "xa" / f"{DUONG}.pdf").write_bytes(b"%PDF-1.4 scan")
    r = province(back, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    p = r.problems
    [scan] = p[p.file == f"xa/{DUONG}.pdf"].reason
    assert "không phải biểu mẫu Excel (.pdf)" in scan
    [why] = p[(p.body == DUONG) & (p.kind == "missing")].reason
    assert why == f"chưa có biểu mẫu dùng được: 'xa/{DUONG}.pdf' (không phải tệp Excel)"


def test_demo_appraisal_applies_cleanly(tmp_path: Path) -> None:
    """The example appraisal appraises items the bodies answered, never one a body marked 'Không
    áp dụng': the 300-body demo said 'Số liệu thẩm định không dùng được', not among the mistakes
    the README says the demo makes on purpose."""
    root = make_province(tmp_path / "tinh", 300, workers=1)
    r = province(root / "tra-ve", tmp_path / "kq", bodies=root / "don-vi.csv", appraisal=root / "tham-dinh.csv",
                 executor=Sequential(), word=False)
    assert "appraisal_value" not in set(r.problems.kind) and len(r.tables["appraisal"]) > 10


def test_a_roster_not_saved_as_utf8_is_refused_saying_how_to_save_it(hand: dict[str, Path], tmp_path: Path) -> None:
    roster = tmp_path / "ds.csv"
    roster.write_bytes("Cơ quan, đơn vị\nHuyện Bình\n".encode("utf-16"))  # "Unicode Text", as Excel offers it
    with pytest.raises(InputError, match="CSV UTF-8") as e:
        province(hand["returns"], tmp_path / "kq", bodies=roster, executor=Sequential(), word=False)
    assert e.value.where.file == str(roster) and "danh sách đơn vị" in e.value.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["a & b", "<x>", 'say "hi"', "tab\there", "bell\x07", "\ufffe", "Phòng Tư pháp"]))
def test_xlsx_text_is_escaped_and_cleaned(value: str) -> None:
    """What the streaming writer puts in a cell parses back as the text, minus what XML 1.0 forbids."""
    import re
    from xml.etree import ElementTree

    from parxl.province.xlsxfast import text

    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", value)
    parsed = ElementTree.fromstring(f"<t>{text(value)}</t>".encode()).text or ""
    assert parsed == re.sub("\r\n?", "\n", kept)  # XML's own line-end normalisation


def _rewrite(result: Any, out: Path) -> Any:
    import copy

    from parxl.province import outputs

    r = copy.copy(result)
    r.output, r.outputs, r.warnings = out, [], []
    out.mkdir()
    outputs.write_all(r)
    return r


def test_word_report_written_beside_the_tables(hand_result: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The Word report is written by a second process where it can be: its file and its warnings
    arrive as if written here; its failure is raised here, as the same error."""
    import os
    import threading

    from parxl.province import outputs

    real = outputs.write_docx
    writers: list[int] = []

    def noted(result: Any, path: Path, info: Any = None) -> list[str]:
        writers.append(os.getpid())
        return [*real(result, path, info), f"viết bởi {os.getpid()}"]

    monkeypatch.setattr(outputs, "write_docx", noted)
    # another thread (Dask's, an earlier test's) makes forking unsafe: the report is written here
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        r = _rewrite(hand_result, tmp_path / "here")
    finally:
        stop.set()
        other.join()
    assert r.warnings[-1] == f"viết bởi {os.getpid()}" and writers == [os.getpid()]
    writers.clear()
    monkeypatch.setattr(outputs.threading, "active_count", lambda: 1)  # as in a `parxl province` run
    r = _rewrite(hand_result, tmp_path / "a")
    assert (tmp_path / "a" / outputs.DOCX).read_bytes() == (hand_result.output / outputs.DOCX).read_bytes()
    [note] = [w for w in r.warnings if w.startswith("viết bởi")]
    assert note != f"viết bởi {os.getpid()}"  # a forked child wrote it (Linux)
    assert writers == []  # and this process never ran it

    def broken(result: Any, path: Path, info: Any = None) -> list[str]:
        raise InputError("mẫu báo cáo hỏng")

    monkeypatch.setattr(outputs, "write_docx", broken)
    with pytest.raises(InputError, match="mẫu báo cáo hỏng"):
        _rewrite(hand_result, tmp_path / "b")
    assert not (tmp_path / "b" / outputs.DOCX).exists()


def test_a_word_child_killed_half_way_leaves_no_temporary_file(hand_result: Any, tmp_path: Path,
                                                               monkeypatch: Any) -> None:
    """The child writing the Word report was killed after writing its temporary file, before
    renaming it: the '.parxl-….tmp' stayed beside the outputs. Now the parent removes it and
    writes the report itself."""
    import os
    import signal

    from parxl.province import outputs
    from parxl.workbook import save

    parent, real_replace = os.getpid(), os.replace

    def replace(src: Any, dst: Any) -> None:
        if os.getpid() != parent:  # the child: killed between writing and renaming
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    monkeypatch.setattr(outputs.threading, "active_count", lambda: 1)  # fork, as `parxl province` does
    monkeypatch.setattr(save.os, "replace", replace)
    r = _rewrite(hand_result, tmp_path / "k")
    assert (tmp_path / "k" / outputs.DOCX).read_bytes() == (hand_result.output / outputs.DOCX).read_bytes()
    assert outputs.DOCX in {p.name for p in r.outputs}
    assert not list((tmp_path / "k").glob(".parxl-*"))


def test_word_modules_loaded_while_the_tables_are_built(hand: dict[str, Path], tmp_path: Path, monkeypatch: Any) -> None:
    """The Word report's modules are imported in a thread while the tables are built, and that
    thread is over when the outputs start (else the report could not be written by a fork)."""
    import subprocess
    import sys
    import threading
    import time

    from parxl.province import outputs

    code = ("import sys; from parxl.province import outputs; outputs.preload_word().join(); "
            "print(all(m in sys.modules for m in ('parxl.report.word', 'parxl.report.charts', 'docxtpl')))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"
    started: list[threading.Thread] = []
    alive: list[list[str]] = []
    real_write = outputs.write_all

    def preload() -> threading.Thread:  # loading takes a while
        started.append(threading.Thread(target=time.sleep, args=(2,), name="parxl-preload"))
        started[-1].start()
        return started[-1]

    def write_all(result: Any, info: Any = None, word: bool = True) -> None:
        alive.append([t.name for t in threading.enumerate() if t.name == "parxl-preload"])
        real_write(result, info=info, word=word)

    monkeypatch.setattr(outputs, "preload_word", preload)
    monkeypatch.setattr(outputs, "write_all", write_all)
    province(hand["returns"], tmp_path / "kq", executor=Sequential())
    assert len(started) == 1 and alive == [[]]


def _gc_thresholds(batch: Any, shared: Any) -> tuple[int, ...]:
    import gc

    return gc.get_threshold()


def test_local_workers_collect_cycles_less_often() -> None:
    """Worker processes raise the cyclic collector's thresholds (they allocate much and keep
    little); this process keeps its own."""
    import gc

    from parxl.province.executors import WORKER_GC_THRESHOLDS

    before = gc.get_threshold()
    ex = Local(1)
    try:
        assert list(ex.run(_gc_thresholds, [[]], None)) == [WORKER_GC_THRESHOLDS]
    finally:
        ex.close()
    assert gc.get_threshold() == before != WORKER_GC_THRESHOLDS


def test_province_csv_tables_do_not_let_excel_evaluate_names() -> None:
    """A body named like a formula is written with a leading apostrophe (numbers as they are)."""
    import pandas as pd

    from parxl.province.outputs import _csv_bytes

    text = _csv_bytes(pd.DataFrame({"body": ["=1+2", "Xã A"], "total": [-1.5, 2.0]}), {"body": "Đơn vị"}).decode()
    assert text == "\ufeffĐơn vị,total\n'=1+2,-1.5\nXã A,2\n"


def test_a_body_whose_file_is_corrupt_is_not_said_to_have_sent_nothing(hand: dict[str, Path],
                                                                        tmp_path: Path) -> None:
    """A truncated download names no body (its metadata cannot be read): the file's name, as
    distribute names the copies, tells whose it is, as collect tells it."""
    back = tmp_path / "tra ve"
    shutil.copytree(hand["returns"], back)
    [f] = (back / "xa").glob("duong.xlsx")
    f.unlink()
    (back / "xa" / f"{DUONG}.xlsx").write_bytes(b"PK\x03\x04 truncated")
    r = province(back, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    p = r.problems
    [why] = p[(p.body == DUONG) & (p.kind == "missing")].reason
    assert why == f"chưa có biểu mẫu dùng được: 'xa/{DUONG}.xlsx' (Tệp không hợp lệ)"


def test_cli_takes_the_ranking_reports_details_from_an_info_file(hand: dict[str, Path], tmp_path: Path) -> None:
    """The report's 'Lưu ý' lines point to '--info' for the place and the parent body: the
    command has it (it did not: 'Không có tuỳ chọn --info'); --parent still wins over the file."""
    import docx

    from parxl.cli import app

    info = _write(tmp_path / "tt.yaml", "place: Đồng Tháp\nparent: ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\n"
                  "issuer: SỞ NỘI VỤ\n")
    res = CliRunner().invoke(app, ["province", str(hand["returns"]), "-o", str(tmp_path / "kq"), "--workers", "1",
                                   "--info", str(info), "--parent", "UBND TỈNH THỬ"])
    assert res.exit_code == 0, res.output
    assert "Chưa có địa danh" not in res.output
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "kq" / "bao-cao-xep-hang.docx")).paragraphs)
    header = "\n".join(c.text for tb in docx.Document(str(tmp_path / "kq" / "bao-cao-xep-hang.docx")).tables
                       for row in tb.rows for c in row.cells)
    assert "Đồng Tháp, ngày" in text + header and "UBND TỈNH THỬ" in header and "SỞ NỘI VỤ" in header


def test_a_resent_return_names_the_one_saved_last(hand: dict[str, Path], tmp_path: Path) -> None:
    """Xã Cát sends its return, then a corrected one twice. The second copy of the correction is
    a duplicate of it (it was called a second different return, as it differs from the first);
    the correction is named with the file saved last, so the user can tell which to keep."""
    folder = tmp_path / "ve"
    shutil.copytree(hand["returns"], folder)
    saved_as_of(folder / "xa" / "cat.xlsx", "2024-11-05T02:00:00Z")
    fill_return(folder / "xa" / "cat.xlsx", folder / "xa" / "cat_sua.xlsx", {("1.1.1", "done"): "Có"})
    saved_as_of(folder / "xa" / "cat_sua.xlsx", "2024-11-20T18:30:00Z")
    shutil.copy(folder / "xa" / "cat_sua.xlsx", folder / "xa" / "cat_sua_2.xlsx")
    r = province(folder, tmp_path / "kq", bodies=hand["roster"], executor=Sequential(), word=False)
    dup = r.problems[r.problems.kind == "duplicate"].set_index("file").reason
    assert dup.to_dict() == {
        "xa/cat_sua.xlsx": f"đơn vị '{CAT}' có hai biểu mẫu khác nhau; dùng 'xa/cat.xlsx' (bản lưu sau cùng: "
                           "'xa/cat_sua.xlsx', lúc 01:30 ngày 21/11/2024), đề nghị xác nhận",
        "xa/cat_sua_2.xlsx": "trùng với 'xa/cat_sua.xlsx' (cùng đơn vị, cùng số liệu) — chỉ tính một lần",
    }


def test_a_ranking_report_edited_since_the_last_run_is_kept(hand_result: Any, hand: dict[str, Path],
                                                            tmp_path: Path) -> None:
    """The ranking report of the last run, reworded in Word, was written over by the next run
    (after an hour of reading returns). The edited report is named before anything is read."""
    out = tmp_path / "kq"
    shutil.copytree(hand_result.output, out)
    docx_path = out / "bao-cao-xep-hang.docx"
    saved_as_of(docx_path, "2024-12-01T01:05:00Z")
    edited = docx_path.read_bytes()
    with pytest.raises(InputError, match="đã được sửa và lưu lại lúc 08:05 ngày 01/12/2024"):
        province(hand["returns"], out, bodies=hand["roster"], executor=Sequential())
    assert docx_path.read_bytes() == edited


def _as_excel_keeps_it(csv_path: Path, out: Path) -> Path:
    """The CSV opened in Excel (Vietnamese) and saved as a workbook: what reads as a number is a
    number cell, the rest text."""
    import csv

    from parxl.numbers import parse_vn_number

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()):
        ws.append([n if (n := parse_vn_number(v)) is not None and not v.endswith("%") else v for v in row])
    wb.save(out)
    return out


def test_roster_and_appraisal_kept_in_excel_read_as_their_csv(tmp_path: Path) -> None:
    """The roster (bodies, groups, last year) and the appraisal are tables staff keep in Excel:
    a workbook is read as the CSV it was made from (it was refused as "not UTF-8")."""
    from parxl.province.tables import load_bodies

    make_province(tmp_path / "p", 12, seed=5)
    roster = tmp_path / "p" / "don-vi.csv"
    pd.testing.assert_frame_equal(load_bodies(_as_excel_keeps_it(roster, tmp_path / "don-vi.xlsx")),
                                  load_bodies(roster))
    appraisal = _write(tmp_path / "t.csv", "body,code,field,value,round,note\n"
                       f"{AN},1.1.1,done,Có,1,\n{AN},1.1.2,rate,\"77,7%\",2,sau giải trình\n{BINH},3.3.1,count,\"12\",1,\n")
    got = load_appraisal_csv(_as_excel_keeps_it(appraisal, tmp_path / "t.xlsx"))
    want = load_appraisal_csv(appraisal)
    assert (got.bodies, got.names) == (want.bodies, want.names)


def test_a_roster_under_a_title_is_read_from_its_header(tmp_path: Path) -> None:
    """A list kept in Excel has its title above the header ("DANH SÁCH ĐƠN VỊ NĂM 2024"): the
    header is found below it (the roster was refused for want of a name column), and a problem
    is named at the sheet's own row."""
    from parxl.province.tables import load_bodies

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH CƠ QUAN, ĐƠN VỊ ĐƯỢC ĐÁNH GIÁ NĂM 2024"])
    ws.append([])
    ws.append(["Cơ quan, đơn vị", "Nhóm", "Tổng điểm năm trước"])
    ws.append([AN, "Huyện", 89.85])
    ws.append([BINH, "Huyện", "chín mươi"])
    wb.save(tmp_path / "ds.xlsx")
    with pytest.raises(InputError, match="dòng 5: 'chín mươi' không phải số"):
        load_bodies(tmp_path / "ds.xlsx")
    ws["C5"] = 90
    wb.save(tmp_path / "ds.xlsx")
    got = load_bodies(tmp_path / "ds.xlsx")
    assert list(got.body) == [AN, BINH] and list(got.previous_total) == [89.85, 90]
