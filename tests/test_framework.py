"""Framework loading: every problem reported at once, with its YAML path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from parxl.errors import FrameworkError
from parxl.framework import Framework, dump_yaml, from_dict, load_yaml
from parxl.rules.base import pts


def test_mini_loads(mini: Framework) -> None:
    assert mini.base_max == 12.5
    assert mini.total == 13.5
    assert mini.split() == {"self": 10.5, "survey": 2.0, "external": 0.0}
    assert [d.max for d in mini.domains] == [5.0, 7.5]
    assert mini.offices() == [
        "Phòng Nội vụ",
        "Phòng Văn hoá và Thông tin",
        "Văn phòng HĐND và UBND",
    ]


def test_all_problems_reported_together(tmp_path: Path) -> None:
    bad = {
        "id": "x",
        "name": "x",
        "domains": [
            {
                "code": "1",
                "name": "a",
                "criteria": [
                    {
                        "code": "1.1",
                        "name": "b",
                        "max": 3,
                        "items": [
                            {"code": "1.1.1", "name": "c", "max": 1, "rule": {"kind": "nope"}},
                            {"code": "1.1.1", "name": "c", "max": 1, "rule": "yesno"},
                            {"code": "2.1", "name": "c", "max": 1, "rule": {"kind": "count"}},
                        ],
                    }
                ],
            }
        ],
        "bonus": {
            "cap": 5,
            "items": [{"code": "T1", "name": "t", "max": 1, "scorer": "bonus", "rule": "yesno"}],
        },
    }
    with pytest.raises(FrameworkError) as info:
        from_dict(bad, "bad.yaml")
    text = "\n".join(info.value.problems)
    assert (
        "domains[0].criteria[0].items[0].rule.kind (mục 1.1.1): cách chấm 'nope' không tồn tại; dùng một trong: "
        "manual (Chấm điểm trực tiếp), yesno (Có/Không), proportional (Tỷ lệ thuận), tiers (Theo "
        "mức (ngưỡng)), count (Theo số lượng), incidents (Trừ điểm theo số trường hợp vi phạm)"
        in text
    )
    assert "domains[0].criteria[0].items[1].code (mục 1.1.1): mã '1.1.1' trùng" in text
    assert (
        "domains[0].criteria[0].items[2].code (mục 2.1): mã '2.1' phải bắt đầu bằng mã cấp trên '1.1.'"
        in text
    )
    assert "items[2].rule (mục 2.1): thiếu tham số 'per_unit'" in text
    assert "bonus.cap: giới hạn 5 lớn hơn tổng điểm các mục thưởng 1" in text
    assert len(info.value.problems) == 5


def test_children_must_sum_to_stated_max(mini: Framework) -> None:
    data = mini.to_dict()
    data["domains"][0]["criteria"][0]["max"] = 4
    with pytest.raises(
        FrameworkError,
        match=r"domains\[0\]\.criteria\[0\]\.max \(tiêu chí 1\.1\): ghi 4 điểm nhưng các mục con cộng lại 3",
    ):
        from_dict(data)


def test_yaml_round_trip_keeps_fingerprint(mini: Framework, tmp_path: Path) -> None:
    p = tmp_path / "fw.yaml"
    p.write_text(dump_yaml(mini), encoding="utf-8")
    again = load_yaml(p)
    assert again == mini
    assert again.fingerprint == mini.fingerprint
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    data["domains"][0]["criteria"][0]["items"][0]["max"] = 2
    data["domains"][0]["criteria"][0]["max"] = 4
    data["domains"][0]["max"] = 6
    assert from_dict(data).fingerprint != mini.fingerprint


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match="không tìm thấy tệp"):
        load_yaml(tmp_path / "none.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(FrameworkError, match="YAML sai cú pháp"):
        load_yaml(broken)


def test_excel_table_round_trip_and_cell_errors(mini: Framework, tmp_path: Path) -> None:
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "Bộ tiêu chí 2024.xlsx"
    export_table(mini, table)
    assert import_table(table) == mini
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws["G3"] = "abc"
    ws["H4"] = "nope"
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(FrameworkError) as info:
        import_table(tmp_path / "bad.xlsx")
    problems = info.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("trang 'Bộ tiêu chí' dòng 3 (mục 1.1.2), ô G3 ('Điểm tối đa')")
    assert problems[1].startswith("trang 'Bộ tiêu chí' dòng 4 (mục 1.2.1), ô H4 ('Cách chấm')")


def test_excel_table_blank_maximum_and_mistyped_maximum_are_caught(mini: Framework, tmp_path: Path) -> None:
    """A blank 'Điểm tối đa' is missing, not 0; the exported total ('Thông tin') catches a
    maximum changed so that the framework no longer adds up to it."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    info = {row[0].value: row[1] for row in wb["Thông tin"].iter_rows()}
    assert info["Tổng điểm"].value == mini.total
    ws = wb["Bộ tiêu chí"]
    ws["G2"] = None
    wb.save(tmp_path / "blank.xlsx")
    with pytest.raises(FrameworkError) as exc:
        import_table(tmp_path / "blank.xlsx")
    assert exc.value.problems == ["trang 'Bộ tiêu chí' dòng 2 (mục 1.1.1), ô G2 ('Điểm tối đa'): thiếu điểm tối đa"]
    ws["G2"] = mini.item_index["1.1.1"].max + 1  # its criterion's and domain's rows are not in the table
    wb.save(tmp_path / "plus1.xlsx")
    with pytest.raises(FrameworkError) as exc:
        import_table(tmp_path / "plus1.xlsx")
    row = next(c.row for c in wb["Thông tin"]["A"] if c.value == "Tổng điểm")
    assert exc.value.problems == [
        f"trang 'Thông tin', ô B{row} ('Tổng điểm'): ghi tổng {pts(mini.total)} điểm nhưng các lĩnh vực và "
        f"điểm thưởng cộng lại {pts(mini.total + 1)}"]
    info["Tổng điểm"].value = None  # a table without a stated total (older exports) still reads
    wb.save(tmp_path / "no-total.xlsx")
    assert import_table(tmp_path / "no-total.xlsx").total == mini.total + 1
    data = mini.to_dict()
    data["domains"][0]["criteria"][0]["items"][0]["max"] = None  # 'max:' left blank in YAML
    with pytest.raises(FrameworkError, match=r"items\[0\]\.max \(mục 1\.1\.1\): thiếu điểm tối đa"):
        from_dict(data)


def test_a_wrong_maximum_is_told_once_not_again_by_each_tier(mini: Framework) -> None:
    """A maximum written as text ("2") is reported; its tiers are not also "above a maximum of 0"."""
    data = mini.to_dict()
    item = data["domains"][0]["criteria"][0]["items"][1]
    item["max"], item["rule"] = "2", {"kind": "tiers", "tiers": [[1, 2], [0.8, 1]]}
    with pytest.raises(FrameworkError) as exc:
        from_dict(data)
    mine = [p for p in exc.value.problems if "(mục 1.1.2)" in p]
    assert mine == ["domains[0].criteria[0].items[1].max (mục 1.1.2): phải là số, không phải '2'"]
    # the same for a bonus cap written "1,5": not also a wrong total
    data = mini.to_dict()
    data["bonus"]["cap"], data["total"] = "1,5", mini.total
    with pytest.raises(FrameworkError) as exc:
        from_dict(data)
    assert exc.value.problems == ["bonus.cap: phải là số, không phải '1,5'"]


def test_public_api_is_complete_and_lazy() -> None:
    import subprocess
    import sys

    import parxl

    assert set(parxl.__all__) == set(parxl._EXPORTS) | {"__version__"}
    for name in parxl.__all__:
        assert getattr(parxl, name) is not None
    # the scoring path imports no workbook library (it must run in Pyodide)
    code = (
        "import sys, parxl.score, parxl.framework.model; "
        "print(sorted(m for m in ('openpyxl', 'python_calamine', 'pandas', 'formulas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unquoted_yaml_codes_keep_the_text_typed(tmp_path: Path) -> None:
    # YAML reads an unquoted 1.10 as the number 1.1: criterion 1.10 must not become 1.1
    p = tmp_path / "xa.yaml"
    p.write_text(
        "id: xa\nname: Xã\nversion: 2025.10\ndomains:\n"
        "  - code: 1\n    name: Chỉ đạo\n    criteria:\n"
        "      - code: 1.1\n        name: Kế hoạch\n"
        "        items: [{code: 1.1.1, name: a, max: 1, rule: yesno}]\n"
        "      - code: 1.10\n        name: Sáng kiến\n"
        "        items: [{code: 1.10.1, name: b, max: 1, rule: yesno}]\n",
        encoding="utf-8",
    )
    fw = load_yaml(p)
    assert [c.code for c in fw.criteria] == ["1.1", "1.10"]
    assert fw.domains[0].code == "1"
    assert fw.version == "2025.10"


def test_wrong_sums_reported_beside_bad_rules_without_a_false_total() -> None:
    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    crit = data["domains"][0]["criteria"][0]
    crit["max"] = 4  # its items make 3
    crit["items"][1]["rule"] = {"kind": "proportional", "rounding": "floor"}
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert info.value.problems == [
        "domains[0].criteria[0].items[1].rule (mục 1.1.2): tham số 'rounding' = 'floor' không hợp lệ: "
        "cần 'round' hoặc 'trunc'",
        "domains[0].criteria[0].max (tiêu chí 1.1): ghi 4 điểm nhưng các mục con cộng lại 3 điểm",
    ]


def test_unknown_keys_of_domains_criteria_and_groups_reported() -> None:
    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    data["domains"][0]["maximum"] = 6  # a typo for max: the check would be lost
    data["domains"][1]["criteria"][0]["weight"] = 2
    data["bonus"]["limit"] = 1
    data["penalties"]["cap"] = 1
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    keys = [p.split(":")[0] for p in info.value.problems]
    assert keys == [
        "domains[0].maximum (lĩnh vực 1)",
        "domains[1].criteria[0].weight (tiêu chí 2.1)",
        "bonus.limit",
        "penalties.cap",
    ]


def test_one_office_spelled_two_ways_is_reported() -> None:
    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    items = data["domains"][0]["criteria"][0]["items"]
    items[1]["office"] = "phòng  nội vụ"  # case and a double space
    data["domains"][1]["criteria"][0]["items"][2]["office"] = "Văn phòng HĐND và UBND"
    data["domains"][1]["criteria"][0]["items"][1]["office"] = "Phòng Văn hóa và Thông tin"
    data["domains"][0]["criteria"][1]["items"][0]["office"] = "Phòng Văn hoá và Thông tin"
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert info.value.problems == [
        "domains[0].criteria[0].items[1].office (mục 1.1.2): đơn vị chủ trì 'phòng  nội vụ' (1 mục) và "
        "'Phòng Nội vụ' (mục 1.1.1) chỉ khác chữ hoa/thường, dấu cách hoặc vị trí dấu (hoá/hóa): "
        "một đơn vị phải viết giống nhau ở mọi mục, nếu không sẽ thành hai đơn vị",
        "domains[1].criteria[0].items[1].office (mục 2.1.2): đơn vị chủ trì 'Phòng Văn hóa và Thông tin' "
        "(1 mục) và 'Phòng Văn hoá và Thông tin' (mục 1.2.1) chỉ khác chữ hoa/thường, dấu cách "
        "hoặc vị trí dấu (hoá/hóa): một đơn vị phải viết giống nhau ở mọi mục, nếu không sẽ "
        "thành hai đơn vị",
    ]


def test_an_office_misspelled_on_an_item_with_other_problems_is_reported_with_them() -> None:
    """Every problem at once: the misspelling was found only after the item's rule was mended."""
    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    item = data["domains"][0]["criteria"][0]["items"][1]
    item["office"] = "Phòng nội vụ"
    item["rule"] = {"kind": "proportional", "decimals": -1}
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    paths = [p.split(":")[0] for p in info.value.problems]
    assert paths == ["domains[0].criteria[0].items[1].rule (mục 1.1.2)",
                     "domains[0].criteria[0].items[1].office (mục 1.1.2)"], info.value.problems


def test_excel_table_as_staff_type_it(mini: Framework, tmp_path: Path) -> None:
    """Merged cells, text numbers, labels with spaces, 'Không' in 'Ẩn' read as meant."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    for rng in ("A2:A4", "B2:B4", "C2:C3", "D2:D3"):  # domain 1 and criterion 1.1 printed once
        ws.merge_cells(rng)
    ws["G4"] = "1,5"  # a maximum typed as text with a decimal comma
    ws["N5"] = "Không"  # 'not hidden'
    ws.insert_rows(6)
    ws["F6"] = " "  # a blank row (a space left in it)
    wb["Thông tin"]["A1"] = "Mã bộ tiêu chí "
    wb["Thông tin"]["B7"] = "1"  # the bonus cap lowered by 0,5 ...
    wb["Thông tin"]["B6"] = f"{mini.total - 0.5:g}".replace(".", ",")  # ... and the total with it
    wb.save(table)
    fw = import_table(table)
    assert fw.id == "mini"
    assert fw.bonus_cap == 1
    assert fw.item_index["1.2.1"].max == 1.5
    assert fw.item_index["2.1.1"].hidden is False
    assert [c.code for c in fw.criteria] == ["1.1", "1.2", "2.1", "2.2"]
    assert [i.code for i in fw.criteria[0].items] == ["1.1.1", "1.1.2"]
    assert fw.domains[0].name == mini.domains[0].name


def test_excel_table_problems_name_sheet_row_and_cell(mini: Framework, tmp_path: Path) -> None:
    from datetime import datetime

    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws["D3"] = "Kế hoạch cải cách hành chính"  # row 2 names criterion 1.1 'Kế hoạch CCHC'
    ws["A6"] = None  # blank domain code
    ws["E7"] = "2.1.1"  # the code of row 5
    ws["C8"], ws["E8"] = 2.1, "2.10.1"  # Excel turned criterion '2.10' into the number 2.1
    ws["I5"] = "{basis: counts, if_zero: 0,5}"
    ws["C4"] = datetime(2024, 2, 1)  # mục 1.2.1: a code Excel read as a date ('1.2' in some locales)
    wb["Thông tin"]["B7"] = 5  # bonus items make 2
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [  # in reading order: 'Thông tin', then row by row
        "trang 'Thông tin', ô B7 ('Giới hạn điểm thưởng'): giới hạn 5 lớn hơn tổng điểm các mục "
        "thưởng 2",
        "trang 'Bộ tiêu chí' dòng 3 (mục 1.1.2), ô D3 ('Tên tiêu chí'): tên tiêu chí 1.1 ghi "
        "'Kế hoạch cải cách hành chính', khác dòng 2 ('Kế hoạch CCHC'); một tiêu chí chỉ có một tên",
        "trang 'Bộ tiêu chí' dòng 4 (mục 1.2.1), ô C4 ('Tiêu chí'): Excel đã đổi mã thành ngày "
        "01/02/2024; đặt định dạng ô là Văn bản (Text) rồi gõ lại mã",
        "trang 'Bộ tiêu chí' dòng 5 (mục 2.1.1), ô I5 ('Tham số'): '{basis: counts, if_zero: 0,5}' "
        "— số thập phân trong tham số viết bằng dấu chấm (0.5); dấu phẩy ngăn cách các tham số",
        "trang 'Bộ tiêu chí' dòng 5 (mục 2.1.1), ô I5 ('Tham số'): tham số 'if_zero' = 0 không hợp "
        "lệ: cần 'max' hoặc 'zero' (khi mẫu số bằng 0)",
        "trang 'Bộ tiêu chí' dòng 6 (mục 2.1.2), ô A6 ('Lĩnh vực'): trống; ghi mã lĩnh vực trên "
        "mọi dòng (ô gộp theo cột cũng được); mục thưởng ghi 'Thưởng', mục trừ 'Trừ'",
        "trang 'Bộ tiêu chí' dòng 7 (mục 2.1.1), ô E7 ('Mã'): mã '2.1.1' trùng với dòng 5",
        "trang 'Bộ tiêu chí' dòng 8 (mục 2.10.1), ô C8 ('Tiêu chí'): là số 2.1, không khớp mã mục "
        "'2.10.1' — Excel đổi mã gõ như 1.10 thành số 1.1; đặt định dạng ô là Văn bản (Text) rồi "
        "gõ lại mã",
    ]


def test_tier_and_sum_messages_read_as_vietnamese_staff_write() -> None:
    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    crit = data["domains"][1]["criteria"][0]
    crit["max"] = 5  # its items make 5,5
    crit["items"][1]["rule"]["tiers"] = [[100, 1.5], [0.85, 2]]  # 100 meant 100%; 2 > 1,5
    data["domains"][0]["criteria"][0]["items"][1]["rule"] = {
        "kind": "tiers",
        "tiers": [["100%", 2], ["80%", 1]],
    }
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert info.value.problems == [
        "domains[0].criteria[0].items[1].rule (mục 1.1.2): tham số 'tiers' = [['100%', 2], ['80%', 1]] không "
        "hợp lệ: cần danh sách [ngưỡng, điểm], ngưỡng là tỷ lệ viết bằng số (100% là 1, 80% là "
        "0.8), ví dụ [[1, 1.5], [0.8, 1]]",
        "domains[1].criteria[0].items[1].rule (mục 2.1.2): ngưỡng 100 phải là tỷ lệ từ 0 đến 1 (80% viết là 0.8)",
        "domains[1].criteria[0].items[1].rule (mục 2.1.2): điểm của ngưỡng 85% là 2, vượt điểm tối đa 1,5",
        "domains[1].criteria[0].max (tiêu chí 2.1): ghi 5 điểm nhưng các mục con cộng lại 5,5 điểm",
    ]


def test_domain_codes_must_make_distinct_valid_sheet_names(tmp_path: Path) -> None:
    from parxl.workbook.build import build_template

    data = yaml.safe_load((Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8"))
    data["domains"][1]["code"] = "I"
    data["domains"][0]["code"] = "i"  # Excel's formulas take 'Lĩnh vực i' for 'Lĩnh vực I'
    for d in data["domains"]:
        for c in d["criteria"]:
            c["code"] = d["code"] + c["code"][1:]
            for i in c["items"]:
                i["code"] = d["code"] + i["code"][1:]
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert info.value.problems == [
        "domains[1].code (lĩnh vực I): mã lĩnh vực 'I' và 'i' chỉ khác chữ hoa/thường: Excel coi hai trang "
        "'Lĩnh vực I' và 'Lĩnh vực i' là một"
    ]
    long = "CCHC-nha-nuoc-cap-huyen-x"  # 31+ letters in a sheet name (was a traceback in build)
    data["domains"][0]["code"] = long
    for c in data["domains"][0]["criteria"]:
        c["code"] = long + c["code"][1:]
        for i in c["items"]:
            i["code"] = long + i["code"][1:]
    with pytest.raises(FrameworkError) as info:
        build_template(from_dict(data), tmp_path / "mau.xlsx")
    assert info.value.problems == [
        f"domains[0].code (lĩnh vực {long}): mã lĩnh vực '{long}' đặt tên trang 'Lĩnh vực {long}': tên trang "
        "Excel tối đa 31 ký tự, không có các ký tự \\ / ? * : [ ], không kết thúc bằng dấu '"
    ]


def test_excel_table_under_a_decisions_title_block(mini: Framework, tmp_path: Path) -> None:
    """A decision's table pasted as printed: the body, the title and '(Kèm theo Quyết định ...)'
    above the header; problems name the sheet's real rows."""
    import unicodedata

    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws.insert_rows(1, 5)  # the header is now row 6, item 1.1.2 row 8
    ws["A1"] = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    ws["A2"] = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN"
    ws["A3"] = "(Kèm theo Quyết định số 123/QĐ-UBND ngày 01/02/2024 của UBND tỉnh)"
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=14)
    ws["E6"] = unicodedata.normalize("NFD", " mã ")  # the header as typed elsewhere
    info = wb["Thông tin"]
    info.insert_rows(1, 2)
    info["A1"] = "THÔNG TIN BỘ TIÊU CHÍ"
    wb.save(table)
    assert import_table(table) == mini
    ws["G8"] = "abc"
    wb.save(table)
    with pytest.raises(FrameworkError) as info_err:
        import_table(table)
    assert info_err.value.problems == [
        "trang 'Bộ tiêu chí' dòng 8 (mục 1.1.2), ô G8 ('Điểm tối đa'): phải là số, không phải 'abc'"
    ]


def test_excel_table_without_a_header_row_says_what_it_looked_for(mini: Framework, tmp_path: Path) -> None:
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws.insert_rows(1, 3)
    ws["A1"] = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    ws["H4"] = "Phương pháp chấm"  # 'Cách chấm' renamed
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == ["trang 'Bộ tiêu chí' dòng 4 thiếu cột: Cách chấm"]
    ws.delete_rows(4)  # no header at all: items straight under the title
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí': không thấy dòng tiêu đề trong 30 dòng đầu — cần một dòng có đủ các ô "
        "Lĩnh vực, Tên lĩnh vực, Tiêu chí, Tên tiêu chí, Mã, Nội dung, Điểm tối đa, Cách chấm; hoặc, với "
        "bảng đánh số thứ tự I, 1, 1.1 trong một cột như bảng của quyết định, các ô STT (hay Mã), Nội dung, "
        "Điểm tối đa. Thứ tự cột tùy ý; các dòng phía trên như tên cơ quan, tên văn bản được bỏ qua"
    ]


def test_excel_table_with_a_decisions_two_row_header_and_column_numbers(
    mini: Framework, tmp_path: Path
) -> None:
    """A decision's header as printed: the columns numbered under it ('(1) (2) …', '1 2 3 …'),
    the header merged down over two rows, sub-columns under a group header; numbers with a typo
    are one problem, at the typo."""
    from collections.abc import Callable

    import openpyxl

    from parxl.framework.table import export_table, import_table

    def table(edit: Callable[[Any], None]) -> Path:
        path = tmp_path / "bang.xlsx"
        path.unlink(missing_ok=True)  # the last one, edited: export does not write over it
        export_table(mini, path)
        wb = openpyxl.load_workbook(path)
        ws = wb["Bộ tiêu chí"]
        ws.insert_rows(1, 2)  # the header is now row 3, items from row 4
        ws["A1"] = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
        edit(ws)
        wb.save(path)
        return path

    def numbered(ws: Any, row: int, texts: list[Any]) -> None:
        ws.insert_rows(row)
        for c, v in enumerate(texts, start=1):
            ws.cell(row, c, v)

    assert import_table(table(lambda ws: numbered(ws, 4, [f"({c})" for c in range(1, 15)]))) == mini
    assert import_table(table(lambda ws: numbered(ws, 4, list(range(1, 15))))) == mini

    def merged_down(ws: Any) -> None:
        ws.insert_rows(4)
        for c in range(1, 15):
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        numbered(ws, 5, [str(c) for c in range(1, 15)])

    assert import_table(table(merged_down)) == mini

    def grouped(ws: Any) -> None:  # 'Đơn vị chủ trì' and 'Tài liệu kiểm chứng' under one heading
        ws.insert_rows(4)
        ws["K4"], ws["L4"] = ws["K3"].value, ws["L3"].value
        ws["K3"], ws["L3"] = "Thông tin kiểm chứng", None
        ws.merge_cells("K3:L3")

    assert import_table(table(grouped)) == mini  # the offices are read from column K

    def mistyped(ws: Any) -> None:
        numbered(ws, 4, [f"({c})" for c in (1, 2, 3, 4, 5, 6, 7, 8, 3, 10, 11, 12, 13, 14)])

    with pytest.raises(FrameworkError) as info:
        import_table(table(mistyped))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 4, ô I4 ('(3)'): dòng đánh số cột dưới tiêu đề nhưng số này không "
        "lớn hơn số ở ô trước ('(8)'); sửa số cho đúng hoặc xoá dòng này"
    ]


def test_excel_table_with_notes_and_a_signature_block_below(mini: Framework, tmp_path: Path) -> None:
    """'Ghi chú', 'Nơi nhận', 'KT. CHỦ TỊCH' and the signer under a decision's table are not
    items; a row under them that is not such a line is reported, not dropped."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    assert ws.max_row == 11  # the items end in row 11
    ws["A12"] = "Ghi chú: điểm tối đa của lĩnh vực là tổng điểm các tiêu chí."
    ws["A14"], ws["I14"] = "Nơi nhận:", "KT. CHỦ TỊCH"
    ws["A15"], ws["I15"] = "- Như trên;", "PHÓ CHỦ TỊCH"
    ws["A16"] = "- Lưu: VT."
    ws["I19"] = "Nguyễn Văn A"
    wb.save(table)
    assert import_table(table) == mini
    for c in range(1, 15):  # an item left under the signature
        ws.cell(17, c, ws.cell(2, c).value)
    ws["E17"] = "1.1.3"
    ws["E20"] = "Trần Văn B"  # in the 'Mã' column: not taken for a signer
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 17 (mục 1.1.3), ô A17 ('1'): nằm dưới phần ghi chú, nơi nhận, chữ "
        "ký (từ dòng 12) nên không được đọc; nếu là một mục, chuyển lên trên dòng 12, nếu không, "
        "xoá dòng này",
        "trang 'Bộ tiêu chí' dòng 20 (mục Trần Văn B), ô E20 ('Trần Văn B'): nằm dưới phần ghi chú, "
        "nơi nhận, chữ ký (từ dòng 12) nên không được đọc; nếu là một mục, chuyển lên trên dòng 12, "
        "nếu không, xoá dòng này",
    ]


def test_bonus_cap_left_blank_is_reported_and_a_percentage_is_not_points(
    mini: Framework, tmp_path: Path
) -> None:
    import openpyxl

    from parxl.framework.table import export_table, import_table

    data = mini.to_dict()
    data["bonus"]["cap"] = None
    with pytest.raises(FrameworkError, match=r"^Bộ.*\n  - bonus\.cap: giới hạn điểm thưởng phải lớn hơn 0$"):
        from_dict(data)
    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    wb["Thông tin"]["B7"] = None
    wb["Bộ tiêu chí"]["G2"] = "50%"
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        "trang 'Thông tin', ô B7 ('Giới hạn điểm thưởng'): giới hạn điểm thưởng phải lớn hơn 0",
        "trang 'Bộ tiêu chí' dòng 2 (mục 1.1.1), ô G2 ('Điểm tối đa'): phải là số, không phải '50%'",
    ]


def test_exported_table_writes_only_parameters_that_differ_from_defaults(
    mini: Framework, tmp_path: Path
) -> None:
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    ws = openpyxl.load_workbook(table)["Bộ tiêu chí"]
    params = {ws.cell(r, 5).value: ws.cell(r, 9).value for r in range(2, ws.max_row + 1)}
    assert params["1.1.2"] is None  # proportional with every default
    assert params["2.1.1"] == (
        "{basis: counts, denominator: Tổng số hồ sơ đã giải quyết, numerator: Số hồ sơ đúng hạn}"
    )
    assert params["2.1.2"] == "{tiers: [[1, 1.5], [0.9, 1], [0.85, 0.5]]}"
    assert import_table(table) == mini


def test_yaml_syntax_errors_say_line_and_what_to_do(tmp_path: Path) -> None:
    cases = {
        "tab": ("id: x\ndomains:\n\t- code: '1'\n", "ở dòng 3, cột 1: thụt lề bằng dấu cách, không dùng phím Tab"),
        "quote": ('id: x\nname: "a\n', "dấu ngoặc kép mở ở dòng 2 chưa được đóng"),
        "flow": ("id: x\nrule: {kind: tiers, tiers: [[1, 2]\n", "dấu [ hoặc { mở ở dòng 2 chưa được đóng"),
        "indent": ("id: x\ndomains:\n  - code: '1'\n   name: a\n", "ở dòng 4, cột 4: thụt lề không thẳng hàng"),
    }
    for name, (text, expected) in cases.items():
        p = tmp_path / f"{name}.yaml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(FrameworkError) as info:
            load_yaml(p)
        (problem,) = info.value.problems
        assert problem.startswith("YAML sai cú pháp ") and expected in problem, problem
        assert "<unicode string>" not in problem


def test_text_typed_as_combining_marks_is_the_same_text(mini: Framework, tmp_path: Path) -> None:
    """Unikey 'Unicode tổ hợp' or a Mac write 'Phòng Nội vụ' as letters + combining marks."""
    import unicodedata

    import openpyxl

    from parxl.framework.table import export_table, import_table

    text = (Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8")
    p = tmp_path / "nfd.yaml"
    nfd = unicodedata.normalize("NFD", "Phòng Nội vụ")
    p.write_text(text.replace("Phòng Nội vụ}", nfd + "}", 1), encoding="utf-8")
    assert load_yaml(p) == mini
    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws.title = unicodedata.normalize("NFD", "bộ tiêu chí ")
    ws["E1"] = "mã"
    ws["G1"] = "Điểm\ntối đa"  # a header wrapped on two lines
    ws["A9"] = "thưởng"
    ws["K3"] = unicodedata.normalize("NFD", "Phòng Nội vụ")
    wb.save(table)
    assert import_table(table) == mini


def test_returns_of_earlier_templates_stay_readable(mini: Framework, tmp_path: Path) -> None:
    """Office spellings are checked when a framework is written, not when a template built
    before the check is read back (its framework was valid then)."""
    from parxl.workbook.build import build_template
    from parxl.workbook.read import read_return

    data = mini.to_dict()
    data["domains"][0]["criteria"][0]["items"][1]["office"] = "Phòng nội vụ"
    with pytest.raises(FrameworkError):
        from_dict(data)
    old = from_dict(data, authored=False)
    build_template(old, tmp_path / "mau.xlsx")
    assert read_return(tmp_path / "mau.xlsx").framework == old


def test_excel_table_takes_the_vietnamese_name_of_a_scoring_method(mini: Framework, tmp_path: Path) -> None:
    """Staff copy a decision's wording: 'Có/Không' or 'tỷ lệ thuận' in 'Cách chấm' is the same
    framework as 'yesno' / 'proportional'; an unknown method is still reported."""
    import openpyxl

    from parxl.errors import FrameworkError
    from parxl.framework.table import export_table, import_table
    from parxl.rules import KINDS

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    col = next(c.column for c in ws[1] if c.value == "Cách chấm")
    for row in range(2, ws.max_row + 1):
        kind = ws.cell(row, col).value
        if kind in KINDS:
            ws.cell(row, col).value = f" {KINDS[kind].label.upper()} "
    wb.save(table)
    by = next(c.column for c in ws[1] if c.value == "Đánh giá bởi")
    surveys = [row for row in range(2, ws.max_row + 1) if ws.cell(row, by).value == "Điều tra XHH"]
    assert surveys  # mini's survey item 2.2.1
    for row in surveys:  # as a decision words it
        ws.cell(row, by).value = " Điều tra  xã hội học"
    wb.save(table)
    assert import_table(table).fingerprint == mini.fingerprint
    ws.cell(2, col).value = "Chấm theo cảm tính"
    wb.save(table)
    with pytest.raises(FrameworkError, match="Chấm theo cảm tính"):
        import_table(table)


def _emptied_table(mini: Framework, tmp_path: Path) -> tuple[Path, Any, Any, list[list[Any]]]:
    """The mini framework exported as a table, its item rows taken out (to be put back, with a
    decision's extra rows among them): the file, workbook, sheet and the rows."""
    import openpyxl

    from parxl.framework.table import export_table

    path = tmp_path / "bang.xlsx"
    export_table(mini, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    items = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    ws.delete_rows(2, len(items))
    return path, wb, ws, items


def test_excel_table_with_a_decisions_total_rows(mini: Framework, tmp_path: Path) -> None:
    """'Cộng lĩnh vực 2', 'Cộng' beside a domain's code (merged down) or beside 'Thưởng' and
    'TỔNG CỘNG' under the table are not items; their points are checked against the items'
    maxima (with or without the bonus cap). A row that says 'Tổng điểm' but has a code is an
    item."""
    from parxl.framework.table import import_table

    path, wb, ws, items = _emptied_table(mini, tmp_path)
    for row in [*items[:3], [None, None, None, None, None, "Cộng", 5], *items[3:7]]:
        ws.append(row)
    ws.append([None, None, None, None, "CỘNG LĨNH VỰC 2:", None, "7,5"])  # 'Điểm tối đa' as text
    for row in items[7:]:
        ws.append(row)
    ws.append(["TỔNG CỘNG", None, None, None, None, None, 13.5])  # with the bonus cap, row 14
    ws.merge_cells("A14:F14")
    ws["A16"], ws["G16"] = "Tổng điểm", 12.5  # without it
    ws.merge_cells("A2:A5")  # domain 1 printed once beside its rows and their sum
    ws["A17"], ws["F17"], ws["G17"] = "Thưởng", "Cộng", 1  # the cap (the rows: 2)
    wb.save(path)
    assert import_table(path) == mini

    ws["G5"], ws["G10"], ws["G14"], ws["G17"] = 6, 7.5, 100, 3
    ws["A16"] = "Tổng cộng lĩnh vực 9"
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 5, ô G5 ('Điểm tối đa'): dòng 'Cộng' ghi 6 điểm nhưng các mục của "
        "lĩnh vực 1 cộng lại 5 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
        "trang 'Bộ tiêu chí' dòng 14, ô G14 ('Điểm tối đa'): dòng 'TỔNG CỘNG' ghi 100 điểm nhưng điểm "
        "tối đa các lĩnh vực cộng lại 12,5 điểm (13,5 điểm với 1 điểm thưởng tối đa); kiểm tra lại "
        "điểm tối đa của các mục và số ở dòng này",
        "trang 'Bộ tiêu chí' dòng 16, ô G16 ('Điểm tối đa'): dòng 'Tổng cộng lĩnh vực 9' ghi 12,5 "
        "điểm nhưng bảng không có lĩnh vực mã 9; ghi mã lĩnh vực như ở cột 'Lĩnh vực'",
        "trang 'Bộ tiêu chí' dòng 17, ô G17 ('Điểm tối đa'): dòng 'Cộng' ghi 3 điểm nhưng các mục "
        "thưởng cộng lại 2 điểm (giới hạn điểm thưởng 1); kiểm tra lại điểm tối đa của các "
        "mục và số ở dòng này",
    ]

    for c, v in enumerate(["2", None, "2.2", None, "2.2.2", "Tổng điểm", 1], start=1):
        ws.cell(16, c, v)  # an item named 'Tổng điểm': read, not taken for a total
    ws["G5"], ws["G10"], ws["G14"], ws["G17"] = 5, 8.5, 14.5, 2
    wb["Thông tin"]["B6"] = 14.5  # the total stated there too
    wb.save(path)
    fw = import_table(path)
    assert fw.item_index["2.2.2"].name == "Tổng điểm" and fw.total == 14.5

    ws["C2"] = None  # item 1.1.1 not read: its row is reported, the totals are not checked
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 2 (mục 1.1.1), ô C2 ('Tiêu chí'): trống; ghi mã tiêu chí trên mọi "
        "dòng (ô gộp theo cột cũng được)"
    ]


def test_excel_table_with_its_header_repeated_on_each_page(mini: Framework, tmp_path: Path) -> None:
    """A decision pasted page by page repeats its header (and the columns' numbers) above each
    page's rows: those rows are skipped; a header row with a cell changed is still reported."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    path = tmp_path / "bang.xlsx"
    export_table(mini, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    header = [c.value for c in ws[1]]
    ws.insert_rows(2)
    for c in range(1, 15):
        ws.cell(2, c, f"({c})")
    ws.insert_rows(7, 2)  # a new page before item 2.1.1 (now row 9)
    for c in range(1, 15):
        ws.cell(7, c, f" {str(header[c - 1]).upper()} ")
        ws.cell(8, c, f"({c})")
    wb.save(path)
    assert import_table(path) == mini

    ws["J7"] = "Đánh giá"
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert "trang 'Bộ tiêu chí' dòng 7 (mục MÃ), ô G7 ('Điểm tối đa'): phải là số, không phải 'ĐIỂM TỐI ĐA'" in (
        info.value.problems
    )


def test_excel_table_total_row_with_a_roman_domain_number(mini: Framework, tmp_path: Path) -> None:
    """Decisions number their domains I, II, …: 'Cộng lĩnh vực II' is domain 2's total when the
    table's domains are numbered 1, 2, …; a numeral no domain has is still reported."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    path = tmp_path / "bang.xlsx"
    export_table(mini, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    last = max(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "2")
    ws.insert_rows(last + 1)
    ws.cell(last + 1, 5, "Cộng lĩnh vực II")
    ws.cell(last + 1, 7, 7.5)
    wb.save(path)
    assert import_table(path) == mini

    ws.cell(last + 1, 7, 8)
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == [
        f"trang 'Bộ tiêu chí' dòng {last + 1}, ô G{last + 1} ('Điểm tối đa'): dòng 'Cộng lĩnh vực II' ghi 8 "
        "điểm nhưng các mục của lĩnh vực 2 cộng lại 7,5 điểm; kiểm tra lại điểm tối đa của các mục và số ở "
        "dòng này"]

    ws.cell(last + 1, 5, "Cộng lĩnh vực IX")
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert "bảng không có lĩnh vực mã IX" in info.value.problems[0]


def test_excel_table_with_domain_and_criterion_heading_rows(mini: Framework, tmp_path: Path) -> None:
    """Rows of a domain or a criterion alone (its code, name and points, as decisions print them
    above the items) are not items: their names name the domain / criterion when the item rows
    leave them out, and their points are checked against the items'."""
    from parxl.framework.table import import_table

    path, wb, ws, items = _emptied_table(mini, tmp_path)
    d1, c11, c12 = items[0], items[0], items[2]
    ws.append([d1[0], d1[1], None, None, None, None, 5])  # row 2: domain 1, 5 points
    ws.append([c11[0], None, c11[2], c11[3], None, None, 3])  # row 3: criterion 1.1, 3 points
    for row in items[:2]:
        ws.append([row[0], None, row[2], None, *row[4:]])  # the names only on the heading rows
    ws.append([c12[0], None, c12[2], c12[3], None, None, "2"])  # criterion 1.2: 2 points, as text
    for row in items[2:]:
        ws.append(row)
    wb.save(path)
    assert import_table(path) == mini

    ws["G2"], ws["G3"] = 6, 2.5
    ws.append(["2", None, "2.9", "Tiêu chí không có mục", None, None, 1])
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    last = ws.max_row
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 2, ô G2 ('Điểm tối đa'): dòng 'Công tác chỉ đạo, điều hành' ghi 6 điểm nhưng "
        "các mục của lĩnh vực 1 cộng lại 5 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
        "trang 'Bộ tiêu chí' dòng 3, ô G3 ('Điểm tối đa'): dòng 'Kế hoạch CCHC' ghi 2,5 điểm nhưng các mục của "
        "tiêu chí 1.1 cộng lại 3 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
        f"trang 'Bộ tiêu chí' dòng {last}, ô G{last} ('Điểm tối đa'): dòng 'Tiêu chí không có mục' ghi 1 điểm "
        "nhưng bảng không có mục nào của tiêu chí 2.9; ghi các mục của tiêu chí bên dưới dòng này",
    ]


def test_codes_with_odd_characters_are_reported_with_the_other_problems(
    mini: Framework, tmp_path: Path
) -> None:
    """'1.2.²' and '①' look like numbers (and crashed collect's sorting); a zero-width space
    pasted from a web page or Word is invisible, so the code typed never matches; all are
    reported at load, beside the framework's other problems, in YAML and in the Excel table."""
    import openpyxl

    from parxl.framework.model import code_order
    from parxl.framework.table import export_table, import_table
    from parxl.office.check import Issue, in_item_order
    from parxl.office.collect import _sort_key

    rule = "mã chỉ gồm chữ số 0–9, chữ cái, dấu chấm, dấu gạch ngang hoặc gạch dưới: xoá ký tự đó rồi gõ lại mã"
    data = mini.to_dict()
    data["domains"][0]["criteria"][0]["items"][0]["code"] = "1.1.²"
    data["domains"][0]["criteria"][0]["items"][1]["code"] = "1.1.2\u200b"
    data["domains"][0]["criteria"][1]["items"][0]["code"] = "1.2.①"
    data["domains"][1]["criteria"][0]["items"][0]["code"] = "2.1. 1"
    data["domains"][1]["criteria"][0]["items"][1]["scorer"] = "tự"  # not a code: reported alongside
    data["bonus"]["items"][0]["code"] = "\ufeffT.1"
    with pytest.raises(FrameworkError) as info:
        from_dict(data)
    assert info.value.problems == [
        f"domains[0].criteria[0].items[0].code (mục 1.1.²): mã '1.1.²' có chữ số mũ '²' (U+00B2, không phải "
        f"chữ số 0–9) sau '1.1.'; {rule}",
        f"domains[0].criteria[0].items[1].code (mục 1.1.2\u200b): mã '1.1.2\u200b' có ký tự ẩn U+200B sau "
        f"'1.1.2'; {rule}",
        f"domains[0].criteria[1].items[0].code (mục 1.2.①): mã '1.2.①' có số trong vòng tròn '①' (U+2460, "
        f"không phải chữ số 0–9) sau '1.2.'; {rule}",
        f"domains[1].criteria[0].items[0].code (mục 2.1. 1): mã '2.1. 1' có dấu cách sau '2.1.'; {rule}",
        "domains[1].criteria[0].items[1].scorer (mục 2.1.2): 'tự' không hợp lệ; dùng 'self' (Tự đánh giá), "
        "'survey' (Điều tra XHH), 'external' (Cấp trên đánh giá)",
        f"bonus.items[0].code (mục \ufeffT.1): mã '\ufeffT.1' có ký tự ẩn U+FEFF ở đầu mã; {rule}",
    ]
    # a template built before the check stays readable
    data["domains"][1]["criteria"][0]["items"][1]["scorer"] = "self"
    assert "1.1.2\u200b" in from_dict(data, authored=False).item_index
    # no code crashes the sort of items or of collect's problems
    codes = ["1.10", "1.2.²", "①", "1.2", "T.1"]
    assert sorted(codes, key=code_order) == ["1.2", "1.2.²", "1.10", "T.1", "①"]
    issues = [Issue("a.xlsx", "s", "L6", code, "", "lỗi", "m") for code in codes]
    assert [i.item for i in in_item_order(issues)] == ["1.2", "1.2.²", "1.10", "T.1", "①"]
    assert [i.item for i in sorted(issues, key=_sort_key)] == ["1.2", "1.2.²", "1.10", "T.1", "①"]
    # the Excel table: at the code's cell
    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    wb["Bộ tiêu chí"]["E4"] = "1.2.1\u200b"
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        f"trang 'Bộ tiêu chí' dòng 4 (mục 1.2.1\u200b), ô E4 ('Mã'): mã '1.2.1\u200b' có ký tự ẩn U+200B "
        f"sau '1.2.1'; {rule}"
    ]


def test_a_key_written_twice_is_reported_with_its_lines(mini: Framework, tmp_path: Path) -> None:
    """PyYAML keeps the last of two 'rule:' (or 'max:') lines silently: the item changed its
    method without a word, or a sum error pointed away from the real cause."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    text = (Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8")
    text = text.replace("total: 13.5\n", "total: 13.5\ntotal: 14\n")  # lines 5 and 6
    text = text.replace("per_unit: 1}", "per_unit: 1, per_unit: 2}")  # line 20
    text = text.replace("            max: 3\n", "            max: 3\n            max: 30\n")  # 29, 30
    text = text.replace("Tổng số hồ sơ đã giải quyết}\n", "Tổng số hồ sơ đã giải quyết}\n            rule: manual\n")
    p = tmp_path / "hai-lan.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_yaml(p)
    assert info.value.problems == [
        "$.total: khoá 'total' ghi hai lần (dòng 5 và 6); giữ một dòng, xoá dòng thừa",
        "domains[0].criteria[1].items[0].rule.per_unit (mục 1.2.1): khoá 'per_unit' ghi hai lần trên dòng 20; "
        "giữ một lần, xoá phần thừa",
        "domains[1].criteria[0].items[0].max (mục 2.1.1): khoá 'max' ghi hai lần (dòng 29 và 30); giữ một dòng, "
        "xoá dòng thừa",
        "domains[1].criteria[0].items[0].rule (mục 2.1.1): khoá 'rule' ghi hai lần (dòng 31 và 32); giữ một "
        "dòng, xoá dòng thừa",
        "$.total: ghi tổng 14 điểm nhưng các lĩnh vực và điểm thưởng cộng lại 40,5",
    ]
    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    wb["Bộ tiêu chí"]["I4"] = "{per_unit: 1, per_unit: 2}"
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 4 (mục 1.2.1), ô I4 ('Tham số'): khoá 'per_unit' ghi hai lần trong "
        "'{per_unit: 1, per_unit: 2}'; giữ một lần"
    ]


def test_infinite_numbers_are_refused_in_parameters_and_maxima(tmp_path: Path) -> None:
    """'per_unit: .inf' was accepted, then wrote '*inf' into the template's formula (#NAME? in
    Excel) and crashed 'score'; every number of a framework must be finite."""
    text = (Path(__file__).parent / "data" / "mini.yaml").read_text("utf-8")
    for old, new in (
        ("max: 1, rule: yesno", "max: .inf, rule: yesno"),  # item 1.1.1
        ("per_unit: 1}", "per_unit: .inf}"),  # item 1.2.1
        ("[0.9, 1]", "[.inf, 1]"),  # item 2.1.2
        ("per_incident: 0.5}", "per_incident: -.inf}"),  # item 2.1.3
        ("cap: 1", "cap: .inf"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / "vo-cuc.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_yaml(p)
    assert info.value.problems == [
        "domains[0].criteria[0].items[0].max (mục 1.1.1): phải là một số hữu hạn, không phải .inf (vô cực)",
        "domains[0].criteria[1].items[0].rule (mục 1.2.1): tham số 'per_unit' = .inf (vô cực) không hợp lệ: "
        "cần số không âm (điểm cho mỗi đơn vị)",
        "domains[1].criteria[0].items[1].rule (mục 2.1.2): tham số 'tiers' = [[1, 1.5], [.inf (vô cực), 1], "
        "[0.85, 0.5]] không hợp lệ: cần danh sách [ngưỡng, điểm], ngưỡng là tỷ lệ viết bằng số (100% là 1, "
        "80% là 0.8), ví dụ [[1, 1.5], [0.8, 1]]",
        "domains[1].criteria[0].items[2].rule (mục 2.1.3): tham số 'per_incident' = -.inf (âm vô cực) không "
        "hợp lệ: cần số không âm (điểm trừ mỗi trường hợp)",
        "bonus.cap: phải là một số hữu hạn, không phải .inf (vô cực)",
    ]


def test_a_tab_inside_a_text_is_not_called_indentation(tmp_path: Path) -> None:
    """A name pasted from Excel keeps its Tab ('Kế hoạch<Tab>CCHC'): the hint is to replace it,
    not to indent with spaces (the line's indentation is right)."""
    p = tmp_path / "tab.yaml"
    p.write_text("id: x\nname: Kế hoạch\tCCHC\ndomains: []\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_yaml(p)
    (problem,) = info.value.problems
    assert problem.startswith(
        "YAML sai cú pháp ở dòng 2, cột 15: có dấu Tab sau 'name: Kế hoạch': YAML không nhận dấu Tab trong văn "
        "bản không đặt trong ngoặc kép; thay dấu Tab bằng dấu cách ("
    ), problem
    assert "thụt lề" not in problem


def test_a_missing_file_is_not_called_an_invalid_framework(tmp_path: Path) -> None:
    from parxl.framework import resolve

    for name in ("khong-co.yaml", "khong-co.xlsx", "khong-co.docx"):
        with pytest.raises(FrameworkError) as info:
            resolve(tmp_path / name)
        assert str(info.value) == f"tệp '{tmp_path / name}': không tìm thấy tệp"
        assert info.value.problems == ["không tìm thấy tệp"]


def test_example_values_open_in_excel_with_their_diacritics() -> None:
    """The README has users open the example CSVs in Excel, which reads a UTF-8 file without a
    byte-order mark in the ANSI code page ("Quáº­n 1"); `parxl inputs` writes one, so do they."""
    from parxl.framework import builtin_ids
    from parxl.framework.load import example_values_path

    for fid in builtin_ids():
        assert example_values_path(fid).read_bytes().startswith(b"\xef\xbb\xbfcode,field,value"), fid


def test_excel_error_values_in_a_table_are_reported_not_read_as_text(mini: Framework, tmp_path: Path) -> None:
    """A method typed '=Số báo cáo đúng hạn/Tổng số' in Excel becomes a formula showing #NAME?: it was
    imported as the guidance '#NAME?' (the text lost silently). Each such cell is reported with its
    formula and the way out; the same cell is not reported a second time as blank."""
    import zipfile

    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws["M2"] = "#NAME?"  # Excel's value of the formula (patched in below)
    ws["G3"] = "#VALUE!"
    ws["O1"], ws["O2"] = "Ghi chú", "#N/A"  # a column not read: nothing to say
    wb.save(tmp_path / "tmp.xlsx")
    with zipfile.ZipFile(tmp_path / "tmp.xlsx") as src, zipfile.ZipFile(table, "w") as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b'<c r="M2" t="e"><v>',
                                    '<c r="M2" t="e"><f>Số báo cáo đúng hạn/Tổng số</f><v>'.encode())
            dst.writestr(entry, data)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 2, ô M2 ('Hướng dẫn'): ô có giá trị lỗi #NAME? của công thức "
        "'=Số báo cáo đúng hạn/Tổng số', không phải nội dung — Excel hiểu chữ gõ bắt đầu bằng '=' (hay '+', '-') "
        "là công thức; gõ lại với dấu nháy đơn ' ở đầu để Excel giữ nguyên chữ",
        "trang 'Bộ tiêu chí' dòng 3, ô G3 ('Điểm tối đa'): ô có giá trị lỗi #VALUE!, không phải nội dung — "
        "Excel hiểu chữ gõ bắt đầu bằng '=' (hay '+', '-') là công thức; gõ lại với dấu nháy đơn ' ở đầu để "
        "Excel giữ nguyên chữ",
    ]


def test_a_formula_without_a_saved_value_is_reported_not_read_as_blank(mini: Framework, tmp_path: Path) -> None:
    """A table written by a program (openpyxl, an export) holds '=0.5+0.5' in a points cell and no
    value, since no spreadsheet has calculated it: it was reported as 'thiếu điểm tối đa' beside a
    cell the user sees filled. It is reported with its formula and the way out; the same formula
    with the value Excel saves beside it reads as that value."""
    import zipfile

    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    max_points = wb["Bộ tiêu chí"]["G2"].value
    wb["Bộ tiêu chí"]["G2"] = f"={max_points}/2*2"
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    [problem] = info.value.problems
    assert problem.startswith(f"trang 'Bộ tiêu chí' dòng 2, ô G2 ('Điểm tối đa'): ô có công thức '={max_points}/2*2'")
    assert "mở tệp bằng Excel hoặc LibreOffice, lưu lại" in problem

    saved = tmp_path / "saved.xlsx"  # as Excel saves it: the formula and its value
    with zipfile.ZipFile(table) as src, zipfile.ZipFile(saved, "w") as dst:
        for entry in src.infolist():
            data = src.read(entry)
            if entry.filename == "xl/worksheets/sheet2.xml":
                formula = f"<f>{max_points}/2*2</f><v></v>".encode()
                assert formula in data
                data = data.replace(formula, f"<f>{max_points}/2*2</f><v>{max_points}</v>".encode())
            dst.writestr(entry, data)
    assert import_table(saved) == mini


@pytest.mark.parametrize(("cells", "shown"), [
    ({"F": "Chấm theo văn bản ban hành trong năm"}, "ô F3 ('Chấm theo văn bản ban hành trong năm')"),
    ({"G": 2}, "ô G3 ('2')"),
])
def test_a_line_without_codes_in_parxls_table_is_named_as_such(mini: Framework, tmp_path: Path,
                                                               cells: dict[str, Any], shown: str) -> None:
    """A line of explanation typed under an item (as decisions print them) was reported as an
    empty 'Lĩnh vực' cell, asking for a domain code on a line that is no item. It is reported as
    a line without codes, with its text and the two ways out."""
    import openpyxl

    from parxl.framework.table import export_table, import_table

    table = tmp_path / "bang.xlsx"
    export_table(mini, table)
    wb = openpyxl.load_workbook(table)
    ws = wb["Bộ tiêu chí"]
    ws.insert_rows(3)
    for col, value in cells.items():
        ws[f"{col}3"] = value
    wb.save(table)
    with pytest.raises(FrameworkError) as info:
        import_table(table)
    assert info.value.problems == [
        f"trang 'Bộ tiêu chí' dòng 3, {shown}: dòng không có mã lĩnh vực, tiêu chí hay mục nên không đọc được — "
        "nếu là lời giải thích của mục bên trên, chép vào cột 'Hướng dẫn' của mục đó rồi xoá dòng này; nếu là "
        "một mục, ghi đủ mã lĩnh vực, mã tiêu chí và mã mục"]


def test_sums_away_from_a_row_not_read_are_checked_at_once(mini: Framework, tmp_path: Path) -> None:
    """A code Excel turned into a date in domain 1 held back every sum check: the wrong total of
    domain 2 came only on the next import, once the date was fixed. The totals a row not read may
    belong to are still left alone (domain 1, its criterion); the others are checked at once."""
    from datetime import datetime

    import openpyxl

    from parxl.framework.table import export_table, import_table

    path = tmp_path / "bang.xlsx"
    export_table(mini, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    rows = {ws.cell(r, 5).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["1.2.1"], 5, datetime(2024, 2, 1))  # its code became a date: the row is not read
    last = {d: max(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == d) for d in ("1", "2")}
    for d, points in (("2", 8), ("1", 99)):  # domain 2 sums 7,5; domain 1 cannot be checked
        ws.insert_rows(last[d] + 1)
        ws.cell(last[d] + 1, 5, f"Cộng lĩnh vực {d}")
        ws.cell(last[d] + 1, 7, points)
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    date_row, total_row = rows["1.2.1"], last["2"] + 2  # below the total row inserted for domain 1
    assert info.value.problems == [
        f"trang 'Bộ tiêu chí' dòng {date_row}, ô E{date_row} ('Mã'): Excel đã đổi mã thành ngày 01/02/2024; "
        "đặt định dạng ô là Văn bản (Text) rồi gõ lại mã",
        f"trang 'Bộ tiêu chí' dòng {total_row}, ô G{total_row} ('Điểm tối đa'): dòng 'Cộng lĩnh vực 2' ghi 8 điểm "
        "nhưng các mục của lĩnh vực 2 cộng lại 7,5 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
    ]
