"""Charts of training delivery: format mix, attendance by session, the sign-in grid, hours."""

from __future__ import annotations

import matplotlib.colors
import matplotlib.ticker
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..core.codes import label
from ..core.plots import axes, text

__all__ = ["plot_format_mix", "plot_attendance_rate", "plot_attendance_heatmap", "plot_hours_vs_requirement"]


def plot_format_mix(mix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked class hours per cohort by session format, from `format_mix`."""
    ax = axes(ax, (8, 0.45 * len(mix) + 1.4))
    left = pd.Series(0.0, index=mix.index)
    colours = sns.color_palette("deep", len(mix.columns))
    for colour, fmt in zip(colours, mix.columns, strict=True):
        ax.barh(
            mix.index,
            mix[fmt],
            left=left,
            color=colour,
            label=text(label("format", fmt, "zh"), label("format", fmt, "en")),
        )
        left += mix[fmt]
    ax.invert_yaxis()
    ax.set(
        xlabel=text("学时", "Class hours"),
        ylabel=None,
        title=text("各项目培训形式构成", "Format mix by cohort"),
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def plot_attendance_rate(
    by_session: pd.DataFrame, threshold: float | None = None, ax: Axes | None = None
) -> Axes:
    """Share of offered hours credited, session by session, from `attendance_by_session`."""
    ax = axes(ax, (8, 3.2))
    data = by_session.dropna(subset=["rate"])
    ax.plot(pd.to_datetime(data["date"]), data["rate"], marker="o", lw=1.2)
    if threshold is not None:
        ax.axhline(threshold, ls="--", color="grey", lw=1)
        ax.annotate(
            text("结业要求", "completion threshold"),
            (ax.get_xlim()[0], threshold),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=9,
            color="grey",
        )
    ax.set(
        ylim=(0, 1.05),
        xlabel=None,
        ylabel=text("出勤率", "Attendance rate"),
        title=text("各课次出勤率", "Attendance rate by session"),
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    return ax


_STATUS_SCORE = {"present": 4, "late": 3, "left_early": 2, "excused": 1, "absent": 0}


def plot_attendance_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Participants × sessions, one colour per attendance status, from `attendance_matrix`."""
    ax = axes(ax, (max(6.0, 0.22 * matrix.shape[1] + 2), max(4.0, 0.13 * matrix.shape[0] + 1.5)))
    scores = matrix.apply(lambda col: col.map(_STATUS_SCORE)).astype(float)
    colours = ["#c0392b", "#f5b041", "#f9e79f", "#a9cce3", "#1e8449"]
    cmap = matplotlib.colors.ListedColormap(colours)
    sns.heatmap(
        scores, ax=ax, cmap=cmap, vmin=-0.5, vmax=4.5, cbar=False, xticklabels=False, yticklabels=False
    )
    for status, score in _STATUS_SCORE.items():
        ax.bar(
            0,
            0,
            color=colours[score],
            label=text(label("attendance_status", status, "zh"), label("attendance_status", status, "en")),
        )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(
        xlabel=text("课次（按日期）", "Sessions, by date"),
        ylabel=text("参训人员", "Participants"),
        title=text("签到表（白色为未到班/未参训）", "Sign-in sheet (white: not enrolled then)"),
    )
    return ax


def plot_hours_vs_requirement(standing: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Each participant's class hours this year against the yearly requirement to date."""
    ax = axes(ax, (8, 3.4))
    data = standing.sort_values(["year_credited", "person_id"], ignore_index=True)
    short = data["year_credited"] < data["year_required_to_date"]
    ax.bar(range(len(data)), data["year_credited"], color=["#c0392b" if s else "#4c72b0" for s in short])
    ax.plot(
        range(len(data)),
        data["year_required_to_date"],
        color="black",
        ls="--",
        lw=1,
        label=text("至今应完成学时", "required to date"),
    )
    ax.set(
        xticks=[],
        xlabel=text("参训人员（按学时排序）", "Participants, by hours"),
        ylabel=text("本年度学时", "Class hours this year"),
        title=text("年度学时与要求", "Hours against the yearly requirement"),
    )
    ax.legend(frameon=False)
    return ax
