"""The report entry points (re-exported lazily by :mod:`parxl.report`)."""


from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parxl.errors import InputError, Location, WorkbookError
from parxl.framework.model import Framework
from parxl.inputs import BODY, csv_separator, read_table_text
from parxl.report import context as C
from parxl.report.context import Body, Report
from parxl.report.info import KINDS, ReportInfo
from parxl.workbook.layout import KIND_OFFICE, MISSING_OFFICES

TASK_SHEET = "Nhiệm vụ"
#: a body name left blank for the signer to fill in (as the date line's blanks), and where it is
BLANK_NAME = "................"
NAME_CELL = "ô C2 'Cơ quan, đơn vị' trang 'Tổng hợp'"


def load_body(path: str | Path) -> Body:
    """Read a scored or consolidated parxl workbook and score it from its inputs."""
    from parxl.score import score_values
    from parxl.workbook.read import read_return

    ret = read_return(path)
    s = score_values(ret.framework, ret.values)
    office = ret.meta.get("office", "") if ret.meta.get("kind") == KIND_OFFICE else ""
    return Body(ret.framework, s, dict(ret.values), ret.body.strip(), ret.year.strip() or "......", Path(path),
                _missing_offices(ret.meta.get(MISSING_OFFICES, ""), ret.framework), office)


def _file_named(body: Body) -> Body:
    """A body whose workbook has no name, named by its file: to rank it, or to match it with
    another year's file."""
    return dataclasses.replace(body, name=body.path.stem) if not body.name and body.path else body


def _missing_offices(text: str, fw: Framework) -> dict[str, str]:
    """Collect's record of the offices whose return a consolidated workbook lacks (see
    :func:`parxl.office.collect.consolidated_workbook`); only offices of the framework."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    offices = set(fw.offices())
    return {str(k): str(v) for k, v in data.items() if k in offices} if isinstance(data, dict) else {}


def _read_table(path: Path, sheet: str | None) -> pd.DataFrame | None:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    names = wb.sheet_names
    if sheet is not None and sheet not in names:
        return None
    rows = wb.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=True)
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        return pd.DataFrame()
    header = [str(h).strip() for h in rows[0]]
    body = [[None if v == "" else v for v in r] for r in rows[1:]]
    return pd.DataFrame(body, columns=header)


def load_tasks(path: str | Path | None, workbook: str | Path | None = None) -> pd.DataFrame | None:
    """The plan-task table: a CSV / .xlsx given by the user, else the sheet "Nhiệm vụ" of the
    workbook if it has one, else None."""
    if path is not None:
        p = Path(path)
        where = Location(file=str(p))
        if not p.is_file():
            raise InputError("không tìm thấy bảng nhiệm vụ", where)
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                df = _read_table(p, TASK_SHEET)
                if df is None:
                    df = _read_table(p, None)
            except Exception as exc:
                raise InputError(f"không đọc được bảng nhiệm vụ ({type(exc).__name__})", where) from None
        else:  # as Excel saves it: semicolons in Vietnamese, maybe a title above the header
            from parxl.analysis.tasks import COLUMNS

            known = {name for names in COLUMNS.values() for name in names}
            text, sep, _ = csv_separator(read_table_text(p, "bảng nhiệm vụ"), known, where)
            try:
                df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
            except pd.errors.ParserError as exc:
                raise InputError(f"bảng nhiệm vụ không phải CSV hợp lệ ({exc})", where) from None
            df = df.replace("", None)
        return df
    if workbook is not None:
        try:
            return _read_table(Path(workbook), TASK_SHEET)
        except Exception:
            return None
    return None


_GROUP_HEADERS = {"cơ quan, đơn vị", "cơ quan", "đơn vị", "body", "nhóm", "group"}


def load_groups(path: str | Path) -> dict[str, str]:
    """A table with columns body (Cơ quan, đơn vị) and group (Nhóm): the ranking groups. A CSV as
    Excel saves it (semicolons in Vietnamese, a title above the header) or a workbook."""
    p = Path(path)
    where = Location(file=str(p))
    try:
        text, sep, _ = csv_separator(read_table_text(p, "bảng nhóm"), _GROUP_HEADERS, where)
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise InputError(f"không đọc được bảng nhóm ({exc})", where) from None
    if len(df.columns) < 2:
        raise InputError("bảng nhóm cần 2 cột: cơ quan, đơn vị và nhóm", where)
    return {str(a).strip(): str(b).strip() for a, b in zip(df.iloc[:, 0], df.iloc[:, 1], strict=True) if a}


def expand_inputs(paths: Sequence[str | Path], exclude: Sequence[str | Path] = ()) -> list[Path]:
    """Files as given; a folder stands for the .xlsx files in it (sorted, no temp ~$ files, not
    the report's own outputs when they are written into that folder)."""
    out: list[Path] = []
    skip = {Path(e).resolve() for e in exclude}
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.glob("*.xlsx")
                           if not q.name.startswith(("~$", ".")) and q.resolve() not in skip)
            if not found:
                raise InputError("không có tệp .xlsx nào", Location(file=str(p)))
            out.extend(found)
        else:
            out.append(p)
    return out


def build_report(
    kind: str,
    bodies: Sequence[Body],
    *,
    info: ReportInfo | None = None,
    previous: Sequence[Body] = (),
    tasks: pd.DataFrame | None = None,
    groups: dict[str, str] | None = None,
    previous_ranks: dict[str, int] | None = None,
) -> Report:
    """The report (context, charts, tables, warnings) of a kind, from scored bodies.

    ``previous_ranks`` (ranking only): last year's official ranks, used instead of ranks computed
    from the totals of ``previous``."""
    if kind not in KINDS:
        raise InputError(f"loại báo cáo '{kind}' không hợp lệ (dùng: {', '.join(KINDS)})")
    info = info or ReportInfo()
    if info.rank_problems():
        raise InputError("; ".join(f"{key}: {msg}" for key, msg in info.rank_problems()))
    if not bodies:
        raise InputError("cần ít nhất một tệp đã chấm điểm")
    copies = [f"'{b.path.name if b.path else b.name}' là biểu mẫu phát hành cho đơn vị chủ trì '{b.office}'"
              for b in [*bodies, *previous] if b.office]
    if copies and (kind == "ranking" or previous):
        raise InputError("; ".join(copies) + " — chỉ gồm các mục của đơn vị đó, không phải kết quả của cả cơ quan: "
                         "dùng tệp tổng hợp (parxl collect) hoặc biểu mẫu của cơ quan")
    previous = [_file_named(b) for b in previous]
    if kind == "ranking":
        if len(bodies) < 2:
            raise InputError(f"báo cáo xếp hạng cần ít nhất hai cơ quan, đơn vị (đã nhận {len(bodies)} tệp); "
                             "báo cáo của một đơn vị: dùng --kind self-assessment")
        ranked = C.ranking([_file_named(b) for b in bodies], info, previous, groups, previous_ranks)
        ranked.warnings += [f"Tệp {b.path.name} không ghi tên cơ quan, đơn vị ({NAME_CELL}): bảng xếp hạng ghi "
                            f"tên tệp '{b.path.stem}'." for b in bodies if not b.name and b.path]
        ranked.warnings += [_blank(b) for b in bodies if _blank(b)]
        return ranked
    if len(bodies) > 1:
        raise InputError(f"báo cáo '{kind}' lập cho một cơ quan, đơn vị: chỉ nhận một tệp "
                         f"(đã nhận {len(bodies)}); dùng --kind ranking để xếp hạng nhiều đơn vị")
    if len(previous) > 1:
        raise InputError("--previous chỉ nhận một tệp năm trước cho báo cáo của một đơn vị")
    body = bodies[0]
    if not body.name:
        body = dataclasses.replace(body, name=BLANK_NAME)
    prev = previous[0] if previous else None
    if kind == "self-assessment":
        report = C.self_assessment(body, info, prev)
    elif kind == "interim":
        report = C.interim(body, info, tasks)
        others = sorted({y for y in C.YEAR.findall(info.period) if y != body.year}) if body.year != "......" else []
        if others:
            report.warnings.append(
                f"Kỳ sơ kết '{info.period}' ghi năm {', '.join(others)}, nhưng tệp là số liệu năm {body.year} (ô C3 "
                "'Năm đánh giá' trang 'Tổng hợp'): kiểm tra lại kỳ sơ kết (--period) hoặc tệp (có thể đã chọn nhầm "
                "tệp của năm khác).")
        if prev is not None:
            report.warnings.append("Báo cáo sơ kết không dùng số liệu năm trước: bỏ qua --previous.")
    else:
        report = C.remedy(body, info, prev)
        if info.date and info.published and info.date < info.published:  # seed 000 is dated so
            report.warnings.append(
                f"Ngày văn bản ({info.date:%d/%m/%Y}, --date) trước ngày công bố Chỉ số ({info.published:%d/%m/%Y}, "
                "--published), ngày tính hạn giải trình: kiểm tra lại một trong hai ngày.")
    if body.office:  # one office's copy: its items only, the others undetermined
        own = sum(1 for i in body.framework.items if i.office == body.office)
        note = (f"Báo cáo lập từ biểu mẫu của {body.office}, chỉ gồm {own} tiêu chí thành phần do đơn vị này chủ "
                "trì; các tiêu chí thành phần khác tính là chưa xác định.")
        report.context["notes"] = [note, *report.context.get("notes", [])]
        report.warnings.append(f"{note} Báo cáo của cả cơ quan lập từ tệp tổng hợp (parxl collect).")
    if blank := _blank(body):
        report.warnings.insert(0, blank)
    if body.name == BLANK_NAME:
        report.warnings.append(f"Tệp không ghi tên cơ quan, đơn vị ({NAME_CELL}): văn bản để trống tên cơ quan, "
                               "đơn vị.")
    if body.year == "......":
        report.warnings.append("Tệp không ghi năm đánh giá (ô 'Năm đánh giá' trang 'Tổng hợp'): văn bản để trống năm.")
    return report


def _blank(body: Body) -> str:
    """A warning when the workbook holds no item's data (a blank template chosen by mistake for
    the filled one: the report then says 0 points of every item), else ''."""
    if any(code != BODY for code, _ in body.values):
        return ""
    name = f"Tệp {body.path.name}" if body.path else "Tệp"
    return (f"{name} chưa có số liệu của tiêu chí thành phần nào (biểu mẫu trống?): mọi nội dung tính là chưa xác "
            "định, tổng điểm 0 — kiểm tra lại đã chọn đúng tệp đã điền hoặc tệp tổng hợp chưa.")


@dataclass
class ReportResult:
    report: Report
    outputs: list[Path] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return self.report.warnings


def make_report(
    kind: str,
    workbooks: Sequence[str | Path],
    output: str | Path,
    *,
    previous: Sequence[str | Path] = (),
    info: ReportInfo | None = None,
    tasks: str | Path | None = None,
    groups: str | Path | None = None,
    template: str | Path | None = None,
    xlsx: str | Path | None = None,
) -> ReportResult:
    """Read the workbooks, build the report, write the .docx (and the .xlsx report if asked).

    The output is written atomically and never over an input file.
    """
    from parxl.report.word import render_docx
    from parxl.report.xlsx import write_report_xlsx
    from parxl.workbook.save import atomic_write_bytes, refuse_edited

    outputs = [output, *([xlsx] if xlsx else [])]
    files = expand_inputs(workbooks, outputs)
    prev_files = expand_inputs(previous, outputs) if previous else []
    out = Path(output)
    inputs = {p.resolve() for p in [*files, *prev_files]}
    for target in (out, Path(xlsx) if xlsx else None):
        if target is not None and target.resolve() in inputs:
            raise InputError("tệp kết quả phải khác các tệp đầu vào (không ghi đè tệp đầu vào)",
                             Location(file=str(target)))
    if out.suffix.lower() != ".docx":
        raise InputError("tệp kết quả phải có đuôi .docx", Location(file=str(out)))
    refuse_edited([out, *([Path(xlsx)] if xlsx else [])])  # a report staff edited in Word is theirs
    bodies = [load_body(p) for p in files]
    prev_bodies = []
    for p in prev_files:
        try:
            prev_bodies.append(load_body(p))
        except WorkbookError as exc:
            raise WorkbookError(f"tệp năm trước: {exc.message}", exc.where) from None
    table = load_tasks(tasks, files[0] if kind == "interim" and len(files) == 1 else None)
    report = build_report(kind, bodies, info=info, previous=prev_bodies, tasks=table,
                          groups=load_groups(groups) if groups else None)
    data = render_docx(report, template)
    atomic_write_bytes(out, data)
    result = ReportResult(report, [out])
    if xlsx:
        write_report_xlsx(report, xlsx)
        result.outputs.append(Path(xlsx))
    return result
