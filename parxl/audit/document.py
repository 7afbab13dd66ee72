"""Reading a human-written report (.txt / .md / .docx) into paragraphs and an outline.

Reports mark their structure by hand: ``I.`` (roman), ``1.`` / ``2.1/`` (numbered), ``a)``,
``-`` and ``+`` bullets, Markdown ``#`` headings. Each paragraph gets an outline level from its
marker; plain paragraphs have none. A plain paragraph ends a bullet list (it is text after the
list) but belongs to the numbered section it is in. A "Ghi chú:" (or "Lưu ý:") line closes the
numbered sections above it and holds the bullets below it: they are notes, not items.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parxl.errors import InputError, Location, os_reason

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DOCX_SUFFIXES = (".docx", ".docm")
MAX_BYTES = 50 * 1024 * 1024

_SUP = re.compile(r"<sup>.*?</sup>", re.S)
_TAGS = re.compile(r"</?(?:sup|sub|br|span|u|b|i|em|strong)[^>]*>", re.I)
_SUPERSCRIPT_DIGITS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_ROMAN = re.compile(r"^([IVXL]{1,6})[.)/]\s+(?=\S)")
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)[./)]?\s+(?=\S)")
_NUMBERED = re.compile(r"^(\d{1,2})[.)/]\s+(?=\S)")
_LETTER = re.compile(r"^([a-zđ])\)\s+(?=\S)")
_PAREN_NUM = re.compile(r"^\((\d{1,2})\)\s+(?=\S)")
_DASH = re.compile(r"^[-–—•●▪]\s*(?=\S)")
_PLUS = re.compile(r"^\+\s*(?=\S)")

#: outline levels by marker kind (smaller = higher in the outline)
LEVEL_ROMAN, LEVEL_NUMBER, LEVEL_LETTER, LEVEL_PAREN, LEVEL_DASH, LEVEL_PLUS = 10, 20, 40, 45, 50, 60
BULLET_LEVEL = LEVEL_DASH
#: "Ghi chú:" on a line of its own: its bullets are notes, not items of the section above it
NOTES_LEVEL = BULLET_LEVEL - 1
_NOTES = re.compile(r"^(?:ghi\s+chú|chú\s+thích|lưu\s+ý|chú\s+ý)\s*:?$", re.I)


@dataclass
class Para:
    """One paragraph (or table row) of the report, cleaned of markup."""

    index: int  # 1-based position in the document
    text: str  # without the outline marker
    where: str  # "dòng 12" / "đoạn 5" / "Bảng 1, dòng 3" / "bảng thứ 2 trong văn bản, dòng 3"
    marker: str = ""  # "1.", "2.1/", "-", "+", "#", ...
    level: int | None = None  # outline level, None for plain text
    footnote: bool = False

    @property
    def full(self) -> str:
        return f"{self.marker} {self.text}".strip() if self.marker else self.text


@dataclass
class Section:
    """A heading paragraph with everything under it (plain paragraphs and subsections)."""

    para: Para | None  # None for the document root
    level: int
    content: list[Para | Section] = field(default_factory=list)

    @property
    def children(self) -> list[Section]:
        return [c for c in self.content if isinstance(c, Section)]

    @property
    def body(self) -> list[Para]:
        """Plain paragraphs directly under the heading (not in subsections)."""
        return [c for c in self.content if isinstance(c, Para)]

    def paras(self) -> Iterator[Para]:
        """The heading and every paragraph below it, in document order."""
        if self.para is not None:
            yield self.para
        for c in self.content:
            if isinstance(c, Section):
                yield from c.paras()
            else:
                yield c

    def sections(self) -> Iterator[Section]:
        """This section and all subsections, depth first."""
        yield self
        for c in self.children:
            yield from c.sections()


@dataclass
class Table:
    """A table of the report: cleaned cell texts by row, and where each row is."""

    index: int  # 1-based position among the document's tables (layout tables included)
    rows: list[list[str]]
    wheres: list[str]
    name: str = ""  # how a reader finds it: "Bảng 1" (its caption) or "bảng thứ 2 trong văn bản"


_CAPTION = re.compile(r"^(?:bảng|biểu)\s+(?:số\s+)?\d{1,3}(?:\.\d{1,3})*[a-z]?(?=[\s.:;,)–—-]|$)", re.I)


def table_names(captions: list[str]) -> list[str]:
    """Each table's name as the reader sees it: the label of the caption right above it ("Bảng 1"
    for "Bảng 1. Kết quả theo lĩnh vực"); a table without one (a letterhead laid out as a table),
    or whose label another table also has, by its position: "bảng thứ 2 trong văn bản"."""
    labels: list[str] = []
    for caption in captions:
        m = _CAPTION.match(caption)
        label = " ".join(m.group().split()) if m else ""
        labels.append(label[:1].upper() + label[1:].lower())
    return [label if label and labels.count(label) == 1 else f"bảng thứ {k} trong văn bản"
            for k, label in enumerate(labels, start=1)]


@dataclass
class Document:
    path: str
    paras: list[Para]
    tables: list[Table] = field(default_factory=list)

    @property
    def outline(self) -> Section:
        return build_outline(self.paras)


def clean(text: str) -> str:
    """Markup-free NFC text: no Markdown emphasis, HTML tags, footnote marks, odd spaces."""
    text = unicodedata.normalize("NFC", text)
    text = _SUP.sub("", text)
    text = _TAGS.sub("", text)
    text = text.translate(_SUPERSCRIPT_DIGITS)
    text = text.replace("\\", "").replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(r"\*+|(?<!\w)_+|_+(?!\w)", "", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def split_marker(text: str) -> tuple[str, int | None, str]:
    """``"2.1/ Cải cách"`` -> ``("2.1/", 30, "Cải cách")``; plain text -> ``("", None, text)``."""
    md = _MD_HEADING.match(text)
    md_level: int | None = None
    if md:
        md_level = len(md.group(1))
        text = text[md.end():].strip()
    for pattern, level in ((_ROMAN, LEVEL_ROMAN), (_LETTER, LEVEL_LETTER), (_PAREN_NUM, LEVEL_PAREN),
                           (_DASH, LEVEL_DASH), (_PLUS, LEVEL_PLUS)):
        m = pattern.match(text)
        if m:
            return text[: m.end()].strip(), level, text[m.end():].strip()
    m = _DOTTED.match(text)
    if m:
        depth = m.group(1).count(".")
        return text[: m.end()].strip(), LEVEL_NUMBER + 10 * depth, text[m.end():].strip()
    m = _NUMBERED.match(text)
    if m:
        return text[: m.end()].strip(), LEVEL_NUMBER, text[m.end():].strip()
    if md_level is not None:
        return "#" * md_level, md_level, text
    return "", None, text


def _ends_open(text: str) -> bool:
    return bool(text) and text[-1] not in ".:;!?…)\"”"


def paragraphs_from_lines(lines: list[tuple[str, str]]) -> list[Para]:
    """Paragraphs from (raw text, where) pairs; a line starting in lower case that continues an
    unfinished sentence (broken by a page break) is joined to it."""
    out: list[Para] = []
    for raw, where in lines:
        footnote = raw.lstrip().startswith(("<sup>", *"¹²³⁴⁵⁶⁷⁸⁹"))
        text = clean(raw)
        if not text:
            continue
        marker, level, body = split_marker(text)
        if level is None and body[:1].islower():
            target = next((p for p in reversed(out) if not p.footnote), None)
            if target is not None and _ends_open(target.text):
                target.text = f"{target.text} {body}"
                continue
        out.append(Para(len(out) + 1, body, where, marker, level, footnote))
    return out


def build_outline(paras: list[Para]) -> Section:
    root = Section(None, -1)
    stack = [root]
    for p in paras:
        if p.level is None and _NOTES.match(p.text):
            # notes close the numbered sections above them and hold the bullets below them, so a
            # note "- Lĩnh vực 1: ... 9,5/10 điểm" is not one more item of the last domain
            while len(stack) > 1 and stack[-1].level >= LEVEL_NUMBER:
                stack.pop()
            notes = Section(p, NOTES_LEVEL)
            stack[-1].content.append(notes)
            stack.append(notes)
            continue
        if p.level is None:
            while len(stack) > 1 and stack[-1].level >= BULLET_LEVEL:
                stack.pop()
            stack[-1].content.append(p)
            continue
        while len(stack) > 1 and stack[-1].level >= p.level:
            stack.pop()
        s = Section(p, p.level)
        stack[-1].content.append(s)
        stack.append(s)
    return root


def _decode(data: bytes, where: Location) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("tệp không phải văn bản (có ký tự nhị phân); hãy dùng .txt, .md hoặc .docx",
                         where)
    for enc in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise InputError("không đọc được mã ký tự của tệp (hãy lưu ở dạng UTF-8)", where) from None


_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read_text(text: str, path: str = "") -> Document:
    """A document from plain text (one paragraph per non-empty line; ``| a | b |`` lines are
    Markdown table rows)."""
    lines: list[tuple[str, str]] = []
    tables: list[Table] = []
    captions: list[str] = []
    current: Table | None = None
    above = ""  # the last non-empty line that is not a table row
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _PIPE_RULE.match(stripped):
                continue
            if current is None:
                current = Table(len(tables) + 1, [], [])
                tables.append(current)
                captions.append(above)
            cells = [clean(c) for c in stripped.strip("|").split("|")]
            current.rows.append(cells)
            current.wheres.append(f"dòng {n}")
            lines.append((" | ".join(c for c in cells if c) + ".", f"dòng {n}"))
            continue
        if stripped:
            current = None
            above = clean(stripped)
        lines.append((line, f"dòng {n}"))
    for table, name in zip(tables, table_names(captions), strict=True):
        table.name = name
    return Document(path, paragraphs_from_lines(lines), tables)


def _docx_lines(path: Path, where: Location) -> tuple[list[tuple[str, str]], list[Table]]:
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError("cần cài python-docx để đọc tệp .docx", where) from None
    try:
        d = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for corrupt packages
        raise InputError(f"không đọc được tệp Word .docx ({type(exc).__name__}); tệp hỏng hoặc sai định dạng",
                         where) from None
    lines: list[tuple[str, str]] = []
    tables: list[Table] = []
    captions: list[str] = []
    rows_at: list[tuple[int, Table, int]] = []  # (line index, table, row): located once tables are named
    n_par = n_tab = 0
    above = ""  # the last non-empty paragraph since the previous table
    formats = _numbering_formats(d)
    styles = _style_table(d)
    for el in _blocks(d.element.body):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            n_par += 1
            text = _text_of(el)
            if text.strip():
                above = clean(text)
            if not split_marker(clean(text))[0]:
                style_id = _style_id(el)
                name, style_num = styles.get(style_id, ("", None)) if style_id else ("", None)
                m = re.match(r"(?:Heading|Tiêu đề|heading)\s*(\d)", name)
                if m:
                    text = "#" * int(m.group(1)) + " " + text
                else:
                    info = _list_info(_num_pr(el) or style_num, formats)
                    if info is not None:
                        text = _synthetic_marker(*info) + " " + text
            lines.append((text, f"đoạn {n_par}"))
        elif tag == "tbl":
            n_tab += 1
            data = Table(n_tab, [], [])
            tables.append(data)
            captions.append(above)
            above = ""
            for r, row in enumerate(el.iter(f"{_W}tr"), start=1):
                texts = [" ".join(_text_of(q) for q in tc.iter(f"{_W}p")) for tc in row.findall(f"{_W}tc")]
                cells: list[str] = []
                for cell_text in texts:
                    t = " ".join(cell_text.split())
                    if t and (not cells or cells[-1] != t):
                        cells.append(t)
                data.rows.append([clean(c) for c in texts])
                if cells:
                    rows_at.append((len(lines), data, r))
                    lines.append((" | ".join(cells) + ".", ""))
    for data, name in zip(tables, table_names(captions), strict=True):
        data.name = name
        data.wheres = [f"{name}, dòng {r}" for r in range(1, len(data.rows) + 1)]
    for k, data, r in rows_at:
        lines[k] = (lines[k][0], data.wheres[r - 1])
    lines += _footnotes(d)
    return lines, tables


def _footnotes(d: Any) -> list[tuple[str, str]]:
    """Footnote texts (reports put totals there: "Điểm chỉ số CCHC năm 2023 ... là 93,23 điểm")."""
    from docx.oxml.parser import parse_xml  # python-docx's parser: no external entities

    out: list[tuple[str, str]] = []
    try:
        parts = list(d.part.package.iter_parts())
    except Exception:  # a package python-docx opened but cannot walk: no footnotes then
        return out
    for part in parts:
        if str(part.partname) != "/word/footnotes.xml":
            continue
        try:
            root = parse_xml(part.blob)
        except Exception:  # a corrupt footnotes part does not stop the audit of the body
            return out
        for note in root.iter(f"{_W}footnote"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            for k, p in enumerate(note.iter(f"{_W}p")):
                text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
                if text.strip():
                    out.append(("¹" + text if k == 0 else text, f"chú thích {note.get(f'{_W}id')}"))
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _numbering_formats(d: Any) -> dict[tuple[str, int], str]:
    """Word list formats by (numId, level): "decimal", "upperRoman", "lowerLetter", "bullet"..."""
    try:
        numbering = d.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[tuple[str, int], str] = {}
    for an in numbering.findall(f"{_W}abstractNum"):
        aid = an.get(f"{_W}abstractNumId")
        for lvl in an.findall(f"{_W}lvl"):
            fmt_el = lvl.find(f"{_W}numFmt")
            try:
                ilvl = int(lvl.get(f"{_W}ilvl") or 0)
            except ValueError:
                continue
            abstract[(str(aid), ilvl)] = (fmt_el.get(f"{_W}val") or "") if fmt_el is not None else ""
    out: dict[tuple[str, int], str] = {}
    for num in numbering.findall(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        aid = str(ref.get(f"{_W}val"))
        for (a, ilvl), fmt in abstract.items():
            if a == aid:
                out[(str(num.get(f"{_W}numId")), ilvl)] = fmt
    return out


def _blocks(body: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, including those inside content controls."""
    for el in body.iterchildren():
        if el.tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield el


def _text_of(p: Any) -> str:
    """The visible text of a ``w:p`` element (runs, hyperlinks, tabs, breaks; not deletions)."""
    parts: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append(node.text or "" if node.tag == f"{_W}t" else " ")
    return "".join(parts)


def _num_pr(el: Any) -> tuple[str, int] | None:
    """(numId, level) written on a paragraph or a style element, if any."""
    ppr = el.find(f"{_W}pPr")
    num = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num is None:
        return None
    nid = num.find(f"{_W}numId")
    lvl = num.find(f"{_W}ilvl")
    if nid is None:
        return None
    try:
        ilvl = int(lvl.get(f"{_W}val") or 0) if lvl is not None else 0
    except ValueError:
        ilvl = 0
    return str(nid.get(f"{_W}val")), ilvl


def _style_id(el: Any) -> str:
    ppr = el.find(f"{_W}pPr")
    ps = ppr.find(f"{_W}pStyle") if ppr is not None else None
    return str(ps.get(f"{_W}val") or "") if ps is not None else ""


def _style_table(d: Any) -> dict[str, tuple[str, tuple[str, int] | None]]:
    """Paragraph style id -> (name, list numbering inherited through "based on"), read once."""
    raw: dict[str, tuple[str, tuple[str, int] | None, str]] = {}
    try:
        root = d.styles.element
    except Exception:  # no styles part: plain paragraphs
        return {}
    for st_el in root.findall(f"{_W}style"):
        sid = str(st_el.get(f"{_W}styleId") or "")
        name_el = st_el.find(f"{_W}name")
        based = st_el.find(f"{_W}basedOn")
        raw[sid] = (str(name_el.get(f"{_W}val") or "") if name_el is not None else "", _num_pr(st_el),
                    str(based.get(f"{_W}val") or "") if based is not None else "")
    out: dict[str, tuple[str, tuple[str, int] | None]] = {}
    for sid, (name, num, based) in raw.items():
        seen = {sid}
        while num is None and based and based not in seen and based in raw:
            seen.add(based)
            num, based = raw[based][1], raw[based][2]
        out[sid] = (name, num)
    return out


def _list_info(num: tuple[str, int] | None, formats: dict[tuple[str, int], str]) -> tuple[str, int] | None:
    """(format, level) of a Word auto-numbered or bulleted paragraph (its marker is not in its
    text); None for ordinary paragraphs (no numbering, or numId 0 = numbering removed)."""
    if num is None or num[0] in ("0", "None"):
        return None
    return formats.get(num, "bullet"), num[1]


def _synthetic_marker(fmt: str, ilvl: int) -> str:
    """A typed marker standing for Word's automatic one, so the outline sees the same levels."""
    if fmt == "decimal" or fmt.startswith("decimal"):
        return "1." if ilvl == 0 else "1" + ".1" * ilvl + "."
    if fmt == "upperRoman":
        return "I."
    if fmt in ("lowerLetter", "upperLetter", "lowerRoman"):
        return "a)"
    return "-" if ilvl == 0 else "+"


def load_document(path: str | Path) -> Document:
    """Read a report; raises InputError with a Vietnamese message for anything unreadable."""
    p = Path(path)
    where = Location(file=str(p))
    if not p.exists():
        raise InputError("không tìm thấy tệp", where)
    if p.is_dir():
        raise InputError("đây là thư mục, không phải tệp báo cáo", where)
    suffix = p.suffix.lower()
    if suffix == ".doc":
        raise InputError("định dạng Word cũ (.doc) chưa được hỗ trợ; hãy lưu lại thành .docx", where)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise InputError("đây là bảng tính, không phải báo cáo; để đối chiếu với biểu mẫu hãy dùng "
                         "--against", where)
    if suffix == ".pdf":
        raise InputError("chưa đọc được PDF; hãy chuyển sang .docx hoặc .txt", where)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"không đọc được tệp ({os_reason(exc)})", where) from None
    if size > MAX_BYTES:
        raise InputError(f"tệp quá lớn ({size // (1024 * 1024)} MB) cho một báo cáo", where)
    if suffix in DOCX_SUFFIXES or (suffix not in TEXT_SUFFIXES and zipfile.is_zipfile(p)):
        if not zipfile.is_zipfile(p):
            raise InputError("không phải tệp Word .docx hợp lệ (tệp hỏng hoặc sai định dạng)", where)
        lines, tables = _docx_lines(p, where)
        doc = Document(str(p), paragraphs_from_lines(lines), tables)
    else:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputError(f"không đọc được tệp ({os_reason(exc)})", where) from None
        doc = read_text(_decode(data, where), str(p))
    if not doc.paras:
        raise InputError("tệp không có nội dung văn bản", where)
    return doc
