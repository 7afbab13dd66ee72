"""Importing a decision's table as decisions print it: one 'STT' column numbering the domains
(I, II … or 1, 2 …), the criteria and the sub-criteria, scoring steps on lines without a number,
the bonus and penalty parts at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parxl.errors import FrameworkError
from parxl.framework.load import from_dict
from parxl.framework.table import export_table, import_table, read_table
from parxl.numbers import cell_text

HEAD = ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Tài liệu kiểm chứng"]

# (Roman numbering, numbering 1 / 1.1 / 1.1.1, content, points, evidence)
BODY: list[tuple[str | None, str | None, str, Any, str | None]] = [
    ("I", "1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3, None),
    ("1", "1.1", "Kế hoạch CCHC năm", 2, None),
    ("1.1", "1.1.1", "Ban hành kế hoạch kịp thời", 1, "Kế hoạch CCHC"),
    (None, None, "- Ban hành trước ngày 15/12", 1, None),
    (None, None, "- Ban hành sau ngày 15/12", 0, None),
    ("1.2", "1.1.2", "Mức độ thực hiện kế hoạch", 1, "Báo cáo"),
    ("2", "1.2", "Sáng kiến trong CCHC", 1, None),  # scored as a whole: no sub-criteria
    (None, None, "- Có sáng kiến được công nhận", 1, None),
    ("II", "2", "CẢI CÁCH THỂ CHẾ", 2, None),
    ("1", "2.1", "Rà soát văn bản", 2, None),
    ("a)", "a)", "Ban hành kế hoạch rà soát", 1, None),
    ("b)", "b)", "Xử lý sau rà soát", "1,0", "Báo cáo rà soát"),
    (None, None, "ĐIỂM THƯỞNG (tối đa 1 điểm)", 1, None),
    ("1", "1", "Sáng kiến được cấp tỉnh công nhận", 1, None),
    ("2", "2", "Giải thưởng về CCHC", 1, None),
    (None, None, "ĐIỂM TRỪ", None, None),
    ("1", "1", "Bị phê bình vì chậm thực hiện nhiệm vụ", 2, None),
    (None, None, "TỔNG CỘNG", 6, None),
]

EXPECTED = {  # written by hand from the table above
    "id": "thu", "name": "Bộ chỉ số thử", "level": "huyện", "version": "1",
    "domains": [
        {"code": "1", "name": "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "criteria": [
            {"code": "1.1", "name": "Kế hoạch CCHC năm", "items": [
                {"code": "1.1.1", "name": "Ban hành kế hoạch kịp thời", "max": 1, "evidence": "Kế hoạch CCHC",
                 "guidance": "- Ban hành trước ngày 15/12: 1 điểm\n- Ban hành sau ngày 15/12: 0 điểm"},
                {"code": "1.1.2", "name": "Mức độ thực hiện kế hoạch", "max": 1, "evidence": "Báo cáo"},
            ]},
            {"code": "1.2", "name": "Sáng kiến trong CCHC", "items": [
                {"code": "1.2.1", "name": "Sáng kiến trong CCHC", "max": 1,
                 "guidance": "- Có sáng kiến được công nhận: 1 điểm"},
            ]},
        ]},
        {"code": "2", "name": "CẢI CÁCH THỂ CHẾ", "criteria": [
            {"code": "2.1", "name": "Rà soát văn bản", "items": [
                {"code": "2.1.1", "name": "Ban hành kế hoạch rà soát", "max": 1},
                {"code": "2.1.2", "name": "Xử lý sau rà soát", "max": 1, "evidence": "Báo cáo rà soát"},
            ]},
        ]},
    ],
    "bonus": {"cap": 1, "items": [
        {"code": "T.1", "name": "Sáng kiến được cấp tỉnh công nhận", "max": 1, "scorer": "bonus"},
        {"code": "T.2", "name": "Giải thưởng về CCHC", "max": 1, "scorer": "bonus"},
    ]},
    "penalties": {"items": [
        {"code": "Đ.1", "name": "Bị phê bình vì chậm thực hiện nhiệm vụ", "max": 2, "scorer": "penalty"},
    ]},
}


# The same decision as Word prints it: each row's content cell as its lines
# (number, lines, points, evidence)
LINES: list[tuple[Any, list[str], Any, Any]] = [
    ("I", ["CÔNG TÁC CHỈ ĐẠO,", "ĐIỀU HÀNH"], 3, None),
    ("1", ["Kế hoạch CCHC năm"], 2, None),
    ("1.1", ["Ban hành kế hoạch kịp thời", "- Ban hành trước ngày 15/12: 1 điểm",
             "- Ban hành sau ngày 15/12: 0 điểm"], 1, "Kế hoạch CCHC"),
    ("1.2", ["Mức độ thực hiện kế hoạch"], 1, "Báo cáo"),
    ("2", ["Sáng kiến trong CCHC", "- Có sáng kiến được công nhận: 1 điểm"], 1, None),
    ("II", ["CẢI CÁCH THỂ CHẾ"], 2, None),
    ("1", ["Rà soát văn bản"], 2, None),
    ("a)", ["Ban hành kế hoạch rà soát"], 1, None),
    ("b)", ["Xử lý sau rà soát"], "1,0", "Báo cáo rà soát"),
    (None, ["ĐIỂM THƯỞNG (tối đa 1 điểm)"], 1, None),
    ("1", ["Sáng kiến được cấp tỉnh công nhận"], 1, None),
    ("2", ["Giải thưởng về CCHC"], 1, None),
    (None, ["ĐIỂM TRỪ"], None, None),
    ("1", ["Bị phê bình vì chậm thực hiện nhiệm vụ"], 2, None),
    (None, ["TỔNG CỘNG"], 6, None),
]

def _decision(path: Path, rows: list[list[Any]], *, info: bool = True, cap: Any = None) -> Path:
    """A decision's table: its title block, the header and the columns' numbers, the rows, the
    signature block."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bộ tiêu chí"
    for line in (["ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"], ["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN"],
                 ["(Kèm theo Quyết định số 1704/QĐ-UBND)"], [], HEAD, ["(1)", "(2)", "(3)", "(4)"]):
        ws.append(line)
    for row in rows:
        ws.append(row)
    for line in ([None, "Nơi nhận:"], [None, "- Như trên;"], [None, "KT. CHỦ TỊCH"]):
        ws.append(line)
    if info:
        sheet = wb.create_sheet("Thông tin")
        for label, value in (("Mã bộ tiêu chí", "thu"), ("Tên bộ tiêu chí", "Bộ chỉ số thử"),
                             ("Cấp áp dụng", "huyện"), ("Phiên bản", "1"), ("Giới hạn điểm thưởng", cap)):
            if value is not None:
                sheet.append([label, value])
    wb.save(path)
    return path


def test_outline_tables_numbered_both_ways_import_as_written(tmp_path: Path) -> None:
    expected = from_dict(EXPECTED)
    roman = [[r, name, points, ev] for r, _, name, points, ev in BODY]
    arabic = [[a, name, points, ev] for _, a, name, points, ev in BODY]
    assert import_table(_decision(tmp_path / "la-ma.xlsx", roman)) == expected
    assert import_table(_decision(tmp_path / "so.xlsx", arabic)) == expected
    export_table(expected, tmp_path / "bang.xlsx")  # and back in parxl's own table
    assert import_table(tmp_path / "bang.xlsx") == expected
    # 'Giới hạn điểm thưởng' given: the bonus part's points must be it or the bonus items' sum
    assert import_table(_decision(tmp_path / "gioi-han.xlsx", roman, cap=1)) == expected
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "khac.xlsx", roman, cap=1.5))
    bonus_row = 7 + next(i for i, row in enumerate(BODY) if row[2].startswith("ĐIỂM THƯỞNG"))
    assert info.value.problems == [
        f"trang 'Bộ tiêu chí' dòng {bonus_row}, ô C{bonus_row} ('Điểm tối đa'): dòng 'ĐIỂM THƯỞNG (tối đa 1 "
        "điểm)' ghi 1 điểm nhưng các mục thưởng cộng lại 2 điểm (giới hạn điểm thưởng 1,5); kiểm tra lại điểm "
        "tối đa của các mục và số ở dòng này",
        f"trang 'Bộ tiêu chí' dòng {7 + len(BODY) - 1}, ô C{7 + len(BODY) - 1} ('Điểm tối đa'): dòng 'TỔNG CỘNG' "
        "ghi 6 điểm nhưng điểm tối đa các lĩnh vực cộng lại 5 điểm (6,5 điểm với 1,5 điểm thưởng tối đa); kiểm "
        "tra lại điểm tối đa của các mục và số ở dòng này",
    ]


def test_outline_table_problems_name_their_row_and_cell(tmp_path: Path) -> None:
    rows = [
        [None, "Căn cứ chấm điểm chung", None, None],  # row 7: above every domain
        ["I", "CHỈ ĐẠO", 4, None],  # 8
        ["1", "Kế hoạch", 2, None],  # 9
        [None, "Hướng dẫn chung của tiêu chí", None, None],  # 10: between a criterion and its items
        ["1.1", "Ban hành", 1, None],  # 11
        ["2.1", "Thực hiện", 1, None],  # 12: not under criterion 1
        ["1.x", "Lạ", 1, None],  # 13: unreadable
        ["2", "Sáng kiến", 1, None],  # 14
    ]
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "loi.xlsx", rows))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 7, ô B7 ('Căn cứ chấm điểm chung'): dòng không có số thứ tự nằm trên mọi "
        "tiêu chí và mục; ghi số thứ tự nếu là một lĩnh vực, tiêu chí hay mục, hoặc xoá dòng",
        "trang 'Bộ tiêu chí' dòng 10: dòng không có số thứ tự nằm giữa tiêu chí 1.1 và mục đầu tiên của nó; "
        "ghi nội dung này vào cột 'Hướng dẫn' của một mục, hoặc xoá dòng",
        "trang 'Bộ tiêu chí' dòng 12, ô A12 ('2.1'): mục không thuộc tiêu chí 1.1 ở trên; sửa số thứ tự",
        "trang 'Bộ tiêu chí' dòng 13, ô A13 ('1.x'): số thứ tự không đọc được — lĩnh vực ghi I, II, III …, "
        "tiêu chí 1, 2 …, tiêu chí thành phần 1.1, 1.2 … hoặc a, b, c …",
    ]

    del rows[3], rows[0]  # the lines without a number; the unread rows fixed
    rows[3][0], rows[4][0] = "1.2", "1.3"
    rows[0][2] = 5
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "tong.xlsx", rows))
    assert info.value.problems == [  # read now: the domain's and criterion's points are checked
        "trang 'Bộ tiêu chí' dòng 7, ô C7 ('Điểm tối đa'): dòng 'CHỈ ĐẠO' ghi 5 điểm nhưng các mục của lĩnh "
        "vực 1 cộng lại 4 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
        "trang 'Bộ tiêu chí' dòng 8, ô C8 ('Điểm tối đa'): dòng 'Kế hoạch' ghi 2 điểm nhưng các mục của tiêu "
        "chí 1.1 cộng lại 3 điểm; kiểm tra lại điểm tối đa của các mục và số ở dòng này",
    ]


def test_a_header_with_only_some_outline_columns_names_what_is_missing(tmp_path: Path) -> None:
    path = _decision(tmp_path / "thieu.xlsx", [["I", "CHỈ ĐẠO", 1, None]])
    wb = openpyxl.load_workbook(path)
    wb["Bộ tiêu chí"]["C5"] = "Điểm tự chấm"
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == ["trang 'Bộ tiêu chí' dòng 5 thiếu cột: Điểm tối đa"]


def test_a_number_excel_made_of_a_code_is_reported(tmp_path: Path) -> None:
    """'1.10' typed in a General cell becomes the number 1.1: the second 1.1 is reported with the
    way out, not read as a duplicate or into the wrong item."""
    rows: list[list[Any]] = [["I", "CHỈ ĐẠO", 10, None], ["1", "Kế hoạch", 10, None]]
    rows += [[f"1.{n}", f"Mục {n}", 1, None] for n in range(1, 10)] + [[1.10, "Mục 10", 1, None]]
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "so.xlsx", rows))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 18, ô A18 ('1.1'): là số 1.1, trùng số thứ tự ở dòng 9 — Excel đổi số thứ "
        "tự gõ như 1.10 thành số 1.1; đặt định dạng ô là Văn bản (Text) rồi gõ lại"]
    rows[-1][0] = "1.10"  # typed as text
    assert import_table(_decision(tmp_path / "chu.xlsx", rows)).item_index["1.1.10"].name == "Mục 10"


def test_points_under_a_group_heading_in_a_two_row_header(tmp_path: Path) -> None:
    """'Điểm' over 'Tối đa' and 'Tự đánh giá' (merged across): 'Tối đa' is the points column,
    the self-assessment column is not read."""
    roman = [[r, name, points, ev] for r, _, name, points, ev in BODY]
    path = _decision(tmp_path / "nhom.xlsx", roman)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    ws.insert_rows(6)  # the sub-headings; the columns' numbers move to row 7
    ws.insert_cols(4)
    ws["C5"], ws["C6"], ws["D6"] = "Điểm", "Tối đa", "Tự đánh giá"
    ws.merge_cells("C5:D5")
    for c in ("A", "B", "E"):
        ws.merge_cells(f"{c}5:{c}6")
    ws["D8"] = 2.5  # a self-assessed score typed in the table: not part of the framework
    ws["F5"] = "Ghi chú"
    wb.save(path)
    fw, unread = read_table(path)
    assert fw == from_dict(EXPECTED)
    assert unread == ["'Tự đánh giá' (cột D)", "'Ghi chú' (cột F)"]  # told to the user, not lost silently


def test_a_decisions_words_for_the_guidance_and_evidence_columns(tmp_path: Path) -> None:
    """'Phương pháp chấm điểm' is the guidance column (the scoring steps under an item join it),
    'Hồ sơ, tài liệu kiểm chứng' the evidence column."""
    rows = [["I", "CHỈ ĐẠO", 1, None], ["1", "Kế hoạch", 1, None],
            ["1.1", "Ban hành kế hoạch", 1, "Kế hoạch"],
            [None, "- Ban hành trước 15/12", 1, None],
            [None, "- Ban hành sau 15/12", 0, None]]
    path = _decision(tmp_path / "pp.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    ws["D5"], ws["E5"], ws["E9"] = "Hồ sơ, tài liệu kiểm chứng", "Phương pháp chấm điểm", "Có kế hoạch: 1 điểm"
    ws["E11"] = "(tính theo ngày ký)"  # a line's own guidance cell: kept after its text
    wb.save(path)
    item = import_table(path).item_index["1.1.1"]
    assert (item.evidence, item.guidance) == ("Kế hoạch", "Có kế hoạch: 1 điểm\n- Ban hành trước 15/12: 1 điểm\n"
                                              "- Ban hành sau 15/12: 0 điểm\n(tính theo ngày ký)")


def test_a_word_table_pasted_into_excel(tmp_path: Path) -> None:
    """Excel puts each line of a pasted Word cell on a row of its own and merges the row's other
    cells down over them: those rows continue the row above (a heading's name, an item's
    scoring steps), they are not new rows with the same number."""
    rows = [[number, text, points if i == 0 else None, ev if i == 0 else None]
            for number, texts, points, ev in LINES for i, text in enumerate(texts)]
    path = _decision(tmp_path / "dan.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    first = 7
    for _, texts, _, _ in LINES:
        if len(texts) > 1:
            for c in "ACD":
                ws.merge_cells(f"{c}{first}:{c}{first + len(texts) - 1}")
        first += len(texts)
    wb.save(path)
    assert import_table(path) == from_dict(EXPECTED)


def _word(path: Path, rows: list[tuple[Any, list[str], Any, Any]], *, split: int | None = None,
          header_again: bool = True) -> Path:
    """A decision as a Word file: its letterhead laid out in a two-column table, its title, then
    the framework's table (header, the columns' numbers, one row per number with the lines of
    its content cell) and the signature block. ``split``: the table is cut before that row into
    a second table, which repeats the header when ``header_again``."""
    import docx

    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text, layout.cell(0, 1).text = "ỦY BAN NHÂN DÂN TỈNH", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    document.add_paragraph("BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP HUYỆN")
    parts = [rows] if split is None else [rows[:split], rows[split:]]
    for n, part in enumerate(parts):
        head = n == 0 or header_again
        table = document.add_table(rows=2 * head + len(part), cols=4)
        if head:
            for c, text in enumerate(["STT", "Lĩnh vực/Tiêu chí/\nTiêu chí thành phần", "Điểm tối đa",
                                      "Tài liệu kiểm chứng"]):
                table.cell(0, c).text = text
                table.cell(1, c).text = f"({c + 1})"
        for r, (number, lines, points, evidence) in enumerate(part, start=2 * head):
            for c, value in enumerate([number, "\n".join(lines), points, evidence]):
                if value is not None:
                    table.cell(r, c).text = str(value)
        document.add_paragraph("")
    document.add_paragraph("Nơi nhận:")
    document.save(str(path))
    return path


def test_a_decisions_word_file(tmp_path: Path) -> None:
    """The decision as it arrives, a .docx: its framework table is found among its tables and read
    as Excel would paste it; the id and name come from the file's name; problems are told at
    the Word table's row and column."""
    import docx

    from parxl.framework.load import resolve

    lines = list(LINES)
    path = _word(tmp_path / "Bộ chỉ số Đắk Nông 2022.docx", lines)
    expected = from_dict({**{k: v for k, v in EXPECTED.items() if k not in ("level", "version")},
                          "id": "bo-chi-so-dak-nong-2022", "name": "Bộ chỉ số Đắk Nông 2022"})
    assert read_table(path) == (expected, [])
    assert resolve(path) == expected  # build, inputs, distribute and the macros take the .docx too

    document = docx.Document(str(path))
    document.tables[1].add_column(docx.shared.Cm(3)).cells[0].text = "Ghi chú"
    document.save(str(path))
    assert read_table(path) == (expected, ["'Ghi chú' (cột 5)"])

    lines[7] = ("1.x", *lines[7][1:])
    with pytest.raises(FrameworkError) as info:
        import_table(_word(tmp_path / "sai.docx", lines))
    assert info.value.problems == [  # the 10th row of the Word table (header and numbers above)
        "bảng 2, dòng 10, cột 1 ('1.x'): số thứ tự không đọc được — lĩnh vực ghi I, II, III …, tiêu chí 1, 2 …, "
        "tiêu chí thành phần 1.1, 1.2 … hoặc a, b, c …"]


def test_a_word_table_split_in_two(tmp_path: Path) -> None:
    """An author split the table (to start domain II on a new page), with or without the header
    again: both parts are read, and a problem is told in the part it is in."""
    expected = from_dict({**{k: v for k, v in EXPECTED.items() if k not in ("level", "version")},
                          "id": "qd", "name": "QĐ"})
    for again in (True, False):
        assert import_table(_word(tmp_path / "QĐ.docx", LINES, split=5, header_again=again)) == expected
    lines = list(LINES)
    lines[7] = ("1.x", *lines[7][1:])
    with pytest.raises(FrameworkError) as info:
        import_table(_word(tmp_path / "sai.docx", lines, split=5))
    assert info.value.problems[0].startswith("bảng 3, dòng 5, cột 1 ('1.x'): số thứ tự không đọc được")


def test_a_heading_typed_in_one_cell_across_the_number_and_content(tmp_path: Path) -> None:
    """Decisions often print a domain's heading, the bonus part and the total row in one cell
    merged across the number and content columns ('I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH'): the number
    and the name are read from it, in Excel and in Word, as if typed in their own cells."""
    import docx

    joined = {"I": "I. ", "II": "II - ", None: ""}
    rows: list[list[Any]] = []
    for number, _, name, points, ev in BODY:
        if number in ("I", "II") or (number is None and not name.startswith("-")):
            rows.append([f"{joined[number]}{name}", None, points, ev])  # the merged cell's text is in its first
        else:
            rows.append([number, name, points, ev])
    path = _decision(tmp_path / "gop.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    ws = wb["Bộ tiêu chí"]
    for r, row in enumerate(rows, start=7):
        if row[1] is None and not cell_text(row[0]).startswith(("-", "1")):
            ws.merge_cells(f"A{r}:B{r}")
    wb.save(path)
    assert import_table(path) == from_dict(EXPECTED)

    document = docx.Document()
    table = document.add_table(rows=1 + len(rows), cols=4)
    for c, text in enumerate(["STT", "Nội dung", "Điểm tối đa", "Tài liệu kiểm chứng"]):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        if row[1] is None and not cell_text(row[0]).startswith(("-", "1")):
            table.cell(r, 0).merge(table.cell(r, 1))
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    table.cell(1, 0).text = "I. CÔNG TÁC CHỈ ĐẠO,\nĐIỀU HÀNH"  # on two lines in its merged cell
    document.save(str(tmp_path / "thu.docx"))
    expected = from_dict({**{k: v for k, v in EXPECTED.items() if k not in ("level", "version")},
                          "id": "thu", "name": "thu"})
    assert import_table(tmp_path / "thu.docx") == expected

    rows[2][1] = None  # an item's number without its content: not split into '1.' and '1'
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "trong.xlsx", rows))
    assert info.value.problems == ["trang 'Bộ tiêu chí' dòng 9 (mục 1.1.1), ô B9 ('Nội dung'): thiếu (bắt buộc)"]
    rows[0][0] = "CÔNG TÁC CHỈ ĐẠO"  # the number left out: reported, not read as a line without a number
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "sai.xlsx", rows))
    assert info.value.problems[0].startswith("trang 'Bộ tiêu chí' dòng 7, ô A7 ('CÔNG TÁC CHỈ ĐẠO'): số thứ tự "
                                             "không đọc được")


def test_a_decision_pasted_into_excel_without_an_info_sheet_is_named_after_its_file(tmp_path: Path) -> None:
    """A decision's table pasted into Excel has no 'Thông tin' sheet: its id and name come from the
    file's name, as for the Word file (it said 'trang 'Thông tin', thiếu dòng …' of a sheet the
    file does not have). A 'Thông tin' sheet that leaves them out is still reported."""
    from parxl.framework.table import named_from_file

    rows = [[r, name, p, ev] for r, _, name, p, ev in BODY]
    path = _decision(tmp_path / "QĐ 1704 năm 2023.xlsx", rows, info=False)
    fw = import_table(path)
    expected = from_dict({**{k: v for k, v in EXPECTED.items() if k not in ("level", "version")},
                          "id": "qd-1704-nam-2023", "name": "QĐ 1704 năm 2023"})
    assert fw == expected and named_from_file(fw, path)
    assert not named_from_file(import_table(_decision(tmp_path / "thu.xlsx", rows)), tmp_path / "thu.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Thông tin").append(["Cấp áp dụng", "huyện"])
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == ["trang 'Thông tin', thiếu dòng 'Mã bộ tiêu chí': thiếu (bắt buộc)",
                                   "trang 'Thông tin', thiếu dòng 'Tên bộ tiêu chí': thiếu (bắt buộc)"]


def test_a_decisions_table_on_a_sheet_of_another_name(tmp_path: Path) -> None:
    """A decision's Excel file names its sheet 'Phụ lục' or 'Sheet1', not 'Bộ tiêu chí': the sheet
    whose header parxl reads is the table (as the first such table of a Word file is), and
    problems name that sheet. A file with no such sheet says what was looked for in which sheets."""
    rows = [[r, name, p, ev] for r, _, name, p, ev in BODY]
    path = _decision(tmp_path / "qd.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    wb["Bộ tiêu chí"].title = "Phụ lục"
    wb.create_sheet("Ghi chú", 0).append(["Bảng kèm theo Quyết định số 1704/QĐ-UBND"])
    wb.save(path)
    assert import_table(path) == from_dict(EXPECTED)

    wb["Phụ lục"]["A9"] = "1.x"
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems[0].startswith("trang 'Phụ lục' dòng 9, ô A9 ('1.x'): số thứ tự không đọc được")

    del wb["Phụ lục"]
    wb.save(path)
    with pytest.raises(FrameworkError) as info:
        import_table(path)
    assert info.value.problems == [
        "không thấy bảng bộ tiêu chí ở trang nào (tệp có các trang: 'Ghi chú', 'Thông tin') — cần trang "
        "'Bộ tiêu chí', hoặc một trang có dòng tiêu đề gồm các ô STT (hay Mã), Nội dung, Điểm tối đa, hoặc các ô "
        "Lĩnh vực, Tên lĩnh vực, Tiêu chí, Tên tiêu chí, Mã, Nội dung, Điểm tối đa, Cách chấm"]


def test_points_written_with_their_unit(tmp_path: Path) -> None:
    """Decisions write points '1 điểm', '0,5 điểm', '1,5đ': read as the number (it was refused: 'phải là
    số, không phải '1 điểm''); a word other than the unit is still reported."""
    units = {"1": "1 điểm", "3": "3 Điểm", "2": "2đ"}
    rows = [[r, name, units.get(cell_text(p), p) if r else p, ev] for r, _, name, p, ev in BODY]
    rows[2][2] = "1,0 điểm"
    assert import_table(_decision(tmp_path / "diem.xlsx", rows)) == from_dict(EXPECTED)
    rows[2][2] = "1 điểm rưỡi"
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "sai.xlsx", rows))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 9 (mục 1.1.1), ô C9 ('Điểm tối đa'): phải là số, không phải '1 điểm rưỡi'"]


def test_roman_domains_with_full_criterion_and_item_codes(tmp_path: Path) -> None:
    """Domains numbered I, II … with criteria and items numbered in full (1.1, 1.1.1; II › 2.1),
    as many decisions print them: read as written (each was 'mục không nằm dưới tiêu chí nào')."""
    rows = [[r if r in ("I", "II") else a, name, p, ev] for r, a, name, p, ev in BODY]
    assert [row[0] for row in rows[:6]] == ["I", "1.1", "1.1.1", None, None, "1.1.2"]
    assert import_table(_decision(tmp_path / "day-du.xlsx", rows)) == from_dict(EXPECTED)


def test_a_table_with_no_row_read_says_so_in_vietnamese(tmp_path: Path) -> None:
    """Nothing read under the header: told in words, not as the path '$.domains: danh sách rỗng';
    with other problems, those say why and the empty list is not told."""
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "rong.xlsx", []))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí': không có lĩnh vực nào — dưới dòng tiêu đề cần các dòng lĩnh vực, tiêu chí và mục"]
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "sai.xlsx", [["1.x", "Lạ", 1, None]]))
    assert len(info.value.problems) == 1 and "số thứ tự không đọc được" in info.value.problems[0]


def test_a_number_typed_twice_is_named_as_typed(tmp_path: Path) -> None:
    """Two items numbered 1.2 under criterion 1 of domain I: the message said "ô A10 ('Mã'): mã
    '1.1.2' trùng với dòng 9", a code and a column name the decision does not have. It names the
    number as typed, the row it repeats and the item both would be."""
    rows: list[list[Any]] = [["I", "CHỈ ĐẠO", 3, None], ["1", "Kế hoạch", 3, None], ["1.1", "Ban hành", 1, None],
                             ["1.2", "Thực hiện", 1, None], ["1.2", "Báo cáo", 1, None]]
    with pytest.raises(FrameworkError) as info:
        import_table(_decision(tmp_path / "so.xlsx", rows))
    assert info.value.problems == [
        "trang 'Bộ tiêu chí' dòng 11, ô A11 ('1.2'): số thứ tự trùng với dòng 10 (cả hai là mục 1.1.2); sửa số "
        "thứ tự cho đúng"]
