"""Distribute: one workbook per responsible office (only its cells open) or per body."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from parxl.errors import InputError
from parxl.framework import Framework, from_dict
from parxl.office.distribute import MANIFEST, distribute, read_bodies, return_id, safe_file_name
from parxl.workbook.read import read_return

OFFICES = ["Phòng Nội vụ", "Phòng Văn hoá và Thông tin", "Văn phòng HĐND và UBND"]


def _variant(mini: Framework, **changes: Any) -> Framework:
    d = mini.to_dict()
    items = {i["code"]: i for dom in d["domains"] for c in dom["criteria"] for i in c["items"]}
    for code, extra in changes.items():
        items[code.replace("_", ".")].update(extra)
    return from_dict(d, "variant")


def _row_of(ws: Any, code: str) -> int:
    for row in range(5, ws.max_row + 1):
        if ws[f"A{row}"].value == code:
            return row
    raise AssertionError(code)


def test_one_file_per_office_named_after_it(mini: Framework, tmp_path: Path) -> None:
    paths = distribute(mini, tmp_path / "out", body="Huyện Mẫu", year="2024")
    assert [p.name for p in paths] == [f"{o}.xlsx" for o in OFFICES]
    for path, office in zip(paths, OFFICES, strict=True):
        meta = read_return(path).meta
        assert meta["kind"] == "office"
        assert meta["office"] == office
        assert meta["body"] == "Huyện Mẫu"
        assert meta["fingerprint"] == mini.fingerprint
        assert meta["return_id"] == return_id(mini, "office", "Huyện Mẫu", office)
    ids = {read_return(p).meta["return_id"] for p in paths}
    assert len(ids) == 3
    manifest = (tmp_path / "out" / MANIFEST).read_text(encoding="utf-8-sig").splitlines()
    assert manifest[0] == "kind,body,office,return_id,file"
    assert manifest[1].startswith("office,Huyện Mẫu,Phòng Nội vụ,")
    assert len(manifest) == 4


def test_only_the_offices_own_cells_are_unlocked(mini: Framework, tmp_path: Path) -> None:
    path = distribute(mini, tmp_path)[0]  # Phòng Nội vụ: items 1.1.1, 1.1.2, 1.2.1
    wb = openpyxl.load_workbook(path)
    ws1, ws2 = wb["Lĩnh vực 1"], wb["Lĩnh vực 2"]
    assert ws1.protection.sheet and ws2.protection.sheet
    for code in ("1.1.1", "1.1.2", "1.2.1"):
        r = _row_of(ws1, code)
        for col in "GHJK":
            assert ws1[f"{col}{r}"].protection.locked is False, (code, col)
        assert ws1[f"E{r}"].protection.locked is not False  # max stays locked
    for code in ("2.1.1", "2.1.2", "2.1.3", "2.2.1"):
        r = _row_of(ws2, code)
        for col in "GHIJK":
            assert ws2[f"{col}{r}"].protection.locked is not False, (code, col)
        assert not ws2.row_dimensions[r].hidden  # visible: not marked hidden
    # the body name is fixed by the home-affairs office
    assert wb["Tổng hợp"]["C2"].protection.locked is not False


def test_items_marked_hidden_are_hidden_from_other_offices(mini: Framework, tmp_path: Path) -> None:
    fw = _variant(mini, **{"2_1_2": {"hidden": True}})
    paths = {p.stem: p for p in distribute(fw, tmp_path)}
    other = openpyxl.load_workbook(paths["Phòng Nội vụ"])["Lĩnh vực 2"]
    own = openpyxl.load_workbook(paths["Phòng Văn hoá và Thông tin"])["Lĩnh vực 2"]
    assert other.row_dimensions[_row_of(other, "2.1.2")].hidden
    assert not own.row_dimensions[_row_of(own, "2.1.2")].hidden
    assert own[f"H{_row_of(own, '2.1.2')}"].protection.locked is False


def test_distributing_twice_gives_the_same_bytes(mini: Framework, tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    distribute(mini, tmp_path / "a", body="Huyện Mẫu")
    distribute(mini, tmp_path / "b", body="Huyện Mẫu")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_a_copy_filled_in_place_is_never_replaced_by_a_blank_one(mini: Framework, tmp_path: Path) -> None:
    """An office that filled its copy in the shared folder keeps its values when the folder is
    distributed again: every such file is named, and nothing at all is written."""
    out = tmp_path / "out"
    paths = distribute(mini, out, body="Huyện Mẫu")
    distribute(mini, out, body="Huyện Mẫu")  # blank copies: a re-run replaces them
    wb = openpyxl.load_workbook(paths[0])
    ws = wb["Lĩnh vực 1"]
    ws[f"H{_row_of(ws, '1.1.1')}"] = 5
    wb.save(paths[0])
    (out / f"{OFFICES[1]}.xlsx").write_bytes(b"ghi chu")  # someone else's file of that name
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError) as err:
        distribute(_variant(mini, **{"1_1_2": {"name": "Tên mới"}}), out, body="Huyện Mẫu")
    text = str(err.value)
    assert f"'{paths[0]}' đã có số liệu (1 ô, ví dụ mục 1.1.1 ở 'Lĩnh vực 1'!H" in text
    assert f"{OFFICES[1]}.xlsx' là tệp khác, không phải biểu mẫu parxl" in text
    assert OFFICES[2] not in text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_template_is_never_built_over_a_filled_workbook(mini: Framework, tmp_path: Path) -> None:
    from parxl.workbook.build import build_template

    path = build_template(mini, tmp_path / "m.xlsx")
    assert build_template(mini, path) == path  # over the blank template it made: a re-run
    wb = openpyxl.load_workbook(path)
    ws = wb["Lĩnh vực 2"]
    ws[f"G{_row_of(ws, '2.1.1')}"] = "Đạt"
    wb.save(path)
    filled = path.read_bytes()
    with pytest.raises(InputError, match=r"đã có số liệu \(1 ô, ví dụ mục 2.1.1 ở 'Lĩnh vực 2'!G"):
        build_template(mini, path)
    assert path.read_bytes() == filled


def test_one_file_per_body_with_the_full_framework(mini: Framework, tmp_path: Path) -> None:
    names = tmp_path / "xa.txt"
    names.write_text("Tên\nXã Tân Hòa\nThị trấn Mỹ An\n# ghi chú\nXã A/B: thử?\n", encoding="utf-8")
    bodies = read_bodies(names)
    assert bodies == ["Xã Tân Hòa", "Thị trấn Mỹ An", "Xã A/B: thử?"]
    paths = distribute(mini, tmp_path / "out", bodies=bodies, year="2024")
    assert [p.name for p in paths] == ["Xã Tân Hòa.xlsx", "Thị trấn Mỹ An.xlsx", "Xã A B thử.xlsx"]
    ret = read_return(paths[0])
    assert ret.meta["kind"] == "body"
    assert ret.body == "Xã Tân Hòa"
    assert ret.year == "2024"
    wb = openpyxl.load_workbook(paths[0])
    ws = wb["Lĩnh vực 2"]
    for code in ("2.1.1", "2.1.2", "2.2.1"):  # every office's items are open in a body copy
        assert ws[f"H{_row_of(ws, code)}"].protection.locked is False


def test_body_list_problems_are_all_reported(tmp_path: Path) -> None:
    names = tmp_path / "ds.csv"
    names.write_text("Xã A,1\nXã B\nxã a\nXã B,2\nXã\x0bC\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_bodies(names)
    assert "dòng 3" in str(exc.value) and "dòng 4" in str(exc.value)
    assert "dòng 5: tên 'Xã\x0bC' có ký tự điều khiển U+000B" in str(exc.value)  # not two bodies


def test_a_text_list_has_one_name_a_line_and_a_csv_list_its_first_column(tmp_path: Path) -> None:
    """In a .txt list a comma is part of the name ("Thị trấn X, huyện Y" was cut at the comma);
    a .csv list is read as CSV, the province roster's header "Cơ quan, đơn vị" skipped."""
    txt = tmp_path / "ds.txt"
    txt.write_text('Thị trấn Lai Vung, huyện Lai Vung\nXã "Mới"; thôn 2\n@SUM(1;2)\n', encoding="utf-8")
    assert read_bodies(txt) == ["Thị trấn Lai Vung, huyện Lai Vung", 'Xã "Mới"; thôn 2', "@SUM(1;2)"]
    roster = tmp_path / "don-vi.csv"
    roster.write_text('"Cơ quan, đơn vị",Nhóm\n"Thị trấn Lai Vung, huyện Lai Vung",Thị trấn\nXã Tân Bình,Xã\n',
                      encoding="utf-8")
    assert read_bodies(roster) == ["Thị trấn Lai Vung, huyện Lai Vung", "Xã Tân Bình"]
    excel = tmp_path / "excel.csv"  # saved by Excel in Vietnamese: semicolons, a sep= line
    excel.write_text("sep=;\nCơ quan, đơn vị;Nhóm\nXã A, huyện B;Xã\n", encoding="utf-8-sig")
    assert read_bodies(excel) == ["Xã A, huyện B"]


def test_safe_file_names_keep_vietnamese_letters() -> None:
    assert safe_file_name("Phòng Tài chính - Kế hoạch") == "Phòng Tài chính - Kế hoạch"
    assert safe_file_name('UBND xã "Mỹ Hiệp" / Cao Lãnh?') == "UBND xã Mỹ Hiệp Cao Lãnh"
    assert safe_file_name("CON") == "CON_"  # Windows reserves the name, not 'no name'
    assert safe_file_name(" ... ") == "khong-ten"
    assert safe_file_name("  ...  ") == "khong-ten"
    assert len(safe_file_name("Ủy ban " * 80).encode("utf-8")) <= 150


def test_framework_without_offices_cannot_be_split(mini: Framework, tmp_path: Path) -> None:
    d = mini.to_dict()
    for dom in d["domains"]:
        for c in dom["criteria"]:
            for i in c["items"]:
                i.pop("office", None)
    with pytest.raises(InputError, match="đơn vị chủ trì"):
        distribute(from_dict(d, "x"), tmp_path)


def test_cli_distribute(tmp_path: Path) -> None:
    from parxl.cli import app
    from parxl.framework import load_yaml

    yaml = Path(__file__).parent / "data" / "mini.yaml"
    res = CliRunner().invoke(app, ["distribute", str(yaml), "--out", str(tmp_path / "o"), "--body", "Huyện X"])
    assert res.exit_code == 0, res.output
    assert "3 biểu mẫu" in res.output
    # each office's file with the number of items it fills in
    mini = load_yaml(yaml)
    for office in OFFICES:
        assert f"  {office}.xlsx — {sum(i.office == office for i in mini.items)} mục\n" in res.output
    assert (tmp_path / "o" / "Phòng Nội vụ.xlsx").is_file()
    # from a built template too: same framework, same files
    from parxl.workbook.build import build_template

    tpl = build_template(load_yaml(yaml), tmp_path / "mau.xlsx")
    res = CliRunner().invoke(app, ["distribute", str(tpl), "--out", str(tmp_path / "p"), "--body", "Huyện X"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "Phòng Nội vụ.xlsx").read_bytes() == (tmp_path / "p" / "Phòng Nội vụ.xlsx").read_bytes()


@pytest.mark.parametrize("framework", ["mini", "hcm-quan-2023"])
def test_an_office_copy_opens_on_its_list_of_items_each_a_link_to_its_cell(
        framework: str, mini: Framework, tmp_path: Path) -> None:
    """An office owning 8 of 100 items on 8 sheets hunted for its yellow cells: its copy now opens
    on the guide, which lists the office's items (bonus ones too), each a link to the cell where
    its data goes — the item's first data cell, unlocked, on the item's row."""
    from parxl.framework import builtin

    fw = mini if framework == "mini" else builtin(framework)
    for path in distribute(fw, tmp_path / framework):
        wb = openpyxl.load_workbook(path)
        office = read_return(path).meta["office"]
        guide = wb.active
        assert guide.title == "Hướng dẫn"
        assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Hướng dẫn"]
        cells = [c for c in guide["A"] if c.hyperlink is not None]
        # LibreOffice neither wraps a link nor shows its second line: a long item goes on in the
        # rows below (indented), each a link to the same cell and short enough for a printed line
        assert all(len(c.value) <= guide.column_dimensions["A"].width * 1.05 for c in cells)
        links: list[tuple[Any, str]] = []  # an item's first cell, its whole text
        for c in cells:
            if c.alignment.indent:
                assert c.hyperlink.location == links[-1][0].hyperlink.location
                links[-1] = (links[-1][0], f"{links[-1][1]} {c.value}")
            else:
                links.append((c, c.value))
        items = [i for i in fw.items if i.office == office]
        assert [c.value.split()[0] for c, _ in links] == [i.code for i in items]
        heading = guide.cell(links[0][0].row - 1, 1).value
        assert heading.startswith(f"CÁC MỤC DO {office.upper()} NHẬP ({len(links)} mục)")
        for (c, text), item in zip(links, items, strict=True):
            sheet, ref = c.hyperlink.location.rsplit("!", 1)
            ws = wb[sheet.strip("'").replace("''", "'")]
            target = ws[ref]
            assert ws.cell(target.row, 1).value == item.code
            assert target.protection.locked is False and target.column_letter in "GH"
            assert text == f"{item.code}  {item.name} — {ws.title}, ô {ref}"


def test_a_body_copy_and_the_template_list_no_office_items(mini: Framework, tmp_path: Path) -> None:
    from parxl.workbook.build import build_template

    for path in [build_template(mini, tmp_path / "t.xlsx"), *distribute(mini, tmp_path / "b", bodies=["Xã A"])]:
        wb = openpyxl.load_workbook(path)
        assert wb.active.title == "Tổng hợp"
        assert not [c for c in wb["Hướng dẫn"]["A"] if c.hyperlink is not None]


def test_an_office_copy_says_its_summary_is_not_the_bodys_index(mini: Framework, tmp_path: Path) -> None:
    """The summary of an office copy counts only that office's items: it says so above its
    tables, and its locked body and year cells are not styled as cells to type in."""
    from parxl.workbook.build import FILL_INPUT, build_template

    for path, office in zip(distribute(mini, tmp_path / "o", body="Huyện Mẫu", year="2024"), OFFICES, strict=True):
        ws = openpyxl.load_workbook(path)["Tổng hợp"]
        note = ws["A5"].value
        assert isinstance(note, str) and note.startswith(f"Bản của {office}:"), note
        assert "chưa phải kết quả của Huyện Mẫu" in note
        assert "A5:J5" in ws.merged_cells
        for ref in ("C2", "C3"):
            assert ws[ref].protection.locked is not False
            assert ws[ref].fill.fgColor.rgb != FILL_INPUT.fgColor.rgb, ref
    for path in [build_template(mini, tmp_path / "t.xlsx"), *distribute(mini, tmp_path / "b", bodies=["Xã A"])]:
        ws = openpyxl.load_workbook(path)["Tổng hợp"]
        assert ws["A5"].value is None
        assert ws["C2"].fill.fgColor.rgb == FILL_INPUT.fgColor.rgb  # typed in by the body


def test_a_list_kept_in_excel_gives_the_names_of_its_name_column(tmp_path: Path) -> None:
    """Staff keep the list of communes in Excel, numbered: 'STT' first, 'Tên xã' beside. The
    workbook is read (it was refused as "not UTF-8") and the names come from the column headed
    as names, in a workbook and in its CSV alike (the CSV gave "1", "2" as names)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH XÃ, THỊ TRẤN"])  # a title above the table
    ws.append([])
    ws.append(["STT", "Tên xã, thị trấn", "Ghi chú"])
    ws.append([1, "Xã Tân Hòa", "mới sáp nhập"])
    ws.append([2, "Thị trấn Mỹ An, huyện Tháp Mười", None])
    wb.create_sheet("Sheet2")
    wb.save(tmp_path / "ds.xlsx")
    assert read_bodies(tmp_path / "ds.xlsx") == ["Xã Tân Hòa", "Thị trấn Mỹ An, huyện Tháp Mười"]
    (tmp_path / "ds.csv").write_text('STT;Tên xã\n1;Xã Tân Hòa\n2;"Xã A; B"\n', encoding="utf-8")
    assert read_bodies(tmp_path / "ds.csv") == ["Xã Tân Hòa", "Xã A; B"]
    ws.append([3, "Xã Tân Hòa"])  # a name twice: told at its row of the sheet
    wb.save(tmp_path / "ds.xlsx")
    with pytest.raises(InputError, match="dòng 6: 'Xã Tân Hòa' trùng với dòng 4"):
        read_bodies(tmp_path / "ds.xlsx")
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    with pytest.raises(InputError, match="không đọc được tệp danh sách đơn vị"):
        read_bodies(tmp_path / "hong.xlsx")
