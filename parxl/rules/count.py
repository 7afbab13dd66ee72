"""Count × points per unit, capped at the maximum.

DOMAIN.md: "1 point per innovation, at most 2"; seed 003: two initiatives expected for 2
points, one achieved.
"""

from parxl.rules.base import COUNT, Field, Param, RuleKind, is_nonneg, pts
from parxl.rules.expr import MAX, MAXPTS, MIN, V1

KIND = RuleKind(
    name="count",
    label="Theo số lượng",
    params=(Param("per_unit", is_nonneg, "số không âm (điểm cho mỗi đơn vị)", required=True),),
    fields=lambda p: (Field("count", 1, COUNT, "Số lượng", "đơn vị"),),
    expression=lambda p: MIN(MAXPTS, MAX(V1, 0) * float(p["per_unit"])),
    describe=lambda p, m: f"{pts(p['per_unit'])} điểm mỗi đơn vị, tối đa {pts(m)} điểm",
)
