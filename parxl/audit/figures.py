"""Finding the figures a paragraph states: numbers, fractions ``a/b``, percentages, counts.

Numbers are read as Vietnamese writers type them (``93,23``, ``9.5``, ``22.583.451``,
``212.901,285``) with :func:`parxl.numbers.parse_vn_number`; each keeps the number of decimals
it was written with, so a rounded figure is compared at the precision it was stated.
Dates (``18/10/2022``), document numbers (``98/2023/QH15``, ``Số: 953``) and labels
(``Lĩnh vực 3``, ``Quận 1``) are not figures.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from parxl.numbers import parse_vn_number

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?"
_NUM_RE = re.compile(rf"(?<![\w.,/])(?:{NUM})(?![\w]|[.,]\d)")
_FRACTION = re.compile(
    rf"(?<![\w.,/])(?P<a>{NUM})(?P<pts1>\s*điểm)?\s*/\s*(?P<b>{NUM})(?![\w]|[.,]\d|\s*/\s*\d)"
)
_PERCENT_AFTER = re.compile(r"\s?%")

#: words before a number that make it a label, a date or a document number, not a figure
_LABEL_BEFORE = re.compile(
    r"(?:ngày|tháng|năm|quý|số|số:|khóa|khoá|lần thứ|thứ|kỳ họp|nghị định|nghị quyết|quyết định|"
    r"chỉ thị|thông báo|công văn|kế hoạch|thông tư|luật|top|hạng|thứ hạng|giai đoạn|mức độ|mức|iso|"
    r"tcvn|lĩnh vực|tiêu chí|chỉ số|mục|điều|khoản|quận|q\.|khu phố|ấp|"
    r"phiên thứ|đợt|gói thầu số|gói thầu|nhóm|bước|phụ lục|biểu|bảng|chương|trang)\s*$",
    re.I,
)
_DATE_AROUND = re.compile(r"\d\s*/\s*$")

UNITS = (
    "triệu đồng", "tỷ đồng", "nghìn đồng", "ngàn đồng", "đồng",
    "hồ sơ", "nhiệm vụ", "thủ tục hành chính", "thủ tục", "tthc", "trường hợp", "nội dung",
    "văn bản", "đơn vị", "chỉ tiêu", "tiêu chí", "trường", "lớp", "tin bài", "tin", "bài",
    "dự án", "điểm", "người", "cán bộ", "công chức", "viên chức", "mô hình", "sáng kiến",
    "phòng", "cơ quan", "pakn", "phản ánh", "kiến nghị", "hộ kinh doanh", "doanh nghiệp",
    "quyết định", "kế hoạch", "báo cáo", "cuộc", "lượt", "hội nghị", "tập thể", "cá nhân",
    "dịch vụ công", "dịch vụ", "xã", "phường", "quận", "huyện", "thư", "giải pháp",
)
_UNIT_CANON = {"thủ tục hành chính": "tthc", "thủ tục": "tthc", "ngàn đồng": "nghìn đồng",
               "tin": "tin bài", "bài": "tin bài", "phản ánh": "pakn", "kiến nghị": "pakn"}
_UNIT_AFTER = re.compile(r"\s*(" + "|".join(re.escape(u) for u in UNITS) + r")(?!\w)", re.I)
_UNIT_ANY = re.compile(r"(?<!\w)(" + "|".join(re.escape(u) for u in UNITS) + r")(?!\w)", re.I)


def canon_unit(text: str) -> str:
    t = text.lower()
    return _UNIT_CANON.get(t, t)


@dataclass(frozen=True)
class Num:
    """A number as written: value, text, position in the paragraph, decimals it was stated with."""

    value: Decimal
    text: str
    start: int
    end: int
    decimals: int
    percent: bool = False
    unit: str = ""  # unit written right after it ("hồ sơ", "điểm", "triệu đồng"), canonical

    def __str__(self) -> str:
        return self.text + ("%" if self.percent else "")


@dataclass(frozen=True)
class Fraction:
    """``a/b`` as written, e.g. ``57,96 điểm/ 70 điểm`` or ``33.410/36.085 triệu đồng``."""

    a: Num
    b: Num
    start: int
    end: int
    unit: str = ""  # unit after b (canonical); "điểm" for points
    points: bool = False  # a score achieved/max (or deducted/of) in points

    @property
    def text(self) -> str:
        return f"{self.a.text}/{self.b.text}"


def to_decimal(text: str, *, percent: bool = False, points: bool = False) -> Decimal | None:
    value = parse_vn_number(text + ("%" if percent else ""))
    if value is None:
        return None
    if percent:
        value *= 100.0
    if points and "," not in text and text.count(".") == 1:
        # "2.125 điểm": points are never in thousands, the dot is a decimal point
        return Decimal(text)
    return Decimal(repr(round(value, 9))).normalize() + Decimal(0)


def decimals_of(text: str, value: Decimal) -> int:
    """How many decimals a written number has: ``"6,77"`` -> 2, ``"22.583.451"`` -> 0."""
    digits = re.sub(r"\D", "", text)
    if not re.search(r"[.,]", text) or Decimal(digits) == value:
        return 0
    return len(re.split(r"[.,]", text)[-1])


def round_to(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def agrees(stated: Num, exact: Decimal) -> bool:
    """A stated figure agrees with an exact value if it is that value rounded as written."""
    return round_to(exact, stated.decimals) == round_to(stated.value, stated.decimals)


def fmt(value: Decimal | float, decimals: int | None = None) -> str:
    """Vietnamese writing of a number: ``Decimal("64.70")`` -> ``"64,7"``."""
    d = Decimal(repr(value)) if isinstance(value, float) else value
    if decimals is not None:
        d = round_to(d, decimals)
    sign = "-" if d < 0 else ""
    d = abs(d)
    text = f"{d:f}"
    head, _, tail = text.partition(".")
    if decimals is None:
        tail = tail.rstrip("0")
    head = f"{int(head):,}".replace(",", ".")
    return sign + head + ("," + tail if tail else "")


def shown(exact: Decimal, decimals: int) -> str:
    """An exact value shown beside a figure stated with ``decimals``: two decimals more, trailing
    zeros dropped, Vietnamese format (9,021406728 beside "9,20%" -> "9,0214"; 6,77 stays "6,77")."""
    return fmt(round_to(exact, decimals + 2))


def _is_label(text: str, start: int, end: int, *, fraction: bool = False) -> bool:
    before = text[max(0, start - 25):start]
    if _LABEL_BEFORE.search(before.rstrip()):
        # "năm 2023", "Quận 1", "Lĩnh vực 3" — but "số điểm ... là 02" is a figure
        return not re.search(r"(?:tổng số|số điểm|số lượng|số hồ sơ)\s*$", before.rstrip(), re.I)
    after = text[end:end + 3]
    if text[start - 1:start] == "(" and after.startswith(")") and end - start <= 2:
        return True  # "(1) Kế hoạch CCHC"
    if (not fraction and after.startswith(("/", " /"))) or re.match(r":\d", after):
        return True  # 98/2023/QH15, 9001:2015, "953 /UBND"
    if _DATE_AROUND.search(text[max(0, start - 3):start]):
        return True
    return bool(re.match(r"\s*[-–]\s*\d{4}", text[end:end + 8])) and len(text[start:end]) == 4


@dataclass
class Figures:
    """Every figure of one paragraph."""

    numbers: list[Num]
    fractions: list[Fraction]

    def counts(self) -> list[Num]:
        return [n for n in self.numbers if not n.percent]


def _unit_after(text: str, pos: int) -> str:
    m = _UNIT_AFTER.match(text, pos)
    return canon_unit(m.group(1)) if m else ""


def scan(text: str) -> Figures:
    """All figures of a paragraph's text, in order."""
    fractions: list[Fraction] = []
    taken: list[tuple[int, int]] = []
    for m in _FRACTION.finditer(text):
        a_text, b_text = m.group("a"), m.group("b")
        unit = _unit_after(text, m.end())
        at_end = not text[m.end():].strip(" .:;)*")
        in_parens = text[max(0, m.start() - 1):m.start()] == "(" and text[m.end():m.end() + 1] == ")"
        points = unit == "điểm" or bool(m.group("pts1"))
        a_val = to_decimal(a_text, points=points)
        b_val = to_decimal(b_text, points=points)
        if a_val is None or b_val is None or b_val == 0:
            continue
        if b_val.to_integral_value() == b_val and 1900 <= b_val <= 2100 and a_val <= 31:
            continue  # "tháng 12/2023"
        if _is_label(text, m.start(), m.start() + len(a_text), fraction=True) and not points:
            continue
        if not points and not unit and a_val <= b_val <= 100 and (at_end or in_parens):
            points = "." in a_text + b_text or "," in a_text + b_text or at_end
        a = Num(a_val, a_text, m.start(), m.start() + len(a_text), decimals_of(a_text, a_val),
                unit=unit)
        b_start = m.end() - len(b_text)
        b = Num(b_val, b_text, b_start, m.end(), decimals_of(b_text, b_val), unit=unit)
        fractions.append(Fraction(a, b, m.start(), m.end(), "điểm" if points else unit, points))
        taken.append((m.start(), m.end()))
    numbers: list[Num] = []
    for m in _NUM_RE.finditer(text):
        k = bisect.bisect_right(taken, (m.start(), len(text) + 1))
        if k and taken[k - 1][0] <= m.start() < taken[k - 1][1]:
            continue  # part of a fraction
        pct = _PERCENT_AFTER.match(text, m.end())
        is_pct = pct is not None
        unit = "" if is_pct else _unit_after(text, m.end())
        if not is_pct and _is_label(text, m.start(), m.end()):
            dated = re.search(r"(?:ngày|tháng|năm|quý)\s*$", text[max(0, m.start() - 8):m.start()], re.I)
            if not unit or dated or text[m.end():m.end() + 1] in "/:":
                continue  # "danh mục 657 TTHC" is a count, "Lĩnh vực 3" a label
        value = to_decimal(m.group(), percent=is_pct, points=unit == "điểm")
        if value is None:
            continue
        end = pct.end() if pct else m.end()
        numbers.append(Num(value, m.group(), m.start(), end, decimals_of(m.group(), value)
                           if not is_pct else _pct_decimals(m.group()), is_pct, unit))
    return Figures(numbers, fractions)


def _pct_decimals(text: str) -> int:
    return len(re.split(r"[.,]", text)[-1]) if re.search(r"[.,]", text) else 0


def unit_before(text: str, start: int, floor: int = 0) -> str:
    """The last unit noun in ``text[floor:start]`` ("nhiệm vụ trễ hạn 01" -> "nhiệm vụ")."""
    found = ""
    for m in _UNIT_ANY.finditer(text, floor, start):
        found = canon_unit(m.group(1))
    return found


_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[^\s\da-zàáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ])")


_ABBREV = re.compile(r"(?:^|[\s(])(?:TP|Tp|tp|Q|P|TT|TS|ThS|PGS|GS|Th\.S|v\.v|St|BS|KS|CN|Ô|Bà)\.$")


@functools.lru_cache(maxsize=256)
def _sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """(end of a sentence, start of the next) for each sentence break of ``text``."""
    out: list[tuple[int, int]] = []
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text[max(0, m.start() - 6):m.start()]):
            continue  # "TP. Hồ Chí Minh"
        out.append((m.start(), m.end()))
    return tuple(out)


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` that holds position ``pos``."""
    bounds = _sentence_bounds(text)
    k = bisect.bisect_right(bounds, (pos, len(text) + 1))  # breaks that end at or before pos
    start = bounds[k - 1][1] if k else 0
    end = bounds[k][0] if k < len(bounds) else len(text)
    return start, end


def sentence_at(text: str, pos: int) -> str:
    s, e = sentence_span(text, pos)
    return text[s:e].strip()
