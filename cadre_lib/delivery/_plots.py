"""Charts of training delivery: format mix, attendance by session, the sign-in grid, hours."""

from __future__ import annotations

import matplotlib.colors
import matplotlib.ticker
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..core.codes import label
from ..core.plots import at_most, axes, text

__all__ = ["plot_format_mix", "plot_attendance_rate", "plot_attendance_heatmap", "plot_hours_vs_requirement"]


def plot_format_mix(mix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Stacked class hours per cohort by session format, from `format_mix` (the latest MOST_ROWS
    cohorts, the title says so when there are more)."""
    mix, note = at_most(mix, "last")
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
        title=text("各项目培训形式构成", "Format mix by cohort") + note,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def plot_attendance_rate(by_session: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Share of marked hours credited, session by session, from `attendance_by_session`, with the
    cohort's average; a session whose marks are missing is drawn apart, not as a low rate.

    (A completion threshold is a bar for one participant over the whole cohort, so it is not
    drawn against a session's group rate.)
    """
    ax = axes(ax, (8, 3.2))
    days = pd.to_datetime(by_session["date"])
    rated = by_session["rate"].notna()
    ax.plot(days[rated], by_session.loc[rated, "rate"], marker="o", lw=1.2, label=text("出勤率", "rate"))
    if rated.any():
        mean = by_session.loc[rated, "credited"].sum() / by_session.loc[rated, "offered"].sum()
        ax.axhline(mean, ls="--", color="grey", lw=1, label=text(f"平均 {mean:.0%}", f"average {mean:.0%}"))
    missing = by_session.get("missing", pd.Series(0, index=by_session.index)).fillna(0) > 0
    if missing.any():
        ax.scatter(
            days[missing],
            [0.02] * int(missing.sum()),
            marker="x",
            color="#c0392b",
            zorder=3,
            label=text("有未记考勤", "marks missing"),
        )
    ax.set(
        ylim=(0, 1.05),
        xlabel=None,
        ylabel=text("出勤率", "Attendance rate"),
        title=text("各课次出勤率（已记考勤部分）", "Attendance rate by session (marked hours)"),
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    return ax


_STATUS_SCORE = {"present": 5, "late": 4, "left_early": 3, "excused": 2, "absent": 1, "unmarked": 0}
_STATUS_COLOURS = ["#d5d8dc", "#c0392b", "#a9cce3", "#f9e79f", "#f5b041", "#1e8449"]


def plot_attendance_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Participants (by name) × sessions, one colour per attendance status, from
    `attendance_matrix`; grey where a mark is missing, white where the person was not enrolled."""
    ax = axes(ax, (max(6.0, 0.22 * matrix.shape[1] + 3), max(4.0, 0.16 * matrix.shape[0] + 1.5)))
    scores = matrix.apply(lambda col: col.map(_STATUS_SCORE)).astype(float)
    cmap = matplotlib.colors.ListedColormap(_STATUS_COLOURS)
    days = [str(c).split(" #")[0] for c in matrix.columns]  # "2026-02-10 #21" -> the date
    sns.heatmap(scores, ax=ax, cmap=cmap, vmin=-0.5, vmax=5.5, cbar=False, xticklabels=days, yticklabels=True)
    ax.tick_params(axis="x", labelsize=6, rotation=90)
    ax.tick_params(axis="y", labelsize=6 if len(matrix) > 40 else 8, length=0)
    ax.grid(False)  # blank cells (not enrolled then) stay blank
    for status, score in _STATUS_SCORE.items():
        zh = "未记考勤" if status == "unmarked" else label("attendance_status", status, "zh")
        en = "not yet marked" if status == "unmarked" else label("attendance_status", status, "en")
        ax.bar(0, 0, color=_STATUS_COLOURS[score], label=text(zh, en))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(
        xlabel=text("课次（按日期）", "Sessions, by date"),
        ylabel=None,
        title=text("签到情况（空白为当时未参训）", "Sign-in sheet (blank: not enrolled then)"),
    )
    return ax


def plot_hours_vs_requirement(yearly: pd.DataFrame, top: int = 15, ax: Axes | None = None) -> Axes:
    """The `top` chiefs lowest against their own yearly requirement, by name (and county), from
    `yearly_compliance`: hours credited (red for those short by year end), the projected year
    end if every scheduled session is attended, and what each owes for the year (90 h
    pro-rated by the days in post)."""
    owed = yearly["target_hours"].where(yearly["target_hours"] > 0)
    data = yearly.assign(share=yearly["projected_hours"] / owed)
    data = data.sort_values(["share", "person_id"], na_position="last").head(top).iloc[::-1]
    ax = axes(ax, (8, 0.32 * len(data) + 2.0))
    y = list(range(len(data)))
    ax.barh(y, data["projected_hours"], color="#d6e4f0", label=text("预计年末", "projected year end"))
    colours = ["#c0392b" if s else "#4c72b0" for s in data["short"]]
    ax.barh(
        y,
        data["credited_hours"],
        color=colours,
        label=text("已获学时（红色为预计不达标）", "credited (red: short)"),
    )
    ax.scatter(
        data["target_hours"], y, marker="|", s=260, color="black", zorder=3, label=text("本人应完成", "owed")
    )
    ax.set_yticks(y, [f"{n}（{c}）" for n, c in zip(data["name"], data["county"], strict=True)])
    ax.grid(axis="y", visible=False)
    short, everyone = int(yearly["short"].sum()), len(yearly)
    ax.set(
        xlabel=text("本年度学时", "Class hours this year"),
        ylabel=None,
        title=text(
            f"年度培训学时：完成比例最低的 {len(data)} 人（共 {everyone} 人，{short} 人预计不达标）",
            f"Yearly hours: the {len(data)} lowest of {everyone} ({short} short)",
        ),
    )
    inches = ax.figure.get_size_inches()[1] * ax.get_position().height  # below the axis label
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.6 / inches),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    return ax
