"""Rule kinds: one module each; this registry maps a kind's name to its definition."""

from __future__ import annotations

from parxl.rules import count, incidents, manual, proportional, tiers, yesno
from parxl.rules.base import NO, YES, Field, RuleKind

KINDS: dict[str, RuleKind] = {
    m.KIND.name: m.KIND for m in (manual, yesno, proportional, tiers, count, incidents)
}

__all__ = ["KINDS", "NO", "YES", "Field", "RuleKind"]
