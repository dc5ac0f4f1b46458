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
from ..core.plots import axes, ensure_theme, text

__all__ = ["plot_paired_slopes", "plot_gains", "plot_arena_heatmap", "plot_theme_tones"]


def _measures(paired: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(dimension, instrument, rater role) of `paired_scores` rows, in dimension order."""
    order = {d: i for i, d in enumerate(codes("dimension"))}
    found = paired[["dimension", "instrument", "rater_role"]].drop_duplicates()
    return sorted(map(tuple, found.to_numpy()), key=lambda m: (order.get(m[0], 9), m[1], m[2]))


def _measure_title(m: tuple[str, str, str], names: dict[str, str] | None) -> str:
    shown = (names or {}).get(m[1], m[1])
    return text(
        f"{label('dimension', m[0], 'zh')}\n{shown}（{label('rater_role', m[2], 'zh')}）",
        f"{label('dimension', m[0], 'en')}\n{m[1]}, {label('rater_role', m[2], 'en').lower()}",
    )


def plot_paired_slopes(
    paired: pd.DataFrame,
    instrument_names: dict[str, str] | None = None,
    pre_label=("训前", "Pre"),
    post_label=("训后", "Post"),
) -> Figure:
    """One panel per measure (dimension, instrument, rater role) of `paired_scores`: a thin line
    from each person's first score to their second, the mean change in bold."""
    ensure_theme()
    measures = _measures(paired)
    fig, panels = plt.subplots(
        1, max(len(measures), 1), figsize=(2.9 * max(len(measures), 1), 4.2), squeeze=False
    )
    for ax, m in zip(panels[0], measures, strict=False):
        own = paired[(paired[["dimension", "instrument", "rater_role"]] == list(m)).all(axis=1)]
        for pre, post in own[["pre", "post"]].to_numpy():
            ax.plot([0, 1], [pre, post], color="grey", alpha=0.25, lw=0.8)
        up = own["change"].mean()
        ax.plot([0, 1], [own["pre"].mean(), own["post"].mean()], color="C3", lw=2.5, marker="o")
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
    panels[0][0].set_ylabel(text("成绩", "Score"))
    fig.suptitle(
        text(
            f"每人前后成绩（{len(paired['person_id'].unique())}人）", "Each person's scores before and after"
        )
    )
    fig.tight_layout()
    return fig


def plot_gains(paired: pd.DataFrame, instrument_names: dict[str, str] | None = None) -> Figure:
    """The distribution of changes (post − pre) per measure of `paired_scores`, with zero marked."""
    measures = _measures(paired)
    fig, panels = plt.subplots(
        1, max(len(measures), 1), figsize=(2.9 * max(len(measures), 1), 3.4), squeeze=False
    )
    for ax, m in zip(panels[0], measures, strict=False):
        own = paired[(paired[["dimension", "instrument", "rater_role"]] == list(m)).all(axis=1)]["change"]
        width = max((own.max() - own.min()) / 12, 0.1) if len(own) else 1
        bins = np.arange(own.min() - width, own.max() + 2 * width, width) if len(own) else 10
        ax.hist(own, bins=bins, color="C0", alpha=0.8)
        ax.axvline(0, color="black", lw=1)
        ax.axvline(own.mean(), color="C3", lw=1.5, ls="--")
        ax.set_title(_measure_title(m, instrument_names), fontsize=9)
        ax.set_xlabel(text("变化（后−前）", "Change (post − pre)"))
    panels[0][0].set_ylabel(text("人数", "People"))
    fig.suptitle(text("成绩变化的分布（虚线为平均）", "Distribution of changes (dashed: mean)"))
    fig.tight_layout()
    return fig


def plot_arena_heatmap(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean level (1-5) per county and arena, from `arena_by_county`, each cell annotated."""
    arenas = [a for a in codes("arena") if a in table.columns]
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
        xlabel=None, ylabel=None, title=text("各县（区）五个一线平均等次", "Mean level per county and arena")
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
