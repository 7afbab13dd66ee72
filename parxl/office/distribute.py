"""Distribute a template: one workbook per responsible office, or one per body.

Office copies (đơn vị chủ trì): only that office's input cells are unlocked and yellow; the
other items stay visible but locked, or hidden where the framework marks them ``hidden``. Body
copies (all communes of a district, all districts of a province): the full framework, the
body's name filled in. Every copy records in its hidden ``_parxl`` sheet the framework
fingerprint, the kind of return, the office or body and a per-return id, which is how
``collect`` recognises a return (never by its file name). Ids are derived from the
fingerprint, body and office, so distributing twice gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from openpyxl.styles import PatternFill, Protection

from parxl.errors import InputError, Location
from parxl.framework.model import Framework
from parxl.inputs import csv_separator, csv_text, is_workbook, read_table_text, text_problem
from parxl.office.check import KIND_BODY, KIND_OFFICE
from parxl.workbook import layout as L
from parxl.workbook.build import Formulas, build_workbook, put_text
from parxl.workbook.read import refuse_to_replace
from parxl.workbook.save import save_workbook

MANIFEST = "danh-sach-phat-hanh.csv"
_ILLEGAL = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str, fallback: str = "khong-ten") -> str:
    """A file name from an office or body name: Vietnamese letters kept, illegal characters gone."""
    text = unicodedata.normalize("NFC", name)
    text = _ILLEGAL.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip().strip(".").strip()
    if not text:
        text = fallback
    elif text.upper() in _RESERVED:  # a device name on Windows ("CON.xlsx" cannot be made): kept, marked
        text += "_"
    # stay well inside path limits (255 bytes per component on most file systems)
    while len(text.encode("utf-8")) > 150:
        text = text[:-1].rstrip()
    return text


def return_id(fw: Framework, kind: str, body: str, office: str) -> str:
    key = "\x1f".join((fw.fingerprint, kind, body, office))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


# a list's header, as staff write it or as the province roster has it ("Cơ quan, đơn vị")
_BODY_HEADERS = {"đơn vị", "don vi", "tên", "ten", "name", "body", "cơ quan", "co quan", "cơ quan, đơn vị",
                 "tên cơ quan", "tên đơn vị", "tên cơ quan, đơn vị"}


def read_bodies(path: str | Path) -> list[str]:
    """Body names from a list: in a ``.csv`` file or a workbook (.xlsx, .xls, .ods: its first sheet
    with data) the column headed as names ("Tên xã", "Cơ quan, đơn vị"; a list kept in Excel often
    starts with 'STT'), else the first (names with commas quoted in a CSV, as Excel writes them);
    in any other file one name per line, whole ("Thị trấn Lai Vung, huyện Lai Vung" is one name);
    '#' lines ignored."""
    p = Path(path)
    where = Location(file=str(p))
    text = read_table_text(p, "tệp danh sách đơn vị")
    lines: list[tuple[int, str]]
    if p.suffix.lower() == ".csv" or is_workbook(p):
        body, sep, skipped = csv_separator(text, _NAME_HEADER, where)
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=sep)
        try:
            rows = [(skipped + reader.line_num, row) for row in reader]
        except csv.Error as exc:
            raise InputError(f"dòng {skipped + reader.line_num}: không đọc được dòng CSV ({exc})", where) from None
        col, head = _names_column(rows)
        lines = [(n, row[col] if col < len(row) else "") for n, row in rows if n > head]
    else:  # lines end at line feeds only: a vertical tab (Word's Shift+Enter) is not a new name
        lines = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1))
    names: list[str] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for n, raw in lines:
        cell = unicodedata.normalize("NFC", raw.strip())
        if not cell or cell.startswith("#"):
            continue
        if not names and not problems and " ".join(cell.split()).casefold() in _BODY_HEADERS:
            continue
        problem = text_problem(cell)
        if problem:
            problems.append(f"dòng {n}: tên '{cell}' {problem}")
            continue
        key = cell.casefold()
        if key in seen:
            problems.append(f"dòng {n}: '{cell}' trùng với dòng {seen[key]}")
            continue
        seen[key] = n
        names.append(cell)
    if problems:
        raise InputError("danh sách đơn vị có lỗi:\n" + "\n".join(f"  - {p}" for p in problems), where)
    if not names:
        raise InputError("danh sách đơn vị trống", where)
    return names


class _NameHeader:
    """A header of a list's names: a known one, or any "Tên …" ("Tên xã, thị trấn")."""

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in _BODY_HEADERS or key.startswith("tên "))


_NAME_HEADER = _NameHeader()


def _names_column(rows: list[tuple[int, list[str]]]) -> tuple[int, int]:
    """``(column, line of the header)`` of the names in a table's rows (a title above the header
    already left out by :func:`csv_separator`): the column headed as a list of bodies is ("Tên
    xã", "Cơ quan, đơn vị") — a list kept in Excel often starts with 'STT', the row numbers —,
    else the first (line 0: no header)."""
    for n, row in rows[:1]:
        for col, cell in enumerate(row):
            if " ".join(cell.split()).casefold() in _NAME_HEADER:
                return col, n
    return 0, 0


def _unique_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    used: set[str] = set()
    for name in names:
        base = safe_file_name(name)
        cand, i = base, 2
        while cand.casefold() in used:
            cand = f"{base} ({i})"
            i += 1
        used.add(cand.casefold())
        out.append(cand)
    return out


def _set_body(wb: object, body: str, year: str, lock: bool) -> None:
    ws = wb[L.SUMMARY]  # type: ignore[index]
    if body:
        put_text(ws, "C2", body)
    if year:
        put_text(ws, "C3", year)
    if lock:  # and no longer yellow: yellow says "type here"
        for ref in ("C2", "C3"):
            ws[ref].protection = Protection(locked=True)
            ws[ref].fill = PatternFill()


def distribute(
    fw: Framework,
    out_dir: str | Path,
    *,
    bodies: Iterable[str] | None = None,
    body: str = "",
    year: str = "",
    formulas: type[Formulas] | None = None,
) -> list[Path]:
    """Write one workbook per office (default) or per body into ``out_dir``; returns the paths.

    Also writes ``danh-sach-phat-hanh.csv`` (who received which file and return id), which
    ``collect`` uses, when present, to name the returns still missing.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("đường dẫn kết quả phải là thư mục", Location(file=str(out)))
    make = formulas or Formulas
    jobs: list[tuple[str, str, str]] = []  # (kind, body, office)
    if bodies is not None:
        names = list(bodies)
        if not names:
            raise InputError("danh sách đơn vị trống")
        jobs = [(KIND_BODY, b, "") for b in names]
    else:
        offices = fw.offices()
        if not offices:
            raise InputError(
                f"bộ tiêu chí {fw.id} không ghi đơn vị chủ trì cho mục nào (trường 'office'); "
                "không thể phát hành theo đơn vị")
        jobs = [(KIND_OFFICE, body, o) for o in offices]
    files = _unique_names(j[2] or j[1] for j in jobs)
    # a copy an office filled in place (a shared folder) is never replaced by a blank one
    refuse_to_replace([out / f"{stem}.xlsx" for stem in files])
    paths: list[Path] = []
    manifest = ["kind,body,office,return_id,file"]
    for (kind, b, office), stem in zip(jobs, files, strict=True):
        rid = return_id(fw, kind, b, office)
        meta = {"kind": kind, "return_id": rid, "body": b, "year": year}
        if office:
            meta["office"] = office
        wb = build_workbook(fw, formulas=make(), editable_offices={office} if kind == KIND_OFFICE else None,
                            meta=meta)
        _set_body(wb, b, year, lock=kind == KIND_OFFICE)
        path = out / f"{stem}.xlsx"
        save_workbook(wb, path)
        paths.append(path)
        manifest.append(",".join(_csv(csv_text(x)) for x in (kind, b, office, rid, path.name)))
    from parxl.workbook.save import atomic_write_bytes

    atomic_write_bytes(out / MANIFEST, ("\ufeff" + "\n".join(manifest) + "\n").encode("utf-8"))
    return paths


def _csv(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
