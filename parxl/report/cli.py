"""``parxl report``: Word (and Excel) reports from scored or consolidated workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parxl.errors import InputError


def register(app: typer.Typer) -> None:
    from rich.markup import escape

    from parxl.cli import err, friendly, out

    @app.command()
    @friendly
    def report(
        workbooks: Annotated[list[Path], typer.Argument(metavar="TỆP", help="Tệp .xlsx đã chấm điểm / tổng hợp (xếp hạng: nhiều tệp hoặc một thư mục)")],
        output: Annotated[Path, typer.Option("-o", "--output", help="Tệp Word .docx sẽ tạo")],
        kind: Annotated[str, typer.Option("--kind", "-k", help="tu-danh-gia | so-ket | khac-phuc | xep-hang (hoặc self-assessment | interim | remedy | ranking)")] = "self-assessment",
        previous: Annotated[list[Path] | None, typer.Option("--previous", "-p", help="Tệp (thư mục) năm trước")] = None,
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Tạo thêm bảng Excel có biểu đồ")] = None,
        info: Annotated[Path | None, typer.Option("--info", help="Tệp YAML/JSON: cơ quan, số, ngày, người ký, nơi nhận")] = None,
        tasks: Annotated[Path | None, typer.Option("--tasks", help="Bảng nhiệm vụ kế hoạch CCHC (CSV/.xlsx) cho báo cáo sơ kết")] = None,
        groups: Annotated[Path | None, typer.Option("--groups", help="CSV: cơ quan, đơn vị -> nhóm (xếp hạng)")] = None,
        template: Annotated[Path | None, typer.Option("--template", help="Mẫu Word .docx tự sửa (mặc định: mẫu của parxl)")] = None,
        date: Annotated[str | None, typer.Option("--date", help="Ngày văn bản (dd/mm/yyyy); bỏ trống để điền khi ký")] = None,
        number: Annotated[str | None, typer.Option("--number", help="Số, ký hiệu văn bản, ví dụ 953/UBND-NV")] = None,
        issuer: Annotated[str | None, typer.Option("--issuer", help="Cơ quan ban hành, ví dụ PHÒNG NỘI VỤ")] = None,
        parent: Annotated[str | None, typer.Option("--parent", help="Cơ quan chủ quản, ví dụ ỦY BAN NHÂN DÂN QUẬN 1")] = None,
        signer: Annotated[str | None, typer.Option("--signer", help="Họ tên người ký")] = None,
        period: Annotated[str | None, typer.Option("--period", help="Kỳ sơ kết, ví dụ '9 tháng đầu năm'")] = None,
        published: Annotated[str | None, typer.Option("--published", help="Ngày công bố Chỉ số (hạn giải trình = +10 ngày làm việc)")] = None,
        rank: Annotated[str | None, typer.Option("--rank", help="Thứ hạng chính thức, ví dụ 10/22")] = None,
        previous_rank: Annotated[int | None, typer.Option("--previous-rank", help="Thứ hạng năm trước")] = None,
    ) -> None:
        """Lập báo cáo Word: tự đánh giá, sơ kết, công văn khắc phục điểm bị trừ, xếp hạng."""
        from parxl.report import KINDS, ReportInfo, make_report
        from parxl.report.info import KIND_NAMES

        kind = KIND_NAMES.get(kind.strip().lower(), kind)
        if kind not in KINDS:
            names = ", ".join(f"{vi} ({en})" for vi, en in KIND_NAMES.items())
            raise InputError(f"--kind phải là một trong: {names} (không phải '{kind}')")
        base = ReportInfo.load(info) if info else ReportInfo()
        rank_no, rank_of = _rank(rank)
        merged = base.merged(date=date, number=number, issuer=issuer, parent=parent, signer_name=signer,
                             period=period, published=published, rank=rank_no, rank_of=rank_of,
                             previous_rank=previous_rank)
        result = make_report(kind, workbooks, output, previous=previous or (), info=merged, tasks=tasks,
                             groups=groups, template=template, xlsx=xlsx)
        for w in result.warnings:
            err.print(f"[yellow]Lưu ý:[/] {escape(w)}", highlight=False)
        out.print("Đã tạo " + ", ".join(f"[bold]{escape(str(p))}[/]" for p in result.outputs) + ".")


def _rank(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    parts = text.replace(" ", "").split("/")
    try:
        if len(parts) == 1:
            return int(parts[0]), None
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise InputError(f"--rank phải có dạng 10 hoặc 10/22, không phải '{text}'")
