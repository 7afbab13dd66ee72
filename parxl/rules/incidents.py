"""Points lost per incident, floored at 0 (each late answer to a complaint: −0.5).

Seed 000: "xử lý phản ánh, kiến nghị trễ hạn trên hệ thống (02/41 PAKN xử lý trễ hạn)".
"""

from parxl.rules.base import COUNT, Field, Param, RuleKind, is_nonneg, pts
from parxl.rules.expr import MAX, MAXPTS, V1

KIND = RuleKind(
    name="incidents",
    label="Trừ điểm theo số trường hợp vi phạm",
    params=(
        Param("per_incident", is_nonneg, "số không âm (điểm trừ mỗi trường hợp)", required=True),
    ),
    fields=lambda p: (Field("incidents", 1, COUNT, "Số trường hợp vi phạm", "trường hợp"),),
    expression=lambda p: MAX(MAXPTS - MAX(V1, 0) * float(p["per_incident"]), 0),
    describe=lambda p, m: f"Trừ {pts(p['per_incident'])} điểm mỗi trường hợp, thấp nhất 0",
)
