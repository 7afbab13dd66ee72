"""The province tables, built from the stored Parquet tables with pandas.

- ``bodies``: one row per body: group, year, file, self-assessed and final total, index, points;
- ``domains`` / ``criteria`` / ``items``: bodies x domain / criterion / item achieved points;
- ``ranking`` and ``groups``: :func:`parxl.analysis.rank_bodies` (ties shared, rank in group,
  change from last year) and :func:`parxl.analysis.group_averages`;
- ``distribution``: per item, how many bodies lose points on it, mean and spread of points;
- ``problems``: bodies with missing or invalid returns (and duplicates, other frameworks, other years,
  workbooks sent back blank, the master template);
- ``appraisal``: appraised items per body; ``issues``: every check finding.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from parxl.analysis import competition_rank, group_averages, infer_group, rank_bodies
from parxl.errors import InputError, Location
from parxl.framework.load import from_dict
from parxl.framework.model import Framework
from parxl.inputs import csv_plain, csv_separator, read_table_text
from parxl.numbers import format_vn_number
from parxl.office.check import ERROR
from parxl.office.collect import last_saved, not_a_workbook, stray_files
from parxl.office.distribute import safe_file_name
from parxl.province import store as S
from parxl.province.appraisal import Appraisal, body_key
from parxl.province.worker import BLANK, INVALID, OFFICE, OK, OTHER, TEMPLATE
from parxl.score import CHUA_DEN_HAN, CHUA_XAC_DINH, KHONG_AP_DUNG

DUPLICATE = "duplicate"
MISSING = "missing"
OTHER_YEAR = "year"
UNLISTED = "unlisted"
PROBLEM_LABELS = {
    INVALID: "Tệp không hợp lệ",
    OFFICE: "Biểu mẫu của đơn vị chủ trì",
    OTHER: "Bộ tiêu chí khác",
    OTHER_YEAR: "Biểu mẫu năm khác",
    BLANK: "Biểu mẫu chưa nhập số liệu",
    TEMPLATE: "Biểu mẫu gốc",
    DUPLICATE: "Tệp trùng đơn vị",
    MISSING: "Chưa gửi biểu mẫu",
    UNLISTED: "Đơn vị không có trong danh sách",
    "errors": "Biểu mẫu có lỗi kiểm tra",
    "appraisal": "Thẩm định không khớp đơn vị",
    "appraisal_value": "Số liệu thẩm định không dùng được",
}

_ALIASES = {
    "body": ("body", "name", "cơ quan, đơn vị", "đơn vị", "cơ quan", "tên", "tên đơn vị"),
    "group": ("group", "nhóm", "loại"),
    "previous_total": ("previous_total", "tổng điểm năm trước", "điểm năm trước"),
    "previous_rank": ("previous_rank", "hạng năm trước", "xếp hạng năm trước"),
    "total": ("total", "tổng điểm", "điểm"),
    "rank": ("rank", "hạng", "xếp hạng"),
}


def _read_csv(path: str | Path, what: str) -> pd.DataFrame:
    p = Path(path)
    where = Location(file=str(p))
    text, sep, skipped = csv_separator(read_table_text(p, what), {a for aliases in _ALIASES.values() for a in aliases},
                                       where)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise InputError(f"{what} không phải CSV hợp lệ ({exc})", where) from None
    rename: dict[str, str] = {}
    for col in df.columns:
        key = " ".join(str(col).split()).casefold()
        for name, aliases in _ALIASES.items():
            if key in aliases and name not in rename.values():
                rename[col] = name
    df = df.rename(columns=rename)
    df.attrs["headers"] = {new: " ".join(str(old).split()) for old, new in rename.items()}
    df.attrs["first_line"] = 2 + skipped
    if "body" not in df.columns:
        raise InputError(f"{what} cần cột tên đơn vị (body / Cơ quan, đơn vị)", where)
    df["body"] = df["body"].map(lambda s: " ".join(csv_plain(str(s)).split()))  # as parxl's own CSV wrote it
    return df[df["body"] != ""].reset_index(drop=True)


def _number(v: Any) -> float | None:
    from parxl.numbers import parse_vn_number

    if v is None or str(v).strip() == "":
        return None
    return parse_vn_number(str(v).strip())


def _numbers(df: pd.DataFrame, col: str, problems: list[str]) -> list[float | None]:
    """The numbers of a column (blank: None); a cell that is not a number is a problem, named by
    its line and the column's header as written."""
    raw = df[col] if col in df.columns else pd.Series([""] * len(df))
    vals = [_number(v) for v in raw]
    head = df.attrs.get("headers", {}).get(col, col)
    for i, (r, v) in enumerate(zip(raw, vals, strict=True), start=df.attrs.get("first_line", 2)):
        if str(r).strip() and v is None:
            problems.append(f"dòng {i}: '{r}' không phải số (cột {head})")
    return vals


def load_bodies(path: str | Path) -> pd.DataFrame:
    """Expected bodies: body, group, previous_total, previous_rank (only body is required)."""
    df = _read_csv(path, "danh sách đơn vị")
    problems = []
    keys = df["body"].map(body_key)
    for k in keys[keys.duplicated()].unique():
        problems.append(f"'{df.body[keys == k].iloc[0]}' có hơn một dòng")
    out = pd.DataFrame({"body": df["body"], "group": df.get("group", pd.Series([""] * len(df))).fillna("")})
    for col in ("previous_total", "previous_rank"):
        out[col] = _numbers(df, col, problems)
    if problems:
        raise InputError("danh sách đơn vị có lỗi:\n" + "\n".join(f"  - {p}" for p in problems),
                         Location(file=str(path)))
    return out


PREVIOUS_RANKING = "xep-hang.csv"
PREVIOUS_DISTRIBUTION = "phan-bo-theo-muc.csv"


def load_previous(path: str | Path) -> pd.DataFrame:
    """Last year's ranking: body with total and / or rank (e.g. last year's xep-hang.csv, or
    last year's output folder of this command)."""
    if Path(path).is_dir():
        path = Path(path) / PREVIOUS_RANKING
    df = _read_csv(path, "bảng kết quả năm trước")
    if "total" not in df.columns and "rank" not in df.columns:
        raise InputError("bảng kết quả năm trước cần cột tổng điểm (total) hoặc hạng (rank)",
                         Location(file=str(path)))
    problems: list[str] = []
    out = pd.DataFrame({
        "body": df["body"],
        "previous_total": _numbers(df, "total", problems) if "total" in df.columns else None,
        "previous_rank": _numbers(df, "rank", problems) if "rank" in df.columns else None,
    })
    if problems:
        raise InputError("bảng kết quả năm trước có lỗi:\n" + "\n".join(f"  - {p}" for p in problems),
                         Location(file=str(path)))
    return out


def load_previous_distribution(path: str | Path) -> pd.DataFrame | None:
    """Last year's per-item distribution, when ``path`` is last year's output folder (as this
    command wrote it, or re-saved by Excel: semicolons, decimal commas, percentages)."""
    from parxl.numbers import parse_vn_number
    from parxl.province.outputs import DIST_LABELS

    p = Path(path) / PREVIOUS_DISTRIBUTION
    if not Path(path).is_dir() or not p.is_file():
        return None
    back = {label: key for key, label in DIST_LABELS.items()}
    text, sep, skipped = csv_separator(read_table_text(p, "bảng phân bố theo mục năm trước"), {label.casefold() for label in back}, Location(file=str(p)))
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    df = df.rename(columns={c: back.get(" ".join(str(c).split()), c) for c in df.columns})
    if not {"code", "mean", "losing_share"} <= set(df.columns):
        return None
    problems: list[str] = []

    def numbers(col: str) -> list[float | None]:
        out: list[float | None] = []
        for n, v in enumerate(df[col], start=2 + skipped):
            v = str(v).strip()
            try:  # as written by this command ("1.125" is a decimal here, never thousands)
                out.append(float(v) if v else None)
            except ValueError:
                out.append(parse_vn_number(v))
                if out[-1] is None:
                    problems.append(f"dòng {n}: '{v}' không phải số (cột {DIST_LABELS[col]})")
        return out

    result = pd.DataFrame({"code": df["code"], "previous_mean": numbers("mean"),
                           "previous_losing_share": numbers("losing_share")})
    if problems:
        raise InputError("bảng phân bố theo mục năm trước có lỗi:\n" + "\n".join(f"  - {x}" for x in problems),
                         Location(file=str(p)))
    return result


def _framework(fw_json: dict[str, str], fingerprint: str) -> Framework:
    return from_dict(json.loads(fw_json[fingerprint]), "<province>", authored=False)


def build(result: Any, fw_json: dict[str, str], *, framework: Framework | None = None,
          roster: pd.DataFrame | None = None, previous: pd.DataFrame | None = None,
          appraisal: Appraisal | None = None, previous_distribution: pd.DataFrame | None = None) -> None:
    """Fill ``result.tables`` (and ``result.framework``) from the stored tables."""
    files = S.read(result.stored["files"])
    files = files.sort_values("file", kind="stable").reset_index(drop=True)
    issues = S.read(result.stored["issues"])
    problems: list[dict[str, Any]] = []
    ok = files[files.status == OK]
    # the framework: given, or the one most returns use
    if framework is not None:
        ref = framework.fingerprint
        fw: Framework | None = framework
    elif len(ok):
        counts = Counter(ok.fingerprint)
        ref = sorted(counts, key=lambda k: (-counts[k], k))[0]
        fw = _framework(fw_json, ref)
    else:
        ref, fw = "", None
    result.framework = fw
    # a blank return of another framework is first of all another framework's
    other = files.status.isin([OK, BLANK]) & files.fingerprint.ne(ref)
    if other.any() and fw is not None:
        files.loc[other, "reason"] = (f"bộ tiêu chí khác (đang tổng hợp '{fw.id}' phiên bản {fw.version}, "
                                      "dấu vân tay khác) — không tổng hợp tệp này")
        files.loc[other, "status"] = OTHER
    # one year: the year most returns state; a return stating another year (last year's file in
    # this year's folder) is left out, as 'parxl collect' does
    years = Counter(y for y in files.year[files.status == OK].fillna("") if y)
    if years:
        year = max(years, key=lambda y: (years[y], y))
        for i in files.index[files.status.eq(OK) & files.year.fillna("").ne("") & files.year.ne(year)]:
            files.loc[i, ["status", "reason"]] = [
                OTHER_YEAR, f"tệp ghi năm đánh giá {files.year[i]}, các biểu mẫu khác ghi năm {year} — không "
                            "tổng hợp tệp này (có thể là biểu mẫu năm khác)"]
    # one return per body: the first by file name is used
    used = files[files.status == OK].copy()
    used["key"] = used.body.map(body_key)
    first = used.drop_duplicates("key", keep="first")
    dups = used[used.duplicated("key", keep="first")]
    for r in dups.itertuples():
        f = first[first.key == r.key].iloc[0]
        earlier = used[(used.key == r.key) & (used.file < r.file)]
        same = list(earlier.file[earlier.digest.eq(r.digest)]) if r.digest else []
        why = (f"trùng với '{same[0]}' (cùng đơn vị, cùng số liệu) — chỉ tính một lần" if same else
               f"đơn vị '{r.body}' có hai biểu mẫu khác nhau; dùng '{f.file}'"
               f"{last_saved([f.file, r.file], result.folder)}, đề nghị xác nhận")
        files.loc[files.file == r.file, ["status", "reason"]] = [DUPLICATE, why]
    used = first.drop(columns="key").reset_index(drop=True)
    # office returns beside their body's consolidated workbook: already consolidated, presumably
    merged = dict(zip(used.body.map(body_key), used.file, strict=True))
    for i in files.index[files.status.eq(OFFICE)]:
        f = merged.get(body_key(str(files.body[i])))
        if f:
            files.loc[i, "reason"] = (str(files.reason[i]).split(" — ")[0] + f" — đơn vị đã có tệp tổng hợp '{f}' "
                                      "(được dùng để xếp hạng); tệp này không tính riêng, đề nghị kiểm tra tệp tổng "
                                      "hợp đã gồm số liệu của tệp này")
    for r in files[files.status != OK].itertuples():
        problems.append({"kind": r.status, "body": r.body, "file": r.file, "reason": r.reason})
    # groups: the roster, else the return's metadata, else the body's name
    roster_groups: dict[str, str] = {}
    if roster is not None:
        roster_groups = {body_key(b): g for b, g in zip(roster.body, roster.group, strict=True) if g}
        have = set(used.body.map(body_key))
        missing = [b for b in roster.body if body_key(b) not in have]
        # a file that names no body (unreadable) is whose it is named after, as distribute names them
        named = {safe_file_name(b).casefold(): b for b in missing}
        unusable: dict[str, list[str]] = {}
        for r in files[files.status != OK].itertuples():
            whose = str(r.body) or named.get(safe_file_name(Path(str(r.file)).stem).casefold(), "")
            unusable.setdefault(body_key(whose), []).append(f"'{r.file}' ({PROBLEM_LABELS.get(r.status, r.status)})")
        for b, rel in (stray_files(result.folder, missing).items() if missing else ()):
            unusable.setdefault(body_key(b), []).append(f"'{rel}' (không phải tệp Excel)")
            problems.append({"kind": INVALID, "body": b, "file": rel, "reason": not_a_workbook(rel)})
        for b in missing:
            sent = unusable.get(body_key(b))
            why = ("chưa có biểu mẫu dùng được: " + ", ".join(sent)) if sent else "chưa gửi biểu mẫu"
            problems.append({"kind": MISSING, "body": b, "file": "", "reason": why})
        listed = set(roster.body.map(body_key))
        for r in used.itertuples():
            if body_key(r.body) not in listed:
                problems.append({"kind": UNLISTED, "body": r.body, "file": r.file,
                                 "reason": "tên đơn vị ghi trong biểu mẫu không có trong danh sách đơn vị (--bodies) — "
                                           "vẫn được xếp hạng; kiểm tra tên đơn vị"})
    used["group"] = [roster_groups.get(body_key(b)) or g or infer_group(b)
                     for b, g in zip(used.body, used.group, strict=True)]
    for r in used[used.errors > 0].itertuples():
        problems.append({"kind": "errors", "body": r.body, "file": r.file,
                         "reason": f"{r.errors} lỗi khi kiểm tra (xem trang Kiểm tra); các giá trị lỗi không được "
                                   "tính điểm"})
    if appraisal is not None:
        have = set(used.body.map(body_key))
        for k, name in sorted(appraisal.names.items()):
            if k not in have:
                problems.append({"kind": "appraisal", "body": name, "file": appraisal.source,
                                 "reason": "có số liệu thẩm định nhưng không có biểu mẫu của đơn vị này"})
        # lines of the appraisal that could not be applied (worker: "thẩm định '<body>': dòng …")
        wrong = issues[(issues.file == appraisal.source) & (issues.severity == ERROR)]
        for msg in wrong.message:
            body = next((b for b in used.body if msg.startswith(f"thẩm định '{b}': ")), "")
            problems.append({"kind": "appraisal_value", "body": body, "file": appraisal.source, "reason": msg})
    t: dict[str, pd.DataFrame] = {}
    body_cols = ["body", "group", "year", "file", "self_total", "total", "index", "base_achieved", "deducted",
                 "open", "bonus", "penalty", "reachable", "appraised", "errors", "warnings"]
    bodies = used[body_cols].sort_values("body", kind="stable").reset_index(drop=True)
    t["bodies"] = bodies
    # scores by level, only for the bodies used
    levels = S.by_level(result.stored["scores"], list(used.file))
    name_of = dict(zip(used.file, used.body, strict=True))
    for level, key in (("domain", "domains"), ("criterion", "criteria"), ("item", "items")):
        part = levels[level]
        order = _order(fw, level)
        wide = part.pivot(index="file", columns="code", values="achieved")
        wide = wide.reindex(columns=[c for c in order if c in wide.columns])
        wide.index = wide.index.map(name_of)
        wide = wide.reindex(bodies.body)
        wide.index.name = "body"
        wide.columns.name = None
        t[key] = wide.reset_index()
        if level == "domain":
            t["domain_applicable"] = (part.pivot(index="file", columns="code", values="applicable")
                                      .rename(index=name_of).reindex(bodies.body))
    dist = distribution(fw, levels["item"])
    if previous_distribution is not None and len(dist):
        dist = dist.merge(previous_distribution, on="code", how="left")
        dist["mean_change"] = [None if a is None or b is None or pd.isna(a) or pd.isna(b) else round(a - b, 6)
                               for a, b in zip(dist["mean"], dist["previous_mean"], strict=True)]
    t["distribution"] = dist
    # ranking: rank_bodies from parxl.analysis (ties shared, rank within group, change from last year)
    prev_totals: dict[str, float] = {}
    prev_ranks: dict[str, float] = {}
    differ: list[str] = []  # last year's figure given twice, differently: --previous wins, said aloud
    for src in (roster, previous):
        if src is None:
            continue
        names = [str(b) for b in src["body"].tolist()]
        for col, target in (("previous_total", prev_totals), ("previous_rank", prev_ranks)):
            if col not in src.columns:
                continue
            for b, v in zip(names, src[col].tolist(), strict=True):
                if v is not None and not (isinstance(v, float) and math.isnan(v)):
                    new = int(v) if col == "previous_rank" else float(v)
                    old = target.get(b)
                    if old is not None and abs(old - new) > 1e-9:
                        what = "hạng" if col == "previous_rank" else "tổng điểm"
                        differ.append(f"{b}: {what} {format_vn_number(old)} / {format_vn_number(new)}")
                    target[b] = new
    if differ:
        result.warnings.append(
            f"Số liệu năm trước của {len(differ)} trường hợp khác nhau giữa danh sách đơn vị (--bodies) và kết quả "
            f"năm trước (--previous); dùng số liệu của --previous: {'; '.join(differ[:5])}"
            + ("; …" if len(differ) > 5 else "") + ".")
    totals = dict(zip(bodies.body, bodies.total, strict=True))
    # last year's bodies under this year's spelling of their names; ranks among ALL of last
    # year's bodies (official ranks where given), so the Excel and Word tables agree
    this_year = {body_key(b): b for b in totals}
    all_prev = {this_year.get(body_key(b), b): v for b, v in prev_totals.items()}
    official = {this_year.get(body_key(b), b): int(v) for b, v in prev_ranks.items()}
    ranks_prev = official or competition_rank(all_prev)
    pt = {b: all_prev[b] for b in totals if b in all_prev}
    pr = {b: ranks_prev[b] for b in totals if b in ranks_prev}
    groups = dict(zip(bodies.body, bodies.group, strict=True))
    rk = rank_bodies(totals, previous=pt or None, previous_ranks=pr or None, groups=groups)
    if len(rk):
        rk = rk.sort_values(["rank", "body"], kind="stable").reset_index(drop=True)
    t["ranking"] = rk
    t["groups"] = group_averages(rk) if len(rk) else pd.DataFrame(
        columns=["group", "bodies", "average", "highest", "lowest", "best"])
    t["previous_totals"] = pd.DataFrame({"body": list(all_prev), "total": list(all_prev.values())})
    probs = pd.DataFrame(problems, columns=["kind", "body", "file", "reason"])
    probs["label"] = probs.kind.map(PROBLEM_LABELS).fillna(probs.kind)
    probs = probs.sort_values(["kind", "body", "file"], kind="stable").reset_index(drop=True)
    t["problems"] = probs[["label", "body", "file", "reason", "kind"]]
    appr = S.read(result.stored["appraisal"])
    appr = appr[appr.file.isin(set(used.file))]
    if fw is not None and len(appr):
        pos = {i.code: n for n, i in enumerate(fw.items)}
        appr = appr.assign(_o=appr.code.map(pos)).sort_values(["body", "_o"], kind="stable").drop(columns="_o")
    t["appraisal"] = appr.reset_index(drop=True)
    t["issues"] = issues.sort_values(["file", "item", "sheet", "cell", "severity", "message"],
                                     kind="stable").reset_index(drop=True)
    t["files"] = files
    result.tables = t


def _order(fw: Framework | None, level: str) -> list[str]:
    if fw is None:
        return []
    if level == "domain":
        return [d.code for d in fw.domains]
    if level == "criterion":
        return [c.code for c in fw.criteria]
    return [i.code for i in fw.items]


def distribution(fw: Framework | None, items: pd.DataFrame) -> pd.DataFrame:
    """Per item: bodies exempt, open, losing points; mean / spread of achieved points."""
    cols = ["code", "name", "domain", "scorer", "max", "bodies", "exempt", "open", "applicable", "losing",
            "losing_share", "mean", "std", "min", "max_achieved", "mean_deducted", "total_deducted"]
    if fw is None or not len(items):
        return pd.DataFrame(columns=cols)
    d = items.assign(
        exempt=items.status.eq(KHONG_AP_DUNG),
        is_open=items.status.isin([CHUA_DEN_HAN, CHUA_XAC_DINH]),
        losing=items.deducted > 1e-9,
    )
    appl = d[~d.exempt & ~d.is_open]
    g = d.groupby("code", sort=False).agg(bodies=("file", "size"), exempt=("exempt", "sum"),
                                          open=("is_open", "sum"), losing=("losing", "sum"),
                                          total_deducted=("deducted", "sum"))
    a = appl.groupby("code", sort=False).achieved.agg(["size", "mean", "std", "min", "max"])
    counts: dict[Any, dict[Any, Any]] = g.to_dict("index")
    stats: dict[Any, dict[Any, Any]] = a.to_dict("index")
    rows = []
    for d_ in fw.domains:
        for it in d_.items:
            r = counts.get(it.code)
            if r is None:
                continue
            s = stats.get(it.code, {})
            n_app = int(s.get("size", 0))
            losing = int(r["losing"])
            deducted = float(r["total_deducted"])
            rows.append({
                "code": it.code, "name": it.name, "domain": d_.code, "scorer": it.scorer, "max": it.max,
                "bodies": int(r["bodies"]), "exempt": int(r["exempt"]), "open": int(r["open"]),
                "applicable": n_app, "losing": losing, "losing_share": losing / n_app if n_app else 0.0,
                "mean": _r(s["mean"]) if n_app else None,
                "std": _r(s["std"]) if n_app > 1 else None,
                "min": _r(s["min"]) if n_app else None, "max_achieved": _r(s["max"]) if n_app else None,
                "mean_deducted": _r(deducted / n_app) if n_app else None,
                "total_deducted": _r(deducted),
            })
    df = pd.DataFrame(rows, columns=cols)
    order = {c: i for i, c in enumerate(df.code)}
    df["_o"] = df.code.map(order)
    return df.sort_values(["losing_share", "total_deducted", "_o"], ascending=[False, False, True],
                          kind="stable").drop(columns="_o").reset_index(drop=True)


def _r(x: Any) -> float:
    return round(float(x), 6)
