"""Collect returned workbooks from a folder, check them, consolidate and score.

Every file under the folder (sub-folders too) is recognised by the metadata in its hidden
``_parxl`` sheet, never by its name. Office returns (one per responsible office) are merged by
item code into their body's inputs; body returns (communes of a district, districts of a
province) become one row each of a scores table. Every problem of every file is reported at
once; a bad file never stops the others. Outputs are computed in memory first and then
written atomically, so a crash leaves either the old outputs or the new ones, never a part;
the same folder gives the same bytes, and input files are only ever read.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from copy import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parxl.errors import InputError, Location, ParxlError
from parxl.framework.load import spelling_key
from parxl.framework.model import Framework, code_order
from parxl.inputs import (
    BODY,
    csv_plain,
    csv_separator,
    csv_text,
    field_label,
    read_table_text,
    value_text,
)
from parxl.office.check import (
    ERROR,
    KIND_BODY,
    KIND_CONSOLIDATED,
    KIND_OFFICE,
    REMINDER,
    WARNING,
    Issue,
    Key,
    Processed,
    process_file,
    score_row,
    warnings_text,
)
from parxl.office.distribute import MANIFEST, safe_file_name
from parxl.score import score_values
from parxl.workbook import layout as L
from parxl.workbook.build import (
    LINE_HEIGHT,
    build_workbook,
    page_header,
    print_pages_wide,
    summary_note,
    text_lines,
)
from parxl.workbook.fastread import _FRAMEWORKS, framework_for, open_package, read_meta
from parxl.workbook.fill import write_values
from parxl.workbook.safety import DEFAULT_LIMITS, VIETNAM, Limits, saved_at
from parxl.workbook.save import atomic_write_all, normalized_xlsx_bytes
from parxl.workbook.values import read_template

SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xls", ".xlsb", ".ods", ".csv"}
ARCHIVES = {".zip", ".rar", ".7z"}
PARALLEL_THRESHOLD = 64
Progress = Callable[[int, int], None]


@dataclass
class BodyScore:
    """One body's consolidated result (one row of the scores table)."""

    body: str
    files: list[str]
    numbers: dict[str, Any]  # see parxl.office.check.score_row
    year: str = ""
    missing: dict[str, str] = field(default_factory=dict)  # office not consolidated -> unusable file it sent

    def row(self, fw: Framework) -> dict[str, Any]:
        return {"body": self.body, "files": len(self.files), **self.numbers}


@dataclass
class CollectResult:
    """What a collect found: every issue, the consolidated scores and the files written."""

    folder: Path
    framework: Framework | None
    issues: list[Issue] = field(default_factory=list)
    bodies: list[BodyScore] = field(default_factory=list)
    files: int = 0
    used: int = 0
    values: dict[Key, Any] | None = None  # merged inputs when the folder holds one body
    outputs: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    @property
    def reminders(self) -> int:
        """Reminders (missing evidence or explanation, figures not yet scored under an open
        status): not problems with a value, and not counted in ``warnings``."""
        return sum(1 for i in self.issues if i.reminder)

    def by_office(self) -> dict[str, tuple[int, int, int]]:
        """Office -> (errors, warnings, reminders) of the issues that name an office: whom to call."""
        counts: dict[str, list[int]] = {}
        for i in self.issues:
            if i.office:
                counts.setdefault(i.office, [0, 0, 0])[(ERROR, WARNING, REMINDER).index(i.severity)] += 1
        return {office: (e, w, r) for office, (e, w, r) in sorted(counts.items())}

    @property
    def scores(self) -> list[dict[str, Any]]:
        fw = self.framework
        return [b.row(fw) for b in self.bodies] if fw else []


# --------------------------------------------------------------------------- discovery

def _outputs_for(output: Path) -> list[Path]:
    stem = output.with_suffix("")
    return [output, Path(f"{stem}-kiem-tra.csv"), Path(f"{stem}-kiem-tra.json"), Path(f"{stem}-diem.csv")]


# how each file collect writes begins: one that begins otherwise is not collect's, never replaced
_OUTPUT_HEADS = (b"\xef\xbb\xbffile,sheet,cell,", b"{", '\ufeff"Cơ quan, đơn vị",'.encode())


def refuse_to_replace_outputs(output: Path) -> None:
    """Collect writes its four files over what an earlier collect wrote, never over anything
    else: a return given as ``-o`` (the office's work lost, and the return itself left unread as
    the output), a template, a file of the user's. Raises :class:`InputError` naming each."""
    xlsx, *others = _outputs_for(output)
    problems = []
    if xlsx.is_file() and (what := _not_collected(xlsx)):
        problems.append(f"'{xlsx}' {what}")
    for path, head in zip(others, _OUTPUT_HEADS, strict=True):
        if path.is_file():
            with path.open("rb") as fh:  # its first bytes, or all of a shorter one (no scores: a BOM only)
                if not head.startswith(fh.read(len(head))):
                    problems.append(f"'{path}' là tệp khác, không phải kết quả thu thập của parxl")
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise InputError("không ghi kết quả tổng hợp đè lên tệp không do lệnh thu thập tạo ra, vì có thể mất số "
                         f"liệu:\n{lines}\nHãy chọn tên khác cho tệp kết quả (-o) rồi chạy lại.")


def _not_collected(path: Path) -> str:
    """What the workbook is when an earlier collect did not write it ("" when it did)."""
    try:
        pkg = open_package(path)
    except ParxlError:
        return "là tệp khác, không phải tệp Excel do parxl tạo"
    with pkg.zf:
        if L.CHECKS in pkg.sheets and set(pkg.sheets) <= {L.RESULTS, L.CHECKS}:  # many bodies, or none usable
            return ""
        if L.META not in pkg.sheets:
            return "là tệp Excel khác, không do parxl tạo"
        try:
            meta = read_meta(pkg, str(path))[0]
        except ParxlError:
            return "là biểu mẫu parxl bị hỏng trang '_parxl', không phải tệp tổng hợp"
    kind = meta.get("kind", "")
    if kind == KIND_CONSOLIDATED:
        return ""
    whose = meta.get("office") if kind == KIND_OFFICE else meta.get("body")
    return f"là biểu mẫu parxl{f' của {whose}' if whose else ''}, không phải tệp tổng hợp"


def discover(folder: Path, skip: Iterable[Path] = ()) -> tuple[list[tuple[Path, str]], list[Issue]]:
    """Candidate files under ``folder`` (sorted by relative path) and notes on skipped ones."""
    if not folder.is_dir():
        raise InputError("đây là một tệp; cần thư mục chứa các biểu mẫu trả về" if folder.exists()
                         else "không tìm thấy thư mục biểu mẫu trả về", Location(file=str(folder)))
    skipped = {p.resolve() for p in skip}
    skipped_names = {p.name for p in skipped}  # resolve() only a file of that name (10,000 realpaths cost 1 s)
    found: list[tuple[Path, str]] = []
    notes: list[Issue] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            rel = p.relative_to(folder).as_posix()
            if name.startswith(".parxl-") or name.startswith("."):
                continue
            if p.suffix.lower() in ARCHIVES:  # returns forwarded together in one attachment
                notes.append(Issue(rel, "", "", "", "", WARNING, f"tệp nén ({p.suffix.lower()}): các tệp trong đó chưa "
                                   "được đọc — giải nén vào thư mục này rồi chạy lại"))
                continue
            if p.suffix.lower() not in SUFFIXES or name == MANIFEST:
                continue
            if name in skipped_names and p.resolve() in skipped:
                continue
            if name.startswith("~$"):
                notes.append(Issue(rel, "", "", "", "", WARNING,
                                   "tệp khoá tạm của Excel (có người đang mở tệp gốc) — bỏ qua"))
                continue
            if p.is_symlink():
                notes.append(Issue(rel, "", "", "", "", WARNING, "liên kết tượng trưng (symlink) — bỏ qua"))
                continue
            found.append((p, rel))
    found.sort(key=lambda x: x[1])
    return found, notes


def stray_files(folder: Path, names: Iterable[str]) -> dict[str, str]:
    """Name -> a file under ``folder`` that is not a workbook but is named after that office or
    body ("Phòng Tư pháp.pdf", a scan or a photo sent instead of the return), as ``distribute``
    names the copies. Such files are not read; they explain a missing return."""
    by_name = {safe_file_name(n).casefold(): n for n in names}
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            p = Path(root) / name
            if name.startswith((".", "~$")) or p.suffix.lower() in SUFFIXES or p.suffix.lower() in ARCHIVES:
                continue  # an archive is named by discover (to unpack), not as a scan sent instead
            who = by_name.get(safe_file_name(p.stem).casefold())
            if who is not None and who not in found:
                found[who] = p.relative_to(folder).as_posix()
    return found


def not_a_workbook(rel: str) -> str:
    return (f"tệp '{rel}' không phải biểu mẫu Excel ({Path(rel).suffix or 'không có đuôi'}) — không đọc; đề nghị "
            "gửi lại biểu mẫu Excel (.xlsx) đã phát hành")


def _work(args: tuple[Path, str, Limits]) -> Processed:
    # only office merges point at cells; a conflict between body returns re-reads both files
    return process_file(*args, body_cells=False)


def process_all(files: list[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS, workers: int | None = None,
                progress: Progress | None = None) -> Iterator[Processed]:
    """Read and check every file, in order; in worker processes when there are many."""
    n = len(files)
    jobs = [(p, rel, limits) for p, rel in files]
    procs = workers if workers is not None else (os.cpu_count() or 1)
    if n > PARALLEL_THRESHOLD and procs > 1:
        chunk = max(1, min(64, n // (procs * 8)))
        with ProcessPoolExecutor(max_workers=procs) as ex:
            for i, res in enumerate(ex.map(_work, jobs, chunksize=chunk), start=1):
                if progress:
                    progress(i, n)
                yield res
        return
    for i, job in enumerate(jobs, start=1):
        res = _work(job)
        if progress:
            progress(i, n)
        yield res


# --------------------------------------------------------------------------- consolidation

@dataclass
class _Group:
    """Returns sharing one framework (fingerprint)."""

    key: str
    usable: int = 0
    processed: list[Processed] = field(default_factory=list)  # office returns, kept whole
    # body -> (path, digest, score row, values while kept, year) of each of its returns
    bodies: dict[str, list[tuple[str, str, dict[str, Any], dict[Key, Any] | None, str]]] = field(default_factory=dict)
    keep_values: bool = True  # body values are kept only while the folder holds one body


_MANIFEST_COLUMNS = ("kind", "body", "office")


def _load_expected(path: Path, fw: Framework) -> tuple[list[tuple[str, str]], list[str]]:
    """(office, body) pairs and bodies expected: from a distribution manifest (as parxl wrote it,
    or re-saved by Excel: semicolons, a ``sep=`` line, headers in capitals), or from a plain list
    of names, where the framework's offices are offices (of the body collected) and other names
    bodies."""
    from parxl.office.distribute import read_bodies

    text = read_table_text(path, "tệp danh sách phát hành")
    text, sep, _ = csv_separator(text, _MANIFEST_COLUMNS, Location(file=str(path)))
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = [" ".join(h.split()).casefold() for h in next(reader, [])]
    if set(_MANIFEST_COLUMNS) <= set(header):
        at = {name: header.index(name) for name in _MANIFEST_COLUMNS}
        offices: list[tuple[str, str]] = []
        bodies: list[str] = []
        for row in reader:
            kind, body, office = (csv_plain(row[at[n]].strip()) if at[n] < len(row) else ""
                                  for n in _MANIFEST_COLUMNS)
            if kind == KIND_OFFICE:
                offices.append((office, body))
            elif kind == KIND_BODY:
                bodies.append(body)
        return offices, bodies
    names = read_bodies(path)
    own = {o.casefold(): o for o in fw.offices()}
    return [(own[n.casefold()], "") for n in names if n.casefold() in own], [
        n for n in names if n.casefold() not in own]


def collect(
    folder: str | Path,
    output: str | Path | None = None,
    *,
    expected: str | Path | None = None,
    framework: Framework | None = None,
    workers: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> CollectResult:
    """Collect, check, consolidate and score every return under ``folder``.

    ``output``: the consolidated workbook to write (with ``-kiem-tra.csv``, ``-kiem-tra.json``
    and ``-diem.csv`` beside it). ``expected``: a distribution manifest or a list of bodies, to
    name the returns still missing (a ``danh-sach-phat-hanh.csv`` in the folder is used
    otherwise). ``framework``: the framework to collect for (default: the one most returns use).
    """
    root = Path(folder)
    if output is not None:
        refuse_to_replace_outputs(Path(output))
    outs = _outputs_for(Path(output)) if output is not None else []
    files, notes = discover(root, outs)
    result = CollectResult(root, None, list(notes), files=len(files))
    groups: dict[str, _Group] = {}
    fw_meta: dict[str, tuple[str, str]] = {}
    unreadable: list[str] = []  # files that could not be used: whose they are is told by their names
    refused: dict[str, str] = {}  # office or body -> a return of it that is not consolidated
    for p in process_all(files, limits, workers, progress):
        result.issues.extend(p.issues)
        if p.fw_json is not None:
            framework_for(p.fw_key, p.fw_json, p.path)
        if p.fw_key and p.fw_key in _FRAMEWORKS:
            fwk = _FRAMEWORKS[p.fw_key]
            fw_meta[p.fw_key] = (fwk.id, fwk.version)
        if not p.ok:
            if p.kind == KIND_CONSOLIDATED:
                result.issues.append(Issue(p.path, "", "", "", "", WARNING,
                                           "tệp tổng hợp do parxl tạo (không phải biểu mẫu trả về) — bỏ qua"))
            else:
                unreadable.append(p.path)
                if owner := _owner(p):  # a tampered '_parxl' sheet still says whose the file is
                    refused.setdefault(owner, p.path)
            continue
        if p.meta.get("template_version") != str(L.TEMPLATE_VERSION):
            result.issues.append(Issue(
                p.path, L.META, "", "", p.office, ERROR,
                f"biểu mẫu phiên bản {p.meta.get('template_version') or '?'}, parxl này dùng phiên bản "
                f"{L.TEMPLATE_VERSION} — đề nghị điền lại trên biểu mẫu phát hành mới; không tổng hợp tệp này"))
            if owner := _owner(p):
                refused.setdefault(owner, p.path)
            continue
        body = p.body or p.meta.get("body", "")
        if (template := master_template(p)) is not None:
            if template.severity == ERROR:
                unreadable.append(p.path)  # named after an office, it was sent: told where it is missed
            result.issues.append(template)
            continue
        if (blank := blank_return(p, body)) is not None:
            result.issues.append(blank)
            refused.setdefault(body, p.path)
            continue
        g = groups.setdefault(p.fw_key, _Group(p.fw_key))
        g.usable += 1
        if p.kind == KIND_OFFICE:
            g.processed.append(p)
        else:
            entries = g.bodies.setdefault(body, [])
            assert p.score_row is not None
            if g.keep_values and (len(g.bodies) > 1 or entries):
                g.keep_values = False
                _drop_values(g)
            entries.append((p.path, p.digest, p.score_row, p.values if g.keep_values else None, p.year))
    ref = _reference(groups, framework, result)
    if ref is None:
        if output is not None:
            _write_outputs(result, None, Path(output))
        result.issues.sort(key=_sort_key)
        return result
    fw = _FRAMEWORKS[ref] if framework is None else framework
    result.framework = fw
    for key, g in sorted(groups.items()):
        if key == ref:
            continue
        fid, ver = fw_meta.get(key, ("?", "?"))
        why = "phiên bản bộ tiêu chí khác" if fid == fw.id else "bộ tiêu chí khác"
        owners = [(p.path, p.office, p.office) for p in g.processed]
        owners += [(e[0], body, "") for body, es in g.bodies.items() for e in es]
        for path, owner, office in sorted(owners):
            refused.setdefault(owner, path)
            result.issues.append(Issue(
                path, L.META, "", "", office, ERROR,
                f"{why}: tệp dùng '{fid}' phiên bản {ver}, đang tổng hợp '{fw.id}' phiên bản {fw.version} "
                "(dấu vân tay khác) — không tổng hợp tệp này"))
    g = groups.get(ref, _Group(ref))
    result.used = g.usable
    exp_offices: list[tuple[str, str]] = []
    exp_bodies: list[str] = []
    exp_path = Path(expected) if expected is not None else root / MANIFEST
    if exp_path.is_file():
        exp_offices, exp_bodies = _load_expected(exp_path, fw)
    elif expected is not None:
        raise InputError("không tìm thấy tệp danh sách phát hành", Location(file=str(exp_path)))
    sent = _senders(unreadable, fw.offices(), exp_bodies, result)
    # a scan or photo instead of the return: say so where it is missed (a signed scan sent with
    # the return is not a problem)
    answered = {n.casefold() for n in [*(p.office for p in g.processed), *g.bodies]}
    for who, rel in stray_files(root, [*fw.offices(), *exp_bodies]).items():
        if who not in sent and who.casefold() not in answered:
            sent[who] = rel
            result.issues.append(Issue(rel, "", "", "", who if who in fw.offices() else "", ERROR,
                                       not_a_workbook(rel)))
    for who, rel in refused.items():  # a return refused above: sent, but not usable
        sent.setdefault(who, rel)
    _merge_offices(fw, g, result, exp_offices, root, sent)
    _merge_bodies(fw, g, result, exp_bodies, root, limits, sent)
    if output is not None:
        _keep_entered(fw, result, Path(output), limits)
    result.bodies.sort(key=lambda b: b.body)
    result.issues.sort(key=_sort_key)
    if output is not None:
        _write_outputs(result, fw, Path(output))
    return result


def _keep_entered(fw: Framework, result: CollectResult, output: Path, limits: Limits) -> None:
    """Collecting again over the consolidated workbook of the same body: the values the home-affairs
    office entered into it for the items no office returns (survey, superior body's points) are
    kept, not overwritten by their absence (a late return collected again lost them silently)."""
    if result.values is None or len(result.bodies) != 1 or not output.is_file():
        return
    from parxl.workbook.read import read_return

    try:
        old = read_return(output, limits)
    except ParxlError:
        return  # not a parxl workbook: nothing of it is carried over
    body = result.bodies[0]
    if (old.meta.get("kind") != KIND_CONSOLIDATED or old.framework.fingerprint != fw.fingerprint
            or old.body != body.body):
        return
    kept = {k: v for k, v in old.values.items()
            if k[0] in fw.item_index and not fw.item_index[k[0]].office and k not in result.values}
    if not kept:
        return
    result.values.update(kept)
    body.numbers = score_row(fw, score_values(fw, result.values))
    codes = sorted({k[0] for k in kept}, key=code_order)
    result.issues.append(Issue(output.name, "", "", "", "", WARNING, (
        f"giữ {len(kept)} giá trị đã nhập vào tệp tổng hợp trước ({len(codes)} mục không giao đơn vị chủ trì: "
        f"{', '.join(codes[:12])}{', …' if len(codes) > 12 else ''}) — thu thập lại không xoá các giá trị này")))


def master_template(p: Processed) -> Issue | None:
    """The issue of a master template among the returns (a parxl template naming no body and no
    office: nobody's return), else None. Blank, it is skipped with a warning; with values entered
    it is refused, as nobody can tell whose figures they are."""
    if p.kind == KIND_OFFICE or p.body or p.meta.get("body", ""):
        return None
    if p.values:
        return Issue(p.path, L.SUMMARY, "C2", "", "", ERROR,
                     "biểu mẫu gốc (chưa phát hành cho đơn vị nào) đã nhập số liệu nhưng không ghi tên cơ quan, "
                     "đơn vị — không rõ số liệu của ai nên không tổng hợp; đơn vị chủ trì nhập lại trên bản đã "
                     "phát hành cho đơn vị mình, cơ quan ghi tên ở ô C2 trang 'Tổng hợp' rồi gửi lại")
    return Issue(p.path, "", "", "", "", WARNING,
                 "biểu mẫu gốc chưa nhập số liệu (không phải biểu mẫu trả về) — bỏ qua")


def blank_return(p: Processed, body: str) -> Issue | None:
    """The warning for a body's issued copy sent back unfilled (nothing to score, so it is not
    ranked at 0), else None."""
    if p.kind == KIND_OFFICE or p.values:
        return None
    return Issue(p.path, "", "", "", "", WARNING, f"'{body}' gửi biểu mẫu chưa nhập số liệu nào — có thể gửi nhầm "
                 "biểu mẫu trống; không tổng hợp, không xếp hạng tệp này")


def _owner(p: Processed) -> str:
    """The office (of an office return) or the body a return's metadata says it is of."""
    if p.kind == KIND_OFFICE:
        return p.office or p.meta.get("office", "")
    return p.body or p.meta.get("body", "")


def _senders(paths: list[str], offices: list[str], bodies: list[str], result: CollectResult) -> dict[str, str]:
    """Office or body -> the unusable file named after it (as ``distribute`` names its copies):
    who did send something, even if it cannot be read. An office's file's problems then name it."""
    by_name = {safe_file_name(n).casefold(): n for n in [*offices, *bodies]}
    sent: dict[str, str] = {}
    office_of: dict[str, str] = {}
    for path in paths:
        name = by_name.get(safe_file_name(Path(path).stem).casefold())
        if name is not None and name not in sent:
            sent[name] = path
            if name in offices:
                office_of[path] = name
    result.issues = [replace(i, office=office_of[i.file]) if i.file in office_of and not i.office else i
                     for i in result.issues]
    return sent


def _drop_values(g: _Group) -> None:
    for entries in g.bodies.values():
        entries[:] = [(a, b, c, None, y) for a, b, c, _, y in entries]


def _reference(groups: dict[str, _Group], framework: Framework | None, result: CollectResult) -> str | None:
    if framework is not None:
        for key, fw in _FRAMEWORKS.items():
            if fw.fingerprint == framework.fingerprint and key in groups:
                return key
        _FRAMEWORKS.setdefault("ref:" + framework.fingerprint, framework)
        return "ref:" + framework.fingerprint
    if not groups:
        if result.files == 0:
            result.issues.append(Issue("", "", "", "", "", ERROR,
                                       "thư mục không có tệp Excel nào (.xlsx) để tổng hợp"))
        else:
            result.issues.append(Issue("", "", "", "", "", ERROR,
                                       "không có biểu mẫu trả về nào dùng được — xem các lỗi ở từng tệp"))
        return None
    counts = Counter({k: g.usable for k, g in groups.items()})
    return sorted(counts, key=lambda k: (-counts[k], k))[0]


def _merge_offices(fw: Framework, g: _Group, result: CollectResult, expected: list[tuple[str, str]],
                   root: Path, sent: dict[str, str]) -> None:
    offices = set(fw.offices())
    by_body: dict[str, list[Processed]] = {}
    for p in g.processed:
        if p.office not in offices:
            result.issues.append(Issue(p.path, L.META, "", "", p.office, ERROR,
                                       f"đơn vị '{p.office}' không phải đơn vị chủ trì của mục nào trong bộ "
                                       f"tiêu chí {fw.id} — không tổng hợp tệp này"))
            continue
        if p.body in g.bodies:  # an office's copy among the bodies' own returns (province does the same)
            result.used -= 1
            result.issues.append(Issue(p.path, "", "", "", p.office, WARNING,
                                       f"biểu mẫu của đơn vị chủ trì '{p.office}' thuộc '{p.body}', nhưng '{p.body}' "
                                       f"đã có biểu mẫu đầy đủ '{g.bodies[p.body][0][0]}' — không tính riêng tệp này"))
            continue
        by_body.setdefault(p.body, []).append(p)
    # an expected body no return answers for (none at all, or only returns of another body)
    for office, body in sorted(expected, key=lambda x: (x[1], x[0])):
        if not by_body or (body and body not in by_body):
            result.issues.append(_missing(fw, office, body, sent.get(office)))
    for body, procs in sorted(by_body.items()):
        procs.sort(key=lambda p: p.path)
        year = _one_year(procs, result)
        for p in procs:
            if p.year not in ("", year):  # another year's return: sent, but not usable
                sent.setdefault(p.office, p.path)
        result.used -= sum(1 for p in procs if p.year not in ("", year))
        procs = [p for p in procs if p.year in ("", year)]
        merged: dict[Key, list[tuple[Processed, Any]]] = {}
        seen_ids: dict[str, dict[str, Processed]] = {}  # return id -> its first file of each content
        for p in procs:
            rid = p.meta.get("return_id", "")
            first = seen_ids.get(rid, {}).get(p.digest) if rid else None
            if first is not None:  # its problems are the first file's again
                result.used -= 1
                result.issues[:] = [i for i in result.issues if i.file != p.path]
                result.issues.append(Issue(p.path, "", "", "", p.office, WARNING,
                                           f"tệp trùng với '{first.path}' (cùng biểu mẫu, cùng số liệu) — chỉ "
                                           "tính một lần"))
                continue
            if rid:
                seen_ids.setdefault(rid, {})[p.digest] = p
            blank = _blank_items(fw, p)
            if blank:
                result.issues.append(blank)
            for key, value in p.values.items():
                merged.setdefault(key, []).append((p, value))
        # a file that answered an item but left one of its cells blank (a second version that cleared
        # 'Chưa đến hạn') differs from a file with a value there: blank joins the conflict
        answered_items: dict[str, dict[int, Processed]] = {}
        for key, entries in merged.items():
            for p, _ in entries:
                answered_items.setdefault(key[0], {})[id(p)] = p
        values: dict[Key, Any] = {}
        conflicting: set[str] = set()  # files with a value another file gives otherwise
        for key, entries in sorted(merged.items()):
            have = {id(p) for p, _ in entries}
            entries = sorted(entries + [(p, None) for i, p in answered_items[key[0]].items() if i not in have],
                             key=lambda e: e[0].path)
            distinct = {repr(v) for _, v in entries}
            if len(distinct) == 1:
                values[key] = entries[0][1]
                continue
            item = fw.item_index[key[0]]
            where = next(p.cells[key] for p, v in entries if v is not None)  # same template, same cell
            shown = "; ".join(f"'{value_text(fw, key, v)}' trong '{p.path}' ô {p.cells.get(key, where)[1]}"
                              for p, v in entries)
            conflicting.update(p.path for p, _ in entries)
            for p, _ in entries:
                sheet, cell = p.cells.get(key, where)
                result.issues.append(Issue(
                    p.path, sheet, cell, key[0], item.office, ERROR,
                    f"xung đột: trường '{field_label(item, key[1])}' có {len(entries)} giá trị khác nhau ({shown}) "
                    "— không tổng hợp giá trị nào, đề nghị thống nhất"))
        for _, versions in sorted(seen_ids.items()):
            # an office sent its copy again, corrected: which one is meant is the user's call (two staff
            # filling different items of one copy conflict nowhere: their values are merged)
            paths = [p.path for p in versions.values() if p.path in conflicting]
            if len(paths) > 1:
                office = next(iter(versions.values())).office
                result.issues.append(_versions(paths,
                                               f"bản của biểu mẫu phát hành cho đơn vị '{office}'",
                                               "các ô khác nhau chưa được tổng hợp", root, office))
        answered = {p.office for p in procs}
        want = sorted({o for o, b in expected if b in (body, "")} or offices) if expected else sorted(offices)
        missing: dict[str, str] = {}
        for office in want:
            if office not in answered:
                result.issues.append(_missing(fw, office, body, sent.get(office)))
                missing[office] = sent.get(office, "")
        files = [p.path for p in procs]
        result.bodies.append(BodyScore(body, files, score_row(fw, score_values(fw, values)), year, missing))
        if len(by_body) == 1 and not g.bodies:
            result.values = values


def _blank_items(fw: Framework, p: Processed) -> Issue | None:
    """A warning when an office return leaves some or all of its office's items empty (no
    value, no status): an untouched copy sent back, or the issued folder collected by mistake."""
    own = [i.code for i in fw.items if i.office == p.office]
    # an item with an error here (its row deleted, its value refused) was not left blank: said above
    entered = {code for code, _ in p.values} | {i.item for i in p.issues if i.severity == ERROR}
    empty = [c for c in own if c not in entered]
    if not empty:
        return None
    if len(empty) == len(own):
        msg = (f"đơn vị '{p.office}' gửi biểu mẫu chưa nhập số liệu nào ({len(own)} mục) — có thể gửi nhầm "
               "biểu mẫu trống hoặc thu thập nhầm thư mục phát hành")
    else:
        shown = ", ".join(empty[:8]) + (", …" if len(empty) > 8 else "")
        msg = (f"còn {len(empty)}/{len(own)} mục của đơn vị '{p.office}' để trống ({shown}) — các mục này tính "
               "là 'Chưa xác định'")
    return Issue(p.path, "", "", "", p.office, WARNING, msg)


def _majority_year(years: Iterable[str]) -> str:
    """The year of assessment most returns state (the later one on a tie; '' when none does)."""
    counts = Counter(y for y in years if y)
    return max(counts, key=lambda y: (counts[y], y)) if counts else ""


def _one_year(procs: list[Processed], result: CollectResult) -> str:
    """The year of assessment most of one body's office returns state; a return stating another
    year (last year's file in this year's folder) is reported and left out."""
    year = _majority_year(p.year for p in procs)
    for p in procs:
        if p.year and p.year != year:
            result.issues.append(Issue(p.path, L.SUMMARY, "C3", "", p.office, ERROR,
                                       f"tệp ghi năm đánh giá {p.year}, các tệp khác của '{p.body}' ghi năm "
                                       f"{year} — không tổng hợp tệp này (có thể là biểu mẫu năm khác)"))
    return year


def _missing(fw: Framework, office: str, body: str, sent: str | None = None) -> Issue:
    codes = [i.code for i in fw.items if i.office == office]
    shown = ", ".join(codes[:8]) + (", …" if len(codes) > 8 else "")
    where = f" của '{body}'" if body else ""
    if sent is not None:
        return Issue("", "", "", "", office, ERROR,
                     f"đơn vị '{office}'{where} đã gửi tệp '{sent}' nhưng tệp không dùng được (xem lỗi của tệp) "
                     f"— đề nghị gửi lại ({len(codes)} mục: {shown})")
    return Issue("", "", "", "", office, ERROR,
                 f"đơn vị '{office}'{where} chưa gửi biểu mẫu ({len(codes)} mục: {shown})")


def _merge_bodies(fw: Framework, g: _Group, result: CollectResult, expected: list[str], root: Path,
                  limits: Limits, sent: dict[str, str]) -> None:
    # the year most bodies' returns state: last year's file in this year's folder is left out
    year = _majority_year(e[4] for es in g.bodies.values() for e in es)
    for body, entries in sorted(g.bodies.items()):
        for e in entries:
            if e[4] and e[4] != year:
                result.issues.append(Issue(e[0], L.SUMMARY, "C3", "", "", ERROR,
                                           f"tệp của '{body}' ghi năm đánh giá {e[4]}, các tệp khác ghi năm {year} — "
                                           "không tổng hợp tệp này (có thể là biểu mẫu năm khác)"))
                sent.setdefault(body, e[0])
        entries = sorted((e for e in entries if e[4] in ("", year)), key=lambda e: e[0])
        result.used -= len(g.bodies[body]) - min(1, len(entries))  # one file a body: the first
        if not entries:
            continue
        first = entries[0]
        versions = {first[1]: first[0]}  # digest -> its first file
        for other in entries[1:]:
            if other[1] in versions:
                result.issues[:] = [i for i in result.issues if i.file != other[0]]
                result.issues.append(Issue(other[0], "", "", "", "", WARNING,
                                           f"tệp trùng với '{versions[other[1]]}' (cùng đơn vị '{body}', cùng số "
                                           "liệu) — chỉ tính một lần"))
            else:
                versions[other[1]] = other[0]
                result.issues.extend(_body_conflict(fw, body, first[0], other[0], root, limits))
        if len(versions) > 1:
            result.issues.append(_versions(list(versions.values()), f"biểu mẫu của '{body}'",
                                           f"đang tổng hợp theo '{first[0]}'", root))
        result.bodies.append(BodyScore(body, [e[0] for e in entries], first[2], first[4]))
        if len(g.bodies) == 1 and not g.processed and first[3] is not None:
            result.values = first[3]
    if expected:  # a body answers with its own return or with its offices' returns
        have = {b.body.casefold() for b in result.bodies}
        listed = {b.casefold() for b in expected}
        unlisted = {spelling_key(b.body): b.body for b in result.bodies if b.body.casefold() not in listed}
        for body in expected:
            if body.casefold() in have:
                continue
            if body in sent:
                result.issues.append(Issue("", "", "", "", "", ERROR, f"'{body}' đã gửi tệp '{sent[body]}' nhưng "
                                           "tệp không dùng được (xem lỗi của tệp) — đề nghị gửi lại"))
            else:
                like = unlisted.get(spelling_key(body))
                hint = f" (có biểu mẫu của '{like}': nếu là một, sửa tên cho giống nhau)" if like else ""
                result.issues.append(Issue("", "", "", "", "", ERROR, f"'{body}' chưa gửi biểu mẫu{hint}"))
        for b in result.bodies:
            if b.body.casefold() not in listed:
                result.issues.append(Issue(b.files[0] if b.files else "", "", "", "", "", WARNING,
                                           f"'{b.body}' gửi biểu mẫu nhưng không có trong danh sách đơn vị — vẫn "
                                           "tổng hợp; kiểm tra tên hoặc danh sách"))


def _body_conflict(fw: Framework, body: str, a: str, b: str, root: Path, limits: Limits) -> list[Issue]:
    """Two different returns for one body: re-read both and show the fields that differ."""
    pa, pb = process_file(root / a, a, limits), process_file(root / b, b, limits)
    out: list[Issue] = []
    keys = sorted(set(pa.values) | set(pb.values))
    diffs = [k for k in keys if repr(pa.values.get(k)) != repr(pb.values.get(k))]
    for k in diffs[:50]:
        sheet, cell = pb.cells.get(k) or pa.cells.get(k) or ("", "")
        item = fw.item_index.get(k[0])
        out.append(Issue(b, sheet, cell, k[0], item.office if item else "", ERROR,
                         f"xung đột: '{body}' có hai tệp; trường '{field_label(item, k[1])}' là "
                         f"'{value_text(fw, k, pa.values.get(k))}' trong '{a}' và '{value_text(fw, k, pb.values.get(k))}' "
                         f"trong '{b}' "
                         f"— dùng tệp '{a}', đề nghị xác nhận"))
    if len(diffs) > 50:
        out.append(Issue(b, "", "", "", "", ERROR, f"… và {len(diffs) - 50} trường khác nhau nữa so với '{a}'"))
    return out


def _versions(paths: list[str], what: str, outcome: str, root: Path, office: str = "") -> Issue:
    """One error for the files that are versions of one return with different values (an office
    or a body sent its file again after correcting it): which one counts is for the user to say."""
    shown = ", ".join(f"'{p}'" for p in paths)
    return Issue(paths[-1], "", "", "", office, ERROR,
                 f"{len(paths)} tệp {shown} đều là {what}, số liệu khác nhau (mỗi ô khác nhau được nêu ở một dòng "
                 f"riêng) — {outcome}; giữ lại bản đúng trong thư mục{last_saved(paths, root)}, chuyển các "
                 "bản kia ra ngoài rồi thu thập lại")


def last_saved(paths: list[str], root: Path) -> str:
    """" (bản lưu sau cùng: 'b.xlsx', lúc 15:30 ngày 20/11/2024)": which of the files (relative
    to ``root``) was saved last, in Vietnam's time, from what Excel records in each; "" when a
    file does not say or two were saved at the same time."""
    saved = {p: saved_at(root / p) for p in paths}
    times = [t for t in saved.values() if t is not None]
    if len(times) < len(paths) or times.count(max(times)) > 1:
        return ""
    newest = next(p for p in paths if saved[p] == max(times))
    local = max(times).astimezone(VIETNAM)
    return f" (bản lưu sau cùng: '{newest}', lúc {local:%H:%M} ngày {local:%d/%m/%Y})"


def _sort_key(i: Issue) -> tuple[Any, ...]:
    def natural(code: str) -> tuple[Any, ...]:
        return tuple((0, int(x), "") if x.isascii() and x.isdigit() else (1, 0, x)
                     for x in code.replace("-", ".").split("."))

    row = int("".join(ch for ch in i.cell if ch.isascii() and ch.isdigit()) or 0)
    return (_SEVERITY_ORDER.get(i.severity, 3), i.file, natural(i.item), i.sheet, row, i.cell, i.message)


_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, REMINDER: 2}  # what must be fixed first, first


# --------------------------------------------------------------------------- outputs

SCORE_HEADERS = {
    "body": "Cơ quan, đơn vị",
    "files": "Số tệp",
    "total": "Tổng điểm",
    "index": "Chỉ số CCHC",
    "base_achieved": "Điểm cơ bản đạt",
    "deducted": "Điểm bị trừ",
    "open": "Điểm chưa xác định",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
    "reachable": "Có thể đạt tối đa",
}
ISSUE_HEADERS = ("Tệp", "Trang", "Ô", "Mã mục", "Đơn vị chủ trì", "Mức độ", "Nội dung")
ISSUE_WIDTHS = (30, 14, 8, 9, 24, 10, 90)


def _score_headers(fw: Framework) -> list[tuple[str, str]]:
    heads = list(SCORE_HEADERS.items())
    heads += [(f"domain {d.code}", f"Lĩnh vực {d.code} — điểm đạt") for d in fw.domains]
    return heads


def issues_csv(issues: list[Issue]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["file", "sheet", "cell", "item", "office", "severity", "message"])
    for i in issues:
        w.writerow([csv_text(v) for v in (i.file, i.sheet, i.cell, i.item, i.office, i.severity, i.message)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def issues_json(result: CollectResult) -> bytes:
    data = {
        "folder_files": result.files,
        "used": result.used,
        "errors": result.errors,
        "warnings": result.warnings,
        "framework": {"id": result.framework.id, "version": result.framework.version,
                      "fingerprint": result.framework.fingerprint} if result.framework else None,
        "issues": [i.as_dict() for i in result.issues],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def scores_csv(result: CollectResult) -> bytes:
    fw = result.framework
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if fw is not None:
        heads = _score_headers(fw)
        w.writerow([h for _, h in heads])
        for row in result.scores:
            w.writerow([_csv_num(row[k]) for k, _ in heads])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(csv_text(v))


_HEAD_FONT = Font(name="Times New Roman", size=11, bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_BASE_FONT = Font(name="Times New Roman", size=11)
_ERR_FILL = PatternFill("solid", fgColor="F8CBAD")
_WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TITLE_FONT = Font(name="Times New Roman", size=14, bold=True)
_NOTE_FONT = Font(name="Times New Roman", size=10, italic=True)
# workbook -> (font, fill, format, wrap) -> the style ids openpyxl assigned, with the font and fill
# themselves (held, so their ids stay theirs): styling a cell hashes every style object, which
# cost more than writing the sheet
_STYLES: WeakKeyDictionary[Any, dict[tuple[int, int, str, bool], tuple[Any, Font, PatternFill | None]]] = (
    WeakKeyDictionary())


def _cell(ws: Any, value: Any, font: Font = _BASE_FONT, fmt: str = "", fill: PatternFill | None = None,
          wrap: bool = False) -> Cell:
    """A styled cell for ``ws.append`` (normal and write-only sheets); text stays text."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    styles = _STYLES.setdefault(ws.parent, {})
    key = (id(font), id(fill), fmt, wrap)
    known = styles.get(key)
    if known is not None:
        cell._style = copy(known[0])
        return cell
    cell.font = font
    if fmt:
        cell.number_format = fmt
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = _WRAP
    styles[key] = (copy(cell._style), font, fill)
    return cell


def _table(ws: Any, title: str, heads: list[str], widths: Sequence[float], note: str = "") -> None:
    """Title row, a note or a blank row, header row (frozen, and printed at the top of every page)."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.row_dimensions[3].height = 32
    ws.append([_cell(ws, title, _TITLE_FONT)])
    ws.append([_cell(ws, note, _NOTE_FONT)] if note else [])
    ws.append([_cell(ws, h, _HEAD_FONT, fill=_HEAD_FILL, wrap=True) for h in heads])


# the scores of a consolidated workbook are those of the collect: a value typed into the workbook
# afterwards (survey points) changes its 'Tổng hợp', not this table
_RESULTS_AS_COLLECTED = (f"Điểm tính lúc thu thập. Số liệu nhập thêm vào tệp này (điều tra xã hội học, cấp trên đánh "
                         f"giá…) được tính ở trang '{L.SUMMARY}'; thu thập lại để cập nhật trang này.")


def _results_sheet(ws: Any, result: CollectResult, fw: Framework, consolidated: bool) -> None:
    """The scores table, printed as the item sheets are: fitted to one page wide, its 18 columns
    printed in 6-point text; now the body's name heads every page, the scores on the first
    and the domains' on the next (more pages when there are many domains), at ~98 %."""
    heads = _score_headers(fw)
    widths = [34, 8] + [12] * (len(heads) - 2)
    title = f"KẾT QUẢ TỔNG HỢP — {fw.name}"
    _table(ws, title, [h for _, h in heads], widths, _RESULTS_AS_COLLECTED if consolidated else "")
    print_pages_wide(ws, widths, 1, (len(SCORE_HEADERS),))
    page_header(ws, title)  # the title row is not printed: the header names it on every page
    rows = result.scores
    ws.print_area = f"A3:{get_column_letter(len(heads))}{3 + len(rows)}"
    fmts = {key: "0.00%" if key == "index" else ("0" if key == "files" else "0.00") for key, _ in heads}
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(heads))}{3 + len(rows)}"
    for row in rows:
        ws.append([_cell(ws, row[key], fmt="" if isinstance(row[key], str) else fmts[key]) for key, _ in heads])


def _checks_sheet(ws: Any, result: CollectResult) -> None:
    title = (f"KIỂM TRA BIỂU MẪU TRẢ VỀ — {result.files} tệp, {result.used} tệp được tổng hợp, "
             f"{result.errors} lỗi, {warnings_text(result.issues)}")
    _table(ws, title, list(ISSUE_HEADERS), ISSUE_WIDTHS)
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not result.issues:
        ws.append([_cell(ws, "Không phát hiện vấn đề nào.")])
        return
    ws.auto_filter.ref = f"A3:G{3 + len(result.issues)}"
    for r, i in enumerate(result.issues, start=4):
        values = (i.file, i.sheet, i.cell, i.item, i.office, i.severity, i.message)
        # wrapped text: set the height (LibreOffice and Excel do not grow rows saved by openpyxl)
        ws.row_dimensions[r].height = LINE_HEIGHT * max(
            text_lines(v, w) for v, w in zip(values, ISSUE_WIDTHS, strict=True))
        fill = _ERR_FILL if i.severity == ERROR else _WARN_FILL if i.severity == WARNING else None
        ws.append([_cell(ws, v, wrap=True, fill=fill if c == 5 else None) for c, v in enumerate(values)])


def consolidated_workbook(result: CollectResult, fw: Framework | None) -> Workbook:
    """The template filled with the merged inputs (one body), or the results table (many).

    The many-bodies workbook is written in openpyxl's write-only mode, so its memory does not
    grow with the number of bodies and issues.
    """
    body = result.bodies[0] if fw is not None and len(result.bodies) == 1 else None
    if fw is not None and body is not None and result.values is not None:
        meta = {"kind": KIND_CONSOLIDATED, "body": body.body}
        if body.missing:  # the reports name the offices whose items are open for want of a return
            meta[L.MISSING_OFFICES] = json.dumps(body.missing, ensure_ascii=False, sort_keys=True)
        wb = build_workbook(fw, meta=meta)
        _fill(wb, result.values, body.body, body.year)
        if note := _open_for_want_of(body, sum(1 for i in result.issues if i.severity == ERROR and i.item)):
            summary_note(wb[L.SUMMARY], note)
    else:
        wb = Workbook(write_only=True)
    if fw is not None:
        _results_sheet(wb.create_sheet(L.RESULTS), result, fw, consolidated=not wb.write_only)
    _checks_sheet(wb.create_sheet(L.CHECKS), result)
    wb.properties.creator = "parxl"
    return wb


def _open_for_want_of(body: BodyScore, errors: int) -> str:
    """What the consolidated total leaves open, said where the total is ('' when nothing): the
    offices with no usable return, and the ``errors`` found at items' values (refused: their
    items undetermined)."""
    parts = []
    if body.missing:
        parts.append(f"chưa có số liệu của {len(body.missing)} đơn vị chủ trì: " + "; ".join(
            f"{office} ({f'đã gửi tệp {sent!r} nhưng không dùng được' if sent else 'chưa gửi'})"
            for office, sent in sorted(body.missing.items())) + " — các mục của đơn vị tính là chưa xác định")
    if errors:
        parts.append(f"có {errors} lỗi ở số liệu các mục: giá trị lỗi không được tổng hợp, mục có giá trị đó tính là "
                     "chưa xác định cho đến khi sửa")
    return (" ".join(p[0].upper() + p[1:] + "." for p in parts) + " Xem trang 'Kiểm tra'.") if parts else ""


def _fill(wb: Workbook, values: dict[Key, Any], body: str, year: str) -> None:
    """Write values by item code into the template just built, at the cells its reader finds."""
    sheets = {ws.title: _rows(ws) for ws in wb.worksheets}
    given = {(BODY, "name"): body, (BODY, "year"): year}
    write_values(wb, read_template(sheets).cells, {**values, **{k: v for k, v in given.items() if v}})


def _rows(ws: Worksheet) -> list[list[Any]]:
    """The sheet's values as rows, without creating the empty cells ``iter_rows`` would add."""
    rows = [[None] * ws.max_column for _ in range(ws.max_row)]
    for (r, c), cell in ws._cells.items():
        rows[r - 1][c - 1] = cell.value
    return rows


def _write_outputs(result: CollectResult, fw: Framework | None, output: Path) -> None:
    wb = consolidated_workbook(result, fw)
    buf = io.BytesIO()
    wb.save(buf)
    payload = [
        (p, data) for p, data in zip(_outputs_for(output), (
            normalized_xlsx_bytes(buf.getvalue()),
            issues_csv(result.issues),
            issues_json(result),
            scores_csv(result),
        ), strict=True)
    ]
    # everything is computed before the first byte is written; the four files land together
    atomic_write_all(payload)
    result.outputs.extend(p for p, _ in payload)
