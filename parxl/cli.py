"""The command line: one thin command per job. The only place that prints and exits."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from parxl.errors import InputError, Location, ParxlError, os_error
from parxl.numbers import format_vn_number, format_vn_percent
from parxl.report.vn import shares_rounding_note
from parxl.workbook.layout import EXEMPT, KIND_OFFICE

_USAGE_WORDS = (("Usage: ", "Cú pháp: "), ("[OPTIONS]", "[TUỲ CHỌN]"), ("COMMAND [ARGS]...", "LỆNH [THAM SỐ]..."))
# the type column of the help (typer's type names); a list "<list[Path]>" reads "<đường dẫn>..."
_TYPE_WORDS = {"path": "đường dẫn", "file": "tệp", "directory": "thư mục", "str": "chữ", "int": "số nguyên",
               "float": "số", "int range": "số nguyên", "float range": "số"}


def _localise() -> None:
    """Typer's help panels and hints in Vietnamese (its module-level texts), its usage line and
    the text of ``--help`` (fixed English in the click copy inside typer: patched on typer's two
    command classes), and its usage errors ("No such option: --bad") through :func:`usage_text`."""
    from typer import core, rich_utils

    for cls in (core.TyperCommand, core.TyperGroup):
        def get_usage(self: Any, ctx: Any, _base: Any = cls.get_usage) -> str:
            text: str = _base(self, ctx)
            for en, vi in _USAGE_WORDS:
                text = text.replace(en, vi, 1)
            return text

        def get_help_option(self: Any, ctx: Any, _base: Any = cls.get_help_option) -> Any:
            option = _base(self, ctx)
            if option is not None:
                option.help = "Xem hướng dẫn này rồi thoát."
            return option

        setattr(cls, "get_usage", get_usage)  # noqa: B010
        setattr(cls, "get_help_option", get_help_option)  # noqa: B010

    # the type column (recent typer prints English type names): "<path>" -> "<đường dẫn>"
    for pcls in (c for c in (core.TyperOption, core.TyperArgument) if hasattr(c, "display_type_rich")):
        def display_type_rich(self: Any, ctx: Any, _base: Any = pcls.display_type_rich) -> str | None:
            if getattr(self, "is_flag", False):  # a flag takes no value: no "<bool>"
                return None
            label: str | None = _base(self, ctx)
            m = re.fullmatch(r"<(list\[)?([^\]>]+)\]?>", label or "")
            if m is None:
                return label
            word = _TYPE_WORDS.get(m.group(2).lower(), m.group(2))
            return f"<{word}>..." if m.group(1) else f"<{word}>"

        setattr(pcls, "display_type_rich", display_type_rich)  # noqa: B010

    for name, text in (("DEFAULT_STRING", "[mặc định: {}]"), ("REQUIRED_LONG_STRING", "[bắt buộc]"),
                       ("ENVVAR_STRING", "[biến môi trường: {}]"), ("ARGUMENTS_PANEL_TITLE", "Tham số"),
                       ("OPTIONS_PANEL_TITLE", "Tuỳ chọn"), ("COMMANDS_PANEL_TITLE", "Lệnh"),
                       ("ERRORS_PANEL_TITLE", "Lỗi"), ("ABORTED_TEXT", "Đã dừng."),
                       ("RICH_HELP", "Xem [blue]'{command_path} {help_option}'[/] để được hướng dẫn.")):
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    english_error = rich_utils.rich_format_error

    def usage_error(exc: Any) -> None:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help screen, shown as is
            english_error(exc)
            return
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            err.print(ctx.get_usage(), highlight=False, markup=False)
        err.print(f"[bold red]Lỗi:[/] {escape(usage_text(exc.format_message()))}", highlight=False)
        if ctx is not None:
            err.print(f"Xem '{escape(ctx.command_path)} --help' để được hướng dẫn.", highlight=False)

    setattr(rich_utils, "rich_format_error", usage_error)  # noqa: B010 (typer calls it by name)


# click's and pydantic's English usage errors, as typer formats them -> Vietnamese (unknown: as is)
_USAGE = [(re.compile(p), vi) for p, vi in (
    (r"No such option: (\S+?)(?: \(Possible options: (.*)\))?$", "không có tuỳ chọn {0}{1}"),
    (r"Missing argument (.+?)\.?$", "thiếu tham số {0}"),
    (r"Missing option (.+?)\.?$", "thiếu tuỳ chọn {0}"),
    (r"Missing parameter: (.+)$", "thiếu tham số {0}"),
    (r"Option (.+) requires an argument\.$", "tuỳ chọn {0} cần một giá trị"),
    (r"Option (.+) does not take a value\.$", "tuỳ chọn {0} không nhận giá trị"),
    (r"No such command (.+?)\. Did you mean (.+)\?\.?$", "không có lệnh {0} (có phải {1}?)"),
    (r"No such command (.+?)\.?$", "không có lệnh {0}"),
    (r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", "thừa tham số: {0}"),
    (r"Invalid value for (.+?): (.*)$", "giá trị không hợp lệ cho {0}: {1}"),
)]
_REASONS = [(re.compile(p, re.S), vi) for p, vi in (
    (r"Input should be a valid integer.*", "phải là số nguyên"),
    (r"Input should be a valid (?:number|float).*", "phải là một số"),
    (r"Input should be a valid boolean.*", "phải là true/false (có/không)"),
    (r"Input should be greater than or equal to (\S+)$", "phải lớn hơn hoặc bằng {0}"),
    (r"Input should be greater than (\S+)$", "phải lớn hơn {0}"),
    (r"Input should be less than or equal to (\S+)$", "phải nhỏ hơn hoặc bằng {0}"),
    (r"Input should be less than (\S+)$", "phải nhỏ hơn {0}"),
    (r"(?:[Pp]ath|[Ff]ile|[Dd]irectory) (.+) does not exist\.$", "{0} không tồn tại"),
    (r"(?:[Pp]ath|[Ff]ile) (.+) is a directory\.$", "{0} là một thư mục, cần một tệp"),
    (r"[Dd]irectory (.+) is a file\.$", "{0} là một tệp, cần một thư mục"),
    (r"(.+) is not one of (.+)\.$", "{0} không phải một trong các giá trị {1}"),
)]


def _translate(text: str, table: list[tuple[re.Pattern[str], str]]) -> tuple[str, list[str]] | None:
    for pattern, vi in table:
        m = pattern.match(text)
        if m:
            return vi, [g or "" for g in m.groups()]
    return None


def usage_text(message: str) -> str:
    """A usage error of the command line in Vietnamese ("No such option: --bad" -> "Không có tuỳ
    chọn --bad."); a message not known here is kept as typer wrote it."""
    found = _translate(message, _USAGE)
    if found is None:
        return message
    vi, parts = found
    if vi.startswith("không có tuỳ chọn") and parts[1]:
        parts[1] = f" (có thể là: {parts[1]})"
    elif vi.startswith("giá trị không hợp lệ"):
        reason = _translate(parts[1], _REASONS)
        if reason is not None:
            parts[1] = reason[0].format(*reason[1])
    text = vi.format(*parts)
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


_localise()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="parxl — Chỉ số cải cách hành chính (PAR index) trong Excel.",
)


def _print_version(value: bool) -> None:
    if value:
        from parxl import __version__

        out.print(f"parxl {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version, help="In phiên bản parxl rồi thoát.")] = False) -> None:
    """The options of ``parxl`` itself (the help text is the app's)."""


framework_app = typer.Typer(no_args_is_help=True, help="Nhập / xuất bộ tiêu chí dạng bảng Excel.")
app.add_typer(framework_app, name="framework")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def progress_bar(label: str = "Đang đọc biểu mẫu") -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr; yields the ``progress(done, total)`` callback that collect,
    province and the demo generator call."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    if not err.is_terminal:  # a log file or a pipe: no bar, and no blank line where it was
        yield lambda done, total: None
        return
    # redrawn when progress is reported, not by a refresh thread: a process with no other thread
    # can fork safely (the province command writes its Word report in a forked child); shown from
    # the first report on, so a command that fails before reading leaves no blank line
    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=err, transient=True, auto_refresh=False)
    task = bar.add_task("doc", total=None)

    def progress(done: int, total: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total, refresh=True)

    try:
        yield progress
    finally:
        if bar.live.is_started:
            bar.stop()


def friendly(fn: F) -> F:
    """Turn parxl errors into a Vietnamese message and exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ParxlError as exc:
            err.print(f"[bold red]Lỗi:[/] {escape(str(exc))}", highlight=False, markup=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # a file the system refused (permissions, full or read-only disk)
            err.print(f"[bold red]Lỗi:[/] {escape(str(os_error(exc)))}", highlight=False, markup=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("Đã dừng.")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def warnings_text(result: Any) -> str:
    """The warnings of a collect, reminders told apart (:func:`parxl.office.check.warnings_text`)."""
    from parxl.office.check import warnings_text as text

    return text(result.issues)


def _pts(x: float) -> str:
    return format_vn_number(x, 2, trim=False)


def _pct(x: float) -> str:
    """A share or an index in the score table: two decimals, as its points."""
    return format_vn_percent(x, 2, trim=False)


@app.command()
@friendly
def frameworks(
    files: Annotated[list[str] | None, typer.Argument(
        metavar="TỆP",         help="Tệp bộ tiêu chí .yaml / .xlsx / .docx để kiểm tra tổng điểm (bỏ trống: các bộ tích hợp sẵn)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
) -> None:
    """Liệt kê các bộ tiêu chí tích hợp sẵn, hoặc tóm tắt tệp bộ tiêu chí của mình.

    Tóm tắt: tổng điểm, tự đánh giá / điều tra XHH / cấp trên, số lĩnh vực, tiêu chí (đối chiếu quyết định)."""
    from parxl.framework import builtin, builtin_ids, resolve

    # a file's summary names the file: several of them may hold one framework id
    ids = builtin_ids()
    rows = ([{**resolve(f).summary(), **({} if f in ids else {"file": f})} for f in files] if files
            else [builtin(i).summary() for i in ids])
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    # one block per framework, readable at any console width; the id (what users type) first
    out.print("[bold]Bộ tiêu chí[/] (mã — tên, cấp):" if files else
              "[bold]Bộ tiêu chí tích hợp[/] (mã — tên, cấp):")
    for r in rows:
        level = f" (cấp {r['level']})" if r["level"] else " (chưa ghi cấp áp dụng)"
        out.print(f"[bold]{escape(r['id'])}[/] — {escape(r['name'] + level)}", highlight=False)
        if "file" in r:
            out.print(f"    tệp: {escape(r['file'])}", highlight=False)
        extra = "".join(f", {r[k]} {label}" for k, label in (("bonus_items", "mục thưởng"),
                                                              ("penalty_items", "mục trừ điểm")) if r[k])
        out.print(f"    tổng {_pts(r['total'])} điểm: tự đánh giá {_pts(r['self'])}, điều tra XHH {_pts(r['survey'])}, "
                  f"cấp trên đánh giá {_pts(r['external'])}, thưởng tối đa {_pts(r['bonus_cap'])}; "
                  f"{r['domains']} lĩnh vực, {r['criteria']} tiêu chí, {r['items']} tiêu chí thành phần{extra}",
                  highlight=False)


@app.command()
@friendly
def build(
    framework: Annotated[
        str, typer.Argument(metavar="BỘ_TIÊU_CHÍ", help="Mã bộ tiêu chí tích hợp hoặc tệp .yaml / .xlsx / .docx")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp mẫu .xlsx sẽ tạo")],
    flavor: Annotated[
        str, typer.Option(help="native (công thức Excel) hoặc udf (hàm parxl)")
    ] = "native",
) -> None:
    """Tạo biểu mẫu chấm điểm (mỗi lĩnh vực một trang, tự tính điểm)."""
    from parxl.framework import resolve
    from parxl.verify import make_formulas
    from parxl.workbook.build import build_template

    if flavor not in ("native", "udf"):
        raise ParxlError(f"--flavor phải là 'native' hoặc 'udf', không phải '{flavor}'")
    fw = resolve(framework)
    build_template(fw, output, formulas=make_formulas(flavor))
    out.print(
        f"Đã tạo biểu mẫu [bold]{escape(str(output))}[/] ({len(fw.domains)} lĩnh vực, {len(fw.items)} mục)."
    )


@app.command()
@friendly
def inputs(
    framework: Annotated[str, typer.Argument(metavar="BỘ_TIÊU_CHÍ", help="Mã bộ tiêu chí hoặc tệp")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .csv (hoặc .xlsx) sẽ tạo")],
) -> None:
    """Tạo bảng nhập liệu trống (CSV UTF-8, hoặc tệp Excel .xlsx; một dòng cho mỗi trường nhập)."""
    from parxl.framework import resolve
    from parxl.inputs import input_fields, write_input_table

    fw = resolve(framework)
    write_input_table(fw, output)
    out.print(f"Đã tạo bảng nhập liệu [bold]{escape(str(output))}[/] ({len(input_fields(fw))} dòng).")


@app.command()
@friendly
def fill(
    template: Annotated[Path, typer.Argument(metavar="BIỂU_MẪU", help="Biểu mẫu .xlsx")],
    values: Annotated[
        Path, typer.Option("--values", help="Bảng nhập liệu .csv hoặc .xlsx (code, field, value)")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx kết quả")],
) -> None:
    """Ghi số liệu từ bảng nhập liệu (CSV hoặc Excel) vào biểu mẫu theo mã tiêu chí."""
    from parxl.workbook.fill import fill_csv

    notes: list[str] = []
    n = fill_csv(template, values, output, notes)
    out.print(f"Đã ghi {n} giá trị vào [bold]{escape(str(output))}[/].")
    for note in notes:
        err.print(f"Lưu ý: {escape(note)}", highlight=False)


def _score_table(fw: Any, s: Any, body: str) -> Table:
    # light borders: on an 80-column console the domain names keep ~20 characters a line
    t = Table(title=f"Kết quả chấm điểm{(' — ' + escape(body)) if body else ''}", box=box.SIMPLE_HEAD)
    for h in (
        "Mã",
        "Lĩnh vực",
        "Tối đa áp dụng",
        "Đạt",
        "Bị trừ",
        "Tỷ lệ bị trừ",
        "Chưa xác định",
        "Tỷ lệ đạt",
    ):
        if h == "Lĩnh vực":
            t.add_column(h, justify="left", min_width=18, ratio=1)
        else:
            t.add_column(h, justify="right", no_wrap=h in ("Mã", "Đạt", "Bị trừ"))
    for d in fw.domains:
        g = s.domains[d.code]
        t.add_row(
            escape(d.code),
            escape(d.name),
            _pts(g.applicable),
            _pts(g.achieved),
            _pts(g.deducted),
            _pct(g.share),
            _pts(g.open),
            _pct(g.index) if g.applicable else EXEMPT,  # not 0 %: nothing was to be reached (as Tổng hợp says)
        )
    b = s.base
    # the shares as printed may add up to 100,01 %
    t.caption = shares_rounding_note([_pct(s.domains[d.code].share) for d in fw.domains]) or None
    t.add_row(
        "",
        "[bold]Cộng điểm cơ bản[/]",
        _pts(b.applicable),
        _pts(b.achieved),
        _pts(b.deducted),
        _pct(b.share),
        _pts(b.open),
        _pct(b.index),
    )
    return t


@app.command()
@friendly
def score(
    workbook: Annotated[Path, typer.Argument(metavar="TỆP", help="Biểu mẫu đã điền (.xlsx)")],
    as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
) -> None:
    """Chấm điểm lại từ số liệu đã nhập (không dùng giá trị công thức lưu sẵn)."""
    from parxl.office.check import ERROR, REMINDERS, check_workbook
    from parxl.score import score_values

    ret, issues, collected = check_workbook(workbook)
    fw = ret.framework
    s = score_values(fw, ret.values)
    office = ret.meta.get("office", "") if ret.meta.get("kind") == KIND_OFFICE else ""  # one office's copy
    if as_json:
        data = {"file": str(workbook), "body": ret.body, "year": ret.year, "office": office, **s.as_dict(),
                "issues": [i.as_dict() for i in issues],
                "as_collected": {"total": round(collected.total, 9), "index": round(collected.index, 9)}}
        out.print_json(json.dumps(data, ensure_ascii=False))
        if any(i.severity == ERROR for i in issues):
            raise typer.Exit(1)
        return
    out.print(_score_table(fw, s, ret.body + (f" (biểu mẫu của {office})" if office else "")))
    _score_summary(fw, s)
    if office:
        own = sum(1 for i in fw.items if i.office == office)
        err.print(f"Tệp là biểu mẫu phát hành cho {escape(office)}: chỉ gồm {own} tiêu chí thành phần do đơn vị này "
                  "chủ trì, các tiêu chí thành phần khác tính là chưa xác định; điểm của cả cơ quan xem ở tệp tổng "
                  "hợp (parxl collect).", highlight=False)
    reminders = [i for i in issues if i.reminder]
    for i in issues:
        if not i.reminder:
            label = "[bold red]Lỗi[/]" if i.severity == ERROR else "[yellow]Cảnh báo[/]"
            err.print(f"{label} {escape(i.where(with_file=False))}: {escape(i.message)}", highlight=False)
    if reminders:
        err.print(f"{len(reminders)} {REMINDERS}; danh sách đầy đủ: parxl score --json, mục \"issues\".",
                  highlight=False)
    if abs(collected.total - s.total) > 1e-9:  # the sheet's formulas and collect read some cells differently
        err.print(f"Điểm trên đây tính từ số liệu như đang ghi trong tệp; khi tổng hợp (parxl collect), các ô nêu "
                  f"trên được ghi theo giá trị đã hiểu hoặc bỏ qua: tổng điểm {_pts(collected.total)}, chỉ số "
                  f"{_pct(collected.index)}.", highlight=False)
    errors = sum(1 for i in issues if i.severity == ERROR)
    if errors:  # scored from the values as they are (a text "25%" the sheet's formulas read as 0)
        err.print(f"[bold red]{errors} lỗi số liệu[/]: điểm trên đây tính từ số liệu như đang ghi trong tệp, kể cả "
                  "các giá trị lỗi; đề nghị sửa các ô nêu trên rồi chấm lại.")
        raise typer.Exit(1)


def _score_summary(fw: Any, s: Any) -> None:
    """The lines under the score table: points per scorer, bonus and penalty, total and index,
    statuses."""
    split = s.by_scorer
    for key, label in (
        ("self", "Tự đánh giá"),
        ("survey", "Điều tra XHH"),
        ("external", "Cấp trên đánh giá"),
    ):
        g = split[key]
        if g.max:  # out of the applicable maximum, as the reports state it
            of = f"{_pts(g.applicable)} điểm áp dụng (tối đa {_pts(g.max)}; " if abs(
                g.applicable - g.max) > 1e-9 else f"{_pts(g.max)} điểm ("
            out.print(f"{label}: {_pts(g.achieved)}/{of}chưa xác định {_pts(g.open)})")
    if fw.bonus or fw.penalties:
        out.print(
            f"Điểm thưởng: {_pts(s.bonus)} (đạt {_pts(s.bonus_raw)}, tối đa được tính "
            f"{_pts(fw.bonus_cap)}); điểm trừ: {_pts(s.penalty)}"
        )
    out.print(
        f"[bold]Tổng điểm: {_pts(s.total)}[/] — chỉ số {_pct(s.index)}; "
        f"có thể đạt tối đa {_pts(s.reachable)}"
    )
    counts = ", ".join(f"{k}: {v}" for k, v in s.status_counts.items() if v)
    out.print(f"Trạng thái các tiêu chí thành phần: {counts}")


def _udf_note(done: str) -> None:
    err.print("Lưu ý: biểu mẫu này tính điểm bằng các hàm PAR_… của parxl (tạo với --flavor udf), "
              f"LibreOffice không chạy được các hàm này nên {done} bằng formulas.", highlight=False)


@app.command()
@friendly
def recalc(
    workbook: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .xlsx")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp kết quả")],
    engine: Annotated[str | None, typer.Option(
        help="libreoffice hoặc formulas (bỏ trống: libreoffice; biểu mẫu --flavor udf: formulas)")] = None,
) -> None:
    """Tính lại mọi công thức bằng LibreOffice hoặc thư viện formulas."""
    from parxl.calc import recalc as do_recalc
    from parxl.verify import default_engines
    from parxl.workbook.read import flavor_of

    if engine is None:
        engine = default_engines(flavor_of(workbook) or "native")[0]
        if engine != "libreoffice":
            _udf_note("tính lại")
    if engine not in ("libreoffice", "formulas"):
        raise ParxlError(f"--engine phải là 'libreoffice' hoặc 'formulas', không phải '{engine}'")
    do_recalc(workbook, output, engine)  # type: ignore[arg-type]
    out.print(f"Đã tính lại bằng {engine}: [bold]{escape(str(output))}[/]")


@app.command()
@friendly
def verify(
    workbook: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .xlsx")],
    engine: Annotated[
        list[str] | None, typer.Option(help="Chỉ dùng bộ tính này: libreoffice hoặc formulas (lặp lại được)")
    ] = None,
) -> None:
    """So sánh mọi ô công thức (LibreOffice, formulas) với bộ chấm điểm Python."""
    from parxl.verify import cell_meanings, default_engines
    from parxl.verify import verify as do_verify
    from parxl.workbook.read import read_return

    ret = read_return(workbook)
    flavor = ret.meta.get("flavor", "native")
    engines = tuple(engine) if engine else default_engines(flavor)
    if not engine and "libreoffice" not in engines:
        _udf_note("chỉ kiểm tra")
    diffs = do_verify(workbook, engines)
    n = len(cell_meanings(ret.framework, flavor))
    for d in diffs[:200]:
        err.print(escape(d.describe()), highlight=False)
    if diffs:
        err.print(
            f"[bold red]{len(diffs)} ô khác nhau[/] (trên {n} ô công thức × {len(engines)} bộ tính)."
        )
        raise typer.Exit(1)
    out.print(
        f"Khớp: {n} ô công thức × {len(engines)} bộ tính ({', '.join(engines)}) trùng với Python."
    )


@app.command()
@friendly
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Thư mục kết quả")] = Path(
        "parxl-demo"
    ),
    framework: Annotated[str, typer.Option(help="Bộ tiêu chí tích hợp")] = "dongthap-huyen-2023",
    bodies: Annotated[
        int, typer.Option("--bodies", min=0, help="Tạo dữ liệu mẫu của N cơ quan (như province-demo)")
    ] = 0,
) -> None:
    """Chạy toàn bộ quy trình trên dữ liệu mẫu.

    Tạo biểu mẫu, phát hành cho các đơn vị, thu thập, kiểm tra, tổng hợp, chấm điểm và lập báo cáo."""
    if bodies > 0:  # a province's synthetic returns: the province feature's generator
        command = next(c for c in app.registered_commands if c.name == "province-demo")
        assert command.callback is not None
        command.callback(
            output=output, bodies=bodies, framework=framework, year="2024", seed=1, workers=None
        )
        return
    from parxl.demo import run_demo

    d = run_demo(framework, output)
    c = d.collected
    out.print(f"Thu thập {c.files} tệp trả về của {len(d.framework.offices())} đơn vị chủ trì: "
              f"{c.errors} lỗi, {warnings_text(c)}; chi tiết: tong-hop-kiem-tra.csv.")
    still_open, total = d.office_less
    if total:
        out.print(f"Nhập các mục không giao đơn vị nào (điều tra xã hội học, cấp trên đánh giá): {total} mục, "
                  f"{still_open} mục còn chưa xác định (chưa có kết quả).")
    out.print(_score_table(d.framework, d.scores, d.body))
    _score_summary(d.framework, d.scores)
    for name, w in d.warnings:
        out.print(f"[yellow]Lưu ý[/] ({escape(name)}): {escape(w)}", highlight=False)
    out.print(f"Các tệp đã tạo trong [bold]{escape(str(output))}[/]:")
    for p in d.files:
        out.print(f"  {escape(str(p.relative_to(output)))}", highlight=False)


@framework_app.command("export")
@friendly
def framework_export(
    framework: Annotated[str, typer.Argument(metavar="BỘ_TIÊU_CHÍ", help="Mã bộ tiêu chí hoặc tệp .yaml / .xlsx / .docx")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .xlsx (bảng) hoặc .yaml")],
) -> None:
    """Xuất bộ tiêu chí ra bảng Excel 'Bộ tiêu chí' hoặc YAML."""
    from parxl.framework import dump_yaml, resolve
    from parxl.framework.table import export_table
    from parxl.workbook.save import atomic_write_bytes

    _framework_output(output, (".xlsx", ".yaml", ".yml"), Path(framework))
    fw = resolve(framework)
    if output.suffix.lower() in (".yaml", ".yml"):
        atomic_write_bytes(output, dump_yaml(fw).encode("utf-8"))
    else:
        export_table(fw, output)
    out.print(f"Đã xuất bộ tiêu chí {escape(fw.id)} ra [bold]{escape(str(output))}[/].")


def _framework_output(output: Path, suffixes: tuple[str, ...], source: Path) -> None:
    """A YAML text named '.xlsx' (or a table named '.csv') opens nowhere; the input is never
    replaced. A folder is left to the writer, which says to name the file."""
    if output.is_dir():
        return
    if output.suffix.lower() not in suffixes:
        raise InputError(
            f"tệp kết quả phải có đuôi {' hoặc '.join(suffixes)}, không phải '{output.suffix}'",
            Location(file=str(output)),
        )
    if source.exists() and output.resolve() == source.resolve():
        raise InputError(
            "tệp kết quả phải khác tệp đầu vào (không ghi đè tệp đầu vào)", Location(file=str(output))
        )


@framework_app.command("import")
@friendly
def framework_import(
    table: Annotated[Path, typer.Argument(metavar="BẢNG", help="Bảng Excel có trang 'Bộ tiêu chí', hoặc tệp Word (.docx) của quyết định")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tệp .yaml sẽ tạo")],
) -> None:
    """Đọc bộ tiêu chí từ bảng Excel (một dòng mỗi tiêu chí thành phần) và ghi ra YAML."""
    from parxl.framework import dump_yaml
    from parxl.framework.table import named_from_file, read_table
    from parxl.workbook.save import atomic_write_bytes

    _framework_output(output, (".yaml", ".yml"), table)
    fw, unread = read_table(table)
    atomic_write_bytes(output, dump_yaml(fw).encode("utf-8"))
    out.print(f"Đã đọc {len(fw.items)} mục; ghi [bold]{escape(str(output))}[/].")
    if unread:
        out.print(f"[yellow]Không đọc các cột: {escape(', '.join(unread))} — parxl không dùng các cột này.[/]")
    if named_from_file(fw, table):
        source = "tên tệp Word" if table.suffix.lower() == ".docx" else "tên tệp (bảng không có trang 'Thông tin')"
        out.print(f"[yellow]Mã bộ tiêu chí '{escape(fw.id)}' và tên '{escape(fw.name)}' lấy từ {source}, cấp "
                  "áp dụng để trống: sửa trong tệp .yaml (id, name, level) nếu cần.[/]")


def _register_features() -> None:
    """Each feature package adds its own commands (imports stay lazy inside ``register``)."""
    from parxl.audit.cli import register as audit
    from parxl.office.cli import register as office
    from parxl.province.cli import register as province
    from parxl.report.cli import register as report

    for register in (office, report, audit, province):
        register(app)


_register_features()


def main() -> None:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    app()
