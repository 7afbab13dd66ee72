"""PNG charts (matplotlib, Agg) for the Word reports: reproducible bytes, Vietnamese glyphs.

DejaVu Sans ships with matplotlib and has every Vietnamese letter; PNG metadata is emptied so
the same numbers give the same bytes. Each function returns PNG bytes, or None when there is
nothing to draw (e.g. no points deducted: no share chart, no division by zero).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from parxl.report.vn import pct, pts

DPI = 150
COLORS = {"achieved": "#2E75B6", "deducted": "#C00000", "open": "#A6A6A6", "not_due": "#FFC000",
          "max": "#D9D9D9", "line": "#1F4E79"}
_RC: Any = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "parxl",
}


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _wrap(label: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(label, width)[:3])


def _vn_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: pts(v, 1)))


def _headroom(ax: Any, tops: Sequence[float]) -> None:
    """Room above the tallest bar (and its label) below the legend."""
    ax.set_ylim(0, max([*tops, 1e-9]) * 1.15)


def domain_scores(codes: Sequence[str], achieved: Sequence[float], deducted: Sequence[float],
                  open_: Sequence[float]) -> bytes | None:
    """Stacked bars per domain: achieved, deducted and undetermined points (= the maximum)."""
    if not codes:
        return None
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.3, 3.0))
        x = range(len(codes))
        ax.bar(x, achieved, color=COLORS["achieved"], label="Điểm đạt")
        ax.bar(x, deducted, bottom=achieved, color=COLORS["deducted"], label="Điểm bị trừ")
        bottom = [a + d for a, d in zip(achieved, deducted, strict=True)]
        if any(o > 0 for o in open_):
            ax.bar(x, open_, bottom=bottom, color=COLORS["open"], label="Chưa xác định")
        for xi, a, d in zip(x, achieved, deducted, strict=True):
            if d > 0:
                ax.annotate(f"-{pts(d)}", (xi, a + d), ha="center", va="bottom", fontsize=8,
                            color=COLORS["deducted"])
        ax.set_xticks(list(x), [f"LV {c}" for c in codes])
        ax.set_ylabel("Điểm")
        _headroom(ax, [b + o for b, o in zip(bottom, open_, strict=True)])
        _vn_axis(ax)
        ax.legend(frameon=False, ncols=3, loc="upper center", bbox_to_anchor=(0.5, 1.15))
        return _png(fig)


def deduction_shares(names: Sequence[str], deducted: Sequence[float]) -> bytes | None:
    """Horizontal bars: each group's share of all deducted points (None when nothing deducted)."""
    pairs = [(n, d) for n, d in zip(names, deducted, strict=True) if d > 0]
    total = sum(d for _n, d in pairs)
    if not pairs or total <= 0:
        return None
    pairs.sort(key=lambda p: p[1])
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.3, 0.45 * len(pairs) + 0.8))
        y = range(len(pairs))
        ax.barh(y, [d for _n, d in pairs], color=COLORS["deducted"])
        for yi, (_n, d) in zip(y, pairs, strict=True):
            ax.annotate(f" {pts(d)} điểm ({pct(d / total)})", (d, yi), va="center", fontsize=8)
        ax.set_yticks(list(y), [_wrap(n, 34) for n, _d in pairs])
        ax.set_xlim(0, max(d for _n, d in pairs) * 1.45)
        ax.set_xlabel("Điểm bị trừ")
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: pts(v, 1)))
        return _png(fig)


def interim_bars(codes: Sequence[str], secured: Sequence[float], lost: Sequence[float],
                 not_due: Sequence[float], undetermined: Sequence[float]) -> bytes | None:
    """Stacked bars per domain: secured, lost, not yet due, undetermined."""
    if not codes:
        return None
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.3, 3.0))
        x = list(range(len(codes)))
        bottom = [0.0] * len(codes)
        for values, color, label in (
            (secured, COLORS["achieved"], "Ước đạt"),
            (lost, COLORS["deducted"], "Không đạt"),
            (not_due, COLORS["not_due"], "Chưa đến hạn"),
            (undetermined, COLORS["open"], "Chưa xác định"),
        ):
            if any(v > 0 for v in values) or label == "Ước đạt":
                ax.bar(x, values, bottom=bottom, color=color, label=label)
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_xticks(x, [f"LV {c}" for c in codes])
        ax.set_ylabel("Điểm")
        _headroom(ax, bottom)
        _vn_axis(ax)
        ax.legend(frameon=False, ncols=4, loc="upper center", bbox_to_anchor=(0.5, 1.15))
        return _png(fig)


RANKING_BARS = 24  # at most this many bars (the best and the last halves): the chart fits a page


def ranking_bars(bodies: Sequence[str], totals: Sequence[float], highlight: str = "",
                 ranks: Sequence[int] | None = None) -> bytes | None:
    """Horizontal bars of totals, best at the top. With more than RANKING_BARS bodies, the
    best and the last RANKING_BARS / 2 with a row "... N đơn vị ..." between them, so that the
    picture stays within an A4 page (about 20 cm high at 15 cm wide)."""
    if not bodies:
        return None
    n = len(bodies)
    ranks = list(ranks) if ranks is not None else list(range(1, n + 1))
    labels = [f"{r}. {b}" for r, b in zip(ranks, bodies, strict=True)]
    keep = list(range(n)) if n <= RANKING_BARS else \
        [*range(RANKING_BARS // 2), *range(n - RANKING_BARS // 2, n)]
    rows = len(keep) + (1 if len(keep) < n else 0)
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.3, 0.3 * rows + 0.8))
        ys, vals, names, colors = [], [], [], []
        y = rows - 1
        for k, i in enumerate(keep):
            if k and i != keep[k - 1] + 1:
                ax.annotate(f"... {n - len(keep)} đơn vị khác ...", (0.5, y), xycoords=("axes fraction", "data"),
                            ha="center", va="center", fontsize=8, style="italic")
                y -= 1
            ys.append(y)
            vals.append(totals[i])
            names.append(_wrap(labels[i], 30))
            colors.append(COLORS["deducted"] if bodies[i] == highlight else COLORS["achieved"])
            y -= 1
        ax.barh(ys, vals, color=colors)
        for yi, t in zip(ys, vals, strict=True):
            ax.annotate(f" {pts(t)}", (t, yi), va="center", fontsize=7)
        ax.set_yticks(ys, names)
        ax.set_ylim(-0.6, rows - 0.4)
        ax.set_xlim(max(0.0, min(totals) - 10), max(totals) + 4)
        ax.set_xlabel("Tổng điểm")
        return _png(fig)
