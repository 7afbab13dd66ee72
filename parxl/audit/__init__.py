"""Audit of stated figures: find arithmetic inconsistencies in a human-written PAR report.

    from parxl.audit import audit_file
    for problem in audit_file("bao-cao.docx"):
        print(problem.message, problem.quotes[0].text)
"""

from __future__ import annotations

from pathlib import Path

from parxl.audit.checks import KIND_LABELS, Audit, Inconsistency, Quote, audit_document
from parxl.audit.document import Document, load_document, read_text

__all__ = [
    "KIND_LABELS",
    "Audit",
    "Document",
    "Inconsistency",
    "Quote",
    "audit_document",
    "audit_file",
    "audit_text",
    "load_document",
    "read_text",
]


def audit_text(text: str) -> list[Inconsistency]:
    """Inconsistencies among the figures of a plain-text report."""
    return audit_document(read_text(text))


def audit_file(path: str | Path, against: str | Path | None = None) -> list[Inconsistency]:
    """Inconsistencies of a report (.txt/.md/.docx), and with a scored workbook if given."""
    doc = load_document(path)
    found = audit_document(doc)
    if against is not None:
        from parxl.audit.against import audit_against

        found += audit_against(doc, against)
    return found
