"""Vietnamese wording of numbers, dates and counts in administrative documents."""

from __future__ import annotations

import datetime as dt

from parxl.numbers import format_vn_number, format_vn_percent, parse_vn_number


def pts(x: float | None, decimals: int = 2) -> str:
    """Points as written in reports: ``93,23``, ``1,5``, ``6`` (trailing zeros trimmed)."""
    if x is None:
        return ""
    return format_vn_number(round(float(x), 9) + 0.0, decimals)


def pct(fraction: float | None, decimals: int = 2) -> str:
    """``0.22157`` -> ``22,16%``."""
    if fraction is None:
        return ""
    return format_vn_percent(float(fraction), decimals)


def count2(n: int) -> str:
    """Counts as administrative texts write them: ``07``, ``12`` (and ``0``, not ``00``)."""
    return f"{n:02d}" if n else "0"


def day_month(d: dt.date) -> tuple[str, str]:
    """Nghị định 30/2020: days below 10 and months 1, 2 get a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month in (1, 2) else str(d.month)
    return day, month


def date_line(place: str, date: dt.date | None, year: str | int = "") -> str:
    """``Quận 1, ngày 02 tháng 3 năm 2024``; without a date the blanks are left for signing."""
    prefix = f"{place}, " if place else ""
    if date is None:
        tail = f" năm {year}" if year else " năm ......"
        return f"{prefix}ngày ...... tháng ......{tail}"
    day, month = day_month(date)
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"


def date_short(d: dt.date | None) -> str:
    """``19/3/2024`` (no padding), as in running text."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def change_text(delta: float | None, unit: str = "điểm", decimals: int = 2) -> str:
    """``tăng 0,1 điểm`` / ``giảm 5 hạng`` / ``không thay đổi``."""
    if delta is None:
        return ""
    d = round(float(delta), 9)
    if abs(d) < 10 ** -(decimals + 1):
        return "không thay đổi"
    word = "tăng" if d > 0 else "giảm"
    return f"{word} {format_vn_number(abs(d), decimals, trim=False)} {unit}".strip()


def ratio(n: int, d: int) -> str:
    """``07/10``, ``00/09``: both counts of a share padded alike (a lone count of none is ``0``,
    :func:`count2`)."""
    return f"{n:02d}/{d:02d}"


# administrative units, longest first ("Thị xã" before "Xã" cannot clash: a name starts with one)
_UNITS = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def _unit(name: str) -> tuple[str, str] | None:
    """("Thành phố", "Sa Đéc") when a name starts with an administrative-unit word."""
    for unit in _UNITS:
        n = len(unit)
        if name[:n].casefold() == unit.casefold() and name[n:n + 1] == " " and name[n + 1:].strip():
            return name[:n], name[n + 1:].strip()
    return None


def _numbered(rest: str) -> bool:
    """A unit named by a number: "15" (Phường 15), "số 7" (Phường số 7)."""
    words = rest.split(maxsplit=1)
    if words and words[0].casefold() == "số" and len(words) > 1:
        rest = words[1]
    return rest[:1].isdigit()


def in_sentence(name: str) -> str:
    """A body name inside a sentence (Nghị định 30/2020, Phụ lục II): the unit word it starts
    with is written in lower case, "Thành phố Sa Đéc" -> "thành phố Sa Đéc", "Huyện Củ Chi" ->
    "huyện Củ Chi"; a unit named by a number keeps it ("Quận 1", "Phường số 7"), and a name in
    capitals or not starting with a unit word is left as it is."""
    parts = _unit(name)
    if parts is None or name.isupper() or _numbered(parts[1]):
        return name
    return f"{parts[0].lower()} {parts[1]}"


_COMMUNES = {"quận": "phường", "huyện": "xã, thị trấn", "thành phố": "xã, phường", "thị xã": "xã, phường"}


def communes(name: str) -> str:
    """The commune-level units under a district-level body: "Quận 1" -> "phường", "Huyện Đắk
    Song" -> "xã, thị trấn", "Thành phố Sa Đéc" -> "xã, phường"; any other body -> all three."""
    parts = _unit(name)
    return _COMMUNES.get(parts[0].casefold(), "xã, phường, thị trấn") if parts else "xã, phường, thị trấn"


def place_name(name: str) -> str:
    """The place of the date line (Nghị định 30/2020, Phụ lục I): the proper name without the
    unit word, "Thành phố Sa Đéc" -> "Sa Đéc", "Huyện Gia Lâm" -> "Gia Lâm"; a unit named by a
    number keeps it ("Quận 1")."""
    parts = _unit(name)
    if parts is None or _numbered(parts[1]):
        return name
    return parts[1].title() if name.isupper() else parts[1]


NBSP = "\u00a0"
_HEAD_GLUE = 22  # characters of a place that fit on one line of the header's left cell (13 pt bold)


def header_name(text: str) -> str:
    """An issuing body in the header, with no-break spaces so that it wraps where it reads well:
    "ỦY BAN NHÂN DÂN THÀNH PHỐ SA ĐÉC" -> "ỦY BAN NHÂN DÂN" / "THÀNH PHỐ SA ĐÉC" (the place never
    broken when it fits a line; else only its unit word kept whole), "PHÒNG TÀI CHÍNH - KẾ
    HOẠCH" -> "PHÒNG TÀI CHÍNH -" / "KẾ HOẠCH"."""
    text = " ".join(text.split())
    lead = "ỦY BAN NHÂN DÂN "
    if text.upper().startswith(lead) and len(text) > len(lead):
        rest = text[len(lead):]
        if len(rest) <= _HEAD_GLUE:
            return text[:len(lead)] + rest.replace(" ", NBSP)
        parts = _unit(rest.title())
        if parts is not None:
            n = len(parts[0])
            return text[:len(lead)] + rest[:n].replace(" ", NBSP) + rest[n:]
        return text
    if " - " in text:
        head, _, tail = text.rpartition(" - ")
        if len(tail) <= _HEAD_GLUE:
            return f"{head} - {tail.replace(' ', NBSP)}"
    return text


def shares_rounding_note(shown: list[str]) -> str:
    """The note for a table of domain shares ("9,02%", …) whose rounded figures do not add up to
    the 100% of its total row (9,02% + 0,31% + 3,52% + 87,16% = 100,01%): a reader adding them up
    is told why, rather than finding a table that does not add up. "" when they add up, or when
    nothing was deducted (shares "-" or all 0 %)."""
    values = [parse_vn_number(v) for v in shown]
    if not values or any(v is None for v in values):
        return ""
    total = round(sum(v for v in values if v is not None) * 100, 2)
    if total in (0, 100):  # nothing deducted (every share 0 %), or they add up
        return ""
    return (f"Do làm tròn số, tỷ lệ so với tổng điểm bị trừ của các lĩnh vực cộng lại bằng "
            f"{format_vn_number(total, 2)}% (tỷ lệ của mỗi lĩnh vực làm tròn đến 0,01%).")
