"""Charts of evaluation: paired scores before and after, the gains, the arenas per county and
the themes of the comments."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..core.codes import codes, label
from ..core.plots import at_most, axes, ensure_theme, text

__all__ = ["plot_paired_slopes", "plot_gains", "plot_arena_heatmap", "plot_theme_tones"]


def _measures(paired: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(dimension, instrument, rater role) of `paired_scores` rows, in dimension order, tests
    before self-ratings."""
    order = {d: i for i, d in enumerate(codes("dimension"))}
    found = paired[["dimension", "instrument", "rater_role"]].drop_duplicates()
    return sorted(
        map(tuple, found.to_numpy()), key=lambda m: (order.get(m[0], 9), m[2] == "self", m[1], m[2])
    )


def _measure_title(m: tuple[str, str, str], names: dict[str, str] | None) -> str:
    """A panel's title: the dimension, then the instrument and rater role, each line short."""
    dim_zh, dim_en = label("dimension", m[0], "zh"), label("dimension", m[0], "en")
    rater_zh, rater_en = label("rater_role", m[2], "zh"), label("rater_role", m[2], "en").lower()
    if text("中", "") == "":  # no CJK font: English alone
        return f"{dim_en}\n{m[1]} · {rater_en}"
    shown = (names or {}).get(m[1], m[1])
    return f"{dim_zh} {dim_en}\n{shown}（{rater_zh}）\n{m[1]} · {rater_en}"


def _panels(paired: pd.DataFrame, height: float):
    """A grid of panels: a column per dimension, a row per measure of it (tests, self-ratings)."""
    ensure_theme()
    by_dim: dict[str, list] = {}
    for m in _measures(paired):
        by_dim.setdefault(m[0], []).append(m)
    cols, rows = max(len(by_dim), 1), max((len(v) for v in by_dim.values()), default=1)
    fig, grid = plt.subplots(rows, cols, figsize=(3.6 * cols, height * rows), squeeze=False)
    placed = []
    for c, measures in enumerate(by_dim.values()):
        placed += [(grid[r][c], m) for r, m in enumerate(measures)]
        for r in range(len(measures), rows):
            grid[r][c].set_visible(False)
    return fig, grid, placed


def _own(paired: pd.DataFrame, m: tuple[str, str, str]) -> pd.DataFrame:
    return paired[(paired[["dimension", "instrument", "rater_role"]] == list(m)).all(axis=1)]


def plot_paired_slopes(
    paired: pd.DataFrame,
    instrument_names: dict[str, str] | None = None,
    pre_label=("训前", "Pre"),
    post_label=("训后", "Post"),
) -> Figure:
    """One panel per measure (dimension, instrument, rater role) of `paired_scores`, a column per
    dimension: a thin line from each person's first score to their second, the mean in bold."""
    fig, grid, placed = _panels(paired, 4.0)
    for ax, m in placed:
        own = _own(paired, m)
        for before, after in own[["before", "after"]].to_numpy():
            ax.plot([0, 1], [before, after], color="grey", alpha=0.25, lw=0.8)
        up = own["change"].mean()
        ax.plot([0, 1], [own["before"].mean(), own["after"].mean()], color="C3", lw=2.5, marker="o")
        ax.set_xticks([0, 1], [text(*pre_label), text(*post_label)])
        ax.set_xlim(-0.2, 1.2)
        ax.set_title(_measure_title(m, instrument_names), fontsize=9)
        ax.annotate(
            text(f"平均 {up:+.1f}", f"mean {up:+.1f}"),
            (0.5, 0.02),
            xycoords="axes fraction",
            ha="center",
            fontsize=8,
        )
    for row in grid:
        row[0].set_ylabel(text("成绩", "Score"))
    people = paired["person_id"].nunique()
    fig.suptitle(
        text(f"每人前后成绩（{people}人）", f"Each person's scores before and after ({people} people)")
    )
    fig.tight_layout()
    return fig


def plot_gains(paired: pd.DataFrame, instrument_names: dict[str, str] | None = None) -> Figure:
    """The distribution of changes (after − before) per measure of `paired_scores`, zero marked."""
    fig, grid, placed = _panels(paired, 3.4)
    for ax, m in placed:
        own = _own(paired, m)["change"]
        width = max((own.max() - own.min()) / 12, 0.1) if len(own) else 1
        bins = np.arange(own.min() - width, own.max() + 2 * width, width) if len(own) else 10
        ax.hist(own, bins=bins, color="C0", alpha=0.8)
        ax.axvline(0, color="black", lw=1)
        ax.axvline(own.mean(), color="C3", lw=1.5, ls="--")
        ax.set_title(_measure_title(m, instrument_names), fontsize=9)
        ax.set_xlabel(text("变化（后−前）", "Change (after − before)"))
    for row in grid:
        row[0].set_ylabel(text("人数", "People"))
    fig.suptitle(text("成绩变化的分布（虚线为平均）", "Distribution of changes (dashed: mean)"))
    fig.tight_layout()
    return fig


def plot_arena_heatmap(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean level (1-5) per county and arena, from `arena_by_county`, each cell annotated (the
    MOST_ROWS counties with the lowest mean, the title says so when there are more)."""
    arenas = [a for a in codes("arena") if a in table.columns]
    table, note = at_most(table, "smallest", table[arenas].astype(float).mean(axis=1))
    data = table.set_index("county")[arenas].astype(float)
    data.index = [f"{c}（{n}人）" for c, n in zip(data.index, table["chiefs"], strict=True)]
    data.columns = [
        text(label("arena", a, "zh"), label("arena", a, "en")).replace(" ", "\n", 1) for a in arenas
    ]
    ax = axes(ax, (1.6 * len(arenas) + 2, 0.5 * len(data) + 1.8))
    sns.heatmap(
        data,
        vmin=1,
        vmax=5,
        cmap="RdYlGn",
        annot=True,
        fmt=".2f",
        cbar_kws={"label": text("等次均值", "Mean level")},
        ax=ax,
    )
    ax.set(
        xlabel=None,
        ylabel=None,
        title=text("各县（区）五个一线平均等次", "Mean level per county and arena") + note,
    )
    ax.tick_params(axis="y", rotation=0)
    return ax


def plot_theme_tones(summary: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Comments per theme, split by tone, from `theme_summary` (most-mentioned first)."""
    data = summary.sort_values("comments", ascending=True)
    ax = axes(ax, (8, 0.45 * len(data) + 1.4))
    left = np.zeros(len(data))
    colours = {"positive": "C2", "concern": "C3", "neutral": "C7"}
    for tone in codes("tone"):
        ax.barh(
            data["label"],
            data[tone],
            left=left,
            color=colours[tone],
            label=text(label("tone", tone, "zh"), label("tone", tone, "en")),
        )
        left += data[tone].to_numpy()
    ax.set(
        xlabel=text("评价意见条数", "Comments"),
        ylabel=None,
        title=text("评价意见的主题与倾向", "Comment themes and tone"),
    )
    ax.legend(loc="lower right", frameon=False)
    return ax
