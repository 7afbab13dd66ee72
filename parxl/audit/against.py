"""Comparing a report's stated figures with a scored parxl workbook (``--against``).

The workbook is read with :func:`parxl.workbook.read.read_return` and scored with
:func:`parxl.score.score_values` (never its cached formula values). Compared, when the report
states them: the overall score (``93,23 điểm``, ``57,96 điểm/ 70 điểm`` against the matching
maximum: total, base, self-assessed or survey), each domain's ``a/b`` score and deducted points
and share of the total deducted (matched by the domain's name), the total deducted points, and
the survey score; in a domain table with a share column, each domain row's deducted points and
share, and the total deducted points; and each "Lĩnh vực N – tên" against the framework's names.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from parxl.audit.checks import (
    Audit,
    Check,
    Inconsistency,
    Quote,
    _num,
    cell_figure,
    domain_key,
    is_penalty,
    share_columns,
)
from parxl.audit.document import Document, Para
from parxl.audit.figures import NUM, Num, agrees, fmt, round_to, sentence_at, shown, to_decimal
from parxl.framework.model import Domain

_INDEX_SCORE = re.compile(
    rf"(?:điểm\s+chỉ\s+số|chỉ\s+số\s+(?:cải\s+cách\s+hành\s+chính|cchc)|tổng\s+(?:số\s+)?điểm)"
    rf"(?:(?!tối\s+đa|thang\s+điểm|tối\s+thiểu)[^.;:%]){{0,80}}?(?:là|đạt)\s+(?P<v>{NUM})\s*điểm(?!\s*/)",
    re.I,
)
_FULL_MARKS = re.compile(r"đạt\s+(?:điểm\s+)?tối\s+đa\s+(?:ở|tại|của)\s+", re.I)
_BONUS = re.compile(r"điểm\s+th(?:ưởng|ường|uong)", re.I)  # "Điểm thường" is a common slip
_BONUS_CAP = re.compile(
    rf"tối\s+đa\s+(?:chỉ\s+)?(?:được\s+)?(?:nhận\s+|tính\s+|cộng\s+)?(?P<v>{NUM})\s*điểm\s+th(?:ưởng|ường)", re.I)
_PENALTY = re.compile(rf"(?<!\w)điểm\s+(?P<t>trừ)\s*(?:là\s*|:\s*)?(?P<v>{NUM})\s*điểm", re.I)
_SURVEY = re.compile(r"xã hội học|xhh|sự hài lòng|sipas|par index", re.I)


def _dec(x: float) -> Decimal:
    return Decimal(repr(round(x, 9))).normalize() + Decimal(0)


class _Compare:
    def __init__(self, doc: Document, workbook: str | Path) -> None:
        from parxl.score import score_values
        from parxl.workbook.read import read_return

        self.audit = Audit(doc)
        self.name = Path(workbook).name
        ret = read_return(workbook)
        self.fw = ret.framework
        self.scores = score_values(self.fw, ret.values)
        self.found: list[Inconsistency] = []
        self.checks: list[Check] = []

    def compare(self, what: str, stated: Num, value: float, para: Para, pos: int,
                extra: list[Quote] | None = None) -> None:
        self.compare_quoted(what, stated, value, [Quote(sentence_at(para.text, pos), para.where), *(extra or [])])

    def compare_quoted(self, what: str, stated: Num, value: float, quotes: list[Quote]) -> None:
        """A stated figure vs the workbook's value; ``quotes[0]`` is where it is stated."""
        exact = _dec(value)
        ok = agrees(stated, exact)
        self.checks.append(Check("workbook", what, quotes[0].where, stated.value, round_to(exact, stated.decimals), ok))
        if ok:
            return
        pct = "%" if stated.percent else ""
        rounded = round_to(exact, stated.decimals)
        near = shown(exact, stated.decimals)
        self.report(Inconsistency("workbook",
                                  f"Văn bản nêu {what} là {stated.text}{pct} nhưng bảng tính {self.name} cho "
                                  f"{near}{pct}" + (f" (làm tròn là {fmt(rounded)}{pct})" if near != fmt(rounded) else ""),
                                  tuple(quotes), stated.value, rounded))

    def report(self, x: Inconsistency) -> None:
        if all((o.stated, o.expected, o.quotes[0]) != (x.stated, x.expected, x.quotes[0]) for o in self.found):
            self.found.append(x)

    def run(self) -> tuple[list[Inconsistency], list[Check]]:
        s, fw = self.scores, self.fw
        a = self.audit
        by_key: dict[int, Domain] = {}
        for d in fw.domains:
            k = domain_key(d.name)
            if k is not None and k not in by_key:
                by_key[k] = d
        # overall score as a/b: matched by its maximum; with items not applicable, the total is
        # stated over the applicable maximum + the bonus cap, which may equal another maximum
        # (5 points exempt: "88,23/95" is the total, not the base points): the nearest one
        maxima = [("tự đánh giá", s.by_scorer["self"].max, s.by_scorer["self"].achieved),
                  ("điểm cơ bản", fw.base_max, s.base.achieved),
                  ("tổng điểm", fw.total, s.total),
                  ("tổng điểm", s.base.applicable + fw.bonus_cap, s.total)]
        for p in a.doc.paras:
            for t in a.facts[p.index].totals():
                fits = [(label, got) for label, mx, got in maxima if mx and agrees(t.b, _dec(mx))]
                if fits:
                    label, got = min(fits, key=lambda f: abs(_dec(f[1]) - t.a.value))
                    self.compare(f"{label} ({t.text})", t.a, got, p, t.start)
            for m in _INDEX_SCORE.finditer(p.text):
                v = to_decimal(m.group("v"), points=True)
                if v is None or v < 40:
                    continue
                n = Num(v, m.group("v"), m.start("v"), m.end("v"),
                        len(re.split(r"[.,]", m.group("v"))[-1]) if re.search(r"[.,]", m.group("v")) else 0)
                self.compare("tổng điểm chỉ số", n, s.total, p, m.start("v"))
            # survey score "8,74 điểm/10 điểm" in a sentence about the sociological survey
            survey = s.by_scorer["survey"]
            for f in a.facts[p.index].scores():
                if survey.max and agrees(f.b, _dec(survey.max)) and _SURVEY.search(sentence_at(p.text, f.start)):
                    self.compare("điểm điều tra xã hội học", f.a, survey.achieved, p, f.start)
        # domains: a/b score, deducted points and share
        for k, (dp, f, _section) in a.domain_scores().items():
            dom = by_key.get(k)
            if dom is None:
                continue
            g = s.domains[dom.code]
            if agrees(f.b, _dec(g.max)) or agrees(f.b, _dec(g.applicable)):
                self.compare(f"điểm lĩnh vực {dom.code} ({dom.name})", f.a, g.achieved, dp, f.start)
                continue
            # the self-assessed part of a domain whose maximum also holds survey / province points
            own = [i for i in dom.items if i.scorer == "self"]
            own_max = sum(i.max for i in own)
            if own and len(own) < len(dom.items) and agrees(f.b, _dec(own_max)):
                self.compare(f"điểm tự đánh giá của lĩnh vực {dom.code} ({dom.name})", f.a,
                             sum(s.items[i.code].achieved for i in own), dp, f.start)
        for k, section in a.domain_sections():
            sd = by_key.get(k)
            if sd is None or section.para is None:
                continue
            pf = a.facts[section.para.index]
            if not pf.deductions:
                continue
            g = s.domains[sd.code]
            ded = pf.deductions[0]
            self.compare(f"số điểm bị trừ của lĩnh vực {sd.code} ({sd.name})", ded.value, g.deducted,
                         section.para, ded.start)
            share = [n for n in pf.numbers if n.percent and n.start > ded.start]
            if share and "tổng" in section.para.text[share[0].end:share[0].end + 40].lower():
                self.compare(f"tỷ lệ điểm bị trừ của lĩnh vực {sd.code} so với tổng số điểm bị trừ",
                             share[0], g.share * 100, section.para, ded.start)
        exact, _ = a.deducted_statements()
        for stated, p, i in exact:
            self.compare("tổng số điểm bị trừ", stated, s.base.deducted, p, i)
        self.share_tables(by_key)
        self.full_marks_and_bonus(self.domain_names())
        return self.found, self.checks

    def share_tables(self, by_key: dict[int, Domain]) -> None:
        """A domain table with a share column ("Tỷ lệ so với tổng số điểm bị trừ"): each domain
        row's deducted points and share (the domain named in the row), and the total row's
        deducted points."""
        s = self.scores
        for col in share_columns(self.audit.doc):
            tr, rows = col.total, col.total.table.rows
            name = tr.table.name
            for r in tr.body:
                dom = by_key.get(domain_key(tr.label(r)) or 0)
                if dom is None:
                    continue
                g = s.domains[dom.code]
                deducted, share = cell_figure(rows[r][col.deducted]), cell_figure(rows[r][col.share])
                if deducted is not None and not deducted.percent:
                    self.compare_quoted(f"số điểm bị trừ của lĩnh vực {dom.code} ({dom.name}) ở {name}", deducted,
                                        g.deducted, [tr.quote(r)])
                if share is not None and share.percent:
                    self.compare_quoted(f"tỷ lệ điểm bị trừ của lĩnh vực {dom.code} so với tổng số điểm bị trừ "
                                        f"ở {name}", share, g.share * 100, [tr.quote(r)])
            total = cell_figure(rows[tr.row][col.deducted])
            if total is not None and not total.percent:
                self.compare_quoted(f"tổng số điểm bị trừ ở {name}", total, s.base.deducted, [tr.quote(tr.row)])

    def domain_names(self) -> set[tuple[int, int]]:
        """"Lĩnh vực N – tên" vs the framework's domain N: a name that is clearly another domain of
        the framework ("Lĩnh vực 2 – Cải cách Thủ tục" where domain 2 is "Cải cách thể chế" and
        domain 3 "Cải cách thủ tục hành chính") is reported. Returns where those mentions are
        (paragraph, position), so that nothing else takes them as naming domain N."""
        keys = {d.code: domain_key(d.name) for d in self.fw.domains if d.code.isdigit()}
        codes = {d.code: d for d in self.fw.domains}
        wrong: set[tuple[int, int]] = set()
        for m in self.audit.domain_names():
            d = codes.get(str(m.number))
            if d is None or d.code not in keys or m.key is None:
                continue
            other = None if keys[d.code] == m.key else next(
                (codes[c] for c, k in keys.items() if k == m.key), None)
            quote = Quote(sentence_at(m.para.text, m.start), m.para.where)
            self.checks.append(Check("workbook", f"tên của lĩnh vực {d.code} ({d.name}), nêu là “{m.name}”",
                                     quote.where, Decimal(m.number),
                                     Decimal(other.code if other is not None else d.code), other is None))
            if other is None:
                continue
            wrong.add((m.para.index, m.start))
            self.report(Inconsistency(
                "workbook",
                f"Văn bản gọi lĩnh vực {m.number} là “{m.name}” nhưng trong bảng tính {self.name}, lĩnh vực "
                f"{d.code} là “{d.name}”; tên “{m.name}” là của lĩnh vực {other.code} ({other.name})",
                (quote,), Decimal(m.number), Decimal(other.code)))
        return wrong

    def full_marks_and_bonus(self, misnamed: set[tuple[int, int]]) -> None:
        """"đạt điểm tối đa ở Lĩnh vực 1 ...; Lĩnh vực 2 ..." (nothing deducted there; not for a
        domain whose number and name disagree, in ``misnamed``), "đạt 08/10 nội dung của Điểm
        thưởng", "Không có nội dung nào bị Điểm trừ"."""
        s, fw, a = self.scores, self.fw, self.audit
        codes = {d.code: d for d in fw.domains}
        bonus_hits = sum(1 for i in fw.bonus if s.items[i.code].achieved > 0)
        for p in a.doc.paras:
            low = p.text.lower()
            for m in _FULL_MARKS.finditer(p.text):
                end = re.search(r";(?!\s*lĩnh\s+vực)|\.\s|$", p.text[m.end():], re.I)
                span = p.text[m.end():m.end() + (end.start() if end else 0)]
                for k in re.finditer(r"lĩnh vực\s+(\d{1,2})", span, re.I):
                    d = codes.get(k.group(1))
                    if d is None or (p.index, m.end() + k.start()) in misnamed:
                        continue
                    zero = Num(Decimal(0), "0", 0, 0, 2, unit="điểm")
                    self.compare(f"số điểm bị trừ của lĩnh vực {d.code} ({d.name}), nêu là đạt điểm tối đa",
                                 zero, s.domains[d.code].deducted, p, m.end() + k.start())
            for f in a.facts[p.index].fractions:
                sentence = sentence_at(p.text, f.start).lower()
                if f.unit == "nội dung" and _BONUS.search(sentence) and fw.bonus:
                    self.compare("số nội dung điểm thưởng đạt", f.a, float(bonus_hits), p, f.start)
                    self.compare("số nội dung điểm thưởng", f.b, float(len(fw.bonus)), p, f.start)
            cap = _BONUS_CAP.search(p.text)
            if cap and fw.bonus:
                v = to_decimal(cap.group("v"), points=True)
                if v is not None:
                    self.compare("điểm thưởng tối đa được tính", Num(v, cap.group("v"), cap.start("v"), cap.end("v"), 0),
                                 fw.bonus_cap, p, cap.start("v"))
            none = re.search(r"không\s+có\s+(?:nội\s+dung\s+nào\s+bị\s+)?điểm\s+trừ", low)
            if none and fw.penalties:
                zero = Num(Decimal(0), "0", 0, 0, 2, unit="điểm")
                self.compare("điểm trừ (văn bản nêu không có nội dung nào bị điểm trừ)", zero, s.penalty, p,
                             none.start())
            for pm in _PENALTY.finditer(p.text):
                n = _num(pm, "v", points=True)
                if n is not None and fw.penalties and is_penalty(p.text, pm.start("t")):
                    self.compare("điểm trừ", n, s.penalty, p, pm.start("v"))


def compare_workbook(doc: Document, workbook: str | Path) -> tuple[list[Inconsistency], list[Check]]:
    """Figures of ``doc`` that differ from the scored workbook, and every comparison made."""
    return _Compare(doc, workbook).run()


def audit_against(doc: Document, workbook: str | Path) -> list[Inconsistency]:
    return compare_workbook(doc, workbook)[0]
