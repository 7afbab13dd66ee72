"""Saving workbooks reproducibly and atomically.

openpyxl stamps the current time into ``docProps/core.xml`` and into every zip entry; we
rewrite both to a fixed instant so the same inputs give the same bytes, and we write to a
temporary file beside the target and rename it, so a crash never leaves a partial file.
"""

from __future__ import annotations

import filecmp
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

from parxl.errors import InputError, Location, ParxlError, os_reason
from parxl.workbook.safety import VIETNAM, saved_at

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_ISO = "2024-01-01T00:00:00Z"
_CHAR_REF = re.compile(rb"&#(\d{3,7});")


def _utf8(m: re.Match[bytes]) -> bytes:
    code = int(m.group(1))
    # only letters beyond ASCII; markup characters (<, &, quotes) stay escaped
    return (
        chr(code).encode("utf-8")
        if 160 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        else m.group(0)
    )


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _temp_prefix(pid: int | None = None) -> str:
    """Temporary files are named after the process writing them (this one by default), so a
    parent can remove those of a child killed half-way (:func:`remove_temps`)."""
    return f".parxl-{os.getpid() if pid is None else pid}-"


def remove_temps(folder: Path, pid: int) -> None:
    """Remove the temporary files process ``pid`` left in ``folder`` (it was killed)."""
    for tmp in folder.glob(f"{_temp_prefix(pid)}*.tmp"):
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    atomic_write_all([(Path(path), data)])


def atomic_write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write files that belong together all or none: each goes to a temporary file beside its
    target first; only when every one is written are they renamed into place."""
    temps: list[tuple[str, Path]] = []
    target = Path()
    try:
        for target, data in files:
            if target.is_dir():
                raise ParxlError("đường dẫn ghi kết quả là một thư mục — hãy ghi cả tên tệp",
                                 Location(file=str(target)))
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".tmp", dir=target.parent)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        for tmp, target in temps:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ParxlError(f"không ghi được tệp ({os_reason(exc)})", Location(file=str(target))) from None
        raise


def refuse_edited(targets: list[Path], copied_from: Path | None = None) -> None:
    """An output parxl wrote before (its fixed save time still in it, or, for a copy of a file
    such as a recalculated workbook, the save time of ``copied_from``) is replaced; one saved
    since (a report edited in Word, a workbook or table edited in Excel) or a file parxl did not
    write is never: raises :class:`InputError` naming each at once, before anything is written."""
    problems = []
    made = {FIXED_ISO.replace("Z", "+00:00")}
    if copied_from is not None and (source := saved_at(copied_from)) is not None:
        made.add(source.isoformat())
    for target in targets:
        if not target.is_file():
            continue
        when = saved_at(target)
        if when is None:
            problems.append(f"'{target}' là tệp khác, không do parxl tạo")
        elif when.isoformat() not in made:
            local = when.astimezone(VIETNAM)
            problems.append(f"'{target}' đã được sửa và lưu lại lúc {local:%H:%M} ngày {local:%d/%m/%Y}, sau khi "
                            "parxl tạo")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise InputError(f"không ghi đè, vì sẽ mất phần đã sửa:\n{lines}\nHãy đổi tên tệp đó (hoặc chọn tên khác "
                         "cho tệp kết quả -o) rồi chạy lại.")


def normalized_xlsx_bytes(raw: bytes) -> bytes:
    """Same package with fixed timestamps (zip entries and document properties)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIME.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<3>", data)
            elif info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                # openpyxl writes every Vietnamese letter as a character reference (&#7913;):
                # back to UTF-8, the sheets shrink by about half and read twice as fast
                data = _CHAR_REF.sub(_utf8, data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data, compresslevel=6)
    return out.getvalue()


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """Save reproducibly (fixed timestamps) and atomically."""
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(path, normalized_xlsx_bytes(buf.getvalue()))


def place_unclobbered(written: list[tuple[Path, Path]]) -> list[Path]:
    """Move freshly written files, ``(written, target)``, to their targets, but never over a
    different file already there (a report staff may have edited since it was made): then all
    of them go to "name (2).ext" (or the first number free for all). A target that holds the
    same bytes already is simply the same file. Returns where they went."""
    n = 1
    while True:
        dests = [t if n == 1 else t.with_name(f"{t.stem} ({n}){t.suffix}") for _, t in written]
        if all(not d.exists() or filecmp.cmp(d, w, shallow=False) for (w, _), d in zip(written, dests, strict=True)):
            break
        n += 1
    for (w, _), d in zip(written, dests, strict=True):
        os.replace(w, d)
    return dests
