"""The UDF flavour of the template: same layout and results, computed cells call PAR_* functions.

``parxl build --flavor udf`` (``build_workbook(fw, formulas=UdfFormulas())``) writes the per-item
computed cells (points, status, applicable, achieved, open, deducted) and the summary's share,
index and bonus cells as calls of parxl's Excel functions (:mod:`udfs.functions`) instead of
native formulas. The rule parameters that change the scoring go into the formula as a short
text (``PAR_SCORE("tiers",E7,H7,I7,"tiers=[[1,1.5],[0.9,1]]")``). The cell meanings recorded
by :meth:`Formulas.put` are those of the native flavour, so :mod:`parxl.verify` compares both
with the Python evaluator. Excel needs the xlwings add-in (or xlwings Server) with the
``udfs.functions`` module; ``parxl recalc --engine formulas`` registers the same functions
(LibreOffice cannot call them and shows #NAME?).
"""

from __future__ import annotations

from parxl.errors import InputError, Location
from parxl.workbook.build import Formulas, ItemRow, _s


def _params_text(r: ItemRow) -> str:
    from udfs.core import params_text

    return params_text(r.item.rule.kind, dict(r.item.rule.params))


class UdfFormulas(Formulas):
    """Computed cells as calls of the PAR_* user-defined functions.

    ``namespace``: prefix for Excel on the web / Mac through xlwings Server or Lite, whose
    custom functions carry the add-in's namespace (``"XLWINGS"`` gives
    ``=XLWINGS.PAR_SCORE(...)``); empty for desktop Excel with the xlwings add-in.
    """

    flavor = "udf"

    def __init__(self, namespace: str = "") -> None:
        super().__init__()
        self.ns = f"{namespace.strip().upper()}." if namespace.strip() else ""

    def raw(self, r: ItemRow) -> str:
        params = _params_text(r)
        if len(params) > 250:  # Excel limits a text in a formula to 255 characters
            raise InputError(
                f"tham số cách chấm quá dài để ghi trong công thức ({len(params)} ký tự, tối đa 250); "
                "hãy dùng biểu mẫu công thức Excel (--flavor native)",
                Location(sheet=r.sheet, cell=r.ref("raw"), item=r.item.code),
            )
        tail = f",{_s(params)}" if params else ""
        return (f"={self.ns}PAR_SCORE({_s(r.item.rule.kind)},{r.ref('max')},{r.ref('v1')},"
                f"{r.ref('v2')}{tail})")

    def eff_status(self, r: ItemRow) -> str:
        flag = ",TRUE" if r.item.scorer == "penalty" else ""
        return (f"={self.ns}PAR_STATUS({r.ref('status')},{r.ref('v1')}:{r.ref('v2')},"
                f"{r.ref('raw')},{r.ref('max')}{flag})")

    def applicable(self, r: ItemRow) -> str:
        return f"={self.ns}PAR_APPLICABLE({r.ref('eff_status')},{r.ref('max')})"

    def achieved(self, r: ItemRow) -> str:
        return f"={self.ns}PAR_ACHIEVED({r.ref('eff_status')},{r.ref('raw')})"

    def open(self, r: ItemRow) -> str:
        return f"={self.ns}PAR_OPEN({r.ref('eff_status')},{r.ref('max')})"

    def deducted(self, r: ItemRow) -> str:
        return f"={self.ns}PAR_DEDUCTED({r.ref('applicable')},{r.ref('achieved')},{r.ref('open')})"

    def share(self, deducted: str, total: str) -> str:
        return f"={self.ns}PAR_SHARE({deducted},{total})"

    def ratio(self, num: str, den: str) -> str:
        return f"={self.ns}PAR_INDEX({num},{den})"

    def capped(self, value: str, cap: str) -> str:
        return f"={self.ns}PAR_BONUS({value},{cap})"
