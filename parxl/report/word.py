"""Render a report context into a Word document with docxtpl (reproducible bytes)."""

from __future__ import annotations

import io
import re
import struct
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from parxl.errors import InputError, Location
from parxl.report.context import Report
from parxl.report.make_templates import FILES
from parxl.workbook.save import normalized_xlsx_bytes

CHART_WIDTH_MM = 150
CHART_MAX_HEIGHT_MM = 200  # of the 257 mm an A4 page prints (20 + 20 mm margins): room for the caption
_BODY_TAG = re.compile(r'<w:body(?:\s+xmlns(?::\w+)?="[^"]*")*\s*>')
_XMLNS = re.compile(r'xmlns(?::(\w+))?="([^"]*)"')
_CELL_TAGS = re.compile(r"{%-?\s*(?:tc|colspan)\b")  # docxtpl's cell loops and spans
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")  # a tab or break typed in a text run


class Template(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no type hints
    """docxtpl's template, skipping its pass that turns tabs and breaks typed in text (\\t \\a
    \\n \\f) into Word markup when the rendered part has none: that pass re-runs regular
    expressions over every paragraph and run, 30 % of rendering a 10,000-body ranking report."""

    def resolve_listing(self, xml: str) -> str:
        return str(super().resolve_listing(xml)) if _LISTING.search(xml) else xml

    def patch_xml(self, src_xml: str) -> str:
        self._cells_vary = _CELL_TAGS.search(src_xml) is not None
        return str(super().patch_xml(src_xml))

    def fix_tables(self, xml: str) -> Any:
        """docxtpl re-counts every table's cells to fix its grid after cell loops (``{%tc``) or
        spans (``{% colspan``); a template with neither keeps its grid, and only the parse is
        needed (the walk is 30 % of this step for a 10,000-row table)."""
        if getattr(self, "_cells_vary", True):
            return super().fix_tables(xml)
        # the rendered body is parsed in place, as part of the whole document: docxtpl would
        # parse it alone and then move it into the document (map_tree), which walks every node
        # again (1.2 s of a 10,000-row table)
        doc = self.docx._part._element
        whole = etree.tostring(doc, encoding="unicode")
        start, end = whole.find("<w:body"), whole.rfind("</w:body>")
        tag = _BODY_TAG.match(xml)
        # the body as serialized alone declares the document's namespaces again: dropped, as
        # moving it into the document drops them (same bytes either way)
        if start < 0 or end < 0 or tag is None or any(
                doc.nsmap.get(p or None) != uri for p, uri in _XMLNS.findall(tag.group(0))):
            return etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        root = etree.fromstring(whole[:start] + "<w:body>" + xml[tag.end():] + whole[end + len("</w:body>"):],
                                parser=etree.XMLParser(recover=True))
        return root.find(qn("w:body"))

    def map_tree(self, tree: Any) -> None:
        root = tree.getparent()
        if root is None:  # parsed alone: docxtpl moves it into the document
            super().map_tree(tree)
        else:  # the whole document, parsed above: the part is serialized from it when saved
            self.docx._part._element = root


def _image(tpl: Template, png: bytes) -> InlineImage:
    """A chart 150 mm wide, or less when it would be higher than CHART_MAX_HEIGHT_MM."""
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR
    if height * CHART_WIDTH_MM > CHART_MAX_HEIGHT_MM * width:
        return InlineImage(tpl, io.BytesIO(png), height=Mm(CHART_MAX_HEIGHT_MM))
    return InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))


def default_template(kind: str) -> Path:
    """The shipped template of a document kind (copy it, restyle it in Word, pass --template)."""
    res = resources.files("parxl.report") / "templates" / FILES[kind]
    return Path(str(res))


# what the report states that a template made from an older parxl may not show: kept silent, a
# deduction would drop out of the document
STATED = {"offices": "danh sách giao các cơ quan, đơn vị khắc phục",
          "outside_lines": "điểm bị trừ không giao đơn vị (điều tra xã hội học, cấp trên đánh giá)",
          "notes": "ghi chú (tiêu chí không áp dụng, cơ sở tính chỉ số)"}


def _unused(report: Report, tpl: Template, ctx: dict[str, object], path: Path) -> None:
    """A warning for each part of the report a user's own template does not show."""
    used = tpl.get_undeclared_template_variables()
    for key, what in STATED.items():
        if ctx.get(key) and key not in used:
            report.warnings.append(f"Mẫu văn bản '{path.name}' không có phần '{key}' ({what}) nên văn bản thiếu phần "
                                   "này; lấy lại mẫu mới của parxl rồi sửa lại theo mẫu của cơ quan.")


def render_docx(report: Report, template: str | Path | None = None) -> bytes:
    """The document as .docx bytes: same report, same bytes (fixed zip and core.xml times)."""
    path = Path(template) if template else default_template(report.kind)
    where = Location(file=str(path))
    if not path.is_file():
        raise InputError("không tìm thấy mẫu văn bản .docx", where)
    try:
        tpl = Template(str(path))
        tpl.get_undeclared_template_variables  # noqa: B018 - touch the package early
    except Exception as exc:  # python-docx raises several types for a corrupt package
        raise InputError(f"mẫu văn bản không phải tệp .docx hợp lệ ({type(exc).__name__})", where) from None
    ctx = dict(report.context)
    if template:
        _unused(report, tpl, ctx, path)
    for key, png in report.charts.items():
        ctx[key] = _image(tpl, png) if png else ""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl.render(ctx, jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as exc:
        raise InputError(f"mẫu văn bản dùng biến không có trong báo cáo: {exc.message}", where) from None
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"mẫu văn bản có thẻ sai cú pháp (dòng {exc.lineno}): {exc.message}", where) from None
    buf = io.BytesIO()
    tpl.save(buf)
    return normalized_xlsx_bytes(buf.getvalue())
