"""Manual points: the office or the assessor enters points in [0, max].

Used for most self-assessed items judged on evidence, and for survey (ĐTXHH, SIPAS) and
superior-body points entered when the results arrive (seed 004: 30 survey points).
"""

from parxl.rules.base import POINTS, Field, RuleKind, pts
from parxl.rules.expr import MAX, MAXPTS, MIN, V1

KIND = RuleKind(
    name="manual",
    label="Chấm điểm trực tiếp",
    params=(),
    fields=lambda p: (Field("points", 1, POINTS, "Số điểm chấm", "điểm"),),
    expression=lambda p: MIN(MAXPTS, MAX(V1, 0)),
    describe=lambda p, m: f"Nhập số điểm từ 0 đến {pts(m)}",
)
