"""Guards for returned workbooks: they are untrusted input from another office.

Before any XML is parsed a file is sniffed by its first bytes (not its name) and its zip
central directory is checked: entry count, declared sizes, compression ratio, encryption.
Parts are then inflated through a bounded reader, so a zip bomb whose headers lie is still
stopped at the limit, and XML parts with a DOCTYPE (entity bombs, external entities) are
refused before anything looks inside them. Every refusal is a :class:`ReturnRejected` with a
Vietnamese message saying what the sender should do.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

try:  # ISA-L inflates about twice as fast as zlib; pure zlib where it is not installed (Pyodide)
    from isal import isal_zlib as _zlib
except ImportError:  # pragma: no cover
    import zlib as _zlib  # type: ignore[no-redef]

from parxl.errors import Location, WorkbookError, os_reason

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"


@dataclass(frozen=True)
class Limits:
    """What a return may weigh; the defaults are far above any real return."""

    max_file_bytes: int = 50_000_000  # size on disk
    max_part_bytes: int = 64_000_000  # one XML part, inflated
    max_total_bytes: int = 256_000_000  # all parts, inflated (declared)
    max_ratio: float = 200.0  # inflated / compressed, for parts above ratio_floor
    ratio_floor: int = 1_000_000
    max_entries: int = 5_000


DEFAULT_LIMITS = Limits()


class ReturnRejected(WorkbookError):
    """A returned file was refused before or while reading it (unsafe or not a workbook)."""


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.0f} MB".replace(".", ",")


def sniff(path: Path, head: bytes) -> str:
    """Kind of file from its first bytes: xlsx-zip, ole, empty-zip, text, or unknown."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(EMPTY_ZIP):
        return "empty-zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if not head:
        return "empty"
    sample = head[:4096]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
            return "text"
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is still text
            try:
                sample[:-3].decode("utf-8")
                return "text"
            except UnicodeDecodeError:
                pass
        try:
            sample.decode("cp1258")
            return "text"
        except UnicodeDecodeError:
            pass
    return "unknown"


def _ole_message(path: Path) -> str:
    with path.open("rb") as fh:
        data = fh.read(2_000_000)
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return ("tệp được đặt mật khẩu (mã hoá); parxl không mở tệp có mật khẩu — đề nghị đơn vị gỡ "
                "mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại")
    return ("tệp Excel 97-2003 (.xls) hoặc tài liệu Office cũ, không phải biểu mẫu .xlsx — đề nghị "
            "đơn vị điền trên biểu mẫu .xlsx đã phát hành")


def _text_message(path: Path, head: bytes) -> str:
    low = head[:512].lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "tệp HTML bị đổi tên, không phải tệp Excel — đề nghị đơn vị gửi lại biểu mẫu .xlsx"
    if low.startswith(b"<?xml"):
        return "tệp XML (có thể là Excel 2003 XML) bị đổi tên, không phải biểu mẫu .xlsx"
    if path.suffix.lower() in (".csv", ".txt"):
        return ("tệp CSV/văn bản không phải biểu mẫu trả về; nếu là bảng nhập liệu, dùng lệnh "
                "'parxl fill --values' để ghi vào biểu mẫu")
    return "tệp văn bản (có thể là CSV) bị đổi tên thành Excel, không phải biểu mẫu .xlsx"


def open_zip(path: Path, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open a returned file as an xlsx package after every cheap check; raise ReturnRejected."""
    where = Location(file=str(path))
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise ReturnRejected(
                f"tệp quá lớn ({_mb(size)}, giới hạn {_mb(limits.max_file_bytes)}) — biểu mẫu trả về "
                "thường chỉ vài trăm KB", where)
        # the whole file in one read: the zip reader then seeks in memory, not in the file (a
        # return's dozen parts cost some forty small reads otherwise)
        with path.open("rb") as fh:
            raw = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise ReturnRejected(f"không mở được tệp ({os_reason(exc)})", where) from None
    if len(raw) > limits.max_file_bytes:  # grew since stat
        raise ReturnRejected(f"tệp quá lớn (giới hạn {_mb(limits.max_file_bytes)})", where)
    head = raw[:4096]
    kind = sniff(path, head)
    if kind == "empty":
        raise ReturnRejected("tệp rỗng (0 byte) — có thể gửi lỗi, đề nghị đơn vị gửi lại", where)
    if kind == "ole":
        raise ReturnRejected(_ole_message(path), where)
    if kind == "text":
        raise ReturnRejected(_text_message(path, head), where)
    if kind == "empty-zip":
        raise ReturnRejected("tệp nén rỗng, không phải biểu mẫu Excel", where)
    if kind != "zip":
        raise ReturnRejected("không phải tệp Excel (.xlsx): nội dung không đúng định dạng", where)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReturnRejected(
            "tệp Excel bị hỏng hoặc tải về không đầy đủ (không đọc được cấu trúc nén) — đề nghị "
            "đơn vị gửi lại", where) from None
    try:
        check_directory(zf, path, limits)
    except BaseException:
        zf.close()
        raise
    return zf


def check_directory(zf: zipfile.ZipFile, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    where = Location(file=str(path))
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise ReturnRejected(f"tệp nén có quá nhiều thành phần ({len(infos)}) — nghi là tệp độc hại", where)
    names = {i.filename for i in infos}
    if "mimetype" in names or "content.xml" in names:
        raise ReturnRejected(
            "tệp OpenDocument (.ods, LibreOffice) — đề nghị mở bằng LibreOffice/Excel và lưu lại "
            "dạng Excel (.xlsx) trên biểu mẫu đã phát hành", where)
    if "xl/workbook.bin" in names:
        raise ReturnRejected("tệp Excel nhị phân (.xlsb) — đề nghị lưu lại dạng .xlsx", where)
    if "xl/workbook.xml" not in names:
        raise ReturnRejected("tệp nén không phải sổ làm việc Excel (.xlsx) — thiếu xl/workbook.xml", where)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReturnRejected("tệp có thành phần được mã hoá (mật khẩu) — đề nghị gỡ mật khẩu rồi gửi lại", where)
        total += info.file_size
        if info.file_size > limits.max_part_bytes:
            raise ReturnRejected(
                f"thành phần '{info.filename}' quá lớn khi giải nén ({_mb(info.file_size)}, giới hạn "
                f"{_mb(limits.max_part_bytes)}) — trang tính quá lớn hoặc tệp độc hại (zip bomb)", where)
        if (info.file_size > limits.ratio_floor
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            raise ReturnRejected(
                f"thành phần '{info.filename}' có tỷ lệ nén bất thường "
                f"({info.file_size // max(info.compress_size, 1)}:1) — nghi là tệp độc hại (zip bomb), "
                "không giải nén", where)
    if total > limits.max_total_bytes:
        raise ReturnRejected(
            f"tổng dung lượng giải nén quá lớn ({_mb(total)}, giới hạn {_mb(limits.max_total_bytes)}) "
            "— nghi là tệp độc hại (zip bomb)", where)


def read_part(zf: zipfile.ZipFile, name: str, path: Path, limits: Limits = DEFAULT_LIMITS,
              head: int | None = None) -> bytes:
    """Inflate one XML part, never beyond the limit (even when the zip headers lie); ``head``:
    only its first bytes."""
    where = Location(file=str(path))
    try:
        data = _inflate(zf, name, limits, head)
        if data is None:
            with zf.open(name) as fh:
                data = fh.read(min(head, limits.max_part_bytes) if head else limits.max_part_bytes + 1)
    except KeyError:
        raise ReturnRejected(f"thiếu thành phần '{name}' trong tệp Excel (tệp hỏng)", where) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise ReturnRejected("tệp có thành phần được mã hoá (mật khẩu)", where) from None
        raise ReturnRejected(
            f"tệp Excel bị hỏng: không giải nén được '{name}' — đề nghị đơn vị gửi lại", where) from None
    except Exception:  # zlib.error and friends from a damaged stream
        raise ReturnRejected(
            f"tệp Excel bị hỏng: không giải nén được '{name}' — đề nghị đơn vị gửi lại", where) from None
    if len(data) > limits.max_part_bytes:
        raise ReturnRejected(
            f"thành phần '{name}' vượt giới hạn {_mb(limits.max_part_bytes)} khi giải nén — trang tính "
            "quá lớn hoặc tệp độc hại (zip bomb); đã dừng giải nén", where)
    check_xml(data, name, path)
    return data


_LOCAL = struct.Struct("<4s22xHH")  # local file header: signature, ..., name and extra lengths


def _inflate(zf: zipfile.ZipFile, name: str, limits: Limits, head: int | None) -> bytes | None:
    """A deflated part of a package held in memory, inflated in one call (what ``zf.open`` does,
    without its stream layers); None for anything else, which ``zf.open`` then reads. The size
    must be the declared one and the CRC must match, as ``zipfile`` checks."""
    fp = zf.fp
    info = zf.getinfo(name)
    if not isinstance(fp, io.BytesIO) or info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    with fp.getbuffer() as buf:
        sig, name_len, extra_len = _LOCAL.unpack_from(buf, info.header_offset)
        if sig != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        start = info.header_offset + _LOCAL.size + name_len + extra_len
        want = min(head, info.file_size) if head else info.file_size
        with buf[start:start + info.compress_size] as comp:
            data = _zlib.decompressobj(-15).decompress(comp, min(want, limits.max_part_bytes + 1))
    if head:
        return data
    if len(data) != info.file_size:
        if len(data) > limits.max_part_bytes:
            return data  # refused by the caller as too large
        raise zipfile.BadZipFile("size differs from the directory")
    if _zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile("bad CRC")
    return data


def check_xml(data: bytes, name: str, path: Path) -> None:
    """Refuse DTDs: no entity definitions (billion laughs) or external entities (XXE)."""
    # entity declarations are legal only inside a DOCTYPE: one search for it (two, or a search
    # for "<!" first, cost twice as much over a sheet's XML)
    if b"<!DOCTYPE" in data:
        raise ReturnRejected(
            f"thành phần '{name}' chứa khai báo DOCTYPE/ENTITY (bom XML hoặc thực thể ngoài) — tệp "
            "độc hại hoặc không do Excel tạo, không đọc", Location(file=str(path)))


VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving
_MODIFIED = re.compile(
    rb"<dcterms:modified\b[^>]*>\s*(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?\s*<")


def saved_at(path: Path) -> datetime | None:
    """When the workbook or document was last saved, as Excel, Word and LibreOffice record it in
    the file (``docProps/core.xml``); None when it does not say or cannot be read."""
    try:  # any package (.xlsx, .docx); its first 8 KB only, matched by a regular expression
        with zipfile.ZipFile(path) as zf, zf.open("docProps/core.xml") as fh:
            m = _MODIFIED.search(fh.read(8192))
    except Exception:  # not a zip, no such part, encrypted, damaged: it does not say
        return None
    if m is None:
        return None
    zone = m[2].decode() if m[2] and m[2] != b"Z" else "+00:00"  # Excel writes UTC
    try:
        return datetime.fromisoformat(m[1].decode() + zone)
    except ValueError:  # a date that does not exist (month 13): no time to tell
        return None
