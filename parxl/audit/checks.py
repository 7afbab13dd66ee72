"""Arithmetic checks of the figures a report states.

Sums are exact (a total of stated parts is stated exactly). Percentages and shares agree with
an exact value when they equal it rounded to the decimals they were written with (``93%`` for
92,59%; ``22,16%`` for 22,157%; but ``0,16%`` is not 0,167%). The checks:

* ``sum``      — a stated total vs the sum of its listed parts: domain scores vs the overall
  score; a heading's deducted points or score vs its bullets; a domain's score vs its criteria;
  ``N hồ sơ, trong đó a ..., b ...`` (also ``gồm``, ``bao gồm``, ``657 TTHC: a, b``,
  ``12 nội dung ... (03 nội dung) ... (04 nội dung)``); counts per numbered subsection vs the
  count stated before them; a table's "Tổng cộng" row, also of a column of shares of the
  deducted points; the dossier flow (received = carried + new; a received total = resolved +
  pending; resolved = on time + late (+ early));
* ``percent``  — a percentage vs its part and base (``33.410/36.085 ..., đạt tỷ lệ 93%``,
  ``đúng hạn 15.739 hồ sơ chiếm tỷ lệ 89,4%``, ``đạt 36% Kế hoạch`` with ``Kế hoạch giao: B``,
  ``bị trừ p điểm (02 nội dung), chiếm tỷ lệ P% so với tổng số điểm bị trừ``, each row of a
  domain table's "Tỷ lệ so với tổng số điểm bị trừ" column);
* ``restated`` — the same quantity stated twice with two values (the total deducted points,
  the overall score, a domain's score), figures about another year excepted;
* ``losses``   — ``đạt a/b điểm`` vs the points listed as not achieved (``không đạt x điểm``),
  vs a stated ``số điểm chưa đạt``, and the imperfect criteria of a domain vs its maximum less
  its undetermined (survey) points less what it achieved.
* ``name``     — a domain named by one number and another domain's name (``Lĩnh vực 2 – Cải
  cách Thủ tục`` where the text also writes ``Lĩnh vực 3 – Cải cách thủ tục hành chính``).

Statistics of a set are not a total and its parts: an average (``trung bình``, ``bình quân``)
followed by the highest and the lowest (``cao nhất``, ``thấp nhất``), or a range's bounds
(``tối đa ..., tối thiểu ...``), are never compared as a sum (``is_statistics``).

Partial lists are common in reports ("trong đó 01 nhiệm vụ đã hoàn thành"), so a list whose
parts add up to less than its total is reported only when the list is provably complete (its
maxima add up to the total's maximum) or the gap is a slip (at most 2% of the total); parts
above their total are always reported. Every comparison made is recorded in ``Audit.checks``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from parxl.audit.document import Document, Para, Section, Table
from parxl.audit.figures import (
    NUM,
    Fraction,
    Num,
    agrees,
    decimals_of,
    fmt,
    round_to,
    scan,
    sentence_at,
    sentence_span,
    shown,
    to_decimal,
    unit_before,
)

MAX_SENTENCE_FIGURES = 300  # a "sentence" with more figures is a pasted table, not prose
SLIP = Decimal("0.02")
TABLE_SLIP = Decimal("0.10")  # numbered rows: a total row off by more is not a sum of them  # a shortfall of at most 2% of the total is a slip, not a partial list
TOTAL_MIN = Decimal(50)  # an overall score's maximum is at least this; a domain's is below


@dataclass(frozen=True)
class Quote:
    """A sentence of the report and where it is (``dòng 50`` / ``đoạn 12``)."""

    text: str
    where: str


@dataclass(frozen=True)
class Inconsistency:
    """One arithmetic inconsistency between figures of a report (or with a workbook)."""

    kind: str  # "sum" | "percent" | "restated" | "losses" | "name" | "workbook"
    message: str  # Vietnamese, with the numbers
    quotes: tuple[Quote, ...]
    stated: Decimal | None = None
    expected: Decimal | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "stated": None if self.stated is None else float(self.stated),
            "expected": None if self.expected is None else float(self.expected),
            "quotes": [{"text": q.text, "where": q.where} for q in self.quotes],
        }


KIND_LABELS = {
    "sum": "Tổng không khớp",
    "percent": "Tỷ lệ không khớp",
    "restated": "Một số liệu, hai giá trị",
    "losses": "Điểm không đạt không khớp",
    "workbook": "Khác bảng tính",
    "name": "Số và tên lĩnh vực không khớp",
}

DOMAIN_KEYS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("chỉ đạo",)),
    (2, ("thể chế",)),
    (3, ("thủ tục hành chính", "tthc", "cải cách thủ tục")),
    (4, ("tổ chức bộ máy",)),
    (5, ("chế độ công vụ", "đội ngũ")),
    (6, ("tài chính công",)),
    (7, ("chính quyền điện tử", "chính quyền số", "chuyển đổi số")),
    (8, ("tác động",)),
)

def domain_key(text: str) -> int | None:
    """Which of the 8 usual PAR domains a heading or a domain name names (by its key words)."""
    low = text.lower()
    hits = {n for n, keys in DOMAIN_KEYS if any(k in low for k in keys)}
    return hits.pop() if len(hits) == 1 else None


# A domain named by its number and its name: "Lĩnh vực 2 – Cải cách thể chế", "Lĩnh vực 3 (Cải
# cách thủ tục hành chính)", "Lĩnh vực 7: Xây dựng và phát triển chính quyền điện tử" (after a colon
# only a name that opens as domain names do, not "lĩnh vực 2: ban hành 05 văn bản ..."). The name
# ends at a clause mark or where the sentence goes on about the domain ("... bị trừ 1,5 điểm").
_DOMAIN_NAMED = re.compile(
    r"lĩnh\s+vực\s+(?P<n>\d{1,2})(?![\d.,/])\s*"
    r"(?:[-–—]\s*|\(\s*|:\s*(?=(?:cải\s+cách|công\s+tác|xây\s+dựng|tác\s+động)\b))"
    r"(?P<name>[^\W\d][^;:,.()\d]{2,100}?)(?=\s*(?:[;:,.()]|$)|\s+(?:bị|đạt|chiếm|được|với|có|là|đã|gồm)\s)",
    re.I,
)


@dataclass(frozen=True)
class DomainName:
    """A domain named by number and name in the text, and the usual domain its name names."""

    number: int
    name: str
    key: int | None  # domain_key(name): which of the 8 usual domains the name is, if clearly one
    para: Para
    start: int  # where "Lĩnh vực" is in the paragraph


_DEDUCTION = re.compile(
    rf"trừ\s+(?P<v>{NUM})\s*(?:(?:điểm\s*)?/\s*(?P<of>{NUM})\s*)?điểm", re.I
)
# "điểm trừ 1 điểm", "bị Điểm trừ": the penalty points (the framework's "Điểm trừ" criteria),
# not points deducted ("bị trừ", "điểm bị trừ", "tổng (số) điểm trừ" are deducted points)
_PENALTY_BEFORE = re.compile(r"(?<!\w)điểm\s*$", re.I)
_DEDUCTED_TOTAL_BEFORE = re.compile(r"(?:tổng|số)\s+điểm\s*$", re.I)


def is_penalty(text: str, start: int) -> bool:
    """Whether "trừ" at ``start`` is the penalty ("điểm trừ 1 điểm"), not a deduction."""
    before = text[max(0, start - 20):start]
    return bool(_PENALTY_BEFORE.search(before)) and not _DEDUCTED_TOTAL_BEFORE.search(before)


_TOTAL_DEDUCTED = re.compile(
    rf"tổng\s+(?:số\s+)?điểm\s+(?:bị\s+)?trừ\s*(?:là|:)?\s*(?P<v>{NUM})\s*điểm", re.I
)
# A short aside between deducted points and their share: a parenthesis with no percent or other
# deduction in it ("bị trừ 0,59 điểm (02 nội dung), chiếm tỷ lệ 9,02% ...", as parxl's own reports
# write it), or a count of the contents ("bị trừ 0,59 điểm ở 02 nội dung, chiếm ..."). Neither
# the aside nor the words after it cross a sentence or clause end.
_SHARE_ASIDE = (r"(?:\s*\((?![^()]*(?:%|trừ))[^().;]{1,60}\)"
                r"|\s*,?\s*(?:ở|tại|của|trong|thuộc|gồm|với)\s+\d{1,3}\s+"
                r"(?:nội\s+dung|tiêu\s+chí(?:\s+thành\s+phần)?|chỉ\s+số|mục))?")
_SHARE = re.compile(rf"{_SHARE_ASIDE}[^%\d.;]{{0,30}}?chiếm\s+(?:tỷ\s+lệ\s+)?(?P<p>{NUM})\s?%[^.;]{{0,40}}?tổng",
                    re.I)
_STATED_LOSS = re.compile(
    rf"(?:tổng\s+)?số\s+điểm\s+(?:chưa|không)\s+đạt\s*(?:được\s*)?(?:là|:)?\s*(?P<v>{NUM})", re.I
)
_LOSS = re.compile(
    rf"(?:không|chưa)\s+đạt\s+(?:được\s+)?(?P<v>{NUM})\s*điểm|(?P<w>{NUM})\s*điểm\s+(?:không|chưa)\s+đạt",
    re.I,
)
_FRACTION_PERCENT = re.compile(
    rf"[^%\d();]{{0,40}}?(?:đạt|chiếm|bằng)\s*(?:tỷ\s*lệ\s*)?(?:là\s*)?(?P<p>{NUM})\s?%", re.I
)
_PLAN_PERCENT = re.compile(
    rf"\s*(?:[^\W\d]+\s*){{0,3}}?,?\s*(?:đạt|bằng)\s+(?P<p>{NUM})\s?%\s*(?:so với\s+)?(?P<base>kế hoạch|dự toán|chỉ tiêu)", re.I
)
_PLAN_BASE = re.compile(
    rf"(?P<base>kế hoạch|dự toán|chỉ tiêu)\s+(?:được\s+)?giao\s*(?:là|:)?\s*(?P<b>{NUM})", re.I
)
_PART_PERCENT = re.compile(rf"[^%\d]{{0,40}}?chiếm\s+(?:tỷ\s*lệ\s*)?(?:là\s*|đến\s*|khoảng\s*)?(?P<p>{NUM})\s?%",
                           re.I)
_MARKERS = re.compile(r"trong\s+đó|bao\s+gồm|(?<!bao )gồm|cụ\s+thể|tổng\s+số|trong\s+số(?=\s+\d)", re.I)
_UPPER_AFTER_SEMI = re.compile(r";\s*[A-ZÀ-ỸĐ]")
# "gồm 0 trước hạn, 04 đúng hạn, 0 trễ hạn;": a comma list of counts, which the semicolon ends
_COUNT = r"\d+(?:[.,]\d+)*\s+[^\W\d][^,;\d]*"
_COMMA_LIST = re.compile(rf"\s*{_COUNT}(?:,\s*{_COUNT})+\s*")

_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("tổng số hồ sơ", "received"),
    ("nhận giải quyết", "received"),
    ("tiếp nhận", "received"),
    ("tồn kỳ trước", "carried"),
    ("kỳ trước chuyển", "carried"),
    ("chuyển qua", "carried"),
    ("chuyển sang", "carried"),
    ("tiếp nhận mới", "new"),
    ("nhận mới", "new"),
    ("mới tiếp nhận", "new"),
    ("đã giải quyết", "resolved"),
    ("giải quyết xong", "resolved"),
    ("đang giải quyết", "pending"),
    ("chưa giải quyết", "pending"),
    ("đang xử lý", "pending"),
    ("đúng hạn", "on_time"),
    ("đúng và trước hạn", "on_time"),
    ("trước và đúng hạn", "on_time"),
    ("đúng hạn và trước hạn", "on_time"),
    ("trước hạn và đúng hạn", "on_time"),
    ("đã và đang giải quyết", "received"),
    ("lũy kế", "received"),
    ("cần giải quyết", "received"),
    ("phải giải quyết", "received"),
    ("đúng hẹn", "on_time"),
    ("trước hạn", "early"),
    ("trước hẹn", "early"),
    ("chưa đến hạn", "not_due"),
    ("quá hạn", "late"),
    ("trễ hạn", "late"),
    ("trễ hẹn", "late"),
    ("quá hẹn", "late"),
)
_TOTAL_WORDS = re.compile(r"tổng|lũy kế|đã và đang|cần giải quyết|phải giải quyết", re.I)
_AFTER_ROLES = {"on_time", "early", "late", "pending", "new", "carried", "not_due"}
_ROLE_NAMES = {
    "received": "tiếp nhận", "carried": "tồn kỳ trước", "new": "tiếp nhận mới",
    "resolved": "đã giải quyết", "pending": "đang giải quyết", "on_time": "đúng hạn",
    "early": "trước hạn", "late": "quá hạn", "not_due": "chưa đến hạn",
}


@dataclass(frozen=True)
class Check:
    """One comparison the audit made, consistent or not (for ``--verbose`` and tests)."""

    kind: str
    what: str  # Vietnamese: what was compared
    where: str
    stated: Decimal
    expected: Decimal
    ok: bool


@dataclass
class Deduction:
    value: Num
    of: Num | None
    start: int
    end: int


@dataclass
class ParaFacts:
    para: Para
    numbers: list[Num]
    fractions: list[Fraction]
    deductions: list[Deduction] = field(default_factory=list)

    def counts(self) -> list[Num]:
        return [n for n in self.numbers if not n.percent]

    def scores(self) -> list[Fraction]:
        """Point fractions that are achieved/max (not "bị trừ a/b")."""
        return [f for f in self.fractions if f.points and not _is_deduction(self.para.text, f)]

    def totals(self) -> list[Fraction]:
        return [f for f in self.scores() if f.b.value >= TOTAL_MIN and f.a.value <= f.b.value]


_COMPARED = re.compile(r"(?:so\s+với|cùng\s+kỳ|năm\s+trước|năm\s+ngoái|kỳ\s+trước)[^.;]{0,40}$", re.I)
_YEAR = re.compile(r"(?<![\d.,/])(?:19|20)\d\d(?![\d.,/])")


def period_of(text: str, pos: int) -> str | None:
    """Which year a figure is about: "cmp" after "so với ..." (a comparison with another period),
    else the last year written before it in its sentence, else None (the report's own year)."""
    s0, _ = sentence_span(text, pos)
    before = text[s0:pos]
    if _COMPARED.search(before[-60:]):
        return "cmp"
    years = _YEAR.findall(before)
    return years[-1] if years else None


def same_period(a: str | None, b: str | None) -> bool:
    return a != "cmp" and b != "cmp" and (a is None or b is None or a == b)


# Statistics of a set of figures are not a total and its parts: "Điểm trung bình: 74,55 điểm;
# cao nhất: A (89,02 điểm); thấp nhất: B (49,82 điểm)". An average is never a sum of what follows
# it; the extremes of a set (the highest, the lowest) add up to nothing; and bounds of a range
# ("tối đa ..., tối thiểu ...") neither. A total and parts all labelled "tối đa" are maxima and do
# add up (a scale's maximum is the sum of its parts' maxima); a part labelled "trung bình" may be
# a rating among "tốt, khá, trung bình, yếu", which does add up.
_AVERAGE = re.compile(r"trung\s+bình|bình\s+quân|trung\s+vị", re.I)
_EXTREMES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("max", re.compile(r"cao\s+nhất|lớn\s+nhất|nhiều\s+nhất", re.I)),
    ("min", re.compile(r"thấp\s+nhất|nhỏ\s+nhất|ít\s+nhất", re.I)),
)
_BOUNDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("upper", re.compile(r"tối\s+đa", re.I)),
    ("lower", re.compile(r"tối\s+thiểu", re.I)),
)


def _labels(figures: list[tuple[Para, Num]]) -> list[str]:
    """Each figure's label: its sentence's text since the previous of these figures in the same
    paragraph ("cao nhất: Phường số 5 (" for 89,02 in "...; cao nhất: Phường số 5 (89,02 điểm)")."""
    out: list[str] = []
    for k, (p, n) in enumerate(figures):
        start = sentence_span(p.text, n.start)[0]
        for q, m in figures[:k] + figures[k + 1:]:
            if q is p and m.end <= n.start:
                start = max(start, m.end)
        out.append(p.text[start:n.start])
    return out


def is_statistics(total: tuple[Para, Num], parts: list[tuple[Para, Num]]) -> bool:
    """Whether a stated figure and the figures listed after it are statistics of a set (an
    average, the highest, the lowest, bounds of a range), not a total and its parts."""
    labels = _labels([total, *parts])
    if _AVERAGE.search(labels[0]):
        return True
    if any(rx.search(label) for label in labels for _, rx in _EXTREMES):
        return True
    kinds = {kind for label in labels for kind, rx in _BOUNDS if rx.search(label)}
    return len(kinds) >= 2


_LOST_BEFORE = re.compile(r"(?:trừ|(?:không|chưa)\s+đạt(?:\s+được)?)\s*(?:là\s*|:\s*)?$", re.I)


def _is_deduction(text: str, f: Fraction) -> bool:
    """``bị trừ a/b``, ``không đạt a/b``, ``chưa đạt a/b``: a points lost of b, not achieved."""
    before = text[max(0, f.start - 24):f.start]
    return "trừ" in before[-12:].lower() or _LOST_BEFORE.search(before) is not None


def _num(m: re.Match[str], group: str, *, points: bool = False, percent: bool = False) -> Num | None:
    text = m.group(group)
    if text is None:
        return None
    value = to_decimal(text, points=points, percent=percent)
    if value is None:
        return None
    dec = decimals_of(text, value) if not percent else (
        len(re.split(r"[.,]", text)[-1]) if re.search(r"[.,]", text) else 0)
    return Num(value, text, m.start(group), m.end(group), dec, percent, "điểm" if points else "")


_DONE_BEFORE = re.compile(r"đã\s+(?:triển\s+khai|thực\s+hiện|hoàn\s+thành|giải\s+quyết)[^,;.\d]{0,25}$",
                          re.I)
_OPEN = re.compile(rf"(?P<v>{NUM})\s*điểm\s+chưa\s+xác\s+định", re.I)
_ITEM_CODE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}")  # an item's code: 3.2.2 (a domain is 3 or 2.1/)
_SURVEY_WORDS = re.compile(r"xã\s+hội\s+học|\bxhh\b", re.I)
_CRITERION_START = re.compile(r"^(?:đối với\s+)?tiêu chí\b", re.I)
_ROW_NUMBER = re.compile(r"^(?:[IVXL]+|\d+(?:\.\d+)*)\.?$")
_NOT_ADDITIVE = re.compile(r"%|tỷ\s*lệ|bình\s*quân|trung\s*bình|trung\s*vị|cao\s*nhất|thấp\s*nhất|lớn\s*nhất|"
                           r"nhỏ\s*nhất|tối\s*thiểu|hạng|xếp\s*loại|năm|stt|chỉ\s*số|ghi\s*chú", re.I)
_TOTAL_ROW = re.compile(r"^(?:tổng|cộng)", re.I)


@dataclass(frozen=True)
class TotalRow:
    """A table's "Tổng"/"Cộng" row and the rows above it: ``body`` the rows with figures, ``top``
    those the total adds up (the top-level ones when rows are numbered 1, 2 / I, II with 1.1 ...)."""

    table: Table
    row: int
    body: list[int]
    top: list[int]
    numbered: bool
    first_body: int

    def head(self, c: int) -> str:
        """Column ``c``'s heading: its cells above the first row with figures, lower case."""
        rows = self.table.rows
        return " ".join(rows[r][c] for r in range(self.first_body) if c < len(rows[r])).lower()

    def header(self, c: int) -> str:
        """Column ``c``'s name for a message: its first-row cell, else "cột N"."""
        first = self.table.rows[0] if self.table.rows else []
        return first[c] if c < len(first) and first[c] else f"cột {c + 1}"

    def label(self, r: int) -> str:
        """Row ``r``'s name: its first cell that is not a number ("Cải cách thể chế")."""
        return next((c for c in self.table.rows[r] if c and cell_figure(c) is None
                     and not _ROW_NUMBER.match(c)), "")

    def quote(self, r: int) -> Quote:
        return Quote(" | ".join(x for x in self.table.rows[r] if x), self.table.wheres[r])


def total_rows(doc: Document) -> Iterator[TotalRow]:
    """Every total row of the document's tables, with the rows it adds up."""
    for table in doc.tables:
        rows = table.rows
        for t, row in enumerate(rows):
            label = next((c for c in row if c and to_decimal(c) is None), "")
            if not _TOTAL_ROW.match(label):
                continue
            body = [r for r in range(t) if any(to_decimal(c) is not None for c in rows[r][1:])]
            numbered = [r for r in body if rows[r] and _ROW_NUMBER.match(rows[r][0])]
            numbering = len(numbered) >= max(2, len(body) // 2)
            if numbering:
                romans = [r for r in numbered if re.match(r"^[IVXL]+\.?$", rows[r][0])]
                top = romans or [r for r in numbered if re.match(r"^\d+\.?$", rows[r][0])]
            else:
                top = body
            yield TotalRow(table, t, body, top, numbering, body[0] if body else t)


_SHARE_HEAD = re.compile(r"tỷ\s*lệ.*tổng.*trừ", re.I)  # "Tỷ lệ so với tổng (số) điểm bị trừ"
_DEDUCTED_HEAD = re.compile(r"bị\s+trừ|điểm\s+trừ", re.I)


@dataclass(frozen=True)
class ShareColumn:
    """A table column of shares of the total deducted points, beside the deducted points."""

    total: TotalRow
    deducted: int
    share: int


def share_columns(doc: Document) -> list[ShareColumn]:
    """The tables with a column of deducted points and one of their share of the total deducted
    (a report's domain table), with their total row."""
    out: list[ShareColumn] = []
    for tr in total_rows(doc):
        width = len(tr.table.rows[tr.row])
        share = next((c for c in range(width) if _SHARE_HEAD.search(tr.head(c))), None)
        deducted = next((c for c in range(width) if _DEDUCTED_HEAD.search(tr.head(c))
                         and not _NOT_ADDITIVE.search(tr.head(c))), None)
        if share is not None and deducted is not None:
            out.append(ShareColumn(tr, deducted, share))
    return out


_CELL = re.compile(rf"\s*(?P<v>{NUM})\s*(?P<pct>%?)\s*")


def cell_figure(cell: str) -> Num | None:
    """A table cell holding one figure as written: ``"9,02%"``, ``"0,59"``; else None."""
    m = _CELL.fullmatch(cell)
    if m is None:
        return None
    percent = bool(m.group("pct"))
    return _num(m, "v", points=not percent, percent=percent)


def _half_unit(decimals: int) -> Decimal:
    """Half a unit of the last decimal: the most a figure written with ``decimals`` was rounded."""
    return Decimal(5).scaleb(-decimals - 1)


def _capital(text: str) -> str:
    """``"bảng thứ 2 trong văn bản"`` -> ``"Bảng thứ 2 trong văn bản"`` (to open a message)."""
    return text[:1].upper() + text[1:]


class Audit:
    """Figures of a document and the checks over them."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.outline = doc.outline
        self.facts: dict[int, ParaFacts] = {}
        for p in doc.paras:
            f = scan(p.text)
            pf = ParaFacts(p, f.numbers, f.fractions)
            for m in _DEDUCTION.finditer(p.text):
                v = _num(m, "v", points=True)
                if v is not None and not is_penalty(p.text, m.start()):
                    pf.deductions.append(Deduction(v, _num(m, "of", points=True), m.start(), m.end()))
            self.facts[p.index] = pf
        self.found: list[Inconsistency] = []
        self.checks: list[Check] = []
        self._domain_scores: dict[int, tuple[Para, Fraction, Section]] | None = None
        self._token_cache: dict[int, list[tuple[Num, str]]] = {}

    # -- helpers -------------------------------------------------------------------------
    def quote(self, para: Para, pos: int) -> Quote:
        return Quote(sentence_at(para.text, pos), para.where)

    def note(self, kind: str, what: str, where: str, stated: Decimal, expected: Decimal, ok: bool) -> None:
        self.checks.append(Check(kind, what, where, stated, expected, ok))

    def add(self, kind: str, message: str, quotes: list[Quote], stated: Decimal | None = None,
            expected: Decimal | None = None) -> None:
        uniq: list[Quote] = []
        for q in quotes:
            if q not in uniq:
                uniq.append(q)
        key = (stated, expected, uniq[0] if uniq else None)
        for old in self.found:
            if (old.stated, old.expected, old.quotes[0] if old.quotes else None) == key:
                return
        self.found.append(Inconsistency(kind, message, tuple(uniq), stated, expected))

    def run(self) -> list[Inconsistency]:
        self.check_domain_sum()
        self.check_outline_sums()
        self.check_deducted_total()
        self.check_restated()
        self.check_losses()
        self.check_fraction_percents()
        self.check_plan_percents()
        self.check_dossier_flow()
        self.check_breakdowns()
        self.check_domain_parts()
        self.check_tables()
        self.check_table_shares()
        self.check_domain_names()
        self.check_outline_counts()
        return self.found

    # -- domains -------------------------------------------------------------------------
    def domain_of(self, section: Section) -> int | None:
        """The domain a section heading names; never an item's (``3.2.2.``, ``8.1.1``): an item
        "Hài lòng về tiếp cận dịch vụ và thủ tục hành chính" is not the domain of TTHC."""
        if section.para is None or _ITEM_CODE.match(section.para.marker):
            return None
        return domain_key(section.para.text.split(":", 1)[0][:140])

    def domain_sections(self) -> list[tuple[int, Section]]:
        """Sections about one domain. A heading among domain headings that names none of the usual
        domains ("Đánh giá của người dân, tổ chức") is a domain too, just not one we can name: its
        subsections are its items, not domains."""
        out: list[tuple[int, Section]] = []

        def walk(s: Section) -> None:
            kids = [(self.domain_of(c), c) for c in s.children]
            among_domains = any(d is not None for d, _ in kids)
            for d, c in kids:
                if d is not None:
                    out.append((d, c))
                elif not among_domains:
                    walk(c)

        walk(self.outline)
        return out

    def section_score(self, section: Section) -> tuple[Para, Fraction] | None:
        """A section's score: its first achieved/max fraction below an overall maximum, not in one
        of its items (``6.1.1. ...: đạt 0,93/1 điểm`` under ``Lĩnh vực 6: bị trừ 1,32 điểm``)."""
        for p in section.paras():
            if p is not section.para and _ITEM_CODE.match(p.marker):
                break  # the items come after whatever the section states about itself
            pf = self.facts[p.index]
            if pf.totals():
                continue
            for f in pf.scores():
                if f.b.value < TOTAL_MIN and f.a.value <= f.b.value:
                    return p, f
        return None

    def domain_scores(self) -> dict[int, tuple[Para, Fraction, Section]]:
        if self._domain_scores is not None:
            return self._domain_scores
        out: dict[int, tuple[Para, Fraction, Section]] = {}
        for d, s in self.domain_sections():
            if d in out:
                continue
            found = self.section_score(s)
            if found is not None:
                out[d] = (found[0], found[1], s)
        self._domain_scores = out
        return out

    def domain_names(self) -> list[DomainName]:
        """Every "Lĩnh vực N – tên" of the document, in order."""
        out: list[DomainName] = []
        for p in self.doc.paras:
            for m in _DOMAIN_NAMED.finditer(p.text):
                name = m.group("name").strip()
                out.append(DomainName(int(m.group("n")), name, domain_key(name), p, m.start()))
        return out

    def check_domain_names(self) -> None:
        """One domain called by two numbers, or one number given two domains' names: "Lĩnh vực 2 –
        Cải cách Thủ tục" where the document also writes "Lĩnh vực 3 – Cải cách thủ tục hành
        chính" (seed 000). Reported only when the document itself confirms the usual numbering of
        the domain in conflict (elsewhere it writes "Lĩnh vực 3 – <a name of domain 3>", or "Lĩnh
        vực 2 – <a name of domain 2>"); a name that names no domain clearly is never compared."""
        named = [m for m in self.domain_names() if m.key is not None]
        usual = [o for o in named if o.key == o.number]
        for m in named:
            other = None if m.key == m.number else next(
                (o for o in usual if o.key == m.key or o.number == m.number), None)
            self.note("name", f"số của lĩnh vực “{m.name}”", m.para.where, Decimal(m.number),
                      Decimal(m.key if other is not None and m.key else m.number), other is None)
            if other is None:
                continue
            self.add("name",
                     f"Văn bản gọi lĩnh vực {m.number} là “{m.name}”, nhưng tên này ứng với lĩnh vực {m.key}; "
                     f"ở chỗ khác văn bản ghi “Lĩnh vực {other.number} – {other.name}”",
                     [self.quote(m.para, m.start), self.quote(other.para, other.start)],
                     Decimal(m.number), Decimal(m.key or 0))

    def check_domain_sum(self) -> None:
        domains = self.domain_scores()
        if len(domains) < 3:
            return
        parts = [f for _, f, _ in domains.values()]
        total_a = sum((f.a.value for f in parts), Decimal(0))
        total_b = sum((f.b.value for f in parts), Decimal(0))
        for p in self.doc.paras:
            for t in self.facts[p.index].totals():
                ok = t.a.value == total_a
                complete = total_b == t.b.value
                if not ok and total_a < t.a.value and not complete:
                    continue
                self.note("sum", "tổng điểm = cộng điểm các lĩnh vực", p.where, t.a.value, total_a, ok)
                if ok:
                    continue
                terms = " + ".join(fmt(f.a.value) for f in parts)
                self.add("sum",
                         f"Tổng điểm nêu là {t.a.text}/{t.b.text} nhưng điểm các lĩnh vực cộng lại là "
                         f"{terms} = {fmt(total_a)}"
                         + (f" (trên tổng tối đa {fmt(total_b)})" if complete else ""),
                         [self.quote(p, t.start)] + [self.quote(dp, f.start) for dp, f, _ in domains.values()],
                         t.a.value, total_a)

    # -- outline: heading figure vs its bullets -------------------------------------------
    def check_outline_sums(self) -> None:
        for s in self.outline.sections():
            if s.para is None or len(s.children) < 2:
                continue
            head = self.facts[s.para.index]
            kids = [self.facts[c.para.index] for c in s.children if c.para is not None]
            if head.deductions:
                total = head.deductions[0].value
                parts = [k.deductions[0] for k in kids if k.deductions]
                if len(parts) >= 2:
                    self._compare_list(total, [d.value for d in parts], len(parts) == len(kids), s.para,
                                       head.deductions[0].start,
                                       [(k.para, k.deductions[0].start) for k in kids if k.deductions],
                                       "điểm bị trừ")
            scores = head.scores()
            if scores and not head.deductions:
                t = scores[0]
                kid_scores = [(k.para, k.scores()[0]) for k in kids if k.scores()]
                if len(kid_scores) >= 2:
                    complete = len(kid_scores) == len(kids) and sum(
                        (f.b.value for _, f in kid_scores), Decimal(0)) == t.b.value
                    self._compare_list(t.a, [f.a for _, f in kid_scores], complete, s.para, t.start,
                                       [(p, f.start) for p, f in kid_scores], "điểm đạt")

    def _compare_list(self, total: Num, parts: list[Num], complete: bool, para: Para, pos: int,
                      where: list[tuple[Para, int]], what: str) -> None:
        located = [(q, n) for (q, _), n in zip(where, parts, strict=True)] if where else [(para, n) for n in parts]
        if is_statistics((para, total), located):
            return  # "trung bình 74,55; cao nhất 89,02; thấp nhất 49,82" is not a total and its parts
        exact = sum((x.value for x in parts), Decimal(0))
        ok = total.value == exact
        if not ok and exact < total.value and not complete and (total.value - exact) > SLIP * total.value:
            return
        what = re.sub(r"\b(tthc|pakn)\b", lambda m: m.group().upper(), what)
        self.note("sum", f"tổng {what} = cộng các mục", para.where, total.value, exact, ok)
        if ok:
            return
        terms = " + ".join(fmt(x.value) for x in parts)
        self.add("sum", f"Tổng {what} nêu là {total.text} nhưng các mục liệt kê cộng lại là "
                        f"{terms} = {fmt(exact)}",
                 [self.quote(para, pos)] + [self.quote(p, i) for p, i in where], total.value, exact)

    # -- the total deducted points -----------------------------------------------------------
    def deducted_statements(self) -> tuple[list[tuple[Num, Para, int]], list[tuple[Num, Num, Para, int]]]:
        """Statements of the total deducted points: exact values, and shares of it
        (``bị trừ p điểm chiếm tỷ lệ P% so với tổng số điểm bị trừ``) as (p, P, para, pos)."""
        exact: list[tuple[Num, Para, int]] = []
        shares: list[tuple[Num, Num, Para, int]] = []
        for p in self.doc.paras:
            pf = self.facts[p.index]
            text = p.text
            for m in _TOTAL_DEDUCTED.finditer(text):
                v = _num(m, "v", points=True)
                if v is not None:
                    exact.append((v, p, m.start()))
            for d in pf.deductions:
                s0, s1 = sentence_span(text, d.start)
                sentence = text[s0:s1].lower()
                if d.of is not None and "tổng" in sentence:
                    exact.append((d.of, p, d.start))
                elif d.of is None and len(set(re.findall(r"lĩnh vực\s+(\d)", sentence))) >= 2:
                    exact.append((d.value, p, d.start))
                sm = _SHARE.match(text, d.end)
                gap = text[d.end:sm.start("p")] if sm else ""
                if gap.count(")") > gap.count("("):
                    continue  # "(Phòng A bị trừ 0,4 điểm), chiếm ...": the share is not the aside's
                if sm and "trừ" in text[sm.end():sm.end() + 30].lower():
                    pct = _num(sm, "p", percent=True)
                    if pct is not None:
                        shares.append((d.value, pct, p, d.start))
        return exact, shares

    def check_deducted_total(self) -> None:
        exact, shares = self.deducted_statements()
        # only statements about the same year: "năm 2022 bị trừ 8,5 điểm" is another quantity
        periods = [period_of(p.text, i) for _, p, i in exact]
        years = [y for y in periods if y not in (None, "cmp")]
        main = max(sorted(set(years)), key=years.count) if years else None
        exact = [e for e, y in zip(exact, periods, strict=True) if y is None or y == main]
        shares = [x for x in shares if period_of(x[2].text, x[3]) in (None, main)]
        if not exact:
            return

        def fits_share(total: Decimal, part: Num, pct: Num) -> bool:
            return total != 0 and agrees(pct, part.value / total * 100)

        candidates = {round_to(v.value, v.decimals) for v, _, _ in exact}
        support = {c: sum(1 for v, _, _ in exact if agrees(v, c))
                   + sum(1 for part, pct, _, _ in shares if fits_share(c, part, pct))
                   for c in candidates}
        best = max(sorted(candidates), key=lambda c: support[c])
        backers = [self.quote(p, i) for v, p, i in exact if agrees(v, best)]
        backers += [self.quote(p, i) for part, pct, p, i in shares if fits_share(best, part, pct)]
        for v, p, i in exact:
            self.note("restated", "tổng số điểm bị trừ", p.where, v.value, best, agrees(v, best))
            if not agrees(v, best):
                self.add("restated",
                         f"Tổng số điểm bị trừ được nêu là {v.text} nhưng ở chỗ khác là {fmt(best)} "
                         f"({support[best]} chỗ khớp với {fmt(best)})",
                         [self.quote(p, i), *backers[:2]], v.value, best)
        for part, pct, p, i in shares:
            self.note("percent", "tỷ lệ trên tổng số điểm bị trừ", p.where, pct.value,
                      round_to(part.value / best * 100, pct.decimals), fits_share(best, part, pct))
            if not fits_share(best, part, pct):
                exact_pct = part.value / best * 100
                self.add("percent",
                         f"{part.text} điểm trên tổng số điểm bị trừ {fmt(best)} là "
                         f"{shown(exact_pct, pct.decimals)}%, không phải {pct.text}%",
                         [self.quote(p, i), *backers[:1]], pct.value, round_to(exact_pct, pct.decimals))

    # -- the same score stated twice --------------------------------------------------------
    def check_restated(self) -> None:
        seen: dict[Decimal, tuple[Fraction, Para]] = {}
        for p in self.doc.paras:
            for t in self.facts[p.index].totals():
                if period_of(p.text, t.start) == "cmp":
                    continue
                first = seen.get(t.b.value)
                if first is None:
                    seen[t.b.value] = (t, p)
                    continue
                if not same_period(period_of(first[1].text, first[0].start), period_of(p.text, t.start)):
                    continue  # "năm 2022 đạt 85,5/100 ... năm 2023 đạt 88/100"
                ok = t.a.value == first[0].a.value
                self.note("restated", "tổng điểm nêu lại", p.where, t.a.value, first[0].a.value, ok)
                if not ok:
                    self.add("restated", f"Tổng điểm được nêu là {first[0].text} và {t.text}",
                             [self.quote(first[1], first[0].start), self.quote(p, t.start)],
                             t.a.value, first[0].a.value)
        for _, (dp, df, section) in self.domain_scores().items():
            for p in section.paras():
                for f in self.facts[p.index].scores():
                    if f is df or f.b.value != df.b.value:
                        continue
                    if not same_period(period_of(dp.text, df.start), period_of(p.text, f.start)):
                        continue
                    ok = f.a.value == df.a.value
                    self.note("restated", "điểm lĩnh vực nêu lại", p.where, f.a.value, df.a.value, ok)
                    if not ok:
                        self.add("restated", f"Điểm lĩnh vực được nêu là {df.text} và {f.text}",
                                 [self.quote(dp, df.start), self.quote(p, f.start)], f.a.value, df.a.value)

    # -- max - achieved vs the points listed as not achieved ----------------------------------
    def _losses(self, text: str, start: int, end: int) -> tuple[list[tuple[Num, int]], list[tuple[Num, int]]]:
        """(stated loss totals, listed losses) in ``text[start:end]``."""
        stated: list[tuple[Num, int]] = []
        masked: list[tuple[int, int]] = []
        for m in _STATED_LOSS.finditer(text, start, end):
            v = _num(m, "v", points=True)
            if v is not None:
                stated.append((v, m.start()))
                masked.append((m.start(), m.end()))
        listed: list[tuple[Num, int]] = []
        for m in _LOSS.finditer(text, start, end):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in masked):
                continue
            v = _num(m, "v" if m.group("v") else "w", points=True)
            if v is not None:
                listed.append((v, m.start()))
        return stated, listed

    def check_losses(self) -> None:
        domain_figs = {id(f) for _, f, _ in self.domain_scores().values()}
        # 1. a section's score vs everything listed as not achieved below it
        for _, (dp, df, section) in self.domain_scores().items():
            lost = df.b.value - df.a.value
            listed: list[tuple[Num, Para, int]] = []
            started = False
            for p in section.paras():
                start = 0
                if p is dp:
                    started, start = True, df.end
                if not started:
                    continue
                _, found = self._losses(p.text, start, len(p.text))
                listed += [(v, p, i) for v, i in found]
            total = sum((v.value for v, _, _ in listed), Decimal(0))
            if listed:
                self.note("losses", "điểm không đạt liệt kê ≤ tối đa − đạt", dp.where, total, lost,
                          total <= lost)
            if listed and total > lost:
                self._loss_flag(df, dp, lost, [(v, p, i) for v, p, i in listed], total)
        # 2. a score's own paragraph: "đạt a/b điểm ... (không đạt x điểm)"
        for p in self.doc.paras:
            pf = self.facts[p.index]
            scores = [f for f in pf.scores() if f.a.value <= f.b.value]
            for k, f in enumerate(scores):
                end = scores[k + 1].start if k + 1 < len(scores) else len(p.text)
                stated, found = self._losses(p.text, f.end, end)
                lost = f.b.value - f.a.value
                total = sum((v.value for v, _ in found), Decimal(0))
                if found and id(f) not in domain_figs:
                    self.note("losses", "điểm không đạt liệt kê ≤ tối đa − đạt", p.where, total, lost,
                              total <= lost)
                if found and total > lost and id(f) not in domain_figs:
                    self._loss_flag(f, p, lost, [(v, p, i) for v, i in found], total)
                # sub-scores listed after "a/b điểm." or "a/b điểm:" (criterion then its items)
                if k > 0:
                    continue
                subs = [g for g in scores[k + 1:] if g.b.value < f.b.value]
                opens_list = re.match(r"\s*(?:điểm)?\s*[.:]", p.text[f.end:f.end + 8]) is not None
                if subs and opens_list and f.b.value < TOTAL_MIN:
                    sub_lost = sum((g.b.value - g.a.value for g in subs), Decimal(0))
                    self.note("losses", "điểm mất ở các mục con ≤ tối đa − đạt", p.where, sub_lost, lost,
                              sub_lost <= lost)
                    if sub_lost > lost:
                        terms = " + ".join(f"({fmt(g.b.value)} − {fmt(g.a.value)})" for g in subs)
                        self.add("losses",
                                 f"Đạt {f.text} điểm tức là không đạt {fmt(lost)} điểm, nhưng các mục "
                                 f"con mất {terms} = {fmt(sub_lost)} điểm",
                                 [self.quote(p, f.start)], sub_lost, lost)
        # 3. "số điểm chưa đạt là L" vs the nearest score before it: in the same paragraph, or
        #    the section's heading / first paragraphs (before any subsection)
        for s in self.outline.sections():
            last: tuple[Fraction, Para] | None = None
            lead = True
            for item in s.content if s.para is None else [s.para, *s.content]:
                if isinstance(item, Section):
                    lead = False
                    continue
                if not lead or s.para is None:
                    last = None
                pf = self.facts[item.index]
                events: list[tuple[int, Fraction | Num]] = [(f.start, f) for f in pf.scores()
                                                            if f.a.value <= f.b.value]
                stated, _ = self._losses(item.text, 0, len(item.text))
                events += [(i, v) for v, i in stated]
                for pos, ev in sorted(events, key=lambda e: e[0]):
                    if isinstance(ev, Fraction):
                        last = (ev, item)
                    elif last is not None:
                        f, fp = last
                        lost = f.b.value - f.a.value
                        self.note("losses", "số điểm chưa đạt = tối đa − đạt", item.where, ev.value, lost,
                                  ev.value == lost)
                        if ev.value != lost:
                            self.add("losses",
                                     f"Đạt {f.text} điểm thì số điểm chưa đạt là {fmt(lost)}, "
                                     f"nhưng văn bản nêu {ev.text}",
                                     [self.quote(fp, f.start), self.quote(item, pos)], ev.value, lost)

    def _loss_flag(self, f: Fraction, p: Para, lost: Decimal, listed: list[tuple[Num, Para, int]],
                   total: Decimal) -> None:
        terms = " + ".join(fmt(v.value) for v, _, _ in listed)
        self.add("losses",
                 f"Đạt {f.text} điểm tức là không đạt {fmt(f.b.value)} − {fmt(f.a.value)} = {fmt(lost)} "
                 f"điểm, nhưng các nội dung không đạt liệt kê cộng lại là {terms} = {fmt(total)} điểm",
                 [self.quote(p, f.start)] + [self.quote(q, i) for _, q, i in listed], total, lost)

    # -- percentages ----------------------------------------------------------------------
    def check_fraction_percents(self) -> None:
        for p in self.doc.paras:
            for f in self.facts[p.index].fractions:
                m = _FRACTION_PERCENT.match(p.text, f.end)
                if m is None or f.b.value == 0:
                    continue
                pct = _num(m, "p", percent=True)
                if pct is None:
                    continue
                exact = f.a.value / f.b.value * 100
                self.note("percent", f"tỷ lệ {f.text}", p.where, pct.value, round_to(exact, pct.decimals),
                          agrees(pct, exact))
                if not agrees(pct, exact):
                    self.add("percent",
                             f"{f.text} = {shown(exact, pct.decimals)}%, làm tròn là "
                             f"{fmt(round_to(exact, pct.decimals))}%, không phải {pct.text}%",
                             [self.quote(p, f.start)], pct.value, round_to(exact, pct.decimals))

    def check_plan_percents(self) -> None:
        for p in self.doc.paras:
            text = p.text
            for n in self.facts[p.index].counts():
                m = _PLAN_PERCENT.match(text, n.end)
                if m is None or not n.unit:
                    continue
                s0, s1 = sentence_span(text, n.start)
                for b in _PLAN_BASE.finditer(text, s0, s1):
                    if b.group("base").lower() != m.group("base").lower():
                        continue
                    base = _num(b, "b")
                    pct = _num(m, "p", percent=True)
                    base_num = next((x for x in self.facts[p.index].counts() if x.start == b.start("b")), None)
                    if base is None or pct is None or base.value == 0 or base_num is None:
                        continue
                    if base_num.unit != n.unit:
                        continue
                    exact = n.value / base.value * 100
                    self.note("percent", "tỷ lệ so với kế hoạch/dự toán", p.where, pct.value,
                              round_to(exact, pct.decimals), agrees(pct, exact))
                    if not agrees(pct, exact):
                        self.add("percent",
                                 f"{n.text} / {base.text} = {shown(exact, pct.decimals)}%, không phải "
                                 f"{pct.text}%", [self.quote(p, n.start)], pct.value,
                                 round_to(exact, pct.decimals))

    # -- breakdowns: "N đơn vị, trong đó a ..., b ..." -----------------------------------------
    def _tokens(self, p: Para) -> list[tuple[Num, str]]:
        """Counts with their unit (written after, or named before them in the clause)."""
        pf = self.facts[p.index]
        items: list[Num] = [n for n in pf.counts()]
        items += [f.a for f in pf.fractions if not f.points and f.unit]
        items.sort(key=lambda n: n.start)
        out: list[tuple[Num, str]] = []
        prev_end = 0
        if p.index in self._token_cache:
            return self._token_cache[p.index]
        for n in items:
            unit = n.unit
            # "nhiệm vụ trễ hạn 01;" names its unit before the number; "9 tháng" does not
            if not unit and re.match(r"\s*(?:[,;.:)(]|$)", p.text[n.end:n.end + 3]) and not (
                    n.decimals == 0 and 1900 <= n.value <= 2100):
                s0, _ = sentence_span(p.text, n.start)
                unit = unit_before(p.text, n.start, max(prev_end, s0))
            out.append((n, unit))
            prev_end = n.end
        self._token_cache[p.index] = [(n, u) for n, u in out if u]
        return self._token_cache[p.index]

    @staticmethod
    def _regions(text: str) -> Callable[[int], tuple[int, int] | None]:
        """``pos`` -> the innermost parenthesis pair around it, if any (one sweep of the text)."""
        spans = Audit._parens(text)
        opens = {a: (a, b) for a, b in spans}
        closes = {b for _, b in spans}
        table: list[tuple[int, int] | None] = []
        stack: list[tuple[int, int]] = []
        for i in range(len(text) + 1):
            if i in closes and stack:
                stack.pop()
            table.append(stack[-1] if stack else None)
            if i in opens:
                stack.append(opens[i])

        def region(pos: int) -> tuple[int, int] | None:
            return table[pos] if 0 <= pos < len(table) else None

        return region

    @staticmethod
    def _parens(text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                spans.append((stack.pop(), i))
        return spans

    def check_breakdowns(self) -> None:
        for p in self.doc.paras:
            all_tokens = self._tokens(p)
            if len(all_tokens) < 3:
                continue
            region = self._regions(p.text)
            by_sentence: dict[tuple[int, int], list[tuple[Num, str]]] = {}
            for t in all_tokens:
                by_sentence.setdefault(sentence_span(p.text, t[0].start), []).append(t)
            for (s0, s1), tokens in by_sentence.items():
                if 3 <= len(tokens) <= MAX_SENTENCE_FIGURES:
                    self._breakdowns(p, s0, s1, tokens, region)
                    self._paren_groups(p, tokens, region)

    def _breakdowns(self, p: Para, s0: int, s1: int, tokens: list[tuple[Num, str]],
                    region: Callable[[int], tuple[int, int] | None]) -> None:
        """One sentence: "N ..., trong đó a ..., b ..." and the like."""
        text = p.text
        markers: list[tuple[int, int, bool]] = []  # (start, end, total comes after)
        for m in _MARKERS.finditer(text, s0, s1):
            word = m.group().lower()
            # "tổng số N ...", "Trong số N hồ sơ ...": the total comes after the marker
            markers.append((m.start(), m.end(), word.startswith(("tổng", "trong số"))))
        for n, _ in tokens:  # "657 TTHC: a, b, c"
            after = re.match(r"\s*(?:[^\W\d]+\s*){0,3}:", text[n.end:n.end + 30])
            if after:
                pos = n.end + after.end() - 1
                markers.append((pos, pos + 1, False))
        markers.sort()
        groups: dict[int, tuple[Num, str, int]] = {}  # total start -> (total, unit, from)
        for ms, me, forward in markers:
            reg = region(ms)
            if forward:
                cand = [t for t in tokens if me <= t[0].start < s1 and region(t[0].start) == reg]
                if not cand:
                    continue
                total, unit = cand[0]
                frm = total.end
            else:
                cand = [t for t in tokens if s0 <= t[0].start < ms and region(t[0].start) == reg]
                if not cand and reg is not None and not text[reg[0] + 1:ms].strip():
                    # "740/1.837 TTHC (trong đó 464 TTHC ..., 276 TTHC ...)"
                    outer = region(reg[0])
                    cand = [t for t in tokens if s0 <= t[0].start < reg[0] and region(t[0].start) == outer]
                if cand:
                    total, unit = cand[-1]
                    frm = me
                else:
                    # "đang giải quyết gồm 7.172 hồ sơ, có 5.950 ... và 1.222 ..."
                    nxt = [t for t in tokens if me <= t[0].start <= me + 3 and region(t[0].start) == reg]
                    if not nxt:
                        continue
                    total, unit = nxt[0]
                    frm = total.end
            old = groups.get(total.start)
            groups[total.start] = (total, unit, max(frm, old[2]) if old else frm)
        for total, unit, frm in groups.values():
            reg = region(total.start) if region(frm) == region(total.start) else region(frm)
            stop = s1
            semi = _UPPER_AFTER_SEMI.search(text, frm, s1)
            if semi:
                stop = semi.start()
            end = text.find(";", frm, stop)
            if end >= 0 and _COMMA_LIST.fullmatch(text, frm, end):
                stop = end
            later = [g for g in groups.values() if frm <= g[0].start < stop]
            if later:
                stop = min(g[0].start for g in later)
            parts = [(n, u) for n, u in tokens if frm <= n.start < stop and region(n.start) == reg
                     and n is not total]
            parts = [(n, u) for n, u in parts if u == unit]
            if len(parts) >= 2:
                self._compare_list(total, [n for n, _ in parts], False, p, total.start,
                                   [], unit)
                self._part_percents(p, total, [n for n, _ in parts], stop)

    def _paren_groups(self, p: Para, tokens: list[tuple[Num, str]],
                      reg: Callable[[int], tuple[int, int] | None]) -> None:
        outside = [(n, u) for n, u in tokens if reg(n.start) is None]
        for k, (total, unit) in enumerate(outside):
            nxt = next((n.start for n, u in outside[k + 1:] if u == unit), len(p.text))
            s1 = sentence_span(p.text, total.start)[1]
            parts = [n for n, u in tokens if total.end <= n.start < min(nxt, s1) and u == unit
                     and reg(n.start) is not None]
            if len(parts) >= 2 and len({reg(n.start) for n in parts}) == len(parts):
                self._compare_list(total, parts, False, p, total.start, [], unit)

    def _part_percents(self, p: Para, total: Num, parts: list[Num], stop: int) -> None:
        for k, n in enumerate(parts):
            end = parts[k + 1].start if k + 1 < len(parts) else stop
            m = _PART_PERCENT.match(p.text[:end], n.end)
            if m is None or total.value == 0:
                continue
            pct = _num(m, "p", percent=True)
            if pct is None:
                continue
            exact = n.value / total.value * 100
            self.note("percent", "tỷ lệ của một phần trên tổng", p.where, pct.value,
                      round_to(exact, pct.decimals), agrees(pct, exact))
            if not agrees(pct, exact):
                self.add("percent",
                         f"{n.text} / {total.text} = {shown(exact, pct.decimals)}%, làm tròn là "
                         f"{fmt(round_to(exact, pct.decimals))}%, không phải {pct.text}%",
                         [self.quote(p, n.start)], pct.value, round_to(exact, pct.decimals))

    # -- dossier flow ---------------------------------------------------------------------
    def _roles(self, p: Para) -> Iterator[tuple[str, Num, bool]]:
        """(role, count, stated as a total) for each count of dossiers in a paragraph."""
        text = p.text
        low = text.lower()
        prev = 0
        for n, unit in self._tokens(p):
            if unit != "hồ sơ":
                prev = n.end
                continue
            s0, _ = sentence_span(text, n.start)
            after_end = re.search(r"[,;.(\d]|$", text[n.end:])
            after = low[n.end:n.end + (after_end.start() if after_end else 0)]
            role = ""
            longest = 0
            for word, r in _ROLE_WORDS:
                if r in _AFTER_ROLES and word in after and len(word) > longest:
                    role, longest = r, len(word)
            before = low[max(prev, s0):n.start]
            if not role:
                best = (-1, 0)
                for word, r in _ROLE_WORDS:
                    i = before.rfind(word)
                    if i >= 0 and (i + len(word), len(word)) > best:
                        best, role = (i + len(word), len(word)), r
            prev = n.end
            if role:
                yield role, n, bool(_TOTAL_WORDS.search(before))

    def check_dossier_flow(self) -> None:
        """Received = carried over + new; received (a total) = resolved + pending; resolved =
        on time + late (+ early); shares of on-time / late dossiers. A paragraph may report several
        flows (per level); a role met again with another value starts the next flow."""
        for p in self.doc.paras:
            groups: list[tuple[dict[str, Num], bool]] = []
            cur: dict[str, Num] = {}
            total_received = False
            order: list[tuple[str, Num, int]] = []
            for role, n, is_total in self._roles(p):
                if role in cur and cur[role].value != n.value:
                    groups.append((cur, total_received))
                    cur, total_received = {}, False
                cur.setdefault(role, n)
                total_received |= role == "received" and is_total
                order.append((role, n, len(groups)))
            groups.append((cur, total_received))
            for one, total_ok in groups:
                self._flow_relations(p, one, total_ok)
            for k, (role, n, g) in enumerate(order):
                one = groups[g][0]
                if one.get(role) is not n:
                    continue
                end = order[k + 1][1].start if k + 1 < len(order) else len(p.text)
                self._flow_percent(p, role, n, one, end)

    def _flow_relations(self, p: Para, one: dict[str, Num], total_received: bool) -> None:
        rels = (("received", ("carried", "new")), ("received", ("resolved", "pending")),
                ("resolved", ("on_time", "late", "early")))
        for whole, parts in rels:
            have = [one[r] for r in parts if r in one]
            if whole not in one or len(have) < 2 or (whole == "resolved" and not {"on_time", "late"} <= one.keys()):
                continue
            if whole == "received" and len(have) < len(parts):
                continue
            if parts == ("resolved", "pending") and not (total_received or {"carried", "new"} <= one.keys()):
                continue  # "đã tiếp nhận" may count new dossiers only, while pending ones include older
            total = one[whole]
            exact = sum((x.value for x in have), Decimal(0))
            self.note("sum", f"hồ sơ {_ROLE_NAMES[whole]} = cộng các phần", p.where, total.value, exact,
                      total.value == exact)
            if total.value == exact:
                continue
            names = " + ".join(f"{_ROLE_NAMES[r]} {one[r].text}" for r in parts if r in one)
            self.add("sum",
                     f"Hồ sơ {_ROLE_NAMES[whole]} nêu là {total.text} nhưng {names} = {fmt(exact)}",
                     [self.quote(p, total.start)] + [self.quote(p, x.start) for x in have],
                     total.value, exact)

    def _flow_percent(self, p: Para, role: str, n: Num, one: dict[str, Num], end: int) -> None:
        base_of = {"on_time": "resolved", "late": "resolved", "early": "resolved",
                   "resolved": "received", "pending": "received"}
        base = one.get(base_of.get(role, ""))
        if base is None or base.value == 0:
            return
        m = re.search(rf"(?:chiếm|tỷ lệ)\s*(?:tỷ\s*lệ\s*)?(?:là\s*|đến\s*|khoảng\s*)?(?P<p>{NUM})\s?%",
                      p.text[n.end:end], re.I)
        if m is None:
            return
        pct_text = m.group("p")
        value = to_decimal(pct_text, percent=True)
        if value is None:
            return
        dec = len(re.split(r"[.,]", pct_text)[-1]) if re.search(r"[.,]", pct_text) else 0
        pct = Num(value, pct_text, n.end + m.start("p"), n.end + m.end(), dec, True)
        exact = n.value / base.value * 100
        self.note("percent", f"tỷ lệ hồ sơ {_ROLE_NAMES[role]}", p.where, pct.value,
                  round_to(exact, pct.decimals), agrees(pct, exact))
        if not agrees(pct, exact):
            self.add("percent",
                     f"Hồ sơ {_ROLE_NAMES[role]} {n.text} / {_ROLE_NAMES[base_of[role]]} {base.text} = "
                     f"{shown(exact, pct.decimals)}%, làm tròn là {fmt(round_to(exact, pct.decimals))}%, "
                     f"không phải {pct.text}%",
                     [self.quote(p, n.start)], pct.value, round_to(exact, pct.decimals))

    def check_domain_parts(self) -> None:
        """Within a domain section: its criteria's scores add up to the domain's, and the points
        lost on the criteria listed as imperfect are what the domain lost (its maximum less the
        points not yet determined, e.g. survey points, less what it achieved)."""
        for _, (dp, df, section) in self.domain_scores().items():
            criteria: list[tuple[Para, Fraction]] = []
            tops: list[tuple[Para, Fraction]] = []
            open_points: list[Num] = []
            for p in section.paras():
                for m in _OPEN.finditer(p.text):
                    v = _num(m, "v", points=True)
                    if v is not None:
                        open_points.append(v)
                scores = [f for f in self.facts[p.index].scores() if f is not df and f.a.value <= f.b.value]
                if not scores or self.facts[p.index].totals():
                    continue
                if _CRITERION_START.match(p.text):
                    criteria.append((p, scores[0]))
                opener = None
                for f in scores:
                    if opener is not None:
                        continue  # an item of the criterion that opened the list
                    tops.append((p, f))
                    if re.match(r"\s*(?:điểm)?\s*[.:]", p.text[f.end:f.end + 8]):
                        opener = f
            if len(criteria) >= 2:
                complete = sum((f.b.value for _, f in criteria), Decimal(0)) == df.b.value
                self._compare_list(df.a, [f.a for _, f in criteria], complete, dp, df.start,
                                   [(p, f.start) for p, f in criteria], "điểm các tiêu chí")
            opened = sum((v.value for v in open_points), Decimal(0))
            lost = df.b.value - df.a.value - opened
            if tops and opened:
                listed = sum((f.b.value - f.a.value for _, f in tops), Decimal(0))
                self.note("losses", "điểm mất ở các tiêu chí liệt kê ≤ tối đa − chưa xác định − đạt", dp.where,
                          listed, lost, listed <= lost)
                if listed > lost:
                    terms = " + ".join(f"({fmt(f.b.value)} − {fmt(f.a.value)})" for _, f in tops)
                    self.add("losses",
                             f"Đạt {df.text} điểm, chưa xác định {fmt(opened)} điểm, tức là mất "
                             f"{fmt(lost)} điểm, nhưng các tiêu chí liệt kê mất {terms} = {fmt(listed)} điểm",
                             [self.quote(dp, df.start)] + [self.quote(p, f.start) for p, f in tops], listed, lost)


    def check_tables(self) -> None:
        """A table's "Tổng"/"Cộng" row vs the sum of the rows above it (top-level rows when the
        rows are numbered 1, 2, ... / I, II, ... with sub-rows 1.1, 1.2)."""
        for tr in total_rows(self.doc):
            table, row = tr.table, tr.table.rows[tr.row]
            top = [tr.table.rows[r] for r in tr.top]
            for c in range(1 if tr.numbered else 0, len(row)):
                cell = row[c]
                if _NOT_ADDITIVE.search(tr.head(c)):
                    continue  # rates, averages, ranks, years do not add up
                if "%" in cell or any("%" in cells[c] for cells in top if c < len(cells)):
                    continue
                total = to_decimal(cell)
                parts = [to_decimal(cells[c]) for cells in top if c < len(cells) and cells[c]]
                values = [v for v in parts if v is not None]
                if total is None or len(values) < 2 or len(values) != len(parts):
                    continue
                exact = sum(values, Decimal(0))
                ok = exact == total
                # a far-off "total" is another kind of column (an average, a rate): only slips count
                if not ok and abs(exact - total) > (TABLE_SLIP if tr.numbered else SLIP) * abs(total):
                    continue
                where = table.wheres[tr.row]
                header = tr.header(c)
                self.note("sum", f"{table.name}: dòng tổng, {header}", where, total, exact, ok)
                if not ok:
                    terms = " + ".join(fmt(v) for v in values)
                    self.add("sum",
                             f"{_capital(table.name)}, {header}: dòng tổng ghi {cell} nhưng các dòng cộng lại là "
                             f"{terms} = {fmt(exact)}",
                             [tr.quote(tr.row)], total, exact)

    def check_table_shares(self) -> None:
        """A column of shares of the total deducted points ("Tỷ lệ so với tổng số điểm bị trừ")
        beside the deducted points, with a total row: each row's share is its deducted points over
        the total row's, and the rows' shares add up to the total row's (100%), both within the
        rounding of the figures shown (a deducted "0,59" may be 0,585 to 0,595)."""
        for col in share_columns(self.doc):
            tr, rows = col.total, col.total.table.rows
            name = tr.table.name
            total = cell_figure(rows[tr.row][col.deducted])
            total_share = cell_figure(rows[tr.row][col.share])
            pairs: dict[int, tuple[Num, Num]] = {}
            for r in tr.body:
                d, sh = cell_figure(rows[r][col.deducted]), cell_figure(rows[r][col.share])
                if d is not None and sh is not None and sh.percent and not d.percent:
                    pairs[r] = (d, sh)
            if total is None or total.percent or not pairs:
                continue
            half_d = _half_unit(max([d.decimals for d, _ in pairs.values()] + [total.decimals]))
            half_s = _half_unit(max(sh.decimals for _, sh in pairs.values()))
            if total.value <= half_d:
                continue
            for r, (d, sh) in pairs.items():
                exact = d.value / total.value * 100
                low = max(d.value - half_d, Decimal(0)) / (total.value + half_d) * 100
                high = (d.value + half_d) / (total.value - half_d) * 100
                ok = low < sh.value + half_s and sh.value - half_s <= high
                label = tr.label(r)
                self.note("percent", f"{name}, dòng {r + 1}: tỷ lệ điểm bị trừ trên tổng số điểm bị trừ",
                          tr.table.wheres[r], sh.value, round_to(exact, sh.decimals), ok)
                if not ok:
                    self.add("percent",
                             f"{_capital(name)}, dòng {r + 1}{f' ({label})' if label else ''}: bị trừ {d.text} "
                             f"trên tổng số điểm bị trừ {total.text} là {shown(exact, sh.decimals)}%, "
                             f"không phải {sh.text}%",
                             [tr.quote(r), tr.quote(tr.row)], sh.value, round_to(exact, sh.decimals))
            shares = [pairs[r][1] for r in tr.top if r in pairs]
            if total_share is None or not total_share.percent or len(shares) < 2 or len(shares) != len(tr.top):
                continue
            added = sum((sh.value for sh in shares), Decimal(0))
            # each rounded share may be off by half a unit of the column's last decimal
            slack = half_s * (sum(1 for sh in shares if sh.value != 0) + 1)
            ok = abs(added - total_share.value) <= slack
            header = tr.header(col.share)
            self.note("sum", f"{name}: dòng tổng, {header}", tr.table.wheres[tr.row], total_share.value, added, ok)
            if not ok:
                terms = " + ".join(f"{fmt(sh.value)}%" for sh in shares)
                self.add("sum",
                         f"{_capital(name)}, {header}: dòng tổng ghi {total_share.text}% nhưng các dòng cộng lại "
                         f"là {terms} = {fmt(added)}%",
                         [tr.quote(tr.row)], total_share.value, added)

    @staticmethod
    def _counted_kids(p: Para, total: Num, kids: list[Section]) -> list[Section]:
        """The subsections a lead count is about: "gồm 5,51 điểm ở 12 nội dung được đánh giá, chấm
        điểm và 1,26 điểm điều tra xã hội học" counts the assessed contents only, so the survey's
        subsection is not one of the 12."""
        s0, s1 = sentence_span(p.text, total.start)
        clause = re.match(r"[^,;]*?(?=\s+và\s|[,;]|$)", p.text[total.end:s1])
        rest = p.text[s0:total.start] + p.text[total.end + (clause.end() if clause else 0):s1]
        if _SURVEY_WORDS.search(p.text[total.end:total.end + (clause.end() if clause else 0)]) or \
                not _SURVEY_WORDS.search(rest):
            return kids
        return [k for k in kids if k.para is None or not _SURVEY_WORDS.search(k.para.text)]

    def check_outline_counts(self) -> None:
        """A section that states "57 nhiệm vụ, ... đã triển khai 50 nhiệm vụ, cụ thể:" and then one
        numbered subsection per part: the parts' first counts (and their "đã ..." counts) add up."""
        for s in self.outline.sections():
            kids = s.children
            if len(kids) < 2:
                continue
            lead = [s.para] if s.para is not None else []
            for item in s.content:
                if isinstance(item, Section):
                    break
                lead.append(item)
            for p in lead:
                if not re.search(r"cụ thể|như sau|gồm|trong đó", p.text, re.I):
                    continue
                tokens = [(n, u) for n, u in self._tokens(p) if u and u != "điểm"]
                for unit in dict.fromkeys(u for _, u in tokens):
                    mine = [n for n, u in tokens if u == unit]
                    total = mine[0]
                    done = next((n for n in mine[1:] if _DONE_BEFORE.search(p.text[max(0, n.start - 40):n.start])),
                                None)
                    firsts: list[tuple[Num, Para]] = []
                    dones: list[tuple[Num, Para]] = []
                    for k in self._counted_kids(p, total, kids):
                        first = done_k = None
                        for q in k.paras():
                            for n, u in self._tokens(q):
                                if u != unit:
                                    continue
                                if first is None:
                                    first = (n, q)
                                if done_k is None and _DONE_BEFORE.search(q.text[max(0, n.start - 40):n.start]):
                                    done_k = (n, q)
                        if first is not None:
                            firsts.append(first)
                        if done_k is not None:
                            dones.append(done_k)
                    if len(firsts) >= 2:
                        self._compare_list(total, [n for n, _ in firsts], False, p, total.start,
                                           [(q, n.start) for n, q in firsts], unit)
                    if done is not None and len(dones) >= 2:
                        self._compare_list(done, [n for n, _ in dones], False, p, done.start,
                                           [(q, n.start) for n, q in dones], f"{unit} đã thực hiện")
                break


def audit_document(doc: Document) -> list[Inconsistency]:
    """Every arithmetic inconsistency among the figures a report states."""
    return Audit(doc).run()
