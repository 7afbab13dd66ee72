"""A tiny expression language: one definition, two renderings.

A rule kind writes its scoring once as an expression over the item's inputs (``V1``, ``V2``)
and maximum (``MAX``). From that one tree come

* Python source, compiled once per rule into a plain function (fast, runs in Pyodide), and
* an Excel formula, given the cells that hold the inputs and the maximum.

Only constructs whose meaning is the same in Excel, LibreOffice, ``formulas`` and Python are
offered: arithmetic, comparisons, MIN/MAX/IF/AND/OR, ROUND/ROUNDDOWN (Excel-exact in Python
through :mod:`parxl.xlmath`) and case-insensitive text equality.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from parxl import xlmath


def _num(value: float) -> str:
    text = f"{value:.15g}"
    return text


class Expr:
    """A node; operators build bigger nodes."""

    def py(self) -> str:
        raise NotImplementedError

    def xl(self, cells: Mapping[str, str]) -> str:
        raise NotImplementedError

    def __add__(self, other: Expr | float) -> Expr:
        return Bin("+", self, lit(other))

    def __radd__(self, other: float) -> Expr:
        return Bin("+", lit(other), self)

    def __sub__(self, other: Expr | float) -> Expr:
        return Bin("-", self, lit(other))

    def __rsub__(self, other: float) -> Expr:
        return Bin("-", lit(other), self)

    def __mul__(self, other: Expr | float) -> Expr:
        return Bin("*", self, lit(other))

    def __rmul__(self, other: float) -> Expr:
        return Bin("*", lit(other), self)

    def __truediv__(self, other: Expr | float) -> Expr:
        return Bin("/", self, lit(other))

    def __ge__(self, other: Expr | float) -> Expr:
        return Cmp(">=", self, lit(other))

    def __gt__(self, other: Expr | float) -> Expr:
        return Cmp(">", self, lit(other))

    def __le__(self, other: Expr | float) -> Expr:
        return Cmp("<=", self, lit(other))


def lit(value: Expr | float) -> Expr:
    return value if isinstance(value, Expr) else Const(float(value))


@dataclass(frozen=True, eq=False)
class Const(Expr):
    value: float

    def py(self) -> str:
        return repr(float(_num(self.value)))

    def xl(self, cells: Mapping[str, str]) -> str:
        return _num(self.value)


@dataclass(frozen=True, eq=False)
class Var(Expr):
    name: str  # "v1", "v2" or "max"

    def py(self) -> str:
        return "mx" if self.name == "max" else self.name

    def xl(self, cells: Mapping[str, str]) -> str:
        return cells[self.name]


@dataclass(frozen=True, eq=False)
class Bin(Expr):
    op: str
    a: Expr
    b: Expr

    def py(self) -> str:
        return f"({self.a.py()} {self.op} {self.b.py()})"

    def xl(self, cells: Mapping[str, str]) -> str:
        return f"({self.a.xl(cells)}{self.op}{self.b.xl(cells)})"


class Cmp(Bin):
    """A comparison: as a binary operation, but bare in Excel (it is always an IF condition)."""

    def xl(self, cells: Mapping[str, str]) -> str:
        return f"{self.a.xl(cells)}{self.op}{self.b.xl(cells)}"


@dataclass(frozen=True, eq=False)
class TextIs(Expr):
    """Case-insensitive text equality, as Excel's ``=`` on text."""

    a: Var
    text: str

    def py(self) -> str:
        return f"(isinstance({self.a.py()}, str) and {self.a.py()}.casefold() == {self.text.casefold()!r})"

    def xl(self, cells: Mapping[str, str]) -> str:
        quoted = self.text.replace('"', '""')
        return f'{self.a.xl(cells)}="{quoted}"'


_PY_FUNCS = {"MIN": "min", "MAX": "max", "ROUND": "_round", "ROUNDDOWN": "_rounddown"}


@dataclass(frozen=True, eq=False)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]

    def py(self) -> str:
        a = [x.py() for x in self.args]
        if self.name == "IF":
            return f"({a[1]} if {a[0]} else {a[2]})"
        if self.name in ("AND", "OR"):
            return "(" + f" {self.name.lower()} ".join(a) + ")"
        return f"{_PY_FUNCS[self.name]}({', '.join(a)})"

    def xl(self, cells: Mapping[str, str]) -> str:
        return f"{self.name}({','.join(x.xl(cells) for x in self.args)})"


def MIN(a: Expr | float, b: Expr | float) -> Expr:
    return Call("MIN", (lit(a), lit(b)))


def MAX(a: Expr | float, b: Expr | float) -> Expr:
    return Call("MAX", (lit(a), lit(b)))


def IF(cond: Expr, then: Expr | float, other: Expr | float) -> Expr:
    return Call("IF", (cond, lit(then), lit(other)))


def ROUND(a: Expr, digits: int) -> Expr:
    return Call("ROUND", (a, Const(float(digits))))


def ROUNDDOWN(a: Expr, digits: int) -> Expr:
    return Call("ROUNDDOWN", (a, Const(float(digits))))


V1 = Var("v1")
V2 = Var("v2")
MAXPTS = Var("max")

Evaluator = Callable[[object, object, float], float]


def _rounder(fn: Callable[[float, int], float]) -> Callable[[float, float], float]:
    return lambda x, d: fn(x, int(d))


_ENV: dict[str, object] = {
    "_round": _rounder(xlmath.xl_round),
    "_rounddown": _rounder(xlmath.xl_rounddown),
    "__builtins__": {"min": min, "max": max, "isinstance": isinstance, "str": str},
}


def compile_expr(expr: Expr) -> Evaluator:
    """Compile to ``f(v1, v2, max) -> points``; numeric inputs must already be numbers."""
    source = f"lambda v1, v2, mx: {expr.py()}"
    fn: Evaluator = eval(compile(source, "<parxl-rule>", "eval"), dict(_ENV))
    return fn
