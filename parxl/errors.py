"""The one exception tree of parxl.

    ParxlError                 every error parxl raises on purpose
    ├── FrameworkError         a framework spec (YAML / table) is invalid; carries all problems
    ├── WorkbookError          a workbook cannot be read / is not a parxl template
    ├── InputError             a value given by a user is invalid (CSV, cell, argument)
    └── EngineError            a spreadsheet engine (LibreOffice, formulas) failed

Messages are in Vietnamese (they reach users) and name the file, sheet, cell and item
where known. The CLI is the only place that prints them.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: any part may be unknown."""

    file: str = ""
    sheet: str = ""
    cell: str = ""
    item: str = ""

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{'thư mục' if os.path.isdir(self.file) else 'tệp'} '{self.file}'")
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.cell:
            parts.append(f"ô {self.cell}")
        if self.item:
            parts.append(f"mục {self.item}")
        return ", ".join(parts)


class ParxlError(Exception):
    """Base of every error parxl raises on purpose."""

    def __init__(self, message: str, where: Location | None = None) -> None:
        self.message = message
        self.where = where or Location()
        text = f"{self.where.describe()}: {message}" if self.where.describe() else message
        super().__init__(text)


class FrameworkError(ParxlError):
    """A framework spec is invalid; ``problems`` lists every problem found. ``unread``: the file
    could not be read at all (not found, no permission): nothing in it was judged invalid."""

    def __init__(self, problems: list[str], source: str = "", *, unread: bool = False) -> None:
        self.problems = list(problems)
        if unread:
            super().__init__("; ".join(self.problems), Location(file=source))
            return
        head = f"Bộ tiêu chí '{source}' không hợp lệ" if source else "Bộ tiêu chí không hợp lệ"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head} ({len(self.problems)} lỗi):\n{body}", Location(file=source))


class WorkbookError(ParxlError):
    """A workbook cannot be read or is not a parxl template."""


class InputError(ParxlError):
    """A value given by a user is invalid."""


class EngineError(ParxlError):
    """A spreadsheet engine failed to recalculate a workbook."""


_OS_REASONS = {
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.ENOENT: "không tìm thấy",
    errno.EISDIR: "đây là thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.ENAMETOOLONG: "đường dẫn quá dài",
}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Vietnamese (the system's text otherwise)."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def os_error(exc: OSError, doing: str = "đọc hoặc ghi") -> ParxlError:
    """An OSError as a ParxlError naming the file: ``không {doing} được tệp (lý do)``."""
    name = exc.filename if exc.filename is not None else ""
    return ParxlError(f"không {doing} được tệp ({os_reason(exc)})", Location(file=str(name)))
