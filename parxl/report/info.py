"""What a document needs beyond the scores: issuing body, number, date, signer, recipients.

Sensible Vietnamese defaults come from the body's name; an organisation writes its own once in
a YAML or JSON file (``--info``) whose keys are the field names of :class:`ReportInfo`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from parxl.errors import InputError, Location, os_reason

KINDS = ("self-assessment", "interim", "remedy", "ranking")
_OPTIONS = {"signer_name": "--signer", "rank_of": "--rank"}  # field -> option, where they differ
# the same kinds by their Vietnamese names (as the demo's report files are named)
KIND_NAMES = {"tu-danh-gia": "self-assessment", "so-ket": "interim", "khac-phuc": "remedy", "xep-hang": "ranking"}
_SYMBOL = {"self-assessment": "BC", "interim": "BC", "remedy": "UBND-NV", "ranking": "BC"}


@dataclass
class ReportInfo:
    """Header, signature and recipients of a document (Nghị định 30/2020/NĐ-CP)."""

    parent: str = ""  # cơ quan chủ quản, e.g. "ỦY BAN NHÂN DÂN QUẬN 1"
    issuer: str = ""  # cơ quan ban hành, e.g. "PHÒNG NỘI VỤ"
    issuer_name: str = ""  # how the issuer is named in running text, e.g. "Phòng Nội vụ"
    number: str = ""  # "953/UBND-NV"; empty leaves "Số:      /BC-NV" to fill in when signing
    symbol: str = ""  # ký hiệu, used when number is empty
    place: str = ""  # địa danh, e.g. "Quận 1"
    date: dt.date | None = None  # None leaves "ngày ... tháng ... năm" blank
    signer_authority: str = ""  # e.g. "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = ""  # e.g. "CHỦ TỊCH", "TRƯỞNG PHÒNG"
    signer_name: str = ""
    leader: str = ""  # in running text, e.g. "Chủ tịch Ủy ban nhân dân Quận 1" (directive)
    coordinator: str = ""  # who collects the explanations, e.g. "Phòng Nội vụ" (directive)
    recipients: list[str] = field(default_factory=list)  # Nơi nhận
    addressees: list[str] = field(default_factory=list)  # Kính gửi (directive)
    period: str = ""  # interim: "9 tháng đầu năm", "đến ngày 25 tháng 8 năm 2023"
    basis: list[str] = field(default_factory=list)  # căn cứ (legal basis sentences)
    published: dt.date | None = None  # remedy: date the index was published
    working_days: int = 10  # remedy: days allowed to explain (seed 001)
    holidays: list[dt.date] = field(default_factory=list)
    deadline: dt.date | None = None  # remedy: explicit deadline, overrides the computed one
    rank: int | None = None  # official rank of the body (directive)
    rank_of: int | None = None  # number of ranked bodies
    previous_rank: int | None = None
    previous_total: float | None = None
    previous_year: str = ""
    group_label: str = ""  # ranking: "các quận, huyện"
    title: str = ""  # overrides the document title line

    @classmethod
    def load(cls, path: str | Path) -> ReportInfo:
        p = Path(path)
        where = Location(file=str(p))
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"không đọc được tệp thông tin ({os_reason(exc)})", where) from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            raise InputError(f"tệp thông tin không đúng định dạng YAML/JSON: {exc}", where) from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InputError("tệp thông tin phải là một bảng khóa: giá trị", where)
        return cls.from_dict(data, str(p))

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "") -> ReportInfo:
        names = {f.name: f for f in dataclasses.fields(cls)}
        problems: list[str] = []
        kw: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                problems.append(f"khóa '{key}' không được hỗ trợ (dùng: {', '.join(names)})")
                continue
            try:
                kw[key] = _convert(key, value)
            except ValueError as exc:
                problems.append(f"'{key}': {exc}")
        info = cls(**kw)
        problems += [f"'{key}': {msg}" for key, msg in info.rank_problems()]
        if problems:
            raise InputError("tệp thông tin có lỗi:\n" + "\n".join(f"  - {p}" for p in problems),
                             Location(file=source))
        return info

    def merged(self, **overrides: Any) -> ReportInfo:
        """A copy with the given fields replaced where the value is not None/empty: the command
        line's options, so a problem names the option ("--date: ngày '31/02/2024' không hợp lệ")."""
        clean: dict[str, Any] = {}
        problems = []
        for k, v in overrides.items():
            if v in (None, "", []):
                continue
            try:
                clean[k] = _convert(k, v)
            except ValueError as exc:
                problems.append(f"{_option(k)}: {exc}")
        if not problems:
            info = dataclasses.replace(self, **clean)
            problems = [f"{_option(key)}: {msg}" for key, msg in info.rank_problems()]
        if problems:
            raise InputError("; ".join(problems))
        return info

    def rank_problems(self) -> list[tuple[str, str]]:
        """(field, problem) of ranks that cannot be: below 1, a rank beyond the bodies ranked."""
        out = [(key, f"{what} phải từ 1 trở lên (không phải {value})")
               for key, what in (("rank", "thứ hạng"), ("rank_of", "số cơ quan, đơn vị được xếp hạng"),
                                 ("previous_rank", "thứ hạng năm trước"))
               if (value := getattr(self, key)) is not None and value < 1]
        if not out and self.rank is not None and self.rank_of is not None and self.rank > self.rank_of:
            out.append(("rank", f"thứ hạng {self.rank} lớn hơn số cơ quan, đơn vị được xếp hạng ({self.rank_of})"))
        return out

    def with_defaults(self, kind: str, body: str) -> ReportInfo:
        """Fill what is empty from the body's name: "Quận 1" -> "ỦY BAN NHÂN DÂN QUẬN 1"."""
        from parxl.report.vn import communes, in_sentence, place_name

        body = body.strip()
        for council in _COUNCIL:  # "UBND huyện Đắk Song" is the body "Huyện Đắk Song"
            if body[:len(council)].casefold() == council.casefold() and body[len(council):].strip():
                rest = body[len(council):].strip()
                body = rest[:1].upper() + rest[1:]
                break
        name = in_sentence(body) or "................"
        r = dataclasses.replace(self)
        if not r.parent:
            r.parent = f"ỦY BAN NHÂN DÂN {name.upper()}"
        if not r.place:
            r.place = place_name(body) or name
        if kind == "remedy":
            r.issuer = r.issuer or ""
            r.symbol = r.symbol or "UBND-NV"
            r.signer_authority = r.signer_authority or "TM. ỦY BAN NHÂN DÂN"
            r.signer_title = r.signer_title or "CHỦ TỊCH"
            r.addressees = r.addressees or [
                "Thủ trưởng các cơ quan chuyên môn, đơn vị sự nghiệp thuộc " + name,
                "Chủ tịch Ủy ban nhân dân các " + communes(body),
            ]
            r.recipients = r.recipients or ["Như trên", "Sở Nội vụ", "Thường trực UBND", "Lưu: VT, NV"]
        elif kind == "ranking":
            r.issuer = r.issuer or "SỞ NỘI VỤ"
            r.symbol = r.symbol or "BC-SNV"
            r.signer_title = r.signer_title or "GIÁM ĐỐC"
            r.recipients = r.recipients or ["UBND tỉnh (b/c)", "Các cơ quan, đơn vị được đánh giá",
                                            "Lưu: VT, CCHC"]
        else:
            r.issuer = r.issuer or "PHÒNG NỘI VỤ"
            r.symbol = r.symbol or "BC-NV"
            r.signer_title = r.signer_title or "TRƯỞNG PHÒNG"
            r.recipients = r.recipients or [f"UBND {name} (b/c)", "Lưu: VT, NV"]
        return r

    @property
    def issuer_text(self) -> str:
        """The issuer in running text: "PHÒNG NỘI VỤ" -> "Phòng Nội vụ"."""
        if self.issuer_name:
            return self.issuer_name
        return name_case(self.issuer) if self.issuer else "Ủy ban nhân dân"

    @property
    def leader_text(self) -> str:
        """Who directs, in running text: "CHỦ TỊCH" of "ỦY BAN NHÂN DÂN QUẬN 1" ->
        "Chủ tịch Ủy ban nhân dân Quận 1"."""
        if self.leader:
            return self.leader
        title = self.signer_title.strip().lower() or "chủ tịch"
        return f"{title[:1].upper()}{title[1:]} {name_case(self.parent)}".strip()

    @property
    def number_line(self) -> str:
        if self.number:
            return f"Số: {self.number}"
        return f"Số:        /{self.symbol}"


def _option(key: str) -> str:
    """The command-line option of a field: "rank_of" -> "--rank", "previous_rank" -> "--previous-rank"."""
    return _OPTIONS.get(key, "--" + key.replace("_", "-"))


_COUNCIL = ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân ")
_KINDS_OF_BODY = ("ủy ban nhân dân", "uỷ ban nhân dân", "văn phòng", "phòng", "sở", "ban", "trung tâm")
_PLACES = ("thành phố", "thị xã", "thị trấn", "quận", "huyện", "tỉnh", "phường", "xã")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _place_case(rest: str) -> str:
    """"thành phố sa đéc" -> "thành phố Sa Đéc" (mid-sentence, Nghị định 30/2020: the unit word in
    lower case, every word of the proper name up); "quận 1" -> "Quận 1" (a unit named by a number)."""
    for place in _PLACES:
        if rest.startswith(place + " "):
            proper = rest[len(place) + 1:].split()
            unit = _cap(place) if proper[0][:1].isdigit() else place
            return unit + " " + " ".join(_cap(w) for w in proper)
    return " ".join(_cap(w) for w in rest.split())


def name_case(text: str) -> str:
    """An upper-case body name as written in a sentence: "PHÒNG NỘI VỤ" -> "Phòng Nội vụ",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ SA ĐÉC" -> "Ủy ban nhân dân thành phố Sa Đéc", "PHÒNG TÀI CHÍNH -
    KẾ HOẠCH" -> "Phòng Tài chính - Kế hoạch". Names it gets wrong can be given as written
    (``issuer_name``, ``leader``)."""
    low = " ".join(text.split()).lower()
    if not low:
        return ""
    for kind in _KINDS_OF_BODY:
        if low.startswith(kind + " "):
            rest = low[len(kind) + 1:]
            if kind.endswith("nhân dân"):
                return _cap(kind) + " " + _place_case(rest)
            return _cap(kind) + " " + " - ".join(_cap(part) for part in rest.split(" - "))
    return _cap(low)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ngày '{value}' không hợp lệ (dùng dd/mm/yyyy hoặc yyyy-mm-dd)")


def _convert(key: str, value: Any) -> Any:
    if key in ("date", "published", "deadline"):
        return None if value in (None, "") else _date(value)
    if key == "holidays":
        return [_date(v) for v in (value or [])]
    if key in ("recipients", "addressees", "basis"):
        if isinstance(value, str):
            return [s.strip() for s in value.split("\n") if s.strip()]
        return [str(v) for v in (value or [])]
    if key in ("rank", "rank_of", "previous_rank", "working_days"):
        try:
            return None if value in (None, "") else int(value)
        except (TypeError, ValueError):
            raise ValueError(f"'{value}' phải là số nguyên") from None
    if key == "previous_total":
        from parxl.numbers import parse_vn_number

        n = parse_vn_number(value)
        if value not in (None, "") and n is None:
            raise ValueError(f"'{value}' không phải là số")
        return n
    return "" if value is None else str(value)
