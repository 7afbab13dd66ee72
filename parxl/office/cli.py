"""Commands ``parxl distribute`` and ``parxl collect`` (registered by :func:`register`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parxl.framework.model import Framework


def register(app: typer.Typer) -> None:
    from rich.markup import escape

    from parxl.cli import err, friendly, out, progress_bar, warnings_text

    @app.command()
    @friendly
    def distribute(
        template: Annotated[str, typer.Argument(metavar="BIỂU_MẪU", help="Biểu mẫu .xlsx, bộ tiêu chí (.yaml, bảng .xlsx, quyết định .docx) hoặc mã bộ tiêu chí tích hợp")],
        out_dir: Annotated[Path, typer.Option("--out", "-o", help="Thư mục chứa các biểu mẫu phát hành")],
        bodies: Annotated[Path | None, typer.Option(
            "--bodies", help="Tệp danh sách đơn vị (mỗi dòng một tên): một biểu mẫu cho mỗi đơn vị")] = None,
        body: Annotated[str, typer.Option(help="Tên cơ quan, đơn vị được đánh giá (ghi vào biểu mẫu)")] = "",
        year: Annotated[str, typer.Option(help="Năm đánh giá")] = "",
    ) -> None:
        """Phát hành biểu mẫu: mỗi đơn vị chủ trì một tệp (chỉ mở ô của đơn vị), hoặc mỗi đơn vị một tệp."""
        from parxl.office.distribute import distribute as do_distribute
        from parxl.office.distribute import read_bodies

        fw, flavor = _framework_of(template)
        names = read_bodies(bodies) if bodies is not None else None
        from parxl.verify import make_formulas

        paths = do_distribute(fw, out_dir, bodies=names, body=body, year=year,
                              formulas=type(make_formulas(flavor)))
        what = "đơn vị" if names is not None else "đơn vị chủ trì"
        out.print(f"Đã tạo {len(paths)} biểu mẫu (mỗi {what} một tệp) trong [bold]{escape(str(out_dir))}[/]:")
        counts = ([f" — {sum(i.office == o for i in fw.items)} mục" for o in fw.offices()] if names is None
                  else [""] * len(paths))
        for p, count in zip(paths, counts, strict=True):
            out.print(f"  {escape(p.name)}{count}", highlight=False)

    @app.command()
    @friendly
    def collect(
        folder: Annotated[Path, typer.Argument(metavar="THƯ_MỤC", help="Thư mục chứa các biểu mẫu trả về (kể cả thư mục con)")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Tệp tổng hợp .xlsx sẽ tạo")],
        expected: Annotated[Path | None, typer.Option(
            "--expected", help="Danh sách phát hành (danh-sach-phat-hanh.csv) hoặc danh sách đơn vị")] = None,
        template: Annotated[str | None, typer.Option(
            "--template", help="Biểu mẫu / bộ tiêu chí dùng để tổng hợp (mặc định: bộ mà đa số tệp dùng)")] = None,
        workers: Annotated[int | None, typer.Option(help="Số tiến trình đọc song song")] = None,
        strict: Annotated[bool, typer.Option(help="Trả mã lỗi 2 nếu có lỗi trong báo cáo kiểm tra")] = False,
    ) -> None:
        """Thu thập, kiểm tra, tổng hợp và chấm điểm các biểu mẫu trả về."""
        from parxl.numbers import format_vn_number, format_vn_percent
        from parxl.office.collect import collect as do_collect

        fw = _framework_of(template)[0] if template else None
        with progress_bar() as progress:
            result = do_collect(folder, output, expected=expected, framework=fw, workers=workers,
                                progress=progress)
        out.print(f"Đã đọc {result.files} tệp, tổng hợp {result.used} tệp; {result.errors} lỗi, "
                  f"{warnings_text(result)}.")
        for office, (errors, warnings, reminders) in result.by_office().items():
            out.print(f"  {escape(office)}: {errors} lỗi, {warnings} cảnh báo, {reminders} nhắc nhở", highlight=False)
        for row in result.scores[:20]:
            name = row["body"] or "(chưa ghi tên đơn vị)"
            out.print(f"  {escape(name)}: {format_vn_number(row['total'], 2, trim=False)} điểm — chỉ số "
                      f"{format_vn_percent(row['index'])}", highlight=False)
        if len(result.scores) > 20:
            out.print(f"  … và {len(result.scores) - 20} đơn vị khác (xem bảng điểm).")
        for issue in [i for i in result.issues if i.severity == "lỗi"][:10]:
            where = issue.where()
            err.print(f"[red]Lỗi[/]{' ' + escape(where) if where else ''}: {escape(issue.message)}", highlight=False)
        if result.errors > 10:
            err.print(f"… và {result.errors - 10} lỗi khác (xem trang 'Kiểm tra').")
        for p in result.outputs:
            out.print(f"Đã ghi [bold]{escape(str(p))}[/]")
        if result.used == 0:  # nothing could be consolidated: not a success
            raise typer.Exit(1)
        if strict and result.errors:
            raise typer.Exit(2)


def _framework_of(source: str) -> tuple[Framework, str]:
    """A framework from a template/return workbook, a YAML file or a built-in id; and its flavor."""
    from parxl.framework import resolve

    p = Path(source)
    if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file():
        from parxl.workbook import layout as L
        from parxl.workbook.fastread import framework_for, open_package, read_raw

        pkg = open_package(p)
        pkg.zf.close()
        if L.META not in pkg.sheets:  # a framework table ("Bộ tiêu chí"), not a template
            return resolve(source), "native"
        raw = read_raw(p, str(p))
        if not raw.fingerprint_ok:
            from parxl.errors import Location, WorkbookError

            raise WorkbookError("dấu vân tay bộ tiêu chí không khớp: trang '_parxl' đã bị sửa",
                                Location(file=str(p)))
        fw = framework_for(raw.framework_key, None, str(p))
        return fw, raw.meta.get("flavor", "native")
    return resolve(source), "native"
