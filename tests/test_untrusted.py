"""A returned file is untrusted input: every bad case gets a clear Vietnamese message in the
check report, the other returns are still processed, and nothing is lost."""

from __future__ import annotations

import csv
import importlib
import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from parxl.framework import Framework
from parxl.office.collect import collect
from parxl.office.distribute import distribute
from parxl.office.synth import _cell_xml, fill_return, formula, patch_bytes, value_cells
from parxl.workbook.fastread import (
    CellError,
    RawCell,
    SharedStrings,
    cell_value,
    iter_cells,
    read_raw,
)
from parxl.workbook.safety import Limits

NV, VP = "Phòng Nội vụ", "Văn phòng HĐND và UBND"
GOOD = {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


@pytest.fixture(scope="module")
def issued(mini: Framework, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three office copies, distributed once per module (tests only read them)."""
    paths = distribute(mini, tmp_path_factory.mktemp("phat-hanh"), body="Huyện Mẫu", year="2024")
    return {p.stem: p for p in paths}


def _rezip(raw: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def _sheet_part(raw: bytes, name: str) -> str:
    import parxl.workbook.fastread as fr

    return fr.package_of(zipfile.ZipFile(io.BytesIO(raw)), Path("x")).sheets[name]


def _report(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(out.with_name(out.stem + "-kiem-tra.csv").read_text(encoding="utf-8-sig").splitlines()))


# ---------------------------------------------------------------- files that are not returns

def _truncated(good: bytes) -> bytes:
    return good[: len(good) // 2]


def _corrupted(good: bytes) -> bytes:
    data = bytearray(good)
    zf = zipfile.ZipFile(io.BytesIO(good))
    info = zf.getinfo(_sheet_part(good, "Lĩnh vực 1"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + 60):
        data[i] ^= 0x5A
    return bytes(data)


def _ole(payload: bytes) -> Callable[[bytes], bytes]:
    return lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + payload + b"\x00" * 2048


def _ods(good: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


CASES: list[tuple[str, str, Callable[[bytes], bytes], str]] = [
    ("truncated", "cắt cụt.xlsx", _truncated, "bị hỏng hoặc tải về không đầy đủ"),
    ("corrupted", "hỏng.xlsx", _corrupted, "tệp Excel bị hỏng: không giải nén được"),
    ("text renamed", "bao cao.xlsx", lambda g: "mã,giá trị\n1.1.1,Có\n".encode(), "tệp văn bản (có thể là CSV) bị đổi tên"),
    ("html renamed", "web.xlsx", lambda g: b"<html><body>x</body></html>", "tệp HTML bị đổi tên"),
    ("xls", "cũ.xls", _ole(b"Workbook".decode().encode("utf-16-le")), "Excel 97-2003 (.xls)"),
    ("password", "mật khẩu.xlsx", _ole("EncryptedPackage".encode("utf-16-le")), "được đặt mật khẩu"),
    ("ods", "lo.ods", _ods, "OpenDocument (.ods"),
    ("csv", "so lieu.csv", lambda g: "code,field,value\n1.1.1,done,Có\n".encode(), "tệp CSV/văn bản không phải biểu mẫu"),
    ("empty", "rỗng.xlsx", lambda g: b"", "tệp rỗng (0 byte)"),
    ("random", "ngẫu nhiên.xlsx", lambda g: bytes(range(256)) * 8, "không phải tệp Excel (.xlsx)"),
    ("zip not excel", "nén.xlsx", lambda g: _rezip_plain({"a.txt": b"x"}), "thiếu xl/workbook.xml"),
]


def _rezip_plain(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return out.getvalue()


@pytest.mark.parametrize(("label", "name", "make", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_files_are_reported_and_the_rest_processed(
    issued: dict[str, Path], tmp_path: Path, label: str, name: str, make: Callable[[bytes], bytes], expected: str,
) -> None:
    back = tmp_path / "tra ve"
    good = fill_return(issued[NV], back / "Phòng Nội vụ (bản cuối).xlsx", GOOD)
    bad = back / "đơn vị khác" / name
    bad.parent.mkdir(parents=True)
    bad.write_bytes(make(good.read_bytes()))
    before = bad.read_bytes()
    out = tmp_path / "th.xlsx"
    result = collect(back, out)
    mine = [i for i in result.issues if i.file == f"đơn vị khác/{name}"]
    assert len(mine) == 1, mine
    assert expected in mine[0].message
    assert mine[0].severity == "lỗi"
    assert result.values is not None and result.values[("1.1.1", "done")] == "Có"  # nothing lost
    assert bad.read_bytes() == before  # never modified
    rows = _report(out)
    assert any(r["file"] == f"đơn vị khác/{name}" and expected in r["message"] for r in rows)


# ---------------------------------------------------------------- bombs

def test_zip_bomb_refused_from_the_directory(issued: dict[str, Path], tmp_path: Path) -> None:
    good = fill_return(issued[NV], tmp_path / "back" / "tốt.xlsx", GOOD).read_bytes()
    part = _sheet_part(good, "Lĩnh vực 2")
    bomb = _rezip(good, {part: b"<worksheet>" + b" " * 40_000_000 + b"</worksheet>"})
    assert len(bomb) < 1_000_000
    (tmp_path / "back" / "bom.xlsx").write_bytes(bomb)
    result = collect(tmp_path / "back")
    [issue] = [i for i in result.issues if i.file == "bom.xlsx"]
    assert "tỷ lệ nén bất thường" in issue.message and "zip bomb" in issue.message
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


def test_zip_bomb_with_lying_sizes_stops_at_the_limit(issued: dict[str, Path], tmp_path: Path) -> None:
    """The directory claims a small part; inflating it is still bounded and fails cleanly."""
    good = fill_return(issued[NV], tmp_path / "back" / "tốt.xlsx", GOOD).read_bytes()
    part = _sheet_part(good, "Lĩnh vực 2")
    big = b"<worksheet>" + b" " * 20_000_000 + b"</worksheet>"
    data = bytearray(_rezip(good, {part: big}))
    name = part.encode()
    # declare 5000 bytes: local header (uncompressed size at +22) and central directory (+24)
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while True:
            pos = data.find(sig, pos)
            if pos < 0:
                break
            fn_off = 30 if sig == b"PK\x03\x04" else 46
            n = struct.unpack_from("<H", data, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(data[pos + fn_off: pos + fn_off + n]) == name:
                struct.pack_into("<I", data, pos + off, 5000)
            pos += 4
    (tmp_path / "back" / "bom.xlsx").write_bytes(bytes(data))
    result = collect(tmp_path / "back")
    [issue] = [i for i in result.issues if i.file == "bom.xlsx"]
    assert "bị hỏng" in issue.message
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


def test_enormous_sheet_refused_by_the_limit(issued: dict[str, Path], tmp_path: Path) -> None:
    good = fill_return(issued[NV], tmp_path / "back" / "tốt.xlsx", GOOD).read_bytes()
    part = _sheet_part(good, "Lĩnh vực 2")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r * 7919 % 100003) for r in range(5, 200_005))
    huge = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    (tmp_path / "back" / "to.xlsx").write_bytes(_rezip(good, {part: huge}))
    result = collect(tmp_path / "back", limits=Limits(max_part_bytes=4_000_000))
    [issue] = [i for i in result.issues if i.file == "to.xlsx"]
    assert "quá lớn" in issue.message
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def _with_entity_cell(good: bytes, doctype: bytes, entity: str) -> bytes:
    cells = value_cells_bytes(good, {("1.1.2", "evidence"): "PLACEHOLDER"})
    patched = patch_bytes(good, cells)
    part = _sheet_part(patched, "Lĩnh vực 1")
    xml = zipfile.ZipFile(io.BytesIO(patched)).read(part)
    xml = xml.replace(b"PLACEHOLDER", f"&{entity};".encode())
    return _rezip(patched, {part: doctype + xml})


def value_cells_bytes(raw: bytes, values: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.xlsx"
        p.write_bytes(raw)
        return value_cells(p, values)


@pytest.mark.parametrize("kind", ["billion laughs", "external entity"])
def test_xml_bombs_and_external_entities_are_refused(
    issued: dict[str, Path], tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = tmp_path / "bi mat.txt"
    secret.write_text("MẬT-KHẨU-BÍ-MẬT", encoding="utf-8")
    good = fill_return(issued[NV], tmp_path / "back" / "tốt.xlsx", GOOD).read_bytes()
    if kind == "billion laughs":
        evil = _with_entity_cell(good, BILLION_LAUGHS, "lol9")
    else:
        dtd = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
        evil = _with_entity_cell(good, dtd, "xxe")
    (tmp_path / "back" / "độc.xlsx").write_bytes(evil)
    out = tmp_path / "th.xlsx"
    result = collect(tmp_path / "back", out)
    [issue] = [i for i in result.issues if i.file == "độc.xlsx"]
    assert "DOCTYPE/ENTITY" in issue.message
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}
    for p in out.parent.glob("th*"):
        assert b"M\xe1\xba\xacT-KH" not in p.read_bytes()

    # and the reader itself is immune even without that guard: entities are never expanded
    safety = importlib.import_module("parxl.workbook.safety")
    monkeypatch.setattr(safety, "check_xml", lambda *a: None)
    raw = read_raw(tmp_path / "back" / "độc.xlsx", "độc.xlsx")
    [row] = [r for r in raw.rows if r.code == "1.1.2"]
    text = row.inputs["evidence"].value
    assert "MẬT-KHẨU" not in str(text) and "lollol" not in str(text)
    assert len(str(text)) < 20


# ---------------------------------------------------------------- formulas typed into input cells

def test_formulas_in_input_cells_are_values_never_formulas(issued: dict[str, Path], tmp_path: Path) -> None:
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", {
        ("1.1.1", "done"): "Có",
        ("1.1.1", "evidence"): formula('HYPERLINK("http://evil.example/x","Quyết định 1")', "Quyết định 1"),
        ("1.1.2", "rate"): formula("cmd|' /C calc'!A0", None),
        ("1.2.1", "count"): formula("1+1", 2),
        ("1.2.1", "evidence"): "=SUM(1,2) là văn bản do người dùng gõ",
        ("1.2.1", "explanation"): "@lệnh +ghi chú",
    })
    out = tmp_path / "th.xlsx"
    result = collect(back, out)
    by_cell = {(i.cell, i.severity): i.message for i in result.issues if i.file == "nv.xlsx"}
    assert "công thức nguy hiểm '=HYPERLINK" in by_cell[("J6", "lỗi")]
    assert "công thức nguy hiểm '=cmd|' /C calc'!A0'" in by_cell[("H7", "lỗi")]
    assert "lấy giá trị đã tính '2'" in by_cell[("H9", "cảnh báo")]
    v = result.values
    assert v is not None
    assert ("1.1.1", "evidence") not in v and ("1.1.2", "rate") not in v
    assert v[("1.2.1", "count")] == 2
    assert v[("1.2.1", "evidence")] == "=SUM(1,2) là văn bản do người dùng gõ"
    # the consolidated workbook holds text, never a formula, in every input cell
    wb = openpyxl.load_workbook(out)
    ws = wb["Lĩnh vực 1"]
    assert ws["J9"].value == "=SUM(1,2) là văn bản do người dùng gõ" and ws["J9"].data_type == "s"
    assert ws["K9"].value == "@lệnh +ghi chú" and ws["K9"].data_type == "s"
    assert ws["H9"].value == 2
    for sheet in ("Lĩnh vực 1", "Lĩnh vực 2", "Thưởng - Trừ"):
        for row in wb[sheet].iter_rows(min_row=5, min_col=7, max_col=11):
            for cell in row:
                assert cell.data_type != "f", (sheet, cell.coordinate, cell.value)
    check = wb["Kiểm tra"]
    texts = [c.value for c in check["G"]]
    assert any(isinstance(t, str) and t.startswith("ô nhập liệu chứa công thức nguy hiểm") for t in texts)
    assert all(c.data_type != "f" for row in check.iter_rows() for c in row)


def test_error_values_and_unusable_cells(issued: dict[str, Path], tmp_path: Path) -> None:
    good = fill_return(issued[NV], tmp_path / "back" / "nv.xlsx", {("1.1.1", "done"): "Có"})
    part_cells = value_cells(good, {("1.2.1", "count"): 0})
    [(key, _)] = part_cells.items()
    raw = good.read_bytes()
    part = _sheet_part(raw, key[0])
    xml = zipfile.ZipFile(io.BytesIO(raw)).read(part)
    xml = xml.replace(f'<c r="{key[1]}"'.encode(), f'<c r="{key[1]}" t="e"><v>#REF!</v></c><c r="ZZ1"'.encode(), 1)
    (tmp_path / "back" / "nv.xlsx").write_bytes(_rezip(raw, {part: xml}))
    result = collect(tmp_path / "back")
    msgs = [i.message for i in result.issues if i.cell == key[1]]
    assert msgs == ["ô có lỗi #REF! — đề nghị nhập lại số liệu"]


def test_unreadable_files_do_not_stop_parallel_reading(issued: dict[str, Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cm = importlib.import_module("parxl.office.collect")
    back = tmp_path / "back"
    fill_return(issued[NV], back / "nv.xlsx", GOOD)
    for i, (_, name, make, _) in enumerate(CASES):
        (back / f"{i:02d} {name}").write_bytes(make((back / "nv.xlsx").read_bytes()))
    monkeypatch.setattr(cm, "PARALLEL_THRESHOLD", 2)
    result = collect(back, workers=2)
    assert len({i.file for i in result.issues if i.file.startswith(tuple(f"{i:02d}" for i in range(len(CASES))))}) == len(CASES)
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


# ---------------------------------------------------------------- the cell scanner, property-tested

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example("&\r")
@example("a\r\nb &amp; _x0041_ _x005F_x0041_")
@example("Tỷ lệ <100%> & \"đạt\"\x01")
def test_any_text_reads_back_exactly(text: str) -> None:
    """Whatever a user types (Vietnamese, '<&>', '_x0041_', control characters) comes back."""
    xml = _cell_xml("J9", "3", text)
    [(col, row, attrs, inner)] = iter_cells(xml)
    assert (col, row) == ("J", 9)
    assert cell_value(attrs, inner, SharedStrings(None)).value == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([b"", b' t="s"', b' t="inlineStr"', b' t="e"', b' t="b"', b' t="str"']))
def test_garbage_cells_never_crash_the_scanner(inner: bytes, attrs: bytes) -> None:
    value = cell_value(attrs, inner, SharedStrings(b"<sst><si><t>a</t></si></sst>"))
    assert isinstance(value, RawCell)
    assert value.value is None or isinstance(value.value, str | int | float | bool | CellError)


def _with_crc(good: bytes, part: str, crc: int) -> bytes:
    """The package with another CRC declared for ``part`` (local header and central directory)."""
    data = bytearray(good)
    name = part.encode()
    for sig, fn_off, len_off, crc_off in ((b"PK\x03\x04", 30, 26, 14), (b"PK\x01\x02", 46, 28, 16)):
        pos = data.find(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", data, pos + len_off)[0]
            if bytes(data[pos + fn_off: pos + fn_off + n]) == name:
                struct.pack_into("<I", data, pos + crc_off, crc)
            pos = data.find(sig, pos + 4)
    return bytes(data)


def test_a_part_whose_checksum_is_wrong_is_refused(issued: dict[str, Path], tmp_path: Path) -> None:
    good = fill_return(issued[NV], tmp_path / "back" / "tốt.xlsx", GOOD).read_bytes()
    part = _sheet_part(good, "Lĩnh vực 1")
    crc = zipfile.ZipFile(io.BytesIO(good)).getinfo(part).CRC
    (tmp_path / "back" / "sai crc.xlsx").write_bytes(_with_crc(good, part, crc ^ 1))
    result = collect(tmp_path / "back")
    [issue] = [i for i in result.issues if i.file == "sai crc.xlsx"]
    assert "tệp Excel bị hỏng: không giải nén được" in issue.message and part in issue.message
    assert result.values == {("1.1.1", "done"): "Có", ("1.2.1", "count"): 2}


@given(st.binary(max_size=5000), st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]),
       st.integers(min_value=1, max_value=6000))
@settings(max_examples=60, deadline=None)
def test_bounded_inflate_reads_what_zipfile_reads(body: bytes, method: int, head: int) -> None:
    from parxl.workbook.safety import read_part

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        z.writestr("xl/a.xml", b"<a>" + body + b"</a>")
    zf = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    expected = zf.open("xl/a.xml").read()
    assert read_part(zf, "xl/a.xml", Path("x.xlsx")) == expected
    assert read_part(zf, "xl/a.xml", Path("x.xlsx"), head=head) == expected[:head]
