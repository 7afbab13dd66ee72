"""Load and validate frameworks: YAML files, dicts, the built-in ones.

Validation collects every problem (duplicate codes, children not summing to the stated
maximum, caps above maxima, unknown rule kinds, bad parameters) with its YAML path, and
raises one :class:`FrameworkError` listing them all.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parxl.errors import FrameworkError
from parxl.framework.model import SCORERS, Criterion, Domain, Framework, Item, Rule
from parxl.rules import KINDS

_TOL = 1e-9


class _Collector:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.codes: dict[str, str] = {}

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def text(self, node: dict[str, Any], key: str, path: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(f"{path}.{key}", "thiếu (bắt buộc)")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(f"{path}.{key}", f"phải là văn bản, không phải {type(value).__name__}")
            return ""
        return str(value).strip()

    def number(self, node: dict[str, Any], key: str, path: str) -> float | None:
        value = node.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(f"{path}.{key}", f"phải là số, không phải {value!r}")
            return None
        return float(value)

    def code(self, node: dict[str, Any], path: str, parent: str | None) -> str:
        code = self.text(node, "code", path)
        if not code:
            return code
        if code in self.codes:
            self.add(f"{path}.code", f"mã '{code}' trùng với {self.codes[code]}")
        else:
            self.codes[code] = path
        if parent is not None and not code.startswith(parent + "."):
            self.add(f"{path}.code", f"mã '{code}' phải bắt đầu bằng mã cấp trên '{parent}.'")
        return code


def _list(
    c: _Collector, node: dict[str, Any], key: str, path: str, required: bool = True
) -> list[Any]:
    value = node.get(key)
    if value is None:
        if required:
            c.add(f"{path}.{key}", "thiếu danh sách (bắt buộc)")
        return []
    if not isinstance(value, list):
        c.add(f"{path}.{key}", "phải là một danh sách")
        return []
    if required and not value:
        c.add(f"{path}.{key}", "danh sách rỗng")
    return value


def _item(
    c: _Collector, node: Any, path: str, parent: str | None, scorers: tuple[str, ...]
) -> Item | None:
    if not isinstance(node, dict):
        c.add(path, "phải là một mục (từ điển)")
        return None
    before = len(c.problems)
    code = c.code(node, path, parent)
    name = c.text(node, "name", path)
    max_points = c.number(node, "max", path)
    if max_points is None:
        if "max" not in node:
            c.add(f"{path}.max", "thiếu điểm tối đa")
        max_points = 0.0
    elif max_points <= 0:
        c.add(f"{path}.max", f"điểm tối đa phải lớn hơn 0 (đang là {max_points:g})")
    scorer = node.get("scorer", scorers[0])
    if scorer not in scorers:
        allowed = ", ".join(f"'{s}' ({SCORERS[s]})" for s in scorers)
        c.add(f"{path}.scorer", f"'{scorer}' không hợp lệ; dùng {allowed}")
    raw_rule = node.get("rule", "manual")
    if isinstance(raw_rule, str):
        raw_rule = {"kind": raw_rule}
    if not isinstance(raw_rule, dict) or "kind" not in raw_rule:
        c.add(f"{path}.rule", "phải có 'kind' (cách chấm)")
        return None
    kind = raw_rule["kind"]
    if kind not in KINDS:
        c.add(
            f"{path}.rule.kind",
            f"cách chấm '{kind}' không tồn tại; dùng một trong: {', '.join(KINDS)}",
        )
        return None
    params, problems = KINDS[kind].normalize(
        {k: v for k, v in raw_rule.items() if k != "kind"}, max_points
    )
    for p in problems:
        c.add(f"{path}.rule", p)
    hidden = node.get("hidden", False)
    if not isinstance(hidden, bool):
        c.add(f"{path}.hidden", "phải là true hoặc false")
    known = {"code", "name", "max", "rule", "scorer", "office", "evidence", "guidance", "hidden"}
    for key in node:
        if key not in known:
            c.add(f"{path}.{key}", f"khoá không được hỗ trợ; dùng: {', '.join(sorted(known))}")
    if len(c.problems) > before:
        return None
    return Item(
        code=code,
        name=name,
        max=max_points,
        rule=Rule(kind, params),
        scorer=str(scorer),
        office=c.text(node, "office", path, required=False),
        evidence=c.text(node, "evidence", path, required=False),
        guidance=c.text(node, "guidance", path, required=False),
        hidden=bool(hidden),
    )


def _check_max(c: _Collector, node: dict[str, Any], path: str, computed: float) -> None:
    stated = c.number(node, "max", path)
    if stated is not None and abs(stated - computed) > _TOL:
        c.add(f"{path}.max", f"ghi {stated:g} điểm nhưng các mục con cộng lại {computed:g} điểm")


def from_dict(data: Any, source: str = "") -> Framework:
    """Build a validated :class:`Framework` from plain data (as parsed from YAML)."""
    c = _Collector()
    if not isinstance(data, dict):
        raise FrameworkError(
            ["tệp phải chứa một bộ tiêu chí (từ điển có 'id', 'name', 'domains')"], source
        )
    fid = c.text(data, "id", "$")
    name = c.text(data, "name", "$")
    level = c.text(data, "level", "$", required=False)
    version = c.text(data, "version", "$", required=False) or "1"
    domains: list[Domain] = []
    for di, dnode in enumerate(_list(c, data, "domains", "$")):
        dpath = f"domains[{di}]"
        if not isinstance(dnode, dict):
            c.add(dpath, "phải là một lĩnh vực (từ điển)")
            continue
        before = len(c.problems)
        dcode = c.code(dnode, dpath, None)
        criteria: list[Criterion] = []
        for ci, cnode in enumerate(_list(c, dnode, "criteria", dpath)):
            cpath = f"{dpath}.criteria[{ci}]"
            if not isinstance(cnode, dict):
                c.add(cpath, "phải là một tiêu chí (từ điển)")
                continue
            ccode = c.code(cnode, cpath, dcode)
            items = [
                _item(c, inode, f"{cpath}.items[{ii}]", ccode, ("self", "survey", "external"))
                for ii, inode in enumerate(_list(c, cnode, "items", cpath))
            ]
            crit = Criterion(ccode, c.text(cnode, "name", cpath), tuple(i for i in items if i))
            if all(items):
                _check_max(c, cnode, cpath, crit.max)
            criteria.append(crit)
        domain = Domain(dcode, c.text(dnode, "name", dpath), tuple(criteria))
        if before == len(c.problems):
            _check_max(c, dnode, dpath, domain.max)
        domains.append(domain)
    bonus_items: list[Item] = []
    cap = 0.0
    if "bonus" in data:
        bnode = data["bonus"]
        if not isinstance(bnode, dict):
            c.add("bonus", "phải có 'cap' và 'items'")
        else:
            cap = c.number(bnode, "cap", "bonus") or 0.0
            for ii, inode in enumerate(_list(c, bnode, "items", "bonus")):
                it = _item(c, inode, f"bonus.items[{ii}]", None, ("bonus",))
                if it:
                    bonus_items.append(it)
            total_bonus = sum(i.max for i in bonus_items)
            if cap <= 0:
                c.add("bonus.cap", "giới hạn điểm thưởng phải lớn hơn 0")
            elif cap > total_bonus + _TOL:
                c.add(
                    "bonus.cap",
                    f"giới hạn {cap:g} lớn hơn tổng điểm các mục thưởng {total_bonus:g}",
                )
    penalty_items: list[Item] = []
    if "penalties" in data:
        pnode = data["penalties"]
        if not isinstance(pnode, dict):
            c.add("penalties", "phải có 'items'")
        else:
            for ii, inode in enumerate(_list(c, pnode, "items", "penalties")):
                it = _item(c, inode, f"penalties.items[{ii}]", None, ("penalty",))
                if it:
                    penalty_items.append(it)
    fw = Framework(
        id=fid,
        name=name,
        level=level,
        version=version,
        note=str(data.get("note", "") or "").strip(),
        domains=tuple(domains),
        bonus=tuple(bonus_items),
        bonus_cap=cap,
        penalties=tuple(penalty_items),
    )
    stated_total = c.number(data, "total", "$")
    if stated_total is not None and abs(stated_total - fw.total) > _TOL:
        c.add(
            "$.total",
            f"ghi tổng {stated_total:g} điểm nhưng các lĩnh vực và điểm thưởng cộng lại {fw.total:g}",
        )
    known = {"id", "name", "level", "version", "note", "total", "domains", "bonus", "penalties"}
    for key in data:
        if key not in known:
            c.add(f"$.{key}", f"khoá không được hỗ trợ; dùng: {', '.join(sorted(known))}")
    if c.problems:
        raise FrameworkError(c.problems, source)
    return fw


def load_yaml(path: str | Path) -> Framework:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(["không tìm thấy tệp"], str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([f"không đọc được tệp ({exc})"], str(p)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkError([f"YAML sai cú pháp: {exc}"], str(p)) from None
    return from_dict(data, str(p))


def builtin_ids() -> list[str]:
    folder = resources.files("parxl.framework") / "data"
    return sorted(f.name[:-5] for f in folder.iterdir() if f.name.endswith(".yaml"))


def builtin(framework_id: str) -> Framework:
    folder = resources.files("parxl.framework") / "data"
    res = folder / f"{framework_id}.yaml"
    if not res.is_file():
        known = ", ".join(builtin_ids())
        raise FrameworkError(
            [f"không có bộ tiêu chí tích hợp '{framework_id}'; có: {known}"], framework_id
        )
    data = yaml.safe_load(res.read_text(encoding="utf-8"))
    return from_dict(data, f"{framework_id}.yaml")


def resolve(spec: str | Path) -> Framework:
    """A built-in id, or a path to a YAML file or an Excel table ("Bộ tiêu chí")."""
    text = str(spec)
    if text in builtin_ids():
        return builtin(text)
    path = Path(text)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from parxl.framework.table import import_table

        return import_table(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml") or (path.exists() and suffix in ("", ".txt")):
        return load_yaml(path)
    known = ", ".join(builtin_ids())
    if path.exists():
        what = "bảng số liệu (dùng với 'parxl fill')" if suffix == ".csv" else f"tệp '{suffix}'"
        raise FrameworkError([f"đây là {what}, không phải bộ tiêu chí; bộ tiêu chí là mã tích hợp ({known}), "
                              "tệp .yaml hoặc bảng Excel .xlsx có trang 'Bộ tiêu chí'"], text)
    raise FrameworkError(
        [f"không phải bộ tiêu chí tích hợp, cũng không phải tệp có sẵn; bộ tích hợp: {known}"], text
    )


def dump_yaml(fw: Framework) -> str:
    return yaml.safe_dump(fw.to_dict(), allow_unicode=True, sort_keys=False, width=100)


def example_values_path(framework_id: str) -> Path:
    """The example inputs (CSV) shipped with a built-in framework."""
    res = resources.files("parxl.framework") / "data" / f"{framework_id}.example.csv"
    if not res.is_file():
        raise FrameworkError([f"bộ tiêu chí '{framework_id}' không có dữ liệu mẫu"], framework_id)
    return Path(str(res))
