"""Yes/no: done (on time, as required) gives the maximum, otherwise 0.

Seed 000: "Xây dựng Kế hoạch ứng dụng CNTT ... bị trừ 0,5 điểm do ban hành Kế hoạch trễ
thời hạn".
"""

from parxl.rules.base import YES, YESNO, Field, RuleKind
from parxl.rules.expr import IF, MAXPTS, V1, TextIs

KIND = RuleKind(
    name="yesno",
    label="Có/Không",
    params=(),
    fields=lambda p: (Field("done", 1, YESNO, "Đã thực hiện đúng yêu cầu? (Có/Không)"),),
    expression=lambda p: IF(TextIs(V1, YES), MAXPTS, 0),
    describe=lambda p, m: "Có: đạt điểm tối đa; Không: 0 điểm",
)
