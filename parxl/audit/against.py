"""Comparing a report's stated figures with a scored parxl workbook (filled in later)."""

from __future__ import annotations

from pathlib import Path

from parxl.audit.checks import Check, Inconsistency
from parxl.audit.document import Document


def compare_workbook(doc: Document, workbook: str | Path) -> tuple[list[Inconsistency], list[Check]]:
    return [], []


def audit_against(doc: Document, workbook: str | Path) -> list[Inconsistency]:
    return compare_workbook(doc, workbook)[0]
