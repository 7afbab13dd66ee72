"""Read a parxl workbook (template, return, consolidated) by item code.

The cells come from the one reader of returns, :mod:`parxl.workbook.fastread` (bounded, no
openpyxl); the hidden metadata sheet says which framework the workbook was built from (the
framework itself is embedded, so a workbook built from a private YAML can be scored anywhere).
Items are found by their code in column "Mã" and inputs by header text, never by fixed
positions. Computed cells are not read: scoring recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parxl.errors import InputError, Location, ParxlError, WorkbookError
from parxl.framework.model import Framework
from parxl.workbook import layout as L
from parxl.workbook.fastread import RawReturn, framework_for, read_raw
from parxl.workbook.safety import DEFAULT_LIMITS, Limits

CellRef = tuple[str, str]  # (sheet, "H12")


@dataclass
class Return:
    """What a workbook holds: its framework, metadata and input values by item code."""

    path: Path
    framework: Framework
    meta: dict[str, str]
    values: dict[tuple[str, str], Any] = field(default_factory=dict)
    cells: dict[tuple[str, str], CellRef] = field(default_factory=dict)
    body: str = ""
    year: str = ""


def read_return(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Return:
    """Read inputs by item code from a parxl workbook, with the guards of the collect reader
    (:mod:`parxl.workbook.fastread`): a file given to ``parxl score`` is as untrusted as a return."""
    return return_of(read_parxl_file(path, limits, checks=False))


def read_parxl_file(path: str | Path, limits: Limits = DEFAULT_LIMITS, *, checks: bool = True) -> RawReturn:
    """The guarded raw read of one parxl workbook (``checks``: with what the collect checks
    need); raises, naming the file, for a missing file, a folder or a tampered framework."""
    p = Path(path)
    where = Location(file=str(p))
    if not p.exists():
        raise WorkbookError("không tìm thấy tệp", where)
    if p.is_dir():
        raise WorkbookError("đây là thư mục, không phải tệp Excel", where)
    raw = read_raw(p, str(p), limits, checks=checks)
    if not raw.fingerprint_ok:
        raise WorkbookError("dấu vân tay bộ tiêu chí không khớp: trang '_parxl' đã bị sửa",
                            Location(file=str(p), sheet=L.META))
    return raw


def return_of(raw: RawReturn) -> Return:
    """A raw read's inputs by item code (the first row of an item that appears twice)."""
    p = Path(raw.path)
    fw = framework_for(raw.framework_key, None, str(p))
    ret = Return(p, fw, raw.meta, body=raw.body, year=raw.year)
    columns = _input_columns(fw)
    for row in raw.rows:
        if (row.code, "status") in ret.cells:  # an item twice: the first row counts
            continue
        for key, column in columns[row.code]:
            ret.cells[key] = (row.sheet, row.refs[column])
            cell = row.inputs.get(column)
            if cell is not None and cell.value is not None and cell.value != "":
                ret.values[key] = cell.value
    return ret


_COLUMNS: dict[str, dict[str, tuple[tuple[tuple[str, str], str], ...]]] = {}


def _input_columns(fw: Framework) -> dict[str, tuple[tuple[tuple[str, str], str], ...]]:
    """Item code -> ((item code, field), column key) of each of its inputs, once per framework."""
    columns = _COLUMNS.get(fw.fingerprint)
    if columns is None:
        columns = _COLUMNS[fw.fingerprint] = {
            i.code: tuple(((i.code, name), key) for name, key in L.input_columns(i).items())
            for i in fw.items}
    return columns


def flavor_of(path: str | Path) -> str | None:
    """The flavour a parxl template was built in, as its '_parxl' sheet records it ("native",
    "udf"); None for a workbook that is not a readable parxl template (it is then recalculated
    as any workbook)."""
    from parxl.workbook.fastread import open_package, read_meta

    try:
        pkg = open_package(Path(path))
    except WorkbookError:
        return None
    try:
        if L.META not in pkg.sheets:
            return None
        meta, _, _ = read_meta(pkg, str(path))
    except WorkbookError:
        return None
    finally:
        pkg.zf.close()
    return meta.get("flavor", "native")


def refuse_to_replace(targets: list[Path]) -> None:
    """A blank template is never written over a workbook that may hold someone's work: each
    existing target must be a parxl workbook with no value typed in (what an earlier run of the
    same command wrote). Raises :class:`InputError` naming every other target at once."""
    problems: list[str] = []
    for target in targets:
        if not target.is_file():
            continue
        try:
            ret = read_return(target)
        except ParxlError:
            problems.append(f"'{target}' là tệp khác, không phải biểu mẫu parxl")
            continue
        if ret.values:
            code, field_ = next(iter(ret.values))
            sheet, cell = ret.cells[(code, field_)]
            problems.append(f"'{target}' đã có số liệu ({len(ret.values)} ô, ví dụ mục {code} ở '{sheet}'!{cell})")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise InputError("không ghi đè biểu mẫu trống lên tệp đã có, vì có thể mất số liệu:\n" + lines
                         + "\nHãy chuyển các tệp đó sang thư mục khác (hoặc đổi tên, xoá nếu chắc chắn) rồi chạy lại.")
