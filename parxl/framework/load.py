"""Load and validate frameworks: YAML files, dicts, the built-in ones.

Validation collects every problem (duplicate codes, children not summing to the stated
maximum, caps above maxima, unknown rule kinds, bad parameters) with its YAML path, and
raises one :class:`FrameworkError` listing them all.
"""

from __future__ import annotations

import math
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parxl.errors import FrameworkError, os_reason
from parxl.framework.model import SCORERS, Criterion, Domain, Framework, Item, Rule
from parxl.numbers import cell_text
from parxl.rules import KINDS
from parxl.rules.base import as_written, pts

SUM_TOLERANCE = 1e-9
_TEXT_KEYS = frozenset({"id", "version", "code"})
_ITEM_KEYS = {"code", "name", "max", "rule", "scorer", "office", "evidence", "guidance", "hidden"}
_TOP_KEYS = {"id", "name", "level", "version", "note", "total", "domains", "bonus", "penalties"}
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


class _Loader(yaml.SafeLoader):
    """YAML as written: an unquoted code ``1.10`` stays the text '1.10', not the number 1.1; a
    key written twice in one mapping is noted in ``twice`` (PyYAML keeps the last one silently)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.twice: list[tuple[yaml.MappingNode, str, list[int]]] = []  # mapping, key, its lines

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        lines: dict[tuple[str, str], list[int]] = {}
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value in _TEXT_KEYS
                and isinstance(value, yaml.ScalarNode)
                and value.tag in _NUMBER_TAGS
            ):
                value.tag = "tag:yaml.org,2002:str"
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                lines.setdefault((key.tag, key.value), []).append(key.start_mark.line + 1)
        self.twice += [(node, key, at) for (_, key), at in lines.items() if len(at) > 1]
        return super().construct_mapping(node, deep)


_LEVELS = {"domains": "lĩnh vực", "criteria": "tiêu chí", "items": "mục"}


def parse_yaml(text: str) -> tuple[Any, list[tuple[str, str, list[int]]]]:
    """The data of a YAML text, and each key written twice in one mapping: (where, as a framework
    problem's path names it: 'domains[4].criteria[1].items[0].rule (mục 5.2.1)', the key, its lines)."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()
    places: dict[int, tuple[str, str]] = {}  # id of a mapping node -> (its path, the item it is in)

    def walk(node: yaml.Node, path: str, what: str) -> None:
        if id(node) in places:  # an alias: it has its place already (and may hold itself)
            return
        if isinstance(node, yaml.MappingNode):
            places[id(node)] = (path, what)
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    walk(value, f"{path}.{key.value}" if path else key.value, what)
        elif isinstance(node, yaml.SequenceNode):
            places[id(node)] = (path, what)
            level = _LEVELS.get(path.rsplit(".", 1)[-1], "")
            for i, child in enumerate(node.value):
                pairs = child.value if level and isinstance(child, yaml.MappingNode) else []
                code = next((v.value for k, v in pairs if k.value == "code" and isinstance(v, yaml.ScalarNode)), "")
                walk(child, f"{path}[{i}]", f"{level} {unicodedata.normalize('NFC', code).strip()}" if code else "")

    if root is not None:
        walk(root, "", "")
    twice = []
    for node, key, lines in sorted(loader.twice, key=lambda t: t[2][0]):  # in the file's order
        path, what = places.get(id(node), ("", ""))
        head = f"{path}.{key}" if path else f"$.{key}"
        twice.append((f"{head} ({what})" if what else head, key, lines))
    return data, twice


def written_twice(key: str, lines: list[int]) -> str:
    """'khoá 'rule' ghi hai lần (dòng 12 và 14)'."""
    times = "hai" if len(lines) == 2 else str(len(lines))
    if len(set(lines)) == 1:  # {kind: count, per_unit: 1, per_unit: 2}
        return f"khoá '{key}' ghi {times} lần trên dòng {lines[0]}; giữ một lần, xoá phần thừa"
    at = ", ".join(str(n) for n in lines[:-1]) + f" và {lines[-1]}"
    return f"khoá '{key}' ghi {times} lần (dòng {at}); giữ một dòng, xoá dòng thừa"


class _Collector:
    def __init__(self, authored: bool = True) -> None:
        self.problems: list[str] = []
        self.codes: dict[str, str] = {}
        self.authored = authored

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def name_own(self, start: int, path: str, what: str) -> None:
        """Name the item, criterion or domain in its own problems since ``start`` (a YAML path
        counts from 0: 'domains[4].criteria[0].items[0].rule (mục 5.1.1): …')."""
        if not what.split()[-1]:
            return
        for i in range(start, len(self.problems)):
            head, sep, message = self.problems[i].partition(": ")
            rest = head[len(path) :]
            if head.startswith(path) and (not rest or rest.startswith(".")) and "[" not in rest:
                self.problems[i] = f"{head} ({what}){sep}{message}"

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
        if isinstance(value, float) and not math.isfinite(value):
            self.add(f"{path}.{key}", f"phải là một số hữu hạn, không phải {as_written(value)}")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(f"{path}.{key}", f"phải là số, không phải {value!r}")
            return None
        return float(value)

    def code(self, node: dict[str, Any], path: str, parent: str | None) -> str:
        code = self.text(node, "code", path)
        if not code:
            return code
        odd = code_characters(code) if self.authored else None
        if odd:
            self.add(f"{path}.code", odd)
        if code in self.codes:
            self.add(f"{path}.code", f"mã '{code}' trùng với {self.codes[code]}")
        else:
            self.codes[code] = path
        if self.authored and parent and code_characters(parent):
            pass  # the parent's code is reported: its children would all repeat it
        elif parent is not None and not code.startswith(parent + "."):
            self.add(f"{path}.code", f"mã '{code}' phải bắt đầu bằng mã cấp trên '{parent}.'")
        return code


def code_characters(code: str) -> str | None:
    """What in a code is not a digit 0-9, a letter ('Đ.1'), '.', '-' or '_', in Vietnamese, or
    None. A superscript or circled digit ('1.2.²', '①') looks like a number but sorts and types
    as none; an invisible character (U+200B pasted from a web page or Word) makes a code that
    looks right and never matches what a person types."""
    odd = []
    for at, ch in enumerate(code):
        if (ch.isascii() and (ch.isalnum() or ch in ".-_")) or (not ch.isascii() and ch.isalpha()):
            continue
        kind = unicodedata.category(ch)
        point = f"U+{ord(ch):04X}"
        if ch == " ":
            what = "dấu cách"
        elif ch == "\t":
            what = "dấu Tab"
        elif ch.isspace():
            what = f"khoảng trắng đặc biệt {point}"
        elif kind[0] in "CZ":  # format (Cf: U+200B, U+FEFF, U+200E …), control, unassigned
            what = f"ký tự ẩn {point}"
        elif kind[0] == "M":
            what = f"dấu ghép {point} (không gắn được vào chữ trước nó)"
        elif ch.isnumeric():
            name = unicodedata.name(ch, "")
            shape = "chữ số mũ" if "SUPERSCRIPT" in name else "số trong vòng tròn" if "CIRCLED" in name else "chữ số đặc biệt"
            what = f"{shape} '{ch}' ({point}, không phải chữ số 0–9)"
        else:
            what = f"ký tự '{ch}' ({point})"
        odd.append(f"{what} {f'sau {code[:at]!r}' if at else 'ở đầu mã'}")
    if not odd:
        return None
    return (
        f"mã '{code}' có {', '.join(odd)}; mã chỉ gồm chữ số 0–9, chữ cái, dấu chấm, dấu gạch ngang "
        "hoặc gạch dưới: xoá ký tự đó rồi gõ lại mã"
    )


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
    start = len(c.problems)
    item = _read_item(c, node, path, parent, scorers)
    if isinstance(node, dict):
        c.name_own(start, path, f"mục {cell_text(node.get('code')).strip()}")
    return item


def _read_item(
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
        if node.get("max") is None:  # absent, or left blank (a blank cell of an imported table)
            c.add(f"{path}.max", "thiếu điểm tối đa")
        max_points = 0.0
    elif max_points <= 0:
        c.add(f"{path}.max", f"điểm tối đa phải lớn hơn 0 (đang là {pts(max_points)})")
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
            f"cách chấm '{kind}' không tồn tại; dùng một trong: "
            + ", ".join(f"{k} ({v.label})" for k, v in KINDS.items()),
        )
        return None
    # a maximum already reported wrong (missing, not a number, 0) is not held against the rule's
    # points: they would all be "above a maximum of 0"
    known_max = max_points if max_points > 0 else math.inf
    params, problems = KINDS[kind].normalize(
        {k: v for k, v in raw_rule.items() if k != "kind"}, known_max
    )
    for p in problems:
        c.add(f"{path}.rule", p)
    hidden = node.get("hidden", False)
    if not isinstance(hidden, bool):
        c.add(f"{path}.hidden", "phải là true hoặc false")
    _unknown_keys(c, node, path, _ITEM_KEYS)
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


def _check_max(c: _Collector, node: dict[str, Any], path: str, computed: float | None) -> None:
    stated = c.number(node, "max", path)
    if stated is not None and computed is not None and abs(stated - computed) > SUM_TOLERANCE:
        c.add(f"{path}.max", f"ghi {pts(stated)} điểm nhưng các mục con cộng lại {pts(computed)} điểm")


def written_max(node: Any) -> float | None:
    """An item's maximum as written (even when the item has other problems), or None."""
    value = node.get("max") if isinstance(node, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def sum_known(values: list[float | None]) -> float | None:
    """Sum of maxima when every one is known (cleaned of binary noise as the model does)."""
    if any(v is None for v in values):
        return None
    return round(sum(v for v in values if v is not None), 9)


def _unknown_keys(c: _Collector, node: dict[str, Any], path: str, known: set[str]) -> None:
    for key in node:
        if key not in known:
            c.add(f"{path}.{key}", f"khoá không được hỗ trợ; dùng: {', '.join(sorted(known))}")


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def spelling_key(name: str) -> str:
    """Spellings of one name (an office, a body): case, spaces and tone marks (hoá / hóa) ignored."""
    letters = unicodedata.normalize("NFD", name.casefold())
    return " ".join("".join(ch for ch in letters if ch not in _TONES).split())


def _office_of(path: str, node: Any) -> list[tuple[str, str, str]]:
    """(path, code, office) of an item node that names an office, whether or not the item has
    other problems (all problems are reported at once)."""
    office = node.get("office") if isinstance(node, dict) else None
    if not isinstance(office, str) or not office.strip():
        return []
    return [(path, str(node.get("code", "")), office.strip())]


def _check_offices(c: _Collector, offices: list[tuple[str, str, str]]) -> None:
    """One office written two ways would get two workbooks and two lines in every report."""
    spellings: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for path, code, office in offices:
        spellings.setdefault(spelling_key(office), {}).setdefault(office, []).append((path, code))
    for forms in spellings.values():
        if len(forms) < 2:
            continue
        usual = max(forms, key=lambda f: len(forms[f]))  # the first written wins a tie
        for office, uses in forms.items():
            if office == usual:
                continue
            codes = ", ".join(code for _, code in forms[usual][:3])
            more = f" và {len(forms[usual]) - 3} mục khác" if len(forms[usual]) > 3 else ""
            c.add(
                f"{uses[0][0]}.office (mục {uses[0][1]})",
                f"đơn vị chủ trì '{office}' ({len(uses)} mục) và '{usual}' (mục {codes}{more}) "
                "chỉ khác chữ hoa/thường, dấu cách hoặc vị trí dấu (hoá/hóa): một đơn vị phải "
                "viết giống nhau ở mọi mục, nếu không sẽ thành hai đơn vị",
            )


def _check_sheet_name(c: _Collector, domain: Domain, path: str, before: list[Domain]) -> None:
    """Each domain is a sheet: Excel forbids some characters and 31+ letters, and two names
    differing only in case are one sheet to Excel's formulas."""
    if not domain.code:
        return
    name = domain.sheet_name
    if len(name) > 31 or any(ch in name for ch in "[]:*?/\\") or name.endswith("'"):
        c.add(
            f"{path}.code",
            f"mã lĩnh vực '{domain.code}' đặt tên trang '{name}': tên trang Excel tối đa 31 ký tự, "
            "không có các ký tự \\ / ? * : [ ], không kết thúc bằng dấu '",
        )
    for other in before:
        if other.code != domain.code and other.code.casefold() == domain.code.casefold():
            c.add(
                f"{path}.code",
                f"mã lĩnh vực '{domain.code}' và '{other.code}' chỉ khác chữ hoa/thường: Excel coi "
                f"hai trang '{name}' và '{other.sheet_name}' là một",
            )


def from_dict(data: Any, source: str = "", *, authored: bool = True) -> Framework:
    """Build a validated :class:`Framework` from plain data (as parsed from YAML).

    ``authored=False`` for a framework embedded in a workbook: it was checked when the template
    was built, and checks of how it is written (office spellings, sheet names) added since must
    not make earlier returns unreadable."""
    c = _Collector(authored)
    if not isinstance(data, dict):
        raise FrameworkError(
            ["tệp phải chứa một bộ tiêu chí (từ điển có 'id', 'name', 'domains')"], source
        )
    fid = c.text(data, "id", "$")
    name = c.text(data, "name", "$")
    level = c.text(data, "level", "$", required=False)
    version = c.text(data, "version", "$", required=False) or "1"
    domains: list[Domain] = []
    # sums are checked on the maxima as written, so a bad rule does not hide a wrong sum
    base_sums: list[float | None] = []
    offices: list[tuple[str, str, str]] = []
    for di, dnode in enumerate(_list(c, data, "domains", "$")):
        dpath = f"domains[{di}]"
        if not isinstance(dnode, dict):
            c.add(dpath, "phải là một lĩnh vực (từ điển)")
            base_sums.append(None)
            continue
        dstart = len(c.problems)
        dcode = c.code(dnode, dpath, None)
        criteria: list[Criterion] = []
        crit_sums: list[float | None] = []
        for ci, cnode in enumerate(_list(c, dnode, "criteria", dpath)):
            cpath = f"{dpath}.criteria[{ci}]"
            if not isinstance(cnode, dict):
                c.add(cpath, "phải là một tiêu chí (từ điển)")
                crit_sums.append(None)
                continue
            cstart = len(c.problems)
            ccode = c.code(cnode, cpath, dcode)
            inodes = _list(c, cnode, "items", cpath)
            items = [
                _item(c, inode, f"{cpath}.items[{ii}]", ccode, ("self", "survey", "external"))
                for ii, inode in enumerate(inodes)
            ]
            offices += [o for ii, n in enumerate(inodes) for o in _office_of(f"{cpath}.items[{ii}]", n)]
            crit = Criterion(ccode, c.text(cnode, "name", cpath), tuple(i for i in items if i))
            crit_sums.append(sum_known([written_max(n) for n in inodes]))
            _check_max(c, cnode, cpath, crit_sums[-1])
            _unknown_keys(c, cnode, cpath, {"code", "name", "max", "items"})
            c.name_own(cstart, cpath, f"tiêu chí {ccode}")
            criteria.append(crit)
        domain = Domain(dcode, c.text(dnode, "name", dpath), tuple(criteria))
        base_sums.append(sum_known(crit_sums))
        _check_max(c, dnode, dpath, base_sums[-1])
        _unknown_keys(c, dnode, dpath, {"code", "name", "max", "criteria"})
        if authored and not code_characters(dcode):  # a code's odd character is reported once
            _check_sheet_name(c, domain, dpath, domains)
        c.name_own(dstart, dpath, f"lĩnh vực {dcode}")
        domains.append(domain)
    bonus_items: list[Item] = []
    cap = 0.0
    cap_known = True  # a cap written but not a number is reported once, not again in the total
    if "bonus" in data:
        bnode = data["bonus"]
        if not isinstance(bnode, dict):
            c.add("bonus", "phải có 'cap' và 'items'")
        else:
            stated_cap = c.number(bnode, "cap", "bonus")
            cap = stated_cap or 0.0
            cap_known = stated_cap is not None or bnode.get("cap") is None
            inodes = _list(c, bnode, "items", "bonus")
            for ii, inode in enumerate(inodes):
                it = _item(c, inode, f"bonus.items[{ii}]", None, ("bonus",))
                offices += _office_of(f"bonus.items[{ii}]", inode)
                if it:
                    bonus_items.append(it)
            total_bonus = sum_known([written_max(n) for n in inodes])
            # a cap written but not a number is reported above; none at all must be > 0
            if cap_known and cap <= 0:
                c.add("bonus.cap", "giới hạn điểm thưởng phải lớn hơn 0")
            elif cap_known and total_bonus is not None and cap > total_bonus + SUM_TOLERANCE:
                c.add(
                    "bonus.cap",
                    f"giới hạn {pts(cap)} lớn hơn tổng điểm các mục thưởng {pts(total_bonus)}",
                )
            _unknown_keys(c, bnode, "bonus", {"cap", "items"})
    penalty_items: list[Item] = []
    if "penalties" in data:
        pnode = data["penalties"]
        if not isinstance(pnode, dict):
            c.add("penalties", "phải có 'items'")
        else:
            for ii, inode in enumerate(_list(c, pnode, "items", "penalties")):
                it = _item(c, inode, f"penalties.items[{ii}]", None, ("penalty",))
                offices += _office_of(f"penalties.items[{ii}]", inode)
                if it:
                    penalty_items.append(it)
            _unknown_keys(c, pnode, "penalties", {"items"})
    if authored:
        _check_offices(c, offices)
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
    written_total = sum_known([*base_sums, cap if cap_known else None])
    if (
        stated_total is not None
        and written_total is not None
        and abs(stated_total - written_total) > SUM_TOLERANCE
    ):
        c.add(
            "$.total",
            f"ghi tổng {pts(stated_total)} điểm nhưng các lĩnh vực và điểm thưởng cộng lại "
            f"{pts(written_total)}",
        )
    _unknown_keys(c, data, "$", _TOP_KEYS)
    if c.problems:
        raise FrameworkError(c.problems, source)
    return fw


def load_yaml(path: str | Path) -> Framework:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(["không tìm thấy tệp"], str(p), unread=True) from None
    except OSError as exc:  # a folder given for the file, no permission, …
        raise FrameworkError([f"không đọc được tệp ({os_reason(exc)})"], str(p), unread=True) from None
    except UnicodeDecodeError:
        raise FrameworkError(["tệp bộ tiêu chí phải lưu dạng UTF-8"], str(p)) from None
    try:
        data, twice = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise FrameworkError([_yaml_syntax(exc)], str(p)) from None
    doubled = [f"{where}: {written_twice(key, lines)}" for where, key, lines in twice]
    try:
        fw = from_dict(nfc(data), str(p))
    except FrameworkError as exc:
        raise FrameworkError([*doubled, *exc.problems], str(p)) from None
    if doubled:
        raise FrameworkError(doubled, str(p))
    return fw


def nfc(data: Any) -> Any:
    """Text as precomposed letters (Unicode NFC) throughout: Vietnamese typed as combining marks
    (Unikey "Unicode tổ hợp", a Mac) is the same words, and one office must not become two."""
    if isinstance(data, str):
        return unicodedata.normalize("NFC", data)
    if isinstance(data, list):
        return [nfc(v) for v in data]
    if isinstance(data, dict):
        return {nfc(k): nfc(v) for k, v in data.items()}
    return data


def _yaml_syntax(exc: yaml.YAMLError) -> str:
    """Where a YAML file is broken and what to do, in Vietnamese (PyYAML's own words follow)."""
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark is not None else ""
    text = getattr(mark, "buffer", None) or ""
    line = text[text.rfind("\n", 0, mark.pointer) + 1 : mark.pointer] if mark is not None and text else ""
    if "'\\t'" in problem and line.strip(" \t-"):  # a Tab inside a value (pasted from Excel), not indentation
        hint = (
            f"có dấu Tab sau '{line.strip()[-30:]}': YAML không nhận dấu Tab trong văn bản không đặt trong "
            "ngoặc kép; thay dấu Tab bằng dấu cách"
        )
    elif "'\\t'" in problem:
        hint = "thụt lề bằng dấu cách, không dùng phím Tab"
    elif "quoted scalar" in context or "flow" in context:
        start = getattr(exc, "context_mark", None)
        opened = f" mở ở dòng {start.line + 1}" if start is not None else ""
        if "quoted" in context:
            hint = f"dấu ngoặc kép{opened} chưa được đóng"
        else:
            hint = f"dấu [ hoặc {{{opened} chưa được đóng, hoặc thiếu dấu phẩy giữa các phần tử"
    elif "block end" in problem or "mapping values are not allowed" in problem:
        hint = "thụt lề không thẳng hàng với các dòng cùng cấp, hoặc thiếu dấu cách sau dấu ':'"
    else:
        hint = ""
    original = " ".join(f"{context} {problem}".split())
    return f"YAML sai cú pháp{where}: {hint} ({original})" if hint else f"YAML sai cú pháp{where}: {original}"


def builtin_ids() -> list[str]:
    folder = resources.files("parxl.framework") / "data"
    return sorted(f.name[:-5] for f in folder.iterdir() if f.name.endswith(".yaml"))


def builtin_id(text: str) -> str | None:
    """The built-in id ``text`` names, as typed in a cell: surrounding spaces and case aside
    ("HCM-quan-2023 " is "hcm-quan-2023"); None when it names none."""
    key = text.strip().casefold()
    return next((i for i in builtin_ids() if i.casefold() == key), None)


def unknown_framework(text: str) -> FrameworkError:
    """The error for a text that is neither a built-in id nor an existing file."""
    return FrameworkError(
        [f"không phải bộ tiêu chí tích hợp, cũng không phải tệp có sẵn; bộ tích hợp: {', '.join(builtin_ids())}"], text
    )


def builtin(framework_id: str) -> Framework:
    folder = resources.files("parxl.framework") / "data"
    res = folder / f"{framework_id}.yaml"
    if not res.is_file():
        known = ", ".join(builtin_ids())
        raise FrameworkError(
            [f"không có bộ tiêu chí tích hợp '{framework_id}'; có: {known}"], framework_id
        )
    data, twice = parse_yaml(res.read_text(encoding="utf-8"))
    if twice:
        raise FrameworkError([f"{where}: {written_twice(key, lines)}" for where, key, lines in twice], framework_id)
    return from_dict(data, f"{framework_id}.yaml")


def resolve(spec: str | Path) -> Framework:
    """A built-in id, or a path to a YAML file, an Excel table ("Bộ tiêu chí") or a decision's
    Word file (its framework table)."""
    text = str(spec)
    fid = builtin_id(text)
    if fid is not None:
        return builtin(fid)
    path = Path(text)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".docx"):
        from parxl.framework.table import import_table

        return import_table(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml") or (path.exists() and suffix in ("", ".txt")):
        return load_yaml(path)
    known = ", ".join(builtin_ids())
    if path.exists():
        what = "bảng số liệu (dùng với 'parxl fill')" if suffix == ".csv" else f"tệp '{suffix}'"
        raise FrameworkError([f"đây là {what}, không phải bộ tiêu chí; bộ tiêu chí là mã tích hợp ({known}), "
                              "tệp .yaml, bảng Excel .xlsx có trang 'Bộ tiêu chí' hoặc tệp Word .docx của "
                              "quyết định"], text)
    raise unknown_framework(text)


def dump_yaml(fw: Framework) -> str:
    return yaml.safe_dump(fw.to_dict(), allow_unicode=True, sort_keys=False, width=100)


def example_values_path(framework_id: str) -> Path:
    """The example inputs (CSV) shipped with a built-in framework."""
    res = resources.files("parxl.framework") / "data" / f"{framework_id}.example.csv"
    if not res.is_file():
        raise FrameworkError([f"bộ tiêu chí '{framework_id}' không có dữ liệu mẫu"], framework_id)
    return Path(str(res))
