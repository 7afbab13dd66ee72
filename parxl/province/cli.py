"""``parxl province`` and ``parxl province-demo``: a superior body's whole consolidation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

SHOWN_PROBLEMS = 10
EXECUTORS = {"sequential": "một tiến trình", "local": "nhiều tiến trình trên máy này", "dask": "cụm Dask"}


def register(app: typer.Typer) -> None:
    from parxl.cli import err, friendly, out, progress_bar

    @app.command("province")
    @friendly
    def province_cmd(
        folder: Annotated[Path, typer.Argument(metavar="THƯ_MỤC", help="Thư mục biểu mẫu trả về của các cơ quan, đơn vị (kể cả thư mục con)")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Thư mục kết quả")],
        bodies: Annotated[Path | None, typer.Option(
            "--bodies", help="CSV danh sách đơn vị: tên, nhóm, tổng điểm và hạng năm trước")] = None,
        previous: Annotated[Path | None, typer.Option(
            "--previous", help="Kết quả năm trước: thư mục kết quả năm trước, xep-hang.csv hoặc CSV tên đơn vị, tổng điểm, hạng")] = None,
        appraisal: Annotated[Path | None, typer.Option(
            "--appraisal", help="Số liệu thẩm định: CSV (body, code, field, value, round) hoặc thư mục biểu mẫu thẩm định")] = None,
        scheduler: Annotated[str | None, typer.Option(
            "--scheduler", help="Chạy trên cụm Dask, ví dụ tcp://10.0.0.5:8786")] = None,
        workers: Annotated[int | None, typer.Option(help="Số tiến trình đọc song song trên máy này")] = None,
        word: Annotated[bool, typer.Option("--word/--no-word", help="Lập báo cáo xếp hạng Word")] = True,
        issuer: Annotated[str | None, typer.Option("--issuer", help="Cơ quan ban hành báo cáo, ví dụ SỞ NỘI VỤ")] = None,
        parent: Annotated[str | None, typer.Option("--parent", help="Cơ quan chủ quản, ví dụ ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")] = None,
        info_file: Annotated[Path | None, typer.Option(
            "--info", help="Tệp YAML/JSON cho báo cáo xếp hạng: cơ quan, địa danh, số, ngày, người ký, nơi nhận")] = None,
    ) -> None:
        """Tổng hợp, xếp hạng, thẩm định toàn tỉnh: bảng điểm, xếp hạng theo nhóm, phân bố điểm, báo cáo."""
        from parxl.numbers import format_vn_number
        from parxl.province.pipeline import province
        from parxl.report.info import ReportInfo

        base = ReportInfo.load(info_file) if info_file else ReportInfo()
        info = base.merged(issuer=issuer, parent=parent) if (info_file or issuer or parent) else None
        with progress_bar() as progress:
            result = province(folder, output, bodies=bodies, previous=previous, appraisal=appraisal,
                              scheduler=scheduler, workers=workers, progress=progress, info=info, word=word)
        t = result.tables
        fw = result.framework
        how = EXECUTORS.get(result.executor, result.executor)
        out.print(f"Đã đọc {result.files} tệp ({how}); xếp hạng {len(t['ranking'])} cơ quan, đơn vị"
                  + (f" theo {fw.id}" if fw else "") + ".")
        for g in t["groups"].to_dict("records"):
            out.print(f"  {escape(str(g['group']))}: {g['bodies']} đơn vị, trung bình "
                      f"{format_vn_number(float(g['average']), 2, trim=False)} điểm, dẫn đầu {escape(str(g['best']))}",
                      highlight=False)
        probs = t["problems"]
        if len(probs):
            counts = probs.label.value_counts()
            err.print("[yellow]Cần xử lý:[/] " + "; ".join(f"{k}: {v}" for k, v in counts.items()), highlight=False)
            for r in probs.head(SHOWN_PROBLEMS).itertuples():
                what = f"{r.file} ({r.body})" if r.file and r.body else r.file or r.body
                err.print(f"  {escape(r.label)}: {escape(what)} — {escape(r.reason)}", highlight=False)
            if len(probs) > SHOWN_PROBLEMS:
                err.print(f"  … và {len(probs) - SHOWN_PROBLEMS} trường hợp khác (xem thieu-loi.csv, trang "
                          "'Thiếu - không hợp lệ').", highlight=False)
        if len(t["appraisal"]):
            changed = int((t["appraisal"].difference.abs() > 1e-9).sum())
            out.print(f"Thẩm định: {t['bodies'].appraised.sum()} đơn vị, {changed} nội dung thay đổi điểm.")
        for w in result.warnings:
            err.print(f"[yellow]Lưu ý:[/] {escape(w)}", highlight=False)
        out.print(f"Đã ghi vào [bold]{escape(str(result.output))}[/]: " + ", ".join(p.name for p in result.outputs)
                  + ", du-lieu/*.parquet")
        if not len(t["ranking"]):  # nothing could be consolidated: not a success
            err.print("[bold red]Lỗi:[/] không có biểu mẫu nào dùng được để tổng hợp, xếp hạng (xem danh sách "
                      "cần xử lý ở trên).", highlight=False)
            raise typer.Exit(1)

    @app.command("province-demo")
    @friendly
    def province_demo(
        output: Annotated[Path, typer.Option("-o", "--output", help="Thư mục sẽ tạo")] = Path("tinh-mau"),
        bodies: Annotated[int, typer.Option("--bodies", help="Số cơ quan, đơn vị")] = 3000,
        framework: Annotated[str, typer.Option(help="Bộ tiêu chí tích hợp")] = "dongthap-huyen-2023",
        year: Annotated[str, typer.Option(help="Năm đánh giá")] = "2024",
        seed: Annotated[int, typer.Option(help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)")] = 1,
        workers: Annotated[int | None, typer.Option(help="Số tiến trình")] = None,
    ) -> None:
        """Tạo dữ liệu mẫu của một tỉnh: biểu mẫu trả về, danh sách đơn vị, số liệu thẩm định."""
        from parxl.errors import InputError
        from parxl.province.demo import make_province

        if bodies < 1:
            raise InputError("--bodies phải lớn hơn 0")
        with progress_bar("Đang tạo biểu mẫu") as progress:
            root = make_province(output, bodies, framework=framework, year=year, seed=seed, workers=workers,
                                 progress=progress)
        out.print(f"Đã tạo dữ liệu mẫu trong [bold]{escape(str(root))}[/]: tra-ve/ (biểu mẫu), don-vi.csv, tham-dinh.csv")
        out.print(f"Thử: parxl province {root / 'tra-ve'} -o ket-qua --bodies {root / 'don-vi.csv'} "
                  f"--appraisal {root / 'tham-dinh.csv'}", highlight=False, markup=False)
