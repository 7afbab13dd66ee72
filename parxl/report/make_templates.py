"""Build the default Word templates shipped in ``parxl/report/templates/``.

The .docx files are the source an organisation restyles in Word (fonts, margins, header,
wording): they hold Jinja tags (docxtpl) such as ``{{ body }}`` or ``{%tr for d in domains %}``
that parxl fills in. This module only (re)creates parxl's defaults, in the Vietnamese
administrative format of Nghị định 30/2020/NĐ-CP: A4, margins 20/20/30/15 mm, Times New
Roman 14 (13 in the header, 12 in tables), national motto block, number and date line, title,
"Nơi nhận" and signature block.

Run ``python -m parxl.report.make_templates`` after changing it; a test checks that the
shipped files are current.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from parxl.workbook.save import atomic_write_bytes, normalized_xlsx_bytes

FONT = "Times New Roman"
TEMPLATES = Path(__file__).parent / "templates"
FILES = {
    "self-assessment": "bao-cao-tu-danh-gia.docx",
    "interim": "bao-cao-so-ket.docx",
    "remedy": "cong-van-khac-phuc.docx",
    "ranking": "bao-cao-xep-hang.docx",
}
Run = tuple[str, str]  # (text, style letters: b bold, i italic, u underline)


# ---------------------------------------------------------------- low-level helpers
def _fonts(rpr_parent: object, size: float | None = None) -> None:
    font = rpr_parent.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = rpr_parent.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def _page_numbers(doc: DocumentT) -> None:
    """Page number centred in the header from the second page on (Nghị định 30/2020)."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    sec.header_distance = Mm(10)
    p = sec.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _fonts(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


TABLE_TEXT = "Chữ trong bảng"


def _new_document() -> DocumentT:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _fonts(normal, 14)
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(6)
    pf.line_spacing = 1.1
    # table text: 12 pt, no space after, from a style rather than set on every run of every
    # cell (a 10,000-row table is then half as heavy to render, open and print)
    cells = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.style_id = "TableText"
    cells.base_style = normal
    cells.font.size = Pt(12)
    cells.paragraph_format.space_after = Pt(0)
    _page_numbers(doc)
    cp = doc.core_properties
    cp.author = "parxl"
    cp.title = "Mẫu văn bản parxl"
    cp.comments = "Mẫu văn bản parxl: có thể sửa bằng Word, giữ nguyên các thẻ trong ngoặc nhọn."
    cp.last_modified_by = "parxl"
    cp.revision = 1
    return doc


def _para(
    container: DocumentT | _Cell,
    runs: Sequence[Run] | str = (),
    *,
    align: str = "justify",
    size: float | None = None,
    indent: bool = False,
    after: float | None = None,
    before: float | None = None,
    style: str | None = None,
) -> Paragraph:
    """A paragraph of runs; with ``style``, its font and size are the style's (none on the runs)
    and a left alignment is not written (the style's)."""
    p = container.add_paragraph(style=style)
    if not (style and align == "left"):
        p.alignment = {
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    if after is not None:
        p.paragraph_format.space_after = Pt(after)
    if before is not None:
        p.paragraph_format.space_before = Pt(before)
    if isinstance(runs, str):
        runs = [(runs, "")]
    for text, letters in runs:
        r = p.add_run(text)
        if not style:
            _fonts(r, size)
        r.bold = "b" in letters or None
        r.italic = "i" in letters or None
        r.underline = "u" in letters or None
    return p


def _tag(container: DocumentT | _Cell, tag: str) -> Paragraph:
    """A paragraph holding only a docxtpl block tag ({%p ... %}); it disappears when rendered."""
    return _para(container, "{%p " + tag + " %}", align="left", after=0)


def _rule(container: DocumentT | _Cell, width_cm: float, cell_width_cm: float) -> None:
    """A short centred horizontal line (the line under the motto / issuer name)."""
    p = container.add_paragraph()
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    p.paragraph_format.left_indent = Cm(side)
    p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.line_spacing = Pt(4)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _no_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _widths(table: Table, widths_cm: Sequence[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(w)


def _cell_margins(table: Table, cm: float) -> None:
    """Left and right cell margins of a table (Word's default is 0,19 cm)."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Cm(cm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.append(mar)


def _cell_text(cell: _Cell, runs: Sequence[Run] | str, *, align: str = "left") -> None:
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    _para(cell, runs, align=align, style=TABLE_TEXT)


def _shade(cell: _Cell, fill: str = "D9E2F3") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cant_split(table: Table) -> None:
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _keep_with_next(rows: Sequence[object]) -> None:
    """Every paragraph of these rows kept on the page of the next row (w:keepNext)."""
    for row in rows:
        for cell in row.cells:  # type: ignore[attr-defined]
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


# ---------------------------------------------------------------- blocks
HEADER_WIDTHS = (6.6, 9.9)  # cm: issuing body | national motto, number and date
HEADER_CELL_MARGIN = 0.1  # cm each side
def header_block(doc: DocumentT, *, with_vv: bool = False) -> None:
    """Issuing body | national motto; number | place and date (NĐ 30/2020, Phụ lục I)."""
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = t.rows[0].cells
    # 16,5 cm of text width: the right cell holds the motto (12 pt bold, 8,8 cm) and a date line
    # up to "Thành phố Hồ Chí Minh, ngày 02 tháng 3 năm 2024" (13 pt italic, 9,6 cm) on one line;
    # the left one "THÀNH PHỐ HỒ CHÍ MINH" (13 pt bold, 6 cm) on one line
    lw, rw = HEADER_WIDTHS
    _widths(t, (lw, rw))
    _cell_margins(t, HEADER_CELL_MARGIN)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _tag(left, "if head_parent")
    _para(left, "{{ head_parent }}", align="center", size=13, after=0)
    _tag(left, "endif")
    _para(left, [("{{ head_issuer }}", "b")], align="center", size=13, after=0)
    _rule(left, 2.2, lw)
    _para(left, "{{ number_line }}", align="center", size=13, after=0)
    if with_vv:
        _para(left, "{{ vv }}", align="center", size=12, after=0)
    _para(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")], align="center", size=12, after=0)
    _para(right, [("Độc lập - Tự do - Hạnh phúc", "b")], align="center", size=13, after=0)
    _rule(right, 5.6, rw)
    _para(right, [("{{ date_line }}", "i")], align="center", size=13, after=0)


def title_block(doc: DocumentT) -> None:
    _para(doc, [("{{ doc_type }}", "b")], align="center", size=14, before=12, after=0)
    _para(doc, [("{{ title }}", "b")], align="center", size=14, after=0)
    _rule(doc, 3.0, 16.5)


def closing(doc: DocumentT) -> None:
    """The closing sentence ("Trên đây là …/."), kept on the page of the signature block."""
    _para(doc, "{{ closing }}", indent=True).paragraph_format.keep_with_next = True


def signature_block(doc: DocumentT) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _cant_split(t)  # "TM. ỦY BAN NHÂN DÂN" and "CHỦ TỊCH" on one page
    left, right = t.rows[0].cells
    _widths(t, (8.0, 8.5))
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _para(left, [("Nơi nhận:", "bi")], align="left", size=12, after=0)
    _tag(left, "for r in recipients")
    _para(left, "- {{ r }}", align="left", size=11, after=0)
    _tag(left, "endfor")
    _tag(right, "if signer_authority")
    _para(right, [("{{ signer_authority }}", "b")], align="center", size=13, after=0)
    _tag(right, "endif")
    _para(right, [("{{ signer_title }}", "b")], align="center", size=13, after=0)
    for _ in range(4):
        _para(right, "", align="center", size=13, after=0)
    _para(right, [("{{ signer_name }}", "b")], align="center", size=13, after=0)


def _caption(doc: DocumentT, runs: Sequence[Run]) -> None:
    """A table's caption, kept on the page of the table."""
    _para(doc, runs, align="center", size=13, after=3).paragraph_format.keep_with_next = True


def heading(doc: DocumentT, text: str) -> None:
    _para(doc, [(text, "b")], indent=True, before=6).paragraph_format.keep_with_next = True


def lines(doc: DocumentT, var: str, *, head_style: str = "b") -> None:
    """A loop of paragraphs, each ``{head (bold)}{text}``."""
    _tag(doc, f"for s in {var}")
    _para(doc, [("{{ s.head }}", head_style), ("{{ s.text }}", "")], indent=True)
    _tag(doc, "endfor")


def chart(doc: DocumentT, var: str, caption: str) -> None:
    _tag(doc, f"if {var}")
    _para(doc, "{{ " + var + " }}", align="center", after=0).paragraph_format.keep_with_next = True
    _para(doc, [(caption, "i")], align="center", size=12)
    _tag(doc, "endif")


def table(
    doc: DocumentT,
    headers: Sequence[str],
    cells: Sequence[str],
    loop: str,
    widths: Sequence[float],
    *,
    total: Sequence[str] | None = None,
    numeric_from: int = 2,
    left: Sequence[int] = (),
) -> None:
    """A table: header row, one row per element of ``loop``, an optional total row.

    Rows never split across pages, the header row is repeated on every page and stays with the
    first row. With a total row, the last row is kept with it too, so "Tổng cộng" is never alone
    on a page: the loop is then written as two, all rows but the last, then the last one (kept
    with the next row). The rows in between may break across pages, so a table starts right
    after its caption where there is room for its header and first row, rather than leaving the
    rest of the page blank (every row kept with the next moved a whole table to the next page)."""
    n = len(headers)
    keep = bool(total)
    loops = [f"{loop}[:-1]", f"{loop}[-1:]"] if keep else [loop]
    t = doc.add_table(rows=1 + 3 * len(loops) + (1 if total else 0), cols=n)
    _cant_split(t)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, widths)
    for i, h in enumerate(headers):
        _cell_text(t.rows[0].cells[i], [(h, "b")], align="center")
        _shade(t.rows[0].cells[i])
    _repeat_header(t.rows[0])
    for k, each in enumerate(loops):
        first = 1 + 3 * k
        _cell_text(t.rows[first].cells[0], "{%tr for r in " + each + " %}")
        for i, c in enumerate(cells):
            right = i >= numeric_from and i not in left
            _cell_text(t.rows[first + 1].cells[i], "{{ " + c + " }}", align="right" if right else "left")
        _cell_text(t.rows[first + 2].cells[0], "{%tr endfor %}")
    if total:
        for i, c in enumerate(total):
            _cell_text(t.rows[-1].cells[i], [(c, "b")], align="right" if i >= numeric_from else "left")
    _keep_with_next([t.rows[0], *([t.rows[-3]] if keep else [])])
    _para(doc, "", after=6)


# ---------------------------------------------------------------- the four documents
SHARE_HEADER = "Tỷ lệ so với tổng điểm bị trừ"  # every table's share column says what it is a share of
# the last column is each domain's base points over its applicable maximum; the headline's "tỷ lệ"
# is the index (with the bonus and penalty points, over the applicable maximum + the bonus cap)
DOMAIN_HEADERS = ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", SHARE_HEADER, "Chưa xác định",
                  "Tỷ lệ điểm cơ bản")
DOMAIN_CELLS = ("r.stt", "r.name", "r.max", "r.achieved", "r.deducted", "r.share", "r.open", "r.index")
DOMAIN_TOTAL = ("", "Tổng cộng", "{{ total.max }}", "{{ total.achieved }}", "{{ total.deducted }}",
                "{{ total.share }}", "{{ total.open }}", "{{ total.index }}")
DOMAIN_WIDTHS = (1.2, 4.7, 1.5, 1.6, 1.5, 2.0, 1.8, 2.2)
ITEM_HEADERS = ("Mã", "Nội dung bị trừ điểm", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", SHARE_HEADER,
                "Đơn vị chủ trì")
ITEM_CELLS = ("r.code", "r.name", "r.max", "r.achieved", "r.deducted", "r.share", "r.office")
ITEM_WIDTHS = (1.6, 5.6, 1.5, 1.5, 1.5, 1.9, 2.9)


def _notes(doc: DocumentT) -> None:
    _tag(doc, "if notes")
    _para(doc, [("Ghi chú:", "bi")], indent=True, size=12, after=0).paragraph_format.keep_with_next = True
    _tag(doc, "for n in notes")
    _para(doc, [("- {{ n }}", "i")], indent=True, size=12, after=0).paragraph_format.keep_with_next = True
    _tag(doc, "endfor")
    _tag(doc, "endif")


def self_assessment() -> DocumentT:
    doc = _new_document()
    header_block(doc)
    title_block(doc)
    _para(doc, "{{ intro }}", indent=True)
    heading(doc, "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM")
    lines(doc, "summary_lines")
    _caption(doc, [("Bảng 1. Kết quả theo lĩnh vực", "b")])
    table(doc, DOMAIN_HEADERS, DOMAIN_CELLS, "domains", DOMAIN_WIDTHS, total=DOMAIN_TOTAL)
    chart(doc, "chart_scores", "Biểu đồ 1. Điểm đạt và điểm bị trừ theo lĩnh vực")
    heading(doc, "II. CÁC NỘI DUNG BỊ TRỪ ĐIỂM")
    _tag(doc, "if has_deductions")
    _para(doc, "{{ deduction_intro }}", indent=True)
    _tag(doc, "for d in deducted_domains")
    _para(doc, [("{{ d.head }}", "b"), ("{{ d.text }}", "")], indent=True)
    _tag(doc, "for s in d.lines")
    _para(doc, [("{{ s.head }}", "i"), ("{{ s.text }}", "")], indent=True)
    _tag(doc, "endfor")
    _tag(doc, "endfor")
    _caption(doc, [("Bảng 2. Các nội dung bị trừ điểm", "b")])
    table(doc, ITEM_HEADERS, ITEM_CELLS, "deducted_items", ITEM_WIDTHS, left=(6,))
    chart(doc, "chart_shares", "Biểu đồ 2. Tỷ lệ điểm bị trừ của từng lĩnh vực so với tổng số điểm bị trừ")
    _tag(doc, "else")
    _para(doc, "{{ perfect_text }}", indent=True)
    _tag(doc, "endif")
    _tag(doc, "if yoy_lines")
    heading(doc, "III. SO SÁNH VỚI NĂM TRƯỚC")
    lines(doc, "yoy_lines")
    _tag(doc, "endif")
    _notes(doc)
    closing(doc)
    signature_block(doc)
    return doc


# every header word fits its column on one line (12 pt bold: "nhiệm", "Trước", "không" 1,13 cm
# + 0,38 cm of cell margins)
TASK_HEADERS = ("STT", "Lĩnh vực", "Số nhiệm vụ", "Đã triển khai", "Hoàn thành", "Trước hạn", "Đúng hạn",
                "Trễ hạn", "Chưa đến hạn", "Chưa, quá hạn, không thực hiện")
TASK_WIDTHS = (1.2, 3.4, 1.6, 1.4, 1.5, 1.6, 1.4, 1.4, 1.4, 1.6)


def interim_report() -> DocumentT:
    doc = _new_document()
    header_block(doc)
    title_block(doc)
    _para(doc, "{{ intro }}", indent=True)
    _tag(doc, "if tasks")
    heading(doc, "{{ tasks.heading }}")
    _para(doc, "{{ tasks.intro }}", indent=True)
    lines(doc, "tasks.lines")
    _caption(doc, [("Bảng 1. Thực hiện nhiệm vụ Kế hoạch cải cách hành chính theo lĩnh vực", "b")])
    table(
        doc,
        TASK_HEADERS,
        ("r.stt", "r.name", "r.planned", "r.implemented", "r.completed", "r.early", "r.on_time", "r.late",
         "r.not_due", "r.not_done"),
        "tasks.rows",
        TASK_WIDTHS,
        total=("", "Tổng cộng", "{{ tasks.total.planned }}", "{{ tasks.total.implemented }}",
               "{{ tasks.total.completed }}", "{{ tasks.total.early }}", "{{ tasks.total.on_time }}",
               "{{ tasks.total.late }}", "{{ tasks.total.not_due }}", "{{ tasks.total.not_done }}"),
    )
    _tag(doc, "endif")
    heading(doc, "{{ score_heading }}")
    lines(doc, "estimate_lines")
    _caption(doc, [("Bảng {{ table_no }}. Điểm ước đạt theo lĩnh vực", "b")])
    table(
        doc,
        ("STT", "Lĩnh vực", "Điểm tối đa", "Ước đạt", "Không đạt", "Chưa đến hạn", "Chưa xác định",
         "Có thể đạt tối đa"),
        ("r.stt", "r.name", "r.max", "r.secured", "r.lost", "r.not_due", "r.undetermined", "r.reachable"),
        "domains",
        (1.2, 4.5, 1.6, 1.6, 1.8, 1.8, 1.8, 2.0),
        total=("", "Tổng cộng", "{{ total.max }}", "{{ total.secured }}", "{{ total.lost }}",
               "{{ total.not_due }}", "{{ total.undetermined }}", "{{ total.reachable }}"),
    )
    chart(doc, "chart_interim", "Biểu đồ. Điểm ước đạt, không đạt và chưa xác định theo lĩnh vực")
    _tag(doc, "for d in domain_details")
    _para(doc, [("{{ d.head }}", "b"), ("{{ d.text }}", "")], indent=True)
    _tag(doc, "for s in d.lines")
    _para(doc, [("{{ s.head }}", ""), ("{{ s.text }}", "i")], indent=True)
    _tag(doc, "endfor")
    _tag(doc, "endfor")
    _notes(doc)
    closing(doc)
    signature_block(doc)
    return doc


def remedy() -> DocumentT:
    doc = _new_document()
    header_block(doc, with_vv=True)
    _para(doc, "", after=0)
    _tag(doc, "if addressees|length == 1")
    _para(doc, "Kính gửi: {{ addressees[0] }}.", align="center")
    _tag(doc, "else")
    _para(doc, "Kính gửi:", align="center", after=0)
    _tag(doc, "for a in addressees")
    _para(doc, "- {{ a }}{{ ';' if not loop.last else '.' }}", align="left", after=0).paragraph_format.left_indent = Cm(4.5)
    _tag(doc, "endfor")
    _tag(doc, "endif")
    _para(doc, "", after=0)
    _tag(doc, "for b in basis")
    _para(doc, "{{ b }}", indent=True)
    _tag(doc, "endfor")
    _para(doc, "{{ result_text }}", indent=True)
    _tag(doc, "if has_deductions")
    _para(doc, "{{ deduction_intro }}", indent=True)
    _tag(doc, "for d in deducted_domains")
    _para(doc, [("- {{ d.head }}", "b"), ("{{ d.text }}", "b")], indent=True)
    _tag(doc, "for s in d.lines")
    _para(doc, [("+ {{ s.head }}", ""), ("{{ s.text }}", "")], indent=True)
    _tag(doc, "endfor")
    _tag(doc, "endfor")
    _tag(doc, "endif")
    _para(doc, "{{ full_marks_text }}", indent=True)
    table(
        doc,
        ("STT", "Lĩnh vực", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ", SHARE_HEADER),
        ("r.stt", "r.name", "r.max", "r.achieved", "r.deducted", "r.share"),
        "domains",
        (1.2, 7.3, 1.9, 1.9, 1.9, 2.3),
        total=("", "Tổng cộng", "{{ total.max }}", "{{ total.achieved }}", "{{ total.deducted }}",
               "{{ total.share }}"),
    )
    chart(doc, "chart_shares", "Biểu đồ. Tỷ lệ điểm bị trừ theo lĩnh vực")
    _para(doc, "{{ directive_intro }}", indent=True)
    _tag(doc, "for s in directives")
    _para(doc, [("{{ s.head }}", "b"), ("{{ s.text }}", "")], indent=True)
    _tag(doc, "endfor")
    _tag(doc, "if offices")
    _caption(doc, [("Danh sách nội dung bị trừ điểm giao các cơ quan, đơn vị khắc phục", "b")])
    n = 5
    t = doc.add_table(rows=7, cols=n)
    _cant_split(t)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, (1.6, 6.4, 1.5, 4.5, 2.5))
    for i, h in enumerate(("Mã", "Nội dung bị trừ điểm", "Điểm bị trừ", "Lý do", "Hạn báo cáo giải trình")):
        _cell_text(t.rows[0].cells[i], [(h, "b")], align="center")
        _shade(t.rows[0].cells[i])
    _repeat_header(t.rows[0])
    _cell_text(t.rows[1].cells[0], "{%tr for o in offices %}")
    office = t.rows[2].cells[0].merge(t.rows[2].cells[n - 1])
    _cell_text(office, [("{{ o.stt }}. {{ o.name }}: {{ o.text }}", "b")])
    _shade(office, "F2F2F2")
    office.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at a page foot
    _cell_text(t.rows[3].cells[0], "{%tr for r in o.rows %}")
    for i, c in enumerate(("r.code", "r.name", "r.deducted", "r.reason", "r.deadline")):
        _cell_text(t.rows[4].cells[i], "{{ " + c + " }}", align="right" if i == 2 else "left")
    _cell_text(t.rows[5].cells[0], "{%tr endfor %}")
    _cell_text(t.rows[6].cells[0], "{%tr endfor %}")
    _para(doc, "", after=6)
    _tag(doc, "endif")
    _tag(doc, "for s in outside_lines")  # survey points: no office to explain them
    _para(doc, "{{ s }}", indent=True)
    _tag(doc, "endfor")
    _notes(doc)  # before the closing "./." as in the reports, not run into "Nơi nhận"
    closing(doc)
    signature_block(doc)
    return doc


# every header word fits its column on one line (12 pt bold, e.g. "Hạng" 1 cm + 0,38 cm margins)
RANKING_HEADERS = ("Hạng", "Cơ quan, đơn vị", "Nhóm", "Tổng điểm", "Hạng trong nhóm", "Năm trước",
                   "Tăng, giảm điểm", "Hạng năm trước", "Tăng, giảm hạng")
RANKING_WIDTHS = (1.5, 3.3, 1.8, 1.7, 1.5, 1.7, 1.6, 1.5, 1.9)  # cm; "+1.234" ranks up fits
RANKING_WIDTHS_THIS_YEAR = (1.5, 7.0, 3.0, 2.5, 2.5)


def ranking() -> DocumentT:
    doc = _new_document()
    header_block(doc)
    title_block(doc)
    _para(doc, "{{ intro }}", indent=True)
    heading(doc, "I. KẾT QUẢ XẾP HẠNG")
    lines(doc, "summary_lines")
    fields = ("r.rank", "r.body", "r.group", "r.total", "r.rank_in_group", "r.previous_total", "r.score_change",
              "r.previous_rank", "r.rank_change")
    _tag(doc, "if has_previous")
    table(doc, RANKING_HEADERS, fields, "bodies", RANKING_WIDTHS, numeric_from=3)
    _tag(doc, "else")  # no figures of last year: no four empty columns
    table(doc, RANKING_HEADERS[:5], fields[:5], "bodies", RANKING_WIDTHS_THIS_YEAR, numeric_from=3)
    _tag(doc, "endif")
    chart(doc, "chart_ranking", "Biểu đồ. Tổng điểm Chỉ số CCHC của các cơ quan, đơn vị")
    heading(doc, "II. ĐIỂM TRUNG BÌNH THEO NHÓM")
    table(
        doc,
        ("Nhóm", "Số đơn vị", "Điểm trung bình", "Cao nhất", "Thấp nhất", "Đơn vị dẫn đầu"),
        ("r.group", "r.bodies", "r.average", "r.highest", "r.lowest", "r.best"),
        "groups",
        (3.2, 1.8, 2.2, 1.8, 1.8, 5.4),
        numeric_from=1,
        left=(5,),
    )
    _tag(doc, "if domain_lines")
    heading(doc, "III. KẾT QUẢ THEO LĨNH VỰC")
    lines(doc, "domain_lines")
    _tag(doc, "endif")
    _notes(doc)
    closing(doc)
    signature_block(doc)
    return doc


BUILDERS = {
    "self-assessment": self_assessment,
    "interim": interim_report,
    "remedy": remedy,
    "ranking": ranking,
}


_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription")


_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def _in_schema_order(doc: DocumentT, tag: str, order: tuple[str, ...]) -> None:
    """The children of every ``tag`` in the order of the OOXML schema, each once: Word refuses a
    document whose properties are out of order ("unreadable content")."""
    rank = {qn(f"w:{n}"): i for i, n in enumerate(order)}
    for props in doc.element.body.iter(qn(f"w:{tag}")):
        seen: dict[str, object] = {}
        for child in list(props):
            props.remove(child)
            seen[child.tag] = child  # the last one set wins
        for t in sorted(seen, key=lambda t: rank.get(t, len(rank))):
            props.append(seen[t])


def _tidy(doc: DocumentT) -> None:
    _in_schema_order(doc, "tblPr", _TBLPR_ORDER)
    _in_schema_order(doc, "pPr", _PPR_ORDER)
    for rpr in list(doc.element.body.iter(qn("w:rPr"))):  # left empty by run.bold = None
        if len(rpr) == 0 and not rpr.attrib:
            rpr.getparent().remove(rpr)
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:  # required by the schema
        zoom.set(qn("w:percent"), "100")


def template_bytes(kind: str) -> bytes:
    buf = io.BytesIO()
    doc = BUILDERS[kind]()
    _tidy(doc)
    doc.save(buf)
    return normalized_xlsx_bytes(buf.getvalue())


def main() -> None:
    for kind, name in FILES.items():
        atomic_write_bytes(TEMPLATES / name, template_bytes(kind))
        print(TEMPLATES / name)


if __name__ == "__main__":
    main()
