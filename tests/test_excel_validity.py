"""Every workbook and report parxl writes opens in Excel / Word without a repair prompt.

Excel and Word do not run here, so this is the offline stand-in: each XML part of each generated
workbook and Word report is validated against the ECMA-376 schemas (tests/schemas; wrong element order, a
missing attribute or a bad enumeration is what makes Excel repair a file), and the package and
the rules Excel enforces beyond the schema are checked: content types and relationships,
sheet and defined names, data-validation and cell-text limits, style and shared-string indices.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from parxl.demo import COLLECTED, FILLED, ISSUED, RETURNED, SELF_ASSESSMENT_XLSX, TEMPLATE, run_demo
from parxl.framework import builtin
from parxl.framework.load import builtin_ids
from parxl.framework.table import export_table
from parxl.inputs import write_input_table
from parxl.office.collect import collect
from parxl.office.distribute import distribute
from parxl.province.demo import make_province
from parxl.province.pipeline import province
from parxl.report import make_report
from parxl.workbook.build import build_template
from parxl.workbook.fill import fill_values
from parxl.workbook.udf import UdfFormulas

SCHEMAS = Path(__file__).parent / "schemas"
WORKBOOKS = Path(__file__).parent.parent / "workbooks"
TEMPLATES = Path(__file__).parent.parent / "parxl" / "report" / "templates"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SCHEMA_OF = {  # root namespace -> schema file
    SML: "sml.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "opc-coreProperties.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
        "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": "dml-spreadsheetDrawing.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": "shared-bibliography.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": "shared-customXmlDataProperties.xsd",
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NOT_XML = (".bin", ".vml", ".png", ".jpeg", ".jpg", ".emf")  # VBA project, legacy shapes, pictures
# a name Excel would read as a cell reference (A1 up to XFD1048576, or R1C1 style)
_CELL_NAME = re.compile(r"^(?:[A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")
_NAME = re.compile(r"^[A-Za-z_\\\u00C0-\uFFFF][\w.\\\u00C0-\uFFFF]*$")


@functools.cache
def _schema(file: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / file)))


def _q(tag: str) -> str:
    return f"{{{SML}}}{tag}"


def problems(path: Path) -> list[str]:
    """What would make Excel repair ``path``, one line per problem naming the part."""
    out: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = {n for n in z.namelist() if not n.endswith("/")}
        parts = {n: z.read(n) for n in names}
    out += _package(parts)
    docs: dict[str, etree._Element] = {}
    for name, data in sorted(parts.items()):
        if name.lower().endswith(NOT_XML):
            continue
        doc = etree.fromstring(data)
        docs[name] = doc
        out += _valid(name, doc)
    out += _workbook_rules(docs)
    return out


def _package(parts: dict[str, bytes]) -> list[str]:
    out = []
    ct = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {e.get("Extension", "").lower() for e in ct if etree.QName(e).localname == "Default"}
    overrides = {e.get("PartName", "").lstrip("/") for e in ct if etree.QName(e).localname == "Override"}
    for name in sorted(parts):
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            out.append(f"{name}: không có kiểu nội dung trong [Content_Types].xml")
    out += [f"[Content_Types].xml: khai báo phần không có trong tệp: {o}" for o in sorted(overrides - set(parts))]
    for name in sorted(n for n in parts if n.endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/workbook.xml.rels -> xl
        for rel in etree.fromstring(parts[name]):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if resolved not in parts:
                out.append(f"{name}: quan hệ {rel.get('Id')} trỏ tới phần không có: {target}")
    return out


def _valid(name: str, doc: etree._Element) -> list[str]:
    ns = etree.QName(doc).namespace
    schema = SCHEMA_OF.get(ns or "")
    if schema is None:
        return [f"{name}: không có lược đồ cho không gian tên {ns}"]
    doc = _compatible(etree.fromstring(etree.tostring(doc)))
    if ns == SML:  # Excel writes <t xml:space="preserve">, which the 1st-edition schema omits
        for t in doc.iter(_q("t")):
            t.attrib.pop(XML_SPACE, None)
    s = _schema(schema)
    if s.validate(doc):
        return []
    return [f"{name} dòng {e.line}: {e.message}" for e in list(s.error_log)[:5]]


def _compatible(doc: etree._Element) -> etree._Element:
    """What an application reading markup compatibility sees: the namespaces a part declares
    ignorable (Word 2010+ extensions such as w14) dropped, alternate content replaced by its
    fallback."""
    ignorable: set[str | None] = set()
    for el in doc.iter():
        prefixes = el.attrib.pop(f"{{{MC}}}Ignorable", None)
        if prefixes:
            ignorable |= {el.nsmap.get(p) for p in prefixes.split()}
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        q, parent = etree.QName(el), el.getparent()
        if q.namespace == MC and q.localname == "AlternateContent":
            fallback, at = el.find(f"{{{MC}}}Fallback"), parent.index(el)
            parent.remove(el)
            for k, child in enumerate(fallback if fallback is not None else []):
                parent.insert(at + k, child)
        elif q.namespace in ignorable:
            parent.remove(el)
        else:
            for a in [a for a in el.attrib if etree.QName(a).namespace in ignorable]:
                del el.attrib[a]
    return doc


def _workbook_rules(docs: dict[str, etree._Element]) -> list[str]:
    out: list[str] = []
    if "xl/workbook.xml" not in docs:  # a Word document
        return out
    wb = docs["xl/workbook.xml"]
    sheets = [s.get("name", "") for s in wb.iter(_q("sheet"))]
    for n in sheets:
        if not 1 <= len(n) <= 31 or re.search(r"[\[\]:*?/\\]", n) or n.startswith("'") or n.endswith("'"):
            out.append(f"xl/workbook.xml: tên trang không hợp lệ trong Excel: {n!r}")
        if n.casefold() == "history":
            out.append(f"xl/workbook.xml: tên trang '{n}' Excel dành riêng")
    states = [s.get("state", "visible") for s in wb.iter(_q("sheet"))]
    for view in wb.iter(_q("workbookView")):  # Excel opens on the active tab: it must be visible
        tab = int(view.get("activeTab", "0"))
        if tab >= len(states) or states[tab] != "visible":
            out.append(f"xl/workbook.xml: trang đang chọn (activeTab={tab}) không hiển thị")
    if len({n.casefold() for n in sheets}) != len(sheets):
        out.append(f"xl/workbook.xml: tên trang trùng (không phân biệt hoa thường): {sheets}")
    seen: set[tuple[str, str]] = set()
    for d in wb.iter(_q("definedName")):
        name, scope = d.get("name", ""), d.get("localSheetId", "")
        builtin_name = name.startswith("_xlnm.")
        if not builtin_name and (not _NAME.match(name) or _CELL_NAME.match(name) or len(name) > 255):
            out.append(f"xl/workbook.xml: tên định nghĩa không hợp lệ: {name!r}")
        if name in ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase") and not scope:
            out.append(f"xl/workbook.xml: {name} phải gắn với một trang (localSheetId)")
        if scope and int(scope) >= len(sheets):
            out.append(f"xl/workbook.xml: {name}: localSheetId {scope} vượt số trang")
        if (name.casefold(), scope) in seen:
            out.append(f"xl/workbook.xml: tên định nghĩa trùng: {name!r}")
        seen.add((name.casefold(), scope))
    styles = docs.get("xl/styles.xml")
    n_xfs = n_dxfs = 0
    if styles is not None:
        for group in ("cellXfs", "dxfs", "fonts", "fills", "borders", "cellStyleXfs"):
            for g in styles.iter(_q(group)):
                if g.get("count") is not None and int(g.get("count", "0")) != len(g):
                    out.append(f"xl/styles.xml: {group} count={g.get('count')} nhưng có {len(g)} phần tử")
        n_xfs = sum(len(g) for g in styles.iter(_q("cellXfs")))
        n_dxfs = sum(len(g) for g in styles.iter(_q("dxfs")))
    sst = docs.get("xl/sharedStrings.xml")
    if sst is not None:
        unique = sst.get("uniqueCount")
        if unique is not None and int(unique) != len(sst):
            out.append(f"xl/sharedStrings.xml: uniqueCount={unique} nhưng có {len(sst)} chuỗi")
        out += [f"xl/sharedStrings.xml: chuỗi dài {len(t.text or '')} ký tự (tối đa 32.767)"
                for t in sst.iter(_q("t")) if len(t.text or "") > 32767]
    for name, doc in sorted(docs.items()):
        if etree.QName(doc).localname == "worksheet":
            out += _sheet_rules(name, doc, n_xfs, n_dxfs)
    return out


def _sheet_rules(name: str, ws: etree._Element, n_xfs: int, n_dxfs: int) -> list[str]:
    out = []
    for col in ws.iter(_q("col")):
        if float(col.get("width", "0")) > 255:
            out.append(f"{name}: cột {col.get('min')} rộng {col.get('width')} (tối đa 255)")
        if int(col.get("style", "0")) >= max(n_xfs, 1):
            out.append(f"{name}: cột {col.get('min')} dùng kiểu {col.get('style')} không có")
    for row in ws.iter(_q("row")):
        if float(row.get("ht", "0")) > 409:
            out.append(f"{name}: dòng {row.get('r')} cao {row.get('ht')} (tối đa 409)")
    for c in ws.iter(_q("c")):
        ref = c.get("r")
        if int(c.get("s", "0")) >= max(n_xfs, 1):
            out.append(f"{name} ô {ref}: kiểu {c.get('s')} không có (chỉ có {n_xfs})")
        for t in c.iter(_q("t")):
            if len(t.text or "") > 32767:
                out.append(f"{name} ô {ref}: văn bản dài {len(t.text or '')} ký tự (tối đa 32.767)")
        for f in c.iter(_q("f")):
            if len(f.text or "") > 8192:
                out.append(f"{name} ô {ref}: công thức dài {len(f.text or '')} ký tự (tối đa 8.192)")
    for dv in ws.iter(_q("dataValidation")):
        where = f"{name} kiểm tra dữ liệu {dv.get('sqref')}"
        for f in (*dv.iter(_q("formula1")), *dv.iter(_q("formula2"))):
            if len(f.text or "") > 255:
                out.append(f"{where}: công thức/danh sách dài {len(f.text or '')} ký tự (tối đa 255)")
        for attr, limit in (("promptTitle", 32), ("errorTitle", 32), ("prompt", 255), ("error", 255)):
            if len(dv.get(attr, "")) > limit:
                out.append(f"{where}: {attr} dài {len(dv.get(attr, ''))} ký tự (tối đa {limit})")
    for rule in ws.iter(_q("cfRule")):
        if rule.get("dxfId") is not None and int(rule.get("dxfId", "0")) >= n_dxfs:
            out.append(f"{name}: định dạng có điều kiện dùng dxfId {rule.get('dxfId')} không có")
    for hf in ws.iter(_q("headerFooter")):
        out += [f"{name}: đầu/chân trang dài {len(e.text or '')} ký tự (tối đa 255)" for e in hf
                if len(e.text or "") > 255]
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One of each kind of workbook parxl writes."""
    root = tmp_path_factory.mktemp("valid")
    d = root / "demo"
    run_demo("hcm-quan-2023", d)  # the framework with bonus and penalty items
    files = [d / TEMPLATE, d / FILLED, d / COLLECTED, d / SELF_ASSESSMENT_XLSX,
             *sorted((d / ISSUED).glob("*.xlsx")), *sorted((d / RETURNED).glob("*.xlsx"))]
    for fid in builtin_ids():
        files.append(build_template(builtin(fid), root / f"{fid}.xlsx"))
        files.append(build_template(builtin(fid), root / f"{fid}-udf.xlsx", formulas=UdfFormulas()))
    fw = builtin("hcm-quan-2023")
    files += distribute(fw, root / "xa", bodies=["Phường Bến Nghé", "Phường Đa Kao"], year="2024")
    export_table(fw, root / "bo-tieu-chi.xlsx")  # `parxl framework export`
    write_input_table(fw, root / "nhap-lieu.xlsx")  # `parxl inputs -o nhap-lieu.xlsx`
    files += [root / "bo-tieu-chi.xlsx", root / "nhap-lieu.xlsx"]
    other = root / "other.xlsx"
    fill_values(d / FILLED, {("_body", "name"): "Huyện Củ Chi"}, other)
    files += sorted(d.glob("*.docx"))  # self-assessment, interim, remedy
    for kind in ("remedy", "interim", "ranking"):
        books = [d / FILLED, other] if kind == "ranking" else [d / FILLED]
        make_report(kind, books, root / f"{kind}.docx", xlsx=root / f"{kind}.xlsx")
        files += [root / f"{kind}.xlsx", root / f"{kind}.docx"]
    p = root / "tinh"
    make_province(p, 12, seed=3)
    province(p / "tra-ve", root / "tinh-out", bodies=p / "don-vi.csv", appraisal=p / "tham-dinh.csv",
             workers=1)
    files += [root / "tinh-out" / "tong-hop-tinh.xlsx", root / "tinh-out" / "bao-cao-xep-hang.docx"]
    collect(p / "tra-ve", root / "nhieu-don-vi.xlsx", workers=1)  # the many-bodies results table
    files.append(root / "nhieu-don-vi.xlsx")
    files += sorted(WORKBOOKS.glob("*.xls[xm]")) + sorted(TEMPLATES.glob("*.docx"))
    return files


def test_every_generated_workbook_and_report_is_valid(generated: list[Path]) -> None:
    found = {str(p.name): problems(p) for p in generated}
    assert {k: v for k, v in found.items() if v} == {}
    assert sum(p.suffix == ".docx" for p in generated) >= 10 and len(generated) >= 30


def test_the_guard_catches_what_excel_repairs(generated: list[Path], tmp_path: Path) -> None:
    """The check can fail: a worksheet's elements out of order, an over-long validation list,
    a style index past the table and a part without a content type are each reported."""
    src = generated[0]
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet2.xml"
    text = parts[sheet].decode()
    views = re.search(r"<sheetViews>.*?</sheetViews>", text, re.S)
    assert views is not None
    broken = text.replace(views.group(0), "")
    broken = broken.replace("</sheetData>", "</sheetData>" + views.group(0), 1)  # views after the data
    broken = re.sub(r'<c r="A5" s="\d+"', '<c r="A5" s="99999"', broken, count=1)
    long_list = '"' + ",".join(f"Lựa chọn {i}" for i in range(40)) + '"'
    broken = re.sub(r"<formula1>[^<]*</formula1>", f"<formula1>{long_list}</formula1>", broken, count=1)
    parts[sheet] = broken.encode()
    parts["xl/extra.dat"] = b"<x/>"
    book = parts["xl/workbook.xml"].decode()
    hidden = [i for i, tag in enumerate(re.findall(r"<sheet [^>]*>", book)) if 'state="hidden"' in tag]
    parts["xl/workbook.xml"] = book.replace('activeTab="0"', f'activeTab="{hidden[0]}"').encode()
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    found = "\n".join(problems(bad))
    assert "sheet2.xml dòng" in found and "sheetViews" in found  # schema: element order
    assert "tối đa 255" in found  # validation list over 255 characters
    assert "ô A5: kiểu 99999 không có" in found
    assert "xl/extra.dat: không có kiểu nội dung" in found
    assert f"trang đang chọn (activeTab={hidden[0]}) không hiển thị" in found  # the hidden '_parxl'

    assert problems(src) == []


def test_the_guard_catches_what_word_repairs(generated: list[Path], tmp_path: Path) -> None:
    """Paragraph properties out of schema order (a border after the alignment) are reported;
    an ignorable Word 2010 extension is not."""
    src = next(p for p in generated if p.suffix == ".docx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    text = parts["word/document.xml"].decode()
    assert "mc:Ignorable" in text  # the extensions the check must tolerate are there
    border = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    parts["word/document.xml"] = re.sub(r"(<w:jc [^>]*/>)", r"\1" + border, text, count=1).encode()
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    found = "\n".join(problems(bad))
    assert "word/document.xml dòng" in found and "pBdr" in found
    assert problems(src) == []
