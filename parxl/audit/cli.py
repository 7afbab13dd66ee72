"""``parxl audit``: check the figures a report states, against each other and a workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from parxl.audit.checks import KIND_LABELS, Inconsistency
from parxl.audit.figures import fmt


def render(found: list[Inconsistency], *, file: str = "") -> list[str]:
    """Rich-markup lines describing each inconsistency with its quoted sentences."""
    lines: list[str] = []
    for n, x in enumerate(found, start=1):
        label = KIND_LABELS.get(x.kind, x.kind)
        lines.append(f"[bold red]{n}. {escape(label)}:[/] {escape(x.message)}")
        for q in x.quotes[:6]:
            text = q.text if len(q.text) <= 400 else q.text[:397] + "..."
            lines.append(f"   [dim]{escape(q.where)}:[/] “{escape(text)}”")
        if len(x.quotes) > 6:
            lines.append(f"   [dim]… và {len(x.quotes) - 6} câu khác[/]")
    return lines


def register(app: typer.Typer) -> None:
    from parxl.cli import friendly, out

    @app.command()
    @friendly
    def audit(
        report: Annotated[Path, typer.Argument(metavar="BÁO_CÁO", help="Báo cáo .docx, .txt hoặc .md")],
        against: Annotated[Path | None, typer.Option("--against", help="Biểu mẫu đã điền (.xlsx) để đối chiếu")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="In dạng JSON.")] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="In cả các phép kiểm tra đã khớp.")] = False,
    ) -> None:
        """Kiểm tra các số liệu báo cáo nêu: tổng các phần, tỷ lệ, cùng một số liệu nêu hai giá trị.

        Thoát với mã 1 nếu có chỗ không khớp, 0 nếu mọi số liệu kiểm tra được đều khớp.
        """
        from parxl.audit.checks import Audit
        from parxl.audit.document import load_document

        doc = load_document(report)
        engine = Audit(doc)
        found = engine.run()
        checks = list(engine.checks)
        if against is not None:
            from parxl.audit.against import compare_workbook

            more, more_checks = compare_workbook(doc, against)
            found += more
            checks += more_checks
        if as_json:
            data = {
                "file": str(report),
                "against": str(against) if against else None,
                "checked": len(checks),
                "inconsistencies": [x.as_dict() for x in found],
            }
            if verbose:
                data["checks"] = [
                    {"kind": c.kind, "what": c.what, "where": c.where, "stated": float(c.stated),
                     "expected": float(c.expected), "ok": c.ok} for c in checks
                ]
            out.print_json(json.dumps(data, ensure_ascii=False))
        else:
            if verbose:
                for c in checks:
                    mark = "[green]khớp[/]" if c.ok else "[red]KHÔNG KHỚP[/]"
                    src = " (bảng tính)" if c.kind == "workbook" else ""
                    out.print(f"{mark}{src} {escape(c.where)}: {escape(c.what)} — nêu {fmt(c.stated)}, "
                              f"tính được {fmt(c.expected)}", highlight=False)
            for line in render(found, file=str(report)):
                out.print(line, highlight=False)
            if found:
                out.print(f"[bold red]{len(found)} chỗ không khớp[/] (đã kiểm tra {len(checks)} phép so sánh "
                          f"trong {escape(str(report))}).", highlight=False)
            else:
                out.print(f"[green]Không thấy chỗ nào không khớp[/] ({len(checks)} phép so sánh trong "
                          f"{escape(str(report))}).", highlight=False)
        if found:
            raise typer.Exit(1)
